//  bc_flood - one peer flooding the broker with bad input (tests only)
//
//  Usage: bc_flood ENDPOINT MODE COUNT
//    MODE garbage   random bytes as the envelope frame
//         version   well-formed envelopes of an unknown protocol version
//         unknown   envelopes with no known body (a newer client's message)
//         frames    envelopes followed by an extra frame
//         oversize  one frame over ZMQ_MAXMSGSIZE (COUNT of them)
//         reports   submit_report bodies for a request that does not exist
//  Sends COUNT messages as fast as the socket takes them (bounded by a 10 s
//  send timeout), then prints how many went out and how many Error replies
//  came back within one second.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <zmq.h>

#include "bc_alloc.h"
#include "bc_clock.h"
#include "bc_wire.h"

int
main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bc_flood ENDPOINT garbage|version|unknown|frames|oversize|reports "
                        "COUNT\n");
        return 64;
    }
    const char *mode = argv[2];
    long count = atol(argv[3]);
    void *ctx = zmq_ctx_new();
    void *sock = zmq_socket(ctx, ZMQ_DEALER);
    const char *rid = "000.00.04.H45/flood";
    int timeout = 10000, linger = 2000, hwm = 100000;
    zmq_setsockopt(sock, ZMQ_ROUTING_ID, rid, strlen(rid));
    zmq_setsockopt(sock, ZMQ_SNDTIMEO, &timeout, sizeof timeout);
    zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(sock, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_connect(sock, argv[1]);
    long sent = 0;
    size_t big = (size_t) BC_WIRE_MAX_MSG + 1024;
    uint8_t *buf = bc_malloc(strcmp(mode, "oversize") == 0 ? big : 4096);
    for (long i = 0; i < count; i++) {
        bc_wire_out_t out;
        bc_wire_out_init(&out);
        Baocao__Heartbeat hb = BAOCAO__HEARTBEAT__INIT;
        out.env.body_case = BAOCAO__ENVELOPE__BODY_HEARTBEAT;
        out.env.heartbeat = &hb;
        Baocao__SubmitReport submit = BAOCAO__SUBMIT_REPORT__INIT;
        Baocao__Report report = BAOCAO__REPORT__INIT;
        Baocao__RequestRef ref = BAOCAO__REQUEST_REF__INIT;
        Baocao__Date date = BAOCAO__DATE__INIT;
        int rc;
        if (strcmp(mode, "garbage") == 0) {
            size_t n = (size_t) (i % 4000) + 1;
            if (getrandom(buf, n, 0) < 0) {
                return 71;
            }
            rc = zmq_send(sock, buf, n, 0);
        }
        else if (strcmp(mode, "oversize") == 0) {
            memset(buf, 'x', big);
            rc = zmq_send(sock, buf, big, 0);
        }
        else {
            if (strcmp(mode, "version") == 0) {
                out.env.version = 99;
            }
            else if (strcmp(mode, "unknown") == 0) {
                out.env.body_case = BAOCAO__ENVELOPE__BODY__NOT_SET;
            }
            else if (strcmp(mode, "reports") == 0) {
                date.year = 2026;
                date.month = 1;
                date.day = 1;
                ref.issuer_code = "000.00.07.H45";
                ref.promulgation_date = &date;
                ref.number = 999999;
                ref.notation = "STTTT-TTBCXB";
                report.request = &ref;
                report.report_id = out.id;
                submit.report = &report;
                out.env.body_case = BAOCAO__ENVELOPE__BODY_SUBMIT_REPORT;
                out.env.submit_report = &submit;
            }
            size_t n;
            uint8_t *bytes = bc_wire_pack(&out.env, &n);
            int more = strcmp(mode, "frames") == 0 ? ZMQ_SNDMORE : 0;
            rc = zmq_send(sock, bytes, n, more);
            if (rc >= 0 && more) {
                rc = zmq_send(sock, "extra", 5, 0);
            }
            free(bytes);
        }
        if (rc < 0) {
            break;
        }
        sent++;
    }
    long errors = 0;
    int64_t until = bc_clock_mono_ms() + 1000;
    while (bc_clock_mono_ms() < until) {
        zmq_pollitem_t item = { sock, 0, ZMQ_POLLIN, 0 };
        if (zmq_poll(&item, 1, 100) <= 0) {
            continue;
        }
        bc_wire_peer_t peer;
        Baocao__Envelope *env = NULL;
        char why[128];
        while (bc_wire_recv(sock, 0, ZMQ_DONTWAIT, &peer, &env, why, sizeof why) == BC_OK) {
            errors += env->body_case == BAOCAO__ENVELOPE__BODY_ERROR;
            bc_wire_free(&env);
        }
    }
    printf("%s: sent %ld of %ld, error replies %ld\n", mode, sent, count, errors);
    free(buf);
    zmq_close(sock);
    zmq_ctx_term(ctx);
    return 0;
}
