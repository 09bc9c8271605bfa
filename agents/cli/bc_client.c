//  bc_client - one request, one answer over a DEALER socket
#include "bc_client.h"
#include "bc_alloc.h"
#include "bc_cert.h"
#include "bc_clock.h"
#include "bc_id.h"
#include "bc_reqkey.h"
#include "bc_wire.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

struct bc_client {
    void *ctx;                          //  ZeroMQ context, ours alone
    void *socket;                       //  DEALER connected to the broker
    char rid[BC_AGENCY_CODE_MAX + 10];  //  "<agency>/<8 hex>"
};

static bc_err s_open(bc_client_t **client_p, const char *endpoint, const char *agency,
                     const bc_cert_t *mine, const bc_cert_t *broker);

bc_err
bc_client_open(bc_client_t **client_p, const char *endpoint, const char *agency)
{
    return s_open(client_p, endpoint, agency, NULL, NULL);
}

bc_err
bc_client_open_secure(bc_client_t **client_p, const char *endpoint, const char *agency,
                      const char *key_file, const char *broker_key_file, char *why,
                      size_t why_size)
{
    bc_cert_t mine, broker;
    bc_err rc = bc_cert_load(&mine, key_file, why, why_size);
    if (rc != BC_OK) {
        return rc;
    }
    if (!mine.has_secret || strcmp(mine.code, agency) != 0) {
        snprintf(why, why_size, "%s is not the secret key file of %s", key_file, agency);
        bc_cert_wipe(&mine);
        return BC_EINVAL;
    }
    rc = bc_cert_load(&broker, broker_key_file, why, why_size);
    if (rc == BC_OK) {
        rc = s_open(client_p, endpoint, agency, &mine, &broker);
    }
    bc_cert_wipe(&mine);
    return rc;
}

static bc_err
s_open(bc_client_t **client_p, const char *endpoint, const char *agency, const bc_cert_t *mine,
       const bc_cert_t *broker)
{
    if (!client_p || !endpoint || !*endpoint || !bc_agency_code_valid(agency)) {
        return BC_EINVAL;
    }
    bc_client_t *self = bc_calloc(1, sizeof *self);
    char id[BC_ID_HEX_LEN + 1];
    bc_id_new(id);
    snprintf(self->rid, sizeof self->rid, "%s/%.8s", agency, id);

    bc_err rc = BC_OK;
    self->ctx = zmq_ctx_new();
    if (!self->ctx) {
        rc = BC_EIO;
        goto leave;
    }
    self->socket = zmq_socket(self->ctx, ZMQ_DEALER);
    if (!self->socket) {
        rc = BC_EIO;
        goto leave;
    }
    int64_t max_msg = BC_WIRE_MAX_MSG;
    if (zmq_setsockopt(self->socket, ZMQ_ROUTING_ID, self->rid, strlen(self->rid)) != 0
        || zmq_setsockopt(self->socket, ZMQ_MAXMSGSIZE, &max_msg, sizeof max_msg) != 0) {
        rc = BC_EIO;
        goto leave;
    }
    if (mine
        && (zmq_setsockopt(self->socket, ZMQ_CURVE_SERVERKEY, broker->curve_public,
                           BC_CERT_Z85_LEN) != 0
            || zmq_setsockopt(self->socket, ZMQ_CURVE_PUBLICKEY, mine->curve_public,
                              BC_CERT_Z85_LEN) != 0
            || zmq_setsockopt(self->socket, ZMQ_CURVE_SECRETKEY, mine->curve_secret,
                              BC_CERT_Z85_LEN) != 0)) {
        rc = BC_EIO;
        goto leave;
    }
    if (zmq_connect(self->socket, endpoint) != 0) {
        int err = zmq_errno();
        rc = (err == EINVAL || err == EPROTONOSUPPORT || err == ENOCOMPATPROTO) ? BC_EINVAL
                                                                                : BC_EIO;
        goto leave;
    }
leave:
    if (rc != BC_OK) {
        bc_client_destroy(&self);
        return rc;
    }
    *client_p = self;
    return BC_OK;
}

void
bc_client_destroy(bc_client_t **client_p)
{
    if (!client_p || !*client_p) {
        return;
    }
    bc_client_t *self = *client_p;
    if (self->socket) {
        //  Whatever is still queued (a request to a broker that never came
        //  up) must not hold the process at exit.
        int linger = 0;
        zmq_setsockopt(self->socket, ZMQ_LINGER, &linger, sizeof linger);
        zmq_close(self->socket);
    }
    if (self->ctx) {
        zmq_ctx_term(self->ctx);
    }
    free(self);
    *client_p = NULL;
}

//  The in_reply_to of an Ack or Error, or NULL for any other body.
static const char *
s_in_reply_to(const Baocao__Envelope *env)
{
    if (env->body_case == BAOCAO__ENVELOPE__BODY_ACK && env->ack) {
        return env->ack->in_reply_to ? env->ack->in_reply_to : "";
    }
    if (env->body_case == BAOCAO__ENVELOPE__BODY_ERROR && env->error) {
        return env->error->in_reply_to ? env->error->in_reply_to : "";
    }
    return NULL;
}

