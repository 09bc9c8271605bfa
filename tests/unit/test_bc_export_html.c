//  test_bc_export_html - the printable summary as HTML, from a real LMDB store
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baocao/store.pb-c.h"
#include "baocao/summary.pb-c.h"
#include "bc_aggregate.h"
#include "bc_alloc.h"
#include "bc_chart.h"
#include "bc_clock.h"
#include "bc_doc.h"
#include "bc_export.h"
#include "bc_export_html.h"
#include "bc_id.h"
#include "bc_records.h"
#include "bc_store.h"

#define HOUR_MS     (3600 * 1000LL)
#define DAY_MS      (24 * HOUR_MS)
#define COORD       "000.00.07.H45"
//  An agency whose name would break markup if it were not escaped.
#define ODD_NAME    "Ban Quản lý \"Dự án\" <Đầu tư> & Xây dựng"
#define ODD_ESCAPED "Ban Quản lý &quot;Dự án&quot; &lt;Đầu tư&gt; &amp; Xây dựng"
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

static const s_member_t s_members[] = {
    { "000.00.04.H45", "Sở Nội vụ", S_ON_TIME,
      "Sở đã tổ chức 02 hội nghị quán triệt.\nBộ Quy tắc ứng xử được phổ biến.",
      "Giám đốc Sở là người phát ngôn.", 2, 100, 1 },
    { "000.00.40.H45", ODD_NAME, S_ON_TIME,
      "Nội dung có thẻ <script>alert('x')</script> & ký tự \"đặc biệt\".", NULL, 7, 80, 2 },
    { "000.00.13.H45", "Sở Tài nguyên và Môi trường", S_LATE, "Đã phổ biến Luật Báo chí.",
      "Cung cấp thông tin cho 23 lượt phóng viên.", 5, 85.5, 0 },
    { "000.00.18.H45", NFD_NAME, S_ON_TIME, NULL, "Không phát sinh.", 11, -1, 0 },
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
    snprintf(fx->dir, sizeof fx->dir, "/tmp/test_bc_export_html.XXXXXX");
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
//  Well-formedness: the HTML is meant to parse as XML too

static int
s_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
           || c == '-' || c == ':' || c == '_';
}

//  Checks an entity at p ('&'); returns its length or 0.
static size_t
s_entity(const char *p)
{
    static const char *named[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        if (strncmp(p, named[i], strlen(named[i])) == 0) {
            return strlen(named[i]);
        }
    }
    if (p[1] == '#') {
        size_t n = 2;
        while (p[n] >= '0' && p[n] <= '9') {
            n++;
        }
        return n > 2 && p[n] == ';' ? n + 1 : 0;
    }
    return 0;
}

//  Returns NULL when html is well-formed (one root, tags nested, every
//  attribute quoted, no stray '<', '>' or '&'), else a pointer to the fault.
static const char *
s_check_xml(const char *html)
{
    const char *stack[64];
    size_t depth = 0;
    int roots = 0;
    const char *p = html;
    if (strncmp(p, "<!DOCTYPE html>", 15) == 0) {
        p += 15;
    }
    int in_style = 0;
    while (*p) {
        if (*p == '<') {
            if (strncmp(p, "<!--", 4) == 0) {
                const char *end = strstr(p, "-->");
                if (!end) {
                    return p;
                }
                p = end + 3;
                continue;
            }
            int closing = p[1] == '/';
            const char *name = p + 1 + closing;
            size_t n = 0;
            while (s_name_char(name[n])) {
                n++;
            }
            if (n == 0) {
                return p;
            }
            const char *q = name + n;
            int self = 0;
            while (*q && *q != '>') {
                if (*q == '/' && q[1] == '>') {
                    self = 1;
                    q++;
                    break;
                }
                if (*q == ' ' || *q == '\n') {
                    q++;
                    continue;
                }
                //  attribute="value"
                size_t an = 0;
                while (s_name_char(q[an])) {
                    an++;
                }
                if (an == 0 || q[an] != '=' || q[an + 1] != '"' || closing) {
                    return q;
                }
                q += an + 2;
                while (*q && *q != '"') {
                    if (*q == '<' || *q == '>') {
                        return q;
                    }
                    if (*q == '&') {
                        size_t e = s_entity(q);
                        if (!e) {
                            return q;
                        }
                        q += e;
                        continue;
                    }
                    q++;
                }
                if (*q != '"') {
                    return q;
                }
                q++;
            }
            if (*q != '>') {
                return p;
            }
            if (closing) {
                if (depth == 0 || strlen(stack[depth - 1]) < n
                    || strncmp(stack[depth - 1], name, n) != 0
                    || s_name_char(stack[depth - 1][n])) {
                    return p;
                }
                depth--;
                in_style = 0;
            }
            else if (!self) {
                if (depth == 0) {
                    roots++;
                }
                if (depth == sizeof stack / sizeof stack[0]) {
                    return p;
                }
                stack[depth++] = name;
                in_style = strncmp(name, "style", 5) == 0;
            }
            p = q + 1;
            continue;
        }
        if (*p == '&') {
            size_t e = s_entity(p);
            if (!e) {
                return p;
            }
            p += e;
            continue;
        }
        if (*p == '>' && !in_style) {
            return p;
        }
        p++;
    }
    return depth == 0 && roots == 1 ? NULL : p;
}

