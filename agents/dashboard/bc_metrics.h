//  bc_metrics - the dashboard's /metrics in Prometheus text format (0.0.4)
//
//  Store figures (requests, deliveries by latest status, reports stored,
//  registered agencies, agents seen and online, store size and map use)
//  come from bc_view_figures; the event feed's and the HTTP server's own
//  counters (events received by kind, SSE clients, answers by status) from
//  bc_feed_stats and bc_http_stats. Names start with baocao_ for the
//  province's data and baocao_dashboard_ for this process. Pure function
//  of its input: any thread.
#ifndef BC_METRICS_H_INCLUDED
#define BC_METRICS_H_INCLUDED

#include <stdint.h>

#include "bc_feed.h"
#include "bc_http.h"
#include "bc_view.h"

//  Renders every metric. fig is NULL when the store cannot be read (then
//  baocao_dashboard_store_up is 0 and the store's figures are left out).
//  Borrows everything; returns a NUL-terminated string the caller frees.
char *bc_metrics_render(const bc_view_figures_t *fig, const bc_feed_stats_t *feed,
                        const bc_http_stats_t *http, int64_t started_ms);

#endif
