//  bc_aggregate - compiles a request's summary from one read-only transaction
//
//  The summary is first assembled from borrowed pieces (the request record,
//  delivery records and reports unpacked from the store, plus small structs
//  from a scratch list), then packed and unpacked once: the unpacked copy
//  owns every byte through protobuf-c's default allocator, which is exactly
//  what baocao__summary__free_unpacked(summary, NULL) releases. That costs one
//  copy but no hand-written deep copy of Sections, LegalRefs and requests.
#include "bc_aggregate.h"
#include "bc_alloc.h"
#include "bc_notation.h"
#include "bc_records.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

//  --------------------------------------------------------------------------
//  Scratch: every small struct of the borrowed assembly, freed in one go

typedef struct {
    void **ptrs;                        //  blocks to free
    size_t n;                           //  blocks held
    size_t cap;                         //  slots allocated
} s_scratch_t;

static void
s_keep(s_scratch_t *self, void *ptr)
{
    if (self->n == self->cap) {
        self->cap = self->cap ? self->cap * 2 : 64;
        self->ptrs = bc_realloc(self->ptrs, self->cap * sizeof *self->ptrs);
    }
    self->ptrs[self->n++] = ptr;
}

static void *
s_new(s_scratch_t *self, size_t size)
{
    void *ptr = bc_calloc(1, size ? size : 1);
    s_keep(self, ptr);
    return ptr;
}

static void
s_scratch_release(s_scratch_t *self)
{
    for (size_t i = 0; i < self->n; i++) {
        free(self->ptrs[i]);
    }
    free(self->ptrs);
    memset(self, 0, sizeof *self);
}

//  A growing array of pointers that becomes a repeated field.
typedef struct {
    void **items;                       //  the array handed to the message
    size_t n;                           //  items used
    size_t cap;                         //  items allocated
} s_vec_t;

static void
s_push(s_vec_t *self, void *item)
{
    if (self->n == self->cap) {
        self->cap = self->cap ? self->cap * 2 : 8;
        self->items = bc_realloc(self->items, self->cap * sizeof *self->items);
    }
    self->items[self->n++] = item;
}

//  Hands the array over to the scratch list (it is freed with the rest) and
//  returns it for the message's repeated field.
static void *
s_vec_done(s_vec_t *self, s_scratch_t *scratch, size_t *n_p)
{
    *n_p = self->n;
    if (self->items) {
        s_keep(scratch, self->items);
    }
    void *items = self->items;
    memset(self, 0, sizeof *self);
    return items;
}

//  --------------------------------------------------------------------------
//  Loading one request and its addressed agencies

typedef struct {
    Baocao__Agency *agency;             //  scratch; code and name borrowed
    Baocao__DeliveryRecord *delivery;   //  owned; NULL when none is stored
    Baocao__Report *report;             //  owned latest revision; NULL if none
    Baocao__AgencyRecord *registry;     //  owned; only lends a missing name
    int reported;                       //  a report is stored
    int late;                           //  ... and it came after the deadline
    int overdue;                        //  no report and the deadline passed
    int64_t reported_at;                //  first report stored, 0 = unknown
} s_member_t;

typedef struct {
    Baocao__RequestRecord *record;      //  owned
    s_member_t *members;                //  recipient order, codes unique
    size_t n_members;
} s_request_t;

static void
s_request_release(s_request_t *self)
{
    for (size_t i = 0; i < self->n_members; i++) {
        s_member_t *m = &self->members[i];
        if (m->delivery) {
            baocao__delivery_record__free_unpacked(m->delivery, NULL);
        }
        if (m->report) {
            baocao__report__free_unpacked(m->report, NULL);
        }
        if (m->registry) {
            baocao__agency_record__free_unpacked(m->registry, NULL);
        }
    }
    free(self->members);
    if (self->record) {
        baocao__request_record__free_unpacked(self->record, NULL);
    }
    memset(self, 0, sizeof *self);
}

static int64_t
s_deadline(const Baocao__ReportRequest *req)
{
    return req->deadline ? req->deadline->unix_ms : 0;
}

