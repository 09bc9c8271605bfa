//  bc_csv - RFC 4180 parser: one pass, linear time, bounded input
#include "bc_csv.h"
#include "bc_alloc.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

//  Input is capped at BC_CSV_MAX_INPUT (8 MiB), so every offset, count and
//  line number fits in 32 bits; that halves the index memory a pathological
//  input such as 8 MiB of commas can make us allocate.
typedef struct {
    uint32_t first;                     //  index of the row's first cell
    uint32_t count;                     //  cells in the row
    uint32_t line;                      //  1-based source line where it starts
} bc_csv_row_t;

struct bc_csv {
    char *text;                         //  every cell's bytes, each NUL-terminated
    size_t text_len;                    //  bytes used in text
    size_t text_cap;                    //  bytes allocated for text
    uint32_t *cells;                    //  offset of each cell in text
    size_t ncells;                      //  cells used
    size_t cells_cap;                   //  cells allocated
    bc_csv_row_t *rows;                 //  rows, blank lines excluded
    size_t nrows;                       //  rows used
    size_t rows_cap;                    //  rows allocated
};

static void
s_push_byte(bc_csv_t *self, char c)
{
    if (self->text_len == self->text_cap) {
        self->text_cap = self->text_cap ? self->text_cap * 2 : 64;
        self->text = bc_realloc(self->text, self->text_cap);
    }
    self->text[self->text_len++] = c;
}

static void
s_push_cell(bc_csv_t *self, size_t offset)
{
    if (self->ncells == self->cells_cap) {
        self->cells_cap = self->cells_cap ? self->cells_cap * 2 : 16;
        self->cells = bc_realloc(self->cells, self->cells_cap * sizeof *self->cells);
    }
    self->cells[self->ncells++] = (uint32_t) offset;
}

static void
s_push_row(bc_csv_t *self, size_t first, size_t count, size_t line)
{
    if (self->nrows == self->rows_cap) {
        self->rows_cap = self->rows_cap ? self->rows_cap * 2 : 16;
        self->rows = bc_realloc(self->rows, self->rows_cap * sizeof *self->rows);
    }
    self->rows[self->nrows++] = (bc_csv_row_t) {
        .first = (uint32_t) first, .count = (uint32_t) count, .line = (uint32_t) line
    };
}

static bool
s_blank(char c)
{
    return c == ' ' || c == '\t';
}

//  A line ends at LF or CRLF. A CR that is the very last byte also ends it,
//  so a file cut off between CR and LF does not leave "\r" in its last cell;
//  any other lone CR is ordinary cell text.
static bool
s_at_eol(const char *s, size_t n, size_t i)
{
    return s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] == '\n'));
}

//  Parses one cell starting at *i_p (just after a separator or at a line
//  start) and appends its text plus a NUL. Leaves *i_p on the separator, the
//  line end or n. Sets *quoted_p when the cell was quoted.
static bc_err
s_cell(bc_csv_t *self, const char *s, size_t n, size_t *i_p, size_t *line_p,
       bool *quoted_p, size_t *fault_p)
{
    size_t i = *i_p;
    size_t line = *line_p;
    while (i < n && s_blank(s[i])) {
        i++;
    }
    s_push_cell(self, self->text_len);
    if (i < n && s[i] == '"') {
        //  The fault of an unterminated quote is where it opens: that is the
        //  line a person has to fix, not the end of the file.
        size_t open_line = line;
        i++;
        for (;;) {
            if (i == n) {
                *fault_p = open_line;
                return BC_EINVAL;
            }
            char c = s[i];
            if (c == '\0') {
                *fault_p = line;
                return BC_EINVAL;
            }
            if (c == '"') {
                if (i + 1 < n && s[i + 1] == '"') {
                    s_push_byte(self, '"');
                    i += 2;
                    continue;
                }
                i++;
                break;
            }
            if (c == '\n') {
                line++;
            }
            s_push_byte(self, c);
            i++;
        }
        while (i < n && s_blank(s[i])) {
            i++;
        }
        if (i < n && s[i] != ',' && !s_at_eol(s, n, i)) {
            *fault_p = line;
            return BC_EINVAL;
        }
        *quoted_p = true;
    }
    else {
        //  A quote inside an unquoted cell (5" floppy) is kept as text, as
        //  most spreadsheets write and read it.
        size_t keep = self->text_len;
        while (i < n && s[i] != ',' && !s_at_eol(s, n, i)) {
            if (s[i] == '\0') {
                *fault_p = line;
                return BC_EINVAL;
            }
            s_push_byte(self, s[i]);
            if (!s_blank(s[i])) {
                keep = self->text_len;
            }
            i++;
        }
        self->text_len = keep;
    }
    s_push_byte(self, '\0');
    *i_p = i;
    *line_p = line;
    return BC_OK;
}

