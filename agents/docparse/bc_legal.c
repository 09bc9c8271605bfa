//  bc_legal - citation scanner over NFC Vietnamese text, and the document's reference list
#include "bc_legal.h"
#include "bc_alloc.h"
#include "bc_clock.h"
#include "bc_notation.h"
#include "bc_text.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_ISSUER_WORDS      12          //  words an issuer's name may have
#define S_LAW_WORDS         20          //  words between "Luật" and "năm YYYY"
#define S_LAW_NAME_WORDS    8           //  words of a law's name without a year
#define S_CUE_BYTES         64          //  bytes before a citation searched for cues
#define S_NUMBER_DIGITS     7
#define S_YEAR_MIN          1945        //  the first state documents
#define S_YEAR_MAX          2199

//  Document types, longest first so "Thông tư liên tịch" wins over
//  "Thông tư". folded: bc_text_fold form, matched word by word.
typedef struct {
    const char *folded;
    const char *name;                   //  as printed
    int by_name;                        //  can be cited by name ("Luật Báo chí")
} s_kind_t;

static const s_kind_t s_kinds[] = {
    { "nghi quyet lien tich", "Nghị quyết liên tịch", 0 },
    { "thong tu lien tich", "Thông tư liên tịch", 0 },
    { "bo luat", "Bộ luật", 1 },
    { "hien phap", "Hiến pháp", 1 },
    { "phap lenh", "Pháp lệnh", 1 },
    { "luat", "Luật", 1 },
    { "nghi dinh", "Nghị định", 0 },
    { "nghi quyet", "Nghị quyết", 0 },
    { "quyet dinh", "Quyết định", 0 },
    { "chi thi", "Chỉ thị", 0 },
    { "thong tu", "Thông tư", 0 },
    { "ke hoach", "Kế hoạch", 0 },
    { "cong van", "Công văn", 0 },
    { "van ban", "Văn bản", 0 },
    { "thong bao", "Thông báo", 0 },
    { "huong dan", "Hướng dẫn", 0 },
    { "cong dien", "Công điện", 0 },
    { "to trinh", "Tờ trình", 0 },
    { "bao cao", "Báo cáo", 0 },
    { "chuong trinh", "Chương trình", 0 },
    { "de an", "Đề án", 0 },
};
#define S_N_KINDS   (sizeof s_kinds / sizeof s_kinds[0])

//  The type segment of a notation (Decree 30/2020, Appendix III) and what
//  it names.
static const struct {
    const char *segment;
    const char *kind;
} s_types[] = {
    { "N\xC4\x90", "Nghị định" },       //  NĐ
    { "Q\xC4\x90", "Quyết định" },      //  QĐ
    { "NQLT", "Nghị quyết liên tịch" },
    { "NQ", "Nghị quyết" },
    { "CT", "Chỉ thị" },
    { "TTLT", "Thông tư liên tịch" },
    { "TT", "Thông tư" },
    { "KH", "Kế hoạch" },
    { "TB", "Thông báo" },
    { "HD", "Hướng dẫn" },
    { "BC", "Báo cáo" },
    { "TTr", "Tờ trình" },
    { "C\xC4\x90", "Công điện" },       //  CĐ
    { "CTr", "Chương trình" },
    { "ĐA", "Đề án" },
};

//  Words before a citation telling that the letter answers it.
static const char *s_strong_cues[] = {
    "thuc hien", "phuc dap", "nhan duoc", "theo de nghi", "theo yeu cau", "trien khai",
    "tra loi", "de nghi tai", "yeu cau tai",
};

//  Words that end an organ's or a law's name in running text ("của Chính
//  phủ quy định...", "của UBND tỉnh về..."), folded.
static const char *s_stops[] = {
    "ve", "quy dinh", "ban hanh", "huong dan", "vao", "duoc", "cho", "tai", "theo", "de",
    "da", "den", "trong", "voi", "nham", "thi", "la", "do", "co", "khi", "tu", "gui",
    "bao cao", "de nghi", "trien khai", "thuc hien", "nam", "ngay", "so", "cac", "nhung",
    "mot", "phe duyet", "sua doi", "chi dao", "giao", "dang", "nay", "tren", "kem",
    "cua", "ky", "lan", "sau", "truoc", "hien", "neu", "tai", "o", "ma", "va cac",
    "tham muu", "phoi hop", "yeu cau", "quy che", "can cu", "hoac", "nhu", "lien quan",
};

