//  baocao-agent - a department's agent: arguments, config, signals, exit codes
#include "bc_agent.h"
#include "bc_config.h"
#include "bc_log.h"
#include "bc_reqkey.h"

#include <getopt.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

typedef struct {
    char code[BC_CONFIG_STR_MAX];       //  organ code, required
    char name[BC_CONFIG_STR_MAX];       //  agency name, required
    char broker[BC_CONFIG_STR_MAX];     //  ZeroMQ endpoint
    char drop[BC_CONFIG_STR_MAX];       //  drop folder root, required
    char state[BC_CONFIG_STR_MAX];      //  outbox folder, "" = inside drop
    char key[BC_CONFIG_STR_MAX];        //  our secret key file
    char broker_key[BC_CONFIG_STR_MAX]; //  the broker's public key file
    long long heartbeat_ms;
    long long retry_max_ms;
    char log_level[BC_CONFIG_STR_MAX];  //  error, warn, info, debug
} s_config_t;

static const bc_cfg_key_t s_keys[] = {
    { "agent", "code", BC_CFG_STRING, offsetof(s_config_t, code), 0, 0,
      "organ code of this department (mã định danh), required, e.g. 000.00.04.H45" },
    { "agent", "name", BC_CFG_STRING, offsetof(s_config_t, name), 0, 0,
      "name of this department, required, e.g. Sở Nội vụ" },
    { "agent", "broker", BC_CFG_STRING, offsetof(s_config_t, broker), 0, 0,
      "ZeroMQ endpoint of baocao-broker" },
    { "agent", "drop", BC_CFG_STRING, offsetof(s_config_t, drop), 0, 0,
      "drop folder root: one folder per request, staff put reports there; required" },
    { "agent", "state", BC_CFG_STRING, offsetof(s_config_t, state), 0, 0,
      "folder of the agent's outbox store; empty: .baocao-agent inside the drop folder" },
    { "agent", "key", BC_CFG_STRING, offsetof(s_config_t, key), 0, 0,
      "this department's secret key file (CODE.key from baocao key new); empty: no CURVE, "
      "unsigned reports (development only)" },
    { "agent", "broker_key", BC_CFG_STRING, offsetof(s_config_t, broker_key), 0, 0,
      "the broker's public key file (broker.pub), required with key" },
    { "agent", "heartbeat_ms", BC_CFG_INT, offsetof(s_config_t, heartbeat_ms),
      BC_AGENT_HEARTBEAT_MIN, BC_AGENT_HEARTBEAT_MAX,
      "milliseconds between heartbeats; 3 missed = broker lost" },
    { "agent", "retry_max_ms", BC_CFG_INT, offsetof(s_config_t, retry_max_ms),
      BC_AGENT_RETRY_FIRST_MS, 3600000,
      "longest wait between two resends of an unacknowledged report" },
    { "agent", "log_level", BC_CFG_STRING, offsetof(s_config_t, log_level), 0, 0,
      "error, warn, info or debug" },
};
#define S_NKEYS (sizeof s_keys / sizeof s_keys[0])

//  Set by the signal handler, read by the loop: a true global.
static volatile sig_atomic_t s_stop = 0;

static void
s_on_signal(int sig)
{
    if (s_stop) {
        //  A second signal: the operator wants out now. The outbox keeps
        //  whatever was not yet acknowledged.
        _exit(128 + sig);
    }
    s_stop = 1;
}

static void
s_defaults(s_config_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->broker, sizeof cfg->broker, "%s", BC_AGENT_BROKER_DEFAULT);
    cfg->heartbeat_ms = BC_AGENT_HEARTBEAT_MS;
    cfg->retry_max_ms = BC_AGENT_RETRY_MAX_MS;
    snprintf(cfg->log_level, sizeof cfg->log_level, "%s", "info");
}

