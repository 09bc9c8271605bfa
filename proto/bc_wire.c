//  bc_wire - framing and Envelope checks for every socket
#include "bc_wire.h"
#include "bc_alloc.h"
#include "bc_clock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

void
bc_wire_out_init(bc_wire_out_t *out)
{
    memset(out, 0, sizeof *out);
    baocao__envelope__init(&out->env);
    baocao__timestamp__init(&out->sent_at);
    bc_id_new(out->id);
    out->sent_at.unix_ms = bc_clock_now_ms();
    out->env.version = BC_WIRE_VERSION;
    out->env.id = out->id;
    out->env.sent_at = &out->sent_at;
}

uint8_t *
bc_wire_pack(const Baocao__Envelope *env, size_t *size_p)
{
    size_t size = baocao__envelope__get_packed_size(env);
    uint8_t *buf = bc_malloc(size);
    baocao__envelope__pack(env, buf);
    *size_p = size;
    return buf;
}

static void
s_why(char *why, size_t why_size, const char *text)
{
    if (why && why_size) {
        snprintf(why, why_size, "%s", text);
    }
}

bc_err
bc_wire_unpack(const uint8_t *data, size_t size, Baocao__Envelope **env_p,
               char *why, size_t why_size)
{
    if (size > BC_WIRE_MAX_MSG) {
        s_why(why, why_size, "message over the size limit");
        return BC_ETOOBIG;
    }
    Baocao__Envelope *env = baocao__envelope__unpack(NULL, size, data);
    if (!env) {
        s_why(why, why_size, "undecodable envelope");
        return BC_EPROTO;
    }
    if (env->version != BC_WIRE_VERSION) {
        char text[64];
        snprintf(text, sizeof text, "unsupported protocol version %u", env->version);
        s_why(why, why_size, text);
        baocao__envelope__free_unpacked(env, NULL);
        return BC_EPROTO;
    }
    if (env->body_case == BAOCAO__ENVELOPE__BODY__NOT_SET) {
        //  Also what an unknown (newer) body type decodes to.
        s_why(why, why_size, "envelope without a known body");
        baocao__envelope__free_unpacked(env, NULL);
        return BC_EPROTO;
    }
    if (!env->id || !*env->id || strlen(env->id) > 64) {
        s_why(why, why_size, "envelope without a valid id");
        baocao__envelope__free_unpacked(env, NULL);
        return BC_EPROTO;
    }
    *env_p = env;
    return BC_OK;
}

void
bc_wire_free(Baocao__Envelope **env_p)
{
    if (env_p && *env_p) {
        baocao__envelope__free_unpacked(*env_p, NULL);
        *env_p = NULL;
    }
}

static bc_err
s_from_errno(int err)
{
    switch (err) {
    case EAGAIN:
    case EHOSTUNREACH:  return BC_ETIMEDOUT;
    case ETERM:
    case ENOTSOCK:      return BC_ECLOSED;
    case EMSGSIZE:      return BC_ETOOBIG;
    default:            return BC_EIO;
    }
}

bc_err
bc_wire_send(void *socket, const void *rid, size_t rid_size,
             const Baocao__Envelope *env, int flags)
{
    size_t size;
    uint8_t *buf = bc_wire_pack(env, &size);
    bc_err rc = BC_OK;
    if (rid && zmq_send(socket, rid, rid_size, flags | ZMQ_SNDMORE) < 0) {
        rc = s_from_errno(zmq_errno());
    }
    else if (zmq_send(socket, buf, size, flags) < 0) {
        //  After the routing frame was queued, libzmq queues the last frame
        //  too (atomic multipart), so a failure here means nothing went out.
        rc = s_from_errno(zmq_errno());
    }
    free(buf);
    return rc;
}

static void
s_drain(void *socket)
{
    int more = 1;
    while (more) {
        zmq_msg_t part;
        zmq_msg_init(&part);
        if (zmq_msg_recv(&part, socket, 0) < 0) {
            zmq_msg_close(&part);
            return;
        }
        more = zmq_msg_more(&part);
        zmq_msg_close(&part);
    }
}

bc_err
bc_wire_recv(void *socket, int routed, int flags, bc_wire_peer_t *peer,
             Baocao__Envelope **env_p, char *why, size_t why_size)
{
    memset(peer, 0, sizeof *peer);
    zmq_msg_t part;
    zmq_msg_init(&part);
    if (zmq_msg_recv(&part, socket, flags) < 0) {
        int err = zmq_errno();
        zmq_msg_close(&part);
        return s_from_errno(err);
    }
    if (routed) {
        size_t n = zmq_msg_size(&part);
        peer->rid_size = n < BC_WIRE_MAX_RID ? n : BC_WIRE_MAX_RID;
        memcpy(peer->rid, zmq_msg_data(&part), peer->rid_size);
        if (!zmq_msg_more(&part)) {
            zmq_msg_close(&part);
            s_why(why, why_size, "message without an envelope frame");
            return BC_EPROTO;
        }
        zmq_msg_close(&part);
        zmq_msg_init(&part);
        //  The rest of a multipart message is already here: never blocks.
        if (zmq_msg_recv(&part, socket, 0) < 0) {
            int err = zmq_errno();
            zmq_msg_close(&part);
            return s_from_errno(err);
        }
    }
    const char *user_id = zmq_msg_gets(&part, "User-Id");
    if (user_id) {
        snprintf(peer->user_id, sizeof peer->user_id, "%s", user_id);
    }
    if (zmq_msg_more(&part)) {
        zmq_msg_close(&part);
        s_drain(socket);
        s_why(why, why_size, "message with extra frames");
        return BC_EPROTO;
    }
    bc_err rc = bc_wire_unpack(zmq_msg_data(&part), zmq_msg_size(&part), env_p, why, why_size);
    zmq_msg_close(&part);
    return rc;
}

const char *
bc_wire_body_name(const Baocao__Envelope *env)
{
    switch (env->body_case) {
    case BAOCAO__ENVELOPE__BODY_HELLO:          return "hello";
    case BAOCAO__ENVELOPE__BODY_HEARTBEAT:      return "heartbeat";
    case BAOCAO__ENVELOPE__BODY_BYE:            return "bye";
    case BAOCAO__ENVELOPE__BODY_ISSUE_REQUEST:  return "issue_request";
    case BAOCAO__ENVELOPE__BODY_DELIVERY:       return "delivery";
    case BAOCAO__ENVELOPE__BODY_RECEIPT:        return "receipt";
    case BAOCAO__ENVELOPE__BODY_SUBMIT_REPORT:  return "submit_report";
    case BAOCAO__ENVELOPE__BODY_ACK:            return "ack";
    case BAOCAO__ENVELOPE__BODY_ERROR:          return "error";
    default:                                    return "?";
    }
}
