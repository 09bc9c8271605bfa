//  bc_doc - builds the summary document's words and parts once for HTML and PDF
#include "bc_doc.h"
#include "bc_clock.h"
#include "bc_export.h"
#include "bc_notation.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

//  --------------------------------------------------------------------------
//  Clean text

//  Decodes one well-formed UTF-8 sequence at p (len bytes left) into *cp;
//  returns its length, or 0 when the bytes are not well-formed (overlong,
//  surrogate, past U+10FFFF, cut short).
static size_t
s_decode(const unsigned char *p, size_t len, uint32_t *cp)
{
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    if (p[0] >= 0xC2 && p[0] < 0xE0 && len >= 2 && (p[1] & 0xC0) == 0x80) {
        *cp = ((uint32_t) (p[0] & 0x1F) << 6) | (p[1] & 0x3F);
        return 2;
    }
    if (p[0] >= 0xE0 && p[0] < 0xF0 && len >= 3 && (p[1] & 0xC0) == 0x80
        && (p[2] & 0xC0) == 0x80) {
        uint32_t c = ((uint32_t) (p[0] & 0x0F) << 12) | ((uint32_t) (p[1] & 0x3F) << 6)
                     | (p[2] & 0x3F);
        if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF)) {
            return 0;
        }
        *cp = c;
        return 3;
    }
    if (p[0] >= 0xF0 && p[0] < 0xF5 && len >= 4 && (p[1] & 0xC0) == 0x80
        && (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80) {
        uint32_t c = ((uint32_t) (p[0] & 0x07) << 18) | ((uint32_t) (p[1] & 0x3F) << 12)
                     | ((uint32_t) (p[2] & 0x3F) << 6) | (p[3] & 0x3F);
        if (c < 0x10000 || c > 0x10FFFF) {
            return 0;
        }
        *cp = c;
        return 4;
    }
    return 0;
}

static void
s_put(bc_buf_t *out, uint32_t cp)
{
    utf8proc_uint8_t b[4];
    utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t) cp, b);
    bc_buf_append(out, b, (size_t) n);
}

//  Characters no document should carry: C0 and C1 controls (LF apart),
//  DEL, and the noncharacters XML forbids or discourages.
static int
s_unwanted(uint32_t cp)
{
    return (cp < 0x20 && cp != '\n') || (cp >= 0x7F && cp <= 0x9F)
           || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

//  True for code points NFC leaves alone whatever surrounds them: none
//  decomposes and none combines with what precedes. Below U+0300 (before
//  the combining marks), the precomposed Latin Extended Additional block
//  where Vietnamese lives, general punctuation from U+2010, and U+FFFD.
static int
s_nfc_stable(uint32_t cp)
{
    return cp < 0x300 || (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x2010 && cp <= 0x2027)
           || cp == 0xFFFD;
}

char *
bc_doc_clean(const char *text)
{
    bc_buf_t out;
    bc_buf_init(&out);
    bc_buf_append(&out, "", 0);
    const unsigned char *p = (const unsigned char *) (text ? text : "");
    size_t len = strlen((const char *) p);
    int needs_nfc = 0;
    while (len) {
        uint32_t cp;
        size_t n = s_decode(p, len, &cp);
        if (n == 0) {
            cp = 0xFFFD;                //  one replacement per bad byte
            n = 1;
        }
        p += n;
        len -= n;
        if (cp == '\t' || cp == '\r') {
            cp = ' ';
        }
        if (s_unwanted(cp)) {
            continue;
        }
        needs_nfc |= !s_nfc_stable(cp);
        s_put(&out, cp);
    }
    //  Composition (NFC): the fonts have "ộ" as one glyph; o + U+0323 +
    //  U+0302 may print as stacked marks or boxes. Text made only of code
    //  points that are their own NFC (below U+0300, Vietnamese precomposed
    //  letters, common punctuation) is already composed: most text is, and
    //  utf8proc_map was 5% of the 1,000-report PDF's time.
    if (!needs_nfc) {
        return bc_buf_take(&out);
    }
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *) out.data,
                                      (utf8proc_ssize_t) out.len, &nfc,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (n < 0 || !nfc) {
        free(nfc);
        return bc_buf_take(&out);       //  cannot happen on valid UTF-8; keep the clean text
    }
    bc_buf_release(&out);
    char *result = bc_strdup((const char *) nfc);
    free(nfc);
    return result;
}

//  Maps the first count code points of clean text through map.
static char *
s_map_case(const char *clean, utf8proc_int32_t (*map)(utf8proc_int32_t), size_t count)
{
    bc_buf_t out;
    bc_buf_init(&out);
    bc_buf_append(&out, "", 0);
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *) clean;
    size_t done = 0;
    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0) {
            break;                      //  clean text is valid: not reached
        }
        s_put(&out, (uint32_t) (done < count ? map(cp) : cp));
        done++;
        p += n;
    }
    return bc_buf_take(&out);
}

char *
bc_doc_upper(const char *text)
{
    char *clean = bc_doc_clean(text);
    char *upper = s_map_case(clean, utf8proc_toupper, SIZE_MAX);
    free(clean);
    return upper;
}

void
bc_doc_escape(bc_buf_t *out, const char *text)
{
    assert(out);
    const char *p = text ? text : "";
    const char *run = p;
    for (; *p; p++) {
        const char *entity = NULL;
        switch (*p) {
        case '&':   entity = "&amp;"; break;
        case '<':   entity = "&lt;"; break;
        case '>':   entity = "&gt;"; break;
        case '"':   entity = "&quot;"; break;
        case '\'':  entity = "&#39;"; break;
        default:    break;
        }
        if (entity) {
            bc_buf_append(out, run, (size_t) (p - run));
            bc_buf_puts(out, entity);
            run = p + 1;
        }
    }
    bc_buf_append(out, run, (size_t) (p - run));
}

