//  bc_broker - the broker: one ROUTER for every client, one PUB for events
//
//  Runs the protocol of envelope.proto on one thread. Each poll cycle reads
//  up to batch_max messages, handles each inside its own nested transaction
//  of one write transaction, commits that once (synced), and only then sends
//  the acknowledgements and deliveries the cycle produced (group commit: no
//  ack ever precedes its commit). If the commit fails, every reply that
//  depended on it becomes Error(STORE_FAILED) and the senders retry.
#ifndef BC_BROKER_H_INCLUDED
#define BC_BROKER_H_INCLUDED

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bc_config.h"
#include "bc_err.h"

typedef struct {
    char endpoint[BC_CONFIG_STR_MAX];   //  ROUTER bind, tcp://127.0.0.1:5570
    char events[BC_CONFIG_STR_MAX];     //  PUB bind, tcp://127.0.0.1:5571
    char store[BC_CONFIG_STR_MAX];      //  LMDB folder
    char agencies[BC_CONFIG_STR_MAX];   //  agency list CSV loaded at start
    char ready_file[BC_CONFIG_STR_MAX]; //  written once serving ("" = none)
    long long map_size_mb;              //  initial LMDB map size
    long long batch_max;                //  messages per group commit
    long long session_timeout_ms;       //  a silent client is forgotten after
    long long deadline_check_ms;        //  how often deadlines are checked
    long long presence_flush_ms;        //  how often last-seen times are stored
    long long heartbeat_ms;             //  ZMTP heartbeat interval, 0 = off
    long long reader_check_ms;          //  mdb_reader_check period
    char log_level[BC_CONFIG_STR_MAX];
    char security[BC_CONFIG_STR_MAX];   //  "curve" or "none"
    char key[BC_CONFIG_STR_MAX];        //  the broker's secret key file
    int require_signatures;             //  refuse unsigned reports
    int unsafe_no_sync;                 //  fuzzing only; not in the config table
} bc_broker_config_t;

//  Fills cfg with the defaults.
void bc_broker_config_defaults(bc_broker_config_t *cfg);

//  The table of config keys (section [broker]); *count_p gets its length.
const bc_cfg_key_t *bc_broker_config_table(size_t *count_p);

typedef struct bc_broker bc_broker_t;   //  opaque; the thread that opens it runs it

//  Opens the store, loads the agency list, binds both sockets and writes the
//  ready file. On BC_OK *broker_p is the caller's (bc_broker_destroy).
//  Errors: BC_EINVAL (config), BC_ENOTFOUND (agency file), BC_EIO (bind),
//  storage errors; why says what and where in one lowercase line.
bc_err bc_broker_open(bc_broker_t **broker_p, const bc_broker_config_t *cfg,
                      char *why, size_t why_size);

//  Serves until *stop becomes non-zero (set it from a signal handler), then
//  finishes the cycle in hand: what was committed is acknowledged, what was
//  not is not. Errors: BC_ESTORE when the store cannot be written at all.
bc_err bc_broker_run(bc_broker_t *self, volatile sig_atomic_t *stop);

//  Handles one message as if received from route rid, in a cycle of its own
//  (commit, then replies). For the fuzzer and tests that drive handlers
//  without a socket; returns the unpack or commit result.
bc_err bc_broker_feed(bc_broker_t *self, const uint8_t *rid, size_t rid_size,
                      const uint8_t *data, size_t size);

//  Closes sockets (bounded linger) and the store; sets *broker_p to NULL.
void bc_broker_destroy(bc_broker_t **broker_p);

#endif
