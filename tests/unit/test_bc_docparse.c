//  test_bc_docparse - unit tests of agents/docparse: report documents (text, PDF) into a Report
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bc_alloc.h"
#include "bc_docparse.h"
#include "bc_fs.h"
#include "bc_json.h"
#include "bc_legal.h"
#include "bc_outline.h"
#include "bc_pdf.h"
#include "bc_text.h"

//  The fixtures written for these tests, in several departments' styles.
#define S_DATA          BC_DEMO_DIR "/../../tests/data/docparse"
#define S_SAMPLE        BC_SAMPLES_DIR "/so-ngoai-vu-bao-cao-chi-thi-06.txt"
#define S_FONT          "DejaVu Serif 10"

//  --------------------------------------------------------------------------
//  Helpers

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

//  A request whose outline has items 1..4 (on the stack, borrowed).
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

//  The demo province's request (deploy/province-demo/request.json): its
//  outline and agency names are the real ones.
static Baocao__ReportRequest *
s_demo_request(void)
{
    char *text = NULL;
    size_t size = 0;
    assert_int_equal(bc_fs_read(BC_DEMO_DIR "/request.json", 1u << 20, &text, &size), BC_OK);
    ProtobufCMessage *msg = NULL;
    char err[256] = "";
    if (bc_json_decode(&baocao__report_request__descriptor, text, size, &msg, err,
                       sizeof err) != BC_OK) {
        fail_msg("request.json: %s", err);
    }
    free(text);
    return (Baocao__ReportRequest *) msg;
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

//  Parses a fixture file with the demo request; warnings (may be NULL) get
//  the parser's.
static Baocao__Report *
s_parse_file(const char *path, const Baocao__ReportRequest *request, bc_buf_t *warnings,
             const char **media_type_p)
{
    Baocao__Report *report = NULL;
    char why[256] = "";
    bc_err rc = bc_docparse_file(path, request, &report, media_type_p, warnings, why,
                                 sizeof why);
    if (rc != BC_OK) {
        fail_msg("%s: %s: %s", path, bc_strerror(rc), why);
    }
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
s_expect_error(const char *text, size_t size, bc_err expected, const char *why_part)
{
    Baocao__Report *sentinel = (Baocao__Report *) &sentinel;
    Baocao__Report *report = sentinel;
    char why[256] = "";
    assert_int_equal(bc_docparse_text(text, size, NULL, &report, why, sizeof why), expected);
    assert_ptr_equal(report, sentinel);
    if (why_part && !strstr(why, why_part)) {
        fail_msg("why \"%s\" lacks \"%s\"", why, why_part);
    }
}

static void
s_expect_einval(const char *text, size_t size, const char *why_part)
{
    s_expect_error(text, size, BC_EINVAL, why_part);
}

//  A literal's bytes, embedded NULs included.
#define S_EINVAL(lit, part)     s_expect_einval((lit), sizeof(lit) - 1, (part))

static void
s_section_is(const Baocao__Section *s, const char *number, const char *title, const char *body,
             size_t n_children, const char *outline_item)
{
    assert_non_null(s);
    assert_string_equal(s->number, number);
    assert_string_equal(s->title, title);
    assert_string_equal(s->body, body);
    assert_int_equal(s->n_children, n_children);
    if (outline_item) {
        assert_string_equal(s->outline_item, outline_item);
    }
}

//  A reference's fields; date "" for none, y-m-d otherwise.
static void
s_ref_is(const Baocao__LegalRef *r, const char *kind, unsigned number, unsigned year,
         const char *notation, const char *date, const char *issuer, const char *title)
{
    assert_non_null(r);
    assert_string_equal(r->kind, kind);
    assert_int_equal(r->number, number);
    assert_int_equal(r->year, year);
    assert_string_equal(r->notation, notation);
    char have[16] = "";
    if (r->date) {
        snprintf(have, sizeof have, "%04u-%02u-%02u", r->date->year, r->date->month,
                 r->date->day);
    }
    assert_string_equal(have, date);
    assert_string_equal(r->issuer, issuer);
    assert_string_equal(r->title, title);
}

static void
s_strings_are(char **have, size_t n, const char *const *want)
{
    size_t k = 0;
    while (want[k]) {
        k++;
    }
    assert_int_equal(n, k);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(have[i], want[i]);
    }
}

static void
s_date_is(const Baocao__Date *d, unsigned y, unsigned m, unsigned day)
{
    assert_non_null(d);
    assert_int_equal(d->year, y);
    assert_int_equal(d->month, m);
    assert_int_equal(d->day, day);
}

static void
s_signer_is(const Baocao__Report *r, const char *authority, const char *title, const char *name)
{
    assert_non_null(r->signer);
    assert_string_equal(r->signer->authority, authority);
    assert_string_equal(r->signer->title, title);
    assert_string_equal(r->signer->name, name);
}

//  A PRNG (xorshift) so failures reproduce.
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

//  A fresh temporary folder (the caller removes it with s_rmtree).
static char *
s_tmpdir(void)
{
    char tmpl[] = "/tmp/test_bc_docparse.XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    return bc_strdup(dir);
}

static void
s_rmtree(char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

static int
s_have_tool(const char *tool)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
    return system(cmd) == 0;
}

static int
s_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
s_run(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return system(cmd);
}

//  --------------------------------------------------------------------------
//  The clean letter layout (one paragraph per line, as the demo replies)

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
    s_date_is(report->date, 2026, 11, 25);
    assert_non_null(report->recipient);
    assert_string_equal(report->recipient->name, "Sở Thông tin và Truyền thông");
    assert_string_equal(report->recipient->code, "");
    assert_int_equal(report->n_addressees, 1);
    assert_string_equal(report->addressees[0]->name, "Sở Thông tin và Truyền thông");
    //  The organ's name from the header, re-cased; no code (the agent's).
    assert_non_null(report->sender);
    assert_string_equal(report->sender->name, "Sở Ngoại vụ");
    assert_string_equal(report->sender->code, "");
    //  The letter it answers: the first cited after "Thực hiện".
    assert_non_null(report->answers);
    s_ref_is(report->answers, "Văn bản", 1005, 0, "STTTT-TTBCXB", "2026-11-20", "", "");
    //  What the parser never sets.
    assert_null(report->request);
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
    s_section_is(report->sections[0], "1", "Công tác tuyên truyền, phổ biến",
                 "Đoạn thứ nhất của mục 1.\nĐoạn thứ hai của mục 1.", 0, "");
    s_section_is(report->sections[1], "2", "Công tác phát ngôn",
                 "Sở đề xuất:\n- Ý thứ nhất;\n- Ý thứ hai.", 0, "");
    s_section_is(report->sections[2], "05", "Mục ngoài đề cương",
                 "Nội dung khác, năm 2026. Không phải tiêu đề.", 0, "");
    baocao__report__free_unpacked(report, NULL);
}

static void
test_closing_distribution_signer(void **state)
{
    (void) state;
    Baocao__Report *report = s_parse(s_letter, strlen(s_letter), NULL);
    assert_string_equal(report->closing, "Trên đây là báo cáo của Sở Ngoại vụ, gửi Sở Thông "
                                         "tin và Truyền thông tổng hợp./.");
    static const char *const dist[] = { "Như trên", "Giám đốc, các PGĐ Sở", "Lưu: VT, VP", NULL };
    s_strings_are(report->distribution, report->n_distribution, dist);
    s_signer_is(report, "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Hồ Thị Thanh Xuân");
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

    //  Rematching: with item 5 known "05" matches it (the item's own
    //  number is kept), with NULL all clear.
    static char five[] = "5";
    req.items[2].number = five;
    bc_docparse_match_outline(report, &req.request);
    assert_string_equal(report->sections[2]->outline_item, "5");
    bc_docparse_match_outline(report, NULL);
    for (size_t i = 0; i < report->n_sections; i++) {
        assert_string_equal(report->sections[i]->outline_item, "");
    }
    baocao__report__free_unpacked(report, NULL);
}

