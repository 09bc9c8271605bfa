//  test_bc_store - the LMDB layer on a real environment in a temporary folder
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bc_keys.h"
#include "bc_records.h"
#include "bc_store.h"

typedef struct {
    char dir[64];
    bc_store_t *store;
} fixture_t;

static int
setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/test_bc_store.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    bc_store_opts_t opts = { f->dir, 1 << 20, 0, 0 };
    assert_int_equal(bc_store_open(&f->store, &opts), BC_OK);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture_t *f = *state;
    bc_store_destroy(&f->store);
    assert_null(f->store);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static void
s_key(bc_reqkey_t *key, const char *issuer, uint32_t number, unsigned day)
{
    memset(key, 0, sizeof *key);
    snprintf(key->issuer, sizeof key->issuer, "%s", issuer);
    key->year = 2026;
    key->month = 11;
    key->day = (uint8_t) day;
    key->number = number;
    snprintf(key->notation, sizeof key->notation, "STTTT-TTBCXB");
}

static bc_err
s_put_request(bc_store_t *store, const bc_reqkey_t *key, const char *subject)
{
    Baocao__ReportRequest req = BAOCAO__REPORT_REQUEST__INIT;
    req.subject = (char *) subject;
    Baocao__RequestRecord rec = BAOCAO__REQUEST_RECORD__INIT;
    rec.request = &req;
    bc_txn_t *txn = NULL;
    assert_int_equal(bc_store_begin(store, 1, &txn), BC_OK);
    bc_err rc = bc_records_put_request(txn, key, &rec);
    if (rc == BC_OK) {
        return bc_store_commit(&txn);
    }
    bc_store_abort(&txn);
    return rc;
}

static void
test_key_layout(void **state)
{
    (void) state;
    bc_reqkey_t key, back;
    s_key(&key, "000.00.07.H45", 1005, 20);
    key.doc_year = 2017;
    uint8_t bytes[BC_KEY_REQUEST_SIZE];
    bc_key_request(&key, bytes);
    assert_int_equal(BC_KEY_REQUEST_SIZE, 106);
    assert_memory_equal(bytes, "000.00.07.H45", 13);
    assert_int_equal(bytes[13], 0);
    //  yyyymmdd = 20261120 = 0x0135294 0 big-endian
    uint32_t ymd = (uint32_t) bytes[32] << 24 | bytes[33] << 16 | bytes[34] << 8 | bytes[35];
    assert_int_equal(ymd, 20261120);
    assert_int_equal(bytes[38] << 8 | bytes[39], 1005);
    assert_int_equal(bytes[40] << 8 | bytes[41], 2017);
    assert_memory_equal(bytes + 42, "STTTT-TTBCXB", 12);
    assert_int_equal(bc_key_request_decode(bytes, sizeof bytes, &back), 0);
    assert_true(bc_reqkey_equal(&key, &back));
    assert_int_equal(bc_key_request_decode(bytes, 10, &back), -1);

    //  Byte order is the order we list in: by organ, then date, then number.
    bc_reqkey_t a, b;
    uint8_t ka[BC_KEY_REQUEST_SIZE], kb[BC_KEY_REQUEST_SIZE];
    s_key(&a, "000.00.07.H45", 1005, 5);
    s_key(&b, "000.00.07.H45", 7, 20);
    bc_key_request(&a, ka);
    bc_key_request(&b, kb);
    assert_true(memcmp(ka, kb, sizeof ka) < 0);
    uint8_t kd[BC_KEY_DELIVERY_SIZE], kr[BC_KEY_REPORT_SIZE], kp[BC_KEY_PENDING_SIZE];
    bc_key_delivery(&a, "000.00.04.H45", kd);
    bc_key_report(&a, "000.00.04.H45", 3, kr);
    bc_key_pending("000.00.04.H45", &a, kp);
    assert_memory_equal(kd, ka, sizeof ka);
    assert_memory_equal(kr, kd, sizeof kd);
    assert_int_equal(kr[BC_KEY_REPORT_SIZE - 1], 3);
    assert_memory_equal(kp, "000.00.04.H45", 13);
    assert_memory_equal(kp + BC_KEY_CODE_SIZE, ka, sizeof ka);
}

