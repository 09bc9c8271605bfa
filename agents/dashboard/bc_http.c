//  bc_http - routes, limits and live streams of the dashboard over libmicrohttpd
#include "bc_http.h"
#include "bc_clock.h"
#include "bc_json.h"
#include "bc_log.h"
#include "bc_metrics.h"
#include "bc_pages.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define S_CSP_MAX       512             //  bytes of the pages' Content-Security-Policy
#define S_PARAM_MAX     8               //  query parameters looked at per request
#define S_WHY_MAX       1024
//  Everything but pages: nothing runs, nothing loads, nothing frames it.
#define S_CSP_DATA      "default-src 'none'; frame-ancestors 'none'"

//  One live update stream (GET /events).
typedef struct s_stream {
    bc_http_t *http;                    //  the server
    struct MHD_Connection *conn;        //  its connection
    int fd;                             //  its socket, polled for a hang-up
    char key[BC_REQKEY_TEXT_MAX];       //  only this request's updates; "" = all
    uint64_t last;                      //  last sequence number looked at
    bc_buf_t pending;                   //  bytes not yet handed to MHD
    size_t off;                         //  ... of which sent
    int64_t last_write_ms;              //  monotonic; for keepalives
    //  Guarded by the server's lock:
    int suspended;                      //  waiting for news (MHD_suspend_connection)
    int hangup;                         //  the client is gone: end at once
    struct s_stream *prev, *next;       //  the server's list
} s_stream_t;

//  One HTTP request's own state (libmicrohttpd's req_cls).
typedef struct {
    size_t uri_len;                     //  bytes of the raw request URI
    int seen;                           //  the handler was called once (headers in)
    int answered;                       //  a response is queued
} s_req_t;

struct bc_http {
    struct MHD_Daemon *daemon;
    bc_view_t *view;                    //  borrowed
    bc_feed_t *feed;                    //  borrowed
    bc_http_opts_t opts;                //  copy (listen not kept)
    int port;                           //  bound
    int64_t started_ms;                 //  for /metrics
    char csp_page[S_CSP_MAX];           //  pages: only our inline script runs
    _Atomic uint64_t responses[BC_HTTP_STATUS_MAX];
    _Atomic uint64_t sse_opened, sse_refused, sse_snapshots, sse_resumed;

    pthread_mutex_t lock;               //  guards the stream list and flags below
    s_stream_t *streams;                //  every open stream
    size_t n_streams;                   //  open or being opened (reserved)
    int closing;                        //  bc_http_destroy has begun
    //  The feed's thread only (and the main thread once that has stopped):
    struct MHD_Connection **wake;       //  connections to resume this round
    size_t wake_cap;
    struct pollfd *polls;               //  suspended streams' sockets
    s_stream_t **polled;                //  ... and their streams
    size_t poll_cap;
};

//  --------------------------------------------------------------------------
//  Responses

//  Queues resp with status and the headers every answer carries, then
//  drops our reference. Counts the answer.
static enum MHD_Result
s_queue(bc_http_t *self, struct MHD_Connection *conn, s_req_t *req, unsigned status,
        struct MHD_Response *resp, const char *type, int page)
{
    if (!resp) {
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Security-Policy", page ? self->csp_page : S_CSP_DATA);
    enum MHD_Result rc = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    if (rc == MHD_YES) {
        if (req) {
            req->answered = 1;
        }
        if (status < BC_HTTP_STATUS_MAX) {
            atomic_fetch_add(&self->responses[status], 1);
        }
    }
    return rc;
}

//  Answers with a body the caller allocated (taken, freed by MHD).
static enum MHD_Result
s_answer(bc_http_t *self, struct MHD_Connection *conn, s_req_t *req, unsigned status,
         char *body, const char *type, int page, const char *allow, int retry_after)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(body);
        return MHD_NO;
    }
    if (allow) {
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
    }
    if (retry_after) {
        char text[16];
        snprintf(text, sizeof text, "%d", retry_after);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, text);
    }
    return s_queue(self, conn, req, status, resp, type, page);
}

static enum MHD_Result
s_json(bc_http_t *self, struct MHD_Connection *conn, s_req_t *req, unsigned status,
       const ProtobufCMessage *msg, int pretty)
{
    char *text = bc_json_encode(msg, pretty ? BC_JSON_PRETTY : 0);
    size_t len = strlen(text);
    char *body = bc_realloc(text, len + 2);
    body[len] = '\n';
    body[len + 1] = '\0';
    return s_answer(self, conn, req, status, body, "application/json; charset=utf-8", 0, NULL, 0);
}

typedef enum {
    S_HTML = 0,                         //  an error page
    S_API,                              //  a DashError
    S_TEXT                              //  one plain line
} s_style_t;