//  Organ heads: after a comma, one of these starts another organ ("của
//  UBND tỉnh, Sở Nội vụ báo cáo"), not the rest of a name ("Bộ Văn hóa,
//  Thể thao và Du lịch").
static const char *s_organ_heads[] = {
    "so", "bo", "ubnd", "uy ban", "hdnd", "hoi dong", "ban", "thanh tra", "van phong",
    "chi cuc", "cuc", "tong cuc", "phong", "trung tam", "chinh phu", "thu tuong", "quoc hoi",
    "tinh uy", "thanh uy", "huyen uy", "cong an", "bo chi huy",
};

//  --------------------------------------------------------------------------
//  Small readers over the text

static int
s_digit(char c)
{
    return c >= '0' && c <= '9';
}

static const char *
s_skip_spaces(const char *p)
{
    while (*p == ' ') {
        p++;
    }
    return p;
}

//  True when the code point before p (text starts at start) is not a
//  letter or digit: p starts a word.
static int
s_word_start(const char *start, const char *p)
{
    if (p == start) {
        return 1;
    }
    const char *q = p - 1;
    while (q > start && ((unsigned char) *q & 0xC0) == 0x80) {
        q--;
    }
    int32_t cp;
    bc_text_decode(q, &cp);
    return !bc_text_is_alnum(cp);
}

//  Reads up to max digits; returns how many, value in *value.
static size_t
s_number(const char *p, size_t max, unsigned *value)
{
    size_t n = 0;
    unsigned v = 0;
    while (s_digit(p[n]) && n < max) {
        v = v * 10 + (unsigned) (p[n] - '0');
        n++;
    }
    if (s_digit(p[n])) {
        return 0;                       //  too many digits
    }
    *value = v;
    return n;
}

//  The kind matched at p as a whole word, or NULL; *len_p its bytes.
static const s_kind_t *
s_kind_at(const char *p, size_t *len_p)
{
    //  Folding is the costly part: fold the first letter once and try only
    //  the kinds starting with it.
    int32_t cp;
    if (bc_text_decode(p, &cp) == 0) {
        return NULL;
    }
    int32_t first = bc_text_fold_cp(cp);
    for (size_t i = 0; i < S_N_KINDS; i++) {
        if ((unsigned char) s_kinds[i].folded[0] != first) {
            continue;
        }
        size_t n = bc_text_match_word(p, s_kinds[i].folded);
        if (n) {
            *len_p = n;
            return &s_kinds[i];
        }
    }
    return NULL;
}

static size_t
s_phrase_in(const char *p, const char **list, size_t count)
{
    int32_t cp;
    if (bc_text_decode(p, &cp) == 0) {
        return 0;
    }
    int32_t first = bc_text_fold_cp(cp);
    for (size_t i = 0; i < count; i++) {
        if ((unsigned char) list[i][0] != first) {
            continue;
        }
        size_t n = bc_text_match_word(p, list[i]);
        if (n) {
            return n;
        }
    }
    return 0;
}

//  End of the word at p: up to a space or punctuation that ends names.
static const char *
s_word_end(const char *p)
{
    while (*p && *p != ' ' && *p != ',' && *p != ';' && *p != '.' && *p != ':'
           && *p != '(' && *p != ')' && *p != '"' && *p != '?' && *p != '!'
           && strncmp(p, "\xE2\x80\x9C", 3) != 0 && strncmp(p, "\xE2\x80\x9D", 3) != 0) {
        p++;
    }
    return p;
}

//  A citation starts at p: a kind word with an upper-case initial followed
//  by "số" or a number ("Nghị định số", "Quyết định 46/..."), or a law by
//  name ("Luật An ninh mạng"). "Sở Kế hoạch và Đầu tư" holds a kind word
//  that starts no citation.
static int
s_kind_word(const char *p)
{
    size_t n;
    const s_kind_t *kind = bc_text_starts_upper(p) ? s_kind_at(p, &n) : NULL;
    if (!kind) {
        return 0;
    }
    const char *q = s_skip_spaces(p + n);
    if (s_digit(*q) || (bc_text_starts_lower(q) && bc_text_match_word(q, "so"))) {
        return 1;
    }
    return kind->by_name && bc_text_starts_upper(q);
}

