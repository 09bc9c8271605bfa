//  fuzz_docparse - the document parser: text into a Report, citations, outline matching
//
//  The PDF path is left out: poppler is fuzzed by its own project, and one
//  PDF parse costs more than hundreds of text parses here. Every Report
//  the parser returns must pack, unpack and encode as JSON, and nothing
//  may leak (libFuzzer's leak check).
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bc_alloc.h"
#include "bc_docparse.h"
#include "bc_json.h"
#include "bc_legal.h"
#include "bc_outline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

//  A request with an outline, so that matching runs (borrowed, constant).
static char s_numbers[4][2] = { "1", "2", "3", "4" };
static char s_titles[4][64] = {
    "Công tác tuyên truyền, phổ biến",
    "Công tác thông tin đối ngoại, phát ngôn",
    "Công tác phối hợp quản lý phóng viên nước ngoài",
    "Khó khăn, vướng mắc; đề xuất, kiến nghị",
};

static void
s_request(Baocao__ReportRequest *request, Baocao__OutlineItem *items,
          Baocao__OutlineItem **ptrs)
{
    baocao__report_request__init(request);
    for (int i = 0; i < 4; i++) {
        baocao__outline_item__init(&items[i]);
        items[i].number = s_numbers[i];
        items[i].title = s_titles[i];
        ptrs[i] = &items[i];
    }
    request->outline = ptrs;
    request->n_outline = 4;
    request->number = 1005;
    request->notation = (char *) "STTTT-TTBCXB";
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Baocao__ReportRequest request;
    Baocao__OutlineItem items[4];
    Baocao__OutlineItem *ptrs[4];
    s_request(&request, items, ptrs);

    Baocao__Report *report = NULL;
    bc_buf_t warnings;
    bc_buf_init(&warnings);
    char why[256];
    bc_err rc = bc_docparse_text_warn((const char *) data, size, size % 2 ? &request : NULL,
                                      &report, &warnings, why, sizeof why);
    if (rc == BC_OK) {
        size_t packed_size = baocao__report__get_packed_size(report);
        uint8_t *packed = bc_malloc(packed_size ? packed_size : 1);
        baocao__report__pack(report, packed);
        Baocao__Report *back = baocao__report__unpack(NULL, packed_size, packed);
        if (!back) {
            abort();
        }
        baocao__report__free_unpacked(back, NULL);
        free(packed);
        char *json = bc_json_encode(&report->base, 0);
        free(json);
        bc_docparse_match_outline(report, &request);
        bc_docparse_match_outline(report, NULL);
        baocao__report__free_unpacked(report, NULL);
    }
    else if (rc != BC_EINVAL && rc != BC_ETOOBIG && rc != BC_ENOMEM) {
        abort();
    }
    bc_buf_release(&warnings);

    //  The scanners alone, on the raw bytes up to the first NUL (valid
    //  UTF-8 or not: they must stay inside the string).
    if (size <= 8192) {
        char *text = bc_strndup((const char *) data, size);
        bc_legal_hit_t *hits = NULL;
        size_t n = bc_legal_find(text, &hits);
        bc_legal_list_t list;
        bc_legal_list_init(&list);
        for (size_t i = 0; i < n; i++) {
            bc_legal_list_add(&list, &hits[i].ref);
        }
        bc_legal_hits_destroy(&hits, n);
        bc_legal_list_release(&list);
        size_t half = strlen(text) / 2;
        double s = bc_outline_similarity(text + half, text);
        if (s < 0 || s > 1) {
            abort();
        }
        free(text);
    }
    return 0;
}
