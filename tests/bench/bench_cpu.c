//  bench_cpu - CPU-bound figures: Ed25519 verification, summary compile, document parsing
//
//  Usage:
//    bench_cpu verify SIZE SECONDS
//        Ed25519 verifications per second on one core of a bench report of
//        SIZE bytes: the bare libsodium call over its canonical bytes, and
//        bc_sign_verify as the broker calls it (canonical packing included)
//    bench_cpu summary STORE NUMBER
//        compiles the summary of bench request NUMBER from the store
//        (read-only, beside a running broker) once, in this fresh process:
//        time, and the memory it took (peak RSS growth, heap in use)
//    bench_cpu docparse SECONDS FILE...
//        parses every FILE (text or PDF) with bc_docparse_data against the
//        demo request, round after round for SECONDS: megabytes per second
//  Prints one RESULT line per figure.
#include <malloc.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bc_aggregate.h"
#include "bc_alloc.h"
#include "bc_clock.h"
#include "bc_docparse.h"
#include "bc_fs.h"
#include "bc_id.h"
#include "bc_json.h"
#include "bc_sign.h"
#include "bc_store.h"
#include "bench_common.h"

#ifndef BENCH_DEMO_DIR
#define BENCH_DEMO_DIR "deploy/province-demo"
#endif

static int
s_verify(size_t size, double seconds)
{
    if (sodium_init() < 0) {
        return 70;
    }
    uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(pk, sk);
    uint8_t *canonical;
    size_t n;
    bench_report_canonical(size, &canonical, &n);
    uint8_t sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, NULL, canonical, n, sk);
    int64_t limit = (int64_t) (seconds * 1e6);
    long count = 0;
    int64_t start = bench_now_us();
    while (bench_now_us() - start < limit) {
        for (int i = 0; i < 100; i++) {
            if (crypto_sign_verify_detached(sig, canonical, n, pk) != 0) {
                fprintf(stderr, "bench_cpu: signature does not verify\n");
                return 70;
            }
        }
        count += 100;
    }
    double secs = (double) (bench_now_us() - start) / 1e6;
    printf("RESULT kind=verify what=sodium bytes=%zu verifies=%ld seconds=%.3f rate=%.0f "
           "us_each=%.1f\n",
           n, count, secs, (double) count / secs, secs * 1e6 / (double) count);
    //  The broker's call: unpack the received report, pack its canonical
    //  bytes, verify. Here from an unpacked report as the broker has it.
    char id[BC_ID_HEX_LEN + 1];
    size_t env_size;
    char code[BENCH_CODE_MAX];
    bench_code(0, code);
    uint8_t *env_bytes = bench_report_envelope(code, 1, size, sk, id, &env_size);
    Baocao__Envelope *env = baocao__envelope__unpack(NULL, env_size, env_bytes);
    if (!env || env->body_case != BAOCAO__ENVELOPE__BODY_SUBMIT_REPORT) {
        return 70;
    }
    count = 0;
    start = bench_now_us();
    while (bench_now_us() - start < limit) {
        for (int i = 0; i < 100; i++) {
            if (bc_sign_verify(env->submit_report->report, pk) != BC_OK) {
                fprintf(stderr, "bench_cpu: report signature does not verify\n");
                return 70;
            }
        }
        count += 100;
    }
    secs = (double) (bench_now_us() - start) / 1e6;
    printf("RESULT kind=verify what=bc_sign_verify bytes=%zu verifies=%ld seconds=%.3f "
           "rate=%.0f us_each=%.1f\n",
           size, count, secs, (double) count / secs, secs * 1e6 / (double) count);
    baocao__envelope__free_unpacked(env, NULL);
    free(env_bytes);
    free(canonical);
    return 0;
}