static void
test_outline_similarity(void **state)
{
    (void) state;
    //  Case, tone marks and đ do not count; word sets are compared.
    assert_true(bc_outline_similarity("KHÓ KHĂN, VƯỚNG MẮC", "khó khăn, vướng mắc") > 0.99);
    assert_true(bc_outline_similarity("Đề xuất", "de xuat") > 0.99);
    assert_true(bc_outline_similarity("Công tác tuyên truyền, phổ biến pháp luật về báo chí",
                                      "Công tác tuyên truyền, phổ biến") >= 0.5);
    assert_true(bc_outline_similarity("Công tác phát ngôn", "Khó khăn, vướng mắc") < 0.01);
    assert_true(bc_outline_similarity("", "") < 0.01);
    assert_true(bc_outline_same_number("01", "1"));
    assert_true(bc_outline_same_number("ii.", "II"));
    assert_true(bc_outline_same_number("3)", "3"));
    assert_false(bc_outline_same_number("1", "1.1"));
    assert_false(bc_outline_same_number("", ""));

    //  By title when the number is missing or renumbered; sub-sections
    //  without an item of their own answer their parent's.
    Baocao__ReportRequest *request = s_demo_request();
    const char *text =
        "I. KẾT QUẢ\n"
        "1. Công tác tuyên truyền, phổ biến\n"
        "a) Hội nghị\nNội dung.\n"
        "II. KHÓ KHĂN, VƯỚNG MẮC, ĐỀ XUẤT, KIẾN NGHỊ\nNội dung.\n"
        "III. Công tác phối hợp quản lý phóng viên nước ngoài\nNội dung.\n"
        "IV. Những việc khác\nNội dung.\n";
    Baocao__Report *report = s_parse(text, strlen(text), request);
    assert_int_equal(report->n_sections, 4);
    s_section_is(report->sections[0], "I", "KẾT QUẢ", "", 1, "");
    s_section_is(report->sections[0]->children[0], "1", "Công tác tuyên truyền, phổ biến", "",
                 1, "1");
    s_section_is(report->sections[0]->children[0]->children[0], "a", "Hội nghị", "Nội dung.",
                 0, "1");
    s_section_is(report->sections[1], "II", "KHÓ KHĂN, VƯỚNG MẮC, ĐỀ XUẤT, KIẾN NGHỊ",
                 "Nội dung.", 0, "4");
    s_section_is(report->sections[2], "III", "Công tác phối hợp quản lý phóng viên nước ngoài",
                 "Nội dung.", 0, "3");
    s_section_is(report->sections[3], "IV", "Những việc khác", "Nội dung.", 0, "");
    baocao__report__free_unpacked(report, NULL);
    baocao__report_request__free_unpacked(request, NULL);
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
        //  Signature notes and digital-signature stamps are no part of it.
        { "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n(Đã ký)\nKý bởi: Sở Y tế\nLê Văn Bình\n",
          "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lê Văn Bình" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, "1. Mục\nNội dung.\nTrên đây là báo cáo./.\nNơi nhận:\n"
                 "- Như trên;\n%s", cases[i].block);
        Baocao__Report *report = s_parse(text, strlen(text), NULL);
        s_signer_is(report, cases[i].authority, cases[i].title, cases[i].name);
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
    static const char *const dist[] = { "Như trên", "Lưu: VT", NULL };
    s_strings_are(report->distribution, report->n_distribution, dist);
    s_signer_is(report, "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lê Văn Bình");
    baocao__report__free_unpacked(report, NULL);
}

static void
test_signer_interleaved(void **state)
{
    (void) state;
    //  Plain extraction of a signer block beside the list: one line each.
    const char *text = "1. Mục\nNội dung.\nTrên đây là báo cáo./.\nNơi nhận:\nKT. GIÁM ĐỐC\n"
                       "- Như trên;\nPHÓ GIÁM ĐỐC\n- Lưu: VT, VP.\nNguyễn Văn Hùng\n";
    Baocao__Report *report = s_parse(text, strlen(text), NULL);
    static const char *const dist[] = { "Như trên", "Lưu: VT, VP", NULL };
    s_strings_are(report->distribution, report->n_distribution, dist);
    s_signer_is(report, "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Hùng");
    baocao__report__free_unpacked(report, NULL);

    //  And run together on the same lines.
    text = "1. Mục\nNội dung.\nTrên đây là báo cáo./.\nNơi nhận: KT. GIÁM ĐỐC\n"
           "- Như trên; PHÓ GIÁM ĐỐC\n- Lưu: VT, VP.\nNguyễn Văn Hùng\n";
    report = s_parse(text, strlen(text), NULL);
    s_strings_are(report->distribution, report->n_distribution, dist);
    s_signer_is(report, "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Hùng");
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
    static const char *const dist[] = { "Như trên", "Lưu", NULL };
    s_strings_are(report->distribution, report->n_distribution, dist);
    s_signer_is(report, "", "", "Nguyễn Văn An");
    baocao__report__free_unpacked(report, NULL);
}

static void
test_not_headings(void **state)
{
    (void) state;
    const char *text = "1.Không có dấu cách\n1234. Bốn chữ số\n1. \n"
                       "3. Mục thật\n2026. Năm\n"
                       //  A list restarting inside a section is its text.
                       "Sở kiến nghị:\n1. Bộ Thông tin và Truyền thông;\n2. Tỉnh.\n"
                       //  Neither are amounts, a stray Roman V, a letter not a.
                       "12.5 triệu đồng.\nV. Nguyễn.\nc) Mục c.\n";
    Baocao__Report *report = s_parse(text, strlen(text), NULL);
    assert_int_equal(report->n_sections, 1);
    assert_string_equal(report->sections[0]->number, "3");
    assert_string_equal(report->sections[0]->body,
                        "2026. Năm\nSở kiến nghị:\n1. Bộ Thông tin và Truyền thông;\n2. Tỉnh.\n"
                        "12.5 triệu đồng.\nV. Nguyễn.\nc) Mục c.");
    baocao__report__free_unpacked(report, NULL);
}

static void
test_nesting(void **state)
{
    (void) state;
    const char *text =
        "I. KẾT QUẢ THỰC HIỆN\n"
        "1. Tuyên truyền\n"
        "1.1. Hội nghị\nHai hội nghị.\n"
        "1.2 Tài liệu\n"
        "a) Sách\nBa đầu sách.\n"
        "b) Tờ rơi: Một nghìn tờ.\n"
        "đ) Lạc thứ tự\n"
        "2. Phát ngôn\nNội dung.\n"
        "II. KIẾN NGHỊ\n- Một;\n- Hai.\n";
    Baocao__Report *report = s_parse(text, strlen(text), NULL);
    assert_int_equal(report->n_sections, 2);
    const Baocao__Section *one = report->sections[0];
    s_section_is(one, "I", "KẾT QUẢ THỰC HIỆN", "", 2, "");
    s_section_is(one->children[0], "1", "Tuyên truyền", "", 2, "");
    s_section_is(one->children[0]->children[0], "1.1", "Hội nghị", "Hai hội nghị.", 0, "");
    const Baocao__Section *docs = one->children[0]->children[1];
    s_section_is(docs, "1.2", "Tài liệu", "", 3, "");
    s_section_is(docs->children[0], "a", "Sách", "Ba đầu sách.", 0, "");
    s_section_is(docs->children[1], "b", "Tờ rơi", "Một nghìn tờ.", 0, "");
    //  đ follows d in the alphabet; after b it is a (badly ordered) item.
    s_section_is(docs->children[2], "đ", "Lạc thứ tự", "", 0, "");
    s_section_is(one->children[1], "2", "Phát ngôn", "Nội dung.", 0, "");
    s_section_is(report->sections[1], "II", "KIẾN NGHỊ", "- Một;\n- Hai.", 0, "");
    baocao__report__free_unpacked(report, NULL);
}

static void
test_sectionless(void **state)
{
    (void) state;
    //  A short answer with no numbered section is kept as one section.
    const char *text = "Kính gửi: Sở Thông tin và Truyền thông.\n"
                       "Phúc đáp Công văn số 1005/STTTT-TTBCXB ngày 05/8/2022, Sở Xây dựng "
                       "không có nội dung báo cáo.\n"
                       "Trân trọng.\n"
                       "GIÁM ĐỐC\nNguyễn Văn An\n";
    bc_buf_t warnings;
    bc_buf_init(&warnings);
    Baocao__Report *report = NULL;
    assert_int_equal(bc_docparse_text_warn(text, strlen(text), NULL, &report, &warnings, NULL,
                                           0), BC_OK);
    assert_int_equal(report->n_sections, 1);
    s_section_is(report->sections[0], "", "",
                 "Phúc đáp Công văn số 1005/STTTT-TTBCXB ngày 05/8/2022, Sở Xây dựng không "
                 "có nội dung báo cáo.\nTrân trọng.", 0, "");
    s_ref_is(report->answers, "Công văn", 1005, 0, "STTTT-TTBCXB", "2022-08-05", "", "");
    s_signer_is(report, "GIÁM ĐỐC", "", "Nguyễn Văn An");
    assert_non_null(strstr(warnings.data, "no numbered section"));
    assert_non_null(strstr(warnings.data, "no letter header"));
    bc_buf_release(&warnings);
    baocao__report__free_unpacked(report, NULL);
}

