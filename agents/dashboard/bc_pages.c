//  bc_pages - HTML pages of the dashboard, server-rendered, self-contained
#include "bc_pages.h"
#include "bc_assets.h"
#include "bc_chart.h"
#include "bc_clock.h"
#include "bc_export.h"

#include <assert.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define S_TIME_MAX      64              //  a formatted time, with room to spare
#define S_TL_WIDTH      640.0           //  timeline chart: width in SVG units
#define S_TL_HEIGHT     260.0           //  ... height
#define S_TL_LEFT       44.0            //  ... room for the count axis
#define S_TL_RIGHT      16.0
#define S_TL_TOP        28.0
#define S_TL_BOTTOM     40.0            //  ... room for the time labels
#define S_TL_MIN_SPAN   (2 * 60 * 1000)     //  ... shortest time axis, ms

//  --------------------------------------------------------------------------
//  Small helpers

void
bc_pages_escape(bc_buf_t *out, const char *text)
{
    if (!text) {
        return;
    }
    const char *run = text;
    for (const char *p = text; *p; p++) {
        const char *entity = NULL;
        switch (*p) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&#39;"; break;
        default: break;
        }
        if (entity) {
            bc_buf_append(out, run, (size_t) (p - run));
            bc_buf_puts(out, entity);
            run = p + 1;
        }
    }
    bc_buf_puts(out, run);
}

void
bc_pages_url_escape(bc_buf_t *out, const char *text)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *) (text ? text : ""); *p; p++) {
        int plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
                    || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_'
                    || *p == '~';
        if (plain) {
            bc_buf_append(out, p, 1);
        }
        else {
            char enc[3] = { '%', hex[*p >> 4], hex[*p & 15] };
            bc_buf_append(out, enc, 3);
        }
    }
}

void
bc_pages_time(int64_t ms, char *buf, size_t size)
{
    if (ms == 0) {
        snprintf(buf, size, "%s", "");
        return;
    }
    //  The province keeps UTC+07:00 all year: shift and read the fields as UTC.
    time_t t = (time_t) ((ms + BC_CLOCK_TZ_OFFSET_MS) / 1000);
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        snprintf(buf, size, "%s", "");
        return;
    }
    snprintf(buf, size, "%02d:%02d %02d/%02d/%04d", tm.tm_hour, tm.tm_min, tm.tm_mday,
             tm.tm_mon + 1, tm.tm_year + 1900);
}

void
bc_pages_due(int64_t deadline_ms, int64_t now_ms, char *buf, size_t size)
{
    int64_t d = deadline_ms - now_ms;
    int past = d < 0;
    if (past) {
        d = -d;
    }
    long long mins = (long long) (d / 60000), days = mins / 1440, hours = mins % 1440 / 60;
    char span[96];
    if (days) {
        if (hours) {
            snprintf(span, sizeof span, "%lld ngày %lld giờ", days, hours);
        }
        else {
            snprintf(span, sizeof span, "%lld ngày", days);
        }
    }
    else if (hours) {
        if (mins % 60) {
            snprintf(span, sizeof span, "%lld giờ %lld phút", hours, mins % 60);
        }
        else {
            snprintf(span, sizeof span, "%lld giờ", hours);
        }
    }
    else {
        snprintf(span, sizeof span, "%lld phút", mins > 1 ? mins : 1);
    }
    snprintf(buf, size, "%s %s", past ? "quá hạn" : "còn", span);
}

void
bc_pages_script_hash(char *out, size_t size)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, bc_assets_js, bc_assets_js_size);
    char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES,
                                       sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof b64, digest, sizeof digest, sodium_base64_VARIANT_ORIGINAL);
    snprintf(out, size, "'sha256-%s'", b64);
}

static int64_t
s_ms(const Baocao__Timestamp *ts)
{
    return ts ? ts->unix_ms : 0;
}

//  A class name from a status or enum name: lowercase letters, digits, '_'.
static void
s_class(bc_buf_t *out, const char *name)
{
    for (const char *p = name ? name : ""; *p; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z') {
            c = (char) (c - 'A' + 'a');
        }
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
            bc_buf_append(out, &c, 1);
        }
    }
}

static const char *
s_timeliness_name(Baocao__Timeliness t)
{
    const ProtobufCEnumValue *v =
        protobuf_c_enum_descriptor_get_value(&baocao__timeliness__descriptor, (int) t);
    return v && t != BAOCAO__TIMELINESS__TIMELINESS_UNSPECIFIED ? v->name : "";
}

