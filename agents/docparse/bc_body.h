//  bc_body - a letter's body: preamble, nested numbered sections, paragraphs, closing
//
//  Headings, recognized at the start of a line:
//    Roman     "I. KẾT QUẢ", "II. ..."          (I..XXXIX, the first one I)
//    Arabic    "1. Công tác tuyên truyền"       (1 to 3 digits)
//    decimal   "1.1. ...", "2.3 ..."            (prefix = the enclosing number)
//    letter    "a) ...", "b. ..."               (the first one a)
//  They nest in that order (Roman > Arabic > decimal by depth > letter).
//  A number that does not follow its siblings ("1." after "4.", a list
//  inside a section's text) is text, not a heading. The title of a heading
//  that wraps ("... cung cấp thông tin cho" / "báo chí") is joined; a
//  title followed by ": text" on the same line keeps the text as body.
//  Dash bullets ("- ...") stay in their section's body as paragraphs.
//  Paragraphs are rebuilt from broken lines by bc_para and separated by
//  "\n" in Section.body. The text before the first heading is the
//  preamble; a text with no heading at all becomes one unnumbered section.
//  The closing paragraph starts with "Trên đây" (or, without one, is the
//  last paragraph when it ends with "./."); what follows it up to the tail
//  is the signer block.
#ifndef BC_BODY_H_INCLUDED
#define BC_BODY_H_INCLUDED

#include <stddef.h>

#include "baocao/report.pb-c.h"
#include "bc_para.h"
#include "bc_text.h"

#define BC_BODY_MAX_SECTIONS    512     //  sections kept, all levels
#define BC_BODY_MAX_DEPTH       6
#define BC_BODY_TITLE_LINES     3       //  lines a heading may wrap onto

//  What bc_body_parse found (value struct: bc_body_parse / bc_body_release).
typedef struct {
    Baocao__Section **sections;         //  top-level sections, owned (take them)
    size_t n_sections;
    char **preamble;                    //  paragraphs before the first heading, owned
    size_t n_preamble;
    char *closing;                      //  owned, NULL when none
    size_t signer_from;                 //  lines [signer_from, to) hold the signer block
} bc_body_t;

//  Parses lines [from, to) of text (squeezed[i] is line i squeezed) with
//  the flow rules of flow into self (which it initializes). Borrows text,
//  squeezed and flow. Never fails.
void bc_body_parse(bc_body_t *self, const bc_text_t *text, char **squeezed,
                   const bc_para_t *flow, size_t from, size_t to);

//  Frees what self still owns (sections not taken, preamble, closing).
void bc_body_release(bc_body_t *self);

#endif
