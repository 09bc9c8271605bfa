//  bc_zap - the broker's ZAP handler: only registered CURVE keys get in
//
//  libzmq asks a ZAP handler (RFC 27) about every CURVE handshake, over a
//  REP socket bound to inproc://zeromq.zap.01 in the broker's context. This
//  module answers from an index of the agency registry: a key that belongs
//  to a registered, non-revoked agency is accepted and the connection's
//  User-Id is set to that agency's code (the broker takes the sender from
//  it, never from a message); anything else is refused. The handler is
//  bound before any socket binds, and every socket sets a ZAP domain with
//  ZMQ_ZAP_ENFORCE_DOMAIN, so no handshake can pass without it (CURVE
//  otherwise fails open). Runs on the broker's thread, polled with its
//  sockets.
#ifndef BC_ZAP_H_INCLUDED
#define BC_ZAP_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#include "bc_err.h"
#include "bc_store.h"

#define BC_ZAP_DOMAIN           "baocao"            //  the client endpoint
#define BC_ZAP_DOMAIN_EVENTS    "baocao-events"     //  coordinators, operators

typedef struct bc_zap bc_zap_t;         //  opaque; the broker's thread only

//  Binds the handler in ctx. Errors: BC_EIO (why says why).
bc_err bc_zap_open(bc_zap_t **zap_p, void *ctx, char *why, size_t why_size);

//  Closes the handler socket; sets *zap_p to NULL; safe on NULL.
void bc_zap_destroy(bc_zap_t **zap_p);

//  The REP socket, to poll for ZMQ_POLLIN.
void *bc_zap_socket(bc_zap_t *self);

//  Rebuilds the key index from the agencies database in txn (at start and
//  after every registry change). Errors: BC_ESTORE.
bc_err bc_zap_load(bc_zap_t *self, bc_txn_t *txn);

//  Called for each refused handshake: peer address and why.
typedef void (bc_zap_refused_fn)(const char *address, const char *why, void *arg);

//  Answers every ZAP request waiting on the socket. Malformed requests are
//  answered 500 (libzmq then refuses the connection).
void bc_zap_handle(bc_zap_t *self, bc_zap_refused_fn *refused, void *arg);

//  True when code is registered, not revoked, and has a CURVE key.
int bc_zap_allowed(const bc_zap_t *self, const char *code);

//  Keys indexed.
size_t bc_zap_count(const bc_zap_t *self);

#endif
