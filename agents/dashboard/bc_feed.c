//  bc_feed - the SUB thread: broker events in, sequenced updates out
#include "bc_feed.h"
#include "bc_cert.h"
#include "bc_clock.h"
#include "bc_json.h"
#include "bc_log.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#define S_KIND_MAX          64          //  longest event kind accepted
#define S_LOG_EVERY         100         //  repeated handshake failures: one line per this many

//  One kept update.
typedef struct {
    uint64_t seq;                       //  0: slot never used
    char *frame;                        //  the SSE frame, owned
    size_t size;                        //  its bytes
    char key[BC_REQKEY_TEXT_MAX];       //  the request it concerns, "" for none
    int everyone;                       //  concerns every request (presence, resync)
} s_slot_t;

struct bc_feed {
    bc_view_t *view;                    //  borrowed; the store, read-only
    char *endpoint;                     //  the broker's PUB endpoint, "" = none
    void *ctx;                          //  ZeroMQ context, ours alone
    void *sub;                          //  SUB socket, NULL without an endpoint
    void *monitor;                      //  PAIR receiving the SUB socket's events
    char monitor_ep[64];                //  inproc address of the monitor
    int64_t presence_poll_ms;           //  0 = no presence polling
    char run_id[BC_FEED_RUN_ID_MAX];    //  this run, in every SSE id

    pthread_t thread;                   //  the SUB thread, once started
    int started;                        //  thread is running (main thread's view)
    atomic_int stop;                    //  set by bc_feed_stop
    bc_feed_notify_fn *notify;          //  set before the thread starts
    void *notify_arg;

    pthread_mutex_t lock;               //  guards ring, seq and stats
    s_slot_t *ring;                     //  ring_size slots, slot = seq % ring_size
    size_t ring_size;
    uint64_t seq;                       //  last sequence number given
    bc_feed_stats_t stats;              //  counters (seq and oldest filled on read)

    //  The thread's own state, never touched by others.
    bc_view_presence_t *presence;       //  last presence read, sorted by code
    size_t n_presence;
    int presence_known;                 //  first read done (a baseline, no updates)
    int64_t next_presence_ms;           //  monotonic time of the next read
};

static const char *const s_kind_names[BC_FEED_KINDS] = {
    "request.issued", "report.stored", "delivery.status", "delivery.overdue",
    "delivery.reminded", "other"
};

const char *
bc_feed_kind_name(bc_feed_kind_t kind)
{
    return kind >= 0 && kind < BC_FEED_KINDS ? s_kind_names[kind] : "other";
}

static bc_feed_kind_t
s_kind_of(const char *kind)
{
    for (int i = 0; i < BC_FEED_OTHER; i++) {
        if (strcmp(kind, s_kind_names[i]) == 0) {
            return (bc_feed_kind_t) i;
        }
    }
    return BC_FEED_OTHER;
}

//  --------------------------------------------------------------------------
//  Open, start, stop

static bc_err
s_set_curve(bc_feed_t *self, const bc_feed_opts_t *opts, char *why, size_t why_size)
{
    bc_cert_t mine, broker;
    bc_err rc = bc_cert_load(&mine, opts->key_file, why, why_size);
    if (rc != BC_OK) {
        return rc;
    }
    if (!mine.has_secret) {
        snprintf(why, why_size, "%s is a public key file; the feed needs the secret one",
                 opts->key_file);
        bc_cert_wipe(&mine);
        return BC_EINVAL;
    }
    rc = bc_cert_load(&broker, opts->broker_key_file, why, why_size);
    if (rc == BC_OK
        && (zmq_setsockopt(self->sub, ZMQ_CURVE_SERVERKEY, broker.curve_public,
                           BC_CERT_Z85_LEN) != 0
            || zmq_setsockopt(self->sub, ZMQ_CURVE_PUBLICKEY, mine.curve_public,
                              BC_CERT_Z85_LEN) != 0
            || zmq_setsockopt(self->sub, ZMQ_CURVE_SECRETKEY, mine.curve_secret,
                              BC_CERT_Z85_LEN) != 0)) {
        snprintf(why, why_size, "cannot set up CURVE on the feed: %s", zmq_strerror(zmq_errno()));
        rc = BC_EIO;
    }
    bc_cert_wipe(&mine);
    return rc;
}

