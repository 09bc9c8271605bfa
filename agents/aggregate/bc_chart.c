//  bc_chart - completeness and indicator charts: the data, then SVG
#include "bc_chart.h"
#include "bc_doc.h"
#include "bc_export.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Print-friendly colours that stay apart in greyscale too: the bars'
//  blue, then green, amber and red by how an agency stands.
static const double s_rgb[BC_CHART_TONES][3] = {
    { 0.122, 0.373, 0.600 },            //  PLAIN  #1f5f99
    { 0.180, 0.490, 0.196 },            //  GOOD   #2e7d32
    { 0.937, 0.561, 0.000 },            //  WARN   #ef8f00
    { 0.776, 0.157, 0.157 },            //  BAD    #c62828
};

//  The SVG's text in the fonts the printed document uses.
#define S_FONTS "'Times New Roman', 'Liberation Serif', 'DejaVu Serif', serif"

void
bc_chart_rgb(bc_chart_tone_t tone, double rgb[3])
{
    size_t t = (size_t) tone < BC_CHART_TONES ? (size_t) tone : 0;
    memcpy(rgb, s_rgb[t], sizeof s_rgb[t]);
}

static char *
s_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
s_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *text = bc_malloc((size_t) (n > 0 ? n : 0) + 1);
    va_start(ap, fmt);
    vsnprintf(text, (size_t) (n > 0 ? n : 0) + 1, fmt, ap);
    va_end(ap);
    return text;
}

static bc_chart_t *
s_chart_new(bc_chart_kind_t kind, size_t n_items)
{
    bc_chart_t *chart = bc_calloc(1, sizeof *chart);
    chart->kind = kind;
    chart->items = bc_calloc(n_items ? n_items : 1, sizeof *chart->items);
    chart->center = bc_strdup("");
    chart->center_sub = bc_strdup("");
    chart->note = bc_strdup("");
    chart->mark_label = bc_strdup("");
    chart->subtitle = bc_strdup("");
    return chart;
}

static void
s_set(char **field, char *value)
{
    free(*field);
    *field = value;
}

void
bc_chart_destroy(bc_chart_t **chart_p)
{
    assert(chart_p);
    bc_chart_t *chart = *chart_p;
    if (!chart) {
        return;
    }
    for (size_t i = 0; i < chart->n_items; i++) {
        free(chart->items[i].label);
        free(chart->items[i].value_text);
    }
    free(chart->items);
    free(chart->title);
    free(chart->subtitle);
    free(chart->center);
    free(chart->center_sub);
    free(chart->note);
    free(chart->mark_label);
    free(chart);
    *chart_p = NULL;
}

//  --------------------------------------------------------------------------
//  The data

bc_chart_t *
bc_chart_completeness(const Baocao__Summary *summary)
{
    assert(summary);
    const struct {
        const char *label;
        uint32_t count;
        bc_chart_tone_t tone;
    } parts[] = {
        { "Đúng hạn", summary->on_time, BC_CHART_GOOD },
        { "Trễ hạn", summary->late, BC_CHART_WARN },
        { "Chưa báo cáo", summary->missing, BC_CHART_BAD },
    };
    size_t n = sizeof parts / sizeof parts[0];
    bc_chart_t *chart = s_chart_new(BC_CHART_COMPLETENESS, n);
    chart->title = bc_strdup("Tình hình gửi báo cáo của các cơ quan, đơn vị");
    for (size_t i = 0; i < n; i++) {
        bc_chart_item_t *item = &chart->items[chart->n_items++];
        char pct[48];
        bc_export_percent(parts[i].count, summary->addressed, pct, sizeof pct);
        item->label = bc_strdup(parts[i].label);
        item->value = parts[i].count;
        item->tone = parts[i].tone;
        if (parts[i].tone == BC_CHART_BAD && summary->overdue) {
            item->value_text = s_printf("%u (%s), quá hạn %u", parts[i].count, pct,
                                        summary->overdue);
        }
        else {
            item->value_text = s_printf("%u (%s)", parts[i].count, pct);
        }
    }
    char pct[48];
    bc_export_percent(summary->reported, summary->addressed, pct, sizeof pct);
    s_set(&chart->center, s_printf("%u/%u", summary->reported, summary->addressed));
    s_set(&chart->center_sub, s_printf("%s", pct));
    chart->hi = summary->addressed;
    return chart;
}