//  A lower-case word from s_stops at p: function words end names, while
//  the same letters capitalized belong to one ("Sở", "Việt Nam").
static size_t
s_stop(const char *p)
{
    return bc_text_starts_lower(p) ? s_phrase_in(p, s_stops, sizeof s_stops / sizeof s_stops[0])
                                   : 0;
}

//  --------------------------------------------------------------------------
//  Citations

typedef struct {
    unsigned number;
    unsigned year;
    char notation[BC_NOTATION_MAX];
    int party;                          //  32-CT/TW form
} s_cite_t;

//  Appends a notation character at p (ASCII letter or digit, Đ/đ) to buf
//  as canonical bytes; returns its length at p or 0. When buf is full, *len
//  becomes cap and stays there, so the caller sees the overflow.
static size_t
s_notation_char(const char *p, char *buf, size_t *len, size_t cap)
{
    unsigned char c = (unsigned char) p[0];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || s_digit((char) c)) {
        if (*len + 1 < cap) {
            buf[(*len)++] = (char) c;
        }
        else {
            *len = cap;
        }
        return 1;
    }
    //  Đ, đ, and their look-alikes Ð, ð (eth): all the canonical Đ.
    if ((c == 0xC4 && ((unsigned char) p[1] == 0x90 || (unsigned char) p[1] == 0x91))
        || (c == 0xC3 && ((unsigned char) p[1] == 0x90 || (unsigned char) p[1] == 0xB0))) {
        if (*len + 2 < cap) {
            buf[(*len)++] = (char) 0xC4;
            buf[(*len)++] = (char) 0x90;
        }
        else {
            *len = cap;
        }
        return 2;
    }
    return 0;
}

//  Reads "09/2017/NĐ-CP", "1005/STTTT-TTBCXB" (spaces around '/' and '-'
//  allowed) at p, or with party set also "32-CT/TW". Returns the bytes
//  read, 0 when there is no citation.
static size_t
s_citation(const char *p, int party, s_cite_t *out)
{
    memset(out, 0, sizeof *out);
    unsigned number;
    size_t n = s_number(p, S_NUMBER_DIGITS, &number);
    if (n == 0 || number == 0) {
        return 0;
    }
    const char *q = p + n;
    if (*q == '-' && party) {
        //  Party documents: NUMBER-TYPE/ISSUER, e.g. 32-CT/TW, 08-QĐi/TW.
        char buf[BC_NOTATION_MAX];
        size_t len = 0;
        const char *r = q + 1;
        size_t k;
        while ((k = s_notation_char(r, buf, &len, sizeof buf)) > 0) {
            r += k;
        }
        if (len == 0 || len + 1 >= sizeof buf || *r != '/' || s_digit(buf[0])) {
            return 0;
        }
        buf[len++] = '/';
        r++;
        size_t before = len;
        while ((k = s_notation_char(r, buf, &len, sizeof buf)) > 0) {
            r += k;
        }
        if (len == before || len >= sizeof buf) {
            return 0;
        }
        buf[len] = '\0';
        out->number = number;
        out->party = 1;
        memcpy(out->notation, buf, len + 1);
        return (size_t) (r - p);
    }
    q = s_skip_spaces(q);
    if (*q != '/') {
        return 0;
    }
    q = s_skip_spaces(q + 1);
    char text[BC_NOTATION_MAX * 2];
    size_t len = (size_t) snprintf(text, sizeof text, "%u/", number);
    unsigned year = 0;
    size_t y = s_number(q, 4, &year);
    if (y == 4 && *s_skip_spaces(q + 4) == '/') {
        len += (size_t) snprintf(text + len, sizeof text - len, "%u/", year);
        q = s_skip_spaces(s_skip_spaces(q + 4) + 1);
    }
    size_t start = len;
    const char *r = q;
    for (;;) {
        size_t k = s_notation_char(r, text, &len, sizeof text);
        if (k > 0) {
            r += k;
            continue;
        }
        //  A hyphen (maybe between spaces) continues the notation only when
        //  a notation character follows: "QĐ-UBND", "NĐ - CP".
        const char *h = s_skip_spaces(r);
        if (*h == '-' && len > start) {
            const char *after = s_skip_spaces(h + 1);
            char probe[4];
            size_t plen = 0;
            if (s_notation_char(after, probe, &plen, sizeof probe) > 0) {
                if (len + 1 < sizeof text) {
                    text[len++] = '-';
                }
                r = after;
                continue;
            }
        }
        break;
    }
    if (len == start || len >= sizeof text - 1) {
        return 0;
    }
    text[len] = '\0';
    bc_notation_t cit;
    if (bc_notation_parse(text, &cit) != BC_OK) {
        return 0;
    }
    out->number = cit.number;
    out->year = cit.year;
    memcpy(out->notation, cit.notation, sizeof out->notation);
    return (size_t) (r - p);
}

