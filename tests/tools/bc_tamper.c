//  bc_tamper - alters a store the way an intruder would (tests only)
//
//  Usage: bc_tamper STORE_DIR audit-alter SEQ      changes an audit entry's detail
//         bc_tamper STORE_DIR audit-remove SEQ     deletes an audit entry
//         bc_tamper STORE_DIR audit-swap SEQ       swaps entries SEQ and SEQ+1
//         bc_tamper STORE_DIR report-alter         changes the first stored report's text
//  The broker must be stopped (the store's writer lock is taken).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bc_alloc.h"
#include "bc_records.h"
#include "bc_store.h"

static void
s_key(uint64_t seq, uint8_t out[8])
{
    for (int i = 7; i >= 0; i--) {
        out[i] = (uint8_t) seq;
        seq >>= 8;
    }
}

typedef struct {
    uint8_t key[512];
    size_t key_size;
    Baocao__Report *report;
} s_first_t;

static int
s_first(const uint8_t *key, size_t key_size, const uint8_t *val, size_t val_size, void *arg)
{
    s_first_t *f = arg;
    memcpy(f->key, key, key_size);
    f->key_size = key_size;
    f->report = baocao__report__unpack(NULL, val_size, val);
    return 1;
}

int
main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bc_tamper STORE_DIR audit-alter|audit-remove|audit-swap SEQ\n"
                        "       bc_tamper STORE_DIR report-alter\n");
        return 64;
    }
    bc_store_t *store = NULL;
    bc_store_opts_t opts = { argv[1], 0, 0, 0 };
    if (bc_store_open(&store, &opts) != BC_OK) {
        fprintf(stderr, "bc_tamper: cannot open %s for writing\n", argv[1]);
        return 1;
    }
    bc_txn_t *txn = NULL;
    bc_store_begin(store, 1, &txn);
    const char *what = argv[2];
    bc_err rc = BC_EINVAL;
    uint64_t seq = argc > 3 ? strtoull(argv[3], NULL, 10) : 0;
    uint8_t k[8], k2[8];
    s_key(seq, k);
    s_key(seq + 1, k2);
    if (strcmp(what, "audit-alter") == 0) {
        Baocao__AuditEntry *e = NULL;
        rc = bc_store_get(txn, BC_DB_AUDIT, k, 8, &baocao__audit_entry__descriptor,
                          (ProtobufCMessage **) &e);
        if (rc == BC_OK) {
            if (e->detail != protobuf_c_empty_string) {
                free(e->detail);
            }
            e->detail = bc_strdup("sửa lén");
            rc = bc_store_put(txn, BC_DB_AUDIT, k, 8, &e->base, 0);
            baocao__audit_entry__free_unpacked(e, NULL);
        }
    }
    else if (strcmp(what, "audit-remove") == 0) {
        rc = bc_store_del(txn, BC_DB_AUDIT, k, 8);
    }
    else if (strcmp(what, "audit-swap") == 0) {
        ProtobufCMessage *a = NULL, *b = NULL;
        rc = bc_store_get(txn, BC_DB_AUDIT, k, 8, &baocao__audit_entry__descriptor, &a);
        if (rc == BC_OK) {
            rc = bc_store_get(txn, BC_DB_AUDIT, k2, 8, &baocao__audit_entry__descriptor, &b);
        }
        if (rc == BC_OK) {
            rc = bc_store_put(txn, BC_DB_AUDIT, k, 8, b, 0);
        }
        if (rc == BC_OK) {
            rc = bc_store_put(txn, BC_DB_AUDIT, k2, 8, a, 0);
        }
        if (a) {
            protobuf_c_message_free_unpacked(a, NULL);
        }
        if (b) {
            protobuf_c_message_free_unpacked(b, NULL);
        }
    }
    else if (strcmp(what, "report-alter") == 0) {
        s_first_t f;
        memset(&f, 0, sizeof f);
        bc_store_each(txn, BC_DB_REPORTS, NULL, 0, s_first, &f);
        if (f.report) {
            if (f.report->subject != protobuf_c_empty_string) {
                free(f.report->subject);
            }
            f.report->subject = bc_strdup("Nội dung đã bị sửa sau khi lưu");
            rc = bc_store_put(txn, BC_DB_REPORTS, f.key, f.key_size, &f.report->base, 0);
            baocao__report__free_unpacked(f.report, NULL);
        }
    }
    if (rc == BC_OK) {
        rc = bc_store_commit(&txn);
    }
    else {
        bc_store_abort(&txn);
    }
    bc_store_destroy(&store);
    if (rc != BC_OK) {
        fprintf(stderr, "bc_tamper: %s failed: %s\n", what, bc_strerror(rc));
        return 1;
    }
    return 0;
}
