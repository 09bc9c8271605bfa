//  bc_body - headings, nesting, paragraphs and the closing of a letter's body
#include "bc_body.h"
#include "bc_alloc.h"
#include "bc_letter.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_NUMBER_MAX        24          //  bytes of a heading's number, with NUL
#define S_ROMAN_MAX         39          //  XXXIX: more sections than any letter has
#define S_DECIMAL_PARTS     4           //  1.2.3.4
#define S_LETTER_RANK       9           //  letters nest under every number

typedef enum {
    S_ROMAN,
    S_ARABIC,
    S_DECIMAL,
    S_LETTER
} s_style_t;

//  A heading as read from its line.
typedef struct {
    s_style_t style;
    int rank;                           //  nesting order: lower ranks contain higher
    unsigned value;                     //  order among siblings
    char number[S_NUMBER_MAX];          //  as written, without '.' or ')': "II", "1.2", "a"
    char prefix[S_NUMBER_MAX];          //  decimal: the number it belongs to ("1" of "1.2")
    size_t title_at;                    //  byte offset of the title in the line
} s_heading_t;

//  A section being filled (or the root, section NULL).
typedef struct {
    Baocao__Section *section;
    s_heading_t h;
    bc_buf_t body;                      //  paragraphs so far, "\n"-separated
    size_t cap;                         //  children allocated
    int has_last;
    s_heading_t last;                   //  the last child's heading
} s_open_t;

typedef struct {
    bc_body_t *out;
    const bc_text_t *text;
    char **sq;
    const bc_para_t *flow;
    size_t from;
    s_open_t stack[BC_BODY_MAX_DEPTH + 1];
    size_t depth;                       //  open entries, the root included
    size_t root_cap;
    size_t preamble_cap;
    size_t n_total;                     //  sections made
    bc_buf_t para;                      //  the paragraph being built
    size_t para_last;                   //  its last line
    bc_buf_t *last_buf;                 //  where the last paragraph went (a body)
    size_t last_at;                     //  its offset there
} s_parse_t;

//  --------------------------------------------------------------------------
//  Headings

static const char *s_roman_ones[] = {
    "", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
};

//  The value of a canonical Roman numeral of len bytes (1..S_ROMAN_MAX), or 0.
static unsigned
s_roman(const char *s, size_t len)
{
    for (unsigned v = 1; v <= S_ROMAN_MAX; v++) {
        char buf[16];
        int n = snprintf(buf, sizeof buf, "%.*s%s", (int) (v / 10), "XXX", s_roman_ones[v % 10]);
        if (n > 0 && (size_t) n == len && memcmp(buf, s, len) == 0) {
            return v;
        }
    }
    return 0;
}

//  The title after a number: at least one space, then text holding a
//  letter; for numbers (not letters) not starting in lower case.
static int
s_title(const char *line, const char *p, int letter, s_heading_t *h)
{
    if (*p != ' ') {
        return 0;
    }
    while (*p == ' ') {
        p++;
    }
    if (*p == '\0' || (!letter && bc_text_starts_lower(p))) {
        return 0;
    }
    int alpha = 0;
    for (const char *q = p; *q && !alpha; ) {
        int32_t cp;
        q += bc_text_decode(q, &cp);
        alpha = bc_text_is_alpha(cp);
    }
    if (!alpha) {
        return 0;
    }
    h->title_at = (size_t) (p - line);
    return 1;
}

static int
s_heading(const char *line, s_heading_t *h)
{
    memset(h, 0, sizeof *h);
    const char *p = line;
    if (*p && strchr("IVXLC", *p)) {
        while (*p && strchr("IVXLC", *p) && p - line < 8) {
            p++;
        }
        if ((*p != '.' && *p != ')') || p - line >= S_NUMBER_MAX) {
            return 0;
        }
        h->value = s_roman(line, (size_t) (p - line));
        if (h->value == 0) {
            return 0;
        }
        h->style = S_ROMAN;
        h->rank = 0;
        memcpy(h->number, line, (size_t) (p - line));
        return s_title(line, p + 1, 0, h);
    }
    if (*p >= '0' && *p <= '9') {
        unsigned parts[S_DECIMAL_PARTS];
        size_t n = 0;
        for (;;) {
            unsigned v = 0;
            size_t digits = 0;
            while (*p >= '0' && *p <= '9' && digits < 4) {
                v = v * 10 + (unsigned) (*p - '0');
                p++;
                digits++;
            }
            if (digits == 0 || digits > 3 || (n > 0 && digits > 2)) {
                return 0;
            }
            parts[n++] = v;
            if (*p == '.' && p[1] >= '0' && p[1] <= '9' && n < S_DECIMAL_PARTS) {
                p++;
                continue;
            }
            break;
        }
        size_t len = (size_t) (p - line);
        if (len >= S_NUMBER_MAX) {
            return 0;
        }
        memcpy(h->number, line, len);
        if (n == 1) {
            if (*p != '.') {
                return 0;
            }
            h->style = S_ARABIC;
            h->rank = 1;
            h->value = parts[0];
            return s_title(line, p + 1, 0, h);
        }
        h->style = S_DECIMAL;
        h->rank = (int) n;
        h->value = parts[n - 1];
        const char *dot = strrchr(h->number, '.');
        memcpy(h->prefix, h->number, (size_t) (dot - h->number));
        if (*p == '.' || *p == ')') {
            p++;
        }
        return s_title(line, p, 0, h);
    }
    //  Letters: a..z, and đ between d and e.
    unsigned value = 0;
    size_t len = 0;
    if (*p >= 'a' && *p <= 'z') {
        value = (unsigned) (*p - 'a' + 1) * 2;
        len = 1;
    }
    else if (strncmp(p, "\xC4\x91", 2) == 0) {
        value = ('d' - 'a' + 1) * 2 + 1;
        len = 2;
    }
    if (len == 0 || (p[len] != ')' && p[len] != '.')) {
        return 0;
    }
    h->style = S_LETTER;
    h->rank = S_LETTER_RANK;
    h->value = value;
    memcpy(h->number, p, len);
    return s_title(line, p + len + 1, 1, h);
}