static void
test_request_put_get_duplicate(void **state)
{
    fixture_t *f = *state;
    bc_reqkey_t key;
    s_key(&key, "000.00.07.H45", 1005, 20);
    assert_int_equal(s_put_request(f->store, &key, "Báo cáo Chỉ thị 06"), BC_OK);
    assert_int_equal(s_put_request(f->store, &key, "again"), BC_EEXIST);

    bc_txn_t *txn = NULL;
    assert_int_equal(bc_store_begin(f->store, 0, &txn), BC_OK);
    Baocao__RequestRecord *rec = NULL;
    assert_int_equal(bc_records_get_request(txn, &key, &rec), BC_OK);
    assert_string_equal(rec->request->subject, "Báo cáo Chỉ thị 06");
    baocao__request_record__free_unpacked(rec, NULL);
    bc_reqkey_t other;
    s_key(&other, "000.00.07.H45", 1006, 20);
    rec = NULL;
    assert_int_equal(bc_records_get_request(txn, &other, &rec), BC_ENOTFOUND);
    assert_null(rec);
    bc_store_abort(&txn);
    assert_null(txn);
}

static int
s_count_request(const bc_reqkey_t *key, const Baocao__RequestRecord *rec, void *arg)
{
    (void) key;
    (void) rec;
    (*(int *) arg)++;
    return 0;
}

static void
test_resolve_by_citation_and_key(void **state)
{
    fixture_t *f = *state;
    bc_reqkey_t a, b, c, found;
    s_key(&a, "000.00.07.H45", 1005, 5);
    s_key(&b, "000.00.07.H45", 1005, 20);      //  same citation, another date
    s_key(&c, "000.00.07.H45", 77, 20);
    assert_int_equal(s_put_request(f->store, &a, "a"), BC_OK);
    assert_int_equal(s_put_request(f->store, &b, "b"), BC_OK);
    assert_int_equal(s_put_request(f->store, &c, "c"), BC_OK);
    bc_txn_t *txn = NULL;
    assert_int_equal(bc_store_begin(f->store, 0, &txn), BC_OK);
    int n = 0;
    assert_int_equal(bc_records_each_request(txn, s_count_request, &n), BC_OK);
    assert_int_equal(n, 3);
    char why[512] = "";
    assert_int_equal(bc_records_resolve(txn, "77/STTTT-TTBCXB", &found, why, sizeof why), BC_OK);
    assert_true(bc_reqkey_equal(&found, &c));
    assert_int_equal(bc_records_resolve(txn, "1005/STTTT-TTBCXB", &found, why, sizeof why),
                     BC_EEXIST);
    assert_non_null(strstr(why, "000.00.07.H45,2026-11-05,1005/STTTT-TTBCXB"));
    assert_non_null(strstr(why, "000.00.07.H45,2026-11-20,1005/STTTT-TTBCXB"));
    assert_int_equal(bc_records_resolve(txn, "000.00.07.H45,2026-11-20,1005/STTTT-TTBCXB",
                                        &found, why, sizeof why), BC_OK);
    assert_true(bc_reqkey_equal(&found, &b));
    assert_int_equal(bc_records_resolve(txn, "9/STTTT-TTBCXB", &found, why, sizeof why),
                     BC_ENOTFOUND);
    assert_int_equal(bc_records_resolve(txn, "not a request", &found, why, sizeof why),
                     BC_EINVAL);
    bc_store_abort(&txn);
}

static int
s_collect_pending(const bc_reqkey_t *key, void *arg)
{
    uint32_t *numbers = arg;
    numbers[numbers[0] + 1] = key->number;
    numbers[0]++;
    return 0;
}

