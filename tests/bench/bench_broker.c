//  bench_broker - the real broker with storage sync switched off (bench only)
//
//  Usage: bench_broker CONFIG STORE AGENCIES READY_FILE
//  Runs bc_broker exactly as baocao-broker does with CONFIG (endpoints
//  tcp://127.0.0.1:* unless the file says otherwise), except that the store
//  is opened with unsafe_no_sync (MDB_NOSYNC): every handler, transaction
//  and reply is the same, only the fsync is gone. Its acknowledgements are
//  NOT durable; it exists to show how much of the durable figure is the
//  disk and how much is the broker's own work. Never a daemon.
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "bc_broker.h"
#include "bc_log.h"

static volatile sig_atomic_t s_stop = 0;

static void
s_on_signal(int sig)
{
    (void) sig;
    s_stop = 1;
}

int
main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: bench_broker CONFIG STORE AGENCIES READY_FILE\n");
        return 64;
    }
    bc_broker_config_t cfg;
    bc_broker_config_defaults(&cfg);
    snprintf(cfg.endpoint, sizeof cfg.endpoint, "tcp://127.0.0.1:*");
    snprintf(cfg.events, sizeof cfg.events, "tcp://127.0.0.1:*");
    size_t n_keys;
    const bc_cfg_key_t *keys = bc_broker_config_table(&n_keys);
    char why[1024];
    if (bc_config_load(argv[1], keys, n_keys, &cfg, why, sizeof why) != BC_OK) {
        fprintf(stderr, "bench_broker: %s\n", why);
        return 78;
    }
    snprintf(cfg.store, sizeof cfg.store, "%s", argv[2]);
    snprintf(cfg.agencies, sizeof cfg.agencies, "%s", argv[3]);
    snprintf(cfg.ready_file, sizeof cfg.ready_file, "%s", argv[4]);
    cfg.unsafe_no_sync = 1;
    int level = bc_log_level_parse(cfg.log_level);
    bc_log_init("bench_broker", level < 0 ? BC_LOG_INFO : (bc_log_level_t) level);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    bc_broker_t *broker = NULL;
    if (bc_broker_open(&broker, &cfg, why, sizeof why) != BC_OK) {
        bc_log_error("%s", why);
        return 69;
    }
    bc_log_warn("BENCH-NOSYNC commits are not synced: acknowledgements are not durable");
    bc_err rc = bc_broker_run(broker, &s_stop);
    bc_broker_destroy(&broker);
    return rc == BC_OK ? 0 : 70;
}
