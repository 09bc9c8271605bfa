//  bc_submit - one report submitted over CURVE, honestly or not (tests only)
//
//  Usage: bc_submit ENDPOINT KEY_FILE BROKER_PUB REQUEST_JSON MODE
//    MODE signed      a report signed by KEY_FILE's agency, as itself
//         unsigned    the same without a signature
//         forged      signed by KEY_FILE's agency but claiming another sender
//                     (the first recipient that is not us)
//         tampered    signed, then its text changed after signing
//  Prints the broker's answer: "ACK revision N" or "ERROR <CODE>: message",
//  or "TIMEOUT". Exit 0 unless the arguments or the keys are wrong.
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "bc_cert.h"
#include "bc_clock.h"
#include "bc_fs.h"
#include "bc_id.h"
#include "bc_json.h"
#include "bc_reqkey.h"
#include "bc_sign.h"
#include "bc_wire.h"

int
main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: bc_submit ENDPOINT KEY_FILE BROKER_PUB REQUEST_JSON "
                        "signed|unsigned|forged|tampered\n");
        return 64;
    }
    const char *mode = argv[5];
    bc_cert_t me, broker;
    char why[512];
    if (bc_cert_load(&me, argv[2], why, sizeof why) != BC_OK
        || bc_cert_load(&broker, argv[3], why, sizeof why) != BC_OK) {
        fprintf(stderr, "bc_submit: %s\n", why);
        return 66;
    }
    char *text = NULL;
    size_t size = 0;
    ProtobufCMessage *msg = NULL;
    if (bc_fs_read(argv[4], 1 << 20, &text, &size) != BC_OK
        || bc_json_decode(&baocao__report_request__descriptor, text, size, &msg, why,
                          sizeof why) != BC_OK) {
        fprintf(stderr, "bc_submit: cannot read %s\n", argv[4]);
        return 66;
    }
    free(text);
    Baocao__ReportRequest *req = (Baocao__ReportRequest *) msg;
    bc_reqkey_t key;
    bc_reqkey_from_request(req, &key);
    Baocao__RequestRef ref;
    Baocao__Date date;
    bc_reqkey_to_ref(&key, &ref, &date);

    const char *body = "1. Công tác tuyên truyền\nĐã thực hiện.\n";
    uint8_t digest[32];
    crypto_hash_sha256(digest, (const uint8_t *) body, strlen(body));
    Baocao__Attachment att = BAOCAO__ATTACHMENT__INIT;
    Baocao__Attachment *atts[] = { &att };
    att.name = "bao-cao.txt";
    att.media_type = "text/plain; charset=utf-8";
    att.sha256.data = digest;
    att.sha256.len = 32;
    att.data.data = (uint8_t *) body;
    att.data.len = strlen(body);
    Baocao__Agency sender = BAOCAO__AGENCY__INIT;
    sender.code = me.code;
    if (strcmp(mode, "forged") == 0) {
        for (size_t i = 0; i < req->n_recipients; i++) {
            if (strcmp(req->recipients[i]->code, me.code) != 0) {
                sender.code = req->recipients[i]->code;
                break;
            }
        }
    }
    char report_id[BC_ID_HEX_LEN + 1];
    bc_id_new(report_id);
    Baocao__Report report = BAOCAO__REPORT__INIT;
    report.request = &ref;
    report.sender = &sender;
    report.subject = "Báo cáo thử";
    report.report_id = report_id;
    report.attachments = atts;
    report.n_attachments = 1;
    uint8_t sig[64];
    if (strcmp(mode, "unsigned") != 0) {
        uint8_t *bytes;
        size_t n;
        bc_sign_canonical(&report, &bytes, &n);
        crypto_sign_detached(sig, NULL, bytes, n, me.sign_secret);
        free(bytes);
        report.signature.data = sig;
        report.signature.len = sizeof sig;
    }
    if (strcmp(mode, "tampered") == 0) {
        report.subject = "Báo cáo đã bị sửa";
    }
    void *ctx = zmq_ctx_new();
    void *sock = zmq_socket(ctx, ZMQ_DEALER);
    char rid[64];
    snprintf(rid, sizeof rid, "%s/submit", me.code);
    int linger = 0;
    zmq_setsockopt(sock, ZMQ_ROUTING_ID, rid, strlen(rid));
    zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(sock, ZMQ_CURVE_SERVERKEY, broker.curve_public, BC_CERT_Z85_LEN);
    zmq_setsockopt(sock, ZMQ_CURVE_PUBLICKEY, me.curve_public, BC_CERT_Z85_LEN);
    zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, me.curve_secret, BC_CERT_Z85_LEN);
    zmq_connect(sock, argv[1]);
    Baocao__SubmitReport submit = BAOCAO__SUBMIT_REPORT__INIT;
    submit.report = &report;
    bc_wire_out_t out;
    bc_wire_out_init(&out);
    out.env.body_case = BAOCAO__ENVELOPE__BODY_SUBMIT_REPORT;
    out.env.submit_report = &submit;
    bc_wire_send(sock, NULL, 0, &out.env, 0);
    int64_t until = bc_clock_mono_ms() + 5000;
    int answered = 0;
    while (!answered && bc_clock_mono_ms() < until) {
        zmq_pollitem_t item = { sock, 0, ZMQ_POLLIN, 0 };
        if (zmq_poll(&item, 1, 100) <= 0) {
            continue;
        }
        bc_wire_peer_t peer;
        Baocao__Envelope *env = NULL;
        if (bc_wire_recv(sock, 0, 0, &peer, &env, why, sizeof why) != BC_OK) {
            continue;
        }
        if (env->body_case == BAOCAO__ENVELOPE__BODY_ACK) {
            printf("ACK revision %u\n", env->ack->revision);
            answered = 1;
        }
        else if (env->body_case == BAOCAO__ENVELOPE__BODY_ERROR) {
            const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(
                &baocao__error_code__descriptor, env->error->code);
            printf("ERROR %s: %s\n", v ? v->name : "?", env->error->message);
            answered = 1;
        }
        bc_wire_free(&env);
    }
    if (!answered) {
        printf("TIMEOUT\n");
    }
    zmq_close(sock);
    zmq_ctx_term(ctx);
    bc_cert_wipe(&me);
    protobuf_c_message_free_unpacked(msg, NULL);
    return 0;
}
