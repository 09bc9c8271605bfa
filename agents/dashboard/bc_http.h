//  bc_http - the dashboard's HTTP server (libmicrohttpd): pages, JSON, SSE, metrics
//
//  Routes (GET; HEAD too except /events; anything else is 405):
//    /                      the requests page            ?display=
//    /r/<request>           one request's page           ?display=
//    /api/requests          DashRequestList (JSON)       ?pretty=
//    /api/requests/<request> DashRequest (JSON)          ?view=full|status &pretty=
//    /events                SSE: snapshot, then updates  ?request=<request>
//    /metrics               Prometheus text format
//    /healthz               "ok"
//  <request> is a full request key "ORGAN,YYYY-MM-DD,NUMBER/NOTATION" or a
//  citation "1005/STTTT-TTBCXB", percent-encoded as one path segment (its
//  '/' as %2F; a literal '/' works too). display is normal, large, contrast
//  or projector (large and contrast); pretty is 0 or 1. An unknown
//  parameter, a bad value, an over-long name or URL is a 4xx, never more:
//    400 bad parameter or name, 404 no such page or request, 405 method,
//    409 a citation that names several requests (the candidates listed),
//    414 URL over BC_HTTP_URL_MAX, 431 headers over the connection's memory
//    (libmicrohttpd), 503 no store yet or too many SSE clients (Retry-After).
//  JSON goes through bc_json only; errors of /api and /events are DashError.
//
//  SSE (/events): a client gets "retry", then a "snapshot" (DashSnapshot)
//  with id "<run>-<seq>", then every "update" (DashUpdate) after seq; with
//  ?request= only that request's updates (and presence, resync). A client
//  that reconnects with Last-Event-ID gets the updates it missed from the
//  feed's ring, or a fresh snapshot with reset set when they are no longer
//  kept (or the id is from another run). A malformed Last-Event-ID is 400.
//  Streams wait suspended (MHD_suspend_connection) and are resumed by
//  bc_http_notify, which the feed's thread calls after new updates and on
//  every tick: that tick also sends a comment line to streams idle for
//  keepalive_s and resumes streams whose client hung up, so that a closed
//  client is freed within a tick instead of at the next write.
//
//  Threads: libmicrohttpd's (threads of them) run every handler; the feed's
//  thread only resumes connections. Store reads go through bc_view (one
//  short transaction each).
#ifndef BC_HTTP_H_INCLUDED
#define BC_HTTP_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#include "bc_err.h"
#include "bc_feed.h"
#include "bc_view.h"

#define BC_HTTP_URL_MAX         2048            //  bytes of a request line's URL
#define BC_HTTP_CONN_MEMORY     (32u << 10)     //  per connection: headers, buffers
#define BC_HTTP_BACKLOG         1024            //  listen queue
#define BC_HTTP_SSE_BLOCK       4096            //  bytes handed to MHD per call
#define BC_HTTP_SSE_RETRY_MS    3000            //  "retry:" told to EventSource
#define BC_HTTP_STATUS_MAX      600             //  status codes counted, 0..599

typedef struct {
    const char *listen;                 //  address: 127.0.0.1, ::1, 0.0.0.0 ...
    int port;                           //  0: any free port (see bc_http_port)
    unsigned threads;                   //  libmicrohttpd worker threads, >= 1
    unsigned connections_max;           //  connections at once, SSE included
    unsigned connections_per_ip;        //  0: no limit per client address
    unsigned sse_clients_max;           //  SSE streams at once, < connections_max
    unsigned timeout_s;                 //  idle connection timeout
    unsigned keepalive_s;               //  comment line to idle SSE streams
} bc_http_opts_t;

typedef struct {
    uint64_t responses[BC_HTTP_STATUS_MAX]; //  answers by status code
    uint64_t sse_clients;               //  streams open now
    uint64_t sse_opened;                //  streams ever opened
    uint64_t sse_refused;               //  refused at sse_clients_max
    uint64_t sse_snapshots;             //  snapshots sent (first and after a gap)
    uint64_t sse_resumed;               //  reconnections served from the ring
    unsigned sse_clients_max;           //  the bound
} bc_http_stats_t;

typedef struct bc_http bc_http_t;       //  opaque

//  Binds and starts serving. Borrows view and feed (both must outlive the
//  server; start the feed with bc_http_notify and this server as its arg
//  afterwards). On BC_OK *http_p is the caller's (bc_http_destroy).
//  Errors: BC_EINVAL (bad address or bounds; why says which), BC_EIO (the
//  port is taken or libmicrohttpd could not start). Main thread.
bc_err bc_http_open(bc_http_t **http_p, const bc_http_opts_t *opts, bc_view_t *view,
                    bc_feed_t *feed, int64_t started_ms, char *why, size_t why_size);

//  The port actually bound (the configured one, or the one chosen for 0).
int bc_http_port(bc_http_t *self);

//  The feed's notify callback (bc_feed_notify_fn): wakes the SSE streams
//  that have news, keepalives due or a client gone. arg is the server.
//  Called on the feed's thread only.
void bc_http_notify(void *arg, size_t added);

//  Counters for /metrics. Any thread.
void bc_http_stats(bc_http_t *self, bc_http_stats_t *stats);

//  Ends every SSE stream, stops the server and frees it; sets *http_p to
//  NULL; safe on NULL. Stop the feed first (bc_feed_stop), so that nothing
//  resumes a connection meanwhile. Main thread.
void bc_http_destroy(bc_http_t **http_p);

#endif