bc_err
bc_feed_open(bc_feed_t **feed_p, const bc_feed_opts_t *opts, bc_view_t *view, char *why,
             size_t why_size)
{
    assert(feed_p);
    assert(opts);
    assert(view);
    const char *key = opts->key_file ? opts->key_file : "";
    const char *broker_key = opts->broker_key_file ? opts->broker_key_file : "";
    if (opts->ring_size == 0) {
        snprintf(why, why_size, "the ring of updates needs at least one slot");
        return BC_EINVAL;
    }
    if ((*key == '\0') != (*broker_key == '\0')) {
        snprintf(why, why_size, "key and broker_key go together: set both for CURVE, "
                                "neither for a plaintext feed");
        return BC_EINVAL;
    }
    bc_feed_t *self = bc_calloc(1, sizeof *self);
    self->view = view;
    self->endpoint = bc_strdup(opts->endpoint ? opts->endpoint : "");
    self->presence_poll_ms = opts->presence_poll_ms;
    self->ring_size = opts->ring_size;
    self->ring = bc_calloc(self->ring_size, sizeof *self->ring);
    pthread_mutex_init(&self->lock, NULL);
    atomic_init(&self->stop, 0);
    snprintf(self->run_id, sizeof self->run_id, "%" PRIx64, (uint64_t) bc_clock_now_ms());

    bc_err rc = BC_OK;
    if (*self->endpoint) {
        self->ctx = zmq_ctx_new();
        self->sub = self->ctx ? zmq_socket(self->ctx, ZMQ_SUB) : NULL;
        if (!self->sub) {
            snprintf(why, why_size, "cannot create the feed's socket: %s",
                     zmq_strerror(zmq_errno()));
            rc = BC_EIO;
            goto leave;
        }
        int64_t max_msg = BC_FEED_MAX_EVENT;
        int linger = 0;
        int hwm = 100000;               //  a burst of reports must not be dropped
        int hb_ivl = 5000, hb_timeout = 15000;  //  notice a vanished broker
        int reconnect_max = 5000;
        if (zmq_setsockopt(self->sub, ZMQ_MAXMSGSIZE, &max_msg, sizeof max_msg) != 0
            || zmq_setsockopt(self->sub, ZMQ_LINGER, &linger, sizeof linger) != 0
            || zmq_setsockopt(self->sub, ZMQ_RCVHWM, &hwm, sizeof hwm) != 0
            || zmq_setsockopt(self->sub, ZMQ_HEARTBEAT_IVL, &hb_ivl, sizeof hb_ivl) != 0
            || zmq_setsockopt(self->sub, ZMQ_HEARTBEAT_TIMEOUT, &hb_timeout,
                              sizeof hb_timeout) != 0
            || zmq_setsockopt(self->sub, ZMQ_RECONNECT_IVL_MAX, &reconnect_max,
                              sizeof reconnect_max) != 0
            || zmq_setsockopt(self->sub, ZMQ_SUBSCRIBE, "", 0) != 0) {
            snprintf(why, why_size, "cannot set up the feed's socket: %s",
                     zmq_strerror(zmq_errno()));
            rc = BC_EIO;
            goto leave;
        }
        if (*key) {
            rc = s_set_curve(self, opts, why, why_size);
            if (rc != BC_OK) {
                goto leave;
            }
        }
        snprintf(self->monitor_ep, sizeof self->monitor_ep, "inproc://bc-feed-%p", (void *) self);
        int events = ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_DISCONNECTED
                     | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
                     | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL;
        if (zmq_socket_monitor(self->sub, self->monitor_ep, events) != 0) {
            snprintf(why, why_size, "cannot monitor the feed's socket: %s",
                     zmq_strerror(zmq_errno()));
            rc = BC_EIO;
            goto leave;
        }
        self->monitor = zmq_socket(self->ctx, ZMQ_PAIR);
        if (!self->monitor || zmq_connect(self->monitor, self->monitor_ep) != 0) {
            snprintf(why, why_size, "cannot monitor the feed's socket: %s",
                     zmq_strerror(zmq_errno()));
            rc = BC_EIO;
            goto leave;
        }
    }
leave:
    if (rc != BC_OK) {
        bc_feed_destroy(&self);
        return rc;
    }
    *feed_p = self;
    return BC_OK;
}

