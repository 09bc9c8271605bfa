//  bc_validate - field checks on requests and reports
#include "bc_validate.h"
#include "bc_alloc.h"
#include "bc_clock.h"
#include "bc_id.h"
#include "bc_notation.h"
#include "bc_reqkey.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_FAIL(...)                             \
    do {                                        \
        snprintf(why, why_size, __VA_ARGS__);   \
        return BC_EINVAL;                       \
    } while (0)

static int
s_len_ok(const char *text, size_t max)
{
    return !text || strnlen(text, max + 1) <= max;
}

static int
s_empty(const char *text)
{
    return !text || !*text;
}

static int
s_date_ok(const Baocao__Date *date)
{
    return date && bc_clock_date_valid(date->year, date->month, date->day);
}

bc_err
bc_validate_request(Baocao__ReportRequest *req, char *why, size_t why_size)
{
    if (!req->issuer || !bc_agency_code_valid(req->issuer->code)) {
        S_FAIL("issuer.code: missing or not an organ code");
    }
    if (s_empty(req->issuer->name) || !s_len_ok(req->issuer->name, BC_VALIDATE_MAX_SHORT)) {
        S_FAIL("issuer.name: missing or too long");
    }
    if (req->number == 0 || req->number > 9999999) {
        S_FAIL("number: must be 1..9999999");
    }
    if (req->year != 0 && (req->year < 1900 || req->year > 9999)) {
        S_FAIL("year: must be 1900..9999 or absent");
    }
    char canonical[BC_NOTATION_MAX];
    if (bc_notation_canonical(req->notation ? req->notation : "", canonical, sizeof canonical)
        != BC_OK) {
        S_FAIL("notation: not a document notation like STTTT-TTBCXB");
    }
    if (strcmp(canonical, req->notation) != 0) {
        //  Store the canonical form: the key and every later lookup use it.
        if (req->notation != protobuf_c_empty_string) {
            free(req->notation);
        }
        req->notation = bc_strdup(canonical);
    }
    if (!s_date_ok(req->promulgation_date)) {
        S_FAIL("promulgationDate: missing or not a calendar date");
    }
    if (s_empty(req->subject) || !s_len_ok(req->subject, BC_VALIDATE_MAX_TEXT)) {
        S_FAIL("subject: missing or too long");
    }
    if (!s_len_ok(req->place, BC_VALIDATE_MAX_SHORT)
        || !s_len_ok(req->document_type, BC_VALIDATE_MAX_SHORT)
        || !s_len_ok(req->free_text, BC_VALIDATE_MAX_TEXT)) {
        S_FAIL("place, documentType or freeText: too long");
    }
    if (req->n_recipients == 0) {
        S_FAIL("recipients: at least one agency must be addressed");
    }
    if (req->n_recipients > BC_VALIDATE_MAX_RECIPIENTS) {
        S_FAIL("recipients: more than %d", BC_VALIDATE_MAX_RECIPIENTS);
    }
    for (size_t i = 0; i < req->n_recipients; i++) {
        const Baocao__Agency *a = req->recipients[i];
        if (!a || !bc_agency_code_valid(a->code)) {
            S_FAIL("recipients[%zu].code: missing or not an organ code", i);
        }
        if (!s_len_ok(a->name, BC_VALIDATE_MAX_SHORT)) {
            S_FAIL("recipients[%zu].name: too long", i);
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(req->recipients[j]->code, a->code) == 0) {
                S_FAIL("recipients[%zu].code: duplicate %s", i, a->code);
            }
        }
    }
    if (req->n_outline > BC_VALIDATE_MAX_ITEMS || req->n_indicators > BC_VALIDATE_MAX_ITEMS
        || req->n_legal_basis > BC_VALIDATE_MAX_ITEMS) {
        S_FAIL("outline, indicators or legalBasis: more than %d items", BC_VALIDATE_MAX_ITEMS);
    }
    for (size_t i = 0; i < req->n_outline; i++) {
        const Baocao__OutlineItem *o = req->outline[i];
        if (!o || s_empty(o->number) || !s_len_ok(o->number, 32)) {
            S_FAIL("outline[%zu].number: missing or too long", i);
        }
        if (s_empty(o->title) || !s_len_ok(o->title, BC_VALIDATE_MAX_SHORT)
            || !s_len_ok(o->guidance, BC_VALIDATE_MAX_TEXT)) {
            S_FAIL("outline[%zu].title: missing or too long", i);
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(req->outline[j]->number, o->number) == 0) {
                S_FAIL("outline[%zu].number: duplicate %s", i, o->number);
            }
        }
    }
    for (size_t i = 0; i < req->n_indicators; i++) {
        const Baocao__IndicatorDef *d = req->indicators[i];
        if (!d || s_empty(d->code) || !s_len_ok(d->code, 64)) {
            S_FAIL("indicators[%zu].code: missing or too long", i);
        }
        if (!s_len_ok(d->name, BC_VALIDATE_MAX_SHORT) || !s_len_ok(d->unit, 64)) {
            S_FAIL("indicators[%zu]: name or unit too long", i);
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(req->indicators[j]->code, d->code) == 0) {
                S_FAIL("indicators[%zu].code: duplicate %s", i, d->code);
            }
        }
    }
    for (size_t i = 0; i < req->n_legal_basis; i++) {
        const Baocao__LegalRef *r = req->legal_basis[i];
        if (!r || (r->date && !s_date_ok(r->date))) {
            S_FAIL("legalBasis[%zu].date: not a calendar date", i);
        }
    }
    if (req->n_remind_hours > 16) {
        S_FAIL("remindHours: at most 16 reminders");
    }
    for (size_t i = 0; i < req->n_remind_hours; i++) {
        if (req->remind_hours[i] < 1 || req->remind_hours[i] > 8760) {
            S_FAIL("remindHours[%zu]: must be 1..8760 hours before the deadline", i);
        }
    }
    if (!req->deadline || req->deadline->unix_ms <= 0) {
        S_FAIL("deadline: missing");
    }
    const Baocao__Date *pd = req->promulgation_date;
    int64_t issued_ms = bc_clock_days_from_civil((int) pd->year, pd->month, pd->day) * 86400000LL
                        - BC_CLOCK_TZ_OFFSET_MS;
    if (req->deadline->unix_ms <= issued_ms) {
        S_FAIL("deadline: must be after the promulgation date");
    }
    if (req->data_cutoff) {
        const Baocao__Date *f = req->data_cutoff->from, *t = req->data_cutoff->to;
        if ((f && !s_date_ok(f)) || (t && !s_date_ok(t))) {
            S_FAIL("dataCutoff: not calendar dates");
        }
        if (f && t
            && bc_clock_days_from_civil((int) f->year, f->month, f->day)
                   > bc_clock_days_from_civil((int) t->year, t->month, t->day)) {
            S_FAIL("dataCutoff: ends before it starts");
        }
    }
    return BC_OK;
}