static void
test_addressees(void **state)
{
    (void) state;
    static const struct {
        const char *text;
        const char *names[3];
    } cases[] = {
        //  Without the colon, a name right after the label.
        { "Kính gửi Sở Thông tin và Truyền thông.\n1. Mục\nA.\n",
          { "Sở Thông tin và Truyền thông", NULL } },
        //  A list, one item wrapped.
        { "Kính gửi: - Sở Thông tin và Truyền thông;\n- Ủy ban nhân dân\nhuyện Gio Linh.\n"
          "1. Mục\nA.\n", { "Sở Thông tin và Truyền thông", "Ủy ban nhân dân huyện Gio Linh",
                               NULL } },
        //  The label and the name extracted as two blocks.
        { "Kính gửi:\nSở Thông tin và Truyền thông.\n1. Mục\nA.\n",
          { "Sở Thông tin và Truyền thông", NULL } },
        //  A label with no name: the text after it is no addressee.
        { "Kính gửi:\nThực hiện Văn bản số 1005/STTTT-TTBCXB ngày 05/8/2022 của Sở Thông tin\n"
          "và Truyền thông, Sở báo cáo như sau:\n1. Mục\nA.\n", { NULL } },
        //  In running text, "kính gửi" is no label.
        { "1. Mục\nTrên đây là báo cáo của Sở,\nkính gửi Sở Thông tin và Truyền thông./.\n",
          { NULL } },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Baocao__Report *report = s_parse(cases[i].text, strlen(cases[i].text), NULL);
        size_t n = 0;
        while (cases[i].names[n]) {
            n++;
        }
        assert_int_equal(report->n_addressees, n);
        for (size_t k = 0; k < n; k++) {
            assert_string_equal(report->addressees[k]->name, cases[i].names[k]);
        }
        if (n > 0) {
            assert_string_equal(report->recipient->name, cases[i].names[0]);
        }
        else {
            assert_null(report->recipient);
        }
        assert_int_equal(report->n_sections, 1);
        baocao__report__free_unpacked(report, NULL);
    }
}

//  --------------------------------------------------------------------------
//  Legal references

static void
test_legal_refs(void **state)
{
    (void) state;
    bc_legal_hit_t *hits = NULL;
    const char *text =
        "Căn cứ Luật Báo chí năm 2016, Luật Phòng, chống tham nhũng năm 2018, Bộ luật Dân sự "
        "năm 2015 và Hiến pháp năm 2013; Nghị định số 09/2017/NĐ-CP ngày 09/02/2017 của "
        "Chính phủ quy định chi tiết; Nghị định 09/2019/ND-CP ngày 24 tháng 01 năm 2019 "
        "của Chính phủ; Quyết định số 46/2021/QÐ - UBND ngày 29-10-2021 của Ủy ban nhân dân "
        "tỉnh, Sở Nội vụ báo cáo; Chỉ thị số 32-CT/TW ngày 10/4/2024 của Ban Bí thư; "
        "thực hiện Thông tư liên tịch số 12/2016/TTLT-BTC-BTP; văn bản số 123/UBND-VP "
        "ngày 31/02/2022 của Bộ Văn hóa, Thể thao và Du lịch về việc; theo Luật An ninh "
        "mạng; ngày 27/7/1947, tháng 7/2026, 1/3 số hộ, quý III/2026.";
    size_t n = bc_legal_find(text, &hits);
    assert_int_equal(n, 11);
    s_ref_is(hits[0].ref, "Luật", 0, 2016, "", "", "", "Báo chí");
    assert_int_equal(hits[0].cue, 1);
    s_ref_is(hits[1].ref, "Luật", 0, 2018, "", "", "", "Phòng, chống tham nhũng");
    s_ref_is(hits[2].ref, "Bộ luật", 0, 2015, "", "", "", "Dân sự");
    s_ref_is(hits[3].ref, "Hiến pháp", 0, 2013, "", "", "", "");
    s_ref_is(hits[4].ref, "Nghị định", 9, 2017, "NĐ-CP", "2017-02-09", "Chính phủ", "");
    //  09/2019/NĐ-CP is another decree than 09/2017/NĐ-CP; ND is its fallback.
    s_ref_is(hits[5].ref, "Nghị định", 9, 2019, "NĐ-CP", "2019-01-24", "Chính phủ", "");
    //  Ð (U+00D0) for Đ, spaces around the hyphen, dashes in the date; the
    //  issuer stops before the next organ.
    s_ref_is(hits[6].ref, "Quyết định", 46, 2021, "QĐ-UBND", "2021-10-29",
             "Ủy ban nhân dân tỉnh", "");
    s_ref_is(hits[7].ref, "Chỉ thị", 32, 0, "CT/TW", "2024-04-10", "Ban Bí thư", "");
    s_ref_is(hits[8].ref, "Thông tư liên tịch", 12, 2016, "TTLT-BTC-BTP", "", "", "");
    assert_int_equal(hits[8].cue, 2);
    //  31/02 is no date; a comma inside an organ's name.
    s_ref_is(hits[9].ref, "Văn bản", 123, 0, "UBND-VP", "", "Bộ Văn hóa, Thể thao và Du lịch", "");
    s_ref_is(hits[10].ref, "Luật", 0, 0, "", "", "", "An ninh mạng");

    //  The list merges citations of one document and keeps the order.
    bc_legal_list_t list;
    bc_legal_list_init(&list);
    for (size_t i = 0; i < n; i++) {
        bc_legal_list_add(&list, &hits[i].ref);
        assert_null(hits[i].ref);
    }
    bc_legal_hits_destroy(&hits, n);
    assert_int_equal(list.n, 11);
    n = bc_legal_find("Luật An ninh mạng năm 2018; Nghị định số 09/2017/NĐ-CP; "
                      "Công văn số 123/UBND-VP ngày 01/3/2022; số 123/UBND-VP; "
                      "Công văn số 123/UBND-VP ngày 05/3/2022", &hits);
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++) {
        bc_legal_list_add(&list, &hits[i].ref);
    }
    bc_legal_hits_destroy(&hits, n);
    //  The law gains its year, the letter its date and its kind; the same
    //  number and notation with another date is another letter.
    assert_int_equal(list.n, 12);
    s_ref_is(list.refs[9], "Công văn", 123, 0, "UBND-VP", "2022-03-01",
             "Bộ Văn hóa, Thể thao và Du lịch", "");
    s_ref_is(list.refs[10], "Luật", 0, 2018, "", "", "", "An ninh mạng");
    s_ref_is(list.refs[11], "Công văn", 123, 0, "UBND-VP", "2022-03-05", "", "");
    bc_legal_list_release(&list);

    //  Nothing cited: no hits.
    n = bc_legal_find("các văn bản quy phạm pháp luật về báo chí, luật pháp, 24/7.", &hits);
    assert_int_equal(n, 0);
    assert_null(hits);
}

static void
test_legal_dates(void **state)
{
    (void) state;
    unsigned y, m, d;
    assert_int_equal(bc_legal_date("ngày 16 tháng 8 năm 2022", &y, &m, &d),
                     strlen("ngày 16 tháng 8 năm 2022"));
    assert_true(y == 2022 && m == 8 && d == 16);
    assert_true(bc_legal_date("ngày 05/8/2022 của", &y, &m, &d) > 0);
    assert_true(y == 2022 && m == 8 && d == 5);
    assert_true(bc_legal_date("ngay 5.8.2022", &y, &m, &d) > 0);
    assert_true(bc_legal_date("NGÀY 29-10-2021", &y, &m, &d) > 0);
    assert_int_equal(bc_legal_date("ngày 31/02/2022", &y, &m, &d), 0);
    assert_int_equal(bc_legal_date("ngày 5/8/22", &y, &m, &d), 0);
    assert_int_equal(bc_legal_date("ngày 5/8-2022", &y, &m, &d), 0);
    assert_int_equal(bc_legal_date("ngày càng tăng", &y, &m, &d), 0);
    assert_int_equal(bc_legal_date("ngàyx 5/8/2022", &y, &m, &d), 0);
    assert_string_equal(bc_legal_kind_of("NĐ-CP"), "Nghị định");
    assert_string_equal(bc_legal_kind_of("CT/TW"), "Chỉ thị");
    assert_string_equal(bc_legal_kind_of("TTr-UBND"), "Tờ trình");
    assert_string_equal(bc_legal_kind_of("STTTT-TTBCXB"), "Văn bản");
}

//  --------------------------------------------------------------------------
//  Text normalization

