//  bc_records - typed access to the store: requests, deliveries, reports, agencies
//
//  Thin, typed wrappers over bc_store for each database, so that key layouts
//  stay in bc_keys and packing stays here. Every function works inside the
//  caller's transaction; the caller decides what commits together. Messages
//  returned through **_p are the caller's, freed with their generated
//  *_free_unpacked(msg, NULL).
#ifndef BC_RECORDS_H_INCLUDED
#define BC_RECORDS_H_INCLUDED

#include "baocao/report.pb-c.h"
#include "baocao/store.pb-c.h"
#include "bc_keys.h"
#include "bc_reqkey.h"
#include "bc_store.h"

//  --- requests -----------------------------------------------------------

//  Stores a new request. Errors: BC_EEXIST (that key is taken), BC_EFULL,
//  BC_ETOOBIG, BC_ESTORE.
bc_err bc_records_put_request(bc_txn_t *txn, const bc_reqkey_t *key,
                              const Baocao__RequestRecord *rec);

//  Errors: BC_ENOTFOUND, BC_ESTORE.
bc_err bc_records_get_request(bc_txn_t *txn, const bc_reqkey_t *key,
                              Baocao__RequestRecord **rec_p);

//  Visitor: rec is borrowed for the call; return non-zero to stop.
typedef int (bc_records_request_fn)(const bc_reqkey_t *key,
                                    const Baocao__RequestRecord *rec, void *arg);

//  Visits every request in key order (organ, date, number).
bc_err bc_records_each_request(bc_txn_t *txn, bc_records_request_fn *fn, void *arg);

//  Resolves a request as a person names it on the command line: the full
//  key text "ORGAN,YYYY-MM-DD,NUMBER/NOTATION" or the citation alone
//  "1005/STTTT-TTBCXB". On BC_OK *key is the one match. Errors: BC_EINVAL
//  (neither form), BC_ENOTFOUND, BC_EEXIST (several match: why lists their
//  full keys, one per line, so the user can pick), BC_ESTORE.
bc_err bc_records_resolve(bc_txn_t *txn, const char *name, bc_reqkey_t *key,
                          char *why, size_t why_size);

//  --- deliveries (one per addressed agency) -------------------------------

//  Writes (creates or replaces) the delivery of key to code.
bc_err bc_records_put_delivery(bc_txn_t *txn, const bc_reqkey_t *key, const char *code,
                               const Baocao__DeliveryRecord *rec);

//  Errors: BC_ENOTFOUND (code is not addressed), BC_ESTORE.
bc_err bc_records_get_delivery(bc_txn_t *txn, const bc_reqkey_t *key, const char *code,
                               Baocao__DeliveryRecord **rec_p);

typedef int (bc_records_delivery_fn)(const char *code, const Baocao__DeliveryRecord *rec,
                                     void *arg);

//  Visits the deliveries of one request in agency-code order.
bc_err bc_records_each_delivery(bc_txn_t *txn, const bc_reqkey_t *key,
                                bc_records_delivery_fn *fn, void *arg);

//  --- pending index: which requests still await a report from an agency --

//  Marks (pending non-zero) or clears the pair. Clearing an absent pair is
//  BC_OK.
bc_err bc_records_set_pending(bc_txn_t *txn, const char *code, const bc_reqkey_t *key,
                              int pending);

typedef int (bc_records_pending_fn)(const bc_reqkey_t *key, void *arg);

//  Visits the requests still awaiting code's report, in key order.
bc_err bc_records_each_pending(bc_txn_t *txn, const char *code,
                               bc_records_pending_fn *fn, void *arg);

//  --- reports (revisions kept) and the report-id dedup index --------------

//  Stores revision (>= 1) of code's report to key. Errors: BC_EEXIST,
//  BC_ETOOBIG, BC_EFULL, BC_ESTORE.
bc_err bc_records_put_report(bc_txn_t *txn, const bc_reqkey_t *key, const char *code,
                             uint32_t revision, const Baocao__Report *report);

//  Reads a revision, or the latest when revision is 0. Errors: BC_ENOTFOUND,
//  BC_ESTORE.
bc_err bc_records_get_report(bc_txn_t *txn, const bc_reqkey_t *key, const char *code,
                             uint32_t revision, Baocao__Report **report_p);

//  Errors: BC_EEXIST, BC_EINVAL (not 32 hex digits), BC_EFULL, BC_ESTORE.
bc_err bc_records_put_report_id(bc_txn_t *txn, const char *report_id,
                                const Baocao__ReportIdRecord *rec);

//  Errors: BC_ENOTFOUND, BC_EINVAL, BC_ESTORE.
bc_err bc_records_get_report_id(bc_txn_t *txn, const char *report_id,
                                Baocao__ReportIdRecord **rec_p);

//  --- agencies ------------------------------------------------------------

//  Writes (creates or replaces) rec under rec->agency->code. Errors:
//  BC_EINVAL (no valid code), BC_EFULL, BC_ESTORE.
bc_err bc_records_put_agency(bc_txn_t *txn, const Baocao__AgencyRecord *rec);

//  Errors: BC_ENOTFOUND, BC_ESTORE.
bc_err bc_records_get_agency(bc_txn_t *txn, const char *code, Baocao__AgencyRecord **rec_p);

typedef int (bc_records_agency_fn)(const Baocao__AgencyRecord *rec, void *arg);

bc_err bc_records_each_agency(bc_txn_t *txn, bc_records_agency_fn *fn, void *arg);

//  True when rec holds role.
int bc_records_agency_has_role(const Baocao__AgencyRecord *rec, Baocao__Role role);

//  Replaces a stored request's record (issue metadata such as reminders
//  done). Errors: BC_ENOTFOUND (no such request), BC_EFULL, BC_ESTORE.
bc_err bc_records_update_request(bc_txn_t *txn, const bc_reqkey_t *key,
                                 const Baocao__RequestRecord *rec);

//  --- presence: when each agency's agent was last heard from ------------

//  Writes rec under rec->agency_code. Errors: BC_EINVAL, BC_EFULL, BC_ESTORE.
bc_err bc_records_put_presence(bc_txn_t *txn, const Baocao__Presence *rec);

//  Errors: BC_ENOTFOUND (never heard from), BC_ESTORE.
bc_err bc_records_get_presence(bc_txn_t *txn, const char *code, Baocao__Presence **rec_p);

typedef int (bc_records_presence_fn)(const Baocao__Presence *rec, void *arg);

bc_err bc_records_each_presence(bc_txn_t *txn, bc_records_presence_fn *fn, void *arg);

#endif
