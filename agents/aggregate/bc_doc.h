//  bc_doc - the provincial summary as a printable document (Decree 30/2020)
//
//  The words of the document the coordinator sends upward, laid out in the
//  parts Decree 30/2020/NĐ-CP prescribes for an administrative report, but
//  not yet in any format: bc_export_html and bc_export_pdf both render this
//  one model, so the two say the same thing in the same order.
//
//    header      parent organ / ISSUING ORGAN / "Số:      /BC-<abbr>"  |
//                national title, motto / place and date (two columns)
//    title       "BÁO CÁO", the subject, "Kính gửi: ..."
//    body        blocks: the introduction; I. reporting status with the
//                completeness chart, late and missing agencies; II. every
//                outline item with each agency's contribution, who said
//                nothing, then "Nội dung khác"; III. indicator results with
//                one chart each; IV. legal references and who cited them
//    closing     "Trên đây là ... ./."
//    footer      "Nơi nhận:" list | signature block (two columns)
//    annex       blocks after a page break: Phụ lục I (timeliness table per
//                agency), Phụ lục II (indicator totals and values by agency)
//
//  Every string in a bc_doc_t is valid UTF-8 in NFC without control
//  characters other than '\n' (see bc_doc_clean): renderers only escape.
//  Pure functions of their input: any thread.
#ifndef BC_DOC_H_INCLUDED
#define BC_DOC_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#include "baocao/summary.pb-c.h"
#include "bc_alloc.h"
#include "bc_chart.h"

#define BC_DOC_RECIPIENT_DEFAULT    "Ủy ban nhân dân tỉnh"
#define BC_DOC_NUMBER_BLANK         "      "    //  room left for the number, filled by hand
#define BC_DOC_MATRIX_COLUMNS       5           //  indicators per table of values by agency

typedef enum {
    BC_DOC_HEADING = 0,                 //  level 1: "I. ..." part; 2: outline item
    BC_DOC_PARA,                        //  a paragraph (lead + text), see flags
    BC_DOC_TABLE,                       //  a ruled table
    BC_DOC_CHART,                       //  a bc_chart_t
    BC_DOC_PAGEBREAK                    //  what follows starts a page
} bc_doc_kind_t;

//  Paragraph flags.
#define BC_DOC_BOLD     0x01            //  the whole text in bold
#define BC_DOC_ITALIC   0x02            //  the whole text in italics (notes)
#define BC_DOC_CENTER   0x04            //  centred, no first-line indent
#define BC_DOC_NOINDENT 0x08            //  no first-line indent (list lines)

typedef enum {
    BC_DOC_LEFT = 0,
    BC_DOC_CENTERED,
    BC_DOC_RIGHT
} bc_doc_align_t;

typedef struct {
    char *head;                         //  column heading
    bc_doc_align_t align;               //  of the body cells; headings are centred
    double weight;                      //  share of the table's width (relative)
} bc_doc_col_t;

typedef struct {
    bc_doc_col_t *cols;                 //  n_cols columns
    size_t n_cols;
    char **cells;                       //  n_rows * n_cols, row by row
    size_t n_rows;                      //  rows of cells (the heading row apart)
    size_t cap_rows;                    //  rows allocated
    int last_bold;                      //  the last row is a total, in bold
} bc_doc_table_t;

typedef struct {
    bc_doc_kind_t kind;                 //  what the block is
    int level;                          //  heading level; paragraph depth (0 = body)
    int flags;                          //  BC_DOC_BOLD ... for paragraphs
    char *lead;                         //  bold run before the text ("Sở Nội vụ:"), or NULL
    char *text;                         //  heading or paragraph text, or NULL
    bc_doc_table_t *table;              //  BC_DOC_TABLE
    bc_chart_t *chart;                  //  BC_DOC_CHART
    char *anchor;                       //  an id for links and PDF bookmarks, or NULL
} bc_doc_block_t;

typedef struct {
    bc_doc_block_t *items;              //  in reading order
    size_t n;                           //  blocks used
    size_t cap;                         //  blocks allocated
} bc_doc_blocks_t;

typedef struct {
    char *parent_organ;                 //  "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ", or ""
    char *organ;                        //  "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    char *number;                       //  "Số:      /BC-STTTT"
    char *national;                     //  "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    char *motto;                        //  "Độc lập - Tự do - Hạnh phúc"
    char *place_date;                   //  "Quảng Trị, ngày 02 tháng 12 năm 2026"
    char *title;                        //  "BÁO CÁO"
    char *subject;                      //  "Tổng hợp kết quả thực hiện ..."
    char *recipient;                    //  "Kính gửi: Ủy ban nhân dân tỉnh."
    bc_doc_blocks_t body;               //  introduction and parts I to IV
    char *closing;                      //  "Trên đây là ... ./."
    char **distribution;                //  "Nơi nhận:" lines, "- Như trên;" ...
    size_t n_distribution;              //  lines in distribution
    char *signer_authority;             //  "KT. GIÁM ĐỐC", may be ""
    char *signer_title;                 //  "PHÓ GIÁM ĐỐC", may be ""
    char *signer_name;                  //  "Lê Quang Vinh", may be ""
    bc_doc_blocks_t annex;              //  starts with a BC_DOC_PAGEBREAK
    char *doc_title;                    //  metadata: "Báo cáo tổng hợp 1005/STTTT-TTBCXB"
    char *author;                       //  metadata: the issuing organ's name
    int64_t date_ms;                    //  the document's date (compiled_at), UTC ms
} bc_doc_t;

typedef struct {
    const char *parent_organ;           //  NULL: derived from the place (see bc_doc_new)
    const char *recipient;              //  NULL: BC_DOC_RECIPIENT_DEFAULT
} bc_doc_opts_t;

//  Builds the document of summary. opts may be NULL. The parent organ line
//  is opts->parent_organ in upper case or, when NULL, "ỦY BAN NHÂN DÂN
//  TỈNH <PLACE>" from the request's place ("" when the issuer is itself a
//  People's Committee or the place is unknown). The number is left blank to
//  be filled in by hand: "Số:      /BC-" and the issuer's abbreviation, the
//  part of the request's notation before its first '-' ("STTTT" of
//  "STTTT-TTBCXB"). The date is compiled_at in Asia/Ho_Chi_Minh, written
//  as Decree 30 wants ("ngày 05 tháng 02 năm 2026"). Borrows summary;
//  returns a document the caller ends with bc_doc_destroy(). Never fails
//  (aborts on OOM).
bc_doc_t *bc_doc_new(const Baocao__Summary *summary, const bc_doc_opts_t *opts);

//  Frees a document and sets *doc_p to NULL. Safe on NULL.
void bc_doc_destroy(bc_doc_t **doc_p);

//  A clean copy of text for printing: invalid UTF-8 bytes become U+FFFD,
//  control characters are dropped (tab and CR become a space, LF stays),
//  noncharacters dropped, and the result is composed to NFC (so "ộ" typed
//  as o + U+0323 + U+0302 prints as the one glyph fonts have). NULL gives "".
//  Returns a string the caller frees.
char *bc_doc_clean(const char *text);

//  bc_doc_clean(text) in upper case, Vietnamese letters included
//  ("Sở Thông tin" gives "SỞ THÔNG TIN"). Returns a string the caller frees.
char *bc_doc_upper(const char *text);

//  Appends text escaped for HTML and XML text or attribute values: & < > "
//  and ' become entities; nothing else changes. NULL appends nothing.
void bc_doc_escape(bc_buf_t *out, const char *text);

#endif
