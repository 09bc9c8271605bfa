//  bc_export_html - writes the bc_doc document as printable HTML with inline SVG
#include "bc_export_html.h"
#include "bc_alloc.h"
#include "bc_chart.h"
#include "bc_doc.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  The sheet: Decree 30/2020 margins (top 20, bottom 20, left 30, right 15
//  mm), a Times-like serif that has Vietnamese (Liberation Serif is metric
//  compatible with Times New Roman, which offices use), 13 pt text, the
//  page number top centre from the second page. On screen the same page
//  sits on a grey desk.
static const char s_css[] =
    "@page { size: A4; margin: 20mm 15mm 20mm 30mm;\n"
    "        @top-center { content: counter(page); font: 13pt 'Times New Roman', "
    "'Liberation Serif', 'DejaVu Serif', serif; } }\n"
    "@page :first { @top-center { content: none; } }\n"
    "html { background: #fff; }\n"
    "body { margin: 0; color: #000; font-family: 'Times New Roman', 'Liberation Serif', "
    "'DejaVu Serif', serif; font-size: 13pt; line-height: 1.3; }\n"
    ".document { box-sizing: border-box; }\n"
    "@media screen {\n"
    "  html { background: #d9d9d9; }\n"
    "  .document { width: 210mm; min-height: 297mm; margin: 8mm auto; padding: 20mm 15mm 20mm "
    "30mm; background: #fff; box-shadow: 0 1px 6px rgba(0,0,0,.35); }\n"
    "}\n"
    "table.doc-header, table.doc-footer { width: 100%; border-collapse: collapse; "
    "table-layout: fixed; }\n"
    "table.doc-header { width: 175mm; margin-left: -10mm; }\n"
    "table.doc-header td, table.doc-footer td { vertical-align: top; padding: 0; }\n"
    "td.organ { width: 46%; text-align: center; font-size: 12pt; }\n"
    "td.nation { width: 54%; text-align: center; font-size: 12pt; }\n"
    ".organ-name, .national, .motto { font-weight: bold; }\n"
    ".motto { font-size: 13pt; }\n"
    ".motto span { border-bottom: 1px solid #000; padding-bottom: 1pt; }\n"
    ".rule { width: 32%; margin: 2pt auto 6pt; border-top: 1px solid #000; height: 0; }\n"
    ".number { white-space: pre; margin-top: 4pt; }\n"
    ".place-date { font-style: italic; margin-top: 8pt; font-size: 13pt; }\n"
    "h1.title { font-size: 14pt; text-align: center; margin: 22pt 0 0; }\n"
    "p.subject { text-align: center; font-weight: bold; text-indent: 0; margin: 2pt 8% 0; }\n"
    "p.recipient { text-align: center; text-indent: 0; margin: 10pt 0 12pt; }\n"
    "h2 { font-size: 13pt; margin: 12pt 0 6pt; text-indent: 1cm; break-after: avoid; }\n"
    "h3 { font-size: 13pt; margin: 10pt 0 6pt; text-indent: 1cm; break-after: avoid; }\n"
    "h2.annex-title { text-align: center; text-indent: 0; margin: 0; }\n"
    "p { margin: 0 0 6pt; text-align: justify; text-indent: 1cm; orphans: 2; widows: 2; }\n"
    "p.note { font-style: italic; }\n"
    "p.bold { font-weight: bold; }\n"
    "p.center { text-align: center; text-indent: 0; }\n"
    "p.noindent { text-indent: 0; }\n"
    "p.depth1 { margin-left: 1cm; } p.depth2 { margin-left: 2cm; } p.depth3 { margin-left: 3cm; }\n"
    "b.lead { font-weight: bold; }\n"
    "figure.chart { margin: 6pt 0 10pt; text-align: center; break-inside: avoid; "
    "break-before: avoid; }\n"
    "figure.chart svg { width: 100%; max-width: 165mm; height: auto; }\n"
    "table.data { width: 100%; border-collapse: collapse; font-size: 10.5pt; line-height: 1.2; "
    "margin: 4pt 0 10pt; table-layout: fixed; }\n"
    "table.data th, table.data td { border: 1px solid #000; padding: 2pt 3pt; "
    "vertical-align: top; overflow-wrap: break-word; }\n"
    "table.data th { text-align: center; font-weight: bold; background: #f0f0f0; }\n"
    "table.data thead { display: table-header-group; }\n"
    "table.data tr { break-inside: avoid; }\n"
    "table.data tr.total td { font-weight: bold; }\n"
    "td.c { text-align: center; } td.r { text-align: right; white-space: nowrap; }\n"
    ".nw { white-space: nowrap; }\n"
    "p.closing { margin-top: 8pt; }\n"
    "table.doc-footer { margin-top: 10pt; break-inside: avoid; }\n"
    "td.recipients { width: 45%; font-size: 11pt; text-align: left; }\n"
    "td.recipients .recipients-title { font-size: 12pt; font-weight: bold; font-style: italic; }\n"
    "td.signature { width: 55%; text-align: center; font-weight: bold; font-size: 13pt; }\n"
    ".sign-space { height: 70pt; }\n"
    ".page-break { break-before: page; page-break-before: always; height: 0; }\n"
    "@media screen { .page-break { border-top: 2px dashed #bbb; margin: 14mm -15mm 10mm -30mm; "
    "} }\n";

