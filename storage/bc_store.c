//  bc_store - the LMDB environment, its named databases and transactions
#include "bc_store.h"
#include "bc_alloc.h"
#include "bc_fs.h"

#include <assert.h>
#include <errno.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baocao/store.pb-c.h"

static const char *s_db_names[BC_DB_COUNT] = {
    "requests", "deliveries", "pending", "reports", "report_ids", "agencies", "meta",
    "outbox", "presence", "audit"
};

struct bc_store {
    MDB_env *env;                       //  the environment
    MDB_dbi dbi[BC_DB_COUNT];           //  named databases, opened once
    int read_only;                      //  opened with MDB_RDONLY
    int txns;                           //  transactions open in this process
    int lock_fd;                        //  writer lock (flock), -1 for readers
    int map_full;                       //  the last failure was MDB_MAP_FULL
    char last_error[256];               //  detail of the last failure
};

struct bc_txn {
    bc_store_t *store;                  //  owner
    MDB_txn *txn;                       //  LMDB transaction
    int write;                          //  a write (or child) transaction
};

static void
s_note(bc_store_t *self, const char *what, int mrc)
{
    snprintf(self->last_error, sizeof self->last_error, "%s: %s", what, mdb_strerror(mrc));
    self->map_full = mrc == MDB_MAP_FULL;
}

//  Translates an LMDB or errno code once, here (STYLE: foreign codes stop at
//  the module that calls).
static bc_err
s_from_mdb(int mrc)
{
    switch (mrc) {
    case 0:                 return BC_OK;
    case MDB_NOTFOUND:      return BC_ENOTFOUND;
    case MDB_KEYEXIST:      return BC_EEXIST;
    case MDB_MAP_FULL:
    case ENOSPC:
    case EDQUOT:            return BC_EFULL;
    case EACCES:
    case EPERM:
    case EROFS:             return BC_EDENIED;
    case ENOENT:            return BC_ENOTFOUND;
    case EIO:               return BC_EIO;
    case MDB_BAD_VALSIZE:   return BC_ETOOBIG;
    default:                return BC_ESTORE;
    }
}

const char *
bc_store_last_error(const bc_store_t *self)
{
    return self->last_error;
}

//  The one-writer rule, enforced: an exclusive flock that the kernel drops
//  when the process dies, so a crash never leaves the store locked.
static bc_err
s_lock_writer(const char *dir, int *fd_p)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, BC_STORE_LOCK_FILE);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0) {
        return bc_fs_from_errno(errno);
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int err = errno;
        close(fd);
        return err == EWOULDBLOCK ? BC_EEXIST : bc_fs_from_errno(err);
    }
    *fd_p = fd;
    return BC_OK;
}

static bc_err
s_check_schema(bc_store_t *self)
{
    bc_txn_t *txn = NULL;
    bc_err rc = bc_store_begin(self, 1, &txn);
    if (rc != BC_OK) {
        return rc;
    }
    MDB_val k = { .mv_size = 6, .mv_data = "schema" };
    MDB_val v;
    int mrc = mdb_get(txn->txn, self->dbi[BC_DB_META], &k, &v);
    if (mrc == MDB_NOTFOUND) {
        uint32_t schema = BC_STORE_SCHEMA;
        rc = bc_store_put_raw(txn, BC_DB_META, "schema", 6, &schema, sizeof schema, 1);
        if (rc != BC_OK) {
            bc_store_abort(&txn);
            return rc;
        }
        return bc_store_commit(&txn);
    }
    if (mrc != 0) {
        s_note(self, "read schema version", mrc);
        bc_store_abort(&txn);
        return s_from_mdb(mrc);
    }
    uint32_t schema = 0;
    if (v.mv_size == sizeof schema) {
        memcpy(&schema, v.mv_data, sizeof schema);
    }
    if (schema == 0 || schema > BC_STORE_SCHEMA) {
        bc_store_abort(&txn);
        snprintf(self->last_error, sizeof self->last_error,
                 "store schema version %u is newer than this program's %u", schema,
                 BC_STORE_SCHEMA);
        return BC_EPROTO;
    }
    if (schema == BC_STORE_SCHEMA) {
        bc_store_abort(&txn);
        return BC_OK;
    }
    //  An older store: each step migrates one version, all in this one
    //  transaction, so a crash leaves the old version whole. (Version 1 is
    //  the first; later versions add their step here.)
    schema = BC_STORE_SCHEMA;
    rc = bc_store_put_raw(txn, BC_DB_META, "schema", 6, &schema, sizeof schema, 0);
    if (rc != BC_OK) {
        bc_store_abort(&txn);
        return rc;
    }
    return bc_store_commit(&txn);
}