//  --------------------------------------------------------------------------
//  Page frame

static void
s_head(bc_buf_t *out, const char *title, const char *page, const char *key,
       const bc_pages_opts_t *opts, int with_script)
{
    bc_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"vi\"");
    if (opts->display) {
        bc_buf_printf(out, " class=\"%s%s%s\"", opts->display & BC_PAGES_LARGE ? "large" : "",
                      opts->display == (BC_PAGES_LARGE | BC_PAGES_CONTRAST) ? " " : "",
                      opts->display & BC_PAGES_CONTRAST ? "contrast" : "");
    }
    bc_buf_puts(out, ">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
    bc_pages_escape(out, title);
    bc_buf_puts(out, "</title>\n<link rel=\"icon\" href=\"data:,\">\n<style>\n");
    bc_buf_append(out, bc_assets_css, bc_assets_css_size);
    bc_buf_puts(out, "</style>\n</head>\n<body data-page=\"");
    bc_pages_escape(out, page);
    bc_buf_puts(out, "\"");
    if (key) {
        bc_buf_puts(out, " data-key=\"");
        bc_pages_escape(out, key);
        bc_buf_puts(out, "\"");
    }
    if (opts->display) {
        bc_buf_puts(out, " data-display-fixed=\"\"");
    }
    bc_buf_puts(out, ">\n<header class=\"top\">\n"
                     "<a class=\"home\" href=\"/\">Theo dõi báo cáo</a>\n");
    if (with_script) {
        bc_buf_printf(out, "<span class=\"live\" id=\"live\" data-state=\"%s\">%s</span>\n",
                      opts->live ? "connecting" : "down",
                      opts->live ? "Đang kết nối…" : "Chưa có luồng sự kiện");
        bc_buf_puts(out, "<div class=\"tools\">"
                         "<button type=\"button\" id=\"btn-large\" aria-pressed=\"false\" "
                         "title=\"Phóng to chữ (máy chiếu)\">Chữ lớn</button>"
                         "<button type=\"button\" id=\"btn-contrast\" aria-pressed=\"false\" "
                         "title=\"Nền đen chữ trắng\">Tương phản cao</button></div>\n");
    }
    bc_buf_puts(out, "</header>\n<main>\n");
}

static void
s_foot(bc_buf_t *out, const char *api, const bc_pages_opts_t *opts, int with_script)
{
    char when[S_TIME_MAX];
    bc_pages_time(opts->now_ms, when, sizeof when);
    bc_buf_puts(out, "</main>\n<footer><p>Số liệu lúc ");
    bc_pages_escape(out, when);
    bc_buf_puts(out, " (giờ Việt Nam)");
    if (api) {
        bc_buf_puts(out, " · <a href=\"");
        bc_pages_escape(out, api);
        bc_buf_puts(out, "\">Dữ liệu JSON</a>");
    }
    bc_buf_puts(out, " · <a href=\"/metrics\">Chỉ số vận hành</a></p></footer>\n");
    if (with_script) {
        bc_buf_puts(out, "<script>");
        bc_buf_append(out, bc_assets_js, bc_assets_js_size);
        bc_buf_puts(out, "</script>\n");
    }
    bc_buf_puts(out, "</body>\n</html>\n");
}

//  The completeness figures and bar of one request.
static void
s_counts(bc_buf_t *out, const Baocao__RequestListEntry *e)
{
    uint32_t addressed = e->addressed, reported = e->reported, late = e->late;
    uint32_t overdue = e->overdue;
    uint32_t on_time = reported > late ? reported - late : 0;
    uint32_t missing = addressed > reported + overdue ? addressed - reported - overdue : 0;
    double base = addressed ? 100.0 / addressed : 0;
    bc_buf_printf(out,
                  "<div class=\"counts\">\n<div class=\"big\"><span class=\"c-reported\">%u</span>/"
                  "<span class=\"c-addressed\">%u</span> <small>cơ quan đã báo cáo</small></div>\n",
                  reported, addressed);
    bc_buf_printf(out,
                  "<div class=\"bar\" role=\"img\" aria-label=\"%u/%u đã báo cáo: %u đúng hạn, "
                  "%u trễ hạn, %u chưa báo cáo, %u quá hạn\">"
                  "<span class=\"seg ok\" style=\"width:%.2f%%\"></span>"
                  "<span class=\"seg late\" style=\"width:%.2f%%\"></span>"
                  "<span class=\"seg overdue\" style=\"width:%.2f%%\"></span></div>\n",
                  reported, addressed, on_time, late, missing, overdue, on_time * base,
                  late * base, overdue * base);
    bc_buf_printf(out,
                  "<ul class=\"legend\"><li><i class=\"sw ok\"></i>Đúng hạn <b class=\"c-ontime\">%u</b></li>"
                  "<li><i class=\"sw late\"></i>Trễ hạn <b class=\"c-late\">%u</b></li>"
                  "<li><i class=\"sw miss\"></i>Chưa báo cáo <b class=\"c-missing\">%u</b></li>"
                  "<li><i class=\"sw overdue\"></i>Quá hạn <b class=\"c-overdue\">%u</b></li></ul>\n"
                  "</div>\n",
                  on_time, late, missing, overdue);
}

