//  bc_text - text normalization into lines, and Unicode helpers over utf8proc
#include "bc_text.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

//  Binary data, not text: more than this many control characters, and more
//  than one in S_CONTROL_RATIO code points. A few strays (a PDF's \x01
//  bullet, a ^L typed by hand) are replaced with spaces instead.
#define S_CONTROL_MIN       8
#define S_CONTROL_RATIO     100
#define S_PAGE_NUMBER_MAX   999

static void
s_why(char *why, size_t why_size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
s_why(char *why, size_t why_size, const char *fmt, ...)
{
    if (!why || why_size == 0) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, why_size, fmt, ap);
    va_end(ap);
}

//  --------------------------------------------------------------------------
//  Unicode helpers

size_t
bc_text_decode(const char *s, int32_t *cp)
{
    if (*s == '\0') {
        *cp = 0;
        return 0;
    }
    if ((unsigned char) *s < 0x80) {
        *cp = (unsigned char) *s;
        return 1;
    }
    utf8proc_int32_t c;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *) s, -1, &c);
    if (n <= 0) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = c;
    return (size_t) n;
}

void
bc_text_put(bc_buf_t *out, int32_t cp)
{
    utf8proc_uint8_t b[4];
    utf8proc_ssize_t n = utf8proc_encode_char(cp, b);
    bc_buf_append(out, b, (size_t) n);
}

int
bc_text_is_upper(int32_t cp)
{
    if (cp < 0x80) {
        return cp >= 'A' && cp <= 'Z';
    }
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

int
bc_text_is_lower(int32_t cp)
{
    if (cp < 0x80) {
        return cp >= 'a' && cp <= 'z';
    }
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

int
bc_text_is_alpha(int32_t cp)
{
    if (cp < 0x80) {
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    }
    utf8proc_category_t c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

int
bc_text_is_alnum(int32_t cp)
{
    if (cp < 0x80) {
        return (cp >= '0' && cp <= '9') || bc_text_is_alpha(cp);
    }
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO)
           || c == UTF8PROC_CATEGORY_ND || c == UTF8PROC_CATEGORY_MN;
}

int32_t
bc_text_to_upper(int32_t cp)
{
    return utf8proc_toupper(cp);
}

int32_t
bc_text_to_lower(int32_t cp)
{
    return utf8proc_tolower(cp);
}

int32_t
bc_text_fold_cp(int32_t cp)
{
    if (cp < 0x80) {
        return cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp;
    }
    utf8proc_int32_t out[8];
    utf8proc_int32_t last = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(
        cp, out, 8, UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK, &last);
    int32_t f = n > 0 ? out[0] : cp;
    //  đ is a letter of its own in Unicode, not d with a mark, so no
    //  decomposition reaches d; people typing without Vietnamese input write
    //  it as d ("Noi nhan", "ND-CP"). ð (eth) is Đ's look-alike.
    if (f == 0x111 || f == 0xF0) {
        f = 'd';
    }
    return f;
}

char *
bc_text_fold(const char *s)
{
    bc_buf_t out;
    bc_buf_init(&out);
    int32_t cp;
    size_t n;
    while ((n = bc_text_decode(s, &cp)) > 0) {
        bc_text_put(&out, bc_text_fold_cp(cp));
        s += n;
    }
    bc_buf_append(&out, "", 0);
    return bc_buf_take(&out);
}

size_t
bc_text_match(const char *s, const char *word)
{
    const char *start = s;
    while (*word) {
        if (*word == ' ') {
            if (*s != ' ') {
                return 0;
            }
            while (*s == ' ') {
                s++;
            }
            word++;
            continue;
        }
        int32_t cp;
        size_t n = bc_text_decode(s, &cp);
        if (n == 0 || bc_text_fold_cp(cp) != (unsigned char) *word) {
            return 0;
        }
        s += n;
        word++;
    }
    return (size_t) (s - start);
}

size_t
bc_text_match_word(const char *s, const char *word)
{
    size_t n = bc_text_match(s, word);
    if (n == 0) {
        return 0;
    }
    int32_t cp;
    bc_text_decode(s + n, &cp);
    return bc_text_is_alnum(cp) ? 0 : n;
}

int
bc_text_all_upper(const char *s)
{
    int upper = 0;
    int32_t cp;
    size_t n;
    while ((n = bc_text_decode(s, &cp)) > 0) {
        if (bc_text_is_lower(cp)) {
            return 0;
        }
        if (bc_text_is_upper(cp)) {
            upper = 1;
        }
        s += n;
    }
    return upper;
}

int
bc_text_starts_upper(const char *s)
{
    int32_t cp;
    return bc_text_decode(s, &cp) > 0 && bc_text_is_upper(cp);
}

int
bc_text_starts_lower(const char *s)
{
    int32_t cp;
    return bc_text_decode(s, &cp) > 0 && bc_text_is_lower(cp);
}

size_t
bc_text_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++) {
        if (((unsigned char) *s & 0xC0) != 0x80) {
            w++;
        }
    }
    return w;
}