bc_err
bc_store_open(bc_store_t **store_p, const bc_store_opts_t *opts)
{
    assert(store_p);
    if (!opts || !opts->dir || !*opts->dir) {
        return BC_EINVAL;
    }
    if (opts->read_only) {
        char path[4096];
        snprintf(path, sizeof path, "%s/data.mdb", opts->dir);
        struct stat st;
        if (stat(path, &st) != 0) {
            return BC_ENOTFOUND;
        }
    }
    else {
        bc_err rc = bc_fs_mkdirs(opts->dir);
        if (rc != BC_OK) {
            return rc;
        }
    }
    bc_store_t *self = bc_calloc(1, sizeof *self);
    self->read_only = opts->read_only;
    self->lock_fd = -1;
    bc_err rc = BC_OK;
    if (!opts->read_only) {
        rc = s_lock_writer(opts->dir, &self->lock_fd);
        if (rc != BC_OK) {
            free(self);
            return rc;
        }
    }
    int mrc = mdb_env_create(&self->env);
    if (mrc != 0) {
        rc = s_from_mdb(mrc);
        goto leave;
    }
    mdb_env_set_maxdbs(self->env, BC_DB_COUNT);
    mdb_env_set_maxreaders(self->env, 256);
    if (!opts->read_only) {
        //  A reader's map size comes from the file; only the writer sets it.
        mdb_env_set_mapsize(self->env, opts->map_size ? opts->map_size : BC_STORE_MAP_DEFAULT);
    }
    //  MDB_NOTLS: read transactions are not tied to a thread's slot, so the
    //  dashboard may hand them between its worker threads one at a time.
    unsigned flags = MDB_NOTLS | (opts->read_only ? MDB_RDONLY : 0)
                     | (opts->unsafe_no_sync ? MDB_NOSYNC : 0);
    mrc = mdb_env_open(self->env, opts->dir, flags, 0640);
    if (mrc != 0) {
        s_note(self, "open environment", mrc);
        rc = s_from_mdb(mrc);
        goto leave;
    }
    int dead = 0;
    mdb_reader_check(self->env, &dead);

    MDB_txn *txn;
    mrc = mdb_txn_begin(self->env, NULL, opts->read_only ? MDB_RDONLY : 0, &txn);
    if (mrc != 0) {
        s_note(self, "begin", mrc);
        rc = s_from_mdb(mrc);
        goto leave;
    }
    for (int i = 0; i < BC_DB_COUNT; i++) {
        mrc = mdb_dbi_open(txn, s_db_names[i], opts->read_only ? 0 : MDB_CREATE, &self->dbi[i]);
        if (mrc != 0) {
            s_note(self, s_db_names[i], mrc);
            mdb_txn_abort(txn);
            //  A read-only open of a store the broker has not initialised yet.
            rc = mrc == MDB_NOTFOUND ? BC_ENOTFOUND : s_from_mdb(mrc);
            goto leave;
        }
    }
    mrc = mdb_txn_commit(txn);
    if (mrc != 0) {
        s_note(self, "create databases", mrc);
        rc = s_from_mdb(mrc);
        goto leave;
    }
    if (!opts->read_only) {
        rc = s_check_schema(self);
    }
leave:
    if (rc != BC_OK) {
        if (self->env) {
            mdb_env_close(self->env);
        }
        if (self->lock_fd >= 0) {
            close(self->lock_fd);
        }
        free(self);
        return rc;
    }
    *store_p = self;
    return BC_OK;
}

