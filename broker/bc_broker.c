//  bc_broker - the broker's protocol loop, group commit and deadlines
#include "bc_broker.h"
#include "bc_alloc.h"
#include "bc_audit.h"
#include "bc_cert.h"
#include "bc_sign.h"
#include "bc_zap.h"
#include "bc_clock.h"
#include "bc_fs.h"
#include "bc_log.h"
#include "bc_records.h"
#include "bc_registry.h"
#include "bc_sessions.h"
#include "bc_validate.h"
#include "bc_wire.h"

#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#define S_MAX_WHY       512
#define S_REQ_CACHE     8               //  request records unpacked once per cycle

static const bc_cfg_key_t s_config_keys[] = {
    { "broker", "endpoint", BC_CFG_STRING, offsetof(bc_broker_config_t, endpoint), 0, 0,
      "ZeroMQ endpoint agents and coordinators connect to" },
    { "broker", "events", BC_CFG_STRING, offsetof(bc_broker_config_t, events), 0, 0,
      "ZeroMQ endpoint of the event feed (PUB)" },
    { "broker", "store", BC_CFG_STRING, offsetof(bc_broker_config_t, store), 0, 0,
      "folder of the LMDB store" },
    { "broker", "agencies", BC_CFG_STRING, offsetof(bc_broker_config_t, agencies), 0, 0,
      "the province's agency list (CSV: code,name,role), loaded at start" },
    { "broker", "ready_file", BC_CFG_STRING, offsetof(bc_broker_config_t, ready_file), 0, 0,
      "file written with the bound endpoints once serving (empty: none)" },
    { "broker", "map_size_mb", BC_CFG_INT, offsetof(bc_broker_config_t, map_size_mb), 1,
      1 << 22, "initial store map size in MiB; it grows when needed" },
    { "broker", "batch_max", BC_CFG_INT, offsetof(bc_broker_config_t, batch_max), 1, 100000,
      "most messages committed together in one synced transaction" },
    { "broker", "session_timeout_ms", BC_CFG_INT,
      offsetof(bc_broker_config_t, session_timeout_ms), 1000, 86400000,
      "a client silent this long is considered offline" },
    { "broker", "deadline_check_ms", BC_CFG_INT,
      offsetof(bc_broker_config_t, deadline_check_ms), 100, 3600000,
      "how often passed deadlines are looked for" },
    { "broker", "presence_flush_ms", BC_CFG_INT,
      offsetof(bc_broker_config_t, presence_flush_ms), 100, 3600000,
      "how often agents' last-seen times are stored (and silent ones marked offline)" },
    { "broker", "heartbeat_ms", BC_CFG_INT, offsetof(bc_broker_config_t, heartbeat_ms), 0,
      600000, "ZMTP heartbeat on every connection (ZMQ_HEARTBEAT_IVL); 0 = off" },
    { "broker", "reader_check_ms", BC_CFG_INT, offsetof(bc_broker_config_t, reader_check_ms),
      100, 86400000, "how often reader slots left by dead processes are cleared" },
    { "broker", "security", BC_CFG_STRING, offsetof(bc_broker_config_t, security), 0, 0,
      "curve (every connection authenticated and encrypted) or none (development only)" },
    { "broker", "key", BC_CFG_STRING, offsetof(bc_broker_config_t, key), 0, 0,
      "the broker's secret key file (baocao key new), for security = curve" },
    { "broker", "require_signatures", BC_CFG_BOOL,
      offsetof(bc_broker_config_t, require_signatures), 0, 1,
      "refuse reports that are not signed with the sender's registered key" },
    { "broker", "log_level", BC_CFG_STRING, offsetof(bc_broker_config_t, log_level), 0, 0,
      "error, warn, info or debug" },
};

void
bc_broker_config_defaults(bc_broker_config_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->endpoint, sizeof cfg->endpoint, "tcp://127.0.0.1:5570");
    snprintf(cfg->events, sizeof cfg->events, "tcp://127.0.0.1:5571");
    snprintf(cfg->store, sizeof cfg->store, "/var/lib/baocao");
    snprintf(cfg->agencies, sizeof cfg->agencies, "/etc/baocao/agencies.csv");
    cfg->map_size_mb = 1024;
    cfg->batch_max = 256;
    cfg->session_timeout_ms = 60000;
    cfg->deadline_check_ms = 1000;
    cfg->presence_flush_ms = 5000;
    cfg->reader_check_ms = 60000;
    snprintf(cfg->security, sizeof cfg->security, "curve");
    snprintf(cfg->key, sizeof cfg->key, "/etc/baocao/keys/broker.key");
    cfg->require_signatures = 1;
    cfg->heartbeat_ms = 5000;
    snprintf(cfg->log_level, sizeof cfg->log_level, "info");
}

const bc_cfg_key_t *
bc_broker_config_table(size_t *count_p)
{
    *count_p = sizeof s_config_keys / sizeof s_config_keys[0];
    return s_config_keys;
}

//  One outgoing message produced by a cycle, sent after the commit.
typedef struct {
    uint8_t rid[BC_WIRE_MAX_RID];       //  destination route
    size_t rid_size;
    uint8_t *bytes;                     //  packed Envelope (owned)
    size_t size;
    int after_commit;                   //  only valid once the cycle commits
    char in_reply_to[72];               //  envelope id answered, "" for deliveries
} s_out_t;

//  One event produced by a cycle, published after the commit.
typedef struct {
    char topic[32];
    uint8_t *bytes;                     //  packed Event (owned)
    size_t size;
} s_event_t;

struct bc_broker {
    bc_broker_config_t cfg;             //  copy of the configuration
    void *ctx;                          //  ZeroMQ context
    void *router;                       //  clients
    void *pub;                          //  events
    bc_store_t *store;
    bc_sessions_t *sessions;
    s_out_t *out;                       //  this cycle's replies and deliveries
    size_t n_out, cap_out;
    s_event_t *events;                  //  this cycle's events
    size_t n_events, cap_events;
    int64_t next_deadline_ms;           //  earliest unprocessed deadline, 0 = scan
    int64_t next_check_mono;            //  when to look at deadlines again
    int64_t next_presence_mono;         //  when to store last-seen times
    int64_t next_reader_check_mono;     //  when to clear dead readers' slots
    int grow;                           //  the map ran full this cycle
    bc_zap_t *zap;                      //  ZAP handler, NULL without CURVE
    int curve;                          //  security = curve
    int reload_keys;                    //  the registry changed this cycle
    char outcome[256];                  //  the Error of the message in hand, "" = none
    int64_t refused_window_ms;          //  audit rate limit for refused handshakes
    unsigned refused_logged;
    int64_t bad_window_ms;              //  start of the current log window
    unsigned bad_logged;                //  bad messages logged in the window
    unsigned long bad_suppressed;       //  and not logged, to be summed up
    struct {
        bc_reqkey_t key;
        Baocao__RequestRecord *rec;     //  owned; NULL = free slot
    } req_cache[S_REQ_CACHE];           //  this cycle's requests, see s_request_get
    size_t req_cache_next;              //  the slot to reuse next
};

#define S_BAD_LOG_PER_SECOND    10      //  a flood must not flood the log too

//  --- outgoing queue ---------------------------------------------------------

static void
s_queue(bc_broker_t *self, const uint8_t *rid, size_t rid_size, const Baocao__Envelope *env,
        int after_commit, const char *in_reply_to)
{
    if (self->n_out == self->cap_out) {
        self->cap_out = self->cap_out ? self->cap_out * 2 : 64;
        self->out = bc_realloc(self->out, self->cap_out * sizeof *self->out);
    }
    s_out_t *o = &self->out[self->n_out++];
    o->rid_size = rid_size < BC_WIRE_MAX_RID ? rid_size : BC_WIRE_MAX_RID;
    memcpy(o->rid, rid, o->rid_size);
    o->bytes = bc_wire_pack(env, &o->size);
    o->after_commit = after_commit;
    snprintf(o->in_reply_to, sizeof o->in_reply_to, "%s", in_reply_to ? in_reply_to : "");
}

static void
s_event(bc_broker_t *self, const char *kind, const bc_reqkey_t *key, const char *agency,
        Baocao__DeliveryStatus status, uint64_t seq, uint32_t revision, int late)
{
    Baocao__Event ev = BAOCAO__EVENT__INIT;
    Baocao__RequestRef ref;
    Baocao__Date date;
    Baocao__Timestamp at = BAOCAO__TIMESTAMP__INIT;
    at.unix_ms = bc_clock_now_ms();
    ev.kind = (char *) kind;
    if (key) {
        bc_reqkey_to_ref(key, &ref, &date);
        ev.ref = &ref;
    }
    ev.agency_code = (char *) (agency ? agency : "");
    ev.status = status;
    ev.seq = seq;
    ev.at = &at;
    ev.revision = revision;
    ev.late = late;
    if (self->n_events == self->cap_events) {
        self->cap_events = self->cap_events ? self->cap_events * 2 : 64;
        self->events = bc_realloc(self->events, self->cap_events * sizeof *self->events);
    }
    s_event_t *e = &self->events[self->n_events++];
    snprintf(e->topic, sizeof e->topic, "%s", kind);
    e->size = baocao__event__get_packed_size(&ev);
    e->bytes = bc_malloc(e->size);
    baocao__event__pack(&ev, e->bytes);
}

static void
s_reply_error(bc_broker_t *self, const bc_wire_peer_t *peer, const char *in_reply_to,
              Baocao__ErrorCode code, const char *message)
{
    const ProtobufCEnumValue *name =
        protobuf_c_enum_descriptor_get_value(&baocao__error_code__descriptor, code);
    snprintf(self->outcome, sizeof self->outcome, "%s: %s", name ? name->name : "?", message);
    bc_wire_out_t out;
    bc_wire_out_init(&out);
    Baocao__Error err = BAOCAO__ERROR__INIT;
    err.in_reply_to = (char *) (in_reply_to ? in_reply_to : "");
    err.code = code;
    err.message = (char *) message;
    out.env.body_case = BAOCAO__ENVELOPE__BODY_ERROR;
    out.env.error = &err;
    s_queue(self, peer->rid, peer->rid_size, &out.env, 0, NULL);
}