static void *s_run(void *arg);

bc_err
bc_feed_start(bc_feed_t *self, bc_feed_notify_fn *notify, void *arg, char *why,
              size_t why_size)
{
    assert(self);
    assert(!self->started);
    self->notify = notify;
    self->notify_arg = arg;
    if (self->sub && zmq_connect(self->sub, self->endpoint) != 0) {
        int err = zmq_errno();
        snprintf(why, why_size, "cannot connect to the event feed %s: %s", self->endpoint,
                 zmq_strerror(err));
        return err == EINVAL || err == EPROTONOSUPPORT ? BC_EINVAL : BC_EIO;
    }
    if (pthread_create(&self->thread, NULL, s_run, self) != 0) {
        snprintf(why, why_size, "cannot start the feed's thread");
        return BC_EIO;
    }
    self->started = 1;
    return BC_OK;
}

void
bc_feed_stop(bc_feed_t *self)
{
    if (!self || !self->started) {
        return;
    }
    atomic_store(&self->stop, 1);
    pthread_join(self->thread, NULL);
    self->started = 0;
}

void
bc_feed_destroy(bc_feed_t **feed_p)
{
    if (!feed_p || !*feed_p) {
        return;
    }
    bc_feed_t *self = *feed_p;
    bc_feed_stop(self);
    if (self->sub) {
        zmq_socket_monitor(self->sub, NULL, 0);
        zmq_close(self->sub);
    }
    if (self->monitor) {
        int linger = 0;
        zmq_setsockopt(self->monitor, ZMQ_LINGER, &linger, sizeof linger);
        zmq_close(self->monitor);
    }
    if (self->ctx) {
        zmq_ctx_term(self->ctx);
    }
    for (size_t i = 0; i < self->ring_size; i++) {
        free(self->ring[i].frame);
    }
    free(self->ring);
    free(self->presence);
    free(self->endpoint);
    pthread_mutex_destroy(&self->lock);
    free(self);
    *feed_p = NULL;
}

//  --------------------------------------------------------------------------
//  The ring

uint64_t
bc_feed_push(bc_feed_t *self, Baocao__DashUpdate *upd)
{
    assert(self);
    assert(upd);
    Baocao__Timestamp received = BAOCAO__TIMESTAMP__INIT;
    if (!upd->received_at) {
        received.unix_ms = bc_clock_now_ms();
        upd->received_at = &received;
    }
    const char *kind = upd->kind ? upd->kind : "";
    int everyone = strcmp(kind, "presence") == 0 || strcmp(kind, "feed.resync") == 0;

    //  The sequence number is part of the frame, so it is given and the
    //  frame made under the lock: the ring's order is the numbers' order.
    pthread_mutex_lock(&self->lock);
    uint64_t seq = ++self->seq;
    upd->seq = seq;
    char *json = bc_json_encode(&upd->base, 0);
    char id[BC_FEED_ID_MAX];
    bc_feed_format_id(self, seq, id, sizeof id);
    bc_buf_t frame;
    bc_buf_init(&frame);
    bc_buf_printf(&frame, "id: %s\nevent: update\ndata: %s\n\n", id, json);
    free(json);
    s_slot_t *slot = &self->ring[seq % self->ring_size];
    free(slot->frame);
    slot->seq = seq;
    slot->size = frame.len;
    slot->frame = bc_buf_take(&frame);
    snprintf(slot->key, sizeof slot->key, "%s", upd->request_key ? upd->request_key : "");
    slot->everyone = everyone;
    pthread_mutex_unlock(&self->lock);
    if (upd->received_at == &received) {
        upd->received_at = NULL;        //  do not leave the caller a stack pointer
    }
    return seq;
}