static int
s_summary(const char *store_dir, uint32_t number)
{
    bc_store_t *store = NULL;
    bc_store_opts_t opts = { store_dir, 0, 1, 0 };
    if (bc_store_open(&store, &opts) != BC_OK) {
        fprintf(stderr, "bench_cpu: cannot open store %s\n", store_dir);
        return 66;
    }
    bc_txn_t *txn = NULL;
    if (bc_store_begin(store, 0, &txn) != BC_OK) {
        return 74;
    }
    bc_reqkey_t key;
    bench_request_key(number, &key);
    pid_t self = getpid();
    long rss0 = bench_proc_kb(self, "VmRSS");
    long hwm0 = bench_proc_kb(self, "VmHWM");
    struct mallinfo2 m0 = mallinfo2();
    Baocao__Summary *summary = NULL;
    int64_t t = bench_now_us();
    bc_err rc = bc_aggregate_compile(txn, &key, bc_clock_now_ms(), &summary);
    double ms = (double) (bench_now_us() - t) / 1e3;
    if (rc != BC_OK) {
        fprintf(stderr, "bench_cpu: cannot compile the summary: %s\n", bc_strerror(rc));
        return 70;
    }
    struct mallinfo2 m1 = mallinfo2();
    long hwm1 = bench_proc_kb(self, "VmHWM");
    long anon = bench_proc_kb(self, "RssAnon");
    size_t packed = baocao__summary__get_packed_size(summary);
    size_t agencies = summary->n_agencies;
    unsigned reported = summary->reported;
    printf("RESULT kind=summary number=%u agencies=%zu reported=%u compile_ms=%.1f "
           "rss_before_kb=%ld peak_rss_kb=%ld peak_growth_kb=%ld heap_kept_kb=%zu rss_anon_kb=%ld "
           "summary_bytes=%zu\n",
           number, agencies, reported, ms, rss0, hwm1, hwm1 - (hwm0 > rss0 ? hwm0 : rss0),
           (m1.uordblks - m0.uordblks) / 1024, anon, packed);
    baocao__summary__free_unpacked(summary, NULL);
    bc_store_abort(&txn);
    bc_store_destroy(&store);
    return 0;
}

static int
s_docparse(double seconds, int n_files, char **files)
{
    char *text = NULL;
    size_t size = 0;
    char why[256];
    ProtobufCMessage *msg = NULL;
    if (bc_fs_read(BENCH_DEMO_DIR "/request.json", 1 << 20, &text, &size) != BC_OK
        || bc_json_decode(&baocao__report_request__descriptor, text, size, &msg, why,
                          sizeof why) != BC_OK) {
        fprintf(stderr, "bench_cpu: cannot read the demo request\n");
        return 66;
    }
    free(text);
    char **data = bc_calloc((size_t) n_files, sizeof *data);
    size_t *sizes = bc_calloc((size_t) n_files, sizeof *sizes);
    size_t total = 0;
    for (int i = 0; i < n_files; i++) {
        if (bc_fs_read(files[i], BC_DOCPARSE_MAX_FILE, &data[i], &sizes[i]) != BC_OK) {
            fprintf(stderr, "bench_cpu: cannot read %s\n", files[i]);
            return 66;
        }
        total += sizes[i];
    }
    int64_t limit = (int64_t) (seconds * 1e6);
    long rounds = 0, failed = 0;
    int64_t start = bench_now_us();
    do {
        for (int i = 0; i < n_files; i++) {
            Baocao__Report *report = NULL;
            if (bc_docparse_data(data[i], sizes[i], (Baocao__ReportRequest *) msg, &report, NULL,
                                 NULL, why, sizeof why) != BC_OK) {
                failed++;
                continue;
            }
            baocao__report__free_unpacked(report, NULL);
        }
        rounds++;
    } while (bench_now_us() - start < limit);
    double secs = (double) (bench_now_us() - start) / 1e6;
    double mb = (double) total * (double) rounds / 1e6;
    printf("RESULT kind=docparse files=%d bytes=%zu rounds=%ld failed=%ld seconds=%.3f "
           "mb_per_s=%.2f docs_per_s=%.0f\n",
           n_files, total, rounds, failed, secs, mb / secs,
           (double) n_files * (double) rounds / secs);
    for (int i = 0; i < n_files; i++) {
        free(data[i]);
    }
    free(data);
    free(sizes);
    protobuf_c_message_free_unpacked(msg, NULL);
    return failed ? 1 : 0;
}

int
main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "verify") == 0) {
        return s_verify(strtoul(argv[2], NULL, 10), atof(argv[3]));
    }
    if (argc == 4 && strcmp(argv[1], "summary") == 0) {
        return s_summary(argv[2], (uint32_t) strtoul(argv[3], NULL, 10));
    }
    if (argc >= 4 && strcmp(argv[1], "docparse") == 0) {
        return s_docparse(atof(argv[2]), argc - 3, argv + 3);
    }
    fprintf(stderr, "usage: bench_cpu verify SIZE SECONDS\n"
                    "       bench_cpu summary STORE NUMBER\n"
                    "       bench_cpu docparse SECONDS FILE...\n");
    return 64;
}
