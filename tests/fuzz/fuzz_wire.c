//  fuzz_wire - the envelope decoder: any bytes decode or fail cleanly, and
//  whatever decodes re-encodes without fault; re-encoded bytes that decode
//  again are stable. (protobuf-c 1.4 keeps an unknown field numbered 0 on
//  unpack but refuses it on the next unpack, so a second decode may fail;
//  the broker never re-sends a received envelope, so that is harmless.)
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bc_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Baocao__Envelope *env = NULL;
    char why[128];
    if (bc_wire_unpack(data, size, &env, why, sizeof why) != BC_OK) {
        return 0;
    }
    size_t n1;
    uint8_t *b1 = bc_wire_pack(env, &n1);
    Baocao__Envelope *again = NULL;
    if (bc_wire_unpack(b1, n1, &again, why, sizeof why) != BC_OK) {
        free(b1);
        bc_wire_free(&env);
        return 0;
    }
    size_t n2;
    uint8_t *b2 = bc_wire_pack(again, &n2);
    Baocao__Envelope *third = NULL;
    if (bc_wire_unpack(b2, n2, &third, why, sizeof why) != BC_OK) {
        abort();
    }
    size_t n3;
    uint8_t *b3 = bc_wire_pack(third, &n3);
    if (n2 != n3 || memcmp(b2, b3, n2) != 0) {
        abort();
    }
    free(b3);
    bc_wire_free(&third);
    free(b1);
    free(b2);
    bc_wire_free(&again);
    bc_wire_free(&env);
    return 0;
}
