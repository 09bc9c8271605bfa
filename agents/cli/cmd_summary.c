//  cmd_summary - `baocao summary REQUEST [--format text|md|json] [-o FILE]`
#include "bc_cli.h"
#include "bc_export.h"

#include <stdlib.h>
#include <sysexits.h>

int
bc_cmd_summary(bc_cli_t *cli)
{
    bc_export_format_t format = cli->json ? BC_EXPORT_JSON : BC_EXPORT_TEXT;
    if (cli->format && bc_export_format_parse(cli->format, &format) != BC_OK) {
        return bc_cli_fail(EX_USAGE, "định dạng không hỗ trợ: %s (chọn text, md hoặc json)",
                           cli->format);
    }
    Baocao__Summary *summary = NULL;
    int code = bc_cli_compile(cli, cli->args[0], &summary);
    if (code != EX_OK) {
        return code;
    }
    //  Paragraphs wrap to the terminal when printing to one, else to 80.
    bc_export_opts_t opts = { .width = cli->output ? 0 : bc_cli_terminal_width() };
    char *text = bc_export_summary(summary, format, &opts);
    code = bc_cli_emit(cli, text, "báo cáo tổng hợp");
    free(text);
    baocao__summary__free_unpacked(summary, NULL);
    return code;
}
