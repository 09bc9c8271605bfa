//  bc_outbox - the agent's own LMDB outbox: reports persisted before sending
//
//  A report the agent is about to send is written here first (one synced
//  transaction), and deleted only once the broker has acknowledged it. After
//  any crash, bc_outbox_each gives back every report still unacknowledged,
//  exactly as it was built, even if staff changed or removed the document
//  since. Lives in its own small store (bc_store, database "outbox").
#ifndef BC_OUTBOX_H_INCLUDED
#define BC_OUTBOX_H_INCLUDED

#include <stddef.h>

#include "baocao/report.pb-c.h"
#include "bc_err.h"

typedef struct bc_outbox bc_outbox_t;   //  opaque; the agent's thread only

//  Opens (creating) the outbox store in dir. On BC_OK *outbox_p is the
//  caller's (bc_outbox_destroy). Errors: BC_EINVAL, BC_EDENIED, BC_EIO,
//  BC_ESTORE (why says which folder and why).
bc_err bc_outbox_open(bc_outbox_t **outbox_p, const char *dir, char *why, size_t why_size);

//  Closes it and sets *outbox_p to NULL; safe on NULL.
void bc_outbox_destroy(bc_outbox_t **outbox_p);

//  Persists report (under its report_id) with where its document lies.
//  Returns only after the synced commit. Writing an id already there
//  replaces it. Borrows everything. Errors: BC_EINVAL (no valid report id),
//  BC_EFULL (disk or map full: retry later), BC_ETOOBIG, BC_ESTORE.
bc_err bc_outbox_put(bc_outbox_t *self, const char *folder, const char *document,
                     const Baocao__Report *report);

//  Forgets report_id (acknowledged, refused or replaced). Absent is BC_OK.
//  Errors: BC_EFULL, BC_ESTORE.
bc_err bc_outbox_del(bc_outbox_t *self, const char *report_id);

//  Visitor: folder, document and report are borrowed for the call; the
//  visitor may take the report by setting *report_p to NULL (it then frees
//  it with baocao__report__free_unpacked).
typedef void (bc_outbox_fn)(const char *folder, const char *document,
                            Baocao__Report **report_p, void *arg);

//  Visits every entry in report-id order. Errors: BC_ESTORE.
bc_err bc_outbox_each(bc_outbox_t *self, bc_outbox_fn *fn, void *arg);

//  Entries in the outbox.
size_t bc_outbox_count(bc_outbox_t *self);

#endif
