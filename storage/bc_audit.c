//  bc_audit - hash-chained audit entries in the store
#include "bc_audit.h"
#include "bc_alloc.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_HEAD_KEY      "audit_head"
#define S_HEAD_SIZE     (8 + BC_AUDIT_HASH_SIZE)

static void
s_key(uint64_t seq, uint8_t out[8])
{
    for (int i = 7; i >= 0; i--) {
        out[i] = (uint8_t) seq;
        seq >>= 8;
    }
}

//  hash = SHA-256(prev_hash || entry packed with its hash field empty).
static void
s_hash(const Baocao__AuditEntry *entry, uint8_t out[BC_AUDIT_HASH_SIZE])
{
    Baocao__AuditEntry copy = *entry;
    copy.hash.data = NULL;
    copy.hash.len = 0;
    size_t size = baocao__audit_entry__get_packed_size(&copy);
    uint8_t *buf = bc_malloc(size);
    baocao__audit_entry__pack(&copy, buf);
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    static const uint8_t zeros[BC_AUDIT_HASH_SIZE] = { 0 };
    crypto_hash_sha256_update(&st, entry->prev_hash.len == BC_AUDIT_HASH_SIZE
                                       ? entry->prev_hash.data : zeros, BC_AUDIT_HASH_SIZE);
    crypto_hash_sha256_update(&st, buf, size);
    crypto_hash_sha256_final(&st, out);
    free(buf);
}

//  Reads the head (last seq and hash); a new log has seq 0 and zero hash.
static bc_err
s_head(bc_txn_t *txn, uint64_t *seq_p, uint8_t hash[BC_AUDIT_HASH_SIZE])
{
    *seq_p = 0;
    memset(hash, 0, BC_AUDIT_HASH_SIZE);
    uint8_t buf[S_HEAD_SIZE];
    size_t n = 0;
    bc_err rc = bc_store_get_raw(txn, BC_DB_META, S_HEAD_KEY, strlen(S_HEAD_KEY), buf,
                                 sizeof buf, &n);
    if (rc == BC_ENOTFOUND) {
        return BC_OK;
    }
    if (rc != BC_OK) {
        return rc;
    }
    if (n != S_HEAD_SIZE) {
        return BC_ESTORE;
    }
    uint64_t seq = 0;
    for (int i = 0; i < 8; i++) {
        seq = seq << 8 | buf[i];
    }
    *seq_p = seq;
    memcpy(hash, buf + 8, BC_AUDIT_HASH_SIZE);
    return BC_OK;
}

bc_err
bc_audit_append(bc_txn_t *txn, const bc_audit_event_t *event, uint64_t *seq_p)
{
    uint64_t last;
    uint8_t prev[BC_AUDIT_HASH_SIZE];
    bc_err rc = s_head(txn, &last, prev);
    if (rc != BC_OK) {
        return rc;
    }
    Baocao__AuditEntry entry = BAOCAO__AUDIT_ENTRY__INIT;
    Baocao__Timestamp at = BAOCAO__TIMESTAMP__INIT;
    at.unix_ms = event->at_ms;
    entry.seq = last + 1;
    entry.at = &at;
    entry.actor = (char *) (event->actor ? event->actor : "");
    entry.action = (char *) (event->action ? event->action : "");
    entry.target = (char *) (event->target ? event->target : "");
    entry.accepted = event->accepted;
    entry.detail = (char *) (event->detail ? event->detail : "");
    entry.prev_hash.data = prev;
    entry.prev_hash.len = sizeof prev;
    uint8_t hash[BC_AUDIT_HASH_SIZE];
    s_hash(&entry, hash);
    entry.hash.data = hash;
    entry.hash.len = sizeof hash;
    uint8_t key[8];
    s_key(entry.seq, key);
    rc = bc_store_put(txn, BC_DB_AUDIT, key, sizeof key, (const ProtobufCMessage *) &entry, 1);
    if (rc != BC_OK) {
        return rc;
    }
    uint8_t head[S_HEAD_SIZE];
    s_key(entry.seq, head);
    memcpy(head + 8, hash, sizeof hash);
    rc = bc_store_put_raw(txn, BC_DB_META, S_HEAD_KEY, strlen(S_HEAD_KEY), head, sizeof head, 0);
    if (rc == BC_OK && seq_p) {
        *seq_p = entry.seq;
    }
    return rc;
}

typedef struct {
    uint64_t expect;                    //  next sequence number expected
    uint8_t prev[BC_AUDIT_HASH_SIZE];   //  hash of the entry before
    uint64_t bad;
    char *why;
    size_t why_size;
} s_verify_t;