//  An error in the style of the route: a page, JSON or a line of text.
//  candidates (one full key per line) only for 409.
static enum MHD_Result
s_error(bc_http_t *self, struct MHD_Connection *conn, s_req_t *req, s_style_t style,
        unsigned status, const char *error, const char *detail, const char *candidates,
        const char *allow)
{
    int retry = status == MHD_HTTP_SERVICE_UNAVAILABLE ? 5 : 0;
    if (style == S_API) {
        Baocao__DashError e = BAOCAO__DASH_ERROR__INIT;
        e.status = status;
        e.error = (char *) error;
        e.detail = (char *) detail;
        char *list = candidates ? bc_strdup(candidates) : NULL;
        char *items[64];
        size_t n = 0;
        for (char *save = NULL, *line = list ? strtok_r(list, "\n", &save) : NULL;
             line && n < sizeof items / sizeof items[0]; line = strtok_r(NULL, "\n", &save)) {
            items[n++] = line;
        }
        e.candidates = items;
        e.n_candidates = n;
        char *text = bc_json_encode(&e.base, 0);
        free(list);
        size_t len = strlen(text);
        char *body = bc_realloc(text, len + 2);
        body[len] = '\n';
        body[len + 1] = '\0';
        return s_answer(self, conn, req, status, body, "application/json; charset=utf-8", 0,
                        allow, retry);
    }
    if (style == S_TEXT) {
        bc_buf_t b;
        bc_buf_init(&b);
        bc_buf_printf(&b, "%u %s\n", status, error);
        return s_answer(self, conn, req, status, bc_buf_take(&b), "text/plain; charset=utf-8",
                        0, allow, retry);
    }
    bc_pages_opts_t po = { .now_ms = bc_clock_now_ms() };
    bc_buf_t text;
    bc_buf_init(&text);
    bc_buf_puts(&text, detail ? detail : "");
    if (candidates && *candidates) {
        bc_buf_printf(&text, " Các yêu cầu trùng số hiệu: %s", candidates);
    }
    const char *title = status == MHD_HTTP_NOT_FOUND ? "Không tìm thấy"
                      : status == MHD_HTTP_BAD_REQUEST ? "Yêu cầu không hợp lệ"
                      : status == MHD_HTTP_CONFLICT ? "Cần chọn một yêu cầu"
                      : status == MHD_HTTP_METHOD_NOT_ALLOWED ? "Phương thức không được phép"
                      : status == MHD_HTTP_SERVICE_UNAVAILABLE ? "Chưa sẵn sàng"
                      : status == MHD_HTTP_URI_TOO_LONG ? "Địa chỉ quá dài"
                      : "Lỗi máy chủ";
    char *page = bc_pages_error((int) status, title, text.data ? text.data : "", &po);
    bc_buf_release(&text);
    return s_answer(self, conn, req, status, page, "text/html; charset=utf-8", 0, allow, retry);
}

//  --------------------------------------------------------------------------
//  Query parameters: only the ones a route knows, each at most once

typedef struct {
    const char *names[S_PARAM_MAX];     //  the route's parameters
    const char *values[S_PARAM_MAX];    //  their values (borrowed from MHD)
    size_t n_names;
    char bad[80];                       //  the first unknown or repeated one
} s_params_t;

static enum MHD_Result
s_param_visit(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    s_params_t *p = cls;
    for (size_t i = 0; i < p->n_names; i++) {
        if (strcmp(key, p->names[i]) == 0) {
            if (p->values[i] && !*p->bad) {
                snprintf(p->bad, sizeof p->bad, "tham số lặp lại: %.40s", key);
            }
            p->values[i] = value ? value : "";
            return MHD_YES;
        }
    }
    if (!*p->bad) {
        snprintf(p->bad, sizeof p->bad, "tham số không được hỗ trợ: %.40s", key);
    }
    return MHD_YES;
}

//  Reads the query; names is a NULL-terminated list. Returns 0 or -1 (an
//  unknown or repeated parameter, described in p->bad).
static int
s_params(struct MHD_Connection *conn, s_params_t *p, const char *const *names)
{
    memset(p, 0, sizeof *p);
    while (names && names[p->n_names] && p->n_names < S_PARAM_MAX) {
        p->names[p->n_names] = names[p->n_names];
        p->n_names++;
    }
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, s_param_visit, p);
    return *p->bad ? -1 : 0;
}

static const char *
s_param(const s_params_t *p, const char *name)
{
    for (size_t i = 0; i < p->n_names; i++) {
        if (strcmp(p->names[i], name) == 0) {
            return p->values[i];
        }
    }
    return NULL;
}

//  ?display= into BC_PAGES_* flags; -1 for a bad value.
static int
s_display(const char *value)
{
    if (!value || strcmp(value, "normal") == 0) {
        return 0;
    }
    if (strcmp(value, "large") == 0) {
        return BC_PAGES_LARGE;
    }
    if (strcmp(value, "contrast") == 0) {
        return BC_PAGES_CONTRAST;
    }
    if (strcmp(value, "projector") == 0) {
        return BC_PAGES_LARGE | BC_PAGES_CONTRAST;
    }
    return -1;
}