static void
test_text_lines(void **state)
{
    (void) state;
    //  CR, CRLF, form feed, tabs, no-break and zero-width spaces, page
    //  numbers and rules, Ð, NFD.
    const char data[] = "\xEF\xBB\xBF" "A\r\nB\rC\f- 2 -\n\n  D\tE\n"
                        "F\xC2\xA0\xC2\xA0G\xE2\x80\x8BH\nTrang 3/4\n_____\nÐÀ\n"
                        "Vie\xCC\xA3\xCC\x82t\n";
    bc_text_t text;
    char why[128] = "";
    assert_int_equal(bc_text_init(&text, data, sizeof data - 1, why, sizeof why), BC_OK);
    assert_int_equal(text.n_lines, 7);
    assert_string_equal(text.lines[0].text, "A");
    assert_string_equal(text.lines[1].text, "B");
    assert_string_equal(text.lines[2].text, "C");
    assert_string_equal(text.lines[3].text, "D     E");
    assert_int_equal(text.lines[3].indent, 2);
    assert_int_equal(text.lines[3].page, 2);
    assert_true(text.lines[3].page_break);
    assert_int_equal(text.lines[3].blank_before, 1);
    assert_int_equal(text.lines[3].width, 3);
    assert_string_equal(text.lines[4].text, "F  GH");
    assert_true(text.lines[5].page_break);
    assert_string_equal(text.lines[5].text, "ĐÀ");
    assert_string_equal(text.lines[6].text, "Việt");
    assert_int_equal(text.n_pages, 2);
    assert_int_equal(text.n_page_numbers, 2);
    bc_text_release(&text);
    bc_text_release(&text);

    bc_text_cell_t cells[BC_TEXT_MAX_CELLS];
    size_t n = bc_text_columns("Nơi nhận:      KT. GIÁM ĐỐC", 2, cells, BC_TEXT_MAX_CELLS);
    assert_int_equal(n, 2);
    assert_int_equal(cells[0].column, 2);
    assert_int_equal(cells[0].len, strlen("Nơi nhận:"));
    assert_int_equal(cells[1].column, 2 + 9 + 6);

    char *folded = bc_text_fold("Nơi nhận ĐÀ Ðức");
    assert_string_equal(folded, "noi nhan da duc");
    free(folded);
    assert_int_equal(bc_text_match("NƠI  NHẬN:", "noi nhan"), strlen("NƠI  NHẬN"));
    assert_int_equal(bc_text_match_word("Số:", "so"), strlen("Số"));
    assert_int_equal(bc_text_match_word("Sống", "so"), 0);
    assert_true(bc_text_all_upper("KT. GIÁM ĐỐC"));
    assert_false(bc_text_all_upper("KT. Giám đốc"));
    assert_false(bc_text_all_upper("2022"));
}

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

//  --------------------------------------------------------------------------
//  Fixtures in departments' styles (tests/data/docparse/)

//  Sở Y tế, as pdftotext -layout prints it.
static void
test_fixture_layout(void **state)
{
    (void) state;
    Baocao__ReportRequest *request = s_demo_request();
    bc_buf_t warnings;
    bc_buf_init(&warnings);
    const char *media = NULL;
    Baocao__Report *r = s_parse_file(S_DATA "/syt-layout.txt", request, &warnings, &media);
    assert_string_equal(media, BC_DOCPARSE_MEDIA_TEXT);
    assert_int_equal(warnings.len, 0);
    //  Header, its two columns side by side, the subject wrapped.
    assert_string_equal(r->sender->name, "Sở Y tế");
    assert_int_equal(r->number, 2031);
    assert_string_equal(r->notation, "SYT-VP");
    assert_string_equal(r->place, "Quảng Trị");
    s_date_is(r->date, 2022, 8, 16);
    assert_string_equal(r->subject, "báo cáo kết quả thực hiện Chỉ thị số 06/CT-UBND năm 2022");
    assert_int_equal(r->n_addressees, 2);
    assert_string_equal(r->addressees[0]->name, "Sở Thông tin và Truyền thông");
    assert_string_equal(r->addressees[1]->name, "Văn phòng UBND tỉnh");
    assert_string_equal(r->recipient->name, "Sở Thông tin và Truyền thông");
    s_ref_is(r->answers, "Công văn", 1005, 0, "STTTT-TTBCXB", "2022-08-05",
             "Sở Thông tin và Truyền thông", "");
    //  Roman > Arabic > letters; a wrapped heading in capitals; a notation
    //  cut after its hyphen across a page break with its page number.
    assert_int_equal(r->n_sections, 2);
    const Baocao__Section *one = r->sections[0];
    s_section_is(one, "I", "KẾT QUẢ THỰC HIỆN CHỈ THỊ SỐ 06/CT-UBND TRÊN LĨNH VỰC Y TẾ VÀ CÔNG "
                 "TÁC THÔNG TIN, BÁO CHÍ", "", 2, "");
    s_section_is(one->children[0], "1", "Công tác tuyên truyền, phổ biến", "", 2, "1");
    s_section_is(one->children[0]->children[0], "a", "Phổ biến văn bản quy phạm pháp luật",
                 "Sở tổ chức 02 hội nghị quán triệt Luật Báo chí năm 2016, Luật Khám bệnh, chữa "
                 "bệnh năm 2023 và Nghị định số 09/2017/NĐ-CP ngày 09/02/2017 của Chính phủ cho "
                 "cán bộ, công chức, viên chức toàn ngành.", 0, "1");
    s_section_is(one->children[0]->children[1], "b", "Ứng xử trên mạng xã hội",
                 "- Ban hành quy chế ứng xử trên mạng xã hội của ngành y tế;\n"
                 "- Nhắc nhở nhân viên y tế không đăng tải hình ảnh người bệnh khi chưa có sự "
                 "đồng ý của người bệnh.", 0, "1");
    s_section_is(one->children[1], "2", "Công tác phát ngôn và cung cấp thông tin cho báo chí",
                 "Giám đốc Sở là người phát ngôn; Sở tổ chức 03 cuộc họp báo về tình hình dịch "
                 "bệnh, cung cấp thông tin cho 45 lượt phóng viên theo Quyết định số "
                 "46/2021/QĐ-UBND ngày 29/10/2021 của Ủy ban nhân dân tỉnh.", 0, "2");
    s_section_is(r->sections[1], "II", "KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ",
                 "Một số trang mạng xã hội đăng tải thông tin sai lệch về chất lượng khám chữa "
                 "bệnh tại các bệnh viện tuyến huyện. Sở kiến nghị Sở Thông tin và Truyền thông "
                 "phối hợp xử lý kịp thời.", 0, "4");
    assert_int_equal(r->n_legal_refs, 6);
    s_ref_is(r->legal_refs[0], "Chỉ thị", 6, 0, "CT-UBND", "2019-05-07", "UBND tỉnh", "");
    s_ref_is(r->legal_refs[1], "Công văn", 1005, 0, "STTTT-TTBCXB", "2022-08-05",
             "Sở Thông tin và Truyền thông", "");
    s_ref_is(r->legal_refs[2], "Luật", 0, 2016, "", "", "", "Báo chí");
    s_ref_is(r->legal_refs[3], "Luật", 0, 2023, "", "", "", "Khám bệnh, chữa bệnh");
    s_ref_is(r->legal_refs[4], "Nghị định", 9, 2017, "NĐ-CP", "2017-02-09", "Chính phủ", "");
    s_ref_is(r->legal_refs[5], "Quyết định", 46, 2021, "QĐ-UBND", "2021-10-29",
             "Ủy ban nhân dân tỉnh", "");
    assert_string_equal(r->closing, "Trên đây là báo cáo của Sở Y tế, kính gửi Sở Thông tin và "
                                    "Truyền thông tổng hợp./.");
    //  The signer in the column beside the list.
    static const char *const dist[] = { "Như trên", "Giám đốc Sở", "Lưu: VT, VP", NULL };
    s_strings_are(r->distribution, r->n_distribution, dist);
    s_signer_is(r, "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Thị Lan Anh");
    bc_buf_release(&warnings);
    baocao__report__free_unpacked(r, NULL);
    baocao__report_request__free_unpacked(request, NULL);
}

