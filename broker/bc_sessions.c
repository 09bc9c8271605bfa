//  bc_sessions - the table of connected clients
//
//  A flat array searched linearly: a province has tens to a few thousand
//  agencies, and every lookup is a short memcmp run on one cache-friendly
//  block. A hash index is the next step if the benchmark asks for it.
#include "bc_sessions.h"
#include "bc_alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bc_sessions {
    bc_session_t *items;                //  live sessions, unordered
    size_t count;
    size_t cap;
};

bc_sessions_t *
bc_sessions_new(void)
{
    return bc_calloc(1, sizeof(bc_sessions_t));
}

void
bc_sessions_destroy(bc_sessions_t **self_p)
{
    if (self_p && *self_p) {
        free((*self_p)->items);
        free(*self_p);
        *self_p = NULL;
    }
}

bc_session_t *
bc_sessions_find(bc_sessions_t *self, const char *agency)
{
    for (size_t i = 0; i < self->count; i++) {
        if (strcmp(self->items[i].agency, agency) == 0) {
            return &self->items[i];
        }
    }
    return NULL;
}

bc_session_t *
bc_sessions_by_rid(bc_sessions_t *self, const uint8_t *rid, size_t rid_size)
{
    for (size_t i = 0; i < self->count; i++) {
        bc_session_t *s = &self->items[i];
        if (s->rid_size == rid_size && memcmp(s->rid, rid, rid_size) == 0) {
            return s;
        }
    }
    return NULL;
}

bc_session_t *
bc_sessions_hello(bc_sessions_t *self, const char *agency, const uint8_t *rid, size_t rid_size,
                  int64_t mono_ms, int64_t wall_ms)
{
    bc_session_t *s = bc_sessions_find(self, agency);
    if (!s) {
        if (self->count == self->cap) {
            self->cap = self->cap ? self->cap * 2 : 64;
            self->items = bc_realloc(self->items, self->cap * sizeof *self->items);
        }
        s = &self->items[self->count++];
        memset(s, 0, sizeof *s);
        snprintf(s->agency, sizeof s->agency, "%s", agency);
    }
    s->rid_size = rid_size < BC_WIRE_MAX_RID ? rid_size : BC_WIRE_MAX_RID;
    memcpy(s->rid, rid, s->rid_size);
    s->last_seen_ms = mono_ms;
    s->last_seen_wall = wall_ms;
    s->hello_ms = wall_ms;
    s->dirty = 1;
    return s;
}

void
bc_sessions_remove(bc_sessions_t *self, const char *agency)
{
    bc_session_t *s = bc_sessions_find(self, agency);
    if (s) {
        *s = self->items[--self->count];
    }
}

size_t
bc_sessions_count(const bc_sessions_t *self)
{
    return self->count;
}

bc_session_t *
bc_sessions_at(bc_sessions_t *self, size_t i)
{
    return i < self->count ? &self->items[i] : NULL;
}
