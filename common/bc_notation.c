//  bc_notation - parse, canonicalize and format document citations
#include "bc_notation.h"

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

//  Đ (U+0110) in UTF-8. Only this one non-ASCII letter appears in notations;
//  decoding UTF-8 in general would let in look-alikes we cannot compare.
#define S_DD        "\xC4\x90"

#define S_NUMBER_MAX    9999999u
#define S_YEAR_MIN      1900u
#define S_YEAR_MAX      9999u

static bool
s_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool
s_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool
s_alnum(char c)
{
    return s_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static const char *
s_skip_blanks(const char *p)
{
    while (s_blank(*p)) {
        p++;
    }
    return p;
}

bc_err
bc_notation_canonical(const char *text, char *out, size_t size)
{
    assert(text);
    assert(out);

    //  Built aside so out is written only on success.
    char buf[BC_NOTATION_MAX];
    size_t len = 0;
    bool first = true;
    const char *p = text;
    for (;;) {
        p = s_skip_blanks(p);
        size_t seg = len;
        while (*p && *p != '-' && !s_blank(*p)) {
            const unsigned char c = (unsigned char) *p;
            size_t need;
            if (s_alnum(*p)) {
                need = 1;
            }
            else if ((c == 0xC4 && ((unsigned char) p[1] == 0x90 || (unsigned char) p[1] == 0x91))
                     || (c == 0xC3 && (unsigned char) p[1] == 0x90)) {
                //  đ is folded to Đ and the Icelandic eth Ð to Đ: they look
                //  alike in print and get typed for each other.
                need = 2;
            }
            else {
                return BC_EINVAL;
            }
            if (len + need >= sizeof buf) {
                return BC_EINVAL;
            }
            if (need == 1) {
                buf[len++] = *p;
            }
            else {
                memcpy(buf + len, S_DD, 2);
                len += 2;
            }
            p += need;
        }
        if (len == seg) {
            return BC_EINVAL;
        }
        //  Keyboards without Vietnamese input write Nghị định and Quyết định
        //  as ND and QD; only the whole first segment is the document type.
        if (first && len == 2 && (memcmp(buf, "ND", 2) == 0 || memcmp(buf, "QD", 2) == 0)) {
            memcpy(buf + 1, S_DD, 2);
            len = 3;
        }
        first = false;
        p = s_skip_blanks(p);
        if (*p == '\0') {
            break;
        }
        if (*p != '-') {
            return BC_EINVAL;           //  a blank inside a segment
        }
        if (len + 1 >= sizeof buf) {
            return BC_EINVAL;
        }
        buf[len++] = '-';
        p++;
    }
    if (len + 1 > size) {
        return BC_EINVAL;
    }
    memcpy(out, buf, len);
    out[len] = '\0';
    return BC_OK;
}

//  Reads an unsigned decimal of at least one digit, failing once it passes
//  max so a long run of digits cannot overflow.
static const char *
s_number(const char *p, uint32_t max, uint32_t *value_p)
{
    if (!s_digit(*p)) {
        return NULL;
    }
    uint32_t value = 0;
    while (s_digit(*p)) {
        value = value * 10 + (uint32_t) (*p - '0');
        if (value > max) {
            return NULL;
        }
        p++;
    }
    *value_p = value;
    return p;
}

static bool
s_has_letter(const char *notation)
{
    for (const char *p = notation; *p; p++) {
        if (!s_digit(*p) && *p != '-') {
            return true;                //  ASCII letter or the lead byte of Đ
        }
    }
    return false;
}

bc_err
bc_notation_parse(const char *text, bc_notation_t *out)
{
    assert(text);
    assert(out);

    bc_notation_t result = { 0 };
    const char *p = s_number(s_skip_blanks(text), S_NUMBER_MAX, &result.number);
    if (!p || result.number == 0) {
        return BC_EINVAL;
    }
    p = s_skip_blanks(p);
    if (*p != '/') {
        return BC_EINVAL;
    }
    p = s_skip_blanks(p + 1);

    //  A year is exactly four digits followed by another '/'. Anything else
    //  is the notation, which cannot hold a '/', so "12/123/CT" fails in
    //  bc_notation_canonical rather than being read some other way.
    const char *q = p;
    while (s_digit(*q)) {
        q++;
    }
    const char *after = s_skip_blanks(q);
    if (q - p == 4 && *after == '/') {
        uint32_t year = 0;
        s_number(p, S_YEAR_MAX, &year);
        if (year < S_YEAR_MIN) {
            return BC_EINVAL;
        }
        result.year = year;
        p = after + 1;
    }
    bc_err rc = bc_notation_canonical(p, result.notation, sizeof result.notation);
    if (rc != BC_OK) {
        return rc;
    }
    //  Every real notation names an issuer in letters. An all-digit one is a
    //  citation missing its notation ("12/2017"), not notation "2017".
    if (!s_has_letter(result.notation)) {
        return BC_EINVAL;
    }
    *out = result;
    return BC_OK;
}

static void
s_format(uint32_t number, uint32_t year, const char *notation, char sep,
         char *out, size_t size)
{
    assert(notation);
    assert(out || size == 0);

    //  Numbers under 10 take a leading zero (Decree 30/2020/NĐ-CP, App. I).
    int n;
    if (year) {
        n = snprintf(out, size, "%02u%c%u%c%s", (unsigned) number, sep, (unsigned) year, sep,
                     notation);
    }
    else {
        n = snprintf(out, size, "%02u%c%s", (unsigned) number, sep, notation);
    }
    //  A cut through the middle of Đ would leave a stray lead byte, which is
    //  invalid UTF-8 for whoever prints or stores the result.
    if (size > 1 && n >= 0 && (size_t) n >= size && (unsigned char) out[size - 2] == 0xC4) {
        out[size - 2] = '\0';
    }
}

void
bc_notation_format(uint32_t number, uint32_t year, const char *notation,
                   char *out, size_t size)
{
    s_format(number, year, notation, '/', out, size);
}

void
bc_notation_folder(uint32_t number, uint32_t year, const char *notation,
                   char *out, size_t size)
{
    s_format(number, year, notation, '-', out, size);
}
