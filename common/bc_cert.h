//  bc_cert - an agency's key files: CURVE (transport) and Ed25519 (signatures)
//
//  Each agency has two key pairs: a CURVE pair that authenticates and
//  encrypts its connection to the broker, and an Ed25519 pair that signs its
//  reports (CURVE boxes are repudiable; signatures are not). They live in
//  two text files written by `baocao key new`:
//      CODE.pub   public keys, safe to copy anywhere (mode 0644)
//      CODE.key   the same plus the secret keys (mode 0600, never logged)
//  Format: "key = value" lines, '#' comments:
//      code = 000.00.04.H45
//      curve_public = <40 Z85 characters>
//      sign_public = <64 hex digits>
//      curve_secret = <40 Z85 characters>          (CODE.key only)
//      sign_secret = <128 hex digits>              (CODE.key only)
#ifndef BC_CERT_H_INCLUDED
#define BC_CERT_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#include "bc_err.h"

#define BC_CERT_Z85_LEN         40      //  a CURVE key in Z85, without NUL
#define BC_CERT_SIGN_PUBLIC     32      //  Ed25519 public key bytes
#define BC_CERT_SIGN_SECRET     64      //  Ed25519 secret key bytes
#define BC_CERT_SIGNATURE       64      //  Ed25519 signature bytes

typedef struct {
    char code[32];                                  //  organ code
    char curve_public[BC_CERT_Z85_LEN + 1];         //  Z85
    char curve_secret[BC_CERT_Z85_LEN + 1];         //  Z85, "" when public only
    uint8_t sign_public[BC_CERT_SIGN_PUBLIC];
    uint8_t sign_secret[BC_CERT_SIGN_SECRET];       //  zero when public only
    int has_secret;                                 //  loaded from a .key file
} bc_cert_t;

//  Makes fresh key pairs for code (zmq_curve_keypair, crypto_sign_keypair).
//  Errors: BC_EINVAL (code not an organ code), BC_EIO (no randomness).
bc_err bc_cert_new(bc_cert_t *cert, const char *code);

//  Writes DIR/CODE.pub (0644) and DIR/CODE.key (0600) atomically. Refuses to
//  overwrite an existing CODE.key unless overwrite is set (key rotation).
//  Errors: BC_EEXIST, BC_EDENIED, BC_EIO, BC_EFULL.
bc_err bc_cert_save(const bc_cert_t *cert, const char *dir, int overwrite);

//  Reads a .pub or .key file. Errors: BC_ENOTFOUND, BC_EDENIED, BC_EINVAL
//  (why says which line or key is wrong), BC_EIO. A .key file readable by
//  group or others is refused (BC_EDENIED): its secrets must stay secret.
bc_err bc_cert_load(bc_cert_t *cert, const char *path, char *why, size_t why_size);

//  Decodes a Z85 CURVE public key into 32 bytes. Returns 0 or -1.
int bc_cert_z85_decode(const char *z85, uint8_t out[32]);

//  Parses 2*n hex digits into n bytes. Returns 0 or -1.
int bc_cert_hex_decode(const char *hex, uint8_t *out, size_t n);

//  Wipes the secret keys from memory.
void bc_cert_wipe(bc_cert_t *cert);

#endif
