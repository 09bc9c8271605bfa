//  bc_dashboard - the dashboard's configuration table and its parts' life cycle
#include "bc_dashboard.h"
#include "bc_alloc.h"
#include "bc_clock.h"
#include "bc_feed.h"
#include "bc_fs.h"
#include "bc_http.h"
#include "bc_log.h"
#include "bc_view.h"

#include <arpa/inet.h>
#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define S_URL_MAX   (BC_CONFIG_STR_MAX + 32)

static const bc_cfg_key_t s_keys[] = {
    { "dashboard", "listen", BC_CFG_STRING, offsetof(bc_dashboard_config_t, listen), 0, 0,
      "address to listen on (IPv4 or IPv6); keep loopback unless a proxy adds TLS and logins" },
    { "dashboard", "port", BC_CFG_INT, offsetof(bc_dashboard_config_t, port), 0, 65535,
      "TCP port (0: any free port, written to ready_file)" },
    { "dashboard", "store", BC_CFG_STRING, offsetof(bc_dashboard_config_t, store), 0, 0,
      "the broker's store folder, opened read-only" },
    { "dashboard", "events", BC_CFG_STRING, offsetof(bc_dashboard_config_t, events), 0, 0,
      "the broker's event feed (its [broker] events); empty: no live updates" },
    { "dashboard", "key", BC_CFG_STRING, offsetof(bc_dashboard_config_t, key), 0, 0,
      "secret key file of a coordinator or operator agency (CODE.key), for a broker with "
      "security = curve; empty: plaintext feed" },
    { "dashboard", "broker_key", BC_CFG_STRING, offsetof(bc_dashboard_config_t, broker_key), 0, 0,
      "the broker's public key file (broker.pub), required with key" },
    { "dashboard", "threads", BC_CFG_INT, offsetof(bc_dashboard_config_t, threads), 1, 64,
      "HTTP worker threads" },
    { "dashboard", "connections_max", BC_CFG_INT,
      offsetof(bc_dashboard_config_t, connections_max), 2, 1000000,
      "connections at once, live update streams included (shared out between the threads)" },
    { "dashboard", "connections_per_ip", BC_CFG_INT,
      offsetof(bc_dashboard_config_t, connections_per_ip), 0, 1000000,
      "connections at once from one address; 0: no limit (behind a proxy all share one)" },
    { "dashboard", "sse_clients_max", BC_CFG_INT,
      offsetof(bc_dashboard_config_t, sse_clients_max), 1, 1000000,
      "live update streams (/events) at once; more are answered 503" },
    { "dashboard", "timeout_s", BC_CFG_INT, offsetof(bc_dashboard_config_t, timeout_s), 1, 3600,
      "seconds an idle connection is kept" },
    { "dashboard", "keepalive_s", BC_CFG_INT, offsetof(bc_dashboard_config_t, keepalive_s), 1,
      3600, "seconds between keepalive comments on an idle live update stream" },
    { "dashboard", "ring_events", BC_CFG_INT, offsetof(bc_dashboard_config_t, ring_events), 16,
      1000000, "updates kept so that a reconnecting page misses nothing" },
    { "dashboard", "presence_poll_ms", BC_CFG_INT,
      offsetof(bc_dashboard_config_t, presence_poll_ms), 0, 3600000,
      "how often agents' presence is read for live online/offline marks; 0: never" },
    { "dashboard", "ready_file", BC_CFG_STRING, offsetof(bc_dashboard_config_t, ready_file), 0,
      0, "file written with the address once serving (empty: none)" },
    { "dashboard", "log_level", BC_CFG_STRING, offsetof(bc_dashboard_config_t, log_level), 0, 0,
      "error, warn, info or debug" },
};

void
bc_dashboard_config_defaults(bc_dashboard_config_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->listen, sizeof cfg->listen, "127.0.0.1");
    cfg->port = BC_DASHBOARD_PORT_DEFAULT;
    snprintf(cfg->store, sizeof cfg->store, "/var/lib/baocao");
    snprintf(cfg->events, sizeof cfg->events, "tcp://127.0.0.1:5571");
    cfg->threads = 2;
    cfg->connections_max = BC_DASHBOARD_SSE_MAX_DEFAULT + 200;
    cfg->connections_per_ip = 0;
    cfg->sse_clients_max = BC_DASHBOARD_SSE_MAX_DEFAULT;
    cfg->timeout_s = 60;
    cfg->keepalive_s = 15;
    cfg->ring_events = 4096;
    cfg->presence_poll_ms = 2000;
    snprintf(cfg->log_level, sizeof cfg->log_level, "info");
}

const bc_cfg_key_t *
bc_dashboard_config_table(size_t *count_p)
{
    *count_p = sizeof s_keys / sizeof s_keys[0];
    return s_keys;
}

