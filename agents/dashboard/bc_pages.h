//  bc_pages - the dashboard's HTML: the requests page, one request's page, errors
//
//  Every page is one self-contained HTML5 document in Vietnamese: the
//  stylesheet and the script are inline (bc_assets), charts are inline SVG
//  drawn here or by bc_chart, and nothing is fetched from elsewhere, so the
//  Content-Security-Policy can forbid every other origin. Pages are complete
//  without the script (server-rendered); the script only keeps them live
//  (SSE, see bc_http.h) and remembers the reader's display choices. Element
//  ids and classes the script relies on: body data-page and data-key, the
//  agency rows "a-<code>" with cells .status .badge, .rev, .at, .timeliness,
//  .presence .ptext, the counts .c-reported ... and .bar .seg, #arrivals,
//  #stale, #reqs, #req-template, #live.
//  Times are shown in Asia/Ho_Chi_Minh as "14:05 26/11/2026". Pure
//  functions of their input: any thread.
#ifndef BC_PAGES_H_INCLUDED
#define BC_PAGES_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#include "baocao/dashboard.pb-c.h"
#include "bc_alloc.h"

#define BC_PAGES_LARGE      0x01        //  large type (projector, low vision)
#define BC_PAGES_CONTRAST   0x02        //  white on black

typedef struct {
    int display;                        //  BC_PAGES_* forced by the URL; 0 = the
                                        //  reader's own choice (kept by the script)
    int64_t now_ms;                     //  UTC ms, for "còn 2 ngày"
    int live;                           //  the event feed is connected
} bc_pages_opts_t;

//  The requests page: one card per request with its completeness bar.
//  Borrows list; returns a NUL-terminated string the caller frees.
char *bc_pages_list(const Baocao__DashRequestList *list, const bc_pages_opts_t *opts);

//  One request's page: the head with counts and the completeness chart, the
//  agencies table (status, time, on time or late, presence), the timeline
//  of arrivals (a chart and a list), the summary by outline item, the
//  indicator charts and the legal references cited (the last three only
//  when req->summary is set). Same ownership as bc_pages_list.
char *bc_pages_request(const Baocao__DashRequest *req, const bc_pages_opts_t *opts);

//  A page for an HTTP error: title and detail (both plain text, escaped
//  here) and a link to the requests page. Same ownership.
char *bc_pages_error(int status, const char *title, const char *detail,
                     const bc_pages_opts_t *opts);

//  The CSP source of the inline script, "'sha256-<base64>'", into out (at
//  least 64 bytes), so that no other script can run in the pages.
void bc_pages_script_hash(char *out, size_t size);

//  ms (UTC) as local time "14:05 26/11/2026"; "" for 0.
void bc_pages_time(int64_t ms, char *buf, size_t size);

//  The time left to a deadline or past it: "còn 2 ngày 3 giờ", "quá hạn 5 giờ".
void bc_pages_due(int64_t deadline_ms, int64_t now_ms, char *buf, size_t size);

//  Appends text escaped for HTML text and attribute values (& < > " ').
void bc_pages_escape(bc_buf_t *out, const char *text);

//  Appends text percent-encoded for one URL path segment or query value:
//  everything but letters, digits and "-._~" (so "/" and "," are encoded).
void bc_pages_url_escape(bc_buf_t *out, const char *text);

#endif
