//  test_bc_docparse - unit tests of agents/docparse: clean report text into a Report
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bc_alloc.h"
#include "bc_docparse.h"
#include "bc_fs.h"

//  --------------------------------------------------------------------------
//  Fixtures

static const char s_letter[] =
    "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ\n"
    "SỞ NGOẠI VỤ\n"
    "Số: 1188/SNgV-VP\n"
    "V/v báo cáo kết quả thực hiện Chỉ thị số 06/CT-UBND\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\n"
    "Quảng Trị, ngày 25 tháng 11 năm 2026\n"
    "\n"
    "Kính gửi: Sở Thông tin và Truyền thông.\n"
    "\n"
    "Thực hiện Văn bản số 1005/STTTT-TTBCXB ngày 20/11/2026, Sở Ngoại vụ báo cáo như sau:\n"
    "\n"
    "1. Công tác tuyên truyền, phổ biến\n"
    "Đoạn thứ nhất của mục 1.\n"
    "Đoạn thứ hai của mục 1.\n"
    "2.   Công tác phát ngôn  \n"
    "Sở đề xuất:\n"
    "- Ý thứ nhất;\n"
    "\n"
    "- Ý thứ hai.\n"
    "05. Mục ngoài đề cương\n"
    "Nội dung khác, năm 2026. Không phải tiêu đề.\n"
    "\n"
    "Trên đây là báo cáo của Sở Ngoại vụ, gửi Sở Thông tin và Truyền thông tổng hợp./.\n"
    "\n"
    "Nơi nhận:\n"
    "- Như trên;\n"
    "- Giám đốc, các PGĐ Sở;\n"
    "- Lưu: VT, VP.\n"
    "KT. GIÁM ĐỐC\n"
    "PHÓ GIÁM ĐỐC\n"
    "Hồ Thị Thanh Xuân\n";

//  A request whose outline has items 1, 2, 3 (on the stack, borrowed).
typedef struct {
    Baocao__ReportRequest request;
    Baocao__OutlineItem items[4];
    Baocao__OutlineItem *item_ptrs[4];
} s_request_t;

static void
s_request_init(s_request_t *self, size_t n_items)
{
    static const char *numbers[] = { "1", "2", "3", "4" };
    static const char *titles[] = { "Tuyên truyền", "Phát ngôn", "Phóng viên nước ngoài",
                                    "Kiến nghị" };
    baocao__report_request__init(&self->request);
    for (size_t i = 0; i < n_items; i++) {
        baocao__outline_item__init(&self->items[i]);
        self->items[i].number = (char *) numbers[i];
        self->items[i].title = (char *) titles[i];
        self->item_ptrs[i] = &self->items[i];
    }
    self->request.n_outline = n_items;
    self->request.outline = self->item_ptrs;
}

static Baocao__Report *
s_parse(const char *text, size_t size, const Baocao__ReportRequest *request)
{
    Baocao__Report *report = NULL;
    char why[256] = "";
    bc_err rc = bc_docparse_text(text, size, request, &report, why, sizeof why);
    if (rc != BC_OK) {
        fail_msg("parse failed: %s: %s", bc_strerror(rc), why);
    }
    assert_non_null(report);
    return report;
}

//  Packs a report, for comparing two parses byte for byte.
static uint8_t *
s_pack(const Baocao__Report *report, size_t *size_p)
{
    *size_p = baocao__report__get_packed_size(report);
    uint8_t *buf = bc_malloc(*size_p);
    baocao__report__pack(report, buf);
    return buf;
}

static void
s_expect_einval(const char *text, size_t size, const char *why_part)
{
    Baocao__Report *sentinel = (Baocao__Report *) &sentinel;
    Baocao__Report *report = sentinel;
    char why[256] = "";
    assert_int_equal(bc_docparse_text(text, size, NULL, &report, why, sizeof why), BC_EINVAL);
    assert_ptr_equal(report, sentinel);
    if (why_part) {
        assert_non_null(strstr(why, why_part));
    }
}

//  --------------------------------------------------------------------------
//  The letter layout

