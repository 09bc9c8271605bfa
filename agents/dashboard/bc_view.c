//  bc_view - the dashboard's reads: short read-only transactions, one at a time
//
//  Results are assembled from borrowed pieces (the compiled summary,
//  presence records, small arrays on the stack or in a scratch list), then
//  packed and unpacked once so that the caller gets one message owning
//  every byte, freed by its generated *_free_unpacked (the aggregator does
//  the same). One copy, and no hand-written deep copy.
#include "bc_view.h"
#include "bc_aggregate.h"
#include "bc_alloc.h"
#include "bc_export.h"
#include "bc_records.h"
#include "bc_store.h"

#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bc_view {
    char *dir;                          //  the store's folder
    pthread_mutex_t lock;               //  one transaction at a time
    bc_store_t *store;                  //  NULL until the store exists
};

bc_view_t *
bc_view_new(const char *dir)
{
    assert(dir);
    bc_view_t *self = bc_calloc(1, sizeof *self);
    self->dir = bc_strdup(dir);
    pthread_mutex_init(&self->lock, NULL);
    return self;
}

void
bc_view_destroy(bc_view_t **view_p)
{
    if (!view_p || !*view_p) {
        return;
    }
    bc_view_t *self = *view_p;
    bc_store_destroy(&self->store);
    pthread_mutex_destroy(&self->lock);
    free(self->dir);
    free(self);
    *view_p = NULL;
}

//  Opens the store on first use and begins a read transaction. Called with
//  the lock held. A store that is not there yet (the broker has not run) is
//  BC_ECLOSED, so the caller can say "no data yet" rather than "not found".
static bc_err
s_begin(bc_view_t *self, bc_txn_t **txn_p)
{
    if (!self->store) {
        bc_store_opts_t opts = { .dir = self->dir, .read_only = 1 };
        bc_err rc = bc_store_open(&self->store, &opts);
        if (rc == BC_ENOTFOUND) {
            return BC_ECLOSED;
        }
        if (rc != BC_OK) {
            return rc == BC_EDENIED ? BC_EDENIED : BC_ESTORE;
        }
    }
    return bc_store_begin(self->store, 0, txn_p);
}

//  A self-contained copy of msg (pack, then unpack with the default
//  allocator), freed by the generated *_free_unpacked.
static bc_err
s_own(const ProtobufCMessage *msg, ProtobufCMessage **copy_p)
{
    size_t size = protobuf_c_message_get_packed_size(msg);
    uint8_t *bytes = bc_malloc(size ? size : 1);
    protobuf_c_message_pack(msg, bytes);
    ProtobufCMessage *copy = protobuf_c_message_unpack(msg->descriptor, NULL, size, bytes);
    free(bytes);
    if (!copy) {
        return BC_ENOMEM;               //  unpack fails only when allocation does
    }
    *copy_p = copy;
    return BC_OK;
}

static int64_t
s_ms(const Baocao__Timestamp *ts)
{
    return ts ? ts->unix_ms : 0;
}

//  --------------------------------------------------------------------------
//  The request list

//  Open requests first, nearest deadline first (no deadline: last of them);
//  then the passed ones, latest deadline first; ties by key. The order is
//  decided once per entry into this record, so the comparison needs no time.
typedef struct {
    int passed;                         //  0 open, 1 deadline passed
    int64_t rank;                       //  ascending within its group
    const char *key;                    //  ties
    Baocao__RequestListEntry *entry;
} s_ordered_t;

static int
s_list_order(const void *a, const void *b)
{
    const s_ordered_t *x = a, *y = b;
    if (x->passed != y->passed) {
        return x->passed - y->passed;
    }
    if (x->rank != y->rank) {
        return x->rank < y->rank ? -1 : 1;
    }
    return strcmp(x->key, y->key);
}