char *
bc_text_squeeze(const char *s, size_t len)
{
    char *out = bc_malloc(len + 1);
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == ' ' || s[i] == '\t') {
            space = o > 0;
            continue;
        }
        if (space) {
            out[o++] = ' ';
            space = 0;
        }
        out[o++] = s[i];
    }
    out[o] = '\0';
    return out;
}

size_t
bc_text_columns(const char *line, unsigned indent, bc_text_cell_t *cells, size_t max)
{
    assert(max > 0);
    size_t n = 0;
    unsigned col = indent;
    const char *p = line;
    while (*p && n < max) {
        cells[n].column = col;
        cells[n].text = p;
        const char *end = p;
        const char *q = p;
        unsigned c = col;
        //  Scan to the next gap of BC_TEXT_COLUMN_GAP spaces (or the end).
        for (;;) {
            if (*q == '\0') {
                end = q;
                break;
            }
            if (*q == ' ') {
                const char *r = q;
                while (*r == ' ') {
                    r++;
                }
                if (r - q >= BC_TEXT_COLUMN_GAP && n + 1 < max) {
                    end = q;
                    c += (unsigned) (r - q);
                    q = r;
                    break;
                }
                c += (unsigned) (r - q);
                q = r;
                continue;
            }
            if (((unsigned char) *q & 0xC0) != 0x80) {
                c++;
            }
            q++;
        }
        cells[n].len = (size_t) (end - p);
        n++;
        p = q;
        col = c;
    }
    return n;
}

//  --------------------------------------------------------------------------
//  Lines

//  What a line-level scan found.
typedef struct {
    size_t line;                        //  1-based line of the first fault
    size_t controls;                    //  C0/C1 controls other than \t \n \r \f
    size_t code_points;
    int nul;
    int invalid;
    int blank;                          //  nothing but blanks
} s_scan_t;

static int
s_is_control(int32_t cp)
{
    return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r' && cp != '\f')
           || (cp >= 0x7F && cp <= 0x9F && cp != 0x85);
}

static void
s_scan(const char *data, size_t size, s_scan_t *scan)
{
    memset(scan, 0, sizeof *scan);
    scan->line = 1;
    scan->blank = 1;
    size_t line = 1;
    size_t i = 0;
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *) data;
    while (i < size) {
        unsigned char c = s[i];
        int32_t cp;
        size_t n;
        if (c < 0x80) {
            cp = c;
            n = 1;
        }
        else {
            utf8proc_int32_t u;
            utf8proc_ssize_t r = utf8proc_iterate(s + i, (utf8proc_ssize_t) (size - i), &u);
            if (r <= 0) {
                scan->invalid = 1;
                scan->line = line;
                return;
            }
            cp = u;
            n = (size_t) r;
        }
        if (cp == 0) {
            scan->nul = 1;
            scan->line = line;
            return;
        }
        if (cp == '\n') {
            line++;
        }
        else if (s_is_control(cp)) {
            scan->controls++;
        }
        else if (cp != ' ' && cp != '\t' && cp != '\r' && cp != '\f' && cp != 0xFEFF
                 && utf8proc_category(cp) != UTF8PROC_CATEGORY_ZS) {
            scan->blank = 0;
        }
        scan->code_points++;
        i += n;
    }
}

//  A line that only numbers its page: "2", "- 2 -", "– 2 –", "Trang 2",
//  "Trang 2/5", "2/5". text is trimmed.
static int
s_page_number(const char *text)
{
    const char *p = text;
    size_t n = bc_text_match_word(p, "trang");
    if (n > 0) {
        p += n;
        while (*p == ' ') {
            p++;
        }
    }
    else {
        //  A leading dash: '-', en dash or em dash.
        if (*p == '-') {
            p++;
        }
        else if (strncmp(p, "\xE2\x80\x93", 3) == 0 || strncmp(p, "\xE2\x80\x94", 3) == 0) {
            p += 3;
        }
        while (*p == ' ') {
            p++;
        }
    }
    unsigned value = 0;
    size_t digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 4) {
        value = value * 10 + (unsigned) (*p - '0');
        p++;
        digits++;
    }
    if (digits == 0 || digits > 3 || value == 0 || value > S_PAGE_NUMBER_MAX) {
        return 0;
    }
    while (*p == ' ') {
        p++;
    }
    if (*p == '/') {
        p++;
        while (*p == ' ') {
            p++;
        }
        digits = 0;
        while (*p >= '0' && *p <= '9') {
            p++;
            digits++;
        }
        if (digits == 0 || digits > 3) {
            return 0;
        }
        while (*p == ' ') {
            p++;
        }
    }
    if (*p == '-') {
        p++;
    }
    else if (strncmp(p, "\xE2\x80\x93", 3) == 0 || strncmp(p, "\xE2\x80\x94", 3) == 0) {
        p += 3;
    }
    while (*p == ' ') {
        p++;
    }
    return *p == '\0';
}

