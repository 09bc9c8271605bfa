//  baocao - the coordinator's command line: parses NOUN VERB, options, config
#include "bc_cli.h"

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

static const bc_cfg_key_t s_config_keys[] = {
    { "cli", "store", BC_CFG_STRING, offsetof(bc_cli_config_t, store), 0, 0,
      "folder of the broker's store, opened read-only" },
    { "cli", "broker", BC_CFG_STRING, offsetof(bc_cli_config_t, broker), 0, 0,
      "endpoint of baocao-broker" },
    { "cli", "agency", BC_CFG_STRING, offsetof(bc_cli_config_t, agency), 0, 0,
      "organ code of the coordinating agency this CLI speaks for" },
    { "cli", "timeout_ms", BC_CFG_INT, offsetof(bc_cli_config_t, timeout_ms), 100, 3600000,
      "how long to wait for the broker's answer, in milliseconds" },
};
#define S_CONFIG_KEYS   (sizeof s_config_keys / sizeof s_config_keys[0])

//  --- usage (style(9): options sorted, then operands) -------------------------

#define S_OPTIONS_HELP \
    "Tùy chọn chung (đặt trước hoặc sau lệnh):\n" \
    "  --as CODE        mã định danh của cơ quan điều phối ([cli] agency)\n" \
    "  --broker EP      địa chỉ máy chủ baocao-broker ([cli] broker,\n" \
    "                   mặc định " BC_CLI_BROKER_DEFAULT ")\n" \
    "  --config FILE    tệp cấu hình INI, mục [cli] (mặc định\n" \
    "                   " BC_CLI_CONFIG_DEFAULT " nếu có)\n" \
    "  --json           in kết quả dạng JSON\n" \
    "  --store DIR      thư mục kho dữ liệu của máy chủ ([cli] store,\n" \
    "                   mặc định " BC_CLI_STORE_DEFAULT ")\n" \
    "  -h, --help       in hướng dẫn này\n"

#define S_REQUEST_HELP \
    "REQUEST là số, ký hiệu của văn bản yêu cầu (1005/STTTT-TTBCXB), hoặc khóa\n" \
    "đầy đủ ORGAN,YYYY-MM-DD,SỐ/KÝ-HIỆU (000.00.07.H45,2026-11-20,1005/STTTT-TTBCXB)\n" \
    "khi hai yêu cầu trùng số, ký hiệu.\n"

static const char s_usage_main[] =
    "usage: baocao [-h] [--as CODE] [--broker EP] [--config FILE] [--json] [--store DIR]\n"
    "              NOUN VERB [ARGS]\n"
    "       baocao [options] status REQUEST\n"
    "       baocao [options] summary [--format text|md|json] [-o FILE] REQUEST\n"
    "\n"
    "Lệnh:\n"
    "  request send FILE        gửi yêu cầu báo cáo (tệp JSON) tới máy chủ\n"
    "  request list             liệt kê các yêu cầu đã ban hành\n"
    "  request status REQUEST   tình hình báo cáo của từng cơ quan (hoặc: status)\n"
    "  request summary REQUEST  báo cáo tổng hợp (hoặc: summary)\n"
    "\n"
    S_OPTIONS_HELP
    "\n"
    S_REQUEST_HELP
    "Mỗi lệnh có hướng dẫn riêng: baocao request send --help.\n";

static const char s_usage_request[] =
    "usage: baocao request send [-h] [--as CODE] [--broker EP] [--config FILE] [--json]\n"
    "                           FILE\n"
    "       baocao request list [-h] [--config FILE] [--json] [--store DIR]\n"
    "       baocao request status [-h] [--config FILE] [--json] [--store DIR] REQUEST\n"
    "       baocao request summary [-h] [--config FILE] [--format text|md|json] [--json]\n"
    "                              [-o FILE] [--store DIR] REQUEST\n"
    "\n"
    "Lệnh:\n"
    "  send FILE          gửi yêu cầu báo cáo (tệp JSON) tới máy chủ\n"
    "  list               liệt kê các yêu cầu đã ban hành\n"
    "  status REQUEST     tình hình báo cáo của từng cơ quan\n"
    "  summary REQUEST    báo cáo tổng hợp\n"
    "\n"
    S_OPTIONS_HELP
    "\n"
    S_REQUEST_HELP;