static void
s_sort_list(Baocao__RequestList *list, int64_t now_ms)
{
    size_t n = list->n_requests;
    if (n < 2) {
        return;
    }
    s_ordered_t *items = bc_calloc(n, sizeof *items);
    for (size_t i = 0; i < n; i++) {
        Baocao__RequestListEntry *e = list->requests[i];
        int64_t deadline = s_ms(e->deadline);
        items[i].entry = e;
        items[i].key = e->key ? e->key : "";
        if (deadline == 0) {
            items[i].rank = INT64_MAX;
        }
        else if (deadline > now_ms) {
            items[i].rank = deadline;
        }
        else {
            items[i].passed = 1;
            items[i].rank = -deadline;
        }
    }
    qsort(items, n, sizeof *items, s_list_order);
    for (size_t i = 0; i < n; i++) {
        list->requests[i] = items[i].entry;
    }
    free(items);
}

bc_err
bc_view_list(bc_view_t *self, int64_t now_ms, Baocao__DashRequestList **list_p)
{
    assert(self);
    assert(list_p);
    pthread_mutex_lock(&self->lock);
    bc_txn_t *txn = NULL;
    Baocao__RequestList *list = NULL;
    bc_err rc = s_begin(self, &txn);
    if (rc == BC_OK) {
        rc = bc_aggregate_list(txn, now_ms, &list);
    }
    bc_store_abort(&txn);
    pthread_mutex_unlock(&self->lock);
    if (rc != BC_OK) {
        return rc;
    }
    s_sort_list(list, now_ms);
    Baocao__DashRequestList out = BAOCAO__DASH_REQUEST_LIST__INIT;
    Baocao__Timestamp served = BAOCAO__TIMESTAMP__INIT;
    served.unix_ms = now_ms;
    out.requests = list->requests;
    out.n_requests = list->n_requests;
    out.served_at = &served;
    rc = s_own(&out.base, (ProtobufCMessage **) list_p);
    baocao__request_list__free_unpacked(list, NULL);
    return rc;
}

//  --------------------------------------------------------------------------
//  One request

typedef struct {
    char code[BC_AGENCY_CODE_MAX];      //  who
    int64_t at;                         //  when the report was stored
    uint32_t revision;                  //  its place among that agency's reports
} s_arrival_t;

typedef struct {
    s_arrival_t *items;
    size_t n;
    size_t cap;
} s_arrivals_t;

//  Each REPORTED step of a delivery's history is one stored revision, in
//  order: the broker appends one per new revision and none for a resend.
static int
s_collect_arrivals(const char *code, const Baocao__DeliveryRecord *rec, void *arg)
{
    s_arrivals_t *arrivals = arg;
    uint32_t revision = 0;
    for (size_t i = 0; i < rec->n_history; i++) {
        const Baocao__StatusStep *step = rec->history[i];
        if (!step || step->status != BAOCAO__DELIVERY_STATUS__REPORTED) {
            continue;
        }
        if (arrivals->n == arrivals->cap) {
            arrivals->cap = arrivals->cap ? arrivals->cap * 2 : 32;
            arrivals->items = bc_realloc(arrivals->items, arrivals->cap * sizeof *arrivals->items);
        }
        s_arrival_t *a = &arrivals->items[arrivals->n++];
        snprintf(a->code, sizeof a->code, "%s", code);
        a->at = s_ms(step->at);
        a->revision = ++revision;
    }
    return 0;
}

static int
s_arrival_order(const void *a, const void *b)
{
    const s_arrival_t *x = a, *y = b;
    if (x->at != y->at) {
        return x->at < y->at ? -1 : 1;
    }
    int c = strcmp(x->code, y->code);
    if (c) {
        return c;
    }
    return x->revision < y->revision ? -1 : x->revision > y->revision;
}

//  What one request's page needs, read inside one transaction.
typedef struct {
    bc_reqkey_t key;                    //  the resolved request
    Baocao__Summary *summary;           //  owned
    Baocao__RequestRecord *record;      //  owned
    Baocao__Presence **presence;        //  owned, one per summary agency (NULL: never seen)
    s_arrivals_t arrivals;              //  owned
} s_loaded_t;

