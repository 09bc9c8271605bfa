//  bc_keys - every LMDB key byte layout of the store, in one place
//
//  Keys are fixed-size byte strings so that LMDB's byte order is the order we
//  want (organ, then date, then number) and prefix scans are exact.
//  Integers are big-endian; strings are NUL-padded to their field size.
//
//    request key   (BC_KEY_REQUEST_SIZE = 106 bytes)
//      0   32  issuer organ code, NUL-padded
//      32   4  promulgation date as yyyymmdd, u32 BE
//      36   4  number, u32 BE
//      40   2  year inside the citation (0 = none), u16 BE
//      42  64  notation (canonical UTF-8), NUL-padded
//    delivery key  = request key | agency code[32]              (138 bytes)
//    pending key   = agency code[32] | request key              (138 bytes)
//    report key    = request key | agency code[32] | revision u32 BE (142)
//    report id key = 32 lowercase hex digits                     (32 bytes)
//    agency key    = agency code[32]                             (32 bytes)
//    presence key  = agency code[32]                             (32 bytes)
//    audit key     = sequence number, u64 BE                      (8 bytes)
//    meta key      = a short ASCII name ("schema", "seq")
//    outbox key    = 32 lowercase hex digits (report id; agents' stores only)
#ifndef BC_KEYS_H_INCLUDED
#define BC_KEYS_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#include "bc_reqkey.h"

#define BC_KEY_CODE_SIZE        32
#define BC_KEY_REQUEST_SIZE     106
#define BC_KEY_DELIVERY_SIZE    (BC_KEY_REQUEST_SIZE + BC_KEY_CODE_SIZE)
#define BC_KEY_PENDING_SIZE     (BC_KEY_CODE_SIZE + BC_KEY_REQUEST_SIZE)
#define BC_KEY_REPORT_SIZE      (BC_KEY_REQUEST_SIZE + BC_KEY_CODE_SIZE + 4)
#define BC_KEY_REPORT_ID_SIZE   32

void bc_key_request(const bc_reqkey_t *key, uint8_t out[BC_KEY_REQUEST_SIZE]);
//  Decodes a request key; returns -1 when the bytes are not one.
int bc_key_request_decode(const uint8_t *bytes, size_t size, bc_reqkey_t *key);
void bc_key_code(const char *code, uint8_t out[BC_KEY_CODE_SIZE]);
//  Copies a padded code field back into a string of BC_AGENCY_CODE_MAX bytes.
void bc_key_code_decode(const uint8_t in[BC_KEY_CODE_SIZE], char *code);
void bc_key_delivery(const bc_reqkey_t *key, const char *code,
                     uint8_t out[BC_KEY_DELIVERY_SIZE]);
void bc_key_pending(const char *code, const bc_reqkey_t *key,
                    uint8_t out[BC_KEY_PENDING_SIZE]);
void bc_key_report(const bc_reqkey_t *key, const char *code, uint32_t revision,
                   uint8_t out[BC_KEY_REPORT_SIZE]);

#endif