//  Sends (or, after a failed commit, converts) everything the cycle queued.
static void
s_flush(bc_broker_t *self, int committed)
{
    for (size_t i = 0; i < self->n_out; i++) {
        s_out_t *o = &self->out[i];
        if (o->after_commit && !committed) {
            if (o->in_reply_to[0]) {
                //  Nothing of that message is stored: say so, the sender retries.
                bc_wire_out_t out;
                bc_wire_out_init(&out);
                Baocao__Error err = BAOCAO__ERROR__INIT;
                err.in_reply_to = o->in_reply_to;
                err.code = BAOCAO__ERROR_CODE__STORE_FAILED;
                err.message = "the store could not commit; nothing was stored, retry";
                out.env.body_case = BAOCAO__ENVELOPE__BODY_ERROR;
                out.env.error = &err;
                size_t size;
                uint8_t *bytes = bc_wire_pack(&out.env, &size);
                zmq_send(self->router, o->rid, o->rid_size, ZMQ_SNDMORE | ZMQ_DONTWAIT);
                zmq_send(self->router, bytes, size, ZMQ_DONTWAIT);
                free(bytes);
            }
        }
        else if (zmq_send(self->router, o->rid, o->rid_size, ZMQ_SNDMORE | ZMQ_DONTWAIT) >= 0) {
            if (zmq_send(self->router, o->bytes, o->size, ZMQ_DONTWAIT) < 0) {
                bc_log_warn("cannot send to %.*s: %s", (int) o->rid_size, (char *) o->rid,
                            zmq_strerror(zmq_errno()));
            }
        }
        else if (zmq_errno() == EHOSTUNREACH) {
            //  The peer is gone; whatever it missed is redelivered on its Hello.
            bc_log_debug("peer %.*s is gone", (int) o->rid_size, (char *) o->rid);
        }
        free(o->bytes);
    }
    self->n_out = 0;
    for (size_t i = 0; i < self->n_events; i++) {
        s_event_t *e = &self->events[i];
        if (committed) {
            zmq_send(self->pub, e->topic, strlen(e->topic), ZMQ_SNDMORE | ZMQ_DONTWAIT);
            zmq_send(self->pub, e->bytes, e->size, ZMQ_DONTWAIT);
        }
        free(e->bytes);
    }
    self->n_events = 0;
}

//  --- helpers ---------------------------------------------------------------

//  The agency a message comes from: the transport's authenticated User-Id
//  when there is one (CURVE + ZAP), else the routing id up to its first '/'.
//  Never a field of the message itself.
static int
s_sender(const bc_wire_peer_t *peer, char *agency)
{
    if (peer->user_id[0]) {
        size_t n = strnlen(peer->user_id, sizeof peer->user_id);
        if (n >= BC_AGENCY_CODE_MAX) {
            return 0;
        }
        memcpy(agency, peer->user_id, n + 1);
    }
    else {
        size_t n = 0;
        while (n < peer->rid_size && peer->rid[n] != '/' && n < BC_AGENCY_CODE_MAX - 1) {
            n++;
        }
        memcpy(agency, peer->rid, n);
        agency[n] = '\0';
    }
    return bc_agency_code_valid(agency);
}

static Baocao__DeliveryStatus
s_latest(const Baocao__DeliveryRecord *rec)
{
    if (rec->n_history == 0) {
        return BAOCAO__DELIVERY_STATUS__PENDING;
    }
    return rec->history[rec->n_history - 1]->status;
}

//  Appends a step to rec's history. The new step points at stack or static
//  data: the caller packs rec before they go out of scope, then calls
//  s_history_pop to give the array back its own entries.
static void
s_history_push(Baocao__DeliveryRecord *rec, Baocao__StatusStep *step)
{
    rec->history = bc_realloc(rec->history, (rec->n_history + 1) * sizeof *rec->history);
    rec->history[rec->n_history++] = step;
}

static void
s_history_pop(Baocao__DeliveryRecord *rec)
{
    rec->n_history--;
}

//  Writes rec with one more step (status at now, note).
static bc_err
s_delivery_step(bc_txn_t *txn, const bc_reqkey_t *key, const char *code,
                Baocao__DeliveryRecord *rec, Baocao__DeliveryStatus status, const char *note)
{
    Baocao__StatusStep step = BAOCAO__STATUS_STEP__INIT;
    Baocao__Timestamp at = BAOCAO__TIMESTAMP__INIT;
    at.unix_ms = bc_clock_now_ms();
    step.status = status;
    step.at = &at;
    step.note = (char *) (note ? note : "");
    s_history_push(rec, &step);
    bc_err rc = bc_records_put_delivery(txn, key, code, rec);
    s_history_pop(rec);
    return rc;
}

static Baocao__ErrorCode
s_store_code(bc_broker_t *self, bc_err rc)
{
    if (rc == BC_EFULL && bc_store_map_was_full(self->store)) {
        self->grow = 1;
    }
    return rc == BC_ETOOBIG ? BAOCAO__ERROR_CODE__TOO_BIG : BAOCAO__ERROR_CODE__STORE_FAILED;
}

//  Queues a Delivery of key to session and records the attempt in txn.
static bc_err
s_deliver(bc_broker_t *self, bc_txn_t *txn, const bc_reqkey_t *key,
          const Baocao__ReportRequest *request, const bc_session_t *session,
          Baocao__DeliveryRecord *rec)
{
    rec->attempts++;
    bc_err rc;
    Baocao__DeliveryStatus latest = s_latest(rec);
    if (latest == BAOCAO__DELIVERY_STATUS__PENDING) {
        rc = s_delivery_step(txn, key, session->agency, rec, BAOCAO__DELIVERY_STATUS__SENT, NULL);
    }
    else {
        rc = bc_records_put_delivery(txn, key, session->agency, rec);
    }
    if (rc != BC_OK) {
        return rc;
    }
    bc_wire_out_t out;
    bc_wire_out_init(&out);
    Baocao__Delivery delivery = BAOCAO__DELIVERY__INIT;
    Baocao__RequestRef ref;
    Baocao__Date date;
    bc_reqkey_to_ref(key, &ref, &date);
    //  Each agency gets the request with itself as the only recipient: the
    //  full list (1,000 agencies in a national roll-up) would make every
    //  Delivery as large as all of them together, and the agent needs only
    //  its own entry (the name the coordinator uses for it).
    Baocao__ReportRequest mine = *request;
    Baocao__Agency *self_entry[1] = { NULL };
    for (size_t i = 0; i < request->n_recipients; i++) {
        if (strcmp(request->recipients[i]->code, session->agency) == 0) {
            self_entry[0] = request->recipients[i];
            break;
        }
    }
    mine.recipients = self_entry;
    mine.n_recipients = self_entry[0] ? 1 : 0;
    delivery.request = &mine;
    delivery.ref = &ref;
    delivery.attempt = rec->attempts;
    out.env.body_case = BAOCAO__ENVELOPE__BODY_DELIVERY;
    out.env.delivery = &delivery;
    s_queue(self, session->rid, session->rid_size, &out.env, 1, NULL);
    return BC_OK;
}

//  --- presence -----------------------------------------------------------------

//  Writes an agency's presence (online or not, last seen) in txn.
static bc_err
s_presence(bc_txn_t *txn, const bc_session_t *session, int online)
{
    Baocao__Presence rec = BAOCAO__PRESENCE__INIT;
    Baocao__Timestamp seen = BAOCAO__TIMESTAMP__INIT, hello = BAOCAO__TIMESTAMP__INIT;
    seen.unix_ms = session->last_seen_wall;
    hello.unix_ms = session->hello_ms;
    rec.agency_code = (char *) session->agency;
    rec.online = online;
    rec.last_seen = &seen;
    rec.connected_at = &hello;
    rec.software = (char *) session->software;
    return bc_records_put_presence(txn, &rec);
}

typedef struct {
    char (*codes)[BC_AGENCY_CODE_MAX];  //  agencies shown online
    size_t n;
} s_online_t;

static int
s_collect_online(const Baocao__Presence *rec, void *arg)
{
    s_online_t *o = arg;
    if (rec->online && bc_agency_code_valid(rec->agency_code)) {
        o->codes = bc_realloc(o->codes, (o->n + 1) * sizeof *o->codes);
        snprintf(o->codes[o->n++], BC_AGENCY_CODE_MAX, "%s", rec->agency_code);
    }
    return 0;
}

//  Stores the last-seen times that changed, and forgets (and marks offline)
//  sessions silent for longer than session_timeout_ms.
static void
s_presence_flush(bc_broker_t *self, int64_t mono_now)
{
    bc_txn_t *txn = NULL;
    if (bc_store_begin(self->store, 1, &txn) != BC_OK) {
        return;
    }
    bc_err rc = BC_OK;
    size_t i = 0;
    size_t gone = 0;
    while (rc == BC_OK && i < bc_sessions_count(self->sessions)) {
        bc_session_t *session = bc_sessions_at(self->sessions, i);
        if (mono_now - session->last_seen_ms > self->cfg.session_timeout_ms) {
            rc = s_presence(txn, session, 0);
            bc_log_info("%s is offline: silent for %lld ms", session->agency,
                        (long long) (mono_now - session->last_seen_ms));
            bc_sessions_remove(self->sessions, session->agency);
            gone++;
            continue;                   //  the table moved its last entry here
        }
        if (session->dirty) {
            rc = s_presence(txn, session, 1);
            session->dirty = 0;
        }
        i++;
    }
    if (rc == BC_OK) {
        rc = bc_store_commit(&txn);
    }
    else {
        bc_store_abort(&txn);
    }
    if (rc != BC_OK) {
        bc_log_warn("cannot store presence: %s", bc_store_last_error(self->store));
    }
}

//  --- handlers: each runs in its own nested transaction --------------------

typedef struct {
    bc_broker_t *self;
    bc_txn_t *txn;
    const bc_session_t *session;
    bc_err rc;
    size_t count;
} s_redeliver_t;

static int
s_redeliver_one(const bc_reqkey_t *key, void *arg)
{
    s_redeliver_t *r = arg;
    Baocao__RequestRecord *req = NULL;
    Baocao__DeliveryRecord *rec = NULL;
    r->rc = bc_records_get_request(r->txn, key, &req);
    if (r->rc == BC_OK) {
        r->rc = bc_records_get_delivery(r->txn, key, r->session->agency, &rec);
    }
    if (r->rc == BC_OK) {
        r->rc = s_deliver(r->self, r->txn, key, req->request, r->session, rec);
        r->count++;
    }
    if (rec) {
        baocao__delivery_record__free_unpacked(rec, NULL);
    }
    if (req) {
        baocao__request_record__free_unpacked(req, NULL);
    }
    return r->rc != BC_OK;
}

