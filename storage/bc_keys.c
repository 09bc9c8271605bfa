//  bc_keys - encoders for the store's key layouts (see bc_keys.h)
#include "bc_keys.h"

#include <string.h>

static void
s_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t) (v >> 24);
    p[1] = (uint8_t) (v >> 16);
    p[2] = (uint8_t) (v >> 8);
    p[3] = (uint8_t) v;
}

static uint32_t
s_get32(const uint8_t *p)
{
    return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

static void
s_padded(uint8_t *out, size_t size, const char *text)
{
    memset(out, 0, size);
    size_t n = strnlen(text, size);
    memcpy(out, text, n);
}

void
bc_key_code(const char *code, uint8_t out[BC_KEY_CODE_SIZE])
{
    s_padded(out, BC_KEY_CODE_SIZE, code);
}

void
bc_key_code_decode(const uint8_t in[BC_KEY_CODE_SIZE], char *code)
{
    size_t n = strnlen((const char *) in, BC_KEY_CODE_SIZE);
    if (n >= BC_AGENCY_CODE_MAX) {
        n = BC_AGENCY_CODE_MAX - 1;
    }
    memcpy(code, in, n);
    code[n] = '\0';
}

void
bc_key_request(const bc_reqkey_t *key, uint8_t out[BC_KEY_REQUEST_SIZE])
{
    s_padded(out, 32, key->issuer);
    s_put32(out + 32, (uint32_t) key->year * 10000 + key->month * 100u + key->day);
    s_put32(out + 36, key->number);
    out[40] = (uint8_t) (key->doc_year >> 8);
    out[41] = (uint8_t) key->doc_year;
    s_padded(out + 42, 64, key->notation);
}

int
bc_key_request_decode(const uint8_t *bytes, size_t size, bc_reqkey_t *key)
{
    if (size < BC_KEY_REQUEST_SIZE) {
        return -1;
    }
    bc_reqkey_t k;
    memset(&k, 0, sizeof k);
    bc_key_code_decode(bytes, k.issuer);
    uint32_t ymd = s_get32(bytes + 32);
    k.year = (uint16_t) (ymd / 10000);
    k.month = (uint8_t) (ymd / 100 % 100);
    k.day = (uint8_t) (ymd % 100);
    k.number = s_get32(bytes + 36);
    k.doc_year = (uint32_t) bytes[40] << 8 | bytes[41];
    size_t n = strnlen((const char *) bytes + 42, 64);
    if (n >= sizeof k.notation) {
        return -1;
    }
    memcpy(k.notation, bytes + 42, n);
    *key = k;
    return 0;
}

void
bc_key_delivery(const bc_reqkey_t *key, const char *code, uint8_t out[BC_KEY_DELIVERY_SIZE])
{
    bc_key_request(key, out);
    bc_key_code(code, out + BC_KEY_REQUEST_SIZE);
}

void
bc_key_pending(const char *code, const bc_reqkey_t *key, uint8_t out[BC_KEY_PENDING_SIZE])
{
    bc_key_code(code, out);
    bc_key_request(key, out + BC_KEY_CODE_SIZE);
}

void
bc_key_report(const bc_reqkey_t *key, const char *code, uint32_t revision,
              uint8_t out[BC_KEY_REPORT_SIZE])
{
    bc_key_request(key, out);
    bc_key_code(code, out + BC_KEY_REQUEST_SIZE);
    s_put32(out + BC_KEY_REQUEST_SIZE + BC_KEY_CODE_SIZE, revision);
}