//  Sở Nội vụ: plain extraction (right column first), CRLF, BOM.
static void
test_fixture_crlf_bom(void **state)
{
    (void) state;
    Baocao__ReportRequest *request = s_demo_request();
    Baocao__Report *r = s_parse_file(S_DATA "/snv-crlf-bom.txt", request, NULL, NULL);
    assert_string_equal(r->sender->name, "Sở Nội vụ");
    assert_int_equal(r->number, 145);
    assert_string_equal(r->notation, "BC-SNV");
    assert_string_equal(r->place, "Quảng Trị");
    s_date_is(r->date, 2022, 9, 5);
    assert_string_equal(r->subject, "báo cáo tình hình thực hiện Chỉ thị số 06/CT-UBND");
    assert_int_equal(r->n_addressees, 1);
    assert_string_equal(r->recipient->name, "Sở Thông tin và Truyền thông");
    s_ref_is(r->answers, "Văn bản", 1005, 0, "STTTT-TTBCXB", "2022-08-05",
             "Sở Thông tin và Truyền thông", "");
    assert_int_equal(r->n_sections, 3);
    const Baocao__Section *one = r->sections[0];
    s_section_is(one, "1", "Công tác tuyên truyền, phổ biến", "", 2, "1");
    s_section_is(one->children[0], "1.1", "Phổ biến văn bản pháp luật",
                 "Sở đã quán triệt Nghị định số 09/2017/NĐ-CP ngày 09/02/2017 của Chính phủ "
                 "đến toàn thể công chức.", 0, "1");
    s_section_is(one->children[1], "1.2", "Tập huấn nghiệp vụ",
                 "Sở cử 02 công chức tham gia lớp bồi dưỡng kỹ năng phát ngôn.", 0, "1");
    s_section_is(r->sections[1], "2", "Công tác phát ngôn",
                 "Chánh Văn phòng Sở được giao giúp người phát ngôn chuẩn bị nội dung trả lời "
                 "báo chí.", 0, "2");
    //  Numbered 3 by the department, it answers the outline's item 4.
    s_section_is(r->sections[2], "3", "Khó khăn, vướng mắc, đề xuất",
                 "Đề nghị Sở Thông tin và Truyền thông tổ chức tập huấn kỹ năng phát ngôn cho "
                 "các sở, ngành.", 0, "4");
    assert_int_equal(r->n_legal_refs, 3);
    s_ref_is(r->legal_refs[0], "Chỉ thị", 6, 0, "CT-UBND", "", "", "");
    s_ref_is(r->legal_refs[1], "Văn bản", 1005, 0, "STTTT-TTBCXB", "2022-08-05",
             "Sở Thông tin và Truyền thông", "");
    s_ref_is(r->legal_refs[2], "Nghị định", 9, 2017, "NĐ-CP", "2017-02-09", "Chính phủ", "");
    assert_string_equal(r->closing, "Trên đây là báo cáo của Sở Nội vụ về tình hình thực hiện "
                                    "Chỉ thị số 06/CT-UBND, kính gửi Sở Thông tin và Truyền "
                                    "thông tổng hợp./.");
    static const char *const dist[] = { "Như trên", "Lưu: VT, VP", NULL };
    s_strings_are(r->distribution, r->n_distribution, dist);
    s_signer_is(r, "GIÁM ĐỐC", "", "Lê Quang Minh");
    baocao__report__free_unpacked(r, NULL);
    baocao__report_request__free_unpacked(request, NULL);
}

//  UBND huyện Gio Linh: "BÁO CÁO" form, tabs, runs of spaces, NFD, Ð, ND-CP.
static void
test_fixture_nfd_tabs(void **state)
{
    (void) state;
    Baocao__ReportRequest *request = s_demo_request();
    Baocao__Report *r = s_parse_file(S_DATA "/gio-linh-nfd-tabs.txt", request, NULL, NULL);
    //  Every string comes out NFC (the literals here are NFC).
    assert_string_equal(r->sender->name, "Ủy ban nhân dân huyện Gio Linh");
    assert_int_equal(r->number, 95);
    assert_string_equal(r->notation, "BC-UBND");
    assert_string_equal(r->place, "Gio Linh");
    s_date_is(r->date, 2022, 9, 2);
    assert_string_equal(r->subject, "Kết quả thực hiện Chỉ thị số 06/CT-UBND ngày 07/5/2019 "
                                    "của Ủy ban nhân dân tỉnh");
    assert_null(r->recipient);
    assert_int_equal(r->n_addressees, 0);
    s_ref_is(r->answers, "Văn bản", 1005, 0, "STTTT-TTBCXB", "2022-08-05",
             "Sở Thông tin và Truyền thông", "");
    assert_int_equal(r->n_sections, 3);
    s_section_is(r->sections[0], "1", "Công tác tuyên truyền, phổ biến",
                 "Huyện tổ chức 04 hội nghị quán triệt Nghị định số 09/2017/NĐ-CP và Nghị định "
                 "số 15/2020/ND-CP ngày 03/02/2020 của Chính phủ.", 0, "1");
    //  A blank line in mid-sentence.
    s_section_is(r->sections[1], "2", "Công tác phát ngôn và cung cấp thông tin cho báo chí",
                 "Chủ tịch Ủy ban nhân dân huyện là người phát ngôn theo quy định.", 0, "2");
    s_section_is(r->sections[2], "3", "Khó khăn, vướng mắc và đề xuất, kiến nghị",
                 "Đề nghị tỉnh hỗ trợ kinh phí nâng cấp đài truyền thanh cơ sở.", 0, "4");
    assert_int_equal(r->n_legal_refs, 4);
    s_ref_is(r->legal_refs[0], "Chỉ thị", 6, 0, "CT-UBND", "2019-05-07", "Ủy ban nhân dân tỉnh",
             "");
    s_ref_is(r->legal_refs[1], "Văn bản", 1005, 0, "STTTT-TTBCXB", "2022-08-05",
             "Sở Thông tin và Truyền thông", "");
    //  Canonical notations: Ð and the ASCII fallback ND both give NĐ.
    s_ref_is(r->legal_refs[2], "Nghị định", 9, 2017, "NĐ-CP", "", "", "");
    s_ref_is(r->legal_refs[3], "Nghị định", 15, 2020, "NĐ-CP", "2020-02-03", "Chính phủ", "");
    assert_string_equal(r->closing, "Trên đây là báo cáo của Ủy ban nhân dân huyện Gio Linh./.");
    static const char *const dist[] = { "Sở Thông tin và Truyền thông",
                                        "TT Huyện ủy, TT HĐND huyện", "Lưu: VT, VHTT", NULL };
    s_strings_are(r->distribution, r->n_distribution, dist);
    s_signer_is(r, "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Minh Sơn");
    baocao__report__free_unpacked(r, NULL);
    baocao__report_request__free_unpacked(request, NULL);
}

//  UBND thành phố Đông Hà: no header, double-spaced PDF text.
static void
test_fixture_no_header(void **state)
{
    (void) state;
    Baocao__ReportRequest *request = s_demo_request();
    bc_buf_t warnings;
    bc_buf_init(&warnings);
    Baocao__Report *r = s_parse_file(S_DATA "/dong-ha-no-header.txt", request, &warnings, NULL);
    assert_string_equal(warnings.data, "no letter header (number, date, subject) found\n");
    assert_null(r->sender);
    assert_int_equal(r->number, 0);
    assert_null(r->date);
    assert_string_equal(r->subject, "");
    assert_null(r->recipient);
    s_ref_is(r->answers, "Công văn", 1005, 0, "STTTT-TTBCXB", "2022-08-05",
             "Sở Thông tin và Truyền thông", "");
    assert_int_equal(r->n_sections, 2);
    const Baocao__Section *one = r->sections[0];
    s_section_is(one, "1", "Công tác tuyên truyền, phổ biến các văn bản pháp luật về thông tin, "
                 "báo chí trên địa bàn thành phố", "", 2, "1");
    s_section_is(one->children[0], "a", "Hình thức tuyên truyền",
                 "Thành phố đã lồng ghép nội dung Luật Báo chí năm 2016 và Quyết định số "
                 "46/2021/QĐ-UBND ngày 29/10/2021 của Ủy ban nhân dân tỉnh vào các hội nghị "
                 "giao ban hằng tháng của các phường.", 0, "1");
    s_section_is(one->children[1], "b", "Kết quả đạt được",
                 "Có 100% cán bộ, công chức thành phố được phổ biến; 09 phường tổ chức hội "
                 "nghị lồng ghép tại khu phố, thu hút trên 1.500 lượt người dân tham dự.", 0, "1");
    s_section_is(r->sections[1], "2", "Công tác phát ngôn và cung cấp thông tin cho báo chí",
                 "Chủ tịch Ủy ban nhân dân thành phố là người phát ngôn theo Nghị định số "
                 "09/2017/NĐ-CP ngày 09/02/2017 của Chính phủ.", 0, "2");
    assert_int_equal(r->n_legal_refs, 4);
    s_ref_is(r->legal_refs[0], "Công văn", 1005, 0, "STTTT-TTBCXB", "2022-08-05",
             "Sở Thông tin và Truyền thông", "");
    s_ref_is(r->legal_refs[1], "Luật", 0, 2016, "", "", "", "Báo chí");
    s_ref_is(r->legal_refs[2], "Quyết định", 46, 2021, "QĐ-UBND", "2021-10-29",
             "Ủy ban nhân dân tỉnh", "");
    s_ref_is(r->legal_refs[3], "Nghị định", 9, 2017, "NĐ-CP", "2017-02-09", "Chính phủ", "");
    //  Closed by "./." without "Trên đây"; signed without a list.
    assert_string_equal(r->closing, "Ủy ban nhân dân thành phố Đông Hà kính báo cáo./.");
    assert_int_equal(r->n_distribution, 0);
    s_signer_is(r, "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Văn Thanh");
    bc_buf_release(&warnings);
    baocao__report__free_unpacked(r, NULL);
    baocao__report_request__free_unpacked(request, NULL);
}

