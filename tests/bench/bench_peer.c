//  bench_peer - the same durable-ingest job against Redis, RabbitMQ and NATS JetStream
//
//  Usage: bench_peer redis|amqp|nats PORT CLIENTS INFLIGHT PER_CLIENT SIZE [SERVER_PID]
//  CLIENTS threads, one connection each, keep INFLIGHT messages of SIZE
//  bytes in flight (closed loop, as bench_load does against the broker) and
//  send PER_CLIENT each; a message counts when the server acknowledges it:
//    redis   XADD bench * d <SIZE bytes>, pipelined; with appendonly yes and
//            appendfsync always Redis writes and fsyncs the AOF before it
//            sends the replies of an event-loop turn (its group commit)
//    amqp    basic.publish (persistent) to a quorum queue on a confirm-mode
//            channel; counted at the broker's basic.ack (multiple acks
//            count every tag up to theirs); quorum queues confirm once the
//            Raft log entry is fsynced
//    nats    a core publish with a reply subject to a subject of a
//            JetStream stream with file storage; counted at the PubAck.
//            JetStream acknowledges before fsync (sync every 2 minutes by
//            default): a non-durable upper bound
//  The stream or queue is deleted and created afresh before the clients
//  start. Prints one RESULT line. Every wait is bounded (30 s per reply).
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "bc_alloc.h"
#include "bench_common.h"

#ifdef BENCH_HAVE_REDIS
#include <hiredis/hiredis.h>
#endif
#ifdef BENCH_HAVE_AMQP
#include <amqp.h>
#include <amqp_tcp_socket.h>
#endif
#ifdef BENCH_HAVE_NATS
#include <nats/nats.h>
#endif

#define S_REPLY_TIMEOUT_MS  30000

typedef struct {
    int id;
    int port, inflight, count;
    size_t size;
    const uint8_t *payload;
    pthread_barrier_t *ready;           //  everyone connected before the clock starts
    bench_lat_t lat;
    long acked, errors;
    int64_t last_us;
    int failed;                         //  could not connect or set up
    char why[256];
} s_client_t;

static int64_t s_start_us;

//  A ring of send times: acks come in send order on every peer here.
typedef struct {
    int64_t *t;
    int cap, head, n;
} s_ring_t;

static void
s_ring_push(s_ring_t *r, int64_t t)
{
    r->t[(r->head + r->n++) % r->cap] = t;
}

static int64_t
s_ring_pop(s_ring_t *r)
{
    int64_t t = r->t[r->head];
    r->head = (r->head + 1) % r->cap;
    r->n--;
    return t;
}

static void
s_start(s_client_t *c)
{
    int rc = pthread_barrier_wait(c->ready);
    if (rc == PTHREAD_BARRIER_SERIAL_THREAD) {
        s_start_us = bench_now_us();
    }
    pthread_barrier_wait(c->ready);
}

#ifdef BENCH_HAVE_REDIS
static void *
s_redis(void *arg)
{
    s_client_t *c = arg;
    struct timeval tv = { S_REPLY_TIMEOUT_MS / 1000, 0 };
    redisContext *ctx = redisConnectWithTimeout("127.0.0.1", c->port, tv);
    if (!ctx || ctx->err) {
        snprintf(c->why, sizeof c->why, "cannot connect: %s", ctx ? ctx->errstr : "no memory");
        c->failed = 1;
    }
    else {
        redisSetTimeout(ctx, tv);
        if (c->id == 0) {
            redisReply *r = redisCommand(ctx, "DEL bench");
            if (r) {
                freeReplyObject(r);
            }
        }
    }
    s_start(c);
    if (c->failed) {
        return NULL;
    }
    s_ring_t ring = { bc_calloc((size_t) c->inflight, sizeof(int64_t)), c->inflight, 0, 0 };
    int sent = 0;
    while (sent < c->count && ring.n < c->inflight) {
        redisAppendCommand(ctx, "XADD bench * d %b", c->payload, c->size);
        s_ring_push(&ring, bench_now_us());
        sent++;
    }
    while (ring.n > 0) {
        redisReply *reply = NULL;
        if (redisGetReply(ctx, (void **) &reply) != REDIS_OK || !reply) {
            snprintf(c->why, sizeof c->why, "no reply: %s", ctx->errstr);
            c->failed = 1;
            break;
        }
        int64_t now = bench_now_us();
        int64_t sent_at = s_ring_pop(&ring);
        if (reply->type == REDIS_REPLY_ERROR) {
            if (c->errors++ == 0) {
                snprintf(c->why, sizeof c->why, "XADD refused: %s", reply->str);
            }
        }
        else {
            c->acked++;
            bench_lat_add(&c->lat, now - sent_at);
        }
        c->last_us = now;
        freeReplyObject(reply);
        if (sent < c->count) {
            redisAppendCommand(ctx, "XADD bench * d %b", c->payload, c->size);
            s_ring_push(&ring, bench_now_us());
            sent++;
        }
    }
    free(ring.t);
    redisFree(ctx);
    return NULL;
}
#endif