//  Decides reported / late / overdue from what the broker recorded.
static void
s_judge(s_member_t *m, int64_t deadline_ms, int64_t now_ms)
{
    const Baocao__DeliveryRecord *d = m->delivery;
    m->reported_at = 0;
    if (d && d->reported_at && d->reported_at->unix_ms) {
        m->reported_at = d->reported_at->unix_ms;
    }
    else if (d) {
        //  Older records may lack reported_at: the first REPORTED step says it.
        for (size_t i = 0; i < d->n_history; i++) {
            const Baocao__StatusStep *step = d->history[i];
            if (step->status == BAOCAO__DELIVERY_STATUS__REPORTED && step->at) {
                m->reported_at = step->at->unix_ms;
                break;
            }
        }
    }
    m->reported = m->report != NULL || (d && (d->revision > 0 || m->reported_at != 0));
    m->late = 0;
    m->overdue = 0;
    if (m->reported) {
        //  The stored time against the deadline decides; the broker's late
        //  flag (set from the same two) counts only when the time is unknown.
        if (deadline_ms && m->reported_at) {
            m->late = m->reported_at > deadline_ms;
        }
        else {
            m->late = d && d->late && deadline_ms;
        }
    }
    else {
        m->overdue = deadline_ms && now_ms > deadline_ms;
    }
}

static bc_err
s_load(bc_txn_t *txn, const bc_reqkey_t *key, int with_reports, int64_t now_ms,
       s_scratch_t *scratch, s_request_t *out)
{
    bc_err rc = bc_records_get_request(txn, key, &out->record);
    if (rc != BC_OK) {
        return rc;
    }
    const Baocao__ReportRequest *req = out->record->request;
    if (!req) {
        return BC_ESTORE;
    }
    int64_t deadline_ms = s_deadline(req);
    out->members = bc_calloc(req->n_recipients ? req->n_recipients : 1, sizeof *out->members);
    for (size_t i = 0; i < req->n_recipients; i++) {
        const Baocao__Agency *a = req->recipients[i];
        if (!a || !a->code || !*a->code) {
            continue;
        }
        int seen = 0;
        for (size_t j = 0; j < out->n_members && !seen; j++) {
            seen = strcmp(out->members[j].agency->code, a->code) == 0;
        }
        if (seen) {
            continue;
        }
        s_member_t *m = &out->members[out->n_members++];
        m->agency = s_new(scratch, sizeof *m->agency);
        baocao__agency__init(m->agency);
        m->agency->code = a->code;
        m->agency->name = a->name;
        if (!a->name || !*a->name) {
            //  A request may name recipients by code only: borrow the
            //  registry's name (a missing or undecodable entry is no error).
            if (bc_records_get_agency(txn, a->code, &m->registry) == BC_OK
                && m->registry->agency && m->registry->agency->name) {
                m->agency->name = m->registry->agency->name;
            }
        }
        rc = bc_records_get_delivery(txn, key, a->code, &m->delivery);
        if (rc != BC_OK && rc != BC_ENOTFOUND) {
            return rc;
        }
        if (with_reports) {
            rc = bc_records_get_report(txn, key, a->code, 0, &m->report);
            if (rc != BC_OK && rc != BC_ENOTFOUND) {
                return rc;
            }
        }
        s_judge(m, deadline_ms, now_ms);
    }
    return BC_OK;
}

//  Packs the borrowed assembly and unpacks a self-owned copy.
static bc_err
s_copy(const ProtobufCMessage *msg, ProtobufCMessage **copy_p)
{
    size_t size = protobuf_c_message_get_packed_size(msg);
    uint8_t *buf = bc_malloc(size ? size : 1);
    protobuf_c_message_pack(msg, buf);
    ProtobufCMessage *copy = protobuf_c_message_unpack(msg->descriptor, NULL, size, buf);
    free(buf);
    if (!copy) {
        return BC_ENOMEM;
    }
    *copy_p = copy;
    return BC_OK;
}

//  --------------------------------------------------------------------------
//  Matching sections to outline items