//  Orders values largest first; equal values keep the request's order.
typedef struct {
    double value;                       //  the agency's value (0 when not finite)
    size_t index;                       //  its place in the request's order
} s_rank_t;

static int
s_rank_cmp(const void *a, const void *b)
{
    const s_rank_t *x = a;
    const s_rank_t *y = b;
    if (x->value != y->value) {
        return x->value > y->value ? -1 : 1;
    }
    return x->index < y->index ? -1 : (x->index > y->index ? 1 : 0);
}

//  "41 cuộc", "88,5%": a value with its unit, as a sentence would say it.
static char *
s_with_unit(double value, const char *unit)
{
    char num[64];
    bc_export_number(value, num, sizeof num);
    if (!unit || !*unit) {
        return bc_strdup(num);
    }
    return s_printf("%s%s%s", num, strcmp(unit, "%") == 0 ? "" : " ", unit);
}

bc_chart_t *
bc_chart_indicator(const Baocao__IndicatorTotal *total)
{
    assert(total);
    if (total->n_values == 0) {
        return NULL;
    }
    const Baocao__IndicatorDef *def = total->indicator;
    size_t n = total->n_values;
    s_rank_t *ranks = bc_calloc(n, sizeof *ranks);
    double lo = 0;
    double hi = 0;
    for (size_t i = 0; i < n; i++) {
        double v = total->values[i]->value;
        ranks[i].value = isfinite(v) ? v : 0;
        ranks[i].index = i;
        lo = ranks[i].value < lo ? ranks[i].value : lo;
        hi = ranks[i].value > hi ? ranks[i].value : hi;
    }
    qsort(ranks, n, sizeof *ranks, s_rank_cmp);
    size_t shown = n < BC_CHART_BARS_MAX ? n : BC_CHART_BARS_MAX;
    bc_chart_t *chart = s_chart_new(BC_CHART_INDICATOR, shown);
    for (size_t i = 0; i < shown; i++) {
        const Baocao__IndicatorValueBy *by = total->values[ranks[i].index];
        const Baocao__Agency *a = by->agency;
        bc_chart_item_t *item = &chart->items[chart->n_items++];
        item->label = bc_doc_clean(a && a->name && *a->name ? a->name : (a ? a->code : ""));
        item->value = ranks[i].value;
        item->tone = BC_CHART_PLAIN;
        char num[64];
        bc_export_number(ranks[i].value, num, sizeof num);
        item->value_text = bc_strdup(num);
    }
    chart->n_hidden = n - shown;
    chart->lo = lo;
    chart->hi = hi > lo ? hi : lo + 1;  //  all zero: an empty scale still has a width

    const char *name = def && def->name && *def->name ? def->name
                                                     : (def && def->code ? def->code : "");
    const char *unit = def && def->unit ? def->unit : "";
    char *title = *unit ? s_printf("%s (%s)", name, unit) : bc_strdup(name);
    chart->title = bc_doc_clean(title);
    free(title);
    const char *rule = "Tổng";
    switch (def ? def->aggregation : BAOCAO__AGGREGATION__SUM) {
    case BAOCAO__AGGREGATION__AVERAGE:  rule = "Bình quân"; break;
    case BAOCAO__AGGREGATION__MIN:      rule = "Nhỏ nhất"; break;
    case BAOCAO__AGGREGATION__MAX:      rule = "Lớn nhất"; break;
    default:                            break;
    }
    char *value = s_with_unit(total->total, unit);
    char *subtitle = s_printf("%s: %s; %u cơ quan, đơn vị báo cáo", rule, value, total->count);
    s_set(&chart->subtitle, bc_doc_clean(subtitle));
    free(subtitle);
    if (def && def->aggregation == BAOCAO__AGGREGATION__AVERAGE && isfinite(total->total)) {
        chart->has_mark = 1;
        chart->mark = total->total;
        char *label = s_printf("Bình quân: %s", value);
        s_set(&chart->mark_label, bc_doc_clean(label));
        free(label);
    }
    free(value);
    if (chart->n_hidden) {
        s_set(&chart->note, s_printf("Biểu đồ thể hiện %zu cơ quan, đơn vị có giá trị lớn "
                                     "nhất; %zu cơ quan, đơn vị khác xem Phụ lục II.",
                                     shown, chart->n_hidden));
    }
    free(ranks);
    return chart;
}

