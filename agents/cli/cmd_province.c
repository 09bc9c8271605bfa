//  cmd_province - `baocao province init CSV --dir OUT`: keys and bundles for a province
//
//  From a CSV of agencies (code,name,role) it makes the broker's key pair,
//  one key pair per agency, the broker's agency list with every public key,
//  and one folder per agency ready to copy to that agency's server: its key
//  files, the broker's public key and a config file whose paths point into
//  that folder (so the bundle works where it lands; move it as a whole).
#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "bc_alloc.h"
#include "bc_cert.h"
#include "bc_cli.h"
#include "bc_csv.h"
#include "bc_fs.h"
#include "bc_id.h"
#include "bc_reqkey.h"

#define S_CSV_MAX   (8u << 20)

//  printf into a new string the caller frees (paths and config texts of
//  any length, no truncation).
static char *
s_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
s_fmt(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *out = bc_malloc((size_t) (n > 0 ? n : 0) + 1);
    va_start(ap, fmt);
    vsnprintf(out, (size_t) (n > 0 ? n : 0) + 1, fmt, ap);
    va_end(ap);
    return out;
}

//  Writes text to the path and frees both.
static int
s_put(char *path, char *text)
{
    bc_err rc = bc_fs_write_atomic(path, text, strlen(text));
    int code = EX_OK;
    if (rc != BC_OK) {
        code = bc_cli_fail(EX_CANTCREAT, "không ghi được %s: %s", path, bc_strerror(rc));
    }
    free(path);
    free(text);
    return code;
}

static int
s_write(const char *path, const char *text)
{
    bc_err rc = bc_fs_write_atomic(path, text, strlen(text));
    if (rc != BC_OK) {
        return bc_cli_fail(EX_CANTCREAT, "không ghi được %s: %s", path, bc_strerror(rc));
    }
    return EX_OK;
}

//  CSV field quoting for names with commas or quotes.
static void
s_csv_field(bc_buf_t *out, const char *text)
{
    if (!strpbrk(text, ",\"\n")) {
        bc_buf_puts(out, text);
        return;
    }
    bc_buf_puts(out, "\"");
    for (const char *p = text; *p; p++) {
        bc_buf_append(out, p, 1);
        if (*p == '"') {
            bc_buf_append(out, "\"", 1);
        }
    }
    bc_buf_puts(out, "\"");
}