//  The text without surrounding blanks and one trailing '.' or ')':
//  "2." and " 2 " both answer item "2".
static const char *
s_trim_number(const char *text, size_t *len_p)
{
    if (!text) {
        *len_p = 0;
        return "";
    }
    while (*text == ' ' || *text == '\t') {
        text++;
    }
    size_t len = strlen(text);
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t')) {
        len--;
    }
    if (len && (text[len - 1] == '.' || text[len - 1] == ')')) {
        len--;
    }
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t')) {
        len--;
    }
    *len_p = len;
    return text;
}

//  The outline number a section answers: its outline_item, else its number.
static const char *
s_section_item(const Baocao__Section *s, size_t *len_p)
{
    size_t len;
    const char *p = s_trim_number(s->outline_item, &len);
    if (len) {
        *len_p = len;
        return p;
    }
    return s_trim_number(s->number, len_p);
}

//  Skips leading zeros of a number ("01" is "1", as the document parser
//  matches them), keeping a lone "0".
static const char *
s_skip_zeros(const char *text, size_t *len_p)
{
    while (*len_p > 1 && text[0] == '0' && text[1] >= '0' && text[1] <= '9') {
        text++;
        (*len_p)--;
    }
    return text;
}

static int
s_answers(const Baocao__Section *s, const Baocao__OutlineItem *item)
{
    size_t a_len, b_len;
    const char *a = s_section_item(s, &a_len);
    const char *b = s_trim_number(item->number, &b_len);
    a = s_skip_zeros(a, &a_len);
    b = s_skip_zeros(b, &b_len);
    //  Roman numerals are written either way ("II", "ii").
    return a_len && a_len == b_len && strncasecmp(a, b, a_len) == 0;
}

//  Pushes onto out (as contributions of agency) the sections that answer
//  item: a section that answers it, else, looking deeper, those of its
//  sub-sections that do (a report in Roman parts, "I. KẾT QUẢ" holding
//  "1.", "2." that answer the outline). Returns how many were pushed.
static size_t
s_collect(Baocao__Section *section, const Baocao__OutlineItem *item, Baocao__Agency *agency,
          s_vec_t *out, s_scratch_t *scratch, int depth)
{
    if (s_answers(section, item)) {
        Baocao__Contribution *c = s_new(scratch, sizeof *c);
        baocao__contribution__init(c);
        c->agency = agency;
        c->section = section;
        s_push(out, c);
        return 1;
    }
    size_t n = 0;
    for (size_t i = 0; depth < 4 && i < section->n_children; i++) {
        n += s_collect(section->children[i], item, agency, out, scratch, depth + 1);
    }
    return n;
}

//  True when section or one of its sub-sections answers an outline item.
static int
s_answers_any(const Baocao__Section *section, const Baocao__ReportRequest *req, int depth)
{
    for (size_t i = 0; i < req->n_outline; i++) {
        if (s_answers(section, req->outline[i])) {
            return 1;
        }
    }
    for (size_t i = 0; depth < 4 && i < section->n_children; i++) {
        if (s_answers_any(section->children[i], req, depth + 1)) {
            return 1;
        }
    }
    return 0;
}

static Baocao__ItemSummary *
s_item(const s_request_t *r, const Baocao__OutlineItem *item, s_scratch_t *scratch)
{
    Baocao__ItemSummary *it = s_new(scratch, sizeof *it);
    baocao__item_summary__init(it);
    it->item = (Baocao__OutlineItem *) item;
    s_vec_t contributions = { 0 };
    s_vec_t silent = { 0 };
    for (size_t m = 0; m < r->n_members; m++) {
        const s_member_t *member = &r->members[m];
        if (!member->reported) {
            continue;
        }
        int said = 0;
        size_t n_sections = member->report ? member->report->n_sections : 0;
        for (size_t s = 0; s < n_sections; s++) {
            said |= s_collect(member->report->sections[s], item, member->agency, &contributions,
                              scratch, 0) > 0;
        }
        if (!said) {
            s_push(&silent, member->agency);
        }
    }
    it->contributions = s_vec_done(&contributions, scratch, &it->n_contributions);
    it->silent = s_vec_done(&silent, scratch, &it->n_silent);
    return it;
}

