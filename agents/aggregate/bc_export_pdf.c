//  bc_export_pdf - lays the bc_doc document out on A4 pages with pango, draws it with cairo
#include "bc_export_pdf.h"
#include "bc_alloc.h"
#include "bc_chart.h"
#include "bc_doc.h"

#include <assert.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

//  A4 in points, and the Decree 30/2020 margins.
#define S_MM            (72.0 / 25.4)
#define S_PAGE_W        (210.0 * S_MM)
#define S_PAGE_H        (297.0 * S_MM)
#define S_TOP           (20.0 * S_MM)
#define S_BOTTOM        (20.0 * S_MM)
#define S_LEFT          (30.0 * S_MM)
#define S_RIGHT         (15.0 * S_MM)
#define S_TEXT_W        (S_PAGE_W - S_LEFT - S_RIGHT)
#define S_LIMIT         (S_PAGE_H - S_BOTTOM)   //  lowest y text may reach

#define S_BODY_PT       13.0            //  body text (the decree: 13 to 14)
#define S_HEAD_PT       12.0            //  header lines (the decree: 12 to 13)
#define S_TITLE_PT      14.0            //  "BÁO CÁO"
#define S_TABLE_PT      10.5            //  table cells
#define S_SMALL_PT      11.0            //  "Nơi nhận" lines
#define S_INDENT        (10.0 * S_MM)   //  first-line indent, and one level of depth
#define S_SPACING       1.5             //  points between the lines of a paragraph
#define S_PARA_GAP      4.0             //  points after a paragraph
#define S_CELL_PAD      3.0             //  inside a table cell
#define S_RULE          0.6             //  table and header line width
#define S_HEADER_HANG   (10.0 * S_MM)   //  the header may use this much of the left margin

typedef struct {
    cairo_surface_t *surface;           //  the PDF, written into a bc_buf_t
    cairo_t *cr;                        //  draws on it
    PangoContext *pango;                //  one context for every layout
    const char *family;                 //  bc_export_pdf_family()
    double y;                           //  where the next block starts on the page
    int page;                           //  1-based
    int fresh;                          //  nothing drawn on this page yet
    int outline_part;                   //  bookmark id of the current part, 0 = root
} s_pdf_t;

typedef enum {
    S_PLAIN = 0,
    S_BOLD = 1,
    S_ITALIC = 2
} s_style_t;

//  --------------------------------------------------------------------------
//  Fonts

const char *
bc_export_pdf_family(void)
{
    static const char *wanted[] = BC_EXPORT_PDF_FAMILIES;
    PangoFontMap *map = pango_cairo_font_map_get_default();
    PangoFontFamily **families = NULL;
    int n = 0;
    pango_font_map_list_families(map, &families, &n);
    const char *found = NULL;
    for (size_t w = 0; w < sizeof wanted / sizeof wanted[0] && !found; w++) {
        for (int i = 0; i < n && !found; i++) {
            if (strcasecmp(pango_font_family_get_name(families[i]), wanted[w]) == 0) {
                found = wanted[w];
            }
        }
    }
    g_free(families);
    return found ? found : BC_EXPORT_PDF_FALLBACK;
}

void
bc_export_pdf_release_fonts(void)
{
    //  The font map holds cairo font faces, which hold fontconfig patterns:
    //  released in that order, fontconfig last.
    pango_cairo_font_map_set_default(NULL);
    cairo_debug_reset_static_data();
    FcFini();
}

//  Attributes of text: no line break inside a word holding a '/' between
//  two characters ("1005/STTTT-TTBCXB", "09/2017/NĐ-CP", "07/5/2019"), which
//  the line breaking rules would split after the slash or the hyphen and
//  an official document never does; bold over the first bold_len bytes.
static PangoAttrList *
s_attrs(const char *text, size_t bold_len)
{
    PangoAttrList *attrs = pango_attr_list_new();
    const char *p = text;
    while (*p) {
        size_t n = strcspn(p, " \n");
        const char *slash = memchr(p, '/', n);
        if (slash && slash > p && slash < p + n - 1) {
            PangoAttribute *keep = pango_attr_allow_breaks_new(FALSE);
            keep->start_index = (guint) (p - text);
            keep->end_index = (guint) (p - text + n);
            pango_attr_list_insert(attrs, keep);
        }
        p += n;
        p += strspn(p, " \n");
    }
    if (bold_len) {
        PangoAttribute *bold = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
        bold->start_index = 0;
        bold->end_index = (guint) bold_len;
        pango_attr_list_insert(attrs, bold);
    }
    return attrs;
}