//  A rule under the header's organ or motto: three or more of - _ = * and
//  nothing else.
static int
s_rule(const char *text)
{
    size_t n = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '-' || *p == '_' || *p == '=' || *p == '*') {
            n++;
        }
        else if (*p != ' ') {
            return 0;
        }
    }
    return n >= 3;
}

//  The builder's state while cutting the NFC text into lines.
typedef struct {
    bc_text_t *self;
    bc_buf_t buf;                       //  line bytes, NUL-separated
    size_t *offsets;                    //  line text offsets into buf (resolved at the end)
    size_t cap;
    unsigned page;
    unsigned blank;
    int page_break;
    size_t line_start;                  //  offset in buf of the line being built
    unsigned column;                    //  of the line being built
    int overflow;                       //  BC_TEXT_MAX_LINES reached: the rest is dropped
} s_build_t;

static void
s_line_end(s_build_t *b)
{
    bc_text_t *self = b->self;
    char *line = b->buf.data ? b->buf.data + b->line_start : NULL;
    size_t len = b->buf.len - b->line_start;
    while (len > 0 && line[len - 1] == ' ') {
        len--;
    }
    size_t lead = 0;
    while (lead < len && line[lead] == ' ') {
        lead++;
    }
    if (lead == len) {
        b->buf.len = b->line_start;
        b->blank++;
        b->column = 0;
        return;
    }
    b->buf.len = b->line_start + len;
    bc_buf_append(&b->buf, "", 1);              //  the NUL ending this line
    line = b->buf.data + b->line_start;
    const char *text = line + lead;
    if (s_page_number(text) || s_rule(text)) {
        if (s_page_number(text)) {
            self->n_page_numbers++;
            b->page_break = 1;
        }
        b->buf.len = b->line_start;
        b->column = 0;
        return;
    }
    if (self->n_lines >= BC_TEXT_MAX_LINES) {
        //  Memory stays in proportion to what a report can be.
        b->overflow = 1;
        b->buf.len = b->line_start;
        b->column = 0;
        return;
    }
    if (self->n_lines == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 64;
        self->lines = bc_realloc(self->lines, b->cap * sizeof *self->lines);
        b->offsets = bc_realloc(b->offsets, b->cap * sizeof *b->offsets);
    }
    bc_text_line_t *l = &self->lines[self->n_lines];
    memset(l, 0, sizeof *l);
    b->offsets[self->n_lines] = b->line_start + lead;
    l->len = len - lead;
    l->indent = (unsigned) lead;
    l->page = b->page;
    l->blank_before = b->blank;
    l->page_break = b->page_break;
    size_t width = 0;
    int space = 0;
    for (const char *p = text; *p; p++) {
        if (*p == ' ') {
            space = 1;
            continue;
        }
        if (((unsigned char) *p & 0xC0) != 0x80) {
            width += space ? 2 : 1;
            space = 0;
        }
    }
    l->width = width;
    self->n_lines++;
    b->blank = 0;
    b->page_break = 0;
    b->line_start = b->buf.len;
    b->column = 0;
}

static void
s_put_space(s_build_t *b, unsigned count)
{
    for (unsigned i = 0; i < count; i++) {
        bc_buf_append(&b->buf, " ", 1);
    }
    b->column += count;
}

