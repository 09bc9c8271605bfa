//  bc_text - a document's text as clean NFC lines, and the Unicode helpers the parser uses
//
//  Text extracted from a PDF or saved by a word processor arrives with
//  artefacts that say nothing about its content: a UTF-8 BOM, CRLF or lone
//  CR line ends, decomposed (NFD) letters, tabs and runs of spaces, no-break
//  and zero-width spaces, form feeds between pages, page numbers on lines
//  of their own, separator rules ("-----"), and the Icelandic eth (Ð U+00D0,
//  ð U+00F0) typed or converted for Đ/đ. bc_text_init turns all that into
//  a list of lines that keep only what the layout means: each line's own
//  text (NFC, no leading or trailing blanks, inner runs of spaces kept so
//  that two columns printed side by side stay apart), its indentation,
//  the blank lines and page breaks before it, and its page.
//
//  Every Unicode property comes from utf8proc (categories, case mapping,
//  decomposition), never from tables written here.
#ifndef BC_TEXT_H_INCLUDED
#define BC_TEXT_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#include "bc_alloc.h"
#include "bc_err.h"

#define BC_TEXT_TAB_WIDTH       8       //  tab stops, in columns
#define BC_TEXT_COLUMN_GAP      3       //  spaces that separate two columns
#define BC_TEXT_MAX_CELLS       4       //  columns bc_text_columns returns
#define BC_TEXT_MAX_LINES       (1u << 18)  //  non-blank lines of a document

//  One non-blank line (value struct, owned by its bc_text_t).
typedef struct {
    char *text;                         //  NFC, trimmed, NUL-terminated
    size_t len;                         //  bytes of text
    size_t width;                       //  code points, a run of spaces counting one
    unsigned indent;                    //  leading columns (tabs expanded)
    unsigned page;                      //  1-based page it stands on
    unsigned blank_before;              //  blank lines between it and the previous line
    int page_break;                     //  a page ended between it and the previous line
} bc_text_line_t;

//  A document's lines (value struct: bc_text_init / bc_text_release).
typedef struct {
    char *buf;                          //  every line's bytes, NUL-separated
    bc_text_line_t *lines;              //  the non-blank lines, in order
    size_t n_lines;
    unsigned n_pages;                   //  form feeds + 1
    int double_spaced;                  //  most lines followed by one blank line
    size_t n_controls;                  //  control characters replaced by spaces
    size_t n_page_numbers;              //  page-number lines dropped
    int truncated;                      //  internal: BC_TEXT_MAX_LINES passed
} bc_text_t;

//  Checks and normalizes size bytes of text (need not be NUL-terminated)
//  into self's lines: a leading BOM is skipped, the text composed to NFC,
//  CRLF/CR/U+2028/U+2029/NEL end lines, a form feed ends a page, tabs go
//  to the next tab stop, Unicode spaces (Zs) become ' ', format characters
//  (Cf: zero-width spaces, soft hyphens, stray BOMs) are dropped, Ð/ð
//  become Đ/đ, a few stray control characters become spaces; page-number
//  lines ("2", "- 2 -", "Trang 2/5") and rules ("-----", "____") are
//  dropped, each page-number line counting as a page break.
//  Writes self only on BC_OK (then release it with bc_text_release).
//  Errors (why, when not NULL, gets one lowercase line such as
//  "line 3: not UTF-8 text"):
//    BC_EINVAL   a NUL byte, invalid UTF-8, binary data (many control
//                characters), or nothing but blanks ("empty document")
//    BC_ETOOBIG  more than BC_TEXT_MAX_LINES non-blank lines (a report has
//                a few thousand; the bound keeps memory in proportion)
//    BC_ENOMEM   utf8proc could not allocate
//  The caller bounds size. Pure: any thread.
bc_err bc_text_init(bc_text_t *self, const char *data, size_t size,
                    char *why, size_t why_size);

//  Frees self's lines and zeroes it. Safe on a zeroed struct, twice.
void bc_text_release(bc_text_t *self);

//  --- Unicode helpers (s: valid NUL-terminated UTF-8) ------------------------

//  Decodes the code point at s into *cp and returns its length in bytes;
//  0 at the terminating NUL. An invalid sequence counts as one byte, U+FFFD.
size_t bc_text_decode(const char *s, int32_t *cp);

//  Appends code point cp as UTF-8.
void bc_text_put(bc_buf_t *out, int32_t cp);

//  Letter case by Unicode category: upper (Lu, Lt), lower (Ll), any letter.
int bc_text_is_upper(int32_t cp);
int bc_text_is_lower(int32_t cp);
int bc_text_is_alpha(int32_t cp);
int bc_text_is_alnum(int32_t cp);

//  The code point's case mappings (utf8proc_toupper/utf8proc_tolower).
int32_t bc_text_to_upper(int32_t cp);
int32_t bc_text_to_lower(int32_t cp);

//  The "folded" form of one code point for comparisons that must ignore
//  case and tone marks: case-folded, decomposed, marks stripped, đ as d
//  ("Ế" -> 'e', "Đ" -> 'd'). Returns the first code point of the result.
int32_t bc_text_fold_cp(int32_t cp);

//  A new string: s folded code point by code point, so "Nơi nhận" and
//  "NOI NHAN" both give "noi nhan". The caller frees it.
char *bc_text_fold(const char *s);

//  When s starts with word (lowercase ASCII; a space in word matches one
//  or more blanks in s) compared through bc_text_fold_cp, returns the bytes
//  of s matched; else 0. bc_text_match_word also requires that no letter or
//  digit follows the match.
size_t bc_text_match(const char *s, const char *word);
size_t bc_text_match_word(const char *s, const char *word);

//  True when s has an upper-case letter and no lower-case one
//  ("KT. GIÁM ĐỐC"); bc_text_starts_upper/lower look at s's first code point.
int bc_text_all_upper(const char *s);
int bc_text_starts_upper(const char *s);
int bc_text_starts_lower(const char *s);

//  Code points in s.
size_t bc_text_width(const char *s);

//  A new string: len bytes of s with every run of blanks made one space and
//  no blank at either end. The caller frees it.
char *bc_text_squeeze(const char *s, size_t len);

//  One column of a line printed side by side with another (pdftotext
//  -layout): where it starts and what it holds.
typedef struct {
    unsigned column;                    //  start column on the page line
    const char *text;                   //  into the line, not NUL-terminated
    size_t len;                         //  bytes
} bc_text_cell_t;

//  Cuts line (a bc_text_line_t's text, starting at column indent) at every
//  run of BC_TEXT_COLUMN_GAP or more spaces into at most max cells (the
//  last one keeps the rest). Returns the number of cells (>= 1 for a
//  non-empty line). Borrows line.
size_t bc_text_columns(const char *line, unsigned indent, bc_text_cell_t *cells, size_t max);

#endif