//  --------------------------------------------------------------------------
//  The requests page

static void
s_card(bc_buf_t *out, const Baocao__RequestListEntry *e, const bc_pages_opts_t *opts)
{
    int64_t deadline = s_ms(e->deadline);
    int passed = deadline && deadline <= opts->now_ms;
    bc_buf_printf(out, "<article class=\"req %s\" data-key=\"", passed ? "passed" : "open");
    bc_pages_escape(out, e->key);
    bc_buf_puts(out, "\">\n<a class=\"title\" href=\"/r/");
    bc_buf_t url;
    bc_buf_init(&url);
    bc_pages_url_escape(&url, e->key);
    bc_pages_escape(out, url.data);
    bc_buf_release(&url);
    bc_buf_puts(out, "\"><span class=\"cit\">");
    if (e->document_type && *e->document_type) {
        bc_pages_escape(out, e->document_type);
        bc_buf_puts(out, " ");
    }
    bc_pages_escape(out, e->citation && *e->citation ? e->citation : e->key);
    bc_buf_puts(out, "</span><span class=\"subj\">");
    bc_pages_escape(out, e->subject);
    bc_buf_puts(out, "</span></a>\n<p class=\"meta\"><span class=\"issuer\">");
    bc_pages_escape(out, e->issuer ? e->issuer->name : "");
    bc_buf_puts(out, "</span> · Hạn: <span class=\"dl\">");
    if (deadline) {
        char when[S_TIME_MAX], due[128];
        bc_pages_time(deadline, when, sizeof when);
        bc_pages_due(deadline, opts->now_ms, due, sizeof due);
        bc_pages_escape(out, when);
        bc_buf_printf(out, "</span> (<span class=\"due%s\" data-deadline=\"%" PRId64 "\">",
                      passed ? " past" : "", deadline);
        bc_pages_escape(out, due);
        bc_buf_puts(out, "</span>)");
    }
    else {
        bc_buf_puts(out, "không có</span>");
    }
    bc_buf_puts(out, "</p>\n");
    s_counts(out, e);
    bc_buf_puts(out, "</article>\n");
}

char *
bc_pages_list(const Baocao__DashRequestList *list, const bc_pages_opts_t *opts)
{
    assert(list);
    assert(opts);
    bc_buf_t out;
    bc_buf_init(&out);
    s_head(&out, "Tình hình báo cáo — Theo dõi báo cáo", "list", NULL, opts, 1);
    bc_buf_printf(&out, "<h1>Tình hình báo cáo</h1>\n<p class=\"sub\"><span id=\"n-requests\">%zu</span> yêu cầu báo cáo. "
                        "Trang tự cập nhật khi các cơ quan gửi báo cáo.</p>\n",
                  list->n_requests);
    bc_buf_puts(&out, "<div class=\"reqs\" id=\"reqs\">\n");
    for (size_t i = 0; i < list->n_requests; i++) {
        s_card(&out, list->requests[i], opts);
    }
    bc_buf_puts(&out, "</div>\n");
    bc_buf_printf(&out, "<p class=\"empty\" id=\"no-requests\"%s>Chưa có yêu cầu báo cáo nào.</p>\n",
                  list->n_requests ? " hidden" : "");
    //  The shape of a card for a request issued while the page is open.
    Baocao__RequestListEntry blank = BAOCAO__REQUEST_LIST_ENTRY__INIT;
    blank.key = "";
    bc_buf_puts(&out, "<template id=\"req-template\">");
    bc_buf_t card;
    bc_buf_init(&card);
    s_card(&card, &blank, opts);
    bc_buf_puts(&out, card.data);
    bc_buf_release(&card);
    bc_buf_puts(&out, "</template>\n");
    s_foot(&out, "/api/requests", opts, 1);
    return bc_buf_take(&out);
}

