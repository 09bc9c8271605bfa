//  bench_load - load generator for a real baocao-broker: ingest, fan-out, memory
//
//  Usage:
//    bench_load agencies N FILE
//        writes the bench province's agency list (coordinator + N departments)
//    bench_load issue   -e EP --first F --requests Q --agents A [-p PROVINCE]
//        the coordinator issues requests F..F+Q-1, each addressed to the first
//        A bench agencies, 32 in flight, and waits for every ack
//    bench_load ingest  -e EP --agents A --inflight W --per-agent K --first F
//                       [--revisions R] [--size B] [-p PROVINCE] [--store DIR]
//                       [--broker-pid PID] [--label L] [--max-seconds S]
//        A simulated agencies, each with W reports in flight (closed loop),
//        submit K distinct reports each: report j answers request F + j/R
//        (so each request gets R revisions from each agency). Every report
//        is built (and signed, with -p) before the clock starts, so the
//        generator spends its CPU on sending and receiving only.
//    bench_load fanout  -e EP --agents N --number X [-p PROVINCE] [--broker-pid PID]
//        N agencies connect and say hello; the broker's memory is read
//        (idle); the coordinator issues request X to all N; each agency
//        answers its Delivery at once with a report; the time until all have
//        received it and until all reports are acknowledged is printed, with
//        the broker's peak memory meanwhile
//    bench_load crowd   -e EP --agents N --number X --revisions P [--size B]
//                       [-p PROVINCE] [--broker-pid PID] [--load-seconds S]
//        N agencies connect and say hello (idle memory), then each submits P
//        more revisions of its report to request X, one in flight, while the
//        broker's memory is sampled (under load)
//  With -p PROVINCE (the folder of `baocao province init`), every socket
//  uses CURVE with the agency's key and every report is signed with its
//  Ed25519 key: the path as deployed. Without it: security none, unsigned.
//  Prints "RESULT kind=... key=value ..." lines. Every wait is bounded.
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zmq.h>

#include "bc_alloc.h"
#include "bc_id.h"
#include "bc_wire.h"
#include "bench_common.h"

#define S_CONNECT_LIMIT_US  (120 * 1000000LL)   //  connect + hello of everyone
#define S_ISSUE_INFLIGHT    32

typedef struct {
    const char *endpoint;
    const char *province;               //  NULL: plain path
    const char *store;                  //  LMDB folder, to count commits
    const char *label;
    int agents, inflight, per_agent, revisions, requests;
    uint32_t first, number;
    size_t size;
    pid_t broker_pid;
    double max_seconds, load_seconds;
} s_opts_t;

typedef struct {
    char id[BC_ID_HEX_LEN + 1];
    int64_t sent_us;
    int msg;                            //  index of the message
} s_slot_t;

typedef struct {
    char code[BENCH_CODE_MAX];
    void *sock;
    uint8_t **msgs;                     //  pre-built envelopes
    size_t *sizes;
    char (*ids)[BC_ID_HEX_LEN + 1];
    int n_msgs, next, done;
    s_slot_t *slots;                    //  in flight
    int n_slots;
    int64_t t_delivered, t_stored;      //  fan-out times (us), 0 = not yet
    int replied;                        //  answered the ping / hello
} s_agent_t;

static void *
s_socket(void *ctx, const char *code, const s_opts_t *o, const bc_cert_t *broker)
{
    void *sock = zmq_socket(ctx, ZMQ_DEALER);
    if (!sock) {
        fprintf(stderr, "bench_load: cannot create a socket: %s\n", zmq_strerror(zmq_errno()));
        exit(70);
    }
    char rid[64], rnd[BC_ID_HEX_LEN + 1];
    bc_id_new(rnd);
    snprintf(rid, sizeof rid, "%s/%.8s", code, rnd);
    int linger = 0, ivl = 100;
    zmq_setsockopt(sock, ZMQ_ROUTING_ID, rid, strlen(rid));
    zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(sock, ZMQ_RECONNECT_IVL, &ivl, sizeof ivl);
    if (o->province) {
        bc_cert_t me;
        if (bench_load_key(o->province, code, &me) != 0 || bench_curve_client(sock, &me, broker)) {
            exit(66);
        }
        bc_cert_wipe(&me);
    }
    if (zmq_connect(sock, o->endpoint) != 0) {
        fprintf(stderr, "bench_load: cannot connect %s: %s\n", o->endpoint,
                zmq_strerror(zmq_errno()));
        exit(69);
    }
    return sock;
}