static void
s_on_hello(bc_broker_t *self, bc_txn_t *txn, const bc_wire_peer_t *peer, const char *agency,
           const Baocao__Envelope *env)
{
    Baocao__AgencyRecord *rec = NULL;
    if (bc_records_get_agency(txn, agency, &rec) != BC_OK || rec->revoked) {
        s_reply_error(self, peer, env->id, BAOCAO__ERROR_CODE__UNKNOWN_AGENCY,
                      "agency is not registered with this broker");
        if (rec) {
            baocao__agency_record__free_unpacked(rec, NULL);
        }
        return;
    }
    baocao__agency_record__free_unpacked(rec, NULL);
    bc_session_t *session = bc_sessions_hello(self->sessions, agency, peer->rid, peer->rid_size,
                                              bc_clock_mono_ms(), bc_clock_now_ms());
    const char *software = env->hello->software ? env->hello->software : "";
    snprintf(session->software, sizeof session->software, "%.63s", software);
    if (s_presence(txn, session, 1) == BC_OK) {
        session->dirty = 0;
    }
    bc_wire_out_t out;
    bc_wire_out_init(&out);
    Baocao__Ack ack = BAOCAO__ACK__INIT;
    ack.in_reply_to = env->id;
    out.env.body_case = BAOCAO__ENVELOPE__BODY_ACK;
    out.env.ack = &ack;
    s_queue(self, peer->rid, peer->rid_size, &out.env, 0, NULL);

    bc_txn_t *child = NULL;
    if (bc_store_begin_child(txn, &child) != BC_OK) {
        return;
    }
    s_redeliver_t r = { self, child, session, BC_OK, 0 };
    bc_err rc = bc_records_each_pending(child, agency, s_redeliver_one, &r);
    if (rc == BC_OK) {
        rc = r.rc;
    }
    if (rc == BC_OK) {
        rc = bc_store_commit(&child);
    }
    else {
        bc_store_abort(&child);
        s_store_code(self, rc);
    }
    bc_log_info("hello from %s, %zu pending request(s) delivered", agency, r.count);
}

typedef struct {
    bc_broker_t *self;
    bc_txn_t *txn;
    const Baocao__ReportRequest *request;
    const bc_reqkey_t *key;
    bc_err rc;
} s_fanout_t;

#define S_REMIND_MAX    16              //  reminder times per request
static size_t s_remind_times(const Baocao__ReportRequest *req, int64_t *times);

//  True when agency is registered, not revoked, and holds role.
static int
s_has_role(bc_txn_t *txn, const char *agency, Baocao__Role role)
{
    Baocao__AgencyRecord *rec = NULL;
    int yes = bc_records_get_agency(txn, agency, &rec) == BC_OK && !rec->revoked
              && bc_records_agency_has_role(rec, role);
    if (rec) {
        baocao__agency_record__free_unpacked(rec, NULL);
    }
    return yes;
}

static bc_err
s_issue_store(bc_broker_t *self, bc_txn_t *txn, const char *agency,
              Baocao__ReportRequest *request, const bc_reqkey_t *key, uint64_t *seq_p,
              Baocao__ErrorCode *code, char *why, size_t why_size)
{
    bc_err rc = bc_store_next_seq(txn, seq_p);
    if (rc != BC_OK) {
        *code = s_store_code(self, rc);
        snprintf(why, why_size, "cannot store: %s", bc_strerror(rc));
        return rc;
    }
    Baocao__RequestRecord rec = BAOCAO__REQUEST_RECORD__INIT;
    Baocao__Timestamp issued_at = BAOCAO__TIMESTAMP__INIT;
    issued_at.unix_ms = bc_clock_now_ms();
    rec.request = request;
    rec.issued_at = &issued_at;
    rec.issued_by = (char *) agency;
    rec.seq = *seq_p;
    //  Reminder times already past when the request is issued (a deadline
    //  an hour away) are not reminders: the request itself just went out.
    int64_t times[S_REMIND_MAX];
    size_t n_times = s_remind_times(request, times);
    while (rec.reminders_done < n_times && times[rec.reminders_done] <= issued_at.unix_ms) {
        rec.reminders_done++;
    }
    rc = bc_records_put_request(txn, key, &rec);
    if (rc == BC_EEXIST) {
        char text[BC_REQKEY_TEXT_MAX];
        bc_reqkey_format(key, text, sizeof text);
        *code = BAOCAO__ERROR_CODE__DUPLICATE;
        snprintf(why, why_size, "a request %s is already stored", text);
        return rc;
    }
    if (rc != BC_OK) {
        *code = s_store_code(self, rc);
        snprintf(why, why_size, "cannot store the request: %s", bc_strerror(rc));
        return rc;
    }
    for (size_t i = 0; i < request->n_recipients; i++) {
        const char *code_i = request->recipients[i]->code;
        Baocao__AgencyRecord *arec = NULL;
        rc = bc_records_get_agency(txn, code_i, &arec);
        if (rc != BC_OK || arec->revoked) {
            if (arec) {
                baocao__agency_record__free_unpacked(arec, NULL);
            }
            *code = BAOCAO__ERROR_CODE__UNKNOWN_AGENCY;
            snprintf(why, why_size, "recipients[%zu]: agency %s is not registered", i, code_i);
            return BC_EINVAL;
        }
        Baocao__DeliveryRecord drec = BAOCAO__DELIVERY_RECORD__INIT;
        drec.agency = arec->agency;
        rc = s_delivery_step(txn, key, code_i, &drec, BAOCAO__DELIVERY_STATUS__PENDING, NULL);
        free(drec.history);
        if (rc == BC_OK) {
            rc = bc_records_set_pending(txn, code_i, key, 1);
        }
        if (rc == BC_OK) {
            bc_session_t *session = bc_sessions_find(self->sessions, code_i);
            if (session) {
                Baocao__DeliveryRecord *stored = NULL;
                rc = bc_records_get_delivery(txn, key, code_i, &stored);
                if (rc == BC_OK) {
                    rc = s_deliver(self, txn, key, request, session, stored);
                    baocao__delivery_record__free_unpacked(stored, NULL);
                }
            }
        }
        baocao__agency_record__free_unpacked(arec, NULL);
        if (rc != BC_OK) {
            *code = s_store_code(self, rc);
            snprintf(why, why_size, "cannot store deliveries: %s", bc_strerror(rc));
            return rc;
        }
    }
    return BC_OK;
}

static void
s_on_issue(bc_broker_t *self, bc_txn_t *txn, const bc_wire_peer_t *peer, const char *agency,
           Baocao__Envelope *env)
{
    char why[S_MAX_WHY];
    bc_err rc;
    if (!s_has_role(txn, agency, BAOCAO__ROLE__COORDINATOR_ROLE)) {
        s_reply_error(self, peer, env->id, BAOCAO__ERROR_CODE__DENIED,
                      "only a registered coordinator may issue requests");
        return;
    }
    Baocao__ReportRequest *request = env->issue_request->request;
    if (!request) {
        s_reply_error(self, peer, env->id, BAOCAO__ERROR_CODE__INVALID, "no request in message");
        return;
    }
    if (bc_validate_request(request, why, sizeof why) != BC_OK) {
        s_reply_error(self, peer, env->id, BAOCAO__ERROR_CODE__INVALID, why);
        return;
    }
    if (strcmp(request->issuer->code, agency) != 0) {
        s_reply_error(self, peer, env->id, BAOCAO__ERROR_CODE__DENIED,
                      "a coordinator may issue requests only in its own name");
        return;
    }
    bc_reqkey_t key;
    if (bc_reqkey_from_request(request, &key) != BC_OK) {
        s_reply_error(self, peer, env->id, BAOCAO__ERROR_CODE__INVALID, "malformed request key");
        return;
    }
    size_t n_out = self->n_out;
    bc_txn_t *child = NULL;
    rc = bc_store_begin_child(txn, &child);
    if (rc != BC_OK) {
        s_reply_error(self, peer, env->id, s_store_code(self, rc), "cannot begin transaction");
        return;
    }
    uint64_t seq = 0;
    Baocao__ErrorCode code = BAOCAO__ERROR_CODE__STORE_FAILED;
    rc = s_issue_store(self, child, agency, request, &key, &seq, &code, why, sizeof why);
    if (rc == BC_OK) {
        rc = bc_store_commit(&child);
        if (rc != BC_OK) {
            code = s_store_code(self, rc);
            snprintf(why, sizeof why, "cannot store: %s", bc_strerror(rc));
        }
    }
    else {
        bc_store_abort(&child);
    }
    if (rc != BC_OK) {
        //  Deliveries queued for the aborted request must not go out.
        for (size_t i = n_out; i < self->n_out; i++) {
            free(self->out[i].bytes);
        }
        self->n_out = n_out;
        s_reply_error(self, peer, env->id, code, why);
        return;
    }
    bc_wire_out_t out;
    bc_wire_out_init(&out);
    Baocao__Ack ack = BAOCAO__ACK__INIT;
    Baocao__RequestRef ref;
    Baocao__Date date;
    bc_reqkey_to_ref(&key, &ref, &date);
    ack.in_reply_to = env->id;
    ack.ref = &ref;
    ack.seq = seq;
    out.env.body_case = BAOCAO__ENVELOPE__BODY_ACK;
    out.env.ack = &ack;
    s_queue(self, peer->rid, peer->rid_size, &out.env, 1, env->id);
    s_event(self, "request.issued", &key, agency, BAOCAO__DELIVERY_STATUS__PENDING, seq, 0, 0);
    //  Its reminder times and deadline join the schedule at the next tick.
    self->next_deadline_ms = 0;
    char text[BC_REQKEY_TEXT_MAX];
    bc_reqkey_format(&key, text, sizeof text);
    bc_log_info("request %s issued by %s to %zu agencies", text, agency, request->n_recipients);
}

