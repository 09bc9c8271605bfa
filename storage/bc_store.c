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
#include <sys/stat.h>

static const char *s_db_names[BC_DB_COUNT] = {
    "requests", "deliveries", "pending", "reports", "report_ids", "agencies", "meta",
    "outbox"
};

struct bc_store {
    MDB_env *env;                       //  the environment
    MDB_dbi dbi[BC_DB_COUNT];           //  named databases, opened once
    int read_only;                      //  opened with MDB_RDONLY
    int txns;                           //  transactions open in this process
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
    bc_store_abort(&txn);
    if (schema == 0 || schema > BC_STORE_SCHEMA) {
        snprintf(self->last_error, sizeof self->last_error,
                 "store schema version %u is newer than this program's %u", schema,
                 BC_STORE_SCHEMA);
        return BC_EINVAL;
    }
    return BC_OK;
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
    bc_err rc = BC_OK;
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
