//  bc_metrics - Prometheus text for the province's figures and the dashboard's own
#include "bc_metrics.h"
#include "bc_alloc.h"
#include "baocao/envelope.pb-c.h"

#include <assert.h>
#include <inttypes.h>

static void
s_help(bc_buf_t *out, const char *name, const char *type, const char *help)
{
    bc_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
s_one(bc_buf_t *out, const char *name, const char *type, const char *help, uint64_t value)
{
    s_help(out, name, type, help);
    bc_buf_printf(out, "%s %" PRIu64 "\n", name, value);
}

static void
s_store(bc_buf_t *out, const bc_view_figures_t *fig)
{
    s_one(out, "baocao_requests", "gauge", "Report requests stored.", fig->requests);
    s_help(out, "baocao_deliveries", "gauge",
           "Deliveries (a request to one addressed agency) by their latest status.");
    const ProtobufCEnumDescriptor *d = &baocao__delivery_status__descriptor;
    for (unsigned i = 0; i < d->n_values; i++) {
        int v = d->values[i].value;
        if (v <= 0 || v >= BC_VIEW_STATUS_MAX) {
            continue;                   //  UNSPECIFIED is never a latest status
        }
        bc_buf_printf(out, "baocao_deliveries{status=\"%s\"} %" PRIu64 "\n", d->values[i].name,
                      fig->by_status[v]);
    }
    s_one(out, "baocao_reports_stored", "gauge",
          "Reports stored, every revision counted.", fig->reports);
    s_one(out, "baocao_agencies", "gauge", "Agencies in the registry.", fig->agencies);
    s_one(out, "baocao_agents_seen", "gauge",
          "Agencies whose agent the broker has heard from.", fig->agents_seen);
    s_one(out, "baocao_agents_online", "gauge",
          "Agents connected to the broker now (presence).", fig->agents_online);
    s_one(out, "baocao_audit_entries", "gauge", "Entries in the audit log.", fig->audit_entries);
    s_one(out, "baocao_store_size_bytes", "gauge",
          "Bytes of the store in use (pages times page size).", fig->used_bytes);
    s_one(out, "baocao_store_map_bytes", "gauge", "Bytes of the store's LMDB map.",
          fig->map_size);
    s_help(out, "baocao_store_map_used_ratio", "gauge",
           "Share of the LMDB map in use (the broker grows it past 0.75).");
    bc_buf_printf(out, "baocao_store_map_used_ratio %.4f\n",
                  fig->map_size ? (double) fig->used_bytes / (double) fig->map_size : 0.0);
}

char *
bc_metrics_render(const bc_view_figures_t *fig, const bc_feed_stats_t *feed,
                  const bc_http_stats_t *http, int64_t started_ms)
{
    assert(feed);
    assert(http);
    bc_buf_t out;
    bc_buf_init(&out);
    s_one(&out, "baocao_dashboard_store_up", "gauge",
          "1 when the store could be read for this scrape.", fig ? 1 : 0);
    if (fig) {
        s_store(&out, fig);
    }
    s_help(&out, "baocao_dashboard_events_received_total", "counter",
           "Events received from the broker's feed, by kind.");
    for (int k = 0; k < BC_FEED_KINDS; k++) {
        bc_buf_printf(&out, "baocao_dashboard_events_received_total{kind=\"%s\"} %" PRIu64 "\n",
                      bc_feed_kind_name((bc_feed_kind_t) k), feed->received[k]);
    }
    s_one(&out, "baocao_dashboard_events_invalid_total", "counter",
          "Messages on the feed that were not events.", feed->invalid);
    s_one(&out, "baocao_dashboard_event_seq", "gauge",
          "Last sequence number given to an update (live updates made).", feed->seq);
    s_one(&out, "baocao_dashboard_event_oldest_seq", "gauge",
          "Oldest update kept for reconnecting clients.", feed->oldest);
    s_one(&out, "baocao_dashboard_presence_changes_total", "counter",
          "Agents seen coming online or going offline.", feed->presence_changes);
    s_one(&out, "baocao_dashboard_feed_up", "gauge",
          "1 while subscribed to the broker's event feed.", feed->connected ? 1 : 0);
    s_one(&out, "baocao_dashboard_feed_resyncs_total", "counter",
          "Subscriptions made (the first and every reconnection).", feed->resyncs);
    s_one(&out, "baocao_dashboard_feed_handshake_failures_total", "counter",
          "Subscriptions the broker refused (wrong or unregistered key).",
          feed->handshake_failures);
    s_one(&out, "baocao_dashboard_sse_clients", "gauge", "Live update streams open now.",
          http->sse_clients);
    s_one(&out, "baocao_dashboard_sse_clients_max", "gauge",
          "Live update streams allowed at once.", http->sse_clients_max);
    s_one(&out, "baocao_dashboard_sse_connections_total", "counter",
          "Live update streams opened.", http->sse_opened);
    s_one(&out, "baocao_dashboard_sse_refused_total", "counter",
          "Live update streams refused at the limit.", http->sse_refused);
    s_one(&out, "baocao_dashboard_sse_snapshots_total", "counter",
          "Snapshots sent (on connecting, and after a gap too old to replay).",
          http->sse_snapshots);
    s_one(&out, "baocao_dashboard_sse_resumed_total", "counter",
          "Reconnections served the missed updates from the ring.", http->sse_resumed);
    s_help(&out, "baocao_dashboard_http_responses_total", "counter",
           "HTTP answers by status code.");
    for (int code = 100; code < BC_HTTP_STATUS_MAX; code++) {
        if (http->responses[code]) {
            bc_buf_printf(&out, "baocao_dashboard_http_responses_total{code=\"%d\"} %" PRIu64 "\n",
                          code, http->responses[code]);
        }
    }
    s_help(&out, "baocao_dashboard_start_time_seconds", "gauge",
           "When this dashboard started, Unix time.");
    bc_buf_printf(&out, "baocao_dashboard_start_time_seconds %.3f\n", (double) started_ms / 1000.0);
    return bc_buf_take(&out);
}
