//  test_bc_export_pdf - the printable summary as PDF: its text through pdftotext,
//  its first page through pdftoppm (kept as an artefact of the test run)
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baocao/store.pb-c.h"
#include "baocao/summary.pb-c.h"
#include "bc_aggregate.h"
#include "bc_alloc.h"
#include "bc_clock.h"
#include "bc_export.h"
#include "bc_export_pdf.h"
#include "bc_fs.h"
#include "bc_id.h"
#include "bc_records.h"
#include "bc_store.h"

#ifndef BC_ARTEFACT_DIR
#define BC_ARTEFACT_DIR "."
#endif

#define HOUR_MS     (3600 * 1000LL)
#define DAY_MS      (24 * HOUR_MS)
#define COORD       "000.00.07.H45"
//  "Sở Y tế" typed in decomposed form (NFD): o + U+031B + U+0309, e + U+0302 + U+0301.
#define NFD_NAME    "So\xcc\x9b\xcc\x89 Y te\xcc\x82\xcc\x81"
#define NFC_NAME    "Sở Y tế"

typedef enum {
    S_ON_TIME = 0,
    S_LATE,
    S_MISSING
} s_standing_t;

typedef struct {
    const char *code;
    const char *name;
    s_standing_t standing;
    const char *item1;                  //  body answering outline item 1, or NULL
    const char *item2;                  //  body answering item 2, or NULL
    double hop_bao;                     //  < 0: no value
    double ty_le;
    int cites;                          //  cites Nghị định 09/2017/NĐ-CP
} s_member_t;

//  Long enough bodies that the document runs onto several pages.
#define LONG1   "Sở đã lồng ghép nội dung quán triệt Luật Báo chí năm 2016, Luật Tiếp cận " \
                "thông tin năm 2016 và Nghị định số 09/2017/NĐ-CP ngày 09/02/2017 của Chính " \
                "phủ vào các hội nghị cán bộ, công chức, viên chức; 100% cán bộ, công chức đã " \
                "được phổ biến. Đồng thời, Sở chỉ đạo các phòng chuyên môn, đơn vị trực thuộc " \
                "thường xuyên cập nhật, cung cấp thông tin chính xác, kịp thời cho báo chí."
#define LONG2   "Giám đốc Sở là người phát ngôn; thông tin về người phát ngôn được công khai " \
                "trên Trang thông tin điện tử. Trong kỳ, Sở chủ trì các cuộc họp báo về kết " \
                "quả thực hiện nhiệm vụ, cung cấp thông tin cho phóng viên của Báo Quảng Trị, " \
                "Đài Phát thanh - Truyền hình tỉnh và các cơ quan báo chí Trung ương.\n" \
                "- Khó khăn: chưa bố trí được công chức chuyên trách công tác truyền thông;\n" \
                "- Kiến nghị: tổ chức lớp bồi dưỡng kỹ năng phát ngôn, xử lý khủng hoảng."

static const s_member_t s_members[] = {
    { "000.00.04.H45", "Sở Nội vụ", S_ON_TIME, LONG1, LONG2, 2, 100, 1 },
    { "000.00.14.H45", "Sở Lao động - Thương binh và Xã hội", S_ON_TIME, LONG1 "\n" LONG1,
      LONG2, 7, 80, 0 },
    { "000.00.13.H45", "Sở Tài nguyên và Môi trường", S_LATE, LONG1, LONG2 "\n" LONG2, 5, 85.5,
      2 },
    { "000.00.18.H45", NFD_NAME, S_ON_TIME, LONG1, LONG2, 11, -1, 0 },
    { "000.00.31.H45", "Ủy ban nhân dân thành phố Đông Hà", S_ON_TIME, LONG1 "\n" LONG1,
      LONG2 "\n" LONG2, 1, 90, 0 },
    { "000.00.11.H45", "Sở Giao thông vận tải", S_MISSING, NULL, NULL, -1, -1, 0 },
};
#define S_N_MEMBERS (sizeof s_members / sizeof s_members[0])

