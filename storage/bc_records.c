//  bc_records - typed access to each database of the store
#include "bc_records.h"
#include "bc_alloc.h"
#include "bc_id.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_MSG(m)    ((const ProtobufCMessage *) (m))

//  --- requests ---------------------------------------------------------------

bc_err
bc_records_put_request(bc_txn_t *txn, const bc_reqkey_t *key, const Baocao__RequestRecord *rec)
{
    uint8_t k[BC_KEY_REQUEST_SIZE];
    bc_key_request(key, k);
    return bc_store_put(txn, BC_DB_REQUESTS, k, sizeof k, S_MSG(rec), 1);
}

bc_err
bc_records_get_request(bc_txn_t *txn, const bc_reqkey_t *key, Baocao__RequestRecord **rec_p)
{
    uint8_t k[BC_KEY_REQUEST_SIZE];
    bc_key_request(key, k);
    return bc_store_get(txn, BC_DB_REQUESTS, k, sizeof k, &baocao__request_record__descriptor,
                        (ProtobufCMessage **) rec_p);
}

typedef struct {
    bc_records_request_fn *fn;
    void *arg;
} s_request_walk_t;

static int
s_request_visit(const uint8_t *key, size_t key_size, const ProtobufCMessage *msg, void *arg)
{
    s_request_walk_t *walk = arg;
    bc_reqkey_t k;
    if (bc_key_request_decode(key, key_size, &k) != 0) {
        return 0;                       //  not a request key: skip it
    }
    return walk->fn(&k, (const Baocao__RequestRecord *) msg, walk->arg);
}

bc_err
bc_records_each_request(bc_txn_t *txn, bc_records_request_fn *fn, void *arg)
{
    s_request_walk_t walk = { fn, arg };
    return bc_store_each_msg(txn, BC_DB_REQUESTS, NULL, 0, &baocao__request_record__descriptor,
                             s_request_visit, &walk);
}

typedef struct {
    bc_notation_t cit;                  //  what the user typed
    bc_reqkey_t match;                  //  the first match
    size_t matches;
    bc_buf_t list;                      //  full keys of every match
} s_resolve_t;

static int
s_resolve_visit(const uint8_t *key, size_t key_size, const uint8_t *val, size_t val_size,
                void *arg)
{
    s_resolve_t *r = arg;
    bc_reqkey_t k;
    if (bc_key_request_decode(key, key_size, &k) != 0) {
        return 0;
    }
    if (k.number == r->cit.number && k.doc_year == r->cit.year
        && strcmp(k.notation, r->cit.notation) == 0) {
        if (r->matches++ == 0) {
            r->match = k;
        }
        char text[BC_REQKEY_TEXT_MAX];
        bc_reqkey_format(&k, text, sizeof text);
        bc_buf_printf(&r->list, "%s\n", text);
    }
    return 0;
}

bc_err
bc_records_resolve(bc_txn_t *txn, const char *name, bc_reqkey_t *key, char *why,
                   size_t why_size)
{
    bc_reqkey_t k;
    if (strchr(name, ',')) {
        if (bc_reqkey_parse(name, &k) != BC_OK) {
            return BC_EINVAL;
        }
        uint8_t kb[BC_KEY_REQUEST_SIZE];
        bc_key_request(&k, kb);
        if (!bc_store_has(txn, BC_DB_REQUESTS, kb, sizeof kb)) {
            return BC_ENOTFOUND;
        }
        *key = k;
        return BC_OK;
    }
    s_resolve_t r;
    memset(&r, 0, sizeof r);
    if (bc_notation_parse(name, &r.cit) != BC_OK) {
        return BC_EINVAL;
    }
    bc_buf_init(&r.list);
    bc_err rc = bc_store_each(txn, BC_DB_REQUESTS, NULL, 0, s_resolve_visit, &r);
    if (rc == BC_OK) {
        if (r.matches == 0) {
            rc = BC_ENOTFOUND;
        }
        else if (r.matches > 1) {
            rc = BC_EEXIST;
            if (why && why_size) {
                snprintf(why, why_size, "%s", r.list.data);
            }
        }
        else {
            *key = r.match;
        }
    }
    bc_buf_release(&r.list);
    return rc;
}

//  --- deliveries ---------------------------------------------------------------

bc_err
bc_records_put_delivery(bc_txn_t *txn, const bc_reqkey_t *key, const char *code,
                        const Baocao__DeliveryRecord *rec)
{
    uint8_t k[BC_KEY_DELIVERY_SIZE];
    bc_key_delivery(key, code, k);
    return bc_store_put(txn, BC_DB_DELIVERIES, k, sizeof k, S_MSG(rec), 0);
}

