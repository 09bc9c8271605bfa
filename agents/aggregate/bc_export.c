//  bc_export - renders summaries, status views and request lists for people
#include "bc_export.h"
#include "bc_alloc.h"
#include "bc_clock.h"
#include "bc_export_html.h"
#include "bc_export_pdf.h"
#include "bc_json.h"
#include "bc_notation.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_GAP       "  "                //  between text columns
#define S_INDENT    3                   //  columns per nesting level in text

//  --------------------------------------------------------------------------
//  UTF-8 and display width

//  Decodes one code point at p (not at its NUL); returns the bytes used.
//  An invalid byte decodes as U+FFFD, one byte long.
static size_t
s_decode(const char *text, uint32_t *cp_p)
{
    const unsigned char *p = (const unsigned char *) text;
    if (p[0] < 0x80) {
        *cp_p = p[0];
        return 1;
    }
    if (p[0] >= 0xC2 && p[0] < 0xE0 && (p[1] & 0xC0) == 0x80) {
        *cp_p = ((uint32_t) (p[0] & 0x1F) << 6) | (p[1] & 0x3F);
        return 2;
    }
    if (p[0] >= 0xE0 && p[0] < 0xF0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
        *cp_p = ((uint32_t) (p[0] & 0x0F) << 12) | ((uint32_t) (p[1] & 0x3F) << 6)
                | (p[2] & 0x3F);
        return 3;
    }
    if (p[0] >= 0xF0 && p[0] < 0xF5 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80
        && (p[3] & 0xC0) == 0x80) {
        *cp_p = ((uint32_t) (p[0] & 0x07) << 18) | ((uint32_t) (p[1] & 0x3F) << 12)
                | ((uint32_t) (p[2] & 0x3F) << 6) | (p[3] & 0x3F);
        return 4;
    }
    *cp_p = 0xFFFD;
    return 1;
}

static int
s_zero_width(uint32_t cp)
{
    return (cp >= 0x0300 && cp <= 0x036F)       //  combining diacritics (NFD text)
           || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF)
           || (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F)
           || (cp >= 0x200B && cp <= 0x200F) || cp == 0xFEFF;
}

size_t
bc_export_width(const char *text)
{
    size_t width = 0;
    if (!text) {
        return 0;
    }
    while (*text) {
        uint32_t cp;
        text += s_decode(text, &cp);
        width += s_zero_width(cp) ? 0 : 1;
    }
    return width;
}

char *
bc_export_truncate(const char *text, size_t width)
{
    if (!text) {
        text = "";
    }
    if (bc_export_width(text) <= width) {
        return bc_strdup(text);
    }
    if (width == 0) {
        return bc_strdup("");
    }
    //  Keep width - 1 columns, plus the marks that combine with the last kept
    //  character, then the ellipsis.
    const char *p = text;
    size_t used = 0;
    while (*p) {
        uint32_t cp;
        size_t n = s_decode(p, &cp);
        if (!s_zero_width(cp)) {
            if (used == width - 1) {
                break;
            }
            used++;
        }
        p += n;
    }
    bc_buf_t out;
    bc_buf_init(&out);
    bc_buf_append(&out, text, (size_t) (p - text));
    bc_buf_puts(&out, "…");
    return bc_buf_take(&out);
}

//  A copy with every run of blanks (including newlines and tabs) turned
//  into one space and no blanks at the ends: for one-line cells.
static char *
s_flat(const char *text)
{
    bc_buf_t out;
    bc_buf_init(&out);
    int blank = 0;
    for (const char *p = text ? text : ""; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            blank = 1;
            continue;
        }
        if (blank && out.len) {
            bc_buf_append(&out, " ", 1);
        }
        blank = 0;
        bc_buf_append(&out, p, 1);
    }
    return bc_buf_take(&out);
}

static void
s_spaces(bc_buf_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bc_buf_append(out, " ", 1);
    }
}

//  Appends text padded with spaces to width columns (left-aligned), or
//  preceded by them (right-aligned).
static void
s_pad(bc_buf_t *out, const char *text, size_t width, int right)
{
    size_t w = bc_export_width(text);
    if (right) {
        s_spaces(out, w < width ? width - w : 0);
    }
    bc_buf_puts(out, text);
    if (!right) {
        s_spaces(out, w < width ? width - w : 0);
    }
}

static int
s_empty(const char *text)
{
    return !text || !*text;
}

static const char *
s_or(const char *text, const char *fallback)
{
    return s_empty(text) ? fallback : text;
}

//  --------------------------------------------------------------------------
//  Numbers, dates, labels

//  Groups the digits of an unsigned decimal string with '.' every three.
static void
s_group(bc_buf_t *out, const char *digits)
{
    size_t n = strlen(digits);
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) {
            bc_buf_append(out, ".", 1);
        }
        bc_buf_append(out, &digits[i], 1);
    }
}

//  Vietnamese number: 1.234 and 88,5 (at most two decimals, none when whole).
void
bc_export_number(double value, char *buf, size_t size)
{
    if (!isfinite(value)) {
        snprintf(buf, size, "-");
        return;
    }
    char raw[64];
    snprintf(raw, sizeof raw, "%.2f", fabs(value));
    char *dot = strchr(raw, '.');
    char *frac = NULL;
    if (dot) {
        *dot = '\0';
        frac = dot + 1;
        size_t n = strlen(frac);
        while (n && frac[n - 1] == '0') {
            frac[--n] = '\0';
        }
    }
    bc_buf_t out;
    bc_buf_init(&out);
    int negative = value < 0 && (strcmp(raw, "0") != 0 || (frac && *frac));
    if (negative) {
        bc_buf_append(&out, "-", 1);
    }
    s_group(&out, raw);
    if (frac && *frac) {
        bc_buf_printf(&out, ",%s", frac);
    }
    snprintf(buf, size, "%s", out.data);
    bc_buf_release(&out);
}

