//  bc_letter - header, addressees, distribution list and signer of an official letter
#include "bc_letter.h"
#include "bc_alloc.h"
#include "bc_legal.h"
#include "bc_notation.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define S_COLUMN_SLACK      4           //  columns a right-hand cell may start left of the others
#define S_SUBJECT_LINES     4           //  continuation lines of a subject
#define S_SUBJECT_WIDTH     60          //  a wider line after "V/v" starts the text
#define S_PLACE_WORDS       5
#define S_NAME_WIDTH        40          //  a signer's name line
#define S_SIGNER_WIDTH      60          //  an authority or title line
#define S_HEADER_LINES      14          //  lines a header without "Kính gửi:" may span
#define S_NAME_MAX          512         //  bytes of an organ's, an item's name

//  --------------------------------------------------------------------------
//  Words of the letter

//  Organ heads, folded, longest first: what an organ's name starts with.
static const char *s_heads[] = {
    "uy ban nhan dan", "hoi dong nhan dan", "kho bac nha nuoc", "bo chi huy",
    "thanh tra", "van phong", "chi cuc", "tong cuc", "trung tam", "benh vien", "cong an",
    "chi nhanh", "tinh uy", "thanh uy", "huyen uy", "ubnd", "hdnd", "so", "ban", "cuc",
    "phong", "bo", "truong", "dai", "vien", "doan", "hoi",
};

//  Heads after which an administrative unit names the place ("ỦY BAN NHÂN
//  DÂN TỈNH QUẢNG TRỊ"), folded.
static const char *s_local_heads[] = {
    "uy ban nhan dan", "hoi dong nhan dan", "ubnd", "hdnd", "thanh tra", "ban", "so",
    "van phong", "cong an", "kho bac nha nuoc",
};

//  Administrative units, lower case with their marks: "quận" and "quản"
//  fold alike, so they are compared unfolded.
static const char *s_units[] = {
    "thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận", "xã", "phường",
};

//  Abbreviations kept in capitals in an organ's name, folded.
static const char *s_abbrevs[] = {
    "ubnd", "hdnd", "mttq", "tw", "bch", "thpt", "thcs", "tttt", "vhtt", "bhxh", "kbnn",
};

//  Document forms whose title stands in the header instead of "V/v".
static const char *s_forms[] = {
    "bao cao", "ke hoach", "thong bao", "to trinh", "chuong trinh", "de an",
};

static const char *s_authorities[] = {
    "kt.", "tm.", "tl.", "q.", "thua lenh", "thay mat", "ky thay", "quyen",
};

static const char *s_stamps[] = {
    "ky boi", "nguoi ky", "thoi gian ky", "ngay ky", "email:", "co quan:", "(da ky", "da ky",
    "(ky", "[ky", "(chu ky",
};

static int
s_in(const char *text, const char **list, size_t count, size_t *len_p)
{
    for (size_t i = 0; i < count; i++) {
        size_t n = bc_text_match_word(text, list[i]);
        if (n == 0 && list[i][strlen(list[i]) - 1] == '.') {
            n = bc_text_match(text, list[i]);       //  "KT." needs no boundary after
        }
        if (n) {
            if (len_p) {
                *len_p = n;
            }
            return 1;
        }
    }
    return 0;
}

#define S_IN(text, list, len_p)     s_in((text), (list), sizeof(list) / sizeof(list)[0], (len_p))

static const char *
s_skip_spaces(const char *p)
{
    while (*p == ' ') {
        p++;
    }
    return p;
}

//  "<label> :" at the start of text; returns the bytes through the colon
//  (or through the label when the colon is optional and absent), else 0.
static size_t
s_label(const char *text, const char *label, int colon_required)
{
    size_t n = bc_text_match_word(text, label);
    if (n == 0 || !bc_text_starts_upper(text)) {
        return 0;
    }
    const char *p = s_skip_spaces(text + n);
    if (*p == ':') {
        return (size_t) (p + 1 - text);
    }
    return colon_required ? 0 : n;
}

size_t
bc_letter_kinh_gui(const char *text)
{
    size_t n = s_label(text, "kinh gui", 1);
    if (n) {
        return n;
    }
    //  Without its colon when a name or a list follows at once: "Kính gửi
    //  Sở Thông tin và Truyền thông."; never in running text, where it is
    //  written in lower case.
    n = s_label(text, "kinh gui", 0);
    if (n && text[n] == ' ' && (bc_text_starts_upper(text + n + 1) || text[n + 1] == '-')) {
        return n;
    }
    return 0;
}

size_t
bc_letter_noi_nhan(const char *text)
{
    return s_label(text, "noi nhan", 0);
}

