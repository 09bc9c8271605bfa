//  bc_docparse - finds the letter's parts and assembles the Report from them
#include "bc_docparse.h"
#include "bc_body.h"
#include "bc_fs.h"
#include "bc_legal.h"
#include "bc_letter.h"
#include "bc_notation.h"
#include "bc_outline.h"
#include "bc_para.h"
#include "bc_pdf.h"
#include "bc_text.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Kinds a request letter is cited as, when no cue word points at it.
static const char *s_letter_kinds[] = {
    "Văn bản", "Công văn", "Công điện", "Kế hoạch", "Thông báo",
};

static void
s_why(char *why, size_t why_size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
s_why(char *why, size_t why_size, const char *fmt, ...)
{
    if (!why || why_size == 0) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, why_size, fmt, ap);
    va_end(ap);
}

void
bc_docparse_match_outline(Baocao__Report *report, const Baocao__ReportRequest *request)
{
    assert(report);
    bc_outline_match(report, request);
}

//  --------------------------------------------------------------------------
//  Legal references

typedef struct {
    bc_legal_list_t list;
    Baocao__LegalRef *answers;          //  best candidate so far, owned
    int answers_rank;                   //  3 request's own, 2 cue, 1 letter kind
    const Baocao__ReportRequest *request;
    size_t citations;                   //  read so far (BC_LEGAL_MAX_CITATIONS)
} s_refs_t;

static int
s_is_request(const Baocao__LegalRef *ref, const Baocao__ReportRequest *request)
{
    if (!request || !request->number || !ref->number || ref->number != request->number
        || ref->year != request->year) {
        return 0;
    }
    char a[BC_NOTATION_MAX], b[BC_NOTATION_MAX];
    return bc_notation_canonical(ref->notation ? ref->notation : "", a, sizeof a) == BC_OK
           && bc_notation_canonical(request->notation ? request->notation : "", b, sizeof b)
              == BC_OK
           && strcmp(a, b) == 0;
}

//  Scans one paragraph; with preamble set, its citations are candidates
//  for the letter the report answers.
static void
s_scan(s_refs_t *refs, const char *text, int preamble)
{
    if (refs->citations >= BC_LEGAL_MAX_CITATIONS) {
        return;
    }
    bc_legal_hit_t *hits = NULL;
    size_t n = bc_legal_find(text, &hits);
    refs->citations += n;
    for (size_t i = 0; i < n; i++) {
        Baocao__LegalRef *ref = hits[i].ref;
        if (preamble && ref->number > 0) {
            int rank = 0;
            int letter = 0;
            for (size_t k = 0; k < sizeof s_letter_kinds / sizeof s_letter_kinds[0]; k++) {
                letter |= strcmp(ref->kind, s_letter_kinds[k]) == 0;
            }
            //  "Căn cứ Văn bản số ..." points at the request as surely as
            //  "Thực hiện ..." does; "Căn cứ Nghị định ..." cites a basis.
            if (s_is_request(ref, refs->request)) {
                rank = 3;
            }
            else if (hits[i].cue == 2 || (hits[i].cue == 1 && letter)) {
                rank = 2;
            }
            else if (letter) {
                rank = 1;
            }
            if (rank > refs->answers_rank) {
                if (refs->answers) {
                    baocao__legal_ref__free_unpacked(refs->answers, NULL);
                }
                refs->answers = bc_legal_copy(ref);
                refs->answers_rank = rank;
            }
        }
        hits[i].ref = NULL;
        bc_legal_list_add(&refs->list, &ref);
    }
    bc_legal_hits_destroy(&hits, n);
}

//  Scans a body: each "\n"-separated paragraph on its own.
static void
s_scan_lines(s_refs_t *refs, const char *body)
{
    if (!body || !*body) {
        return;
    }
    char *copy = bc_strdup(body);
    char *p = copy;
    while (p) {
        char *nl = strchr(p, '\n');
        if (nl) {
            *nl = '\0';
        }
        s_scan(refs, p, 0);
        p = nl ? nl + 1 : NULL;
    }
    free(copy);
}

