//  bc_chart - the summary's pictures as plain data, and their SVG drawing
//
//  A chart is computed once from a Summary (what to show, in which order,
//  with which labels) and then drawn by whoever prints: bc_chart_svg() for
//  HTML, bc_export_pdf with cairo. Both draw in the same coordinate system
//  (BC_CHART_WIDTH units wide, bc_chart_height() high, y downwards) with the
//  same geometry constants below, so the two pictures match. No JavaScript,
//  no chart library: a few rectangles, arcs and labels.
//
//  Two kinds:
//    - completeness: a donut of reported on time / late / missing, with the
//      counts and percentages in a legend and "reported/addressed" inside;
//    - indicator: one horizontal bar per agency that gave a value, sorted by
//      value (largest first, ties in the request's order), each labelled
//      with the agency and the value; at most BC_CHART_BARS_MAX bars, the
//      rest counted in a note. AVERAGE indicators get a dashed line at the
//      average.
//  Labels are UTF-8 NFC without control characters (bc_doc_clean). Pure
//  functions of their input: any thread.
#ifndef BC_CHART_H_INCLUDED
#define BC_CHART_H_INCLUDED

#include <stddef.h>

#include "baocao/summary.pb-c.h"
#include "bc_alloc.h"

//  Geometry shared by the SVG and cairo drawings (chart units, y down).
#define BC_CHART_WIDTH          640.0   //  every chart's width
#define BC_CHART_PAD            8.0     //  blank margin around the drawing
#define BC_CHART_TITLE_SIZE     15.0    //  font size of the title line
#define BC_CHART_TEXT_SIZE      13.0    //  font size of bar labels, values, subtitles
#define BC_CHART_LEGEND_SIZE    15.0    //  font size of the donut's legend
#define BC_CHART_CENTER_SIZE    22.0    //  "17/18" inside the donut
#define BC_CHART_NOTE_SIZE      12.0    //  the note and the average's label
#define BC_CHART_LINE           20.0    //  height of the title and note lines
#define BC_CHART_BAR_ROW        22.0    //  one bar's row
#define BC_CHART_BAR_HEIGHT     15.0    //  one bar's thickness
#define BC_CHART_LABEL_WIDTH    250.0   //  agency names, right-aligned before the bars
#define BC_CHART_VALUE_WIDTH    70.0    //  room kept after the longest bar for its value
#define BC_CHART_LABEL_COLUMNS  38      //  code points of a label in SVG (no measuring there)
#define BC_CHART_DONUT_HEIGHT   170.0   //  the completeness drawing below its title
#define BC_CHART_DONUT_R        62.0    //  radius of the ring's centre line
#define BC_CHART_DONUT_RING     28.0    //  ring thickness
#define BC_CHART_BARS_MAX       25      //  bars drawn; the table in the annex has all

typedef enum {
    BC_CHART_COMPLETENESS = 0,
    BC_CHART_INDICATOR
} bc_chart_kind_t;

//  Colours by meaning, so both drawings and the legend agree.
typedef enum {
    BC_CHART_PLAIN = 0,                 //  an indicator's bar
    BC_CHART_GOOD,                      //  on time
    BC_CHART_WARN,                      //  late
    BC_CHART_BAD,                       //  missing
    BC_CHART_TONES
} bc_chart_tone_t;

typedef struct {
    char *label;                        //  agency or category name
    char *value_text;                   //  "16 (88,9%)", "1.234,5"
    double value;                       //  count or indicator value
    bc_chart_tone_t tone;               //  its colour
} bc_chart_item_t;

typedef struct {
    bc_chart_kind_t kind;               //  donut or bars
    char *title;                        //  first line above the drawing
    char *subtitle;                     //  second line ("Tổng: 41"), may be ""
    char *center;                       //  donut: "17/18"; "" for bars
    char *center_sub;                   //  donut: "94,4%"; "" for bars
    bc_chart_item_t *items;             //  legend entries or bars, in drawing order
    size_t n_items;                     //  entries in items
    size_t n_hidden;                    //  bars left out (over BC_CHART_BARS_MAX)
    char *note;                         //  line below ("... và 12 cơ quan khác"), may be ""
    double lo;                          //  bars: the scale's ends, lo <= 0 <= hi
    double hi;                          //  (donut: hi is the number addressed)
    int has_mark;                       //  bars: draw the average line at mark
    double mark;                        //  the average
    char *mark_label;                   //  "Bình quân: 88,5"; "" without a mark
} bc_chart_t;

//  The completeness donut of summary. Returns a chart the caller ends with
//  bc_chart_destroy(); never fails (aborts on OOM). Borrows summary.
bc_chart_t *bc_chart_completeness(const Baocao__Summary *summary);

//  The bar chart of one indicator's values, or NULL when no agency gave a
//  value (nothing to draw). Same ownership as bc_chart_completeness.
bc_chart_t *bc_chart_indicator(const Baocao__IndicatorTotal *total);

//  Frees a chart and sets *chart_p to NULL. Safe on NULL.
void bc_chart_destroy(bc_chart_t **chart_p);

//  Height in chart units of the whole drawing, titles and note included.
double bc_chart_height(const bc_chart_t *chart);

//  The fill colour of a tone as red, green, blue in 0..1.
void bc_chart_rgb(bc_chart_tone_t tone, double rgb[3]);

//  x of value on the bar scale, for a bar area from x0 over width w.
double bc_chart_bar_x(const bc_chart_t *chart, double value, double x0, double w);

//  Appends the chart as one inline <svg> element (role="img", with a <title>
//  for screen readers, every text escaped). Borrows chart.
void bc_chart_svg(const bc_chart_t *chart, bc_buf_t *out);

#endif