int
bc_letter_authority(const char *text)
{
    //  The mark may follow other words on the line ("TM. ỦY BAN NHÂN DÂN
    //  KT. CHỦ TỊCH") but is always upper case.
    for (const char *p = text; *p; p++) {
        if (p != text && p[-1] != ' ') {
            continue;
        }
        if (!bc_text_starts_upper(p)) {
            continue;
        }
        size_t n;
        if (S_IN(p, s_authorities, &n)) {
            if (p[n - 1] == '.' || bc_text_all_upper(p)) {
                return 1;
            }
        }
    }
    return 0;
}

int
bc_letter_stamp(const char *text)
{
    return S_IN(text, s_stamps, NULL);
}

int
bc_letter_item(const char *text)
{
    static const char *dashes[] = {
        "-", "\xE2\x80\x93", "\xE2\x80\x94", "+", "\xE2\x80\xA2", "*",
    };
    for (size_t i = 0; i < sizeof dashes / sizeof dashes[0]; i++) {
        size_t n = strlen(dashes[i]);
        if (strncmp(text, dashes[i], n) == 0 && text[n] == ' ' && text[n + 1] != '\0') {
            return 1;
        }
    }
    //  "-Như trên;" without the space, as some typists write.
    return text[0] == '-' && bc_text_starts_upper(text + 1);
}

//  The text of an item without its dash.
static const char *
s_item_text(const char *text)
{
    int32_t cp;
    const char *p = text + bc_text_decode(text, &cp);
    return s_skip_spaces(p);
}

//  A copy of text without trailing ';', '.', ',' and spaces.
static char *
s_strip_tail(const char *text)
{
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == ';' || text[n - 1] == '.' || text[n - 1] == ','
                     || text[n - 1] == ' ')) {
        n--;
    }
    return bc_strndup(text, n);
}

static void
s_set_string(char **field, const char *value)
{
    if (*field && *field != protobuf_c_empty_string) {
        free(*field);
    }
    *field = bc_strdup(value);
}

//  --------------------------------------------------------------------------
//  The organ's proper name

//  Appends word (len bytes) lower-cased, or with its first letter upper.
static void
s_put_word(bc_buf_t *out, const char *word, size_t len, int capital)
{
    char *w = bc_strndup(word, len);
    const char *p = w;
    int32_t cp;
    size_t n;
    int first = 1;
    while ((n = bc_text_decode(p, &cp)) > 0) {
        bc_text_put(out, first && capital ? bc_text_to_upper(cp) : bc_text_to_lower(cp));
        if (bc_text_is_alpha(cp)) {
            first = 0;
        }
        p += n;
    }
    free(w);
}

//  The lower-case form of len bytes at p (marks kept).
static char *
s_lower(const char *p, size_t len)
{
    bc_buf_t out;
    bc_buf_init(&out);
    s_put_word(&out, p, len, 0);
    bc_buf_append(&out, "", 0);
    return bc_buf_take(&out);
}

static int
s_vowelless(const char *word, size_t len)
{
    char *w = bc_strndup(word, len);
    char *f = bc_text_fold(w);
    int none = strpbrk(f, "aeiouy") == NULL;
    free(f);
    free(w);
    return none;
}

//  An administrative unit at p (one or two words); returns its bytes.
static size_t
s_unit(const char *p)
{
    for (size_t i = 0; i < sizeof s_units / sizeof s_units[0]; i++) {
        size_t len = strlen(s_units[i]);
        char *low = s_lower(p, strnlen(p, len + 8));
        int match = strncmp(low, s_units[i], len) == 0
                    && (low[len] == '\0' || low[len] == ' ' || low[len] == ',');
        free(low);
        if (match) {
            //  The same bytes count in p: lower-casing keeps UTF-8 lengths
            //  for Vietnamese letters.
            return len;
        }
    }
    return 0;
}