static Baocao__ItemSummary *
s_other_item(const s_request_t *r, s_scratch_t *scratch)
{
    const Baocao__ReportRequest *req = r->record->request;
    Baocao__OutlineItem *item = s_new(scratch, sizeof *item);
    baocao__outline_item__init(item);
    item->title = (char *) BC_AGGREGATE_OTHER_TITLE;
    Baocao__ItemSummary *it = s_new(scratch, sizeof *it);
    baocao__item_summary__init(it);
    it->item = item;
    s_vec_t contributions = { 0 };
    for (size_t m = 0; m < r->n_members; m++) {
        const s_member_t *member = &r->members[m];
        size_t n_sections = member->report ? member->report->n_sections : 0;
        for (size_t s = 0; s < n_sections; s++) {
            Baocao__Section *section = member->report->sections[s];
            if (!s_answers_any(section, req, 0)) {
                Baocao__Contribution *c = s_new(scratch, sizeof *c);
                baocao__contribution__init(c);
                c->agency = member->agency;
                c->section = section;
                s_push(&contributions, c);
            }
        }
    }
    it->contributions = s_vec_done(&contributions, scratch, &it->n_contributions);
    return it;
}

//  --------------------------------------------------------------------------
//  Indicators

static Baocao__IndicatorTotal *
s_indicator(const s_request_t *r, Baocao__IndicatorDef *def, s_scratch_t *scratch)
{
    Baocao__IndicatorTotal *t = s_new(scratch, sizeof *t);
    baocao__indicator_total__init(t);
    t->indicator = def;
    s_vec_t values = { 0 };
    double acc = 0;
    for (size_t m = 0; m < r->n_members; m++) {
        const s_member_t *member = &r->members[m];
        size_t n_values = member->report ? member->report->n_indicators : 0;
        for (size_t v = 0; v < n_values; v++) {
            const Baocao__IndicatorValue *iv = member->report->indicators[v];
            if (!iv->code || !def->code || strcmp(iv->code, def->code) != 0
                || !isfinite(iv->value)) {
                continue;
            }
            Baocao__IndicatorValueBy *by = s_new(scratch, sizeof *by);
            baocao__indicator_value_by__init(by);
            by->agency = member->agency;
            by->value = iv->value;
            by->note = iv->note;
            s_push(&values, by);
            switch (def->aggregation) {
            case BAOCAO__AGGREGATION__MIN:
                acc = values.n == 1 || iv->value < acc ? iv->value : acc;
                break;
            case BAOCAO__AGGREGATION__MAX:
                acc = values.n == 1 || iv->value > acc ? iv->value : acc;
                break;
            default:                    //  SUM, AVERAGE, UNSPECIFIED, unknown
                acc += iv->value;
                break;
            }
            break;                      //  one value per agency: the first
        }
    }
    t->count = (uint32_t) values.n;
    t->total = acc;
    if (def->aggregation == BAOCAO__AGGREGATION__AVERAGE) {
        t->total = values.n ? acc / (double) values.n : 0;
    }
    t->values = s_vec_done(&values, scratch, &t->n_values);
    return t;
}

//  --------------------------------------------------------------------------
//  Legal references

//  Appends one code point as UTF-8.
static void
s_put_utf8(bc_buf_t *out, uint32_t cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char) cp;
        n = 1;
    }
    else if (cp < 0x800) {
        b[0] = (char) (0xC0 | (cp >> 6));
        b[1] = (char) (0x80 | (cp & 0x3F));
        n = 2;
    }
    else if (cp < 0x10000) {
        b[0] = (char) (0xE0 | (cp >> 12));
        b[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char) (0x80 | (cp & 0x3F));
        n = 3;
    }
    else {
        b[0] = (char) (0xF0 | (cp >> 18));
        b[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char) (0x80 | (cp & 0x3F));
        n = 4;
    }
    bc_buf_append(out, b, n);
}

