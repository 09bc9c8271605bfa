//  cmd_key - `baocao key new AGENCY [--dir DIR] [--force]`
#include <stdio.h>
#include <sysexits.h>

#include "bc_cert.h"
#include "bc_cli.h"
#include "bc_fs.h"
#include "bc_reqkey.h"

int
bc_cmd_key_new(bc_cli_t *cli)
{
    const char *code = cli->args[0];
    //  "broker" names the broker's own pair; anything else is an organ code.
    if (!bc_agency_code_valid(code)) {
        return bc_cli_fail(EX_USAGE, "không phải mã định danh cơ quan: %s", code);
    }
    const char *dir = cli->dir ? cli->dir : ".";
    bc_err rc = bc_fs_mkdirs(dir);
    if (rc != BC_OK) {
        return bc_cli_fail(EX_CANTCREAT, "không tạo được thư mục %s: %s", dir, bc_strerror(rc));
    }
    bc_cert_t cert;
    rc = bc_cert_new(&cert, code);
    if (rc != BC_OK) {
        return bc_cli_fail(EX_SOFTWARE, "không tạo được khóa: %s", bc_strerror(rc));
    }
    rc = bc_cert_save(&cert, dir, cli->force);
    bc_cert_wipe(&cert);
    if (rc == BC_EEXIST) {
        return bc_cli_fail(EX_CANTCREAT, "%s/%s.key đã có; dùng --force để thay khóa (rồi "
                           "baocao agency rotate)", dir, code);
    }
    if (rc != BC_OK) {
        return bc_cli_fail(EX_CANTCREAT, "không ghi được khóa vào %s: %s", dir, bc_strerror(rc));
    }
    printf("Đã tạo khóa cho %s:\n  %s/%s.key  (bí mật, quyền 0600: chỉ để trên máy của cơ quan)\n"
           "  %s/%s.pub  (công khai: gửi cho người quản trị máy chủ)\n",
           code, dir, code, dir, code);
    return EX_OK;
}