int
bc_cmd_province_init(bc_cli_t *cli)
{
    const char *csv_path = cli->args[0];
    if (!cli->dir) {
        return bc_cli_fail(EX_USAGE, "cần --dir OUT: thư mục để ghi khóa và bộ cài của tỉnh");
    }
    char *text = NULL;
    size_t size = 0;
    bc_err rc = bc_fs_read(csv_path, S_CSV_MAX, &text, &size);
    if (rc != BC_OK) {
        return bc_cli_fail(EX_NOINPUT, "không đọc được %s: %s", csv_path, bc_strerror(rc));
    }
    bc_csv_t *csv = NULL;
    size_t line = 0;
    rc = bc_csv_parse(text, size, &csv, &line);
    free(text);
    if (rc != BC_OK) {
        return bc_cli_fail(EX_DATAERR, "%s:%zu: CSV không hợp lệ", csv_path, line);
    }
    int code = EX_OK;
    bc_buf_t agencies;
    bc_buf_init(&agencies);
    char out[PATH_MAX];
    if (bc_fs_mkdirs(cli->dir) != BC_OK || !realpath(cli->dir, out)) {
        code = bc_cli_fail(EX_CANTCREAT, "không tạo được thư mục %s", cli->dir);
        goto leave;
    }
    if (bc_csv_rows(csv) < 2 || bc_csv_cols(csv, 0) < 3
        || strcmp(bc_csv_cell(csv, 0, 0), "code") != 0) {
        code = bc_cli_fail(EX_DATAERR, "%s: cần dòng tiêu đề code,name,role và ít nhất một cơ "
                           "quan", csv_path);
        goto leave;
    }
    //  The broker's pair first: every bundle carries its public half.
    char dir[PATH_MAX + 64];
    snprintf(dir, sizeof dir, "%s/broker", out);
    bc_cert_t broker;
    if (bc_fs_mkdirs(dir) != BC_OK || bc_cert_new(&broker, "broker") != BC_OK
        || bc_cert_save(&broker, dir, cli->force) != BC_OK) {
        code = bc_cli_fail(EX_CANTCREAT, "không tạo được khóa máy chủ trong %s (đã có? dùng "
                           "--force để tạo lại cả tỉnh)", dir);
        goto leave;
    }
    bc_cert_wipe(&broker);
    bc_buf_puts(&agencies, "code,name,role,curve_public,sign_public\n");
    size_t made = 0;
    for (size_t row = 1; row < bc_csv_rows(csv); row++) {
        const char *acode = bc_csv_cell(csv, row, 0);
        const char *name = bc_csv_cell(csv, row, 1);
        const char *role = bc_csv_cell(csv, row, 2);
        if (!acode || !name || !role || !bc_agency_code_valid(acode)) {
            code = bc_cli_fail(EX_DATAERR, "%s:%zu: cần mã định danh, tên và vai trò", csv_path,
                               bc_csv_line(csv, row));
            goto leave;
        }
        snprintf(dir, sizeof dir, "%s/%s", out, acode);
        bc_cert_t cert;
        if (bc_fs_mkdirs(dir) != BC_OK || bc_cert_new(&cert, acode) != BC_OK
            || bc_cert_save(&cert, dir, cli->force) != BC_OK) {
            code = bc_cli_fail(EX_CANTCREAT, "không tạo được khóa của %s trong %s", acode, dir);
            goto leave;
        }
        char sign_hex[2 * BC_CERT_SIGN_PUBLIC + 1];
        bc_hex_encode(cert.sign_public, sizeof cert.sign_public, sign_hex);
        bc_buf_puts(&agencies, acode);
        bc_buf_puts(&agencies, ",");
        s_csv_field(&agencies, name);
        bc_buf_printf(&agencies, ",%s,%s,%s\n", role, cert.curve_public, sign_hex);
        bc_cert_wipe(&cert);
        //  The broker's public key beside the agency's own.
        char *pub = NULL;
        size_t pub_size = 0;
        char *bpath = s_fmt("%s/broker/broker.pub", out);
        rc = bc_fs_read(bpath, 4096, &pub, &pub_size);
        free(bpath);
        if (rc != BC_OK) {
            code = bc_cli_fail(EX_IOERR, "không đọc được khóa công khai của máy chủ");
            goto leave;
        }
        if ((code = s_put(s_fmt("%s/broker.pub", dir), pub)) != EX_OK) {
            goto leave;
        }
        if (strstr(role, "department")) {
            code = s_put(s_fmt("%s/baocao-agent.conf", dir),
                         s_fmt("# baocao-agent of %s (%s), made by baocao province init\n"
                               "[agent]\ncode = %s\nname = %s\nbroker = %s\ndrop = %s/drop\n"
                               "key = %s/%s.key\nbroker_key = %s/broker.pub\n",
                               name, acode, acode, name, cli->config.broker, dir, dir, acode,
                               dir));
            if (code != EX_OK) {
                goto leave;
            }
        }
        if (strstr(role, "coordinator") || strstr(role, "operator")) {
            code = s_put(s_fmt("%s/baocao.conf", dir),
                         s_fmt("# baocao CLI of %s (%s), made by baocao province init\n"
                               "[cli]\nagency = %s\nbroker = %s\nstore = %s\nkey = %s/%s.key\n"
                               "broker_key = %s/broker.pub\n",
                               name, acode, acode, cli->config.broker, cli->config.store, dir,
                               acode, dir));
            if (code != EX_OK) {
                goto leave;
            }
        }
        made++;
    }
    {
        char *apath = s_fmt("%s/broker/agencies.csv", out);
        code = s_write(apath, agencies.data);
        free(apath);
        if (code != EX_OK) {
            goto leave;
        }
    }
    code = s_put(s_fmt("%s/broker/baocao-broker.conf", out),
                 s_fmt("# baocao-broker of the province, made by baocao province init\n"
                       "[broker]\nendpoint = %s\nstore = %s\nagencies = %s/broker/agencies.csv\n"
                       "key = %s/broker/broker.key\nsecurity = curve\nrequire_signatures = yes\n",
                       cli->config.broker, cli->config.store, out, out));
    if (code != EX_OK) {
        goto leave;
    }
    printf("Đã tạo khóa và bộ cài cho %zu cơ quan trong %s:\n"
           "  %s/broker/      khóa máy chủ, danh sách cơ quan (agencies.csv), baocao-broker.conf\n"
           "  %s/<mã cơ quan>/ khóa của cơ quan, broker.pub và tệp cấu hình, sao chép nguyên thư "
           "mục sang máy của cơ quan đó\n",
           made, out, out, out);
leave:
    bc_buf_release(&agencies);
    bc_csv_destroy(&csv);
    return code;
}
