//  bc_cert - agency key pairs and their files
#include "bc_cert.h"
#include "bc_fs.h"
#include "bc_id.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <zmq.h>

static int
s_code_ok(const char *code)
{
    size_t n = strlen(code);
    if (n == 0 || n >= 32) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (!isalnum((unsigned char) code[i]) && code[i] != '.') {
            return 0;
        }
    }
    return 1;
}

bc_err
bc_cert_new(bc_cert_t *cert, const char *code)
{
    if (!s_code_ok(code)) {
        return BC_EINVAL;
    }
    if (sodium_init() < 0) {
        return BC_EIO;
    }
    bc_cert_t c;
    memset(&c, 0, sizeof c);
    snprintf(c.code, sizeof c.code, "%s", code);
    if (zmq_curve_keypair(c.curve_public, c.curve_secret) != 0) {
        return BC_EIO;
    }
    crypto_sign_keypair(c.sign_public, c.sign_secret);
    c.has_secret = 1;
    *cert = c;
    sodium_memzero(&c, sizeof c);
    return BC_OK;
}

static bc_err
s_write(const char *path, const char *text, mode_t mode)
{
    bc_err rc = bc_fs_write_atomic(path, text, strlen(text));
    if (rc == BC_OK && chmod(path, mode) != 0) {
        rc = bc_fs_from_errno(errno);
    }
    return rc;
}

bc_err
bc_cert_save(const bc_cert_t *cert, const char *dir, int overwrite)
{
    char pub_path[4096], key_path[4096];
    snprintf(pub_path, sizeof pub_path, "%s/%s.pub", dir, cert->code);
    snprintf(key_path, sizeof key_path, "%s/%s.key", dir, cert->code);
    struct stat st;
    if (!overwrite && stat(key_path, &st) == 0) {
        return BC_EEXIST;
    }
    char sign_pub[2 * BC_CERT_SIGN_PUBLIC + 1], sign_sec[2 * BC_CERT_SIGN_SECRET + 1];
    bc_hex_encode(cert->sign_public, sizeof cert->sign_public, sign_pub);
    char pub[1024], key[1536];
    snprintf(pub, sizeof pub,
             "# baocao public keys of %s: safe to share with the broker's operator\n"
             "code = %s\ncurve_public = %s\nsign_public = %s\n",
             cert->code, cert->code, cert->curve_public, sign_pub);
    bc_err rc = BC_OK;
    if (cert->has_secret) {
        bc_hex_encode(cert->sign_secret, sizeof cert->sign_secret, sign_sec);
        snprintf(key, sizeof key,
                 "# baocao SECRET keys of %s: keep on this agency's server only (mode 0600)\n"
                 "code = %s\ncurve_public = %s\nsign_public = %s\n"
                 "curve_secret = %s\nsign_secret = %s\n",
                 cert->code, cert->code, cert->curve_public, sign_pub, cert->curve_secret,
                 sign_sec);
        sodium_memzero(sign_sec, sizeof sign_sec);
        //  umask could leave the temporary file readable for a moment:
        //  write it 0600 from the start by narrowing the umask.
        mode_t old = umask(077);
        rc = s_write(key_path, key, 0600);
        umask(old);
        sodium_memzero(key, sizeof key);
    }
    if (rc == BC_OK) {
        rc = s_write(pub_path, pub, 0644);
    }
    return rc;
}

int
bc_cert_hex_decode(const char *hex, uint8_t *out, size_t n)
{
    if (strlen(hex) != 2 * n) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        for (int j = 0; j < 2; j++) {
            char c = hex[2 * i + j];
            v <<= 4;
            if (c >= '0' && c <= '9') {
                v |= (unsigned) (c - '0');
            }
            else if (c >= 'a' && c <= 'f') {
                v |= (unsigned) (c - 'a' + 10);
            }
            else if (c >= 'A' && c <= 'F') {
                v |= (unsigned) (c - 'A' + 10);
            }
            else {
                return -1;
            }
        }
        out[i] = (uint8_t) v;
    }
    return 0;
}