//  Escaped text whose runs of blanks keep their width (HTML would fold
//  them into one): the number left blank, "Số:      /BC-STTTT", is meant
//  to be filled in by hand.
//  A word holding a '/' between two characters ("1005/STTTT-TTBCXB",
//  "07/5/2019") is kept on one line: browsers would break it after the
//  slash or a hyphen, which an official document never does.
static void
s_text(bc_buf_t *out, const char *text)
{
    bc_buf_t run;
    bc_buf_init(&run);
    const char *p = text ? text : "";
    while (*p) {
        size_t n = strcspn(p, " ");
        bc_buf_append(&run, p, n);
        bc_buf_append(&run, "", 0);
        const char *slash = memchr(p, '/', n);
        int keep = slash && slash > p && slash < p + n - 1;
        if (keep) {
            bc_buf_puts(out, "<span class=\"nw\">");
        }
        bc_doc_escape(out, run.data);
        if (keep) {
            bc_buf_puts(out, "</span>");
        }
        run.len = 0;
        p += n;
        size_t blanks = strspn(p, " ");
        if (blanks == 1) {
            bc_buf_puts(out, " ");
        }
        else if (blanks > 1) {
            bc_buf_puts(out, " ");
            for (size_t i = 1; i < blanks; i++) {
                bc_buf_puts(out, "&#160;");
            }
        }
        p += blanks;
    }
    bc_buf_release(&run);
}

static void
s_line(bc_buf_t *out, const char *tag, const char *cls, const char *text)
{
    bc_buf_printf(out, "<%s class=\"%s\">", tag, cls);
    s_text(out, text);
    bc_buf_printf(out, "</%s>\n", tag);
}

static void
s_header(bc_buf_t *out, const bc_doc_t *doc)
{
    bc_buf_puts(out, "<table class=\"doc-header\" role=\"presentation\">\n<tr>\n"
                "<td class=\"organ\">\n");
    if (*doc->parent_organ) {
        s_line(out, "div", "parent-organ", doc->parent_organ);
    }
    s_line(out, "div", "organ-name", doc->organ);
    bc_buf_puts(out, "<div class=\"rule\"></div>\n");
    s_line(out, "div", "number", doc->number);
    bc_buf_puts(out, "</td>\n<td class=\"nation\">\n");
    s_line(out, "div", "national", doc->national);
    bc_buf_puts(out, "<div class=\"motto\"><span>");
    bc_doc_escape(out, doc->motto);
    bc_buf_puts(out, "</span></div>\n");
    s_line(out, "div", "place-date", doc->place_date);
    bc_buf_puts(out, "</td>\n</tr>\n</table>\n");
    s_line(out, "h1", "title", doc->title);
    s_line(out, "p", "subject", doc->subject);
    bc_buf_puts(out, "<div class=\"rule\"></div>\n");
    s_line(out, "p", "recipient", doc->recipient);
}

static void
s_table(bc_buf_t *out, const bc_doc_table_t *t)
{
    double sum = 0;
    for (size_t c = 0; c < t->n_cols; c++) {
        sum += t->cols[c].weight;
    }
    bc_buf_puts(out, "<table class=\"data\">\n<colgroup>");
    for (size_t c = 0; c < t->n_cols; c++) {
        bc_buf_printf(out, "<col style=\"width: %.1f%%\"/>",
                      sum > 0 ? 100.0 * t->cols[c].weight / sum : 100.0 / (double) t->n_cols);
    }
    bc_buf_puts(out, "</colgroup>\n<thead><tr>");
    for (size_t c = 0; c < t->n_cols; c++) {
        bc_buf_puts(out, "<th>");
        bc_doc_escape(out, t->cols[c].head);
        bc_buf_puts(out, "</th>");
    }
    bc_buf_puts(out, "</tr></thead>\n<tbody>\n");
    for (size_t r = 0; r < t->n_rows; r++) {
        int total = t->last_bold && r + 1 == t->n_rows;
        bc_buf_puts(out, total ? "<tr class=\"total\">" : "<tr>");
        for (size_t c = 0; c < t->n_cols; c++) {
            switch (t->cols[c].align) {
            case BC_DOC_CENTERED:   bc_buf_puts(out, "<td class=\"c\">"); break;
            case BC_DOC_RIGHT:      bc_buf_puts(out, "<td class=\"r\">"); break;
            default:                bc_buf_puts(out, "<td>"); break;
            }
            s_text(out, t->cells[r * t->n_cols + c]);
            bc_buf_puts(out, "</td>");
        }
        bc_buf_puts(out, "</tr>\n");
    }
    bc_buf_puts(out, "</tbody>\n</table>\n");
}

