//  fuzz_json - the JSON converter: any text decodes or fails cleanly as a
//  ReportRequest and as a Report; what decodes survives encode -> decode
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "baocao/report.pb-c.h"
#include "baocao/request.pb-c.h"
#include "bc_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
s_round_trip(const ProtobufCMessageDescriptor *desc, const uint8_t *data, size_t size)
{
    ProtobufCMessage *msg = NULL;
    char err[256];
    if (bc_json_decode(desc, (const char *) data, size, &msg, err, sizeof err) != BC_OK) {
        return;
    }
    char *text = bc_json_encode(msg, 0);
    ProtobufCMessage *again = NULL;
    if (bc_json_decode(desc, text, strlen(text), &again, err, sizeof err) != BC_OK) {
        abort();
    }
    size_t n1 = protobuf_c_message_get_packed_size(msg);
    size_t n2 = protobuf_c_message_get_packed_size(again);
    uint8_t *b1 = malloc(n1 ? n1 : 1);
    uint8_t *b2 = malloc(n2 ? n2 : 1);
    protobuf_c_message_pack(msg, b1);
    protobuf_c_message_pack(again, b2);
    if (n1 != n2 || memcmp(b1, b2, n1) != 0) {
        abort();
    }
    free(b1);
    free(b2);
    free(text);
    protobuf_c_message_free_unpacked(again, NULL);
    protobuf_c_message_free_unpacked(msg, NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    s_round_trip(&baocao__report_request__descriptor, data, size);
    s_round_trip(&baocao__report__descriptor, data, size);
    return 0;
}