static void
s_loaded_release(s_loaded_t *self)
{
    if (self->presence) {
        for (size_t i = 0; self->summary && i < self->summary->n_agencies; i++) {
            if (self->presence[i]) {
                baocao__presence__free_unpacked(self->presence[i], NULL);
            }
        }
        free(self->presence);
    }
    if (self->summary) {
        baocao__summary__free_unpacked(self->summary, NULL);
    }
    if (self->record) {
        baocao__request_record__free_unpacked(self->record, NULL);
    }
    free(self->arrivals.items);
    memset(self, 0, sizeof *self);
}

static bc_err
s_load(bc_txn_t *txn, const char *name, int64_t now_ms, s_loaded_t *out, char *why,
       size_t why_size)
{
    bc_err rc = bc_records_resolve(txn, name, &out->key, why, why_size);
    if (rc != BC_OK) {
        return rc;
    }
    rc = bc_aggregate_compile(txn, &out->key, now_ms, &out->summary);
    if (rc == BC_OK) {
        rc = bc_records_get_request(txn, &out->key, &out->record);
    }
    if (rc != BC_OK) {
        return rc == BC_ENOTFOUND ? BC_ENOTFOUND : BC_ESTORE;
    }
    size_t n = out->summary->n_agencies;
    out->presence = bc_calloc(n ? n : 1, sizeof *out->presence);
    for (size_t i = 0; i < n; i++) {
        const Baocao__AgencyStatus *st = out->summary->agencies[i];
        if (!st->agency || !st->agency->code || !*st->agency->code) {
            continue;
        }
        rc = bc_records_get_presence(txn, st->agency->code, &out->presence[i]);
        if (rc != BC_OK && rc != BC_ENOTFOUND) {
            return BC_ESTORE;
        }
    }
    rc = bc_records_each_delivery(txn, &out->key, s_collect_arrivals, &out->arrivals);
    if (rc != BC_OK) {
        return BC_ESTORE;
    }
    if (out->arrivals.n > 1) {
        qsort(out->arrivals.items, out->arrivals.n, sizeof *out->arrivals.items,
              s_arrival_order);
    }
    return BC_OK;
}

//  The list entry of a loaded request: what bc_aggregate_list gives for it,
//  from the summary already compiled (borrowed pointers into it).
static void
s_entry(const s_loaded_t *loaded, Baocao__RequestListEntry *entry, char *key_text,
        size_t key_size, char *citation, size_t citation_size)
{
    const Baocao__Summary *s = loaded->summary;
    const Baocao__ReportRequest *req = s->request;
    bc_reqkey_format(&loaded->key, key_text, key_size);
    bc_reqkey_citation(&loaded->key, citation, citation_size);
    entry->ref = s->ref;
    entry->key = key_text;
    entry->citation = citation;
    if (req) {
        entry->issuer = req->issuer;
        entry->document_type = req->document_type;
        entry->subject = req->subject;
        entry->deadline = req->deadline;
    }
    entry->issued_at = loaded->record ? loaded->record->issued_at : NULL;
    entry->addressed = s->addressed;
    entry->reported = s->reported;
    entry->late = s->late;
    entry->overdue = s->overdue;
}

static const char *
s_agency_name(const Baocao__Summary *s, const char *code)
{
    for (size_t i = 0; i < s->n_agencies; i++) {
        const Baocao__Agency *a = s->agencies[i]->agency;
        if (a && a->code && strcmp(a->code, code) == 0) {
            return a->name ? a->name : "";
        }
    }
    return "";
}