void
bc_export_percent(uint32_t part, uint32_t whole, char *buf, size_t size)
{
    if (!whole) {
        snprintf(buf, size, "-");
        return;
    }
    char num[32];
    bc_export_number(round(1000.0 * part / whole) / 10.0, num, sizeof num);
    snprintf(buf, size, "%s%%", num);
}

static void
s_time(const Baocao__Timestamp *ts, char *buf, size_t size)
{
    if (!ts || !ts->unix_ms) {
        snprintf(buf, size, "%s", "");
        return;
    }
    bc_clock_format_local(ts->unix_ms, buf, size);
}

static void
s_date(const Baocao__Date *date, char *buf, size_t size)
{
    if (!date || !date->year) {
        snprintf(buf, size, "%s", "");
        return;
    }
    snprintf(buf, size, "%02u/%02u/%04u", date->day, date->month, date->year);
}

static void
s_citation(const Baocao__RequestRef *ref, char *buf, size_t size)
{
    if (!ref || !ref->number) {
        snprintf(buf, size, "%s", "");
        return;
    }
    bc_notation_format(ref->number, ref->year, ref->notation ? ref->notation : "", buf, size);
}

const char *
bc_export_timeliness_label(Baocao__Timeliness timeliness)
{
    switch (timeliness) {
    case BAOCAO__TIMELINESS__ON_TIME:           return "Đúng hạn";
    case BAOCAO__TIMELINESS__LATE:              return "Trễ hạn";
    case BAOCAO__TIMELINESS__MISSING:           return "Chưa báo cáo";
    case BAOCAO__TIMELINESS__OVERDUE_MISSING:   return "Quá hạn chưa báo cáo";
    default:                                    return "";
    }
}

const char *
bc_export_status_label(const char *status)
{
    static const struct {
        const char *name;
        const char *label;
    } labels[] = {
        { "PENDING", "Chờ gửi" },
        { "SENT", "Đã gửi" },
        { "ARRIVED", "Đã đến" },
        { "REJECTED", "Từ chối" },
        { "ACCEPTED", "Đã tiếp nhận" },
        { "ASSIGNED", "Đã phân công" },
        { "PROCESSING", "Đang xử lý" },
        { "COMPLETED", "Hoàn thành" },
        { "REPORTED", "Đã báo cáo" },
        { "OVERDUE", "Quá hạn" },
        { "REMINDED", "Đã nhắc" },
    };
    if (!status) {
        return "";
    }
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        if (strcmp(labels[i].name, status) == 0) {
            return labels[i].label;
        }
    }
    return status;
}

static const char *
s_aggregation_label(Baocao__Aggregation aggregation)
{
    switch (aggregation) {
    case BAOCAO__AGGREGATION__AVERAGE:  return "Trung bình";
    case BAOCAO__AGGREGATION__MIN:      return "Nhỏ nhất";
    case BAOCAO__AGGREGATION__MAX:      return "Lớn nhất";
    default:                            return "Tổng";
    }
}

bc_err
bc_export_format_parse(const char *name, bc_export_format_t *format_p)
{
    if (!name) {
        return BC_EINVAL;
    }
    if (strcmp(name, "text") == 0) {
        *format_p = BC_EXPORT_TEXT;
    }
    else if (strcmp(name, "md") == 0 || strcmp(name, "markdown") == 0) {
        *format_p = BC_EXPORT_MD;
    }
    else if (strcmp(name, "json") == 0) {
        *format_p = BC_EXPORT_JSON;
    }
    else if (strcmp(name, "html") == 0) {
        *format_p = BC_EXPORT_HTML;
    }
    else if (strcmp(name, "pdf") == 0) {
        *format_p = BC_EXPORT_PDF;
    }
    else {
        return BC_EINVAL;
    }
    return BC_OK;
}

int
bc_export_format_binary(bc_export_format_t format)
{
    return format == BC_EXPORT_PDF;
}

//  "Công văn số 1005/STTTT-TTBCXB ngày 20/11/2026 của Sở Thông tin và Truyền thông"
static void
s_request_title(bc_buf_t *out, const Baocao__Summary *s)
{
    const Baocao__ReportRequest *req = s->request;
    char citation[BC_NOTATION_MAX + 32];
    s_citation(s->ref, citation, sizeof citation);
    char date[40];
    s_date(s->ref ? s->ref->promulgation_date : NULL, date, sizeof date);
    bc_buf_printf(out, "%s số %s", s_or(req ? req->document_type : NULL, "Văn bản"), citation);
    if (*date) {
        bc_buf_printf(out, " ngày %s", date);
    }
    if (req && req->issuer && !s_empty(req->issuer->name)) {
        bc_buf_printf(out, " của %s", req->issuer->name);
    }
    else if (s->ref && !s_empty(s->ref->issuer_code)) {
        bc_buf_printf(out, " của %s", s->ref->issuer_code);
    }
}

//  True when text starts with a lowercase letter (ASCII or Vietnamese), as
//  "về ..." and "quy định ..." do.
static int
s_starts_lower(const char *text)
{
    uint32_t cp;
    s_decode(text, &cp);
    if (cp < 0x80) {
        return cp >= 'a' && cp <= 'z';
    }
    return (cp >= 0xDF && cp <= 0xFF && cp != 0xF7) || cp == 0x103 || cp == 0x111
           || cp == 0x129 || cp == 0x169 || cp == 0x1A1 || cp == 0x1B0
           || (cp >= 0x1EA1 && cp <= 0x1EF9 && cp % 2 == 1);
}

//  A legal reference as one would write it in a letter.
static void
s_ref_text(bc_buf_t *out, const Baocao__LegalRef *ref)
{
    char date[40];
    s_date(ref->date, date, sizeof date);
    if (ref->number) {
        char cit[BC_NOTATION_MAX + 32];
        bc_notation_format(ref->number, ref->year, ref->notation ? ref->notation : "", cit,
                           sizeof cit);
        bc_buf_printf(out, "%s số %s", s_or(ref->kind, "Văn bản"), cit);
    }
    else {
        const char *kind = s_or(ref->kind, "");
        const char *title = s_or(ref->title, "");
        if (*kind && strncmp(title, kind, strlen(kind)) != 0) {
            bc_buf_printf(out, "%s%s%s", kind, *title ? " " : "", title);
        }
        else {
            bc_buf_puts(out, *title ? title : kind);
        }
    }
    if (*date) {
        bc_buf_printf(out, " ngày %s", date);
    }
    if (!s_empty(ref->issuer)) {
        bc_buf_printf(out, " của %s", ref->issuer);
    }
    if (ref->number && !s_empty(ref->title)) {
        //  "về ..." continues the sentence; a name stands in brackets.
        if (s_starts_lower(ref->title)) {
            bc_buf_printf(out, " %s", ref->title);
        }
        else {
            bc_buf_printf(out, " (%s)", ref->title);
        }
    }
}