static size_t
s_count(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

//  --------------------------------------------------------------------------
//  Tests

static void
test_clean_and_case(void **state)
{
    char *t = bc_doc_upper("Sở Thông tin và Truyền thông");
    assert_string_equal(t, "SỞ THÔNG TIN VÀ TRUYỀN THÔNG");
    free(t);
    t = bc_doc_upper("ủy ban nhân dân tỉnh quảng trị, đường");
    assert_string_equal(t, "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ, ĐƯỜNG");
    free(t);
    t = bc_doc_clean(NFD_NAME);
    assert_string_equal(t, NFC_NAME);
    free(t);
    //  Invalid bytes become U+FFFD; controls go; tab and CR become blanks.
    t = bc_doc_clean("a\xff" "b\x01\tc\r\nd\xc3");
    assert_string_equal(t, "a\xef\xbf\xbd" "b c \nd\xef\xbf\xbd");
    free(t);
    t = bc_doc_clean(NULL);
    assert_string_equal(t, "");
    free(t);
    bc_buf_t out;
    bc_buf_init(&out);
    bc_doc_escape(&out, "<a href='x'>\"Tom\" & Jerry</a>");
    assert_string_equal(out.data,
                        "&lt;a href=&#39;x&#39;&gt;&quot;Tom&quot; &amp; Jerry&lt;/a&gt;");
    bc_buf_release(&out);
}

static void
test_html_document(void **state)
{
    s_fixture_t *fx = *state;
    Baocao__Summary *s = s_compile(fx, fx->deadline + DAY_MS);
    assert_int_equal(s->reported, 4);
    assert_int_equal(s->late, 1);
    assert_int_equal(s->overdue, 1);
    char *html = bc_export_summary(s, BC_EXPORT_HTML, NULL);
    //  The same bytes through the format-neutral entry point.
    char *data = NULL;
    size_t size = 0;
    assert_int_equal(bc_export_render(s, BC_EXPORT_HTML, NULL, &data, &size), BC_OK);
    assert_int_equal(size, strlen(html));
    assert_string_equal(data, html);
    free(data);

    const char *fault = s_check_xml(html);
    if (fault) {
        fprintf(stderr, "not well-formed at: %.80s\n", fault);
        fail();
    }
    assert_int_equal(strncmp(html, "<!DOCTYPE html>\n<html lang=\"vi\">", 32), 0);
    s_want(html, "<meta charset=\"utf-8\"/>");
    s_want(html, "@page { size: A4;");
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "<link"));
    assert_null(strstr(html, "src="));

    //  The two-column header: organ on the left, national title on the right.
    const char *header = strstr(html, "<table class=\"doc-header\"");
    assert_non_null(header);
    const char *organ = strstr(header, "<td class=\"organ\">");
    const char *nation = strstr(header, "<td class=\"nation\">");
    const char *end = strstr(header, "</table>");
    assert_true(organ && nation && end && organ < nation && nation < end);
    const char *parent = strstr(organ, "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ");
    const char *issuer = strstr(organ, "SỞ THÔNG TIN VÀ TRUYỀN THÔNG");
    const char *number = strstr(organ, "Số: &#160;&#160;&#160;&#160;&#160;/BC-STTTT");
    assert_true(parent && issuer && number && parent < issuer && issuer < number
                && number < nation);
    const char *national = strstr(nation, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    const char *motto = strstr(nation, "Độc lập - Tự do - Hạnh phúc");
    const char *date = strstr(nation, "<div class=\"place-date\">Quảng Trị, ngày 02 tháng 12 "
                                      "năm 2026</div>");
    assert_true(national && motto && date && national < motto && motto < date && date < end);

    s_want(html, "<h1 class=\"title\">BÁO CÁO</h1>");
    s_want(html, "<p class=\"subject\">Tổng hợp kết quả thực hiện Chỉ thị số "
                 "<span class=\"nw\">06/CT-UBND</span>");
    s_want(html, "<p class=\"recipient\">Kính gửi: Ủy ban nhân dân tỉnh.</p>");
    s_want(html, "<h2 id=\"phan-1\">I. TÌNH HÌNH GỬI BÁO CÁO</h2>");
    s_want(html, "có <span class=\"nw\">4/5</span> cơ quan, đơn vị đã gửi báo cáo (đạt 80%), "
                 "trong đó 3 báo cáo đúng hạn, 1 báo cáo trễ hạn");
    s_want(html, "<b class=\"lead\">Gửi báo cáo trễ hạn (1):</b> Sở Tài nguyên và Môi trường.");
    s_want(html, "<b class=\"lead\">Chưa gửi báo cáo (1):</b> Sở Giao thông vận tải.");
    s_want(html, "<h2 id=\"phan-2\">II. KẾT QUẢ THỰC HIỆN</h2>");
    s_want(html, "<h3 id=\"muc-2\">2. Công tác phát ngôn &lt;và&gt; cung cấp tin</h3>");
    //  Contributions introduced by the agency's name, in recipient order,
    //  each paragraph of a body its own.
    const char *item1 = strstr(html, "<h3 id=\"muc-1\">");
    const char *a = strstr(item1, "<b class=\"lead\">Sở Nội vụ:</b> Sở đã tổ chức 02 hội nghị");
    const char *a2 = strstr(item1, "<p>Bộ Quy tắc ứng xử được phổ biến.</p>");
    const char *b = strstr(item1, "<b class=\"lead\">" ODD_ESCAPED ":</b> Nội dung có thẻ "
                                  "<span class=\"nw\">&lt;script&gt;alert(&#39;x&#39;)"
                                  "&lt;/script&gt;</span> &amp; ký tự &quot;đặc biệt&quot;.");
    const char *c = strstr(item1, "<b class=\"lead\">Sở Tài nguyên và Môi trường:</b>");
    assert_true(a && a2 && b && c && a < a2 && a2 < b && b < c);
    s_want(html, "Không báo cáo nội dung này (1): " NFC_NAME ".");
    s_want(html, "<h2 id=\"phan-3\">III. KẾT QUẢ CÁC CHỈ TIÊU</h2>");
    s_want(html, "<b class=\"lead\">1. Số cuộc họp báo:</b> tổng số 25 cuộc (4 cơ quan, đơn vị "
                 "báo cáo).");
    s_want(html, "<b class=\"lead\">2. Tỷ lệ cán bộ được phổ biến:</b> bình quân 88,5% (3 cơ "
                 "quan, đơn vị báo cáo).");
    s_want(html, "<b class=\"lead\">3. Chỉ tiêu chưa ai báo cáo:</b> chưa có cơ quan, đơn vị "
                 "nào báo cáo số liệu.");
    //  One citation for two spellings of the notation, and who cited it.
    s_want(html, "<h2 id=\"phan-4\">IV. VĂN BẢN ĐƯỢC VIỆN DẪN</h2>");
    s_want(html, "<p>1. Nghị định số <span class=\"nw\">09/2017/NĐ-CP</span> của Chính phủ quy "
                 "định về phát ngôn và cung cấp thông tin cho báo chí.</p>");
    s_want(html, "<p class=\"note depth1\">Viện dẫn bởi (2): Sở Nội vụ, " ODD_ESCAPED ".</p>");

    //  Every agency, escaped, and nothing raw.
    for (size_t i = 0; i < S_N_MEMBERS; i++) {
        const char *name = strcmp(s_members[i].name, NFD_NAME) == 0 ? NFC_NAME
                           : strcmp(s_members[i].name, ODD_NAME) == 0 ? ODD_ESCAPED
                           : s_members[i].name;
        s_want(html, name);
        s_want(html, s_members[i].code);
    }
    assert_null(strstr(html, "<Đầu tư>"));
    assert_null(strstr(html, NFD_NAME));
    assert_null(strstr(html, "\"Dự án\""));

    //  Charts: the completeness donut and one bar chart per indicator with
    //  values (the third has none); bars sorted largest first.
    assert_int_equal(s_count(html, "<svg "), 3);
    assert_int_equal(s_count(html, "<figure class=\"chart\">"), 3);
    s_want(html, "role=\"img\"");
    const char *donut = strstr(html, "<svg ");
    s_want(donut, ">Đúng hạn: 3 (60%)</text>");
    s_want(donut, ">Trễ hạn: 1 (20%)</text>");
    s_want(donut, ">Chưa báo cáo: 1 (20%), quá hạn 1</text>");
    s_want(donut, ">4/5</text>");
    const char *bars = strstr(donut + 1, "<svg ");
    const char *first = strstr(bars, ">" NFC_NAME "</text>");
    //  39 code points: cut to BC_CHART_LABEL_COLUMNS, whole in the tooltip.
    const char *second = strstr(bars, ">Ban Quản lý &quot;Dự án&quot; &lt;Đầu tư&gt; &amp; Xây "
                                      "dự…</text>");
    s_want(bars, "<g><title>" ODD_ESCAPED ": 7</title>");
    const char *third = strstr(bars, ">Sở Tài nguyên và Môi trường</text>");
    const char *fourth = strstr(bars, ">Sở Nội vụ</text>");
    assert_true(first && second && third && fourth && first < second && second < third
                && third < fourth);
    s_want(bars, ">11</text>");
    s_want(bars, "Tổng: 25 cuộc; 4 cơ quan, đơn vị báo cáo");
    const char *avg = strstr(bars + 1, "<svg ");
    s_want(avg, "stroke-dasharray=\"5 3\"");   //  the average's line
    s_want(avg, ">Bình quân: 88,5%</text>");

    //  Closing, distribution list and signature block in two columns.
    s_want(html, "<p class=\"closing\">Trên đây là báo cáo tổng hợp kết quả thực hiện Chỉ thị");
    s_want(html, "kính báo cáo Ủy ban nhân dân tỉnh xem xét, chỉ "
                 "<span class=\"nw\">đạo./.</span></p>");
    const char *footer = strstr(html, "<table class=\"doc-footer\"");
    assert_non_null(footer);
    const char *recipients = strstr(footer, "<td class=\"recipients\">");
    const char *signature = strstr(footer, "<td class=\"signature\">");
    assert_true(recipients && signature && recipients < signature);
    s_want(recipients, "Nơi nhận:");
    s_want(recipients, "- Như trên;");
    s_want(recipients, "- Các cơ quan, đơn vị nhận Công văn số "
                       "<span class=\"nw\">1005/STTTT-TTBCXB;</span>");
    s_want(recipients, "- Lưu: VT, TTBCXB.");
    s_want(signature, "KT. GIÁM ĐỐC");
    s_want(signature, "PHÓ GIÁM ĐỐC");
    s_want(signature, "Lê Quang Vinh");

    //  The annex after a page break: timeliness per agency, then indicators.
    const char *annex = strstr(html, "<section class=\"annex\">");
    assert_true(annex && annex > footer);
    s_want(annex, "<div class=\"page-break\"></div>");
    s_want(annex, "<h2 class=\"annex-title\" id=\"phu-luc-1\">Phụ lục I</h2>");
    s_want(annex, "(Kèm theo Báo cáo số &#160;&#160;&#160;&#160;&#160;/BC-STTTT ngày 02 tháng "
                  "12 năm 2026 của Sở Thông tin và Truyền thông)");
    s_want(annex, "<td>Sở Tài nguyên và Môi trường</td><td class=\"c\">000.00.13.H45</td><td>Đã "
                  "báo cáo</td><td class=\"c\"><span class=\"nw\">01/12/2026</span> 19:00</td>"
                  "<td>Trễ hạn</td>");
    s_want(annex, "<td>Sở Giao thông vận tải</td><td class=\"c\">000.00.11.H45</td><td>Chờ "
                  "gửi</td><td class=\"c\"></td><td>Quá hạn chưa báo cáo</td>");
    s_want(annex, "<tr class=\"total\">");
    s_want(annex, "Phụ lục II");
    s_want(annex, "<td class=\"r\">88,5 (TB)</td>");
    assert_int_equal(s_count(annex, "<table class=\"data\">"), 3);
    free(html);
    baocao__summary__free_unpacked(s, NULL);
}

