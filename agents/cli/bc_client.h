//  bc_client - a coordinator's short-lived DEALER connection to the broker
//
//  One call, one answer: the CLI connects, sends one Envelope, waits for the
//  Ack or Error whose in_reply_to is that envelope's id (anything else that
//  arrives meanwhile is dropped), and closes without lingering. The broker
//  takes the sender from the routing id up to '/', so the routing id is
//  "<agency>/<8 random hex>": unique per run, stable agency.
#ifndef BC_CLIENT_H_INCLUDED
#define BC_CLIENT_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#include "baocao/envelope.pb-c.h"
#include "bc_err.h"

#define BC_CLIENT_SOFTWARE  "baocao 0.1.0"      //  Hello.software

typedef struct bc_client bc_client_t;   //  opaque; one thread

//  Creates a ZeroMQ context and a DEALER connected to endpoint, with
//  ZMQ_ROUTING_ID "<agency>/<8 hex>" and ZMQ_MAXMSGSIZE BC_WIRE_MAX_MSG.
//  Connecting is asynchronous: a broker that is down shows up later as
//  BC_ETIMEDOUT, not here. Borrows endpoint and agency. On BC_OK *client_p
//  is the caller's (bc_client_destroy). Errors: BC_EINVAL (agency is not a
//  valid organ code, or endpoint is malformed or of an unknown transport),
//  BC_EIO (ZeroMQ could not create the socket).
bc_err bc_client_open(bc_client_t **client_p, const char *endpoint, const char *agency);

//  The same over CURVE: key_file is our CODE.key (its code must be agency),
//  broker_key_file the broker's .pub. Key material is wiped after use.
//  Errors: as bc_client_open, and BC_EINVAL/BC_EDENIED/BC_ENOTFOUND for a
//  key file (why says which and why).
bc_err bc_client_open_secure(bc_client_t **client_p, const char *endpoint, const char *agency,
                             const char *key_file, const char *broker_key_file, char *why,
                             size_t why_size);

//  Closes the socket with ZMQ_LINGER 0 (unsent messages are dropped: by then
//  the answer is in or the wait is over), ends the context and sets
//  *client_p to NULL. Safe on NULL.
void bc_client_destroy(bc_client_t **client_p);

//  Sends env (its id must be set; see bc_wire_out_init) and waits until
//  deadline_ms (bc_clock_mono_ms() time) for the Ack or Error answering it.
//  An Error with an empty in_reply_to also counts (the broker could not
//  read our id). Borrows env. On BC_OK *reply_p is the answer, the
//  caller's (bc_wire_free). Errors: BC_ETIMEDOUT (no answer in time),
//  BC_ECLOSED, BC_EIO.
bc_err bc_client_call(bc_client_t *self, const Baocao__Envelope *env, int64_t deadline_ms,
                      Baocao__Envelope **reply_p);

//  Issues req (IssueRequest) and waits up to timeout_ms in all for the
//  broker's Ack or Error. When the broker first wants a session (Error
//  UNKNOWN_SESSION), says Hello as a coordinator and sends the request once
//  more within the same time. Borrows req. On BC_OK *reply_p is the answer
//  (body ack or error), the caller's (bc_wire_free): a broker Error is a
//  successful call. Errors: BC_ETIMEDOUT, BC_ECLOSED, BC_EIO.
bc_err bc_client_issue(bc_client_t *self, const Baocao__ReportRequest *req,
                       int64_t timeout_ms, Baocao__Envelope **reply_p);

#endif