//  The label of a section heading: "1. Title", "a) Title", "- Title".
static void
s_section_label(bc_buf_t *out, const Baocao__Section *sec)
{
    const char *number = s_or(sec->number, "");
    const char *title = s_or(sec->title, "");
    size_t n = strlen(number);
    if (n == 0) {
        bc_buf_puts(out, title);
        return;
    }
    if (strcmp(number, "-") == 0 || strcmp(number, "+") == 0 || number[n - 1] == '.'
        || number[n - 1] == ')') {
        bc_buf_printf(out, "%s%s%s", number, *title ? " " : "", title);
    }
    else if (n == 1 && number[0] >= 'a' && number[0] <= 'z') {
        bc_buf_printf(out, "%s)%s%s", number, *title ? " " : "", title);
    }
    else {
        bc_buf_printf(out, "%s.%s%s", number, *title ? " " : "", title);
    }
}

char *
bc_export_ref_text(const Baocao__LegalRef *ref)
{
    assert(ref);
    bc_buf_t out;
    bc_buf_init(&out);
    s_ref_text(&out, ref);
    return bc_buf_take(&out);
}

char *
bc_export_request_title(const Baocao__Summary *summary)
{
    assert(summary);
    bc_buf_t out;
    bc_buf_init(&out);
    s_request_title(&out, summary);
    return bc_buf_take(&out);
}

char *
bc_export_section_label(const Baocao__Section *section)
{
    assert(section);
    bc_buf_t out;
    bc_buf_init(&out);
    s_section_label(&out, section);
    return bc_buf_take(&out);
}

//  The status of agency code in the summary, or NULL.
static const Baocao__AgencyStatus *
s_status_of(const Baocao__Summary *s, const char *code)
{
    for (size_t i = 0; i < s->n_agencies; i++) {
        const Baocao__AgencyStatus *st = s->agencies[i];
        if (st->agency && code && st->agency->code && strcmp(st->agency->code, code) == 0) {
            return st;
        }
    }
    return NULL;
}

static const char *
s_agency_name(const Baocao__Agency *agency)
{
    if (!agency) {
        return "";
    }
    return s_or(agency->name, s_or(agency->code, ""));
}

//  --------------------------------------------------------------------------
//  Tables: cells kept as flat strings, then laid out as text or Markdown

typedef struct {
    const char *head;                   //  column heading
    int right;                          //  right-aligned (numbers)
    size_t max;                         //  widest cell in columns; 0 = any
    int flex;                           //  shrinks first when the line is too long
} s_col_t;

typedef struct {
    const s_col_t *cols;                //  borrowed column specs
    size_t n_cols;
    char **cells;                       //  n_rows * n_cols, owned, flat
    size_t n_rows;
    size_t cap_rows;
} s_table_t;

static void
s_table_init(s_table_t *self, const s_col_t *cols, size_t n_cols)
{
    memset(self, 0, sizeof *self);
    self->cols = cols;
    self->n_cols = n_cols;
}

static void
s_table_release(s_table_t *self)
{
    for (size_t i = 0; i < self->n_rows * self->n_cols; i++) {
        free(self->cells[i]);
    }
    free(self->cells);
    memset(self, 0, sizeof *self);
}

//  Adds one row of n_cols strings (NULL is empty).
static void
s_table_row(s_table_t *self, ...)
{
    if (self->n_rows == self->cap_rows) {
        self->cap_rows = self->cap_rows ? self->cap_rows * 2 : 16;
        self->cells = bc_realloc(self->cells,
                                 self->cap_rows * self->n_cols * sizeof *self->cells);
    }
    va_list ap;
    va_start(ap, self);
    for (size_t c = 0; c < self->n_cols; c++) {
        const char *cell = va_arg(ap, const char *);
        self->cells[self->n_rows * self->n_cols + c] = s_flat(cell);
    }
    va_end(ap);
    self->n_rows++;
}

//  Lays the table out with a heading row and a dashed rule. limit (0 = none)
//  is the longest line allowed: flex columns give up width first.
static void
s_table_text(const s_table_t *self, bc_buf_t *out, size_t indent, size_t limit)
{
    size_t *widths = bc_calloc(self->n_cols, sizeof *widths);
    size_t total = indent;
    for (size_t c = 0; c < self->n_cols; c++) {
        const s_col_t *col = &self->cols[c];
        size_t w = bc_export_width(col->head);
        for (size_t r = 0; r < self->n_rows; r++) {
            size_t cw = bc_export_width(self->cells[r * self->n_cols + c]);
            w = cw > w ? cw : w;
        }
        if (col->max && w > col->max) {
            w = col->max;
        }
        widths[c] = w;
        total += w + (c ? strlen(S_GAP) : 0);
    }
    for (size_t c = 0; c < self->n_cols && limit && total > limit; c++) {
        if (!self->cols[c].flex) {
            continue;
        }
        size_t least = bc_export_width(self->cols[c].head);
        least = least > 10 ? least : 10;
        size_t cut = total - limit;
        size_t can = widths[c] > least ? widths[c] - least : 0;
        cut = cut < can ? cut : can;
        widths[c] -= cut;
        total -= cut;
    }
    for (size_t r = 0; r < self->n_rows + 2; r++) {
        s_spaces(out, indent);
        size_t line_start = out->len;
        for (size_t c = 0; c < self->n_cols; c++) {
            const s_col_t *col = &self->cols[c];
            if (c) {
                bc_buf_puts(out, S_GAP);
            }
            if (r == 1) {
                for (size_t i = 0; i < widths[c]; i++) {
                    bc_buf_append(out, "-", 1);
                }
                continue;
            }
            const char *cell = r == 0 ? col->head : self->cells[(r - 2) * self->n_cols + c];
            char *cut = bc_export_truncate(cell, widths[c]);
            s_pad(out, cut, widths[c], col->right && r != 0);
            free(cut);
        }
        //  No trailing blanks after a left-aligned last column.
        while (out->len > line_start && out->data[out->len - 1] == ' ') {
            out->len--;
        }
        bc_buf_append(out, "\n", 1);
    }
    free(widths);
}

