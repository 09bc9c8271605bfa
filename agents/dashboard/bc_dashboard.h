//  bc_dashboard - baocao-dashboard: configuration, and the server put together
//
//  The dashboard is a reader: it opens the broker's store read-only (bc_view),
//  subscribes to the broker's event feed (bc_feed, one thread) and serves
//  pages, JSON, live updates and metrics over HTTP (bc_http, libmicrohttpd's
//  threads). This module owns the configuration (section [dashboard]) and
//  wires the three together in the right order: the feed's thread starts
//  last and stops first, because it resumes the server's connections.
#ifndef BC_DASHBOARD_H_INCLUDED
#define BC_DASHBOARD_H_INCLUDED

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "bc_config.h"
#include "bc_err.h"

#define BC_DASHBOARD_PORT_DEFAULT       8080
#define BC_DASHBOARD_SSE_MAX_DEFAULT    2000

typedef struct {
    char listen[BC_CONFIG_STR_MAX];     //  address to bind, 127.0.0.1
    long long port;                     //  8080; 0 = any free port (tests)
    char store[BC_CONFIG_STR_MAX];      //  the broker's LMDB folder, read-only
    char events[BC_CONFIG_STR_MAX];     //  the broker's PUB endpoint; "" = no live feed
    char key[BC_CONFIG_STR_MAX];        //  a coordinator's or operator's CODE.key
    char broker_key[BC_CONFIG_STR_MAX]; //  the broker's .pub
    long long threads;                  //  HTTP worker threads
    long long connections_max;          //  connections at once
    long long connections_per_ip;       //  0 = no limit per address
    long long sse_clients_max;          //  live update streams at once
    long long timeout_s;                //  idle connection timeout
    long long keepalive_s;              //  SSE keepalive comment interval
    long long ring_events;              //  updates kept for reconnecting clients
    long long presence_poll_ms;         //  how often agents' presence is read
    char ready_file[BC_CONFIG_STR_MAX]; //  written once serving ("" = none)
    char log_level[BC_CONFIG_STR_MAX];  //  error, warn, info, debug
} bc_dashboard_config_t;

//  Fills cfg with the defaults.
void bc_dashboard_config_defaults(bc_dashboard_config_t *cfg);

//  The table of config keys (section [dashboard]); *count_p gets its length.
const bc_cfg_key_t *bc_dashboard_config_table(size_t *count_p);

//  Checks what the table cannot: the log level, the listen address, the
//  key files given together, sse_clients_max below connections_max.
//  Errors: BC_EINVAL (why says "[dashboard] key: reason").
bc_err bc_dashboard_config_check(const bc_dashboard_config_t *cfg, char *why, size_t why_size);

typedef struct bc_dashboard bc_dashboard_t;     //  opaque; the main thread's

//  Starts serving: the store view, the feed (keys loaded), the HTTP server
//  bound, then the feed's thread; writes the ready file ("url=...", "port=",
//  "pid="). Borrows cfg. On BC_OK *dash_p is the caller's. Errors:
//  BC_EINVAL (config, key files), BC_ENOTFOUND (a key file), BC_EDENIED,
//  BC_EIO (bind, ZeroMQ); why says what in one lowercase line.
bc_err bc_dashboard_open(bc_dashboard_t **dash_p, const bc_dashboard_config_t *cfg,
                         char *why, size_t why_size);

//  The address served, "http://127.0.0.1:8080/". Borrowed.
const char *bc_dashboard_url(const bc_dashboard_t *self);

//  Serves until *stop becomes non-zero (set from a signal handler).
void bc_dashboard_run(bc_dashboard_t *self, volatile sig_atomic_t *stop);

//  Stops the feed, then the server, closes the store; sets *dash_p to NULL.
//  Safe on NULL.
void bc_dashboard_destroy(bc_dashboard_t **dash_p);

#endif
