//  test_bc_json - protobuf-c messages to JSON and back, and every refusal
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baocao/envelope.pb-c.h"
#include "baocao/report.pb-c.h"
#include "baocao/request.pb-c.h"
#include "baocao/types.pb-c.h"
#include "bc_alloc.h"
#include "bc_clock.h"
#include "bc_json.h"

#define SAMPLE_FILE BC_SAMPLES_DIR "/request-1005-STTTT-TTBCXB.json"

//  2022-08-15T17:00:00+07:00, the sample's deadline.
#define SAMPLE_DEADLINE_MS  1660557600000LL

//  ---------------------------------------------------------------------------
//  Helpers

static char *
s_read_file(const char *path, size_t *size_p)
{
    FILE *file = fopen(path, "rb");
    if (!file) {
        return NULL;
    }
    bc_buf_t buf;
    bc_buf_init(&buf);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, file)) > 0) {
        bc_buf_append(&buf, chunk, n);
    }
    fclose(file);
    *size_p = buf.len;
    return bc_buf_take(&buf);
}

//  Returns text with the first `from` replaced by `to` (the caller frees).
static char *
s_replace(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    assert_non_null(at);
    bc_buf_t buf;
    bc_buf_init(&buf);
    bc_buf_append(&buf, text, (size_t) (at - text));
    bc_buf_puts(&buf, to);
    bc_buf_puts(&buf, at + strlen(from));
    return bc_buf_take(&buf);
}

static uint8_t *
s_pack(const ProtobufCMessage *msg, size_t *size_p)
{
    size_t size = protobuf_c_message_get_packed_size(msg);
    uint8_t *bytes = bc_malloc(size);
    assert_int_equal(protobuf_c_message_pack(msg, bytes), size);
    *size_p = size;
    return bytes;
}

static ProtobufCMessage *
s_decode_ok(const ProtobufCMessageDescriptor *desc, const char *text)
{
    ProtobufCMessage *msg = NULL;
    char err[256] = "";
    bc_err rc = bc_json_decode(desc, text, strlen(text), &msg, err, sizeof err);
    if (rc != BC_OK) {
        fail_msg("decode of %s failed: %s", text, err);
    }
    assert_non_null(msg);
    return msg;
}

//  Decodes text, expecting code and an error line holding every one of the
//  NULL-terminated substrings; *msg_p must stay untouched.
static void
s_decode_fails(const ProtobufCMessageDescriptor *desc, const char *text, bc_err code, ...)
{
    ProtobufCMessage *sentinel = (ProtobufCMessage *) &sentinel;
    ProtobufCMessage *msg = sentinel;
    char err[256] = "";
    bc_err rc = bc_json_decode(desc, text, strlen(text), &msg, err, sizeof err);
    if (rc != code) {
        fail_msg("decode of %s: rc %d, want %d (%s)", text, (int) rc, (int) code, err);
    }
    assert_ptr_equal(msg, sentinel);
    va_list ap;
    va_start(ap, code);
    const char *want;
    while ((want = va_arg(ap, const char *)) != NULL) {
        if (!strstr(err, want)) {
            fail_msg("decode of %s: error \"%s\" lacks \"%s\"", text, err, want);
        }
    }
    va_end(ap);
}

//  Encodes msg (both layouts), decodes that, and checks the packed bytes are
//  the same and that encoding again gives the same text.
static void
s_assert_round_trip(const ProtobufCMessage *msg)
{
    size_t want_size;
    uint8_t *want = s_pack(msg, &want_size);
    for (int flags = 0; flags <= BC_JSON_PRETTY; flags++) {
        char *json = bc_json_encode(msg, flags);
        ProtobufCMessage *back = s_decode_ok(msg->descriptor, json);
        size_t got_size;
        uint8_t *got = s_pack(back, &got_size);
        assert_int_equal(got_size, want_size);
        assert_memory_equal(got, want, want_size);
        char *again = bc_json_encode(back, flags);
        assert_string_equal(again, json);
        free(again);
        free(got);
        protobuf_c_message_free_unpacked(back, NULL);
        free(json);
    }
    free(want);
}

static void
s_assert_contains(const char *text, const char *want)
{
    if (!strstr(text, want)) {
        fail_msg("\"%s\" not in:\n%s", want, text);
    }
}

//  ---------------------------------------------------------------------------
//  The coordinator's real request file

static void
test_sample_request(void **state)
{
    (void) state;
    size_t size;
    char *original = s_read_file(SAMPLE_FILE, &size);
    if (!original) {
        printf("skipped: ../shared/samples not present\n");
        skip();
    }
    //  Our schema names that flag if_applicable (and inverts it); the file
    //  as written must be refused, not silently stripped.
    s_decode_fails(&baocao__report_request__descriptor, original, BC_EINVAL,
                   "field \"outline[2].required\"", "unknown field", NULL);
    char *text = s_replace(original, "\"required\": false", "\"ifApplicable\": true");

    Baocao__ReportRequest *req = (Baocao__ReportRequest *)
        s_decode_ok(&baocao__report_request__descriptor, text);
    assert_int_equal(req->number, 1005);
    assert_string_equal(req->notation, "STTTT-TTBCXB");
    assert_string_equal(req->issuer->code, "000.00.07.H45");
    assert_string_equal(req->place, "Quảng Trị");
    assert_int_equal(req->kind, BAOCAO__REPORT_KIND__THEMATIC);
    assert_int_equal(req->priority, BAOCAO__PRIORITY__NORMAL);
    assert_int_equal(req->promulgation_date->year, 2022);
    assert_int_equal(req->promulgation_date->month, 8);
    assert_int_equal(req->promulgation_date->day, 5);

    assert_int_equal(req->n_legal_basis, 1);
    assert_int_equal(req->legal_basis[0]->number, 6);
    assert_string_equal(req->legal_basis[0]->notation, "CT-UBND");
    assert_int_equal(req->legal_basis[0]->date->year, 2019);
    assert_int_equal(req->legal_basis[0]->date->month, 5);
    assert_int_equal(req->legal_basis[0]->date->day, 7);

    assert_int_equal(req->n_recipients, 19);
    assert_string_equal(req->recipients[18]->name, "Ủy ban nhân dân huyện Gio Linh");
    assert_int_equal(req->n_outline, 4);
    assert_false(req->outline[1]->if_applicable);
    assert_true(req->outline[2]->if_applicable);
    assert_string_equal(req->outline[3]->guidance, "");
    assert_int_equal(req->n_indicators, 3);
    assert_int_equal(req->indicators[2]->aggregation, BAOCAO__AGGREGATION__SUM);
    assert_int_equal(req->data_cutoff->to->day, 14);
    assert_string_equal(req->contact->email, "");
    assert_string_equal(req->signer->name, "");

    int64_t utc_ms;
    assert_int_equal(bc_clock_parse_rfc3339("2022-08-15T10:00:00Z", &utc_ms), 0);
    assert_int_equal(req->deadline->unix_ms, utc_ms);
    assert_int_equal(req->deadline->unix_ms, SAMPLE_DEADLINE_MS);

    char *pretty = bc_json_encode(&req->base, BC_JSON_PRETTY);
    s_assert_contains(pretty, "\"deadline\": \"2022-08-15T17:00:00+07:00\"");
    s_assert_contains(pretty, "\"promulgationDate\": \"2022-08-05\"");
    s_assert_contains(pretty, "\"kind\": \"THEMATIC\"");
    s_assert_contains(pretty, "\"ifApplicable\": true");
    s_assert_contains(pretty, "\"place\": \"Quảng Trị\"");
    free(pretty);
    s_assert_round_trip(&req->base);

    protobuf_c_message_free_unpacked(&req->base, NULL);
    free(text);
    free(original);
}