void
bc_store_destroy(bc_store_t **store_p)
{
    if (!store_p || !*store_p) {
        return;
    }
    bc_store_t *self = *store_p;
    assert(self->txns == 0);
    mdb_env_close(self->env);
    if (self->lock_fd >= 0) {
        close(self->lock_fd);           //  releases the flock
    }
    free(self);
    *store_p = NULL;
}

static void
s_grow_ahead(bc_store_t *self)
{
    MDB_envinfo info;
    MDB_stat st;
    if (mdb_env_info(self->env, &info) != 0 || mdb_env_stat(self->env, &st) != 0) {
        return;
    }
    size_t used = (info.me_last_pgno + 1) * (size_t) st.ms_psize;
    if (used > info.me_mapsize / 4 * 3) {
        bc_store_grow(self);
    }
}

bc_err
bc_store_begin(bc_store_t *self, int write, bc_txn_t **txn_p)
{
    assert(self);
    assert(txn_p);
    if (write && self->read_only) {
        return BC_EDENIED;
    }
    if (write && self->txns == 0) {
        s_grow_ahead(self);
    }
    MDB_txn *txn = NULL;
    int mrc = mdb_txn_begin(self->env, NULL, write ? 0 : MDB_RDONLY, &txn);
    if (mrc == MDB_MAP_RESIZED) {
        //  The writer grew the map: adopt its size and try once more.
        mdb_env_set_mapsize(self->env, 0);
        mrc = mdb_txn_begin(self->env, NULL, write ? 0 : MDB_RDONLY, &txn);
    }
    if (mrc != 0) {
        s_note(self, "begin transaction", mrc);
        return s_from_mdb(mrc);
    }
    bc_txn_t *t = bc_calloc(1, sizeof *t);
    t->store = self;
    t->txn = txn;
    t->write = write;
    self->txns++;
    *txn_p = t;
    return BC_OK;
}

bc_err
bc_store_begin_child(bc_txn_t *parent, bc_txn_t **txn_p)
{
    assert(parent && parent->write);
    MDB_txn *txn = NULL;
    int mrc = mdb_txn_begin(parent->store->env, parent->txn, 0, &txn);
    if (mrc != 0) {
        s_note(parent->store, "begin nested transaction", mrc);
        return s_from_mdb(mrc);
    }
    bc_txn_t *t = bc_calloc(1, sizeof *t);
    t->store = parent->store;
    t->txn = txn;
    t->write = 1;
    parent->store->txns++;
    *txn_p = t;
    return BC_OK;
}

bc_err
bc_store_commit(bc_txn_t **txn_p)
{
    assert(txn_p && *txn_p);
    bc_txn_t *t = *txn_p;
    *txn_p = NULL;
    int mrc = mdb_txn_commit(t->txn);
    t->store->txns--;
    if (mrc != 0) {
        s_note(t->store, "commit", mrc);
    }
    free(t);
    return s_from_mdb(mrc);
}

void
bc_store_abort(bc_txn_t **txn_p)
{
    if (!txn_p || !*txn_p) {
        return;
    }
    bc_txn_t *t = *txn_p;
    mdb_txn_abort(t->txn);
    t->store->txns--;
    free(t);
    *txn_p = NULL;
}

bc_err
bc_store_grow(bc_store_t *self)
{
    assert(self->txns == 0);
    MDB_envinfo info;
    int mrc = mdb_env_info(self->env, &info);
    if (mrc == 0) {
        mrc = mdb_env_set_mapsize(self->env, info.me_mapsize * 2);
    }
    if (mrc != 0) {
        s_note(self, "grow map", mrc);
        return s_from_mdb(mrc);
    }
    return BC_OK;
}

bc_err
bc_store_put_raw(bc_txn_t *txn, bc_db_t db, const void *key, size_t key_size,
                 const void *val, size_t val_size, int no_overwrite)
{
    assert(txn && txn->write);
    if (val_size > BC_STORE_MAX_VALUE) {
        return BC_ETOOBIG;
    }
    MDB_val k = { .mv_size = key_size, .mv_data = (void *) key };
    MDB_val v = { .mv_size = val_size, .mv_data = (void *) val };
    int mrc = mdb_put(txn->txn, txn->store->dbi[db], &k, &v, no_overwrite ? MDB_NOOVERWRITE : 0);
    if (mrc != 0 && mrc != MDB_KEYEXIST) {
        s_note(txn->store, s_db_names[db], mrc);
    }
    return s_from_mdb(mrc);
}

