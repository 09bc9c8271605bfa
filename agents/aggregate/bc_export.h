//  bc_export - a Summary (or a request list) as text, Markdown, JSON, HTML or PDF
//
//  text is for a terminal: Vietnamese headings, columns aligned by display
//  width (code points, combining marks counting zero), paragraphs wrapped
//  to the width. md is GitHub-flavoured Markdown (headings, pipe tables).
//  json is bc_json_encode(.., BC_JSON_PRETTY) of the message itself: the
//  one converter, no JSON written here. Times are shown in Asia/Ho_Chi_Minh
//  (bc_clock_format_local); numbers in text and md use the Vietnamese
//  convention (1.234,5). html and pdf are the printed document the
//  coordinator sends upward (Decree 30/2020 layout, see bc_doc.h), rendered
//  by bc_export_html and bc_export_pdf; pdf is binary, so it comes only from
//  bc_export_render(). Pure functions of their input: any thread.
#ifndef BC_EXPORT_H_INCLUDED
#define BC_EXPORT_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#include "baocao/summary.pb-c.h"
#include "bc_err.h"

#define BC_EXPORT_WIDTH_DEFAULT     80  //  columns when not told
#define BC_EXPORT_WIDTH_MIN         40  //  narrower terminals are treated as this
#define BC_EXPORT_SUBJECT_MAX       60  //  code points of a listed subject off a terminal

typedef enum {
    BC_EXPORT_TEXT = 0,
    BC_EXPORT_MD,
    BC_EXPORT_JSON,
    BC_EXPORT_HTML,                     //  one self-contained HTML5 file, A4 print rules
    BC_EXPORT_PDF                       //  binary: bc_export_render() only
} bc_export_format_t;

typedef struct {
    size_t width;                       //  terminal columns; 0 = not a terminal
    const char *parent_organ;           //  html, pdf: the organ line above the issuer;
                                        //  NULL = derived (bc_doc_new)
    const char *recipient;              //  html, pdf: "Kính gửi"; NULL = the province's
                                        //  People's Committee
} bc_export_opts_t;

//  Parses "text", "md" (or "markdown"), "json", "html" and "pdf" into
//  *format_p. Errors: BC_EINVAL (any other name; *format_p untouched).
bc_err bc_export_format_parse(const char *name, bc_export_format_t *format_p);

//  True for the formats whose bytes are not text (pdf): they must not go to
//  a terminal.
int bc_export_format_binary(bc_export_format_t format);

//  Renders the summary in any format. On BC_OK *data_p is the caller's
//  (free()) and *size_p its length in bytes; text formats are also
//  NUL-terminated. opts may be NULL. Errors: BC_EIO (the PDF renderer
//  failed; cairo's reason is not kept). Any thread.
bc_err bc_export_render(const Baocao__Summary *summary, bc_export_format_t format,
                        const bc_export_opts_t *opts, char **data_p, size_t *size_p);

//  Renders the whole summary: heading (request, deadline, compiled at),
//  completeness and timeliness counts with the per-agency table, each
//  outline item with every contribution (then who said nothing on it), the
//  "other" item when it has contributions, indicator totals, legal
//  references with who cited them, and the agencies still missing.
//  opts may be NULL. Borrows summary; returns a NUL-terminated UTF-8 string
//  the caller frees. Never fails (aborts on OOM). html gives the printed
//  document (bc_export_html); format must not be pdf (a programmer error:
//  use bc_export_render).
char *bc_export_summary(const Baocao__Summary *summary, bc_export_format_t format,
                        const bc_export_opts_t *opts);

//  Renders the status view of one request: a header (citation, subject,
//  deadline, counts) and one line per addressed agency (code, name, latest
//  status, when, timeliness). As json: the Summary reduced to request, ref,
//  compiled_at, counts, agencies and missing_agencies. html and pdf are
//  rendered as text: the status view is for a screen. Same ownership as
//  bc_export_summary.
char *bc_export_status(const Baocao__Summary *summary, bc_export_format_t format,
                       const bc_export_opts_t *opts);

//  Renders a request list: citation, issuing organ, date, deadline,
//  reported/addressed and subject, the subject cut to fit opts->width (or
//  BC_EXPORT_SUBJECT_MAX code points when width is 0). html and pdf are
//  rendered as text. Same ownership.
char *bc_export_request_list(const Baocao__RequestList *list, bc_export_format_t format,
                             const bc_export_opts_t *opts);

//  Vietnamese label of a timeliness: "Đúng hạn", "Trễ hạn", "Chưa báo cáo",
//  "Quá hạn chưa báo cáo" ("" for UNSPECIFIED). Static.
const char *bc_export_timeliness_label(Baocao__Timeliness timeliness);

//  Vietnamese label of a DeliveryStatus name as AgencyStatus.status holds
//  it: "REPORTED" gives "Đã báo cáo", "PENDING" "Chờ gửi"; an unknown name
//  is returned as it is. Borrowed (static or the argument).
const char *bc_export_status_label(const char *status);

//  Display width of UTF-8 text in terminal columns: one per code point,
//  none for combining marks (U+0300..U+036F) and zero-width characters.
size_t bc_export_width(const char *text);

//  A number the Vietnamese way into buf: thousands grouped with '.', at most
//  two decimals after ',' and none when whole ("1.234", "88,5"); "-" when
//  not finite.
void bc_export_number(double value, char *buf, size_t size);

//  part of whole as a percentage with one decimal ("94,4%"); "-" when whole
//  is 0.
void bc_export_percent(uint32_t part, uint32_t whole, char *buf, size_t size);

//  A legal reference as one writes it in a letter: "Chỉ thị số 06/CT-UBND
//  ngày 07/05/2019 của Ủy ban nhân dân tỉnh về ...". Returns a string the
//  caller frees.
char *bc_export_ref_text(const Baocao__LegalRef *ref);

//  The request as cited: "Công văn số 1005/STTTT-TTBCXB ngày 20/11/2026 của
//  Sở Thông tin và Truyền thông". Returns a string the caller frees.
char *bc_export_request_title(const Baocao__Summary *summary);

//  A section's heading as written: "1. Title", "a) Title", "- Title".
//  Returns a string the caller frees ("" when it has neither).
char *bc_export_section_label(const Baocao__Section *section);

//  A copy of text cut to at most width columns, ending in "…" when cut (and
//  never splitting a code point). Returns a string the caller frees.
char *bc_export_truncate(const char *text, size_t width);

#endif