static void
s_send_body(void *sock, Baocao__Envelope *env, char *id_out)
{
    bc_wire_out_t out;
    bc_wire_out_init(&out);
    out.env.body_case = env->body_case;
    switch (env->body_case) {
    case BAOCAO__ENVELOPE__BODY_HEARTBEAT: out.env.heartbeat = env->heartbeat; break;
    case BAOCAO__ENVELOPE__BODY_HELLO: out.env.hello = env->hello; break;
    case BAOCAO__ENVELOPE__BODY_ISSUE_REQUEST: out.env.issue_request = env->issue_request; break;
    default: break;
    }
    bc_wire_send(sock, NULL, 0, &out.env, ZMQ_DONTWAIT);
    if (id_out) {
        memcpy(id_out, out.id, BC_ID_HEX_LEN + 1);
    }
}

static void
s_send_heartbeat(void *sock)
{
    Baocao__Heartbeat hb = BAOCAO__HEARTBEAT__INIT;
    Baocao__Envelope env = BAOCAO__ENVELOPE__INIT;
    env.body_case = BAOCAO__ENVELOPE__BODY_HEARTBEAT;
    env.heartbeat = &hb;
    s_send_body(sock, &env, NULL);
}

static void
s_send_hello(void *sock)
{
    Baocao__Hello hello = BAOCAO__HELLO__INIT;
    hello.software = "bench_load";
    Baocao__Envelope env = BAOCAO__ENVELOPE__INIT;
    env.body_case = BAOCAO__ENVELOPE__BODY_HELLO;
    env.hello = &hello;
    s_send_body(sock, &env, NULL);
}

static void
s_send_issue(void *sock, uint32_t number, int n, char *id_out)
{
    Baocao__ReportRequest *req = bench_request_new(number, n);
    Baocao__IssueRequest issue = BAOCAO__ISSUE_REQUEST__INIT;
    issue.request = req;
    Baocao__Envelope env = BAOCAO__ENVELOPE__INIT;
    env.body_case = BAOCAO__ENVELOPE__BODY_ISSUE_REQUEST;
    env.issue_request = &issue;
    s_send_body(sock, &env, id_out);
    bench_request_free(&req);
}

static void *
s_context(int sockets)
{
    //  One socket per simulated agency: lift libzmq's and the process's limits.
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t) (sockets * 3 + 256)) {
        rl.rlim_cur = rl.rlim_max < (rlim_t) (sockets * 3 + 256) ? rl.rlim_max
                                                               : (rlim_t) (sockets * 3 + 256);
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    void *ctx = zmq_ctx_new();
    zmq_ctx_set(ctx, ZMQ_MAX_SOCKETS, sockets + 64);
    return ctx;
}

static int
s_load_broker_key(const s_opts_t *o, bc_cert_t *broker)
{
    memset(broker, 0, sizeof *broker);
    if (!o->province) {
        return 0;
    }
    char path[1024], why[256];
    snprintf(path, sizeof path, "%s/broker/broker.pub", o->province);
    if (bc_cert_load(broker, path, why, sizeof why) != BC_OK) {
        fprintf(stderr, "bench_load: %s\n", why);
        return -1;
    }
    return 0;
}

//  Receives everything waiting on sock; calls fn for each envelope.
typedef void (s_on_env_fn)(s_agent_t *a, Baocao__Envelope *env, void *arg);

static void
s_drain(s_agent_t *a, s_on_env_fn *fn, void *arg)
{
    for (int k = 0; k < 1000; k++) {
        bc_wire_peer_t peer;
        Baocao__Envelope *env = NULL;
        char why[128];
        bc_err rc = bc_wire_recv(a->sock, 0, ZMQ_DONTWAIT, &peer, &env, why, sizeof why);
        if (rc != BC_OK) {
            if (rc != BC_ETIMEDOUT) {
                fprintf(stderr, "bench_load: %s: bad reply: %s\n", a->code, why);
            }
            return;
        }
        fn(a, env, arg);
        bc_wire_free(&env);
    }
}