static void
test_html_dates_and_options(void **state)
{
    s_fixture_t *fx = *state;
    //  5 February 2027, 09:00 in the province: day and month with a zero.
    int64_t feb = 0;
    assert_int_equal(bc_clock_parse_rfc3339("2027-02-05T09:00:00+07:00", &feb), 0);
    Baocao__Summary *s = s_compile(fx, feb);
    bc_export_opts_t opts = { .parent_organ = "Ủy ban nhân dân tỉnh Quảng Trị <mới>",
                              .recipient = "Bộ Thông tin và Truyền thông" };
    char *html = bc_export_summary(s, BC_EXPORT_HTML, &opts);
    s_want(html, "Quảng Trị, ngày 05 tháng 02 năm 2027");
    s_want(html, "<div class=\"parent-organ\">ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ &lt;MỚI&gt;</div>");
    s_want(html, "Kính gửi: Bộ Thông tin và Truyền thông.");
    assert_null(s_check_xml(html));
    free(html);

    //  An issuer that is itself a People's Committee has no parent line,
    //  and a notation without a unit keeps "Lưu: VT." alone.
    free(s->request->issuer->name);
    s->request->issuer->name = bc_strdup("Ủy ban nhân dân tỉnh Quảng Trị");
    free(s->request->notation);
    s->request->notation = bc_strdup("UBND");
    html = bc_export_summary(s, BC_EXPORT_HTML, NULL);
    assert_null(strstr(html, "parent-organ"));
    s_want(html, "<div class=\"organ-name\">ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ</div>");
    s_want(html, "/BC-UBND");
    s_want(html, "- Lưu: VT.");
    free(html);
    baocao__summary__free_unpacked(s, NULL);
}