typedef struct {
    char dir[64];
    bc_store_t *store;
    bc_reqkey_t key;
    int64_t deadline;
} s_fixture_t;

static char *
s_dup(const char *text)
{
    return text ? bc_strdup(text) : NULL;
}

static Baocao__Agency *
s_agency(const char *code, const char *name)
{
    Baocao__Agency *a = bc_calloc(1, sizeof *a);
    baocao__agency__init(a);
    a->code = s_dup(code);
    a->name = s_dup(name);
    return a;
}

static Baocao__Timestamp *
s_ts(int64_t ms)
{
    Baocao__Timestamp *t = bc_calloc(1, sizeof *t);
    baocao__timestamp__init(t);
    t->unix_ms = ms;
    return t;
}

#define S_PUSH(arr, n, item)                                            \
    do {                                                                \
        (arr) = bc_realloc((arr), ((n) + 1) * sizeof *(arr));           \
        (arr)[(n)++] = (item);                                          \
    } while (0)

static Baocao__OutlineItem *
s_outline(const char *number, const char *title)
{
    Baocao__OutlineItem *o = bc_calloc(1, sizeof *o);
    baocao__outline_item__init(o);
    o->number = s_dup(number);
    o->title = s_dup(title);
    return o;
}

static Baocao__IndicatorDef *
s_indicator(const char *code, const char *name, const char *unit, Baocao__Aggregation agg)
{
    Baocao__IndicatorDef *d = bc_calloc(1, sizeof *d);
    baocao__indicator_def__init(d);
    d->code = s_dup(code);
    d->name = s_dup(name);
    d->unit = s_dup(unit);
    d->aggregation = agg;
    return d;
}

static Baocao__Section *
s_section(const char *number, const char *body)
{
    Baocao__Section *s = bc_calloc(1, sizeof *s);
    baocao__section__init(s);
    s->number = s_dup(number);
    s->outline_item = s_dup(number);
    s->body = s_dup(body);
    return s;
}

static Baocao__IndicatorValue *
s_value(const char *code, double value)
{
    Baocao__IndicatorValue *v = bc_calloc(1, sizeof *v);
    baocao__indicator_value__init(v);
    v->code = s_dup(code);
    v->value = value;
    return v;
}

static Baocao__ReportRequest *
s_request(int64_t deadline)
{
    Baocao__ReportRequest *req = bc_calloc(1, sizeof *req);
    baocao__report_request__init(req);
    req->number = 1005;
    req->notation = s_dup("STTTT-TTBCXB");
    req->issuer = s_agency(COORD, "Sở Thông tin và Truyền thông");
    req->place = s_dup("Quảng Trị");
    req->promulgation_date = bc_calloc(1, sizeof *req->promulgation_date);
    baocao__date__init(req->promulgation_date);
    req->promulgation_date->year = 2026;
    req->promulgation_date->month = 11;
    req->promulgation_date->day = 20;
    req->document_type = s_dup("Công văn");
    req->subject = s_dup("Báo cáo kết quả thực hiện Chỉ thị số 06/CT-UBND ngày 07/5/2019 của "
                         "Ủy ban nhân dân tỉnh năm 2026");
    req->deadline = s_ts(deadline);
    req->signer = bc_calloc(1, sizeof *req->signer);
    baocao__signer__init(req->signer);
    req->signer->authority = s_dup("KT. GIÁM ĐỐC");
    req->signer->title = s_dup("PHÓ GIÁM ĐỐC");
    req->signer->name = s_dup("Lê Quang Vinh");
    for (size_t i = 0; i < S_N_MEMBERS; i++) {
        S_PUSH(req->recipients, req->n_recipients,
               s_agency(s_members[i].code, s_members[i].name));
    }
    S_PUSH(req->outline, req->n_outline, s_outline("1", "Công tác tuyên truyền, phổ biến"));
    S_PUSH(req->outline, req->n_outline, s_outline("2", "Công tác phát ngôn <và> cung cấp tin"));
    S_PUSH(req->indicators, req->n_indicators,
           s_indicator("HOP_BAO", "Số cuộc họp báo", "cuộc", BAOCAO__AGGREGATION__SUM));
    S_PUSH(req->indicators, req->n_indicators,
           s_indicator("TY_LE_CBCC", "Tỷ lệ cán bộ được phổ biến", "%",
                       BAOCAO__AGGREGATION__AVERAGE));
    S_PUSH(req->indicators, req->n_indicators,
           s_indicator("KHONG_AI", "Chỉ tiêu chưa ai báo cáo", "việc",
                       BAOCAO__AGGREGATION__SUM));
    return req;
}