static bc_err
s_sections(Baocao__Section **sections, size_t count, int depth, char *why, size_t why_size)
{
    if (depth > BC_VALIDATE_MAX_DEPTH) {
        S_FAIL("sections: nested deeper than %d", BC_VALIDATE_MAX_DEPTH);
    }
    if (count > BC_VALIDATE_MAX_ITEMS) {
        S_FAIL("sections: more than %d", BC_VALIDATE_MAX_ITEMS);
    }
    for (size_t i = 0; i < count; i++) {
        const Baocao__Section *s = sections[i];
        if (!s || !s_len_ok(s->number, 32) || !s_len_ok(s->title, BC_VALIDATE_MAX_TEXT)
            || !s_len_ok(s->body, BC_VALIDATE_MAX_TEXT * 8)) {
            S_FAIL("sections[%zu]: number, title or body too long", i);
        }
        bc_err rc = s_sections(s->children, s->n_children, depth + 1, why, why_size);
        if (rc != BC_OK) {
            return rc;
        }
    }
    return BC_OK;
}

bc_err
bc_validate_report(const Baocao__Report *report, char *why, size_t why_size)
{
    bc_reqkey_t key;
    if (bc_reqkey_from_ref(report->request, &key) != BC_OK) {
        S_FAIL("request: missing or malformed reference");
    }
    if (!bc_id_valid(report->report_id)) {
        S_FAIL("reportId: must be 32 lowercase hex digits");
    }
    if (!s_len_ok(report->subject, BC_VALIDATE_MAX_TEXT)
        || !s_len_ok(report->closing, BC_VALIDATE_MAX_TEXT)) {
        S_FAIL("subject or closing: too long");
    }
    bc_err rc = s_sections(report->sections, report->n_sections, 1, why, why_size);
    if (rc != BC_OK) {
        return rc;
    }
    if (report->n_indicators > BC_VALIDATE_MAX_ITEMS) {
        S_FAIL("indicators: more than %d", BC_VALIDATE_MAX_ITEMS);
    }
    for (size_t i = 0; i < report->n_indicators; i++) {
        const Baocao__IndicatorValue *v = report->indicators[i];
        if (!v || s_empty(v->code) || !s_len_ok(v->code, 64) || !s_len_ok(v->note, 4096)) {
            S_FAIL("indicators[%zu]: code missing, or code or note too long", i);
        }
        if (v->value != v->value) {
            S_FAIL("indicators[%zu].value: not a number", i);
        }
    }
    if (report->n_attachments > 16) {
        S_FAIL("attachments: more than 16");
    }
    for (size_t i = 0; i < report->n_attachments; i++) {
        const Baocao__Attachment *a = report->attachments[i];
        if (!a || s_empty(a->name) || !s_len_ok(a->name, 255)) {
            S_FAIL("attachments[%zu].name: missing or too long", i);
        }
        if (a->sha256.len != crypto_hash_sha256_BYTES) {
            S_FAIL("attachments[%zu].sha256: must be 32 bytes", i);
        }
        uint8_t digest[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(digest, a->data.data ? a->data.data : (const uint8_t *) "",
                           a->data.len);
        if (memcmp(digest, a->sha256.data, sizeof digest) != 0) {
            S_FAIL("attachments[%zu].sha256: does not match the data", i);
        }
    }
    return BC_OK;
}