//  Organ names from the header: the request's spelling when it has one.
static void
test_organ_names(void **state)
{
    (void) state;
    static const struct {
        const char *organ;
        const char *name;               //  without the request
        const char *known;              //  with the demo request
    } cases[] = {
        { "SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "Sở Kế hoạch và Đầu tư", "Sở Kế hoạch và Đầu tư" },
        { "SỞ CÔNG THƯƠNG", "Sở Công thương", "Sở Công Thương" },
        { "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Sở Lao động - Thương binh và Xã hội",
          "Sở Lao động - Thương binh và Xã hội" },
        { "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Sở Văn hóa, Thể thao và Du lịch",
          "Sở Văn hóa, Thể thao và Du lịch" },
        { "ỦY BAN NHÂN DÂN\nTHỊ XÃ QUẢNG TRỊ", "Ủy ban nhân dân thị xã Quảng Trị",
          "Ủy ban nhân dân thị xã Quảng Trị" },
        { "THANH TRA TỈNH", "Thanh tra tỉnh", "Thanh tra tỉnh" },
        { "BAN DÂN TỘC TỈNH", "Ban Dân tộc tỉnh", "Ban Dân tộc tỉnh" },
        { "VĂN PHÒNG UBND TỈNH", "Văn phòng UBND tỉnh", "Văn phòng UBND tỉnh" },
        //  The rules cannot know every official spelling ("Khu kinh tế").
        { "BAN QUẢN LÝ KHU KINH TẾ", "Ban Quản lý khu kinh tế", "Ban Quản lý khu kinh tế" },
    };
    Baocao__ReportRequest *request = s_demo_request();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, "UBND TỈNH QUẢNG TRỊ\n%s\nSố: 12/BC-X\nKính gửi: Sở A.\n"
                 "1. Mục\nNội dung.\n", cases[i].organ);
        Baocao__Report *report = s_parse(text, strlen(text), NULL);
        assert_string_equal(report->sender->name, cases[i].name);
        baocao__report__free_unpacked(report, NULL);
        report = s_parse(text, strlen(text), request);
        assert_string_equal(report->sender->name, cases[i].known);
        baocao__report__free_unpacked(report, NULL);
    }
    baocao__report_request__free_unpacked(request, NULL);
}

//  --------------------------------------------------------------------------
//  The real sample, extracted from a department's PDF (../shared/samples)

static void
test_sample_so_ngoai_vu(void **state)
{
    (void) state;
    if (access(S_SAMPLE, R_OK) != 0) {
        print_message("skipped: ../shared/samples not present\n");
        skip();
    }
    Baocao__Report *r = s_parse_file(S_SAMPLE, NULL, NULL, NULL);
    assert_int_equal(r->n_sections, 3);
    s_section_is(r->sections[0], "1", "Công tác tuyên truyền, phổ biến", r->sections[0]->body,
                 0, "");
    s_section_is(r->sections[1], "2", "Công tác thông tin đối ngoại, phát ngôn và cung cấp "
                 "thông tin cho báo chí", r->sections[1]->body, 0, "");
    s_section_is(r->sections[2], "3", "Công tác phối hợp quản lý phóng viên nước ngoài hoạt "
                 "động báo chí trên địa bàn", r->sections[2]->body, 0, "");
    //  Paragraphs rebuilt across broken lines and the page break.
    assert_non_null(strstr(r->sections[0]->body, "quán triệt cán bộ, công chức, viên chức các "
                                                 "văn bản quy phạm pháp luật"));
    assert_null(strchr(r->sections[0]->body, '\n'));
    assert_non_null(strstr(r->sections[1]->body, "theo quy định.\nSở cũng thực hiện"));
    assert_non_null(strstr(r->sections[2]->body, "Quyết định số 46/2021/QĐ-UBND ngày"));
    assert_int_equal(r->n_legal_refs, 7);
    s_ref_is(r->legal_refs[0], "Văn bản", 1005, 0, "STTTT-TTBCXB", "2022-08-05",
             "Sở Thông tin và Truyền thông", "");
    s_ref_is(r->legal_refs[1], "Chỉ thị", 6, 0, "CT-UBND", "2019-05-07", "UBND tỉnh", "");
    s_ref_is(r->legal_refs[2], "Luật", 0, 2016, "", "", "", "Báo chí");
    s_ref_is(r->legal_refs[3], "Luật", 0, 2016, "", "", "", "tiếp cận thông tin");
    s_ref_is(r->legal_refs[4], "Luật", 0, 2018, "", "", "", "An ninh mạng");
    s_ref_is(r->legal_refs[5], "Nghị định", 9, 2017, "NĐ-CP", "2017-02-09", "Chính phủ", "");
    s_ref_is(r->legal_refs[6], "Quyết định", 46, 2021, "QĐ-UBND", "2021-10-29", "", "");
    s_ref_is(r->answers, "Văn bản", 1005, 0, "STTTT-TTBCXB", "2022-08-05",
             "Sở Thông tin và Truyền thông", "");
    assert_string_equal(r->recipient->name, "Sở Thông tin và Truyền thông");
    assert_string_equal(r->closing, "Trên đây là báo cáo tình hình, kết quả thực hiện Chỉ thị số "
                                    "06/CT-UBND ngày 07/5/2019 của UBND tỉnh về tăng cường công "
                                    "tác quản lý thông tin, báo chí trên địa bàn tỉnh, Sở Ngoại "
                                    "vụ gửi Sở Thông tin và Truyền thông tổng hợp./.");
    static const char *const dist[] = { "Như trên", "Ban Giám đốc", "Lưu VT; VPTTr", NULL };
    s_strings_are(r->distribution, r->n_distribution, dist);
    baocao__report__free_unpacked(r, NULL);
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
    Baocao__ReportRequest *request = s_demo_request();
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
        Baocao__Report *report = s_parse_file(path, request, NULL, NULL);
        assert_true(report->number > 0);
        assert_true(strlen(report->notation) > 0);
        assert_true(strlen(report->subject) > 0);
        assert_non_null(report->date);
        assert_non_null(report->sender);
        //  The organ's name as the request spells it.
        int known = 0;
        for (size_t i = 0; i < request->n_recipients; i++) {
            known |= strcmp(request->recipients[i]->name, report->sender->name) == 0;
        }
        if (!known) {
            fail_msg("%s: sender \"%s\" is no recipient of the request", entry->d_name,
                     report->sender->name);
        }
        assert_true(report->n_sections >= 3 && report->n_sections <= 4);
        for (size_t i = 0; i < report->n_sections; i++) {
            const Baocao__Section *section = report->sections[i];
            assert_true(strlen(section->title) > 0);
            assert_true(strlen(section->body) > 0);
            assert_int_equal(section->n_children, 0);
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
        //  Each answers the request 1005/STTTT-TTBCXB, as its preamble says.
        assert_non_null(report->answers);
        assert_int_equal(report->answers->number, 1005);
        assert_string_equal(report->answers->notation, "STTTT-TTBCXB");
        assert_true(report->n_legal_refs >= 2);
        baocao__report__free_unpacked(report, NULL);
        files++;
    }
    closedir(d);
    baocao__report_request__free_unpacked(request, NULL);
    if (files == 0) {
        skip();
    }
    //  README: only a few agencies answer the optional item 3.
    assert_true(with_item3 > 0 && with_item3 < files);
}

//  --------------------------------------------------------------------------
//  PDF, made here from the text fixtures with pango-view (pango1.0-tools)
//  and qpdf, as a word processor's export would: wrapped and justified at
//  a margin, two pages.

static int
s_pdf_tools(void)
{
    if (s_have_tool("pango-view") && s_have_tool("qpdf")) {
        return 1;
    }
    print_message("skipped: pango-view (pango1.0-tools) or qpdf not installed\n");
    return 0;
}

//  Renders fixture page files into dir/name.pdf (one page each).
static void
s_make_pdf(const char *dir, const char *name, const char *page1, const char *page2)
{
    const char *pages[] = { page1, page2 };
    for (int i = 0; i < 2; i++) {
        assert_int_equal(s_run("pango-view -q --font='%s' --width=460 --wrap=word --justify "
                               "-o '%s/p%d.pdf' '%s/%s' 2>/dev/null", S_FONT, dir, i, S_DATA,
                               pages[i]), 0);
    }
    assert_int_equal(s_run("qpdf --empty --pages '%s/p0.pdf' '%s/p1.pdf' -- '%s/%s.pdf'", dir,
                           dir, dir, name), 0);
}