//  The request record under key as the cycle's transaction sees it, unpacked
//  once per cycle: the answers to one request arrive together (a deadline's
//  last hour, a fan-out), and unpacking the request with every recipient for
//  each report was most of the broker's CPU with a thousand recipients (see
//  tests/bench/RESULTS.md). Borrowed until s_request_cache_clear. Safe
//  because no handler of a cycle changes a stored request: an issue writes a
//  new key (a miss is never cached) and deadlines rewrite requests in their
//  own transaction, between cycles.
static bc_err
s_request_get(bc_broker_t *self, bc_txn_t *txn, const bc_reqkey_t *key,
              const Baocao__RequestRecord **req_p)
{
    for (size_t i = 0; i < S_REQ_CACHE; i++) {
        if (self->req_cache[i].rec && bc_reqkey_equal(&self->req_cache[i].key, key)) {
            *req_p = self->req_cache[i].rec;
            return BC_OK;
        }
    }
    Baocao__RequestRecord *rec = NULL;
    bc_err rc = bc_records_get_request(txn, key, &rec);
    if (rc != BC_OK) {
        return rc;
    }
    //  Round robin: a handler borrows one request at a time, so the slot
    //  reused is never one still in use.
    size_t slot = self->req_cache_next++ % S_REQ_CACHE;
    if (self->req_cache[slot].rec) {
        baocao__request_record__free_unpacked(self->req_cache[slot].rec, NULL);
    }
    self->req_cache[slot].key = *key;
    self->req_cache[slot].rec = rec;
    *req_p = rec;
    return BC_OK;
}

static void
s_request_cache_clear(bc_broker_t *self)
{
    for (size_t i = 0; i < S_REQ_CACHE; i++) {
        if (self->req_cache[i].rec) {
            baocao__request_record__free_unpacked(self->req_cache[i].rec, NULL);
            self->req_cache[i].rec = NULL;
        }
    }
    self->req_cache_next = 0;
}

//  Loads the request (borrowed, see s_request_get) and the sender's delivery
//  for a Receipt or a report; replies with the right Error and returns
//  non-zero when either is missing.
static int
s_addressed(bc_broker_t *self, bc_txn_t *txn, const bc_wire_peer_t *peer, const char *id,
            const char *agency, const Baocao__RequestRef *ref, bc_reqkey_t *key,
            const Baocao__RequestRecord **req_p, Baocao__DeliveryRecord **rec_p)
{
    if (bc_reqkey_from_ref(ref, key) != BC_OK) {
        s_reply_error(self, peer, id, BAOCAO__ERROR_CODE__INVALID,
                      "malformed request reference");
        return 1;
    }
    bc_err rc = s_request_get(self, txn, key, req_p);
    if (rc != BC_OK) {
        s_reply_error(self, peer, id,
                      rc == BC_ENOTFOUND ? BAOCAO__ERROR_CODE__UNKNOWN_REQUEST
                                         : s_store_code(self, rc),
                      rc == BC_ENOTFOUND ? "no such request" : "cannot read the store");
        return 1;
    }
    rc = bc_records_get_delivery(txn, key, agency, rec_p);
    if (rc != BC_OK) {
        *req_p = NULL;
        s_reply_error(self, peer, id,
                      rc == BC_ENOTFOUND ? BAOCAO__ERROR_CODE__NOT_ADDRESSED
                                         : s_store_code(self, rc),
                      rc == BC_ENOTFOUND ? "the request is not addressed to this agency"
                                         : "cannot read the store");
        return 1;
    }
    return 0;
}

static void
s_on_receipt(bc_broker_t *self, bc_txn_t *txn, const bc_wire_peer_t *peer, const char *agency,
             const Baocao__Envelope *env)
{
    const Baocao__Receipt *receipt = env->receipt;
    Baocao__DeliveryStatus status = receipt->status;
    if (status < BAOCAO__DELIVERY_STATUS__ARRIVED || status > BAOCAO__DELIVERY_STATUS__COMPLETED) {
        s_reply_error(self, peer, env->id, BAOCAO__ERROR_CODE__INVALID,
                      "receipt status must be an edXML status 01..06");
        return;
    }
    if (status == BAOCAO__DELIVERY_STATUS__REJECTED
        && (!receipt->reason || !*receipt->reason)) {
        s_reply_error(self, peer, env->id, BAOCAO__ERROR_CODE__INVALID,
                      "a rejection needs a reason");
        return;
    }
    if (receipt->reason && strlen(receipt->reason) > 4096) {
        s_reply_error(self, peer, env->id, BAOCAO__ERROR_CODE__INVALID, "reason too long");
        return;
    }
    bc_reqkey_t key;
    const Baocao__RequestRecord *req = NULL;
    Baocao__DeliveryRecord *rec = NULL;
    if (s_addressed(self, txn, peer, env->id, agency, receipt->ref, &key, &req, &rec)) {
        return;
    }
    Baocao__DeliveryStatus latest = s_latest(rec);
    int recorded = 0;
    bc_err rc = BC_OK;
    //  Receipts are business steps; once a report is stored, late "arrived"
    //  or "processing" receipts (reordered or resent) change nothing.
    int reported = rec->revision > 0;
    if (latest != status && !(reported && status < BAOCAO__DELIVERY_STATUS__COMPLETED)) {
        bc_txn_t *child = NULL;
        rc = bc_store_begin_child(txn, &child);
        if (rc == BC_OK) {
            rc = s_delivery_step(child, &key, agency, rec, status, receipt->reason);
        }
        if (rc == BC_OK && status == BAOCAO__DELIVERY_STATUS__REJECTED) {
            rc = bc_records_set_pending(child, agency, &key, 0);
        }
        if (rc == BC_OK) {
            rc = bc_store_commit(&child);
        }
        else {
            bc_store_abort(&child);
        }
        recorded = rc == BC_OK;
    }
    if (rc != BC_OK) {
        s_reply_error(self, peer, env->id, s_store_code(self, rc), "cannot store the receipt");
    }
    else {
        bc_wire_out_t out;
        bc_wire_out_init(&out);
        Baocao__Ack ack = BAOCAO__ACK__INIT;
        ack.in_reply_to = env->id;
        ack.ref = receipt->ref;
        out.env.body_case = BAOCAO__ENVELOPE__BODY_ACK;
        out.env.ack = &ack;
        s_queue(self, peer->rid, peer->rid_size, &out.env, 1, env->id);
        if (recorded) {
            s_event(self, "delivery.status", &key, agency, status, 0, 0, 0);
        }
    }
    baocao__delivery_record__free_unpacked(rec, NULL);
}

static void
s_ack_report(bc_broker_t *self, const bc_wire_peer_t *peer, const char *id,
             const Baocao__RequestRef *ref, const char *report_id, uint64_t seq,
             uint32_t revision, int late, int duplicate)
{
    bc_wire_out_t out;
    bc_wire_out_init(&out);
    Baocao__Ack ack = BAOCAO__ACK__INIT;
    ack.in_reply_to = (char *) id;
    ack.ref = (Baocao__RequestRef *) ref;
    ack.seq = seq;
    ack.revision = revision;
    ack.report_id = (char *) report_id;
    ack.late = late;
    ack.duplicate = duplicate;
    out.env.body_case = BAOCAO__ENVELOPE__BODY_ACK;
    out.env.ack = &ack;
    s_queue(self, peer->rid, peer->rid_size, &out.env, 1, id);
}

static bc_err
s_report_store(bc_broker_t *self, bc_txn_t *txn, const char *agency, const bc_reqkey_t *key,
               const Baocao__RequestRecord *req, Baocao__DeliveryRecord *rec,
               Baocao__Report *report, uint64_t *seq_p, int *late_p)
{
    int64_t now = bc_clock_now_ms();
    int late = now > req->request->deadline->unix_ms;
    bc_err rc = bc_store_next_seq(txn, seq_p);
    if (rc != BC_OK) {
        return rc;
    }
    uint32_t revision = rec->revision + 1;
    //  The report is stored as signed (its sender was checked against the
    //  connection); only the revision, outside the signature, is ours.
    report->revision = revision;
    rc = bc_records_put_report(txn, key, agency, revision, report);
    if (rc != BC_OK) {
        return rc;
    }
    Baocao__ReportIdRecord idrec = BAOCAO__REPORT_ID_RECORD__INIT;
    idrec.ref = report->request;
    idrec.agency_code = (char *) agency;
    idrec.revision = revision;
    idrec.seq = *seq_p;
    idrec.late = late;
    rc = bc_records_put_report_id(txn, report->report_id, &idrec);
    if (rc != BC_OK) {
        return rc;
    }
    Baocao__Timestamp at = BAOCAO__TIMESTAMP__INIT;
    at.unix_ms = now;
    Baocao__Timestamp *old_at = rec->reported_at;
    if (rec->revision == 0) {
        //  Timeliness is that of the first report; revisions keep it.
        rec->reported_at = &at;
        rec->late = late;
    }
    rec->revision = revision;
    char note[32];
    snprintf(note, sizeof note, "lần %u", revision);
    rc = s_delivery_step(txn, key, agency, rec, BAOCAO__DELIVERY_STATUS__REPORTED, note);
    if (rec->reported_at == &at) {
        rec->reported_at = old_at;
    }
    if (rc == BC_OK) {
        rc = bc_records_set_pending(txn, agency, key, 0);
    }
    *late_p = late;
    return rc;
}

//  Checks the report's Ed25519 signature against the sender's registered
//  key; replies with an Error and returns non-zero when it must be refused.
static int
s_check_signature(bc_broker_t *self, bc_txn_t *txn, const bc_wire_peer_t *peer, const char *id,
                  const char *agency, const Baocao__Report *report)
{
    Baocao__AgencyRecord *arec = NULL;
    bc_err rc = bc_records_get_agency(txn, agency, &arec);
    if (rc != BC_OK) {
        s_reply_error(self, peer, id, BAOCAO__ERROR_CODE__UNKNOWN_AGENCY,
                      "agency is not registered with this broker");
        return 1;
    }
    int refuse = 0;
    if (arec->sign_public.len == BC_CERT_SIGN_PUBLIC) {
        if (bc_sign_verify(report, arec->sign_public.data) != BC_OK) {
            s_reply_error(self, peer, id, BAOCAO__ERROR_CODE__DENIED,
                          report->signature.len ? "the report's signature does not verify with "
                                                  "the agency's registered key"
                                                : "the report is not signed");
            refuse = 1;
        }
    }
    else if (self->cfg.require_signatures) {
        s_reply_error(self, peer, id, BAOCAO__ERROR_CODE__DENIED,
                      "no signing key is registered for this agency");
        refuse = 1;
    }
    baocao__agency_record__free_unpacked(arec, NULL);
    return refuse;
}