static void
test_header(void **state)
{
    (void) state;
    Baocao__Report *report = s_parse(s_letter, strlen(s_letter), NULL);
    assert_int_equal(report->number, 1188);
    assert_int_equal(report->year, 0);
    assert_string_equal(report->notation, "SNgV-VP");
    assert_string_equal(report->subject, "báo cáo kết quả thực hiện Chỉ thị số 06/CT-UBND");
    assert_string_equal(report->place, "Quảng Trị");
    assert_non_null(report->date);
    assert_int_equal(report->date->year, 2026);
    assert_int_equal(report->date->month, 11);
    assert_int_equal(report->date->day, 25);
    assert_non_null(report->recipient);
    assert_string_equal(report->recipient->name, "Sở Thông tin và Truyền thông");
    assert_string_equal(report->recipient->code, "");
    //  What the parser never sets.
    assert_null(report->request);
    assert_null(report->sender);
    assert_int_equal(report->n_indicators, 0);
    assert_int_equal(report->n_attachments, 0);
    assert_string_equal(report->report_id, "");
    baocao__report__free_unpacked(report, NULL);
}

static void
test_sections(void **state)
{
    (void) state;
    Baocao__Report *report = s_parse(s_letter, strlen(s_letter), NULL);
    assert_int_equal(report->n_sections, 3);
    assert_string_equal(report->sections[0]->number, "1");
    assert_string_equal(report->sections[0]->title, "Công tác tuyên truyền, phổ biến");
    assert_string_equal(report->sections[0]->body,
                        "Đoạn thứ nhất của mục 1.\nĐoạn thứ hai của mục 1.");
    assert_string_equal(report->sections[1]->number, "2");
    assert_string_equal(report->sections[1]->title, "Công tác phát ngôn");
    assert_string_equal(report->sections[1]->body, "Sở đề xuất:\n- Ý thứ nhất;\n- Ý thứ hai.");
    assert_string_equal(report->sections[2]->number, "05");
    assert_string_equal(report->sections[2]->title, "Mục ngoài đề cương");
    assert_string_equal(report->sections[2]->body,
                        "Nội dung khác, năm 2026. Không phải tiêu đề.");
    for (size_t i = 0; i < report->n_sections; i++) {
        assert_int_equal(report->sections[i]->n_children, 0);
        assert_string_equal(report->sections[i]->outline_item, "");
    }
    baocao__report__free_unpacked(report, NULL);
}

static void
test_closing_distribution_signer(void **state)
{
    (void) state;
    Baocao__Report *report = s_parse(s_letter, strlen(s_letter), NULL);
    assert_string_equal(report->closing, "Trên đây là báo cáo của Sở Ngoại vụ, gửi Sở Thông "
                                         "tin và Truyền thông tổng hợp./.");
    assert_int_equal(report->n_distribution, 3);
    assert_string_equal(report->distribution[0], "Như trên");
    assert_string_equal(report->distribution[1], "Giám đốc, các PGĐ Sở");
    assert_string_equal(report->distribution[2], "Lưu: VT, VP");
    assert_non_null(report->signer);
    assert_string_equal(report->signer->authority, "KT. GIÁM ĐỐC");
    assert_string_equal(report->signer->title, "PHÓ GIÁM ĐỐC");
    assert_string_equal(report->signer->name, "Hồ Thị Thanh Xuân");
    baocao__report__free_unpacked(report, NULL);
}

static void
test_outline_item(void **state)
{
    (void) state;
    s_request_t req;
    s_request_init(&req, 3);
    Baocao__Report *report = s_parse(s_letter, strlen(s_letter), &req.request);
    assert_string_equal(report->sections[0]->outline_item, "1");
    assert_string_equal(report->sections[1]->outline_item, "2");
    assert_string_equal(report->sections[2]->outline_item, "");      //  "05": no item 5

    //  Rematching: with item 5 known "05" matches, with NULL all clear.
    static char five[] = "5";
    req.items[2].number = five;
    bc_docparse_match_outline(report, &req.request);
    assert_string_equal(report->sections[2]->outline_item, "05");
    bc_docparse_match_outline(report, NULL);
    for (size_t i = 0; i < report->n_sections; i++) {
        assert_string_equal(report->sections[i]->outline_item, "");
    }
    baocao__report__free_unpacked(report, NULL);
}