//  ---------------------------------------------------------------------------
//  Round trips of messages built in memory

static void
test_request_round_trip(void **state)
{
    (void) state;
    Baocao__Agency issuer = BAOCAO__AGENCY__INIT;
    issuer.code = "000.00.07.H45";
    issuer.name = "Sở Thông tin và Truyền thông";
    Baocao__Agency r1 = BAOCAO__AGENCY__INIT, r2 = BAOCAO__AGENCY__INIT;
    r1.code = "000.00.04.H45";
    r1.name = "Sở Nội vụ";
    r2.code = "000.00.05.H45";
    Baocao__Agency *recipients[] = { &r1, &r2 };
    Baocao__Date promulgated = BAOCAO__DATE__INIT, cited = BAOCAO__DATE__INIT;
    promulgated.year = 2022, promulgated.month = 8, promulgated.day = 5;
    cited.year = 2019, cited.month = 5, cited.day = 7;
    Baocao__LegalRef ref = BAOCAO__LEGAL_REF__INIT;
    ref.kind = "Chỉ thị";
    ref.number = 6;
    ref.notation = "CT-UBND";
    ref.date = &cited;
    Baocao__LegalRef *refs[] = { &ref };
    Baocao__OutlineItem o1 = BAOCAO__OUTLINE_ITEM__INIT, o2 = BAOCAO__OUTLINE_ITEM__INIT;
    o1.number = "1";
    o1.title = "Công tác tuyên truyền";
    o2.number = "2";
    o2.if_applicable = 1;
    Baocao__OutlineItem *outline[] = { &o1, &o2 };
    Baocao__IndicatorDef ind = BAOCAO__INDICATOR_DEF__INIT;
    ind.code = "HOP_BAO";
    ind.unit = "cuộc";
    ind.aggregation = BAOCAO__AGGREGATION__AVERAGE;
    Baocao__IndicatorDef *indicators[] = { &ind };
    Baocao__Date from = BAOCAO__DATE__INIT, to = BAOCAO__DATE__INIT;
    from.year = 2021, from.month = 8, from.day = 15;
    to.year = 2024, to.month = 2, to.day = 29;
    Baocao__DateRange cutoff = BAOCAO__DATE_RANGE__INIT;
    cutoff.from = &from;
    cutoff.to = &to;
    Baocao__Timestamp deadline = BAOCAO__TIMESTAMP__INIT;
    deadline.unix_ms = SAMPLE_DEADLINE_MS + 123;    //  milliseconds survive
    Baocao__Contact contact = BAOCAO__CONTACT__INIT;
    contact.email = "tt@quangtri.gov.vn";
    Baocao__Signer signer = BAOCAO__SIGNER__INIT;
    signer.authority = "KT. GIÁM ĐỐC";

    Baocao__ReportRequest req = BAOCAO__REPORT_REQUEST__INIT;
    req.number = 1005;
    req.year = 2022;
    req.notation = "STTTT-TTBCXB";
    req.issuer = &issuer;
    req.place = "Quảng Trị";
    req.promulgation_date = &promulgated;
    req.document_type = "Công văn";
    req.kind = BAOCAO__REPORT_KIND__AD_HOC;
    req.subject = "Báo cáo \"tình hình\"\nthực hiện";
    req.n_legal_basis = 1;
    req.legal_basis = refs;
    req.n_recipients = 2;
    req.recipients = recipients;
    req.n_outline = 2;
    req.outline = outline;
    req.n_indicators = 1;
    req.indicators = indicators;
    req.data_cutoff = &cutoff;
    req.deadline = &deadline;
    req.priority = BAOCAO__PRIORITY__FLASH;
    req.contact = &contact;
    req.signer = &signer;
    req.free_text = "Tab\there, backslash \\ and slash /";

    char *json = bc_json_encode(&req.base, 0);
    s_assert_contains(json, "\"deadline\":\"2022-08-15T17:00:00.123+07:00\"");
    s_assert_contains(json, "\"dataCutoff\":{\"from\":\"2021-08-15\",\"to\":\"2024-02-29\"}");
    s_assert_contains(json, "\"kind\":\"AD_HOC\"");
    s_assert_contains(json, "\"priority\":\"FLASH\"");
    s_assert_contains(json, "\"aggregation\":\"AVERAGE\"");
    s_assert_contains(json, "\"subject\":\"Báo cáo \\\"tình hình\\\"\\nthực hiện\"");
    s_assert_contains(json, "{\"number\":\"2\",\"ifApplicable\":true}");
    free(json);
    s_assert_round_trip(&req.base);
}