static void
s_build(s_fixture_t *fx)
{
    assert_int_equal(bc_clock_parse_rfc3339("2026-12-01T17:00:00+07:00", &fx->deadline), 0);
    int64_t dl = fx->deadline;
    bc_txn_t *txn = NULL;
    assert_int_equal(bc_store_begin(fx->store, 1, &txn), BC_OK);
    Baocao__ReportRequest *req = s_request(dl);
    assert_int_equal(bc_reqkey_from_request(req, &fx->key), BC_OK);
    Baocao__RequestRecord rec = BAOCAO__REQUEST_RECORD__INIT;
    rec.request = req;
    rec.issued_at = s_ts(dl - 10 * DAY_MS);
    rec.issued_by = (char *) COORD;
    assert_int_equal(bc_records_put_request(txn, &fx->key, &rec), BC_OK);
    free(rec.issued_at);
    baocao__report_request__free_unpacked(req, NULL);

    for (size_t i = 0; i < S_N_MEMBERS; i++) {
        const s_member_t *m = &s_members[i];
        Baocao__DeliveryRecord *d = bc_calloc(1, sizeof *d);
        baocao__delivery_record__init(d);
        d->agency = s_agency(m->code, m->name);
        Baocao__StatusStep *step = bc_calloc(1, sizeof *step);
        baocao__status_step__init(step);
        step->status = BAOCAO__DELIVERY_STATUS__PENDING;
        step->at = s_ts(dl - 10 * DAY_MS);
        S_PUSH(d->history, d->n_history, step);
        if (m->standing != S_MISSING) {
            int64_t at = m->standing == S_LATE ? dl + 2 * HOUR_MS : dl - DAY_MS;
            step = bc_calloc(1, sizeof *step);
            baocao__status_step__init(step);
            step->status = BAOCAO__DELIVERY_STATUS__REPORTED;
            step->at = s_ts(at);
            S_PUSH(d->history, d->n_history, step);
            d->reported_at = s_ts(at);
            d->revision = 1;
            Baocao__Report *r = bc_calloc(1, sizeof *r);
            baocao__report__init(r);
            r->sender = s_agency(m->code, NULL);
            r->revision = 1;
            r->report_id = bc_calloc(BC_ID_HEX_LEN + 1, 1);
            bc_id_new(r->report_id);
            if (m->item1) {
                S_PUSH(r->sections, r->n_sections, s_section("1", m->item1));
            }
            if (m->item2) {
                S_PUSH(r->sections, r->n_sections, s_section("2", m->item2));
            }
            if (m->hop_bao >= 0) {
                S_PUSH(r->indicators, r->n_indicators, s_value("HOP_BAO", m->hop_bao));
            }
            if (m->ty_le >= 0) {
                S_PUSH(r->indicators, r->n_indicators, s_value("TY_LE_CBCC", m->ty_le));
            }
            if (m->cites) {
                Baocao__LegalRef *ref = bc_calloc(1, sizeof *ref);
                baocao__legal_ref__init(ref);
                ref->kind = s_dup("Nghị định");
                ref->number = 9;
                ref->year = 2017;
                ref->notation = s_dup(m->cites == 1 ? "NĐ-CP" : "ND-CP");
                ref->issuer = s_dup("Chính phủ");
                ref->title = s_dup("quy định về phát ngôn và cung cấp thông tin cho báo chí");
                S_PUSH(r->legal_refs, r->n_legal_refs, ref);
            }
            assert_int_equal(bc_records_put_report(txn, &fx->key, m->code, 1, r), BC_OK);
            baocao__report__free_unpacked(r, NULL);
        }
        assert_int_equal(bc_records_put_delivery(txn, &fx->key, m->code, d), BC_OK);
        baocao__delivery_record__free_unpacked(d, NULL);
    }
    assert_int_equal(bc_store_commit(&txn), BC_OK);
}

