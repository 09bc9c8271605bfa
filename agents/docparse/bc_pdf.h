//  bc_pdf - the text layer of a PDF, page by page, through poppler-glib
//
//  Departments sign their replies as PDF. A PDF made by a word processor
//  carries a text layer; poppler reads it in reading order (as plain
//  pdftotext does), one page after the other, pages separated by a form
//  feed so that bc_text counts them. A scanned PDF has no text layer and an
//  encrypted one needs its password: both are refused with a reason staff
//  can act on, never guessed at.
#ifndef BC_PDF_H_INCLUDED
#define BC_PDF_H_INCLUDED

#include <stddef.h>

#include "bc_alloc.h"
#include "bc_err.h"

#define BC_PDF_MAX_PAGES    500         //  pages read; a report has a few
#define BC_PDF_MAX_TEXT     (16u << 20) //  bytes of text taken from all pages
#define BC_PDF_MIN_CHARS    16          //  non-blank characters below which a
                                        //  page has no text layer

//  True when data starts like a PDF ("%PDF-" within the first 1024 bytes,
//  as readers accept).
int bc_pdf_sniff(const void *data, size_t size);

//  Extracts the text of size bytes of PDF (borrowed). On BC_OK *text_p is
//  a NUL-terminated UTF-8 string the caller frees, *len_p its length, and
//  warnings (when not NULL) gets one line each for: pages without a text
//  layer, pages past BC_PDF_MAX_PAGES not read, an encryption that only
//  restricts permissions. *pages_p (when not NULL) gets the page count.
//  Errors (why gets one lowercase English line):
//    BC_EINVAL   not a PDF, or damaged beyond poppler's repair; no text
//                layer at all ("scanned?")
//    BC_EDENIED  encrypted: a password is needed to open it
//    BC_ETOOBIG  the text passes BC_PDF_MAX_TEXT
//  Any thread (each call opens its own document).
bc_err bc_pdf_text(const void *data, size_t size, char **text_p, size_t *len_p,
                   unsigned *pages_p, bc_buf_t *warnings, char *why, size_t why_size);

#endif