//  --------------------------------------------------------------------------
//  One request's page

static void
s_agency_row(bc_buf_t *out, size_t n, const Baocao__DashAgency *a)
{
    const Baocao__AgencyStatus *st = a->status;
    const char *code = st && st->agency && st->agency->code ? st->agency->code : "";
    const char *name = st && st->agency && st->agency->name ? st->agency->name : "";
    const char *status = st && st->status && *st->status ? st->status : "PENDING";
    bc_buf_puts(out, "<tr id=\"a-");
    bc_pages_escape(out, code);
    bc_buf_puts(out, "\" class=\"row s-");
    s_class(out, status);
    const char *tl = st ? s_timeliness_name(st->timeliness) : "";
    if (*tl) {
        bc_buf_puts(out, " t-");
        s_class(out, tl);
    }
    bc_buf_puts(out, "\" data-status=\"");
    bc_pages_escape(out, status);
    bc_buf_printf(out, "\" data-rev=\"%u\">\n<td class=\"n\">%zu</td>\n", st ? st->revision : 0, n);
    bc_buf_puts(out, "<td class=\"agency\"><span class=\"name\">");
    bc_pages_escape(out, *name ? name : code);
    bc_buf_puts(out, "</span><span class=\"code\">");
    bc_pages_escape(out, code);
    bc_buf_puts(out, "</span></td>\n<td class=\"status\" data-label=\"Trạng thái\">"
                     "<span class=\"badge\">");
    bc_pages_escape(out, a->status_label);
    bc_buf_puts(out, "</span><span class=\"rev\">");
    if (st && st->revision > 1) {
        bc_buf_printf(out, "lần %u", st->revision);
    }
    char when[S_TIME_MAX];
    bc_pages_time(st ? s_ms(st->status_at) : 0, when, sizeof when);
    bc_buf_puts(out, "</span></td>\n<td class=\"at\" data-label=\"Cập nhật\">");
    bc_pages_escape(out, when);
    bc_buf_puts(out, "</td>\n<td class=\"timeliness\" data-label=\"Thời hạn\">");
    bc_pages_escape(out, a->timeliness_label);
    const Baocao__Presence *p = a->presence;
    bc_buf_printf(out, "</td>\n<td class=\"presence%s\" data-label=\"Máy trạm\">"
                       "<span class=\"dot\"></span><span class=\"ptext\">",
                  p && p->online ? " on" : "");
    if (p && p->online) {
        bc_buf_puts(out, "Trực tuyến");
    }
    else if (p && s_ms(p->last_seen)) {
        bc_pages_time(s_ms(p->last_seen), when, sizeof when);
        bc_buf_puts(out, "Lần cuối ");
        bc_pages_escape(out, when);
    }
    else {
        bc_buf_puts(out, "Chưa kết nối");
    }
    bc_buf_puts(out, "</span></td>\n</tr>\n");
}