bc_err
bc_client_call(bc_client_t *self, const Baocao__Envelope *env, int64_t deadline_ms,
               Baocao__Envelope **reply_p)
{
    //  A connecting DEALER queues the message (no ZMQ_IMMEDIATE): a broker
    //  that comes up within the wait still gets it. Should the queue be
    //  full, wait for room within the same deadline.
    bc_err rc;
    while ((rc = bc_wire_send(self->socket, NULL, 0, env, ZMQ_DONTWAIT)) == BC_ETIMEDOUT) {
        int64_t left = deadline_ms - bc_clock_mono_ms();
        if (left <= 0) {
            return BC_ETIMEDOUT;
        }
        zmq_pollitem_t item = { self->socket, 0, ZMQ_POLLOUT, 0 };
        if (zmq_poll(&item, 1, (long) left) < 0 && zmq_errno() != EINTR) {
            return BC_EIO;
        }
    }
    if (rc != BC_OK) {
        return rc;
    }
    while (1) {
        int64_t left = deadline_ms - bc_clock_mono_ms();
        if (left <= 0) {
            return BC_ETIMEDOUT;
        }
        zmq_pollitem_t item = { self->socket, 0, ZMQ_POLLIN, 0 };
        int n = zmq_poll(&item, 1, (long) left);
        if (n < 0) {
            int err = zmq_errno();
            if (err == EINTR) {
                continue;
            }
            return err == ETERM ? BC_ECLOSED : BC_EIO;
        }
        if (n == 0 || !(item.revents & ZMQ_POLLIN)) {
            continue;
        }
        bc_wire_peer_t peer;
        Baocao__Envelope *reply = NULL;
        rc = bc_wire_recv(self->socket, 0, ZMQ_DONTWAIT, &peer, &reply, NULL, 0);
        if (rc == BC_EPROTO || rc == BC_ETOOBIG || rc == BC_ETIMEDOUT) {
            continue;                   //  not an answer we can read: keep waiting
        }
        if (rc != BC_OK) {
            return rc;
        }
        const char *to = s_in_reply_to(reply);
        int ours = to && (strcmp(to, env->id) == 0
                          || (*to == '\0' && reply->body_case == BAOCAO__ENVELOPE__BODY_ERROR));
        if (ours) {
            *reply_p = reply;
            return BC_OK;
        }
        bc_wire_free(&reply);           //  a heartbeat, a stale answer
    }
}

static int
s_unknown_session(const Baocao__Envelope *reply)
{
    return reply->body_case == BAOCAO__ENVELOPE__BODY_ERROR && reply->error
           && reply->error->code == BAOCAO__ERROR_CODE__UNKNOWN_SESSION;
}

bc_err
bc_client_issue(bc_client_t *self, const Baocao__ReportRequest *req, int64_t timeout_ms,
                Baocao__Envelope **reply_p)
{
    int64_t deadline = bc_clock_mono_ms() + timeout_ms;
    Baocao__IssueRequest issue = BAOCAO__ISSUE_REQUEST__INIT;
    issue.request = (Baocao__ReportRequest *) req;

    bc_wire_out_t out;
    bc_wire_out_init(&out);
    out.env.body_case = BAOCAO__ENVELOPE__BODY_ISSUE_REQUEST;
    out.env.issue_request = &issue;
    Baocao__Envelope *reply = NULL;
    bc_err rc = bc_client_call(self, &out.env, deadline, &reply);
    if (rc != BC_OK || !s_unknown_session(reply)) {
        if (rc == BC_OK) {
            *reply_p = reply;
        }
        return rc;
    }
    bc_wire_free(&reply);

    //  The broker wants a session first: Hello, then the request again
    //  (with a fresh envelope id: the first one was refused, not stored).
    Baocao__Hello hello = BAOCAO__HELLO__INIT;
    hello.role = BAOCAO__CLIENT_ROLE__COORDINATOR;
    hello.software = (char *) BC_CLIENT_SOFTWARE;
    bc_wire_out_t hi;
    bc_wire_out_init(&hi);
    hi.env.body_case = BAOCAO__ENVELOPE__BODY_HELLO;
    hi.env.hello = &hello;
    rc = bc_client_call(self, &hi.env, deadline, &reply);
    if (rc != BC_OK) {
        return rc;
    }
    if (reply->body_case == BAOCAO__ENVELOPE__BODY_ERROR) {
        *reply_p = reply;               //  the broker's reason for refusing us
        return BC_OK;
    }
    bc_wire_free(&reply);
    bc_wire_out_init(&out);
    out.env.body_case = BAOCAO__ENVELOPE__BODY_ISSUE_REQUEST;
    out.env.issue_request = &issue;
    rc = bc_client_call(self, &out.env, deadline, &reply);
    if (rc == BC_OK) {
        *reply_p = reply;
    }
    return rc;
}