#ifdef BENCH_HAVE_AMQP
static int
s_amqp_ok(amqp_connection_state_t conn, s_client_t *c, const char *what)
{
    amqp_rpc_reply_t r = amqp_get_rpc_reply(conn);
    if (r.reply_type != AMQP_RESPONSE_NORMAL) {
        snprintf(c->why, sizeof c->why, "%s failed (reply type %d)", what, (int) r.reply_type);
        c->failed = 1;
        return 0;
    }
    return 1;
}

static void *
s_amqp(void *arg)
{
    s_client_t *c = arg;
    amqp_connection_state_t conn = amqp_new_connection();
    amqp_socket_t *sock = amqp_tcp_socket_new(conn);
    struct timeval tv = { S_REPLY_TIMEOUT_MS / 1000, 0 };
    if (!sock || amqp_socket_open_noblock(sock, "127.0.0.1", c->port, &tv) != AMQP_STATUS_OK) {
        snprintf(c->why, sizeof c->why, "cannot connect to port %d", c->port);
        c->failed = 1;
    }
    else {
        amqp_rpc_reply_t r = amqp_login(conn, "/", 0, 131072, 0, AMQP_SASL_METHOD_PLAIN, "guest",
                                        "guest");
        if (r.reply_type != AMQP_RESPONSE_NORMAL) {
            snprintf(c->why, sizeof c->why, "cannot log in");
            c->failed = 1;
        }
    }
    if (!c->failed) {
        amqp_channel_open(conn, 1);
        s_amqp_ok(conn, c, "channel.open");
    }
    if (!c->failed && c->id == 0) {
        amqp_queue_delete(conn, 1, amqp_cstring_bytes("bench"), 0, 0);
        s_amqp_ok(conn, c, "queue.delete");
        amqp_table_entry_t entry;
        entry.key = amqp_cstring_bytes("x-queue-type");
        entry.value.kind = AMQP_FIELD_KIND_UTF8;
        entry.value.value.bytes = amqp_cstring_bytes("quorum");
        amqp_table_t args = { 1, &entry };
        if (!c->failed) {
            amqp_queue_declare(conn, 1, amqp_cstring_bytes("bench"), 0, 1, 0, 0, args);
            s_amqp_ok(conn, c, "queue.declare (quorum)");
        }
    }
    if (!c->failed) {
        amqp_confirm_select(conn, 1);
        s_amqp_ok(conn, c, "confirm.select");
    }
    s_start(c);
    if (c->failed) {
        amqp_destroy_connection(conn);
        return NULL;
    }
    amqp_basic_properties_t props;
    memset(&props, 0, sizeof props);
    props._flags = AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_CONTENT_TYPE_FLAG;
    props.delivery_mode = 2;            //  persistent
    props.content_type = amqp_cstring_bytes("application/octet-stream");
    amqp_bytes_t body = { c->size, (void *) c->payload };
    //  Delivery tags run from 1 in send order: the ring's head is tag done+1.
    s_ring_t ring = { bc_calloc((size_t) c->inflight, sizeof(int64_t)), c->inflight, 0, 0 };
    uint64_t done = 0;
    int sent = 0;
    while (sent < c->count && ring.n < c->inflight) {
        amqp_basic_publish(conn, 1, amqp_empty_bytes, amqp_cstring_bytes("bench"), 0, 0, &props,
                           body);
        s_ring_push(&ring, bench_now_us());
        sent++;
    }
    while (ring.n > 0) {
        amqp_frame_t frame;
        struct timeval wait = { S_REPLY_TIMEOUT_MS / 1000, 0 };
        int rc = amqp_simple_wait_frame_noblock(conn, &frame, &wait);
        if (rc != AMQP_STATUS_OK) {
            snprintf(c->why, sizeof c->why, "no confirm: %s", amqp_error_string2(rc));
            c->failed = 1;
            break;
        }
        if (frame.frame_type != AMQP_FRAME_METHOD) {
            continue;
        }
        uint64_t tag;
        int multiple, nack = 0;
        if (frame.payload.method.id == AMQP_BASIC_ACK_METHOD) {
            amqp_basic_ack_t *a = frame.payload.method.decoded;
            tag = a->delivery_tag;
            multiple = a->multiple;
        }
        else if (frame.payload.method.id == AMQP_BASIC_NACK_METHOD) {
            amqp_basic_nack_t *a = frame.payload.method.decoded;
            tag = a->delivery_tag;
            multiple = a->multiple;
            nack = 1;
        }
        else {
            continue;
        }
        int64_t now = bench_now_us();
        uint64_t from = multiple ? done + 1 : tag;
        for (uint64_t t = from; t <= tag && ring.n > 0; t++) {
            int64_t sent_at = s_ring_pop(&ring);
            if (nack) {
                c->errors++;
            }
            else {
                c->acked++;
                bench_lat_add(&c->lat, now - sent_at);
            }
            done++;
            if (sent < c->count) {
                amqp_basic_publish(conn, 1, amqp_empty_bytes, amqp_cstring_bytes("bench"), 0, 0,
                                   &props, body);
                s_ring_push(&ring, bench_now_us());
                sent++;
            }
        }
        c->last_us = now;
    }
    free(ring.t);
    amqp_channel_close(conn, 1, AMQP_REPLY_SUCCESS);
    amqp_connection_close(conn, AMQP_REPLY_SUCCESS);
    amqp_destroy_connection(conn);
    return NULL;
}
#endif

