//  bc_docparse - cleanly written report text into a Baocao__Report
#include "bc_docparse.h"
#include "bc_alloc.h"
#include "bc_clock.h"
#include "bc_notation.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Where the line-by-line reader stands in the letter.
typedef enum {
    S_HEADER,                           //  before "Kính gửi:" and any heading
    S_PREAMBLE,                         //  after "Kính gửi:", before a heading
    S_SECTIONS,                         //  inside a numbered section
    S_CLOSING,                          //  after "Trên đây", before "Nơi nhận:"
    S_DISTRIBUTION,                     //  the "- ..." list after "Nơi nhận:"
    S_SIGNER                            //  the lines after the list
} s_state_t;

typedef struct {
    Baocao__Report *report;             //  being built, owned
    s_state_t state;
    Baocao__Section *section;           //  current section, inside report
    bc_buf_t body;                      //  current section's body
    char **signer;                      //  signer lines (borrowed from text)
    size_t n_signer;
    size_t signer_cap;
} s_parse_t;

//  --------------------------------------------------------------------------
//  UTF-8

//  Decodes one code point from s (n bytes left). Returns its length in bytes,
//  or 0 when the bytes are not well-formed UTF-8 (overlong, surrogate,
//  beyond U+10FFFF, truncated).
static size_t
s_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp_p)
{
    if (n == 0) {
        return 0;
    }
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp_p = c;
        return 1;
    }
    size_t len;
    uint32_t cp;
    uint32_t min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
        min = 0x80;
    }
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
        min = 0x800;
    }
    else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
        min = 0x10000;
    }
    else {
        return 0;
    }
    if (n < len) {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    *cp_p = cp;
    return len;
}

//  Checks the whole input: no NUL, well-formed UTF-8. On failure writes the
//  1-based line into *line_p and returns the reason.
static const char *
s_check_text(const char *text, size_t size, size_t *line_p)
{
    const unsigned char *s = (const unsigned char *) text;
    size_t line = 1;
    size_t i = 0;
    while (i < size) {
        if (s[i] == '\0') {
            *line_p = line;
            return "NUL byte in text";
        }
        if (s[i] == '\n') {
            line++;
        }
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t len = s_utf8_decode(s + i, size - i, &cp);
        if (len == 0) {
            *line_p = line;
            return "not UTF-8 text";
        }
        i += len;
    }
    return NULL;
}

//  Case of a letter, for the scripts a Vietnamese letter uses: ASCII,
//  Latin-1, Latin Extended-A, Ơ/Ư from Extended-B, Latin Extended
//  Additional (ạ..ỹ). Returns 1 lower, 2 upper, 0 not a cased letter.
static int
s_letter_case(uint32_t cp)
{
    if (cp >= 'a' && cp <= 'z') {
        return 1;
    }
    if (cp >= 'A' && cp <= 'Z') {
        return 2;
    }
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) {
        return 2;
    }
    if (cp >= 0xDF && cp <= 0xFF && cp != 0xF7) {
        return 1;
    }
    if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177)) {
        return (cp & 1) ? 1 : 2;
    }
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) {
        return (cp & 1) ? 2 : 1;
    }
    if (cp == 0x1A0 || cp == 0x1AF) {
        return 2;
    }
    if (cp == 0x1A1 || cp == 0x1B0) {
        return 1;
    }
    if (cp >= 0x1E00 && cp <= 0x1EFF) {
        if (cp >= 0x1E96 && cp <= 0x1E9D) {
            return 1;
        }
        return (cp & 1) ? 1 : 2;
    }
    return 0;
}

//  True when the line has at least one upper-case letter and no lower-case
//  one ("KT. GIÁM ĐỐC", "PHÓ CHỦ TỊCH").
static int
s_all_upper(const char *line)
{
    const unsigned char *s = (const unsigned char *) line;
    size_t n = strlen(line);
    int upper = 0;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t len = s_utf8_decode(s + i, n - i, &cp);
        if (len == 0) {
            return 0;                   //  checked before, cannot happen
        }
        int c = s_letter_case(cp);
        if (c == 1) {
            return 0;
        }
        if (c == 2) {
            upper = 1;
        }
        i += len;
    }
    return upper;
}

//  --------------------------------------------------------------------------
//  Line helpers