const char *
bc_legal_kind_of(const char *notation)
{
    if (!notation) {
        return "Văn bản";
    }
    size_t seg = strcspn(notation, "-/");
    for (size_t i = 0; i < sizeof s_types / sizeof s_types[0]; i++) {
        if (strlen(s_types[i].segment) == seg && strncmp(notation, s_types[i].segment, seg) == 0) {
            return s_types[i].kind;
        }
    }
    //  Party types carry a lower-case suffix: QĐi (Quy định), HDi.
    return "Văn bản";
}

size_t
bc_legal_date(const char *s, unsigned *year, unsigned *month, unsigned *day)
{
    size_t n = bc_text_match_word(s, "ngay");
    if (n == 0) {
        return 0;
    }
    const char *p = s_skip_spaces(s + n);
    unsigned d, m, y;
    size_t k = s_number(p, 2, &d);
    if (k == 0) {
        return 0;
    }
    p += k;
    if (*p == '/' || *p == '-' || *p == '.') {
        char sep = *p;
        p++;
        k = s_number(p, 2, &m);
        if (k == 0 || p[k] != sep) {
            return 0;
        }
        p += k + 1;
        k = s_number(p, 4, &y);
        if (k != 4) {
            return 0;
        }
        p += k;
    }
    else {
        p = s_skip_spaces(p);
        k = bc_text_match_word(p, "thang");
        if (k == 0) {
            return 0;
        }
        p = s_skip_spaces(p + k);
        k = s_number(p, 2, &m);
        if (k == 0) {
            return 0;
        }
        p = s_skip_spaces(p + k);
        k = bc_text_match_word(p, "nam");
        if (k == 0) {
            return 0;
        }
        p = s_skip_spaces(p + k);
        k = s_number(p, 4, &y);
        if (k != 4) {
            return 0;
        }
        p += k;
    }
    if (!bc_clock_date_valid(y, m, d)) {
        return 0;
    }
    *year = y;
    *month = m;
    *day = d;
    return (size_t) (p - s);
}

//  Reads "của <issuer>" at p: the issuer ends before a stop word, a kind
//  word, punctuation, or a comma that starts another organ. Returns the
//  bytes read (0 when none) with the issuer's bounds in *from, *to.
static size_t
s_issuer(const char *p, const char **from, const char **to)
{
    size_t n = bc_text_match_word(p, "cua");
    if (n == 0) {
        return 0;
    }
    const char *q = s_skip_spaces(p + n);
    if (!bc_text_starts_upper(q)) {
        return 0;
    }
    const char *start = q;
    const char *end = q;
    size_t words = 0;
    while (words < S_ISSUER_WORDS && *q) {
        if (words > 0) {
            if (s_kind_word(q)) {
                break;
            }
            size_t v = bc_text_match_word(q, "va");
            if (v) {
                //  "Thông tin và Truyền thông" goes on; "và các", "và
                //  Nghị định" end the name.
                const char *next = s_skip_spaces(q + v);
                if (!bc_text_starts_upper(next) || s_kind_word(next)) {
                    break;
                }
            }
            else if (s_stop(q)) {
                break;
            }
        }
        const char *w = s_word_end(q);
        if (w == q) {
            break;
        }
        end = w;
        words++;
        if (*w == ' ') {
            q = s_skip_spaces(w);
            if (*q == '-' && q[1] == ' ') {
                q = s_skip_spaces(q + 1);       //  "Lao động - Thương binh"
            }
            continue;
        }
        if (*w == ',' && w[1] == ' ' && words >= 2) {
            const char *next = w + 2;
            if (bc_text_starts_upper(next) && !s_kind_word(next)
                && !s_phrase_in(next, s_organ_heads,
                                sizeof s_organ_heads / sizeof s_organ_heads[0])) {
                q = next;                       //  "Bộ Văn hóa, Thể thao và Du lịch"
                continue;
            }
        }
        break;
    }
    if (end == start) {
        return 0;
    }
    *from = start;
    *to = end;
    return (size_t) (end - p);
}