//  Markdown inline text: characters that would start emphasis, links, HTML
//  or break a table are escaped.
static void
s_md_inline(bc_buf_t *out, const char *text)
{
    for (const char *p = text ? text : ""; *p; p++) {
        if (strchr("\\`*_[]<>|#", *p)) {
            bc_buf_append(out, "\\", 1);
        }
        if (*p == '\n' || *p == '\r' || *p == '\t') {
            bc_buf_append(out, " ", 1);
            continue;
        }
        bc_buf_append(out, p, 1);
    }
}

//  A Markdown paragraph: also escapes what would start a list or quote.
static void
s_md_paragraph(bc_buf_t *out, const char *text)
{
    char *flat = s_flat(text);
    const char *p = flat;
    if (*p == '-' || *p == '+' || *p == '=') {
        bc_buf_append(out, "\\", 1);
    }
    const char *q = p;
    while (*q >= '0' && *q <= '9') {
        q++;
    }
    if (q > p && (*q == '.' || *q == ')')) {
        bc_buf_append(out, p, (size_t) (q - p));
        bc_buf_append(out, "\\", 1);
        p = q;
    }
    s_md_inline(out, p);
    bc_buf_puts(out, "\n\n");
    free(flat);
}

static void
s_table_md(const s_table_t *self, bc_buf_t *out)
{
    bc_buf_puts(out, "|");
    for (size_t c = 0; c < self->n_cols; c++) {
        bc_buf_puts(out, " ");
        s_md_inline(out, self->cols[c].head);
        bc_buf_puts(out, " |");
    }
    bc_buf_puts(out, "\n|");
    for (size_t c = 0; c < self->n_cols; c++) {
        bc_buf_puts(out, self->cols[c].right ? " ---: |" : " --- |");
    }
    bc_buf_puts(out, "\n");
    for (size_t r = 0; r < self->n_rows; r++) {
        bc_buf_puts(out, "|");
        for (size_t c = 0; c < self->n_cols; c++) {
            bc_buf_puts(out, " ");
            s_md_inline(out, self->cells[r * self->n_cols + c]);
            bc_buf_puts(out, " |");
        }
        bc_buf_puts(out, "\n");
    }
    bc_buf_puts(out, "\n");
}

//  --------------------------------------------------------------------------
//  Wrapped text

//  Writes each paragraph of text (lines split on '\n') wrapped to width
//  columns, every line starting with indent spaces; the lines of a bullet
//  ("- ", "+ ", "• ") hang under its text. Words longer than a line stand
//  alone.
static void
s_wrap(bc_buf_t *out, const char *text, size_t indent, size_t width)
{
    const char *p = text ? text : "";
    while (*p) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t) (end - p) : strlen(p);
        char *para = bc_strndup(p, len);
        char *flat = s_flat(para);
        free(para);
        if (*flat) {
            int bullet = strncmp(flat, "- ", 2) == 0 || strncmp(flat, "+ ", 2) == 0
                         || strncmp(flat, "• ", strlen("• ")) == 0;
            size_t col = 0;
            size_t lines = 0;
            size_t avail = 0;
            char *save = NULL;
            for (char *word = strtok_r(flat, " ", &save); word;
                 word = strtok_r(NULL, " ", &save)) {
                size_t w = bc_export_width(word);
                if (col && col + 1 + w > avail) {
                    bc_buf_append(out, "\n", 1);
                    col = 0;
                }
                if (col == 0) {
                    size_t here = indent + (bullet && lines++ ? 2 : 0);
                    avail = width > here + 20 ? width - here : 20;
                    s_spaces(out, here);
                }
                else {
                    bc_buf_append(out, " ", 1);
                    col++;
                }
                bc_buf_puts(out, word);
                col += w;
            }
            bc_buf_append(out, "\n", 1);
        }
        free(flat);
        p += len;
        if (*p == '\n') {
            p++;
        }
    }
}

//  --------------------------------------------------------------------------
//  Pieces shared by the summary and the status view

typedef struct {
    bc_buf_t *out;
    bc_export_format_t format;
    size_t width;                       //  columns for wrapping (text)
    size_t limit;                       //  longest table line, 0 = none
} s_doc_t;

static void
s_heading(s_doc_t *doc, int level, const char *text)
{
    if (doc->format == BC_EXPORT_MD) {
        for (int i = 0; i < level; i++) {
            bc_buf_append(doc->out, "#", 1);
        }
        bc_buf_append(doc->out, " ", 1);
        s_md_inline(doc->out, text);
        bc_buf_puts(doc->out, "\n\n");
    }
    else {
        bc_buf_printf(doc->out, "%s\n", text);
        if (level <= 1) {
            size_t w = bc_export_width(text);
            for (size_t i = 0; i < w; i++) {
                bc_buf_append(doc->out, "=", 1);
            }
            bc_buf_append(doc->out, "\n", 1);
        }
    }
}

//  A "label: value" line (text) or a bold-labelled paragraph line (md).
static void
s_field(s_doc_t *doc, const char *label, const char *value)
{
    if (s_empty(value)) {
        return;
    }
    if (doc->format == BC_EXPORT_MD) {
        bc_buf_puts(doc->out, "**");
        s_md_inline(doc->out, label);
        bc_buf_puts(doc->out, ":** ");
        s_md_inline(doc->out, value);
        bc_buf_puts(doc->out, "  \n");
    }
    else {
        bc_buf_t line;
        bc_buf_init(&line);
        bc_buf_printf(&line, "%s: %s", label, value);
        s_wrap(doc->out, line.data, 0, doc->width);
        bc_buf_release(&line);
    }
}

