//  bc_outline - section to outline item: by number, else by title similarity
#include "bc_outline.h"
#include "bc_alloc.h"
#include "bc_text.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define S_MAX_WORDS     64              //  words of a title compared

//  The number without leading zeros, final '.'/')' and spaces, upper case
//  ASCII, into out.
static void
s_norm_number(const char *in, char *out, size_t size)
{
    const char *p = in ? in : "";
    while (*p == ' ') {
        p++;
    }
    while (*p == '0' && p[1] >= '0' && p[1] <= '9') {
        p++;
    }
    size_t n = 0;
    for (; *p && n + 1 < size; p++) {
        char c = *p;
        if (c >= 'a' && c <= 'z') {
            c = (char) (c - 'a' + 'A');
        }
        out[n++] = c;
    }
    while (n > 0 && (out[n - 1] == '.' || out[n - 1] == ')' || out[n - 1] == ' ')) {
        n--;
    }
    out[n] = '\0';
}

int
bc_outline_same_number(const char *a, const char *b)
{
    char na[32], nb[32];
    s_norm_number(a, na, sizeof na);
    s_norm_number(b, nb, sizeof nb);
    return na[0] && strcmp(na, nb) == 0;
}

//  The distinct folded words of text into words (at most S_MAX_WORDS);
//  returns how many. words[i] point into folded, which the caller frees.
static size_t
s_words(const char *text, char **folded_p, char **words)
{
    char *f = bc_text_fold(text ? text : "");
    *folded_p = f;
    size_t n = 0;
    char *p = f;
    while (*p && n < S_MAX_WORDS) {
        while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')
                       || ((unsigned char) *p & 0x80))) {
            p++;
        }
        if (!*p) {
            break;
        }
        char *w = p;
        while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || ((unsigned char) *p & 0x80)) {
            p++;
        }
        if (*p) {
            *p++ = '\0';
        }
        int seen = 0;
        for (size_t i = 0; i < n && !seen; i++) {
            seen = strcmp(words[i], w) == 0;
        }
        if (!seen) {
            words[n++] = w;
        }
    }
    return n;
}

double
bc_outline_similarity(const char *a, const char *b)
{
    char *fa, *fb;
    char *wa[S_MAX_WORDS], *wb[S_MAX_WORDS];
    size_t na = s_words(a, &fa, wa);
    size_t nb = s_words(b, &fb, wb);
    size_t common = 0;
    for (size_t i = 0; i < na; i++) {
        for (size_t j = 0; j < nb; j++) {
            if (strcmp(wa[i], wb[j]) == 0) {
                common++;
                break;
            }
        }
    }
    free(fa);
    free(fb);
    if (na + nb == 0) {
        return 0;
    }
    return (2.0 * (double) common) / (double) (na + nb);
}

static void
s_set(Baocao__Section *section, const char *value)
{
    if (section->outline_item && section->outline_item != protobuf_c_empty_string) {
        free(section->outline_item);
    }
    section->outline_item = value && *value ? bc_strdup(value) : (char *) protobuf_c_empty_string;
}

static const char *
s_match(const Baocao__Section *section, const Baocao__ReportRequest *request,
        const char *parent_item)
{
    if (!request) {
        return "";
    }
    const Baocao__OutlineItem *by_number = NULL;
    const Baocao__OutlineItem *by_title = NULL;
    double best = 0;
    for (size_t i = 0; i < request->n_outline; i++) {
        const Baocao__OutlineItem *item = request->outline[i];
        if (!item || !item->number || !*item->number) {
            continue;
        }
        if (!by_number && section->number && bc_outline_same_number(section->number, item->number)) {
            by_number = item;
        }
        if (section->title && *section->title && item->title && *item->title) {
            double s = bc_outline_similarity(section->title, item->title);
            if (s > best) {
                best = s;
                by_title = item;
            }
        }
    }
    if (by_number) {
        //  Departments sometimes number their own way ("3. Khó khăn" for the
        //  outline's item 4): a title that clearly names another item wins.
        if (by_title && by_title != by_number && best >= BC_OUTLINE_RENUMBERED && section->title
            && by_number->title && *by_number->title
            && bc_outline_similarity(section->title, by_number->title) < BC_OUTLINE_NUMBER_DOUBT) {
            return by_title->number;
        }
        return by_number->number;
    }
    if (parent_item && *parent_item) {
        return parent_item;
    }
    if (by_title && best >= BC_OUTLINE_TITLE_MATCH) {
        return by_title->number;
    }
    return "";
}

static void
s_walk(Baocao__Section *section, const Baocao__ReportRequest *request, const char *parent_item,
       int depth)
{
    if (!section || depth > 32) {
        return;
    }
    const char *item = s_match(section, request, parent_item);
    //  The string may be the parent's own field, about to stay alive: copy
    //  before replacing ours.
    char *copy = bc_strdup(item);
    s_set(section, copy);
    free(copy);
    for (size_t i = 0; i < section->n_children; i++) {
        s_walk(section->children[i], request, section->outline_item, depth + 1);
    }
}

void
bc_outline_match(Baocao__Report *report, const Baocao__ReportRequest *request)
{
    assert(report);
    for (size_t i = 0; i < report->n_sections; i++) {
        s_walk(report->sections[i], request, NULL, 0);
    }
}