//  A "scanned" PDF written by hand: one page holding an image and a few
//  strokes, no text at all.
static void
s_make_scan_pdf(const char *path)
{
    bc_buf_t pdf;
    bc_buf_init(&pdf);
    size_t offsets[5];
    bc_buf_puts(&pdf, "%PDF-1.4\n");
    offsets[1] = pdf.len;
    bc_buf_puts(&pdf, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
    offsets[2] = pdf.len;
    bc_buf_puts(&pdf, "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n");
    offsets[3] = pdf.len;
    bc_buf_puts(&pdf, "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                      "/Contents 4 0 R /Resources << >> >> endobj\n");
    bc_buf_t stream;
    bc_buf_init(&stream);
    bc_buf_puts(&stream, "q 400 0 0 500 100 200 cm BI /W 16 /H 16 /BPC 8 /CS /G ID ");
    uint32_t seed = 12345u;
    for (int i = 0; i < 256; i++) {
        char c = (char) (s_rand(&seed) & 0xFF);
        bc_buf_append(&stream, &c, 1);
    }
    bc_buf_puts(&stream, "\nEI Q 2 w 100 100 m 500 700 l S 100 700 m 500 100 l S\n");
    offsets[4] = pdf.len;
    bc_buf_printf(&pdf, "4 0 obj << /Length %zu >> stream\n", stream.len);
    bc_buf_append(&pdf, stream.data, stream.len);
    bc_buf_puts(&pdf, "endstream endobj\n");
    size_t xref = pdf.len;
    bc_buf_puts(&pdf, "xref\n0 5\n0000000000 65535 f \n");
    for (int i = 1; i < 5; i++) {
        bc_buf_printf(&pdf, "%010zu 00000 n \n", offsets[i]);
    }
    bc_buf_printf(&pdf, "trailer << /Size 5 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
    assert_int_equal(bc_fs_write_atomic(path, pdf.data, pdf.len), BC_OK);
    bc_buf_release(&stream);
    bc_buf_release(&pdf);
}

static void
s_assert_sngv_pdf(const Baocao__Report *r)
{
    assert_string_equal(r->sender->name, "Sở Ngoại vụ");
    assert_int_equal(r->number, 1188);
    assert_string_equal(r->notation, "SNgV-VP");
    assert_string_equal(r->place, "Quảng Trị");
    s_date_is(r->date, 2022, 8, 25);
    assert_string_equal(r->subject, "báo cáo kết quả thực hiện Chỉ thị số 06/CT-UBND");
    assert_string_equal(r->recipient->name, "Sở Thông tin và Truyền thông");
    s_ref_is(r->answers, "Văn bản", 1005, 0, "STTTT-TTBCXB", "2022-08-05",
             "Sở Thông tin và Truyền thông", "");
    assert_int_equal(r->n_sections, 2);
    //  One paragraph across the margin's breaks and the page break.
    s_section_is(r->sections[0], "1", "Công tác tuyên truyền, phổ biến",
                 "Sở thường xuyên quán triệt cán bộ, công chức, viên chức các văn bản quy phạm "
                 "pháp luật về thông tin, báo chí như: Luật Báo chí năm 2016, Luật An ninh mạng "
                 "năm 2018 và Nghị định số 09/2017/NĐ-CP ngày 09/02/2017 của Chính phủ quy định "
                 "chi tiết về phát ngôn và cung cấp thông tin cho báo chí của các cơ quan hành "
                 "chính nhà nước.", 0, "1");
    s_section_is(r->sections[1], "2", "Công tác thông tin đối ngoại, phát ngôn và cung cấp "
                 "thông tin cho báo chí",
                 "Giám đốc Sở là người phát ngôn. Sở đã cung cấp thông tin cho 12 lượt phóng "
                 "viên nước ngoài theo Quyết định số 46/2021/QĐ-UBND ngày 29/10/2021 của Ủy ban "
                 "nhân dân tỉnh.", 0, "2");
    assert_int_equal(r->n_legal_refs, 6);
    s_ref_is(r->legal_refs[0], "Chỉ thị", 6, 0, "CT-UBND", "2019-05-07", "UBND tỉnh", "");
    s_ref_is(r->legal_refs[1], "Văn bản", 1005, 0, "STTTT-TTBCXB", "2022-08-05",
             "Sở Thông tin và Truyền thông", "");
    s_ref_is(r->legal_refs[2], "Luật", 0, 2016, "", "", "", "Báo chí");
    s_ref_is(r->legal_refs[3], "Luật", 0, 2018, "", "", "", "An ninh mạng");
    s_ref_is(r->legal_refs[4], "Nghị định", 9, 2017, "NĐ-CP", "2017-02-09", "Chính phủ", "");
    s_ref_is(r->legal_refs[5], "Quyết định", 46, 2021, "QĐ-UBND", "2021-10-29",
             "Ủy ban nhân dân tỉnh", "");
    assert_string_equal(r->closing, "Trên đây là báo cáo của Sở Ngoại vụ, gửi Sở Thông tin và "
                                    "Truyền thông tổng hợp./.");
    static const char *const dist[] = { "Như trên", "Ban Giám đốc", "Lưu: VT, VPTTr", NULL };
    s_strings_are(r->distribution, r->n_distribution, dist);
    s_signer_is(r, "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Hồ Thị Thanh Xuân");
}

static void
test_pdf_text_layer(void **state)
{
    (void) state;
    if (!s_pdf_tools()) {
        skip();
    }
    char *dir = s_tmpdir();
    s_make_pdf(dir, "sngv", "pdf-sngv-page1.txt", "pdf-sngv-page2.txt");
    char path[512];
    snprintf(path, sizeof path, "%s/sngv.pdf", dir);
    Baocao__ReportRequest *request = s_demo_request();
    bc_buf_t warnings;
    bc_buf_init(&warnings);
    const char *media = NULL;
    Baocao__Report *r = s_parse_file(path, request, &warnings, &media);
    assert_string_equal(media, BC_DOCPARSE_MEDIA_PDF);
    assert_int_equal(warnings.len, 0);
    s_assert_sngv_pdf(r);
    baocao__report__free_unpacked(r, NULL);

    //  Encrypted with permissions only: read, with a warning.
    assert_int_equal(s_run("qpdf --encrypt '' owner 256 --modify=none -- '%s' '%s/perm.pdf'",
                           path, dir), 0);
    snprintf(path, sizeof path, "%s/perm.pdf", dir);
    r = s_parse_file(path, request, &warnings, &media);
    s_assert_sngv_pdf(r);
    assert_non_null(strstr(warnings.data, "encrypted with permissions only"));
    baocao__report__free_unpacked(r, NULL);

    //  The PDF reader alone: pages, form feed between them.
    char *data = NULL;
    size_t size = 0;
    snprintf(path, sizeof path, "%s/sngv.pdf", dir);
    assert_int_equal(bc_fs_read(path, BC_DOCPARSE_MAX_FILE, &data, &size), BC_OK);
    char *text = NULL;
    size_t len = 0;
    unsigned pages = 0;
    assert_int_equal(bc_pdf_text(data, size, &text, &len, &pages, NULL, NULL, 0), BC_OK);
    assert_int_equal(pages, 2);
    assert_non_null(strchr(text, '\f'));
    assert_int_equal(strlen(text), len);
    free(text);
    free(data);
    bc_buf_release(&warnings);
    baocao__report_request__free_unpacked(request, NULL);
    s_rmtree(dir);
}

static void
test_pdf_refused(void **state)
{
    (void) state;
    char *dir = s_tmpdir();
    char path[512];
    Baocao__Report *report = NULL;
    char why[256];

    //  No text layer (a scan).
    snprintf(path, sizeof path, "%s/scan.pdf", dir);
    s_make_scan_pdf(path);
    why[0] = '\0';
    assert_int_equal(bc_docparse_file(path, NULL, &report, NULL, NULL, why, sizeof why),
                     BC_EINVAL);
    assert_null(report);
    assert_non_null(strstr(why, "no text layer"));

    //  Damaged: a PDF header and nothing that holds.
    const char damaged[] = "%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF trailer garbage\n";
    snprintf(path, sizeof path, "%s/damaged.pdf", dir);
    assert_int_equal(bc_fs_write_atomic(path, damaged, sizeof damaged - 1), BC_OK);
    why[0] = '\0';
    bc_err rc = bc_docparse_file(path, NULL, &report, NULL, NULL, why, sizeof why);
    assert_true(rc == BC_EINVAL);
    assert_null(report);
    assert_true(strstr(why, "damaged PDF") || strstr(why, "no text layer"));

    //  Encrypted with a password to open it.
    if (s_pdf_tools()) {
        s_make_pdf(dir, "sngv", "pdf-sngv-page1.txt", "pdf-sngv-page2.txt");
        assert_int_equal(s_run("qpdf --encrypt secret owner 256 -- '%s/sngv.pdf' "
                               "'%s/locked.pdf'", dir, dir), 0);
        snprintf(path, sizeof path, "%s/locked.pdf", dir);
        why[0] = '\0';
        assert_int_equal(bc_docparse_file(path, NULL, &report, NULL, NULL, why, sizeof why),
                         BC_EDENIED);
        assert_null(report);
        assert_non_null(strstr(why, "encrypted PDF"));
    }
    s_rmtree(dir);
}

//  --------------------------------------------------------------------------
//  Bad input

static void
test_empty(void **state)
{
    (void) state;
    s_expect_einval("", 0, "empty");
    s_expect_einval(NULL, 0, "empty");
    s_expect_einval(" \t\n\r\n\n", 6, "empty");
    s_expect_einval("\xEF\xBB\xBF", 3, "empty");
    s_expect_einval("\xEF\xBB\xBF\r\n", 5, "empty");
    S_EINVAL("\xE2\x80\x8B\n- 2 -\n_____\n\f", "empty");

    //  An empty file.
    char *dir = s_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/empty.txt", dir);
    assert_int_equal(bc_fs_write_atomic(path, "", 0), BC_OK);
    Baocao__Report *report = NULL;
    char why[256] = "";
    assert_int_equal(bc_docparse_file(path, NULL, &report, NULL, NULL, why, sizeof why),
                     BC_EINVAL);
    assert_string_equal(why, "empty document");
    snprintf(path, sizeof path, "%s/absent.txt", dir);
    assert_int_equal(bc_docparse_file(path, NULL, &report, NULL, NULL, why, sizeof why),
                     BC_ENOTFOUND);
    assert_int_equal(bc_docparse_file(dir, NULL, &report, NULL, NULL, why, sizeof why),
                     BC_EINVAL);
    assert_non_null(strstr(why, "not a regular file"));
    assert_null(report);
    s_rmtree(dir);
}

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
    //  TCVN3 (a legacy Vietnamese encoding) is no UTF-8.
    S_EINVAL("C\xa7ng v\xa8n", "legacy encoding");
    //  Control characters: a few are replaced, many are binary data.
    S_EINVAL("\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0e\x0f abc", "binary data");
    const char stray[] = "1. Mục\nNội \x01" "dung.\n";
    bc_buf_t warnings;
    bc_buf_init(&warnings);
    Baocao__Report *report = NULL;
    assert_int_equal(bc_docparse_text_warn(stray, sizeof stray - 1, NULL, &report, &warnings,
                                           NULL, 0), BC_OK);
    assert_string_equal(report->sections[0]->body, "Nội dung.");
    assert_non_null(strstr(warnings.data, "1 control characters replaced"));
    bc_buf_release(&warnings);
    baocao__report__free_unpacked(report, NULL);
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
    assert_int_equal(bc_docparse_data("x", BC_DOCPARSE_MAX_FILE + 1u, NULL, &report, NULL, NULL,
                                      why, sizeof why), BC_ETOOBIG);
    assert_null(report);

    //  A 50 MB file is refused from its size, at once.
    char *dir = s_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/big.txt", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    char block[1 << 16];
    memset(block, 'a', sizeof block);
    for (size_t i = 0; i < (50u << 20) / sizeof block; i++) {
        assert_int_equal(write(fd, block, sizeof block), (ssize_t) sizeof block);
    }
    assert_int_equal(close(fd), 0);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(bc_docparse_file(path, NULL, &report, NULL, NULL, why, sizeof why),
                     BC_ETOOBIG);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_null(report);
    assert_non_null(strstr(why, "over the limit"));
    double ms = (double) (t1.tv_sec - t0.tv_sec) * 1e3 + (double) (t1.tv_nsec - t0.tv_nsec) / 1e6;
    print_message("50 MB file refused in %.2f ms\n", ms);
    s_rmtree(dir);
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
        bc_err rc = bc_docparse_data(buf, n, NULL, &report, NULL, NULL, why, sizeof why);
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
        "ĐẶNG", "", "   ", "\xC2\xA0", "999. Ba chữ số", "–  Gạch ngang dài", "I. LA MÃ",
        "II. HAI", "a) Chữ", "1.1. Thập phân", "BÁO CÁO", "\f", "- 3 -", "Luật Báo chí năm 2016",
        "Quyết định số 46/2021/QĐ-", "UBND ngày 29/10/2021 của", "Nơi nhận:        KT. GIÁM ĐỐC",
        "                       Nguyễn Văn A", "./.", "Ký bởi: Sở", "\tTab\tgiữa",
    };
    size_t n_lines = sizeof lines / sizeof lines[0];
    uint32_t seed = 88172645u;
    s_request_t req;
    s_request_init(&req, 4);
    for (int round = 0; round < 400; round++) {
        bc_buf_t text;
        bc_buf_init(&text);
        size_t count = s_rand(&seed) % 60;
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
            char *json = bc_json_encode(&report->base, 0);
            assert_non_null(json);
            free(json);
            baocao__report__free_unpacked(report, NULL);
        }
        bc_buf_release(&text);
    }
}