bc_err
bc_store_put(bc_txn_t *txn, bc_db_t db, const void *key, size_t key_size,
             const ProtobufCMessage *msg, int no_overwrite)
{
    size_t size = protobuf_c_message_get_packed_size(msg);
    if (size > BC_STORE_MAX_VALUE) {
        return BC_ETOOBIG;
    }
    uint8_t *buf = bc_malloc(size);
    protobuf_c_message_pack(msg, buf);
    bc_err rc = bc_store_put_raw(txn, db, key, key_size, buf, size, no_overwrite);
    free(buf);
    return rc;
}

bc_err
bc_store_get(bc_txn_t *txn, bc_db_t db, const void *key, size_t key_size,
             const ProtobufCMessageDescriptor *desc, ProtobufCMessage **msg_p)
{
    MDB_val k = { .mv_size = key_size, .mv_data = (void *) key };
    MDB_val v;
    int mrc = mdb_get(txn->txn, txn->store->dbi[db], &k, &v);
    if (mrc != 0) {
        if (mrc != MDB_NOTFOUND) {
            s_note(txn->store, s_db_names[db], mrc);
        }
        return s_from_mdb(mrc);
    }
    //  Unpack copies out of the map: nothing borrowed survives the txn.
    ProtobufCMessage *msg = protobuf_c_message_unpack(desc, NULL, v.mv_size, v.mv_data);
    if (!msg) {
        snprintf(txn->store->last_error, sizeof txn->store->last_error,
                 "%s: stored value does not decode as %s", s_db_names[db], desc->name);
        return BC_ESTORE;
    }
    *msg_p = msg;
    return BC_OK;
}

bc_err
bc_store_get_raw(bc_txn_t *txn, bc_db_t db, const void *key, size_t key_size, void *buf,
                 size_t cap, size_t *size_p)
{
    MDB_val k = { .mv_size = key_size, .mv_data = (void *) key };
    MDB_val v;
    int mrc = mdb_get(txn->txn, txn->store->dbi[db], &k, &v);
    if (mrc != 0) {
        return s_from_mdb(mrc);
    }
    if (v.mv_size > cap) {
        return BC_ETOOBIG;
    }
    memcpy(buf, v.mv_data, v.mv_size);
    *size_p = v.mv_size;
    return BC_OK;
}

int
bc_store_has(bc_txn_t *txn, bc_db_t db, const void *key, size_t key_size)
{
    MDB_val k = { .mv_size = key_size, .mv_data = (void *) key };
    MDB_val v;
    return mdb_get(txn->txn, txn->store->dbi[db], &k, &v) == 0;
}

bc_err
bc_store_del(bc_txn_t *txn, bc_db_t db, const void *key, size_t key_size)
{
    assert(txn->write);
    MDB_val k = { .mv_size = key_size, .mv_data = (void *) key };
    int mrc = mdb_del(txn->txn, txn->store->dbi[db], &k, NULL);
    if (mrc != 0 && mrc != MDB_NOTFOUND) {
        s_note(txn->store, s_db_names[db], mrc);
    }
    return s_from_mdb(mrc);
}

bc_err
bc_store_each(bc_txn_t *txn, bc_db_t db, const void *prefix, size_t prefix_size,
              bc_store_each_fn *fn, void *arg)
{
    MDB_cursor *cur;
    int mrc = mdb_cursor_open(txn->txn, txn->store->dbi[db], &cur);
    if (mrc != 0) {
        s_note(txn->store, s_db_names[db], mrc);
        return s_from_mdb(mrc);
    }
    MDB_val k = { .mv_size = prefix_size, .mv_data = (void *) prefix };
    MDB_val v;
    mrc = mdb_cursor_get(cur, &k, &v, prefix_size ? MDB_SET_RANGE : MDB_FIRST);
    while (mrc == 0) {
        if (prefix_size
            && (k.mv_size < prefix_size || memcmp(k.mv_data, prefix, prefix_size) != 0)) {
            break;
        }
        if (fn(k.mv_data, k.mv_size, v.mv_data, v.mv_size, arg)) {
            break;
        }
        mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    }
    mdb_cursor_close(cur);
    if (mrc != 0 && mrc != MDB_NOTFOUND) {
        s_note(txn->store, s_db_names[db], mrc);
        return s_from_mdb(mrc);
    }
    return BC_OK;
}