//  The stack depth a heading would open at (its parent is stack[d - 1]),
//  or 0 when the heading does not fit where it stands: then it is text.
static size_t
s_place(const s_parse_t *self, const s_heading_t *h, size_t line)
{
    size_t d = self->depth;
    while (d > 1 && self->stack[d - 1].h.rank >= h->rank) {
        d--;
    }
    if (d > BC_BODY_MAX_DEPTH || self->n_total >= BC_BODY_MAX_SECTIONS) {
        return 0;
    }
    const s_open_t *parent = &self->stack[d - 1];
    if (parent->has_last && parent->last.style == h->style) {
        //  Numbers only go up; gaps are fine (an item not answered).
        if (h->value <= parent->last.value) {
            return 0;
        }
        if (h->style == S_DECIMAL && strcmp(h->prefix, parent->last.prefix) != 0) {
            return 0;
        }
    }
    else if ((h->style == S_ROMAN && h->value != 1) || (h->style == S_LETTER && h->value != 2)) {
        return 0;
    }
    if (h->style == S_DECIMAL && parent->section
        && (parent->h.style == S_ARABIC || parent->h.style == S_DECIMAL)
        && strcmp(h->prefix, parent->h.number) != 0) {
        return 0;                       //  "12.5 triệu" inside section 3
    }
    //  In margin-cut text, a line right after one that reached the margin
    //  mid-sentence goes on with it ("... tại khoản" / "2. Điều 5 ...").
    const bc_para_t *flow = self->flow;
    if (flow->wrapped && line > self->from) {
        const bc_text_line_t *cur = &self->text->lines[line];
        const bc_text_line_t *prev = &self->text->lines[line - 1];
        if (!cur->page_break && (cur->blank_before == 0 || flow->double_spaced)
            && prev->width >= flow->full_width && !bc_para_ends_sentence(self->sq[line - 1])) {
            return 0;
        }
    }
    return d;
}

//  --------------------------------------------------------------------------
//  Building

static char *
s_take_buf(bc_buf_t *buf)
{
    if (buf->len == 0) {
        bc_buf_release(buf);
        return (char *) protobuf_c_empty_string;
    }
    return bc_buf_take(buf);
}

static void
s_pop(s_parse_t *self)
{
    s_open_t *top = &self->stack[self->depth - 1];
    if (top->section) {
        top->section->body = s_take_buf(&top->body);
    }
    bc_buf_release(&top->body);
    self->depth--;
    if (self->last_buf == &top->body) {
        self->last_buf = NULL;
    }
}

static void
s_finish_para(s_parse_t *self)
{
    if (self->para.len == 0) {
        return;
    }
    s_open_t *top = &self->stack[self->depth - 1];
    if (!top->section) {
        bc_body_t *out = self->out;
        if (out->n_preamble == self->preamble_cap) {
            self->preamble_cap = self->preamble_cap ? self->preamble_cap * 2 : 4;
            out->preamble = bc_realloc(out->preamble, self->preamble_cap * sizeof *out->preamble);
        }
        out->preamble[out->n_preamble++] = bc_strndup(self->para.data, self->para.len);
        self->last_buf = NULL;
    }
    else {
        if (top->body.len > 0) {
            bc_buf_append(&top->body, "\n", 1);
        }
        self->last_buf = &top->body;
        self->last_at = top->body.len;
        bc_buf_append(&top->body, self->para.data, self->para.len);
    }
    self->para.len = 0;
}