//  Lowercases the letters of Vietnamese text (ASCII, Latin-1, Ă Đ Ĩ Ũ Ơ Ư
//  and the Latin Extended Additional block where Vietnamese lives), maps the
//  look-alike Ð to đ, and collapses blanks: a comparison key, not display
//  text. Invalid UTF-8 bytes are kept as they are.
static void
s_fold(const char *text, bc_buf_t *out)
{
    const unsigned char *p = (const unsigned char *) (text ? text : "");
    int blank = 1;                      //  drops leading blanks too
    while (*p) {
        uint32_t cp = *p;
        size_t n = 1;
        if (cp >= 0xC0 && cp < 0xE0 && (p[1] & 0xC0) == 0x80) {
            cp = ((cp & 0x1F) << 6) | (p[1] & 0x3F);
            n = 2;
        }
        else if (cp >= 0xE0 && cp < 0xF0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
            cp = ((cp & 0x0F) << 12) | ((uint32_t) (p[1] & 0x3F) << 6) | (p[2] & 0x3F);
            n = 3;
        }
        else if (cp >= 0x80) {
            bc_buf_append(out, p, 1);
            p++;
            blank = 0;
            continue;
        }
        p += n;
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0) {
            blank = 1;
            continue;
        }
        if (blank && out->len) {
            bc_buf_append(out, " ", 1);
        }
        blank = 0;
        if (cp >= 'A' && cp <= 'Z') {
            cp += 0x20;
        }
        else if (cp == 0xD0) {
            cp = 0x111;                 //  Ð (eth) written for Đ
        }
        else if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) {
            cp += 0x20;
        }
        else if (cp == 0x102 || cp == 0x110 || cp == 0x128 || cp == 0x168 || cp == 0x1A0) {
            cp += 1;
        }
        else if (cp == 0x1AF) {
            cp = 0x1B0;
        }
        else if (cp >= 0x1EA0 && cp <= 0x1EF9 && cp % 2 == 0) {
            cp += 1;
        }
        s_put_utf8(out, cp);
    }
}

static void
s_ref_key(const Baocao__LegalRef *ref, bc_buf_t *key)
{
    if (ref->number) {
        char canon[BC_NOTATION_MAX];
        bc_buf_puts(key, "n:");
        s_fold(ref->kind, key);
        bc_buf_printf(key, "|%u|%u|", ref->number, ref->year);
        if (bc_notation_canonical(ref->notation ? ref->notation : "", canon, sizeof canon)
            == BC_OK) {
            bc_buf_puts(key, canon);
        }
        else {
            s_fold(ref->notation, key);
        }
    }
    else {
        //  Cited by name ("Luật Báo chí"): the title, or the kind alone.
        bc_buf_puts(key, "t:");
        s_fold(ref->title && *ref->title ? ref->title : ref->kind, key);
    }
}

typedef struct {
    char *key;                          //  dedup key (owned here)
    Baocao__LegalRef *ref;              //  scratch, fields borrowed
    Baocao__CitedRef *cited;            //  scratch
    s_vec_t by;                         //  agencies citing it
} s_cite_t;

static int
s_empty(const char *text)
{
    return !text || !*text;
}

//  Shows a notation in its canonical form (ND-CP becomes NĐ-CP).
static void
s_canonical_notation(Baocao__LegalRef *ref, s_scratch_t *scratch)
{
    char canon[BC_NOTATION_MAX];
    if (!s_empty(ref->notation)
        && bc_notation_canonical(ref->notation, canon, sizeof canon) == BC_OK
        && strcmp(canon, ref->notation) != 0) {
        ref->notation = bc_strdup(canon);
        s_keep(scratch, ref->notation);
    }
}

//  Fills what the first citation left empty from a later one.
static void
s_ref_merge(Baocao__LegalRef *into, const Baocao__LegalRef *from, s_scratch_t *scratch)
{
    if (s_empty(into->kind)) {
        into->kind = from->kind;
    }
    if (s_empty(into->notation)) {
        into->notation = from->notation;
        s_canonical_notation(into, scratch);
    }
    if (s_empty(into->issuer)) {
        into->issuer = from->issuer;
    }
    if (s_empty(into->title)) {
        into->title = from->title;
    }
    if (!into->date) {
        into->date = from->date;
    }
}