typedef struct {
    const ProtobufCMessageDescriptor *desc;
    bc_store_each_msg_fn *fn;
    void *arg;
    bc_err rc;
} s_msg_walk_t;

static int
s_msg_visit(const uint8_t *key, size_t key_size, const uint8_t *val, size_t val_size, void *arg)
{
    s_msg_walk_t *walk = arg;
    ProtobufCMessage *msg = protobuf_c_message_unpack(walk->desc, NULL, val_size, val);
    if (!msg) {
        walk->rc = BC_ESTORE;
        return 1;
    }
    int stop = walk->fn(key, key_size, msg, walk->arg);
    protobuf_c_message_free_unpacked(msg, NULL);
    return stop;
}

bc_err
bc_store_each_msg(bc_txn_t *txn, bc_db_t db, const void *prefix, size_t prefix_size,
                  const ProtobufCMessageDescriptor *desc, bc_store_each_msg_fn *fn, void *arg)
{
    s_msg_walk_t walk = { desc, fn, arg, BC_OK };
    bc_err rc = bc_store_each(txn, db, prefix, prefix_size, s_msg_visit, &walk);
    return rc != BC_OK ? rc : walk.rc;
}

bc_err
bc_store_last(bc_txn_t *txn, bc_db_t db, const void *prefix, size_t prefix_size,
              uint8_t *key_out, size_t key_cap, size_t *key_size_p,
              const ProtobufCMessageDescriptor *desc, ProtobufCMessage **msg_p)
{
    //  Seek to the first key past the prefix (prefix followed by 0xFF...),
    //  then step back once.
    uint8_t seek[512];
    if (prefix_size + 8 > sizeof seek) {
        return BC_EINVAL;
    }
    memcpy(seek, prefix, prefix_size);
    memset(seek + prefix_size, 0xFF, 8);
    MDB_cursor *cur;
    int mrc = mdb_cursor_open(txn->txn, txn->store->dbi[db], &cur);
    if (mrc != 0) {
        s_note(txn->store, s_db_names[db], mrc);
        return s_from_mdb(mrc);
    }
    MDB_val k = { .mv_size = prefix_size + 8, .mv_data = seek };
    MDB_val v;
    mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
    if (mrc == 0) {
        mrc = mdb_cursor_get(cur, &k, &v, MDB_PREV);
    }
    else if (mrc == MDB_NOTFOUND) {
        mrc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
    }
    bc_err rc = BC_OK;
    if (mrc != 0) {
        rc = s_from_mdb(mrc);
    }
    else if (k.mv_size < prefix_size || memcmp(k.mv_data, prefix, prefix_size) != 0) {
        rc = BC_ENOTFOUND;
    }
    else if (k.mv_size > key_cap) {
        rc = BC_ETOOBIG;
    }
    else {
        ProtobufCMessage *msg = protobuf_c_message_unpack(desc, NULL, v.mv_size, v.mv_data);
        if (!msg) {
            rc = BC_ESTORE;
        }
        else {
            memcpy(key_out, k.mv_data, k.mv_size);
            *key_size_p = k.mv_size;
            *msg_p = msg;
        }
    }
    mdb_cursor_close(cur);
    return rc;
}

bc_err
bc_store_next_seq(bc_txn_t *txn, uint64_t *seq_p)
{
    MDB_val k = { .mv_size = 3, .mv_data = "seq" };
    MDB_val v;
    uint64_t seq = 0;
    int mrc = mdb_get(txn->txn, txn->store->dbi[BC_DB_META], &k, &v);
    if (mrc == 0 && v.mv_size == sizeof seq) {
        memcpy(&seq, v.mv_data, sizeof seq);
    }
    else if (mrc != 0 && mrc != MDB_NOTFOUND) {
        s_note(txn->store, "read seq", mrc);
        return s_from_mdb(mrc);
    }
    seq++;
    bc_err rc = bc_store_put_raw(txn, BC_DB_META, "seq", 3, &seq, sizeof seq, 0);
    if (rc == BC_OK) {
        *seq_p = seq;
    }
    return rc;
}