#ifdef BENCH_HAVE_NATS
static void *
s_nats(void *arg)
{
    s_client_t *c = arg;
    natsOptions *opts = NULL;
    natsConnection *nc = NULL;
    natsSubscription *sub = NULL;
    char url[64], inbox[64], subject[64];
    snprintf(url, sizeof url, "nats://127.0.0.1:%d", c->port);
    snprintf(inbox, sizeof inbox, "_INBOX.bench%d.*", c->id);
    snprintf(subject, sizeof subject, "bench.%d", c->id);
    natsStatus s = natsOptions_Create(&opts);
    if (s == NATS_OK) {
        s = natsOptions_SetURL(opts, url);
    }
    if (s == NATS_OK) {
        s = natsOptions_SetSendAsap(opts, true);   //  no batching delay in the client
    }
    if (s == NATS_OK) {
        s = natsConnection_Connect(&nc, opts);
    }
    if (s == NATS_OK) {
        s = natsConnection_SubscribeSync(&sub, nc, inbox);
    }
    if (s == NATS_OK) {
        s = natsSubscription_SetPendingLimits(sub, -1, -1);
    }
    if (s == NATS_OK && c->id == 0) {
        jsCtx *js = NULL;
        s = natsConnection_JetStream(&js, nc, NULL);
        if (s == NATS_OK) {
            jsErrCode jerr = 0;
            js_DeleteStream(js, "BENCH", NULL, &jerr);
            jsStreamConfig cfg;
            jsStreamConfig_Init(&cfg);
            const char *subjects[] = { "bench.>" };
            cfg.Name = "BENCH";
            cfg.Subjects = subjects;
            cfg.SubjectsLen = 1;
            cfg.Storage = js_FileStorage;
            s = js_AddStream(NULL, js, &cfg, NULL, &jerr);
            jsCtx_Destroy(js);
        }
    }
    if (s != NATS_OK) {
        snprintf(c->why, sizeof c->why, "nats: %s", natsStatus_GetText(s));
        c->failed = 1;
    }
    s_start(c);
    if (!c->failed) {
        s_ring_t ring = { bc_calloc((size_t) c->inflight, sizeof(int64_t)), c->inflight, 0, 0 };
        int sent = 0;
        char reply[64];
        while (sent < c->count && ring.n < c->inflight) {
            snprintf(reply, sizeof reply, "_INBOX.bench%d.%d", c->id, sent);
            natsConnection_PublishRequest(nc, subject, reply, c->payload, (int) c->size);
            s_ring_push(&ring, bench_now_us());
            sent++;
        }
        while (ring.n > 0) {
            natsMsg *msg = NULL;
            if (natsSubscription_NextMsg(&msg, sub, S_REPLY_TIMEOUT_MS) != NATS_OK) {
                snprintf(c->why, sizeof c->why, "no PubAck within %d ms", S_REPLY_TIMEOUT_MS);
                c->failed = 1;
                break;
            }
            int64_t now = bench_now_us();
            const char *data = natsMsg_GetData(msg);
            int64_t sent_at = s_ring_pop(&ring);
            if (data && strstr(data, "\"error\"")) {
                c->errors++;
            }
            else {
                c->acked++;
                bench_lat_add(&c->lat, now - sent_at);
            }
            c->last_us = now;
            natsMsg_Destroy(msg);
            if (sent < c->count) {
                snprintf(reply, sizeof reply, "_INBOX.bench%d.%d", c->id, sent);
                natsConnection_PublishRequest(nc, subject, reply, c->payload, (int) c->size);
                s_ring_push(&ring, bench_now_us());
                sent++;
            }
        }
        free(ring.t);
    }
    natsSubscription_Destroy(sub);
    natsConnection_Destroy(nc);
    natsOptions_Destroy(opts);
    return NULL;
}
#endif