//  ?pretty= as 0 or 1; -1 for a bad value.
static int
s_flag(const char *value)
{
    if (!value || strcmp(value, "0") == 0) {
        return 0;
    }
    return strcmp(value, "1") == 0 ? 1 : -1;
}

//  A request name from the URL: bounded, printable (the store decides the rest).
static int
s_name_ok(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len >= BC_VIEW_NAME_MAX) {
        return 0;
    }
    for (const unsigned char *p = (const unsigned char *) name; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            return 0;
        }
    }
    return 1;
}

//  The answer to a bc_view error.
static enum MHD_Result
s_view_error(bc_http_t *self, struct MHD_Connection *conn, s_req_t *req, s_style_t style,
             bc_err rc, const char *why)
{
    switch (rc) {
    case BC_EINVAL:
        return s_error(self, conn, req, style, MHD_HTTP_BAD_REQUEST, "bad_request_name",
                       "Tên yêu cầu không hợp lệ: cần số hiệu (1005/STTTT-TTBCXB) hoặc khóa đầy "
                       "đủ (CƠ QUAN,NĂM-THÁNG-NGÀY,SỐ/KÝ HIỆU).", NULL, NULL);
    case BC_ENOTFOUND:
        return s_error(self, conn, req, style, MHD_HTTP_NOT_FOUND, "not_found",
                       "Không có yêu cầu báo cáo này.", NULL, NULL);
    case BC_EEXIST:
        return s_error(self, conn, req, style, MHD_HTTP_CONFLICT, "ambiguous",
                       "Số hiệu này trùng với nhiều yêu cầu; hãy dùng khóa đầy đủ.", why, NULL);
    case BC_ECLOSED:
        return s_error(self, conn, req, style, MHD_HTTP_SERVICE_UNAVAILABLE, "no_store",
                       "Chưa có dữ liệu: máy chủ trung gian chưa tạo kho dữ liệu.", NULL, NULL);
    default:
        bc_log_warn("cannot read the store: %s", bc_strerror(rc));
        return s_error(self, conn, req, style, MHD_HTTP_INTERNAL_SERVER_ERROR, "store",
                       "Không đọc được kho dữ liệu.", NULL, NULL);
    }
}

//  --------------------------------------------------------------------------
//  Pages, JSON and metrics

static int
s_live(bc_http_t *self)
{
    bc_feed_stats_t st;
    bc_feed_stats(self->feed, &st);
    return st.connected;
}

static enum MHD_Result
s_page_list(bc_http_t *self, struct MHD_Connection *conn, s_req_t *req, int display)
{
    int64_t now = bc_clock_now_ms();
    Baocao__DashRequestList *list = NULL;
    bc_err rc = bc_view_list(self->view, now, &list);
    if (rc == BC_ECLOSED) {
        //  No store yet (the broker has not run): an empty province, not an error.
        Baocao__DashRequestList empty = BAOCAO__DASH_REQUEST_LIST__INIT;
        bc_pages_opts_t po = { .display = display, .now_ms = now, .live = s_live(self) };
        return s_answer(self, conn, req, MHD_HTTP_OK, bc_pages_list(&empty, &po),
                        "text/html; charset=utf-8", 1, NULL, 0);
    }
    if (rc != BC_OK) {
        return s_view_error(self, conn, req, S_HTML, rc, NULL);
    }
    bc_pages_opts_t po = { .display = display, .now_ms = now, .live = s_live(self) };
    char *page = bc_pages_list(list, &po);
    baocao__dash_request_list__free_unpacked(list, NULL);
    return s_answer(self, conn, req, MHD_HTTP_OK, page, "text/html; charset=utf-8", 1, NULL, 0);
}

static enum MHD_Result
s_page_request(bc_http_t *self, struct MHD_Connection *conn, s_req_t *req, const char *name,
               int display)
{
    int64_t now = bc_clock_now_ms();
    uint64_t seq = bc_feed_seq(self->feed);
    Baocao__DashRequest *r = NULL;
    char why[S_WHY_MAX];
    bc_err rc = bc_view_request(self->view, name, now, 1, &r, why, sizeof why);
    if (rc != BC_OK) {
        return s_view_error(self, conn, req, S_HTML, rc, why);
    }
    r->seq = seq;
    bc_pages_opts_t po = { .display = display, .now_ms = now, .live = s_live(self) };
    char *page = bc_pages_request(r, &po);
    baocao__dash_request__free_unpacked(r, NULL);
    return s_answer(self, conn, req, MHD_HTTP_OK, page, "text/html; charset=utf-8", 1, NULL, 0);
}