static void
test_signer_variants(void **state)
{
    (void) state;
    static const struct {
        const char *block;
        const char *authority;
        const char *title;
        const char *name;
    } cases[] = {
        { "GIÁM ĐỐC\nNguyễn Văn An\n", "GIÁM ĐỐC", "", "Nguyễn Văn An" },
        { "Giám đốc\nNguyễn Văn An\n", "", "Giám đốc", "Nguyễn Văn An" },
        { "Nguyễn Văn An\n", "", "", "Nguyễn Văn An" },
        { "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrần Minh Sơn\n",
          "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Minh Sơn" },
        { "TL. GIÁM ĐỐC\nCHÁNH VĂN PHÒNG\nLê Văn Bình\n", "TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG",
          "Lê Văn Bình" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, "1. Mục\nNội dung.\nTrên đây là báo cáo./.\nNơi nhận:\n"
                 "- Như trên;\n%s", cases[i].block);
        Baocao__Report *report = s_parse(text, strlen(text), NULL);
        assert_non_null(report->signer);
        assert_string_equal(report->signer->authority, cases[i].authority);
        assert_string_equal(report->signer->title, cases[i].title);
        assert_string_equal(report->signer->name, cases[i].name);
        baocao__report__free_unpacked(report, NULL);
    }
}

static void
test_signer_before_list(void **state)
{
    (void) state;
    //  Without lines after the list, the lines after the closing sign.
    const char *text = "1. Mục\nNội dung.\nTrên đây là báo cáo./.\nKT. GIÁM ĐỐC\n"
                       "PHÓ GIÁM ĐỐC\nLê Văn Bình\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n";
    Baocao__Report *report = s_parse(text, strlen(text), NULL);
    assert_int_equal(report->n_distribution, 2);
    assert_string_equal(report->distribution[1], "Lưu: VT");
    assert_non_null(report->signer);
    assert_string_equal(report->signer->authority, "KT. GIÁM ĐỐC");
    assert_string_equal(report->signer->name, "Lê Văn Bình");
    baocao__report__free_unpacked(report, NULL);
}

static void
test_no_closing(void **state)
{
    (void) state;
    //  "Nơi nhận:" ends the sections even without a closing paragraph.
    const char *text = "1. Mục một\nA.\n2. Mục hai\nB.\nNơi nhận: - Như trên;\n- Lưu.\n"
                       "Nguyễn Văn An\n";
    Baocao__Report *report = s_parse(text, strlen(text), NULL);
    assert_int_equal(report->n_sections, 2);
    assert_string_equal(report->sections[1]->body, "B.");
    assert_string_equal(report->closing, "");
    assert_int_equal(report->n_distribution, 2);
    assert_string_equal(report->distribution[0], "Như trên");
    assert_string_equal(report->distribution[1], "Lưu");
    assert_string_equal(report->signer->name, "Nguyễn Văn An");
    baocao__report__free_unpacked(report, NULL);
}

static void
test_not_headings(void **state)
{
    (void) state;
    const char *text = "1.Không có dấu cách\n1234. Bốn chữ số\n1. \n"
                       "3. Mục thật\n2026. Năm\n";
    Baocao__Report *report = s_parse(text, strlen(text), NULL);
    assert_int_equal(report->n_sections, 1);
    assert_string_equal(report->sections[0]->number, "3");
    assert_string_equal(report->sections[0]->body, "2026. Năm");
    baocao__report__free_unpacked(report, NULL);
}

//  --------------------------------------------------------------------------
//  Input forms

static void
test_crlf_bom(void **state)
{
    (void) state;
    bc_buf_t crlf;
    bc_buf_init(&crlf);
    bc_buf_puts(&crlf, "\xEF\xBB\xBF");
    for (const char *p = s_letter; *p; p++) {
        if (*p == '\n') {
            bc_buf_puts(&crlf, "\r\n");
        }
        else {
            bc_buf_append(&crlf, p, 1);
        }
    }
    bc_buf_t cr;
    bc_buf_init(&cr);
    for (const char *p = s_letter; *p; p++) {
        bc_buf_append(&cr, *p == '\n' ? "\r" : p, 1);
    }
    Baocao__Report *plain = s_parse(s_letter, strlen(s_letter), NULL);
    Baocao__Report *dos = s_parse(crlf.data, crlf.len, NULL);
    Baocao__Report *mac = s_parse(cr.data, cr.len, NULL);
    size_t n1, n2, n3;
    uint8_t *b1 = s_pack(plain, &n1);
    uint8_t *b2 = s_pack(dos, &n2);
    uint8_t *b3 = s_pack(mac, &n3);
    assert_int_equal(n1, n2);
    assert_memory_equal(b1, b2, n1);
    assert_int_equal(n1, n3);
    assert_memory_equal(b1, b3, n1);
    assert_int_equal(dos->n_sections, 3);
    assert_string_equal(dos->signer->name, "Hồ Thị Thanh Xuân");
    free(b1);
    free(b2);
    free(b3);
    baocao__report__free_unpacked(plain, NULL);
    baocao__report__free_unpacked(dos, NULL);
    baocao__report__free_unpacked(mac, NULL);
    bc_buf_release(&crlf);
    bc_buf_release(&cr);
}