static void
s_scan_section(s_refs_t *refs, const Baocao__Section *section, int depth)
{
    if (depth > BC_BODY_MAX_DEPTH + 1) {
        return;
    }
    s_scan(refs, section->title ? section->title : "", 0);
    s_scan_lines(refs, section->body);
    for (size_t i = 0; i < section->n_children; i++) {
        s_scan_section(refs, section->children[i], depth + 1);
    }
}

//  --------------------------------------------------------------------------
//  The letter

//  A "Nơi nhận" that opens the tail: with its colon, alone on its line, or
//  a column beside the signer's ("Nơi nhận" in a body sentence is text).
static int
s_tail_start(const bc_text_line_t *line, const char *text)
{
    size_t n = bc_letter_noi_nhan(text);
    if (n == 0) {
        return 0;
    }
    if (text[n - 1] == ':' || text[n] == '\0') {
        return 1;
    }
    bc_text_cell_t cells[2];
    if (bc_text_columns(line->text, line->indent, cells, 2) == 2) {
        char *first = bc_text_squeeze(cells[0].text, cells[0].len);
        int alone = bc_letter_noi_nhan(first) == strlen(first);
        free(first);
        return alone;
    }
    return 0;
}

static bc_err
s_parse(const char *data, size_t size, const Baocao__ReportRequest *request,
        Baocao__Report **report_p, bc_buf_t *warnings, char *why, size_t why_size)
{
    char dummy[1];
    if (!why || why_size == 0) {
        why = dummy;
        why_size = sizeof dummy;
    }
    if (!data && size > 0) {
        s_why(why, why_size, "no text");
        return BC_EINVAL;
    }
    if (size > BC_DOCPARSE_MAX_INPUT) {
        s_why(why, why_size, "text of %zu bytes over the limit of %u", size,
              BC_DOCPARSE_MAX_INPUT);
        return BC_ETOOBIG;
    }
    bc_text_t text;
    bc_err rc = bc_text_init(&text, data ? data : "", size, why, why_size);
    if (rc != BC_OK) {
        return rc;
    }
    size_t n = text.n_lines;
    char **sq = bc_calloc(n, sizeof *sq);
    for (size_t i = 0; i < n; i++) {
        sq[i] = bc_text_squeeze(text.lines[i].text, text.lines[i].len);
    }
    Baocao__Report *report = bc_malloc(sizeof *report);
    baocao__report__init(report);

    //  The landmarks: "Nơi nhận:" opens the tail; "Kính gửi:" before it
    //  ends the header and opens the addressees.
    size_t tail = n;
    for (size_t i = 0; i < n && tail == n; i++) {
        if (s_tail_start(&text.lines[i], sq[i])) {
            tail = i;
        }
    }
    size_t kg = tail;
    for (size_t i = 0; i < tail && kg == tail; i++) {
        if (bc_letter_kinh_gui(sq[i])) {
            kg = i;
        }
    }
    size_t body_from;
    if (kg < tail) {
        bc_letter_header(&text, sq, 0, kg, 1, request, report);
        body_from = bc_letter_addressees(&text, sq, kg, tail, report);
    }
    else {
        body_from = bc_letter_header(&text, sq, 0, tail, 0, request, report);
    }
    bc_para_t flow;
    bc_para_init(&flow, &text, body_from, tail);
    bc_body_t body;
    bc_body_parse(&body, &text, sq, &flow, body_from, tail);
    bc_letter_tail(&text, sq, body.signer_from, tail, n, report);

    s_refs_t refs;
    memset(&refs, 0, sizeof refs);
    bc_legal_list_init(&refs.list);
    refs.request = request;
    s_scan(&refs, report->subject ? report->subject : "", 0);
    for (size_t i = 0; i < body.n_preamble; i++) {
        s_scan(&refs, body.preamble[i], 1);
    }
    int sectionless = body.n_sections == 1 && !*body.sections[0]->number;
    for (size_t i = 0; i < body.n_sections && !sectionless; i++) {
        s_scan_section(&refs, body.sections[i], 0);
    }
    if (body.closing) {
        s_scan(&refs, body.closing, 0);
    }

    report->sections = body.sections;
    report->n_sections = body.n_sections;
    body.sections = NULL;
    body.n_sections = 0;
    if (body.closing) {
        report->closing = body.closing;
        body.closing = NULL;
    }
    report->legal_refs = bc_legal_list_take(&refs.list, &report->n_legal_refs);
    report->answers = refs.answers;
    bc_outline_match(report, request);

    if (warnings) {
        if (text.n_controls > 0) {
            bc_buf_printf(warnings, "%zu control characters replaced by spaces\n",
                          text.n_controls);
        }
        if (report->number == 0 && !report->date && !*report->subject) {
            bc_buf_puts(warnings, "no letter header (number, date, subject) found\n");
        }
        if (sectionless) {
            bc_buf_puts(warnings, "no numbered section found: the whole text is one section\n");
        }
        if (report->n_sections == 0) {
            bc_buf_puts(warnings, "no text between the header and the signature\n");
        }
        if (!report->signer) {
            bc_buf_puts(warnings, "no signer found\n");
        }
        if (refs.citations >= BC_LEGAL_MAX_CITATIONS) {
            bc_buf_printf(warnings, "only the first %u citations were read\n",
                          BC_LEGAL_MAX_CITATIONS);
        }
    }
    bc_body_release(&body);
    for (size_t i = 0; i < n; i++) {
        free(sq[i]);
    }
    free(sq);
    bc_text_release(&text);
    *report_p = report;
    return BC_OK;
}