static int
s_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

static int
s_setup(void **state)
{
    s_fixture_t *fx = bc_calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/test_bc_export_pdf.XXXXXX");
    if (!mkdtemp(fx->dir)) {
        return -1;
    }
    bc_store_opts_t opts = { .dir = fx->dir, .map_size = 16u << 20 };
    if (bc_store_open(&fx->store, &opts) != BC_OK) {
        return -1;
    }
    s_build(fx);
    *state = fx;
    return 0;
}

static int
s_teardown(void **state)
{
    s_fixture_t *fx = *state;
    bc_store_destroy(&fx->store);
    nftw(fx->dir, s_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(fx);
    return 0;
}

static Baocao__Summary *
s_compile(s_fixture_t *fx, int64_t now)
{
    bc_txn_t *txn = NULL;
    assert_int_equal(bc_store_begin(fx->store, 0, &txn), BC_OK);
    Baocao__Summary *s = NULL;
    assert_int_equal(bc_aggregate_compile(txn, &fx->key, now, &s), BC_OK);
    bc_store_abort(&txn);
    return s;
}

static void
s_want(const char *text, const char *needle)
{
    if (!strstr(text, needle)) {
        fprintf(stderr, "missing \"%s\"\n", needle);
        fail();
    }
}

//  --------------------------------------------------------------------------
//  Poppler's tools, run as a person would

//  Runs a shell command; returns its exit status.
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

static int
s_have(const char *tool)
{
    return s_run("command -v %s >/dev/null 2>&1", tool) == 0;
}

//  The text of pages first..last (0 = to the end) of pdf, as pdftotext
//  extracts it, with every run of blanks, line and page breaks made one
//  space: paragraphs wrap wherever the layout put the line ends.
static char *
s_pdf_text(const char *pdf, int first, int last, int flat)
{
    char txt[512];
    snprintf(txt, sizeof txt, "%s.txt", pdf);
    if (last) {
        assert_int_equal(s_run("pdftotext -enc UTF-8 -f %d -l %d '%s' '%s'", first, last, pdf,
                               txt), 0);
    }
    else {
        assert_int_equal(s_run("pdftotext -enc UTF-8 '%s' '%s'", pdf, txt), 0);
    }
    char *text = NULL;
    size_t size = 0;
    assert_int_equal(bc_fs_read(txt, 64u << 20, &text, &size), BC_OK);
    unlink(txt);
    if (!flat) {
        return text;
    }
    size_t o = 0;
    int blank = 0;
    for (size_t i = 0; i < size; i++) {
        char c = text[i];
        if (c == '\n' || c == '\f' || c == ' ' || c == '\t' || c == '\r') {
            blank = 1;
            continue;
        }
        if (blank && o) {
            text[o++] = ' ';
        }
        blank = 0;
        text[o++] = c;
    }
    text[o] = '\0';
    return text;
}

//  --------------------------------------------------------------------------
//  Tests

static void
test_pdf_document(void **state)
{
    s_fixture_t *fx = *state;
    if (!s_have("pdftotext") || !s_have("pdftoppm") || !s_have("pdffonts")) {
        fprintf(stderr, "pdftotext, pdftoppm or pdffonts not found: apt-get install "
                "poppler-utils (deploy/scripts/install-deps.sh --test)\n");
        fail();
    }
    Baocao__Summary *s = s_compile(fx, fx->deadline + DAY_MS);
    char *data = NULL;
    size_t size = 0;
    assert_int_equal(bc_export_render(s, BC_EXPORT_PDF, NULL, &data, &size), BC_OK);
    assert_true(size > 1000);
    assert_memory_equal(data, "%PDF-", 5);
    assert_non_null(memmem(data + size - 16, 16, "%%EOF", 5));
    //  The same summary gives the same file (the date inside is the
    //  summary's, not the clock's).
    char *again = NULL;
    size_t again_size = 0;
    assert_int_equal(bc_export_pdf(s, NULL, &again, &again_size), BC_OK);
    assert_int_equal(again_size, size);
    assert_memory_equal(again, data, size);
    free(again);

    char pdf[128];
    snprintf(pdf, sizeof pdf, "%s/summary.pdf", fx->dir);
    assert_int_equal(bc_fs_write_atomic(pdf, data, size), BC_OK);
    free(data);

    char *text = s_pdf_text(pdf, 0, 0, 1);
    const char *want[] = {
        //  The header, in two columns, then title, subject and recipient.
        "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "/BC-STTTT", "Quảng Trị, ngày 02 tháng 12 năm 2026", "BÁO CÁO",
        "Tổng hợp kết quả thực hiện Chỉ thị số 06/CT-UBND ngày 07/5/2019 của Ủy ban nhân dân "
        "tỉnh năm 2026", "Kính gửi: Ủy ban nhân dân tỉnh.",
        //  The body.
        "I. TÌNH HÌNH GỬI BÁO CÁO",
        "có 5/6 cơ quan, đơn vị đã gửi báo cáo (đạt 83,3%), trong đó 4 báo cáo đúng hạn, 1 báo "
        "cáo trễ hạn; 1 cơ quan, đơn vị chưa gửi báo cáo (1 cơ quan, đơn vị đã quá hạn)",
        "Tình hình gửi báo cáo của các cơ quan, đơn vị", "Đúng hạn: 4 (66,7%)",
        "Trễ hạn: 1 (16,7%)", "Chưa báo cáo: 1 (16,7%), quá hạn 1", "5/6",
        "Gửi báo cáo trễ hạn (1): Sở Tài nguyên và Môi trường.",
        "Chưa gửi báo cáo (1): Sở Giao thông vận tải.", "II. KẾT QUẢ THỰC HIỆN",
        "1. Công tác tuyên truyền, phổ biến",
        "Sở Lao động - Thương binh và Xã hội: Sở đã lồng ghép nội dung quán triệt Luật Báo chí "
        "năm 2016", "Ủy ban nhân dân thành phố Đông Hà:", "Sở Y tế:",
        "- Kiến nghị: tổ chức lớp bồi dưỡng kỹ năng phát ngôn, xử lý khủng hoảng.",
        "III. KẾT QUẢ CÁC CHỈ TIÊU",
        "1. Số cuộc họp báo: tổng số 26 cuộc (5 cơ quan, đơn vị báo cáo).",
        "2. Tỷ lệ cán bộ được phổ biến: bình quân 88,88% (4 cơ quan, đơn vị báo cáo).",
        "Số cuộc họp báo (cuộc)", "Tổng: 26 cuộc; 5 cơ quan, đơn vị báo cáo",
        "Bình quân: 88,88%", "IV. VĂN BẢN ĐƯỢC VIỆN DẪN",
        "1. Nghị định số 09/2017/NĐ-CP của Chính phủ quy định về phát ngôn và cung cấp thông tin "
        "cho báo chí.", "Viện dẫn bởi (2): Sở Nội vụ, Sở Tài nguyên và Môi trường.",
        //  Closing, distribution and signature.
        "Trên đây là báo cáo tổng hợp kết quả thực hiện Chỉ thị số 06/CT-UBND",
        "kính báo cáo Ủy ban nhân dân tỉnh xem xét, chỉ đạo./.", "Nơi nhận:", "- Như trên;",
        "- Lưu: VT, TTBCXB.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lê Quang Vinh",
        //  The annex.
        "Phụ lục I", "TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ", "000.00.31.H45",
        "01/12/2026 19:00", "Trễ hạn", "Quá hạn chưa báo cáo", "Phụ lục II",
        "KẾT QUẢ CÁC CHỈ TIÊU", "88,88 (TB)",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        s_want(text, want[i]);
    }
    //  The decomposed name came out composed: no combining marks anywhere.
    s_want(text, NFC_NAME);
    for (const unsigned char *p = (const unsigned char *) text; *p; p++) {
        assert_false(p[0] == 0xCC && p[1] >= 0x80 && p[1] <= 0xBF);     //  U+0300..U+033F
        assert_false(p[0] == 0xCD && p[1] >= 0x80 && p[1] <= 0xAF);     //  U+0340..U+036F
    }
    free(text);

    //  Several pages; from the second on, the number heads the page.
    char info[600];
    snprintf(info, sizeof info, "%s/info.txt", fx->dir);
    assert_int_equal(s_run("pdfinfo '%s' | sed -n 's/^Pages: *//p' >'%s'", pdf, info), 0);
    char *pages = NULL;
    assert_int_equal(bc_fs_read(info, 4096, &pages, &size), BC_OK);
    int n_pages = atoi(pages);
    free(pages);
    assert_true(n_pages >= 3);
    text = s_pdf_text(pdf, 1, 1, 0);
    assert_true(strncmp(text, "1\n", 2) != 0);  //  no number on the first page
    free(text);
    for (int page = 2; page <= n_pages; page++) {
        text = s_pdf_text(pdf, page, page, 0);
        char number[16];
        snprintf(number, sizeof number, "%d\n", page);
        if (strncmp(text, number, strlen(number)) != 0) {
            fprintf(stderr, "page %d starts with: %.40s\n", page, text);
            fail();
        }
        free(text);
    }
    //  The annex starts a page of its own.
    text = s_pdf_text(pdf, n_pages - 1, n_pages, 0);
    s_want(text, "Phụ lục II");
    free(text);

    //  Fonts: a serif that covers Vietnamese, embedded.
    const char *family = bc_export_pdf_family();
    assert_true(strcmp(family, "Liberation Serif") == 0 || strcmp(family, "DejaVu Serif") == 0);
    snprintf(info, sizeof info, "%s/fonts.txt", fx->dir);
    assert_int_equal(s_run("pdffonts '%s' >'%s'", pdf, info), 0);
    char *fonts = NULL;
    assert_int_equal(bc_fs_read(info, 1u << 16, &fonts, &size), BC_OK);
    assert_true(strstr(fonts, "LiberationSerif") || strstr(fonts, "DejaVuSerif"));
    assert_non_null(strstr(fonts, "yes yes"));                       //  embedded, subset
    free(fonts);

    //  The first page as a picture, kept in the build tree for people.
    assert_int_equal(bc_fs_mkdirs(BC_ARTEFACT_DIR), BC_OK);
    assert_int_equal(s_run("pdftoppm -png -r 60 -f 1 -l 1 -singlefile '%s' '%s'", pdf,
                           BC_ARTEFACT_DIR "/summary-unit-page1"), 0);
    struct stat st;
    assert_int_equal(stat(BC_ARTEFACT_DIR "/summary-unit-page1.png", &st), 0);
    assert_true(st.st_size > 1000);
    printf("artefact: %s\n", BC_ARTEFACT_DIR "/summary-unit-page1.png");
    baocao__summary__free_unpacked(s, NULL);
}

static void
test_pdf_empty_request(void **state)
{
    //  A request with no outline, no indicators and nothing stored still
    //  gives a document (header, reporting status, signature).
    Baocao__Summary s = BAOCAO__SUMMARY__INIT;
    Baocao__Timestamp at = BAOCAO__TIMESTAMP__INIT;
    at.unix_ms = 1796000000000LL;
    s.compiled_at = &at;
    char *data = NULL;
    size_t size = 0;
    assert_int_equal(bc_export_render(&s, BC_EXPORT_PDF, NULL, &data, &size), BC_OK);
    assert_memory_equal(data, "%PDF-", 5);
    free(data);
    char *html = bc_export_summary(&s, BC_EXPORT_HTML, NULL);
    assert_non_null(strstr(html, "BÁO CÁO"));
    free(html);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pdf_document, s_setup, s_teardown),
        cmocka_unit_test(test_pdf_empty_request),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    bc_export_pdf_release_fonts();      //  what is left is ours, for LeakSanitizer
    return failed;
}