static void
s_end_block(s_doc_t *doc)
{
    bc_buf_append(doc->out, "\n", 1);
}

//  Title, subject, key, deadline, compile time.
static void
s_head(s_doc_t *doc, const Baocao__Summary *s, const char *title)
{
    const Baocao__ReportRequest *req = s->request;
    s_heading(doc, 1, title);
    bc_buf_t line;
    bc_buf_init(&line);
    s_request_title(&line, s);
    if (doc->format == BC_EXPORT_MD) {
        s_md_inline(doc->out, line.data);
        bc_buf_puts(doc->out, "  \n");
    }
    else {
        s_wrap(doc->out, line.data, 0, doc->width);
    }
    bc_buf_release(&line);
    s_field(doc, "Trích yếu", req ? req->subject : NULL);
    if (s->ref && s->ref->promulgation_date) {
        char key[160];
        char citation[BC_NOTATION_MAX + 32];
        s_citation(s->ref, citation, sizeof citation);
        snprintf(key, sizeof key, "%s,%04u-%02u-%02u,%s", s_or(s->ref->issuer_code, ""),
                 s->ref->promulgation_date->year, s->ref->promulgation_date->month,
                 s->ref->promulgation_date->day, citation);
        s_field(doc, "Khóa yêu cầu", key);
    }
    char when[32];
    s_time(req ? req->deadline : NULL, when, sizeof when);
    s_field(doc, "Hạn báo cáo", s_or(when, "không đặt"));
    s_time(s->compiled_at, when, sizeof when);
    s_field(doc, "Tổng hợp lúc", when);
    s_end_block(doc);
}

//  The counts as aligned "label  number" lines (text) or a table (md).
static void
s_counts(s_doc_t *doc, const Baocao__Summary *s)
{
    char pct[48];
    bc_export_percent(s->reported, s->addressed, pct, sizeof pct);
    const struct {
        const char *label;
        uint32_t count;
        int sub;                        //  a part of the line above
    } rows[] = {
        { "Số cơ quan được yêu cầu", s->addressed, 0 },
        { "Đã báo cáo", s->reported, 0 },
        { "Đúng hạn", s->on_time, 1 },
        { "Trễ hạn", s->late, 1 },
        { "Chưa báo cáo", s->missing, 0 },
        { "Quá hạn chưa báo cáo", s->overdue, 1 },
    };
    size_t n = sizeof rows / sizeof rows[0];
    if (doc->format == BC_EXPORT_MD) {
        static const s_col_t cols[] = { { "Chỉ số", 0, 0, 0 }, { "Số cơ quan", 1, 0, 0 } };
        s_table_t t;
        s_table_init(&t, cols, 2);
        for (size_t i = 0; i < n; i++) {
            char count[80];
            if (i == 1) {
                snprintf(count, sizeof count, "%u (%s)", rows[i].count, pct);
            }
            else {
                snprintf(count, sizeof count, "%u", rows[i].count);
            }
            char label[96];
            snprintf(label, sizeof label, "%s%s", rows[i].sub ? "– " : "", rows[i].label);
            s_table_row(&t, label, count);
        }
        s_table_md(&t, doc->out);
        s_table_release(&t);
        return;
    }
    //  Parts are indented under their total; the counts line up on the right
    //  of the longest label, the percentage trails its count.
    size_t label_w = 0;
    for (size_t i = 0; i < n; i++) {
        size_t w = bc_export_width(rows[i].label) + (rows[i].sub ? 6 : 3) + 1;
        label_w = w > label_w ? w : label_w;
    }
    for (size_t i = 0; i < n; i++) {
        bc_buf_t label;
        bc_buf_init(&label);
        bc_buf_printf(&label, "%s%s:", rows[i].sub ? "    - " : "   ", rows[i].label);
        s_pad(doc->out, label.data, label_w, 0);
        char count[16];
        snprintf(count, sizeof count, "%u", rows[i].count);
        s_pad(doc->out, count, 6, 1);
        if (i == 1) {
            bc_buf_printf(doc->out, "  (%s)", pct);
        }
        bc_buf_append(doc->out, "\n", 1);
        bc_buf_release(&label);
    }
    bc_buf_append(doc->out, "\n", 1);
}

//  The per-agency table; the status view (status_view) flexes the name
//  column to the terminal and adds whether each agent is connected.
static void
s_agency_table(s_doc_t *doc, const Baocao__Summary *s, int status_view)
{
    static const s_col_t cols_fixed[] = {
        { "Mã cơ quan", 0, 0, 0 }, { "Cơ quan", 0, 0, 0 }, { "Trạng thái", 0, 0, 0 },
        { "Thời điểm", 0, 0, 0 }, { "Tình hình", 0, 0, 0 },
    };
    static const s_col_t cols_status[] = {
        { "Mã cơ quan", 0, 0, 0 }, { "Cơ quan", 0, 0, 1 }, { "Trạng thái", 0, 0, 0 },
        { "Thời điểm", 0, 0, 0 }, { "Tình hình", 0, 0, 0 }, { "Máy trạm", 0, 0, 0 },
    };
    s_table_t t;
    s_table_init(&t, status_view ? cols_status : cols_fixed, status_view ? 6 : 5);
    for (size_t i = 0; i < s->n_agencies; i++) {
        const Baocao__AgencyStatus *st = s->agencies[i];
        char when[32];
        s_time(st->status_at, when, sizeof when);
        if (!status_view) {
            s_table_row(&t, st->agency ? st->agency->code : "", s_agency_name(st->agency),
                        bc_export_status_label(st->status), when,
                        bc_export_timeliness_label(st->timeliness));
            continue;
        }
        char seen[96] = "chưa kết nối";
        if (st->online) {
            snprintf(seen, sizeof seen, "trực tuyến");
        }
        else if (st->last_seen) {
            char t_seen[32];
            s_time(st->last_seen, t_seen, sizeof t_seen);
            snprintf(seen, sizeof seen, "ngoại tuyến, lần cuối %s", t_seen);
        }
        s_table_row(&t, st->agency ? st->agency->code : "", s_agency_name(st->agency),
                    bc_export_status_label(st->status), when,
                    bc_export_timeliness_label(st->timeliness), seen);
    }
    if (doc->format == BC_EXPORT_MD) {
        s_table_md(&t, doc->out);
    }
    else {
        s_table_text(&t, doc->out, S_INDENT, doc->limit);
        bc_buf_append(doc->out, "\n", 1);
    }
    s_table_release(&t);
}