static void
s_on_any(s_agent_t *a, Baocao__Envelope *env, void *arg)
{
    int *hello = arg;
    if (!*hello || env->body_case == BAOCAO__ENVELOPE__BODY_ACK) {
        a->replied = 1;
    }
    else if (env->body_case == BAOCAO__ENVELOPE__BODY_ERROR) {
        fprintf(stderr, "bench_load: %s: hello refused: %s\n", a->code, env->error->message);
    }
}

//  Pings every agent (a Heartbeat, or a Hello) until each has an answer:
//  connections, CURVE handshakes and routes are in place before timing.
static int
s_greet(s_agent_t *agents, int n, zmq_pollitem_t *items, int hello)
{
    int64_t start = bench_now_us(), last_send = 0;
    int answered = 0;
    while (answered < n && bench_now_us() - start < S_CONNECT_LIMIT_US) {
        if (bench_now_us() - last_send > 2000000) {
            //  Resend to whoever has not answered (a connect may still be on its way).
            for (int i = 0; i < n; i++) {
                if (!agents[i].replied) {
                    hello ? s_send_hello(agents[i].sock) : s_send_heartbeat(agents[i].sock);
                }
            }
            last_send = bench_now_us();
        }
        if (zmq_poll(items, n, 100) <= 0) {
            continue;
        }
        for (int i = 0; i < n; i++) {
            if (items[i].revents & ZMQ_POLLIN) {
                int was = agents[i].replied;
                s_drain(&agents[i], s_on_any, &hello);
                answered += !was && agents[i].replied;
            }
        }
    }
    return answered == n ? 0 : -1;
}

static void
s_prebuild(s_agent_t *a, int count, uint32_t first, int revisions, const s_opts_t *o)
{
    bc_cert_t me;
    if (o->province && bench_load_key(o->province, a->code, &me) != 0) {
        exit(66);
    }
    a->msgs = bc_calloc((size_t) count, sizeof *a->msgs);
    a->sizes = bc_calloc((size_t) count, sizeof *a->sizes);
    a->ids = bc_calloc((size_t) count, sizeof *a->ids);
    for (int j = 0; j < count; j++) {
        uint32_t number = first + (uint32_t) (j / (revisions > 0 ? revisions : 1));
        a->msgs[j] = bench_report_envelope(a->code, number, o->size,
                                           o->province ? me.sign_secret : NULL, a->ids[j],
                                           &a->sizes[j]);
    }
    a->n_msgs = count;
    if (o->province) {
        bc_cert_wipe(&me);
    }
}

static void
s_send_next(s_agent_t *a)
{
    if (a->next >= a->n_msgs) {
        return;
    }
    int j = a->next++;
    s_slot_t *s = &a->slots[a->n_slots++];
    memcpy(s->id, a->ids[j], sizeof s->id);
    s->msg = j;
    s->sent_us = bench_now_us();
    if (zmq_send(a->sock, a->msgs[j], a->sizes[j], ZMQ_DONTWAIT) < 0) {
        fprintf(stderr, "bench_load: %s: cannot send: %s\n", a->code, zmq_strerror(zmq_errno()));
    }
}

typedef struct {
    bench_lat_t lat;
    long acked, errors, duplicates;
    int64_t last_ack_us;
    int in_fanout;                      //  fan-out: also watch deliveries
    uint32_t fan_number;
} s_run_t;

