//  cmd_report - `baocao report verify REQUEST AGENCY [--revision N]`
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "bc_cli.h"
#include "bc_records.h"
#include "bc_sign.h"

int
bc_cmd_report_verify(bc_cli_t *cli)
{
    const char *agency = cli->args[1];
    bc_store_t *store = NULL;
    int code = bc_cli_open_store(cli, &store);
    if (code != EX_OK) {
        return code;
    }
    bc_txn_t *txn = NULL;
    bc_reqkey_t key;
    Baocao__Report *report = NULL;
    Baocao__AgencyRecord *arec = NULL;
    if (bc_store_begin(store, 0, &txn) != BC_OK) {
        code = bc_cli_fail(EX_IOERR, "không đọc được kho dữ liệu");
        goto leave;
    }
    code = bc_cli_resolve(cli, txn, cli->args[0], &key);
    if (code != EX_OK) {
        goto leave;
    }
    if (bc_records_get_report(txn, &key, agency, (uint32_t) cli->revision, &report) != BC_OK) {
        code = bc_cli_fail(EX_DATAERR, "không có báo cáo của %s cho yêu cầu này", agency);
        goto leave;
    }
    if (bc_records_get_agency(txn, agency, &arec) != BC_OK || arec->sign_public.len != 32) {
        code = bc_cli_fail(EX_DATAERR, "cơ quan %s chưa đăng ký khóa ký", agency);
        goto leave;
    }
    int ok = 1;
    for (size_t i = 0; i < report->n_attachments; i++) {
        const Baocao__Attachment *a = report->attachments[i];
        uint8_t digest[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(digest, a->data.data ? a->data.data : (const uint8_t *) "",
                           a->data.len);
        int match = a->sha256.len == sizeof digest
                    && memcmp(digest, a->sha256.data, sizeof digest) == 0;
        printf("  tệp đính kèm %s: %s\n", a->name, match ? "khớp SHA-256" : "KHÔNG KHỚP");
        ok &= match;
    }
    int signed_ok = bc_sign_verify(report, arec->sign_public.data) == BC_OK;
    printf("  chữ ký Ed25519 của %s: %s\n", agency, signed_ok ? "hợp lệ" : "KHÔNG HỢP LỆ");
    ok &= signed_ok;
    if (ok) {
        printf("Báo cáo lần %u của %s nguyên vẹn và đúng là do cơ quan này gửi.\n",
               report->revision, agency);
    }
    else {
        code = bc_cli_fail(EX_DATAERR, "báo cáo lần %u của %s đã bị thay đổi hoặc không đúng "
                           "chữ ký", report->revision, agency);
    }
leave:
    if (report) {
        baocao__report__free_unpacked(report, NULL);
    }
    if (arec) {
        baocao__agency_record__free_unpacked(arec, NULL);
    }
    bc_store_abort(&txn);
    bc_store_destroy(&store);
    return code;
}
