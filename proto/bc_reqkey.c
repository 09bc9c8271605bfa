//  bc_reqkey - request identity, its text form and RequestRef conversion
#include "bc_reqkey.h"
#include "bc_clock.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
bc_agency_code_valid(const char *code)
{
    if (!code) {
        return 0;
    }
    size_t n = strlen(code);
    if (n == 0 || n >= BC_AGENCY_CODE_MAX) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char) code[i];
        if (!(isalnum(c) || c == '.') || c > 127) {
            return 0;
        }
    }
    return isalnum((unsigned char) code[0]) && isalnum((unsigned char) code[n - 1]);
}

static bc_err
s_fill(const char *issuer, const Baocao__Date *date, uint32_t number, uint32_t doc_year,
       const char *notation, bc_reqkey_t *key)
{
    if (!bc_agency_code_valid(issuer) || !date
        || !bc_clock_date_valid(date->year, date->month, date->day)
        || number == 0 || number > 9999999
        || (doc_year != 0 && (doc_year < 1900 || doc_year > 9999))) {
        return BC_EINVAL;
    }
    bc_reqkey_t k;
    memset(&k, 0, sizeof k);
    if (bc_notation_canonical(notation ? notation : "", k.notation, sizeof k.notation) != BC_OK) {
        return BC_EINVAL;
    }
    snprintf(k.issuer, sizeof k.issuer, "%s", issuer);
    k.year = (uint16_t) date->year;
    k.month = (uint8_t) date->month;
    k.day = (uint8_t) date->day;
    k.number = number;
    k.doc_year = doc_year;
    *key = k;
    return BC_OK;
}

bc_err
bc_reqkey_from_request(const Baocao__ReportRequest *req, bc_reqkey_t *key)
{
    if (!req || !req->issuer) {
        return BC_EINVAL;
    }
    return s_fill(req->issuer->code, req->promulgation_date, req->number, req->year,
                  req->notation, key);
}

bc_err
bc_reqkey_from_ref(const Baocao__RequestRef *ref, bc_reqkey_t *key)
{
    if (!ref) {
        return BC_EINVAL;
    }
    return s_fill(ref->issuer_code, ref->promulgation_date, ref->number, ref->year,
                  ref->notation, key);
}

void
bc_reqkey_to_ref(const bc_reqkey_t *key, Baocao__RequestRef *ref, Baocao__Date *date)
{
    baocao__request_ref__init(ref);
    baocao__date__init(date);
    date->year = key->year;
    date->month = key->month;
    date->day = key->day;
    ref->issuer_code = (char *) key->issuer;
    ref->promulgation_date = date;
    ref->number = key->number;
    ref->year = key->doc_year;
    ref->notation = (char *) key->notation;
}

void
bc_reqkey_citation(const bc_reqkey_t *key, char *out, size_t size)
{
    bc_notation_format(key->number, key->doc_year, key->notation, out, size);
}

void
bc_reqkey_format(const bc_reqkey_t *key, char *out, size_t size)
{
    char citation[BC_REQKEY_TEXT_MAX];
    bc_reqkey_citation(key, citation, sizeof citation);
    snprintf(out, size, "%s,%04u-%02u-%02u,%s", key->issuer, key->year, key->month,
             key->day, citation);
}

bc_err
bc_reqkey_parse(const char *text, bc_reqkey_t *key)
{
    if (!text || strlen(text) >= BC_REQKEY_TEXT_MAX) {
        return BC_EINVAL;
    }
    const char *c1 = strchr(text, ',');
    const char *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
    if (!c1 || !c2 || c2 - c1 != 11) {
        return BC_EINVAL;
    }
    char issuer[BC_AGENCY_CODE_MAX];
    size_t n = (size_t) (c1 - text);
    if (n == 0 || n >= sizeof issuer) {
        return BC_EINVAL;
    }
    memcpy(issuer, text, n);
    issuer[n] = '\0';
    const char *d = c1 + 1;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (d[i] != '-') {
                return BC_EINVAL;
            }
        }
        else if (!isdigit((unsigned char) d[i])) {
            return BC_EINVAL;
        }
    }
    Baocao__Date date = BAOCAO__DATE__INIT;
    date.year = (uint32_t) atoi(d);
    date.month = (uint32_t) atoi(d + 5);
    date.day = (uint32_t) atoi(d + 8);
    bc_notation_t cit;
    if (bc_notation_parse(c2 + 1, &cit) != BC_OK) {
        return BC_EINVAL;
    }
    return s_fill(issuer, &date, cit.number, cit.year, cit.notation, key);
}

int
bc_reqkey_equal(const bc_reqkey_t *a, const bc_reqkey_t *b)
{
    return strcmp(a->issuer, b->issuer) == 0 && a->year == b->year && a->month == b->month
           && a->day == b->day && a->number == b->number && a->doc_year == b->doc_year
           && strcmp(a->notation, b->notation) == 0;
}