static PangoLayout *
s_layout_led(s_pdf_t *pdf, const char *text, double size, int style, double width,
             size_t bold_len)
{
    PangoLayout *layout = pango_layout_new(pdf->pango);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, pdf->family);
    //  Absolute sizes are in user units, which are points on a PDF surface.
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    if (style & S_BOLD) {
        pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    }
    if (style & S_ITALIC) {
        pango_font_description_set_style(fd, PANGO_STYLE_ITALIC);
    }
    pango_layout_set_font_description(layout, fd);
    pango_font_description_free(fd);
    if (width > 0) {
        pango_layout_set_width(layout, (int) (width * PANGO_SCALE));
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_text(layout, text ? text : "", -1);
    PangoAttrList *attrs = s_attrs(text ? text : "", bold_len);
    pango_layout_set_attributes(layout, attrs);
    pango_attr_list_unref(attrs);
    return layout;
}

static PangoLayout *
s_layout(s_pdf_t *pdf, const char *text, double size, int style, double width)
{
    return s_layout_led(pdf, text, size, style, width, 0);
}

static double
s_height(PangoLayout *layout)
{
    int w, h;
    pango_layout_get_size(layout, &w, &h);
    return h / (double) PANGO_SCALE;
}

static double
s_width(PangoLayout *layout)
{
    int w, h;
    pango_layout_get_size(layout, &w, &h);
    return w / (double) PANGO_SCALE;
}

//  --------------------------------------------------------------------------
//  Pages

static void
s_page_number(s_pdf_t *pdf)
{
    //  The decree: from the second page, centred in the top margin.
    if (pdf->page < 2) {
        return;
    }
    char number[16];
    snprintf(number, sizeof number, "%d", pdf->page);
    PangoLayout *layout = s_layout(pdf, number, S_BODY_PT, S_PLAIN, S_TEXT_W);
    pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
    cairo_move_to(pdf->cr, S_LEFT, 9.0 * S_MM);
    pango_cairo_show_layout(pdf->cr, layout);
    g_object_unref(layout);
}

static void
s_new_page(s_pdf_t *pdf)
{
    cairo_show_page(pdf->cr);
    pdf->page++;
    pdf->y = S_TOP;
    pdf->fresh = 1;
    s_page_number(pdf);
}

//  Starts a new page unless height fits below the cursor (or the page is
//  still empty: what does not fit on an empty page will not fit anywhere).
static void
s_need(s_pdf_t *pdf, double height)
{
    if (!pdf->fresh && pdf->y + height > S_LIMIT) {
        s_new_page(pdf);
    }
}