bc_err
bc_store_stat(bc_store_t *self, bc_store_stat_t *stat)
{
    memset(stat, 0, sizeof *stat);
    MDB_envinfo info;
    MDB_stat st;
    int mrc = mdb_env_info(self->env, &info);
    if (mrc == 0) {
        mrc = mdb_env_stat(self->env, &st);
    }
    if (mrc != 0) {
        return s_from_mdb(mrc);
    }
    stat->map_size = info.me_mapsize;
    stat->used_bytes = (info.me_last_pgno + 1) * (size_t) st.ms_psize;
    MDB_txn *txn;
    mrc = mdb_txn_begin(self->env, NULL, MDB_RDONLY, &txn);
    if (mrc == MDB_MAP_RESIZED) {
        mdb_env_set_mapsize(self->env, 0);
        mrc = mdb_txn_begin(self->env, NULL, MDB_RDONLY, &txn);
    }
    if (mrc != 0) {
        return s_from_mdb(mrc);
    }
    for (int i = 0; i < BC_DB_COUNT; i++) {
        MDB_stat dst;
        if (mdb_stat(txn, self->dbi[i], &dst) == 0) {
            stat->entries[i] = dst.ms_entries;
        }
    }
    mdb_txn_abort(txn);
    return BC_OK;
}

int
bc_store_map_was_full(const bc_store_t *self)
{
    return self->map_full;
}

int
bc_store_reader_check(bc_store_t *self)
{
    int dead = 0;
    mdb_reader_check(self->env, &dead);
    return dead;
}

