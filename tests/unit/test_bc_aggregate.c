//  test_bc_aggregate - summaries compiled from a real LMDB store, and their renderings
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baocao/store.pb-c.h"
#include "baocao/summary.pb-c.h"
#include "bc_aggregate.h"
#include "bc_alloc.h"
#include "bc_clock.h"
#include "bc_csv.h"
#include "bc_export.h"
#include "bc_fs.h"
#include "bc_id.h"
#include "bc_json.h"
#include "bc_records.h"
#include "bc_store.h"

//  Recipients in the request's order, deliberately not in code order.
#define A_CODE  "000.00.19.H45"         //  on time, two revisions
#define B_CODE  "000.00.04.H45"         //  on time
#define C_CODE  "000.00.13.H45"         //  late (reported after the deadline)
#define D_CODE  "000.00.05.H45"         //  no report, processing
#define E_CODE  "000.00.11.H45"         //  no report, marked overdue; unnamed in the request
#define A_NAME  "Sở Ngoại vụ"
#define B_NAME  "Sở Nội vụ"
#define C_NAME  "Sở Tài nguyên và Môi trường"
#define D_NAME  "Sở Tư pháp"
#define E_NAME  "Sở Giao thông vận tải"
#define COORD   "000.00.07.H45"

#define HOUR_MS     (3600 * 1000LL)
#define DAY_MS      (24 * HOUR_MS)

#define S_PUSH(arr, n, item)                                            \
    do {                                                                \
        (arr) = bc_realloc((arr), ((n) + 1) * sizeof *(arr));           \
        (arr)[(n)++] = (item);                                          \
    } while (0)

typedef struct {
    char dir[64];                       //  mkdtemp folder holding the store
    bc_store_t *store;                  //  writable while building, then reopened
    bc_reqkey_t key;                    //  the main request
    bc_reqkey_t key2;                   //  a second, untouched request
    int64_t deadline;                   //  the main request's deadline (UTC ms)
} s_fixture_t;

//  ---------------------------------------------------------------------------
//  Builders: everything malloc'd, so *_free_unpacked(msg, NULL) frees it