static enum MHD_Result
s_api_list(bc_http_t *self, struct MHD_Connection *conn, s_req_t *req, int pretty)
{
    //  The sequence number first, then the store: whatever the updates after
    //  seq say, the data read here already holds at least what came before.
    uint64_t seq = bc_feed_seq(self->feed);
    int64_t now = bc_clock_now_ms();
    Baocao__DashRequestList *list = NULL;
    bc_err rc = bc_view_list(self->view, now, &list);
    if (rc != BC_OK) {
        return s_view_error(self, conn, req, S_API, rc, NULL);
    }
    list->seq = seq;
    list->live = s_live(self);
    enum MHD_Result mr = s_json(self, conn, req, MHD_HTTP_OK, &list->base, pretty);
    baocao__dash_request_list__free_unpacked(list, NULL);
    return mr;
}

static enum MHD_Result
s_api_request(bc_http_t *self, struct MHD_Connection *conn, s_req_t *req, const char *name,
              int with_summary, int pretty)
{
    uint64_t seq = bc_feed_seq(self->feed);
    Baocao__DashRequest *r = NULL;
    char why[S_WHY_MAX];
    bc_err rc = bc_view_request(self->view, name, bc_clock_now_ms(), with_summary, &r, why,
                                sizeof why);
    if (rc != BC_OK) {
        return s_view_error(self, conn, req, S_API, rc, why);
    }
    r->seq = seq;
    enum MHD_Result mr = s_json(self, conn, req, MHD_HTTP_OK, &r->base, pretty);
    baocao__dash_request__free_unpacked(r, NULL);
    return mr;
}

static enum MHD_Result
s_metrics(bc_http_t *self, struct MHD_Connection *conn, s_req_t *req)
{
    bc_view_figures_t fig;
    bc_err rc = bc_view_figures(self->view, &fig);
    bc_feed_stats_t feed;
    bc_feed_stats(self->feed, &feed);
    bc_http_stats_t http;
    bc_http_stats(self, &http);
    char *text = bc_metrics_render(rc == BC_OK ? &fig : NULL, &feed, &http, self->started_ms);
    return s_answer(self, conn, req, MHD_HTTP_OK, text, "text/plain; version=0.0.4; charset=utf-8",
                    0, NULL, 0);
}

//  --------------------------------------------------------------------------
//  Live update streams

static void
s_unlink(bc_http_t *self, s_stream_t *s)
{
    if (s->prev) {
        s->prev->next = s->next;
    }
    else if (self->streams == s) {
        self->streams = s->next;
    }
    if (s->next) {
        s->next->prev = s->prev;
    }
    s->prev = s->next = NULL;
}

//  Appends a snapshot (the state now, with the sequence number taken
//  before reading it) to s->pending and moves s->last to it.
static bc_err
s_snapshot(bc_http_t *self, s_stream_t *s, const char *name, int reset)
{
    uint64_t seq = bc_feed_seq(self->feed);
    int64_t now = bc_clock_now_ms();
    Baocao__DashSnapshot snap = BAOCAO__DASH_SNAPSHOT__INIT;
    Baocao__DashRequestList empty = BAOCAO__DASH_REQUEST_LIST__INIT;
    Baocao__DashRequestList *list = NULL;
    Baocao__DashRequest *r = NULL;
    bc_err rc;
    if (*s->key || name) {
        rc = bc_view_request(self->view, name ? name : s->key, now, 0, &r, NULL, 0);
        if (rc != BC_OK) {
            return rc;
        }
        r->seq = seq;
        snap.request = r;
        if (!*s->key) {
            snprintf(s->key, sizeof s->key, "%s", r->entry && r->entry->key ? r->entry->key : "");
        }
    }
    else {
        rc = bc_view_list(self->view, now, &list);
        if (rc != BC_OK && rc != BC_ECLOSED) {
            return rc;
        }
        snap.list = list ? list : &empty;
        snap.list->seq = seq;
        snap.list->live = s_live(self);
    }
    snap.seq = seq;
    snap.reset = reset;
    char *json = bc_json_encode(&snap.base, 0);
    char id[BC_FEED_ID_MAX];
    bc_feed_format_id(self->feed, seq, id, sizeof id);
    bc_buf_printf(&s->pending, "id: %s\nevent: snapshot\ndata: %s\n\n", id, json);
    free(json);
    if (r) {
        baocao__dash_request__free_unpacked(r, NULL);
    }
    if (list) {
        baocao__dash_request_list__free_unpacked(list, NULL);
    }
    s->last = seq;
    atomic_fetch_add(&self->sse_snapshots, 1);
    return BC_OK;
}