//  The cumulative count of first reports against time, with the deadline:
//  who answered when, at a glance. Drawn here (bc_chart has no time axis).
static void
s_timeline_svg(bc_buf_t *out, const Baocao__DashRequest *req, int64_t now_ms)
{
    //  From the issue to now (or the last arrival); the deadline joins the
    //  axis when it is past or near, else it is named at the right edge, so
    //  that a deadline weeks ahead does not squeeze every arrival into a line.
    const Baocao__RequestListEntry *e = req->entry;
    int64_t deadline = s_ms(e->deadline);
    int64_t t0 = s_ms(e->issued_at), t1 = now_ms;
    for (size_t i = 0; i < req->n_timeline; i++) {
        int64_t at = s_ms(req->timeline[i]->at);
        if (!t0 || at < t0) {
            t0 = at;
        }
        if (at > t1) {
            t1 = at;
        }
    }
    if (!t0 || t0 > t1) {
        t0 = t1;
    }
    if (t1 - t0 < S_TL_MIN_SPAN) {
        t1 = t0 + S_TL_MIN_SPAN;
    }
    int deadline_on_axis = deadline && deadline >= t0 && deadline <= t1 + (t1 - t0) / 4;
    if (deadline_on_axis && deadline > t1) {
        t1 = deadline;
    }
    double w = S_TL_WIDTH - S_TL_LEFT - S_TL_RIGHT, h = S_TL_HEIGHT - S_TL_TOP - S_TL_BOTTOM;
    double span = (double) (t1 - t0);
    double top = e->addressed ? e->addressed : 1;
#define S_X(t) (S_TL_LEFT + w * (double) ((t) - t0) / span)
#define S_Y(n) (S_TL_TOP + h - h * (double) (n) / top)
    bc_buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
                       "width=\"%.0f\" height=\"%.0f\" role=\"img\" font-size=\"14\" "
                       "font-family=\"DejaVu Sans, Liberation Sans, Arial, sans-serif\">\n"
                       "<title>Số cơ quan đã báo cáo theo thời gian</title>\n",
                  S_TL_WIDTH, S_TL_HEIGHT, S_TL_WIDTH, S_TL_HEIGHT);
    bc_buf_printf(out, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>\n",
                  S_TL_WIDTH, S_TL_HEIGHT);
    //  Axes, the line of "everyone answered", and the count labels.
    bc_buf_printf(out, "<g stroke=\"#9aa5b1\" stroke-width=\"1\">"
                       "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                       "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/></g>\n",
                  S_TL_LEFT, S_Y(0), S_TL_LEFT + w, S_Y(0), S_TL_LEFT, S_Y(0), S_TL_LEFT,
                  S_TL_TOP);
    bc_buf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1e8e3e\" "
                       "stroke-dasharray=\"2 3\"/>\n"
                       "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#17202a\">%u</text>\n"
                       "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#17202a\">0</text>\n",
                  S_TL_LEFT, S_Y(top), S_TL_LEFT + w, S_Y(top), S_TL_LEFT - 6, S_Y(top) + 4,
                  e->addressed, S_TL_LEFT - 6, S_Y(0) + 4);
    if (deadline_on_axis) {
        double x = S_X(deadline);
        char when[S_TIME_MAX], hhmm[8];
        bc_pages_time(deadline, when, sizeof when);
        snprintf(hhmm, sizeof hhmm, "%.5s", when);
        const char *anchor = x > S_TL_WIDTH - 130 ? "end" : x < S_TL_LEFT + 70 ? "start" : "middle";
        bc_buf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c5221f\" "
                           "stroke-width=\"1.5\" stroke-dasharray=\"5 4\"/>\n"
                           "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" fill=\"#c5221f\" "
                           "font-weight=\"bold\">Hạn báo cáo %s</text>\n",
                      x, S_Y(0), x, S_TL_TOP - 4, x, S_TL_TOP - 10, anchor, hhmm);
    }
    else if (deadline) {
        char when[S_TIME_MAX];
        bc_pages_time(deadline, when, sizeof when);
        bc_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#c5221f\" "
                           "font-weight=\"bold\">Hạn báo cáo: ",
                      S_TL_LEFT + w, S_TL_TOP - 10);
        bc_pages_escape(out, when);
        bc_buf_puts(out, deadline > t1 ? " →</text>\n" : "</text>\n");
    }
    //  The step line of first reports, and a dot for every report.
    bc_buf_printf(out, "<path fill=\"none\" stroke=\"#0b5cab\" stroke-width=\"2\" d=\"M%.1f %.1f",
                  S_X(t0), S_Y(0));
    uint32_t count = 0;
    for (size_t i = 0; i < req->n_timeline; i++) {
        const Baocao__DashArrival *a = req->timeline[i];
        if (a->revision != 1) {
            continue;
        }
        int64_t at = s_ms(a->at);
        bc_buf_printf(out, " H%.1f V%.1f", S_X(at), S_Y(count + 1));
        count++;
    }
    //  The line stops at now: what lies ahead is not known yet.
    int64_t end = now_ms < t1 ? now_ms : t1;
    bc_buf_printf(out, " H%.1f\"/>\n", S_X(end > t0 ? end : t0));
    count = 0;
    for (size_t i = 0; i < req->n_timeline; i++) {
        const Baocao__DashArrival *a = req->timeline[i];
        int64_t at = s_ms(a->at);
        if (a->revision == 1) {
            count++;
        }
        char when[S_TIME_MAX];
        bc_pages_time(at, when, sizeof when);
        bc_buf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\" stroke=\"#fff\">"
                           "<title>",
                      S_X(at), S_Y(count), a->revision == 1 ? "4.5" : "3",
                      a->late ? "#e37400" : "#1e8e3e");
        bc_pages_escape(out, a->agency ? a->agency->name : "");
        bc_buf_puts(out, " — ");
        bc_pages_escape(out, when);
        bc_buf_puts(out, "</title></circle>\n");
    }
    char from[S_TIME_MAX], to[S_TIME_MAX];
    bc_pages_time(t0, from, sizeof from);
    bc_pages_time(t1, to, sizeof to);
    bc_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#5b6670\">", S_TL_LEFT,
                  S_TL_HEIGHT - 12);
    bc_pages_escape(out, from);
    bc_buf_printf(out, "</text>\n<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#5b6670\">",
                  S_TL_LEFT + w, S_TL_HEIGHT - 12);
    bc_pages_escape(out, to);
    bc_buf_puts(out, "</text>\n</svg>\n");