bc_err
bc_feed_read(bc_feed_t *self, uint64_t after, const char *request_key, bc_buf_t *out,
             uint64_t *last_p)
{
    assert(self);
    assert(out);
    assert(last_p);
    pthread_mutex_lock(&self->lock);
    uint64_t newest = self->seq;
    uint64_t oldest = newest >= self->ring_size ? newest - self->ring_size + 1 : 1;
    if (after > newest || after + 1 < oldest) {
        pthread_mutex_unlock(&self->lock);
        return BC_ENOTFOUND;
    }
    int all = !request_key || !*request_key;
    for (uint64_t seq = after + 1; seq <= newest; seq++) {
        const s_slot_t *slot = &self->ring[seq % self->ring_size];
        if (all || slot->everyone || strcmp(slot->key, request_key) == 0) {
            bc_buf_append(out, slot->frame, slot->size);
        }
    }
    *last_p = newest;
    pthread_mutex_unlock(&self->lock);
    return BC_OK;
}

uint64_t
bc_feed_seq(bc_feed_t *self)
{
    pthread_mutex_lock(&self->lock);
    uint64_t seq = self->seq;
    pthread_mutex_unlock(&self->lock);
    return seq;
}

const char *
bc_feed_run_id(const bc_feed_t *self)
{
    return self->run_id;
}

void
bc_feed_format_id(const bc_feed_t *self, uint64_t seq, char *buf, size_t size)
{
    snprintf(buf, size, "%s-%" PRIu64, self->run_id, seq);
}

