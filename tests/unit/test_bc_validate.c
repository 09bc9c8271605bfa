//  test_bc_validate - request and report checks, request keys and wire framing
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bc_alloc.h"
#include "bc_fs.h"
#include "bc_json.h"
#include "bc_reqkey.h"
#include "bc_validate.h"
#include "bc_wire.h"

static Baocao__ReportRequest *
s_demo_request(void)
{
    char *text = NULL;
    size_t size = 0;
    assert_int_equal(bc_fs_read(BC_DEMO_DIR "/request.json", 1 << 20, &text, &size), BC_OK);
    ProtobufCMessage *msg = NULL;
    char err[256];
    assert_int_equal(bc_json_decode(&baocao__report_request__descriptor, text, size, &msg, err,
                                    sizeof err), BC_OK);
    free(text);
    return (Baocao__ReportRequest *) msg;
}

static void
s_expect_invalid(Baocao__ReportRequest *req, const char *needle)
{
    char why[512] = "";
    assert_int_equal(bc_validate_request(req, why, sizeof why), BC_EINVAL);
    if (!strstr(why, needle)) {
        fail_msg("expected \"%s\" in \"%s\"", needle, why);
    }
}

static void
test_demo_request_is_valid(void **state)
{
    (void) state;
    Baocao__ReportRequest *req = s_demo_request();
    char why[512] = "";
    assert_int_equal(bc_validate_request(req, why, sizeof why), BC_OK);
    baocao__report_request__free_unpacked(req, NULL);
}

static void
test_request_field_errors(void **state)
{
    (void) state;
    Baocao__ReportRequest *req = s_demo_request();

    char *saved = req->recipients[3]->code;
    req->recipients[3]->code = req->recipients[0]->code;
    s_expect_invalid(req, "recipients[3].code: duplicate");
    req->recipients[3]->code = "not a code!";
    s_expect_invalid(req, "recipients[3].code");
    req->recipients[3]->code = saved;

    uint32_t day = req->promulgation_date->day;
    req->promulgation_date->day = 31;
    req->promulgation_date->month = 2;
    s_expect_invalid(req, "promulgationDate");
    req->promulgation_date->month = 11;
    req->promulgation_date->day = day;

    int64_t deadline = req->deadline->unix_ms;
    req->deadline->unix_ms = 1000;
    s_expect_invalid(req, "deadline");
    req->deadline->unix_ms = deadline;

    uint32_t number = req->number;
    req->number = 0;
    s_expect_invalid(req, "number");
    req->number = number;

    saved = req->outline[1]->number;
    req->outline[1]->number = req->outline[0]->number;
    s_expect_invalid(req, "outline[1].number: duplicate");
    req->outline[1]->number = saved;

    size_t n = req->n_recipients;
    req->n_recipients = 0;
    s_expect_invalid(req, "recipients");
    req->n_recipients = n;

    char why[512];
    assert_int_equal(bc_validate_request(req, why, sizeof why), BC_OK);
    baocao__report_request__free_unpacked(req, NULL);
}

static void
test_notation_is_canonicalized(void **state)
{
    (void) state;
    Baocao__ReportRequest *req = s_demo_request();
    free(req->notation);
    req->notation = bc_strdup("QD-UBND");
    char why[512];
    assert_int_equal(bc_validate_request(req, why, sizeof why), BC_OK);
    assert_string_equal(req->notation, "QĐ-UBND");
    free(req->notation);
    req->notation = bc_strdup("STTTT--X");
    s_expect_invalid(req, "notation");
    baocao__report_request__free_unpacked(req, NULL);
}

static void
test_reqkey_text_form(void **state)
{
    (void) state;
    Baocao__ReportRequest *req = s_demo_request();
    bc_reqkey_t key, parsed;
    assert_int_equal(bc_reqkey_from_request(req, &key), BC_OK);
    char text[BC_REQKEY_TEXT_MAX];
    bc_reqkey_format(&key, text, sizeof text);
    assert_string_equal(text, "000.00.07.H45,2026-11-20,1005/STTTT-TTBCXB");
    assert_int_equal(bc_reqkey_parse(text, &parsed), BC_OK);
    assert_true(bc_reqkey_equal(&key, &parsed));
    Baocao__RequestRef ref;
    Baocao__Date date;
    bc_reqkey_to_ref(&key, &ref, &date);
    assert_int_equal(bc_reqkey_from_ref(&ref, &parsed), BC_OK);
    assert_true(bc_reqkey_equal(&key, &parsed));
    assert_int_equal(bc_reqkey_parse("000.00.07.H45,2026-13-20,1005/STTTT-TTBCXB", &parsed),
                     BC_EINVAL);
    assert_int_equal(bc_reqkey_parse("000.00.07.H45,2026-11-20", &parsed), BC_EINVAL);
    assert_int_equal(bc_reqkey_parse("a b,2026-11-20,1005/STTTT-TTBCXB", &parsed), BC_EINVAL);
    assert_int_equal(bc_reqkey_parse("000.00.07.H45,2017-02-09,09/2017/ND-CP", &parsed), BC_OK);
    assert_string_equal(parsed.notation, "NĐ-CP");
    assert_int_equal(parsed.doc_year, 2017);
    assert_true(bc_agency_code_valid("000.00.20.H12"));
    assert_false(bc_agency_code_valid(".000"));
    assert_false(bc_agency_code_valid(""));
    assert_false(bc_agency_code_valid("000.00.20.H12.000.00.20.H12.0000"));
    baocao__report_request__free_unpacked(req, NULL);
}