//  The first letter in lower case when the word is not an acronym: "Báo
//  cáo kết quả" continues a sentence as "báo cáo kết quả"; "UBND" stays.
static char *
s_lower_first(const char *clean)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *) clean;
    utf8proc_int32_t first, second = 0;
    utf8proc_ssize_t n = utf8proc_iterate(p, -1, &first);
    if (n <= 0 || !*p) {
        return bc_strdup(clean);
    }
    if (p[n]) {
        utf8proc_iterate(p + n, -1, &second);
    }
    if (second && utf8proc_toupper(second) == second && utf8proc_tolower(second) != second) {
        return bc_strdup(clean);        //  the second letter is a capital: an acronym
    }
    return s_map_case(clean, utf8proc_tolower, 1);
}

//  A printf into a new string.
static char *
s_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
s_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    size_t size = (size_t) (n > 0 ? n : 0) + 1;
    char *text = bc_malloc(size);
    va_start(ap, fmt);
    vsnprintf(text, size, fmt, ap);
    va_end(ap);
    return text;
}

//  Cleans raw, frees it, returns the clean copy.
static char *
s_own(char *raw)
{
    char *clean = bc_doc_clean(raw);
    free(raw);
    return clean;
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

static const char *
s_agency_name(const Baocao__Agency *a)
{
    if (!a) {
        return "";
    }
    return s_or(a->name, s_or(a->code, ""));
}

//  --------------------------------------------------------------------------
//  Dates in the province's time

typedef struct {
    int year;                           //  2026
    int month;                          //  1..12
    int day;                            //  1..31
    int hour;                           //  0..23, Asia/Ho_Chi_Minh
    int minute;                         //  0..59
} s_local_t;

static s_local_t
s_local(int64_t ms)
{
    int64_t local = ms + BC_CLOCK_TZ_OFFSET_MS;
    int64_t secs = local >= 0 ? local / 1000 : -((-local + 999) / 1000);
    time_t t = (time_t) secs;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    gmtime_r(&t, &tm);
    s_local_t l = { tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min };
    return l;
}

//  "ngày 05 tháng 02 năm 2026": Decree 30 writes days below 10 and the
//  months January and February with a leading zero, other months without.
static char *
s_decree_date(int64_t ms)
{
    s_local_t l = s_local(ms);
    return s_printf("ngày %02d tháng %s%d năm %d", l.day, l.month < 3 ? "0" : "", l.month,
                    l.year);
}

//  "17:00 ngày 01/12/2026"
static char *
s_time_date(int64_t ms)
{
    s_local_t l = s_local(ms);
    return s_printf("%02d:%02d ngày %02d/%02d/%04d", l.hour, l.minute, l.day, l.month, l.year);
}

static char *
s_short_date(const Baocao__Date *d)
{
    if (!d || !d->year) {
        return bc_strdup("");
    }
    return s_printf("%02u/%02u/%04u", d->day, d->month, d->year);
}

//  --------------------------------------------------------------------------
//  Blocks

static bc_doc_block_t *
s_block(bc_doc_blocks_t *blocks, bc_doc_kind_t kind)
{
    if (blocks->n == blocks->cap) {
        blocks->cap = blocks->cap ? blocks->cap * 2 : 32;
        blocks->items = bc_realloc(blocks->items, blocks->cap * sizeof *blocks->items);
    }
    bc_doc_block_t *b = &blocks->items[blocks->n++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

static void
s_heading(bc_doc_blocks_t *blocks, int level, const char *anchor, char *raw)
{
    bc_doc_block_t *b = s_block(blocks, BC_DOC_HEADING);
    b->level = level;
    b->text = s_own(raw);
    b->anchor = anchor ? bc_strdup(anchor) : NULL;
}

//  A paragraph from raw text (taken) and an optional lead (borrowed).
static void
s_para(bc_doc_blocks_t *blocks, int flags, int level, const char *lead, char *raw)
{
    bc_doc_block_t *b = s_block(blocks, BC_DOC_PARA);
    b->flags = flags;
    b->level = level;
    b->lead = lead ? bc_doc_clean(lead) : NULL;
    b->text = s_own(raw);
}

typedef struct {
    const char *head;                   //  column heading (raw, cleaned when copied)
    bc_doc_align_t align;               //  of the body cells
    double weight;                      //  share of the width
} s_colspec_t;

static bc_doc_table_t *
s_table(bc_doc_blocks_t *blocks, const s_colspec_t *spec, size_t n_cols)
{
    bc_doc_block_t *b = s_block(blocks, BC_DOC_TABLE);
    bc_doc_table_t *t = bc_calloc(1, sizeof *t);
    t->cols = bc_calloc(n_cols, sizeof *t->cols);
    t->n_cols = n_cols;
    for (size_t c = 0; c < n_cols; c++) {
        t->cols[c].head = bc_doc_clean(spec[c].head);
        t->cols[c].align = spec[c].align;
        t->cols[c].weight = spec[c].weight;
    }
    b->table = t;
    return t;
}

//  Adds one row; cells[] are raw strings the table takes.
static void
s_row(bc_doc_table_t *t, char **cells)
{
    if (t->n_rows == t->cap_rows) {
        t->cap_rows = t->cap_rows ? t->cap_rows * 2 : 16;
        t->cells = bc_realloc(t->cells, t->cap_rows * t->n_cols * sizeof *t->cells);
    }
    for (size_t c = 0; c < t->n_cols; c++) {
        t->cells[t->n_rows * t->n_cols + c] = s_own(cells[c]);
    }
    t->n_rows++;
}

static void
s_chart(bc_doc_blocks_t *blocks, bc_chart_t *chart)
{
    bc_doc_block_t *b = s_block(blocks, BC_DOC_CHART);
    b->chart = chart;
}

static void
s_blocks_release(bc_doc_blocks_t *blocks)
{
    for (size_t i = 0; i < blocks->n; i++) {
        bc_doc_block_t *b = &blocks->items[i];
        free(b->lead);
        free(b->text);
        free(b->anchor);
        if (b->table) {
            bc_doc_table_t *t = b->table;
            for (size_t c = 0; c < t->n_cols; c++) {
                free(t->cols[c].head);
            }
            for (size_t k = 0; k < t->n_rows * t->n_cols; k++) {
                free(t->cells[k]);
            }
            free(t->cols);
            free(t->cells);
            free(t);
        }
        bc_chart_destroy(&b->chart);
    }
    free(blocks->items);
    memset(blocks, 0, sizeof *blocks);
}

void
bc_doc_destroy(bc_doc_t **doc_p)
{
    assert(doc_p);
    bc_doc_t *doc = *doc_p;
    if (!doc) {
        return;
    }
    free(doc->parent_organ);
    free(doc->organ);
    free(doc->number);
    free(doc->national);
    free(doc->motto);
    free(doc->place_date);
    free(doc->title);
    free(doc->subject);
    free(doc->recipient);
    s_blocks_release(&doc->body);
    free(doc->closing);
    for (size_t i = 0; i < doc->n_distribution; i++) {
        free(doc->distribution[i]);
    }
    free(doc->distribution);
    free(doc->signer_authority);
    free(doc->signer_title);
    free(doc->signer_name);
    s_blocks_release(&doc->annex);
    free(doc->doc_title);
    free(doc->author);
    free(doc);
    *doc_p = NULL;
}

//  --------------------------------------------------------------------------
//  The pieces of text

typedef struct {
    const Baocao__Summary *s;           //  borrowed
    const Baocao__ReportRequest *req;   //  never NULL (an empty one if absent)
    bc_doc_t *doc;                      //  being built
    char *issuer;                       //  "Sở Thông tin và Truyền thông" (clean)
    char *recipient;                    //  "Ủy ban nhân dân tỉnh" (clean)
    char *citation;                     //  "1005/STTTT-TTBCXB"
    char *abbr;                         //  "STTTT"
    char *unit;                         //  "TTBCXB" (drafting unit), may be ""
    char *subject_tail;                 //  "kết quả thực hiện ..." after "báo cáo"
    int subject_has_report;             //  the subject began with "Báo cáo"
    int part;                           //  Roman numeral of the next part
} s_ctx_t;

static const char *
s_roman(int n)
{
    static const char *romans[] = {
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
    };
    return n >= 1 && n <= 10 ? romans[n - 1] : "X";
}

//  The agencies joined by ", ".
static char *
s_names(Baocao__Agency **agencies, size_t n)
{
    bc_buf_t out;
    bc_buf_init(&out);
    bc_buf_append(&out, "", 0);
    for (size_t i = 0; i < n; i++) {
        bc_buf_printf(&out, "%s%s", i ? ", " : "", s_agency_name(agencies[i]));
    }
    return bc_buf_take(&out);
}

//  Strips a prefix, comparing its first letter without case.
static const char *
s_skip_prefix(const char *text, const char *upper, const char *lower)
{
    if (strncmp(text, upper, strlen(upper)) == 0) {
        return text + strlen(upper);
    }
    if (strncmp(text, lower, strlen(lower)) == 0) {
        return text + strlen(lower);
    }
    return NULL;
}

//  What the request asked, as the words after "báo cáo": the subject
//  without "V/v" or "Về việc" and without its own "Báo cáo".
static void
s_subject(s_ctx_t *ctx)
{
    char *clean = bc_doc_clean(ctx->req->subject);
    const char *p = clean;
    while (*p == ' ') {
        p++;
    }
    const char *q = s_skip_prefix(p, "V/v ", "v/v ");
    if (!q) {
        q = s_skip_prefix(p, "Về việc ", "về việc ");
    }
    p = q ? q : p;
    q = s_skip_prefix(p, "Báo cáo ", "báo cáo ");
    ctx->subject_has_report = q != NULL;
    ctx->subject_tail = s_lower_first(q ? q : p);
    free(clean);
}

//  The issuer's abbreviation and drafting unit from the request's notation:
//  "STTTT-TTBCXB" gives "STTTT" and "TTBCXB"; "UBND" gives "UBND" and "".
static void
s_notation_parts(s_ctx_t *ctx)
{
    const char *notation = s_or(ctx->req->notation, s_or(ctx->s->ref ? ctx->s->ref->notation
                                                                      : NULL, ""));
    const char *dash = strchr(notation, '-');
    if (dash) {
        ctx->abbr = bc_strndup(notation, (size_t) (dash - notation));
        ctx->unit = bc_strdup(dash + 1);
    }
    else {
        ctx->abbr = bc_strdup(notation);
        ctx->unit = bc_strdup("");
    }
}

static char *
s_citation(const Baocao__Summary *s, const Baocao__ReportRequest *req)
{
    char buf[BC_NOTATION_MAX + 32] = "";
    if (s->ref && s->ref->number) {
        bc_notation_format(s->ref->number, s->ref->year, s_or(s->ref->notation, ""), buf,
                           sizeof buf);
    }
    else if (req->number) {
        bc_notation_format(req->number, req->year, s_or(req->notation, ""), buf, sizeof buf);
    }
    return bc_doc_clean(buf);
}

//  "Ủy ban nhân dân ..." at the start of a name: an organ with no parent
//  line of its own in the header.
static int
s_is_committee(const char *name)
{
    return strncmp(name, "Ủy ban nhân dân", strlen("Ủy ban nhân dân")) == 0
           || strncmp(name, "Uỷ ban nhân dân", strlen("Uỷ ban nhân dân")) == 0
           || strncmp(name, "ỦY BAN NHÂN DÂN", strlen("ỦY BAN NHÂN DÂN")) == 0
           || strncmp(name, "UBND", 4) == 0;
}

static void
s_header(s_ctx_t *ctx, const bc_doc_opts_t *opts)
{
    bc_doc_t *doc = ctx->doc;
    const Baocao__ReportRequest *req = ctx->req;
    if (opts && opts->parent_organ) {
        doc->parent_organ = bc_doc_upper(opts->parent_organ);
    }
    else if (!s_empty(req->place) && !s_is_committee(ctx->issuer)) {
        char *raw = s_printf("Ủy ban nhân dân tỉnh %s", req->place);
        doc->parent_organ = bc_doc_upper(raw);
        free(raw);
    }
    else {
        doc->parent_organ = bc_strdup("");
    }
    doc->organ = bc_doc_upper(ctx->issuer);
    doc->number = s_own(s_printf("Số:" BC_DOC_NUMBER_BLANK "/BC-%s", ctx->abbr));
    doc->national = bc_strdup("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    doc->motto = bc_strdup("Độc lập - Tự do - Hạnh phúc");
    char *date = s_decree_date(doc->date_ms);
    if (!s_empty(req->place)) {
        doc->place_date = s_own(s_printf("%s, %s", req->place, date));
    }
    else {
        doc->place_date = s_own(s_printf("Ngày%s", date + strlen("ngày")));
    }
    free(date);
    doc->title = bc_strdup("BÁO CÁO");
    if (!s_empty(ctx->subject_tail)) {
        doc->subject = s_own(s_printf("Tổng hợp %s%s", ctx->subject_has_report ? "" : "báo cáo ",
                                      ctx->subject_tail));
    }
    else {
        doc->subject = s_own(s_printf("Tổng hợp báo cáo theo văn bản số %s", ctx->citation));
    }
    doc->recipient = s_own(s_printf("Kính gửi: %s.", ctx->recipient));
    doc->doc_title = s_own(s_printf("Báo cáo tổng hợp %s", ctx->citation));
    doc->author = bc_strdup(ctx->issuer);
}

//  The opening: what was asked, of whom, by when.
static void
s_intro(s_ctx_t *ctx)
{
    const Baocao__Summary *s = ctx->s;
    const Baocao__ReportRequest *req = ctx->req;
    bc_doc_blocks_t *body = &ctx->doc->body;
    bc_buf_t p;
    bc_buf_init(&p);
    bc_buf_append(&p, "", 0);
    if (req->n_legal_basis) {
        bc_buf_puts(&p, "Thực hiện ");
        for (size_t i = 0; i < req->n_legal_basis; i++) {
            char *ref = bc_export_ref_text(req->legal_basis[i]);
            bc_buf_printf(&p, "%s%s", i ? "; " : "", ref);
            free(ref);
        }
        bc_buf_puts(&p, ", ");
    }
    const Baocao__Date *issued = s->ref && s->ref->promulgation_date ? s->ref->promulgation_date
                                                                     : req->promulgation_date;
    char *date = s_short_date(issued);
    if (*date) {
        bc_buf_printf(&p, "%s %s, ", req->n_legal_basis ? "ngày" : "Ngày", date);
    }
    free(date);
    bc_buf_printf(&p, "%s ban hành %s số %s", ctx->issuer, s_or(req->document_type, "văn bản"),
                  ctx->citation);
    if (!s_empty(ctx->subject_tail)) {
        bc_buf_printf(&p, " về việc %s%s", ctx->subject_has_report ? "báo cáo " : "",
                      ctx->subject_tail);
    }
    bc_buf_printf(&p, ", gửi %u cơ quan, đơn vị", s->addressed);
    if (req->deadline && req->deadline->unix_ms) {
        char *when = s_time_date(req->deadline->unix_ms);
        bc_buf_printf(&p, "; thời hạn gửi báo cáo trước %s", when);
        free(when);
    }
    bc_buf_puts(&p, ".");
    s_para(body, 0, 0, NULL, bc_buf_take(&p));
    s_para(body, 0, 0, NULL,
           s_printf("Trên cơ sở báo cáo của các cơ quan, đơn vị, %s tổng hợp, báo cáo %s "
                    "như sau:", ctx->issuer, ctx->recipient));
}

static char *
s_anchor(const char *prefix, int n)
{
    return s_printf("%s-%d", prefix, n);
}

//  I. Who reported, on time or late, and who is still missing.
static void
s_status_part(s_ctx_t *ctx)
{
    const Baocao__Summary *s = ctx->s;
    bc_doc_blocks_t *body = &ctx->doc->body;
    int part = ctx->part++;
    char *anchor = s_anchor("phan", part);
    s_heading(body, 1, anchor, s_printf("%s. TÌNH HÌNH GỬI BÁO CÁO", s_roman(part)));
    free(anchor);

    bc_buf_t p;
    bc_buf_init(&p);
    char *when = s_time_date(ctx->doc->date_ms);
    char pct[48];
    bc_export_percent(s->reported, s->addressed, pct, sizeof pct);
    bc_buf_printf(&p, "Tính đến %s, ", when);
    free(when);
    if (s->reported == 0) {
        bc_buf_printf(&p, "chưa có cơ quan, đơn vị nào trong số %u cơ quan, đơn vị được đề "
                      "nghị gửi báo cáo", s->addressed);
    }
    else {
        bc_buf_printf(&p, "có %u/%u cơ quan, đơn vị đã gửi báo cáo (đạt %s), trong đó %u báo "
                      "cáo đúng hạn, %u báo cáo trễ hạn", s->reported, s->addressed, pct,
                      s->on_time, s->late);
    }
    if (s->missing && s->reported) {
        bc_buf_printf(&p, "; %u cơ quan, đơn vị chưa gửi báo cáo", s->missing);
    }
    if (s->overdue) {
        bc_buf_printf(&p, " (%u cơ quan, đơn vị đã quá hạn)", s->overdue);
    }
    bc_buf_puts(&p, ". Chi tiết tại Phụ lục I.");
    s_para(body, 0, 0, NULL, bc_buf_take(&p));
    s_chart(body, bc_chart_completeness(s));

    //  The late and the missing by name: the follow-up list (DHIS2's most
    //  used view is exactly this).
    Baocao__Agency **late = bc_calloc(s->n_agencies ? s->n_agencies : 1, sizeof *late);
    size_t n_late = 0;
    for (size_t i = 0; i < s->n_agencies; i++) {
        if (s->agencies[i]->timeliness == BAOCAO__TIMELINESS__LATE) {
            late[n_late++] = s->agencies[i]->agency;
        }
    }
    if (n_late) {
        char lead[96];
        snprintf(lead, sizeof lead, "Gửi báo cáo trễ hạn (%zu):", n_late);
        char *names = s_names(late, n_late);
        s_para(body, 0, 0, lead, s_printf("%s.", names));
        free(names);
    }
    free(late);
    if (s->n_missing_agencies) {
        char lead[96];
        snprintf(lead, sizeof lead, "Chưa gửi báo cáo (%zu):", s->n_missing_agencies);
        char *names = s_names(s->missing_agencies, s->n_missing_agencies);
        s_para(body, 0, 0, lead,
               s_printf("%s. %s tiếp tục đôn đốc các cơ quan, đơn vị này gửi báo cáo để tổng "
                        "hợp bổ sung.", names, ctx->issuer));
        free(names);
    }
}

//  The paragraphs of one section (and its sub-items), the first led by lead.
static void
s_section(s_ctx_t *ctx, const Baocao__Section *sec, int level, const char *lead, int with_label)
{
    bc_doc_blocks_t *body = &ctx->doc->body;
    char *label = with_label ? bc_export_section_label(sec) : bc_strdup("");
    const char *p = sec->body ? sec->body : "";
    int first = 1;
    for (;;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t) (end - p) : strlen(p);
        char *para = bc_strndup(p, len);
        const char *trimmed = para + strspn(para, " \t\r");
        if (*trimmed) {
            if (first && *label) {
                s_para(body, 0, level, lead, s_printf("%s: %s", label, trimmed));
            }
            else {
                s_para(body, 0, level, first ? lead : NULL, bc_strdup(trimmed));
            }
            first = 0;
        }
        free(para);
        if (!end) {
            break;
        }
        p = end + 1;
    }
    if (first && (lead || *label)) {
        //  No body: the lead or the label stands alone above the sub-items.
        s_para(body, 0, level, lead, bc_strdup(label));
    }
    free(label);
    for (size_t i = 0; i < sec->n_children; i++) {
        s_section(ctx, sec->children[i], level + 1, NULL, 1);
    }
}

//  II. The content, item by item.
static void
s_items_part(s_ctx_t *ctx)
{
    const Baocao__Summary *s = ctx->s;
    bc_doc_blocks_t *body = &ctx->doc->body;
    int part = ctx->part++;
    char *anchor = s_anchor("phan", part);
    s_heading(body, 1, anchor, s_printf("%s. KẾT QUẢ THỰC HIỆN", s_roman(part)));
    free(anchor);
    if (s->n_items == 0) {
        s_para(body, BC_DOC_ITALIC, 0, NULL, bc_strdup("(Yêu cầu không có đề cương.)"));
        return;
    }
    for (size_t i = 0; i < s->n_items; i++) {
        const Baocao__ItemSummary *it = s->items[i];
        const Baocao__OutlineItem *item = it->item;
        int other = !item || s_empty(item->number);
        if (other && it->n_contributions == 0) {
            continue;
        }
        char *head = other ? bc_strdup(s_or(item ? item->title : NULL, "Nội dung khác"))
                           : s_printf("%s. %s%s", item->number, s_or(item->title, ""),
                                      item->if_applicable ? " (cơ quan liên quan báo cáo)" : "");
        char *item_anchor = s_anchor("muc", (int) i + 1);
        s_heading(body, 2, item_anchor, head);
        free(item_anchor);
        if (it->n_contributions == 0) {
            s_para(body, BC_DOC_ITALIC, 0, NULL, bc_strdup("(Chưa có nội dung.)"));
        }
        for (size_t c = 0; c < it->n_contributions; c++) {
            const Baocao__Contribution *con = it->contributions[c];
            if (!con->section) {
                continue;
            }
            //  Under an outline item the item's heading says what the
            //  section is about; in "other" only its own heading does.
            char *label = other ? bc_export_section_label(con->section) : bc_strdup("");
            char *lead = *label ? s_printf("%s (%s):", s_agency_name(con->agency), label)
                                : s_printf("%s:", s_agency_name(con->agency));
            s_section(ctx, con->section, 0, lead, 0);
            free(lead);
            free(label);
        }
        if (it->n_silent) {
            char *names = s_names(it->silent, it->n_silent);
            s_para(body, BC_DOC_ITALIC, 0, NULL,
                   s_printf("%s (%zu): %s.", item && item->if_applicable
                            ? "Không có nội dung liên quan" : "Không báo cáo nội dung này",
                            it->n_silent, names));
            free(names);
        }
    }
}

//  "41 cuộc", "88,5%"
static char *
s_with_unit(double value, const char *unit)
{
    char num[64];
    bc_export_number(value, num, sizeof num);
    if (s_empty(unit)) {
        return bc_strdup(num);
    }
    return s_printf("%s%s%s", num, strcmp(unit, "%") == 0 ? "" : " ", unit);
}

//  The agencies whose value equals the total (MIN and MAX name them).
static char *
s_holders(const Baocao__IndicatorTotal *t)
{
    bc_buf_t out;
    bc_buf_init(&out);
    bc_buf_append(&out, "", 0);
    size_t n = 0;
    for (size_t i = 0; i < t->n_values; i++) {
        if (t->values[i]->value == t->total) {
            bc_buf_printf(&out, "%s%s", n++ ? ", " : "", s_agency_name(t->values[i]->agency));
        }
    }
    return bc_buf_take(&out);
}

//  III. Indicator results, one sentence and one chart each.
static void
s_indicators_part(s_ctx_t *ctx)
{
    const Baocao__Summary *s = ctx->s;
    if (s->n_indicators == 0) {
        return;
    }
    bc_doc_blocks_t *body = &ctx->doc->body;
    int part = ctx->part++;
    char *anchor = s_anchor("phan", part);
    s_heading(body, 1, anchor, s_printf("%s. KẾT QUẢ CÁC CHỈ TIÊU", s_roman(part)));
    free(anchor);
    for (size_t i = 0; i < s->n_indicators; i++) {
        const Baocao__IndicatorTotal *t = s->indicators[i];
        const Baocao__IndicatorDef *def = t->indicator;
        const char *name = def ? s_or(def->name, s_or(def->code, "")) : "";
        const char *unit = def ? def->unit : NULL;
        char *lead = s_printf("%zu. %s:", i + 1, name);
        char *text = NULL;
        if (t->count == 0) {
            text = bc_strdup("chưa có cơ quan, đơn vị nào báo cáo số liệu.");
        }
        else {
            char *value = s_with_unit(t->total, unit);
            switch (def ? def->aggregation : BAOCAO__AGGREGATION__SUM) {
            case BAOCAO__AGGREGATION__AVERAGE:
                text = s_printf("bình quân %s (%u cơ quan, đơn vị báo cáo).", value, t->count);
                break;
            case BAOCAO__AGGREGATION__MIN:
            case BAOCAO__AGGREGATION__MAX: {
                char *holders = s_holders(t);
                text = s_printf("%s %s (%s; %u cơ quan, đơn vị báo cáo).",
                                def->aggregation == BAOCAO__AGGREGATION__MIN ? "thấp nhất"
                                                                              : "cao nhất",
                                value, holders, t->count);
                free(holders);
                break;
            }
            default:
                text = s_printf("tổng số %s (%u cơ quan, đơn vị báo cáo).", value, t->count);
                break;
            }
            free(value);
        }
        s_para(body, 0, 0, lead, text);
        free(lead);
        bc_chart_t *chart = bc_chart_indicator(t);
        if (chart) {
            s_chart(body, chart);
        }
    }
    s_para(body, BC_DOC_ITALIC, 0, NULL,
           bc_strdup("Số liệu của từng cơ quan, đơn vị chi tiết tại Phụ lục II."));
}

//  IV. Documents cited, and by whom.
static void
s_refs_part(s_ctx_t *ctx)
{
    const Baocao__Summary *s = ctx->s;
    if (s->n_legal_refs == 0) {
        return;
    }
    bc_doc_blocks_t *body = &ctx->doc->body;
    int part = ctx->part++;
    char *anchor = s_anchor("phan", part);
    s_heading(body, 1, anchor, s_printf("%s. VĂN BẢN ĐƯỢC VIỆN DẪN", s_roman(part)));
    free(anchor);
    for (size_t i = 0; i < s->n_legal_refs; i++) {
        const Baocao__CitedRef *c = s->legal_refs[i];
        if (!c->ref) {
            continue;
        }
        char *ref = bc_export_ref_text(c->ref);
        s_para(body, 0, 0, NULL, s_printf("%zu. %s.", i + 1, ref));
        free(ref);
        char *names = s_names(c->cited_by, c->n_cited_by);
        s_para(body, BC_DOC_ITALIC, 1, NULL,
               s_printf("Viện dẫn bởi (%zu): %s.", c->n_cited_by, names));
        free(names);
    }
}

static void
s_closing(s_ctx_t *ctx)
{
    bc_doc_t *doc = ctx->doc;
    char *subject = s_lower_first(doc->subject);
    doc->closing = s_own(s_printf("Trên đây là báo cáo %s của %s, kính báo cáo %s xem xét, "
                                  "chỉ đạo./.", subject, ctx->issuer, ctx->recipient));
    free(subject);
    char *lines[3];
    lines[0] = bc_strdup("- Như trên;");
    lines[1] = s_own(s_printf("- Các cơ quan, đơn vị nhận %s số %s;",
                              s_or(ctx->req->document_type, "văn bản"), ctx->citation));
    lines[2] = *ctx->unit ? s_own(s_printf("- Lưu: VT, %s.", ctx->unit))
                          : bc_strdup("- Lưu: VT.");
    doc->distribution = bc_calloc(3, sizeof *doc->distribution);
    for (size_t i = 0; i < 3; i++) {
        doc->distribution[doc->n_distribution++] = lines[i];
    }
    const Baocao__Signer *signer = ctx->req->signer;
    doc->signer_authority = bc_doc_upper(signer ? signer->authority : NULL);
    doc->signer_title = bc_doc_upper(signer ? signer->title : NULL);
    doc->signer_name = bc_doc_clean(signer ? signer->name : NULL);
}

//  An annex's three title lines after a page break.
static void
s_annex_head(s_ctx_t *ctx, int n, const char *title)
{
    bc_doc_blocks_t *annex = &ctx->doc->annex;
    s_block(annex, BC_DOC_PAGEBREAK);
    char *anchor = s_anchor("phu-luc", n);
    s_heading(annex, 3, anchor, s_printf("Phụ lục %s", s_roman(n)));
    free(anchor);
    s_para(annex, BC_DOC_BOLD | BC_DOC_CENTER, 0, NULL, bc_strdup(title));
    char *date = s_decree_date(ctx->doc->date_ms);
    s_para(annex, BC_DOC_ITALIC | BC_DOC_CENTER, 0, NULL,
           s_printf("(Kèm theo Báo cáo số" BC_DOC_NUMBER_BLANK "/BC-%s %s của %s)", ctx->abbr,
                    date, ctx->issuer));
    free(date);
}

static void
s_timeliness_annex(s_ctx_t *ctx)
{
    const Baocao__Summary *s = ctx->s;
    s_annex_head(ctx, 1, "TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ");
    static const s_colspec_t cols[] = {
        { "STT", BC_DOC_CENTERED, 0.65 },
        { "Cơ quan, đơn vị", BC_DOC_LEFT, 2.6 },
        { "Mã định danh", BC_DOC_CENTERED, 1.5 },
        { "Trạng thái", BC_DOC_LEFT, 1.25 },
        { "Thời điểm gửi báo cáo", BC_DOC_CENTERED, 1.85 },
        { "Tình hình", BC_DOC_LEFT, 1.35 },
    };
    bc_doc_table_t *t = s_table(&ctx->doc->annex, cols, sizeof cols / sizeof cols[0]);
    for (size_t i = 0; i < s->n_agencies; i++) {
        const Baocao__AgencyStatus *st = s->agencies[i];
        char when[48] = "";
        if (st->reported_at && st->reported_at->unix_ms) {
            s_local_t l = s_local(st->reported_at->unix_ms);
            snprintf(when, sizeof when, "%02d/%02d/%04d %02d:%02d", l.day, l.month, l.year,
                     l.hour, l.minute);
        }
        char *cells[6] = {
            s_printf("%zu", i + 1),
            bc_strdup(s_agency_name(st->agency)),
            bc_strdup(st->agency ? s_or(st->agency->code, "") : ""),
            bc_strdup(bc_export_status_label(st->status)),
            bc_strdup(when),
            bc_strdup(bc_export_timeliness_label(st->timeliness)),
        };
        s_row(t, cells);
    }
    char pct[48];
    bc_export_percent(s->reported, s->addressed, pct, sizeof pct);
    char *cells[6] = {
        bc_strdup(""),
        bc_strdup("Tổng cộng"),
        s_printf("%u", s->addressed),
        s_printf("%u đã báo cáo (%s)", s->reported, pct),
        bc_strdup(""),
        s_printf("%u đúng hạn, %u trễ hạn, %u chưa báo cáo", s->on_time, s->late, s->missing),
    };
    s_row(t, cells);
    t->last_bold = 1;
}

static const char *
s_rule_label(Baocao__Aggregation aggregation)
{
    switch (aggregation) {
    case BAOCAO__AGGREGATION__AVERAGE:  return "Trung bình";
    case BAOCAO__AGGREGATION__MIN:      return "Nhỏ nhất";
    case BAOCAO__AGGREGATION__MAX:      return "Lớn nhất";
    default:                            return "Tổng";
    }
}

//  The value agency gave for indicator t, found from *cursor onwards:
//  values and agencies are both in the request's order, so one forward
//  walk per indicator serves the whole table; out of order input falls
//  back to a search.
static const Baocao__IndicatorValueBy *
s_value_of(const Baocao__IndicatorTotal *t, const char *code, size_t *cursor)
{
    if (!code) {
        return NULL;
    }
    if (*cursor < t->n_values) {
        const Baocao__IndicatorValueBy *by = t->values[*cursor];
        if (by->agency && by->agency->code && strcmp(by->agency->code, code) == 0) {
            (*cursor)++;
            return by;
        }
    }
    for (size_t i = 0; i < t->n_values; i++) {
        const Baocao__IndicatorValueBy *by = t->values[i];
        if (by->agency && by->agency->code && strcmp(by->agency->code, code) == 0) {
            return by;
        }
    }
    return NULL;
}

static void
s_indicator_annex(s_ctx_t *ctx)
{
    const Baocao__Summary *s = ctx->s;
    if (s->n_indicators == 0) {
        return;
    }
    bc_doc_blocks_t *annex = &ctx->doc->annex;
    s_annex_head(ctx, 2, "KẾT QUẢ CÁC CHỈ TIÊU");
    s_para(annex, BC_DOC_BOLD | BC_DOC_NOINDENT, 0, NULL, bc_strdup("1. Kết quả tổng hợp"));
    static const s_colspec_t cols[] = {
        { "STT", BC_DOC_CENTERED, 0.65 },
        { "Chỉ tiêu", BC_DOC_LEFT, 3.6 },
        { "Đơn vị tính", BC_DOC_CENTERED, 1.2 },
        { "Cách tính", BC_DOC_CENTERED, 1.2 },
        { "Kết quả", BC_DOC_RIGHT, 1.2 },
        { "Số cơ quan báo cáo", BC_DOC_RIGHT, 1.25 },
    };
    bc_doc_table_t *t = s_table(annex, cols, sizeof cols / sizeof cols[0]);
    for (size_t i = 0; i < s->n_indicators; i++) {
        const Baocao__IndicatorTotal *tot = s->indicators[i];
        const Baocao__IndicatorDef *def = tot->indicator;
        char total[64] = "-";
        if (tot->count) {
            bc_export_number(tot->total, total, sizeof total);
        }
        char *cells[6] = {
            s_printf("%zu", i + 1),
            bc_strdup(def ? s_or(def->name, s_or(def->code, "")) : ""),
            bc_strdup(def ? s_or(def->unit, "") : ""),
            bc_strdup(s_rule_label(def ? def->aggregation : BAOCAO__AGGREGATION__SUM)),
            bc_strdup(total),
            s_printf("%u", tot->count),
        };
        s_row(t, cells);
    }

    s_para(annex, BC_DOC_BOLD | BC_DOC_NOINDENT, 0, NULL,
           bc_strdup("2. Số liệu của từng cơ quan, đơn vị"));
    //  Agencies down, indicators across, BC_DOC_MATRIX_COLUMNS at a time so
    //  the columns stay readable on A4.
    for (size_t first = 0; first < s->n_indicators; first += BC_DOC_MATRIX_COLUMNS) {
        size_t n_ind = s->n_indicators - first;
        n_ind = n_ind < BC_DOC_MATRIX_COLUMNS ? n_ind : BC_DOC_MATRIX_COLUMNS;
        s_colspec_t spec[2 + BC_DOC_MATRIX_COLUMNS];
        char *heads[BC_DOC_MATRIX_COLUMNS];
        spec[0] = (s_colspec_t) { "STT", BC_DOC_CENTERED, 0.65 };
        spec[1] = (s_colspec_t) { "Cơ quan, đơn vị", BC_DOC_LEFT, 3.0 };
        for (size_t j = 0; j < n_ind; j++) {
            const Baocao__IndicatorDef *def = s->indicators[first + j]->indicator;
            const char *name = def ? s_or(def->name, s_or(def->code, "")) : "";
            heads[j] = def && !s_empty(def->unit) ? s_printf("%s (%s)", name, def->unit)
                                                  : bc_strdup(name);
            spec[2 + j] = (s_colspec_t) { heads[j], BC_DOC_RIGHT, 1.4 };
        }
        bc_doc_table_t *m = s_table(annex, spec, 2 + n_ind);
        for (size_t j = 0; j < n_ind; j++) {
            free(heads[j]);
        }
        size_t cursors[BC_DOC_MATRIX_COLUMNS] = { 0 };
        size_t row = 0;
        char **cells = bc_calloc(2 + n_ind, sizeof *cells);
        for (size_t a = 0; a < s->n_agencies; a++) {
            const Baocao__AgencyStatus *st = s->agencies[a];
            if (st->timeliness != BAOCAO__TIMELINESS__ON_TIME
                && st->timeliness != BAOCAO__TIMELINESS__LATE) {
                continue;               //  no report, no figures
            }
            const char *code = st->agency ? st->agency->code : NULL;
            cells[0] = s_printf("%zu", ++row);
            cells[1] = bc_strdup(s_agency_name(st->agency));
            for (size_t j = 0; j < n_ind; j++) {
                const Baocao__IndicatorValueBy *by =
                    s_value_of(s->indicators[first + j], code, &cursors[j]);
                char num[64] = "-";
                if (by) {
                    bc_export_number(by->value, num, sizeof num);
                }
                cells[2 + j] = bc_strdup(num);
            }
            s_row(m, cells);
        }
        cells[0] = bc_strdup("");
        cells[1] = bc_strdup("Tổng hợp");
        for (size_t j = 0; j < n_ind; j++) {
            const Baocao__IndicatorTotal *tot = s->indicators[first + j];
            char num[64] = "-";
            if (tot->count) {
                bc_export_number(tot->total, num, sizeof num);
            }
            cells[2 + j] = s_printf("%s%s", num, tot->count && tot->indicator
                                    && tot->indicator->aggregation
                                       == BAOCAO__AGGREGATION__AVERAGE ? " (TB)" : "");
        }
        s_row(m, cells);
        m->last_bold = 1;
        free(cells);
    }
}

bc_doc_t *
bc_doc_new(const Baocao__Summary *summary, const bc_doc_opts_t *opts)
{
    assert(summary);
    static const Baocao__ReportRequest empty = BAOCAO__REPORT_REQUEST__INIT;
    s_ctx_t ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.s = summary;
    ctx.req = summary->request ? summary->request : &empty;
    ctx.part = 1;
    bc_doc_t *doc = bc_calloc(1, sizeof *doc);
    ctx.doc = doc;
    doc->date_ms = summary->compiled_at ? summary->compiled_at->unix_ms : 0;

    const char *issuer = ctx.req->issuer ? s_or(ctx.req->issuer->name, ctx.req->issuer->code)
                                         : NULL;
    if (s_empty(issuer) && summary->ref) {
        issuer = summary->ref->issuer_code;
    }
    ctx.issuer = bc_doc_clean(s_or(issuer, "Cơ quan tổng hợp"));
    ctx.recipient = bc_doc_clean(opts && opts->recipient ? opts->recipient
                                                         : BC_DOC_RECIPIENT_DEFAULT);
    ctx.citation = s_citation(summary, ctx.req);
    s_notation_parts(&ctx);
    s_subject(&ctx);

    s_header(&ctx, opts);
    s_intro(&ctx);
    s_status_part(&ctx);
    s_items_part(&ctx);
    s_indicators_part(&ctx);
    s_refs_part(&ctx);
    s_closing(&ctx);
    s_timeliness_annex(&ctx);
    s_indicator_annex(&ctx);

    free(ctx.issuer);
    free(ctx.recipient);
    free(ctx.citation);
    free(ctx.abbr);
    free(ctx.unit);
    free(ctx.subject_tail);
    return doc;
}