//  --------------------------------------------------------------------------
//  Building references

static char *
s_dup_range(const char *from, const char *to)
{
    return bc_text_squeeze(from, (size_t) (to - from));
}

static Baocao__LegalRef *
s_ref_new(const char *kind)
{
    Baocao__LegalRef *ref = bc_malloc(sizeof *ref);
    baocao__legal_ref__init(ref);
    ref->kind = bc_strdup(kind);
    return ref;
}

static void
s_set_date(Baocao__LegalRef *ref, unsigned y, unsigned m, unsigned d)
{
    if (!ref->date) {
        ref->date = bc_malloc(sizeof *ref->date);
        baocao__date__init(ref->date);
    }
    ref->date->year = y;
    ref->date->month = m;
    ref->date->day = d;
}

//  After a citation: ", ngày DATE" and "của ISSUER". Returns where the
//  citation's text ends.
static const char *
s_date_issuer(Baocao__LegalRef *ref, const char *p)
{
    const char *q = s_skip_spaces(p);
    if (*q == ',') {
        q = s_skip_spaces(q + 1);
    }
    unsigned y, m, d;
    size_t n = bc_legal_date(q, &y, &m, &d);
    if (n) {
        s_set_date(ref, y, m, d);
        p = q + n;
        q = s_skip_spaces(p);
    }
    else if ((n = bc_text_match_word(q, "ngay")) > 0 && s_digit(*s_skip_spaces(q + n))) {
        //  A date that is none ("ngày 31/02/2022"): left out, the issuer
        //  after it still read.
        const char *r = s_skip_spaces(q + n);
        while (s_digit(*r) || *r == '/' || *r == '.' || *r == '-') {
            r++;
        }
        p = r;
        q = s_skip_spaces(r);
    }
    const char *from, *to;
    n = s_issuer(q, &from, &to);
    if (n) {
        ref->issuer = s_dup_range(from, to);
        p = q + n;
    }
    return p;
}

//  Finds the cue words before offset in text.
static int
s_cue(const char *text, size_t offset)
{
    size_t from = offset > S_CUE_BYTES ? offset - S_CUE_BYTES : 0;
    while (from > 0 && ((unsigned char) text[from] & 0xC0) == 0x80) {
        from++;
    }
    char *window = bc_strndup(text + from, offset - from);
    char *folded = bc_text_fold(window);
    free(window);
    int cue = 0;
    for (size_t i = 0; i < sizeof s_strong_cues / sizeof s_strong_cues[0] && !cue; i++) {
        if (strstr(folded, s_strong_cues[i])) {
            cue = 2;
        }
    }
    if (!cue && strstr(folded, "can cu")) {
        cue = 1;
    }
    free(folded);
    return cue;
}

//  Inside a law's name before its year, what cannot belong to it: "số"
//  (a number follows), "và" or "các" before a lower-case word ("Luật Báo
//  chí và các văn bản...").
static int
s_stop_name(const char *w)
{
    if (!bc_text_starts_lower(w)) {
        return 0;
    }
    //  ("những" would be, but folds like "nhũng" of "tham nhũng".)
    if (bc_text_match_word(w, "so") || bc_text_match_word(w, "cac")) {
        return 1;
    }
    size_t v = bc_text_match_word(w, "va");
    return v && bc_text_starts_lower(s_skip_spaces(w + v));
}

