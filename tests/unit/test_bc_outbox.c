//  test_bc_outbox - the agent's outbox on a real LMDB store in a temp folder
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bc_alloc.h"
#include "bc_outbox.h"

typedef struct {
    int count;
    char ids[4][40];
    char docs[4][64];
    Baocao__Report *taken;
} s_seen_t;

static void
s_visit(const char *folder, const char *document, Baocao__Report **report_p, void *arg)
{
    s_seen_t *seen = arg;
    assert_string_equal(folder, "1005-STTTT-TTBCXB");
    snprintf(seen->ids[seen->count], sizeof seen->ids[0], "%s", (*report_p)->report_id);
    snprintf(seen->docs[seen->count], sizeof seen->docs[0], "%s", document);
    if (seen->count == 0) {
        seen->taken = *report_p;        //  the visitor may keep the report
        *report_p = NULL;
    }
    seen->count++;
}

static void
test_persists_across_reopen(void **state)
{
    (void) state;
    char dir[] = "/tmp/test_bc_outbox.XXXXXX";
    assert_non_null(mkdtemp(dir));
    bc_outbox_t *outbox = NULL;
    char why[256];
    assert_int_equal(bc_outbox_open(&outbox, dir, why, sizeof why), BC_OK);

    Baocao__Report a = BAOCAO__REPORT__INIT, b = BAOCAO__REPORT__INIT;
    a.report_id = "00000000000000000000000000000001";
    a.subject = "Báo cáo lần 1";
    b.report_id = "00000000000000000000000000000002";
    assert_int_equal(bc_outbox_put(outbox, "1005-STTTT-TTBCXB", "a.txt", &a), BC_OK);
    assert_int_equal(bc_outbox_put(outbox, "1005-STTTT-TTBCXB", "b.txt", &b), BC_OK);
    Baocao__Report bad = BAOCAO__REPORT__INIT;
    bad.report_id = "nope";
    assert_int_equal(bc_outbox_put(outbox, "1005-STTTT-TTBCXB", "c.txt", &bad), BC_EINVAL);
    assert_int_equal(bc_outbox_count(outbox), 2);
    bc_outbox_destroy(&outbox);
    assert_null(outbox);

    //  A new process (here: a new handle) finds both, as they were built.
    assert_int_equal(bc_outbox_open(&outbox, dir, why, sizeof why), BC_OK);
    s_seen_t seen;
    memset(&seen, 0, sizeof seen);
    assert_int_equal(bc_outbox_each(outbox, s_visit, &seen), BC_OK);
    assert_int_equal(seen.count, 2);
    assert_string_equal(seen.ids[0], a.report_id);
    assert_string_equal(seen.docs[1], "b.txt");
    assert_non_null(seen.taken);
    assert_string_equal(seen.taken->subject, "Báo cáo lần 1");
    baocao__report__free_unpacked(seen.taken, NULL);

    assert_int_equal(bc_outbox_del(outbox, a.report_id), BC_OK);
    assert_int_equal(bc_outbox_del(outbox, a.report_id), BC_OK);   //  absent is fine
    assert_int_equal(bc_outbox_count(outbox), 1);
    bc_outbox_destroy(&outbox);

    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void
test_open_refuses_a_file(void **state)
{
    (void) state;
    bc_outbox_t *outbox = NULL;
    char why[256] = "";
    assert_int_not_equal(bc_outbox_open(&outbox, "/dev/null", why, sizeof why), BC_OK);
    assert_null(outbox);
    assert_non_null(strstr(why, "/dev/null"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_persists_across_reopen),
        cmocka_unit_test(test_open_refuses_a_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