bc_err
bc_view_request(bc_view_t *self, const char *name, int64_t now_ms, int with_summary,
                Baocao__DashRequest **req_p, char *why, size_t why_size)
{
    assert(self);
    assert(req_p);
    if (why && why_size) {
        *why = '\0';
    }
    if (!name || !*name || strlen(name) >= BC_VIEW_NAME_MAX) {
        return BC_EINVAL;
    }
    s_loaded_t loaded;
    memset(&loaded, 0, sizeof loaded);
    pthread_mutex_lock(&self->lock);
    bc_txn_t *txn = NULL;
    bc_err rc = s_begin(self, &txn);
    if (rc == BC_OK) {
        rc = s_load(txn, name, now_ms, &loaded, why, why_size);
    }
    bc_store_abort(&txn);
    pthread_mutex_unlock(&self->lock);
    if (rc != BC_OK) {
        s_loaded_release(&loaded);
        return rc;
    }

    //  Assemble from borrowed pieces, then own it in one copy.
    const Baocao__Summary *s = loaded.summary;
    Baocao__DashRequest out = BAOCAO__DASH_REQUEST__INIT;
    Baocao__RequestListEntry entry = BAOCAO__REQUEST_LIST_ENTRY__INIT;
    char key_text[BC_REQKEY_TEXT_MAX], citation[BC_REQKEY_TEXT_MAX];
    s_entry(&loaded, &entry, key_text, sizeof key_text, citation, sizeof citation);
    out.entry = &entry;

    size_t n = s->n_agencies;
    Baocao__DashAgency *rows = bc_calloc(n ? n : 1, sizeof *rows);
    Baocao__DashAgency **row_ptrs = bc_calloc(n ? n : 1, sizeof *row_ptrs);
    for (size_t i = 0; i < n; i++) {
        Baocao__DashAgency *row = &rows[i];
        baocao__dash_agency__init(row);
        row->status = s->agencies[i];
        row->status_label = (char *) bc_view_status_label(s->agencies[i]->status);
        row->timeliness_label = (char *) bc_export_timeliness_label(s->agencies[i]->timeliness);
        row->presence = loaded.presence[i];
        row_ptrs[i] = row;
    }
    out.agencies = row_ptrs;
    out.n_agencies = n;

    int64_t deadline = s->request ? s_ms(s->request->deadline) : 0;
    size_t na = loaded.arrivals.n;
    Baocao__DashArrival *arr = bc_calloc(na ? na : 1, sizeof *arr);
    Baocao__DashArrival **arr_ptrs = bc_calloc(na ? na : 1, sizeof *arr_ptrs);
    Baocao__Agency *who = bc_calloc(na ? na : 1, sizeof *who);
    Baocao__Timestamp *when = bc_calloc(na ? na : 1, sizeof *when);
    for (size_t i = 0; i < na; i++) {
        const s_arrival_t *a = &loaded.arrivals.items[i];
        baocao__dash_arrival__init(&arr[i]);
        baocao__agency__init(&who[i]);
        baocao__timestamp__init(&when[i]);
        who[i].code = (char *) a->code;
        who[i].name = (char *) s_agency_name(s, a->code);
        when[i].unix_ms = a->at;
        arr[i].agency = &who[i];
        arr[i].at = &when[i];
        arr[i].revision = a->revision;
        arr[i].late = deadline > 0 && a->at > deadline;
        arr_ptrs[i] = &arr[i];
    }
    out.timeline = arr_ptrs;
    out.n_timeline = na;
    if (with_summary) {
        out.summary = loaded.summary;
    }
    Baocao__Timestamp served = BAOCAO__TIMESTAMP__INIT;
    served.unix_ms = now_ms;
    out.served_at = &served;

    rc = s_own(&out.base, (ProtobufCMessage **) req_p);
    free(rows);
    free(row_ptrs);
    free(arr);
    free(arr_ptrs);
    free(who);
    free(when);
    s_loaded_release(&loaded);
    return rc;
}

//  --------------------------------------------------------------------------
//  Presence and figures

typedef struct {
    bc_view_presence_t *items;
    size_t n;
    size_t cap;
} s_presence_list_t;