static Baocao__Agency *
s_agency(const char *code, const char *name)
{
    Baocao__Agency *a = bc_calloc(1, sizeof *a);
    baocao__agency__init(a);
    a->code = bc_strdup(code);
    if (name) {
        a->name = bc_strdup(name);
    }
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

static Baocao__Date *
s_date(unsigned y, unsigned m, unsigned d)
{
    Baocao__Date *date = bc_calloc(1, sizeof *date);
    baocao__date__init(date);
    date->year = y;
    date->month = m;
    date->day = d;
    return date;
}

static Baocao__Section *
s_section(const char *number, const char *outline_item, const char *title, const char *body)
{
    Baocao__Section *s = bc_calloc(1, sizeof *s);
    baocao__section__init(s);
    s->number = bc_strdup(number);
    if (outline_item) {
        s->outline_item = bc_strdup(outline_item);
    }
    if (title) {
        s->title = bc_strdup(title);
    }
    s->body = bc_strdup(body);
    return s;
}

static Baocao__OutlineItem *
s_outline(const char *number, const char *title, int if_applicable)
{
    Baocao__OutlineItem *o = bc_calloc(1, sizeof *o);
    baocao__outline_item__init(o);
    o->number = bc_strdup(number);
    o->title = bc_strdup(title);
    o->if_applicable = if_applicable;
    return o;
}

static Baocao__IndicatorDef *
s_indicator(const char *code, const char *name, const char *unit, Baocao__Aggregation agg)
{
    Baocao__IndicatorDef *d = bc_calloc(1, sizeof *d);
    baocao__indicator_def__init(d);
    d->code = bc_strdup(code);
    d->name = bc_strdup(name);
    d->unit = bc_strdup(unit);
    d->aggregation = agg;
    return d;
}

static Baocao__IndicatorValue *
s_value(const char *code, double value, const char *note)
{
    Baocao__IndicatorValue *v = bc_calloc(1, sizeof *v);
    baocao__indicator_value__init(v);
    v->code = bc_strdup(code);
    v->value = value;
    if (note) {
        v->note = bc_strdup(note);
    }
    return v;
}

static Baocao__LegalRef *
s_ref(const char *kind, uint32_t number, uint32_t year, const char *notation,
      const char *issuer, const char *title)
{
    Baocao__LegalRef *r = bc_calloc(1, sizeof *r);
    baocao__legal_ref__init(r);
    r->kind = bc_strdup(kind);
    r->number = number;
    r->year = year;
    if (notation) {
        r->notation = bc_strdup(notation);
    }
    if (issuer) {
        r->issuer = bc_strdup(issuer);
    }
    if (title) {
        r->title = bc_strdup(title);
    }
    return r;
}

static Baocao__StatusStep *
s_step(Baocao__DeliveryStatus status, int64_t at)
{
    Baocao__StatusStep *s = bc_calloc(1, sizeof *s);
    baocao__status_step__init(s);
    s->status = status;
    s->at = s_ts(at);
    return s;
}

static Baocao__Report *
s_report(const char *code, uint32_t revision)
{
    Baocao__Report *r = bc_calloc(1, sizeof *r);
    baocao__report__init(r);
    r->sender = s_agency(code, NULL);
    r->revision = revision;
    r->report_id = bc_calloc(BC_ID_HEX_LEN + 1, 1);
    bc_id_new(r->report_id);
    return r;
}

static void
s_put_report(bc_txn_t *txn, const bc_reqkey_t *key, const char *code, Baocao__Report *r)
{
    assert_int_equal(bc_records_put_report(txn, key, code, r->revision, r), BC_OK);
    baocao__report__free_unpacked(r, NULL);
}

static void
s_put_delivery(bc_txn_t *txn, const bc_reqkey_t *key, Baocao__DeliveryRecord *d)
{
    assert_int_equal(bc_records_put_delivery(txn, key, d->agency->code, d), BC_OK);
    baocao__delivery_record__free_unpacked(d, NULL);
}

static Baocao__DeliveryRecord *
s_delivery(const char *code, const char *name)
{
    Baocao__DeliveryRecord *d = bc_calloc(1, sizeof *d);
    baocao__delivery_record__init(d);
    d->agency = s_agency(code, name);
    return d;
}

static Baocao__ReportRequest *
s_request(uint32_t number, int64_t deadline)
{
    Baocao__ReportRequest *req = bc_calloc(1, sizeof *req);
    baocao__report_request__init(req);
    req->number = number;
    req->notation = bc_strdup("STTTT-TTBCXB");
    req->issuer = s_agency(COORD, "Sở Thông tin và Truyền thông");
    req->place = bc_strdup("Quảng Trị");
    req->promulgation_date = s_date(2026, 11, 20);
    req->document_type = bc_strdup("Công văn");
    req->kind = BAOCAO__REPORT_KIND__THEMATIC;
    req->subject = bc_strdup("Báo cáo kết quả thực hiện Chỉ thị số 06/CT-UBND ngày "
                             "07/5/2019 của Ủy ban nhân dân tỉnh về tăng cường công tác quản "
                             "lý thông tin, báo chí trên địa bàn tỉnh năm 2026");
    req->deadline = s_ts(deadline);
    return req;
}

//  ---------------------------------------------------------------------------
//  The fixture: 5 recipients, 3 outline items, 2 indicators

static void
s_store_request(bc_txn_t *txn, const bc_reqkey_t *key, Baocao__ReportRequest *req)
{
    Baocao__RequestRecord rec = BAOCAO__REQUEST_RECORD__INIT;
    Baocao__Timestamp issued = BAOCAO__TIMESTAMP__INIT;
    issued.unix_ms = req->deadline->unix_ms - 10 * DAY_MS;
    rec.request = req;
    rec.issued_at = &issued;
    rec.issued_by = (char *) COORD;
    assert_int_equal(bc_records_put_request(txn, key, &rec), BC_OK);
}

static void
s_build(s_fixture_t *fx)
{
    assert_int_equal(bc_clock_parse_rfc3339("2026-12-01T17:00:00+07:00", &fx->deadline), 0);
    const int64_t dl = fx->deadline;
    bc_txn_t *txn = NULL;
    assert_int_equal(bc_store_begin(fx->store, 1, &txn), BC_OK);

    //  The registry names E, whom the request lists by code only.
    Baocao__AgencyRecord arec = BAOCAO__AGENCY_RECORD__INIT;
    Baocao__Agency e = BAOCAO__AGENCY__INIT;
    e.code = (char *) E_CODE;
    e.name = (char *) E_NAME;
    arec.agency = &e;
    assert_int_equal(bc_records_put_agency(txn, &arec), BC_OK);

    Baocao__ReportRequest *req = s_request(1005, dl);
    S_PUSH(req->recipients, req->n_recipients, s_agency(A_CODE, A_NAME));
    S_PUSH(req->recipients, req->n_recipients, s_agency(B_CODE, B_NAME));
    S_PUSH(req->recipients, req->n_recipients, s_agency(C_CODE, C_NAME));
    S_PUSH(req->recipients, req->n_recipients, s_agency(D_CODE, D_NAME));
    S_PUSH(req->recipients, req->n_recipients, s_agency(E_CODE, NULL));
    //  A code listed twice is still one addressed agency.
    S_PUSH(req->recipients, req->n_recipients, s_agency(B_CODE, B_NAME));
    S_PUSH(req->outline, req->n_outline,
           s_outline("1", "Công tác tuyên truyền, phổ biến, quán triệt", 0));
    S_PUSH(req->outline, req->n_outline,
           s_outline("2", "Công tác thông tin đối ngoại, phát ngôn", 0));
    S_PUSH(req->outline, req->n_outline,
           s_outline("3", "Quản lý phóng viên nước ngoài", 1));
    S_PUSH(req->indicators, req->n_indicators,
           s_indicator("HOP_BAO", "Số cuộc họp báo", "cuộc", BAOCAO__AGGREGATION__SUM));
    S_PUSH(req->indicators, req->n_indicators,
           s_indicator("TY_LE_CBCC", "Tỷ lệ cán bộ, công chức được phổ biến", "%",
                       BAOCAO__AGGREGATION__AVERAGE));
    assert_int_equal(bc_reqkey_from_request(req, &fx->key), BC_OK);
    s_store_request(txn, &fx->key, req);
    baocao__report_request__free_unpacked(req, NULL);

    //  A second request (another number, same organ and date), never answered.
    req = s_request(1006, dl + DAY_MS);
    S_PUSH(req->recipients, req->n_recipients, s_agency(A_CODE, A_NAME));
    S_PUSH(req->recipients, req->n_recipients, s_agency(B_CODE, B_NAME));
    assert_int_equal(bc_reqkey_from_request(req, &fx->key2), BC_OK);
    s_store_request(txn, &fx->key2, req);
    baocao__report_request__free_unpacked(req, NULL);

    //  A: revision 1 (superseded), then revision 2.
    Baocao__DeliveryRecord *d = s_delivery(A_CODE, A_NAME);
    S_PUSH(d->history, d->n_history, s_step(BAOCAO__DELIVERY_STATUS__PENDING, dl - 10 * DAY_MS));
    S_PUSH(d->history, d->n_history, s_step(BAOCAO__DELIVERY_STATUS__SENT, dl - 10 * DAY_MS));
    S_PUSH(d->history, d->n_history, s_step(BAOCAO__DELIVERY_STATUS__ARRIVED, dl - 9 * DAY_MS));
    S_PUSH(d->history, d->n_history, s_step(BAOCAO__DELIVERY_STATUS__REPORTED, dl - 5 * DAY_MS));
    S_PUSH(d->history, d->n_history, s_step(BAOCAO__DELIVERY_STATUS__REPORTED, dl - 2 * DAY_MS));
    d->reported_at = s_ts(dl - 5 * DAY_MS);
    d->revision = 2;
    s_put_delivery(txn, &fx->key, d);
    Baocao__Report *r = s_report(A_CODE, 1);
    S_PUSH(r->sections, r->n_sections, s_section("1", NULL, "Cũ", "NỘI DUNG CŨ"));
    S_PUSH(r->indicators, r->n_indicators, s_value("HOP_BAO", 100, NULL));
    S_PUSH(r->legal_refs, r->n_legal_refs, s_ref("Quyết định", 99, 2020, "QĐ-UBND", NULL, NULL));
    s_put_report(txn, &fx->key, A_CODE, r);
    r = s_report(A_CODE, 2);
    Baocao__Section *s1 = s_section("1", NULL, "Tuyên truyền", "A một\nA hai");
    S_PUSH(s1->children, s1->n_children, s_section("a", NULL, "Hội nghị", "A con"));
    S_PUSH(r->sections, r->n_sections, s1);
    S_PUSH(r->sections, r->n_sections, s_section(" 3. ", NULL, NULL, "A ba"));
    S_PUSH(r->sections, r->n_sections, s_section("II", "2", NULL, "A hai qua mục"));
    S_PUSH(r->indicators, r->n_indicators, s_value("HOP_BAO", 5, NULL));
    S_PUSH(r->indicators, r->n_indicators, s_value("TY_LE_CBCC", 80, "ước tính"));
    Baocao__LegalRef *ct = s_ref("Chỉ thị", 6, 0, "CT-UBND", NULL, NULL);
    ct->date = s_date(2019, 5, 7);
    S_PUSH(r->legal_refs, r->n_legal_refs, ct);
    S_PUSH(r->legal_refs, r->n_legal_refs, s_ref("Luật", 0, 0, NULL, NULL, "Luật Báo chí"));
    s_put_report(txn, &fx->key, A_CODE, r);

    //  B: on time; sections for items 1 and 2 and two for none.
    d = s_delivery(B_CODE, B_NAME);
    S_PUSH(d->history, d->n_history, s_step(BAOCAO__DELIVERY_STATUS__PENDING, dl - 10 * DAY_MS));
    S_PUSH(d->history, d->n_history, s_step(BAOCAO__DELIVERY_STATUS__SENT, dl - 10 * DAY_MS));
    S_PUSH(d->history, d->n_history, s_step(BAOCAO__DELIVERY_STATUS__REPORTED, dl - HOUR_MS));
    d->reported_at = s_ts(dl - HOUR_MS);
    d->revision = 1;
    s_put_delivery(txn, &fx->key, d);
    r = s_report(B_CODE, 1);
    S_PUSH(r->sections, r->n_sections, s_section("1", NULL, NULL, "B một"));
    S_PUSH(r->sections, r->n_sections,
           s_section("2", NULL, NULL, "B hai\n- Gạch đầu dòng đủ dài để phải xuống dòng khi "
                     "in ra màn hình tám mươi cột, dòng sau thụt vào dưới chữ"));
    S_PUSH(r->sections, r->n_sections, s_section("5", NULL, "Kiến nghị", "B kiến nghị"));
    S_PUSH(r->sections, r->n_sections, s_section("", NULL, "Phụ lục", "B phụ lục"));
    S_PUSH(r->indicators, r->n_indicators, s_value("HOP_BAO", 7, NULL));
    S_PUSH(r->indicators, r->n_indicators, s_value("TY_LE_CBCC", 90, NULL));
    S_PUSH(r->indicators, r->n_indicators, s_value("KHONG_CO", 3, NULL));
    S_PUSH(r->legal_refs, r->n_legal_refs,
           s_ref("chỉ thị", 6, 0, "CT-UBND", "Ủy ban nhân dân tỉnh", NULL));
    S_PUSH(r->legal_refs, r->n_legal_refs, s_ref("Chỉ thị", 6, 0, "CT-UBND", NULL, NULL));
    S_PUSH(r->legal_refs, r->n_legal_refs, s_ref("Nghị định", 9, 2019, "ND-CP", NULL, NULL));
    s_put_report(txn, &fx->key, B_CODE, r);

    //  C: its first report came two hours after the deadline. The late flag
    //  is left unset: reported_at against the deadline decides.
    d = s_delivery(C_CODE, C_NAME);
    S_PUSH(d->history, d->n_history, s_step(BAOCAO__DELIVERY_STATUS__PENDING, dl - 10 * DAY_MS));
    S_PUSH(d->history, d->n_history, s_step(BAOCAO__DELIVERY_STATUS__OVERDUE, dl + HOUR_MS));
    S_PUSH(d->history, d->n_history, s_step(BAOCAO__DELIVERY_STATUS__REPORTED, dl + 2 * HOUR_MS));
    d->reported_at = s_ts(dl + 2 * HOUR_MS);
    d->revision = 1;
    s_put_delivery(txn, &fx->key, d);
    r = s_report(C_CODE, 1);
    //  C writes in Roman parts: "I. KẾT QUẢ" holds the "2." that answers.
    Baocao__Section *part = s_section("I", NULL, "KẾT QUẢ", "");
    S_PUSH(part->children, part->n_children, s_section("2", NULL, NULL, "C hai"));
    S_PUSH(r->sections, r->n_sections, part);
    S_PUSH(r->indicators, r->n_indicators, s_value("HOP_BAO", 11, NULL));
    S_PUSH(r->indicators, r->n_indicators, s_value("TY_LE_CBCC", 95.5, NULL));
    S_PUSH(r->legal_refs, r->n_legal_refs, s_ref("Nghị định", 9, 2019, "NĐ-CP", "Chính phủ",
                                                 "quy định chế độ báo cáo"));
    S_PUSH(r->legal_refs, r->n_legal_refs, s_ref("luật", 0, 0, NULL, NULL, "luật báo  chí"));
    s_put_report(txn, &fx->key, C_CODE, r);

    //  D: processing, no report.
    d = s_delivery(D_CODE, D_NAME);
    S_PUSH(d->history, d->n_history, s_step(BAOCAO__DELIVERY_STATUS__PENDING, dl - 10 * DAY_MS));
    S_PUSH(d->history, d->n_history, s_step(BAOCAO__DELIVERY_STATUS__ARRIVED, dl - 9 * DAY_MS));
    S_PUSH(d->history, d->n_history, s_step(BAOCAO__DELIVERY_STATUS__PROCESSING, dl - 8 * DAY_MS));
    s_put_delivery(txn, &fx->key, d);

    //  E: never connected; the broker marked it overdue.
    d = s_delivery(E_CODE, E_NAME);
    S_PUSH(d->history, d->n_history, s_step(BAOCAO__DELIVERY_STATUS__PENDING, dl - 10 * DAY_MS));
    S_PUSH(d->history, d->n_history, s_step(BAOCAO__DELIVERY_STATUS__OVERDUE, dl + HOUR_MS));
    s_put_delivery(txn, &fx->key, d);

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
    snprintf(fx->dir, sizeof fx->dir, "/tmp/test_bc_aggregate.XXXXXX");
    if (!mkdtemp(fx->dir)) {
        return -1;
    }
    bc_store_opts_t opts = { .dir = fx->dir, .map_size = 16u << 20 };
    if (bc_store_open(&fx->store, &opts) != BC_OK) {
        return -1;
    }
    s_build(fx);
    //  Readers see the store as the CLI does: read-only.
    bc_store_destroy(&fx->store);
    opts.read_only = 1;
    if (bc_store_open(&fx->store, &opts) != BC_OK) {
        return -1;
    }
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
    assert_non_null(s);
    return s;
}

static void
s_assert_agency(const Baocao__Agency *a, const char *code)
{
    assert_non_null(a);
    assert_string_equal(a->code, code);
}

//  The contributing agencies of an item, as "code code ..." for one compare.
static void
s_contributors(const Baocao__ItemSummary *it, char *buf, size_t size)
{
    buf[0] = '\0';
    for (size_t i = 0; i < it->n_contributions; i++) {
        size_t n = strlen(buf);
        snprintf(buf + n, size - n, "%s%s", i ? " " : "", it->contributions[i]->agency->code);
    }
}

static void
s_silent(const Baocao__ItemSummary *it, char *buf, size_t size)
{
    buf[0] = '\0';
    for (size_t i = 0; i < it->n_silent; i++) {
        size_t n = strlen(buf);
        snprintf(buf + n, size - n, "%s%s", i ? " " : "", it->silent[i]->code);
    }
}

//  ---------------------------------------------------------------------------
//  Compile

static void
test_counts_and_timeliness(void **state)
{
    s_fixture_t *fx = *state;
    Baocao__Summary *s = s_compile(fx, fx->deadline + DAY_MS);
    assert_int_equal(s->addressed, 5);
    assert_int_equal(s->reported, 3);
    assert_int_equal(s->on_time, 2);
    assert_int_equal(s->late, 1);
    assert_int_equal(s->missing, 2);
    assert_int_equal(s->overdue, 2);
    assert_int_equal(s->compiled_at->unix_ms, fx->deadline + DAY_MS);
    assert_string_equal(s->ref->issuer_code, COORD);
    assert_int_equal(s->ref->number, 1005);
    assert_string_equal(s->request->subject + strlen(s->request->subject) - 4, "2026");

    //  Every addressed agency exactly once, in the request's order.
    assert_int_equal(s->n_agencies, 5);
    const char *codes[] = { A_CODE, B_CODE, C_CODE, D_CODE, E_CODE };
    for (size_t i = 0; i < 5; i++) {
        s_assert_agency(s->agencies[i]->agency, codes[i]);
    }
    assert_int_equal(s->agencies[0]->timeliness, BAOCAO__TIMELINESS__ON_TIME);
    assert_int_equal(s->agencies[1]->timeliness, BAOCAO__TIMELINESS__ON_TIME);
    assert_int_equal(s->agencies[2]->timeliness, BAOCAO__TIMELINESS__LATE);
    assert_int_equal(s->agencies[3]->timeliness, BAOCAO__TIMELINESS__OVERDUE_MISSING);
    assert_int_equal(s->agencies[4]->timeliness, BAOCAO__TIMELINESS__OVERDUE_MISSING);

    //  Latest status and its time; revision and first report time.
    assert_string_equal(s->agencies[0]->status, "REPORTED");
    assert_int_equal(s->agencies[0]->status_at->unix_ms, fx->deadline - 2 * DAY_MS);
    assert_int_equal(s->agencies[0]->reported_at->unix_ms, fx->deadline - 5 * DAY_MS);
    assert_int_equal(s->agencies[0]->revision, 2);
    assert_string_equal(s->agencies[2]->status, "REPORTED");
    assert_int_equal(s->agencies[2]->reported_at->unix_ms, fx->deadline + 2 * HOUR_MS);
    assert_string_equal(s->agencies[3]->status, "PROCESSING");
    assert_null(s->agencies[3]->reported_at);
    assert_int_equal(s->agencies[3]->revision, 0);
    assert_string_equal(s->agencies[4]->status, "OVERDUE");

    //  The name of an agency listed by code only comes from the registry.
    assert_string_equal(s->agencies[4]->agency->name, E_NAME);

    assert_int_equal(s->n_missing_agencies, 2);
    s_assert_agency(s->missing_agencies[0], D_CODE);
    s_assert_agency(s->missing_agencies[1], E_CODE);
    baocao__summary__free_unpacked(s, NULL);
}

static void
test_missing_before_deadline(void **state)
{
    s_fixture_t *fx = *state;
    //  An hour before the deadline nobody is overdue yet, whatever status
    //  the broker recorded: only the clock decides.
    Baocao__Summary *s = s_compile(fx, fx->deadline - HOUR_MS);
    assert_int_equal(s->agencies[3]->timeliness, BAOCAO__TIMELINESS__MISSING);
    assert_int_equal(s->agencies[4]->timeliness, BAOCAO__TIMELINESS__MISSING);
    assert_int_equal(s->missing, 2);
    assert_int_equal(s->overdue, 0);
    assert_int_equal(s->agencies[2]->timeliness, BAOCAO__TIMELINESS__LATE);
    baocao__summary__free_unpacked(s, NULL);
    //  Exactly at the deadline is not past it.
    s = s_compile(fx, fx->deadline);
    assert_int_equal(s->agencies[3]->timeliness, BAOCAO__TIMELINESS__MISSING);
    baocao__summary__free_unpacked(s, NULL);
}

static void
test_items(void **state)
{
    s_fixture_t *fx = *state;
    Baocao__Summary *s = s_compile(fx, fx->deadline + DAY_MS);
    char buf[256];
    assert_int_equal(s->n_items, 4);
    assert_string_equal(s->items[0]->item->number, "1");
    assert_string_equal(s->items[1]->item->number, "2");
    assert_string_equal(s->items[2]->item->number, "3");
    assert_true(s->items[2]->item->if_applicable);

    //  Item 1: A's latest revision (never the superseded one), then B.
    s_contributors(s->items[0], buf, sizeof buf);
    assert_string_equal(buf, A_CODE " " B_CODE);
    assert_string_equal(s->items[0]->contributions[0]->section->title, "Tuyên truyền");
    assert_string_equal(s->items[0]->contributions[0]->section->body, "A một\nA hai");
    assert_int_equal(s->items[0]->contributions[0]->section->n_children, 1);
    assert_string_equal(s->items[0]->contributions[0]->section->children[0]->body, "A con");
    s_silent(s->items[0], buf, sizeof buf);
    assert_string_equal(buf, C_CODE);

    //  Item 2: A through outline_item "2" (its own number is "II"), B, C.
    s_contributors(s->items[1], buf, sizeof buf);
    assert_string_equal(buf, A_CODE " " B_CODE " " C_CODE);
    assert_string_equal(s->items[1]->contributions[0]->section->body, "A hai qua mục");
    //  C's answer sits inside its Roman part: found there, not under "other".
    assert_string_equal(s->items[1]->contributions[2]->section->body, "C hai");
    assert_int_equal(s->items[1]->n_silent, 0);

    //  Item 3: " 3. " answers "3".
    s_contributors(s->items[2], buf, sizeof buf);
    assert_string_equal(buf, A_CODE);
    s_silent(s->items[2], buf, sizeof buf);
    assert_string_equal(buf, B_CODE " " C_CODE);

    //  The other item: B's "5" and its unnumbered annex, nothing superseded.
    const Baocao__ItemSummary *other = s->items[3];
    assert_string_equal(other->item->number, "");
    assert_string_equal(other->item->title, BC_AGGREGATE_OTHER_TITLE);
    s_contributors(other, buf, sizeof buf);
    assert_string_equal(buf, B_CODE " " B_CODE);
    assert_string_equal(other->contributions[0]->section->body, "B kiến nghị");
    assert_string_equal(other->contributions[1]->section->title, "Phụ lục");
    assert_int_equal(other->n_silent, 0);
    for (size_t i = 0; i < s->n_items; i++) {
        for (size_t c = 0; c < s->items[i]->n_contributions; c++) {
            assert_null(strstr(s->items[i]->contributions[c]->section->body, "CŨ"));
        }
    }
    baocao__summary__free_unpacked(s, NULL);
}

static void
test_indicators(void **state)
{
    s_fixture_t *fx = *state;
    Baocao__Summary *s = s_compile(fx, fx->deadline + DAY_MS);
    assert_int_equal(s->n_indicators, 2);
    const Baocao__IndicatorTotal *hop = s->indicators[0];
    assert_string_equal(hop->indicator->code, "HOP_BAO");
    assert_int_equal(hop->count, 3);
    assert_true(hop->total == 23.0);    //  5 + 7 + 11, not A's superseded 100
    assert_int_equal(hop->n_values, 3);
    s_assert_agency(hop->values[0]->agency, A_CODE);
    s_assert_agency(hop->values[1]->agency, B_CODE);
    s_assert_agency(hop->values[2]->agency, C_CODE);
    assert_true(hop->values[2]->value == 11.0);
    const Baocao__IndicatorTotal *ty = s->indicators[1];
    assert_string_equal(ty->indicator->code, "TY_LE_CBCC");
    assert_int_equal(ty->count, 3);
    assert_true(fabs(ty->total - 88.5) < 1e-9);
    assert_string_equal(ty->values[0]->note, "ước tính");
    baocao__summary__free_unpacked(s, NULL);
}

static void
test_legal_refs(void **state)
{
    s_fixture_t *fx = *state;
    Baocao__Summary *s = s_compile(fx, fx->deadline + DAY_MS);
    //  06/CT-UBND (A, B twice), Luật Báo chí (A, C by name in other case and
    //  spacing), 09/2019/NĐ-CP (B as ND-CP, C canonical). A's superseded
    //  revision cited 99/2020/QĐ-UBND: it does not count.
    assert_int_equal(s->n_legal_refs, 3);
    const Baocao__CitedRef *ct = s->legal_refs[0];
    assert_int_equal(ct->ref->number, 6);
    assert_string_equal(ct->ref->notation, "CT-UBND");
    assert_int_equal(ct->ref->date->year, 2019);
    assert_string_equal(ct->ref->issuer, "Ủy ban nhân dân tỉnh");   //  filled in by B
    assert_int_equal(ct->n_cited_by, 2);
    s_assert_agency(ct->cited_by[0], A_CODE);
    s_assert_agency(ct->cited_by[1], B_CODE);
    const Baocao__CitedRef *law = s->legal_refs[1];
    assert_int_equal(law->ref->number, 0);
    assert_string_equal(law->ref->title, "Luật Báo chí");
    assert_int_equal(law->n_cited_by, 2);
    s_assert_agency(law->cited_by[0], A_CODE);
    s_assert_agency(law->cited_by[1], C_CODE);
    const Baocao__CitedRef *nd = s->legal_refs[2];
    assert_int_equal(nd->ref->number, 9);
    assert_int_equal(nd->ref->year, 2019);
    assert_int_equal(nd->n_cited_by, 2);
    s_assert_agency(nd->cited_by[0], B_CODE);
    s_assert_agency(nd->cited_by[1], C_CODE);
    assert_string_equal(nd->ref->title, "quy định chế độ báo cáo");
    baocao__summary__free_unpacked(s, NULL);
}

static void
test_not_found_and_list(void **state)
{
    s_fixture_t *fx = *state;
    bc_txn_t *txn = NULL;
    assert_int_equal(bc_store_begin(fx->store, 0, &txn), BC_OK);
    bc_reqkey_t other = fx->key;
    other.number = 4242;
    Baocao__Summary *s = NULL;
    assert_int_equal(bc_aggregate_compile(txn, &other, 0, &s), BC_ENOTFOUND);
    assert_null(s);

    Baocao__RequestList *list = NULL;
    assert_int_equal(bc_aggregate_list(txn, fx->deadline + DAY_MS, &list), BC_OK);
    bc_store_abort(&txn);
    assert_int_equal(list->n_requests, 2);
    const Baocao__RequestListEntry *e = list->requests[0];
    assert_string_equal(e->citation, "1005/STTTT-TTBCXB");
    assert_string_equal(e->key, COORD ",2026-11-20,1005/STTTT-TTBCXB");
    assert_string_equal(e->issuer->code, COORD);
    assert_int_equal(e->addressed, 5);
    assert_int_equal(e->reported, 3);
    assert_int_equal(e->late, 1);
    assert_int_equal(e->overdue, 2);
    assert_int_equal(e->deadline->unix_ms, fx->deadline);
    assert_non_null(e->issued_at);
    e = list->requests[1];
    assert_string_equal(e->citation, "1006/STTTT-TTBCXB");
    assert_int_equal(e->addressed, 2);
    assert_int_equal(e->reported, 0);
    assert_int_equal(e->overdue, 0);    //  its deadline is a day later

    char *text = bc_export_request_list(list, BC_EXPORT_TEXT, NULL);
    assert_non_null(strstr(text, "Số, ký hiệu"));
    assert_non_null(strstr(text, "1005/STTTT-TTBCXB"));
    assert_non_null(strstr(text, "3/5"));
    assert_non_null(strstr(text, "2026-12-01 17:00"));
    //  Off a terminal the subject keeps 60 columns: 59 and the ellipsis.
    const char *subject = strstr(text, "Báo cáo kết quả");
    assert_non_null(subject);
    const char *eol = strchr(subject, '\n');
    char *cell = bc_strndup(subject, (size_t) (eol - subject));
    assert_int_equal(bc_export_width(cell), BC_EXPORT_SUBJECT_MAX);
    assert_non_null(strstr(cell, "…"));
    free(cell);
    free(text);
    //  On a 100-column terminal no line is longer than 100.
    bc_export_opts_t opts = { .width = 100 };
    text = bc_export_request_list(list, BC_EXPORT_TEXT, &opts);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        assert_true(bc_export_width(line) <= 100);
    }
    free(text);
    text = bc_export_request_list(list, BC_EXPORT_JSON, NULL);
    assert_non_null(strstr(text, "\"citation\": \"1006/STTTT-TTBCXB\""));
    free(text);
    baocao__request_list__free_unpacked(list, NULL);
}