static void
test_report_round_trip(void **state)
{
    (void) state;
    Baocao__Section leaf = BAOCAO__SECTION__INIT;
    leaf.number = "a";
    leaf.body = "Đoạn một.\nĐoạn hai.";
    Baocao__Section *leaves[] = { &leaf };
    Baocao__Section mid1 = BAOCAO__SECTION__INIT, mid2 = BAOCAO__SECTION__INIT;
    mid1.number = "1.1";
    mid1.n_children = 1;
    mid1.children = leaves;
    mid2.number = "1.2";
    mid2.title = "Khó khăn";
    Baocao__Section *mids[] = { &mid1, &mid2 };
    Baocao__Section top = BAOCAO__SECTION__INIT, other = BAOCAO__SECTION__INIT;
    top.number = "I";
    top.outline_item = "1";
    top.n_children = 2;
    top.children = mids;
    other.number = "-";
    Baocao__Section *sections[] = { &top, &other };

    static const double values[] = {
        12.5, 3, 0.1, -2.75, 1e20, 1e-7, 123456789.125, 1e15, DBL_MAX, DBL_MIN, -0.0,
        NAN, INFINITY, -INFINITY, 4503599627370497.0, 5e-324,
    };
    enum { N_VALUES = sizeof values / sizeof values[0] };
    Baocao__IndicatorValue ivs[N_VALUES];
    Baocao__IndicatorValue *ivp[N_VALUES];
    for (size_t i = 0; i < N_VALUES; i++) {
        baocao__indicator_value__init(&ivs[i]);
        ivs[i].code = "HOP_BAO";
        ivs[i].value = values[i];
        ivp[i] = &ivs[i];
    }

    //  Zero bytes inside and at the ends, every padding length.
    static uint8_t blob[] = { 0, 0, 0, 1, 2, 0, 0xFF, 0xFE, 0, 0x80 };
    static uint8_t digest[32];
    Baocao__Attachment atts[4];
    Baocao__Attachment *attp[4];
    static const size_t lens[] = { 10, 5, 4, 1 };
    for (size_t i = 0; i < 4; i++) {
        baocao__attachment__init(&atts[i]);
        atts[i].name = "tệp.bin";
        atts[i].media_type = "application/octet-stream";
        atts[i].data.data = blob;
        atts[i].data.len = lens[i];
        attp[i] = &atts[i];
    }
    atts[0].sha256.data = digest;                  //  32 zero bytes
    atts[0].sha256.len = sizeof digest;

    char *distribution[] = { "Như trên", "", "Lưu: VT" };
    Baocao__Timestamp created = BAOCAO__TIMESTAMP__INIT;
    created.unix_ms = -2208988800000LL + 86400000LL; //  1900-01-02, before the epoch
    Baocao__Date date = BAOCAO__DATE__INIT;
    date.year = 2022, date.month = 8, date.day = 12;

    Baocao__Report report = BAOCAO__REPORT__INIT;
    report.number = 77;
    report.notation = "BC-SNgV";
    report.date = &date;
    report.n_sections = 2;
    report.sections = sections;
    report.n_indicators = N_VALUES;
    report.indicators = ivp;
    report.n_distribution = 3;
    report.distribution = distribution;
    report.n_attachments = 4;
    report.attachments = attp;
    report.created_at = &created;
    report.revision = UINT32_MAX;

    char *json = bc_json_encode(&report.base, 0);
    s_assert_contains(json, "\"value\":12.5}");
    s_assert_contains(json, "\"value\":3.0}");
    s_assert_contains(json, "\"value\":0.1}");
    s_assert_contains(json, "\"value\":-2.75}");
    s_assert_contains(json, "\"value\":1e+20}");
    s_assert_contains(json, "\"value\":1000000000000000.0}");
    s_assert_contains(json, "\"value\":-0.0}");
    s_assert_contains(json, "\"value\":\"NaN\"}");
    s_assert_contains(json, "\"value\":\"-Infinity\"}");
    s_assert_contains(json, "\"data\":\"AAAAAQIA//4AgA==\"");
    s_assert_contains(json, "\"data\":\"AAAAAQI=\"");
    s_assert_contains(json, "\"data\":\"AAAAAQ==\"");
    s_assert_contains(json, "\"data\":\"AA==\"");
    s_assert_contains(json, "\"sha256\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"");
    s_assert_contains(json, "\"distribution\":[\"Như trên\",\"\",\"Lưu: VT\"]");
    s_assert_contains(json, "\"createdAt\":\"1900-01-02T07:00:00+07:00\"");
    s_assert_contains(json, "\"revision\":4294967295");
    s_assert_contains(json, "\"children\":[{\"number\":\"1.1\",\"children\":[{\"number\":\"a\"");
    free(json);
    s_assert_round_trip(&report.base);

    //  A whole number given as a JSON integer reads as a double too.
    Baocao__IndicatorValue *iv = (Baocao__IndicatorValue *)
        s_decode_ok(&baocao__indicator_value__descriptor, "{\"value\": 3}");
    assert_true(iv->value == 3.0);
    protobuf_c_message_free_unpacked(&iv->base, NULL);
}

static void
test_envelope_round_trip(void **state)
{
    (void) state;
    Baocao__Date date = BAOCAO__DATE__INIT;
    date.year = 2022, date.month = 8, date.day = 5;
    Baocao__RequestRef ref = BAOCAO__REQUEST_REF__INIT;
    ref.issuer_code = "000.00.07.H45";
    ref.promulgation_date = &date;
    ref.number = 1005;
    ref.notation = "STTTT-TTBCXB";
    Baocao__Ack ack = BAOCAO__ACK__INIT;
    ack.in_reply_to = "0123456789abcdef0123456789abcdef";
    ack.ref = &ref;
    ack.seq = UINT64_MAX;
    ack.revision = 2;
    ack.duplicate = 1;
    Baocao__Timestamp sent = BAOCAO__TIMESTAMP__INIT;
    sent.unix_ms = SAMPLE_DEADLINE_MS;
    Baocao__Envelope env = BAOCAO__ENVELOPE__INIT;
    env.version = 1;
    env.id = "fedcba9876543210fedcba9876543210";
    env.sent_at = &sent;
    env.body_case = BAOCAO__ENVELOPE__BODY_ACK;
    env.ack = &ack;

    char *json = bc_json_encode(&env.base, 0);
    s_assert_contains(json, "\"ack\":{\"inReplyTo\":");
    s_assert_contains(json, "\"seq\":\"18446744073709551615\"");
    s_assert_contains(json, "\"sentAt\":\"2022-08-15T17:00:00+07:00\"");
    free(json);
    s_assert_round_trip(&env.base);

    ack.seq = (1ULL << 53) + 1;                    //  a double would lose the 1
    s_assert_round_trip(&env.base);

    //  An empty message selected in the oneof is still written: {}.
    Baocao__Heartbeat beat = BAOCAO__HEARTBEAT__INIT;
    env.body_case = BAOCAO__ENVELOPE__BODY_HEARTBEAT;
    env.heartbeat = &beat;
    json = bc_json_encode(&env.base, 0);
    s_assert_contains(json, "\"heartbeat\":{}");
    free(json);
    s_assert_round_trip(&env.base);

    Baocao__Envelope *back = (Baocao__Envelope *) s_decode_ok(&baocao__envelope__descriptor,
        "{\"version\": 1, \"bye\": {}, \"hello\": null}");
    assert_int_equal(back->body_case, BAOCAO__ENVELOPE__BODY_BYE);
    assert_non_null(back->bye);
    protobuf_c_message_free_unpacked(&back->base, NULL);

    //  uint64 given as a JSON number, and as a string, reads the same.
    back = (Baocao__Envelope *) s_decode_ok(&baocao__envelope__descriptor,
        "{\"ack\": {\"seq\": 42}}");
    assert_int_equal(back->body_case, BAOCAO__ENVELOPE__BODY_ACK);
    assert_int_equal(back->ack->seq, 42);
    protobuf_c_message_free_unpacked(&back->base, NULL);
    back = (Baocao__Envelope *) s_decode_ok(&baocao__envelope__descriptor,
        "{\"ack\": {\"seq\": \"18446744073709551615\"}}");
    assert_true(back->ack->seq == UINT64_MAX);
    protobuf_c_message_free_unpacked(&back->base, NULL);
}

//  ---------------------------------------------------------------------------
//  Defaults, names, text

static void
test_defaults_omitted(void **state)
{
    (void) state;
    Baocao__OutlineItem blank = BAOCAO__OUTLINE_ITEM__INIT;
    Baocao__OutlineItem *outline[] = { &blank };
    Baocao__ReportRequest req = BAOCAO__REPORT_REQUEST__INIT;
    char *json = bc_json_encode(&req.base, 0);
    assert_string_equal(json, "{}");
    free(json);
    json = bc_json_encode(&req.base, BC_JSON_PRETTY);
    assert_string_equal(json, "{}");
    free(json);

    req.number = 0;
    req.notation = "";
    req.kind = BAOCAO__REPORT_KIND__REPORT_KIND_UNSPECIFIED;
    req.n_outline = 1;
    req.outline = outline;
    json = bc_json_encode(&req.base, 0);
    assert_string_equal(json, "{\"outline\":[{}]}");
    free(json);

    req.number = 5;
    req.notation = "X";
    json = bc_json_encode(&req.base, BC_JSON_PRETTY);
    assert_string_equal(json, "{\n  \"number\": 5,\n  \"notation\": \"X\",\n"
                              "  \"outline\": [\n    {}\n  ]\n}");
    free(json);

    //  Explicit defaults read back as unset: nothing to pack.
    ProtobufCMessage *msg = s_decode_ok(&baocao__report_request__descriptor,
        "{\"number\": 0, \"notation\": \"\", \"kind\": \"REPORT_KIND_UNSPECIFIED\","
        " \"recipients\": [], \"outline\": [], \"freeText\": \"\"}");
    assert_int_equal(protobuf_c_message_get_packed_size(msg), 0);
    json = bc_json_encode(msg, 0);
    assert_string_equal(json, "{}");
    free(json);
    protobuf_c_message_free_unpacked(msg, NULL);
}

static void
test_null_means_unset(void **state)
{
    (void) state;
    Baocao__ReportRequest *req = (Baocao__ReportRequest *) s_decode_ok(
        &baocao__report_request__descriptor,
        "{\"number\": null, \"issuer\": null, \"recipients\": null, \"deadline\": null,"
        " \"promulgationDate\": null, \"kind\": null, \"notation\": null}");
    assert_int_equal(req->number, 0);
    assert_null(req->issuer);
    assert_int_equal(req->n_recipients, 0);
    assert_null(req->deadline);
    assert_null(req->promulgation_date);
    assert_string_equal(req->notation, "");
    protobuf_c_message_free_unpacked(&req->base, NULL);
}

static void
test_vietnamese_byte_exact(void **state)
{
    (void) state;
    static const char *texts[] = {
        "Sở Thông tin và Truyền thông tỉnh Quảng Trị",
        //  NFD (decomposed) stays NFD: the converter never normalises.
        "Tie\xCC\x82\xCC\x81ng Vie\xCC\xA3\xCC\x82t",
        "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC — «hỏa tốc» 🇻🇳 €",
        "quote \" backslash \\ controls \x01\x1f\t\r\n del \x7f sep \xE2\x80\xA8 end",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        Baocao__Agency agency = BAOCAO__AGENCY__INIT;
        agency.code = "000.00.07.H45";
        agency.name = (char *) texts[i];
        char *json = bc_json_encode(&agency.base, 0);
        Baocao__Agency *back = (Baocao__Agency *) s_decode_ok(&baocao__agency__descriptor, json);
        assert_int_equal(strlen(back->name), strlen(texts[i]));
        assert_memory_equal(back->name, texts[i], strlen(texts[i]));
        protobuf_c_message_free_unpacked(&back->base, NULL);
        free(json);
        s_assert_round_trip(&agency.base);
    }
    Baocao__Agency agency = BAOCAO__AGENCY__INIT;
    agency.name = (char *) texts[0];
    char *json = bc_json_encode(&agency.base, 0);
    s_assert_contains(json, "\"Sở Thông tin");            //  raw UTF-8, no \u escapes
    free(json);
    agency.name = (char *) texts[3];
    json = bc_json_encode(&agency.base, 0);
    s_assert_contains(json, "quote \\\" backslash \\\\ controls \\u0001\\u001f\\t\\r\\n del");
    free(json);
    //  \u escapes in the input are decoded, surrogate pairs included.
    Baocao__Agency *back = (Baocao__Agency *) s_decode_ok(&baocao__agency__descriptor,
        "{\"name\": \"S\\u1edf \\ud83c\\uddfb\"}");
    assert_string_equal(back->name, "Sở 🇻");
    protobuf_c_message_free_unpacked(&back->base, NULL);
}

static void
test_proto_names_and_enum_numbers(void **state)
{
    (void) state;
    Baocao__ReportRequest *req = (Baocao__ReportRequest *) s_decode_ok(
        &baocao__report_request__descriptor,
        "{\"promulgation_date\": \"2022-08-05\", \"legal_basis\": [{\"number\": \"6\"}],"
        " \"kind\": 2, \"priority\": 3, \"number\": 1005.0, \"document_type\": \"Công văn\","
        " \"outline\": [{\"if_applicable\": true}, {\"ifApplicable\": false}],"
        " \"indicators\": [{\"aggregation\": 4}], \"free_text\": \"x\"}");
    assert_int_equal(req->promulgation_date->day, 5);
    assert_int_equal(req->legal_basis[0]->number, 6);
    assert_int_equal(req->kind, BAOCAO__REPORT_KIND__THEMATIC);
    assert_int_equal(req->priority, BAOCAO__PRIORITY__FLASH);
    assert_int_equal(req->number, 1005);
    assert_string_equal(req->document_type, "Công văn");
    assert_true(req->outline[0]->if_applicable);
    assert_false(req->outline[1]->if_applicable);
    assert_int_equal(req->indicators[0]->aggregation, BAOCAO__AGGREGATION__MAX);
    assert_string_equal(req->free_text, "x");
    //  Output always uses json_name and enum names.
    char *json = bc_json_encode(&req->base, 0);
    s_assert_contains(json, "\"promulgationDate\":\"2022-08-05\"");
    s_assert_contains(json, "\"kind\":\"THEMATIC\"");
    s_assert_contains(json, "\"aggregation\":\"MAX\"");
    s_assert_contains(json, "\"freeText\":\"x\"");
    free(json);
    protobuf_c_message_free_unpacked(&req->base, NULL);

    //  int64 inside Timestamp, read as a plain message at the top.
    Baocao__Timestamp *ts = (Baocao__Timestamp *) s_decode_ok(&baocao__timestamp__descriptor,
        "{\"unix_ms\": \"-9223372036854775808\"}");
    assert_true(ts->unix_ms == INT64_MIN);
    protobuf_c_message_free_unpacked(&ts->base, NULL);
    ts = (Baocao__Timestamp *) s_decode_ok(&baocao__timestamp__descriptor,
        "{\"unixMs\": 9223372036854775807}");
    assert_true(ts->unix_ms == INT64_MAX);
    protobuf_c_message_free_unpacked(&ts->base, NULL);
}

//  ---------------------------------------------------------------------------
//  Refusals

static void
test_reject_syntax(void **state)
{
    (void) state;
    const ProtobufCMessageDescriptor *desc = &baocao__report_request__descriptor;
    s_decode_fails(desc, "{\n  \"number\": 1,\n}", BC_EINVAL, "line 3: ", NULL);
    s_decode_fails(desc, "{\"number\": 1", BC_EINVAL, "line 1: ", NULL);
    s_decode_fails(desc, "", BC_EINVAL, "line 1: ", NULL);
    s_decode_fails(desc, "{} {}", BC_EINVAL, "line 1: ", NULL);
    s_decode_fails(desc, "{\"notation\": \"\xC3\x28\"}", BC_EINVAL, "line 1: ", NULL);
    s_decode_fails(desc, "{\"notation\": \"\xED\xA0\x80\"}", BC_EINVAL, "line 1: ", NULL);
    s_decode_fails(desc, "{\"notation\": \"a\\u0000b\"}", BC_EINVAL, "line 1: ", NULL);
    s_decode_fails(desc, "{\"number\": 1, \"number\": 2}", BC_EINVAL, "duplicate", NULL);
    s_decode_fails(desc, "[]", BC_EINVAL, "expected a JSON object", NULL);

    //  size, not the NUL, ends the text.
    ProtobufCMessage *msg = NULL;
    const char text[] = "{\"number\": 7}garbage";
    assert_int_equal(bc_json_decode(desc, text, 13, &msg, NULL, 0), BC_OK);
    assert_int_equal(((Baocao__ReportRequest *) msg)->number, 7);
    protobuf_c_message_free_unpacked(msg, NULL);
}

static void
test_reject_fields(void **state)
{
    (void) state;
    const ProtobufCMessageDescriptor *desc = &baocao__report_request__descriptor;
    s_decode_fails(desc, "{\"numbr\": 1}", BC_EINVAL,
                   "field \"numbr\": unknown field in baocao.ReportRequest", NULL);
    s_decode_fails(desc, "{\"outline\": [{}, {\"Title\": \"x\"}]}", BC_EINVAL,
                   "field \"outline[1].Title\": unknown field in baocao.OutlineItem", NULL);
    s_decode_fails(desc, "{\"dataCutoff\": {\"from_\": \"2022-01-01\"}}", BC_EINVAL,
                   "field \"dataCutoff.from_\": unknown field", NULL);
    s_decode_fails(desc, "{\"legalBasis\": [], \"legal_basis\": []}", BC_EINVAL,
                   "field \"legal_basis\"", "twice", NULL);
    //  An unknown key is quoted back safely: no quote or control character.
    s_decode_fails(desc, "{\"a\\\"b\\n\": 1}", BC_EINVAL, "field \"a?b?\": unknown field", NULL);
    s_decode_fails(&baocao__envelope__descriptor, "{\"hello\": {}, \"bye\": {}}", BC_EINVAL,
                   "field \"bye\"", "oneof", "\"hello\"", NULL);
    s_decode_fails(&baocao__envelope__descriptor,
                   "{\"ack\": {\"seq\": \"1\"}, \"error\": {\"code\": \"INVALID\"}}",
                   BC_EINVAL, "field \"error\"", "oneof", NULL);
}

static void
test_reject_types(void **state)
{
    (void) state;
    const ProtobufCMessageDescriptor *desc = &baocao__report_request__descriptor;
    s_decode_fails(desc, "{\"recipients\": [{}, {}, {}, {\"code\": 5}]}", BC_EINVAL,
                   "field \"recipients[3].code\": expected a string", NULL);
    s_decode_fails(desc, "{\"recipients\": {}}", BC_EINVAL,
                   "field \"recipients\": expected a list", NULL);
    s_decode_fails(desc, "{\"recipients\": [null]}", BC_EINVAL,
                   "field \"recipients[0]\": null is not allowed", NULL);
    s_decode_fails(desc, "{\"recipients\": [\"x\"]}", BC_EINVAL,
                   "field \"recipients[0]\": expected an object", NULL);
    s_decode_fails(desc, "{\"issuer\": \"000.00.07.H45\"}", BC_EINVAL,
                   "field \"issuer\": expected an object", NULL);
    s_decode_fails(desc, "{\"issuer\": []}", BC_EINVAL, "expected an object", NULL);
    s_decode_fails(desc, "{\"number\": true}", BC_EINVAL,
                   "field \"number\": expected an integer", NULL);
    s_decode_fails(desc, "{\"number\": [1]}", BC_EINVAL, "expected an integer", NULL);
    s_decode_fails(desc, "{\"notation\": 12}", BC_EINVAL, "expected a string", NULL);
    s_decode_fails(desc, "{\"notation\": [\"a\"]}", BC_EINVAL, "expected a string", NULL);
    s_decode_fails(desc, "{\"outline\": [{\"ifApplicable\": 1}]}", BC_EINVAL,
                   "field \"outline[0].ifApplicable\": expected true or false", NULL);
    s_decode_fails(desc, "{\"outline\": [{\"ifApplicable\": \"true\"}]}", BC_EINVAL,
                   "expected true or false", NULL);
    s_decode_fails(desc, "{\"kind\": true}", BC_EINVAL, "field \"kind\": expected a", NULL);
    s_decode_fails(desc, "{\"deadline\": 1660557600000}", BC_EINVAL,
                   "field \"deadline\": expected an RFC 3339 time string", NULL);
    s_decode_fails(desc, "{\"deadline\": {\"unixMs\": \"1\"}}", BC_EINVAL,
                   "expected an RFC 3339 time string", NULL);
    s_decode_fails(desc, "{\"promulgationDate\": {\"year\": 2022}}", BC_EINVAL,
                   "field \"promulgationDate\": expected a date string", NULL);
    s_decode_fails(&baocao__indicator_value__descriptor, "{\"value\": \"12.5\"}", BC_EINVAL,
                   "field \"value\": expected a number", NULL);
    s_decode_fails(&baocao__indicator_value__descriptor, "{\"value\": false}", BC_EINVAL,
                   "field \"value\": expected a number", NULL);
    s_decode_fails(&baocao__attachment__descriptor, "{\"data\": [0, 1]}", BC_EINVAL,
                   "field \"data\": expected a base64 string", NULL);
}

static void
test_reject_numbers(void **state)
{
    (void) state;
    const ProtobufCMessageDescriptor *desc = &baocao__report_request__descriptor;
    s_decode_fails(desc, "{\"number\": 4294967296}", BC_EINVAL,
                   "field \"number\": 4294967296 is out of range for uint32", NULL);
    s_decode_fails(desc, "{\"number\": -1}", BC_EINVAL, "-1 is out of range for uint32", NULL);
    s_decode_fails(desc, "{\"number\": \"-1\"}", BC_EINVAL, "out of range for uint32", NULL);
    s_decode_fails(desc, "{\"number\": 1e10}", BC_EINVAL, "out of range for uint32", NULL);
    s_decode_fails(desc, "{\"number\": 1.5}", BC_EINVAL, "field \"number\": not an integer", NULL);
    s_decode_fails(desc, "{\"number\": 1005.0001}", BC_EINVAL, "not an integer", NULL);
    s_decode_fails(desc, "{\"number\": \"12a\"}", BC_EINVAL, "not an integer", NULL);
    s_decode_fails(desc, "{\"number\": \"\"}", BC_EINVAL, "not an integer", NULL);
    s_decode_fails(desc, "{\"number\": \" 1\"}", BC_EINVAL, "not an integer", NULL);
    s_decode_fails(desc, "{\"number\": \"1.0\"}", BC_EINVAL, "not an integer", NULL);
    s_decode_fails(desc, "{\"legalBasis\": [{\"year\": 99999999999999999999}]}", BC_EINVAL,
                   "line 1", NULL);                 //  past json_int_t: jansson's own error
    s_decode_fails(&baocao__envelope__descriptor, "{\"ack\": {\"seq\": \"18446744073709551616\"}}",
                   BC_EINVAL, "field \"ack.seq\": out of range for uint64", NULL);
    s_decode_fails(&baocao__envelope__descriptor, "{\"ack\": {\"seq\": -5}}",
                   BC_EINVAL, "-5 is out of range for uint64", NULL);
    s_decode_fails(&baocao__envelope__descriptor, "{\"ack\": {\"seq\": 1.8446744073709552e19}}",
                   BC_EINVAL, "out of range for uint64", NULL);
    s_decode_fails(&baocao__timestamp__descriptor, "{\"unixMs\": \"9223372036854775808\"}",
                   BC_EINVAL, "9223372036854775808 is out of range for int64", NULL);
    s_decode_fails(&baocao__timestamp__descriptor, "{\"unixMs\": \"-9223372036854775809\"}",
                   BC_EINVAL, "out of range for int64", NULL);
    s_decode_fails(&baocao__timestamp__descriptor, "{\"unixMs\": 9.3e18}",
                   BC_EINVAL, "out of range for int64", NULL);
    s_decode_fails(&baocao__indicator_value__descriptor, "{\"value\": 1e999}", BC_EINVAL,
                   "line 1", NULL);
}

static void
test_reject_enums(void **state)
{
    (void) state;
    const ProtobufCMessageDescriptor *desc = &baocao__report_request__descriptor;
    s_decode_fails(desc, "{\"kind\": \"THEMATICC\"}", BC_EINVAL,
                   "field \"kind\": \"THEMATICC\" is not a name in baocao.ReportKind", NULL);
    s_decode_fails(desc, "{\"kind\": \"thematic\"}", BC_EINVAL, "not a name", NULL);
    s_decode_fails(desc, "{\"kind\": \"BAOCAO__REPORT_KIND__THEMATIC\"}", BC_EINVAL,
                   "not a name", NULL);
    s_decode_fails(desc, "{\"kind\": \"2\"}", BC_EINVAL, "not a name", NULL);
    s_decode_fails(desc, "{\"kind\": 7}", BC_EINVAL,
                   "field \"kind\": 7 is not a value of baocao.ReportKind", NULL);
    s_decode_fails(desc, "{\"kind\": -1}", BC_EINVAL, "not a value", NULL);
    s_decode_fails(desc, "{\"kind\": 4294967298}", BC_EINVAL, "not a value", NULL);
    s_decode_fails(desc, "{\"kind\": 2.0}", BC_EINVAL, "expected a baocao.ReportKind name", NULL);
    s_decode_fails(desc, "{\"indicators\": [{\"aggregation\": \"SUMM\"}]}", BC_EINVAL,
                   "field \"indicators[0].aggregation\"", "baocao.Aggregation", NULL);
}

static void
test_reject_base64(void **state)
{
    (void) state;
    const ProtobufCMessageDescriptor *desc = &baocao__attachment__descriptor;
    s_decode_fails(desc, "{\"data\": \"abc!\"}", BC_EINVAL, "field \"data\": invalid base64", NULL);
    s_decode_fails(desc, "{\"data\": \"abcde\"}", BC_EINVAL, "invalid base64", NULL);
    s_decode_fails(desc, "{\"data\": \"ab=c\"}", BC_EINVAL, "invalid base64", NULL);
    s_decode_fails(desc, "{\"data\": \"abc==\"}", BC_EINVAL, "invalid base64", NULL);
    s_decode_fails(desc, "{\"data\": \"a===\"}", BC_EINVAL, "invalid base64", NULL);
    s_decode_fails(desc, "{\"data\": \"====\"}", BC_EINVAL, "invalid base64", NULL);
    s_decode_fails(desc, "{\"data\": \"AAAA AAAA\"}", BC_EINVAL, "invalid base64", NULL);
    s_decode_fails(&baocao__report__descriptor,
                   "{\"attachments\": [{\"data\": \"AA==\"}, {\"sha256\": \"A\"}]}", BC_EINVAL,
                   "field \"attachments[1].sha256\": invalid base64", NULL);

    //  Unpadded and URL-safe forms are read; "" is no bytes.
    Baocao__Attachment *att = (Baocao__Attachment *) s_decode_ok(desc,
        "{\"data\": \"AAAAAQI\", \"sha256\": \"-_8\"}");
    assert_int_equal(att->data.len, 5);
    assert_memory_equal(att->data.data, "\0\0\0\1\2", 5);
    assert_int_equal(att->sha256.len, 2);
    assert_memory_equal(att->sha256.data, "\xfb\xff", 2);
    protobuf_c_message_free_unpacked(&att->base, NULL);
    att = (Baocao__Attachment *) s_decode_ok(desc, "{\"data\": \"\"}");
    assert_int_equal(att->data.len, 0);
    protobuf_c_message_free_unpacked(&att->base, NULL);
}

static void
test_reject_dates_and_times(void **state)
{
    (void) state;
    const ProtobufCMessageDescriptor *desc = &baocao__report_request__descriptor;
    s_decode_fails(desc, "{\"promulgationDate\": \"2022-02-30\"}", BC_EINVAL,
                   "field \"promulgationDate\": 2022-02-30 is not a calendar date", NULL);
    s_decode_fails(desc, "{\"promulgationDate\": \"2022-8-5\"}", BC_EINVAL,
                   "not a date \"YYYY-MM-DD\"", NULL);
    s_decode_fails(desc, "{\"promulgationDate\": \"1899-12-31\"}", BC_EINVAL,
                   "not a calendar date", NULL);
    s_decode_fails(desc, "{\"promulgationDate\": \"2022-08-05T00:00:00Z\"}", BC_EINVAL,
                   "not a date", NULL);
    s_decode_fails(desc, "{\"legalBasis\": [{\"date\": \"07/05/2019\"}]}", BC_EINVAL,
                   "field \"legalBasis[0].date\": not a date", NULL);
    s_decode_fails(desc, "{\"deadline\": \"tomorrow\"}", BC_EINVAL,
                   "field \"deadline\": not an RFC 3339 time", NULL);
    s_decode_fails(desc, "{\"deadline\": \"2022-08-15T17:00:00\"}", BC_EINVAL,
                   "not an RFC 3339 time", NULL);
    s_decode_fails(desc, "{\"deadline\": \"2022-08-15T25:00:00Z\"}", BC_EINVAL,
                   "not an RFC 3339 time", NULL);
    s_decode_fails(desc, "{\"deadline\": \"1900-01-01T00:00:00+08:00\"}", BC_EINVAL,
                   "time out of range", NULL);

    //  Any offset is read; output is in +07:00.
    Baocao__ReportRequest *req = (Baocao__ReportRequest *) s_decode_ok(desc,
        "{\"deadline\": \"2022-08-15T10:00:00.5Z\", \"promulgationDate\": \"2024-02-29\"}");
    assert_int_equal(req->deadline->unix_ms, SAMPLE_DEADLINE_MS + 500);
    char *json = bc_json_encode(&req->base, 0);
    s_assert_contains(json, "\"deadline\":\"2022-08-15T17:00:00.500+07:00\"");
    free(json);
    protobuf_c_message_free_unpacked(&req->base, NULL);
}

//  Report with n sections, each the only child of the one before.
static char *
s_nested_report(int n)
{
    bc_buf_t buf;
    bc_buf_init(&buf);
    bc_buf_puts(&buf, "{\"sections\":");
    for (int i = 0; i < n; i++) {
        bc_buf_printf(&buf, "[{\"number\":\"%d\",\"children\":", i + 1);
    }
    bc_buf_puts(&buf, "[]");
    for (int i = 0; i < n; i++) {
        bc_buf_puts(&buf, "}]");
    }
    bc_buf_puts(&buf, "}");
    return bc_buf_take(&buf);
}

static void
test_depth_limit(void **state)
{
    (void) state;
    //  The report is level 1, so 31 nested sections reach the limit exactly.
    char *text = s_nested_report(BC_JSON_MAX_DEPTH - 1);
    ProtobufCMessage *msg = s_decode_ok(&baocao__report__descriptor, text);
    s_assert_round_trip(msg);
    protobuf_c_message_free_unpacked(msg, NULL);
    free(text);

    text = s_nested_report(BC_JSON_MAX_DEPTH);
    s_decode_fails(&baocao__report__descriptor, text, BC_EINVAL,
                   "nesting deeper than 32 levels", "field \"sections[0].children[0].children[0]",
                   NULL);
    free(text);
    text = s_nested_report(5000);                   //  past jansson's own limit too
    s_decode_fails(&baocao__report__descriptor, text, BC_EINVAL, NULL);
    free(text);

    //  A deeper message built in memory still encodes: the part past the
    //  limit is left out, so the text reads back.
    enum { DEEP = BC_JSON_MAX_DEPTH + 8 };
    Baocao__Section sections[DEEP];
    Baocao__Section *links[DEEP];
    for (int i = 0; i < DEEP; i++) {
        baocao__section__init(&sections[i]);
        sections[i].number = "x";
        links[i] = &sections[i];
        if (i > 0) {
            sections[i - 1].n_children = 1;
            sections[i - 1].children = &links[i];
        }
    }
    Baocao__Report report = BAOCAO__REPORT__INIT;
    report.n_sections = 1;
    report.sections = links;
    char *json = bc_json_encode(&report.base, 0);
    assert_null(strstr(json, "null"));
    s_assert_contains(json, "{\"number\":\"x\"}]}]");
    msg = s_decode_ok(&baocao__report__descriptor, json);
    protobuf_c_message_free_unpacked(msg, NULL);
    free(json);
}

static void
test_too_big(void **state)
{
    (void) state;
    size_t size = (size_t) BC_JSON_MAX_INPUT + 1;
    char *text = bc_malloc(size);
    memset(text, ' ', size);
    text[0] = '{';
    text[size - 1] = '}';
    ProtobufCMessage *msg = NULL;
    char err[128];
    assert_int_equal(bc_json_decode(&baocao__report__descriptor, text, size, &msg,
                                    err, sizeof err), BC_ETOOBIG);
    assert_null(msg);
    s_assert_contains(err, "over the 16777216 byte limit");
    //  At the limit it is read.
    assert_int_equal(bc_json_decode(&baocao__report__descriptor, text + 1, size - 1, &msg,
                                    err, sizeof err), BC_EINVAL);
    text[1] = '{';
    assert_int_equal(bc_json_decode(&baocao__report__descriptor, text + 1, size - 1, &msg,
                                    err, sizeof err), BC_OK);
    protobuf_c_message_free_unpacked(msg, NULL);
    free(text);
}

static void
test_error_buffer(void **state)
{
    (void) state;
    const char *text = "{\"recipients\": [{}, {\"code\": 5}]}";
    ProtobufCMessage *msg = NULL;
    assert_int_equal(bc_json_decode(&baocao__report_request__descriptor, text, strlen(text),
                                    &msg, NULL, 0), BC_EINVAL);
    char small[12];
    memset(small, 'z', sizeof small);
    assert_int_equal(bc_json_decode(&baocao__report_request__descriptor, text, strlen(text),
                                    &msg, small, sizeof small), BC_EINVAL);
    assert_string_equal(small, "field \"reci");
    assert_null(msg);
    //  A cut never splits a UTF-8 character.
    text = "{\"kind\": \"ĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐ\"}";
    char err[23];
    assert_int_equal(bc_json_decode(&baocao__report_request__descriptor, text, strlen(text),
                                    &msg, err, sizeof err), BC_EINVAL);
    assert_string_equal(err, "field \"kind\": \"ĐĐĐ");
}

static void
test_unusual_messages_encode(void **state)
{
    (void) state;
    //  Not a calendar date, a time outside 1900..9999, bad UTF-8: no crash,
    //  nothing lost, and decode refuses the odd parts.
    Baocao__Date date = BAOCAO__DATE__INIT;
    date.month = 13;
    Baocao__Timestamp ts = BAOCAO__TIMESTAMP__INIT;
    ts.unix_ms = INT64_MIN;
    Baocao__ReportRequest req = BAOCAO__REPORT_REQUEST__INIT;
    req.promulgation_date = &date;
    req.deadline = &ts;
    req.notation = "bad \xC3\x28 \xF5\x80 end \xE2\x82";
    req.kind = 42;                                  //  from a newer schema
    char *json = bc_json_encode(&req.base, 0);
    s_assert_contains(json, "\"notation\":\"bad \xEF\xBF\xBD( \xEF\xBF\xBD\xEF\xBF\xBD end "
                            "\xEF\xBF\xBD\xEF\xBF\xBD\"");
    s_assert_contains(json, "\"kind\":42");
    s_assert_contains(json, "\"promulgationDate\":{\"month\":13}");
    s_assert_contains(json, "\"deadline\":{\"unixMs\":\"-9223372036854775808\"}");
    s_decode_fails(&baocao__report_request__descriptor, json, BC_EINVAL,
                   "field \"promulgationDate\"", NULL);
    free(json);

    ts.unix_ms = INT64_MAX;
    req.promulgation_date = NULL;
    req.kind = 0;
    req.notation = "";
    json = bc_json_encode(&req.base, BC_JSON_PRETTY);
    assert_string_equal(json, "{\n  \"deadline\": {\n    \"unixMs\": \"9223372036854775807\"\n  }\n}");
    free(json);

    Baocao__IndicatorValue iv = BAOCAO__INDICATOR_VALUE__INIT;
    iv.value = 0.0;
    json = bc_json_encode(&iv.base, 0);
    assert_string_equal(json, "{}");
    free(json);
}

//  Every prefix and many one-byte changes of a rich message: each decode
//  either fails cleanly or gives a message that encodes and decodes again.
//  Under ASan this is the leak and overflow check of every error path.
static void
test_damaged_input(void **state)
{
    (void) state;
    size_t size;
    char *text = s_read_file(SAMPLE_FILE, &size);
    if (text) {
        char *fixed = s_replace(text, "\"required\": false", "\"ifApplicable\": true");
        free(text);
        text = fixed;
        size = strlen(text);
    }
    else {
        text = bc_strdup("{\"number\": 1005, \"notation\": \"STTTT-TTBCXB\","
                         " \"recipients\": [{\"code\": \"000.00.04.H45\", \"name\": \"Sở Nội vụ\"}],"
                         " \"deadline\": \"2022-08-15T17:00:00+07:00\", \"kind\": \"THEMATIC\","
                         " \"outline\": [{\"number\": \"1\", \"ifApplicable\": true}],"
                         " \"promulgationDate\": \"2022-08-05\"}");
        size = strlen(text);
    }
    static const char noise[] = { '"', '{', '}', '[', ']', ',', ':', '0', '-', 'x', '\\',
                                  '\x80', ' ', 'n', 'e', '.' };
    unsigned seed = 12345;
    int accepted = 0;
    for (size_t round = 0; round < 2 * size + 2000; round++) {
        ProtobufCMessage *msg = NULL;
        char err[200];
        bc_err rc;
        if (round <= size) {
            rc = bc_json_decode(&baocao__report_request__descriptor, text, round, &msg,
                                err, sizeof err);
        }
        else {
            char *copy = bc_malloc(size);
            memcpy(copy, text, size);
            for (int k = 0; k < 1 + (int) (round % 3); k++) {
                seed = seed * 1103515245u + 12345u;
                size_t at = (seed >> 8) % size;
                seed = seed * 1103515245u + 12345u;
                copy[at] = noise[(seed >> 8) % sizeof noise];
            }
            rc = bc_json_decode(&baocao__report_request__descriptor, copy, size, &msg,
                                err, sizeof err);
            free(copy);
        }
        if (rc == BC_OK) {
            accepted++;
            char *json = bc_json_encode(msg, 0);
            ProtobufCMessage *again = s_decode_ok(&baocao__report_request__descriptor, json);
            protobuf_c_message_free_unpacked(again, NULL);
            free(json);
            protobuf_c_message_free_unpacked(msg, NULL);
        }
        else {
            assert_int_equal(rc, BC_EINVAL);
            assert_null(msg);
            assert_true(err[0] != '\0');
        }
    }
    assert_true(accepted > 0);
    free(text);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_request),
        cmocka_unit_test(test_request_round_trip),
        cmocka_unit_test(test_report_round_trip),
        cmocka_unit_test(test_envelope_round_trip),
        cmocka_unit_test(test_defaults_omitted),
        cmocka_unit_test(test_null_means_unset),
        cmocka_unit_test(test_vietnamese_byte_exact),
        cmocka_unit_test(test_proto_names_and_enum_numbers),
        cmocka_unit_test(test_reject_syntax),
        cmocka_unit_test(test_reject_fields),
        cmocka_unit_test(test_reject_types),
        cmocka_unit_test(test_reject_numbers),
        cmocka_unit_test(test_reject_enums),
        cmocka_unit_test(test_reject_base64),
        cmocka_unit_test(test_reject_dates_and_times),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_too_big),
        cmocka_unit_test(test_error_buffer),
        cmocka_unit_test(test_unusual_messages_encode),
        cmocka_unit_test(test_damaged_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