static void
s_on_reply(s_agent_t *a, Baocao__Envelope *env, void *arg)
{
    s_run_t *run = arg;
    int64_t now = bench_now_us();
    if (env->body_case == BAOCAO__ENVELOPE__BODY_DELIVERY) {
        if (run->in_fanout && env->delivery->ref && env->delivery->ref->number == run->fan_number
            && !a->t_delivered) {
            a->t_delivered = now;
            s_send_next(a);
        }
        return;
    }
    const char *in_reply_to = env->body_case == BAOCAO__ENVELOPE__BODY_ACK ? env->ack->in_reply_to
                              : env->body_case == BAOCAO__ENVELOPE__BODY_ERROR
                                  ? env->error->in_reply_to
                                  : NULL;
    if (!in_reply_to) {
        return;
    }
    for (int s = 0; s < a->n_slots; s++) {
        if (strcmp(a->slots[s].id, in_reply_to) != 0) {
            continue;
        }
        if (env->body_case == BAOCAO__ENVELOPE__BODY_ACK) {
            bench_lat_add(&run->lat, now - a->slots[s].sent_us);
            run->acked++;
            run->duplicates += env->ack->duplicate;
            if (!a->t_stored) {
                a->t_stored = now;
            }
        }
        else {
            if (run->errors < 5) {
                fprintf(stderr, "bench_load: %s: refused: %s\n", a->code, env->error->message);
            }
            run->errors++;
        }
        run->last_ack_us = now;
        a->done++;
        a->slots[s] = a->slots[--a->n_slots];
        if (!run->in_fanout) {
            s_send_next(a);             //  closed loop; a fan-out answers once
        }
        return;
    }
}

static void
s_print_lat(bench_lat_t *lat)
{
    printf(" p50_us=%.0f p99_us=%.0f p999_us=%.0f max_us=%.0f", bench_lat_pct(lat, 50),
           bench_lat_pct(lat, 99), bench_lat_pct(lat, 99.9), bench_lat_pct(lat, 100));
}

static void
s_free_agents(s_agent_t *agents, int n)
{
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < agents[i].n_msgs; j++) {
            free(agents[i].msgs[j]);
        }
        free(agents[i].msgs);
        free(agents[i].sizes);
        free(agents[i].ids);
        free(agents[i].slots);
        if (agents[i].sock) {
            zmq_close(agents[i].sock);
        }
    }
    free(agents);
}

//  --- issue ---------------------------------------------------------------

static int
s_issue(const s_opts_t *o, void *ctx, const bc_cert_t *broker, uint32_t first, int count,
        int recipients)
{
    void *sock = s_socket(ctx, BENCH_COORD, o, broker);
    s_agent_t coord;
    memset(&coord, 0, sizeof coord);
    coord.sock = sock;
    zmq_pollitem_t item = { sock, 0, ZMQ_POLLIN, 0 };
    int zero = 0;
    if (s_greet(&coord, 1, &item, zero) != 0) {
        fprintf(stderr, "bench_load: the coordinator cannot reach %s\n", o->endpoint);
        zmq_close(sock);
        return -1;
    }
    char (*ids)[BC_ID_HEX_LEN + 1] = bc_calloc(S_ISSUE_INFLIGHT, sizeof *ids);
    int n_flight = 0, sent = 0, acked = 0, errors = 0;
    int64_t start = bench_now_us();
    while (acked + errors < count && bench_now_us() - start < 600 * 1000000LL) {
        while (n_flight < S_ISSUE_INFLIGHT && sent < count) {
            s_send_issue(sock, first + (uint32_t) sent, recipients, ids[n_flight++]);
            sent++;
        }
        if (zmq_poll(&item, 1, 1000) <= 0) {
            continue;
        }
        for (;;) {
            bc_wire_peer_t peer;
            Baocao__Envelope *env = NULL;
            char why[128];
            if (bc_wire_recv(sock, 0, ZMQ_DONTWAIT, &peer, &env, why, sizeof why) != BC_OK) {
                break;
            }
            const char *irt = env->body_case == BAOCAO__ENVELOPE__BODY_ACK ? env->ack->in_reply_to
                              : env->body_case == BAOCAO__ENVELOPE__BODY_ERROR
                                  ? env->error->in_reply_to
                                  : NULL;
            for (int s = 0; irt && s < n_flight; s++) {
                if (strcmp(ids[s], irt) == 0) {
                    if (env->body_case == BAOCAO__ENVELOPE__BODY_ACK
                        || env->error->code == BAOCAO__ERROR_CODE__DUPLICATE) {
                        acked++;
                    }
                    else {
                        fprintf(stderr, "bench_load: issue refused: %s\n", env->error->message);
                        errors++;
                    }
                    memcpy(ids[s], ids[--n_flight], sizeof ids[s]);
                    break;
                }
            }
            bc_wire_free(&env);
        }
    }
    double secs = (double) (bench_now_us() - start) / 1e6;
    printf("RESULT kind=issue first=%u requests=%d recipients=%d acked=%d errors=%d seconds=%.3f\n",
           first, count, recipients, acked, errors, secs);
    fflush(stdout);
    free(ids);
    zmq_close(sock);
    return acked == count ? 0 : -1;
}

