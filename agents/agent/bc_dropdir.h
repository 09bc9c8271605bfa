//  bc_dropdir - the agent's drop folder: layout, request text, report building
//
//  One folder per request under the drop root, named after the request's
//  citation with '/' as '-' (bc_notation_folder): DROP/1005-STTTT-TTBCXB/
//      YEU-CAU.txt       the request as readable Vietnamese text
//      .request.pb       the packed ReportRequest (rebuilds after a restart)
//      *.txt, *.pdf      report documents put there by staff (text, or the
//                        signed PDF with its text layer)
//      chi-tieu.csv      indicator values: code,value,note
//      LOI-chi-tieu.txt  why chi-tieu.csv was refused (removed once fixed)
//      sent/             documents the broker acknowledged, and BIEN-NHAN.txt
//      loi/              documents the broker refused, each with <name>.LOI.txt
//  Every function here returns; none logs (the agent logs). No shared state:
//  any thread may call them, on different folders.
#ifndef BC_DROPDIR_H_INCLUDED
#define BC_DROPDIR_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#include "baocao/report.pb-c.h"
#include "baocao/request.pb-c.h"
#include "bc_alloc.h"
#include "bc_docparse.h"
#include "bc_err.h"
#include "bc_reqkey.h"

#define BC_DROPDIR_REQUEST_TEXT "YEU-CAU.txt"
#define BC_DROPDIR_REQUEST_PB   ".request.pb"
#define BC_DROPDIR_CSV          "chi-tieu.csv"
#define BC_DROPDIR_CSV_FAULT    "LOI-chi-tieu.txt"
#define BC_DROPDIR_SENT         "sent"
#define BC_DROPDIR_FAILED       "loi"
#define BC_DROPDIR_RECEIPTS     "BIEN-NHAN.txt"
#define BC_DROPDIR_FAULT_EXT    ".LOI.txt"
#define BC_DROPDIR_MEDIA_TEXT   BC_DOCPARSE_MEDIA_TEXT
#define BC_DROPDIR_MEDIA_PDF    BC_DOCPARSE_MEDIA_PDF
#define BC_DROPDIR_MAX_DOC      (16u << 20)     //  bytes of a document
#define BC_DROPDIR_MAX_REQUEST  (16u << 20)     //  bytes of .request.pb
#define BC_DROPDIR_FOLDER_MAX   128             //  bytes of a folder name, with NUL
#define BC_DROPDIR_SHA256_SIZE  32
#define BC_DROPDIR_ID_SIZE      16              //  bytes of SHA-256 kept as report_id

//  The folder name of a request into out ("1005-STTTT-TTBCXB"). Only
//  letters, digits, 'Đ' and '-' can appear, so it is a safe file name.
//  Errors: BC_EINVAL (the request has no valid key, see bc_reqkey).
bc_err bc_dropdir_folder(const Baocao__ReportRequest *request, char *out, size_t size);

//  The text of YEU-CAU.txt: what is asked, by whom, until when, the outline,
//  the indicators, and how to answer. folder is the request's folder name,
//  shown in the instructions. Borrows both; returns a string the caller
//  frees. Never fails (missing fields are left out).
char *bc_dropdir_render(const Baocao__ReportRequest *request, const char *folder);

//  Lays out the request's folder under root: creates it (and root) if
//  missing, writes YEU-CAU.txt and .request.pb atomically. Idempotent: a
//  second call rewrites both files. The folder is bc_dropdir_folder's name,
//  unless that folder already holds ANOTHER request with the same citation
//  (letters restart their numbers every year): then the promulgation date
//  is appended, "1005-STTTT-TTBCXB-2027-11-20". On BC_OK, folder
//  (folder_size bytes, BC_DROPDIR_FOLDER_MAX is enough) holds the name used.
//  Errors: BC_EINVAL (request without a valid key), BC_EEXIST (both names
//  taken by other requests), BC_EDENIED, BC_EFULL, BC_EIO.
bc_err bc_dropdir_layout(const char *root, const Baocao__ReportRequest *request,
                         char *folder, size_t folder_size);

//  Reads dir/.request.pb back. On BC_OK *request_p is the caller's
//  (baocao__report_request__free_unpacked). Errors: BC_ENOTFOUND, BC_ETOOBIG,
//  BC_EINVAL (undecodable, or no valid key), BC_EDENIED, BC_EIO.
bc_err bc_dropdir_load_request(const char *dir, Baocao__ReportRequest **request_p);

//  True when name (a file name, no folder) is a report document: ends in
//  ".txt" or ".pdf" (any case), is not YEU-CAU.txt nor LOI-chi-tieu.txt nor a
//  *.LOI.txt, does not start with '.' or '~', is not a temporary file
//  (contains ".tmp").
int bc_dropdir_is_document(const char *name);

//  The documents in dir itself (regular files only; symbolic links and
//  sub-folders are skipped), sorted by name. On BC_OK *names_p is an array
//  of *count_p strings, all the caller's (bc_dropdir_names_destroy).
//  Errors: BC_ENOTFOUND, BC_EDENIED, BC_EIO.
bc_err bc_dropdir_documents(const char *dir, char ***names_p, size_t *count_p);

//  Frees a list from bc_dropdir_documents and sets *names_p to NULL.
void bc_dropdir_names_destroy(char ***names_p, size_t count);

