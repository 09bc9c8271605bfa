//  bc_audit - the tamper-evident audit log: every accepted or refused action
//
//  Entries are appended in the caller's transaction, so an entry commits
//  with the change it records, or not at all. Each entry's hash covers the
//  previous entry's hash and the entry itself (SHA-256), and the meta key
//  "audit_head" holds the last sequence number and hash: altering, removing
//  or reordering an entry, or cutting the tail, breaks the chain where
//  bc_audit_verify looks. (Someone able to rewrite the whole store can
//  rebuild the chain too; copying the head elsewhere, e.g. in backups,
//  pins it.)
#ifndef BC_AUDIT_H_INCLUDED
#define BC_AUDIT_H_INCLUDED

#include <stdint.h>

#include "baocao/store.pb-c.h"
#include "bc_store.h"

#define BC_AUDIT_HASH_SIZE  32

typedef struct {
    const char *actor;                  //  agency code ("" for the system)
    const char *action;                 //  issue_request, submit_report...
    const char *target;                 //  what it acted on
    int accepted;                       //  0 = refused
    const char *detail;                 //  reason, report id...
    int64_t at_ms;                      //  when
} bc_audit_event_t;

//  Appends one entry in txn (a write transaction). On BC_OK *seq_p (when
//  not NULL) is its sequence number. Errors: BC_EFULL, BC_ESTORE.
bc_err bc_audit_append(bc_txn_t *txn, const bc_audit_event_t *event, uint64_t *seq_p);

//  Checks the whole chain in txn: sequence numbers 1..n without gaps, each
//  entry's prev_hash equal to the previous hash, each hash recomputed, the
//  head equal to the last entry. On BC_OK *count_p is n. Errors: BC_EPROTO
//  (tampered; *bad_seq_p is the first sequence number found wrong and why
//  says how), BC_ESTORE.
bc_err bc_audit_verify(bc_txn_t *txn, uint64_t *count_p, uint64_t *bad_seq_p, char *why,
                       size_t why_size);

//  Visitor: entry borrowed for the call; return non-zero to stop.
typedef int (bc_audit_fn)(const Baocao__AuditEntry *entry, void *arg);

//  Visits entries from from_seq (1 = all) in order. Errors: BC_ESTORE.
bc_err bc_audit_each(bc_txn_t *txn, uint64_t from_seq, bc_audit_fn *fn, void *arg);

#endif
