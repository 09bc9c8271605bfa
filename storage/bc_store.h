//  bc_store - the LMDB environment: named databases, transactions, map growth
//
//  One writer process (the broker), any number of readers (CLI, aggregator,
//  dashboard) through read-only transactions that never block the writer.
//  Values are packed protobuf messages; keys follow bc_keys.h. Every commit
//  is synced (no MDB_NOSYNC): a caller may acknowledge what it wrote as soon
//  as bc_store_commit returns BC_OK.
#ifndef BC_STORE_H_INCLUDED
#define BC_STORE_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <protobuf-c/protobuf-c.h>

#include "bc_err.h"

#define BC_STORE_SCHEMA         1                   //  meta "schema" written here
#define BC_STORE_MAP_DEFAULT    ((size_t) 1 << 30)  //  initial map: 1 GiB
#define BC_STORE_MAX_VALUE      (64u << 20)         //  largest value we store
#define BC_STORE_LOCK_FILE      "writer.lock"       //  flock held by the one writer

typedef struct bc_store bc_store_t;     //  opaque; one per process
typedef struct bc_txn bc_txn_t;         //  a transaction, used by one thread

typedef enum {
    BC_DB_REQUESTS = 0,                 //  request key -> RequestRecord
    BC_DB_DELIVERIES,                   //  delivery key -> DeliveryRecord
    BC_DB_PENDING,                      //  pending key -> "" (awaits a report)
    BC_DB_REPORTS,                      //  report key -> Report
    BC_DB_REPORT_IDS,                   //  report id -> ReportIdRecord
    BC_DB_AGENCIES,                     //  agency key -> AgencyRecord
    BC_DB_META,                         //  name -> bytes
    BC_DB_OUTBOX,                       //  report id -> OutboxEntry (agents only)
    BC_DB_PRESENCE,                     //  agency key -> Presence (last seen)
    BC_DB_AUDIT,                        //  seq u64 BE -> AuditEntry (hash chain)
    BC_DB_COUNT
} bc_db_t;

typedef struct {
    const char *dir;                    //  holds data.mdb and lock.mdb
    size_t map_size;                    //  initial bytes; 0 = BC_STORE_MAP_DEFAULT
    int read_only;                      //  non-zero: readers only, dir must exist
    int unsafe_no_sync;                 //  fuzzing and unit tests only: commits
                                        //  are not synced (MDB_NOSYNC); never in
                                        //  a daemon, whose acks promise durability
} bc_store_opts_t;

//  Store figures for status pages and metrics.
typedef struct {
    size_t map_size;                    //  bytes mapped
    size_t used_bytes;                  //  pages in use times page size
    size_t entries[BC_DB_COUNT];        //  entries per database
} bc_store_stat_t;

bc_err bc_store_stat(bc_store_t *self, bc_store_stat_t *stat);

//  Opens the store, creating dir and the databases when writable. A writable
//  open takes the store's writer lock (flock on BC_STORE_LOCK_FILE, held
//  until destroy) so that two writers, or a restore under a running broker,
//  cannot happen; records BC_STORE_SCHEMA in a new store, migrates an older
//  one and refuses a newer one. Stale reader slots of dead processes are
//  cleared. On BC_OK *store_p is the caller's (bc_store_destroy).
//  Errors: BC_EINVAL (bad opts), BC_ENOTFOUND (read-only and no store there),
//  BC_EEXIST (another process holds the writer lock), BC_EPROTO (a store of
//  a newer schema), BC_EDENIED, BC_EIO, BC_ESTORE.
bc_err bc_store_open(bc_store_t **store_p, const bc_store_opts_t *opts);

//  Closes the store and sets *store_p to NULL; safe on NULL. No transaction
//  may be open.
void bc_store_destroy(bc_store_t **store_p);

//  A description of the last storage error with LMDB's own text
//  ("put report: MDB_MAP_FULL: Environment mapsize limit reached"). Borrowed.
const char *bc_store_last_error(const bc_store_t *self);

//  Begins a transaction: write non-zero for the (single) write transaction.
//  Before a write transaction the map is grown ahead of need when over 3/4
//  used. On BC_OK *txn_p is the caller's, ended by commit or abort.
//  Errors: BC_EDENIED (write on a read-only store), BC_ESTORE.
bc_err bc_store_begin(bc_store_t *self, int write, bc_txn_t **txn_p);

//  Begins a nested write transaction inside parent (to isolate one message's
//  changes inside a group commit). Errors: BC_ESTORE.
bc_err bc_store_begin_child(bc_txn_t *parent, bc_txn_t **txn_p);

//  Commits and syncs; *txn_p becomes NULL whatever the result. A failed
//  commit stored nothing. Errors: BC_EFULL (map or disk full: grow/free
//  space and replay), BC_EIO, BC_ESTORE.
bc_err bc_store_commit(bc_txn_t **txn_p);

//  Aborts; *txn_p becomes NULL; safe on NULL.
void bc_store_abort(bc_txn_t **txn_p);

//  Doubles the map size. Only with no transaction open in this process.
//  Errors: BC_ESTORE.
bc_err bc_store_grow(bc_store_t *self);