#undef S_X
#undef S_Y
}

static void
s_timeline(bc_buf_t *out, const Baocao__DashRequest *req, int64_t now_ms)
{
    bc_buf_puts(out, "<section id=\"timeline\">\n<h2>Dòng thời gian nhận báo cáo</h2>\n"
                     "<div class=\"charts\">\n");
    if (req->summary) {
        bc_chart_t *chart = bc_chart_completeness(req->summary);
        bc_buf_puts(out, "<div class=\"chart donut\">\n");
        bc_chart_svg(chart, out);
        bc_buf_puts(out, "</div>\n");
        bc_chart_destroy(&chart);
    }
    bc_buf_puts(out, "<div class=\"tchart\">\n");
    s_timeline_svg(out, req, now_ms);
    bc_buf_puts(out, "</div>\n</div>\n<ol class=\"timeline\" id=\"arrivals\">\n");
    for (size_t i = 0; i < req->n_timeline; i++) {
        const Baocao__DashArrival *a = req->timeline[i];
        const char *code = a->agency && a->agency->code ? a->agency->code : "";
        const char *name = a->agency && a->agency->name && *a->agency->name ? a->agency->name
                                                                            : code;
        char when[S_TIME_MAX];
        bc_pages_time(s_ms(a->at), when, sizeof when);
        bc_buf_printf(out, "<li class=\"%s\" data-id=\"", a->late ? "late" : "ok");
        bc_pages_escape(out, code);
        bc_buf_printf(out, "#%u\" data-at=\"%" PRId64 "\"><time>", a->revision, s_ms(a->at));
        bc_pages_escape(out, when);
        bc_buf_puts(out, "</time><span class=\"who\">");
        bc_pages_escape(out, name);
        bc_buf_puts(out, "</span><span class=\"what\">");
        if (a->revision > 1) {
            bc_buf_printf(out, "bản sửa đổi lần %u", a->revision);
        }
        else {
            bc_buf_puts(out, "báo cáo lần đầu");
        }
        bc_buf_printf(out, " · %s</span></li>\n", a->late ? "trễ hạn" : "đúng hạn");
    }
    bc_buf_printf(out, "</ol>\n<p class=\"empty\" id=\"no-arrivals\"%s>Chưa có báo cáo nào.</p>\n"
                       "</section>\n",
                  req->n_timeline ? " hidden" : "");
}

static void
s_paragraphs(bc_buf_t *out, const char *body)
{
    const char *p = body ? body : "";
    while (*p) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t) (end - p) : strlen(p);
        if (len) {
            char *line = bc_strndup(p, len);
            bc_buf_puts(out, "<p>");
            bc_pages_escape(out, line);
            bc_buf_puts(out, "</p>\n");
            free(line);
        }
        p += len;
        if (*p == '\n') {
            p++;
        }
    }
}

//  Sections nest (1., a), -): bounded so that a hostile document cannot
//  make the page recurse without end.
#define S_SECTION_DEPTH 8

static void
s_section(bc_buf_t *out, const Baocao__Section *s, int depth)
{
    if (depth > S_SECTION_DEPTH) {
        return;
    }
    if (depth > 0) {
        char *label = bc_export_section_label(s);
        bc_buf_puts(out, "<div class=\"child\"><p><b>");
        bc_pages_escape(out, label);
        bc_buf_puts(out, "</b></p>\n");
        free(label);
    }
    s_paragraphs(out, s->body);
    for (size_t i = 0; i < s->n_children; i++) {
        s_section(out, s->children[i], depth + 1);
    }
    if (depth > 0) {
        bc_buf_puts(out, "</div>\n");
    }
}

