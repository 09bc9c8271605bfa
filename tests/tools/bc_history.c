//  bc_history - prints one delivery's status history from a store (tests only)
//
//  Usage: bc_history STORE_DIR REQUEST_JSON AGENCY_CODE
//  One line per step: STATUS<TAB>unix ms<TAB>note.
#include <stdio.h>
#include <stdlib.h>

#include "bc_fs.h"
#include "bc_json.h"
#include "bc_records.h"

int
main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bc_history STORE_DIR REQUEST_JSON AGENCY_CODE\n");
        return 64;
    }
    char *text = NULL;
    size_t size = 0;
    char why[256];
    ProtobufCMessage *msg = NULL;
    if (bc_fs_read(argv[2], 1 << 20, &text, &size) != BC_OK
        || bc_json_decode(&baocao__report_request__descriptor, text, size, &msg, why,
                          sizeof why) != BC_OK) {
        fprintf(stderr, "bc_history: cannot read %s\n", argv[2]);
        return 66;
    }
    free(text);
    bc_reqkey_t key;
    if (bc_reqkey_from_request((Baocao__ReportRequest *) msg, &key) != BC_OK) {
        return 65;
    }
    protobuf_c_message_free_unpacked(msg, NULL);
    bc_store_t *store = NULL;
    bc_store_opts_t opts = { argv[1], 0, 1, 0 };
    bc_txn_t *txn = NULL;
    Baocao__DeliveryRecord *rec = NULL;
    if (bc_store_open(&store, &opts) != BC_OK || bc_store_begin(store, 0, &txn) != BC_OK
        || bc_records_get_delivery(txn, &key, argv[3], &rec) != BC_OK) {
        fprintf(stderr, "bc_history: no delivery of that request to %s\n", argv[3]);
        return 1;
    }
    for (size_t i = 0; i < rec->n_history; i++) {
        const ProtobufCEnumValue *v =
            protobuf_c_enum_descriptor_get_value(&baocao__delivery_status__descriptor,
                                                 rec->history[i]->status);
        printf("%s\t%lld\t%s\n", v ? v->name : "?",
               (long long) (rec->history[i]->at ? rec->history[i]->at->unix_ms : 0),
               rec->history[i]->note);
    }
    baocao__delivery_record__free_unpacked(rec, NULL);
    bc_store_abort(&txn);
    bc_store_destroy(&store);
    return 0;
}
