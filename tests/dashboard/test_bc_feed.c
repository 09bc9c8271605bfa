//  test_bc_feed - the dashboard's ring of updates: sequence, filters, gaps, ids
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bc_alloc.h"
#include "bc_feed.h"
#include "bc_view.h"

#define K1  "000.00.07.H45,2026-11-20,1005/STTTT-TTBCXB"
#define K2  "000.00.07.H45,2026-11-21,1006/STTTT-TTBCXB"

typedef struct {
    bc_view_t *view;
    bc_feed_t *feed;
} s_fixture_t;

//  A feed without a broker (no endpoint) over a store that does not exist:
//  the ring alone, as HTTP threads see it.
static int
s_setup(void **state)
{
    s_fixture_t *f = bc_calloc(1, sizeof *f);
    f->view = bc_view_new("/nonexistent/baocao-store");
    bc_feed_opts_t opts = { .endpoint = "", .ring_size = 4 };
    char why[256];
    assert_int_equal(bc_feed_open(&f->feed, &opts, f->view, why, sizeof why), BC_OK);
    *state = f;
    return 0;
}

static int
s_teardown(void **state)
{
    s_fixture_t *f = *state;
    bc_feed_destroy(&f->feed);
    assert_null(f->feed);
    bc_feed_destroy(&f->feed);          //  safe twice
    bc_view_destroy(&f->view);
    free(f);
    return 0;
}

static uint64_t
s_push(bc_feed_t *feed, const char *kind, const char *key)
{
    Baocao__DashUpdate upd = BAOCAO__DASH_UPDATE__INIT;
    upd.kind = (char *) kind;
    upd.request_key = (char *) key;
    uint64_t seq = bc_feed_push(feed, &upd);
    assert_int_equal(upd.seq, seq);
    assert_null(upd.received_at);       //  no stack pointer left behind
    return seq;
}

//  How many frames a read returned.
static int
s_frames(const bc_buf_t *buf)
{
    int n = 0;
    for (const char *p = buf->data; p && (p = strstr(p, "event: update\n")); p++) {
        n++;
    }
    return n;
}

static void
test_sequence_and_frames(void **state)
{
    s_fixture_t *f = *state;
    assert_int_equal(bc_feed_seq(f->feed), 0);
    assert_int_equal(s_push(f->feed, "report.stored", K1), 1);
    assert_int_equal(s_push(f->feed, "report.stored", K2), 2);
    assert_int_equal(bc_feed_seq(f->feed), 2);

    bc_buf_t out;
    bc_buf_init(&out);
    uint64_t last = 0;
    assert_int_equal(bc_feed_read(f->feed, 0, NULL, &out, &last), BC_OK);
    assert_int_equal(last, 2);
    assert_int_equal(s_frames(&out), 2);
    char id[BC_FEED_ID_MAX], want[BC_FEED_ID_MAX + 32];
    bc_feed_format_id(f->feed, 1, id, sizeof id);
    snprintf(want, sizeof want, "id: %s\nevent: update\ndata: {", id);
    assert_non_null(strstr(out.data, want));
    assert_non_null(strstr(out.data, "\"kind\":\"report.stored\""));
    assert_non_null(strstr(out.data, "\"seq\":\"1\""));
    //  Every frame ends with a blank line, and data stays on one line.
    assert_int_equal(out.data[out.len - 1], '\n');
    assert_int_equal(out.data[out.len - 2], '\n');
    bc_buf_release(&out);

    //  Up to date: nothing, and last stays the newest.
    bc_buf_init(&out);
    assert_int_equal(bc_feed_read(f->feed, 2, NULL, &out, &last), BC_OK);
    assert_int_equal(out.len, 0);
    assert_int_equal(last, 2);
    bc_buf_release(&out);
}

static void
test_filter_by_request(void **state)
{
    s_fixture_t *f = *state;
    s_push(f->feed, "report.stored", K1);
    s_push(f->feed, "report.stored", K2);
    s_push(f->feed, "presence", "");
    s_push(f->feed, "feed.resync", "");
    bc_buf_t out;
    bc_buf_init(&out);
    uint64_t last = 0;
    assert_int_equal(bc_feed_read(f->feed, 0, K1, &out, &last), BC_OK);
    assert_int_equal(last, 4);
    //  K1's own update, and the two that concern everyone; not K2's.
    assert_int_equal(s_frames(&out), 3);
    assert_null(strstr(out.data, "1006"));
    bc_buf_release(&out);
}