//  ---------------------------------------------------------------------------
//  Export

static void
test_export_helpers(void **state)
{
    assert_int_equal(bc_export_width("Sở Nội vụ"), 9);
    assert_int_equal(bc_export_width("abc"), 3);
    assert_int_equal(bc_export_width(""), 0);
    //  NFD: "ộ" as o + U+0323 + U+0302 is one column.
    assert_int_equal(bc_export_width("vu\xcc\xa3 o\xcc\xa3\xcc\x82i"), 5);
    char *t = bc_export_truncate("Sở Tài nguyên", 6);
    assert_string_equal(t, "Sở Tà…");
    free(t);
    t = bc_export_truncate("Sở", 5);
    assert_string_equal(t, "Sở");
    free(t);
    t = bc_export_truncate("Sở", 0);
    assert_string_equal(t, "");
    free(t);
    assert_string_equal(bc_export_timeliness_label(BAOCAO__TIMELINESS__ON_TIME), "Đúng hạn");
    assert_string_equal(bc_export_timeliness_label(BAOCAO__TIMELINESS__LATE), "Trễ hạn");
    assert_string_equal(bc_export_timeliness_label(BAOCAO__TIMELINESS__MISSING), "Chưa báo cáo");
    assert_string_equal(bc_export_timeliness_label(BAOCAO__TIMELINESS__OVERDUE_MISSING),
                        "Quá hạn chưa báo cáo");
    const char *pairs[][2] = {
        { "PENDING", "Chờ gửi" }, { "SENT", "Đã gửi" }, { "ARRIVED", "Đã đến" },
        { "REJECTED", "Từ chối" }, { "ACCEPTED", "Đã tiếp nhận" },
        { "ASSIGNED", "Đã phân công" }, { "PROCESSING", "Đang xử lý" },
        { "COMPLETED", "Hoàn thành" }, { "REPORTED", "Đã báo cáo" }, { "OVERDUE", "Quá hạn" },
        { "SOMETHING_NEW", "SOMETHING_NEW" },
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        assert_string_equal(bc_export_status_label(pairs[i][0]), pairs[i][1]);
    }
    bc_export_format_t f = BC_EXPORT_JSON;
    assert_int_equal(bc_export_format_parse("text", &f), BC_OK);
    assert_int_equal(f, BC_EXPORT_TEXT);
    assert_int_equal(bc_export_format_parse("md", &f), BC_OK);
    assert_int_equal(f, BC_EXPORT_MD);
    assert_int_equal(bc_export_format_parse("json", &f), BC_OK);
    assert_int_equal(f, BC_EXPORT_JSON);
    assert_int_equal(bc_export_format_parse("html", &f), BC_OK);
    assert_int_equal(f, BC_EXPORT_HTML);
    assert_int_equal(bc_export_format_parse("pdf", &f), BC_OK);
    assert_int_equal(f, BC_EXPORT_PDF);
    assert_true(bc_export_format_binary(BC_EXPORT_PDF));
    assert_false(bc_export_format_binary(BC_EXPORT_HTML));
    assert_int_equal(bc_export_format_parse("docx", &f), BC_EINVAL);
    assert_int_equal(f, BC_EXPORT_PDF);
    char num[32];
    bc_export_number(1234567.5, num, sizeof num);
    assert_string_equal(num, "1.234.567,5");
    bc_export_percent(17, 18, num, sizeof num);
    assert_string_equal(num, "94,4%");
}