//  --------------------------------------------------------------------------
//  The summary's parts

static void
s_section(s_doc_t *doc, const Baocao__Section *sec, size_t depth, int with_label)
{
    bc_buf_t label;
    bc_buf_init(&label);
    if (with_label) {
        s_section_label(&label, sec);
    }
    size_t indent = S_INDENT * (depth + 2);
    if (doc->format == BC_EXPORT_MD) {
        if (label.len) {
            bc_buf_puts(doc->out, "*");
            s_md_inline(doc->out, label.data);
            bc_buf_puts(doc->out, "*\n\n");
        }
        const char *p = sec->body ? sec->body : "";
        while (*p) {
            const char *end = strchr(p, '\n');
            size_t len = end ? (size_t) (end - p) : strlen(p);
            char *para = bc_strndup(p, len);
            char *flat = s_flat(para);
            if (*flat) {
                s_md_paragraph(doc->out, flat);
            }
            free(flat);
            free(para);
            p += len + (end ? 1 : 0);
        }
    }
    else {
        if (label.len) {
            s_wrap(doc->out, label.data, indent, doc->width);
        }
        s_wrap(doc->out, sec->body, indent + (label.len ? S_INDENT : 0), doc->width);
    }
    bc_buf_release(&label);
    for (size_t i = 0; i < sec->n_children; i++) {
        s_section(doc, sec->children[i], depth + (with_label ? 1 : 0), 1);
    }
}

//  The agencies of a list, joined by ", ".
static void
s_names(bc_buf_t *out, Baocao__Agency **agencies, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bc_buf_printf(out, "%s%s", i ? ", " : "", s_agency_name(agencies[i]));
    }
}

static void
s_item(s_doc_t *doc, const Baocao__ItemSummary *it)
{
    const Baocao__OutlineItem *item = it->item;
    int other = !item || s_empty(item->number);
    if (other && it->n_contributions == 0) {
        return;
    }
    bc_buf_t head;
    bc_buf_init(&head);
    if (other) {
        bc_buf_puts(&head, s_or(item ? item->title : NULL, "Nội dung khác"));
    }
    else {
        bc_buf_printf(&head, "%s. %s", item->number, s_or(item->title, ""));
        if (item->if_applicable) {
            bc_buf_puts(&head, " (cơ quan liên quan báo cáo)");
        }
    }
    if (doc->format == BC_EXPORT_MD) {
        s_heading(doc, 3, head.data);
    }
    else {
        s_wrap(doc->out, head.data, 0, doc->width);
    }
    bc_buf_release(&head);
    if (it->n_contributions == 0 && doc->format == BC_EXPORT_TEXT) {
        s_wrap(doc->out, "(Chưa có nội dung)", S_INDENT, doc->width);
    }
    else if (it->n_contributions == 0) {
        bc_buf_puts(doc->out, "*(Chưa có nội dung)*\n\n");
    }
    for (size_t c = 0; c < it->n_contributions; c++) {
        const Baocao__Contribution *con = it->contributions[c];
        if (!con->section) {
            continue;
        }
        //  The agency's own heading shows only when it is not the item's.
        const Baocao__Section *sec = con->section;
        int with_label = other || (!s_empty(sec->title) && item
                                   && strcmp(sec->title, s_or(item->title, "")) != 0);
        if (doc->format == BC_EXPORT_MD) {
            bc_buf_puts(doc->out, "**");
            s_md_inline(doc->out, s_agency_name(con->agency));
            bc_buf_puts(doc->out, "**\n\n");
        }
        else {
            bc_buf_t name;
            bc_buf_init(&name);
            bc_buf_printf(&name, "%s:", s_agency_name(con->agency));
            s_wrap(doc->out, name.data, S_INDENT, doc->width);
            bc_buf_release(&name);
        }
        s_section(doc, sec, 0, with_label);
    }
    if (it->n_silent) {
        bc_buf_t line;
        bc_buf_init(&line);
        bc_buf_printf(&line, "%s (%zu): ",
                      item && item->if_applicable ? "Không có nội dung liên quan"
                                                  : "Không báo cáo nội dung này",
                      it->n_silent);
        s_names(&line, it->silent, it->n_silent);
        if (doc->format == BC_EXPORT_MD) {
            bc_buf_puts(doc->out, "*");
            s_md_inline(doc->out, line.data);
            bc_buf_puts(doc->out, "*\n\n");
        }
        else {
            s_wrap(doc->out, line.data, S_INDENT, doc->width);
        }
        bc_buf_release(&line);
    }
    if (doc->format == BC_EXPORT_TEXT) {
        bc_buf_append(doc->out, "\n", 1);
    }
}

