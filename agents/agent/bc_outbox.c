//  bc_outbox - reports persisted before they are sent, until acknowledged
#include "bc_outbox.h"
#include "baocao/store.pb-c.h"
#include "bc_alloc.h"
#include "bc_clock.h"
#include "bc_id.h"
#include "bc_store.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_MAP_SIZE      ((size_t) 64 << 20)     //  grows when needed

struct bc_outbox {
    bc_store_t *store;                  //  the agent's own store
};

bc_err
bc_outbox_open(bc_outbox_t **outbox_p, const char *dir, char *why, size_t why_size)
{
    assert(outbox_p);
    bc_store_t *store = NULL;
    bc_store_opts_t opts = { dir, S_MAP_SIZE, 0, 0 };
    bc_err rc = bc_store_open(&store, &opts);
    if (rc != BC_OK) {
        snprintf(why, why_size, "cannot open outbox %s: %s", dir, bc_strerror(rc));
        return rc;
    }
    bc_outbox_t *self = bc_calloc(1, sizeof *self);
    self->store = store;
    *outbox_p = self;
    return BC_OK;
}

void
bc_outbox_destroy(bc_outbox_t **outbox_p)
{
    if (outbox_p && *outbox_p) {
        bc_store_destroy(&(*outbox_p)->store);
        free(*outbox_p);
        *outbox_p = NULL;
    }
}

//  One synced write transaction, grown and replayed once if the map is full.
static bc_err
s_write(bc_outbox_t *self, const char *key, const ProtobufCMessage *msg)
{
    bc_err rc = BC_EFULL;
    for (int attempt = 0; attempt < 2 && rc == BC_EFULL; attempt++) {
        bc_txn_t *txn = NULL;
        rc = bc_store_begin(self->store, 1, &txn);
        if (rc != BC_OK) {
            return rc;
        }
        if (msg) {
            rc = bc_store_put(txn, BC_DB_OUTBOX, key, BC_ID_HEX_LEN, msg, 0);
        }
        else {
            rc = bc_store_del(txn, BC_DB_OUTBOX, key, BC_ID_HEX_LEN);
            rc = rc == BC_ENOTFOUND ? BC_OK : rc;
        }
        if (rc == BC_OK) {
            rc = bc_store_commit(&txn);
        }
        else {
            bc_store_abort(&txn);
        }
        if (rc == BC_EFULL && attempt == 0 && bc_store_grow(self->store) != BC_OK) {
            break;
        }
    }
    return rc;
}

bc_err
bc_outbox_put(bc_outbox_t *self, const char *folder, const char *document,
              const Baocao__Report *report)
{
    assert(self);
    if (!bc_id_valid(report->report_id)) {
        return BC_EINVAL;
    }
    Baocao__OutboxEntry entry = BAOCAO__OUTBOX_ENTRY__INIT;
    Baocao__Timestamp at = BAOCAO__TIMESTAMP__INIT;
    at.unix_ms = bc_clock_now_ms();
    entry.folder = (char *) folder;
    entry.document = (char *) document;
    entry.report = (Baocao__Report *) report;
    entry.taken_at = &at;
    return s_write(self, report->report_id, (const ProtobufCMessage *) &entry);
}

bc_err
bc_outbox_del(bc_outbox_t *self, const char *report_id)
{
    assert(self);
    if (!bc_id_valid(report_id)) {
        return BC_OK;                   //  never stored
    }
    return s_write(self, report_id, NULL);
}

typedef struct {
    bc_outbox_fn *fn;
    void *arg;
} s_walk_t;

static int
s_visit(const uint8_t *key, size_t key_size, const uint8_t *val, size_t val_size, void *arg)
{
    s_walk_t *walk = arg;
    Baocao__OutboxEntry *entry = baocao__outbox_entry__unpack(NULL, val_size, val);
    if (!entry || !entry->report) {
        //  Unreadable entries are skipped: the document, if still in its
        //  folder, is taken again from the folder itself.
        if (entry) {
            baocao__outbox_entry__free_unpacked(entry, NULL);
        }
        return 0;
    }
    walk->fn(entry->folder, entry->document, &entry->report, walk->arg);
    baocao__outbox_entry__free_unpacked(entry, NULL);
    return 0;
}

bc_err
bc_outbox_each(bc_outbox_t *self, bc_outbox_fn *fn, void *arg)
{
    assert(self);
    bc_txn_t *txn = NULL;
    bc_err rc = bc_store_begin(self->store, 0, &txn);
    if (rc != BC_OK) {
        return rc;
    }
    s_walk_t walk = { fn, arg };
    rc = bc_store_each(txn, BC_DB_OUTBOX, NULL, 0, s_visit, &walk);
    bc_store_abort(&txn);
    return rc;
}

size_t
bc_outbox_count(bc_outbox_t *self)
{
    bc_store_stat_t st;
    if (bc_store_stat(self->store, &st) != BC_OK) {
        return 0;
    }
    return st.entries[BC_DB_OUTBOX];
}