static void
s_start_para(s_parse_t *self, const char *text, size_t line)
{
    s_finish_para(self);
    bc_buf_puts(&self->para, text);
    self->para_last = line;
}

//  Opens a section for heading h at stack depth d with the given title.
static void
s_open(s_parse_t *self, const s_heading_t *h, size_t d, const char *title)
{
    s_finish_para(self);
    while (self->depth > d) {
        s_pop(self);
    }
    s_open_t *parent = &self->stack[d - 1];
    Baocao__Section *section = bc_malloc(sizeof *section);
    baocao__section__init(section);
    section->number = bc_strdup(h->number);
    section->title = *title ? bc_strdup(title) : (char *) protobuf_c_empty_string;
    if (!parent->section) {
        bc_body_t *out = self->out;
        if (out->n_sections == self->root_cap) {
            self->root_cap = self->root_cap ? self->root_cap * 2 : 8;
            out->sections = bc_realloc(out->sections, self->root_cap * sizeof *out->sections);
        }
        out->sections[out->n_sections++] = section;
    }
    else {
        Baocao__Section *p = parent->section;
        if (p->n_children == parent->cap) {
            parent->cap = parent->cap ? parent->cap * 2 : 4;
            p->children = bc_realloc(p->children, parent->cap * sizeof *p->children);
        }
        p->children[p->n_children++] = section;
    }
    parent->has_last = 1;
    parent->last = *h;
    s_open_t *top = &self->stack[d];
    memset(top, 0, sizeof *top);
    top->section = section;
    top->h = *h;
    bc_buf_init(&top->body);
    self->depth = d + 1;
    self->n_total++;
}

static int
s_closing_start(const char *text)
{
    return bc_text_starts_upper(text) && bc_text_match_word(text, "tren day");
}

//  Can line j (not a heading) still be part of the title built so far?
static int
s_title_goes_on(const s_parse_t *self, const char *title, size_t j)
{
    const char *t = self->sq[j];
    const bc_text_line_t *line = &self->text->lines[j];
    s_heading_t h;
    if (s_heading(t, &h) || bc_letter_item(t) || s_closing_start(t) || bc_letter_noi_nhan(t)) {
        return 0;
    }
    if (bc_para_ends_sentence(title)) {
        return 0;
    }
    if (line->blank_before > 0 && !self->flow->double_spaced && !line->page_break
        && !bc_text_starts_lower(t)) {
        return 0;
    }
    if (bc_text_starts_lower(t) || bc_para_ends_open(title)) {
        return 1;
    }
    //  "I. KẾT QUẢ THỰC HIỆN" / "CHỈ THỊ SỐ 06/CT-UBND". A title in mixed
    //  case that reached the margin does not go on with a capital: the
    //  section's text starts there.
    return bc_text_all_upper(title) && bc_text_all_upper(t);
}

//  Reads the heading at line i (already placed at depth d), its wrapped
//  title lines, and opens its section. Returns the last line used.
static size_t
s_heading_section(s_parse_t *self, const s_heading_t *h, size_t d, size_t i, size_t to)
{
    bc_buf_t title;
    bc_buf_init(&title);
    bc_buf_puts(&title, self->sq[i] + h->title_at);
    size_t last = i;
    for (size_t j = i + 1; j < to && j <= i + BC_BODY_TITLE_LINES; j++) {
        if (!s_title_goes_on(self, title.data, j)) {
            break;
        }
        bc_para_append(&title, self->sq[j]);
        last = j;
    }
    //  "1. Công tác tuyên truyền: Sở đã tổ chức ...": the title, then text.
    char *text = title.data;
    char *rest = NULL;
    char *colon = strstr(text, ": ");
    if (colon && colon > text) {
        *colon = '\0';
        rest = colon + 2;
    }
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == ':' || text[n - 1] == ' ')) {
        text[--n] = '\0';
    }
    if (h->style == S_LETTER && !rest && bc_para_ends_sentence(text) && text[n - 1] != ':') {
        //  "a) Tổ chức 02 hội nghị ...;": an item of text, not a title.
        rest = text;
        text = (char *) "";
    }
    s_open(self, h, d, text);
    if (rest && *rest) {
        s_start_para(self, rest, last);
    }
    bc_buf_release(&title);
    return last;
}

