//  bc_alloc - allocation that aborts on out-of-memory, and a byte buffer
#include "bc_alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
s_oom(size_t size, const char *file, int line)
{
    fprintf(stderr, "out of memory allocating %zu bytes at %s:%d\n", size, file, line);
    fflush(stderr);
    abort();
}

void *
bc_alloc_malloc(size_t size, const char *file, int line)
{
    void *p = malloc(size ? size : 1);
    if (!p) {
        s_oom(size, file, line);
    }
    return p;
}

void *
bc_alloc_calloc(size_t count, size_t size, const char *file, int line)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p) {
        s_oom(count * size, file, line);
    }
    return p;
}

void *
bc_alloc_realloc(void *ptr, size_t size, const char *file, int line)
{
    void *p = realloc(ptr, size ? size : 1);
    if (!p) {
        s_oom(size, file, line);
    }
    return p;
}

char *
bc_alloc_strdup(const char *str, const char *file, int line)
{
    size_t n = strlen(str);
    char *p = bc_alloc_malloc(n + 1, file, line);
    memcpy(p, str, n + 1);
    return p;
}

char *
bc_alloc_strndup(const char *str, size_t max, const char *file, int line)
{
    size_t n = strnlen(str, max);
    char *p = bc_alloc_malloc(n + 1, file, line);
    memcpy(p, str, n);
    p[n] = '\0';
    return p;
}

void
bc_buf_init(bc_buf_t *self)
{
    self->data = NULL;
    self->len = 0;
    self->cap = 0;
}

void
bc_buf_release(bc_buf_t *self)
{
    free(self->data);
    bc_buf_init(self);
}

static void
s_reserve(bc_buf_t *self, size_t extra)
{
    if (self->len + extra + 1 <= self->cap) {
        return;
    }
    size_t cap = self->cap ? self->cap : 256;
    while (cap < self->len + extra + 1) {
        cap *= 2;
    }
    self->data = bc_realloc(self->data, cap);
    self->cap = cap;
}

void
bc_buf_append(bc_buf_t *self, const void *data, size_t size)
{
    s_reserve(self, size);
    if (size) {
        memcpy(self->data + self->len, data, size);
    }
    self->len += size;
    self->data[self->len] = '\0';
}

void
bc_buf_puts(bc_buf_t *self, const char *str)
{
    bc_buf_append(self, str, strlen(str));
}

void
bc_buf_printf(bc_buf_t *self, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n >= 0) {
        s_reserve(self, (size_t) n);
        vsnprintf(self->data + self->len, (size_t) n + 1, fmt, ap2);
        self->len += (size_t) n;
    }
    va_end(ap2);
}

char *
bc_buf_take(bc_buf_t *self)
{
    if (!self->data) {
        bc_buf_append(self, "", 0);
    }
    char *p = self->data;
    bc_buf_init(self);
    return p;
}
