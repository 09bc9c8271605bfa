//  cmd_store - `baocao store backup DIR` and `baocao store restore DIR`
#include <stdio.h>
#include <sysexits.h>

#include "bc_cli.h"
#include "bc_store.h"

static void
s_print_stat(const char *dir, const bc_store_stat_t *st)
{
    printf("  thư mục:        %s\n", dir);
    printf("  yêu cầu:        %zu\n", st->entries[BC_DB_REQUESTS]);
    printf("  lượt gửi:       %zu\n", st->entries[BC_DB_DELIVERIES]);
    printf("  báo cáo:        %zu\n", st->entries[BC_DB_REPORTS]);
    printf("  cơ quan:        %zu\n", st->entries[BC_DB_AGENCIES]);
    printf("  dung lượng:     %.1f MB\n", (double) st->used_bytes / 1e6);
}

int
bc_cmd_store_backup(bc_cli_t *cli)
{
    if (cli->n_args != 1) {
        return bc_cli_fail(EX_USAGE, "cần đúng một thư mục đích: baocao store backup DIR");
    }
    const char *dir = cli->args[0];
    bc_store_t *store = NULL;
    int code = bc_cli_open_store(cli, &store);
    if (code != EX_OK) {
        return code;
    }
    //  A read transaction inside LMDB's copy: the broker keeps writing.
    bc_err rc = bc_store_backup(store, dir);
    bc_store_destroy(&store);
    if (rc == BC_EEXIST) {
        return bc_cli_fail(EX_CANTCREAT, "thư mục %s đã chứa một kho dữ liệu; hãy chọn thư mục "
                           "trống", dir);
    }
    if (rc != BC_OK) {
        return bc_cli_fail(rc == BC_EFULL ? EX_IOERR : EX_CANTCREAT,
                           "không sao lưu được vào %s: %s", dir, bc_strerror(rc));
    }
    bc_store_stat_t st;
    char why[512];
    rc = bc_store_verify(dir, &st, why, sizeof why);
    if (rc != BC_OK) {
        return bc_cli_fail(EX_IOERR, "bản sao lưu không kiểm tra được: %s", why);
    }
    printf("Đã sao lưu và kiểm tra kho dữ liệu %s:\n", cli->config.store);
    s_print_stat(dir, &st);
    return EX_OK;
}

int
bc_cmd_store_restore(bc_cli_t *cli)
{
    if (cli->n_args != 1) {
        return bc_cli_fail(EX_USAGE, "cần đúng một thư mục sao lưu: baocao store restore DIR");
    }
    const char *dir = cli->args[0];
    char why[512];
    bc_store_stat_t st;
    bc_err rc = bc_store_verify(dir, &st, why, sizeof why);
    if (rc != BC_OK) {
        return bc_cli_fail(EX_DATAERR, "bản sao lưu %s không dùng được: %s", dir, why);
    }
    rc = bc_store_restore(dir, cli->config.store, why, sizeof why);
    if (rc == BC_EEXIST) {
        return bc_cli_fail(EX_TEMPFAIL, "máy chủ baocao-broker đang dùng kho %s; hãy dừng nó "
                           "trước khi khôi phục (%s)", cli->config.store, why);
    }
    if (rc != BC_OK) {
        return bc_cli_fail(EX_IOERR, "không khôi phục được: %s", why);
    }
    printf("Đã khôi phục kho dữ liệu %s từ bản sao lưu:\n", cli->config.store);
    s_print_stat(dir, &st);
    return EX_OK;
}