static bc_err
s_parse(bc_csv_t *self, const char *s, size_t n, size_t *fault_p)
{
    size_t i = 0;
    size_t line = 1;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        i = 3;
    }
    while (i < n) {
        size_t row_line = line;
        size_t first = self->ncells;
        size_t text_mark = self->text_len;
        bool quoted = false;
        for (;;) {
            bc_err rc = s_cell(self, s, n, &i, &line, &quoted, fault_p);
            if (rc != BC_OK) {
                return rc;
            }
            if (i < n && s[i] == ',') {
                i++;
                continue;
            }
            if (i < n && s[i] == '\r') {
                i++;
            }
            if (i < n && s[i] == '\n') {
                i++;
                line++;
            }
            break;
        }
        //  A blank (or all-whitespace) line parses as one empty unquoted
        //  cell; drop it. A line holding only "" is a real, empty cell.
        size_t count = self->ncells - first;
        if (count == 1 && !quoted && self->text[self->cells[first]] == '\0') {
            self->ncells = first;
            self->text_len = text_mark;
            continue;
        }
        s_push_row(self, first, count, row_line);
    }
    return BC_OK;
}

bc_err
bc_csv_parse(const char *text, size_t size, bc_csv_t **csv_p, size_t *line_p)
{
    assert(text || size == 0);
    assert(csv_p);

    if (size > BC_CSV_MAX_INPUT) {
        return BC_ETOOBIG;
    }
    bc_csv_t *self = bc_calloc(1, sizeof *self);
    //  Cell text never exceeds the input: each cell's bytes plus its NUL come
    //  from its own bytes plus the separator after it, and only the last cell
    //  lacks one. So size + 1 means one allocation; the growth in
    //  s_push_byte stays as a guard, not as the plan.
    if (size > 0) {
        self->text_cap = size + 1;
        self->text = bc_malloc(self->text_cap);
    }
    size_t fault = 0;
    bc_err rc = s_parse(self, text, size, &fault);
    if (rc != BC_OK) {
        bc_csv_destroy(&self);
        if (line_p) {
            *line_p = fault;
        }
        return rc;
    }
    *csv_p = self;
    return BC_OK;
}

void
bc_csv_destroy(bc_csv_t **csv_p)
{
    assert(csv_p);
    bc_csv_t *self = *csv_p;
    if (!self) {
        return;
    }
    free(self->text);
    free(self->cells);
    free(self->rows);
    free(self);
    *csv_p = NULL;
}

size_t
bc_csv_rows(const bc_csv_t *self)
{
    assert(self);
    return self->nrows;
}

size_t
bc_csv_cols(const bc_csv_t *self, size_t row)
{
    assert(self);
    return row < self->nrows ? self->rows[row].count : 0;
}

const char *
bc_csv_cell(const bc_csv_t *self, size_t row, size_t col)
{
    assert(self);
    if (row >= self->nrows || col >= self->rows[row].count) {
        return NULL;
    }
    return self->text + self->cells[self->rows[row].first + col];
}

size_t
bc_csv_line(const bc_csv_t *self, size_t row)
{
    assert(self);
    //  0 is never a real line number, so it marks "no such row".
    return row < self->nrows ? self->rows[row].line : 0;
}