//  The display column at which needle starts on the line holding code.
static size_t
s_column_of(const char *text, const char *code, const char *needle)
{
    const char *line = strstr(text, code);
    assert_non_null(line);
    while (line > text && line[-1] != '\n') {
        line--;
    }
    const char *eol = strchr(line, '\n');
    const char *at = strstr(line, needle);
    assert_non_null(at);
    assert_true(!eol || at < eol);
    char *prefix = bc_strndup(line, (size_t) (at - line));
    size_t col = bc_export_width(prefix);
    free(prefix);
    return col;
}

static void
test_export_text(void **state)
{
    s_fixture_t *fx = *state;
    Baocao__Summary *s = s_compile(fx, fx->deadline + DAY_MS);
    char *text = bc_export_summary(s, BC_EXPORT_TEXT, NULL);
    const char *want[] = {
        "TỔNG HỢP BÁO CÁO", "Công văn số 1005/STTTT-TTBCXB ngày 20/11/2026 của Sở Thông tin "
        "và Truyền thông", "Hạn báo cáo: 2026-12-01 17:00", "Tổng hợp lúc: 2026-12-02 17:00",
        "I. TÌNH HÌNH GỬI BÁO CÁO", "II. NỘI DUNG BÁO CÁO", "III. CHỈ TIÊU TỔNG HỢP",
        "IV. VĂN BẢN ĐƯỢC VIỆN DẪN", "V. CƠ QUAN CHƯA BÁO CÁO (2)", "Đúng hạn", "Trễ hạn",
        "Quá hạn chưa báo cáo", "Đã báo cáo", "Đang xử lý", "Quá hạn", A_NAME, E_NAME,
        "1. Công tác tuyên truyền, phổ biến, quán triệt", "Nội dung khác", "A một", "A con",
        "B phụ lục", "Không báo cáo nội dung này (1): " C_NAME,
        "Không có nội dung liên quan (2): " B_NAME ", " C_NAME, "23", "88,5",
        "Chỉ thị số 06/CT-UBND ngày 07/05/2019 của Ủy ban nhân dân tỉnh",
        "Nghị định số 09/2019/NĐ-CP", "Luật Báo chí", "Viện dẫn bởi (2): " A_NAME ", " B_NAME,
        "(60%)",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        if (!strstr(text, want[i])) {
            fprintf(stderr, "missing \"%s\" in:\n%s\n", want[i], text);
            fail();
        }
    }
    assert_null(strstr(text, "NỘI DUNG CŨ"));
    //  A bullet's continuation hangs under its text: 6 + 2 columns.
    const char *bullet = strstr(text, "\n      - Gạch đầu dòng");
    assert_non_null(bullet);
    const char *next = strchr(bullet + 1, '\n');
    assert_non_null(next);
    assert_int_equal(strspn(next + 1, " "), 8);
    //  Paragraphs wrap within the default width.
    for (const char *p = text; *p;) {
        const char *eol = strchr(p, '\n');
        char *line = bc_strndup(p, eol ? (size_t) (eol - p) : strlen(p));
        //  Table lines (columns two blanks apart) may be longer; prose never.
        const char *body = line + strspn(line, " ");
        if (!strstr(body, "  ")) {
            assert_true(bc_export_width(line) <= BC_EXPORT_WIDTH_DEFAULT);
        }
        free(line);
        p = eol ? eol + 1 : p + strlen(p);
    }
    free(text);

    //  The status view: columns line up by display width, not bytes.
    text = bc_export_status(s, BC_EXPORT_TEXT, NULL);
    assert_non_null(strstr(text, "TÌNH HÌNH BÁO CÁO"));
    size_t col = s_column_of(text, A_CODE, "Đã báo cáo");
    assert_int_equal(s_column_of(text, B_CODE, "Đã báo cáo"), col);
    assert_int_equal(s_column_of(text, C_CODE, "Đã báo cáo"), col);
    assert_int_equal(s_column_of(text, D_CODE, "Đang xử lý"), col);
    assert_int_equal(s_column_of(text, E_CODE, "Quá hạn"), col);
    assert_int_equal(s_column_of(text, "Mã cơ quan", "Trạng thái"), col);
    size_t tcol = s_column_of(text, A_CODE, "Đúng hạn");
    assert_int_equal(s_column_of(text, C_CODE, "Trễ hạn"), tcol);
    assert_int_equal(s_column_of(text, E_CODE, "Quá hạn chưa báo cáo"), tcol);
    assert_null(strstr(text, "NỘI DUNG"));
    free(text);
    baocao__summary__free_unpacked(s, NULL);
}

