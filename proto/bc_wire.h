//  bc_wire - one ZeroMQ message = routing frames + one packed Envelope
//
//  Framing: a client (DEALER) sends and receives exactly one frame, the
//  packed Envelope. The broker (ROUTER) sees two: the peer's routing id,
//  then the Envelope. Anything else is a framing error: the whole multipart
//  message is drained and dropped, never half-read.
#ifndef BC_WIRE_H_INCLUDED
#define BC_WIRE_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#include "baocao/envelope.pb-c.h"
#include "bc_err.h"
#include "bc_id.h"

#define BC_WIRE_VERSION     1           //  Envelope.version spoken here
#define BC_WIRE_MAX_MSG     (32 << 20)  //  ZMQ_MAXMSGSIZE on every socket
#define BC_WIRE_MAX_RID     255         //  bytes of a ZeroMQ routing id

//  An outgoing envelope with storage for its id and time (value struct).
typedef struct {
    Baocao__Envelope env;               //  set env.body_case and the body
    Baocao__Timestamp sent_at;          //  pointed to by env.sent_at
    char id[BC_ID_HEX_LEN + 1];         //  pointed to by env.id
} bc_wire_out_t;

//  Initialises out with the protocol version, a fresh id and the current
//  time. The caller then sets the body (borrowed until sent).
void bc_wire_out_init(bc_wire_out_t *out);

//  Packs env into a new buffer the caller frees; *size_p gets its length.
uint8_t *bc_wire_pack(const Baocao__Envelope *env, size_t *size_p);

//  Unpacks and checks one Envelope: decodable, version BC_WIRE_VERSION, a
//  body present, an id present. On BC_OK *env_p is the caller's
//  (bc_wire_free). Errors: BC_ETOOBIG (over BC_WIRE_MAX_MSG), BC_EPROTO
//  (why, when not NULL, says what is wrong in one lowercase line).
bc_err bc_wire_unpack(const uint8_t *data, size_t size, Baocao__Envelope **env_p,
                      char *why, size_t why_size);

//  Frees an unpacked envelope and sets *env_p to NULL; safe on NULL.
void bc_wire_free(Baocao__Envelope **env_p);

//  Sends env on a DEALER socket (rid NULL) or to rid on a ROUTER socket.
//  flags are zmq_send flags (ZMQ_DONTWAIT). Borrows everything.
//  Errors: BC_ETIMEDOUT (would block with ZMQ_DONTWAIT, or the peer is
//  unroutable), BC_ECLOSED (socket closed or context terminated), BC_EIO.
bc_err bc_wire_send(void *socket, const void *rid, size_t rid_size,
                    const Baocao__Envelope *env, int flags);

//  A received message's routing id and the authenticated identity the
//  transport vouches for (ZMQ "User-Id" metadata, set by the ZAP handler
//  under CURVE; empty without one).
typedef struct {
    uint8_t rid[BC_WIRE_MAX_RID];       //  routing id bytes
    size_t rid_size;                    //  0 on a DEALER socket
    char user_id[64];                   //  "" when the transport has none
} bc_wire_peer_t;

//  Receives one whole multipart message and unpacks its Envelope. With
//  routed non-zero, expects [rid][envelope] (ROUTER), else [envelope].
//  flags are zmq_recv flags. On BC_OK *env_p is the caller's; *peer is
//  filled whenever the frames were readable (also on BC_EPROTO, so the
//  broker can answer with an Error). Errors: BC_ETIMEDOUT (nothing ready
//  with ZMQ_DONTWAIT or a receive timeout), BC_ECLOSED, BC_EPROTO (bad
//  framing or envelope; why says what), BC_ETOOBIG, BC_EIO.
bc_err bc_wire_recv(void *socket, int routed, int flags, bc_wire_peer_t *peer,
                    Baocao__Envelope **env_p, char *why, size_t why_size);

//  The body's name for logs: "hello", "submit_report", "?" when unknown.
const char *bc_wire_body_name(const Baocao__Envelope *env);

#endif
