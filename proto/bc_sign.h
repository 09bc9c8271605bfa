//  bc_sign - Ed25519 signatures over a report's canonical bytes
//
//  The canonical bytes of a report are its protobuf encoding with the
//  signature empty, the revision 0 (the broker assigns it) and every
//  attachment's data empty: the attachment's SHA-256 stays, so the
//  signature covers the original document through its digest, and the
//  broker checks that digest against the data it received. Both sides pack
//  with the same generated code, so the bytes are the same.
#ifndef BC_SIGN_H_INCLUDED
#define BC_SIGN_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#include "baocao/report.pb-c.h"
#include "bc_cert.h"
#include "bc_err.h"

//  The canonical bytes; the caller frees *bytes_p.
void bc_sign_canonical(const Baocao__Report *report, uint8_t **bytes_p, size_t *size_p);

//  Signs report in place with secret (64-byte Ed25519 secret key): sets
//  report->signature to a malloc'ed 64-byte buffer (freed with the report
//  by baocao__report__free_unpacked; the old one, if any, is freed).
void bc_sign_report(Baocao__Report *report, const uint8_t secret[BC_CERT_SIGN_SECRET]);

//  Checks report->signature against public. Errors: BC_EDENIED (missing or
//  wrong signature).
bc_err bc_sign_verify(const Baocao__Report *report, const uint8_t public_key[BC_CERT_SIGN_PUBLIC]);

#endif