//  The closing paragraph from line i; returns the first line after it.
static size_t
s_closing(s_parse_t *self, size_t i, size_t to)
{
    bc_buf_t buf;
    bc_buf_init(&buf);
    bc_buf_puts(&buf, self->sq[i]);
    size_t j = i + 1;
    for (; j < to; j++) {
        const char *t = self->sq[j];
        if (buf.len >= 3 && strcmp(buf.data + buf.len - 3, "./.") == 0) {
            break;
        }
        if (bc_letter_noi_nhan(t) || bc_letter_authority(t) || bc_text_all_upper(t)
            || bc_letter_item(t) || bc_letter_stamp(t)) {
            break;
        }
        if (!bc_para_continues(self->flow, &self->text->lines[j - 1], self->sq[j - 1],
                               &self->text->lines[j], t)) {
            break;
        }
        bc_para_append(&buf, t);
    }
    self->out->closing = bc_buf_take(&buf);
    return j;
}

//  Without a "Trên đây" paragraph, the last paragraph closes the letter
//  when it ends with "./." (the mark of a letter's last sentence).
static void
s_closing_by_mark(s_parse_t *self)
{
    bc_body_t *out = self->out;
    if (out->closing) {
        return;
    }
    if (self->last_buf && self->last_buf->len >= 3
        && strcmp(self->last_buf->data + self->last_buf->len - 3, "./.") == 0) {
        out->closing = bc_strdup(self->last_buf->data + self->last_at);
        size_t cut = self->last_at;
        if (cut > 0) {
            cut--;                      //  the "\n" before it
        }
        self->last_buf->len = cut;
        if (self->last_buf->data) {
            self->last_buf->data[cut] = '\0';
        }
        return;
    }
    if (!self->last_buf && self->depth == 1 && out->n_preamble > 1) {
        char *last = out->preamble[out->n_preamble - 1];
        size_t n = strlen(last);
        if (n >= 3 && strcmp(last + n - 3, "./.") == 0) {
            out->closing = last;
            out->n_preamble--;
        }
    }
}

void
bc_body_parse(bc_body_t *out, const bc_text_t *text, char **squeezed, const bc_para_t *flow,
              size_t from, size_t to)
{
    assert(out);
    assert(text);
    memset(out, 0, sizeof *out);
    s_parse_t self;
    memset(&self, 0, sizeof self);
    self.out = out;
    self.text = text;
    self.sq = squeezed;
    self.flow = flow;
    self.from = from;
    self.depth = 1;
    bc_buf_init(&self.stack[0].body);
    bc_buf_init(&self.para);

    size_t end = bc_letter_signer_start(text, squeezed, from, to);
    out->signer_from = end;
    for (size_t i = from; i < end; i++) {
        const char *t = squeezed[i];
        const bc_text_line_t *line = &text->lines[i];
        //  The paragraph ends as its last line does (not strlen'ed whole:
        //  a paragraph may be most of the text).
        int boundary = self.para.len == 0 || bc_para_ends_sentence(squeezed[self.para_last])
                       || line->page_break || (line->blank_before && !flow->double_spaced);
        if (s_closing_start(t) && boundary) {
            s_finish_para(&self);
            out->signer_from = s_closing(&self, i, end);
            if (out->signer_from > end) {
                out->signer_from = end;
            }
            break;
        }
        s_heading_t h;
        size_t d;
        if (s_heading(t, &h) && (d = s_place(&self, &h, i)) > 0) {
            i = s_heading_section(&self, &h, d, i, end);
            continue;
        }
        if (bc_letter_item(t)) {
            s_start_para(&self, t, i);
            continue;
        }
        if (self.para.len > 0
            && bc_para_continues(flow, &text->lines[self.para_last], squeezed[self.para_last],
                                 line, t)) {
            bc_para_append(&self.para, t);
            self.para_last = i;
            continue;
        }
        s_start_para(&self, t, i);
    }
    s_finish_para(&self);
    s_closing_by_mark(&self);
    while (self.depth > 1) {
        s_pop(&self);
    }
    bc_buf_release(&self.stack[0].body);
    bc_buf_release(&self.para);

    if (out->n_sections == 0 && out->n_preamble > 0) {
        //  No heading at all: the text is one unnumbered section.
        bc_buf_t body;
        bc_buf_init(&body);
        for (size_t k = 0; k < out->n_preamble; k++) {
            if (k > 0) {
                bc_buf_append(&body, "\n", 1);
            }
            bc_buf_puts(&body, out->preamble[k]);
        }
        Baocao__Section *section = bc_malloc(sizeof *section);
        baocao__section__init(section);
        section->body = bc_buf_take(&body);
        out->sections = bc_malloc(sizeof *out->sections);
        out->sections[0] = section;
        out->n_sections = 1;
    }
}

void
bc_body_release(bc_body_t *self)
{
    if (!self) {
        return;
    }
    for (size_t i = 0; i < self->n_sections; i++) {
        baocao__section__free_unpacked(self->sections[i], NULL);
    }
    free(self->sections);
    for (size_t i = 0; i < self->n_preamble; i++) {
        free(self->preamble[i]);
    }
    free(self->preamble);
    free(self->closing);
    memset(self, 0, sizeof *self);
}
