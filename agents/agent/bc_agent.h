//  bc_agent - a department's agent: broker session, drop folder, submissions
//
//  One thread, one zmq_poll loop over a DEALER socket to the broker and an
//  inotify descriptor on the request folders (see bc_dropdir.h for the
//  layout). The protocol is envelope.proto's:
//    Hello{AGENT} -> Ack, then a Delivery for every request awaiting us;
//    Heartbeat every heartbeat_ms; Delivery -> lay out the folder, Receipt
//    ARRIVED (and PROCESSING while the folder holds no document);
//    a document in a folder -> SubmitReport, resent until an Ack with its
//    report_id; then the document moves to sent/ with a line in
//    sent/BIEN-NHAN.txt.
//
//  Choices (and why):
//  - An outbox (bc_outbox, the agent's own LMDB store in `state`): a report
//    is persisted there, synced, before its first send and deleted after its
//    Ack, so after any crash it is resent exactly as it was built, even if
//    staff changed or removed the document meanwhile. report_id is also
//    derived from the content (agency, request key, document and
//    chi-tieu.csv SHA-256, see bc_dropdir_report_id), so a document still in
//    its folder after a crash rebuilds into the same id and the broker's
//    report_id index answers with the earlier Ack (duplicate). A document
//    leaves the folder only after its Ack: nothing acknowledged is lost and
//    nothing is stored twice. A document replaced by staff before its Ack
//    replaces its pending report (the outbox entry too).
//  - A malformed chi-tieu.csv HOLDS the folder's documents: nothing is sent,
//    LOI-chi-tieu.txt says which line is wrong and why, and saving a fixed
//    csv sends the documents (and removes LOI-chi-tieu.txt). Sending without
//    indicators would store a revision with missing figures that the
//    coordinator would total, then a second revision once fixed. Unknown
//    indicator codes and rows without a value are only skipped (logged as
//    warnings): the rest of the file is still meaningful.
//  - Documents the agent cannot use (not UTF-8 text, empty, over 16 MiB)
//    go to loi/ with <name>.LOI.txt, like documents the broker refuses
//    (Error INVALID, NOT_ADDRESSED, UNKNOWN_REQUEST, TOO_BIG); DENIED is
//    about the agency (key revoked, signature key not matching), not the
//    document: documents stay, the agent stops and says Hello again every
//    minute until an operator fixes the registry; any other Error, or no
//    answer, means resend with backoff (1 s doubling up
//    to retry_max_ms, +-20% jitter).
//  - Submissions and heartbeats go out only once the broker acknowledged our
//    Hello (the session is up); when it comes up, every pending submission is
//    sent at once with its backoff reset. The session is down again after
//    3 x heartbeat_ms without any message from the broker, an Error
//    UNKNOWN_SESSION or a Bye: the agent says Hello again.
//  - ZMQ_IMMEDIATE is set, on top of the socket options the design lists:
//    without it, a DEALER queues every Hello, Heartbeat and resend while the
//    broker is down and floods it with them (and gets one Ack plus all
//    Deliveries per queued Hello) when it comes back. With it, a send with no
//    live connection fails at once (ZMQ_DONTWAIT everywhere, the loop never
//    blocks); a Hello that could not go out is retried after 100 ms,
//    doubling up to 1 s.
//  - A send that finds no connection while the session is up (ZMQ_IMMEDIATE)
//    also counts as losing the broker: Hello again as soon as it is back,
//    instead of waiting for the next heartbeat's UNKNOWN_SESSION.
//  - A request folder is named after the citation (bc_notation_folder); if
//    that folder already holds another request with the same citation
//    (letters restart their numbers each year), the newcomer's folder gets
//    its promulgation date appended (bc_dropdir_layout).
//  - Receipts are sent once per Delivery and not retried: the broker
//    redelivers a request until it has a report, and each Delivery is
//    answered again (laying out a folder is idempotent).
//  - Documents are taken in name order when a folder is scanned (start,
//    Delivery, a changed chi-tieu.csv, inotify overflow). A document
//    rewritten while pending replaces its pending submission; another
//    document in the same folder is another submission (the next revision).
//  - At an Ack the document's SHA-256 is checked again: if staff rewrote it
//    after it was sent, it stays in the folder and its new text is sent
//    (the Ack was for the old text, now stored as its own revision).
//  - chi-tieu.csv should be in place before the document: a csv saved after
//    the document was acknowledged is not sent until a document is put in
//    the folder again (YEU-CAU.txt says so).
//  - Symbolic links in a request folder are not documents (the agent sends
//    what it reads; a link could point anywhere).
//  - On SIGINT/SIGTERM the loop ends: a Bye is sent if the session is up,
//    then the socket closes with a 1 s linger. Unacknowledged documents
//    stay in their folders and are sent again at the next start.
//  - This is the daemon's library: it logs runtime events itself (through
//    bc_log, in English, git's rules), since it is where they are handled;
//    bc_dropdir and bc_docparse only return.
#ifndef BC_AGENT_H_INCLUDED
#define BC_AGENT_H_INCLUDED