static void
test_export_md(void **state)
{
    s_fixture_t *fx = *state;
    Baocao__Summary *s = s_compile(fx, fx->deadline + DAY_MS);
    char *md = bc_export_summary(s, BC_EXPORT_MD, NULL);
    const char *want[] = {
        "# TỔNG HỢP BÁO CÁO\n", "## I. TÌNH HÌNH GỬI BÁO CÁO\n", "## II. NỘI DUNG BÁO CÁO\n",
        "### 1. Công tác tuyên truyền, phổ biến, quán triệt\n", "### Nội dung khác\n",
        "| Mã cơ quan | Cơ quan | Trạng thái | Thời điểm | Tình hình |",
        "| " C_CODE " | " C_NAME " | Đã báo cáo | 2026-12-01 19:00 | Trễ hạn |",
        "**" A_NAME "**", "| HOP\\_BAO |", "| 88,5 |", "## V. CƠ QUAN CHƯA BÁO CÁO (2)",
        "| " E_CODE " | " E_NAME " | Quá hạn chưa báo cáo |",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        if (!strstr(md, want[i])) {
            fprintf(stderr, "missing \"%s\" in:\n%s\n", want[i], md);
            fail();
        }
    }
    free(md);
    baocao__summary__free_unpacked(s, NULL);
}

