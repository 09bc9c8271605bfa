//  bc_export_html - the summary document as one self-contained HTML5 file
//
//  The document of bc_doc.h in the Decree 30/2020 layout, ready to print on
//  A4: inline CSS with @page rules (margins 20/15/20/30 mm, the page number
//  at the top centre from page 2, as the decree places it), no script, no
//  external file, charts as inline SVG (bc_chart_svg). The header and the
//  signature block are two-column tables (class "doc-header" with cells
//  "organ" and "nation"; class "doc-footer" with "recipients" and
//  "signature"), which every browser and print engine lays out alike.
//  The markup is also well-formed XML (void elements self-closed, every
//  attribute quoted, only the five XML entities), so XML tools can check
//  it. Pure function of its input: any thread.
#ifndef BC_EXPORT_HTML_H_INCLUDED
#define BC_EXPORT_HTML_H_INCLUDED

#include "baocao/summary.pb-c.h"
#include "bc_export.h"

//  Renders summary as HTML. opts may be NULL (parent_organ and recipient
//  are read, width is not). Borrows summary; returns a NUL-terminated UTF-8
//  string the caller frees. Never fails (aborts on OOM).
char *bc_export_html(const Baocao__Summary *summary, const bc_export_opts_t *opts);

#endif