static void
test_report_checks(void **state)
{
    (void) state;
    bc_reqkey_t key;
    assert_int_equal(bc_reqkey_parse("000.00.07.H45,2026-11-20,1005/STTTT-TTBCXB", &key), BC_OK);
    Baocao__RequestRef ref;
    Baocao__Date date;
    bc_reqkey_to_ref(&key, &ref, &date);
    const char *doc = "1. Công tác tuyên truyền\n";
    uint8_t digest[32];
    crypto_hash_sha256(digest, (const uint8_t *) doc, strlen(doc));
    Baocao__Attachment att = BAOCAO__ATTACHMENT__INIT;
    Baocao__Attachment *atts[] = { &att };
    att.name = "bao-cao.txt";
    att.sha256.data = digest;
    att.sha256.len = 32;
    att.data.data = (uint8_t *) doc;
    att.data.len = strlen(doc);
    Baocao__Report report = BAOCAO__REPORT__INIT;
    report.request = &ref;
    report.report_id = "0123456789abcdef0123456789abcdef";
    report.attachments = atts;
    report.n_attachments = 1;
    char why[256];
    assert_int_equal(bc_validate_report(&report, why, sizeof why), BC_OK);
    digest[0] ^= 1;
    assert_int_equal(bc_validate_report(&report, why, sizeof why), BC_EINVAL);
    assert_non_null(strstr(why, "sha256"));
    digest[0] ^= 1;
    report.report_id = "0123";
    assert_int_equal(bc_validate_report(&report, why, sizeof why), BC_EINVAL);
    assert_non_null(strstr(why, "reportId"));
    report.report_id = "0123456789abcdef0123456789abcdef";
    //  Sections nested deeper than the limit are refused, not recursed into.
    Baocao__Section levels[BC_VALIDATE_MAX_DEPTH + 2];
    Baocao__Section *links[BC_VALIDATE_MAX_DEPTH + 2];
    for (int i = 0; i < BC_VALIDATE_MAX_DEPTH + 2; i++) {
        baocao__section__init(&levels[i]);
        links[i] = &levels[i];
        if (i > 0) {
            levels[i - 1].children = &links[i];
            levels[i - 1].n_children = 1;
        }
    }
    report.sections = links;
    report.n_sections = 1;
    assert_int_equal(bc_validate_report(&report, why, sizeof why), BC_EINVAL);
    assert_non_null(strstr(why, "nested"));
    report.request = NULL;
    report.n_sections = 0;
    assert_int_equal(bc_validate_report(&report, why, sizeof why), BC_EINVAL);
}

static void
test_wire_rejects_bad_envelopes(void **state)
{
    (void) state;
    bc_wire_out_t out;
    bc_wire_out_init(&out);
    assert_true(bc_id_valid(out.id));
    Baocao__Heartbeat hb = BAOCAO__HEARTBEAT__INIT;
    out.env.body_case = BAOCAO__ENVELOPE__BODY_HEARTBEAT;
    out.env.heartbeat = &hb;
    size_t n;
    uint8_t *bytes = bc_wire_pack(&out.env, &n);
    Baocao__Envelope *env = NULL;
    char why[128];
    assert_int_equal(bc_wire_unpack(bytes, n, &env, why, sizeof why), BC_OK);
    assert_string_equal(env->id, out.id);
    assert_string_equal(bc_wire_body_name(env), "heartbeat");
    bc_wire_free(&env);
    assert_null(env);
    free(bytes);

    out.env.version = 99;
    bytes = bc_wire_pack(&out.env, &n);
    assert_int_equal(bc_wire_unpack(bytes, n, &env, why, sizeof why), BC_EPROTO);
    assert_non_null(strstr(why, "version 99"));
    free(bytes);

    out.env.version = BC_WIRE_VERSION;
    out.env.body_case = BAOCAO__ENVELOPE__BODY__NOT_SET;
    bytes = bc_wire_pack(&out.env, &n);
    assert_int_equal(bc_wire_unpack(bytes, n, &env, why, sizeof why), BC_EPROTO);
    assert_non_null(strstr(why, "body"));
    free(bytes);

    const uint8_t garbage[] = { 0xff, 0xff, 0xff, 0x0f, 0x12 };
    assert_int_equal(bc_wire_unpack(garbage, sizeof garbage, &env, why, sizeof why), BC_EPROTO);
    assert_int_equal(bc_wire_unpack(garbage, (size_t) BC_WIRE_MAX_MSG + 1, &env, why, sizeof why),
                     BC_ETOOBIG);
    assert_null(env);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_request_is_valid),
        cmocka_unit_test(test_request_field_errors),
        cmocka_unit_test(test_notation_is_canonicalized),
        cmocka_unit_test(test_reqkey_text_form),
        cmocka_unit_test(test_report_checks),
        cmocka_unit_test(test_wire_rejects_bad_envelopes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