static int
s_collect_presence(const Baocao__Presence *rec, void *arg)
{
    s_presence_list_t *list = arg;
    if (!rec->agency_code || !*rec->agency_code) {
        return 0;
    }
    if (list->n == list->cap) {
        list->cap = list->cap ? list->cap * 2 : 32;
        list->items = bc_realloc(list->items, list->cap * sizeof *list->items);
    }
    bc_view_presence_t *p = &list->items[list->n++];
    snprintf(p->code, sizeof p->code, "%s", rec->agency_code);
    p->online = rec->online;
    p->last_seen_ms = s_ms(rec->last_seen);
    return 0;
}

bc_err
bc_view_presence(bc_view_t *self, bc_view_presence_t **items_p, size_t *n_p)
{
    assert(self);
    s_presence_list_t list;
    memset(&list, 0, sizeof list);
    pthread_mutex_lock(&self->lock);
    bc_txn_t *txn = NULL;
    bc_err rc = s_begin(self, &txn);
    if (rc == BC_OK) {
        rc = bc_records_each_presence(txn, s_collect_presence, &list);
    }
    bc_store_abort(&txn);
    pthread_mutex_unlock(&self->lock);
    if (rc != BC_OK) {
        free(list.items);
        return rc == BC_ECLOSED ? rc : BC_ESTORE;
    }
    *items_p = list.items;
    *n_p = list.n;
    return BC_OK;
}

static int
s_count_delivery(const uint8_t *key, size_t key_size, const uint8_t *val, size_t val_size,
                 void *arg)
{
    bc_view_figures_t *fig = arg;
    Baocao__DeliveryRecord *rec = baocao__delivery_record__unpack(NULL, val_size, val);
    if (!rec) {
        return 0;                       //  not ours to judge: bc_store_verify reports it
    }
    //  No step recorded yet reads as PENDING, as in the summary.
    int status = BAOCAO__DELIVERY_STATUS__PENDING;
    if (rec->n_history && rec->history[rec->n_history - 1]) {
        status = rec->history[rec->n_history - 1]->status;
    }
    fig->deliveries++;
    if (status >= 0 && status < BC_VIEW_STATUS_MAX) {
        fig->by_status[status]++;
    }
    baocao__delivery_record__free_unpacked(rec, NULL);
    return 0;
}

static int
s_count_presence(const Baocao__Presence *rec, void *arg)
{
    bc_view_figures_t *fig = arg;
    fig->agents_seen++;
    if (rec->online) {
        fig->agents_online++;
    }
    return 0;
}

bc_err
bc_view_figures(bc_view_t *self, bc_view_figures_t *fig)
{
    assert(self);
    assert(fig);
    bc_view_figures_t f;
    memset(&f, 0, sizeof f);
    pthread_mutex_lock(&self->lock);
    bc_txn_t *txn = NULL;
    bc_err rc = s_begin(self, &txn);
    if (rc == BC_OK) {
        rc = bc_store_each(txn, BC_DB_DELIVERIES, NULL, 0, s_count_delivery, &f);
    }
    if (rc == BC_OK) {
        rc = bc_records_each_presence(txn, s_count_presence, &f);
    }
    bc_store_abort(&txn);
    bc_store_stat_t st;
    if (rc == BC_OK) {
        rc = bc_store_stat(self->store, &st);
    }
    pthread_mutex_unlock(&self->lock);
    if (rc != BC_OK) {
        return rc == BC_ECLOSED ? rc : BC_ESTORE;
    }
    f.requests = st.entries[BC_DB_REQUESTS];
    f.reports = st.entries[BC_DB_REPORTS];
    f.agencies = st.entries[BC_DB_AGENCIES];
    f.audit_entries = st.entries[BC_DB_AUDIT];
    f.map_size = st.map_size;
    f.used_bytes = st.used_bytes;
    *fig = f;
    return BC_OK;
}

const char *
bc_view_status_label(const char *status)
{
    //  The summary's labels, plus the broker's own reminder step, which
    //  the printed documents never show.
    if (status && strcmp(status, "REMINDED") == 0) {
        return "Đã nhắc hạn";
    }
    if (!status || !*status) {
        return bc_export_status_label("PENDING");
    }
    return bc_export_status_label(status);
}
