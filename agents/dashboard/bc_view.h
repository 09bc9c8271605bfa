//  bc_view - what the dashboard shows, read from the store read-only
//
//  Every call opens one short read-only transaction, reads what it needs and
//  ends it before returning, so the broker keeps writing and the file does
//  not grow under a long reader (lmdb.h caveats). Calls are serialised by a
//  mutex inside: the store handle (MDB_NOTLS) then sees one transaction at a
//  time whichever thread calls, and a map the broker grew is adopted safely.
//  Results are self-contained messages (nothing points into the store) that
//  the caller frees with their generated *_free_unpacked(msg, NULL).
//
//  The store is opened lazily: a dashboard started before its broker serves
//  BC_ECLOSED ("no data yet") until the store exists. Never logs.
#ifndef BC_VIEW_H_INCLUDED
#define BC_VIEW_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#include "baocao/dashboard.pb-c.h"
#include "bc_err.h"
#include "bc_reqkey.h"

#define BC_VIEW_STATUS_MAX      32      //  DeliveryStatus values counted, 0..31
#define BC_VIEW_NAME_MAX        BC_REQKEY_TEXT_MAX  //  longest request name accepted

typedef struct bc_view bc_view_t;       //  opaque; any thread

//  Figures for /metrics, counted over the whole store.
typedef struct {
    uint64_t requests;                  //  stored requests
    uint64_t reports;                   //  stored report revisions
    uint64_t agencies;                  //  registered agencies
    uint64_t agents_seen;               //  agencies whose agent was ever heard from
    uint64_t agents_online;             //  ... with a live session now
    uint64_t deliveries;                //  (request, addressed agency) pairs
    uint64_t by_status[BC_VIEW_STATUS_MAX];  //  deliveries by latest DeliveryStatus
    uint64_t audit_entries;             //  audit log length
    size_t map_size;                    //  bytes mapped
    size_t used_bytes;                  //  bytes in use (pages times page size)
} bc_view_figures_t;

//  One agency's presence, for the feed's change detection.
typedef struct {
    char code[BC_AGENCY_CODE_MAX];      //  organ code
    int online;                         //  a live session with the broker
    int64_t last_seen_ms;               //  last message received, 0 = never
} bc_view_presence_t;

//  Creates a view of the store in dir (copied). The store is opened on first
//  use, read-only. Never fails (aborts on OOM); ends with bc_view_destroy().
bc_view_t *bc_view_new(const char *dir);

//  Closes the store and frees the view; sets *view_p to NULL; safe on NULL.
//  No call may be running.
void bc_view_destroy(bc_view_t **view_p);

//  Every stored request with its completeness figures as of now_ms, open
//  ones first (nearest deadline first), then those whose deadline passed
//  (latest first). seq and live are left 0 for the caller. On BC_OK *list_p
//  is the caller's. Errors: BC_ECLOSED (no store there yet), BC_ESTORE.
bc_err bc_view_list(bc_view_t *self, int64_t now_ms, Baocao__DashRequestList **list_p);

//  One request, named as on the command line: its full key
//  "ORGAN,YYYY-MM-DD,NUMBER/NOTATION" or its citation "1005/STTTT-TTBCXB".
//  Fills entry, agencies (with presence), timeline and, when with_summary is
//  set, the compiled summary; seq is left 0. Borrows name. On BC_OK *req_p
//  is the caller's. Errors: BC_EINVAL (not a request name, or longer than
//  BC_VIEW_NAME_MAX), BC_ENOTFOUND, BC_EEXIST (the citation names several
//  requests; why lists their full keys, one per line), BC_ECLOSED,
//  BC_ESTORE.
bc_err bc_view_request(bc_view_t *self, const char *name, int64_t now_ms, int with_summary,
                       Baocao__DashRequest **req_p, char *why, size_t why_size);

//  Every agency's presence record. On BC_OK *items_p (free()) holds *n_p
//  entries (NULL and 0 when none). Errors: BC_ECLOSED, BC_ESTORE.
bc_err bc_view_presence(bc_view_t *self, bc_view_presence_t **items_p, size_t *n_p);

//  Counts for /metrics. On BC_OK *fig is filled. Errors: BC_ECLOSED,
//  BC_ESTORE.
bc_err bc_view_figures(bc_view_t *self, bc_view_figures_t *fig);

//  Vietnamese label of a DeliveryStatus name ("REPORTED" gives "Đã báo
//  cáo"); unknown names come back as they are. Static or borrowed.
const char *bc_view_status_label(const char *status);

#endif