static Baocao__CitedRef **
s_legal_refs(const s_request_t *r, s_scratch_t *scratch, size_t *n_p)
{
    s_cite_t *cites = NULL;
    size_t n = 0;
    size_t cap = 0;
    bc_buf_t key;
    bc_buf_init(&key);
    for (size_t m = 0; m < r->n_members; m++) {
        const s_member_t *member = &r->members[m];
        size_t n_refs = member->report ? member->report->n_legal_refs : 0;
        for (size_t i = 0; i < n_refs; i++) {
            const Baocao__LegalRef *ref = member->report->legal_refs[i];
            key.len = 0;
            s_ref_key(ref, &key);
            bc_buf_append(&key, "", 0);
            s_cite_t *c = NULL;
            for (size_t j = 0; j < n && !c; j++) {
                if (strcmp(cites[j].key, key.data) == 0) {
                    c = &cites[j];
                }
            }
            if (!c) {
                if (n == cap) {
                    cap = cap ? cap * 2 : 16;
                    cites = bc_realloc(cites, cap * sizeof *cites);
                }
                c = &cites[n++];
                memset(c, 0, sizeof *c);
                c->key = bc_strdup(key.data);
                c->ref = s_new(scratch, sizeof *c->ref);
                *c->ref = *ref;         //  shallow: strings and date borrowed
                c->ref->base.unknown_fields = NULL;
                c->ref->base.n_unknown_fields = 0;
                s_canonical_notation(c->ref, scratch);
            }
            else {
                s_ref_merge(c->ref, ref, scratch);
            }
            //  Agencies are visited one at a time, so a repeat citation by
            //  the same agency is always the last one recorded.
            if (c->by.n == 0 || c->by.items[c->by.n - 1] != member->agency) {
                s_push(&c->by, member->agency);
            }
        }
    }
    bc_buf_release(&key);
    Baocao__CitedRef **out = s_new(scratch, (n ? n : 1) * sizeof *out);
    for (size_t j = 0; j < n; j++) {
        Baocao__CitedRef *cited = s_new(scratch, sizeof *cited);
        baocao__cited_ref__init(cited);
        cited->ref = cites[j].ref;
        cited->cited_by = s_vec_done(&cites[j].by, scratch, &cited->n_cited_by);
        out[j] = cited;
        free(cites[j].key);
    }
    free(cites);
    *n_p = n;
    return out;
}

//  --------------------------------------------------------------------------
//  The summary

static const char *
s_status_name(int status)
{
    const ProtobufCEnumValue *v =
        protobuf_c_enum_descriptor_get_value(&baocao__delivery_status__descriptor, status);
    return v ? v->name : "DELIVERY_STATUS_UNSPECIFIED";
}

static Baocao__AgencyStatus *
s_agency_status(const s_member_t *m, s_scratch_t *scratch)
{
    Baocao__AgencyStatus *st = s_new(scratch, sizeof *st);
    baocao__agency_status__init(st);
    st->agency = m->agency;
    if (m->reported) {
        st->timeliness = m->late ? BAOCAO__TIMELINESS__LATE : BAOCAO__TIMELINESS__ON_TIME;
    }
    else {
        st->timeliness = m->overdue ? BAOCAO__TIMELINESS__OVERDUE_MISSING
                                    : BAOCAO__TIMELINESS__MISSING;
    }
    const Baocao__DeliveryRecord *d = m->delivery;
    if (d && d->n_history) {
        const Baocao__StatusStep *last = d->history[d->n_history - 1];
        st->status = (char *) s_status_name(last->status);
        st->status_at = last->at;
    }
    else {
        st->status = (char *) s_status_name(m->reported ? BAOCAO__DELIVERY_STATUS__REPORTED
                                                        : BAOCAO__DELIVERY_STATUS__PENDING);
    }
    if (m->reported_at) {
        Baocao__Timestamp *at = s_new(scratch, sizeof *at);
        baocao__timestamp__init(at);
        at->unix_ms = m->reported_at;
        st->reported_at = at;
    }
    uint32_t revision = d ? d->revision : 0;
    if (m->report && m->report->revision > revision) {
        revision = m->report->revision;
    }
    st->revision = revision;
    return st;
}

