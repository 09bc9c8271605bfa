//  bench_lmdb - LMDB's own synced-commit ceiling: N puts of B bytes per commit
//
//  Usage: bench_lmdb DIR VALUE_BYTES PUTS_PER_COMMIT SECONDS [random]
//  Creates a fresh environment in DIR (which must not exist), then commits
//  transactions of PUTS_PER_COMMIT puts of VALUE_BYTES each, with LMDB's
//  default durability (every commit synced: data pages, then the meta page),
//  for SECONDS, keys ascending (LMDB's cheapest pattern). Prints one RESULT
//  line: puts per second, commits per second, commit latency percentiles.
//  This is the ceiling any LMDB-backed broker committing that many messages
//  per transaction can reach on this disk.
//  With "random", keys are 16 random bytes (like an index of random report
//  ids) in a tree first filled with 50,000 entries (unsynced, not timed):
//  each put then dirties its own leaf page, and LMDB takes most pages from
//  its free list, scattered over the file - the pattern of a store that
//  keeps secondary indexes, as the broker's does.
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bc_alloc.h"
#include "bench_common.h"

int
main(int argc, char **argv)
{
    if (argc != 5 && !(argc == 6 && strcmp(argv[5], "random") == 0)) {
        fprintf(stderr, "usage: bench_lmdb DIR VALUE_BYTES PUTS_PER_COMMIT SECONDS [random]\n");
        return 64;
    }
    const char *dir = argv[1];
    size_t value = strtoul(argv[2], NULL, 10);
    int per = atoi(argv[3]);
    double seconds = atof(argv[4]);
    if (value < 1 || value > (1u << 20) || per < 1 || per > 100000 || seconds <= 0
        || seconds > 60) {
        fprintf(stderr, "bench_lmdb: bad arguments\n");
        return 64;
    }
    if (mkdir(dir, 0750) != 0) {
        perror("bench_lmdb: mkdir");
        return 73;
    }
    MDB_env *env;
    MDB_dbi dbi;
    MDB_txn *txn;
    int rc = mdb_env_create(&env);
    if (rc == 0) {
        rc = mdb_env_set_mapsize(env, (size_t) 8 << 30);
    }
    if (rc == 0) {
        rc = mdb_env_open(env, dir, 0, 0640);
    }
    if (rc == 0) {
        rc = mdb_txn_begin(env, NULL, 0, &txn);
    }
    if (rc == 0) {
        rc = mdb_dbi_open(txn, NULL, 0, &dbi);
    }
    if (rc == 0) {
        rc = mdb_txn_commit(txn);
    }
    if (rc != 0) {
        fprintf(stderr, "bench_lmdb: %s\n", mdb_strerror(rc));
        return 74;
    }
    uint8_t *buf = bc_malloc(value);
    for (size_t i = 0; i < value; i++) {
        buf[i] = (uint8_t) (i * 131 + 7);
    }
    int random_keys = argc == 6;
    uint64_t rnd = 0x9E3779B97F4A7C15ull;
    if (random_keys) {
        //  The tree a broker has after a while; filled without syncing.
        mdb_env_set_flags(env, MDB_NOSYNC, 1);
        for (int t = 0; rc == 0 && t < 50; t++) {
            rc = mdb_txn_begin(env, NULL, 0, &txn);
            for (int i = 0; rc == 0 && i < 1000; i++) {
                uint8_t key[16];
                for (int b = 0; b < 16; b++) {
                    rnd ^= rnd << 13;
                    rnd ^= rnd >> 7;
                    rnd ^= rnd << 17;
                    key[b] = (uint8_t) rnd;
                }
                MDB_val k = { sizeof key, key }, v = { value, buf };
                rc = mdb_put(txn, dbi, &k, &v, 0);
            }
            rc = rc == 0 ? mdb_txn_commit(txn) : rc;
        }
        mdb_env_set_flags(env, MDB_NOSYNC, 0);
        if (rc == 0) {
            rc = mdb_env_sync(env, 1);
        }
        if (rc != 0) {
            fprintf(stderr, "bench_lmdb: %s\n", mdb_strerror(rc));
            return 74;
        }
    }
    bench_lat_t lat;
    memset(&lat, 0, sizeof lat);
    uint64_t seq = 0;
    long commits = 0;
    int64_t start = bench_now_us(), limit = (int64_t) (seconds * 1e6);
    while (bench_now_us() - start < limit) {
        int64_t t = bench_now_us();
        rc = mdb_txn_begin(env, NULL, 0, &txn);
        for (int i = 0; rc == 0 && i < per; i++) {
            uint8_t key[16];
            seq++;
            for (int b = 0; b < 16; b++) {
                if (random_keys) {
                    rnd ^= rnd << 13;
                    rnd ^= rnd >> 7;
                    rnd ^= rnd << 17;
                    key[b] = (uint8_t) rnd;
                }
                else {
                    key[b] = b < 8 ? 0 : (uint8_t) (seq >> (56 - 8 * (b - 8)));
                }
            }
            MDB_val k = { sizeof key, key }, v = { value, buf };
            rc = mdb_put(txn, dbi, &k, &v, random_keys ? 0 : MDB_APPEND);
        }
        if (rc == 0) {
            rc = mdb_txn_commit(txn);
        }
        else {
            mdb_txn_abort(txn);
        }
        if (rc != 0) {
            fprintf(stderr, "bench_lmdb: %s\n", mdb_strerror(rc));
            return 74;
        }
        bench_lat_add(&lat, bench_now_us() - t);
        commits++;
    }
    double secs = (double) (bench_now_us() - start) / 1e6;
    printf("RESULT kind=lmdb keys=%s value=%zu per_commit=%d puts=%llu commits=%ld seconds=%.3f "
           "rate=%.0f commit_rate=%.0f",
           random_keys ? "random" : "ascending", value, per, (unsigned long long) seq, commits,
           secs, (double) seq / secs,
           (double) commits / secs);
    printf(" commit_p50_us=%.0f commit_p99_us=%.0f\n", bench_lat_pct(&lat, 50),
           bench_lat_pct(&lat, 99));
    bench_lat_free(&lat);
    free(buf);
    mdb_env_close(env);
    return 0;
}