static void
test_deliveries_and_pending(void **state)
{
    fixture_t *f = *state;
    bc_reqkey_t a, b;
    s_key(&a, "000.00.07.H45", 10, 20);
    s_key(&b, "000.00.07.H45", 11, 20);
    bc_txn_t *txn = NULL;
    assert_int_equal(bc_store_begin(f->store, 1, &txn), BC_OK);
    Baocao__DeliveryRecord rec = BAOCAO__DELIVERY_RECORD__INIT;
    rec.attempts = 2;
    assert_int_equal(bc_records_put_delivery(txn, &a, "000.00.04.H45", &rec), BC_OK);
    assert_int_equal(bc_records_set_pending(txn, "000.00.04.H45", &a, 1), BC_OK);
    assert_int_equal(bc_records_set_pending(txn, "000.00.04.H45", &b, 1), BC_OK);
    assert_int_equal(bc_records_set_pending(txn, "000.00.05.H45", &a, 1), BC_OK);
    assert_int_equal(bc_records_set_pending(txn, "000.00.04.H45", &a, 0), BC_OK);
    assert_int_equal(bc_records_set_pending(txn, "000.00.04.H45", &a, 0), BC_OK);
    assert_int_equal(bc_store_commit(&txn), BC_OK);

    assert_int_equal(bc_store_begin(f->store, 0, &txn), BC_OK);
    uint32_t numbers[8] = { 0 };
    assert_int_equal(bc_records_each_pending(txn, "000.00.04.H45", s_collect_pending, numbers),
                     BC_OK);
    assert_int_equal(numbers[0], 1);
    assert_int_equal(numbers[1], 11);
    Baocao__DeliveryRecord *got = NULL;
    assert_int_equal(bc_records_get_delivery(txn, &a, "000.00.04.H45", &got), BC_OK);
    assert_int_equal(got->attempts, 2);
    baocao__delivery_record__free_unpacked(got, NULL);
    assert_int_equal(bc_records_get_delivery(txn, &a, "000.00.05.H45", &got), BC_ENOTFOUND);
    bc_store_abort(&txn);
}

static void
test_report_revisions_and_ids(void **state)
{
    fixture_t *f = *state;
    bc_reqkey_t key;
    s_key(&key, "000.00.07.H45", 1005, 20);
    bc_txn_t *txn = NULL;
    assert_int_equal(bc_store_begin(f->store, 1, &txn), BC_OK);
    for (uint32_t rev = 1; rev <= 3; rev++) {
        Baocao__Report report = BAOCAO__REPORT__INIT;
        char subject[16];
        snprintf(subject, sizeof subject, "rev %u", rev);
        report.subject = subject;
        report.revision = rev;
        assert_int_equal(bc_records_put_report(txn, &key, "000.00.04.H45", rev, &report), BC_OK);
    }
    Baocao__Report other = BAOCAO__REPORT__INIT;
    other.subject = "other agency";
    assert_int_equal(bc_records_put_report(txn, &key, "000.00.05.H45", 1, &other), BC_OK);
    assert_int_equal(bc_records_put_report(txn, &key, "000.00.05.H45", 1, &other), BC_EEXIST);

    Baocao__ReportIdRecord idrec = BAOCAO__REPORT_ID_RECORD__INIT;
    idrec.agency_code = "000.00.04.H45";
    idrec.revision = 3;
    idrec.seq = 42;
    const char *rid = "0123456789abcdef0123456789abcdef";
    assert_int_equal(bc_records_put_report_id(txn, rid, &idrec), BC_OK);
    assert_int_equal(bc_records_put_report_id(txn, rid, &idrec), BC_EEXIST);
    assert_int_equal(bc_records_put_report_id(txn, "XYZ", &idrec), BC_EINVAL);
    assert_int_equal(bc_store_commit(&txn), BC_OK);

    assert_int_equal(bc_store_begin(f->store, 0, &txn), BC_OK);
    Baocao__Report *got = NULL;
    assert_int_equal(bc_records_get_report(txn, &key, "000.00.04.H45", 0, &got), BC_OK);
    assert_string_equal(got->subject, "rev 3");
    baocao__report__free_unpacked(got, NULL);
    assert_int_equal(bc_records_get_report(txn, &key, "000.00.04.H45", 1, &got), BC_OK);
    assert_string_equal(got->subject, "rev 1");
    baocao__report__free_unpacked(got, NULL);
    assert_int_equal(bc_records_get_report(txn, &key, "000.00.05.H45", 0, &got), BC_OK);
    assert_string_equal(got->subject, "other agency");
    baocao__report__free_unpacked(got, NULL);
    assert_int_equal(bc_records_get_report(txn, &key, "000.00.06.H45", 0, &got), BC_ENOTFOUND);
    Baocao__ReportIdRecord *seen = NULL;
    assert_int_equal(bc_records_get_report_id(txn, rid, &seen), BC_OK);
    assert_int_equal(seen->seq, 42);
    baocao__report_id_record__free_unpacked(seen, NULL);
    bc_store_abort(&txn);
}