//  "SỞ KẾ HOẠCH VÀ ĐẦU TƯ" -> "Sở Kế hoạch và Đầu tư": the head word(s)
//  with a capital initial; each field of the name ("Kế hoạch", "Đầu tư",
//  after "và", a comma or " - ") with a capital initial; after an
//  administrative unit ("tỉnh", "huyện"), the place name in title case;
//  abbreviations (UBND) kept.
static char *
s_proper(const char *upper)
{
    bc_buf_t out;
    bc_buf_init(&out);
    const char *p = s_skip_spaces(upper);
    enum { S_FIELD_START, S_FIELD_IN, S_PLACE } state = S_FIELD_START;
    int after_head = 0;
    size_t head_len = 0;
    if (S_IN(p, s_heads, &head_len)) {
        s_put_word(&out, p, head_len, 1);
        after_head = S_IN(p, s_local_heads, NULL);
        p = s_skip_spaces(p + head_len);
    }
    else {
        after_head = 0;
    }
    int first = out.len == 0;
    while (*p) {
        if (out.len > 0) {
            bc_buf_append(&out, " ", 1);
        }
        size_t unit = (after_head || state == S_FIELD_IN) && state != S_PLACE ? s_unit(p) : 0;
        if (unit) {
            s_put_word(&out, p, unit, 0);
            p = s_skip_spaces(p + unit);
            state = S_PLACE;
            after_head = 0;
            continue;
        }
        after_head = 0;
        const char *e = p;
        while (*e && *e != ' ') {
            e++;
        }
        size_t len = (size_t) (e - p);
        size_t abbr = 0;
        if (S_IN(p, s_abbrevs, &abbr) || (len >= 2 && s_vowelless(p, len) && bc_text_all_upper(p))) {
            bc_buf_append(&out, p, len);
            state = state == S_PLACE ? S_PLACE : S_FIELD_IN;
        }
        else if (len == 1 && *p == '-') {
            bc_buf_append(&out, "-", 1);
            state = S_FIELD_START;
        }
        else if (bc_text_match_word(p, "va") && len <= 3 && state != S_PLACE) {
            s_put_word(&out, p, len, 0);
            state = S_FIELD_START;
        }
        else {
            int capital = first || state == S_FIELD_START || state == S_PLACE;
            s_put_word(&out, p, len, capital);
            if (state != S_PLACE) {
                state = p[len - 1] == ',' ? S_FIELD_START : S_FIELD_IN;
            }
        }
        first = 0;
        p = s_skip_spaces(e);
    }
    bc_buf_append(&out, "", 0);
    return bc_buf_take(&out);
}

//  The organ's name as the request spells it, when it names it.
static const char *
s_request_name(const char *upper, const Baocao__ReportRequest *request)
{
    if (!request) {
        return NULL;
    }
    char *folded = bc_text_fold(upper);
    const char *found = NULL;
    if (request->issuer && request->issuer->name && *request->issuer->name) {
        char *f = bc_text_fold(request->issuer->name);
        if (strcmp(f, folded) == 0) {
            found = request->issuer->name;
        }
        free(f);
    }
    for (size_t i = 0; i < request->n_recipients && !found; i++) {
        const Baocao__Agency *a = request->recipients[i];
        if (a && a->name && *a->name) {
            char *f = bc_text_fold(a->name);
            if (strcmp(f, folded) == 0) {
                found = a->name;
            }
            free(f);
        }
    }
    free(folded);
    return found;
}

//  --------------------------------------------------------------------------
//  Header

typedef enum {
    S_CELL_UNKNOWN,
    S_CELL_SKIP,                        //  motto, rule, stamp
    S_CELL_ORGAN,
    S_CELL_NUMBER,
    S_CELL_SUBJECT,                     //  "V/v ..."
    S_CELL_FORM,                        //  "BÁO CÁO" title
    S_CELL_DATE
} s_cell_kind_t;

typedef struct {
    const Baocao__ReportRequest *request;
    Baocao__Report *report;
    bc_buf_t organ;                     //  the last organ entry, upper case
    bc_buf_t subject;
    int subject_col;                    //  column the subject stands in, -1 when closed
    int subject_lines;
    int after_form;                     //  the line after a form title is the subject
    int whole;
    int blank;                          //  the current line follows a blank line that counts
} s_header_t;

//  "Quảng Trị, ngày 16 tháng 8 năm 2022": the place (up to a few words)
//  and a date ending the cell. Returns 1 and sets the report when it is.
static int
s_place_date(s_header_t *h, const char *text, int apply)
{
    const char *at = NULL;
    for (const char *p = text; *p; p++) {
        if ((p == text || p[-1] == ' ') && bc_text_match_word(p, "ngay")) {
            at = p;
            break;
        }
    }
    if (!at) {
        return 0;
    }
    unsigned y, m, d;
    size_t n = bc_legal_date(at, &y, &m, &d);
    if (n == 0) {
        return 0;
    }
    const char *rest = s_skip_spaces(at + n);
    if (*rest == '.') {
        rest = s_skip_spaces(rest + 1);
    }
    if (*rest) {
        return 0;                       //  "Ngày 16/3/2026, Sở tổ chức...": a sentence
    }
    const char *end = at;
    while (end > text && (end[-1] == ' ' || end[-1] == ',')) {
        end--;
    }
    size_t words = 0;
    for (const char *p = text; p < end; p++) {
        if (*p == ' ') {
            words++;
        }
        if (*p >= '0' && *p <= '9') {
            return 0;
        }
    }
    if (end > text && (words + 1 > S_PLACE_WORDS || !bc_text_starts_upper(text))) {
        return 0;
    }
    if (!apply) {
        return 1;
    }
    Baocao__Report *report = h->report;
    if (!report->date) {
        report->date = bc_malloc(sizeof *report->date);
        baocao__date__init(report->date);
    }
    report->date->year = y;
    report->date->month = m;
    report->date->day = d;
    if (end > text) {
        char *place = bc_strndup(text, (size_t) (end - text));
        s_set_string(&report->place, place);
        free(place);
    }
    return 1;
}