bc_err
bc_records_get_delivery(bc_txn_t *txn, const bc_reqkey_t *key, const char *code,
                        Baocao__DeliveryRecord **rec_p)
{
    uint8_t k[BC_KEY_DELIVERY_SIZE];
    bc_key_delivery(key, code, k);
    return bc_store_get(txn, BC_DB_DELIVERIES, k, sizeof k, &baocao__delivery_record__descriptor,
                        (ProtobufCMessage **) rec_p);
}

typedef struct {
    bc_records_delivery_fn *fn;
    void *arg;
} s_delivery_walk_t;

static int
s_delivery_visit(const uint8_t *key, size_t key_size, const ProtobufCMessage *msg, void *arg)
{
    s_delivery_walk_t *walk = arg;
    if (key_size != BC_KEY_DELIVERY_SIZE) {
        return 0;
    }
    char code[BC_AGENCY_CODE_MAX];
    bc_key_code_decode(key + BC_KEY_REQUEST_SIZE, code);
    return walk->fn(code, (const Baocao__DeliveryRecord *) msg, walk->arg);
}

bc_err
bc_records_each_delivery(bc_txn_t *txn, const bc_reqkey_t *key, bc_records_delivery_fn *fn,
                         void *arg)
{
    uint8_t prefix[BC_KEY_REQUEST_SIZE];
    bc_key_request(key, prefix);
    s_delivery_walk_t walk = { fn, arg };
    return bc_store_each_msg(txn, BC_DB_DELIVERIES, prefix, sizeof prefix,
                             &baocao__delivery_record__descriptor, s_delivery_visit, &walk);
}

//  --- pending index ---------------------------------------------------------------

bc_err
bc_records_set_pending(bc_txn_t *txn, const char *code, const bc_reqkey_t *key, int pending)
{
    uint8_t k[BC_KEY_PENDING_SIZE];
    bc_key_pending(code, key, k);
    if (pending) {
        return bc_store_put_raw(txn, BC_DB_PENDING, k, sizeof k, "", 0, 0);
    }
    bc_err rc = bc_store_del(txn, BC_DB_PENDING, k, sizeof k);
    return rc == BC_ENOTFOUND ? BC_OK : rc;
}

typedef struct {
    bc_records_pending_fn *fn;
    void *arg;
    bc_err rc;
} s_pending_walk_t;

static int
s_pending_visit(const uint8_t *key, size_t key_size, const uint8_t *val, size_t val_size,
                void *arg)
{
    s_pending_walk_t *walk = arg;
    bc_reqkey_t k;
    if (key_size != BC_KEY_PENDING_SIZE
        || bc_key_request_decode(key + BC_KEY_CODE_SIZE, key_size - BC_KEY_CODE_SIZE, &k) != 0) {
        walk->rc = BC_ESTORE;
        return 1;
    }
    return walk->fn(&k, walk->arg);
}

bc_err
bc_records_each_pending(bc_txn_t *txn, const char *code, bc_records_pending_fn *fn, void *arg)
{
    uint8_t prefix[BC_KEY_CODE_SIZE];
    bc_key_code(code, prefix);
    s_pending_walk_t walk = { fn, arg, BC_OK };
    bc_err rc = bc_store_each(txn, BC_DB_PENDING, prefix, sizeof prefix, s_pending_visit, &walk);
    return rc != BC_OK ? rc : walk.rc;
}

//  --- reports ---------------------------------------------------------------

bc_err
bc_records_put_report(bc_txn_t *txn, const bc_reqkey_t *key, const char *code,
                      uint32_t revision, const Baocao__Report *report)
{
    uint8_t k[BC_KEY_REPORT_SIZE];
    bc_key_report(key, code, revision, k);
    return bc_store_put(txn, BC_DB_REPORTS, k, sizeof k, S_MSG(report), 1);
}

bc_err
bc_records_get_report(bc_txn_t *txn, const bc_reqkey_t *key, const char *code,
                      uint32_t revision, Baocao__Report **report_p)
{
    uint8_t k[BC_KEY_REPORT_SIZE];
    bc_key_report(key, code, revision, k);
    if (revision) {
        return bc_store_get(txn, BC_DB_REPORTS, k, sizeof k, &baocao__report__descriptor,
                            (ProtobufCMessage **) report_p);
    }
    uint8_t found[BC_KEY_REPORT_SIZE];
    size_t found_size;
    return bc_store_last(txn, BC_DB_REPORTS, k, BC_KEY_DELIVERY_SIZE, found, sizeof found,
                         &found_size, &baocao__report__descriptor, (ProtobufCMessage **) report_p);
}

bc_err
bc_records_put_report_id(bc_txn_t *txn, const char *report_id, const Baocao__ReportIdRecord *rec)
{
    if (!bc_id_valid(report_id)) {
        return BC_EINVAL;
    }
    return bc_store_put(txn, BC_DB_REPORT_IDS, report_id, BC_KEY_REPORT_ID_SIZE, S_MSG(rec), 1);
}

