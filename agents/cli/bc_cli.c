//  bc_cli - helpers every baocao command shares: messages, store, output
#include "bc_cli.h"
#include "bc_aggregate.h"
#include "bc_alloc.h"
#include "bc_client.h"
#include "bc_clock.h"
#include "bc_fs.h"
#include "bc_records.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sysexits.h>
#include <unistd.h>

int
bc_cli_fail(int code, const char *fmt, ...)
{
    fflush(stdout);                     //  keep stdout and stderr in order on a terminal
    fputs(BC_CLI_NAME ": ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return code;
}

int
bc_cli_open_store(const bc_cli_t *cli, bc_store_t **store_p)
{
    const char *dir = cli->config.store;
    bc_store_opts_t opts = { .dir = dir, .read_only = 1 };
    bc_store_t *store = NULL;
    bc_err rc = bc_store_open(&store, &opts);
    switch (rc) {
    case BC_OK:
        *store_p = store;
        return EX_OK;
    case BC_ENOTFOUND:
        return bc_cli_fail(EX_UNAVAILABLE,
                           "không tìm thấy kho dữ liệu trong thư mục %s (chưa có data.mdb: "
                           "baocao-broker đã chạy với --store %s chưa? dùng --store DIR để "
                           "chọn thư mục khác)", dir, dir);
    case BC_EDENIED:
        return bc_cli_fail(EX_NOPERM, "không có quyền đọc kho dữ liệu %s", dir);
    default:
        return bc_cli_fail(EX_UNAVAILABLE, "không mở được kho dữ liệu %s: %s", dir,
                           bc_strerror(rc));
    }
}

int
bc_cli_resolve(const bc_cli_t *cli, bc_txn_t *txn, const char *name, bc_reqkey_t *key)
{
    char why[16384] = "";
    bc_err rc = bc_records_resolve(txn, name, key, why, sizeof why);
    switch (rc) {
    case BC_OK:
        return EX_OK;
    case BC_EINVAL:
        return bc_cli_fail(EX_USAGE,
                           "\"%s\" không phải số, ký hiệu (1005/STTTT-TTBCXB) hay khóa đầy đủ "
                           "(ORGAN,YYYY-MM-DD,SỐ/KÝ-HIỆU) của một yêu cầu", name);
    case BC_ENOTFOUND:
        return bc_cli_fail(EX_DATAERR, "không có yêu cầu %s trong kho %s", name,
                           cli->config.store);
    case BC_EEXIST: {
        fflush(stdout);
        fprintf(stderr, BC_CLI_NAME ": có nhiều yêu cầu mang số, ký hiệu %s; "
                "hãy chọn một bằng khóa đầy đủ:\n", name);
        //  One full key per line, as bc_records_resolve lists them.
        for (char *line = why; *line;) {
            char *end = strchr(line, '\n');
            size_t len = end ? (size_t) (end - line) : strlen(line);
            if (len) {
                fprintf(stderr, "    %.*s\n", (int) len, line);
            }
            line += len + (end ? 1 : 0);
        }
        return EX_USAGE;
    }
    default:
        return bc_cli_fail(EX_UNAVAILABLE, "không đọc được kho dữ liệu %s: %s",
                           cli->config.store, bc_strerror(rc));
    }
}

int
bc_cli_compile(const bc_cli_t *cli, const char *name, Baocao__Summary **summary_p)
{
    bc_store_t *store = NULL;
    int code = bc_cli_open_store(cli, &store);
    if (code != EX_OK) {
        return code;
    }
    bc_txn_t *txn = NULL;
    bc_err rc = bc_store_begin(store, 0, &txn);
    if (rc != BC_OK) {
        code = bc_cli_fail(EX_UNAVAILABLE, "không đọc được kho dữ liệu %s: %s",
                           cli->config.store, bc_store_last_error(store));
        goto leave;
    }
    bc_reqkey_t key;
    code = bc_cli_resolve(cli, txn, name, &key);
    if (code != EX_OK) {
        goto leave;
    }
    rc = bc_aggregate_compile(txn, &key, bc_clock_now_ms(), summary_p);
    if (rc == BC_ENOTFOUND) {
        code = bc_cli_fail(EX_DATAERR, "không có yêu cầu %s trong kho %s", name,
                           cli->config.store);
    }
    else if (rc != BC_OK) {
        code = bc_cli_fail(EX_UNAVAILABLE, "không tổng hợp được yêu cầu %s: %s (%s)", name,
                           bc_strerror(rc), bc_store_last_error(store));
    }
leave:
    bc_store_abort(&txn);
    bc_store_destroy(&store);
    return code;
}

size_t
bc_cli_terminal_width(void)
{
    if (!isatty(STDOUT_FILENO)) {
        return 0;
    }
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
        return ws.ws_col;
    }
    const char *columns = getenv("COLUMNS");
    long n = columns ? strtol(columns, NULL, 10) : 0;
    return n > 0 && n < 10000 ? (size_t) n : 80;
}