bc_err
bc_aggregate_compile(bc_txn_t *txn, const bc_reqkey_t *key, int64_t now_ms,
                     Baocao__Summary **summary_p)
{
    assert(txn);
    assert(key);
    assert(summary_p);
    s_scratch_t scratch = { 0 };
    s_request_t r = { 0 };
    bc_err rc = s_load(txn, key, 1, now_ms, &scratch, &r);
    if (rc != BC_OK) {
        goto leave;
    }
    const Baocao__ReportRequest *req = r.record->request;

    Baocao__Summary sum = BAOCAO__SUMMARY__INIT;
    sum.request = (Baocao__ReportRequest *) req;
    Baocao__RequestRef ref;
    Baocao__Date ref_date;
    bc_reqkey_to_ref(key, &ref, &ref_date);
    sum.ref = &ref;
    Baocao__Timestamp compiled_at = BAOCAO__TIMESTAMP__INIT;
    compiled_at.unix_ms = now_ms;
    sum.compiled_at = &compiled_at;

    sum.addressed = (uint32_t) r.n_members;
    sum.agencies = s_new(&scratch, (r.n_members ? r.n_members : 1) * sizeof *sum.agencies);
    s_vec_t missing = { 0 };
    for (size_t m = 0; m < r.n_members; m++) {
        const s_member_t *member = &r.members[m];
        Baocao__AgencyStatus *st = s_agency_status(member, &scratch);
        sum.agencies[sum.n_agencies++] = st;
        //  Whether its agent is connected, and when it was last heard from.
        Baocao__Presence *presence = NULL;
        if (st->agency && st->agency->code
            && bc_records_get_presence(txn, st->agency->code, &presence) == BC_OK) {
            st->online = presence->online;
            if (presence->last_seen && presence->last_seen->unix_ms) {
                Baocao__Timestamp *seen = s_new(&scratch, sizeof *seen);
                baocao__timestamp__init(seen);
                seen->unix_ms = presence->last_seen->unix_ms;
                st->last_seen = seen;
            }
            baocao__presence__free_unpacked(presence, NULL);
        }
        if (member->reported) {
            sum.reported++;
            if (member->late) {
                sum.late++;
            }
            else {
                sum.on_time++;
            }
        }
        else {
            sum.missing++;
            if (member->overdue) {
                sum.overdue++;
            }
            s_push(&missing, member->agency);
        }
    }
    sum.missing_agencies = s_vec_done(&missing, &scratch, &sum.n_missing_agencies);

    sum.items = s_new(&scratch, (req->n_outline + 1) * sizeof *sum.items);
    for (size_t i = 0; i < req->n_outline; i++) {
        sum.items[sum.n_items++] = s_item(&r, req->outline[i], &scratch);
    }
    //  "Nội dung khác" exists only when some section answers no item, so
    //  every listed item has something in it or someone silent on it.
    Baocao__ItemSummary *other = s_other_item(&r, &scratch);
    if (other->n_contributions) {
        sum.items[sum.n_items++] = other;
    }

    sum.indicators = s_new(&scratch, (req->n_indicators ? req->n_indicators : 1)
                                     * sizeof *sum.indicators);
    for (size_t i = 0; i < req->n_indicators; i++) {
        sum.indicators[sum.n_indicators++] = s_indicator(&r, req->indicators[i], &scratch);
    }

    sum.legal_refs = s_legal_refs(&r, &scratch, &sum.n_legal_refs);

    ProtobufCMessage *copy = NULL;
    rc = s_copy(&sum.base, &copy);
    if (rc == BC_OK) {
        *summary_p = (Baocao__Summary *) copy;
    }
leave:
    s_request_release(&r);
    s_scratch_release(&scratch);
    return rc;
}