static uint8_t *
s_pack(const ProtobufCMessage *msg, size_t *size_p)
{
    *size_p = protobuf_c_message_get_packed_size(msg);
    uint8_t *buf = bc_malloc(*size_p + 1);
    protobuf_c_message_pack(msg, buf);
    return buf;
}

static void
test_export_json_roundtrip(void **state)
{
    s_fixture_t *fx = *state;
    Baocao__Summary *s = s_compile(fx, fx->deadline + DAY_MS);
    char *json = bc_export_summary(s, BC_EXPORT_JSON, NULL);
    assert_non_null(strstr(json, "\"missingAgencies\""));
    assert_non_null(strstr(json, "\"timeliness\": \"OVERDUE_MISSING\""));
    char why[256] = "";
    ProtobufCMessage *back = NULL;
    bc_err rc = bc_json_decode(&baocao__summary__descriptor, json, strlen(json), &back, why,
                               sizeof why);
    if (rc != BC_OK) {
        fprintf(stderr, "decode: %s\n", why);
    }
    assert_int_equal(rc, BC_OK);
    size_t a_size, b_size;
    uint8_t *a = s_pack(&s->base, &a_size);
    uint8_t *b = s_pack(back, &b_size);
    assert_int_equal(a_size, b_size);
    assert_memory_equal(a, b, a_size);
    free(a);
    free(b);
    protobuf_c_message_free_unpacked(back, NULL);
    free(json);

    //  The status JSON is the same Summary without the content.
    json = bc_export_status(s, BC_EXPORT_JSON, NULL);
    assert_non_null(strstr(json, "\"agencies\""));
    assert_null(strstr(json, "\"items\""));
    assert_null(strstr(json, "\"legalRefs\""));
    rc = bc_json_decode(&baocao__summary__descriptor, json, strlen(json), &back, why, sizeof why);
    assert_int_equal(rc, BC_OK);
    Baocao__Summary *st = (Baocao__Summary *) back;
    assert_int_equal(st->n_agencies, 5);
    assert_int_equal(st->reported, 3);
    protobuf_c_message_free_unpacked(back, NULL);
    free(json);
    baocao__summary__free_unpacked(s, NULL);
}