static ssize_t
s_stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    s_stream_t *s = cls;
    bc_http_t *self = s->http;
    if (s->off == s->pending.len) {
        if (s->pending.cap > (1u << 20)) {
            bc_buf_release(&s->pending);    //  a big snapshot went out: give it back
            bc_buf_init(&s->pending);
        }
        s->pending.len = 0;
        s->off = 0;
        pthread_mutex_lock(&self->lock);
        int hangup = s->hangup, closing = self->closing;
        pthread_mutex_unlock(&self->lock);
        if (hangup) {
            return MHD_CONTENT_READER_END_WITH_ERROR;
        }
        if (closing) {
            return MHD_CONTENT_READER_END_OF_STREAM;
        }
        uint64_t last;
        bc_err rc = bc_feed_read(self->feed, s->last, s->key, &s->pending, &last);
        if (rc == BC_OK) {
            s->last = last;
        }
        else if (s_snapshot(self, s, NULL, 1) != BC_OK) {
            //  This client fell behind the ring and its state cannot be read
            //  now: end the stream; EventSource reconnects and is answered.
            return MHD_CONTENT_READER_END_WITH_ERROR;
        }
        int64_t now = bc_clock_mono_ms();
        if (s->pending.len == 0 && now - s->last_write_ms >= (int64_t) self->opts.keepalive_s * 1000) {
            bc_buf_puts(&s->pending, ": keepalive\n\n");
        }
    }
    if (s->off == s->pending.len) {
        //  Nothing to send: wait until the feed's thread resumes us. The
        //  check and the suspension happen under the lock the notifier
        //  takes, so no update slips in between unnoticed.
        pthread_mutex_lock(&self->lock);
        if (self->closing || s->hangup || bc_feed_seq(self->feed) != s->last) {
            pthread_mutex_unlock(&self->lock);
            return 0;                   //  called again at once: news or the end
        }
        s->suspended = 1;
        MHD_suspend_connection(s->conn);
        pthread_mutex_unlock(&self->lock);
        return 0;
    }
    size_t n = s->pending.len - s->off;
    if (n > max) {
        n = max;
    }
    memcpy(buf, s->pending.data + s->off, n);
    s->off += n;
    s->last_write_ms = bc_clock_mono_ms();
    return (ssize_t) n;
}

static void
s_stream_free(void *cls)
{
    s_stream_t *s = cls;
    bc_http_t *self = s->http;
    pthread_mutex_lock(&self->lock);
    s_unlink(self, s);
    self->n_streams--;
    pthread_mutex_unlock(&self->lock);
    bc_buf_release(&s->pending);
    free(s);
}

static enum MHD_Result
s_events(bc_http_t *self, struct MHD_Connection *conn, s_req_t *req, const char *name)
{
    pthread_mutex_lock(&self->lock);
    int full = self->n_streams >= self->opts.sse_clients_max;
    int closing = self->closing;
    if (!full && !closing) {
        self->n_streams++;              //  reserved until the stream is freed
    }
    pthread_mutex_unlock(&self->lock);
    if (full || closing) {
        if (full) {
            atomic_fetch_add(&self->sse_refused, 1);
        }
        return s_error(self, conn, req, S_API, MHD_HTTP_SERVICE_UNAVAILABLE, "busy",
                       "Quá nhiều kết nối cập nhật trực tiếp; thử lại sau.", NULL, NULL);
    }
    s_stream_t *s = bc_calloc(1, sizeof *s);
    s->http = self;
    s->conn = conn;
    s->fd = -1;
    bc_buf_init(&s->pending);
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (info) {
        s->fd = info->connect_fd;
    }
    bc_buf_printf(&s->pending, ": baocao-dashboard\nretry: %d\n\n", BC_HTTP_SSE_RETRY_MS);

    //  A full key names its request without reading the store, so a
    //  reconnection is served from the ring alone; a citation is resolved
    //  by the snapshot.
    const char *resolve = NULL;
    if (name) {
        bc_reqkey_t key;
        if (bc_reqkey_parse(name, &key) == BC_OK) {
            bc_reqkey_format(&key, s->key, sizeof s->key);
        }
        else {
            resolve = name;
        }
    }
    enum MHD_Result mr = MHD_NO;
    bc_err rc = BC_ENOTFOUND;
    const char *last_id = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Last-Event-ID");
    int reset = 0;
    if (last_id && *last_id) {
        uint64_t after = 0;
        bc_err prc = bc_feed_parse_id(self->feed, last_id, &after);
        if (prc == BC_EINVAL) {
            mr = s_error(self, conn, req, S_API, MHD_HTTP_BAD_REQUEST, "bad_last_event_id",
                         "Last-Event-ID không phải mã sự kiện của bảng theo dõi.", NULL, NULL);
            goto refuse;
        }
        reset = 1;
        if (prc == BC_OK && !resolve) {
            uint64_t last;
            rc = bc_feed_read(self->feed, after, s->key, &s->pending, &last);
            if (rc == BC_OK) {
                s->last = last;
                atomic_fetch_add(&self->sse_resumed, 1);
            }
        }
    }
    if (rc != BC_OK) {
        rc = s_snapshot(self, s, resolve, reset);
        if (rc != BC_OK) {
            mr = s_view_error(self, conn, req, S_API, rc, NULL);
            goto refuse;
        }
    }
    struct MHD_Response *resp =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, BC_HTTP_SSE_BLOCK, s_stream_read, s,
                                          s_stream_free);
    if (!resp) {
        goto refuse;
    }
    s->last_write_ms = bc_clock_mono_ms();
    pthread_mutex_lock(&self->lock);
    s->next = self->streams;
    if (self->streams) {
        self->streams->prev = s;
    }
    self->streams = s;
    pthread_mutex_unlock(&self->lock);
    atomic_fetch_add(&self->sse_opened, 1);
    //  Proxies must not buffer the stream.
    MHD_add_response_header(resp, "X-Accel-Buffering", "no");
    return s_queue(self, conn, req, MHD_HTTP_OK, resp, "text/event-stream; charset=utf-8", 0);

