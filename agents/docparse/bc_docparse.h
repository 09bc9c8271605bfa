//  bc_docparse - a department's report document (text) into a Baocao__Report
//
//  This version reads CLEANLY written report text in the official letter
//  layout of Decree 30/2020/NĐ-CP, one paragraph per line, as the demo
//  replies are written. A later version replaces the parser with one for
//  PDF-extracted text (broken lines, page numbers, Roman numerals, sub-items
//  a), b)); the API below is meant to stay.
//
//  Layout understood, line by line (each line trimmed first):
//    header       lines before "Kính gửi:" (or before the first heading):
//                 "Số: 2318/SNV-VP" gives number, year and notation;
//                 "V/v ..." gives the subject; "Quảng Trị, ngày 24 tháng 11
//                 năm 2026" gives place and date. "Kính gửi: X." gives the
//                 recipient's name (no code: the caller knows the agency).
//    preamble     lines between "Kính gửi:" and the first heading; not kept
//                 (the Report has no field for it, and the attachment keeps
//                 the whole text).
//    sections     "N. Title" (N = 1 to 3 digits, a dot, a space) starts a
//                 top-level section; the following non-empty lines up to the
//                 next heading are its body, joined with "\n" ("- " sub-items
//                 stay as written).
//    closing      the line starting "Trên đây" ends the sections.
//    distribution after the line "Nơi nhận:", each line starting with '-' is
//                 an item: the text after the dash, trailing ';' and '.'
//                 removed.
//    signer       the non-empty lines after the list (or, without a list,
//                 after the closing): the last is the name; the leading
//                 lines containing "KT.", "TM.", "TL." or "Q." are the
//                 authority (or else the first line, when it has no
//                 lower-case letter); the lines between make the title,
//                 joined with spaces: "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC / Nguyễn
//                 Văn A"; "GIÁM ĐỐC / Nguyễn Văn A" has no title.
//  Input: a UTF-8 BOM is skipped; CRLF and lone CR count as LF.
#ifndef BC_DOCPARSE_H_INCLUDED
#define BC_DOCPARSE_H_INCLUDED

#include <stddef.h>

#include "baocao/report.pb-c.h"
#include "baocao/request.pb-c.h"
#include "bc_err.h"

#define BC_DOCPARSE_MAX_INPUT   (16u << 20)     //  bytes of text accepted

//  Parses size bytes of text (need not be NUL-terminated) into a new Report.
//  request, when not NULL, is borrowed to match sections to its outline:
//  a section's outline_item is its number when the outline has an item with
//  that number ("01" matches "1"), else "".
//  Only what the text says is filled in: number, year, notation, place,
//  date, subject, recipient name, sections, closing, distribution, signer.
//  The caller sets request, sender, recipient code, indicators, attachments,
//  report_id and created_at.
//  On BC_OK *report_p is the caller's, freed with
//  baocao__report__free_unpacked(report, NULL): every string and array in it
//  is malloc'ed. A text with no recognizable part still gives BC_OK and an
//  almost empty Report (the caller decides whether that is acceptable).
//  Errors (*report_p untouched; why, when not NULL, says what and where in
//  one lowercase line, e.g. "line 3: not UTF-8 text"):
//    BC_EINVAL   empty or blank text, a NUL byte, invalid UTF-8
//    BC_ETOOBIG  over BC_DOCPARSE_MAX_INPUT
//  Pure function: any thread may call it.
bc_err bc_docparse_text(const char *text, size_t size,
                        const Baocao__ReportRequest *request,
                        Baocao__Report **report_p, char *why, size_t why_size);

//  Sets each section's outline_item of report from request's outline, as
//  bc_docparse_text does (request NULL clears them to ""). For a caller that
//  learns the request after parsing. Replaces strings inside report.
void bc_docparse_match_outline(Baocao__Report *report,
                               const Baocao__ReportRequest *request);

#endif