bc_err
bc_store_backup(bc_store_t *self, const char *dir)
{
    bc_err rc = bc_fs_mkdirs(dir);
    if (rc != BC_OK) {
        return rc;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    struct stat st;
    if (stat(path, &st) == 0) {
        return BC_EEXIST;
    }
    int mrc = mdb_env_copy2(self->env, dir, MDB_CP_COMPACT);
    if (mrc != 0) {
        s_note(self, "backup", mrc);
        return s_from_mdb(mrc);
    }
    return BC_OK;
}

//  What each database holds, for verification: NULL = raw bytes.
static const ProtobufCMessageDescriptor *
s_value_type(int db)
{
    switch (db) {
    case BC_DB_REQUESTS:    return &baocao__request_record__descriptor;
    case BC_DB_DELIVERIES:  return &baocao__delivery_record__descriptor;
    case BC_DB_REPORTS:     return &baocao__report__descriptor;
    case BC_DB_REPORT_IDS:  return &baocao__report_id_record__descriptor;
    case BC_DB_AGENCIES:    return &baocao__agency_record__descriptor;
    case BC_DB_OUTBOX:      return &baocao__outbox_entry__descriptor;
    case BC_DB_PRESENCE:    return &baocao__presence__descriptor;
    case BC_DB_AUDIT:       return &baocao__audit_entry__descriptor;
    default:                return NULL;
    }
}

typedef struct {
    const ProtobufCMessageDescriptor *desc;
    size_t index;
    size_t bad;                         //  index of the first bad value + 1
} s_verify_t;

static int
s_verify_value(const uint8_t *key, size_t key_size, const uint8_t *val, size_t val_size,
               void *arg)
{
    s_verify_t *v = arg;
    v->index++;
    if (v->desc) {
        ProtobufCMessage *msg = protobuf_c_message_unpack(v->desc, NULL, val_size, val);
        if (!msg) {
            v->bad = v->index;
            return 1;
        }
        protobuf_c_message_free_unpacked(msg, NULL);
    }
    return 0;
}

bc_err
bc_store_verify(const char *dir, bc_store_stat_t *stat, char *why, size_t why_size)
{
    bc_store_t *store = NULL;
    bc_store_opts_t opts = { dir, 0, 1, 0 };
    bc_err rc = bc_store_open(&store, &opts);
    if (rc != BC_OK) {
        snprintf(why, why_size, "cannot open %s: %s", dir, bc_strerror(rc));
        return rc;
    }
    bc_txn_t *txn = NULL;
    rc = bc_store_begin(store, 0, &txn);
    if (rc == BC_OK) {
        MDB_val k = { .mv_size = 6, .mv_data = "schema" };
        MDB_val val;
        uint32_t schema = 0;
        if (mdb_get(txn->txn, store->dbi[BC_DB_META], &k, &val) == 0
            && val.mv_size == sizeof schema) {
            memcpy(&schema, val.mv_data, sizeof schema);
        }
        if (schema == 0 || schema > BC_STORE_SCHEMA) {
            snprintf(why, why_size, "%s: schema version %u is not one this program reads", dir,
                     schema);
            rc = BC_EPROTO;
        }
    }
    for (int db = 0; rc == BC_OK && db < BC_DB_COUNT; db++) {
        s_verify_t v = { s_value_type(db), 0, 0 };
        rc = bc_store_each(txn, (bc_db_t) db, NULL, 0, s_verify_value, &v);
        if (rc == BC_OK && v.bad) {
            snprintf(why, why_size, "%s: database %s: value %zu does not decode", dir,
                     s_db_names[db], v.bad);
            rc = BC_ESTORE;
        }
    }
    bc_store_abort(&txn);
    if (rc == BC_OK && stat) {
        rc = bc_store_stat(store, stat);
    }
    bc_store_destroy(&store);
    return rc;
}

static bc_err
s_copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        return bc_fs_from_errno(errno);
    }
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (out < 0) {
        bc_err rc = bc_fs_from_errno(errno);
        close(in);
        return rc;
    }
    bc_err rc = BC_OK;
    char buf[1 << 16];
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            rc = bc_fs_from_errno(errno);
            break;
        }
        if (n == 0) {
            break;
        }
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(out, buf + done, (size_t) (n - done));
            if (w < 0 && errno == EINTR) {
                continue;
            }
            if (w < 0) {
                rc = bc_fs_from_errno(errno);
                break;
            }
            done += w;
        }
        if (rc != BC_OK) {
            break;
        }
    }
    if (rc == BC_OK && fsync(out) != 0) {
        rc = bc_fs_from_errno(errno);
    }
    if (close(out) != 0 && rc == BC_OK) {
        rc = bc_fs_from_errno(errno);
    }
    close(in);
    return rc;
}

bc_err
bc_store_restore(const char *backup_dir, const char *dir, char *why, size_t why_size)
{
    bc_err rc = bc_store_verify(backup_dir, NULL, why, why_size);
    if (rc != BC_OK) {
        return rc;
    }
    rc = bc_fs_mkdirs(dir);
    if (rc != BC_OK) {
        snprintf(why, why_size, "cannot create %s: %s", dir, bc_strerror(rc));
        return rc;
    }
    int lock_fd = -1;
    rc = s_lock_writer(dir, &lock_fd);
    if (rc == BC_EEXIST) {
        snprintf(why, why_size, "%s is in use by a running broker: stop it first", dir);
        return rc;
    }
    if (rc != BC_OK) {
        snprintf(why, why_size, "cannot lock %s: %s", dir, bc_strerror(rc));
        return rc;
    }
    char from[4096], tmp[4096], to[4096], lock[4096];
    snprintf(from, sizeof from, "%s/data.mdb", backup_dir);
    snprintf(tmp, sizeof tmp, "%s/data.mdb.restoring", dir);
    snprintf(to, sizeof to, "%s/data.mdb", dir);
    snprintf(lock, sizeof lock, "%s/lock.mdb", dir);
    rc = s_copy_file(from, tmp);
    if (rc == BC_OK && rename(tmp, to) != 0) {
        rc = bc_fs_from_errno(errno);
    }
    if (rc != BC_OK) {
        unlink(tmp);
        snprintf(why, why_size, "cannot copy %s into %s: %s", from, dir, bc_strerror(rc));
    }
    else {
        //  The reader table describes the old file: LMDB makes a new one.
        unlink(lock);
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
    }
    close(lock_fd);
    return rc;
}