bc_err
bc_records_get_report_id(bc_txn_t *txn, const char *report_id, Baocao__ReportIdRecord **rec_p)
{
    if (!bc_id_valid(report_id)) {
        return BC_EINVAL;
    }
    return bc_store_get(txn, BC_DB_REPORT_IDS, report_id, BC_KEY_REPORT_ID_SIZE,
                        &baocao__report_id_record__descriptor, (ProtobufCMessage **) rec_p);
}

//  --- agencies ---------------------------------------------------------------

bc_err
bc_records_put_agency(bc_txn_t *txn, const Baocao__AgencyRecord *rec)
{
    if (!rec->agency || !bc_agency_code_valid(rec->agency->code)) {
        return BC_EINVAL;
    }
    uint8_t k[BC_KEY_CODE_SIZE];
    bc_key_code(rec->agency->code, k);
    return bc_store_put(txn, BC_DB_AGENCIES, k, sizeof k, S_MSG(rec), 0);
}

bc_err
bc_records_get_agency(bc_txn_t *txn, const char *code, Baocao__AgencyRecord **rec_p)
{
    if (!bc_agency_code_valid(code)) {
        return BC_ENOTFOUND;
    }
    uint8_t k[BC_KEY_CODE_SIZE];
    bc_key_code(code, k);
    return bc_store_get(txn, BC_DB_AGENCIES, k, sizeof k, &baocao__agency_record__descriptor,
                        (ProtobufCMessage **) rec_p);
}

typedef struct {
    bc_records_agency_fn *fn;
    void *arg;
} s_agency_walk_t;

static int
s_agency_visit(const uint8_t *key, size_t key_size, const ProtobufCMessage *msg, void *arg)
{
    s_agency_walk_t *walk = arg;
    return walk->fn((const Baocao__AgencyRecord *) msg, walk->arg);
}

bc_err
bc_records_each_agency(bc_txn_t *txn, bc_records_agency_fn *fn, void *arg)
{
    s_agency_walk_t walk = { fn, arg };
    return bc_store_each_msg(txn, BC_DB_AGENCIES, NULL, 0, &baocao__agency_record__descriptor,
                             s_agency_visit, &walk);
}

int
bc_records_agency_has_role(const Baocao__AgencyRecord *rec, Baocao__Role role)
{
    for (size_t i = 0; i < rec->n_roles; i++) {
        if (rec->roles[i] == role) {
            return 1;
        }
    }
    return 0;
}

bc_err
bc_records_update_request(bc_txn_t *txn, const bc_reqkey_t *key, const Baocao__RequestRecord *rec)
{
    uint8_t k[BC_KEY_REQUEST_SIZE];
    bc_key_request(key, k);
    if (!bc_store_has(txn, BC_DB_REQUESTS, k, sizeof k)) {
        return BC_ENOTFOUND;
    }
    return bc_store_put(txn, BC_DB_REQUESTS, k, sizeof k, S_MSG(rec), 0);
}

//  --- presence ---------------------------------------------------------------

bc_err
bc_records_put_presence(bc_txn_t *txn, const Baocao__Presence *rec)
{
    if (!bc_agency_code_valid(rec->agency_code)) {
        return BC_EINVAL;
    }
    uint8_t k[BC_KEY_CODE_SIZE];
    bc_key_code(rec->agency_code, k);
    return bc_store_put(txn, BC_DB_PRESENCE, k, sizeof k, S_MSG(rec), 0);
}

bc_err
bc_records_get_presence(bc_txn_t *txn, const char *code, Baocao__Presence **rec_p)
{
    if (!bc_agency_code_valid(code)) {
        return BC_ENOTFOUND;
    }
    uint8_t k[BC_KEY_CODE_SIZE];
    bc_key_code(code, k);
    return bc_store_get(txn, BC_DB_PRESENCE, k, sizeof k, &baocao__presence__descriptor,
                        (ProtobufCMessage **) rec_p);
}

typedef struct {
    bc_records_presence_fn *fn;
    void *arg;
} s_presence_walk_t;

static int
s_presence_visit(const uint8_t *key, size_t key_size, const ProtobufCMessage *msg, void *arg)
{
    s_presence_walk_t *walk = arg;
    return walk->fn((const Baocao__Presence *) msg, walk->arg);
}

bc_err
bc_records_each_presence(bc_txn_t *txn, bc_records_presence_fn *fn, void *arg)
{
    s_presence_walk_t walk = { fn, arg };
    return bc_store_each_msg(txn, BC_DB_PRESENCE, NULL, 0, &baocao__presence__descriptor,
                             s_presence_visit, &walk);
}
