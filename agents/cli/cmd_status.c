//  cmd_status - `baocao status REQUEST`: who has answered, on time or not
#include "bc_cli.h"
#include "bc_export.h"

#include <stdlib.h>
#include <sysexits.h>

int
bc_cmd_status(bc_cli_t *cli)
{
    Baocao__Summary *summary = NULL;
    int code = bc_cli_compile(cli, cli->args[0], &summary);
    if (code != EX_OK) {
        return code;
    }
    bc_export_opts_t opts = { .width = bc_cli_terminal_width() };
    char *text = bc_export_status(summary, cli->json ? BC_EXPORT_JSON : BC_EXPORT_TEXT, &opts);
    code = bc_cli_emit(cli, text, "tình hình báo cáo");
    free(text);
    baocao__summary__free_unpacked(summary, NULL);
    return code;
}