bc_err
bc_docparse_text(const char *text, size_t size, const Baocao__ReportRequest *request,
                 Baocao__Report **report_p, char *why, size_t why_size)
{
    assert(report_p);
    return s_parse(text, size, request, report_p, NULL, why, why_size);
}

bc_err
bc_docparse_text_warn(const char *text, size_t size, const Baocao__ReportRequest *request,
                      Baocao__Report **report_p, bc_buf_t *warnings, char *why, size_t why_size)
{
    assert(report_p);
    return s_parse(text, size, request, report_p, warnings, why, why_size);
}

bc_err
bc_docparse_data(const void *data, size_t size, const Baocao__ReportRequest *request,
                 Baocao__Report **report_p, const char **media_type_p, bc_buf_t *warnings,
                 char *why, size_t why_size)
{
    assert(report_p);
    if (size > BC_DOCPARSE_MAX_FILE) {
        s_why(why, why_size, "document of %zu bytes over the limit of %u MiB", size,
              BC_DOCPARSE_MAX_FILE >> 20);
        return BC_ETOOBIG;
    }
    if (data && bc_pdf_sniff(data, size)) {
        char *text = NULL;
        size_t len = 0;
        bc_err rc = bc_pdf_text(data, size, &text, &len, NULL, warnings, why, why_size);
        if (rc != BC_OK) {
            return rc;
        }
        rc = s_parse(text, len, request, report_p, warnings, why, why_size);
        if (rc == BC_EINVAL && why && why_size && strcmp(why, "empty document") == 0) {
            s_why(why, why_size, "the PDF's text layer is empty (scanned?)");
        }
        free(text);
        if (rc == BC_OK && media_type_p) {
            *media_type_p = BC_DOCPARSE_MEDIA_PDF;
        }
        return rc;
    }
    bc_err rc = s_parse(data, size, request, report_p, warnings, why, why_size);
    if (rc == BC_OK && media_type_p) {
        *media_type_p = BC_DOCPARSE_MEDIA_TEXT;
    }
    return rc;
}

bc_err
bc_docparse_file(const char *path, const Baocao__ReportRequest *request,
                 Baocao__Report **report_p, const char **media_type_p, bc_buf_t *warnings,
                 char *why, size_t why_size)
{
    assert(path);
    assert(report_p);
    char *data = NULL;
    size_t size = 0;
    bc_err rc = bc_fs_read(path, BC_DOCPARSE_MAX_FILE, &data, &size);
    if (rc != BC_OK) {
        switch (rc) {
        case BC_ETOOBIG:
            s_why(why, why_size, "%s: over the limit of %u MiB", path, BC_DOCPARSE_MAX_FILE >> 20);
            break;
        case BC_EINVAL:
            s_why(why, why_size, "%s: not a regular file", path);
            break;
        default:
            s_why(why, why_size, "%s: %s", path, bc_strerror(rc));
            break;
        }
        return rc;
    }
    rc = bc_docparse_data(data, size, request, report_p, media_type_p, warnings, why, why_size);
    free(data);
    return rc;
}