static void
s_summary_items(bc_buf_t *out, const Baocao__Summary *summary)
{
    bc_buf_puts(out, "<section id=\"summary\">\n<h2>Tổng hợp nội dung theo đề cương</h2>\n"
                     "<p id=\"stale\" class=\"stale\" hidden>Có báo cáo mới. "
                     "<a href=\"\">Tải lại trang</a> để cập nhật phần tổng hợp và biểu đồ.</p>\n");
    if (summary->n_items == 0) {
        bc_buf_puts(out, "<p class=\"empty\">Yêu cầu không có đề cương.</p>\n");
    }
    for (size_t i = 0; i < summary->n_items; i++) {
        const Baocao__ItemSummary *item = summary->items[i];
        const Baocao__OutlineItem *o = item->item;
        bc_buf_puts(out, "<details>\n<summary>");
        if (o && o->number && *o->number) {
            bc_pages_escape(out, o->number);
            bc_buf_puts(out, ". ");
            bc_pages_escape(out, o->title);
        }
        else {
            bc_pages_escape(out, o && o->title && *o->title ? o->title : "Nội dung khác");
        }
        bc_buf_printf(out, "<span class=\"cnt\">(%zu ý kiến)</span></summary>\n",
                      item->n_contributions);
        for (size_t j = 0; j < item->n_contributions; j++) {
            const Baocao__Contribution *c = item->contributions[j];
            bc_buf_puts(out, "<div class=\"contrib\"><h4>");
            bc_pages_escape(out, c->agency ? c->agency->name : "");
            bc_buf_puts(out, "</h4>\n");
            if (c->section) {
                s_section(out, c->section, 0);
            }
            bc_buf_puts(out, "</div>\n");
        }
        if (item->n_silent) {
            bc_buf_puts(out, "<p class=\"silent\">Chưa đề cập: ");
            for (size_t j = 0; j < item->n_silent; j++) {
                bc_buf_puts(out, j ? ", " : "");
                bc_pages_escape(out, item->silent[j]->name);
            }
            bc_buf_puts(out, ".</p>\n");
        }
        if (item->n_contributions == 0 && item->n_silent == 0) {
            bc_buf_puts(out, "<p class=\"empty\">Chưa có cơ quan nào báo cáo.</p>\n");
        }
        bc_buf_puts(out, "</details>\n");
    }
    bc_buf_puts(out, "</section>\n");
}

static void
s_indicators(bc_buf_t *out, const Baocao__Summary *summary)
{
    if (summary->n_indicators == 0) {
        return;
    }
    bc_buf_puts(out, "<section id=\"indicators\">\n<h2>Chỉ tiêu</h2>\n<table class=\"totals\">\n"
                     "<thead><tr><th>Chỉ tiêu</th><th class=\"v\">Tổng hợp</th><th>Đơn vị</th>"
                     "<th class=\"v\">Số cơ quan</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < summary->n_indicators; i++) {
        const Baocao__IndicatorTotal *t = summary->indicators[i];
        const Baocao__IndicatorDef *d = t->indicator;
        char value[64];
        bc_export_number(t->total, value, sizeof value);
        bc_buf_puts(out, "<tr><td>");
        bc_pages_escape(out, d && d->name && *d->name ? d->name : d ? d->code : "");
        bc_buf_puts(out, "</td><td class=\"v\">");
        bc_pages_escape(out, t->count ? value : "-");
        bc_buf_puts(out, "</td><td>");
        bc_pages_escape(out, d ? d->unit : "");
        bc_buf_printf(out, "</td><td class=\"v\">%u</td></tr>\n", t->count);
    }
    bc_buf_puts(out, "</tbody>\n</table>\n");
    for (size_t i = 0; i < summary->n_indicators; i++) {
        bc_chart_t *chart = bc_chart_indicator(summary->indicators[i]);
        if (chart) {
            bc_buf_puts(out, "<div class=\"chart\">\n");
            bc_chart_svg(chart, out);
            bc_buf_puts(out, "</div>\n");
            bc_chart_destroy(&chart);
        }
    }
    bc_buf_puts(out, "</section>\n");
}

static void
s_legal(bc_buf_t *out, const Baocao__Summary *summary)
{
    if (summary->n_legal_refs == 0) {
        return;
    }
    bc_buf_puts(out, "<section id=\"legal\">\n<h2>Văn bản được viện dẫn</h2>\n<ul>\n");
    for (size_t i = 0; i < summary->n_legal_refs; i++) {
        const Baocao__CitedRef *c = summary->legal_refs[i];
        char *text = c->ref ? bc_export_ref_text(c->ref) : bc_strdup("");
        bc_buf_puts(out, "<li>");
        bc_pages_escape(out, text);
        free(text);
        bc_buf_puts(out, "<br><span class=\"silent\">Viện dẫn bởi: ");
        for (size_t j = 0; j < c->n_cited_by; j++) {
            bc_buf_puts(out, j ? ", " : "");
            bc_pages_escape(out, c->cited_by[j]->name);
        }
        bc_buf_puts(out, "</span></li>\n");
    }
    bc_buf_puts(out, "</ul>\n</section>\n");
}