static void
test_not_nul_terminated(void **state)
{
    (void) state;
    //  size bounds the text: the byte after it is never read.
    size_t n = strlen(s_letter);
    char *copy = bc_malloc(n);
    memcpy(copy, s_letter, n);
    Baocao__Report *report = s_parse(copy, n, NULL);
    assert_string_equal(report->signer->name, "Hồ Thị Thanh Xuân");
    baocao__report__free_unpacked(report, NULL);
    free(copy);
}

static void
test_empty(void **state)
{
    (void) state;
    s_expect_einval("", 0, "empty");
    s_expect_einval(NULL, 0, "empty");
    s_expect_einval(" \t\n\r\n\n", 6, "empty");
    s_expect_einval("\xEF\xBB\xBF", 3, "empty");
    s_expect_einval("\xEF\xBB\xBF\r\n", 5, "empty");
}

//  A literal's bytes, embedded NULs included.
#define S_EINVAL(lit, part)     s_expect_einval((lit), sizeof(lit) - 1, (part))

static void
test_bad_bytes(void **state)
{
    (void) state;
    S_EINVAL("1. Mục\nabc\xFF\n", "line 2: not UTF-8");
    S_EINVAL("1. Mục\nab\0c\n", "line 2: NUL");
    S_EINVAL("\xC0\x80", "not UTF-8");                  //  overlong NUL
    S_EINVAL("\xED\xA0\x80", "not UTF-8");              //  surrogate
    S_EINVAL("1. M\xE1\xBB", "not UTF-8");               //  truncated "ụ"
    S_EINVAL("\xF4\x90\x80\x80", "not UTF-8");          //  beyond U+10FFFF
}

static void
test_too_big(void **state)
{
    (void) state;
    Baocao__Report *report = NULL;
    char why[128] = "";
    //  The size is checked before any byte is read.
    assert_int_equal(bc_docparse_text("x", BC_DOCPARSE_MAX_INPUT + 1u, NULL, &report, why,
                                      sizeof why), BC_ETOOBIG);
    assert_null(report);
}

//  A small deterministic PRNG (xorshift), so failures reproduce.
static uint32_t
s_rand(uint32_t *seed)
{
    uint32_t x = *seed;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *seed = x;
    return x;
}

static void
test_garbage_bytes(void **state)
{
    (void) state;
    uint32_t seed = 2463534242u;
    uint8_t buf[4096];
    for (int round = 0; round < 500; round++) {
        size_t n = s_rand(&seed) % sizeof buf;
        for (size_t i = 0; i < n; i++) {
            //  Half the rounds stay ASCII-ish so some get past the UTF-8 check.
            uint32_t r = s_rand(&seed);
            buf[i] = round % 2 ? (uint8_t) r : (uint8_t) (r % 96 + 10);
        }
        Baocao__Report *report = NULL;
        char why[128];
        bc_err rc = bc_docparse_text((const char *) buf, n, NULL, &report, why, sizeof why);
        assert_true(rc == BC_OK || rc == BC_EINVAL);
        if (rc == BC_OK) {
            baocao__report__free_unpacked(report, NULL);
        }
        else {
            assert_null(report);
        }
    }
}

static void
test_shuffled_lines(void **state)
{
    (void) state;
    //  Valid UTF-8 lines of every kind in random order: never a crash, and
    //  every string and array of the result is freeable.
    static const char *lines[] = {
        "1. Mục một", "2. Mục hai", "Nội dung", "- Ý", "-", "- ;.", "Trên đây", "Nơi nhận:",
        "Nơi nhận: - A;", "Kính gửi:", "Kính gửi: Sở.", "Số: 12/QĐ-UBND", "Số:", "V/v",
        "V/v x", "Quảng Trị, ngày 31 tháng 2 năm 2026", "ngày 1 tháng 1 năm 2026", "KT. X",
        "ĐẶNG", "", "   ", "\xC2\xA0", "999. Ba chữ số", "–  Gạch ngang dài",
    };
    size_t n_lines = sizeof lines / sizeof lines[0];
    uint32_t seed = 88172645u;
    s_request_t req;
    s_request_init(&req, 4);
    for (int round = 0; round < 300; round++) {
        bc_buf_t text;
        bc_buf_init(&text);
        size_t count = s_rand(&seed) % 40;
        for (size_t i = 0; i < count; i++) {
            bc_buf_puts(&text, lines[s_rand(&seed) % n_lines]);
            bc_buf_puts(&text, s_rand(&seed) % 3 ? "\n" : "\r\n");
        }
        Baocao__Report *report = NULL;
        bc_err rc = bc_docparse_text(text.data ? text.data : "", text.len,
                                     round % 2 ? &req.request : NULL, &report, NULL, 0);
        assert_true(rc == BC_OK || rc == BC_EINVAL);
        if (rc == BC_OK) {
            size_t size;
            uint8_t *packed = s_pack(report, &size);
            Baocao__Report *back = baocao__report__unpack(NULL, size, packed);
            assert_non_null(back);
            baocao__report__free_unpacked(back, NULL);
            free(packed);
            baocao__report__free_unpacked(report, NULL);
        }
        bc_buf_release(&text);
    }
}