//  Trims spaces, tabs and no-break spaces (U+00A0) at both ends, in place.
static char *
s_trim(char *line)
{
    while (*line == ' ' || *line == '\t'
           || ((unsigned char) line[0] == 0xC2 && (unsigned char) line[1] == 0xA0)) {
        line += *line == ' ' || *line == '\t' ? 1 : 2;
    }
    size_t n = strlen(line);
    while (n > 0) {
        if (line[n - 1] == ' ' || line[n - 1] == '\t') {
            n--;
        }
        else if (n >= 2 && (unsigned char) line[n - 2] == 0xC2
                 && (unsigned char) line[n - 1] == 0xA0) {
            n -= 2;
        }
        else {
            break;
        }
    }
    line[n] = '\0';
    return line;
}

//  If line starts with prefix, returns what follows it, else NULL.
static const char *
s_after(const char *line, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(line, prefix, n) == 0 ? line + n : NULL;
}

//  If line is "<label> :" or "<label>: rest", returns rest (trimmed view),
//  else NULL.
static const char *
s_labelled(const char *line, const char *label)
{
    const char *p = s_after(line, label);
    if (!p) {
        return NULL;
    }
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    if (*p != ':') {
        return NULL;
    }
    p++;
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    return p;
}

//  A copy of text without trailing ';', '.', ',' and spaces.
static char *
s_strip_tail(const char *text)
{
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == ';' || text[n - 1] == '.' || text[n - 1] == ','
                     || text[n - 1] == ' ' || text[n - 1] == '\t')) {
        n--;
    }
    return bc_strndup(text, n);
}

//  Recognizes a heading "N. Title": 1 to 3 digits, '.', at least one space,
//  a non-empty title. On a match returns 1 with the number's length in
//  *num_len and the title's start in *title_p.
static int
s_heading(const char *line, size_t *num_len, const char **title_p)
{
    size_t n = 0;
    while (line[n] >= '0' && line[n] <= '9') {
        n++;
    }
    if (n == 0 || n > 3 || line[n] != '.') {
        return 0;
    }
    const char *p = line + n + 1;
    if (*p != ' ' && *p != '\t') {
        return 0;
    }
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    if (*p == '\0') {
        return 0;
    }
    *num_len = n;
    *title_p = p;
    return 1;
}

//  A list item line: starts with '-' or an en dash (U+2013).
static const char *
s_item(const char *line)
{
    const char *p = NULL;
    if (line[0] == '-') {
        p = line + 1;
    }
    else if ((unsigned char) line[0] == 0xE2 && (unsigned char) line[1] == 0x80
             && (unsigned char) line[2] == 0x93) {
        p = line + 3;
    }
    if (!p) {
        return NULL;
    }
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    return p;
}

//  --------------------------------------------------------------------------
//  Building the report

static void
s_set_string(char **field, const char *value)
{
    if (*field && *field != protobuf_c_empty_string) {
        free(*field);
    }
    *field = bc_strdup(value);
}

static void
s_section_finish(s_parse_t *self)
{
    if (self->section) {
        self->section->body = bc_buf_take(&self->body);
        self->section = NULL;
    }
}

static void
s_section_start(s_parse_t *self, const char *number, size_t num_len, const char *title)
{
    s_section_finish(self);
    Baocao__Report *report = self->report;
    Baocao__Section *section = bc_malloc(sizeof *section);
    baocao__section__init(section);
    section->number = bc_strndup(number, num_len);
    section->title = bc_strdup(title);
    report->sections = bc_realloc(report->sections,
                                  (report->n_sections + 1) * sizeof *report->sections);
    report->sections[report->n_sections++] = section;
    self->section = section;
}

static void
s_body_line(s_parse_t *self, const char *line)
{
    if (self->body.len > 0) {
        bc_buf_append(&self->body, "\n", 1);
    }
    bc_buf_puts(&self->body, line);
}

static void
s_distribution_add(s_parse_t *self, const char *item)
{
    char *text = s_strip_tail(item);
    if (*text == '\0') {
        free(text);
        return;
    }
    Baocao__Report *report = self->report;
    report->distribution = bc_realloc(report->distribution,
                                      (report->n_distribution + 1) * sizeof(char *));
    report->distribution[report->n_distribution++] = text;
}

static void
s_signer_add(s_parse_t *self, char *line)
{
    if (self->n_signer == self->signer_cap) {
        self->signer_cap = self->signer_cap ? self->signer_cap * 2 : 8;
        self->signer = bc_realloc(self->signer, self->signer_cap * sizeof(char *));
    }
    self->signer[self->n_signer++] = line;
}

static int
s_authority_mark(const char *line)
{
    return strstr(line, "KT.") || strstr(line, "TM.") || strstr(line, "TL.")
           || strstr(line, "Q.");
}