//  Cuts the NFC text into lines (see bc_text_init).
static void
s_build(bc_text_t *self, const char *nfc, size_t len)
{
    s_build_t b;
    memset(&b, 0, sizeof b);
    b.self = self;
    b.page = 1;
    bc_buf_init(&b.buf);
    size_t i = 0;
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *) nfc;
    while (i < len && !b.overflow) {
        int32_t cp;
        size_t n;
        if (s[i] < 0x80) {
            cp = s[i];
            n = 1;
        }
        else {
            utf8proc_int32_t u;
            utf8proc_ssize_t r = utf8proc_iterate(s + i, (utf8proc_ssize_t) (len - i), &u);
            cp = r > 0 ? u : 0xFFFD;
            n = r > 0 ? (size_t) r : 1;
        }
        if (cp == '\n' || cp == 0x85 || cp == 0x2028 || cp == 0x2029) {
            s_line_end(&b);
        }
        else if (cp == '\r') {
            s_line_end(&b);
            if (i + 1 < len && s[i + 1] == '\n') {
                n++;
            }
        }
        else if (cp == '\f') {
            s_line_end(&b);
            b.page++;
            b.page_break = 1;
        }
        else if (cp == '\t') {
            //  A tab reaches the next tab stop and always leaves a column
            //  gap: word processors put tabs between side-by-side blocks.
            unsigned pad = BC_TEXT_TAB_WIDTH - b.column % BC_TEXT_TAB_WIDTH;
            if (pad < BC_TEXT_COLUMN_GAP) {
                pad += BC_TEXT_TAB_WIDTH;
            }
            s_put_space(&b, pad);
        }
        else if (cp == ' ' || (cp >= 0x80 && utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS)) {
            s_put_space(&b, 1);
        }
        else if (s_is_control(cp)) {
            self->n_controls++;
            s_put_space(&b, 1);
        }
        else if (cp >= 0x80 && utf8proc_category(cp) == UTF8PROC_CATEGORY_CF) {
            //  Zero-width spaces, soft hyphens, BOMs, direction marks:
            //  invisible in print, noise in text.
        }
        else if (cp == 0xD0 || cp == 0xF0) {
            //  Ð/ð (eth) never occur in Vietnamese: they are Đ/đ typed
            //  with the wrong key or converted from a legacy font.
            bc_text_put(&b.buf, cp == 0xD0 ? 0x110 : 0x111);
            b.column++;
        }
        else {
            bc_buf_append(&b.buf, nfc + i, n);
            b.column++;
        }
        i += n;
    }
    s_line_end(&b);

    self->buf = bc_buf_take(&b.buf);
    for (size_t k = 0; k < self->n_lines; k++) {
        self->lines[k].text = self->buf + b.offsets[k];
    }
    free(b.offsets);
    self->n_pages = b.page;
    self->truncated = b.overflow;

    //  pdftotext (and copy-paste from some viewers) puts a blank line after
    //  every line: then blank lines carry no paragraph meaning.
    size_t single = 0;
    for (size_t k = 1; k < self->n_lines; k++) {
        if (self->lines[k].blank_before == 1) {
            single++;
        }
    }
    self->double_spaced = self->n_lines >= 6 && single * 10 >= (self->n_lines - 1) * 6;
}

bc_err
bc_text_init(bc_text_t *self, const char *data, size_t size, char *why, size_t why_size)
{
    assert(self);
    assert(data || size == 0);
    if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        size -= 3;
    }
    s_scan_t scan;
    s_scan(data ? data : "", size, &scan);
    if (scan.nul) {
        s_why(why, why_size, "line %zu: NUL byte in text", scan.line);
        return BC_EINVAL;
    }
    if (scan.invalid) {
        s_why(why, why_size, "line %zu: not UTF-8 text (a legacy encoding such as TCVN3 "
              "or Windows-1258?)", scan.line);
        return BC_EINVAL;
    }
    if (scan.controls > S_CONTROL_MIN && scan.controls * S_CONTROL_RATIO > scan.code_points) {
        s_why(why, why_size, "binary data, not a text document (%zu control characters)",
              scan.controls);
        return BC_EINVAL;
    }
    if (scan.blank) {
        s_why(why, why_size, "empty document");
        return BC_EINVAL;
    }

    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t len = utf8proc_map((const utf8proc_uint8_t *) data,
                                        (utf8proc_ssize_t) size, &nfc,
                                        UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (len < 0) {
        s_why(why, why_size, "cannot normalize the text: %s", utf8proc_errmsg(len));
        return len == UTF8PROC_ERROR_NOMEM ? BC_ENOMEM : BC_EINVAL;
    }
    bc_text_t out;
    memset(&out, 0, sizeof out);
    s_build(&out, (const char *) nfc, (size_t) len);
    free(nfc);
    if (out.truncated) {
        bc_text_release(&out);
        s_why(why, why_size, "more than %u lines", BC_TEXT_MAX_LINES);
        return BC_ETOOBIG;
    }
    if (out.n_lines == 0) {
        //  Only invisible characters, rules or page numbers.
        bc_text_release(&out);
        s_why(why, why_size, "empty document");
        return BC_EINVAL;
    }
    *self = out;
    return BC_OK;
}

void
bc_text_release(bc_text_t *self)
{
    if (!self) {
        return;
    }
    free(self->buf);
    free(self->lines);
    memset(self, 0, sizeof *self);
}
