//  bc_outline - which item of the request's outline each section of a report answers
//
//  A section answers the outline item with its number ("01" = "1", "ii" =
//  "II"), unless its title plainly names another item (the department
//  renumbered: title similarity under 0.2 with the numbered item and at
//  least 0.6 with another). A section with no such number answers the item
//  whose title is most similar (at least 0.5). A sub-section with no item of
//  its own answers its parent's. The rest answer nothing (""), which the
//  summary shows as "other".
//  Title similarity: both titles folded (lower case, tone marks stripped
//  through utf8proc, đ as d), cut into words, compared as word sets (Dice
//  coefficient: 2 |A ∩ B| / (|A| + |B|)).
#ifndef BC_OUTLINE_H_INCLUDED
#define BC_OUTLINE_H_INCLUDED

#include "baocao/report.pb-c.h"
#include "baocao/request.pb-c.h"

#define BC_OUTLINE_TITLE_MATCH      0.5     //  similarity that links by title alone
#define BC_OUTLINE_RENUMBERED       0.6     //  ... that overrides a number match
#define BC_OUTLINE_NUMBER_DOUBT     0.2     //  ... under which a number match is doubted

//  Sets every section's (and sub-section's) outline_item in report to the
//  number of the outline item of request it answers, or "" (request NULL:
//  all ""). Replaces the strings inside report. Pure: any thread.
void bc_outline_match(Baocao__Report *report, const Baocao__ReportRequest *request);

//  The similarity of two titles, 0..1 (see above).
double bc_outline_similarity(const char *a, const char *b);

//  True when two section numbers are the same: leading zeros, a final '.'
//  or ')' and the case of Roman numerals do not count.
int bc_outline_same_number(const char *a, const char *b);

#endif
