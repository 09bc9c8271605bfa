//  bc_para - line flow: wrapped or paragraph text, and when a line goes on
#include "bc_para.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define S_SHORT_LINE        10          //  code points: shorter lines say nothing of the margin
#define S_WIDTH_MIN         40
#define S_FULL_PERCENT      85          //  of the margin width: a line that reached it

//  Function words a heading or a sentence cannot end with, folded.
static const char *s_open_words[] = {
    "va", "cho", "cua", "ve", "voi", "tren", "trong", "cac", "nhung", "tai", "theo", "de",
    "hoac", "la", "o", "tu", "den", "nham", "doi", "so", "ngay", "thang", "nam", "khi",
    "mot",
};

static int
s_cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *) a;
    size_t y = *(const size_t *) b;
    return x < y ? -1 : x > y;
}

int
bc_para_ends_sentence(const char *text)
{
    size_t n = strlen(text);
    while (n > 0 && text[n - 1] == ' ') {
        n--;
    }
    if (n == 0) {
        return 0;
    }
    char c = text[n - 1];
    if (c == '.' || c == ':' || c == ';' || c == '!' || c == '?') {
        return 1;
    }
    //  "…" U+2026, and a sentence closed inside quotes: ." .”
    if (n >= 3 && strcmp(text + n - 3, "\xE2\x80\xA6") == 0) {
        return 1;
    }
    if (n >= 2 && (c == '"' || c == ')') && (text[n - 2] == '.' || text[n - 2] == ';')) {
        return 1;
    }
    if (n >= 4 && strcmp(text + n - 3, "\xE2\x80\x9D") == 0 && text[n - 4] == '.') {
        return 1;
    }
    return 0;
}

int
bc_para_ends_open(const char *text)
{
    size_t n = strlen(text);
    while (n > 0 && text[n - 1] == ' ') {
        n--;
    }
    if (n == 0) {
        return 0;
    }
    if (text[n - 1] == ',' || text[n - 1] == '-') {
        return 1;
    }
    size_t start = n;
    while (start > 0 && text[start - 1] != ' ') {
        start--;
    }
    char *word = bc_strndup(text + start, n - start);
    int open = 0;
    //  Only a lower-case word: "Việt Nam" ends a name, "năm" does not.
    if (bc_text_starts_lower(word)) {
        char *folded = bc_text_fold(word);
        for (size_t i = 0; i < sizeof s_open_words / sizeof s_open_words[0] && !open; i++) {
            open = strcmp(folded, s_open_words[i]) == 0;
        }
        free(folded);
    }
    free(word);
    return open;
}

void
bc_para_init(bc_para_t *self, const bc_text_t *text, size_t from, size_t to)
{
    assert(self);
    assert(text);
    memset(self, 0, sizeof *self);
    self->double_spaced = text->double_spaced;
    if (to > text->n_lines) {
        to = text->n_lines;
    }
    size_t n = 0;
    size_t *widths = bc_malloc((to > from ? to - from : 1) * sizeof *widths);
    for (size_t i = from; i < to; i++) {
        if (text->lines[i].width >= S_SHORT_LINE) {
            widths[n++] = text->lines[i].width;
        }
    }
    if (n < BC_PARA_MIN_LINES) {
        free(widths);
        return;
    }
    qsort(widths, n, sizeof *widths, s_cmp_size);
    size_t w = widths[(n * 9) / 10 < n ? (n * 9) / 10 : n - 1];
    free(widths);
    if (w < S_WIDTH_MIN || w > BC_PARA_MAX_WIDTH) {
        return;
    }
    size_t near = 0;
    size_t open = 0;
    size_t counted = 0;
    for (size_t i = from; i < to; i++) {
        const bc_text_line_t *l = &text->lines[i];
        if (l->width < S_SHORT_LINE) {
            continue;
        }
        counted++;
        if (l->width * 10 >= w * 8) {
            near++;
            if (!bc_para_ends_sentence(l->text)) {
                open++;
            }
        }
    }
    //  Paragraph-per-line text has lines of every length, nearly all
    //  ending a sentence; margin-cut text has most lines near the margin,
    //  most of those cut in the middle of a sentence.
    if (near * 10 >= counted * 4 && open * 2 >= near) {
        self->wrapped = 1;
        self->full_width = (w * S_FULL_PERCENT) / 100;
    }
}

//  The paragraph ends inside a citation cut at '-' or '/': the last word
//  holds a '/' after a digit and ends with '-' or '/' ("46/2021/QĐ-",
//  "09/2017/").
static int
s_cut_citation(const char *text, size_t len)
{
    if (len < 3 || (text[len - 1] != '-' && text[len - 1] != '/')) {
        return 0;
    }
    size_t start = len - 1;
    while (start > 0 && text[start - 1] != ' ') {
        start--;
    }
    int digit = 0;
    for (size_t i = start; i + 1 < len; i++) {
        if (text[i] >= '0' && text[i] <= '9') {
            digit = 1;
        }
        else if (text[i] == '/' && digit) {
            return 1;
        }
    }
    return 0;
}

int
bc_para_continues(const bc_para_t *self, const bc_text_line_t *a, const char *a_text,
                  const bc_text_line_t *b, const char *b_text)
{
    size_t a_len = strlen(a_text);
    if (s_cut_citation(a_text, a_len)) {
        return 1;
    }
    int ends = bc_para_ends_sentence(a_text);
    int lower = bc_text_starts_lower(b_text);
    int gap = b->page_break || (b->blank_before > 0 && !self->double_spaced);
    if (gap) {
        //  A page break or a blank line in the middle of a sentence is the
        //  page's end, not the paragraph's.
        if (ends) {
            return 0;
        }
        if (lower || b->page_break || bc_para_ends_open(a_text)) {
            return 1;
        }
        return self->wrapped && a->width >= self->full_width;
    }
    if (!ends && lower) {
        return 1;
    }
    if (self->wrapped) {
        if (a->width >= self->full_width) {
            return 1;
        }
        return !ends && bc_para_ends_open(a_text);
    }
    return !ends && bc_para_ends_open(a_text);
}

void
bc_para_append(bc_buf_t *para, const char *text)
{
    if (para->len > 0 && !s_cut_citation(para->data, para->len)) {
        bc_buf_append(para, " ", 1);
    }
    bc_buf_puts(para, text);
}
