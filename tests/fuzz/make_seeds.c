//  make_seeds - writes the seed corpora of the fuzz targets
//
//  Usage: make_seeds DIR. Writes DIR/fuzz_wire/* and DIR/fuzz_broker/*: one
//  valid envelope of every body type (for fuzz_broker, prefixed with the
//  byte that picks the speaker), built from the demo province's request, so
//  the fuzzers start from inputs that reach every handler.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baocao/report.pb-c.h"
#include "bc_fs.h"
#include "bc_json.h"
#include "bc_reqkey.h"
#include "bc_wire.h"
#include <sodium.h>

static void
s_write(const char *dir, const char *target, const char *name, int speaker,
        const Baocao__Envelope *env)
{
    size_t n;
    uint8_t *bytes = bc_wire_pack(env, &n);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, target);
    bc_fs_mkdirs(path);
    snprintf(path, sizeof path, "%s/%s/%s", dir, target, name);
    if (speaker < 0) {
        bc_fs_write_atomic(path, bytes, n);
    }
    else {
        uint8_t *framed = malloc(n + 1);
        framed[0] = (uint8_t) speaker;
        memcpy(framed + 1, bytes, n);
        bc_fs_write_atomic(path, framed, n + 1);
        free(framed);
    }
    free(bytes);
}

static void
s_both(const char *dir, const char *name, int speaker, const Baocao__Envelope *env)
{
    s_write(dir, "fuzz_wire", name, -1, env);
    s_write(dir, "fuzz_broker", name, speaker, env);
}

int
main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_seeds DIR\n");
        return 64;
    }
    const char *dir = argv[1];
    char *text = NULL;
    size_t size = 0;
    char why[256];
    ProtobufCMessage *msg = NULL;
    if (bc_fs_read(BC_DEMO_DIR "/request.json", 1 << 20, &text, &size) != BC_OK
        || bc_json_decode(&baocao__report_request__descriptor, text, size, &msg, why,
                          sizeof why) != BC_OK) {
        fprintf(stderr, "make_seeds: cannot read the demo request\n");
        return 1;
    }
    free(text);
    Baocao__ReportRequest *req = (Baocao__ReportRequest *) msg;
    bc_reqkey_t key;
    bc_reqkey_from_request(req, &key);
    Baocao__RequestRef ref;
    Baocao__Date date;
    bc_reqkey_to_ref(&key, &ref, &date);

    bc_wire_out_t out;
    bc_wire_out_init(&out);
    Baocao__Hello hello = BAOCAO__HELLO__INIT;
    hello.role = BAOCAO__CLIENT_ROLE__AGENT;
    out.env.body_case = BAOCAO__ENVELOPE__BODY_HELLO;
    out.env.hello = &hello;
    s_both(dir, "hello", 1, &out.env);

    Baocao__Heartbeat hb = BAOCAO__HEARTBEAT__INIT;
    out.env.body_case = BAOCAO__ENVELOPE__BODY_HEARTBEAT;
    out.env.heartbeat = &hb;
    s_both(dir, "heartbeat", 1, &out.env);

    Baocao__IssueRequest issue = BAOCAO__ISSUE_REQUEST__INIT;
    issue.request = req;
    out.env.body_case = BAOCAO__ENVELOPE__BODY_ISSUE_REQUEST;
    out.env.issue_request = &issue;
    s_both(dir, "issue", 0, &out.env);

    Baocao__Receipt receipt = BAOCAO__RECEIPT__INIT;
    receipt.ref = &ref;
    receipt.status = BAOCAO__DELIVERY_STATUS__ARRIVED;
    out.env.body_case = BAOCAO__ENVELOPE__BODY_RECEIPT;
    out.env.receipt = &receipt;
    s_both(dir, "receipt", 1, &out.env);
    receipt.status = BAOCAO__DELIVERY_STATUS__REJECTED;
    receipt.reason = "không thuộc chức năng";
    s_both(dir, "reject", 1, &out.env);

    Baocao__Report report = BAOCAO__REPORT__INIT;
    Baocao__Section section = BAOCAO__SECTION__INIT;
    Baocao__Section *sections[] = { &section };
    Baocao__IndicatorValue value = BAOCAO__INDICATOR_VALUE__INIT;
    Baocao__IndicatorValue *values[] = { &value };
    Baocao__Attachment att = BAOCAO__ATTACHMENT__INIT;
    Baocao__Attachment *atts[] = { &att };
    uint8_t digest[32];
    const char *doc = "1. Công tác tuyên truyền\nĐã phổ biến.\n";
    crypto_hash_sha256(digest, (const uint8_t *) doc, strlen(doc));
    section.number = "1";
    section.title = "Công tác tuyên truyền";
    section.body = "Đã phổ biến.";
    section.outline_item = "1";
    value.code = "HOP_BAO";
    value.value = 3;
    att.name = "bao-cao.txt";
    att.media_type = "text/plain; charset=utf-8";
    att.sha256.data = digest;
    att.sha256.len = sizeof digest;
    att.data.data = (uint8_t *) doc;
    att.data.len = strlen(doc);
    report.request = &ref;
    report.sections = sections;
    report.n_sections = 1;
    report.indicators = values;
    report.n_indicators = 1;
    report.attachments = atts;
    report.n_attachments = 1;
    report.report_id = "0123456789abcdef0123456789abcdef";
    Baocao__SubmitReport submit = BAOCAO__SUBMIT_REPORT__INIT;
    submit.report = &report;
    out.env.body_case = BAOCAO__ENVELOPE__BODY_SUBMIT_REPORT;
    out.env.submit_report = &submit;
    s_both(dir, "report", 1, &out.env);

    Baocao__Bye bye = BAOCAO__BYE__INIT;
    out.env.body_case = BAOCAO__ENVELOPE__BODY_BYE;
    out.env.bye = &bye;
    s_both(dir, "bye", 1, &out.env);

    protobuf_c_message_free_unpacked(msg, NULL);
    return 0;
}
