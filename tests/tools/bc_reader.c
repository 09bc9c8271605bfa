//  bc_reader - holds a read transaction on a store until killed (tests only)
//
//  Usage: bc_reader STORE_DIR. Prints "reading" once the transaction is
//  open, then sleeps; killing it with -9 leaves a stale reader slot behind,
//  which the broker must clear.
#include <stdio.h>
#include <unistd.h>

#include "bc_store.h"

int
main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bc_reader STORE_DIR\n");
        return 64;
    }
    bc_store_t *store = NULL;
    bc_store_opts_t opts = { argv[1], 0, 1, 0 };
    bc_txn_t *txn = NULL;
    if (bc_store_open(&store, &opts) != BC_OK || bc_store_begin(store, 0, &txn) != BC_OK) {
        fprintf(stderr, "bc_reader: cannot read %s\n", argv[1]);
        return 1;
    }
    printf("reading\n");
    fflush(stdout);
    for (int i = 0; i < 600; i++) {
        sleep(1);
    }
    bc_store_abort(&txn);
    bc_store_destroy(&store);
    return 0;
}