static int
s_motto(const char *text)
{
    return bc_text_match(text, "cong hoa xa hoi chu nghia") || bc_text_match(text, "doc lap")
           || bc_text_match(text, "tu do - hanh phuc");
}

//  "Số: 2031/SYT-VP" at text; returns the bytes of the label and number
//  read (0 when text is no number line); applies it when apply is set.
static size_t
s_number(s_header_t *h, const char *text, int apply)
{
    size_t n = s_label(text, "so", 1);
    if (n == 0) {
        return 0;
    }
    const char *p = s_skip_spaces(text + n);
    const char *e = p;
    while (*e && *e != ' ') {
        e++;
    }
    //  "Số: 46/2021/QĐ - UBND": the notation may hold spaced hyphens.
    while (e[0] == ' ' && e[1] == '-' && e[2] == ' ' && e[3] && e[3] != ' ') {
        e += 3;
        while (*e && *e != ' ') {
            e++;
        }
    }
    if (apply) {
        char *cite = bc_strndup(p, (size_t) (e - p));
        bc_notation_t parsed;
        Baocao__Report *report = h->report;
        if (report->number == 0 && bc_notation_parse(cite, &parsed) == BC_OK) {
            report->number = parsed.number;
            report->year = parsed.year;
            s_set_string(&report->notation, parsed.notation);
        }
        free(cite);
    }
    return (size_t) (e - text);
}

//  "V/v ...", "V/V: ...", "Về việc: ..."; returns the bytes of the label.
static size_t
s_subject_label(const char *text)
{
    if ((text[0] == 'V' || text[0] == 'v') && text[1] == '/' && (text[2] == 'v' || text[2] == 'V')
        && (text[3] == ' ' || text[3] == ':' || text[3] == '.')) {
        const char *p = text + 3;
        while (*p == ' ' || *p == ':' || *p == '.') {
            p++;
        }
        return (size_t) (p - text);
    }
    size_t n = s_label(text, "ve viec", 1);
    return n ? (size_t) (s_skip_spaces(text + n) - text) : 0;
}

static int
s_form(const char *text)
{
    if (!bc_text_all_upper(text)) {
        return 0;
    }
    char *folded = bc_text_fold(text);
    int form = 0;
    for (size_t i = 0; i < sizeof s_forms / sizeof s_forms[0] && !form; i++) {
        form = strcmp(folded, s_forms[i]) == 0;
    }
    free(folded);
    return form;
}

//  A numbered heading's start: "1. ", "II. ", "a) ".
static int
s_numbered(const char *text)
{
    const char *p = text;
    if (*p >= '0' && *p <= '9') {
        while (*p >= '0' && *p <= '9') {
            p++;
        }
    }
    else if (strchr("IVXLC", *p) && *p) {
        while (*p && strchr("IVXLC", *p)) {
            p++;
        }
    }
    else if (*p >= 'a' && *p <= 'z') {
        p++;
    }
    else {
        return 0;
    }
    return (*p == '.' || *p == ')') && p[1] == ' ';
}

static s_cell_kind_t
s_classify(s_header_t *h, const char *text)
{
    if (s_numbered(text)) {
        return S_CELL_UNKNOWN;          //  "I. KẾT QUẢ": a heading, not an organ
    }
    if (bc_letter_stamp(text) || s_motto(text)) {
        return S_CELL_SKIP;
    }
    if (s_number(h, text, 0)) {
        return S_CELL_NUMBER;
    }
    if (s_subject_label(text)) {
        return S_CELL_SUBJECT;
    }
    if (s_place_date(h, text, 0)) {
        return S_CELL_DATE;
    }
    if (s_form(text)) {
        return S_CELL_FORM;
    }
    if (bc_text_all_upper(text) && bc_text_width(text) >= 2 && !bc_letter_kinh_gui(text)) {
        return S_CELL_ORGAN;
    }
    return S_CELL_UNKNOWN;
}

static void
s_organ_line(s_header_t *h, const char *text)
{
    //  A line that starts no organ continues the previous one ("ỦY BAN
    //  NHÂN DÂN" / "TỈNH QUẢNG TRỊ", "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN" /
    //  "NÔNG THÔN").
    if (h->organ.len > 0 && !S_IN(text, s_heads, NULL)) {
        if (h->organ.len > S_NAME_MAX) {
            return;                     //  capitals all the way: no organ's name
        }
        bc_buf_append(&h->organ, " ", 1);
        bc_buf_puts(&h->organ, text);
        return;
    }
    h->organ.len = 0;
    bc_buf_puts(&h->organ, text);
}