//  --------------------------------------------------------------------------
//  Geometry

double
bc_chart_height(const bc_chart_t *chart)
{
    assert(chart);
    double h = 2 * BC_CHART_PAD + BC_CHART_LINE;
    if (*chart->subtitle) {
        h += BC_CHART_LINE;
    }
    if (chart->kind == BC_CHART_COMPLETENESS) {
        h += BC_CHART_DONUT_HEIGHT;
    }
    else {
        h += (double) chart->n_items * BC_CHART_BAR_ROW;
        if (chart->has_mark) {
            h += BC_CHART_LINE;
        }
    }
    if (*chart->note) {
        h += BC_CHART_LINE;
    }
    return h;
}

double
bc_chart_bar_x(const bc_chart_t *chart, double value, double x0, double w)
{
    assert(chart);
    double span = chart->hi - chart->lo;
    if (!(span > 0)) {
        return x0;
    }
    return x0 + (value - chart->lo) / span * w;
}

//  --------------------------------------------------------------------------
//  SVG

static void
s_color(bc_buf_t *out, bc_chart_tone_t tone)
{
    double rgb[3];
    bc_chart_rgb(tone, rgb);
    bc_buf_printf(out, "#%02x%02x%02x", (unsigned) lround(rgb[0] * 255),
                  (unsigned) lround(rgb[1] * 255), (unsigned) lround(rgb[2] * 255));
}

static void
s_text(bc_buf_t *out, double x, double y, const char *anchor, const char *style,
       const char *text)
{
    bc_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\"", x, y);
    if (anchor) {
        bc_buf_printf(out, " text-anchor=\"%s\"", anchor);
    }
    if (style) {
        bc_buf_printf(out, " %s", style);
    }
    bc_buf_puts(out, ">");
    bc_doc_escape(out, text);
    bc_buf_puts(out, "</text>\n");
}

static void
s_svg_donut(const bc_chart_t *chart, bc_buf_t *out, double top)
{
    double cx = BC_CHART_PAD + BC_CHART_DONUT_R + BC_CHART_DONUT_RING / 2 + 20;
    double cy = top + BC_CHART_DONUT_HEIGHT / 2;
    double r = BC_CHART_DONUT_R;
    double c = 2 * M_PI * r;
    double total = 0;
    for (size_t i = 0; i < chart->n_items; i++) {
        total += chart->items[i].value;
    }
    //  The ring's track, visible when there is nothing to show.
    bc_buf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"none\" "
                  "stroke=\"#e0e0e0\" stroke-width=\"%.1f\"/>\n", cx, cy, r,
                  BC_CHART_DONUT_RING);
    //  Each part is the ring drawn with one dash of its length, rotated to
    //  start at twelve o'clock: exact arcs without path arithmetic.
    double offset = 0;
    for (size_t i = 0; i < chart->n_items && total > 0; i++) {
        const bc_chart_item_t *item = &chart->items[i];
        if (item->value <= 0) {
            continue;
        }
        double len = item->value / total * c;
        bc_buf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"none\" stroke=\"",
                      cx, cy, r);
        s_color(out, item->tone);
        bc_buf_printf(out, "\" stroke-width=\"%.1f\" stroke-dasharray=\"%.3f %.3f\" "
                      "stroke-dashoffset=\"%.3f\" transform=\"rotate(-90 %.1f %.1f)\">",
                      BC_CHART_DONUT_RING, len, c - len + 0.001, -offset, cx, cy);
        bc_buf_puts(out, "<title>");
        bc_doc_escape(out, item->label);
        bc_buf_puts(out, ": ");
        bc_doc_escape(out, item->value_text);
        bc_buf_puts(out, "</title></circle>\n");
        offset += len;
    }
    char style[64];
    snprintf(style, sizeof style, "font-size=\"%.0f\" font-weight=\"bold\"", BC_CHART_CENTER_SIZE);
    s_text(out, cx, cy + 2, "middle", style, chart->center);
    s_text(out, cx, cy + 20, "middle", NULL, chart->center_sub);

    double lx = cx + r + BC_CHART_DONUT_RING / 2 + 40;
    double ly = cy - (double) chart->n_items * 30 / 2;
    for (size_t i = 0; i < chart->n_items; i++) {
        const bc_chart_item_t *item = &chart->items[i];
        double y = ly + (double) i * 30;
        bc_buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"16\" fill=\"",
                      lx, y + 4);
        s_color(out, item->tone);
        bc_buf_puts(out, "\"/>\n");
        bc_buf_t line;
        bc_buf_init(&line);
        bc_buf_printf(&line, "%s: %s", item->label, item->value_text);
        char size[32];
        snprintf(size, sizeof size, "font-size=\"%.0f\"", BC_CHART_LEGEND_SIZE);
        s_text(out, lx + 24, y + 17, NULL, size, line.data);
        bc_buf_release(&line);
    }
}