//  --- ingest --------------------------------------------------------------

static int
s_ingest(const s_opts_t *o)
{
    bc_cert_t broker;
    if (s_load_broker_key(o, &broker) != 0) {
        return 66;
    }
    void *ctx = s_context(o->agents + 1);
    s_agent_t *agents = bc_calloc((size_t) o->agents, sizeof *agents);
    zmq_pollitem_t *items = bc_calloc((size_t) o->agents, sizeof *items);
    int64_t t_build = bench_now_us();
    for (int i = 0; i < o->agents; i++) {
        bench_code(i, agents[i].code);
        s_prebuild(&agents[i], o->per_agent, o->first, o->revisions, o);
        agents[i].slots = bc_calloc((size_t) o->inflight, sizeof *agents[i].slots);
    }
    double build_s = (double) (bench_now_us() - t_build) / 1e6;
    for (int i = 0; i < o->agents; i++) {
        agents[i].sock = s_socket(ctx, agents[i].code, o, &broker);
        items[i].socket = agents[i].sock;
        items[i].events = ZMQ_POLLIN;
    }
    if (s_greet(agents, o->agents, items, 0) != 0) {
        fprintf(stderr, "bench_load: not every agency reached %s\n", o->endpoint);
        return 69;
    }
    for (int i = 0; i < o->agents; i++) {
        agents[i].replied = 0;
    }
    long long tx0 = o->store ? bench_store_txnid(o->store) : -1;
    double bcpu0 = o->broker_pid ? bench_proc_cpu(o->broker_pid) : -1;
    double ccpu0 = bench_self_cpu();
    s_run_t run;
    memset(&run, 0, sizeof run);
    long total = (long) o->agents * o->per_agent;
    int64_t start = bench_now_us();
    for (int i = 0; i < o->agents; i++) {
        for (int w = 0; w < o->inflight; w++) {
            s_send_next(&agents[i]);
        }
    }
    int64_t limit = (int64_t) (o->max_seconds * 1e6);
    while (run.acked + run.errors < total && bench_now_us() - start < limit) {
        if (zmq_poll(items, o->agents, 100) <= 0) {
            continue;
        }
        for (int i = 0; i < o->agents; i++) {
            if (items[i].revents & ZMQ_POLLIN) {
                s_drain(&agents[i], s_on_reply, &run);
            }
        }
    }
    int64_t end = run.last_ack_us ? run.last_ack_us : bench_now_us();
    double secs = (double) (end - start) / 1e6;
    double ccpu = bench_self_cpu() - ccpu0;
    double bcpu = o->broker_pid ? bench_proc_cpu(o->broker_pid) - bcpu0 : -1;
    long long tx1 = o->store ? bench_store_txnid(o->store) : -1;
    long long commits = tx0 >= 0 && tx1 >= 0 ? tx1 - tx0 : -1;
    printf("RESULT kind=ingest label=%s path=%s agents=%d inflight=%d reports=%ld errors=%ld "
           "duplicates=%ld seconds=%.3f rate=%.0f",
           o->label ? o->label : "-", o->province ? "deployed" : "plain", o->agents, o->inflight,
           run.acked, run.errors, run.duplicates, secs, secs > 0 ? (double) run.acked / secs : 0);
    s_print_lat(&run.lat);
    printf(" commits=%lld batch_avg=%.1f broker_cpu=%.2f client_cpu=%.2f build_s=%.1f "
           "size=%zu\n",
           commits, commits > 0 ? (double) run.acked / (double) commits : 0,
           secs > 0 && bcpu >= 0 ? bcpu / secs : -1, secs > 0 ? ccpu / secs : 0, build_s,
           o->size);
    fflush(stdout);
    int ok = run.acked == total && run.errors == 0;
    bench_lat_free(&run.lat);
    s_free_agents(agents, o->agents);
    free(items);
    zmq_ctx_term(ctx);
    return ok ? 0 : 1;
}

//  --- fan-out -------------------------------------------------------------