bc_err
bc_feed_parse_id(const bc_feed_t *self, const char *text, uint64_t *seq_p)
{
    if (!text) {
        return BC_EINVAL;
    }
    size_t len = strlen(text);
    const char *dash = strrchr(text, '-');
    if (!dash || dash == text || len >= BC_FEED_ID_MAX) {
        return BC_EINVAL;
    }
    for (const char *p = text; p < dash; p++) {
        int alnum = (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z');
        if (!alnum) {
            return BC_EINVAL;
        }
    }
    const char *digits = dash + 1;
    size_t n = strlen(digits);
    if (n == 0 || n > 19) {
        return BC_EINVAL;               //  19 digits always fit in a u64
    }
    uint64_t seq = 0;
    for (size_t i = 0; i < n; i++) {
        if (digits[i] < '0' || digits[i] > '9') {
            return BC_EINVAL;
        }
        seq = seq * 10 + (uint64_t) (digits[i] - '0');
    }
    size_t run_len = (size_t) (dash - text);
    if (run_len != strlen(self->run_id) || memcmp(text, self->run_id, run_len) != 0) {
        return BC_ENOTFOUND;
    }
    *seq_p = seq;
    return BC_OK;
}

void
bc_feed_stats(bc_feed_t *self, bc_feed_stats_t *stats)
{
    pthread_mutex_lock(&self->lock);
    *stats = self->stats;
    stats->seq = self->seq;
    stats->oldest = self->seq == 0 ? 0
                  : self->seq >= self->ring_size ? self->seq - self->ring_size + 1 : 1;
    pthread_mutex_unlock(&self->lock);
}

//  --------------------------------------------------------------------------
//  The thread: events, presence, ticks

//  One event of a batch with its request's key text.
typedef struct {
    Baocao__Event *event;               //  owned
    char key[BC_REQKEY_TEXT_MAX];       //  "" when it names no (valid) request
} s_item_t;

//  One request's state after the batch, read once however many of the
//  batch's events concern it.
typedef struct {
    char key[BC_REQKEY_TEXT_MAX];
    Baocao__DashRequest *state;         //  owned; NULL when it could not be read
} s_state_t;

static Baocao__DashAgency *
s_row_of(const Baocao__DashRequest *state, const char *code)
{
    if (!state || !code || !*code) {
        return NULL;
    }
    for (size_t i = 0; i < state->n_agencies; i++) {
        const Baocao__DashAgency *row = state->agencies[i];
        if (row->status && row->status->agency && row->status->agency->code
            && strcmp(row->status->agency->code, code) == 0) {
            return state->agencies[i];
        }
    }
    return NULL;
}

//  Turns a batch of events into updates: the store is read once per
//  request the batch concerns, after all of its events were committed (the
//  broker publishes after its commit), so each update carries a state at
//  least as new as its event.
static size_t
s_publish(bc_feed_t *self, s_item_t *items, size_t n)
{
    s_state_t states[BC_FEED_BATCH];
    size_t n_states = 0;
    int64_t now_ms = bc_clock_now_ms();
    for (size_t i = 0; i < n; i++) {
        if (!*items[i].key) {
            continue;
        }
        size_t j = 0;
        while (j < n_states && strcmp(states[j].key, items[i].key) != 0) {
            j++;
        }
        if (j < n_states) {
            continue;
        }
        snprintf(states[j].key, sizeof states[j].key, "%s", items[i].key);
        states[j].state = NULL;
        bc_err rc = bc_view_request(self->view, items[i].key, now_ms, 0, &states[j].state,
                                    NULL, 0);
        if (rc != BC_OK) {
            bc_log_debug("cannot read %s for the feed: %s", items[i].key, bc_strerror(rc));
        }
        n_states++;
    }
    for (size_t i = 0; i < n; i++) {
        Baocao__Event *ev = items[i].event;
        const Baocao__DashRequest *state = NULL;
        for (size_t j = 0; j < n_states; j++) {
            if (strcmp(states[j].key, items[i].key) == 0) {
                state = states[j].state;
            }
        }
        Baocao__DashUpdate upd = BAOCAO__DASH_UPDATE__INIT;
        upd.kind = ev->kind;
        upd.request_key = items[i].key;
        upd.event = ev;
        if (state) {
            upd.request = state->entry;
            upd.agency = s_row_of(state, ev->agency_code);
        }
        bc_feed_push(self, &upd);
    }
    for (size_t j = 0; j < n_states; j++) {
        if (states[j].state) {
            baocao__dash_request__free_unpacked(states[j].state, NULL);
        }
    }
    return n;
}

//  Reads one message of the feed: frame 1 the topic, frame 2 the packed
//  Event. Returns 1 with *item filled, 0 for nothing more to read, -1 for a
//  message that is not an Event (counted, dropped).
static int
s_read_one(bc_feed_t *self, s_item_t *item)
{
    zmq_msg_t frames[2];
    zmq_msg_init(&frames[0]);
    zmq_msg_init(&frames[1]);
    int n = 0, more = 1, rc = 1;
    while (more) {
        zmq_msg_t msg;
        zmq_msg_init(&msg);
        if (zmq_msg_recv(&msg, self->sub, n == 0 ? ZMQ_DONTWAIT : 0) < 0) {
            zmq_msg_close(&msg);
            zmq_msg_close(&frames[0]);
            zmq_msg_close(&frames[1]);
            return n == 0 ? 0 : -1;
        }
        more = zmq_msg_more(&msg);
        if (n < 2) {
            zmq_msg_move(&frames[n], &msg);
        }
        else {
            rc = -1;                    //  more frames than an event has
        }
        zmq_msg_close(&msg);
        n++;
    }
    Baocao__Event *ev = NULL;
    if (rc == 1 && n == 2) {
        ev = baocao__event__unpack(NULL, zmq_msg_size(&frames[1]), zmq_msg_data(&frames[1]));
    }
    zmq_msg_close(&frames[0]);
    zmq_msg_close(&frames[1]);
    if (!ev || !ev->kind || !*ev->kind || strlen(ev->kind) > S_KIND_MAX) {
        if (ev) {
            baocao__event__free_unpacked(ev, NULL);
        }
        return -1;
    }
    item->event = ev;
    item->key[0] = '\0';
    bc_reqkey_t key;
    if (ev->ref && bc_reqkey_from_ref(ev->ref, &key) == BC_OK) {
        bc_reqkey_format(&key, item->key, sizeof item->key);
    }
    return 1;
}

static size_t
s_drain(bc_feed_t *self)
{
    s_item_t items[BC_FEED_BATCH];
    size_t n = 0;
    uint64_t invalid = 0;
    while (n < BC_FEED_BATCH) {
        int rc = s_read_one(self, &items[n]);
        if (rc == 0) {
            break;
        }
        if (rc < 0) {
            invalid++;
            continue;
        }
        n++;
    }
    pthread_mutex_lock(&self->lock);
    self->stats.invalid += invalid;
    for (size_t i = 0; i < n; i++) {
        self->stats.received[s_kind_of(items[i].event->kind)]++;
    }
    pthread_mutex_unlock(&self->lock);
    if (invalid) {
        bc_log_warn("dropped %" PRIu64 " messages of the event feed that are not events",
                    invalid);
    }
    size_t added = n ? s_publish(self, items, n) : 0;
    for (size_t i = 0; i < n; i++) {
        baocao__event__free_unpacked(items[i].event, NULL);
    }
    return added;
}

static int
s_presence_order(const void *a, const void *b)
{
    return strcmp(((const bc_view_presence_t *) a)->code, ((const bc_view_presence_t *) b)->code);
}

//  Reads every agent's presence and appends an update for each that came
//  online or went offline since the last read. The first read is the
//  baseline: pages show presence from their snapshot.
static size_t
s_presence(bc_feed_t *self)
{
    bc_view_presence_t *items = NULL;
    size_t n = 0;
    if (bc_view_presence(self->view, &items, &n) != BC_OK) {
        return 0;                       //  no store yet: try at the next poll
    }
    if (n > 1) {
        qsort(items, n, sizeof *items, s_presence_order);
    }
    size_t added = 0;
    for (size_t i = 0; self->presence_known && i < n; i++) {
        const bc_view_presence_t *was =
            self->n_presence ? bsearch(&items[i], self->presence, self->n_presence,
                                       sizeof *self->presence, s_presence_order)
                             : NULL;
        if (was ? was->online == items[i].online : !items[i].online) {
            continue;
        }
        Baocao__Presence p = BAOCAO__PRESENCE__INIT;
        Baocao__Timestamp seen = BAOCAO__TIMESTAMP__INIT;
        p.agency_code = items[i].code;
        p.online = items[i].online;
        if (items[i].last_seen_ms) {
            seen.unix_ms = items[i].last_seen_ms;
            p.last_seen = &seen;
        }
        Baocao__DashUpdate upd = BAOCAO__DASH_UPDATE__INIT;
        upd.kind = "presence";
        upd.presence = &p;
        bc_feed_push(self, &upd);
        added++;
    }
    free(self->presence);
    self->presence = items;
    self->n_presence = n;
    self->presence_known = 1;
    if (added) {
        pthread_mutex_lock(&self->lock);
        self->stats.presence_changes += added;
        pthread_mutex_unlock(&self->lock);
    }
    return added;
}

//  Handles the SUB socket's own events (connection up, lost, refused).
//  Returns the updates appended (a resync on every successful handshake:
//  whatever was published while we were not subscribed is lost).
static size_t
s_monitor(bc_feed_t *self)
{
    size_t added = 0;
    while (1) {
        zmq_msg_t head, addr;
        zmq_msg_init(&head);
        if (zmq_msg_recv(&head, self->monitor, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&head);
            return added;
        }
        uint16_t event = 0;
        uint32_t value = 0;
        if (zmq_msg_size(&head) >= 6) {
            memcpy(&event, zmq_msg_data(&head), 2);
            memcpy(&value, (uint8_t *) zmq_msg_data(&head) + 2, 4);
        }
        int more = zmq_msg_more(&head);
        zmq_msg_close(&head);
        if (more) {
            zmq_msg_init(&addr);
            zmq_msg_recv(&addr, self->monitor, 0);
            zmq_msg_close(&addr);
        }
        if (event == ZMQ_EVENT_HANDSHAKE_SUCCEEDED) {
            pthread_mutex_lock(&self->lock);
            self->stats.connected = 1;
            self->stats.resyncs++;
            pthread_mutex_unlock(&self->lock);
            bc_log_info("subscribed to the event feed %s", self->endpoint);
            Baocao__DashUpdate upd = BAOCAO__DASH_UPDATE__INIT;
            upd.kind = "feed.resync";
            bc_feed_push(self, &upd);
            added++;
        }
        else if (event == ZMQ_EVENT_DISCONNECTED) {
            pthread_mutex_lock(&self->lock);
            int was = self->stats.connected;
            self->stats.connected = 0;
            pthread_mutex_unlock(&self->lock);
            if (was && !atomic_load(&self->stop)) {
                bc_log_warn("lost the event feed %s; reconnecting", self->endpoint);
            }
        }
        else if (event & (ZMQ_EVENT_HANDSHAKE_FAILED_AUTH | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
                          | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL)) {
            pthread_mutex_lock(&self->lock);
            uint64_t failures = ++self->stats.handshake_failures;
            pthread_mutex_unlock(&self->lock);
            if (failures % S_LOG_EVERY == 1) {
                bc_log_warn("BC-DASH-FEED refused by the event feed %s (%" PRIu64 " times): "
                            "is the key a coordinator's or operator's, and the broker key "
                            "right?", self->endpoint, failures);
            }
        }
    }
}

static void *
s_run(void *arg)
{
    bc_feed_t *self = arg;
    int64_t next_tick = bc_clock_mono_ms() + BC_FEED_TICK_MS;
    self->next_presence_ms = bc_clock_mono_ms();
    while (!atomic_load(&self->stop)) {
        zmq_pollitem_t items[2];
        int n = 0;
        if (self->sub) {
            items[n++] = (zmq_pollitem_t) { self->sub, 0, ZMQ_POLLIN, 0 };
            items[n++] = (zmq_pollitem_t) { self->monitor, 0, ZMQ_POLLIN, 0 };
        }
        int64_t now = bc_clock_mono_ms();
        long wait = (long) (next_tick > now ? next_tick - now : 0);
        //  With no socket this is a plain sleep (zmq_poll of no items).
        if (zmq_poll(items, n, wait) < 0 && zmq_errno() == ETERM) {
            break;
        }
        size_t added = 0;
        if (n && (items[1].revents & ZMQ_POLLIN)) {
            added += s_monitor(self);
        }
        if (n && (items[0].revents & ZMQ_POLLIN)) {
            added += s_drain(self);
        }
        now = bc_clock_mono_ms();
        if (self->presence_poll_ms > 0 && now >= self->next_presence_ms) {
            added += s_presence(self);
            self->next_presence_ms = now + self->presence_poll_ms;
        }
        int tick = now >= next_tick;
        if (tick) {
            next_tick = now + BC_FEED_TICK_MS;
        }
        if (self->notify && (added || tick)) {
            self->notify(self->notify_arg, added);
        }
    }
    return NULL;
}
