//  bench_echo - the messaging ceiling: a ROUTER that acknowledges without storing
//
//  Usage: bench_echo ENDPOINT READY_FILE [SECRET_KEY_FILE]
//  Binds a ROUTER on ENDPOINT (with CURVE when a key file is given; no ZAP
//  handler, so any client key is accepted: a ceiling, not a server) and
//  serves the broker's framing the way the broker does, minus storage: each
//  poll cycle reads up to 256 envelopes, unpacks each, and answers each
//  SubmitReport with an Ack carrying its id, reference and report id (any
//  other body with a Heartbeat), all sent after the cycle. Writes
//  "endpoint=...\npid=...\n" to READY_FILE; stops on SIGTERM or SIGINT.
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include "bc_alloc.h"
#include "bc_cert.h"
#include "bc_fs.h"
#include "bc_wire.h"

#define S_BATCH 256

static volatile sig_atomic_t s_stop = 0;

static void
s_on_signal(int sig)
{
    (void) sig;
    s_stop = 1;
}

typedef struct {
    uint8_t rid[BC_WIRE_MAX_RID];
    size_t rid_size;
    uint8_t *bytes;
    size_t size;
} s_out_t;

int
main(int argc, char **argv)
{
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: bench_echo ENDPOINT READY_FILE [SECRET_KEY_FILE]\n");
        return 64;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    void *ctx = zmq_ctx_new();
    zmq_ctx_set(ctx, ZMQ_MAX_SOCKETS, 4096);
    void *router = zmq_socket(ctx, ZMQ_ROUTER);
    int64_t maxmsg = BC_WIRE_MAX_MSG;
    int one = 1, linger = 0;
    zmq_setsockopt(router, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    zmq_setsockopt(router, ZMQ_ROUTER_MANDATORY, &one, sizeof one);
    zmq_setsockopt(router, ZMQ_LINGER, &linger, sizeof linger);
    if (argc == 4) {
        bc_cert_t cert;
        char why[512];
        if (bc_cert_load(&cert, argv[3], why, sizeof why) != BC_OK || !cert.has_secret) {
            fprintf(stderr, "bench_echo: %s\n", why);
            return 66;
        }
        zmq_setsockopt(router, ZMQ_CURVE_SERVER, &one, sizeof one);
        zmq_setsockopt(router, ZMQ_CURVE_SECRETKEY, cert.curve_secret, BC_CERT_Z85_LEN);
        bc_cert_wipe(&cert);
    }
    if (zmq_bind(router, argv[1]) != 0) {
        fprintf(stderr, "bench_echo: cannot bind %s: %s\n", argv[1], zmq_strerror(zmq_errno()));
        return 69;
    }
    char bound[256];
    size_t bound_size = sizeof bound;
    zmq_getsockopt(router, ZMQ_LAST_ENDPOINT, bound, &bound_size);
    char text[512];
    int n = snprintf(text, sizeof text, "endpoint=%s\npid=%d\n", bound, (int) getpid());
    if (bc_fs_write_atomic(argv[2], text, (size_t) n) != BC_OK) {
        return 73;
    }
    s_out_t *out = bc_calloc(S_BATCH, sizeof *out);
    uint64_t seq = 0;
    while (!s_stop) {
        zmq_pollitem_t item = { router, 0, ZMQ_POLLIN, 0 };
        if (zmq_poll(&item, 1, 200) <= 0) {
            continue;
        }
        size_t n_out = 0;
        while (n_out < S_BATCH) {
            bc_wire_peer_t peer;
            Baocao__Envelope *env = NULL;
            char why[128];
            bc_err rc = bc_wire_recv(router, 1, ZMQ_DONTWAIT, &peer, &env, why, sizeof why);
            if (rc == BC_ETIMEDOUT || rc == BC_ECLOSED) {
                break;
            }
            if (rc != BC_OK) {
                continue;
            }
            bc_wire_out_t reply;
            bc_wire_out_init(&reply);
            Baocao__Ack ack = BAOCAO__ACK__INIT;
            Baocao__Heartbeat hb = BAOCAO__HEARTBEAT__INIT;
            if (env->body_case == BAOCAO__ENVELOPE__BODY_SUBMIT_REPORT
                && env->submit_report->report) {
                ack.in_reply_to = env->id;
                ack.ref = env->submit_report->report->request;
                ack.report_id = env->submit_report->report->report_id;
                ack.seq = ++seq;
                ack.revision = 1;
                reply.env.body_case = BAOCAO__ENVELOPE__BODY_ACK;
                reply.env.ack = &ack;
            }
            else {
                reply.env.body_case = BAOCAO__ENVELOPE__BODY_HEARTBEAT;
                reply.env.heartbeat = &hb;
            }
            s_out_t *o = &out[n_out++];
            o->rid_size = peer.rid_size;
            memcpy(o->rid, peer.rid, peer.rid_size);
            o->bytes = bc_wire_pack(&reply.env, &o->size);
            bc_wire_free(&env);
        }
        for (size_t i = 0; i < n_out; i++) {
            if (zmq_send(router, out[i].rid, out[i].rid_size, ZMQ_SNDMORE | ZMQ_DONTWAIT) >= 0) {
                zmq_send(router, out[i].bytes, out[i].size, ZMQ_DONTWAIT);
            }
            free(out[i].bytes);
        }
    }
    free(out);
    zmq_close(router);
    zmq_ctx_term(ctx);
    return 0;
}
