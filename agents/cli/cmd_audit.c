//  cmd_audit - `baocao audit show` and `baocao audit verify`
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "bc_alloc.h"
#include "bc_audit.h"
#include "bc_clock.h"
#include "bc_cli.h"
#include "bc_json.h"

typedef struct {
    Baocao__AuditEntry **items;
    size_t n;
    int json;
} s_show_t;

static int
s_show(const Baocao__AuditEntry *e, void *arg)
{
    s_show_t *s = arg;
    if (s->json) {
        size_t size = baocao__audit_entry__get_packed_size(e);
        uint8_t *buf = bc_malloc(size);
        baocao__audit_entry__pack(e, buf);
        Baocao__AuditEntry *copy = baocao__audit_entry__unpack(NULL, size, buf);
        free(buf);
        if (copy) {
            s->items = bc_realloc(s->items, (s->n + 1) * sizeof *s->items);
            s->items[s->n++] = copy;
        }
        return 0;
    }
    char when[24] = "";
    if (e->at) {
        bc_clock_format_local(e->at->unix_ms, when, sizeof when);
    }
    printf("%6llu  %s  %-13s  %-14s  %s  %s%s%s\n", (unsigned long long) e->seq, when,
           e->actor[0] ? e->actor : "-", e->action, e->accepted ? "chấp nhận" : "TỪ CHỐI  ",
           e->target, e->detail[0] ? "  " : "", e->detail);
    return 0;
}

int
bc_cmd_audit_show(bc_cli_t *cli)
{
    bc_store_t *store = NULL;
    int code = bc_cli_open_store(cli, &store);
    if (code != EX_OK) {
        return code;
    }
    bc_txn_t *txn = NULL;
    s_show_t show = { NULL, 0, cli->json };
    bc_err rc = bc_store_begin(store, 0, &txn);
    if (rc == BC_OK) {
        rc = bc_audit_each(txn, 1, s_show, &show);
        bc_store_abort(&txn);
    }
    if (rc != BC_OK) {
        code = bc_cli_fail(EX_IOERR, "không đọc được nhật ký kiểm toán: %s", bc_strerror(rc));
    }
    else if (cli->json) {
        Baocao__AuditLog log = BAOCAO__AUDIT_LOG__INIT;
        log.entries = show.items;
        log.n_entries = show.n;
        char *json = bc_json_encode(&log.base, BC_JSON_PRETTY);
        code = bc_cli_emit(cli, json, "nhật ký kiểm toán");
        free(json);
    }
    for (size_t i = 0; i < show.n; i++) {
        baocao__audit_entry__free_unpacked(show.items[i], NULL);
    }
    free(show.items);
    bc_store_destroy(&store);
    return code;
}

int
bc_cmd_audit_verify(bc_cli_t *cli)
{
    bc_store_t *store = NULL;
    int code = bc_cli_open_store(cli, &store);
    if (code != EX_OK) {
        return code;
    }
    bc_txn_t *txn = NULL;
    uint64_t count = 0, bad = 0;
    char why[512] = "";
    bc_err rc = bc_store_begin(store, 0, &txn);
    if (rc == BC_OK) {
        rc = bc_audit_verify(txn, &count, &bad, why, sizeof why);
        bc_store_abort(&txn);
    }
    bc_store_destroy(&store);
    if (rc == BC_EPROTO) {
        return bc_cli_fail(EX_DATAERR, "nhật ký kiểm toán đã bị sửa đổi: %s", why);
    }
    if (rc != BC_OK) {
        return bc_cli_fail(EX_IOERR, "không đọc được nhật ký kiểm toán: %s", bc_strerror(rc));
    }
    printf("Nhật ký kiểm toán nguyên vẹn: %llu mục, chuỗi băm khớp từ đầu đến cuối.\n",
           (unsigned long long) count);
    return EX_OK;
}
