//  bc_id - random 128-bit identifiers as 32 lowercase hex digits
#ifndef BC_ID_H_INCLUDED
#define BC_ID_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#define BC_ID_HEX_LEN   32              //  hex digits, without the NUL

//  Fills buf (at least BC_ID_HEX_LEN + 1 bytes) with a fresh random id from
//  the kernel's CSPRNG. Aborts if the kernel cannot supply randomness.
void bc_id_new(char *buf);

//  Writes size bytes of data as lowercase hex into out (2 * size + 1 bytes).
void bc_hex_encode(const uint8_t *data, size_t size, char *out);

//  True when text is exactly BC_ID_HEX_LEN lowercase hex digits.
int bc_id_valid(const char *text);

#endif