static void
s_on_report(bc_broker_t *self, bc_txn_t *txn, const bc_wire_peer_t *peer, const char *agency,
            const Baocao__Envelope *env)
{
    char why[S_MAX_WHY];
    Baocao__Report *report = env->submit_report->report;
    if (!report) {
        s_reply_error(self, peer, env->id, BAOCAO__ERROR_CODE__INVALID, "no report in message");
        return;
    }
    if (bc_validate_report(report, why, sizeof why) != BC_OK) {
        s_reply_error(self, peer, env->id, BAOCAO__ERROR_CODE__INVALID, why);
        return;
    }
    if (report->sender && report->sender->code && *report->sender->code
        && strcmp(report->sender->code, agency) != 0) {
        snprintf(why, sizeof why, "agency %s may not submit a report as %s", agency,
                 report->sender->code);
        s_reply_error(self, peer, env->id, BAOCAO__ERROR_CODE__DENIED, why);
        return;
    }
    if (s_check_signature(self, txn, peer, env->id, agency, report)) {
        return;
    }
    bc_reqkey_t key;
    const Baocao__RequestRecord *req = NULL;
    Baocao__DeliveryRecord *rec = NULL;
    if (s_addressed(self, txn, peer, env->id, agency, report->request, &key, &req, &rec)) {
        return;
    }
    Baocao__ReportIdRecord *seen = NULL;
    bc_err rc = bc_records_get_report_id(txn, report->report_id, &seen);
    if (rc == BC_OK) {
        bc_reqkey_t seen_key;
        if (strcmp(seen->agency_code, agency) == 0
            && bc_reqkey_from_ref(seen->ref, &seen_key) == BC_OK
            && bc_reqkey_equal(&seen_key, &key)) {
            //  Already stored: the same ack again, nothing new stored.
            s_ack_report(self, peer, env->id, report->request, report->report_id, seen->seq,
                         seen->revision, seen->late, 1);
        }
        else {
            s_reply_error(self, peer, env->id, BAOCAO__ERROR_CODE__INVALID,
                          "report id already used for another report");
        }
        baocao__report_id_record__free_unpacked(seen, NULL);
        goto leave;
    }
    if (rc != BC_ENOTFOUND) {
        s_reply_error(self, peer, env->id, s_store_code(self, rc), "cannot read the store");
        goto leave;
    }
    bc_txn_t *child = NULL;
    uint64_t seq = 0;
    int late = 0;
    rc = bc_store_begin_child(txn, &child);
    if (rc == BC_OK) {
        rc = s_report_store(self, child, agency, &key, req, rec, report, &seq, &late);
        if (rc == BC_OK) {
            rc = bc_store_commit(&child);
        }
        else {
            bc_store_abort(&child);
        }
    }
    if (rc != BC_OK) {
        s_reply_error(self, peer, env->id, s_store_code(self, rc), "cannot store the report");
        goto leave;
    }
    s_ack_report(self, peer, env->id, report->request, report->report_id, seq, rec->revision,
                 late, 0);
    s_event(self, "report.stored", &key, agency, BAOCAO__DELIVERY_STATUS__REPORTED, seq,
            rec->revision, late);
    bc_log_info("report %s revision %u from %s stored as %llu%s", report->report_id,
                rec->revision, agency, (unsigned long long) seq, late ? " (late)" : "");
leave:
    baocao__delivery_record__free_unpacked(rec, NULL);
}

static int
s_role_parse(const char *name, Baocao__Role *role)
{
    if (strcmp(name, "department") == 0) {
        *role = BAOCAO__ROLE__DEPARTMENT;
    }
    else if (strcmp(name, "coordinator") == 0) {
        *role = BAOCAO__ROLE__COORDINATOR_ROLE;
    }
    else if (strcmp(name, "operator") == 0) {
        *role = BAOCAO__ROLE__OPERATOR;
    }
    else {
        return -1;
    }
    return 0;
}

//  An operator's change to the registry: add, revoke or rotate keys.
static void
s_on_agency_change(bc_broker_t *self, bc_txn_t *txn, const bc_wire_peer_t *peer,
                   const char *agency, const Baocao__Envelope *env)
{
    const Baocao__AgencyChange *change = env->agency_change;
    if (!s_has_role(txn, agency, BAOCAO__ROLE__OPERATOR)) {
        s_reply_error(self, peer, env->id, BAOCAO__ERROR_CODE__DENIED,
                      "only an operator may change the agency registry");
        return;
    }
    const char *code = change->agency ? change->agency->code : NULL;
    if (!code || !bc_agency_code_valid(code)) {
        s_reply_error(self, peer, env->id, BAOCAO__ERROR_CODE__INVALID,
                      "agency.code: missing or not an organ code");
        return;
    }
    if ((change->curve_public.len && change->curve_public.len != 32)
        || (change->sign_public.len && change->sign_public.len != 32)) {
        s_reply_error(self, peer, env->id, BAOCAO__ERROR_CODE__INVALID,
                      "keys must be 32 bytes each");
        return;
    }
    Baocao__AgencyRecord *rec = NULL;
    bc_err rc = bc_records_get_agency(txn, code, &rec);
    if (rc != BC_OK && rc != BC_ENOTFOUND) {
        s_reply_error(self, peer, env->id, s_store_code(self, rc), "cannot read the store");
        return;
    }
    Baocao__AgencyRecord fresh = BAOCAO__AGENCY_RECORD__INIT;
    Baocao__Agency fresh_agency = BAOCAO__AGENCY__INIT;
    Baocao__Role roles[3];
    Baocao__Timestamp at = BAOCAO__TIMESTAMP__INIT;
    at.unix_ms = bc_clock_now_ms();
    Baocao__AgencyRecord *target = rec;
    const char *refusal = NULL;
    switch (change->op) {
    case BAOCAO__AGENCY_OP__ADD:
        if (!change->agency->name || !*change->agency->name
            || strlen(change->agency->name) > 1024) {
            refusal = "agency.name: missing or too long";
            break;
        }
        if (change->n_roles == 0 || change->n_roles > 3) {
            refusal = "roles: one to three of department, coordinator, operator";
            break;
        }
        for (size_t i = 0; i < change->n_roles && !refusal; i++) {
            if (s_role_parse(change->roles[i], &roles[i]) != 0) {
                refusal = "roles: one to three of department, coordinator, operator";
            }
        }
        if (refusal) {
            break;
        }
        fresh_agency.code = (char *) code;
        fresh_agency.name = change->agency->name;
        fresh.agency = &fresh_agency;
        fresh.roles = roles;
        fresh.n_roles = change->n_roles;
        fresh.curve_public = change->curve_public;
        fresh.sign_public = change->sign_public;
        target = &fresh;
        break;
    case BAOCAO__AGENCY_OP__REVOKE:
        if (!rec) {
            refusal = "no such agency";
            break;
        }
        rec->revoked = 1;
        break;
    case BAOCAO__AGENCY_OP__ROTATE:
        if (!rec) {
            refusal = "no such agency";
            break;
        }
        if (change->curve_public.len != 32 || change->sign_public.len != 32) {
            refusal = "a rotation needs both new public keys";
            break;
        }
        free(rec->curve_public.data);
        free(rec->sign_public.data);
        rec->curve_public = change->curve_public;
        rec->sign_public = change->sign_public;
        rec->revoked = 0;
        break;
    default:
        refusal = "op must be ADD, REVOKE or ROTATE";
        break;
    }
    if (refusal) {
        s_reply_error(self, peer, env->id,
                      strcmp(refusal, "no such agency") == 0 ? BAOCAO__ERROR_CODE__UNKNOWN_AGENCY
                                                             : BAOCAO__ERROR_CODE__INVALID,
                      refusal);
    }
    else {
        Baocao__Timestamp *old_at = target->changed_at;
        target->changed_at = &at;
        bc_txn_t *child = NULL;
        rc = bc_store_begin_child(txn, &child);
        if (rc == BC_OK) {
            rc = bc_records_put_agency(child, target);
            if (rc == BC_OK) {
                rc = bc_store_commit(&child);
            }
            else {
                bc_store_abort(&child);
            }
        }
        target->changed_at = old_at;
        if (rc != BC_OK) {
            s_reply_error(self, peer, env->id, s_store_code(self, rc), "cannot store the change");
        }
        else {
            bc_wire_out_t out;
            bc_wire_out_init(&out);
            Baocao__Ack ack = BAOCAO__ACK__INIT;
            ack.in_reply_to = env->id;
            out.env.body_case = BAOCAO__ENVELOPE__BODY_ACK;
            out.env.ack = &ack;
            s_queue(self, peer->rid, peer->rid_size, &out.env, 1, env->id);
            self->reload_keys = 1;
            if (change->op == BAOCAO__AGENCY_OP__REVOKE) {
                bc_sessions_remove(self->sessions, code);
            }
            bc_log_info("agency %s: %s by operator %s", code,
                        change->op == BAOCAO__AGENCY_OP__ADD      ? "added"
                        : change->op == BAOCAO__AGENCY_OP__REVOKE ? "revoked"
                                                                  : "keys rotated",
                        agency);
        }
    }
    if (rec) {
        //  Byte fields may point into the change message: detach first.
        if (change->op == BAOCAO__AGENCY_OP__ROTATE && !refusal) {
            rec->curve_public.data = NULL;
            rec->curve_public.len = 0;
            rec->sign_public.data = NULL;
            rec->sign_public.len = 0;
        }
        baocao__agency_record__free_unpacked(rec, NULL);
    }
}

//  What a message acted on, for the audit log.
static void
s_target(const Baocao__Envelope *env, char *out, size_t size)
{
    const Baocao__RequestRef *ref = NULL;
    bc_reqkey_t key;
    out[0] = '\0';
    switch (env->body_case) {
    case BAOCAO__ENVELOPE__BODY_ISSUE_REQUEST:
        if (env->issue_request->request
            && bc_reqkey_from_request(env->issue_request->request, &key) == BC_OK) {
            bc_reqkey_format(&key, out, size);
        }
        return;
    case BAOCAO__ENVELOPE__BODY_RECEIPT:
        ref = env->receipt->ref;
        break;
    case BAOCAO__ENVELOPE__BODY_SUBMIT_REPORT:
        ref = env->submit_report->report ? env->submit_report->report->request : NULL;
        break;
    case BAOCAO__ENVELOPE__BODY_AGENCY_CHANGE:
        if (env->agency_change->agency && env->agency_change->agency->code) {
            snprintf(out, size, "%.31s", env->agency_change->agency->code);
        }
        return;
    default:
        return;
    }
    if (ref && bc_reqkey_from_ref(ref, &key) == BC_OK) {
        bc_reqkey_format(&key, out, size);
    }
}

