//  bc_legal - legal and administrative documents cited in running Vietnamese text
//
//  Finds citations such as
//      Nghị định số 09/2017/NĐ-CP ngày 09/02/2017 của Chính phủ
//      Văn bản số 1005/STTTT-TTBCXB ngày 05/8/2022 của Sở Thông tin và Truyền thông
//      Quyết định 46/2021/QĐ-UBND ngày 29 tháng 10 năm 2021
//      Chỉ thị số 32-CT/TW ngày 10/4/2024 của Ban Bí thư      (party form)
//      Luật Báo chí năm 2016, Luật An ninh mạng                (laws by name)
//  and turns each into a Baocao__LegalRef: kind (the document type as the
//  text names it, or as its notation implies: NĐ -> Nghị định; a letter's
//  notation without a type, 1005/STTTT-TTBCXB, is a "Văn bản"), number,
//  year (only when the notation carries one: 09/2017/NĐ-CP), the notation
//  in canonical form (bc_notation: Ð and ND-CP fallbacks fixed), the date
//  (both "ngày 09/02/2017" and "ngày 16 tháng 8 năm 2022"), the issuer
//  ("của ..." up to the words that end an organ's name), and for a law
//  cited by name its name as title ("Báo chí") with the year.
//  Party notations (32-CT/TW) keep their own form in notation ("CT/TW"),
//  which bc_notation does not cover.
//  Text must be NFC with single spaces (bc_text_squeeze output).
#ifndef BC_LEGAL_H_INCLUDED
#define BC_LEGAL_H_INCLUDED

#include <stddef.h>

#include "baocao/types.pb-c.h"

#define BC_LEGAL_MAX_HITS       256     //  citations kept from one paragraph
#define BC_LEGAL_MAX_REFS       1024    //  distinct references kept per document
#define BC_LEGAL_MAX_CITATIONS  16384   //  citations read per document (each is
                                        //  compared with every kept reference)

//  One citation found in a text.
typedef struct {
    Baocao__LegalRef *ref;              //  owned by the hit list until taken
    size_t offset;                      //  byte offset of the citation in the text
    int cue;                            //  2 after "Thực hiện", "Phúc đáp", "nhận được",
                                        //  "Theo đề nghị"...; 1 after "Căn cứ"; else 0
} bc_legal_hit_t;

//  Finds every citation in text, in order (at most BC_LEGAL_MAX_HITS).
//  Returns their number; on a non-zero return *hits_p is an array the
//  caller ends with bc_legal_hits_destroy. Never fails. Pure: any thread.
size_t bc_legal_find(const char *text, bc_legal_hit_t **hits_p);

//  Frees a hit array (and every ref still in it), sets *hits_p to NULL.
void bc_legal_hits_destroy(bc_legal_hit_t **hits_p, size_t n);

//  Distinct references of one document (value struct: init/release).
typedef struct {
    Baocao__LegalRef **refs;            //  owned, malloc'ed like protobuf-c's unpack
    char **keys;                        //  refs[i]'s identity, folded once (owned)
    size_t n;
    size_t cap;
} bc_legal_list_t;

void bc_legal_list_init(bc_legal_list_t *self);
void bc_legal_list_release(bc_legal_list_t *self);

//  Hands the references to the caller (an array of *n_p, malloc'ed, each
//  freed with baocao__legal_ref__free_unpacked: it fits Report.legal_refs)
//  and leaves self empty. NULL when there is none.
Baocao__LegalRef **bc_legal_list_take(bc_legal_list_t *self, size_t *n_p);

//  Adds *ref_p to self unless it cites a document already there: then the
//  fields the earlier citation left empty (date, issuer, year, a specific
//  kind instead of "Văn bản") are filled from it and it is freed. Takes
//  *ref_p either way and sets it to NULL. Returns the reference's index in
//  self, or self->n when the list is full (BC_LEGAL_MAX_REFS) and the
//  reference was dropped.
size_t bc_legal_list_add(bc_legal_list_t *self, Baocao__LegalRef **ref_p);

//  True when a and b cite the same document (the rule bc_legal_list_add
//  merges by): same number, year and canonical notation (and the same date
//  when both have one), or for laws by name the same kind and title
//  compared without case and tone marks.
int bc_legal_same(const Baocao__LegalRef *a, const Baocao__LegalRef *b);

//  A deep copy, malloc'ed like protobuf-c's unpack.
Baocao__LegalRef *bc_legal_copy(const Baocao__LegalRef *ref);

//  Reads a date at s: "ngày 16 tháng 8 năm 2022", "ngày 05/8/2022",
//  "ngày 5-8-2022" ("ngay" without marks too). On a real calendar date
//  writes *year, *month, *day and returns the bytes read; else 0.
size_t bc_legal_date(const char *s, unsigned *year, unsigned *month, unsigned *day);

//  The kind a canonical notation implies from its first segment ("NĐ-CP"
//  -> "Nghị định", "CT/TW" -> "Chỉ thị"), or "Văn bản". Static string.
const char *bc_legal_kind_of(const char *notation);

#endif
