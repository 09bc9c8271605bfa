//  bc_para - rebuilding paragraphs from the lines a PDF or an editor broke them into
//
//  Two kinds of text reach the parser. Text typed or saved from a word
//  processor holds one paragraph per line ("paragraph" mode: a line break
//  ends a paragraph unless the sentence plainly goes on). Text extracted
//  from a PDF is cut at the right margin ("wrapped" mode: lines of nearly
//  equal width; a line that reaches the margin goes on, whatever its last
//  character, and a page break or a blank line in the middle of a sentence
//  is an artefact). bc_para_init tells the two apart from the lines
//  themselves; bc_para_continues decides, for two consecutive lines,
//  whether the second goes on with the first's paragraph.
#ifndef BC_PARA_H_INCLUDED
#define BC_PARA_H_INCLUDED

#include <stddef.h>

#include "bc_alloc.h"
#include "bc_text.h"

#define BC_PARA_MIN_LINES   8           //  lines needed to call a text wrapped
#define BC_PARA_MAX_WIDTH   130         //  wider lines are paragraphs, not wrapped lines

//  How a document's lines flow (value struct, filled by bc_para_init).
typedef struct {
    int wrapped;                        //  lines cut at a margin (PDF text)
    size_t full_width;                  //  wrapped: a line this wide reached the margin
    int double_spaced;                  //  blank lines mean nothing (bc_text_t's flag)
} bc_para_t;

//  Studies lines [from, to) of text: wrapped when at least
//  BC_PARA_MIN_LINES lines of 10+ code points, the 90th percentile width
//  W is 40..BC_PARA_MAX_WIDTH, 40% of them are within 80% of W and half of
//  them stop without ending a sentence. Borrows text.
void bc_para_init(bc_para_t *self, const bc_text_t *text, size_t from, size_t to);

//  True when line b (squeezed text b_text) goes on with the paragraph whose
//  last line is a (squeezed a_text). The caller has already decided that b
//  does not start anything of its own (a heading, a bullet, a label).
int bc_para_continues(const bc_para_t *self, const bc_text_line_t *a, const char *a_text,
                      const bc_text_line_t *b, const char *b_text);

//  Appends text to the paragraph in para: after a space, or directly when
//  the paragraph ends inside a citation cut at a hyphen or a slash
//  ("Quyết định số 46/2021/QĐ-" + "UBND ngày ...").
void bc_para_append(bc_buf_t *para, const char *text);

//  True when text ends a sentence or a clause: . : ; ! ? … (and "./.").
int bc_para_ends_sentence(const char *text);

//  True when text's last word is one a phrase cannot end with ("và",
//  "cho", "của", "về"...), or text ends with a comma or a hyphen.
int bc_para_ends_open(const char *text);

#endif