//  Appends the outcome of the message in hand to the audit log, in txn: an
//  accepted change commits with its entry, a refusal is recorded alone.
static void
s_audit(bc_broker_t *self, bc_txn_t *txn, const char *agency, const Baocao__Envelope *env,
        const char *detail)
{
    char target[BC_REQKEY_TEXT_MAX];
    s_target(env, target, sizeof target);
    char extra[160] = "";
    if (!self->outcome[0] && env->body_case == BAOCAO__ENVELOPE__BODY_SUBMIT_REPORT
        && env->submit_report->report) {
        snprintf(extra, sizeof extra, "report %s revision %u", env->submit_report->report->report_id,
                 env->submit_report->report->revision);
    }
    bc_audit_event_t ev = {
        .actor = agency,
        .action = bc_wire_body_name(env),
        .target = target,
        .accepted = self->outcome[0] == '\0',
        .detail = self->outcome[0] ? self->outcome : extra[0] ? extra : detail,
        .at_ms = bc_clock_now_ms(),
    };
    bc_err rc = bc_audit_append(txn, &ev, NULL);
    if (rc != BC_OK) {
        bc_log_error("cannot append to the audit log: %s", bc_store_last_error(self->store));
    }
}

static void
s_handle(bc_broker_t *self, bc_txn_t *txn, const bc_wire_peer_t *peer, Baocao__Envelope *env)
{
    char agency[BC_AGENCY_CODE_MAX];
    if (!s_sender(peer, agency)) {
        s_reply_error(self, peer, env->id, BAOCAO__ERROR_CODE__UNKNOWN_AGENCY,
                      "the connection does not name an agency");
        return;
    }
    bc_log_debug("%s from %s", bc_wire_body_name(env), agency);
    self->outcome[0] = '\0';
    if (self->zap && !bc_zap_allowed(self->zap, agency)) {
        //  Revoked since its connection was accepted: nothing more from it.
        bc_sessions_remove(self->sessions, agency);
        s_reply_error(self, peer, env->id, BAOCAO__ERROR_CODE__DENIED,
                      "this agency's key was revoked");
        s_audit(self, txn, agency, env, "");
        return;
    }
    bc_session_t *session = bc_sessions_by_rid(self->sessions, peer->rid, peer->rid_size);
    if (session) {
        session->last_seen_ms = bc_clock_mono_ms();
        session->last_seen_wall = bc_clock_now_ms();
        session->dirty = 1;
    }
    switch (env->body_case) {
    case BAOCAO__ENVELOPE__BODY_HELLO:
        s_on_hello(self, txn, peer, agency, env);
        break;
    case BAOCAO__ENVELOPE__BODY_HEARTBEAT:
        if (session) {
            bc_wire_out_t out;
            bc_wire_out_init(&out);
            Baocao__Heartbeat hb = BAOCAO__HEARTBEAT__INIT;
            out.env.body_case = BAOCAO__ENVELOPE__BODY_HEARTBEAT;
            out.env.heartbeat = &hb;
            s_queue(self, peer->rid, peer->rid_size, &out.env, 0, NULL);
        }
        else {
            s_reply_error(self, peer, env->id, BAOCAO__ERROR_CODE__UNKNOWN_SESSION,
                          "say hello first");
        }
        break;
    case BAOCAO__ENVELOPE__BODY_BYE:
        if (session) {
            s_presence(txn, session, 0);
            bc_log_info("%s said goodbye", agency);
            bc_sessions_remove(self->sessions, agency);
        }
        break;
    case BAOCAO__ENVELOPE__BODY_ISSUE_REQUEST:
        s_on_issue(self, txn, peer, agency, env);
        break;
    case BAOCAO__ENVELOPE__BODY_RECEIPT:
        s_on_receipt(self, txn, peer, agency, env);
        break;
    case BAOCAO__ENVELOPE__BODY_SUBMIT_REPORT:
        s_on_report(self, txn, peer, agency, env);
        break;
    case BAOCAO__ENVELOPE__BODY_AGENCY_CHANGE:
        s_on_agency_change(self, txn, peer, agency, env);
        break;
    default:
        s_reply_error(self, peer, env->id, BAOCAO__ERROR_CODE__BAD_MESSAGE,
                      "a client may not send this message");
        break;
    }
    if (env->body_case != BAOCAO__ENVELOPE__BODY_HEARTBEAT) {
        s_audit(self, txn, agency, env, "");
    }
}

//  --- deadlines and reminders -----------------------------------------------
//
//  One walk over the requests when a reminder time or a deadline has come:
//  what to change is collected first and written after the walk, so no
//  database is written while a cursor walks it.

typedef struct {
    bc_reqkey_t key;
    Baocao__RequestRecord *rec;         //  owned copy, to update
    int overdue;                        //  deadline passed: mark and close
    int remind;                         //  a reminder time passed
} s_due_t;

typedef struct {
    int64_t now;
    int64_t next;                       //  earliest reminder or deadline ahead
    s_due_t *due;
    size_t n_due;
} s_timers_t;

//  Reminder times of a request, latest last; returns how many.
static size_t
s_remind_times(const Baocao__ReportRequest *req, int64_t *times)
{
    static const uint32_t defaults[] = { 24, 2 };
    const uint32_t *hours = req->n_remind_hours ? req->remind_hours : defaults;
    size_t n = req->n_remind_hours ? req->n_remind_hours : 2;
    if (n > S_REMIND_MAX) {
        n = S_REMIND_MAX;
    }
    for (size_t i = 0; i < n; i++) {
        times[i] = req->deadline->unix_ms - (int64_t) hours[i] * 3600000;
    }
    //  Sorted ascending (insertion sort: a handful of values).
    for (size_t i = 1; i < n; i++) {
        for (size_t j = i; j > 0 && times[j - 1] > times[j]; j--) {
            int64_t t = times[j];
            times[j] = times[j - 1];
            times[j - 1] = t;
        }
    }
    return n;
}

static void
s_next(s_timers_t *t, int64_t when)
{
    if (when > t->now && (!t->next || when < t->next)) {
        t->next = when;
    }
}

static int
s_timers_request(const bc_reqkey_t *key, const Baocao__RequestRecord *rec, void *arg)
{
    s_timers_t *t = arg;
    if (rec->closed || !rec->request || !rec->request->deadline) {
        return 0;
    }
    int64_t deadline = rec->request->deadline->unix_ms;
    int64_t times[S_REMIND_MAX];
    size_t n = s_remind_times(rec->request, times);
    size_t passed = 0;
    while (passed < n && times[passed] <= t->now) {
        passed++;
    }
    int overdue = deadline <= t->now;
    int remind = !overdue && passed > rec->reminders_done;
    if (!overdue) {
        s_next(t, deadline);
        if (passed < n) {
            s_next(t, times[passed]);
        }
    }
    if (overdue || remind) {
        t->due = bc_realloc(t->due, (t->n_due + 1) * sizeof *t->due);
        s_due_t *d = &t->due[t->n_due++];
        d->key = *key;
        //  A copy that outlives the walk: pack and unpack.
        size_t size = baocao__request_record__get_packed_size(rec);
        uint8_t *buf = bc_malloc(size);
        baocao__request_record__pack(rec, buf);
        d->rec = baocao__request_record__unpack(NULL, size, buf);
        free(buf);
        d->overdue = overdue;
        d->remind = remind;
        if (d->rec) {
            d->rec->reminders_done = (uint32_t) passed;
            d->rec->closed = overdue;
        }
        else {
            t->n_due--;
        }
    }
    return 0;
}

typedef struct {
    char code[BC_AGENCY_CODE_MAX];
    Baocao__DeliveryRecord *rec;        //  owned copy
} s_open_delivery_t;

typedef struct {
    s_open_delivery_t *items;
    size_t n;
} s_open_t;

//  Collects the deliveries still awaiting a report (and not rejected).
static int
s_collect_open(const char *code, const Baocao__DeliveryRecord *rec, void *arg)
{
    s_open_t *o = arg;
    Baocao__DeliveryStatus latest = s_latest(rec);
    if (rec->revision > 0 || latest == BAOCAO__DELIVERY_STATUS__REJECTED) {
        return 0;
    }
    size_t size = baocao__delivery_record__get_packed_size(rec);
    uint8_t *buf = bc_malloc(size);
    baocao__delivery_record__pack(rec, buf);
    Baocao__DeliveryRecord *copy = baocao__delivery_record__unpack(NULL, size, buf);
    free(buf);
    if (!copy) {
        return 0;
    }
    o->items = bc_realloc(o->items, (o->n + 1) * sizeof *o->items);
    snprintf(o->items[o->n].code, sizeof o->items[o->n].code, "%s", code);
    o->items[o->n].rec = copy;
    o->n++;
    return 0;
}

//  Marks the overdue deliveries of one request, or reminds its silent
//  agencies (a REMINDED step; the request again to those connected).
static bc_err
s_due_apply(bc_broker_t *self, bc_txn_t *txn, const s_due_t *d, size_t *marked,
            size_t *reminded)
{
    s_open_t open = { NULL, 0 };
    bc_err rc = bc_records_each_delivery(txn, &d->key, s_collect_open, &open);
    for (size_t i = 0; rc == BC_OK && i < open.n; i++) {
        const char *code = open.items[i].code;
        Baocao__DeliveryRecord *rec = open.items[i].rec;
        if (d->overdue) {
            if (s_latest(rec) != BAOCAO__DELIVERY_STATUS__OVERDUE) {
                rc = s_delivery_step(txn, &d->key, code, rec, BAOCAO__DELIVERY_STATUS__OVERDUE,
                                     NULL);
                s_event(self, "delivery.overdue", &d->key, code,
                        BAOCAO__DELIVERY_STATUS__OVERDUE, 0, 0, 0);
                (*marked)++;
            }
            continue;
        }
        char note[32];
        snprintf(note, sizeof note, "nhắc lần %u", d->rec->reminders_done);
        rc = s_delivery_step(txn, &d->key, code, rec, BAOCAO__DELIVERY_STATUS__REMINDED, note);
        if (rc == BC_OK) {
            bc_session_t *session = bc_sessions_find(self->sessions, code);
            if (session) {
                Baocao__DeliveryRecord *now = NULL;
                rc = bc_records_get_delivery(txn, &d->key, code, &now);
                if (rc == BC_OK) {
                    rc = s_deliver(self, txn, &d->key, d->rec->request, session, now);
                    baocao__delivery_record__free_unpacked(now, NULL);
                }
            }
            s_event(self, "delivery.reminded", &d->key, code, BAOCAO__DELIVERY_STATUS__REMINDED,
                    0, 0, 0);
            (*reminded)++;
        }
    }
    for (size_t i = 0; i < open.n; i++) {
        baocao__delivery_record__free_unpacked(open.items[i].rec, NULL);
    }
    free(open.items);
    if (rc == BC_OK) {
        rc = bc_records_update_request(txn, &d->key, d->rec);
    }
    return rc;
}