static int
s_verify_one(const uint8_t *key, size_t key_size, const uint8_t *val, size_t val_size,
             void *arg)
{
    s_verify_t *v = arg;
    uint64_t kseq = 0;
    for (size_t i = 0; i < key_size && i < 8; i++) {
        kseq = kseq << 8 | key[i];
    }
    Baocao__AuditEntry *e = baocao__audit_entry__unpack(NULL, val_size, val);
    if (!e) {
        v->bad = kseq;
        snprintf(v->why, v->why_size, "entry %llu does not decode", (unsigned long long) kseq);
        return 1;
    }
    uint8_t hash[BC_AUDIT_HASH_SIZE];
    s_hash(e, hash);
    if (kseq != v->expect) {
        v->bad = v->expect;
        snprintf(v->why, v->why_size, "entry %llu is missing (the next one is %llu)",
                 (unsigned long long) v->expect, (unsigned long long) kseq);
    }
    else if (e->seq != kseq) {
        v->bad = kseq;
        snprintf(v->why, v->why_size, "position %llu holds entry %llu: entries were moved",
                 (unsigned long long) kseq, (unsigned long long) e->seq);
    }
    else if (e->prev_hash.len != BC_AUDIT_HASH_SIZE
             || memcmp(e->prev_hash.data, v->prev, BC_AUDIT_HASH_SIZE) != 0) {
        v->bad = kseq;
        snprintf(v->why, v->why_size, "entry %llu does not follow the entry before it",
                 (unsigned long long) kseq);
    }
    else if (e->hash.len != BC_AUDIT_HASH_SIZE
             || memcmp(e->hash.data, hash, BC_AUDIT_HASH_SIZE) != 0) {
        v->bad = kseq;
        snprintf(v->why, v->why_size, "entry %llu was altered (its hash does not match)",
                 (unsigned long long) kseq);
    }
    baocao__audit_entry__free_unpacked(e, NULL);
    if (v->bad) {
        return 1;
    }
    memcpy(v->prev, hash, sizeof hash);
    v->expect++;
    return 0;
}

bc_err
bc_audit_verify(bc_txn_t *txn, uint64_t *count_p, uint64_t *bad_seq_p, char *why,
                size_t why_size)
{
    s_verify_t v;
    memset(&v, 0, sizeof v);
    v.expect = 1;
    v.why = why;
    v.why_size = why_size;
    bc_err rc = bc_store_each(txn, BC_DB_AUDIT, NULL, 0, s_verify_one, &v);
    if (rc != BC_OK) {
        return rc;
    }
    if (!v.bad) {
        uint64_t head_seq;
        uint8_t head_hash[BC_AUDIT_HASH_SIZE];
        rc = s_head(txn, &head_seq, head_hash);
        if (rc != BC_OK) {
            return rc;
        }
        if (head_seq != v.expect - 1 || memcmp(head_hash, v.prev, sizeof head_hash) != 0) {
            v.bad = v.expect;
            snprintf(why, why_size, "the log ends at entry %llu but its head says %llu: "
                     "entries were removed or replaced", (unsigned long long) (v.expect - 1),
                     (unsigned long long) head_seq);
        }
    }
    if (v.bad) {
        if (bad_seq_p) {
            *bad_seq_p = v.bad;
        }
        return BC_EPROTO;
    }
    *count_p = v.expect - 1;
    return BC_OK;
}

typedef struct {
    bc_audit_fn *fn;
    void *arg;
    uint64_t from;
    bc_err rc;
} s_walk_t;

static int
s_walk(const uint8_t *key, size_t key_size, const uint8_t *val, size_t val_size, void *arg)
{
    s_walk_t *w = arg;
    Baocao__AuditEntry *e = baocao__audit_entry__unpack(NULL, val_size, val);
    if (!e) {
        w->rc = BC_ESTORE;
        return 1;
    }
    int stop = e->seq >= w->from ? w->fn(e, w->arg) : 0;
    baocao__audit_entry__free_unpacked(e, NULL);
    return stop;
}

bc_err
bc_audit_each(bc_txn_t *txn, uint64_t from_seq, bc_audit_fn *fn, void *arg)
{
    s_walk_t w = { fn, arg, from_seq, BC_OK };
    bc_err rc = bc_store_each(txn, BC_DB_AUDIT, NULL, 0, s_walk, &w);
    return rc != BC_OK ? rc : w.rc;
}
