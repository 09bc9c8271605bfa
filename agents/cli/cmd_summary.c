//  cmd_summary - `baocao summary REQUEST [--format text|md|json|html|pdf] [-o FILE]`
#include "bc_cli.h"
#include "bc_export.h"
#include "bc_export_pdf.h"
#include "bc_fs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

//  Writes all of data to stdout, retrying short writes and EINTR.
static int
s_write_stdout(const char *data, size_t size)
{
    fflush(stdout);
    while (size > 0) {
        ssize_t n = write(STDOUT_FILENO, data, size);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return bc_cli_fail(EX_IOERR, "không ghi được ra đầu ra chuẩn: %s", strerror(errno));
        }
        data += n;
        size -= (size_t) n;
    }
    return EX_OK;
}

//  A binary document (PDF) goes whole to -o FILE, atomically, or to a
//  stdout that is not a terminal; bc_cli_emit is for text (it measures
//  with strlen and adds a final newline).
static int
s_emit_binary(const bc_cli_t *cli, const char *data, size_t size, const char *what)
{
    if (!cli->output) {
        return s_write_stdout(data, size);
    }
    bc_err rc = bc_fs_write_atomic(cli->output, data, size);
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
bc_cmd_summary(bc_cli_t *cli)
{
    bc_export_format_t format = cli->json ? BC_EXPORT_JSON : BC_EXPORT_TEXT;
    if (cli->format && bc_export_format_parse(cli->format, &format) != BC_OK) {
        return bc_cli_fail(EX_USAGE, "định dạng không hỗ trợ: %s (chọn text, md, json, html "
                           "hoặc pdf)", cli->format);
    }
    //  Refused before any work: PDF bytes on a terminal are garbage and can
    //  leave it in a strange state.
    if (bc_export_format_binary(format) && !cli->output && isatty(STDOUT_FILENO)) {
        return bc_cli_fail(EX_USAGE, "không in tệp PDF ra màn hình: hãy ghi vào tệp với "
                           "-o TỆP.pdf hoặc chuyển hướng đầu ra (> TỆP.pdf)");
    }
    Baocao__Summary *summary = NULL;
    int code = bc_cli_compile(cli, cli->args[0], &summary);
    if (code != EX_OK) {
        return code;
    }
    //  Paragraphs wrap to the terminal when printing to one, else to 80.
    bc_export_opts_t opts = { .width = cli->output ? 0 : bc_cli_terminal_width() };
    char *data = NULL;
    size_t size = 0;
    bc_err rc = bc_export_render(summary, format, &opts, &data, &size);
    baocao__summary__free_unpacked(summary, NULL);
    if (format == BC_EXPORT_PDF) {
        //  The process ends after this command: hand back the font caches
        //  now, so leak checkers see only what is really lost.
        bc_export_pdf_release_fonts();
    }
    if (rc != BC_OK) {
        return bc_cli_fail(EX_SOFTWARE, "không tạo được báo cáo tổng hợp dạng %s: %s",
                           cli->format ? cli->format : "text", bc_strerror(rc));
    }
    if (bc_export_format_binary(format)) {
        code = s_emit_binary(cli, data, size, "báo cáo tổng hợp");
    }
    else {
        code = bc_cli_emit(cli, data, "báo cáo tổng hợp");
    }
    free(data);
    return code;
}
