//  baocao-dashboard - arguments, configuration, signals; the work is in bc_dashboard
#include "bc_dashboard.h"
#include "bc_log.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sysexits.h>

#define S_DEFAULT_CONFIG    "/etc/baocao/baocao-dashboard.conf"
#define S_SPARE_FDS         64          //  store, feed, logs, listening socket

//  Set by the signal handler, read by the main loop: the process's one true global.
static volatile sig_atomic_t s_stop = 0;

static void
s_on_signal(int sig)
{
    if (s_stop) {
        _exit(128 + sig);               //  a second signal: out now
    }
    s_stop = 1;
}

static void
s_usage(FILE *out, int full)
{
    fprintf(out,
            "usage: baocao-dashboard [-h] [-c file] [--listen addr] [--port port]\n"
            "                        [--store dir] [--events endpoint] [--key file]\n"
            "                        [--broker-key file] [--sse-clients-max n]\n"
            "                        [--ready-file file] [--log-level level]\n"
            "                        [--check-config] [--print-config]\n");
    if (!full) {
        return;
    }
    fprintf(out,
            "\n"
            "Serves the province's live dashboard over HTTP: the requests with their\n"
            "completeness, each request's agencies, timeline and summary, a JSON API,\n"
            "live updates (Server-Sent Events) and Prometheus metrics. Reads the\n"
            "broker's store read-only and follows its event feed.\n"
            "\n"
            "  -c, --config file       configuration file, section [dashboard] (default\n"
            "                          " S_DEFAULT_CONFIG " when present)\n"
            "      --listen addr       address to listen on (127.0.0.1)\n"
            "      --port port         TCP port (%d; 0: any free port)\n"
            "      --store dir         the broker's store folder (/var/lib/baocao)\n"
            "      --events endpoint   the broker's event feed (tcp://127.0.0.1:5571;\n"
            "                          \"\": no live updates)\n"
            "      --key file          secret key of a coordinator or operator (CURVE)\n"
            "      --broker-key file   the broker's public key (with --key)\n"
            "      --sse-clients-max n live update streams at once (%d)\n"
            "      --ready-file file   write the address here once serving\n"
            "      --log-level level   error, warn, info (default) or debug\n"
            "      --check-config      validate the configuration, exit 0 or %d\n"
            "      --print-config      print every key with its value and exit\n"
            "  -h, --help              this help\n",
            BC_DASHBOARD_PORT_DEFAULT, BC_DASHBOARD_SSE_MAX_DEFAULT, EX_CONFIG);
}

//  Every stream holds a socket: make sure the soft limit allows them all.
static void
s_raise_fd_limit(long long connections)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
        return;
    }
    rlim_t want = (rlim_t) connections + S_SPARE_FDS;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= want ? want : rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        if (rl.rlim_cur < want) {
            bc_log_warn("BC-DASH-FDS only %llu file descriptors allowed for %lld connections; "
                        "raise the hard limit (LimitNOFILE=)",
                        (unsigned long long) rl.rlim_cur, connections);
        }
    }
}

int
main(int argc, char **argv)
{
    bc_log_init("baocao-dashboard", BC_LOG_INFO);
    bc_dashboard_config_t cfg;
    bc_dashboard_config_defaults(&cfg);
    size_t n_keys;
    const bc_cfg_key_t *keys = bc_dashboard_config_table(&n_keys);

    enum {
        OPT_LISTEN = 256, OPT_PORT, OPT_STORE, OPT_EVENTS, OPT_KEY, OPT_BROKER_KEY,
        OPT_SSE_MAX, OPT_READY, OPT_LOG_LEVEL, OPT_CHECK, OPT_PRINT
    };
    static const struct option options[] = {
        { "config", required_argument, NULL, 'c' },
        { "listen", required_argument, NULL, OPT_LISTEN },
        { "port", required_argument, NULL, OPT_PORT },
        { "store", required_argument, NULL, OPT_STORE },
        { "events", required_argument, NULL, OPT_EVENTS },
        { "key", required_argument, NULL, OPT_KEY },
        { "broker-key", required_argument, NULL, OPT_BROKER_KEY },
        { "sse-clients-max", required_argument, NULL, OPT_SSE_MAX },
        { "ready-file", required_argument, NULL, OPT_READY },
        { "log-level", required_argument, NULL, OPT_LOG_LEVEL },
        { "check-config", no_argument, NULL, OPT_CHECK },
        { "print-config", no_argument, NULL, OPT_PRINT },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    //  First pass: find the config file, so that flags override it after.
    const char *config = NULL;
    int check = 0, print = 0, opt;
    while ((opt = getopt_long(argc, argv, "c:h", options, NULL)) != -1) {
        switch (opt) {
        case 'c': config = optarg; break;
        case OPT_CHECK: check = 1; break;
        case OPT_PRINT: print = 1; break;
        case 'h': s_usage(stdout, 1); return 0;
        case '?': s_usage(stderr, 0); return EX_USAGE;
        default: break;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "baocao-dashboard: unexpected argument: %s\n", argv[optind]);
        s_usage(stderr, 0);
        return EX_USAGE;
    }
    char why[1024];
    const char *path = config;
    if (!path) {
        FILE *f = fopen(S_DEFAULT_CONFIG, "r");
        if (f) {
            fclose(f);
            path = S_DEFAULT_CONFIG;
        }
    }
    if (path && bc_config_load(path, keys, n_keys, &cfg, why, sizeof why) != BC_OK) {
        fprintf(stderr, "baocao-dashboard: invalid configuration: %s\n", why);
        return EX_CONFIG;
    }
    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:h", options, NULL)) != -1) {
        const char *key = NULL;
        switch (opt) {
        case OPT_LISTEN: key = "listen"; break;
        case OPT_PORT: key = "port"; break;
        case OPT_STORE: key = "store"; break;
        case OPT_EVENTS: key = "events"; break;
        case OPT_KEY: key = "key"; break;
        case OPT_BROKER_KEY: key = "broker_key"; break;
        case OPT_SSE_MAX: key = "sse_clients_max"; break;
        case OPT_READY: key = "ready_file"; break;
        case OPT_LOG_LEVEL: key = "log_level"; break;
        default: break;
        }
        if (key && bc_config_set(keys, n_keys, &cfg, "dashboard", key, optarg, why, sizeof why)
                       != BC_OK) {
            fprintf(stderr, "baocao-dashboard: %s\n", why);
            return EX_USAGE;
        }
    }
    if (bc_dashboard_config_check(&cfg, why, sizeof why) != BC_OK) {
        fprintf(stderr, "baocao-dashboard: invalid configuration: %s\n", why);
        return EX_CONFIG;
    }
    if (print) {
        bc_config_print(stdout, keys, n_keys, &cfg, 0);
        return 0;
    }
    if (check) {
        printf("configuration ok\n");
        return 0;
    }
    bc_log_init("baocao-dashboard", (bc_log_level_t) bc_log_level_parse(cfg.log_level));
    s_raise_fd_limit(cfg.connections_max);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    bc_dashboard_t *dash = NULL;
    bc_err rc = bc_dashboard_open(&dash, &cfg, why, sizeof why);
    if (rc != BC_OK) {
        bc_log_error("%s", why);
        return rc == BC_EINVAL || rc == BC_ENOTFOUND || rc == BC_EDENIED ? EX_CONFIG
                                                                          : EX_UNAVAILABLE;
    }
    bc_dashboard_run(dash, &s_stop);
    bc_log_info("stopping");
    bc_dashboard_destroy(&dash);
    return 0;
}