//  Indicator values read from chi-tieu.csv (value struct: init/release).
typedef struct {
    int present;                                //  the file exists
    uint8_t sha256[BC_DROPDIR_SHA256_SIZE];     //  of the file; zeros if absent
    Baocao__IndicatorValue **values;            //  owned, malloc'ed
    size_t n_values;
} bc_dropdir_csv_t;

void bc_dropdir_csv_init(bc_dropdir_csv_t *self);
void bc_dropdir_csv_release(bc_dropdir_csv_t *self);

//  Reads dir/chi-tieu.csv into csv (initialised by the caller; on BC_OK its
//  earlier contents are released and replaced). An absent file is BC_OK with
//  csv->present 0. The header must be code,value,note
//  (any case); each row is code,value[,note]; a value is a decimal number
//  with '.' or ',' as the decimal separator (one at most, no grouping).
//  Skipped with a line appended to warnings (when not NULL): codes the
//  request does not define (matched case-insensitively; the request's
//  spelling is kept) and rows with an empty value.
//  Errors (csv untouched; why says the line and the fault, in English):
//    BC_EINVAL   malformed CSV, wrong header, wrong cell count, empty code,
//                a value that is not a number, a code given twice
//    BC_ETOOBIG  over BC_CSV_MAX_INPUT
//    BC_EDENIED, BC_EIO
bc_err bc_dropdir_read_indicators(const char *dir, const Baocao__ReportRequest *request,
                                  bc_dropdir_csv_t *csv, bc_buf_t *warnings,
                                  char *why, size_t why_size);

//  The report id: lowercase hex (32 digits) of the first 16 bytes of
//  SHA-256 over agency code, NUL, request key text (bc_reqkey_format), NUL,
//  the document's SHA-256, the csv's SHA-256 (NULL: 32 zero bytes). Same
//  inputs, same id: a rebuilt report after a crash deduplicates at the
//  broker; a changed document or csv is a new id, the next revision.
//  out must hold 33 bytes.
void bc_dropdir_report_id(const char *code, const bc_reqkey_t *key,
                          const uint8_t *doc_sha256, const uint8_t *csv_sha256,
                          char *out);

//  Builds the Report for document name in dir: parses it (bc_docparse_data
//  with request: a PDF's text layer or UTF-8 text, by content), sets request
//  ref, sender {code, name}, recipient (the request's issuer), indicators
//  (copied from csv, which may be NULL), attachment {name,
//  BC_DROPDIR_MEDIA_PDF or BC_DROPDIR_MEDIA_TEXT, SHA-256, the original
//  bytes}, created_at and report_id. On BC_OK *report_p is the caller's
//  (baocao__report__free_unpacked). Errors (why says what, in English):
//    BC_ENOTFOUND  the document is gone
//    BC_ETOOBIG    the document is over BC_DROPDIR_MAX_DOC
//    BC_EINVAL     the document is not UTF-8 text or empty, a PDF without a
//                  text layer, damaged or encrypted, not a regular file, or
//                  the request has no valid key
//    BC_EDENIED, BC_EIO
bc_err bc_dropdir_build(const char *dir, const char *name,
                        const Baocao__ReportRequest *request,
                        const char *code, const char *agency_name,
                        const bc_dropdir_csv_t *csv, Baocao__Report **report_p,
                        char *why, size_t why_size);

//  SHA-256 of dir/name (at most BC_DROPDIR_MAX_DOC bytes) into out (32
//  bytes), to check that a document is still what was sent. Errors:
//  BC_ENOTFOUND, BC_ETOOBIG, BC_EINVAL (not a regular file), BC_EDENIED,
//  BC_EIO.
bc_err bc_dropdir_file_sha256(const char *dir, const char *name, uint8_t *out);

//  Moves dir/name into dir/sub/ (created if missing), keeping the name or,
//  when taken, adding "-2", "-3"... before the extension. On BC_OK moved
//  (moved_size bytes) holds the name used. Errors: BC_ENOTFOUND (no such
//  document), BC_EDENIED, BC_EIO.
bc_err bc_dropdir_move(const char *dir, const char *name, const char *sub,
                       char *moved, size_t moved_size);

//  Appends one line to dir/sent/BIEN-NHAN.txt (created if missing), e.g.
//  "2026-11-26 14:03  bao-cao.txt  lần 1  số 17  đúng hạn", with "trễ hạn"
//  when late and " (đã nhận trước đó)" when duplicate; at_ms is the UTC time
//  shown in local time. Errors: BC_EDENIED, BC_EFULL, BC_EIO.
bc_err bc_dropdir_receipt(const char *dir, const char *name, uint32_t revision,
                          uint64_t seq, int late, int duplicate, int64_t at_ms);

//  Moves dir/name into dir/loi/ and writes dir/loi/<moved>.LOI.txt telling
//  staff, in Vietnamese, that the document was not accepted and why
//  (reason, English, from the broker or the agent). On BC_OK moved holds
//  the name used in loi/. Errors: as bc_dropdir_move, plus BC_EFULL.
bc_err bc_dropdir_reject(const char *dir, const char *name, const char *reason,
                         char *moved, size_t moved_size);

//  Writes dir/LOI-chi-tieu.txt explaining why chi-tieu.csv was refused
//  (reason, English) and that documents wait until it is fixed.
//  Errors: BC_EDENIED, BC_EFULL, BC_EIO.
bc_err bc_dropdir_csv_fault(const char *dir, const char *reason);

//  Removes dir/LOI-chi-tieu.txt if present. Errors: BC_EDENIED, BC_EIO.
bc_err bc_dropdir_csv_fault_clear(const char *dir);

#endif
