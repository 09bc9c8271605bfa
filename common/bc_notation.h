//  bc_notation - Vietnamese document numbers and notations (số, ký hiệu)
//
//  A document is cited as NUMBER/[YEAR/]NOTATION: 1005/STTTT-TTBCXB,
//  06/CT-UBND, 09/2017/NĐ-CP, 46/2021/QĐ-UBND. The notation is segments of
//  letters and digits joined by '-' (TTr-UBND keeps its case). Numbers under
//  10 are written with a leading zero (Decree 30/2020).
#ifndef BC_NOTATION_H_INCLUDED
#define BC_NOTATION_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#include "bc_err.h"

#define BC_NOTATION_MAX     64          //  bytes of a canonical notation, with NUL

typedef struct {
    uint32_t number;                    //  1..9999999
    uint32_t year;                      //  1900..9999, or 0 when not written
    char notation[BC_NOTATION_MAX];     //  canonical, e.g. "NĐ-CP"
} bc_notation_t;

//  Canonicalizes a notation alone into out (size bytes, BC_NOTATION_MAX is
//  enough): 'Ð' (U+00D0, look-alike) and 'đ' become 'Đ' (U+0110); the ASCII
//  fallbacks ND and QD as the first segment become NĐ and QĐ; spaces around
//  '-' are dropped. Allowed: ASCII letters and digits, Đ; segments non-empty.
//  Errors: BC_EINVAL (empty, bad character, empty segment, too long).
bc_err bc_notation_canonical(const char *text, char *out, size_t size);

//  Parses a full citation "1005/STTTT-TTBCXB" or "09/2017/ND-CP" (spaces
//  around '/' allowed) into *out with a canonical notation. Writes *out only
//  on BC_OK. Errors: BC_EINVAL.
bc_err bc_notation_parse(const char *text, bc_notation_t *out);

//  Formats "06/CT-UBND", "09/2017/NĐ-CP", "1005/STTTT-TTBCXB" into out.
//  year 0 means none. Truncates to size (always NUL-terminated).
void bc_notation_format(uint32_t number, uint32_t year, const char *notation,
                        char *out, size_t size);

//  The drop-folder name: "1005-STTTT-TTBCXB", "46-2021-QĐ-UBND" (the citation
//  with '/' replaced by '-').
void bc_notation_folder(uint32_t number, uint32_t year, const char *notation,
                        char *out, size_t size);

#endif
