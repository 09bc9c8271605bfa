//  bc_csv - RFC 4180 CSV text as rows of cells (agency lists, indicator files)
#ifndef BC_CSV_H_INCLUDED
#define BC_CSV_H_INCLUDED

#include <stddef.h>

#include "bc_err.h"

typedef struct bc_csv bc_csv_t;         //  opaque, immutable after parse

#define BC_CSV_MAX_INPUT    (8u << 20)  //  bytes accepted by bc_csv_parse

//  Parses CSV text: comma separator, "double quotes" with "" escapes and
//  embedded newlines, LF or CRLF line ends, an optional UTF-8 BOM, blank
//  lines skipped, cells trimmed of surrounding spaces and tabs unless quoted.
//  Row 0 is whatever comes first (callers check their header themselves).
//  On BC_OK *csv_p is the caller's (bc_csv_destroy). On BC_EINVAL
//  (unterminated quote, text after a closing quote, a NUL byte) *line_p, when
//  not NULL, is the 1-based line where the fault is. BC_ETOOBIG over
//  BC_CSV_MAX_INPUT. Borrows text.
bc_err bc_csv_parse(const char *text, size_t size, bc_csv_t **csv_p, size_t *line_p);

//  Destroys the table and sets *csv_p to NULL; safe on NULL.
void bc_csv_destroy(bc_csv_t **csv_p);

//  Number of rows, blank lines excluded.
size_t bc_csv_rows(const bc_csv_t *self);

//  Number of cells in row (0 when row is out of range).
size_t bc_csv_cols(const bc_csv_t *self, size_t row);

//  The cell's text, borrowed until bc_csv_destroy; NULL when row or col is
//  out of range. Never NULL for an existing but empty cell ("").
const char *bc_csv_cell(const bc_csv_t *self, size_t row, size_t col);

//  The 1-based source line where row starts (for error messages).
size_t bc_csv_line(const bc_csv_t *self, size_t row);

#endif
