//  test_bc_pages - the dashboard's HTML: escaping, URLs, times, and what pages hold
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bc_alloc.h"
#include "bc_pages.h"
#include "bc_view.h"

//  2026-11-27T17:00:00+07:00
#define DEADLINE_MS 1795773600000LL

static void
test_escape(void **state)
{
    (void) state;
    bc_buf_t out;
    bc_buf_init(&out);
    bc_pages_escape(&out, "<a href=\"x\">Sở & 'Nội vụ'</a>");
    assert_string_equal(out.data, "&lt;a href=&quot;x&quot;&gt;Sở &amp; &#39;Nội vụ&#39;&lt;/a&gt;");
    bc_pages_escape(&out, NULL);
    bc_buf_release(&out);
    bc_buf_init(&out);
    bc_pages_url_escape(&out, "000.00.07.H45,2026-11-20,1005/STTTT-TTBCXB");
    assert_string_equal(out.data, "000.00.07.H45%2C2026-11-20%2C1005%2FSTTTT-TTBCXB");
    bc_buf_release(&out);
    bc_buf_init(&out);
    bc_pages_url_escape(&out, "46/2021/QĐ-UBND ?#");
    assert_string_equal(out.data, "46%2F2021%2FQ%C4%90-UBND%20%3F%23");
    bc_buf_release(&out);
}

static void
test_times(void **state)
{
    (void) state;
    char buf[64];
    bc_pages_time(DEADLINE_MS, buf, sizeof buf);
    assert_string_equal(buf, "17:00 27/11/2026");
    bc_pages_time(0, buf, sizeof buf);
    assert_string_equal(buf, "");
    int64_t hour = 3600 * 1000LL;
    bc_pages_due(DEADLINE_MS, DEADLINE_MS - 51 * hour, buf, sizeof buf);
    assert_string_equal(buf, "còn 2 ngày 3 giờ");
    bc_pages_due(DEADLINE_MS, DEADLINE_MS + 5 * hour, buf, sizeof buf);
    assert_string_equal(buf, "quá hạn 5 giờ");
    bc_pages_due(DEADLINE_MS, DEADLINE_MS - 90 * 60 * 1000LL, buf, sizeof buf);
    assert_string_equal(buf, "còn 1 giờ 30 phút");
    bc_pages_due(DEADLINE_MS, DEADLINE_MS - 10 * 1000LL, buf, sizeof buf);
    assert_string_equal(buf, "còn 1 phút");
    char hash[96];
    bc_pages_script_hash(hash, sizeof hash);
    assert_int_equal(strncmp(hash, "'sha256-", 8), 0);
    assert_int_equal(strlen(hash), 8 + 44 + 1);
}

static void
test_labels(void **state)
{
    (void) state;
    assert_string_equal(bc_view_status_label("REPORTED"), "Đã báo cáo");
    assert_string_equal(bc_view_status_label("PROCESSING"), "Đang xử lý");
    assert_string_equal(bc_view_status_label("REMINDED"), "Đã nhắc hạn");
    assert_string_equal(bc_view_status_label(""), "Chờ gửi");
    assert_string_equal(bc_view_status_label(NULL), "Chờ gửi");
}