#include <signal.h>
#include <stddef.h>

#include "bc_err.h"

#define BC_AGENT_SOFTWARE       "baocao-agent 0.1.0"
#define BC_AGENT_BROKER_DEFAULT "tcp://127.0.0.1:5570"
#define BC_AGENT_HEARTBEAT_MS   5000            //  default heartbeat_ms
#define BC_AGENT_HEARTBEAT_MIN  500
#define BC_AGENT_HEARTBEAT_MAX  600000
#define BC_AGENT_RETRY_MAX_MS   30000           //  default retry_max_ms
#define BC_AGENT_RETRY_FIRST_MS 1000            //  first resend delay
#define BC_AGENT_LIVENESS       3               //  heartbeats of silence = lost
#define BC_AGENT_STATE_DEFAULT  ".baocao-agent"     //  outbox folder in the drop root

typedef struct bc_agent bc_agent_t;             //  opaque, one owner thread

typedef struct {
    const char *code;                   //  our organ code, e.g. 000.00.04.H45
    const char *name;                   //  our agency's name
    const char *broker;                 //  ZeroMQ endpoint of the broker
    const char *drop;                   //  drop folder root (created if absent)
    const char *state;                  //  outbox folder; NULL or "" = drop/.baocao-agent
    const char *key;                    //  our .key file: CURVE + signed reports;
                                        //  NULL or "" = plain (development only)
    const char *broker_key;             //  the broker's .pub file, with key
    int heartbeat_ms;                   //  BC_AGENT_HEARTBEAT_MIN..MAX
    int retry_max_ms;                   //  cap of the resend backoff, >= 1000
} bc_agent_opts_t;

//  Creates the agent: checks opts, creates the drop root, the inotify
//  descriptor, the ZeroMQ context and the DEALER socket (routing id
//  "<code>/<8 random hex>", ZMQ_MAXMSGSIZE BC_WIRE_MAX_MSG, linger 1 s,
//  reconnect 100 ms..5 s, immediate) and connects it. Nothing is sent yet.
//  Copies opts. On BC_OK *agent_p is the caller's (bc_agent_destroy).
//  Errors (why says what in one lowercase line):
//    BC_EINVAL   bad opts (code, name, drop, heartbeat, retry, an endpoint
//                ZeroMQ refuses)
//    BC_EDENIED, BC_EIO  the drop root, inotify or ZeroMQ failed
bc_err bc_agent_open(bc_agent_t **agent_p, const bc_agent_opts_t *opts,
                     char *why, size_t why_size);

//  Runs the agent until *stop becomes non-zero (a signal handler sets it;
//  the loop wakes on EINTR) or a fatal error: scans the drop root for
//  request folders left from earlier runs, says Hello and serves. Returns
//  BC_OK after a clean stop (Bye sent when the session was up).
//  Errors: BC_ECLOSED (the ZeroMQ context was terminated), BC_EIO (polling
//  or inotify failed; logged).
bc_err bc_agent_run(bc_agent_t *self, const volatile sig_atomic_t *stop);

//  One turn of the loop, for tests that play the broker themselves: the
//  first call scans the drop root and says Hello; then runs due timers,
//  waits up to timeout_ms (capped by the next timer) for the socket or
//  inotify, and handles what arrived. Errors: as bc_agent_run.
bc_err bc_agent_run_once(bc_agent_t *self, int timeout_ms);

//  The socket's routing id, "<code>/<8 hex>" (borrowed).
const char *bc_agent_routing_id(const bc_agent_t *self);

//  True while the broker has acknowledged our Hello and not gone silent.
int bc_agent_connected(const bc_agent_t *self);

//  Number of submitted reports not yet acknowledged.
size_t bc_agent_pending(const bc_agent_t *self);

//  Closes the socket (1 s linger), terminates the context, closes inotify,
//  frees everything and sets *agent_p to NULL. Safe on NULL. (The Bye is
//  bc_agent_run's, on a clean stop.)
void bc_agent_destroy(bc_agent_t **agent_p);

#endif
