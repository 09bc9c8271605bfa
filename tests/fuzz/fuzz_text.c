//  fuzz_text - the CSV reader, notation parser and request-key parser
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bc_alloc.h"
#include "bc_csv.h"
#include "bc_notation.h"
#include "bc_reqkey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bc_csv_t *csv = NULL;
    size_t line = 0;
    if (bc_csv_parse((const char *) data, size, &csv, &line) == BC_OK) {
        for (size_t r = 0; r < bc_csv_rows(csv); r++) {
            for (size_t c = 0; c < bc_csv_cols(csv, r); c++) {
                if (!bc_csv_cell(csv, r, c)) {
                    abort();
                }
            }
        }
        bc_csv_destroy(&csv);
    }
    if (size > 4096) {
        return 0;
    }
    char *text = bc_strndup((const char *) data, size);
    bc_notation_t n;
    if (bc_notation_parse(text, &n) == BC_OK) {
        char out[BC_REQKEY_TEXT_MAX];
        bc_notation_format(n.number, n.year, n.notation, out, sizeof out);
        bc_notation_t again;
        if (bc_notation_parse(out, &again) != BC_OK || again.number != n.number
            || again.year != n.year || strcmp(again.notation, n.notation) != 0) {
            abort();
        }
    }
    bc_reqkey_t key;
    if (bc_reqkey_parse(text, &key) == BC_OK) {
        char out[BC_REQKEY_TEXT_MAX];
        bc_reqkey_format(&key, out, sizeof out);
        bc_reqkey_t again;
        if (bc_reqkey_parse(out, &again) != BC_OK || !bc_reqkey_equal(&key, &again)) {
            abort();
        }
    }
    free(text);
    return 0;
}
