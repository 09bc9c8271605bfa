//  baocao-broker - arguments, configuration, signals; the work is in bc_broker
#include "bc_broker.h"
#include "bc_log.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#define S_DEFAULT_CONFIG    "/etc/baocao/baocao-broker.conf"

//  Set by the signal handler, read by the loop: the process's one true global.
static volatile sig_atomic_t s_stop = 0;

static void
s_on_signal(int sig)
{
    if (s_stop) {
        //  A second signal: the operator wants out now.
        _exit(128 + sig);
    }
    s_stop = 1;
}

static void
s_usage(FILE *out)
{
    fprintf(out,
            "usage: baocao-broker [-c FILE] [--endpoint EP] [--events EP] [--store DIR]\n"
            "                     [--agencies FILE] [--ready-file FILE] [--log-level LEVEL]\n"
            "                     [--security curve|none] [--key FILE]\n"
            "                     [--check-config] [--print-config]\n"
            "\n"
            "Stores report requests, delivers them to every addressed agency and\n"
            "stores their reports, acknowledging only what is durably committed.\n"
            "\n"
            "  -c, --config FILE     configuration file (default " S_DEFAULT_CONFIG
            " when present)\n"
            "      --endpoint EP     where clients connect (tcp://127.0.0.1:5570)\n"
            "      --events EP       event feed (tcp://127.0.0.1:5571)\n"
            "      --store DIR       LMDB store folder (/var/lib/baocao)\n"
            "      --agencies FILE   agency list CSV (/etc/baocao/agencies.csv)\n"
            "      --ready-file FILE write the bound endpoints here once serving\n"
            "      --security S      curve (default) or none (development only)\n"
            "      --key FILE        the broker's secret key file (baocao key new broker)\n"
            "      --log-level L     error, warn, info or debug\n"
            "      --check-config    validate the configuration and exit\n"
            "      --print-config    print every key with its value and exit\n"
            "  -h, --help            this help\n");
}

//  Reports a bad value of [broker] key: where it came from, and what is allowed.
static int
s_bad_value(const char *path, int from_flag, const char *flag, const char *key,
            const char *allowed, const char *value)
{
    if (from_flag) {
        fprintf(stderr, "baocao-broker: %s: must be %s: %s\n", flag, allowed, value);
        return EX_USAGE;
    }
    int line = bc_config_line(path, "broker", key);
    if (line > 0) {
        fprintf(stderr, "baocao-broker: invalid configuration: %s:%d: [broker] %s: must be %s: "
                "%s\n", path, line, key, allowed, value);
    }
    else {
        fprintf(stderr, "baocao-broker: invalid configuration: [broker] %s: must be %s: %s\n",
                key, allowed, value);
    }
    return EX_CONFIG;
}

int
main(int argc, char **argv)
{
    bc_log_init("baocao-broker", BC_LOG_INFO);
    bc_broker_config_t cfg;
    bc_broker_config_defaults(&cfg);
    size_t n_keys;
    const bc_cfg_key_t *keys = bc_broker_config_table(&n_keys);

    static const struct option options[] = {
        { "config", required_argument, NULL, 'c' },
        { "endpoint", required_argument, NULL, 'E' },
        { "events", required_argument, NULL, 'V' },
        { "store", required_argument, NULL, 'S' },
        { "agencies", required_argument, NULL, 'A' },
        { "ready-file", required_argument, NULL, 'R' },
        { "log-level", required_argument, NULL, 'L' },
        { "security", required_argument, NULL, 'Y' },
        { "key", required_argument, NULL, 'k' },
        { "check-config", no_argument, NULL, 'K' },
        { "print-config", no_argument, NULL, 'P' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    //  First pass: find the config file, so flags override it afterwards.
    const char *config = NULL;
    int check = 0, print = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, "c:h", options, NULL)) != -1) {
        switch (opt) {
        case 'c': config = optarg; break;
        case 'K': check = 1; break;
        case 'P': print = 1; break;
        case 'h': s_usage(stdout); return 0;
        case '?': s_usage(stderr); return EX_USAGE;
        default: break;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "baocao-broker: unexpected argument: %s\n", argv[optind]);
        s_usage(stderr);
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
        fprintf(stderr, "baocao-broker: invalid configuration: %s\n", why);
        return EX_CONFIG;
    }
    optind = 1;
    int level_flag = 0, security_flag = 0;
    while ((opt = getopt_long(argc, argv, "c:h", options, NULL)) != -1) {
        const char *key = NULL;
        switch (opt) {
        case 'E': key = "endpoint"; break;
        case 'V': key = "events"; break;
        case 'S': key = "store"; break;
        case 'A': key = "agencies"; break;
        case 'R': key = "ready_file"; break;
        case 'L': key = "log_level"; level_flag = 1; break;
        case 'Y': key = "security"; security_flag = 1; break;
        case 'k': key = "key"; break;
        default: break;
        }
        if (key && bc_config_set(keys, n_keys, &cfg, "broker", key, optarg, why, sizeof why)
                       != BC_OK) {
            fprintf(stderr, "baocao-broker: %s\n", why);
            return EX_USAGE;
        }
    }
    //  Checked here, not only when the broker opens, so --check-config sees them.
    int level = bc_log_level_parse(cfg.log_level);
    if (level < 0) {
        return s_bad_value(path, level_flag, "--log-level", "log_level",
                           "error, warn, info or debug", cfg.log_level);
    }
    if (strcmp(cfg.security, "curve") != 0 && strcmp(cfg.security, "none") != 0) {
        return s_bad_value(path, security_flag, "--security", "security", "curve or none",
                           cfg.security);
    }
    if (print) {
        bc_config_print(stdout, keys, n_keys, &cfg, 0);
        return 0;
    }
    if (check) {
        printf("configuration ok\n");
        return 0;
    }
    bc_log_init("baocao-broker", (bc_log_level_t) level);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    bc_broker_t *broker = NULL;
    bc_err rc = bc_broker_open(&broker, &cfg, why, sizeof why);
    if (rc != BC_OK) {
        bc_log_error("%s", why);
        return rc == BC_EINVAL || rc == BC_ENOTFOUND ? EX_CONFIG : EX_UNAVAILABLE;
    }
    rc = bc_broker_run(broker, &s_stop);
    bc_broker_destroy(&broker);
    return rc == BC_OK ? 0 : EX_SOFTWARE;
}