static void
s_check_deadlines(bc_broker_t *self)
{
    int64_t now = bc_clock_now_ms();
    if (self->next_deadline_ms && now < self->next_deadline_ms) {
        return;
    }
    bc_txn_t *txn = NULL;
    if (bc_store_begin(self->store, 1, &txn) != BC_OK) {
        return;
    }
    s_timers_t t = { now, 0, NULL, 0 };
    bc_err rc = bc_records_each_request(txn, s_timers_request, &t);
    size_t marked = 0, reminded = 0;
    for (size_t i = 0; rc == BC_OK && i < t.n_due; i++) {
        rc = s_due_apply(self, txn, &t.due[i], &marked, &reminded);
    }
    for (size_t i = 0; i < t.n_due; i++) {
        baocao__request_record__free_unpacked(t.due[i].rec, NULL);
    }
    free(t.due);
    if (rc == BC_OK) {
        rc = bc_store_commit(&txn);
    }
    else {
        bc_store_abort(&txn);
    }
    s_flush(self, rc == BC_OK);
    if (rc != BC_OK) {
        bc_log_error("cannot mark overdue or reminded deliveries: %s: %s", bc_strerror(rc),
                     bc_store_last_error(self->store));
        return;
    }
    if (marked) {
        bc_log_info("%zu delivery(ies) marked overdue", marked);
    }
    if (reminded) {
        bc_log_info("%zu agency(ies) reminded of requests still unanswered", reminded);
    }
    //  Nothing ahead: check again when a new request arrives (s_on_issue).
    self->next_deadline_ms = t.next ? t.next : INT64_MAX;
}

//  --- the loop ---------------------------------------------------------------

//  Logs a refused message, at most S_BAD_LOG_PER_SECOND a second; the rest
//  are counted and summed up once the second is over.
static void
s_log_bad(bc_broker_t *self, const bc_wire_peer_t *peer, const char *why)
{
    int64_t now = bc_clock_mono_ms();
    if (now - self->bad_window_ms >= 1000) {
        if (self->bad_suppressed) {
            bc_log_warn("BC-BROKER-BADMSG %lu more bad messages not logged in the last second",
                        self->bad_suppressed);
        }
        self->bad_window_ms = now;
        self->bad_logged = 0;
        self->bad_suppressed = 0;
    }
    if (self->bad_logged < S_BAD_LOG_PER_SECOND) {
        self->bad_logged++;
        bc_log_warn("bad message from %.*s: %s", (int) peer->rid_size, (const char *) peer->rid,
                    why);
    }
    else {
        self->bad_suppressed++;
    }
}

static void
s_cycle(bc_broker_t *self)
{
    bc_txn_t *txn = NULL;
    bc_err rc = bc_store_begin(self->store, 1, &txn);
    if (rc != BC_OK) {
        bc_log_error("BC-STORE-BEGIN cannot begin a transaction: %s",
                     bc_store_last_error(self->store));
    }
    for (long long i = 0; i < self->cfg.batch_max; i++) {
        bc_wire_peer_t peer;
        Baocao__Envelope *env = NULL;
        char why[128] = "";
        bc_err rrc = bc_wire_recv(self->router, 1, ZMQ_DONTWAIT, &peer, &env, why, sizeof why);
        if (rrc == BC_ETIMEDOUT || rrc == BC_ECLOSED) {
            break;
        }
        if (rrc != BC_OK) {
            s_log_bad(self, &peer, why);
            if (peer.rid_size) {
                s_reply_error(self, &peer, "", rrc == BC_ETOOBIG ? BAOCAO__ERROR_CODE__TOO_BIG
                                                                 : BAOCAO__ERROR_CODE__BAD_MESSAGE,
                              why);
            }
            continue;
        }
        if (!txn) {
            s_reply_error(self, &peer, env->id, BAOCAO__ERROR_CODE__STORE_FAILED,
                          "the store is unavailable; retry later");
        }
        else {
            s_handle(self, txn, &peer, env);
        }
        bc_wire_free(&env);
    }
    int committed = 0;
    if (txn) {
        rc = bc_store_commit(&txn);
        committed = rc == BC_OK;
        if (!committed) {
            bc_log_error("BC-STORE-COMMIT cannot commit: %s", bc_store_last_error(self->store));
            self->grow |= rc == BC_EFULL && bc_store_map_was_full(self->store);
            if (rc == BC_EFULL && !bc_store_map_was_full(self->store)) {
                bc_log_error("BC-STORE-DISKFULL the disk holding %s is full: nothing stored, "
                             "senders told to retry", self->cfg.store);
            }
        }
    }
    s_flush(self, committed);
    s_request_cache_clear(self);
    if (self->reload_keys && self->zap) {
        bc_txn_t *rtxn = NULL;
        if (bc_store_begin(self->store, 0, &rtxn) == BC_OK) {
            bc_zap_load(self->zap, rtxn);
            bc_store_abort(&rtxn);
        }
    }
    self->reload_keys = 0;
    if (self->grow) {
        self->grow = 0;
        if (bc_store_grow(self->store) == BC_OK) {
            bc_log_warn("BC-STORE-GROW store map grown");
        }
    }
}

static bc_err
s_bind(void *socket, const char *endpoint, char *bound, size_t bound_size, char *why,
       size_t why_size)
{
    if (zmq_bind(socket, endpoint) != 0) {
        snprintf(why, why_size, "cannot bind %s: %s", endpoint, zmq_strerror(zmq_errno()));
        return BC_EIO;
    }
    size_t n = bound_size;
    if (zmq_getsockopt(socket, ZMQ_LAST_ENDPOINT, bound, &n) != 0) {
        snprintf(bound, bound_size, "%s", endpoint);
    }
    return BC_OK;
}

//  A new broker process has no sessions: whoever was online before is not
//  until it says Hello again (its last-seen time is kept).
static bc_err
s_all_offline(bc_broker_t *self, char *why, size_t why_size)
{
    bc_txn_t *txn = NULL;
    bc_err rc = bc_store_begin(self->store, 1, &txn);
    if (rc != BC_OK) {
        snprintf(why, why_size, "cannot write store: %s", bc_strerror(rc));
        return rc;
    }
    //  Collected first, written after: no database is written under a cursor.
    s_online_t o = { NULL, 0 };
    rc = bc_records_each_presence(txn, s_collect_online, &o);
    for (size_t i = 0; rc == BC_OK && i < o.n; i++) {
        Baocao__Presence *p = NULL;
        rc = bc_records_get_presence(txn, o.codes[i], &p);
        if (rc == BC_OK) {
            p->online = 0;
            rc = bc_records_put_presence(txn, p);
            baocao__presence__free_unpacked(p, NULL);
        }
    }
    free(o.codes);
    if (rc == BC_OK) {
        rc = bc_store_commit(&txn);
    }
    else {
        bc_store_abort(&txn);
    }
    if (rc != BC_OK) {
        snprintf(why, why_size, "cannot reset presence: %s", bc_store_last_error(self->store));
    }
    return rc;
}