//  --------------------------------------------------------------------------
//  The demo replies (deploy/province-demo/replies/*.txt), when present

static void
test_demo_replies(void **state)
{
    (void) state;
    const char *dir = BC_DEMO_DIR "/replies";
    DIR *d = opendir(dir);
    if (!d) {
        skip();
    }
    s_request_t req;
    s_request_init(&req, 4);
    size_t files = 0;
    size_t with_item3 = 0;
    struct dirent *entry;
    while ((entry = readdir(d)) != NULL) {
        size_t len = strlen(entry->d_name);
        if (len < 5 || strcmp(entry->d_name + len - 4, ".txt") != 0) {
            continue;
        }
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
        char *data = NULL;
        size_t size = 0;
        assert_int_equal(bc_fs_read(path, BC_DOCPARSE_MAX_INPUT, &data, &size), BC_OK);
        Baocao__Report *report = NULL;
        char why[256] = "";
        bc_err rc = bc_docparse_text(data, size, &req.request, &report, why, sizeof why);
        if (rc != BC_OK) {
            fail_msg("%s: %s", entry->d_name, why);
        }
        print_message("%s: %zu sections, %s %u/%s, signer %s\n", entry->d_name,
                      report->n_sections, report->signer ? report->signer->authority : "-",
                      report->number, report->notation,
                      report->signer ? report->signer->name : "-");
        assert_true(report->number > 0);
        assert_true(strlen(report->notation) > 0);
        assert_true(strlen(report->subject) > 0);
        assert_non_null(report->date);
        assert_true(report->n_sections >= 3 && report->n_sections <= 4);
        for (size_t i = 0; i < report->n_sections; i++) {
            const Baocao__Section *section = report->sections[i];
            assert_true(strlen(section->title) > 0);
            assert_true(strlen(section->body) > 0);
            //  Every heading N (1..4) answers outline item N.
            assert_string_equal(section->outline_item, section->number);
            if (strcmp(section->number, "3") == 0) {
                with_item3++;
            }
        }
        assert_string_equal(report->sections[0]->number, "1");
        assert_string_equal(report->sections[report->n_sections - 1]->number, "4");
        assert_true(strncmp(report->closing, "Trên đây", strlen("Trên đây")) == 0);
        assert_true(report->n_distribution >= 2);
        assert_string_equal(report->distribution[0], "Như trên");
        assert_true(strncmp(report->distribution[report->n_distribution - 1], "Lưu",
                            strlen("Lưu")) == 0);
        assert_non_null(report->signer);
        assert_true(strncmp(report->signer->authority, "KT. ", 4) == 0);
        assert_true(strlen(report->signer->title) > 0);
        assert_true(strlen(report->signer->name) > 0);
        assert_non_null(report->recipient);
        assert_string_equal(report->recipient->name, "Sở Thông tin và Truyền thông");
        baocao__report__free_unpacked(report, NULL);
        free(data);
        files++;
    }
    closedir(d);
    if (files == 0) {
        skip();
    }
    //  README: only a few agencies answer the optional item 3.
    assert_true(with_item3 > 0 && with_item3 < files);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_closing_distribution_signer),
        cmocka_unit_test(test_outline_item),
        cmocka_unit_test(test_signer_variants),
        cmocka_unit_test(test_signer_before_list),
        cmocka_unit_test(test_no_closing),
        cmocka_unit_test(test_not_headings),
        cmocka_unit_test(test_crlf_bom),
        cmocka_unit_test(test_not_nul_terminated),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_too_big),
        cmocka_unit_test(test_garbage_bytes),
        cmocka_unit_test(test_shuffled_lines),
        cmocka_unit_test(test_demo_replies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