refuse:
    bc_buf_release(&s->pending);
    free(s);
    pthread_mutex_lock(&self->lock);
    self->n_streams--;
    pthread_mutex_unlock(&self->lock);
    return mr;
}

void
bc_http_notify(void *arg, size_t added)
{
    bc_http_t *self = arg;
    int64_t now = bc_clock_mono_ms();
    int64_t keepalive_ms = (int64_t) self->opts.keepalive_s * 1000;
    size_t n_wake = 0;
    pthread_mutex_lock(&self->lock);
    if (self->n_streams > self->wake_cap) {
        self->wake_cap = self->n_streams * 2;
        self->wake = bc_realloc(self->wake, self->wake_cap * sizeof *self->wake);
        self->polls = bc_realloc(self->polls, self->wake_cap * sizeof *self->polls);
        self->polled = bc_realloc(self->polled, self->wake_cap * sizeof *self->polled);
    }
    //  A suspended stream is not watched by libmicrohttpd: look for clients
    //  that hung up ourselves, so they are freed now rather than at the next
    //  keepalive's failed write.
    size_t n_polls = 0;
    for (s_stream_t *s = self->streams; s && n_polls < self->wake_cap; s = s->next) {
        if (s->suspended && s->fd >= 0) {
            self->polls[n_polls] = (struct pollfd) { .fd = s->fd, .events = POLLRDHUP };
            self->polled[n_polls++] = s;
        }
    }
    if (n_polls && poll(self->polls, n_polls, 0) > 0) {
        for (size_t i = 0; i < n_polls; i++) {
            if (self->polls[i].revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) {
                self->polled[i]->hangup = 1;
            }
        }
    }
    for (s_stream_t *s = self->streams; s && n_wake < self->wake_cap; s = s->next) {
        if (!s->suspended) {
            continue;
        }
        if (added || s->hangup || self->closing || now - s->last_write_ms >= keepalive_ms) {
            s->suspended = 0;
            self->wake[n_wake++] = s->conn;
        }
    }
    pthread_mutex_unlock(&self->lock);
    //  Resumed outside the lock: a suspended connection stays alive until
    //  resumed, and only this thread resumes, so the pointers hold.
    for (size_t i = 0; i < n_wake; i++) {
        MHD_resume_connection(self->wake[i]);
    }
}

//  --------------------------------------------------------------------------
//  Dispatch

static void *
s_uri_log(void *cls, const char *uri, struct MHD_Connection *conn)
{
    s_req_t *req = bc_calloc(1, sizeof *req);
    req->uri_len = uri ? strlen(uri) : 0;
    return req;
}

static void
s_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
            enum MHD_RequestTerminationCode toe)
{
    free(*req_cls);
    *req_cls = NULL;
}

//  The format comes from libmicrohttpd, checked there.
static void s_mhd_log(void *cls, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void
s_mhd_log(void *cls, const char *fmt, va_list ap)
{
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    size_t len = strlen(line);
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) {
        line[--len] = '\0';
    }
    //  Mostly one misbehaving client (a bad request line, a reset): detail
    //  for debugging, not an operator's concern.
    bc_log_debug("libmicrohttpd: %s", line);
}