//  --------------------------------------------------------------------------
//  The list of requests

typedef struct {
    bc_reqkey_t *keys;                  //  every request key, in key order
    size_t n;
    size_t cap;
} s_keys_t;

static int
s_collect_key(const bc_reqkey_t *key, const Baocao__RequestRecord *rec, void *arg)
{
    s_keys_t *keys = arg;
    if (keys->n == keys->cap) {
        keys->cap = keys->cap ? keys->cap * 2 : 16;
        keys->keys = bc_realloc(keys->keys, keys->cap * sizeof *keys->keys);
    }
    keys->keys[keys->n++] = *key;
    return 0;
}

static char *
s_scratch_strdup(s_scratch_t *scratch, const char *text)
{
    char *copy = bc_strdup(text);
    s_keep(scratch, copy);
    return copy;
}

bc_err
bc_aggregate_list(bc_txn_t *txn, int64_t now_ms, Baocao__RequestList **list_p)
{
    assert(txn);
    assert(list_p);
    s_scratch_t scratch = { 0 };
    s_keys_t keys = { 0 };
    s_request_t *loaded = NULL;
    size_t n_loaded = 0;
    bc_err rc = bc_records_each_request(txn, s_collect_key, &keys);
    if (rc != BC_OK) {
        goto leave;
    }
    loaded = bc_calloc(keys.n ? keys.n : 1, sizeof *loaded);

    Baocao__RequestList list = BAOCAO__REQUEST_LIST__INIT;
    Baocao__Timestamp listed_at = BAOCAO__TIMESTAMP__INIT;
    listed_at.unix_ms = now_ms;
    list.listed_at = &listed_at;
    list.requests = s_new(&scratch, (keys.n ? keys.n : 1) * sizeof *list.requests);
    for (size_t k = 0; k < keys.n; k++) {
        s_request_t *r = &loaded[n_loaded++];
        rc = s_load(txn, &keys.keys[k], 0, now_ms, &scratch, r);
        if (rc != BC_OK) {
            //  The key was just listed in this same snapshot: a request that
            //  cannot be read now is a damaged store.
            rc = rc == BC_ENOTFOUND ? BC_ESTORE : rc;
            goto leave;
        }
        const Baocao__ReportRequest *req = r->record->request;
        Baocao__RequestListEntry *e = s_new(&scratch, sizeof *e);
        baocao__request_list_entry__init(e);
        Baocao__RequestRef *ref = s_new(&scratch, sizeof *ref);
        Baocao__Date *date = s_new(&scratch, sizeof *date);
        bc_reqkey_to_ref(&keys.keys[k], ref, date);
        e->ref = ref;
        char text[BC_REQKEY_TEXT_MAX];
        bc_reqkey_format(&keys.keys[k], text, sizeof text);
        e->key = s_scratch_strdup(&scratch, text);
        bc_reqkey_citation(&keys.keys[k], text, sizeof text);
        e->citation = s_scratch_strdup(&scratch, text);
        e->issuer = req->issuer;
        e->document_type = req->document_type;
        e->subject = req->subject;
        e->deadline = req->deadline;
        e->issued_at = r->record->issued_at;
        e->addressed = (uint32_t) r->n_members;
        for (size_t m = 0; m < r->n_members; m++) {
            const s_member_t *member = &r->members[m];
            e->reported += member->reported ? 1 : 0;
            e->late += member->late ? 1 : 0;
            e->overdue += member->overdue ? 1 : 0;
        }
        list.requests[list.n_requests++] = e;
    }
    ProtobufCMessage *copy = NULL;
    rc = s_copy(&list.base, &copy);
    if (rc == BC_OK) {
        *list_p = (Baocao__RequestList *) copy;
    }
leave:
    for (size_t i = 0; i < n_loaded; i++) {
        s_request_release(&loaded[i]);
    }
    free(loaded);
    free(keys.keys);
    s_scratch_release(&scratch);
    return rc;
}
