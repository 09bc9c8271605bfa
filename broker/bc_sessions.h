//  bc_sessions - connected clients: agency code -> routing id and last seen
#ifndef BC_SESSIONS_H_INCLUDED
#define BC_SESSIONS_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#include "bc_reqkey.h"
#include "bc_wire.h"

typedef struct {
    char agency[BC_AGENCY_CODE_MAX];    //  who, from the connection's identity
    uint8_t rid[BC_WIRE_MAX_RID];       //  where to send: the latest Hello's route
    size_t rid_size;
    int64_t last_seen_ms;               //  monotonic time of its last message
    int64_t last_seen_wall;             //  the same, wall clock (for presence)
    int64_t hello_ms;                   //  wall time of its Hello
    int dirty;                          //  last seen changed since last stored
    char software[64];                  //  from its Hello
} bc_session_t;

typedef struct bc_sessions bc_sessions_t;   //  opaque; the broker thread's alone

bc_sessions_t *bc_sessions_new(void);
void bc_sessions_destroy(bc_sessions_t **self_p);

//  Records a Hello: the agency's messages now go to rid. Returns the session
//  (borrowed until the next call that changes the table).
bc_session_t *bc_sessions_hello(bc_sessions_t *self, const char *agency, const uint8_t *rid,
                                size_t rid_size, int64_t mono_ms, int64_t wall_ms);

//  The session of agency, or NULL when it is not connected.
bc_session_t *bc_sessions_find(bc_sessions_t *self, const char *agency);

//  The session whose route is rid, or NULL (a peer that never said Hello to
//  this broker process, e.g. after a broker restart).
bc_session_t *bc_sessions_by_rid(bc_sessions_t *self, const uint8_t *rid, size_t rid_size);

//  Forgets agency's session (Bye, or its route is gone).
void bc_sessions_remove(bc_sessions_t *self, const char *agency);

size_t bc_sessions_count(const bc_sessions_t *self);

//  The i-th session (0 <= i < count), borrowed until the table changes.
bc_session_t *bc_sessions_at(bc_sessions_t *self, size_t i);

#endif