static enum MHD_Result
s_route(bc_http_t *self, struct MHD_Connection *conn, s_req_t *req, const char *url,
        const char *method)
{
    int head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
    int get = strcmp(method, MHD_HTTP_METHOD_GET) == 0;
    int api = strncmp(url, "/api/", 5) == 0 || strcmp(url, "/events") == 0;
    s_style_t style = api ? S_API : strcmp(url, "/metrics") == 0 ? S_TEXT : S_HTML;
    if (req->uri_len > BC_HTTP_URL_MAX) {
        return s_error(self, conn, req, style, MHD_HTTP_URI_TOO_LONG, "uri_too_long",
                       "Địa chỉ quá dài.", NULL, NULL);
    }
    if (strcmp(url, "/events") == 0) {
        if (!get) {
            return s_error(self, conn, req, S_API, MHD_HTTP_METHOD_NOT_ALLOWED,
                           "method_not_allowed", "Chỉ hỗ trợ GET.", NULL, "GET");
        }
    }
    else if (!get && !head) {
        return s_error(self, conn, req, style, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
                       "Chỉ hỗ trợ GET và HEAD.", NULL, "GET, HEAD");
    }

    s_params_t p;
    static const char *const page_params[] = { "display", NULL };
    static const char *const list_params[] = { "pretty", NULL };
    static const char *const request_params[] = { "view", "pretty", NULL };
    static const char *const event_params[] = { "request", NULL };
    static const char *const no_params[] = { NULL };

    if (strcmp(url, "/") == 0 || strncmp(url, "/r/", 3) == 0) {
        int display = 0;
        if (s_params(conn, &p, page_params) != 0
            || (display = s_display(s_param(&p, "display"))) < 0) {
            return s_error(self, conn, req, S_HTML, MHD_HTTP_BAD_REQUEST, "bad_parameter",
                           *p.bad ? p.bad
                                  : "display phải là normal, large, contrast hoặc projector.",
                           NULL, NULL);
        }
        if (strcmp(url, "/") == 0) {
            return s_page_list(self, conn, req, display);
        }
        const char *name = url + 3;
        if (!s_name_ok(name)) {
            return s_view_error(self, conn, req, S_HTML, BC_EINVAL, NULL);
        }
        return s_page_request(self, conn, req, name, display);
    }
    if (strcmp(url, "/api/requests") == 0 || strncmp(url, "/api/requests/", 14) == 0) {
        const char *const *names = url[13] == '/' ? request_params : list_params;
        int pretty = 0;
        if (s_params(conn, &p, names) != 0 || (pretty = s_flag(s_param(&p, "pretty"))) < 0) {
            return s_error(self, conn, req, S_API, MHD_HTTP_BAD_REQUEST, "bad_parameter",
                           *p.bad ? p.bad : "pretty phải là 0 hoặc 1.", NULL, NULL);
        }
        if (url[13] != '/') {
            return s_api_list(self, conn, req, pretty);
        }
        const char *view = s_param(&p, "view");
        if (view && strcmp(view, "full") != 0 && strcmp(view, "status") != 0) {
            return s_error(self, conn, req, S_API, MHD_HTTP_BAD_REQUEST, "bad_parameter",
                           "view phải là full hoặc status.", NULL, NULL);
        }
        const char *name = url + 14;
        if (!s_name_ok(name)) {
            return s_view_error(self, conn, req, S_API, BC_EINVAL, NULL);
        }
        return s_api_request(self, conn, req, name, !view || strcmp(view, "full") == 0, pretty);
    }
    if (strcmp(url, "/events") == 0) {
        if (s_params(conn, &p, event_params) != 0) {
            return s_error(self, conn, req, S_API, MHD_HTTP_BAD_REQUEST, "bad_parameter", p.bad,
                           NULL, NULL);
        }
        const char *name = s_param(&p, "request");
        if (name && !s_name_ok(name)) {
            return s_view_error(self, conn, req, S_API, BC_EINVAL, NULL);
        }
        return s_events(self, conn, req, name);
    }
    if (strcmp(url, "/metrics") == 0 || strcmp(url, "/healthz") == 0) {
        if (s_params(conn, &p, no_params) != 0) {
            return s_error(self, conn, req, S_TEXT, MHD_HTTP_BAD_REQUEST, "bad_parameter", p.bad,
                           NULL, NULL);
        }
        if (url[1] == 'h') {
            return s_answer(self, conn, req, MHD_HTTP_OK, bc_strdup("ok\n"),
                            "text/plain; charset=utf-8", 0, NULL, 0);
        }
        return s_metrics(self, conn, req);
    }
    return s_error(self, conn, req, style, MHD_HTTP_NOT_FOUND, "not_found",
                   "Không có trang này.", NULL, NULL);
}

static enum MHD_Result
s_handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
         const char *version, const char *upload_data, size_t *upload_data_size, void **req_cls)
{
    bc_http_t *self = cls;
    s_req_t *req = *req_cls;
    if (!req) {
        //  The URI log callback always sets it; be safe if a version does not.
        req = bc_calloc(1, sizeof *req);
        *req_cls = req;
    }
    if (req->answered) {
        *upload_data_size = 0;          //  a body we do not read (405 already queued)
        return MHD_YES;
    }
    int bodyless = method && (strcmp(method, MHD_HTTP_METHOD_GET) == 0
                              || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0);
    if (!req->seen && bodyless) {
        //  Answering on the first call (headers only) makes libmicrohttpd
        //  close the connection after the response; waiting for the end of
        //  the request keeps it alive for the next one.
        req->seen = 1;
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        *upload_data_size = 0;          //  a GET with a body: ignored
        return MHD_YES;
    }
    //  Other methods are answered (405) at once, before any body is read:
    //  libmicrohttpd then closes the connection rather than take the body.
    return s_route(self, conn, req, url ? url : "/", method ? method : "");
}

//  --------------------------------------------------------------------------
//  Life cycle