bc_err
bc_dashboard_config_check(const bc_dashboard_config_t *cfg, char *why, size_t why_size)
{
    if (bc_log_level_parse(cfg->log_level) < 0) {
        snprintf(why, why_size, "[dashboard] log_level: not error, warn, info or debug: %s",
                 cfg->log_level);
        return BC_EINVAL;
    }
    unsigned char addr[16];
    if (inet_pton(AF_INET, cfg->listen, addr) != 1 && inet_pton(AF_INET6, cfg->listen, addr) != 1) {
        snprintf(why, why_size, "[dashboard] listen: not an IPv4 or IPv6 address: %s",
                 cfg->listen);
        return BC_EINVAL;
    }
    if (!*cfg->store) {
        snprintf(why, why_size, "[dashboard] store: missing (the broker's store folder)");
        return BC_EINVAL;
    }
    if ((*cfg->key == '\0') != (*cfg->broker_key == '\0')) {
        snprintf(why, why_size, "[dashboard] %s: missing; key and broker_key go together",
                 *cfg->key ? "broker_key" : "key");
        return BC_EINVAL;
    }
    if (cfg->sse_clients_max >= cfg->connections_max) {
        snprintf(why, why_size, "[dashboard] sse_clients_max: %lld must stay below "
                 "connections_max (%lld), or pages could not load",
                 cfg->sse_clients_max, cfg->connections_max);
        return BC_EINVAL;
    }
    return BC_OK;
}

struct bc_dashboard {
    bc_view_t *view;                    //  the store, read-only
    bc_feed_t *feed;                    //  the event feed and its thread
    bc_http_t *http;                    //  the server
    char url[S_URL_MAX];                //  "http://127.0.0.1:8080/"
};

bc_err
bc_dashboard_open(bc_dashboard_t **dash_p, const bc_dashboard_config_t *cfg, char *why,
                  size_t why_size)
{
    assert(dash_p);
    assert(cfg);
    bc_err rc = bc_dashboard_config_check(cfg, why, why_size);
    if (rc != BC_OK) {
        return rc;
    }
    int64_t started = bc_clock_now_ms();
    bc_dashboard_t *self = bc_calloc(1, sizeof *self);
    self->view = bc_view_new(cfg->store);
    bc_feed_opts_t fopts = {
        .endpoint = cfg->events,
        .key_file = cfg->key,
        .broker_key_file = cfg->broker_key,
        .ring_size = (size_t) cfg->ring_events,
        .presence_poll_ms = cfg->presence_poll_ms,
    };
    rc = bc_feed_open(&self->feed, &fopts, self->view, why, why_size);
    if (rc != BC_OK) {
        goto leave;
    }
    bc_http_opts_t hopts = {
        .listen = cfg->listen,
        .port = (int) cfg->port,
        .threads = (unsigned) cfg->threads,
        .connections_max = (unsigned) cfg->connections_max,
        .connections_per_ip = (unsigned) cfg->connections_per_ip,
        .sse_clients_max = (unsigned) cfg->sse_clients_max,
        .timeout_s = (unsigned) cfg->timeout_s,
        .keepalive_s = (unsigned) cfg->keepalive_s,
    };
    rc = bc_http_open(&self->http, &hopts, self->view, self->feed, started, why, why_size);
    if (rc != BC_OK) {
        goto leave;
    }
    rc = bc_feed_start(self->feed, bc_http_notify, self->http, why, why_size);
    if (rc != BC_OK) {
        goto leave;
    }
    //  A wildcard address is reached through loopback on this host.
    const char *host = cfg->listen;
    int v6 = strchr(host, ':') != NULL;
    if (strcmp(host, "0.0.0.0") == 0) {
        host = "127.0.0.1";
    }
    else if (strcmp(host, "::") == 0) {
        host = "::1";
    }
    snprintf(self->url, sizeof self->url, v6 ? "http://[%s]:%d/" : "http://%s:%d/", host,
             bc_http_port(self->http));
    if (*cfg->ready_file) {
        char text[S_URL_MAX + 64];
        int n = snprintf(text, sizeof text, "url=%s\nport=%d\npid=%d\n", self->url,
                         bc_http_port(self->http), (int) getpid());
        rc = bc_fs_write_atomic(cfg->ready_file, text, (size_t) n);
        if (rc != BC_OK) {
            snprintf(why, why_size, "cannot write the ready file %s: %s", cfg->ready_file,
                     bc_strerror(rc));
            goto leave;
        }
    }
    bc_log_info("serving %s (store %s, events %s%s)", self->url, cfg->store,
                *cfg->events ? cfg->events : "none", *cfg->key ? ", CURVE" : "");
leave:
    if (rc != BC_OK) {
        bc_dashboard_destroy(&self);
        return rc;
    }
    *dash_p = self;
    return BC_OK;
}

const char *
bc_dashboard_url(const bc_dashboard_t *self)
{
    return self->url;
}

void
bc_dashboard_run(bc_dashboard_t *self, volatile sig_atomic_t *stop)
{
    //  The work happens on the server's and the feed's threads; this one
    //  only waits for the signal.
    struct timespec pause = { .tv_sec = 0, .tv_nsec = 100 * 1000 * 1000 };
    while (!*stop) {
        nanosleep(&pause, NULL);
    }
}

void
bc_dashboard_destroy(bc_dashboard_t **dash_p)
{
    if (!dash_p || !*dash_p) {
        return;
    }
    bc_dashboard_t *self = *dash_p;
    //  The feed's thread resumes the server's connections: it stops first.
    bc_feed_stop(self->feed);
    bc_http_destroy(&self->http);
    bc_feed_destroy(&self->feed);
    bc_view_destroy(&self->view);
    free(self);
    *dash_p = NULL;
}