//  The synopsis alone on a usage error (style(9)), with the options on -h.
static void
s_usage(FILE *out, int full)
{
    fprintf(out,
        "usage: baocao-agent [-h] [--check-config] [--print-config] [--config file]\n"
        "                    [--code code] [--name name] [--broker endpoint]\n"
        "                    [--drop dir] [--state dir] [--log-level level]\n");
    if (!full) {
        return;
    }
    fprintf(out,
        "\n"
        "  -h, --help          show this help and exit\n"
        "  --config file       read settings from the INI file ([agent] section)\n"
        "  --code code         organ code of this department (required)\n"
        "  --name name         name of this department (required)\n"
        "  --broker endpoint   broker endpoint (default %s)\n"
        "  --drop dir          drop folder root (required)\n"
        "  --state dir         outbox folder (default: DROP/.baocao-agent)\n"
        "  --log-level level   error, warn, info (default) or debug\n"
        "  --check-config      validate the settings, exit 0 or %d\n"
        "  --print-config      print a sample configuration with the current values\n",
        BC_AGENT_BROKER_DEFAULT, EX_CONFIG);
}

//  Where key's value comes from, as a message prefix: "command line: " when a
//  flag set it, "FILE:LINE: " when the file did, "FILE: " when the file lacks
//  it, "" without a file.
static void
s_where(char *out, size_t size, const char *path, const char *key,
        const char *const *flag_key, size_t nflags)
{
    for (size_t i = 0; i < nflags; i++) {
        if (strcmp(flag_key[i], key) == 0) {
            snprintf(out, size, "command line: ");
            return;
        }
    }
    int line = bc_config_line(path, "agent", key);
    if (line > 0) {
        snprintf(out, size, "%s:%d: ", path, line);
    }
    else if (path) {
        snprintf(out, size, "%s: ", path);
    }
    else {
        out[0] = '\0';
    }
}

//  Checks what the table cannot: required keys, the organ code's form and the
//  log level. The flags given name where a bad value came from.
static int
s_validate(const s_config_t *cfg, const char *path, const char *const *flag_key,
           size_t nflags, char *why, size_t why_size)
{
    char at[600];
    if (!*cfg->code) {
        s_where(at, sizeof at, path, "code", flag_key, nflags);
        snprintf(why, why_size, "%s[agent] code: missing (the department's organ code)", at);
        return -1;
    }
    if (!bc_agency_code_valid(cfg->code)) {
        s_where(at, sizeof at, path, "code", flag_key, nflags);
        snprintf(why, why_size, "%s[agent] code: not an organ code: %s", at, cfg->code);
        return -1;
    }
    if (!*cfg->name) {
        s_where(at, sizeof at, path, "name", flag_key, nflags);
        snprintf(why, why_size, "%s[agent] name: missing (the department's name)", at);
        return -1;
    }
    if (!*cfg->broker) {
        s_where(at, sizeof at, path, "broker", flag_key, nflags);
        snprintf(why, why_size, "%s[agent] broker: missing", at);
        return -1;
    }
    if (!*cfg->drop) {
        s_where(at, sizeof at, path, "drop", flag_key, nflags);
        snprintf(why, why_size, "%s[agent] drop: missing (the drop folder root)", at);
        return -1;
    }
    if (bc_log_level_parse(cfg->log_level) < 0) {
        s_where(at, sizeof at, path, "log_level", flag_key, nflags);
        snprintf(why, why_size, "%s[agent] log_level: not error, warn, info or debug: %s", at,
                 cfg->log_level);
        return -1;
    }
    return 0;
}