//  Does an unknown cell go on with the subject in column col?
static int
s_subject_goes_on(const s_header_t *h, const char *text, int col)
{
    if (h->subject_col != col || h->subject_lines >= S_SUBJECT_LINES || bc_letter_kinh_gui(text)) {
        return 0;
    }
    if (s_numbered(text)) {
        return 0;
    }
    if (h->after_form) {
        return bc_text_width(text) <= BC_PARA_MAX_WIDTH;
    }
    const char *prev = h->subject.data ? h->subject.data : "";
    if (bc_para_ends_sentence(prev)) {
        return 0;
    }
    if (*text >= '0' && *text <= '9' && !bc_para_ends_open(prev)) {
        return 0;
    }
    //  Inside a header ended by "Kính gửi:" only the subject wraps; before
    //  an unmarked text, a blank line or a wide line starts the text.
    if (h->whole) {
        return 1;
    }
    if (h->blank) {
        return 0;
    }
    return bc_text_starts_lower(text) || bc_para_ends_open(prev)
           || bc_text_width(text) <= S_SUBJECT_WIDTH;
}

//  Handles one cell of the header; returns 0 when it is no header cell.
static int
s_cell(s_header_t *h, const char *text, int col)
{
    s_cell_kind_t kind = s_classify(h, text);
    //  A subject in capitals ("BÁO CÁO" / "KẾT QUẢ THỰC HIỆN ..."), right
    //  under its form title or going on from a line in capitals, is no
    //  organ.
    if (kind == S_CELL_ORGAN && h->subject_col == col
        && (h->after_form || (h->subject.len > 0 && bc_text_all_upper(h->subject.data)
                              && !S_IN(text, s_heads, NULL)))) {
        kind = S_CELL_UNKNOWN;
    }
    if (kind == S_CELL_UNKNOWN) {
        if (!s_subject_goes_on(h, text, col)) {
            return 0;
        }
        if (h->subject.len > 0) {
            bc_buf_append(&h->subject, " ", 1);
        }
        bc_buf_puts(&h->subject, text);
        h->subject_lines++;
        h->after_form = 0;
        return 1;
    }
    if (h->subject_col == col) {
        h->subject_col = -1;
        h->after_form = 0;
    }
    size_t n;
    switch (kind) {
    case S_CELL_NUMBER:
        n = s_number(h, text, 1);
        if (text[n]) {
            //  "Số: 12/SYT-VP Quảng Trị, ngày ...": two cells run together.
            s_cell(h, s_skip_spaces(text + n), col);
        }
        break;
    case S_CELL_SUBJECT:
        h->subject.len = 0;
        bc_buf_puts(&h->subject, text + s_subject_label(text));
        h->subject_col = col;
        h->subject_lines = 0;
        break;
    case S_CELL_FORM:
        h->subject.len = 0;
        h->subject_col = col;
        h->subject_lines = 0;
        h->after_form = 1;
        break;
    case S_CELL_DATE:
        s_place_date(h, text, 1);
        break;
    case S_CELL_ORGAN:
        s_organ_line(h, text);
        break;
    default:
        break;
    }
    return 1;
}

static int
s_cmp_unsigned(const void *a, const void *b)
{
    unsigned x = *(const unsigned *) a;
    unsigned y = *(const unsigned *) b;
    return x < y ? -1 : x > y;
}

//  Where the right column starts in lines [from, to): the median start of
//  every cell after a line's first, so that a run of spaces typed inside
//  the left column ("Số:   95/BC-UBND") does not move it. 0 when no line
//  holds two cells.
static unsigned
s_right_column(const bc_text_t *text, size_t from, size_t to)
{
    unsigned starts[64];
    size_t n = 0;
    for (size_t i = from; i < to && n < 64; i++) {
        bc_text_cell_t cells[BC_TEXT_MAX_CELLS];
        size_t k = bc_text_columns(text->lines[i].text, text->lines[i].indent, cells,
                                   BC_TEXT_MAX_CELLS);
        for (size_t c = 1; c < k && n < 64; c++) {
            starts[n++] = cells[c].column;
        }
    }
    if (n == 0) {
        return 0;
    }
    qsort(starts, n, sizeof *starts, s_cmp_unsigned);
    return starts[n / 2];
}

//  The line's left and right columns (cells before and from right, each
//  joined with single spaces), as two new strings.
static void
s_split_columns(const bc_text_line_t *line, unsigned right, char *cols[2])
{
    bc_text_cell_t cells[BC_TEXT_MAX_CELLS * 4];
    size_t n = bc_text_columns(line->text, line->indent, cells, BC_TEXT_MAX_CELLS * 4);
    bc_buf_t buf[2];
    bc_buf_init(&buf[0]);
    bc_buf_init(&buf[1]);
    for (size_t c = 0; c < n; c++) {
        int col = cells[c].column + S_COLUMN_SLACK >= right ? 1 : 0;
        if (buf[col].len > 0) {
            bc_buf_append(&buf[col], " ", 1);
        }
        bc_buf_append(&buf[col], cells[c].text, cells[c].len);
    }
    for (int c = 0; c < 2; c++) {
        cols[c] = bc_text_squeeze(buf[c].data ? buf[c].data : "", buf[c].len);
        bc_buf_release(&buf[c]);
    }
}

