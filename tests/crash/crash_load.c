//  crash_load - many simulated agencies submitting reports until each is acked
//
//  Usage: crash_load ENDPOINT AGENCIES_CSV REQUEST_JSON AGENTS REPORTS ACKED_FILE
//
//  Issues REQUEST_JSON as the coordinator (accepting "already stored" on a
//  rerun), then runs AGENTS simulated agencies, each submitting REPORTS
//  distinct reports (each a new report id, so each should become one
//  revision), one in flight per agency, resending the same report id every
//  500 ms until the broker acknowledges it: the at-least-once client side of
//  the protocol. Survives the broker being killed and restarted under it.
//  Writes "agency report_id revision seq" for every ack to ACKED_FILE and
//  prints one line of figures. Bounded: gives up after 300 s.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>
#include <sodium.h>

#include "bc_alloc.h"
#include "bc_clock.h"
#include "bc_csv.h"
#include "bc_fs.h"
#include "bc_id.h"
#include "bc_json.h"
#include "bc_reqkey.h"
#include "bc_wire.h"

#define S_RESEND_MS     500
#define S_LIMIT_MS      300000

typedef struct {
    char code[BC_AGENCY_CODE_MAX];
    void *sock;
    int next;                           //  index of the report in flight
    char report_id[BC_ID_HEX_LEN + 1];
    int64_t sent_at;                    //  0 = not sent yet
    int sends;
} s_agent_t;

static void *
s_dealer(void *ctx, const char *code, const char *endpoint)
{
    void *sock = zmq_socket(ctx, ZMQ_DEALER);
    char rid[64], rnd[BC_ID_HEX_LEN + 1];
    bc_id_new(rnd);
    snprintf(rid, sizeof rid, "%s/%.8s", code, rnd);
    zmq_setsockopt(sock, ZMQ_ROUTING_ID, rid, strlen(rid));
    int ivl = 100, linger = 0;
    zmq_setsockopt(sock, ZMQ_RECONNECT_IVL, &ivl, sizeof ivl);
    zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger);
    zmq_connect(sock, endpoint);
    return sock;
}

static void
s_submit(s_agent_t *a, const Baocao__RequestRef *ref)
{
    char body[128];
    snprintf(body, sizeof body, "Báo cáo số %d của %s\n", a->next + 1, a->code);
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
    Baocao__Report report = BAOCAO__REPORT__INIT;
    report.request = (Baocao__RequestRef *) ref;
    report.report_id = a->report_id;
    report.attachments = atts;
    report.n_attachments = 1;
    report.subject = body;
    Baocao__SubmitReport submit = BAOCAO__SUBMIT_REPORT__INIT;
    submit.report = &report;
    bc_wire_out_t out;
    bc_wire_out_init(&out);
    out.env.body_case = BAOCAO__ENVELOPE__BODY_SUBMIT_REPORT;
    out.env.submit_report = &submit;
    bc_wire_send(a->sock, NULL, 0, &out.env, ZMQ_DONTWAIT);
    a->sent_at = bc_clock_mono_ms();
    a->sends++;
}

