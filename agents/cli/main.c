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
    { "cli", "key", BC_CFG_STRING, offsetof(bc_cli_config_t, key), 0, 0,
      "this agency's secret key file (CODE.key): CURVE to the broker; empty = plain" },
    { "cli", "broker_key", BC_CFG_STRING, offsetof(bc_cli_config_t, broker_key), 0, 0,
      "the broker's public key file (broker.pub), with key" },
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
    "  --key FILE       khóa bí mật của cơ quan ([cli] key): kết nối CURVE\n" \
    "  --broker-key FILE  khóa công khai của máy chủ ([cli] broker_key)\n" \
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
    "       baocao [options] summary [--format text|md|json|html|pdf] [-o FILE] REQUEST\n"
    "       baocao [--json] parse FILE\n"
    "\n"
    "Lệnh:\n"
    "  request send FILE        gửi yêu cầu báo cáo (tệp JSON) tới máy chủ\n"
    "  request list             liệt kê các yêu cầu đã ban hành\n"
    "  request status REQUEST   tình hình báo cáo của từng cơ quan (hoặc: status)\n"
    "  request summary REQUEST  báo cáo tổng hợp (hoặc: summary)\n"
    "  report parse FILE        cấu trúc của một văn bản báo cáo .txt/.pdf (hoặc: parse)\n"
    "  report verify REQUEST AGENCY  kiểm tra chữ ký và tệp của báo cáo đã lưu\n"
    "  key new AGENCY           tạo khóa cho một cơ quan (hoặc máy chủ: broker)\n"
    "  agency add|list|revoke|rotate  quản lý danh sách cơ quan (quản trị)\n"
    "  audit show|verify        nhật ký kiểm toán\n"
    "  store backup|restore DIR sao lưu, khôi phục kho dữ liệu\n"
    "  province init CSV        tạo khóa và bộ cài cho cả tỉnh\n"
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
    "       baocao request summary [-h] [--config FILE] [--format text|md|json|html|pdf]\n"
    "                              [--json] [-o FILE] [--store DIR] REQUEST\n"
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
    "usage: baocao summary [-h] [--config FILE] [--format text|md|json|html|pdf] [--json]\n"
    "                      [-o FILE] [--store DIR] REQUEST\n"
    "       baocao request summary [-h] [--config FILE] [--format text|md|json|html|pdf]\n"
    "                              [--json] [-o FILE] [--store DIR] REQUEST\n"
    "\n"
    "Báo cáo tổng hợp của yêu cầu REQUEST: tình hình gửi báo cáo, nội dung của từng\n"
    "cơ quan theo mục đề cương, chỉ tiêu tổng hợp, văn bản được viện dẫn và các cơ\n"
    "quan chưa báo cáo.\n"
    "\n"
    "  --config FILE    tệp cấu hình INI, mục [cli]\n"
    "  --format F       text (mặc định), md (Markdown), json, html (văn bản in A4 theo\n"
    "                   Nghị định 30/2020/NĐ-CP) hoặc pdf (cần -o FILE khi in ra màn hình)\n"
    "  --json           như --format json\n"
    "  -o FILE          ghi vào FILE (thay cả tệp một lần, an toàn) thay vì in ra\n"
    "  --store DIR      thư mục kho dữ liệu ([cli] store, mặc định " BC_CLI_STORE_DEFAULT ")\n"
    "  -h, --help       in hướng dẫn này\n"
    "\n"
    S_REQUEST_HELP;

static const char s_usage_key[] =
    "usage: baocao key new [-h] [--dir DIR] [--force] AGENCY\n"
    "\n"
    "Tạo cặp khóa CURVE (kết nối) và Ed25519 (chữ ký báo cáo) cho cơ quan AGENCY\n"
    "(mã định danh, hoặc broker cho máy chủ): DIR/AGENCY.key (bí mật, quyền 0600)\n"
    "và DIR/AGENCY.pub (công khai). --force thay khóa đã có (sau đó: agency rotate).\n";

static const char s_usage_agency[] =
    "usage: baocao agency add [-h] --pub FILE CODE NAME ROLES\n"
    "       baocao agency list [-h] [--json] [--store DIR]\n"
    "       baocao agency revoke [-h] CODE\n"
    "       baocao agency rotate [-h] --pub FILE CODE\n"
    "\n"
    "Quản lý danh sách cơ quan của máy chủ (chỉ cơ quan có vai trò quản trị): đăng ký\n"
    "cơ quan mới với khóa công khai của nó (ROLES: department, coordinator, operator,\n"
    "cách nhau bằng dấu phẩy), thu hồi khóa (kết nối đang mở bị ngắt ở tin kế tiếp),\n"
    "thay khóa; list đọc kho dữ liệu: vai trò, khóa, lần cuối kết nối.\n"
    "\n"
    S_OPTIONS_HELP;