int
main(int argc, char **argv)
{
    if (argc != 7 && argc != 8) {
        fprintf(stderr, "usage: bench_peer redis|amqp|nats PORT CLIENTS INFLIGHT PER_CLIENT SIZE "
                        "[SERVER_PID]\n");
        return 64;
    }
    const char *kind = argv[1];
    int port = atoi(argv[2]), clients = atoi(argv[3]), inflight = atoi(argv[4]);
    int count = atoi(argv[5]);
    size_t size = strtoul(argv[6], NULL, 10);
    pid_t server = argc == 8 ? (pid_t) atoi(argv[7]) : 0;
    if (port < 1 || clients < 1 || clients > 256 || inflight < 1 || inflight > 1024 || count < 1
        || size < 1 || size > (1u << 20)) {
        fprintf(stderr, "bench_peer: bad arguments\n");
        return 64;
    }
    void *(*fn)(void *) = NULL;
#ifdef BENCH_HAVE_REDIS
    if (strcmp(kind, "redis") == 0) {
        fn = s_redis;
    }
#endif
#ifdef BENCH_HAVE_AMQP
    if (strcmp(kind, "amqp") == 0) {
        fn = s_amqp;
    }
#endif
#ifdef BENCH_HAVE_NATS
    if (strcmp(kind, "nats") == 0) {
        fn = s_nats;
    }
#endif
    if (!fn) {
        fprintf(stderr, "bench_peer: %s: not built in (client library missing)\n", kind);
        return 69;
    }
    uint8_t *payload = bc_malloc(size);
    for (size_t i = 0; i < size; i++) {
        payload[i] = (uint8_t) ('a' + i % 26);
    }
    pthread_barrier_t ready;
    pthread_barrier_init(&ready, NULL, (unsigned) clients);
    s_client_t *cs = bc_calloc((size_t) clients, sizeof *cs);
    pthread_t *threads = bc_calloc((size_t) clients, sizeof *threads);
    //  Client 0 (re)creates the stream or queue before the others start.
    for (int i = 0; i < clients; i++) {
        cs[i] = (s_client_t) { .id = i, .port = port, .inflight = inflight, .count = count,
                               .size = size, .payload = payload, .ready = &ready };
    }
    double scpu0 = server ? bench_proc_cpu(server) : -1;
    double ccpu0 = bench_self_cpu();
    for (int i = 0; i < clients; i++) {
        pthread_create(&threads[i], NULL, fn, &cs[i]);
    }
    bench_lat_t all;
    memset(&all, 0, sizeof all);
    long acked = 0, errors = 0;
    int64_t last = 0;
    int failed = 0;
    for (int i = 0; i < clients; i++) {
        pthread_join(threads[i], NULL);
        if (cs[i].failed) {
            fprintf(stderr, "bench_peer: %s client %d: %s\n", kind, i, cs[i].why);
            failed = 1;
        }
        acked += cs[i].acked;
        errors += cs[i].errors;
        last = cs[i].last_us > last ? cs[i].last_us : last;
        for (size_t k = 0; k < cs[i].lat.n; k++) {
            bench_lat_add(&all, cs[i].lat.us[k]);
        }
        bench_lat_free(&cs[i].lat);
    }
    if (failed) {
        return 1;                       //  no figure from a run that did not finish
    }
    double secs = last > s_start_us ? (double) (last - s_start_us) / 1e6 : 0;
    double scpu = server ? bench_proc_cpu(server) - scpu0 : -1;
    double ccpu = bench_self_cpu() - ccpu0;
    printf("RESULT kind=peer peer=%s agents=%d inflight=%d reports=%ld errors=%ld seconds=%.3f "
           "rate=%.0f p50_us=%.0f p99_us=%.0f p999_us=%.0f max_us=%.0f server_cpu=%.2f "
           "client_cpu=%.2f size=%zu\n",
           kind, clients, inflight, acked, errors, secs, secs > 0 ? (double) acked / secs : 0,
           bench_lat_pct(&all, 50), bench_lat_pct(&all, 99), bench_lat_pct(&all, 99.9),
           bench_lat_pct(&all, 100), secs > 0 && scpu >= 0 ? scpu / secs : -1,
           secs > 0 ? ccpu / secs : 0, size);
    bench_lat_free(&all);
    free(cs);
    free(threads);
    free(payload);
    pthread_barrier_destroy(&ready);
    return failed || errors ? 1 : 0;
}