size_t
bc_letter_header(const bc_text_t *text, char **squeezed, size_t from, size_t limit, int whole,
                 const Baocao__ReportRequest *request, Baocao__Report *report)
{
    assert(text);
    assert(report);
    s_header_t h;
    memset(&h, 0, sizeof h);
    h.request = request;
    h.report = report;
    h.subject_col = -1;
    h.whole = whole;
    bc_buf_init(&h.organ);
    bc_buf_init(&h.subject);

    size_t scan = whole ? limit : (limit < from + S_HEADER_LINES ? limit : from + S_HEADER_LINES);
    unsigned right = s_right_column(text, from, scan);
    size_t end = from;
    for (size_t i = from; i < limit; i++) {
        const bc_text_line_t *line = &text->lines[i];
        if (!whole && line->width > BC_PARA_MAX_WIDTH) {
            break;                      //  a paragraph, not a header line
        }
        h.blank = i > from && line->blank_before > 0 && !text->double_spaced;
        int used = 0;
        if (right) {
            char *cols[2];
            s_split_columns(&text->lines[i], right, cols);
            for (int c = 0; c < 2; c++) {
                if (*cols[c]) {
                    used |= s_cell(&h, cols[c], c);
                }
                free(cols[c]);
            }
        }
        else {
            used = s_cell(&h, squeezed[i], 0);
        }
        if (!used && !whole) {
            break;
        }
        end = i + 1;
    }
    if (h.subject.len > 0) {
        char *subject = bc_text_squeeze(h.subject.data, h.subject.len);
        s_set_string(&report->subject, subject);
        free(subject);
    }
    if (h.organ.len > 0) {
        const char *known = s_request_name(h.organ.data, request);
        char *name = known ? bc_strdup(known) : s_proper(h.organ.data);
        if (!report->sender) {
            report->sender = bc_malloc(sizeof *report->sender);
            baocao__agency__init(report->sender);
        }
        s_set_string(&report->sender->name, name);
        free(name);
    }
    bc_buf_release(&h.organ);
    bc_buf_release(&h.subject);
    return whole ? limit : end;
}

//  --------------------------------------------------------------------------
//  Addressees

static void
s_add_agency(Baocao__Report *report, const char *name)
{
    char *text = s_strip_tail(name);
    if (!*text || report->n_addressees >= BC_LETTER_MAX_ITEMS) {
        free(text);
        return;
    }
    Baocao__Agency *agency = bc_malloc(sizeof *agency);
    baocao__agency__init(agency);
    agency->name = text;
    report->addressees = bc_realloc(report->addressees,
                                    (report->n_addressees + 1) * sizeof *report->addressees);
    report->addressees[report->n_addressees++] = agency;
}

//  Appends a wrapped line to the last addressee.
static void
s_extend_agency(Baocao__Report *report, const char *more)
{
    Baocao__Agency *last = report->addressees[report->n_addressees - 1];
    if (strlen(last->name) > S_NAME_MAX) {
        return;
    }
    bc_buf_t buf;
    bc_buf_init(&buf);
    bc_buf_puts(&buf, last->name);
    bc_buf_append(&buf, " ", 1);
    bc_buf_puts(&buf, more);
    char *name = s_strip_tail(buf.data);
    bc_buf_release(&buf);
    free(last->name);
    last->name = name;
}

size_t
bc_letter_addressees(const bc_text_t *text, char **squeezed, size_t at, size_t limit,
                     Baocao__Report *report)
{
    (void) text;
    const char *rest = s_skip_spaces(squeezed[at] + bc_letter_kinh_gui(squeezed[at]));
    const char *last_raw = rest;
    size_t i = at + 1;
    if (*rest) {
        s_add_agency(report, bc_letter_item(rest) ? s_item_text(rest) : rest);
    }
    else if (i < limit && !bc_letter_item(squeezed[i]) && bc_text_starts_upper(squeezed[i])) {
        //  Label and name extracted as two blocks: the name on its own line,
        //  short or ending with its stop, not the first line of the text.
        const char *t = squeezed[i];
        size_t width = bc_text_width(t);
        size_t len = strlen(t);
        int stop = len > 0 && (t[len - 1] == '.' || t[len - 1] == ';');
        int wraps = i + 1 < limit && bc_text_starts_lower(squeezed[i + 1]);
        if ((stop && width <= BC_PARA_MAX_WIDTH - 30) || (width <= S_SUBJECT_WIDTH && !wraps)) {
            s_add_agency(report, t);
            last_raw = t;
            i++;
        }
    }
    for (; i < limit; i++) {
        const char *t = squeezed[i];
        if (bc_letter_item(t)) {
            s_add_agency(report, s_item_text(t));
            last_raw = t;
            continue;
        }
        if (report->n_addressees > 0 && bc_text_starts_lower(t) && !bc_para_ends_sentence(last_raw)
            && bc_text_width(t) <= S_SUBJECT_WIDTH) {
            s_extend_agency(report, t);
            last_raw = t;
            continue;
        }
        break;
    }
    if (report->n_addressees > 0 && !report->recipient) {
        report->recipient = bc_malloc(sizeof *report->recipient);
        baocao__agency__init(report->recipient);
        report->recipient->name = bc_strdup(report->addressees[0]->name);
    }
    return i;
}