//  A request of two agencies, one reported on time, one whose name is hostile.
static void
test_request_page(void **state)
{
    (void) state;
    Baocao__Agency a1 = BAOCAO__AGENCY__INIT, a2 = BAOCAO__AGENCY__INIT;
    a1.code = "000.00.04.H45";
    a1.name = "Sở Nội vụ";
    a2.code = "000.00.05.H45";
    a2.name = "<script>alert(1)</script>";
    Baocao__Timestamp deadline = BAOCAO__TIMESTAMP__INIT, at = BAOCAO__TIMESTAMP__INIT;
    deadline.unix_ms = DEADLINE_MS;
    at.unix_ms = DEADLINE_MS - 3600 * 1000LL;
    Baocao__AgencyStatus s1 = BAOCAO__AGENCY_STATUS__INIT, s2 = BAOCAO__AGENCY_STATUS__INIT;
    s1.agency = &a1;
    s1.status = "REPORTED";
    s1.timeliness = BAOCAO__TIMELINESS__ON_TIME;
    s1.status_at = &at;
    s1.revision = 2;
    s2.agency = &a2;
    s2.status = "PROCESSING";
    s2.timeliness = BAOCAO__TIMELINESS__MISSING;
    Baocao__Presence p1 = BAOCAO__PRESENCE__INIT;
    p1.agency_code = a1.code;
    p1.online = 1;
    Baocao__DashAgency r1 = BAOCAO__DASH_AGENCY__INIT, r2 = BAOCAO__DASH_AGENCY__INIT;
    r1.status = &s1;
    r1.status_label = "Đã báo cáo";
    r1.timeliness_label = "Đúng hạn";
    r1.presence = &p1;
    r2.status = &s2;
    r2.status_label = "Đang xử lý";
    r2.timeliness_label = "Chưa báo cáo";
    Baocao__DashAgency *rows[] = { &r1, &r2 };
    Baocao__DashArrival arr = BAOCAO__DASH_ARRIVAL__INIT;
    arr.agency = &a1;
    arr.at = &at;
    arr.revision = 1;
    Baocao__DashArrival *arrs[] = { &arr };
    Baocao__RequestListEntry e = BAOCAO__REQUEST_LIST_ENTRY__INIT;
    e.key = "000.00.07.H45,2026-11-20,1005/STTTT-TTBCXB";
    e.citation = "1005/STTTT-TTBCXB";
    e.document_type = "Công văn";
    e.subject = "Báo cáo \"kết quả\" <b>thực hiện</b>";
    e.deadline = &deadline;
    e.addressed = 2;
    e.reported = 1;
    Baocao__DashRequest req = BAOCAO__DASH_REQUEST__INIT;
    req.entry = &e;
    req.agencies = rows;
    req.n_agencies = 2;
    req.timeline = arrs;
    req.n_timeline = 1;
    bc_pages_opts_t opts = { .now_ms = DEADLINE_MS - 51 * 3600 * 1000LL, .live = 1 };

    char *page = bc_pages_request(&req, &opts);
    assert_non_null(strstr(page, "<html lang=\"vi\">"));
    assert_non_null(strstr(page, "data-key=\"000.00.07.H45,2026-11-20,1005/STTTT-TTBCXB\""));
    assert_non_null(strstr(page, "<tr id=\"a-000.00.04.H45\" class=\"row s-reported t-on_time\" "
                                 "data-status=\"REPORTED\" data-rev=\"2\">"));
    assert_non_null(strstr(page, "<span class=\"badge\">Đã báo cáo</span><span class=\"rev\">lần 2"));
    assert_non_null(strstr(page, "class=\"row s-processing t-missing\""));
    assert_non_null(strstr(page, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_null(strstr(page, "<script>alert"));
    assert_non_null(strstr(page, "Báo cáo &quot;kết quả&quot; &lt;b&gt;thực hiện&lt;/b&gt;"));
    assert_non_null(strstr(page, "còn 2 ngày 3 giờ"));
    assert_non_null(strstr(page, "<span class=\"c-reported\">1</span>/<span class=\"c-addressed\">2"));
    assert_non_null(strstr(page, "style=\"width:50.00%\""));
    assert_non_null(strstr(page, "<td class=\"presence on\""));
    assert_non_null(strstr(page, "Chưa kết nối"));
    assert_non_null(strstr(page, "id=\"arrivals\""));
    assert_non_null(strstr(page, "báo cáo lần đầu · đúng hạn"));
    assert_non_null(strstr(page, "/api/requests/000.00.07.H45%2C2026-11-20%2C1005%2FSTTTT-TTBCXB"));
    //  One script, ours, and nothing loaded from elsewhere.
    assert_non_null(strstr(page, "<script>"));
    assert_null(strstr(page, "src=\"http"));
    assert_null(strstr(page, "href=\"http"));
    free(page);

    //  The list page links it, URL-encoded, and forced display classes apply.
    Baocao__RequestListEntry *entries[] = { &e };
    Baocao__DashRequestList list = BAOCAO__DASH_REQUEST_LIST__INIT;
    list.requests = entries;
    list.n_requests = 1;
    opts.display = BC_PAGES_LARGE | BC_PAGES_CONTRAST;
    page = bc_pages_list(&list, &opts);
    assert_non_null(strstr(page, "<html lang=\"vi\" class=\"large contrast\">"));
    assert_non_null(strstr(page, "href=\"/r/000.00.07.H45%2C2026-11-20%2C1005%2FSTTTT-TTBCXB\""));
    assert_non_null(strstr(page, "<template id=\"req-template\">"));
    free(page);

    page = bc_pages_error(404, "Không tìm thấy", "<x>", &opts);
    assert_non_null(strstr(page, "&lt;x&gt;"));
    assert_null(strstr(page, "<script>"));
    free(page);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_times),
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_request_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