static const char s_usage_audit[] =
    "usage: baocao audit show [-h] [--json] [--store DIR]\n"
    "       baocao audit verify [-h] [--store DIR]\n"
    "\n"
    "Nhật ký kiểm toán của máy chủ: mọi thao tác được chấp nhận hay bị từ chối, nối\n"
    "thành chuỗi băm SHA-256. verify phát hiện mục bị sửa, xóa hay đổi chỗ (mã thoát\n"
    "65).\n";

static const char s_usage_report[] =
    "usage: baocao report verify [-h] [--revision N] [--store DIR] REQUEST AGENCY\n"
    "       baocao report parse [-h] [--json] FILE\n"
    "\n"
    "Kiểm tra lại báo cáo đã lưu của cơ quan AGENCY cho yêu cầu REQUEST (lần mới\n"
    "nhất, hoặc lần N): chữ ký Ed25519 bằng khóa đã đăng ký của cơ quan và SHA-256\n"
    "của từng tệp đính kèm. Mã thoát 65 nếu không khớp.\n"
    "report parse FILE: cấu trúc của một văn bản báo cáo (xem baocao parse --help).\n"
    "\n"
    S_REQUEST_HELP;

static const char s_usage_store[] =
    "usage: baocao store backup [-h] [--store DIR] BACKUP_DIR\n"
    "       baocao store restore [-h] [--store DIR] BACKUP_DIR\n"
    "\n"
    "backup: sao chép nhất quán, nén gọn kho dữ liệu vào BACKUP_DIR (thư mục mới\n"
    "hoặc trống) trong khi máy chủ vẫn chạy, rồi kiểm tra bản sao.\n"
    "restore: thay kho dữ liệu bằng bản sao lưu đã kiểm tra; từ chối khi máy chủ\n"
    "đang chạy (mã thoát 75). Khởi động lại các chương trình đọc kho sau đó.\n";

static const char s_usage_province[] =
    "usage: baocao province init [-h] --dir OUT [--broker EP] [--store DIR] [--force] CSV\n"
    "\n"
    "Tạo một tỉnh từ CSV các cơ quan (code,name,role): khóa máy chủ và khóa của từng\n"
    "cơ quan, danh sách cơ quan kèm khóa công khai cho máy chủ (OUT/broker/), và mỗi\n"
    "cơ quan một thư mục OUT/<mã>/ sẵn sàng chép sang máy của cơ quan đó (khóa,\n"
    "broker.pub, tệp cấu hình trỏ vào chính thư mục ấy).\n";

static const char s_usage_parse[] =
    "usage: baocao parse [-h] [--json] FILE\n"
    "       baocao report parse [-h] [--json] FILE\n"
    "\n"
    "Đọc văn bản báo cáo FILE (văn bản thuần UTF-8, hoặc PDF có lớp chữ, nhận theo\n"
    "nội dung tệp) như các máy trạm đọc thư mục nhận, và in cấu trúc tìm được: cơ\n"
    "quan ban hành, số và ký hiệu, nơi và ngày, trích yếu, nơi được kính gửi, văn bản\n"
    "được trả lời, các mục theo số thứ tự và cấp, văn bản được viện dẫn (ngày theo\n"
    "ISO 8601), đoạn kết, nơi nhận, người ký, rồi các cảnh báo. Không cần máy chủ\n"
    "hay kho dữ liệu.\n"
    "\n"
    "  --json           in baocao.Report dạng JSON (ngày YYYY-MM-DD, chuỗi NFC; tệp\n"
    "                   kèm theo chỉ có tên, loại và SHA-256); cảnh báo ra stderr\n"
    "  -h, --help       in hướng dẫn này\n"
    "\n"
    "Mã thoát: 0 đọc được; 65 không đọc được cấu trúc (không phải văn bản UTF-8, PDF\n"
    "không có lớp chữ hoặc có mật khẩu, tệp quá lớn); 66 không mở được FILE.\n";

//  --- commands ------------------------------------------------------------

typedef struct {
    const char *noun;                   //  "request", or the verb standing alone
    const char *verb;                   //  NULL for a standalone verb
    int (*run)(bc_cli_t *cli);
    const char *usage;
    const char *operand;                //  what is missing when too few operands
    int summary_options;                //  accepts --format and -o
    int min_args, max_args;             //  operands after NOUN VERB
} s_command_t;