static void
s_svg_bars(const bc_chart_t *chart, bc_buf_t *out, double top)
{
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
        //  SVG cannot measure text: names are cut by code points, whole in
        //  the tooltip.
        char *label = bc_export_truncate(item->label, BC_CHART_LABEL_COLUMNS);
        bc_buf_printf(out, "<g><title>");
        bc_doc_escape(out, item->label);
        bc_buf_puts(out, ": ");
        bc_doc_escape(out, item->value_text);
        bc_buf_puts(out, "</title>\n");
        s_text(out, x0 - 6, base, "end", NULL, label);
        bc_buf_printf(out, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"",
                      left, bar_y, right - left, BC_CHART_BAR_HEIGHT);
        s_color(out, item->tone);
        bc_buf_puts(out, "\"/>\n");
        s_text(out, right + 4, base, NULL, NULL, item->value_text);
        bc_buf_puts(out, "</g>\n");
        free(label);
    }
    double bottom = top + (double) chart->n_items * BC_CHART_BAR_ROW;
    bc_buf_printf(out, "<line x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\" "
                  "stroke=\"#000\" stroke-width=\"1\"/>\n", zero, top, zero, bottom);
    if (chart->has_mark) {
        double mx = bc_chart_bar_x(chart, chart->mark, x0, w);
        bc_buf_printf(out, "<line x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\" "
                      "stroke=\"#444\" stroke-width=\"1.2\" stroke-dasharray=\"5 3\"/>\n",
                      mx, top - 2, mx, bottom + 4);
        char style[64];
        snprintf(style, sizeof style, "font-size=\"%.0f\" fill=\"#444\"", BC_CHART_NOTE_SIZE);
        s_text(out, mx, bottom + BC_CHART_LINE - 4, "middle", style, chart->mark_label);
    }
}

void
bc_chart_svg(const bc_chart_t *chart, bc_buf_t *out)
{
    assert(chart);
    assert(out);
    double height = bc_chart_height(chart);
    bc_buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
                  "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\" "
                  "font-family=\"" S_FONTS "\" font-size=\"%.0f\">\n",
                  BC_CHART_WIDTH, ceil(height), BC_CHART_WIDTH, ceil(height),
                  BC_CHART_TEXT_SIZE);
    bc_buf_puts(out, "<title>");
    bc_doc_escape(out, chart->title);
    if (*chart->subtitle) {
        bc_buf_puts(out, " - ");
        bc_doc_escape(out, chart->subtitle);
    }
    bc_buf_puts(out, "</title>\n");
    double y = BC_CHART_PAD;
    char style[64];
    snprintf(style, sizeof style, "font-size=\"%.0f\" font-weight=\"bold\"", BC_CHART_TITLE_SIZE);
    s_text(out, BC_CHART_WIDTH / 2, y + BC_CHART_LINE - 5, "middle", style, chart->title);
    y += BC_CHART_LINE;
    if (*chart->subtitle) {
        s_text(out, BC_CHART_WIDTH / 2, y + BC_CHART_LINE - 5, "middle", "font-style=\"italic\"",
               chart->subtitle);
        y += BC_CHART_LINE;
    }
    if (chart->kind == BC_CHART_COMPLETENESS) {
        s_svg_donut(chart, out, y);
        y += BC_CHART_DONUT_HEIGHT;
    }
    else {
        s_svg_bars(chart, out, y);
        y += (double) chart->n_items * BC_CHART_BAR_ROW + (chart->has_mark ? BC_CHART_LINE : 0);
    }
    if (*chart->note) {
        snprintf(style, sizeof style, "font-size=\"%.0f\" font-style=\"italic\"",
                 BC_CHART_NOTE_SIZE);
        s_text(out, BC_CHART_WIDTH / 2, y + BC_CHART_LINE - 5, "middle", style, chart->note);
    }
    bc_buf_puts(out, "</svg>\n");
}