static void
test_gap_and_future(void **state)
{
    s_fixture_t *f = *state;
    for (int i = 0; i < 10; i++) {
        s_push(f->feed, "report.stored", K1);
    }
    bc_feed_stats_t st;
    bc_feed_stats(f->feed, &st);
    assert_int_equal(st.seq, 10);
    assert_int_equal(st.oldest, 7);     //  ring of 4: 7, 8, 9, 10
    bc_buf_t out;
    bc_buf_init(&out);
    uint64_t last = 99;
    //  After 6: 7..10 are all kept.
    assert_int_equal(bc_feed_read(f->feed, 6, NULL, &out, &last), BC_OK);
    assert_int_equal(s_frames(&out), 4);
    assert_int_equal(last, 10);
    bc_buf_release(&out);
    //  After 5: 6 is gone, the client needs a snapshot; nothing is touched.
    bc_buf_init(&out);
    last = 99;
    assert_int_equal(bc_feed_read(f->feed, 5, NULL, &out, &last), BC_ENOTFOUND);
    assert_int_equal(out.len, 0);
    assert_int_equal(last, 99);
    //  Ahead of this run (an id of a later run, or made up).
    assert_int_equal(bc_feed_read(f->feed, 11, NULL, &out, &last), BC_ENOTFOUND);
    bc_buf_release(&out);
}

static void
test_ids(void **state)
{
    s_fixture_t *f = *state;
    char id[BC_FEED_ID_MAX];
    bc_feed_format_id(f->feed, 42, id, sizeof id);
    uint64_t seq = 0;
    assert_int_equal(bc_feed_parse_id(f->feed, id, &seq), BC_OK);
    assert_int_equal(seq, 42);
    //  Another run: well formed, not ours.
    assert_int_equal(bc_feed_parse_id(f->feed, "0-42", &seq), BC_ENOTFOUND);
    assert_int_equal(bc_feed_parse_id(f->feed, "zz9-1", &seq), BC_ENOTFOUND);
    //  Malformed.
    const char *bad[] = { "", "42", "-42", "abc-", "abc-x", "ABC-1", "a b-1", "abc-1-",
                          "abc-99999999999999999999", "<script>-1",
                          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-1" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(bc_feed_parse_id(f->feed, bad[i], &seq), BC_EINVAL);
    }
    assert_int_equal(bc_feed_parse_id(f->feed, NULL, &seq), BC_EINVAL);
    assert_int_equal(seq, 42);          //  untouched by the failures
}

static void
test_open_refusals(void **state)
{
    (void) state;
    bc_view_t *view = bc_view_new("/nonexistent");
    bc_feed_t *feed = NULL;
    char why[256];
    bc_feed_opts_t opts = { .endpoint = "", .ring_size = 0 };
    assert_int_equal(bc_feed_open(&feed, &opts, view, why, sizeof why), BC_EINVAL);
    opts.ring_size = 8;
    opts.key_file = "/nonexistent/x.key";
    assert_int_equal(bc_feed_open(&feed, &opts, view, why, sizeof why), BC_EINVAL);
    assert_non_null(strstr(why, "broker_key"));
    opts.endpoint = "tcp://127.0.0.1:1";
    opts.broker_key_file = "/nonexistent/broker.pub";
    assert_int_equal(bc_feed_open(&feed, &opts, view, why, sizeof why), BC_ENOTFOUND);
    assert_null(feed);
    //  A feed that starts and stops without ever reaching a broker.
    opts.key_file = "";
    opts.broker_key_file = "";
    assert_int_equal(bc_feed_open(&feed, &opts, view, why, sizeof why), BC_OK);
    assert_int_equal(bc_feed_start(feed, NULL, NULL, why, sizeof why), BC_OK);
    bc_feed_stop(feed);
    bc_feed_stop(feed);
    bc_feed_destroy(&feed);
    bc_view_destroy(&view);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sequence_and_frames, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_filter_by_request, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_gap_and_future, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_ids, s_setup, s_teardown),
        cmocka_unit_test(test_open_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