char *
bc_pages_request(const Baocao__DashRequest *req, const bc_pages_opts_t *opts)
{
    assert(req);
    assert(req->entry);
    assert(opts);
    const Baocao__RequestListEntry *e = req->entry;
    const char *citation = e->citation && *e->citation ? e->citation : e->key;
    bc_buf_t out;
    bc_buf_init(&out);
    bc_buf_t title;
    bc_buf_init(&title);
    bc_buf_printf(&title, "%s — Theo dõi báo cáo", citation);
    s_head(&out, title.data, "request", e->key, opts, 1);
    bc_buf_release(&title);

    //  Head: what was asked, by whom, by when, and how far along.
    bc_buf_puts(&out, "<section id=\"head\" class=\"req-head\">\n<p class=\"kicker\">");
    if (e->document_type && *e->document_type) {
        bc_pages_escape(&out, e->document_type);
        bc_buf_puts(&out, " số ");
    }
    bc_pages_escape(&out, citation);
    if (e->issuer && e->issuer->name && *e->issuer->name) {
        bc_buf_puts(&out, " · ");
        bc_pages_escape(&out, e->issuer->name);
    }
    bc_buf_puts(&out, "</p>\n<h1>");
    bc_pages_escape(&out, e->subject && *e->subject ? e->subject : citation);
    bc_buf_puts(&out, "</h1>\n<p class=\"deadline\">Hạn báo cáo: ");
    int64_t deadline = s_ms(e->deadline);
    if (deadline) {
        char when[S_TIME_MAX], due[128];
        bc_pages_time(deadline, when, sizeof when);
        bc_pages_due(deadline, opts->now_ms, due, sizeof due);
        bc_buf_puts(&out, "<b>");
        bc_pages_escape(&out, when);
        bc_buf_printf(&out, "</b> · <span class=\"due%s\" data-deadline=\"%" PRId64 "\">",
                      deadline <= opts->now_ms ? " past" : "", deadline);
        bc_pages_escape(&out, due);
        bc_buf_puts(&out, "</span>");
    }
    else {
        bc_buf_puts(&out, "không có");
    }
    bc_buf_puts(&out, "</p>\n");
    s_counts(&out, e);
    bc_buf_puts(&out, "</section>\n");

    //  Every addressed agency.
    bc_buf_puts(&out, "<section id=\"agencies\">\n<h2>Tình hình báo cáo của các cơ quan</h2>\n"
                      "<table class=\"agencies\">\n<thead><tr><th>#</th><th>Cơ quan</th>"
                      "<th>Trạng thái</th><th>Cập nhật</th><th>Thời hạn</th><th>Máy trạm</th>"
                      "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < req->n_agencies; i++) {
        s_agency_row(&out, i + 1, req->agencies[i]);
    }
    bc_buf_puts(&out, "</tbody>\n</table>\n</section>\n");

    s_timeline(&out, req, opts->now_ms);
    if (req->summary) {
        s_summary_items(&out, req->summary);
        s_indicators(&out, req->summary);
        s_legal(&out, req->summary);
    }
    bc_buf_t api;
    bc_buf_init(&api);
    bc_buf_puts(&api, "/api/requests/");
    bc_pages_url_escape(&api, e->key);
    s_foot(&out, api.data, opts, 1);
    bc_buf_release(&api);
    return bc_buf_take(&out);
}

char *
bc_pages_error(int status, const char *title, const char *detail, const bc_pages_opts_t *opts)
{
    assert(opts);
    bc_buf_t out;
    bc_buf_init(&out);
    bc_buf_t head;
    bc_buf_init(&head);
    bc_buf_printf(&head, "%d — %s", status, title ? title : "");
    s_head(&out, head.data, "error", NULL, opts, 0);
    bc_buf_release(&head);
    bc_buf_puts(&out, "<section>\n<h1>");
    bc_pages_escape(&out, title);
    bc_buf_puts(&out, "</h1>\n");
    if (detail && *detail) {
        bc_buf_puts(&out, "<p>");
        bc_pages_escape(&out, detail);
        bc_buf_puts(&out, "</p>\n");
    }
    bc_buf_printf(&out, "<p class=\"note\">Mã lỗi HTTP %d. <a href=\"/\">Về trang tình hình báo cáo</a></p>\n"
                        "</section>\n",
                  status);
    s_foot(&out, NULL, opts, 0);
    return bc_buf_take(&out);
}
