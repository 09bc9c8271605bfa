//  bc_alloc - allocation that aborts with file:line on out-of-memory
#ifndef BC_ALLOC_H_INCLUDED
#define BC_ALLOC_H_INCLUDED

#include <stddef.h>

//  Each aborts the process with the caller's file and line when memory is
//  exhausted, so callers never test for NULL. Sizes that come from outside
//  (a socket, a file) must be bounded before calling these (STYLE.md).
#define bc_malloc(n)        bc_alloc_malloc((n), __FILE__, __LINE__)
#define bc_calloc(n, s)     bc_alloc_calloc((n), (s), __FILE__, __LINE__)
#define bc_realloc(p, n)    bc_alloc_realloc((p), (n), __FILE__, __LINE__)
#define bc_strdup(s)        bc_alloc_strdup((s), __FILE__, __LINE__)
#define bc_strndup(s, n)    bc_alloc_strndup((s), (n), __FILE__, __LINE__)

void *bc_alloc_malloc(size_t size, const char *file, int line);
void *bc_alloc_calloc(size_t count, size_t size, const char *file, int line);
void *bc_alloc_realloc(void *ptr, size_t size, const char *file, int line);
char *bc_alloc_strdup(const char *str, const char *file, int line);
char *bc_alloc_strndup(const char *str, size_t max, const char *file, int line);

//  A growable byte buffer (value struct: bc_buf_init / bc_buf_release).
typedef struct {
    char *data;                 //  NUL-terminated when len > 0 or after append
    size_t len;                 //  bytes used, excluding the NUL
    size_t cap;                 //  bytes allocated
} bc_buf_t;

void bc_buf_init(bc_buf_t *self);
void bc_buf_release(bc_buf_t *self);
void bc_buf_append(bc_buf_t *self, const void *data, size_t size);
void bc_buf_puts(bc_buf_t *self, const char *str);
void bc_buf_printf(bc_buf_t *self, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
//  Hands the buffer's bytes to the caller (free() them) and resets self.
char *bc_buf_take(bc_buf_t *self);

#endif