//  Joins lines[from..to) with spaces into a new string.
static char *
s_join_lines(char **lines, size_t from, size_t to)
{
    bc_buf_t buf;
    bc_buf_init(&buf);
    for (size_t i = from; i < to; i++) {
        if (buf.len > 0) {
            bc_buf_append(&buf, " ", 1);
        }
        bc_buf_puts(&buf, lines[i]);
    }
    return bc_buf_take(&buf);
}

//  Turns the collected signer lines into report->signer (see the header):
//  the last line is the name; the leading lines carrying KT./TM./TL./Q.
//  (or else a first line without lower case) are the authority; the rest
//  is the title.
static void
s_signer_finish(s_parse_t *self)
{
    size_t n = self->n_signer;
    if (n == 0) {
        return;
    }
    Baocao__Signer *signer = bc_malloc(sizeof *signer);
    baocao__signer__init(signer);
    signer->name = bc_strdup(self->signer[n - 1]);
    size_t k = 0;
    while (k < n - 1 && s_authority_mark(self->signer[k])) {
        k++;
    }
    if (k == 0 && n >= 2 && s_all_upper(self->signer[0])) {
        k = 1;
    }
    if (k > 0) {
        signer->authority = s_join_lines(self->signer, 0, k);
    }
    if (k < n - 1) {
        signer->title = s_join_lines(self->signer, k, n - 1);
    }
    self->report->signer = signer;
}

//  "Quảng Trị, ngày 24 tháng 11 năm 2026" into place and date.
static int
s_place_date(s_parse_t *self, const char *line)
{
    const char *at = strstr(line, "ngày ");
    if (!at) {
        return 0;
    }
    unsigned day, month, year;
    if (sscanf(at, "ngày %u tháng %u năm %u", &day, &month, &year) != 3
        || !bc_clock_date_valid(year, month, day)) {
        return 0;
    }
    Baocao__Report *report = self->report;
    if (!report->date) {
        report->date = bc_malloc(sizeof *report->date);
        baocao__date__init(report->date);
    }
    report->date->year = year;
    report->date->month = month;
    report->date->day = day;
    const char *end = at;
    while (end > line && (end[-1] == ' ' || end[-1] == ',')) {
        end--;
    }
    if (end > line) {
        char *place = bc_strndup(line, (size_t) (end - line));
        s_set_string(&report->place, place);
        free(place);
    }
    return 1;
}

//  Header lines: "Số:", "V/v", place and date. Returns 1 when used.
static int
s_header_line(s_parse_t *self, const char *line)
{
    Baocao__Report *report = self->report;
    const char *rest = s_labelled(line, "Số");
    if (rest) {
        bc_notation_t cit;
        if (report->number == 0 && bc_notation_parse(rest, &cit) == BC_OK) {
            report->number = cit.number;
            report->year = cit.year;
            s_set_string(&report->notation, cit.notation);
        }
        return 1;
    }
    rest = s_after(line, "V/v");
    if (!rest) {
        rest = s_after(line, "V/V");
    }
    if (rest && (*rest == ' ' || *rest == ':' || *rest == '\t')) {
        while (*rest == ' ' || *rest == ':' || *rest == '\t') {
            rest++;
        }
        if (*rest) {
            s_set_string(&report->subject, rest);
        }
        return 1;
    }
    return s_place_date(self, line);
}

static void
s_recipient(s_parse_t *self, const char *name)
{
    char *text = s_strip_tail(name);
    if (*text) {
        Baocao__Agency *agency = bc_malloc(sizeof *agency);
        baocao__agency__init(agency);
        agency->name = text;
        self->report->recipient = agency;
    }
    else {
        free(text);
    }
}