//  True when the last BC_EFULL came from the map (grow it), false when it
//  came from the disk (growing would not help: free space, then retry).
int bc_store_map_was_full(const bc_store_t *self);

//  Clears reader slots left by dead processes (mdb_reader_check); returns
//  how many were cleared.
int bc_store_reader_check(bc_store_t *self);

//  Writes a consistent, compacted copy of the store into the empty or new
//  folder dir (mdb_env_copy2 with MDB_CP_COMPACT) from a read transaction:
//  safe while a broker writes. Errors: BC_EEXIST (dir holds a store
//  already), BC_EDENIED, BC_EFULL, BC_EIO, BC_ESTORE.
bc_err bc_store_backup(bc_store_t *self, const char *dir);

//  Opens the store in dir read-only and reads every value of every
//  database, checking that each decodes as its message type. On BC_OK
//  stat (when not NULL) holds its figures. Errors: BC_ENOTFOUND, BC_EPROTO
//  (newer schema), BC_ESTORE (why names the database and key index).
bc_err bc_store_verify(const char *dir, bc_store_stat_t *stat, char *why, size_t why_size);

//  Replaces the store in dir with the verified copy in backup_dir. Takes
//  the writer lock of dir first, so it refuses while a broker runs.
//  Errors: BC_EEXIST (a writer holds dir), BC_ENOTFOUND, BC_ESTORE (the
//  copy does not verify), BC_EDENIED, BC_EFULL, BC_EIO; why says which.
bc_err bc_store_restore(const char *backup_dir, const char *dir, char *why, size_t why_size);

//  Packs msg and stores it under key. With no_overwrite, an existing key
//  gives BC_EEXIST and changes nothing. Borrows everything.
//  Errors: BC_EEXIST, BC_ETOOBIG, BC_EFULL, BC_ESTORE.
bc_err bc_store_put(bc_txn_t *txn, bc_db_t db, const void *key, size_t key_size,
                    const ProtobufCMessage *msg, int no_overwrite);

//  Stores raw bytes (meta values, index entries). Same rules as bc_store_put.
bc_err bc_store_put_raw(bc_txn_t *txn, bc_db_t db, const void *key, size_t key_size,
                        const void *val, size_t val_size, int no_overwrite);

//  Reads and unpacks the value under key into a new message of type desc
//  (the caller frees it with protobuf_c_message_free_unpacked).
//  Errors: BC_ENOTFOUND, BC_ESTORE (a value that does not unpack).
bc_err bc_store_get(bc_txn_t *txn, bc_db_t db, const void *key, size_t key_size,
                    const ProtobufCMessageDescriptor *desc, ProtobufCMessage **msg_p);

//  Copies the raw value under key into buf (cap bytes); *size_p gets its
//  length. Errors: BC_ENOTFOUND, BC_ETOOBIG (cap too small), BC_ESTORE.
bc_err bc_store_get_raw(bc_txn_t *txn, bc_db_t db, const void *key, size_t key_size,
                        void *buf, size_t cap, size_t *size_p);

//  True when key exists; errors count as absent.
int bc_store_has(bc_txn_t *txn, bc_db_t db, const void *key, size_t key_size);

//  Deletes key. Errors: BC_ENOTFOUND, BC_ESTORE.
bc_err bc_store_del(bc_txn_t *txn, bc_db_t db, const void *key, size_t key_size);

//  Called for each entry; key and value are borrowed until the callback
//  returns. Return non-zero to stop early.
typedef int (bc_store_each_fn)(const uint8_t *key, size_t key_size,
                               const uint8_t *val, size_t val_size, void *arg);

//  Visits, in key order, every entry whose key starts with prefix
//  (prefix_size 0: all entries). Errors: BC_ESTORE.
bc_err bc_store_each(bc_txn_t *txn, bc_db_t db, const void *prefix, size_t prefix_size,
                     bc_store_each_fn *fn, void *arg);

//  Called for each entry with its value unpacked as the walk's type; msg is
//  borrowed for the call. Return non-zero to stop early.
typedef int (bc_store_each_msg_fn)(const uint8_t *key, size_t key_size,
                                   const ProtobufCMessage *msg, void *arg);

//  Like bc_store_each, unpacking each value as desc. A value that does not
//  unpack stops the walk with BC_ESTORE.
bc_err bc_store_each_msg(bc_txn_t *txn, bc_db_t db, const void *prefix, size_t prefix_size,
                         const ProtobufCMessageDescriptor *desc, bc_store_each_msg_fn *fn,
                         void *arg);

//  The entry with the greatest key starting with prefix: its key is copied to
//  key_out (key_cap bytes, *key_size_p set) and its value unpacked as desc.
//  Errors: BC_ENOTFOUND, BC_ESTORE.
bc_err bc_store_last(bc_txn_t *txn, bc_db_t db, const void *prefix, size_t prefix_size,
                     uint8_t *key_out, size_t key_cap, size_t *key_size_p,
                     const ProtobufCMessageDescriptor *desc, ProtobufCMessage **msg_p);

//  Increments and returns the store-wide sequence counter (meta "seq"),
//  starting at 1. Errors: BC_EFULL, BC_ESTORE.
bc_err bc_store_next_seq(bc_txn_t *txn, uint64_t *seq_p);



#endif