//  --------------------------------------------------------------------------
//  Signer and distribution

//  A signer's name: two to six words, each with a capital initial, no digit,
//  not all capitals, short.
static int
s_name_line(const char *text)
{
    if (bc_text_all_upper(text) || bc_text_width(text) > S_NAME_WIDTH
        || bc_para_ends_sentence(text) || !bc_text_starts_upper(text)) {
        return 0;
    }
    size_t words = 1;
    for (const char *p = text; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            return 0;
        }
        if (*p == ' ') {
            words++;
            if (!bc_text_starts_upper(p + 1)) {
                return 0;
            }
        }
    }
    return words >= 2 && words <= 6;
}

size_t
bc_letter_signer_start(const bc_text_t *text, char **squeezed, size_t from, size_t to)
{
    (void) text;
    size_t last = to;
    while (last > from && bc_letter_stamp(squeezed[last - 1])) {
        last--;
    }
    if (last == from || !s_name_line(squeezed[last - 1])) {
        return to;
    }
    size_t k = last - 1;
    size_t count = 0;
    while (k > from && count < BC_LETTER_MAX_SIGNER - 1) {
        const char *t = squeezed[k - 1];
        if (bc_text_width(t) > S_SIGNER_WIDTH
            || !(bc_text_all_upper(t) || bc_letter_authority(t) || bc_letter_stamp(t))) {
            break;
        }
        k--;
        count++;
    }
    return count > 0 ? k : to;
}

//  Lines of a signer block collected from wherever they stand.
typedef struct {
    char *lines[BC_LETTER_MAX_SIGNER];
    size_t n;
} s_lines_t;

static void
s_lines_add(s_lines_t *self, const char *text, size_t len)
{
    char *t = bc_text_squeeze(text, len);
    if (!*t || bc_letter_stamp(t) || self->n >= BC_LETTER_MAX_SIGNER) {
        free(t);
        return;
    }
    self->lines[self->n++] = t;
}

static void
s_lines_release(s_lines_t *self)
{
    for (size_t i = 0; i < self->n; i++) {
        free(self->lines[i]);
    }
    self->n = 0;
}

static char *
s_join(char **lines, size_t from, size_t to)
{
    bc_buf_t buf;
    bc_buf_init(&buf);
    for (size_t i = from; i < to; i++) {
        if (buf.len > 0) {
            bc_buf_append(&buf, " ", 1);
        }
        bc_buf_puts(&buf, lines[i]);
    }
    bc_buf_append(&buf, "", 0);
    return bc_buf_take(&buf);
}

//  The last line is the name; the leading lines with an authority mark
//  (or else a first line in capitals) the authority; the lines between the
//  title: "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC" / "Nguyễn Văn A".
static void
s_signer(Baocao__Report *report, const s_lines_t *lines)
{
    size_t n = lines->n;
    if (n == 0) {
        return;
    }
    Baocao__Signer *signer = bc_malloc(sizeof *signer);
    baocao__signer__init(signer);
    signer->name = bc_strdup(lines->lines[n - 1]);
    size_t k = 0;
    while (k < n - 1 && bc_letter_authority(lines->lines[k])) {
        k++;
    }
    if (k == 0 && n >= 2 && bc_text_all_upper(lines->lines[0])) {
        k = 1;
    }
    if (k > 0) {
        signer->authority = s_join((char **) lines->lines, 0, k);
    }
    if (k < n - 1) {
        signer->title = s_join((char **) lines->lines, k, n - 1);
    }
    report->signer = signer;
}

static void
s_add_item(Baocao__Report *report, const char *item)
{
    char *text = s_strip_tail(item);
    if (!*text || report->n_distribution >= BC_LETTER_MAX_ITEMS) {
        free(text);
        return;
    }
    report->distribution = bc_realloc(report->distribution,
                                      (report->n_distribution + 1) * sizeof(char *));
    report->distribution[report->n_distribution++] = text;
}

