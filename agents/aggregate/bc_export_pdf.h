//  bc_export_pdf - the summary document as a PDF on A4, drawn with cairo and pango
//
//  The document of bc_doc.h laid out like bc_export_html prints it: Decree
//  30/2020 margins (top 20, bottom 20, left 30, right 15 mm), 13 pt serif
//  text justified with a 1 cm first-line indent, the two-column header and
//  signature block, tables ruled with lines (their heading row repeated on
//  every page they run onto), the same charts (bc_chart geometry) drawn
//  with cairo, page numbers at the top centre from page 2 (as the decree
//  places them), and PDF bookmarks for the parts and annexes.
//
//  Text goes to pango as UTF-8 in NFC (bc_doc cleans every string), in
//  the first installed family of BC_EXPORT_PDF_FAMILIES: Liberation Serif
//  (fonts-liberation2, metric compatible with Times New Roman) or DejaVu
//  Serif (fonts-dejavu-core); both cover Vietnamese. With neither, the
//  generic "Serif" that fontconfig resolves is used: the PDF is still made.
//  Any thread (each call has its own cairo surface and pango context).
#ifndef BC_EXPORT_PDF_H_INCLUDED
#define BC_EXPORT_PDF_H_INCLUDED

#include <stddef.h>

#include "baocao/summary.pb-c.h"
#include "bc_err.h"
#include "bc_export.h"

//  Families tried in order, then the generic one.
#define BC_EXPORT_PDF_FAMILIES      { "Liberation Serif", "DejaVu Serif" }
#define BC_EXPORT_PDF_FALLBACK      "Serif"

//  Renders summary as a PDF. opts may be NULL (parent_organ and recipient
//  are read). Borrows summary. On BC_OK *data_p is the caller's (free()),
//  *size_p bytes long (binary, NUL bytes included). Errors: BC_EIO (cairo
//  failed to make the PDF). Never logs.
bc_err bc_export_pdf(const Baocao__Summary *summary, const bc_export_opts_t *opts,
                     char **data_p, size_t *size_p);

//  Releases the font caches pango, cairo and fontconfig keep for the whole
//  process (otherwise held until exit, where leak checkers report them).
//  Call once, when no PDF is being rendered nor will be: at the end of a
//  program or of a test. Main thread, no other thread using pango.
void bc_export_pdf_release_fonts(void);

//  The family the PDF is set in on this machine: one of
//  BC_EXPORT_PDF_FAMILIES, or BC_EXPORT_PDF_FALLBACK. Static string.
const char *bc_export_pdf_family(void);

#endif
