//  bc_aggregate - a request's provincial summary, compiled from the store
//
//  Everything is derived from what the broker recorded (DESIGN "Aggregation",
//  DHIS2 lesson): completeness and timeliness come from the delivery records
//  and the deadline, never from a manual flag. Reads only, inside the
//  caller's transaction (a read-only one from bc_store_begin(store, 0, ..)),
//  so the broker keeps writing meanwhile. Never logs.
//
//  Rules (summary.proto is the result):
//    - every addressed agency appears once, in the request's recipient order
//      (a code listed twice counts once), with its latest delivery status;
//    - timeliness: a stored report is LATE when its first report was stored
//      (DeliveryRecord.reported_at, else the first REPORTED step) after the
//      deadline, else ON_TIME; only when no such time is recorded does
//      DeliveryRecord.late decide; no report is OVERDUE_MISSING when now_ms
//      is past the deadline, else MISSING (a request without a deadline is
//      never late nor overdue);
//    - only the latest revision of each agency's report counts;
//    - a top-level section answers the outline item whose number equals its
//      outline_item (set by the document parser) or, when that is empty, its
//      own number (compared after trimming blanks, a trailing '.' or ')' and
//      leading zeros, letters without case: "01." answers "1", "ii" answers
//      "II"); contributions follow the request's recipient order, then each
//      report's section order; sections answering no
//      item go to one last item with number "" ("Nội dung khác"), present
//      only when there is such a section;
//    - indicator totals follow each indicator's aggregation (UNSPECIFIED is
//      SUM; AVERAGE of no value is 0); only indicators the request defines
//      are totalled, and non-finite values are ignored;
//    - legal references are deduplicated by kind, number, year and
//      notation (kind compared without case, notation in canonical form),
//      or by title when cited by name (number 0).
#ifndef BC_AGGREGATE_H_INCLUDED
#define BC_AGGREGATE_H_INCLUDED

#include <stdint.h>

#include "baocao/summary.pb-c.h"
#include "bc_err.h"
#include "bc_reqkey.h"
#include "bc_store.h"

//  The title given to the extra item collecting sections that answer no
//  outline item.
#define BC_AGGREGATE_OTHER_TITLE    "Nội dung khác"

//  Compiles the summary of the request named key as of now_ms (UTC ms; the
//  time that decides MISSING versus OVERDUE_MISSING, also written to
//  compiled_at). Borrows txn and key; the transaction stays the caller's.
//  On BC_OK *summary_p is a self-contained message the caller frees with
//  baocao__summary__free_unpacked(summary, NULL): nothing in it points into
//  the store. Errors: BC_ENOTFOUND (no such request), BC_ESTORE (a stored
//  value does not decode, or the store failed), BC_ENOMEM.
//  Any thread, as long as txn is used by one thread at a time.
bc_err bc_aggregate_compile(bc_txn_t *txn, const bc_reqkey_t *key, int64_t now_ms,
                            Baocao__Summary **summary_p);

//  Lists every stored request in key order (organ, date, number) with its
//  completeness figures as of now_ms (reading delivery records, not
//  reports, so it stays cheap). On BC_OK *list_p is the caller's, freed
//  with baocao__request_list__free_unpacked(list, NULL); an empty store
//  gives an empty list. Errors: BC_ESTORE, BC_ENOMEM.
bc_err bc_aggregate_list(bc_txn_t *txn, int64_t now_ms, Baocao__RequestList **list_p);

#endif