static const char s_usage_send[] =
    "usage: baocao request send [-h] [--as CODE] [--broker EP] [--config FILE] [--json]\n"
    "                           FILE\n"
    "\n"
    "Đọc yêu cầu báo cáo từ FILE (JSON theo baocao.ReportRequest), kiểm tra rồi gửi\n"
    "tới máy chủ với danh nghĩa cơ quan CODE, và chờ máy chủ xác nhận đã lưu (tối đa\n"
    "timeout_ms của mục [cli], mặc định 10000 ms).\n"
    "\n"
    "  --as CODE        mã định danh của cơ quan ban hành ([cli] agency)\n"
    "  --broker EP      địa chỉ máy chủ ([cli] broker, mặc định " BC_CLI_BROKER_DEFAULT ")\n"
    "  --config FILE    tệp cấu hình INI, mục [cli]\n"
    "  --json           in xác nhận (Ack) của máy chủ dạng JSON\n"
    "  -h, --help       in hướng dẫn này\n"
    "\n"
    "Mã thoát: 0 máy chủ đã lưu; 65 tệp hoặc yêu cầu không hợp lệ, trùng, hoặc có cơ\n"
    "quan chưa đăng ký; 66 không đọc được FILE; 69 máy chủ không trả lời; 75 máy chủ\n"
    "chưa lưu được (thử lại sau); 77 CODE không được phép ban hành yêu cầu này.\n";

static const char s_usage_list[] =
    "usage: baocao request list [-h] [--config FILE] [--json] [--store DIR]\n"
    "\n"
    "Liệt kê mọi yêu cầu trong kho: số, ký hiệu; cơ quan ban hành; ngày; hạn báo\n"
    "cáo; số cơ quan đã báo cáo trên số cơ quan được yêu cầu; trích yếu.\n"
    "\n"
    "  --config FILE    tệp cấu hình INI, mục [cli]\n"
    "  --json           in danh sách dạng JSON (baocao.RequestList)\n"
    "  --store DIR      thư mục kho dữ liệu ([cli] store, mặc định " BC_CLI_STORE_DEFAULT ")\n"
    "  -h, --help       in hướng dẫn này\n";

static const char s_usage_status[] =
    "usage: baocao status [-h] [--config FILE] [--json] [--store DIR] REQUEST\n"
    "       baocao request status [-h] [--config FILE] [--json] [--store DIR] REQUEST\n"
    "\n"
    "Tình hình báo cáo của yêu cầu REQUEST: số cơ quan đã báo cáo, đúng hạn, trễ hạn,\n"
    "chưa báo cáo; rồi mỗi cơ quan được yêu cầu một dòng: mã, tên, trạng thái mới\n"
    "nhất, thời điểm và tình hình.\n"
    "\n"
    "  --config FILE    tệp cấu hình INI, mục [cli]\n"
    "  --json           in dạng JSON (baocao.Summary, không kèm nội dung báo cáo)\n"
    "  --store DIR      thư mục kho dữ liệu ([cli] store, mặc định " BC_CLI_STORE_DEFAULT ")\n"
    "  -h, --help       in hướng dẫn này\n"
    "\n"
    S_REQUEST_HELP;

static const char s_usage_summary[] =
    "usage: baocao summary [-h] [--config FILE] [--format text|md|json] [--json]\n"
    "                      [-o FILE] [--store DIR] REQUEST\n"
    "       baocao request summary [-h] [--config FILE] [--format text|md|json] [--json]\n"
    "                              [-o FILE] [--store DIR] REQUEST\n"
    "\n"
    "Báo cáo tổng hợp của yêu cầu REQUEST: tình hình gửi báo cáo, nội dung của từng\n"
    "cơ quan theo mục đề cương, chỉ tiêu tổng hợp, văn bản được viện dẫn và các cơ\n"
    "quan chưa báo cáo.\n"
    "\n"
    "  --config FILE    tệp cấu hình INI, mục [cli]\n"
    "  --format F       text (mặc định), md (Markdown) hoặc json\n"
    "  --json           như --format json\n"
    "  -o FILE          ghi vào FILE (thay cả tệp một lần, an toàn) thay vì in ra\n"
    "  --store DIR      thư mục kho dữ liệu ([cli] store, mặc định " BC_CLI_STORE_DEFAULT ")\n"
    "  -h, --help       in hướng dẫn này\n"
    "\n"
    S_REQUEST_HELP;

//  --- commands ------------------------------------------------------------

typedef struct {
    const char *noun;                   //  "request", or the verb standing alone
    const char *verb;                   //  NULL for a standalone verb
    int (*run)(bc_cli_t *cli);
    const char *usage;
    const char *operand;                //  "FILE", "REQUEST", NULL for none
    int summary_options;                //  accepts --format and -o
} s_command_t;

