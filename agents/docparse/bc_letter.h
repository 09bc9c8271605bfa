//  bc_letter - the frame of an official letter (Decree 30/2020/NĐ-CP): header, addressees, tail
//
//  Header, upper left: the parent organ and the issuing organ in capitals
//  ("ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ" / "SỞ Y TẾ"), "Số: 2031/SYT-VP", the
//  subject "V/v ..." (maybe wrapped); upper right: the national motto and
//  "Quảng Trị, ngày 16 tháng 8 năm 2022". A report in the "BÁO CÁO" form
//  has a centred title and its subject below it instead of "V/v". The two
//  columns come out side by side (pdftotext -layout: one page line holds
//  both, far apart) or one after the other, in either order (plain
//  extraction): every header line is recognized by what it says, so the
//  order does not matter; side by side, the cells are cut apart first.
//  Then "Kính gửi:" and the addressees (one, or a list of "- ..." items).
//  Tail: "Nơi nhận:" and its "- ..." items, and the signer block (KT./TM./
//  TL./Q. authority, title, name), either after the list, before it, or
//  in a second column beside it.
//  Digital-signature stamps ("Ký bởi:", "Thời gian ký:") are skipped.
//  Every function fills fields of a Report the caller owns.
#ifndef BC_LETTER_H_INCLUDED
#define BC_LETTER_H_INCLUDED

#include <stddef.h>

#include "baocao/report.pb-c.h"
#include "baocao/request.pb-c.h"
#include "bc_para.h"
#include "bc_text.h"

#define BC_LETTER_MAX_ITEMS     64      //  addressees or distribution items kept
#define BC_LETTER_MAX_SIGNER    8       //  lines of a signer block

//  --- what a line says (squeezed text) ---------------------------------------

//  "Kính gửi:" / "Kinh gui :" at the start; returns the bytes up to and
//  including the colon, else 0.
size_t bc_letter_kinh_gui(const char *text);

//  "Nơi nhận:" (colon optional) at the start; returns its bytes, else 0.
size_t bc_letter_noi_nhan(const char *text);

//  True when text carries a signing authority: "KT.", "TM.", "TL.", "Q.",
//  "THỪA LỆNH", "THAY MẶT", "KÝ THAY", "QUYỀN" as a word.
int bc_letter_authority(const char *text);

//  True when text is a digital-signature stamp or a signature note:
//  "Ký bởi: ...", "Thời gian ký: ...", "(Đã ký)", "(Ký, đóng dấu)".
int bc_letter_stamp(const char *text);

//  True when text starts a dash item: '-', '–', '—', '+', '•' then a space.
int bc_letter_item(const char *text);

//  --- the parts --------------------------------------------------------------

//  Reads the header in lines [from, limit) of text. With whole set the
//  header is all of that range (the "Kính gửi:" line follows it); else it
//  ends at the first line that is no header line. Sets in report: number,
//  year, notation ("Số:"), place and date, subject, and sender->name (the
//  issuing organ's proper name: the matching name among request's issuer
//  and recipients, compared without case and marks, else the capitals
//  re-cased by the naming rules: "SỞ KẾ HOẠCH VÀ ĐẦU TƯ" -> "Sở Kế hoạch
//  và Đầu tư"). request may be NULL. Returns the first line after the
//  header (from when there is none).
size_t bc_letter_header(const bc_text_t *text, char **squeezed, size_t from, size_t limit,
                        int whole, const Baocao__ReportRequest *request,
                        Baocao__Report *report);

//  Reads the addressees from line at ("Kính gửi:" line) on: the text after
//  the label and the "- ..." items below it. Sets report->recipient (the
//  first) and report->addressees. Returns the first line after them.
size_t bc_letter_addressees(const bc_text_t *text, char **squeezed, size_t at, size_t limit,
                            Baocao__Report *report);

//  Where a signer block standing at the end of lines [from, to) starts:
//  a name line preceded by capital or authority lines. Returns to when
//  there is none.
size_t bc_letter_signer_start(const bc_text_t *text, char **squeezed, size_t from, size_t to);

//  Reads the tail: the signer lines [signer_from, at) found before the
//  list (maybe none), then from line at ("Nơi nhận:", or to when there is
//  no list) to to: the distribution items in the left column, the signer
//  in the right column or after the list (lines after the list win over
//  lines before it). Sets report->distribution and report->signer.
void bc_letter_tail(const bc_text_t *text, char **squeezed, size_t signer_from, size_t at,
                    size_t to, Baocao__Report *report);

#endif