//  Writes all of data to fd, retrying short writes and EINTR.
static int
s_write_all(int fd, const char *data, size_t size)
{
    while (size > 0) {
        ssize_t n = write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        data += n;
        size -= (size_t) n;
    }
    return 0;
}

int
bc_cli_emit(const bc_cli_t *cli, const char *text, const char *what)
{
    size_t len = strlen(text);
    bc_buf_t data;
    bc_buf_init(&data);
    bc_buf_append(&data, text, len);
    if (len == 0 || text[len - 1] != '\n') {
        bc_buf_append(&data, "\n", 1);
    }
    if (!cli->output) {
        //  One write(2) for the whole text rather than stdio's 4 KiB pieces:
        //  a reader such as `tee | head` then gets it all at once, before
        //  head can close the pipe on a writer still in the middle.
        fflush(stdout);
        int failed = s_write_all(STDOUT_FILENO, data.data, data.len);
        bc_buf_release(&data);
        if (failed) {
            return bc_cli_fail(EX_IOERR, "không ghi được ra đầu ra chuẩn: %s", strerror(errno));
        }
        return EX_OK;
    }
    bc_err rc = bc_fs_write_atomic(cli->output, data.data, data.len);
    bc_buf_release(&data);
    switch (rc) {
    case BC_OK:
        printf("Đã ghi %s vào %s.\n", what, cli->output);
        return EX_OK;
    case BC_EDENIED:
        return bc_cli_fail(EX_CANTCREAT, "không có quyền ghi %s", cli->output);
    case BC_EFULL:
        return bc_cli_fail(EX_IOERR, "hết chỗ trống khi ghi %s", cli->output);
    case BC_ENOTFOUND:
        return bc_cli_fail(EX_CANTCREAT, "không ghi được %s: thư mục không tồn tại",
                           cli->output);
    default:
        return bc_cli_fail(EX_IOERR, "không ghi được %s: %s", cli->output, bc_strerror(rc));
    }
}

int
bc_cli_call(const bc_cli_t *cli, const Baocao__Envelope *env, Baocao__Envelope **reply_p)
{
    const char *agency = cli->config.agency;
    if (!*agency || !bc_agency_code_valid(agency)) {
        return bc_cli_fail(EX_CONFIG, "chưa biết mã cơ quan (--as CODE hoặc [cli] agency)");
    }
    bc_client_t *client = NULL;
    char why[1024] = "";
    bc_err rc;
    if (cli->config.key[0]) {
        rc = bc_client_open_secure(&client, cli->config.broker, agency, cli->config.key,
                                   cli->config.broker_key, why, sizeof why);
    }
    else {
        rc = bc_client_open(&client, cli->config.broker, agency);
    }
    if (rc != BC_OK) {
        return bc_cli_fail(rc == BC_EINVAL || rc == BC_EDENIED ? EX_CONFIG : EX_UNAVAILABLE,
                           "không kết nối được tới máy chủ %s: %s", cli->config.broker,
                           why[0] ? why : bc_strerror(rc));
    }
    rc = bc_client_call(client, env, bc_clock_mono_ms() + cli->config.timeout_ms, reply_p);
    bc_client_destroy(&client);
    if (rc == BC_ETIMEDOUT) {
        return bc_cli_fail(EX_UNAVAILABLE, "không có phản hồi từ máy chủ %s sau %lld ms",
                           cli->config.broker, cli->config.timeout_ms);
    }
    if (rc != BC_OK) {
        return bc_cli_fail(EX_UNAVAILABLE, "không gửi được tới máy chủ %s: %s",
                           cli->config.broker, bc_strerror(rc));
    }
    return EX_OK;
}