static void
s_blocks(bc_buf_t *out, const bc_doc_blocks_t *blocks)
{
    for (size_t i = 0; i < blocks->n; i++) {
        const bc_doc_block_t *b = &blocks->items[i];
        switch (b->kind) {
        case BC_DOC_HEADING: {
            const char *tag = b->level == 2 ? "h3" : "h2";
            bc_buf_printf(out, "<%s", tag);
            if (b->level == 3) {
                bc_buf_puts(out, " class=\"annex-title\"");
            }
            if (b->anchor) {
                bc_buf_puts(out, " id=\"");
                bc_doc_escape(out, b->anchor);
                bc_buf_puts(out, "\"");
            }
            bc_buf_puts(out, ">");
            s_text(out, b->text);
            bc_buf_printf(out, "</%s>\n", tag);
            break;
        }
        case BC_DOC_PARA: {
            bc_buf_t cls;
            bc_buf_init(&cls);
            bc_buf_append(&cls, "", 0);
            if (b->flags & BC_DOC_BOLD) {
                bc_buf_puts(&cls, " bold");
            }
            if (b->flags & BC_DOC_ITALIC) {
                bc_buf_puts(&cls, " note");
            }
            if (b->flags & BC_DOC_CENTER) {
                bc_buf_puts(&cls, " center");
            }
            if (b->flags & BC_DOC_NOINDENT) {
                bc_buf_puts(&cls, " noindent");
            }
            if (b->level > 0) {
                bc_buf_printf(&cls, " depth%d", b->level < 3 ? b->level : 3);
            }
            if (cls.len) {
                bc_buf_printf(out, "<p class=\"%s\">", cls.data + 1);
            }
            else {
                bc_buf_puts(out, "<p>");
            }
            bc_buf_release(&cls);
            if (b->lead && *b->lead) {
                bc_buf_puts(out, "<b class=\"lead\">");
                bc_doc_escape(out, b->lead);
                bc_buf_puts(out, "</b>");
                if (b->text && *b->text) {
                    bc_buf_puts(out, " ");
                }
            }
            s_text(out, b->text);
            bc_buf_puts(out, "</p>\n");
            break;
        }
        case BC_DOC_TABLE:
            s_table(out, b->table);
            break;
        case BC_DOC_CHART:
            bc_buf_puts(out, "<figure class=\"chart\">\n");
            bc_chart_svg(b->chart, out);
            bc_buf_puts(out, "</figure>\n");
            break;
        case BC_DOC_PAGEBREAK:
            bc_buf_puts(out, "<div class=\"page-break\"></div>\n");
            break;
        }
    }
}

static void
s_footer(bc_buf_t *out, const bc_doc_t *doc)
{
    s_line(out, "p", "closing", doc->closing);
    bc_buf_puts(out, "<table class=\"doc-footer\" role=\"presentation\">\n<tr>\n"
                "<td class=\"recipients\">\n<div class=\"recipients-title\">Nơi nhận:</div>\n");
    for (size_t i = 0; i < doc->n_distribution; i++) {
        s_line(out, "div", "recipient-line", doc->distribution[i]);
    }
    bc_buf_puts(out, "</td>\n<td class=\"signature\">\n");
    if (*doc->signer_authority) {
        s_line(out, "div", "signer-authority", doc->signer_authority);
    }
    if (*doc->signer_title) {
        s_line(out, "div", "signer-title", doc->signer_title);
    }
    bc_buf_puts(out, "<div class=\"sign-space\"></div>\n");
    s_line(out, "div", "signer-name", doc->signer_name);
    bc_buf_puts(out, "</td>\n</tr>\n</table>\n");
}

char *
bc_export_html(const Baocao__Summary *summary, const bc_export_opts_t *opts)
{
    assert(summary);
    bc_doc_opts_t dopts = { opts ? opts->parent_organ : NULL, opts ? opts->recipient : NULL };
    bc_doc_t *doc = bc_doc_new(summary, &dopts);
    bc_buf_t out;
    bc_buf_init(&out);
    bc_buf_puts(&out, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
                "<meta name=\"generator\" content=\"baocao\"/>\n<meta name=\"author\" content=\"");
    bc_doc_escape(&out, doc->author);
    bc_buf_puts(&out, "\"/>\n<title>");
    bc_doc_escape(&out, doc->doc_title);
    bc_buf_puts(&out, "</title>\n<style>\n");
    bc_buf_puts(&out, s_css);
    bc_buf_puts(&out, "</style>\n</head>\n<body>\n<article class=\"document\">\n");
    s_header(&out, doc);
    bc_buf_puts(&out, "<section class=\"body\">\n");
    s_blocks(&out, &doc->body);
    bc_buf_puts(&out, "</section>\n");
    s_footer(&out, doc);
    bc_buf_puts(&out, "<section class=\"annex\">\n");
    s_blocks(&out, &doc->annex);
    bc_buf_puts(&out, "</section>\n</article>\n</body>\n</html>\n");
    bc_doc_destroy(&doc);
    return bc_buf_take(&out);
}