//  Throughput on the fixtures, repeated to a few MB (printed, not asserted:
//  timing targets belong in tests/bench).
static void
test_throughput(void **state)
{
    (void) state;
    static const char *files[] = {
        "syt-layout.txt", "snv-crlf-bom.txt", "gio-linh-nfd-tabs.txt", "dong-ha-no-header.txt",
    };
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        char path[512];
        snprintf(path, sizeof path, S_DATA "/%s", files[f]);
        char *data = NULL;
        size_t size = 0;
        assert_int_equal(bc_fs_read(path, 1u << 20, &data, &size), BC_OK);
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        size_t total = 0;
        int rounds = 0;
        while (total < (1u << 20)) {
            Baocao__Report *report = NULL;
            assert_int_equal(bc_docparse_text(data, size, NULL, &report, NULL, 0), BC_OK);
            baocao__report__free_unpacked(report, NULL);
            total += size;
            rounds++;
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double s = (double) (t1.tv_sec - t0.tv_sec) + (double) (t1.tv_nsec - t0.tv_nsec) / 1e9;
        print_message("%-24s %6zu bytes x %4d: %.1f MB/s\n", files[f], size, rounds,
                      (double) total / 1e6 / s);
        free(data);
    }
    //  One large document: a section's text repeated into 4 MB.
    bc_buf_t big;
    bc_buf_init(&big);
    unsigned section = 1;
    while (big.len < (4u << 20)) {
        bc_buf_printf(&big, "%u. Công tác tuyên truyền số %u\n", section, section);
        section++;
        bc_buf_puts(&big, "Sở đã tổ chức 02 hội nghị quán triệt Luật Báo chí năm 2016 và Nghị "
                          "định số 09/2017/NĐ-CP ngày 09/02/2017 của Chính phủ cho cán bộ,\n"
                          "công chức, viên chức của Sở; tỷ lệ được phổ biến đạt 96%.\n");
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    Baocao__Report *report = NULL;
    assert_int_equal(bc_docparse_text(big.data, big.len, NULL, &report, NULL, 0), BC_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double) (t1.tv_sec - t0.tv_sec) + (double) (t1.tv_nsec - t0.tv_nsec) / 1e9;
    print_message("%-24s %zu bytes: %.1f MB/s, %zu sections kept\n", "generated", big.len,
                  (double) big.len / 1e6 / s, report->n_sections);
    baocao__report__free_unpacked(report, NULL);
    bc_buf_release(&big);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_closing_distribution_signer),
        cmocka_unit_test(test_outline_item),
        cmocka_unit_test(test_outline_similarity),
        cmocka_unit_test(test_signer_variants),
        cmocka_unit_test(test_signer_before_list),
        cmocka_unit_test(test_signer_interleaved),
        cmocka_unit_test(test_no_closing),
        cmocka_unit_test(test_not_headings),
        cmocka_unit_test(test_nesting),
        cmocka_unit_test(test_sectionless),
        cmocka_unit_test(test_addressees),
        cmocka_unit_test(test_legal_refs),
        cmocka_unit_test(test_legal_dates),
        cmocka_unit_test(test_text_lines),
        cmocka_unit_test(test_crlf_bom),
        cmocka_unit_test(test_not_nul_terminated),
        cmocka_unit_test(test_fixture_layout),
        cmocka_unit_test(test_fixture_crlf_bom),
        cmocka_unit_test(test_fixture_nfd_tabs),
        cmocka_unit_test(test_fixture_no_header),
        cmocka_unit_test(test_organ_names),
        cmocka_unit_test(test_sample_so_ngoai_vu),
        cmocka_unit_test(test_demo_replies),
        cmocka_unit_test(test_pdf_text_layer),
        cmocka_unit_test(test_pdf_refused),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_too_big),
        cmocka_unit_test(test_garbage_bytes),
        cmocka_unit_test(test_shuffled_lines),
        cmocka_unit_test(test_throughput),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