static void
s_print_rss(const char *phase, pid_t pid, long peak)
{
    printf("RESULT kind=rss phase=%s rss_kb=%ld rss_anon_kb=%ld rss_file_kb=%ld peak_kb=%ld "
           "hwm_kb=%ld\n",
           phase, bench_proc_kb(pid, "VmRSS"), bench_proc_kb(pid, "RssAnon"),
           bench_proc_kb(pid, "RssFile"), peak, bench_proc_kb(pid, "VmHWM"));
    fflush(stdout);
}

//  Fan-out (crowd 0) or crowd (crowd 1): see the usage at the top.
static int
s_fanout(const s_opts_t *o, int crowd)
{
    bc_cert_t broker;
    if (s_load_broker_key(o, &broker) != 0) {
        return 66;
    }
    int n = o->agents;
    void *ctx = s_context(n + 2);
    s_agent_t *agents = bc_calloc((size_t) n, sizeof *agents);
    zmq_pollitem_t *items = bc_calloc((size_t) n, sizeof *items);
    //  Fan-out: each agency answers request X once. Crowd: P more revisions.
    int per = crowd ? (o->revisions > 0 ? o->revisions : 1) : 1;
    for (int i = 0; i < n; i++) {
        bench_code(i, agents[i].code);
        s_prebuild(&agents[i], per, o->number, per, o);
        agents[i].slots = bc_calloc(1, sizeof *agents[i].slots);
    }
    int64_t t_conn = bench_now_us();
    for (int i = 0; i < n; i++) {
        agents[i].sock = s_socket(ctx, agents[i].code, o, &broker);
        items[i].socket = agents[i].sock;
        items[i].events = ZMQ_POLLIN;
    }
    if (s_greet(agents, n, items, 1) != 0) {
        fprintf(stderr, "bench_load: not every agency said hello\n");
        return 69;
    }
    printf("RESULT kind=hello agents=%d seconds=%.3f\n", n,
           (double) (bench_now_us() - t_conn) / 1e6);
    //  Idle: every agency connected and known, nothing in flight.
    usleep(1000000);
    if (o->broker_pid) {
        s_print_rss("idle", o->broker_pid, bench_proc_kb(o->broker_pid, "VmRSS"));
    }
    s_run_t run;
    memset(&run, 0, sizeof run);
    int ok = 1;
    void *coord = NULL;
    if (!crowd) {
        //  The coordinator, with a ping so its connection is up before t0.
        coord = s_socket(ctx, BENCH_COORD, o, &broker);
        s_agent_t c;
        memset(&c, 0, sizeof c);
        c.sock = coord;
        zmq_pollitem_t citem = { coord, 0, ZMQ_POLLIN, 0 };
        int zero = 0;
        if (s_greet(&c, 1, &citem, zero) != 0) {
            return 69;
        }
        zmq_pollitem_t *all = bc_calloc((size_t) n + 1, sizeof *all);
        memcpy(all, items, (size_t) n * sizeof *items);
        all[n] = citem;
        run.in_fanout = 1;
        run.fan_number = o->number;
        char issue_id[BC_ID_HEX_LEN + 1];
        int64_t t0 = bench_now_us(), t_issue_ack = 0;
        s_send_issue(coord, o->number, n, issue_id);
        long stored = 0, fan_peak = 0;
        int64_t fan_sample = 0;
        while (stored < n && bench_now_us() - t0 < 60 * 1000000LL) {
            if (o->broker_pid && bench_now_us() >= fan_sample) {
                long kb = bench_proc_kb(o->broker_pid, "VmRSS");
                fan_peak = kb > fan_peak ? kb : fan_peak;
                fan_sample = bench_now_us() + 50000;
            }
            if (zmq_poll(all, n + 1, 100) <= 0) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                if (all[i].revents & ZMQ_POLLIN) {
                    int had = agents[i].t_stored != 0;
                    s_drain(&agents[i], s_on_reply, &run);
                    stored += !had && agents[i].t_stored;
                }
            }
            if (all[n].revents & ZMQ_POLLIN) {
                bc_wire_peer_t peer;
                Baocao__Envelope *env = NULL;
                char why[128];
                while (bc_wire_recv(coord, 0, ZMQ_DONTWAIT, &peer, &env, why, sizeof why)
                       == BC_OK) {
                    if (env->body_case == BAOCAO__ENVELOPE__BODY_ACK && !t_issue_ack) {
                        t_issue_ack = bench_now_us();
                    }
                    bc_wire_free(&env);
                }
            }
        }
        bench_lat_t deliv;
        memset(&deliv, 0, sizeof deliv);
        int64_t last_deliv = 0, last_stored = 0;
        int delivered = 0;
        for (int i = 0; i < n; i++) {
            if (agents[i].t_delivered) {
                delivered++;
                bench_lat_add(&deliv, agents[i].t_delivered - t0);
                last_deliv = agents[i].t_delivered > last_deliv ? agents[i].t_delivered
                                                                : last_deliv;
            }
            last_stored = agents[i].t_stored > last_stored ? agents[i].t_stored : last_stored;
        }
        printf("RESULT kind=fanout path=%s agents=%d delivered=%d stored=%ld issue_ack_ms=%.1f "
               "deliver_p50_ms=%.1f deliver_all_ms=%.1f stored_all_ms=%.1f errors=%ld\n",
               o->province ? "deployed" : "plain", n, delivered, stored,
               t_issue_ack ? (double) (t_issue_ack - t0) / 1e3 : -1,
               bench_lat_pct(&deliv, 50) / 1e3,
               last_deliv ? (double) (last_deliv - t0) / 1e3 : -1,
               last_stored ? (double) (last_stored - t0) / 1e3 : -1, run.errors);
        fflush(stdout);
        if (o->broker_pid) {
            s_print_rss("fanout", o->broker_pid, fan_peak);
        }
        ok = delivered == n && stored == n && run.errors == 0;
        bench_lat_free(&deliv);
        free(all);
    }
    else {
        //  Under load: every agency submits its revisions, one in flight.
        double bcpu0 = o->broker_pid ? bench_proc_cpu(o->broker_pid) : -1;
        long peak = 0;
        int64_t start = bench_now_us(), next_sample = 0;
        long total = (long) n * per;
        for (int i = 0; i < n; i++) {
            s_send_next(&agents[i]);
        }
        int64_t limit = (int64_t) (o->load_seconds * 1e6);
        while (run.acked + run.errors < total && bench_now_us() - start < limit) {
            if (o->broker_pid && bench_now_us() >= next_sample) {
                long kb = bench_proc_kb(o->broker_pid, "VmRSS");
                peak = kb > peak ? kb : peak;
                next_sample = bench_now_us() + 100000;
            }
            if (zmq_poll(items, n, 100) <= 0) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                if (items[i].revents & ZMQ_POLLIN) {
                    s_drain(&agents[i], s_on_reply, &run);
                }
            }
        }
        double secs = (double) ((run.last_ack_us ? run.last_ack_us : bench_now_us()) - start)
                      / 1e6;
        double bcpu = o->broker_pid ? bench_proc_cpu(o->broker_pid) - bcpu0 : -1;
        printf("RESULT kind=crowd path=%s agents=%d reports=%ld errors=%ld seconds=%.3f rate=%.0f",
               o->province ? "deployed" : "plain", n, run.acked, run.errors, secs,
               secs > 0 ? (double) run.acked / secs : 0);
        s_print_lat(&run.lat);
        printf(" broker_cpu=%.2f\n", secs > 0 ? bcpu / secs : -1);
        if (o->broker_pid) {
            s_print_rss("load", o->broker_pid, peak);
        }
        ok = run.errors == 0 && run.acked == total;
    }
    bench_lat_free(&run.lat);
    if (coord) {
        zmq_close(coord);
    }
    s_free_agents(agents, n);
    free(items);
    zmq_ctx_term(ctx);
    return ok ? 0 : 1;
}