int
main(int argc, char **argv)
{
    enum {
        OPT_CONFIG = 256, OPT_CODE, OPT_NAME, OPT_BROKER, OPT_DROP, OPT_STATE, OPT_LOG_LEVEL,
        OPT_CHECK, OPT_PRINT
    };
    static const struct option options[] = {
        { "help", no_argument, NULL, 'h' },
        { "config", required_argument, NULL, OPT_CONFIG },
        { "code", required_argument, NULL, OPT_CODE },
        { "name", required_argument, NULL, OPT_NAME },
        { "broker", required_argument, NULL, OPT_BROKER },
        { "drop", required_argument, NULL, OPT_DROP },
        { "state", required_argument, NULL, OPT_STATE },
        { "log-level", required_argument, NULL, OPT_LOG_LEVEL },
        { "check-config", no_argument, NULL, OPT_CHECK },
        { "print-config", no_argument, NULL, OPT_PRINT },
        { NULL, 0, NULL, 0 },
    };
    bc_log_init("baocao-agent", BC_LOG_INFO);

    //  Flags are collected first and applied after the file: the command
    //  line overrides whatever order the flags come in.
    const char *config_path = NULL;
    const char *flag_key[8];
    const char *flag_value[8];
    size_t nflags = 0;
    int check = 0;
    int print = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        const char *key = NULL;
        switch (opt) {
        case 'h':
            s_usage(stdout, 1);
            return 0;
        case OPT_CONFIG:
            config_path = optarg;
            break;
        case OPT_CODE:      key = "code";       break;
        case OPT_NAME:      key = "name";       break;
        case OPT_BROKER:    key = "broker";     break;
        case OPT_DROP:      key = "drop";       break;
        case OPT_STATE:     key = "state";      break;
        case OPT_LOG_LEVEL: key = "log_level";  break;
        case OPT_CHECK:
            check = 1;
            break;
        case OPT_PRINT:
            print = 1;
            break;
        default:
            s_usage(stderr, 0);
            return EX_USAGE;
        }
        if (key) {
            if (nflags == sizeof flag_key / sizeof flag_key[0]) {
                s_usage(stderr, 0);
                return EX_USAGE;
            }
            flag_key[nflags] = key;
            flag_value[nflags] = optarg;
            nflags++;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "baocao-agent: unexpected argument: %s\n", argv[optind]);
        s_usage(stderr, 0);
        return EX_USAGE;
    }

    s_config_t cfg;
    s_defaults(&cfg);
    char why[2048];
    if (config_path) {
        bc_err rc = bc_config_load(config_path, s_keys, S_NKEYS, &cfg, why, sizeof why);
        if (rc != BC_OK) {
            bc_log_error("cannot load config %s", why);
            return EX_CONFIG;
        }
    }
    for (size_t i = 0; i < nflags; i++) {
        if (bc_config_set(s_keys, S_NKEYS, &cfg, "agent", flag_key[i], flag_value[i], why,
                          sizeof why) != BC_OK) {
            fprintf(stderr, "baocao-agent: bad option: %s\n", why);
            return EX_USAGE;
        }
    }
    if (print) {
        bc_config_print(stdout, s_keys, S_NKEYS, &cfg, 1);
        return 0;
    }
    if (s_validate(&cfg, config_path, flag_key, nflags, why, sizeof why) != 0) {
        bc_log_error("invalid config: %s", why);
        return EX_CONFIG;
    }
    if (check) {
        printf("config ok\n");
        return 0;
    }
    bc_log_init("baocao-agent", (bc_log_level_t) bc_log_level_parse(cfg.log_level));

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal;
    sigemptyset(&sa.sa_mask);
    //  No SA_RESTART: zmq_poll must return EINTR so the loop sees the flag.
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    bc_agent_opts_t opts = {
        .code = cfg.code,
        .name = cfg.name,
        .broker = cfg.broker,
        .drop = cfg.drop,
        .state = cfg.state,
        .key = cfg.key,
        .broker_key = cfg.broker_key,
        .heartbeat_ms = (int) cfg.heartbeat_ms,
        .retry_max_ms = (int) cfg.retry_max_ms,
    };
    bc_agent_t *agent = NULL;
    bc_err rc = bc_agent_open(&agent, &opts, why, sizeof why);
    if (rc != BC_OK) {
        bc_log_error("cannot start agent: %s", why);
        return rc == BC_EINVAL ? EX_CONFIG : EX_UNAVAILABLE;
    }
    bc_log_info("started %s for %s (%s), broker %s, drop folder %s", BC_AGENT_SOFTWARE,
                cfg.code, cfg.name, cfg.broker, cfg.drop);
    rc = bc_agent_run(agent, &s_stop);
    bc_agent_destroy(&agent);
    if (rc != BC_OK) {
        bc_log_error("agent stopped: %s", bc_strerror(rc));
        return rc == BC_EIO ? EX_UNAVAILABLE : EX_SOFTWARE;
    }
    bc_log_info("stopped");
    return 0;
}
