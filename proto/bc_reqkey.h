//  bc_reqkey - the identity of a request: (issuing organ, date, number/notation)
//
//  Number and notation alone are ambiguous (letters such as 1005/STTTT-TTBCXB
//  carry no year), so a request is named by its issuing organ's code, its
//  promulgation date and its citation, as edXML's DocumentId does. The text
//  form, used on command lines and in logs, is
//      ORGAN,YYYY-MM-DD,NUMBER/[YEAR/]NOTATION
//      000.00.07.H45,2022-08-05,1005/STTTT-TTBCXB
#ifndef BC_REQKEY_H_INCLUDED
#define BC_REQKEY_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#include "baocao/request.pb-c.h"
#include "bc_err.h"
#include "bc_notation.h"

#define BC_AGENCY_CODE_MAX  32          //  bytes of an organ code, with NUL
#define BC_REQKEY_TEXT_MAX  128         //  bytes of the text form, with NUL

typedef struct {
    char issuer[BC_AGENCY_CODE_MAX];    //  organ code of the issuing agency
    uint16_t year;                      //  promulgation date
    uint8_t month;
    uint8_t day;
    uint32_t number;                    //  1005
    uint32_t doc_year;                  //  year inside the citation, 0 if none
    char notation[BC_NOTATION_MAX];     //  canonical, "STTTT-TTBCXB"
} bc_reqkey_t;

//  True when code is a plausible organ code: 1..31 bytes of ASCII letters,
//  digits and dots, starting and ending with a letter or digit.
int bc_agency_code_valid(const char *code);

//  Builds the key of a request from its fields. Errors: BC_EINVAL (issuer
//  code, date, number or notation missing or malformed).
bc_err bc_reqkey_from_request(const Baocao__ReportRequest *req, bc_reqkey_t *key);

//  The same from a RequestRef (as carried by Delivery, Receipt, Report).
bc_err bc_reqkey_from_ref(const Baocao__RequestRef *ref, bc_reqkey_t *key);

//  Points ref (and date, which ref->promulgation_date will point to) at the
//  key's fields: borrowed from key, valid while key lives.
void bc_reqkey_to_ref(const bc_reqkey_t *key, Baocao__RequestRef *ref, Baocao__Date *date);

//  Text form into out ("000.00.07.H45,2022-08-05,1005/STTTT-TTBCXB").
void bc_reqkey_format(const bc_reqkey_t *key, char *out, size_t size);

//  Parses the text form. Errors: BC_EINVAL.
bc_err bc_reqkey_parse(const char *text, bc_reqkey_t *key);

//  The citation alone into out: "1005/STTTT-TTBCXB".
void bc_reqkey_citation(const bc_reqkey_t *key, char *out, size_t size);

//  True when both name the same request.
int bc_reqkey_equal(const bc_reqkey_t *a, const bc_reqkey_t *b);

#endif