static void
s_usage(void)
{
    fprintf(stderr,
            "usage: bench_load agencies N FILE\n"
            "       bench_load issue -e EP --first F --requests Q --agents A [-p PROVINCE]\n"
            "       bench_load ingest -e EP --agents A --inflight W --per-agent K --first F\n"
            "                  [--revisions R] [--size B] [-p PROVINCE] [--store DIR]\n"
            "                  [--broker-pid PID] [--label L] [--max-seconds S]\n"
            "       bench_load fanout -e EP --agents N --number X [-p PROVINCE]\n"
            "                  [--broker-pid PID]\n"
            "       bench_load crowd -e EP --agents N --number X --revisions P [--size B]\n"
            "                  [-p PROVINCE] [--broker-pid PID] [--load-seconds S]\n");
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        s_usage();
        return 64;
    }
    const char *cmd = argv[1];
    signal(SIGPIPE, SIG_IGN);
    if (strcmp(cmd, "agencies") == 0) {
        if (argc != 4 || atoi(argv[2]) < 1 || atoi(argv[2]) > BENCH_AGENCIES_MAX) {
            s_usage();
            return 64;
        }
        return bench_write_agencies(argv[3], atoi(argv[2])) == 0 ? 0 : 73;
    }
    s_opts_t o = { .agents = 1, .inflight = 1, .per_agent = 100, .revisions = 10,
                   .requests = 1, .first = 1, .number = 1, .size = BENCH_REPORT_SIZE,
                   .max_seconds = 60, .load_seconds = 10 };
    static const struct option options[] = {
        { "endpoint", required_argument, NULL, 'e' },
        { "province", required_argument, NULL, 'p' },
        { "agents", required_argument, NULL, 'a' },
        { "inflight", required_argument, NULL, 'w' },
        { "per-agent", required_argument, NULL, 'k' },
        { "first", required_argument, NULL, 'f' },
        { "requests", required_argument, NULL, 'q' },
        { "revisions", required_argument, NULL, 'r' },
        { "number", required_argument, NULL, 'n' },
        { "size", required_argument, NULL, 's' },
        { "store", required_argument, NULL, 'S' },
        { "broker-pid", required_argument, NULL, 'P' },
        { "label", required_argument, NULL, 'l' },
        { "max-seconds", required_argument, NULL, 'm' },
        { "load-seconds", required_argument, NULL, 'L' },
        { NULL, 0, NULL, 0 },
    };
    int opt;
    optind = 2;
    while ((opt = getopt_long(argc, argv, "e:p:", options, NULL)) != -1) {
        switch (opt) {
        case 'e': o.endpoint = optarg; break;
        case 'p': o.province = optarg; break;
        case 'a': o.agents = atoi(optarg); break;
        case 'w': o.inflight = atoi(optarg); break;
        case 'k': o.per_agent = atoi(optarg); break;
        case 'f': o.first = (uint32_t) strtoul(optarg, NULL, 10); break;
        case 'q': o.requests = atoi(optarg); break;
        case 'r': o.revisions = atoi(optarg); break;
        case 'n': o.number = (uint32_t) strtoul(optarg, NULL, 10); break;
        case 's': o.size = (size_t) strtoul(optarg, NULL, 10); break;
        case 'S': o.store = optarg; break;
        case 'P': o.broker_pid = (pid_t) atoi(optarg); break;
        case 'l': o.label = optarg; break;
        case 'm': o.max_seconds = atof(optarg); break;
        case 'L': o.load_seconds = atof(optarg); break;
        default: s_usage(); return 64;
        }
    }
    if (!o.endpoint || o.agents < 1 || o.agents > BENCH_AGENCIES_MAX || o.inflight < 1
        || o.inflight > 1024 || o.per_agent < 1 || o.requests < 1 || o.first < 1
        || o.size < 1024 || o.size > (1u << 20) || o.max_seconds <= 0) {
        s_usage();
        return 64;
    }
    if (strcmp(cmd, "issue") == 0) {
        bc_cert_t broker;
        if (s_load_broker_key(&o, &broker) != 0) {
            return 66;
        }
        void *ctx = s_context(2);
        int rc = s_issue(&o, ctx, &broker, o.first, o.requests, o.agents);
        zmq_ctx_term(ctx);
        return rc == 0 ? 0 : 1;
    }
    if (strcmp(cmd, "ingest") == 0) {
        return s_ingest(&o);
    }
    if (strcmp(cmd, "fanout") == 0) {
        return s_fanout(&o, 0);
    }
    if (strcmp(cmd, "crowd") == 0) {
        return s_fanout(&o, 1);
    }
    s_usage();
    return 64;
}
