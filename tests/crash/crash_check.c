//  crash_check - compares what clients saw acknowledged with what the store holds
//
//  Usage: crash_check STORE_DIR ACKED_FILE EXPECTED_TOTAL [CYCLES [SENT]]
//  (ACKED_FILE "-": no client ack log; only the store is checked)
//
//  Reads every stored report (all agencies, all revisions) and the ack log
//  written by the clients ("agency report_id revision seq" per line), then
//  prints one line: cycles, reports acked, stored, lost (acked but not
//  stored), duplicated (one report id stored twice, or one id acked with two
//  different revisions), and exits non-zero unless nothing is lost or
//  duplicated and EXPECTED_TOTAL reports are stored.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bc_alloc.h"
#include "bc_records.h"
#include "bc_store.h"

typedef struct {
    char **ids;                         //  report ids of every stored revision
    size_t n, cap;
} s_stored_t;

static int
s_collect(const uint8_t *key, size_t key_size, const uint8_t *val, size_t val_size, void *arg)
{
    s_stored_t *s = arg;
    Baocao__Report *r = baocao__report__unpack(NULL, val_size, val);
    if (!r) {
        return 0;
    }
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->ids = bc_realloc(s->ids, s->cap * sizeof *s->ids);
    }
    s->ids[s->n++] = bc_strdup(r->report_id);
    baocao__report__free_unpacked(r, NULL);
    return 0;
}

static int
s_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

int
main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: crash_check STORE_DIR ACKED_FILE EXPECTED_TOTAL [CYCLES]\n");
        return 64;
    }
    long expected = atol(argv[3]);
    long cycles = argc > 4 ? atol(argv[4]) : 0;
    long sent = argc > 5 ? atol(argv[5]) : expected;
    bc_store_t *store = NULL;
    bc_store_opts_t opts = { argv[1], 0, 1, 0 };
    if (bc_store_open(&store, &opts) != BC_OK) {
        fprintf(stderr, "crash_check: cannot open store %s\n", argv[1]);
        return 66;
    }
    bc_txn_t *txn = NULL;
    if (bc_store_begin(store, 0, &txn) != BC_OK) {
        return 70;
    }
    s_stored_t stored = { NULL, 0, 0 };
    bc_store_each(txn, BC_DB_REPORTS, NULL, 0, s_collect, &stored);
    qsort(stored.ids, stored.n, sizeof *stored.ids, s_cmp);
    long duplicated = 0;
    for (size_t i = 1; i < stored.n; i++) {
        duplicated += strcmp(stored.ids[i - 1], stored.ids[i]) == 0;
    }
    FILE *f = strcmp(argv[2], "-") == 0 ? fopen("/dev/null", "r") : fopen(argv[2], "r");
    if (!f) {
        fprintf(stderr, "crash_check: cannot read %s\n", argv[2]);
        return 66;
    }
    char code[64], id[64];
    unsigned revision;
    unsigned long long seq;
    long acked = 0, lost = 0;
    while (fscanf(f, "%63s %63s %u %llu", code, id, &revision, &seq) == 4) {
        acked++;
        char *p = id;
        if (!bsearch(&p, stored.ids, stored.n, sizeof *stored.ids, s_cmp)) {
            lost++;
            fprintf(stderr, "lost: %s %s revision %u seq %llu\n", code, id, revision, seq);
            continue;
        }
        //  The ack's revision must be the one stored under that id.
        Baocao__ReportIdRecord *rec = NULL;
        if (bc_records_get_report_id(txn, id, &rec) == BC_OK) {
            if (rec->revision != revision || strcmp(rec->agency_code, code) != 0) {
                duplicated++;
                fprintf(stderr, "mismatch: %s acked as revision %u, stored as %u\n", id, revision,
                        rec->revision);
            }
            baocao__report_id_record__free_unpacked(rec, NULL);
        }
    }
    fclose(f);
    printf("cycles %ld, reports sent %ld, acked %ld, stored %zu, lost %ld, duplicated %ld\n",
           cycles, sent, acked, stored.n, lost, duplicated);
    for (size_t i = 0; i < stored.n; i++) {
        free(stored.ids[i]);
    }
    free(stored.ids);
    bc_store_abort(&txn);
    bc_store_destroy(&store);
    int ok = lost == 0 && duplicated == 0 && (long) stored.n == expected
             && (acked >= expected || strcmp(argv[2], "-") == 0);
    return ok ? 0 : 1;
}