static void
test_charts(void **state)
{
    s_fixture_t *fx = *state;
    Baocao__Summary *s = s_compile(fx, fx->deadline - HOUR_MS);
    //  Before the deadline nobody is overdue yet.
    bc_chart_t *chart = bc_chart_completeness(s);
    assert_int_equal(chart->n_items, 3);
    assert_string_equal(chart->items[2].value_text, "1 (20%)");
    assert_string_equal(chart->center, "4/5");
    assert_true(bc_chart_height(chart) > BC_CHART_DONUT_HEIGHT);
    bc_chart_destroy(&chart);
    assert_null(chart);
    //  No values, no chart.
    assert_null(bc_chart_indicator(s->indicators[2]));
    chart = bc_chart_indicator(s->indicators[0]);
    assert_int_equal(chart->n_items, 4);
    assert_true(chart->items[0].value == 11);
    assert_true(chart->items[3].value == 2);
    assert_true(chart->lo == 0 && chart->hi == 11);
    assert_false(chart->has_mark);
    double x0 = bc_chart_bar_x(chart, 0, 100, 200);
    double x1 = bc_chart_bar_x(chart, 11, 100, 200);
    assert_true(x0 == 100 && x1 == 300);
    bc_chart_destroy(&chart);

    //  More agencies than bars: the rest are counted in a note; a negative
    //  value moves zero off the left edge.
    Baocao__IndicatorTotal *t = s->indicators[0];
    size_t n = BC_CHART_BARS_MAX + 5;
    Baocao__IndicatorValueBy **values = bc_calloc(n, sizeof *values);
    Baocao__Agency agency = BAOCAO__AGENCY__INIT;
    agency.code = (char *) "000.00.99.H45";
    agency.name = (char *) "Đơn vị";
    for (size_t i = 0; i < n; i++) {
        values[i] = bc_calloc(1, sizeof *values[i]);
        baocao__indicator_value_by__init(values[i]);
        values[i]->agency = &agency;
        values[i]->value = (double) i - 3;
    }
    Baocao__IndicatorTotal many = *t;
    many.values = values;
    many.n_values = n;
    chart = bc_chart_indicator(&many);
    assert_int_equal(chart->n_items, BC_CHART_BARS_MAX);
    assert_int_equal(chart->n_hidden, 5);
    assert_non_null(strstr(chart->note, "5 cơ quan, đơn vị khác xem Phụ lục II"));
    assert_true(chart->lo == -3);
    assert_true(bc_chart_bar_x(chart, 0, 0, 100) > 0);
    bc_buf_t svg;
    bc_buf_init(&svg);
    bc_chart_svg(chart, &svg);
    assert_null(s_check_xml(svg.data));
    bc_buf_release(&svg);
    bc_chart_destroy(&chart);
    for (size_t i = 0; i < n; i++) {
        free(values[i]);
    }
    free(values);
    baocao__summary__free_unpacked(s, NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_and_case),
        cmocka_unit_test_setup_teardown(test_html_document, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_html_dates_and_options, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_charts, s_setup, s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