static void
s_line(s_parse_t *self, char *line)
{
    const char *rest;
    if (self->state == S_HEADER || self->state == S_PREAMBLE
        || self->state == S_SECTIONS) {
        size_t num_len;
        const char *title;
        if (s_heading(line, &num_len, &title)) {
            s_section_start(self, line, num_len, title);
            self->state = S_SECTIONS;
            return;
        }
        if (s_after(line, "Trên đây")) {
            s_section_finish(self);
            s_set_string(&self->report->closing, line);
            self->state = S_CLOSING;
            return;
        }
    }
    if (self->state != S_DISTRIBUTION && self->state != S_SIGNER
        && (rest = s_labelled(line, "Nơi nhận")) != NULL) {
        s_section_finish(self);
        self->state = S_DISTRIBUTION;
        const char *item = s_item(rest);
        if (item) {
            s_distribution_add(self, item);
        }
        return;
    }
    switch (self->state) {
    case S_HEADER:
        if ((rest = s_labelled(line, "Kính gửi")) != NULL) {
            s_recipient(self, rest);
            self->state = S_PREAMBLE;
        }
        else {
            s_header_line(self, line);
        }
        break;
    case S_PREAMBLE:
        break;
    case S_SECTIONS:
        s_body_line(self, line);
        break;
    case S_CLOSING:
        s_signer_add(self, line);
        break;
    case S_DISTRIBUTION: {
        const char *item = s_item(line);
        if (item) {
            s_distribution_add(self, item);
        }
        else {
            //  Some layouts put the signer block before the list: lines
            //  after the list win over any seen before it.
            self->n_signer = 0;
            s_signer_add(self, line);
            self->state = S_SIGNER;
        }
        break;
    }
    case S_SIGNER:
        s_signer_add(self, line);
        break;
    }
}

static int
s_number_equal(const char *a, const char *b)
{
    while (*a == '0' && a[1] >= '0' && a[1] <= '9') {
        a++;
    }
    while (*b == '0' && b[1] >= '0' && b[1] <= '9') {
        b++;
    }
    return strcmp(a, b) == 0;
}

void
bc_docparse_match_outline(Baocao__Report *report, const Baocao__ReportRequest *request)
{
    assert(report);
    for (size_t i = 0; i < report->n_sections; i++) {
        Baocao__Section *section = report->sections[i];
        const char *match = "";
        for (size_t j = 0; request && j < request->n_outline; j++) {
            const Baocao__OutlineItem *item = request->outline[j];
            if (item && item->number && *item->number && section->number
                && s_number_equal(section->number, item->number)) {
                match = section->number;
                break;
            }
        }
        char *copy = bc_strdup(match);
        s_set_string(&section->outline_item, copy);
        free(copy);
    }
}

bc_err
bc_docparse_text(const char *text, size_t size, const Baocao__ReportRequest *request,
                 Baocao__Report **report_p, char *why, size_t why_size)
{
    assert(report_p);
    char dummy[1];
    if (!why || why_size == 0) {
        why = dummy;
        why_size = sizeof dummy;
    }
    if (!text && size > 0) {
        snprintf(why, why_size, "no text");
        return BC_EINVAL;
    }
    if (size > BC_DOCPARSE_MAX_INPUT) {
        snprintf(why, why_size, "text of %zu bytes over the limit of %u", size,
                 BC_DOCPARSE_MAX_INPUT);
        return BC_ETOOBIG;
    }
    size_t bad_line = 0;
    const char *bad = size ? s_check_text(text, size, &bad_line) : NULL;
    if (bad) {
        snprintf(why, why_size, "line %zu: %s", bad_line, bad);
        return BC_EINVAL;
    }
    //  One normalized copy, cut into lines in place: BOM skipped, CRLF and
    //  lone CR turned into LF.
    size_t start = 0;
    if (size >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        start = 3;
    }
    char *copy = bc_malloc(size - start + 1);
    size_t len = 0;
    for (size_t i = start; i < size; i++) {
        if (text[i] == '\r') {
            copy[len++] = '\n';
            if (i + 1 < size && text[i + 1] == '\n') {
                i++;
            }
        }
        else {
            copy[len++] = text[i];
        }
    }
    copy[len] = '\0';

    int blank = 1;
    for (size_t i = 0; i < len && blank; i++) {
        if (copy[i] != ' ' && copy[i] != '\t' && copy[i] != '\n') {
            blank = 0;
        }
    }
    if (blank) {
        free(copy);
        snprintf(why, why_size, "empty document");
        return BC_EINVAL;
    }

    s_parse_t parse;
    memset(&parse, 0, sizeof parse);
    parse.report = bc_malloc(sizeof *parse.report);
    baocao__report__init(parse.report);
    parse.state = S_HEADER;
    bc_buf_init(&parse.body);

    char *line = copy;
    while (line) {
        char *nl = strchr(line, '\n');
        if (nl) {
            *nl = '\0';
        }
        char *trimmed = s_trim(line);
        if (*trimmed) {
            s_line(&parse, trimmed);
        }
        line = nl ? nl + 1 : NULL;
    }
    s_section_finish(&parse);
    s_signer_finish(&parse);
    bc_docparse_match_outline(parse.report, request);

    bc_buf_release(&parse.body);
    free(parse.signer);
    free(copy);
    *report_p = parse.report;
    return BC_OK;
}
