//  bench_common - what the benchmark tools share: agency codes, the bench
//  request and report, clocks, latency figures and /proc readings
//
//  The tools print one line per measurement, "RESULT key=value ...", which
//  tests/bench/run.sh collects and summarizes (min, median, max over runs).
#ifndef BENCH_COMMON_H_INCLUDED
#define BENCH_COMMON_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "baocao/envelope.pb-c.h"
#include "bc_cert.h"
#include "bc_reqkey.h"

#define BENCH_COORD         "000.00.07.H45"     //  the coordinator of the bench province
#define BENCH_CODE_MAX      32                  //  bytes of a bench agency code
#define BENCH_REPORT_SIZE   4000                //  packed Report bytes: one LMDB
                                                //  overflow page (<= 4,080 bytes)
#define BENCH_AGENCIES_MAX  9999

//  The code of bench agency i (0-based): 001.II.JJ.H45.
void bench_code(int i, char *out);

//  Writes the agency list CSV: the coordinator (coordinator, operator) and
//  n departments. Returns 0 or -1.
int bench_write_agencies(const char *path, int n);

//  Microseconds on the monotonic clock.
int64_t bench_now_us(void);

//  The bench request with this number, addressed to the first n bench
//  agencies (n may be 0 when only its key is wanted): four outline items,
//  three indicators, a deadline 30 days ahead. The caller frees it with
//  bench_request_free.
Baocao__ReportRequest *bench_request_new(uint32_t number, int n);
void bench_request_free(Baocao__ReportRequest **req_p);

//  The request key of bench request number.
void bench_request_key(uint32_t number, bc_reqkey_t *key);

//  A packed SubmitReport envelope from agency code answering request number
//  with a fresh report id: four sections answering the outline, indicator
//  values, one legal reference, filled so that the packed Report is size
//  bytes (as stored; signed with secret when not NULL). The envelope's id
//  goes to id (BC_ID_HEX_LEN + 1 bytes); the caller frees the result.
uint8_t *bench_report_envelope(const char *code, uint32_t number, size_t size,
                               const uint8_t *secret, char *id, size_t *size_p);

//  A packed Report like the one above (for the Ed25519 figures): its
//  canonical bytes (what is signed) go to *canonical_p (caller frees).
void bench_report_canonical(size_t size, uint8_t **canonical_p, size_t *canonical_size_p);

//  Latency samples (microseconds) and what is derived from them.
typedef struct {
    uint32_t *us;                       //  samples
    size_t n, cap;
} bench_lat_t;

void bench_lat_add(bench_lat_t *self, int64_t us);
//  Sorts the samples and returns the p-th percentile (0..100), 0 if empty.
double bench_lat_pct(bench_lat_t *self, double p);
void bench_lat_free(bench_lat_t *self);

//  CPU seconds (user + system) a process has used, from /proc; -1 if gone.
double bench_proc_cpu(pid_t pid);

//  A "VmRSS"-style field of /proc/PID/status in KiB; -1 if absent.
long bench_proc_kb(pid_t pid, const char *field);

//  CPU seconds this process has used (all threads).
double bench_self_cpu(void);

//  Last committed write transaction id of the LMDB store in dir (read-only,
//  beside its writer); -1 when it cannot be read.
long long bench_store_txnid(const char *dir);

//  Loads DIR/CODE/CODE.key (province init layout). Returns 0 or -1.
int bench_load_key(const char *province, const char *code, bc_cert_t *cert);

//  Sets CURVE client options on a socket with the agency's key and the
//  broker's public key. Returns 0 or -1.
int bench_curve_client(void *sock, const bc_cert_t *me, const bc_cert_t *broker);

#endif
