//  bc_zap - ZAP (RFC 27) answers from the agency registry
#include "bc_zap.h"
#include "baocao/store.pb-c.h"
#include "bc_alloc.h"
#include "bc_records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#define S_ENDPOINT      "inproc://zeromq.zap.01"
#define S_MAX_FRAMES    8

typedef struct {
    uint8_t key[32];                    //  CURVE public key
    char code[BC_AGENCY_CODE_MAX];
    int events;                         //  may subscribe to the event feed
    int revoked;
} s_entry_t;

struct bc_zap {
    void *socket;                       //  REP, bound to S_ENDPOINT
    s_entry_t *entries;
    size_t count, cap;
};

bc_err
bc_zap_open(bc_zap_t **zap_p, void *ctx, char *why, size_t why_size)
{
    void *socket = zmq_socket(ctx, ZMQ_REP);
    if (!socket) {
        snprintf(why, why_size, "cannot create the ZAP handler: %s", zmq_strerror(zmq_errno()));
        return BC_EIO;
    }
    int linger = 0;
    zmq_setsockopt(socket, ZMQ_LINGER, &linger, sizeof linger);
    if (zmq_bind(socket, S_ENDPOINT) != 0) {
        snprintf(why, why_size, "cannot bind the ZAP handler: %s", zmq_strerror(zmq_errno()));
        zmq_close(socket);
        return BC_EIO;
    }
    bc_zap_t *self = bc_calloc(1, sizeof *self);
    self->socket = socket;
    *zap_p = self;
    return BC_OK;
}

void
bc_zap_destroy(bc_zap_t **zap_p)
{
    if (zap_p && *zap_p) {
        zmq_close((*zap_p)->socket);
        free((*zap_p)->entries);
        free(*zap_p);
        *zap_p = NULL;
    }
}

void *
bc_zap_socket(bc_zap_t *self)
{
    return self->socket;
}

static int
s_index(const Baocao__AgencyRecord *rec, void *arg)
{
    bc_zap_t *self = arg;
    if (!rec->agency || rec->curve_public.len != 32) {
        return 0;                       //  no key: cannot connect under CURVE
    }
    if (self->count == self->cap) {
        self->cap = self->cap ? self->cap * 2 : 64;
        self->entries = bc_realloc(self->entries, self->cap * sizeof *self->entries);
    }
    s_entry_t *e = &self->entries[self->count++];
    memcpy(e->key, rec->curve_public.data, 32);
    snprintf(e->code, sizeof e->code, "%s", rec->agency->code);
    e->events = bc_records_agency_has_role(rec, BAOCAO__ROLE__COORDINATOR_ROLE)
                || bc_records_agency_has_role(rec, BAOCAO__ROLE__OPERATOR);
    e->revoked = rec->revoked;
    return 0;
}

bc_err
bc_zap_load(bc_zap_t *self, bc_txn_t *txn)
{
    self->count = 0;
    return bc_records_each_agency(txn, s_index, self);
}

static const s_entry_t *
s_find_key(const bc_zap_t *self, const uint8_t *key)
{
    for (size_t i = 0; i < self->count; i++) {
        if (memcmp(self->entries[i].key, key, 32) == 0) {
            return &self->entries[i];
        }
    }
    return NULL;
}

int
bc_zap_allowed(const bc_zap_t *self, const char *code)
{
    for (size_t i = 0; i < self->count; i++) {
        if (strcmp(self->entries[i].code, code) == 0) {
            return !self->entries[i].revoked;
        }
    }
    return 0;
}

size_t
bc_zap_count(const bc_zap_t *self)
{
    return self->count;
}

static void
s_reply(void *socket, const zmq_msg_t *request_id, const char *code, const char *text,
        const char *user_id)
{
    zmq_send(socket, "1.0", 3, ZMQ_SNDMORE);
    zmq_send(socket, zmq_msg_data((zmq_msg_t *) request_id), zmq_msg_size((zmq_msg_t *) request_id),
             ZMQ_SNDMORE);
    zmq_send(socket, code, strlen(code), ZMQ_SNDMORE);
    zmq_send(socket, text, strlen(text), ZMQ_SNDMORE);
    zmq_send(socket, user_id, strlen(user_id), ZMQ_SNDMORE);
    zmq_send(socket, "", 0, 0);
}

static int
s_frame_is(zmq_msg_t *frame, const char *text)
{
    size_t n = strlen(text);
    return zmq_msg_size(frame) == n && memcmp(zmq_msg_data(frame), text, n) == 0;
}

void
bc_zap_handle(bc_zap_t *self, bc_zap_refused_fn *refused, void *arg)
{
    for (;;) {
        //  Request: version, request id, domain, address, routing id,
        //  mechanism, credentials... (RFC 27).
        zmq_msg_t frames[S_MAX_FRAMES];
        size_t n = 0;
        int more = 1;
        while (more) {
            zmq_msg_t part;
            zmq_msg_init(&part);
            if (zmq_msg_recv(&part, self->socket, n == 0 ? ZMQ_DONTWAIT : 0) < 0) {
                zmq_msg_close(&part);
                for (size_t i = 0; i < n; i++) {
                    zmq_msg_close(&frames[i]);
                }
                return;                 //  nothing (more) waiting
            }
            more = zmq_msg_more(&part);
            if (n < S_MAX_FRAMES) {
                frames[n++] = part;
            }
            else {
                zmq_msg_close(&part);
            }
        }
        char address[64] = "?";
        if (n >= 4) {
            snprintf(address, sizeof address, "%.*s", (int) zmq_msg_size(&frames[3]),
                     (const char *) zmq_msg_data(&frames[3]));
        }
        if (n < 7 || !s_frame_is(&frames[0], "1.0")) {
            if (n >= 2) {
                s_reply(self->socket, &frames[1], "500", "malformed ZAP request", "");
            }
            else {
                //  REP must answer something to stay usable.
                zmq_send(self->socket, "1.0", 3, 0);
            }
        }
        else if (!s_frame_is(&frames[5], "CURVE") || zmq_msg_size(&frames[6]) != 32) {
            s_reply(self->socket, &frames[1], "400", "CURVE required", "");
            refused(address, "not a CURVE handshake", arg);
        }
        else {
            const s_entry_t *e = s_find_key(self, zmq_msg_data(&frames[6]));
            int events = s_frame_is(&frames[2], BC_ZAP_DOMAIN_EVENTS);
            if (!e) {
                s_reply(self->socket, &frames[1], "400", "unknown key", "");
                refused(address, "key not registered", arg);
            }
            else if (e->revoked) {
                s_reply(self->socket, &frames[1], "400", "revoked", "");
                refused(address, "key revoked", arg);
            }
            else if (events && !e->events) {
                s_reply(self->socket, &frames[1], "400", "not allowed", "");
                refused(address, "event feed is for coordinators and operators", arg);
            }
            else {
                s_reply(self->socket, &frames[1], "200", "OK", e->code);
            }
        }
        for (size_t i = 0; i < n; i++) {
            zmq_msg_close(&frames[i]);
        }
    }
}