//  Where a signer's words run on after a list item on the same line
//  ("- Như trên; PHÓ GIÁM ĐỐC"): after the item's last ';' or '.', words
//  in capitals or an authority. Returns the offset, or 0.
static size_t
s_signer_inside(const char *item)
{
    const char *cut = NULL;
    for (const char *p = item; *p; p++) {
        if ((*p == ';' || *p == '.') && p[1] == ' ') {
            cut = p + 2;
        }
    }
    if (!cut) {
        return 0;
    }
    if (bc_letter_authority(cut)) {
        return (size_t) (cut - item);
    }
    //  A title: two words or more in capitals, no comma, no final stop
    //  ("PHÓ GIÁM ĐỐC"; not "VT, VP.").
    if (bc_text_all_upper(cut) && strchr(cut, ' ') && !strchr(cut, ',')
        && !bc_para_ends_sentence(cut)) {
        return (size_t) (cut - item);
    }
    return 0;
}

//  The authority mark's offset inside text (after other words), or 0.
static size_t
s_authority_inside(const char *text)
{
    if (!*text) {
        return 0;
    }
    for (const char *p = text + 1; *p; p++) {
        if (p[-1] == ' ' && bc_text_starts_upper(p) && S_IN(p, s_authorities, NULL)
            && bc_letter_authority(p)) {
            return (size_t) (p - text);
        }
    }
    return 0;
}

void
bc_letter_tail(const bc_text_t *text, char **squeezed, size_t signer_from, size_t at, size_t to,
               Baocao__Report *report)
{
    assert(text);
    assert(report);
    s_lines_t before, right, after;
    memset(&before, 0, sizeof before);
    memset(&right, 0, sizeof right);
    memset(&after, 0, sizeof after);
    for (size_t i = signer_from; i < at && i < to; i++) {
        s_lines_add(&before, squeezed[i], strlen(squeezed[i]));
    }
    if (at < to) {
        unsigned col = s_right_column(text, at, to);
        //  Plain extraction interleaves the two columns line by line ("Nơi
        //  nhận:", "KT. GIÁM ĐỐC", "- Như trên;", "PHÓ GIÁM ĐỐC", ...): every
        //  line is an item, a wrapped item, or the signer's.
        int item_open = 0;              //  the last item may wrap onto the next line
        for (size_t i = at; i < to; i++) {
            char *cols[2];
            if (col) {
                s_split_columns(&text->lines[i], col, cols);
            }
            else {
                cols[0] = bc_strdup(squeezed[i]);
                cols[1] = bc_strdup("");
            }
            for (int c = 0; c < 2; c++) {
                char *cell = cols[c];
                if (!*cell) {
                    free(cell);
                    continue;
                }
                int is_right = c == 1;
                const char *t = cell;
                if (i == at && c == 0) {
                    t = s_skip_spaces(t + bc_letter_noi_nhan(t));
                    size_t a = s_authority_inside(t);
                    if (a || bc_letter_authority(t)) {
                        //  "Nơi nhận: KT. GIÁM ĐỐC" run together.
                        s_lines_add(&right, t + a, strlen(t + a));
                        free(cell);
                        continue;
                    }
                }
                if (is_right) {
                    s_lines_add(&right, t, strlen(t));
                }
                else if (!*t) {
                    //  The bare label.
                }
                else if (bc_letter_item(t)) {
                    const char *item = s_item_text(t);
                    size_t cut = s_signer_inside(item);
                    char *own = cut ? bc_strndup(item, cut) : bc_strdup(item);
                    s_add_item(report, own);
                    free(own);
                    if (cut) {
                        s_lines_add(&right, item + cut, strlen(item + cut));
                    }
                    item_open = !cut && !bc_para_ends_sentence(item);
                }
                else if (item_open && report->n_distribution > 0 && bc_text_starts_lower(t)
                         && strlen(report->distribution[report->n_distribution - 1])
                            < S_NAME_MAX) {
                    //  A wrapped item.
                    char *prev = report->distribution[report->n_distribution - 1];
                    bc_buf_t buf;
                    bc_buf_init(&buf);
                    bc_buf_puts(&buf, prev);
                    bc_buf_append(&buf, " ", 1);
                    bc_buf_puts(&buf, t);
                    free(prev);
                    report->distribution[report->n_distribution - 1] = s_strip_tail(buf.data);
                    bc_buf_release(&buf);
                    item_open = !bc_para_ends_sentence(t);
                }
                else {
                    s_lines_add(&after, t, strlen(t));
                    item_open = 0;
                }
                free(cell);
            }
        }
    }
    //  Lines after the list (or beside it) win over any seen before it:
    //  the block before the list is, in some layouts, the signer's too.
    if (right.n > 0) {
        for (size_t i = 0; i < after.n; i++) {
            if (right.n < BC_LETTER_MAX_SIGNER) {
                right.lines[right.n++] = after.lines[i];
            }
            else {
                free(after.lines[i]);
            }
        }
        after.n = 0;
        s_signer(report, &right);
    }
    else if (after.n > 0) {
        s_signer(report, &after);
    }
    else {
        s_signer(report, &before);
    }
    s_lines_release(&before);
    s_lines_release(&right);
    s_lines_release(&after);
}