static void
test_nested_abort_keeps_the_rest(void **state)
{
    fixture_t *f = *state;
    bc_reqkey_t a, b;
    s_key(&a, "000.00.07.H45", 1, 20);
    s_key(&b, "000.00.07.H45", 2, 20);
    Baocao__ReportRequest req = BAOCAO__REPORT_REQUEST__INIT;
    Baocao__RequestRecord rec = BAOCAO__REQUEST_RECORD__INIT;
    rec.request = &req;
    bc_txn_t *txn = NULL, *child = NULL;
    assert_int_equal(bc_store_begin(f->store, 1, &txn), BC_OK);
    assert_int_equal(bc_store_begin_child(txn, &child), BC_OK);
    assert_int_equal(bc_records_put_request(child, &a, &rec), BC_OK);
    assert_int_equal(bc_store_commit(&child), BC_OK);
    assert_int_equal(bc_store_begin_child(txn, &child), BC_OK);
    assert_int_equal(bc_records_put_request(child, &b, &rec), BC_OK);
    bc_store_abort(&child);
    uint64_t seq1 = 0, seq2 = 0;
    assert_int_equal(bc_store_next_seq(txn, &seq1), BC_OK);
    assert_int_equal(bc_store_next_seq(txn, &seq2), BC_OK);
    assert_int_equal(seq2, seq1 + 1);
    assert_int_equal(bc_store_commit(&txn), BC_OK);
    assert_int_equal(bc_store_begin(f->store, 0, &txn), BC_OK);
    uint8_t ka[BC_KEY_REQUEST_SIZE], kb[BC_KEY_REQUEST_SIZE];
    bc_key_request(&a, ka);
    bc_key_request(&b, kb);
    assert_true(bc_store_has(txn, BC_DB_REQUESTS, ka, sizeof ka));
    assert_false(bc_store_has(txn, BC_DB_REQUESTS, kb, sizeof kb));
    bc_store_abort(&txn);
}