//  ---------------------------------------------------------------------------
//  Outline numbers as parsers and people write them; timeliness from the
//  stored times; MIN and MAX with the agencies behind them

static void
test_matching_times_and_rules(void **state)
{
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/test_bc_aggregate.XXXXXX");
    assert_non_null(mkdtemp(dir));
    bc_store_t *store = NULL;
    bc_store_opts_t opts = { .dir = dir, .map_size = 16u << 20 };
    assert_int_equal(bc_store_open(&store, &opts), BC_OK);
    int64_t dl = 0;
    assert_int_equal(bc_clock_parse_rfc3339("2026-12-01T17:00:00+07:00", &dl), 0);
    Baocao__ReportRequest *req = s_request(2001, dl);
    S_PUSH(req->recipients, req->n_recipients, s_agency(A_CODE, A_NAME));
    S_PUSH(req->recipients, req->n_recipients, s_agency(B_CODE, B_NAME));
    S_PUSH(req->recipients, req->n_recipients, s_agency(C_CODE, C_NAME));
    S_PUSH(req->outline, req->n_outline, s_outline("1", "Một", 0));
    S_PUSH(req->outline, req->n_outline, s_outline("2", "Hai", 0));
    S_PUSH(req->outline, req->n_outline, s_outline("III", "Ba", 0));
    S_PUSH(req->indicators, req->n_indicators,
           s_indicator("THAP", "Thấp nhất", "ngày", BAOCAO__AGGREGATION__MIN));
    S_PUSH(req->indicators, req->n_indicators,
           s_indicator("CAO", "Cao nhất", "%", BAOCAO__AGGREGATION__MAX));
    bc_reqkey_t key;
    assert_int_equal(bc_reqkey_from_request(req, &key), BC_OK);
    bc_txn_t *txn = NULL;
    assert_int_equal(bc_store_begin(store, 1, &txn), BC_OK);
    s_store_request(txn, &key, req);
    baocao__report_request__free_unpacked(req, NULL);

    //  A: "01." with no outline_item, and "iii"; its delivery says late, but
    //  its report was stored a day before the deadline: on time.
    Baocao__DeliveryRecord *d = s_delivery(A_CODE, A_NAME);
    S_PUSH(d->history, d->n_history, s_step(BAOCAO__DELIVERY_STATUS__REPORTED, dl - DAY_MS));
    d->reported_at = s_ts(dl - DAY_MS);
    d->revision = 1;
    d->late = 1;
    s_put_delivery(txn, &key, d);
    Baocao__Report *r = s_report(A_CODE, 1);
    S_PUSH(r->sections, r->n_sections, s_section("01.", NULL, NULL, "A một"));
    S_PUSH(r->sections, r->n_sections, s_section("iii", NULL, NULL, "A ba"));
    S_PUSH(r->indicators, r->n_indicators, s_value("THAP", 4, NULL));
    S_PUSH(r->indicators, r->n_indicators, s_value("CAO", 90, NULL));
    s_put_report(txn, &key, A_CODE, r);

    //  B: the parser matched its "II." to item 2 as "02"; no reported_at
    //  and no REPORTED step recorded, but the broker's flag says late.
    d = s_delivery(B_CODE, B_NAME);
    d->revision = 1;
    d->late = 1;
    s_put_delivery(txn, &key, d);
    r = s_report(B_CODE, 1);
    S_PUSH(r->sections, r->n_sections, s_section("II.", "02", NULL, "B hai"));
    S_PUSH(r->sections, r->n_sections, s_section("1", NULL, NULL, "B một"));
    S_PUSH(r->indicators, r->n_indicators, s_value("THAP", 2, NULL));
    S_PUSH(r->indicators, r->n_indicators, s_value("CAO", 97.5, NULL));
    s_put_report(txn, &key, B_CODE, r);

    //  C: stored after the deadline with the flag unset: late.
    d = s_delivery(C_CODE, C_NAME);
    S_PUSH(d->history, d->n_history, s_step(BAOCAO__DELIVERY_STATUS__REPORTED, dl + HOUR_MS));
    d->revision = 1;
    s_put_delivery(txn, &key, d);
    r = s_report(C_CODE, 1);
    S_PUSH(r->sections, r->n_sections, s_section("1", NULL, NULL, "C một"));
    S_PUSH(r->indicators, r->n_indicators, s_value("THAP", 2, NULL));
    S_PUSH(r->indicators, r->n_indicators, s_value("CAO", 97.5, NULL));
    s_put_report(txn, &key, C_CODE, r);
    assert_int_equal(bc_store_commit(&txn), BC_OK);

    assert_int_equal(bc_store_begin(store, 0, &txn), BC_OK);
    Baocao__Summary *s = NULL;
    assert_int_equal(bc_aggregate_compile(txn, &key, dl + DAY_MS, &s), BC_OK);
    bc_store_abort(&txn);
    assert_int_equal(s->agencies[0]->timeliness, BAOCAO__TIMELINESS__ON_TIME);
    assert_int_equal(s->agencies[1]->timeliness, BAOCAO__TIMELINESS__LATE);
    assert_int_equal(s->agencies[2]->timeliness, BAOCAO__TIMELINESS__LATE);
    assert_int_equal(s->agencies[2]->reported_at->unix_ms, dl + HOUR_MS);
    assert_int_equal(s->on_time, 1);
    assert_int_equal(s->late, 2);

    //  Every section found its item, in recipient order: no "other" item.
    char buf[256];
    assert_int_equal(s->n_items, 3);
    s_contributors(s->items[0], buf, sizeof buf);
    assert_string_equal(buf, A_CODE " " B_CODE " " C_CODE);
    s_contributors(s->items[1], buf, sizeof buf);
    assert_string_equal(buf, B_CODE);
    assert_string_equal(s->items[1]->contributions[0]->section->body, "B hai");
    s_contributors(s->items[2], buf, sizeof buf);
    assert_string_equal(buf, A_CODE);

    //  MIN and MAX keep every contributing agency; the export names who
    //  holds the extreme.
    const Baocao__IndicatorTotal *low = s->indicators[0];
    assert_true(low->total == 2.0);
    assert_int_equal(low->count, 3);
    assert_int_equal(low->n_values, 3);
    const Baocao__IndicatorTotal *high = s->indicators[1];
    assert_true(high->total == 97.5);
    assert_int_equal(high->count, 3);
    char *text = bc_export_summary(s, BC_EXPORT_TEXT, NULL);
    assert_non_null(strstr(text, "Nhỏ nhất"));
    assert_non_null(strstr(text, "97,5"));
    free(text);
    baocao__summary__free_unpacked(s, NULL);
    bc_store_destroy(&store);
    nftw(dir, s_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

//  ---------------------------------------------------------------------------
//  The demo province: 18 recipients, indicator files of the 17 who answer

typedef struct {
    char dir[64];
    bc_store_t *store;
    bc_reqkey_t key;
    double hop_bao;                     //  sum of the chi-tieu files
} s_demo_t;

static void
test_demo_province(void **state)
{
    s_demo_t demo;
    memset(&demo, 0, sizeof demo);
    snprintf(demo.dir, sizeof demo.dir, "/tmp/test_bc_aggregate.XXXXXX");
    assert_non_null(mkdtemp(demo.dir));
    bc_store_opts_t opts = { .dir = demo.dir, .map_size = 16u << 20 };
    assert_int_equal(bc_store_open(&demo.store, &opts), BC_OK);

    char *text = NULL;
    size_t size = 0;
    assert_int_equal(bc_fs_read(BC_DEMO_DIR "/request.json", 1u << 20, &text, &size), BC_OK);
    ProtobufCMessage *msg = NULL;
    char why[256] = "";
    assert_int_equal(bc_json_decode(&baocao__report_request__descriptor, text, size, &msg, why,
                                    sizeof why), BC_OK);
    free(text);
    Baocao__ReportRequest *req = (Baocao__ReportRequest *) msg;
    assert_int_equal(bc_reqkey_from_request(req, &demo.key), BC_OK);
    bc_txn_t *txn = NULL;
    assert_int_equal(bc_store_begin(demo.store, 1, &txn), BC_OK);
    s_store_request(txn, &demo.key, req);
    size_t answered = 0;
    for (size_t i = 0; i < req->n_recipients; i++) {
        const char *code = req->recipients[i]->code;
        char path[512];
        snprintf(path, sizeof path, BC_DEMO_DIR "/chi-tieu/%s.csv", code);
        if (bc_fs_read(path, 1u << 20, &text, &size) != BC_OK) {
            continue;                   //  the one that never answers
        }
        bc_csv_t *csv = NULL;
        assert_int_equal(bc_csv_parse(text, size, &csv, NULL), BC_OK);
        free(text);
        Baocao__Report *r = s_report(code, 1);
        for (size_t row = 1; row < bc_csv_rows(csv); row++) {
            double v = strtod(bc_csv_cell(csv, row, 1), NULL);
            S_PUSH(r->indicators, r->n_indicators, s_value(bc_csv_cell(csv, row, 0), v, NULL));
            if (strcmp(bc_csv_cell(csv, row, 0), "HOP_BAO") == 0) {
                demo.hop_bao += v;
            }
        }
        bc_csv_destroy(&csv);
        s_put_report(txn, &demo.key, code, r);
        Baocao__DeliveryRecord *d = s_delivery(code, req->recipients[i]->name);
        S_PUSH(d->history, d->n_history,
               s_step(BAOCAO__DELIVERY_STATUS__REPORTED, req->deadline->unix_ms - DAY_MS));
        d->reported_at = s_ts(req->deadline->unix_ms - DAY_MS);
        d->revision = 1;
        s_put_delivery(txn, &demo.key, d);
        answered++;
    }
    assert_int_equal(bc_store_commit(&txn), BC_OK);
    assert_int_equal(answered, 17);

    assert_int_equal(bc_store_begin(demo.store, 0, &txn), BC_OK);
    Baocao__Summary *s = NULL;
    assert_int_equal(bc_aggregate_compile(txn, &demo.key, req->deadline->unix_ms + DAY_MS, &s),
                     BC_OK);
    bc_store_abort(&txn);
    assert_int_equal(s->addressed, 18);
    assert_int_equal(s->n_agencies, 18);
    assert_int_equal(s->reported, 17);
    assert_int_equal(s->overdue, 1);
    assert_string_equal(s->missing_agencies[0]->code, "000.00.11.H45");
    assert_string_equal(s->indicators[0]->indicator->code, "HOP_BAO");
    assert_true(s->indicators[0]->total == demo.hop_bao);
    assert_int_equal(s->indicators[0]->count, 17);
    //  Nobody wrote a section: the outline's 4 items, and no "other" item.
    assert_int_equal(s->n_items, 4);
    assert_int_equal(s->items[3]->n_contributions, 0);
    assert_int_equal(s->items[3]->n_silent, 17);
    for (size_t i = 0; i < 18; i++) {
        assert_string_equal(s->agencies[i]->agency->code, req->recipients[i]->code);
    }
    text = bc_export_summary(s, BC_EXPORT_TEXT, NULL);
    assert_non_null(strstr(text, "Sở Giao thông vận tải"));
    free(text);
    baocao__summary__free_unpacked(s, NULL);
    baocao__report_request__free_unpacked(req, NULL);
    bc_store_destroy(&demo.store);
    nftw(demo.dir, s_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_counts_and_timeliness, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_missing_before_deadline, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_items, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_indicators, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_legal_refs, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_not_found_and_list, s_setup, s_teardown),
        cmocka_unit_test(test_export_helpers),
        cmocka_unit_test_setup_teardown(test_export_text, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_export_md, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_export_json_roundtrip, s_setup, s_teardown),
        cmocka_unit_test(test_matching_times_and_rules),
        cmocka_unit_test(test_demo_province),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