static void
s_indicators(s_doc_t *doc, const Baocao__Summary *s)
{
    static const s_col_t cols[] = {
        { "Mã", 0, 0, 0 }, { "Chỉ tiêu", 0, 0, 1 }, { "Đơn vị", 0, 0, 0 },
        { "Cách tính", 0, 0, 0 }, { "Kết quả", 1, 0, 0 }, { "Số cơ quan", 1, 0, 0 },
    };
    s_table_t t;
    s_table_init(&t, cols, 6);
    for (size_t i = 0; i < s->n_indicators; i++) {
        const Baocao__IndicatorTotal *tot = s->indicators[i];
        const Baocao__IndicatorDef *def = tot->indicator;
        char total[48], count[16];
        bc_export_number(tot->total, total, sizeof total);
        if (!tot->count) {
            snprintf(total, sizeof total, "%s", "-");
        }
        snprintf(count, sizeof count, "%u", tot->count);
        s_table_row(&t, def ? def->code : "", def ? def->name : "", def ? def->unit : "",
                    s_aggregation_label(def ? def->aggregation : 0), total, count);
    }
    if (doc->format == BC_EXPORT_MD) {
        s_table_md(&t, doc->out);
    }
    else {
        s_table_text(&t, doc->out, S_INDENT, doc->limit);
        bc_buf_append(doc->out, "\n", 1);
    }
    s_table_release(&t);

    //  Then each indicator's values by agency.
    static const s_col_t vcols[] = {
        { "Cơ quan", 0, 0, 0 }, { "Giá trị", 1, 0, 0 }, { "Ghi chú", 0, 0, 0 },
    };
    for (size_t i = 0; i < s->n_indicators; i++) {
        const Baocao__IndicatorTotal *tot = s->indicators[i];
        const Baocao__IndicatorDef *def = tot->indicator;
        if (!tot->n_values) {
            continue;
        }
        bc_buf_t head;
        bc_buf_init(&head);
        bc_buf_printf(&head, "%s - %s", def ? s_or(def->code, "") : "",
                      def ? s_or(def->name, "") : "");
        if (def && !s_empty(def->unit)) {
            bc_buf_printf(&head, " (%s)", def->unit);
        }
        s_table_t v;
        s_table_init(&v, vcols, 3);
        for (size_t j = 0; j < tot->n_values; j++) {
            const Baocao__IndicatorValueBy *by = tot->values[j];
            char value[48];
            bc_export_number(by->value, value, sizeof value);
            s_table_row(&v, s_agency_name(by->agency), value, by->note);
        }
        if (doc->format == BC_EXPORT_MD) {
            s_heading(doc, 3, head.data);
            s_table_md(&v, doc->out);
        }
        else {
            s_wrap(doc->out, head.data, S_INDENT, doc->width);
            s_table_text(&v, doc->out, S_INDENT * 2, doc->limit);
            bc_buf_append(doc->out, "\n", 1);
        }
        s_table_release(&v);
        bc_buf_release(&head);
    }
}

static void
s_legal_refs(s_doc_t *doc, const Baocao__Summary *s)
{
    for (size_t i = 0; i < s->n_legal_refs; i++) {
        const Baocao__CitedRef *c = s->legal_refs[i];
        if (!c->ref) {
            continue;
        }
        bc_buf_t line;
        bc_buf_init(&line);
        bc_buf_printf(&line, "%zu. ", i + 1);
        s_ref_text(&line, c->ref);
        bc_buf_t by;
        bc_buf_init(&by);
        bc_buf_printf(&by, "Viện dẫn bởi (%zu): ", c->n_cited_by);
        s_names(&by, c->cited_by, c->n_cited_by);
        if (doc->format == BC_EXPORT_MD) {
            bc_buf_printf(doc->out, "%zu. ", i + 1);
            bc_buf_t ref;
            bc_buf_init(&ref);
            s_ref_text(&ref, c->ref);
            s_md_inline(doc->out, ref.data);
            bc_buf_release(&ref);
            bc_buf_puts(doc->out, "  \n   *");
            s_md_inline(doc->out, by.data);
            bc_buf_puts(doc->out, "*\n");
        }
        else {
            s_wrap(doc->out, line.data, S_INDENT, doc->width);
            s_wrap(doc->out, by.data, S_INDENT * 2, doc->width);
        }
        bc_buf_release(&by);
        bc_buf_release(&line);
    }
    if (s->n_legal_refs == 0) {
        s_wrap(doc->out, doc->format == BC_EXPORT_MD ? "*(Không có)*" : "(Không có)",
               doc->format == BC_EXPORT_MD ? 0 : S_INDENT, doc->width);
    }
    bc_buf_append(doc->out, "\n", 1);
}

static void
s_missing(s_doc_t *doc, const Baocao__Summary *s)
{
    if (s->n_missing_agencies == 0) {
        s_wrap(doc->out, doc->format == BC_EXPORT_MD ? "*(Không có)*" : "(Không có)",
               doc->format == BC_EXPORT_MD ? 0 : S_INDENT, doc->width);
        bc_buf_append(doc->out, "\n", 1);
        return;
    }
    static const s_col_t cols[] = {
        { "Mã cơ quan", 0, 0, 0 }, { "Cơ quan", 0, 0, 0 }, { "Tình hình", 0, 0, 0 },
    };
    s_table_t t;
    s_table_init(&t, cols, 3);
    for (size_t i = 0; i < s->n_missing_agencies; i++) {
        const Baocao__Agency *a = s->missing_agencies[i];
        const Baocao__AgencyStatus *st = s_status_of(s, a ? a->code : NULL);
        s_table_row(&t, a ? a->code : "", s_agency_name(a),
                    st ? bc_export_timeliness_label(st->timeliness) : "");
    }
    if (doc->format == BC_EXPORT_MD) {
        s_table_md(&t, doc->out);
    }
    else {
        s_table_text(&t, doc->out, S_INDENT, doc->limit);
        bc_buf_append(doc->out, "\n", 1);
    }
    s_table_release(&t);
}

static size_t
s_width(const bc_export_opts_t *opts)
{
    size_t width = opts && opts->width ? opts->width : BC_EXPORT_WIDTH_DEFAULT;
    return width < BC_EXPORT_WIDTH_MIN ? BC_EXPORT_WIDTH_MIN : width;
}