static const s_command_t s_commands[] = {
    { "request", "send", bc_cmd_request_send, s_usage_send, "FILE", 0, 1, 1 },
    { "request", "list", bc_cmd_request_list, s_usage_list, NULL, 0, 0, 0 },
    { "request", "status", bc_cmd_status, s_usage_status, "REQUEST", 0, 1, 1 },
    { "request", "summary", bc_cmd_summary, s_usage_summary, "REQUEST", 1, 1, 1 },
    { "status", NULL, bc_cmd_status, s_usage_status, "REQUEST", 0, 1, 1 },
    { "summary", NULL, bc_cmd_summary, s_usage_summary, "REQUEST", 1, 1, 1 },
    { "key", "new", bc_cmd_key_new, s_usage_key, "AGENCY", 0, 1, 1 },
    { "agency", "add", bc_cmd_agency_add, s_usage_agency, "CODE NAME ROLES", 0, 3, 3 },
    { "agency", "list", bc_cmd_agency_list, s_usage_agency, NULL, 0, 0, 0 },
    { "agency", "revoke", bc_cmd_agency_revoke, s_usage_agency, "CODE", 0, 1, 1 },
    { "agency", "rotate", bc_cmd_agency_rotate, s_usage_agency, "CODE", 0, 1, 1 },
    { "audit", "show", bc_cmd_audit_show, s_usage_audit, NULL, 0, 0, 0 },
    { "audit", "verify", bc_cmd_audit_verify, s_usage_audit, NULL, 0, 0, 0 },
    { "report", "verify", bc_cmd_report_verify, s_usage_report, "REQUEST AGENCY", 0, 2, 2 },
    { "report", "parse", bc_cmd_parse, s_usage_parse, "FILE", 0, 1, 1 },
    { "parse", NULL, bc_cmd_parse, s_usage_parse, "FILE", 0, 1, 1 },
    { "store", "backup", bc_cmd_store_backup, s_usage_store, "BACKUP_DIR", 0, 1, 1 },
    { "store", "restore", bc_cmd_store_restore, s_usage_store, "BACKUP_DIR", 0, 1, 1 },
    { "province", "init", bc_cmd_province_init, s_usage_province, "CSV", 0, 1, 1 },
};

//  The usage of a noun that takes verbs, for "baocao NOUN" alone.
static const char *
s_noun_usage(const char *noun)
{
    if (strcmp(noun, "request") == 0) {
        return s_usage_request;
    }
    for (size_t i = 0; i < sizeof s_commands / sizeof s_commands[0]; i++) {
        if (s_commands[i].verb && strcmp(s_commands[i].noun, noun) == 0) {
            return s_commands[i].usage;
        }
    }
    return NULL;
}

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
    S_OPT_STORE,
    S_OPT_DIR,
    S_OPT_PUB,
    S_OPT_FORCE,
    S_OPT_KEY,
    S_OPT_BROKER_KEY,
    S_OPT_REVISION
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
    { "dir", required_argument, NULL, S_OPT_DIR },
    { "pub", required_argument, NULL, S_OPT_PUB },
    { "force", no_argument, NULL, S_OPT_FORCE },
    { "key", required_argument, NULL, S_OPT_KEY },
    { "broker-key", required_argument, NULL, S_OPT_BROKER_KEY },
    { "revision", required_argument, NULL, S_OPT_REVISION },
    { NULL, 0, NULL, 0 }
};

//  What the command line said, before the config is read.
typedef struct {
    const char *as;
    const char *broker;
    const char *config;
    const char *store;
    const char *key;
    const char *broker_key;
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
        { "key", flags->key, "--key" },
        { "broker_key", flags->broker_key, "--broker-key" },
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
        case S_OPT_DIR:
            cli.dir = optarg;
            break;
        case S_OPT_PUB:
            cli.pub = optarg;
            break;
        case S_OPT_FORCE:
            cli.force = 1;
            break;
        case S_OPT_KEY:
            flags.key = optarg;
            break;
        case S_OPT_BROKER_KEY:
            flags.broker_key = optarg;
            break;
        case S_OPT_REVISION: {
            char *end = NULL;
            cli.revision = strtoll(optarg, &end, 10);
            if (!*optarg || *end || cli.revision < 1 || cli.revision > 1000000) {
                s_flag_error(&flags, "--revision cần một số từ 1:", optarg);
            }
            break;
        }
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
    const char *noun_usage = s_noun_usage(words[0]);
    if (noun_usage) {
        if (n_words < 2) {
            if (flags.error[0]) {
                return s_usage_error(noun_usage, flags.error, NULL, NULL);
            }
            if (flags.help) {
                return s_help(noun_usage);
            }
            return s_usage_error(noun_usage, "thiếu lệnh sau ", words[0], NULL);
        }
        command = s_find_command(words[0], words[1]);
        if (!command) {
            return s_usage_error(noun_usage, "lệnh không rõ: ", words[1], NULL);
        }
        used = 2;
    }
    else {
        command = s_find_command(words[0], NULL);
    }
    if (!command) {
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
    if (cli.n_args < command->min_args) {
        return s_usage_error(command->usage, "thiếu ", command->operand, NULL);
    }
    if (cli.n_args > command->max_args) {
        return s_usage_error(command->usage, "thừa tham số: ", cli.args[command->max_args],
                             NULL);
    }
    if (command->summary_options && cli.format && cli.json && strcmp(cli.format, "json") != 0) {
        return s_usage_error(command->usage, "--json mâu thuẫn với --format ", cli.format, NULL);
    }
    //  parse works offline: where no config exists, or one for another
    //  machine, it must still read a document.
    int rc = command->run == bc_cmd_parse ? EX_OK : s_load_config(&cli, &flags);
    if (rc != EX_OK) {
        return rc;
    }
    rc = command->run(&cli);
    if (fflush(stdout) != 0 && rc == EX_OK) {
        rc = EX_IOERR;
    }
    return rc;
}