int
main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: crash_load ENDPOINT AGENCIES_CSV REQUEST_JSON AGENTS REPORTS "
                        "ACKED_FILE\n");
        return 64;
    }
    const char *endpoint = argv[1];
    int n_agents = atoi(argv[4]);
    int n_reports = atoi(argv[5]);
    FILE *acked = fopen(argv[6], "a");
    if (!acked || n_agents < 1 || n_reports < 1) {
        fprintf(stderr, "crash_load: bad arguments\n");
        return 64;
    }
    char *text = NULL;
    size_t size = 0;
    char why[256];
    ProtobufCMessage *msg = NULL;
    if (bc_fs_read(argv[3], 1 << 20, &text, &size) != BC_OK
        || bc_json_decode(&baocao__report_request__descriptor, text, size, &msg, why,
                          sizeof why) != BC_OK) {
        fprintf(stderr, "crash_load: cannot read %s\n", argv[3]);
        return 66;
    }
    free(text);
    Baocao__ReportRequest *req = (Baocao__ReportRequest *) msg;
    if ((int) req->n_recipients < n_agents) {
        fprintf(stderr, "crash_load: the request addresses fewer than %d agencies\n", n_agents);
        return 64;
    }
    bc_reqkey_t key;
    bc_reqkey_from_request(req, &key);
    Baocao__RequestRef ref;
    Baocao__Date date;
    bc_reqkey_to_ref(&key, &ref, &date);

    void *ctx = zmq_ctx_new();
    int64_t start = bc_clock_mono_ms();
    //  Issue the request, retrying through broker restarts.
    void *coord = s_dealer(ctx, req->issuer->code, endpoint);
    int issued = 0;
    while (!issued && bc_clock_mono_ms() - start < S_LIMIT_MS) {
        bc_wire_out_t out;
        bc_wire_out_init(&out);
        Baocao__IssueRequest issue = BAOCAO__ISSUE_REQUEST__INIT;
        issue.request = req;
        out.env.body_case = BAOCAO__ENVELOPE__BODY_ISSUE_REQUEST;
        out.env.issue_request = &issue;
        bc_wire_send(coord, NULL, 0, &out.env, ZMQ_DONTWAIT);
        zmq_pollitem_t item = { coord, 0, ZMQ_POLLIN, 0 };
        if (zmq_poll(&item, 1, S_RESEND_MS) > 0) {
            bc_wire_peer_t peer;
            Baocao__Envelope *env = NULL;
            if (bc_wire_recv(coord, 0, 0, &peer, &env, why, sizeof why) == BC_OK) {
                if (env->body_case == BAOCAO__ENVELOPE__BODY_ACK
                    || (env->body_case == BAOCAO__ENVELOPE__BODY_ERROR
                        && env->error->code == BAOCAO__ERROR_CODE__DUPLICATE)) {
                    issued = 1;
                }
                bc_wire_free(&env);
            }
        }
    }
    zmq_close(coord);
    if (!issued) {
        fprintf(stderr, "crash_load: could not issue the request\n");
        return 69;
    }

    s_agent_t *agents = bc_calloc((size_t) n_agents, sizeof *agents);
    zmq_pollitem_t *items = bc_calloc((size_t) n_agents, sizeof *items);
    for (int i = 0; i < n_agents; i++) {
        snprintf(agents[i].code, sizeof agents[i].code, "%s", req->recipients[i]->code);
        agents[i].sock = s_dealer(ctx, agents[i].code, endpoint);
        bc_id_new(agents[i].report_id);
        items[i].socket = agents[i].sock;
        items[i].events = ZMQ_POLLIN;
    }
    long sent = 0, acks = 0, dup_acks = 0, errors = 0, done = 0;
    while (done < n_agents && bc_clock_mono_ms() - start < S_LIMIT_MS) {
        int64_t now = bc_clock_mono_ms();
        for (int i = 0; i < n_agents; i++) {
            s_agent_t *a = &agents[i];
            if (a->next < n_reports && (a->sent_at == 0 || now - a->sent_at >= S_RESEND_MS)) {
                s_submit(a, &ref);
                sent++;
            }
        }
        if (zmq_poll(items, n_agents, 50) <= 0) {
            continue;
        }
        for (int i = 0; i < n_agents; i++) {
            if (!(items[i].revents & ZMQ_POLLIN)) {
                continue;
            }
            s_agent_t *a = &agents[i];
            bc_wire_peer_t peer;
            Baocao__Envelope *env = NULL;
            while (bc_wire_recv(a->sock, 0, ZMQ_DONTWAIT, &peer, &env, why, sizeof why)
                   == BC_OK) {
                if (env->body_case == BAOCAO__ENVELOPE__BODY_ACK && env->ack->report_id
                    && strcmp(env->ack->report_id, a->report_id) == 0 && a->next < n_reports) {
                    fprintf(acked, "%s %s %u %llu\n", a->code, a->report_id, env->ack->revision,
                            (unsigned long long) env->ack->seq);
                    acks++;
                    dup_acks += env->ack->duplicate;
                    a->next++;
                    a->sent_at = 0;
                    bc_id_new(a->report_id);
                    if (a->next == n_reports) {
                        done++;
                    }
                }
                else if (env->body_case == BAOCAO__ENVELOPE__BODY_ERROR) {
                    errors++;
                }
                bc_wire_free(&env);
            }
        }
    }
    fflush(acked);
    fclose(acked);
    printf("agents %d, reports %d each, submissions sent %ld, acked %ld (of which duplicates "
           "%ld), errors %ld, finished %ld, %.1f s\n",
           n_agents, n_reports, sent, acks, dup_acks, errors, done,
           (double) (bc_clock_mono_ms() - start) / 1000.0);
    for (int i = 0; i < n_agents; i++) {
        zmq_close(agents[i].sock);
    }
    zmq_ctx_term(ctx);
    free(agents);
    free(items);
    protobuf_c_message_free_unpacked(msg, NULL);
    return done == n_agents ? 0 : 1;
}
