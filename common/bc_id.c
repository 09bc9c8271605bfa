//  bc_id - random identifiers from getrandom(2)
#include "bc_id.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

void
bc_hex_encode(const uint8_t *data, size_t size, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < size; i++) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 15];
    }
    out[2 * size] = '\0';
}

void
bc_id_new(char *buf)
{
    uint8_t raw[BC_ID_HEX_LEN / 2];
    size_t got = 0;
    while (got < sizeof raw) {
        ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            fprintf(stderr, "cannot read kernel randomness: %s\n", strerror(errno));
            abort();
        }
        got += (size_t) n;
    }
    bc_hex_encode(raw, sizeof raw, buf);
}

int
bc_id_valid(const char *text)
{
    if (!text || strlen(text) != BC_ID_HEX_LEN) {
        return 0;
    }
    for (const char *p = text; *p; p++) {
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) {
            return 0;
        }
    }
    return 1;
}