//  Draws a layout line by line from the cursor, moving to the next page
//  whenever a line would cross the bottom margin: paragraphs flow over
//  pages instead of being pushed whole.
static void
s_flow(s_pdf_t *pdf, PangoLayout *layout, double x)
{
    PangoLayoutIter *it = pango_layout_get_iter(layout);
    double shift = pdf->y;              //  page y of the layout's y = 0
    int on_page = 0;                    //  lines drawn on this page
    do {
        PangoRectangle r;
        pango_layout_iter_get_line_extents(it, NULL, &r);
        double top = r.y / (double) PANGO_SCALE;
        double h = r.height / (double) PANGO_SCALE;
        if (shift + top + h > S_LIMIT && (on_page || !pdf->fresh)) {
            s_new_page(pdf);
            shift = pdf->y - top;
            on_page = 0;
        }
        double baseline = pango_layout_iter_get_baseline(it) / (double) PANGO_SCALE;
        cairo_move_to(pdf->cr, x + r.x / (double) PANGO_SCALE, shift + baseline);
        pango_cairo_show_layout_line(pdf->cr, pango_layout_iter_get_line_readonly(it));
        pdf->y = shift + top + h;
        pdf->fresh = 0;
        on_page++;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

//  Draws a layout whole at (x, y) on the current page.
static void
s_show(s_pdf_t *pdf, PangoLayout *layout, double x, double y)
{
    cairo_move_to(pdf->cr, x, y);
    pango_cairo_show_layout(pdf->cr, layout);
    pdf->fresh = 0;
}

static void
s_hline(s_pdf_t *pdf, double x0, double x1, double y, double width)
{
    cairo_set_line_width(pdf->cr, width);
    cairo_move_to(pdf->cr, x0, y);
    cairo_line_to(pdf->cr, x1, y);
    cairo_stroke(pdf->cr);
}

//  A bookmark to the cursor's place; level 1 under the root, level 2 under
//  the last level 1.
static void
s_outline(s_pdf_t *pdf, int level, const char *text)
{
    char link[96];
    snprintf(link, sizeof link, "page=%d pos=[%.1f %.1f]", pdf->page, S_LEFT, pdf->y);
    int parent = level == 1 ? CAIRO_PDF_OUTLINE_ROOT : pdf->outline_part;
    int id = cairo_pdf_surface_add_outline(pdf->surface, parent, text, link, 0);
    if (level == 1) {
        pdf->outline_part = id;
    }
}

//  --------------------------------------------------------------------------
//  The header, title and footer

//  A centred block of lines in a column; returns the y below it.
static double
s_centered(s_pdf_t *pdf, const char *text, double size, int style, double x, double w, double y,
           double *text_w)
{
    PangoLayout *layout = s_layout(pdf, text, size, style, w);
    pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
    s_show(pdf, layout, x, y);
    if (text_w) {
        //  The widest line (a layout is as wide as its width), for the
        //  rules drawn under it.
        PangoLayoutIter *it = pango_layout_get_iter(layout);
        double widest = 0;
        do {
            PangoRectangle r;
            pango_layout_iter_get_line_extents(it, NULL, &r);
            double line_w = r.width / (double) PANGO_SCALE;
            widest = line_w > widest ? line_w : widest;
        } while (pango_layout_iter_next_line(it));
        pango_layout_iter_free(it);
        *text_w = widest;
    }
    double h = s_height(layout);
    g_object_unref(layout);
    return y + h;
}

//  The width of text on one line.
static double
s_natural(s_pdf_t *pdf, const char *text, double size, int style)
{
    PangoLayout *layout = s_layout(pdf, text, size, style, 0);
    double w = s_width(layout);
    g_object_unref(layout);
    return w;
}

static void
s_header(s_pdf_t *pdf, const bc_doc_t *doc)
{
    //  The two blocks share the line's width plus S_HEADER_HANG of the left
    //  margin, as the decree's sample lays them out, each as wide as its
    //  longest line and the rest split evenly around them; a block too wide
    //  for its share wraps.
    double x0 = S_LEFT - S_HEADER_HANG;
    double avail = S_TEXT_W + S_HEADER_HANG;
    double left_w = s_natural(pdf, doc->parent_organ, S_HEAD_PT, S_PLAIN);
    double w = s_natural(pdf, doc->organ, S_HEAD_PT, S_BOLD);
    left_w = w > left_w ? w : left_w;
    w = s_natural(pdf, doc->number, S_BODY_PT, S_PLAIN);
    left_w = w > left_w ? w : left_w;
    left_w = left_w < avail * 0.48 ? left_w : avail * 0.48;
    double right_w = s_natural(pdf, doc->national, S_HEAD_PT, S_BOLD);
    w = s_natural(pdf, doc->place_date, S_BODY_PT, S_ITALIC);
    right_w = w > right_w ? w : right_w;
    right_w = right_w < avail - left_w - 4 * S_MM ? right_w : avail - left_w - 4 * S_MM;
    double slack = avail - left_w - right_w;
    double lw = left_w + slack / 2;
    double lx = x0;
    double rx = x0 + lw;
    double rw = avail - lw;
    double y0 = pdf->y;

    //  Left: parent organ, ISSUING ORGAN in bold, a rule a third of its
    //  length, the number.
    double y = y0;
    if (*doc->parent_organ) {
        y = s_centered(pdf, doc->parent_organ, S_HEAD_PT, S_PLAIN, lx, lw, y, NULL);
    }
    double organ_w = 0;
    y = s_centered(pdf, doc->organ, S_HEAD_PT, S_BOLD, lx, lw, y, &organ_w);
    double rule = organ_w / 3;
    s_hline(pdf, lx + (lw - rule) / 2, lx + (lw + rule) / 2, y + 2.5, S_RULE);
    y = s_centered(pdf, doc->number, S_BODY_PT, S_PLAIN, lx, lw, y + 8, NULL);
    double left_bottom = y;

    //  Right: the national title, the motto with a rule its full length,
    //  then place and date in italics.
    y = s_centered(pdf, doc->national, S_HEAD_PT, S_BOLD, rx, rw, y0, NULL);
    double motto_w = 0;
    y = s_centered(pdf, doc->motto, S_BODY_PT, S_BOLD, rx, rw, y, &motto_w);
    s_hline(pdf, rx + (rw - motto_w) / 2, rx + (rw + motto_w) / 2, y + 2, S_RULE);
    y = s_centered(pdf, doc->place_date, S_BODY_PT, S_ITALIC, rx, rw, y + 9, NULL);
    double right_bottom = y;

    y = (left_bottom > right_bottom ? left_bottom : right_bottom) + 18;
    y = s_centered(pdf, doc->title, S_TITLE_PT, S_BOLD, S_LEFT, S_TEXT_W, y, NULL);
    double subject_w = 0;
    y = s_centered(pdf, doc->subject, S_BODY_PT, S_BOLD, S_LEFT + S_TEXT_W * 0.08,
                   S_TEXT_W * 0.84, y + 1, &subject_w);
    rule = subject_w / 3 < 60 ? 60 : subject_w / 3;
    s_hline(pdf, S_LEFT + (S_TEXT_W - rule) / 2, S_LEFT + (S_TEXT_W + rule) / 2, y + 3.5, S_RULE);
    y = s_centered(pdf, doc->recipient, S_BODY_PT, S_PLAIN, S_LEFT, S_TEXT_W, y + 12, NULL);
    pdf->y = y + 10;
}

static void
s_footer(s_pdf_t *pdf, const bc_doc_t *doc)
{
    PangoLayout *closing = s_layout(pdf, doc->closing, S_BODY_PT, S_PLAIN, S_TEXT_W);
    pango_layout_set_justify(closing, TRUE);
    pango_layout_set_indent(closing, (int) (S_INDENT * PANGO_SCALE));
    pango_layout_set_spacing(closing, (int) (S_SPACING * PANGO_SCALE));
    s_flow(pdf, closing, S_LEFT);
    g_object_unref(closing);
    pdf->y += 10;

    //  Both columns are measured first, then kept together on one page.
    double lw = S_TEXT_W * 0.45;
    double rw = S_TEXT_W - lw;
    bc_buf_t list;
    bc_buf_init(&list);
    bc_buf_append(&list, "", 0);
    for (size_t i = 0; i < doc->n_distribution; i++) {
        bc_buf_printf(&list, "%s%s", i ? "\n" : "", doc->distribution[i]);
    }
    PangoLayout *head = s_layout(pdf, "Nơi nhận:", 12.0, S_BOLD | S_ITALIC, lw);
    PangoLayout *lines = s_layout(pdf, list.data, S_SMALL_PT, S_PLAIN, lw);
    bc_buf_release(&list);
    bc_buf_t sign;
    bc_buf_init(&sign);
    bc_buf_append(&sign, "", 0);
    if (*doc->signer_authority) {
        bc_buf_printf(&sign, "%s\n", doc->signer_authority);
    }
    if (*doc->signer_title) {
        bc_buf_printf(&sign, "%s\n", doc->signer_title);
    }
    if (sign.len) {
        sign.data[--sign.len] = '\0';
    }
    PangoLayout *office = s_layout(pdf, sign.data, S_BODY_PT, S_BOLD, rw);
    PangoLayout *name = s_layout(pdf, doc->signer_name, S_BODY_PT, S_BOLD, rw);
    bc_buf_release(&sign);
    pango_layout_set_alignment(office, PANGO_ALIGN_CENTER);
    pango_layout_set_alignment(name, PANGO_ALIGN_CENTER);
    double space = 72;                  //  room for the signature and the seal
    double left_h = s_height(head) + s_height(lines);
    double right_h = s_height(office) + space + s_height(name);
    s_need(pdf, left_h > right_h ? left_h : right_h);
    double y = pdf->y;
    s_show(pdf, head, S_LEFT, y);
    s_show(pdf, lines, S_LEFT, y + s_height(head));
    s_show(pdf, office, S_LEFT + lw, y);
    s_show(pdf, name, S_LEFT + lw, y + s_height(office) + space);
    pdf->y = y + (left_h > right_h ? left_h : right_h);
    g_object_unref(head);
    g_object_unref(lines);
    g_object_unref(office);
    g_object_unref(name);
}

//  --------------------------------------------------------------------------
//  Body blocks

static void
s_heading(s_pdf_t *pdf, const bc_doc_block_t *b)
{
    int annex = b->level == 3;
    PangoLayout *layout = s_layout(pdf, b->text, S_BODY_PT, S_BOLD, S_TEXT_W);
    if (annex) {
        pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
    }
    else {
        pango_layout_set_indent(layout, (int) (S_INDENT * PANGO_SCALE));
    }
    //  A heading never ends a page: it comes with room for two lines.
    if (!pdf->fresh) {
        pdf->y += 5;
    }
    s_need(pdf, s_height(layout) + 2 * (S_BODY_PT * 1.2 + S_SPACING));
    s_outline(pdf, b->level == 2 ? 2 : 1, b->text);
    s_flow(pdf, layout, S_LEFT);
    pdf->y += annex ? 1 : S_PARA_GAP;
    g_object_unref(layout);
}

static void
s_para(s_pdf_t *pdf, const bc_doc_block_t *b)
{
    int depth = b->level < 3 ? b->level : 3;
    double x = S_LEFT + depth * S_INDENT;
    double w = S_TEXT_W - depth * S_INDENT;
    int style = (b->flags & BC_DOC_BOLD ? S_BOLD : 0) | (b->flags & BC_DOC_ITALIC ? S_ITALIC : 0);
    size_t lead_len = b->lead && *b->lead ? strlen(b->lead) : 0;
    bc_buf_t text;
    bc_buf_init(&text);
    bc_buf_append(&text, "", 0);
    if (lead_len) {
        bc_buf_printf(&text, "%s%s", b->lead, b->text && *b->text ? " " : "");
    }
    bc_buf_puts(&text, b->text ? b->text : "");
    PangoLayout *layout = s_layout_led(pdf, text.data, S_BODY_PT, style, w, lead_len);
    bc_buf_release(&text);
    if (b->flags & BC_DOC_CENTER) {
        pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
    }
    else {
        pango_layout_set_justify(layout, TRUE);
        if (!(b->flags & BC_DOC_NOINDENT)) {
            pango_layout_set_indent(layout, (int) (S_INDENT * PANGO_SCALE));
        }
    }
    pango_layout_set_spacing(layout, (int) (S_SPACING * PANGO_SCALE));
    s_flow(pdf, layout, x);
    pdf->y += (b->flags & BC_DOC_CENTER) ? 1 : S_PARA_GAP;
    g_object_unref(layout);
}

//  One table row's cell layouts and its height.
static double
s_row_layouts(s_pdf_t *pdf, const bc_doc_table_t *t, char **cells, const double *widths,
              int header, int bold, PangoLayout **out)
{
    double h = 0;
    for (size_t c = 0; c < t->n_cols; c++) {
        PangoLayout *layout = s_layout(pdf, cells[c], S_TABLE_PT, header || bold ? S_BOLD : 0,
                                       widths[c] - 2 * S_CELL_PAD);
        PangoAlignment align = PANGO_ALIGN_LEFT;
        if (header || t->cols[c].align == BC_DOC_CENTERED) {
            align = PANGO_ALIGN_CENTER;
        }
        else if (t->cols[c].align == BC_DOC_RIGHT) {
            align = PANGO_ALIGN_RIGHT;
        }
        pango_layout_set_alignment(layout, align);
        double ch = s_height(layout);
        h = ch > h ? ch : h;
        out[c] = layout;
    }
    return h + 2 * S_CELL_PAD;
}

static void
s_row_draw(s_pdf_t *pdf, const bc_doc_table_t *t, PangoLayout **layouts, const double *widths,
           double h, int shade)
{
    double x = S_LEFT;
    cairo_set_line_width(pdf->cr, S_RULE);
    for (size_t c = 0; c < t->n_cols; c++) {
        if (shade) {
            cairo_set_source_rgb(pdf->cr, 0.94, 0.94, 0.94);
            cairo_rectangle(pdf->cr, x, pdf->y, widths[c], h);
            cairo_fill(pdf->cr);
            cairo_set_source_rgb(pdf->cr, 0, 0, 0);
        }
        cairo_rectangle(pdf->cr, x, pdf->y, widths[c], h);
        cairo_stroke(pdf->cr);
        s_show(pdf, layouts[c], x + S_CELL_PAD, pdf->y + S_CELL_PAD);
        x += widths[c];
    }
    pdf->y += h;
}

static void
s_table(s_pdf_t *pdf, const bc_doc_table_t *t)
{
    double sum = 0;
    for (size_t c = 0; c < t->n_cols; c++) {
        sum += t->cols[c].weight;
    }
    double *widths = bc_calloc(t->n_cols, sizeof *widths);
    char **heads = bc_calloc(t->n_cols, sizeof *heads);
    for (size_t c = 0; c < t->n_cols; c++) {
        widths[c] = S_TEXT_W * (sum > 0 ? t->cols[c].weight / sum : 1.0 / (double) t->n_cols);
        heads[c] = t->cols[c].head;
    }
    PangoLayout **head = bc_calloc(t->n_cols, sizeof *head);
    PangoLayout **row = bc_calloc(t->n_cols, sizeof *row);
    double head_h = s_row_layouts(pdf, t, heads, widths, 1, 0, head);
    pdf->y += 2;
    for (size_t r = 0; r < t->n_rows; r++) {
        int bold = t->last_bold && r + 1 == t->n_rows;
        double h = s_row_layouts(pdf, t, &t->cells[r * t->n_cols], widths, 0, bold, row);
        //  The heading row goes with the first row, and again on top of
        //  every page the table runs onto.
        if (r == 0) {
            s_need(pdf, head_h + h);
            s_row_draw(pdf, t, head, widths, head_h, 1);
        }
        else if (pdf->y + h > S_LIMIT) {
            s_new_page(pdf);
            s_row_draw(pdf, t, head, widths, head_h, 1);
        }
        s_row_draw(pdf, t, row, widths, h, 0);
        for (size_t c = 0; c < t->n_cols; c++) {
            g_object_unref(row[c]);
        }
    }
    if (t->n_rows == 0) {
        s_need(pdf, head_h);
        s_row_draw(pdf, t, head, widths, head_h, 1);
    }
    for (size_t c = 0; c < t->n_cols; c++) {
        g_object_unref(head[c]);
    }
    free(head);
    free(row);
    free(heads);
    free(widths);
    pdf->y += 8;
}

//  --------------------------------------------------------------------------
//  Charts, in bc_chart units under a scaled matrix

typedef enum {
    S_START = 0,
    S_MIDDLE,
    S_END
} s_anchor_t;

//  Text with its baseline at (x, y) as SVG places it; max_w > 0 ellipsizes.
static void
s_chart_text(s_pdf_t *pdf, const char *text, double x, double y, double size, int style,
             s_anchor_t anchor, double max_w)
{
    PangoLayout *layout = s_layout(pdf, text, size, style, 0);
    if (max_w > 0) {
        pango_layout_set_width(layout, (int) (max_w * PANGO_SCALE));
        pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
    }
    double w = s_width(layout);
    if (max_w > 0) {
        //  An ellipsized layout is as wide as its width: measure its line,
        //  which starts at its left edge.
        PangoRectangle lr;
        pango_layout_line_get_extents(pango_layout_get_line_readonly(layout, 0), NULL, &lr);
        w = lr.width / (double) PANGO_SCALE;
    }
    double baseline = pango_layout_get_baseline(layout) / (double) PANGO_SCALE;
    double left = anchor == S_START ? x : anchor == S_MIDDLE ? x - w / 2 : x - w;
    cairo_move_to(pdf->cr, left, y - baseline);
    pango_cairo_show_layout(pdf->cr, layout);
    g_object_unref(layout);
}

static void
s_tone(s_pdf_t *pdf, bc_chart_tone_t tone)
{
    double rgb[3];
    bc_chart_rgb(tone, rgb);
    cairo_set_source_rgb(pdf->cr, rgb[0], rgb[1], rgb[2]);
}

static void
s_donut(s_pdf_t *pdf, const bc_chart_t *chart, double top)
{
    cairo_t *cr = pdf->cr;
    double cx = BC_CHART_PAD + BC_CHART_DONUT_R + BC_CHART_DONUT_RING / 2 + 20;
    double cy = top + BC_CHART_DONUT_HEIGHT / 2;
    double total = 0;
    for (size_t i = 0; i < chart->n_items; i++) {
        total += chart->items[i].value;
    }
    cairo_set_line_width(cr, BC_CHART_DONUT_RING);
    cairo_set_source_rgb(cr, 0.878, 0.878, 0.878);
    cairo_new_path(cr);
    cairo_arc(cr, cx, cy, BC_CHART_DONUT_R, 0, 2 * M_PI);
    cairo_stroke(cr);
    double start = -M_PI / 2;
    for (size_t i = 0; i < chart->n_items && total > 0; i++) {
        const bc_chart_item_t *item = &chart->items[i];
        if (item->value <= 0) {
            continue;
        }
        double sweep = item->value / total * 2 * M_PI;
        s_tone(pdf, item->tone);
        cairo_new_path(cr);
        cairo_arc(cr, cx, cy, BC_CHART_DONUT_R, start, start + sweep);
        cairo_stroke(cr);
        start += sweep;
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    s_chart_text(pdf, chart->center, cx, cy + 2, BC_CHART_CENTER_SIZE, S_BOLD, S_MIDDLE, 0);
    s_chart_text(pdf, chart->center_sub, cx, cy + 20, BC_CHART_TEXT_SIZE, S_PLAIN, S_MIDDLE, 0);

    double lx = cx + BC_CHART_DONUT_R + BC_CHART_DONUT_RING / 2 + 40;
    double ly = cy - (double) chart->n_items * 30 / 2;
    for (size_t i = 0; i < chart->n_items; i++) {
        const bc_chart_item_t *item = &chart->items[i];
        double y = ly + (double) i * 30;
        s_tone(pdf, item->tone);
        cairo_rectangle(cr, lx, y + 4, 16, 16);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        bc_buf_t line;
        bc_buf_init(&line);
        bc_buf_printf(&line, "%s: %s", item->label, item->value_text);
        s_chart_text(pdf, line.data, lx + 24, y + 17, BC_CHART_LEGEND_SIZE, S_PLAIN, S_START, 0);
        bc_buf_release(&line);
    }
}

static void
s_bars(s_pdf_t *pdf, const bc_chart_t *chart, double top)
{
    cairo_t *cr = pdf->cr;
    double x0 = BC_CHART_PAD + BC_CHART_LABEL_WIDTH + 8;
    double w = BC_CHART_WIDTH - x0 - BC_CHART_VALUE_WIDTH - BC_CHART_PAD;
    double zero = bc_chart_bar_x(chart, 0, x0, w);
    for (size_t i = 0; i < chart->n_items; i++) {
        const bc_chart_item_t *item = &chart->items[i];
        double y = top + (double) i * BC_CHART_BAR_ROW;
        double bar_y = y + (BC_CHART_BAR_ROW - BC_CHART_BAR_HEIGHT) / 2;
        double end = bc_chart_bar_x(chart, item->value, x0, w);
        double left = end < zero ? end : zero;
        double right = end < zero ? zero : end;
        double base = y + BC_CHART_BAR_ROW / 2 + BC_CHART_TEXT_SIZE * 0.35;
        cairo_set_source_rgb(cr, 0, 0, 0);
        s_chart_text(pdf, item->label, x0 - 6, base, BC_CHART_TEXT_SIZE, S_PLAIN, S_END,
                     BC_CHART_LABEL_WIDTH - 6);
        s_tone(pdf, item->tone);
        cairo_rectangle(cr, left, bar_y, right - left, BC_CHART_BAR_HEIGHT);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        s_chart_text(pdf, item->value_text, right + 4, base, BC_CHART_TEXT_SIZE, S_PLAIN,
                     S_START, 0);
    }
    double bottom = top + (double) chart->n_items * BC_CHART_BAR_ROW;
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, zero, top);
    cairo_line_to(cr, zero, bottom);
    cairo_stroke(cr);
    if (chart->has_mark) {
        double mx = bc_chart_bar_x(chart, chart->mark, x0, w);
        double dash[] = { 5, 3 };
        cairo_set_source_rgb(cr, 0.267, 0.267, 0.267);
        cairo_set_line_width(cr, 1.2);
        cairo_set_dash(cr, dash, 2, 0);
        cairo_move_to(cr, mx, top - 2);
        cairo_line_to(cr, mx, bottom + 4);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        s_chart_text(pdf, chart->mark_label, mx, bottom + BC_CHART_LINE - 4, BC_CHART_NOTE_SIZE,
                     S_PLAIN, S_MIDDLE, 0);
        cairo_set_source_rgb(cr, 0, 0, 0);
    }
}

static void
s_chart(s_pdf_t *pdf, const bc_chart_t *chart)
{
    double scale = S_TEXT_W / BC_CHART_WIDTH;
    double height = bc_chart_height(chart) * scale;
    s_need(pdf, height);
    cairo_t *cr = pdf->cr;
    cairo_save(cr);
    cairo_translate(cr, S_LEFT, pdf->y);
    cairo_scale(cr, scale, scale);
    double y = BC_CHART_PAD;
    s_chart_text(pdf, chart->title, BC_CHART_WIDTH / 2, y + BC_CHART_LINE - 5, BC_CHART_TITLE_SIZE,
                 S_BOLD, S_MIDDLE, 0);
    y += BC_CHART_LINE;
    if (*chart->subtitle) {
        s_chart_text(pdf, chart->subtitle, BC_CHART_WIDTH / 2, y + BC_CHART_LINE - 5,
                     BC_CHART_TEXT_SIZE, S_ITALIC, S_MIDDLE, 0);
        y += BC_CHART_LINE;
    }
    if (chart->kind == BC_CHART_COMPLETENESS) {
        s_donut(pdf, chart, y);
        y += BC_CHART_DONUT_HEIGHT;
    }
    else {
        s_bars(pdf, chart, y);
        y += (double) chart->n_items * BC_CHART_BAR_ROW + (chart->has_mark ? BC_CHART_LINE : 0);
    }
    if (*chart->note) {
        s_chart_text(pdf, chart->note, BC_CHART_WIDTH / 2, y + BC_CHART_LINE - 5,
                     BC_CHART_NOTE_SIZE, S_ITALIC, S_MIDDLE, 0);
    }
    cairo_restore(cr);
    pdf->y += height + 4;
    pdf->fresh = 0;
}

static void
s_blocks(s_pdf_t *pdf, const bc_doc_blocks_t *blocks)
{
    for (size_t i = 0; i < blocks->n; i++) {
        const bc_doc_block_t *b = &blocks->items[i];
        switch (b->kind) {
        case BC_DOC_HEADING:
            s_heading(pdf, b);
            break;
        case BC_DOC_PARA:
            if (i + 1 < blocks->n && blocks->items[i + 1].kind == BC_DOC_CHART) {
                //  The sentence that a chart illustrates stays on its page.
                double scale = S_TEXT_W / BC_CHART_WIDTH;
                s_need(pdf, 2 * (S_BODY_PT * 1.2 + S_SPACING) + S_PARA_GAP
                            + bc_chart_height(blocks->items[i + 1].chart) * scale);
            }
            s_para(pdf, b);
            break;
        case BC_DOC_TABLE:
            s_table(pdf, b->table);
            break;
        case BC_DOC_CHART:
            s_chart(pdf, b->chart);
            break;
        case BC_DOC_PAGEBREAK:
            if (!pdf->fresh) {
                s_new_page(pdf);
            }
            break;
        }
    }
}

//  --------------------------------------------------------------------------
//  The file

static cairo_status_t
s_write(void *closure, const unsigned char *data, unsigned int length)
{
    bc_buf_append(closure, data, length);
    return CAIRO_STATUS_SUCCESS;
}

static void
s_metadata(s_pdf_t *pdf, const bc_doc_t *doc)
{
    cairo_pdf_surface_set_metadata(pdf->surface, CAIRO_PDF_METADATA_TITLE, doc->doc_title);
    cairo_pdf_surface_set_metadata(pdf->surface, CAIRO_PDF_METADATA_AUTHOR, doc->author);
    cairo_pdf_surface_set_metadata(pdf->surface, CAIRO_PDF_METADATA_CREATOR, "baocao");
    cairo_pdf_surface_set_metadata(pdf->surface, CAIRO_PDF_METADATA_SUBJECT, doc->subject);
    //  The document's own date, not the moment it was drawn: the same
    //  summary gives the same file.
    time_t t = (time_t) (doc->date_ms / 1000 + 7 * 3600);
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    gmtime_r(&t, &tm);
    char date[40];
    if (strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S+07:00", &tm) > 0) {
        cairo_pdf_surface_set_metadata(pdf->surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
        cairo_pdf_surface_set_metadata(pdf->surface, CAIRO_PDF_METADATA_MOD_DATE, date);
    }
}

bc_err
bc_export_pdf(const Baocao__Summary *summary, const bc_export_opts_t *opts, char **data_p,
              size_t *size_p)
{
    assert(summary);
    assert(data_p);
    assert(size_p);
    bc_doc_opts_t dopts = { opts ? opts->parent_organ : NULL, opts ? opts->recipient : NULL };
    bc_doc_t *doc = bc_doc_new(summary, &dopts);
    bc_buf_t out;
    bc_buf_init(&out);
    s_pdf_t pdf;
    memset(&pdf, 0, sizeof pdf);
    pdf.family = bc_export_pdf_family();
    pdf.surface = cairo_pdf_surface_create_for_stream(s_write, &out, S_PAGE_W, S_PAGE_H);
    pdf.cr = cairo_create(pdf.surface);
    //  Layout in unhinted outline metrics: what pango measures is what the
    //  PDF viewer draws at any zoom.
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pdf.pango = pango_font_map_create_context(pango_cairo_font_map_get_default());
    pango_cairo_context_set_font_options(pdf.pango, fo);
    pango_context_set_round_glyph_positions(pdf.pango, FALSE);
    pango_cairo_update_context(pdf.cr, pdf.pango);
    cairo_font_options_destroy(fo);
    pdf.page = 1;
    pdf.y = S_TOP;
    pdf.fresh = 1;
    s_metadata(&pdf, doc);
    cairo_set_source_rgb(pdf.cr, 0, 0, 0);

    s_header(&pdf, doc);
    s_blocks(&pdf, &doc->body);
    s_footer(&pdf, doc);
    s_blocks(&pdf, &doc->annex);

    cairo_show_page(pdf.cr);
    //  A drawing error sticks to the context, a writing error to the surface.
    cairo_status_t status = cairo_status(pdf.cr);
    cairo_destroy(pdf.cr);
    cairo_surface_finish(pdf.surface);
    if (status == CAIRO_STATUS_SUCCESS) {
        status = cairo_surface_status(pdf.surface);
    }
    cairo_surface_destroy(pdf.surface);
    g_object_unref(pdf.pango);
    bc_doc_destroy(&doc);
    if (status != CAIRO_STATUS_SUCCESS) {
        bc_buf_release(&out);
        return BC_EIO;
    }
    *size_p = out.len;
    *data_p = bc_buf_take(&out);
    return BC_OK;
}