//  A law cited by name at p ("Luật Báo chí năm 2016", "Luật An ninh
//  mạng"); kind_len is the bytes of the kind word. Returns the bytes read,
//  0 when p does not name a law, with *ref_p set.
static size_t
s_by_name(const char *p, const s_kind_t *kind, size_t kind_len, Baocao__LegalRef **ref_p)
{
    const char *q = p + kind_len;
    if (*q != ' ') {
        if (strcmp(kind->name, "Hiến pháp") != 0) {
            return 0;
        }
    }
    q = s_skip_spaces(q);
    //  With a year: every word up to "năm YYYY", commas allowed ("Luật
    //  Phòng, chống tham nhũng năm 2018").
    const char *w = q;
    for (size_t words = 0; words <= S_LAW_WORDS && *w; words++) {
        size_t n = bc_text_match_word(w, "nam");
        if (n) {
            const char *y = s_skip_spaces(w + n);
            unsigned year;
            size_t k = s_number(y, 4, &year);
            if (k == 4 && year >= S_YEAR_MIN && year <= S_YEAR_MAX) {
                const char *end = w;
                while (end > q && (end[-1] == ' ' || end[-1] == ',')) {
                    end--;
                }
                if (end == q && strcmp(kind->name, "Hiến pháp") != 0) {
                    return 0;
                }
                Baocao__LegalRef *ref = s_ref_new(kind->name);
                ref->year = year;
                ref->title = s_dup_range(q, end);
                *ref_p = ref;
                return (size_t) (y + k - p);
            }
        }
        if (words > 0 && (s_kind_word(w) || s_stop_name(w))) {
            break;
        }
        const char *e = s_word_end(w);
        if (*e == ',' && e[1] == ' ') {
            w = e + 2;
            continue;
        }
        if (*e != ' ') {
            break;
        }
        w = s_skip_spaces(e);
    }
    //  Without a year: a name starting with a capital, up to a stop.
    if (!bc_text_starts_upper(q) || strcmp(kind->name, "Hiến pháp") == 0) {
        return 0;
    }
    const char *end = q;
    w = q;
    for (size_t words = 0; words < S_LAW_NAME_WORDS && *w; words++) {
        if (words > 0) {
            if (s_kind_word(w) || s_stop(w)) {
                break;
            }
            size_t v = bc_text_match_word(w, "va");
            if (v && !bc_text_starts_upper(s_skip_spaces(w + v))) {
                break;
            }
        }
        const char *e = s_word_end(w);
        if (e == w) {
            break;
        }
        end = e;
        if (*e != ' ') {
            break;
        }
        w = s_skip_spaces(e);
    }
    if (end == q) {
        return 0;
    }
    Baocao__LegalRef *ref = s_ref_new(kind->name);
    ref->title = s_dup_range(q, end);
    *ref_p = ref;
    return (size_t) (end - p);
}

static void
s_hit(bc_legal_hit_t **hits, size_t *n, size_t *cap, Baocao__LegalRef *ref, const char *text,
      const char *at)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        *hits = bc_realloc(*hits, *cap * sizeof **hits);
    }
    bc_legal_hit_t *h = &(*hits)[(*n)++];
    h->ref = ref;
    h->offset = (size_t) (at - text);
    h->cue = s_cue(text, h->offset);
}

static Baocao__LegalRef *
s_cited(const char *kind, const s_cite_t *cite)
{
    Baocao__LegalRef *ref = s_ref_new(kind ? kind : bc_legal_kind_of(cite->notation));
    ref->number = cite->number;
    ref->year = cite->year;
    ref->notation = bc_strdup(cite->notation);
    return ref;
}