char *
bc_export_summary(const Baocao__Summary *summary, bc_export_format_t format,
                  const bc_export_opts_t *opts)
{
    assert(summary);
    assert(format != BC_EXPORT_PDF);    //  binary: bc_export_render()
    if (format == BC_EXPORT_JSON) {
        return bc_json_encode(&summary->base, BC_JSON_PRETTY);
    }
    if (format == BC_EXPORT_HTML) {
        return bc_export_html(summary, opts);
    }
    bc_buf_t out;
    bc_buf_init(&out);
    //  A summary is a document: its tables keep every character, whatever
    //  the terminal, and only paragraphs wrap.
    s_doc_t doc = { &out, format, s_width(opts), 0 };
    s_head(&doc, summary, "TỔNG HỢP BÁO CÁO");

    s_heading(&doc, 2, "I. TÌNH HÌNH GỬI BÁO CÁO");
    s_counts(&doc, summary);
    s_agency_table(&doc, summary, 0);

    s_heading(&doc, 2, "II. NỘI DUNG BÁO CÁO");
    for (size_t i = 0; i < summary->n_items; i++) {
        s_item(&doc, summary->items[i]);
    }
    if (summary->n_items == 0) {
        s_wrap(&out, "(Yêu cầu không có đề cương)", S_INDENT, doc.width);
        bc_buf_append(&out, "\n", 1);
    }

    s_heading(&doc, 2, "III. CHỈ TIÊU TỔNG HỢP");
    if (summary->n_indicators) {
        s_indicators(&doc, summary);
    }
    else {
        s_wrap(&out, format == BC_EXPORT_MD ? "*(Không có)*" : "(Không có)",
               format == BC_EXPORT_MD ? 0 : S_INDENT, doc.width);
        bc_buf_append(&out, "\n", 1);
    }

    s_heading(&doc, 2, "IV. VĂN BẢN ĐƯỢC VIỆN DẪN");
    s_legal_refs(&doc, summary);

    bc_buf_t head;
    bc_buf_init(&head);
    bc_buf_printf(&head, "V. CƠ QUAN CHƯA BÁO CÁO (%zu)", summary->n_missing_agencies);
    s_heading(&doc, 2, head.data);
    bc_buf_release(&head);
    s_missing(&doc, summary);

    //  One final newline, not a trail of blank lines.
    while (out.len > 1 && out.data[out.len - 1] == '\n' && out.data[out.len - 2] == '\n') {
        out.len--;
    }
    out.data[out.len] = '\0';
    return bc_buf_take(&out);
}

char *
bc_export_status(const Baocao__Summary *summary, bc_export_format_t format,
                 const bc_export_opts_t *opts)
{
    assert(summary);
    if (format == BC_EXPORT_JSON) {
        //  The same message, without the content: a shallow copy whose
        //  repeated content fields are emptied (nothing is freed through it).
        Baocao__Summary status = *summary;
        status.n_items = 0;
        status.items = NULL;
        status.n_indicators = 0;
        status.indicators = NULL;
        status.n_legal_refs = 0;
        status.legal_refs = NULL;
        return bc_json_encode(&status.base, BC_JSON_PRETTY);
    }
    if (format != BC_EXPORT_MD) {
        format = BC_EXPORT_TEXT;        //  html and pdf are for the summary
    }
    bc_buf_t out;
    bc_buf_init(&out);
    s_doc_t doc = { &out, format, s_width(opts), opts ? opts->width : 0 };
    s_head(&doc, summary, "TÌNH HÌNH BÁO CÁO");
    s_counts(&doc, summary);
    s_agency_table(&doc, summary, 1);
    while (out.len > 1 && out.data[out.len - 1] == '\n' && out.data[out.len - 2] == '\n') {
        out.len--;
    }
    out.data[out.len] = '\0';
    return bc_buf_take(&out);
}

char *
bc_export_request_list(const Baocao__RequestList *list, bc_export_format_t format,
                       const bc_export_opts_t *opts)
{
    assert(list);
    if (format == BC_EXPORT_JSON) {
        return bc_json_encode(&list->base, BC_JSON_PRETTY);
    }
    if (format != BC_EXPORT_MD) {
        format = BC_EXPORT_TEXT;        //  html and pdf are for the summary
    }
    size_t width = opts ? opts->width : 0;
    if (list->n_requests == 0) {
        return bc_strdup(format == BC_EXPORT_MD ? "*(Chưa có yêu cầu nào)*\n"
                                                : "Chưa có yêu cầu nào.\n");
    }
    //  Off a terminal the subject keeps BC_EXPORT_SUBJECT_MAX code points; on
    //  one it takes whatever the line has left.
    s_col_t cols[] = {
        { "Số, ký hiệu", 0, 0, 0 }, { "Cơ quan ban hành", 0, 0, 0 }, { "Ngày", 0, 0, 0 },
        { "Hạn báo cáo", 0, 0, 0 }, { "Đã báo cáo", 1, 0, 0 },
        { "Trích yếu", 0, width ? 0 : BC_EXPORT_SUBJECT_MAX, 1 },
    };
    s_table_t t;
    s_table_init(&t, cols, 6);
    for (size_t i = 0; i < list->n_requests; i++) {
        const Baocao__RequestListEntry *e = list->requests[i];
        char date[40], deadline[32], done[32];
        s_date(e->ref ? e->ref->promulgation_date : NULL, date, sizeof date);
        s_time(e->deadline, deadline, sizeof deadline);
        snprintf(done, sizeof done, "%u/%u", e->reported, e->addressed);
        s_table_row(&t, e->citation, e->issuer ? e->issuer->code : "", date, deadline, done,
                    e->subject);
    }
    bc_buf_t out;
    bc_buf_init(&out);
    if (format == BC_EXPORT_MD) {
        s_table_md(&t, &out);
    }
    else {
        s_table_text(&t, &out, 0, width);
    }
    s_table_release(&t);
    return bc_buf_take(&out);
}

bc_err
bc_export_render(const Baocao__Summary *summary, bc_export_format_t format,
                 const bc_export_opts_t *opts, char **data_p, size_t *size_p)
{
    assert(summary);
    assert(data_p);
    assert(size_p);
    if (format == BC_EXPORT_PDF) {
        return bc_export_pdf(summary, opts, data_p, size_p);
    }
    char *text = bc_export_summary(summary, format, opts);
    *size_p = strlen(text);
    *data_p = text;
    return BC_OK;
}