bc_err
bc_http_open(bc_http_t **http_p, const bc_http_opts_t *opts, bc_view_t *view, bc_feed_t *feed,
             int64_t started_ms, char *why, size_t why_size)
{
    assert(http_p);
    assert(opts);
    assert(view);
    assert(feed);
    if (opts->port < 0 || opts->port > 65535 || opts->threads < 1
        || opts->sse_clients_max < 1 || opts->sse_clients_max >= opts->connections_max) {
        snprintf(why, why_size, "bad server bounds: port 0..65535, threads >= 1, "
                                "0 < sse_clients_max < connections_max");
        return BC_EINVAL;
    }
    struct sockaddr_storage addr;
    memset(&addr, 0, sizeof addr);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_ALLOW_SUSPEND_RESUME
                     | MHD_USE_ERROR_LOG;
    const char *listen = opts->listen && *opts->listen ? opts->listen : "127.0.0.1";
    struct sockaddr_in *in4 = (struct sockaddr_in *) &addr;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) &addr;
    if (inet_pton(AF_INET, listen, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t) opts->port);
    }
    else if (inet_pton(AF_INET6, listen, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t) opts->port);
        flags |= MHD_USE_IPv6;
    }
    else {
        snprintf(why, why_size, "listen: not an IPv4 or IPv6 address: %s", listen);
        return BC_EINVAL;
    }

    bc_http_t *self = bc_calloc(1, sizeof *self);
    self->view = view;
    self->feed = feed;
    self->opts = *opts;
    self->opts.listen = NULL;
    self->started_ms = started_ms;
    pthread_mutex_init(&self->lock, NULL);
    char hash[96];
    bc_pages_script_hash(hash, sizeof hash);
    snprintf(self->csp_page, sizeof self->csp_page,
             "default-src 'none'; script-src %s; style-src 'unsafe-inline'; img-src data:; "
             "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
             hash);

    struct MHD_OptionItem pool[] = {
        { MHD_OPTION_THREAD_POOL_SIZE, (intptr_t) opts->threads, NULL },
        { MHD_OPTION_END, 0, NULL },
    };
    self->daemon = MHD_start_daemon(
        flags, (uint16_t) opts->port, NULL, NULL, s_handle, self,
        MHD_OPTION_EXTERNAL_LOGGER, s_mhd_log, self,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *) &addr,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int) opts->connections_max,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int) opts->connections_per_ip,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t) BC_HTTP_CONN_MEMORY,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int) opts->timeout_s,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int) BC_HTTP_BACKLOG,
        MHD_OPTION_STRICT_FOR_CLIENT, (int) 1,
        MHD_OPTION_URI_LOG_CALLBACK, s_uri_log, self,
        MHD_OPTION_NOTIFY_COMPLETED, s_completed, self,
        //  One polling thread unless more are asked for (a pool of one is
        //  refused by some versions).
        MHD_OPTION_ARRAY, opts->threads > 1 ? pool : pool + 1,
        MHD_OPTION_END);
    if (!self->daemon) {
        snprintf(why, why_size, "cannot listen on %s port %d: %s", listen, opts->port,
                 errno ? strerror(errno) : "libmicrohttpd refused to start");
        pthread_mutex_destroy(&self->lock);
        free(self);
        return BC_EIO;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(self->daemon, MHD_DAEMON_INFO_BIND_PORT);
    self->port = info ? info->port : opts->port;
    *http_p = self;
    return BC_OK;
}

int
bc_http_port(bc_http_t *self)
{
    return self->port;
}

void
bc_http_stats(bc_http_t *self, bc_http_stats_t *stats)
{
    memset(stats, 0, sizeof *stats);
    for (int i = 0; i < BC_HTTP_STATUS_MAX; i++) {
        stats->responses[i] = atomic_load(&self->responses[i]);
    }
    pthread_mutex_lock(&self->lock);
    for (s_stream_t *s = self->streams; s; s = s->next) {
        stats->sse_clients++;
    }
    pthread_mutex_unlock(&self->lock);
    stats->sse_opened = atomic_load(&self->sse_opened);
    stats->sse_refused = atomic_load(&self->sse_refused);
    stats->sse_snapshots = atomic_load(&self->sse_snapshots);
    stats->sse_resumed = atomic_load(&self->sse_resumed);
    stats->sse_clients_max = self->opts.sse_clients_max;
}

void
bc_http_destroy(bc_http_t **http_p)
{
    if (!http_p || !*http_p) {
        return;
    }
    bc_http_t *self = *http_p;
    //  libmicrohttpd must not be stopped with suspended connections: mark
    //  the end, resume every waiting stream (each then ends), then stop.
    pthread_mutex_lock(&self->lock);
    self->closing = 1;
    pthread_mutex_unlock(&self->lock);
    bc_http_notify(self, 0);
    MHD_stop_daemon(self->daemon);
    pthread_mutex_destroy(&self->lock);
    free(self->wake);
    free(self->polls);
    free(self->polled);
    free(self);
    *http_p = NULL;
}
