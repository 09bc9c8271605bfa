//  bc_feed - the broker's event feed, sequenced into a bounded ring of updates
//
//  One thread of its own subscribes to the broker's PUB socket (a CURVE
//  client with a coordinator's or operator's key when the broker runs with
//  security = curve; ZAP domain "baocao-events" on the broker's side),
//  turns each Event into a DashUpdate carrying the state after it (the
//  request's counts and the agency's row, read from the store through
//  bc_view), gives it the next dashboard sequence number and appends it,
//  encoded once as an SSE frame, to a ring of the last ring_size updates.
//  HTTP threads read the ring; nothing else is shared (STYLE: threads pass
//  messages). The same thread also
//    - polls agents' presence and appends a "presence" update when one
//      comes online or goes offline (the broker publishes no event for it);
//    - appends "feed.resync" when the feed reconnects after a loss (events
//      published meanwhile are gone: clients fetch a fresh state);
//    - calls the notify callback after appending and on every tick, which
//      the HTTP side uses to wake its waiting SSE streams.
//  The Clone pattern (zguide): a client takes seq, then a snapshot from the
//  store, then the updates after seq; every update carries absolute state,
//  so one applied twice changes nothing.
#ifndef BC_FEED_H_INCLUDED
#define BC_FEED_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#include "baocao/dashboard.pb-c.h"
#include "bc_alloc.h"
#include "bc_err.h"
#include "bc_view.h"

#define BC_FEED_RUN_ID_MAX      16      //  bytes of a run id, with NUL
#define BC_FEED_ID_MAX          48      //  bytes of an SSE id "<run>-<seq>", with NUL
#define BC_FEED_BATCH           256     //  events handled per wake-up
#define BC_FEED_MAX_EVENT       65536   //  ZMQ_MAXMSGSIZE of the subscription
#define BC_FEED_TICK_MS         250     //  notify period without events

//  Kinds counted in the statistics; anything else counts as "other".
typedef enum {
    BC_FEED_REQUEST_ISSUED = 0,
    BC_FEED_REPORT_STORED,
    BC_FEED_DELIVERY_STATUS,
    BC_FEED_DELIVERY_OVERDUE,
    BC_FEED_DELIVERY_REMINDED,
    BC_FEED_OTHER,
    BC_FEED_KINDS
} bc_feed_kind_t;

typedef struct {
    const char *endpoint;               //  the broker's PUB endpoint; "" = no feed
    const char *key_file;               //  our CODE.key (coordinator or operator);
                                        //  "" = plaintext (broker security = none)
    const char *broker_key_file;        //  the broker's .pub, required with key_file
    size_t ring_size;                   //  updates kept for reconnecting clients
    int64_t presence_poll_ms;           //  how often presence is read; 0 = never
} bc_feed_opts_t;

typedef struct {
    uint64_t seq;                       //  last sequence number given
    uint64_t oldest;                    //  oldest kept (0 when none)
    uint64_t received[BC_FEED_KINDS];   //  broker events by kind
    uint64_t invalid;                   //  messages that were not an Event
    uint64_t presence_changes;          //  "presence" updates made
    uint64_t resyncs;                   //  reconnections after a loss
    uint64_t handshake_failures;        //  CURVE handshakes the broker refused
    int connected;                      //  the subscription is up
} bc_feed_stats_t;

typedef struct bc_feed bc_feed_t;       //  opaque; see each call for threads

//  Called on the feed's thread after added updates were appended, and with
//  added 0 on every tick (BC_FEED_TICK_MS). Must not call bc_feed_stop.
typedef void (bc_feed_notify_fn)(void *arg, size_t added);

//  Prepares the feed: loads the key files and creates the socket, without
//  connecting or starting the thread. Borrows opts and view (view must
//  outlive the feed). On BC_OK *feed_p is the caller's (bc_feed_destroy).
//  Errors: BC_EINVAL (ring_size 0, a key file without the other, a key
//  file that is not a secret key; why says which), BC_ENOTFOUND,
//  BC_EDENIED (key files), BC_EIO (ZeroMQ). Main thread.
bc_err bc_feed_open(bc_feed_t **feed_p, const bc_feed_opts_t *opts, bc_view_t *view,
                    char *why, size_t why_size);

//  Connects and starts the thread, which calls notify(arg, ...) from then
//  on. Errors: BC_EINVAL (malformed endpoint), BC_EIO. Main thread, once.
bc_err bc_feed_start(bc_feed_t *self, bc_feed_notify_fn *notify, void *arg, char *why,
                     size_t why_size);

//  Stops and joins the thread; after it no notify call is running or
//  will come. Safe to call twice, or without bc_feed_start. Main thread.
void bc_feed_stop(bc_feed_t *self);

//  Stops the thread if running, closes the socket and frees the ring; sets
//  *feed_p to NULL; safe on NULL. Main thread.
void bc_feed_destroy(bc_feed_t **feed_p);

//  Appends one update: gives it the next sequence number (written to
//  upd->seq) and the time received when unset, encodes it (bc_json) as an
//  SSE frame "id: <run>-<seq>\nevent: update\ndata: <json>\n\n", and drops
//  the oldest update when the ring is full. Borrows upd. Returns the
//  sequence number. The feed's thread uses it; tests may too. Any thread.
uint64_t bc_feed_push(bc_feed_t *self, Baocao__DashUpdate *upd);

//  Appends to out the frames of the updates after seq `after` that concern
//  request_key (NULL or "": all; "presence" and "feed.resync" updates
//  concern every request), and sets *last_p to the newest sequence number
//  looked at. Errors: BC_ENOTFOUND when the updates right after `after` are
//  no longer kept, or `after` is ahead of this run (the caller sends a
//  snapshot instead); *last_p and out untouched then. Any thread.
bc_err bc_feed_read(bc_feed_t *self, uint64_t after, const char *request_key, bc_buf_t *out,
                    uint64_t *last_p);

//  The last sequence number given (0 before the first update). Any thread.
uint64_t bc_feed_seq(bc_feed_t *self);

//  This run's id (a few letters and digits from the start time), which every
//  SSE id carries so that a client of an earlier run gets a snapshot.
//  Borrowed for the feed's life. Any thread.
const char *bc_feed_run_id(const bc_feed_t *self);

//  Writes the SSE id of seq ("<run>-<seq>") into buf. Any thread.
void bc_feed_format_id(const bc_feed_t *self, uint64_t seq, char *buf, size_t size);

//  Parses a Last-Event-ID. On BC_OK *seq_p is the sequence number it names
//  in this run. Errors: BC_EINVAL (not an id of ours), BC_ENOTFOUND (an id
//  of another run). Any thread.
bc_err bc_feed_parse_id(const bc_feed_t *self, const char *text, uint64_t *seq_p);

//  Counters and state for /metrics. Any thread.
void bc_feed_stats(bc_feed_t *self, bc_feed_stats_t *stats);

//  The statistics label of a kind: "request.issued" ... "other". Static.
const char *bc_feed_kind_name(bc_feed_kind_t kind);

#endif