size_t
bc_legal_find(const char *text, bc_legal_hit_t **hits_p)
{
    assert(text);
    assert(hits_p);
    bc_legal_hit_t *hits = NULL;
    size_t n = 0;
    size_t cap = 0;
    const char *p = text;
    while (*p && n < BC_LEGAL_MAX_HITS) {
        if (!s_word_start(text, p)) {
            int32_t cp;
            p += bc_text_decode(p, &cp);
            continue;
        }
        int32_t cp;
        size_t step = bc_text_decode(p, &cp);
        //  Only a kind word, "số" or a number can start a citation: every
        //  kind starts with b c d h k l n p q t v (folded).
        if (!s_digit(*p)) {
            int32_t f = bc_text_fold_cp(cp);
            if (f > 0x7F || !strchr("bcdhklnpqstv", (int) f)) {
                p += step;
                continue;
            }
        }
        size_t len;
        const s_kind_t *kind = s_kind_at(p, &len);
        s_cite_t cite;
        if (kind) {
            const char *q = s_skip_spaces(p + len);
            size_t so = bc_text_match_word(q, "so");
            if (so) {
                q = s_skip_spaces(q + so);
                if (*q == ':') {
                    q = s_skip_spaces(q + 1);
                }
            }
            size_t c = s_citation(q, 1, &cite);
            if (c) {
                Baocao__LegalRef *ref = s_cited(kind->name, &cite);
                const char *end = s_date_issuer(ref, q + c);
                s_hit(&hits, &n, &cap, ref, text, p);
                p = end;
                continue;
            }
            if (kind->by_name && bc_text_starts_upper(p)) {
                Baocao__LegalRef *ref = NULL;
                size_t b = s_by_name(p, kind, len, &ref);
                if (b) {
                    s_hit(&hits, &n, &cap, ref, text, p);
                    p += b;
                    continue;
                }
            }
            p += len;
            continue;
        }
        size_t so = bc_text_match_word(p, "so");
        if (so) {
            const char *q = s_skip_spaces(p + so);
            if (*q == ':') {
                q = s_skip_spaces(q + 1);
            }
            size_t c = s_citation(q, 1, &cite);
            if (c) {
                Baocao__LegalRef *ref = s_cited(NULL, &cite);
                const char *end = s_date_issuer(ref, q + c);
                s_hit(&hits, &n, &cap, ref, text, p);
                p = end;
                continue;
            }
            p += so;
            continue;
        }
        if (s_digit(*p)) {
            size_t c = s_citation(p, 0, &cite);
            if (c) {
                Baocao__LegalRef *ref = s_cited(NULL, &cite);
                const char *end = s_date_issuer(ref, p + c);
                s_hit(&hits, &n, &cap, ref, text, p);
                p = end;
                continue;
            }
            while (s_digit(*p) || *p == '/' || *p == '.' || *p == ',') {
                p++;                    //  a date or an amount: skip it whole
            }
            continue;
        }
        p += step;
    }
    *hits_p = hits;
    return n;
}

void
bc_legal_hits_destroy(bc_legal_hit_t **hits_p, size_t n)
{
    if (!hits_p || !*hits_p) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if ((*hits_p)[i].ref) {
            baocao__legal_ref__free_unpacked((*hits_p)[i].ref, NULL);
        }
    }
    free(*hits_p);
    *hits_p = NULL;
}

//  --------------------------------------------------------------------------
//  The list

void
bc_legal_list_init(bc_legal_list_t *self)
{
    memset(self, 0, sizeof *self);
}

void
bc_legal_list_release(bc_legal_list_t *self)
{
    if (!self) {
        return;
    }
    for (size_t i = 0; i < self->n; i++) {
        baocao__legal_ref__free_unpacked(self->refs[i], NULL);
        free(self->keys[i]);
    }
    free(self->refs);
    free(self->keys);
    memset(self, 0, sizeof *self);
}

Baocao__LegalRef **
bc_legal_list_take(bc_legal_list_t *self, size_t *n_p)
{
    Baocao__LegalRef **refs = self->refs;
    *n_p = self->n;
    for (size_t i = 0; i < self->n; i++) {
        free(self->keys[i]);
    }
    free(self->keys);
    if (self->n == 0) {
        free(refs);
        refs = NULL;
    }
    memset(self, 0, sizeof *self);
    return refs;
}

static int
s_set(const char *s)
{
    return s && *s;
}


//  A reference's identity but for what may be missing from one citation
//  (a law's year, a letter's date): "n|6|0|CT-UBND", "t|luat|bao chi".
//  A law by name without a title has none (NULL).
static char *
s_key(const Baocao__LegalRef *ref)
{
    bc_buf_t key;
    bc_buf_init(&key);
    if (ref->number) {
        char canon[BC_NOTATION_MAX];
        const char *notation = ref->notation ? ref->notation : "";
        if (bc_notation_canonical(notation, canon, sizeof canon) == BC_OK) {
            notation = canon;
        }
        bc_buf_printf(&key, "n|%u|%u|%s", ref->number, ref->year, notation);
        return bc_buf_take(&key);
    }
    if (!s_set(ref->title) && !s_set(ref->kind)) {
        return NULL;
    }
    char *kind = bc_text_fold(ref->kind ? ref->kind : "");
    char *title = bc_text_fold(ref->title ? ref->title : "");
    bc_buf_printf(&key, "t|%s|%s", kind, title);
    free(kind);
    free(title);
    return bc_buf_take(&key);
}