static const s_command_t s_commands[] = {
    { "request", "send", bc_cmd_request_send, s_usage_send, "FILE", 0 },
    { "request", "list", bc_cmd_request_list, s_usage_list, NULL, 0 },
    { "request", "status", bc_cmd_status, s_usage_status, "REQUEST", 0 },
    { "request", "summary", bc_cmd_summary, s_usage_summary, "REQUEST", 1 },
    { "status", NULL, bc_cmd_status, s_usage_status, "REQUEST", 0 },
    { "summary", NULL, bc_cmd_summary, s_usage_summary, "REQUEST", 1 },
};

//  Nouns of DESIGN's grammar that this build does not offer yet.
static const char *s_later[] = {
    "report", "agency", "key", "audit", "store", "province", "parse",
};

//  Prints "baocao: <before><arg><after>" then the usage, on stderr.
static int
s_usage_error(const char *usage, const char *before, const char *arg, const char *after)
{
    fprintf(stderr, BC_CLI_NAME ": %s%s%s\n%s", before, arg ? arg : "", after ? after : "",
            usage);
    return EX_USAGE;
}

static int
s_help(const char *usage)
{
    fputs(usage, stdout);
    return fflush(stdout) == 0 ? EX_OK : EX_IOERR;
}

enum {
    S_OPT_AS = 256,
    S_OPT_BROKER,
    S_OPT_CONFIG,
    S_OPT_FORMAT,
    S_OPT_JSON,
    S_OPT_STORE
};

static const struct option s_long_options[] = {
    { "as", required_argument, NULL, S_OPT_AS },
    { "broker", required_argument, NULL, S_OPT_BROKER },
    { "config", required_argument, NULL, S_OPT_CONFIG },
    { "format", required_argument, NULL, S_OPT_FORMAT },
    { "help", no_argument, NULL, 'h' },
    { "json", no_argument, NULL, S_OPT_JSON },
    { "output", required_argument, NULL, 'o' },
    { "store", required_argument, NULL, S_OPT_STORE },
    { NULL, 0, NULL, 0 }
};

//  What the command line said, before the config is read.
typedef struct {
    const char *as;
    const char *broker;
    const char *config;
    const char *store;
    int help;
    char error[256];                    //  first option error, "" when none
} s_flags_t;

//  Keeps the first option error: "<what> <arg>".
static void
s_flag_error(s_flags_t *flags, const char *what, const char *arg)
{
    if (!flags->error[0]) {
        snprintf(flags->error, sizeof flags->error, "%s %s", what, arg);
    }
}

static const s_command_t *
s_find_command(const char *noun, const char *verb)
{
    for (size_t i = 0; i < sizeof s_commands / sizeof s_commands[0]; i++) {
        const s_command_t *c = &s_commands[i];
        if (strcmp(c->noun, noun) == 0
            && ((!c->verb && !verb) || (c->verb && verb && strcmp(c->verb, verb) == 0))) {
            return c;
        }
    }
    return NULL;
}

static int
s_load_config(bc_cli_t *cli, const s_flags_t *flags)
{
    bc_cli_config_t *cfg = &cli->config;
    snprintf(cfg->store, sizeof cfg->store, "%s", BC_CLI_STORE_DEFAULT);
    snprintf(cfg->broker, sizeof cfg->broker, "%s", BC_CLI_BROKER_DEFAULT);
    cfg->agency[0] = '\0';
    cfg->timeout_ms = BC_CLI_TIMEOUT_DEFAULT;

    const char *path = flags->config;
    if (!path && access(BC_CLI_CONFIG_DEFAULT, F_OK) == 0) {
        path = BC_CLI_CONFIG_DEFAULT;
    }
    char why[1024];
    if (path) {
        bc_err rc = bc_config_load(path, s_config_keys, S_CONFIG_KEYS, cfg, why, sizeof why);
        if (rc == BC_ENOTFOUND) {
            return bc_cli_fail(EX_CONFIG, "không có tệp cấu hình %s", path);
        }
        if (rc != BC_OK) {
            return bc_cli_fail(EX_CONFIG, "tệp cấu hình không dùng được: %s", why);
        }
    }
    const struct {
        const char *key;
        const char *value;
        const char *flag;
    } overrides[] = {
        { "store", flags->store, "--store" },
        { "broker", flags->broker, "--broker" },
        { "agency", flags->as, "--as" },
    };
    for (size_t i = 0; i < sizeof overrides / sizeof overrides[0]; i++) {
        if (!overrides[i].value) {
            continue;
        }
        if (bc_config_set(s_config_keys, S_CONFIG_KEYS, cfg, "cli", overrides[i].key,
                          overrides[i].value, why, sizeof why) != BC_OK) {
            return bc_cli_fail(EX_USAGE, "giá trị của %s không dùng được: %s",
                               overrides[i].flag, why);
        }
    }
    return EX_OK;
}

