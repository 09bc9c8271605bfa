//  bc_docparse - a department's report document (text or PDF) into a Baocao__Report
//
//  Departments answer a request with an official letter in the layout of
//  Decree 30/2020/NĐ-CP, typed in a word processor and signed as PDF. This
//  library reads that letter, from its text or from the PDF's text layer,
//  whichever form it comes in (content sniffing, not the file name), into
//  the Report message:
//    header      issuing organ (sender.name, its proper name), number, year
//                and notation ("Số: 2031/SYT-VP"), place and date (both
//                "ngày 16 tháng 8 năm 2022" and "ngày 05/8/2022"), subject
//                ("V/v ...", or the subject under a "BÁO CÁO" title), when
//                the header's two columns come out side by side or one
//                after the other (bc_letter.h);
//    addressees  "Kính gửi:" one name or a "- ..." list (addressees; the
//                first also in recipient, names only);
//    answers     the letter this report answers, as the text before the
//                first section cites it ("Thực hiện Văn bản số ... ngày ...
//                của ..."): the request's own citation when a request is
//                given, else the first citation after "Thực hiện", "Phúc
//                đáp", "nhận được"..., else the first letter cited;
//    sections    numbered and nested: Roman, Arabic, decimal, letters;
//                wrapped headings joined; paragraphs rebuilt; dash bullets
//                kept in bodies (bc_body.h); each linked to the request's
//                outline item it answers (bc_outline.h);
//    legal_refs  every document cited anywhere, in order of first
//                citation, duplicates merged (bc_legal.h);
//    closing     the "Trên đây ..." paragraph;
//    distribution and signer (authority, title, name), also when the
//                signer stands in a column beside the "Nơi nhận:" list.
//  Robust to what PDF extraction and editors leave behind (bc_text.h):
//  page numbers, form feeds, blank lines and page breaks in mid-sentence,
//  notations cut after a hyphen, CRLF, BOM, NFD, tabs and runs of spaces,
//  Ð for Đ, ASCII fallbacks (ND-CP, "Noi nhan"). Every string of the
//  result is NFC UTF-8.
//  The caller sets request, sender code, recipient code, indicators,
//  attachments (the original bytes and their SHA-256), report_id and
//  created_at. Every function here is pure: any thread may call it.
#ifndef BC_DOCPARSE_H_INCLUDED
#define BC_DOCPARSE_H_INCLUDED

#include <stddef.h>

#include "baocao/report.pb-c.h"
#include "baocao/request.pb-c.h"
#include "bc_alloc.h"
#include "bc_err.h"

#define BC_DOCPARSE_MAX_INPUT   (16u << 20)     //  bytes of text accepted
#define BC_DOCPARSE_MAX_FILE    (32u << 20)     //  bytes of a file (text or PDF) accepted
#define BC_DOCPARSE_MEDIA_TEXT  "text/plain; charset=utf-8"
#define BC_DOCPARSE_MEDIA_PDF   "application/pdf"

//  Parses size bytes of text (need not be NUL-terminated) into a new Report.
//  request, when not NULL, is borrowed to link sections to its outline and
//  to recognize its own citation and agency names.
//  On BC_OK *report_p is the caller's, freed with
//  baocao__report__free_unpacked(report, NULL): every string and array in it
//  is malloc'ed. A text with no recognizable part still gives BC_OK (its
//  text as one unnumbered section); the caller decides what is acceptable.
//  Errors (*report_p untouched; why, when not NULL, says what and where in
//  one lowercase line, e.g. "line 3: not UTF-8 text"):
//    BC_EINVAL   empty or blank text, a NUL byte, invalid UTF-8, binary data
//    BC_ETOOBIG  over BC_DOCPARSE_MAX_INPUT (checked before reading a byte)
//    BC_ENOMEM   the Unicode library could not allocate
bc_err bc_docparse_text(const char *text, size_t size,
                        const Baocao__ReportRequest *request,
                        Baocao__Report **report_p, char *why, size_t why_size);

//  As bc_docparse_text, and on BC_OK appends to warnings (when not NULL)
//  one line per doubt about the result: control characters replaced, no
//  header, no numbered section, no signer.
bc_err bc_docparse_text_warn(const char *text, size_t size,
                             const Baocao__ReportRequest *request,
                             Baocao__Report **report_p, bc_buf_t *warnings,
                             char *why, size_t why_size);

//  Parses size bytes of a document, a PDF (its text layer, see bc_pdf.h)
//  or text, told apart by content. On BC_OK *media_type_p (when not NULL)
//  is BC_DOCPARSE_MEDIA_PDF or BC_DOCPARSE_MEDIA_TEXT (static strings).
//  Borrows data. Errors: those of bc_docparse_text, plus for a PDF:
//    BC_EINVAL   damaged PDF, or no text layer (scanned)
//    BC_EDENIED  encrypted PDF that needs a password
//    BC_ETOOBIG  over BC_DOCPARSE_MAX_FILE, or its text over the limit
bc_err bc_docparse_data(const void *data, size_t size,
                        const Baocao__ReportRequest *request,
                        Baocao__Report **report_p, const char **media_type_p,
                        bc_buf_t *warnings, char *why, size_t why_size);

//  Reads the file at path (at most BC_DOCPARSE_MAX_FILE bytes, a regular
//  file) and parses it as bc_docparse_data does. Errors: those of
//  bc_docparse_data, plus BC_ENOTFOUND, BC_EDENIED (no permission),
//  BC_EIO, and BC_EINVAL for what is not a regular file.
bc_err bc_docparse_file(const char *path, const Baocao__ReportRequest *request,
                        Baocao__Report **report_p, const char **media_type_p,
                        bc_buf_t *warnings, char *why, size_t why_size);

//  Sets each section's (and sub-section's) outline_item from request's
//  outline as the parse does (bc_outline.h; request NULL clears them to "").
//  For a caller that learns the request after parsing. Replaces strings
//  inside report.
void bc_docparse_match_outline(Baocao__Report *report,
                               const Baocao__ReportRequest *request);

#endif