static void
test_reader_process_sees_commits(void **state)
{
    fixture_t *f = *state;
    bc_reqkey_t key;
    s_key(&key, "000.00.07.H45", 5, 20);
    assert_int_equal(s_put_request(f->store, &key, "seen by another process"), BC_OK);
    //  A second process opens the store read-only while this one keeps it open
    //  for writing, as the CLI does beside a running broker.
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        bc_store_t *reader = NULL;
        bc_store_opts_t opts = { f->dir, 0, 1, 0 };
        if (bc_store_open(&reader, &opts) != BC_OK) {
            _exit(1);
        }
        bc_txn_t *txn = NULL;
        Baocao__RequestRecord *rec = NULL;
        int ok = bc_store_begin(reader, 0, &txn) == BC_OK
                 && bc_records_get_request(txn, &key, &rec) == BC_OK
                 && strcmp(rec->request->subject, "seen by another process") == 0;
        bc_txn_t *wtxn = NULL;
        ok = ok && bc_store_begin(reader, 1, &wtxn) == BC_EDENIED;
        if (rec) {
            baocao__request_record__free_unpacked(rec, NULL);
        }
        bc_store_abort(&txn);
        bc_store_destroy(&reader);
        _exit(ok ? 0 : 2);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void
test_map_grows_instead_of_failing(void **state)
{
    fixture_t *f = *state;
    //  The fixture's map is 1 MiB; write 8 MiB of reports in 64 KiB values.
    static uint8_t blob[64 << 10];
    memset(blob, 'x', sizeof blob);
    bc_reqkey_t key;
    s_key(&key, "000.00.07.H45", 9, 20);
    for (uint32_t rev = 1; rev <= 128; rev++) {
        Baocao__Report report = BAOCAO__REPORT__INIT;
        Baocao__Attachment att = BAOCAO__ATTACHMENT__INIT;
        Baocao__Attachment *atts[] = { &att };
        att.data.data = blob;
        att.data.len = sizeof blob;
        report.attachments = atts;
        report.n_attachments = 1;
        bc_err rc = BC_EFULL;
        for (int attempt = 0; attempt < 8 && rc == BC_EFULL; attempt++) {
            bc_txn_t *txn = NULL;
            assert_int_equal(bc_store_begin(f->store, 1, &txn), BC_OK);
            rc = bc_records_put_report(txn, &key, "000.00.04.H45", rev, &report);
            if (rc == BC_OK) {
                rc = bc_store_commit(&txn);
            }
            else {
                bc_store_abort(&txn);
            }
            if (rc == BC_EFULL) {
                assert_int_equal(bc_store_grow(f->store), BC_OK);
            }
        }
        assert_int_equal(rc, BC_OK);
    }
    bc_store_stat_t st;
    assert_int_equal(bc_store_stat(f->store, &st), BC_OK);
    assert_true(st.map_size >= 8u << 20);
    assert_int_equal(st.entries[BC_DB_REPORTS], 128);
}

static void
test_newer_schema_is_refused(void **state)
{
    fixture_t *f = *state;
    bc_store_destroy(&f->store);
    //  Write a schema version from the future with LMDB directly.
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    assert_int_equal(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 16);
    assert_int_equal(mdb_env_open(env, f->dir, 0, 0640), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "meta", 0, &dbi), 0);
    uint32_t schema = BC_STORE_SCHEMA + 1;
    MDB_val k = { 6, "schema" }, v = { sizeof schema, &schema };
    assert_int_equal(mdb_put(txn, dbi, &k, &v, 0), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
    bc_store_opts_t opts = { f->dir, 1 << 20, 0, 0 };
    assert_int_equal(bc_store_open(&f->store, &opts), BC_EPROTO);
    assert_null(f->store);
}

static void
test_read_only_open_of_missing_store(void **state)
{
    (void) state;
    bc_store_t *store = NULL;
    bc_store_opts_t opts = { "/tmp/definitely-not-a-baocao-store", 0, 1, 0 };
    assert_int_equal(bc_store_open(&store, &opts), BC_ENOTFOUND);
    assert_null(store);
    opts.dir = "";
    assert_int_equal(bc_store_open(&store, &opts), BC_EINVAL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_layout),
        cmocka_unit_test_setup_teardown(test_request_put_get_duplicate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resolve_by_citation_and_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deliveries_and_pending, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_revisions_and_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_abort_keeps_the_rest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reader_process_sees_commits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_grows_instead_of_failing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_is_refused, setup, teardown),
        cmocka_unit_test(test_read_only_open_of_missing_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