int
main(int argc, char *argv[])
{
    bc_cli_t cli;
    memset(&cli, 0, sizeof cli);
    s_flags_t flags;
    memset(&flags, 0, sizeof flags);

    //  GNU getopt permutes: options are taken before or after NOUN VERB and
    //  the operands end up at argv[optind..].
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, ":ho:", s_long_options, NULL)) != -1) {
        switch (opt) {
        case 'h':
            flags.help = 1;
            break;
        case 'o':
            cli.output = optarg;
            break;
        case S_OPT_AS:
            flags.as = optarg;
            break;
        case S_OPT_BROKER:
            flags.broker = optarg;
            break;
        case S_OPT_CONFIG:
            flags.config = optarg;
            break;
        case S_OPT_FORMAT:
            cli.format = optarg;
            break;
        case S_OPT_JSON:
            cli.json = 1;
            break;
        case S_OPT_STORE:
            flags.store = optarg;
            break;
        case ':':
            s_flag_error(&flags, "thiếu giá trị cho tùy chọn", argv[optind - 1]);
            break;
        default:
            if (optopt && optopt < 256) {
                char text[3] = { '-', (char) optopt, '\0' };
                s_flag_error(&flags, "tùy chọn không hợp lệ:", text);
            }
            else {
                s_flag_error(&flags, "tùy chọn không hợp lệ:", argv[optind - 1]);
            }
            break;
        }
    }
    char **words = argv + optind;
    int n_words = argc - optind;

    if (n_words == 0 || strcmp(words[0], "help") == 0) {
        if (flags.error[0]) {
            return s_usage_error(s_usage_main, flags.error, NULL, NULL);
        }
        if (flags.help || n_words > 0) {
            return s_help(s_usage_main);
        }
        return s_usage_error(s_usage_main, "thiếu lệnh", NULL, NULL);
    }
    const s_command_t *command = NULL;
    int used = 1;
    if (strcmp(words[0], "request") == 0) {
        if (n_words < 2) {
            if (flags.error[0]) {
                return s_usage_error(s_usage_request, flags.error, NULL, NULL);
            }
            if (flags.help) {
                return s_help(s_usage_request);
            }
            return s_usage_error(s_usage_request, "thiếu lệnh sau request", NULL, NULL);
        }
        command = s_find_command("request", words[1]);
        if (!command) {
            return s_usage_error(s_usage_request, "lệnh không rõ: request ", words[1], NULL);
        }
        used = 2;
    }
    else {
        command = s_find_command(words[0], NULL);
    }
    if (!command) {
        for (size_t i = 0; i < sizeof s_later / sizeof s_later[0]; i++) {
            if (strcmp(words[0], s_later[i]) == 0) {
                return s_usage_error(s_usage_main, "lệnh ", words[0],
                                     " chưa có trong phiên bản này");
            }
        }
        return s_usage_error(s_usage_main, "lệnh không rõ: ", words[0], NULL);
    }
    if (flags.error[0]) {
        return s_usage_error(command->usage, flags.error, NULL, NULL);
    }
    if (flags.help) {
        return s_help(command->usage);
    }
    if (!command->summary_options && (cli.format || cli.output)) {
        return s_usage_error(command->usage,
                             cli.format ? "--format chỉ dùng với summary"
                                        : "-o chỉ dùng với summary", NULL, NULL);
    }
    cli.args = words + used;
    cli.n_args = n_words - used;
    if (command->operand && cli.n_args == 0) {
        return s_usage_error(command->usage, "thiếu ", command->operand, NULL);
    }
    int allowed = command->operand ? 1 : 0;
    if (cli.n_args > allowed) {
        return s_usage_error(command->usage, "thừa tham số: ", cli.args[allowed], NULL);
    }
    if (command->summary_options && cli.format && cli.json && strcmp(cli.format, "json") != 0) {
        return s_usage_error(command->usage, "--json mâu thuẫn với --format ", cli.format, NULL);
    }
    int rc = s_load_config(&cli, &flags);
    if (rc != EX_OK) {
        return rc;
    }
    rc = command->run(&cli);
    if (fflush(stdout) != 0 && rc == EX_OK) {
        rc = EX_IOERR;
    }
    return rc;
}