bc_err
bc_broker_open(bc_broker_t **broker_p, const bc_broker_config_t *cfg, char *why,
               size_t why_size)
{
    bc_broker_t *self = bc_calloc(1, sizeof *self);
    self->cfg = *cfg;
    self->sessions = bc_sessions_new();
    bc_err rc = BC_OK;
    bc_txn_t *txn = NULL;

    bc_store_opts_t opts = { cfg->store, (size_t) cfg->map_size_mb << 20, 0,
                             cfg->unsafe_no_sync };
    rc = bc_store_open(&self->store, &opts);
    if (rc == BC_EEXIST) {
        snprintf(why, why_size, "cannot open store %s: another process (a broker, or a "
                 "restore) is writing it", cfg->store);
        goto leave;
    }
    if (rc == BC_EPROTO) {
        snprintf(why, why_size, "cannot open store %s: it was written by a newer baocao "
                 "(schema version above %d); upgrade baocao-broker", cfg->store,
                 BC_STORE_SCHEMA);
        goto leave;
    }
    if (rc != BC_OK) {
        snprintf(why, why_size, "cannot open store %s: %s", cfg->store, bc_strerror(rc));
        goto leave;
    }
    rc = bc_store_begin(self->store, 1, &txn);
    if (rc == BC_OK) {
        size_t count = 0;
        rc = bc_registry_load(cfg->agencies, txn, &count, why, why_size);
        if (rc == BC_OK) {
            rc = bc_store_commit(&txn);
            if (rc != BC_OK) {
                snprintf(why, why_size, "cannot store the agency list: %s",
                         bc_store_last_error(self->store));
            }
        }
        else {
            bc_store_abort(&txn);
        }
        if (rc == BC_OK) {
            bc_log_info("%zu agencies loaded from %s", count, cfg->agencies);
        }
        if (rc == BC_OK) {
            rc = s_all_offline(self, why, why_size);
        }
    }
    else {
        snprintf(why, why_size, "cannot write store %s: %s", cfg->store, bc_strerror(rc));
    }
    if (rc != BC_OK) {
        goto leave;
    }
    if (strcmp(cfg->security, "curve") == 0) {
        self->curve = 1;
    }
    else if (strcmp(cfg->security, "none") != 0) {
        snprintf(why, why_size, "[broker] security: must be curve or none: %s", cfg->security);
        rc = BC_EINVAL;
        goto leave;
    }
    bc_cert_t cert;
    memset(&cert, 0, sizeof cert);
    if (self->curve) {
        char kwhy[BC_CONFIG_STR_MAX + 64];
        rc = bc_cert_load(&cert, cfg->key, kwhy, sizeof kwhy);
        if (rc == BC_OK && !cert.has_secret) {
            snprintf(kwhy, sizeof kwhy, "%s holds no secret key", cfg->key);
            rc = BC_EINVAL;
        }
        if (rc != BC_OK) {
            snprintf(why, why_size, "cannot load the broker's key: %s", kwhy);
            rc = BC_EINVAL;
            goto leave;
        }
    }
    self->ctx = zmq_ctx_new();
    if (self->curve) {
        //  The ZAP handler is up before any socket binds: CURVE without it
        //  would let any key in.
        rc = bc_zap_open(&self->zap, self->ctx, why, why_size);
        if (rc == BC_OK) {
            bc_txn_t *rtxn = NULL;
            rc = bc_store_begin(self->store, 0, &rtxn);
            if (rc == BC_OK) {
                rc = bc_zap_load(self->zap, rtxn);
                bc_store_abort(&rtxn);
            }
            if (rc != BC_OK) {
                snprintf(why, why_size, "cannot index the agencies' keys: %s", bc_strerror(rc));
            }
        }
        if (rc != BC_OK) {
            bc_cert_wipe(&cert);
            goto leave;
        }
        bc_log_info("CURVE on; %zu agencies have keys", bc_zap_count(self->zap));
    }
    else {
        bc_log_warn("BC-BROKER-INSECURE security = none: connections are neither "
                    "authenticated nor encrypted; for development only");
    }
    self->router = zmq_socket(self->ctx, ZMQ_ROUTER);
    self->pub = zmq_socket(self->ctx, ZMQ_PUB);
    if (!self->router || !self->pub) {
        snprintf(why, why_size, "cannot create sockets: %s", zmq_strerror(zmq_errno()));
        bc_cert_wipe(&cert);
        rc = BC_EIO;
        goto leave;
    }
    if (self->curve) {
        int server = 1;
        void *socks[2] = { self->router, self->pub };
        const char *domains[2] = { BC_ZAP_DOMAIN, BC_ZAP_DOMAIN_EVENTS };
        for (int i = 0; i < 2; i++) {
            if (zmq_setsockopt(socks[i], ZMQ_CURVE_SERVER, &server, sizeof server) != 0
                || zmq_setsockopt(socks[i], ZMQ_CURVE_SECRETKEY, cert.curve_secret,
                                  BC_CERT_Z85_LEN) != 0
                || zmq_setsockopt(socks[i], ZMQ_ZAP_DOMAIN, domains[i], strlen(domains[i]))
                       != 0) {
                snprintf(why, why_size, "cannot set up CURVE: %s", zmq_strerror(zmq_errno()));
                rc = BC_EIO;
            }
        }
        bc_cert_wipe(&cert);
        if (rc != BC_OK) {
            goto leave;
        }
        //  ZMQ_ZAP_ENFORCE_DOMAIN is a draft option Debian's libzmq does not
        //  build; the same guarantee comes from binding the handler before
        //  these sockets and keeping it for their whole life (libzmq then
        //  asks it about every CURVE handshake). The integration tests prove
        //  an unregistered key and a plaintext client are refused.
    }
    int64_t maxmsg = BC_WIRE_MAX_MSG;
    int one = 1;
    int linger = 1000;
    zmq_setsockopt(self->router, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    zmq_setsockopt(self->router, ZMQ_ROUTER_MANDATORY, &one, sizeof one);
    zmq_setsockopt(self->router, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(self->pub, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    if (cfg->heartbeat_ms > 0) {
        //  ZMTP heartbeats find dead TCP peers the kernel would keep for
        //  hours; the protocol's own Heartbeat finds dead processes.
        int ivl = (int) cfg->heartbeat_ms;
        int timeout = ivl * 3;
        zmq_setsockopt(self->router, ZMQ_HEARTBEAT_IVL, &ivl, sizeof ivl);
        zmq_setsockopt(self->router, ZMQ_HEARTBEAT_TIMEOUT, &timeout, sizeof timeout);
        zmq_setsockopt(self->router, ZMQ_HEARTBEAT_TTL, &timeout, sizeof timeout);
    }
    zmq_setsockopt(self->pub, ZMQ_LINGER, &linger, sizeof linger);
    char bound[256], bound_events[256];
    rc = s_bind(self->router, cfg->endpoint, bound, sizeof bound, why, why_size);
    if (rc == BC_OK) {
        rc = s_bind(self->pub, cfg->events, bound_events, sizeof bound_events, why, why_size);
    }
    if (rc != BC_OK) {
        goto leave;
    }
    if (cfg->ready_file[0]) {
        char text[700];
        int n = snprintf(text, sizeof text, "endpoint=%s\nevents=%s\npid=%d\n", bound,
                         bound_events, (int) getpid());
        rc = bc_fs_write_atomic(cfg->ready_file, text, (size_t) n);
        if (rc != BC_OK) {
            snprintf(why, why_size, "cannot write %s: %s", cfg->ready_file, bc_strerror(rc));
            goto leave;
        }
    }
    bc_log_info("serving on %s, events on %s, store %s", bound, bound_events, cfg->store);
leave:
    if (rc != BC_OK) {
        bc_broker_destroy(&self);
        return rc;
    }
    *broker_p = self;
    return BC_OK;
}

//  A handshake the ZAP handler refused: logged and audited, at most
//  S_BAD_LOG_PER_SECOND a second so a scan of the port cannot fill the disk.
static void
s_on_refused(const char *address, const char *why, void *arg)
{
    bc_broker_t *self = arg;
    int64_t now = bc_clock_mono_ms();
    if (now - self->refused_window_ms >= 1000) {
        self->refused_window_ms = now;
        self->refused_logged = 0;
    }
    if (self->refused_logged >= S_BAD_LOG_PER_SECOND) {
        return;
    }
    self->refused_logged++;
    bc_log_warn("BC-BROKER-REFUSED connection from %s refused: %s", address, why);
    bc_txn_t *txn = NULL;
    if (bc_store_begin(self->store, 1, &txn) != BC_OK) {
        return;
    }
    bc_audit_event_t ev = { "", "connect", address, 0, why, bc_clock_now_ms() };
    if (bc_audit_append(txn, &ev, NULL) == BC_OK) {
        bc_store_commit(&txn);
    }
    else {
        bc_store_abort(&txn);
    }
}

bc_err
bc_broker_run(bc_broker_t *self, volatile sig_atomic_t *stop)
{
    self->next_check_mono = 0;
    while (!*stop) {
        int64_t now = bc_clock_mono_ms();
        if (now >= self->next_check_mono) {
            s_check_deadlines(self);
            self->next_check_mono = now + self->cfg.deadline_check_ms;
        }
        if (now >= self->next_presence_mono) {
            s_presence_flush(self, now);
            self->next_presence_mono = now + self->cfg.presence_flush_ms;
        }
        if (now >= self->next_reader_check_mono) {
            int dead = bc_store_reader_check(self->store);
            if (dead) {
                bc_log_warn("BC-STORE-READERS cleared %d reader slot(s) of dead processes", dead);
            }
            self->next_reader_check_mono = now + self->cfg.reader_check_ms;
        }
        zmq_pollitem_t items[] = {
            { self->router, 0, ZMQ_POLLIN, 0 },
            { self->zap ? bc_zap_socket(self->zap) : NULL, 0, ZMQ_POLLIN, 0 },
        };
        int64_t wake = self->next_check_mono < self->next_presence_mono ? self->next_check_mono
                                                                        : self->next_presence_mono;
        long timeout = (long) (wake - bc_clock_mono_ms());
        int n = zmq_poll(items, self->zap ? 2 : 1, timeout > 0 ? timeout : 0);
        if (n < 0) {
            if (zmq_errno() == EINTR) {
                continue;
            }
            bc_log_error("cannot poll: %s", zmq_strerror(zmq_errno()));
            return BC_EIO;
        }
        if (n > 0 && self->zap && (items[1].revents & ZMQ_POLLIN)) {
            bc_zap_handle(self->zap, s_on_refused, self);
        }
        if (n > 0 && (items[0].revents & ZMQ_POLLIN)) {
            s_cycle(self);
        }
    }
    bc_log_info("stopping");
    return BC_OK;
}

bc_err
bc_broker_feed(bc_broker_t *self, const uint8_t *rid, size_t rid_size, const uint8_t *data,
               size_t size)
{
    bc_wire_peer_t peer;
    memset(&peer, 0, sizeof peer);
    peer.rid_size = rid_size < BC_WIRE_MAX_RID ? rid_size : BC_WIRE_MAX_RID;
    memcpy(peer.rid, rid, peer.rid_size);
    Baocao__Envelope *env = NULL;
    char why[128];
    bc_err rc = bc_wire_unpack(data, size, &env, why, sizeof why);
    if (rc != BC_OK) {
        s_reply_error(self, &peer, "", BAOCAO__ERROR_CODE__BAD_MESSAGE, why);
        s_flush(self, 0);
        return rc;
    }
    bc_txn_t *txn = NULL;
    rc = bc_store_begin(self->store, 1, &txn);
    if (rc == BC_OK) {
        s_handle(self, txn, &peer, env);
        rc = bc_store_commit(&txn);
    }
    s_flush(self, rc == BC_OK);
    s_request_cache_clear(self);
    bc_wire_free(&env);
    return rc;
}

void
bc_broker_destroy(bc_broker_t **broker_p)
{
    if (!broker_p || !*broker_p) {
        return;
    }
    bc_broker_t *self = *broker_p;
    if (self->router) {
        zmq_close(self->router);
    }
    if (self->pub) {
        zmq_close(self->pub);
    }
    bc_zap_destroy(&self->zap);
    if (self->ctx) {
        zmq_ctx_term(self->ctx);
    }
    for (size_t i = 0; i < self->n_out; i++) {
        free(self->out[i].bytes);
    }
    for (size_t i = 0; i < self->n_events; i++) {
        free(self->events[i].bytes);
    }
    free(self->out);
    free(self->events);
    s_request_cache_clear(self);
    bc_store_destroy(&self->store);
    bc_sessions_destroy(&self->sessions);
    free(self);
    *broker_p = NULL;
}