//  The rest of the rule, once the keys are equal.
static int
s_compatible(const Baocao__LegalRef *a, const Baocao__LegalRef *b)
{
    if (a->number == 0) {
        return !(a->year && b->year && a->year != b->year);
    }
    //  Letters without a year in their notation restart their numbers each
    //  year: two dates that differ are two letters.
    if (a->date && b->date && a->date->year
        && (a->date->year != b->date->year || a->date->month != b->date->month
            || a->date->day != b->date->day)) {
        return 0;
    }
    return 1;
}

int
bc_legal_same(const Baocao__LegalRef *a, const Baocao__LegalRef *b)
{
    if (a->number != b->number) {
        return 0;
    }
    char *ka = s_key(a);
    char *kb = s_key(b);
    int same = ka && kb && strcmp(ka, kb) == 0 && s_compatible(a, b);
    free(ka);
    free(kb);
    return same;
}

static char *
s_dup_field(const char *s)
{
    return s && *s ? bc_strdup(s) : (char *) protobuf_c_empty_string;
}

Baocao__LegalRef *
bc_legal_copy(const Baocao__LegalRef *ref)
{
    Baocao__LegalRef *c = bc_malloc(sizeof *c);
    baocao__legal_ref__init(c);
    c->kind = s_dup_field(ref->kind);
    c->number = ref->number;
    c->year = ref->year;
    c->notation = s_dup_field(ref->notation);
    c->issuer = s_dup_field(ref->issuer);
    c->title = s_dup_field(ref->title);
    if (ref->date) {
        s_set_date(c, ref->date->year, ref->date->month, ref->date->day);
    }
    return c;
}

static void
s_take_string(char **into, char **from)
{
    if (!s_set(*into) && s_set(*from)) {
        if (*into && *into != protobuf_c_empty_string) {
            free(*into);
        }
        *into = *from;
        *from = (char *) protobuf_c_empty_string;
    }
}

size_t
bc_legal_list_add(bc_legal_list_t *self, Baocao__LegalRef **ref_p)
{
    assert(ref_p && *ref_p);
    Baocao__LegalRef *ref = *ref_p;
    *ref_p = NULL;
    char *key = s_key(ref);
    for (size_t i = 0; key && i < self->n; i++) {
        Baocao__LegalRef *have = self->refs[i];
        if (!self->keys[i] || strcmp(self->keys[i], key) != 0 || !s_compatible(have, ref)) {
            continue;
        }
        free(key);
        if (!have->date && ref->date) {
            have->date = ref->date;
            ref->date = NULL;
        }
        if (!have->year && ref->year) {
            have->year = ref->year;
        }
        s_take_string(&have->issuer, &ref->issuer);
        s_take_string(&have->title, &ref->title);
        //  "Văn bản" is what a bare number gets; a later citation naming
        //  the kind ("Công văn số ...") says more.
        if (s_set(ref->kind) && strcmp(have->kind, "Văn bản") == 0
            && strcmp(ref->kind, "Văn bản") != 0) {
            char *k = have->kind;
            have->kind = ref->kind;
            ref->kind = k;
        }
        baocao__legal_ref__free_unpacked(ref, NULL);
        return i;
    }
    if (self->n >= BC_LEGAL_MAX_REFS) {
        free(key);
        baocao__legal_ref__free_unpacked(ref, NULL);
        return self->n;
    }
    if (self->n == self->cap) {
        self->cap = self->cap ? self->cap * 2 : 16;
        self->refs = bc_realloc(self->refs, self->cap * sizeof *self->refs);
        self->keys = bc_realloc(self->keys, self->cap * sizeof *self->keys);
    }
    self->refs[self->n] = ref;
    self->keys[self->n] = key;
    return self->n++;
}