int
bc_cert_z85_decode(const char *z85, uint8_t out[32])
{
    if (!z85 || strlen(z85) != BC_CERT_Z85_LEN) {
        return -1;
    }
    return zmq_z85_decode(out, z85) ? 0 : -1;
}

typedef struct {
    bc_cert_t *cert;
    int failed;
    char *why;
    size_t why_size;
    int have_curve_secret, have_sign_secret;
} s_load_t;

static int
s_handler(void *user, const char *section, const char *name, const char *value)
{
    s_load_t *l = user;
    bc_cert_t *c = l->cert;
    uint8_t raw[32];
    if (strcmp(name, "code") == 0 && s_code_ok(value)) {
        snprintf(c->code, sizeof c->code, "%s", value);
    }
    else if (strcmp(name, "curve_public") == 0 && bc_cert_z85_decode(value, raw) == 0) {
        snprintf(c->curve_public, sizeof c->curve_public, "%s", value);
    }
    else if (strcmp(name, "curve_secret") == 0 && bc_cert_z85_decode(value, raw) == 0) {
        snprintf(c->curve_secret, sizeof c->curve_secret, "%s", value);
        l->have_curve_secret = 1;
    }
    else if (strcmp(name, "sign_public") == 0
             && bc_cert_hex_decode(value, c->sign_public, BC_CERT_SIGN_PUBLIC) == 0) {
    }
    else if (strcmp(name, "sign_secret") == 0
             && bc_cert_hex_decode(value, c->sign_secret, BC_CERT_SIGN_SECRET) == 0) {
        l->have_sign_secret = 1;
    }
    else {
        //  Never echo the value: it may be a secret key.
        snprintf(l->why, l->why_size, "%s: unknown key or malformed value", name);
        l->failed = 1;
        return 0;
    }
    sodium_memzero(raw, sizeof raw);
    (void) section;
    return 1;
}

bc_err
bc_cert_load(bc_cert_t *cert, const char *path, char *why, size_t why_size)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(why, why_size, "%s: %s", path, strerror(errno));
        return bc_fs_from_errno(errno);
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(why, why_size, "%s: %s", path, strerror(errno));
        return bc_fs_from_errno(errno);
    }
    bc_cert_t c;
    memset(&c, 0, sizeof c);
    s_load_t l = { &c, 0, why, why_size, 0, 0 };
    int rc = ini_parse_file(f, s_handler, &l);
    fclose(f);
    if (l.failed || rc != 0) {
        if (!l.failed) {
            snprintf(why, why_size, "%s:%d: syntax error", path, rc);
        }
        sodium_memzero(&c, sizeof c);
        return BC_EINVAL;
    }
    if (!c.code[0] || !c.curve_public[0]) {
        snprintf(why, why_size, "%s: code or curve_public missing", path);
        return BC_EINVAL;
    }
    if (l.have_curve_secret != l.have_sign_secret) {
        snprintf(why, why_size, "%s: only one of the two secret keys is present", path);
        sodium_memzero(&c, sizeof c);
        return BC_EINVAL;
    }
    if (l.have_curve_secret && (st.st_mode & 077)) {
        snprintf(why, why_size, "%s: secret key file is readable by others; chmod 600 it",
                 path);
        sodium_memzero(&c, sizeof c);
        return BC_EDENIED;
    }
    c.has_secret = l.have_curve_secret;
    *cert = c;
    sodium_memzero(&c, sizeof c);
    return BC_OK;
}

void
bc_cert_wipe(bc_cert_t *cert)
{
    sodium_memzero(cert->curve_secret, sizeof cert->curve_secret);
    sodium_memzero(cert->sign_secret, sizeof cert->sign_secret);
    cert->has_secret = 0;
}
