//  bc_json - any protobuf-c message to and from JSON, driven by descriptors
#include "bc_json.h"

#include <assert.h>
#include <float.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "baocao/types.pb-c.h"
#include "bc_alloc.h"
#include "bc_clock.h"

//  Message types with their own JSON form (types.proto), matched by full name.
#define BC_JSON_DATE_TYPE       "baocao.Date"
#define BC_JSON_TIMESTAMP_TYPE  "baocao.Timestamp"

//  Longest piece of input (a key, an enum name) quoted back in an error line.
#define BC_JSON_QUOTE_MAX       48

//  ---------------------------------------------------------------------------
//  Helpers shared by both directions

//  Field name to protobuf's json_name: drop each '_' and upper-case the letter
//  after it. protoc-c 1.4.1 does not put json_name in its descriptors, so this
//  is computed, exactly as protoc's ToJsonName() does it.
static bool
s_json_name_equals(const char *name, const char *key)
{
    bool upper_next = false;
    for (; *name; name++) {
        if (*name == '_') {
            upper_next = true;
            continue;
        }
        char c = *name;
        if (upper_next && c >= 'a' && c <= 'z') {
            c = (char) (c - 'a' + 'A');
        }
        upper_next = false;
        if (*key++ != c) {
            return false;
        }
    }
    return *key == '\0';
}

static bool
s_is_type(const ProtobufCFieldDescriptor *field, const char *full_name)
{
    if (field->type != PROTOBUF_C_TYPE_MESSAGE) {
        return false;
    }
    const ProtobufCMessageDescriptor *desc = field->descriptor;
    return strcmp(desc->name, full_name) == 0;
}

//  Timestamps we write as RFC 3339: local (+07:00) years 1900..9999, the range
//  bc_clock_parse_rfc3339 reads back. Outside it bc_clock would overflow.
static int64_t
s_timestamp_min(void)
{
    return bc_clock_days_from_civil(1900, 1, 1) * 86400000LL - BC_CLOCK_TZ_OFFSET_MS;
}

static int64_t
s_timestamp_max(void)
{
    return bc_clock_days_from_civil(10000, 1, 1) * 86400000LL - BC_CLOCK_TZ_OFFSET_MS - 1;
}

//  Length of the valid UTF-8 sequence at s (n bytes available), 0 if invalid
//  (overlong forms, surrogates and code points past U+10FFFF included).
static size_t
s_utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80) {
        return 1;
    }
    size_t len;
    uint32_t cp;
    uint32_t min;                               //  smallest code point of that length
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
        min = 0x80;
    }
    else if ((c & 0xF0) == 0xE0) {
        len = 3;
        cp = c & 0x0F;
        min = 0x800;
    }
    else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
        min = 0x10000;
    }
    else {
        return 0;
    }
    if (n < len) {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    return len;
}

//  The two libm calls we need, done here: bc_proto does not link libm.
static double
s_fabs(double d)
{
    return d < 0 ? -d : d;
}

//  True when d is a whole number. Every double of 2^52 or more is one.
static bool
s_is_integral(double d)
{
    if (!isfinite(d)) {
        return false;
    }
    if (s_fabs(d) >= 0x1p52) {
        return true;
    }
    return (double) (int64_t) d == d;
}

//  Converts d to float. Values just past FLT_MAX that IEEE rounding brings
//  back to FLT_MAX are accepted (the shortest text of FLT_MAX, 3.4028235e38,
//  is one of them); anything further is out of range, and never cast, since
//  that cast is undefined behaviour.
static bool
s_double_to_float(double d, float *f_p)
{
    if (isfinite(d) && s_fabs(d) > FLT_MAX) {
        if (s_fabs(d) >= (double) FLT_MAX + 0x1p103) {
            return false;
        }
        d = d > 0 ? FLT_MAX : -FLT_MAX;
    }
    *f_p = (float) d;
    return true;
}

//  ---------------------------------------------------------------------------
//  Encoding: a small writer of our own rather than a jansson tree, because
//  jansson prints every real with "%.17g" (12.3 comes out 12.300000000000001)
//  and cannot hold NaN or Infinity at all.

typedef struct {
    bc_buf_t out;                               //  the JSON text so far
    bool pretty;                                //  BC_JSON_PRETTY was given
} bc_json_writer_t;

static void s_put_message(bc_json_writer_t *w, const ProtobufCMessage *msg,
                          int level, int depth);

static void
s_put(bc_json_writer_t *w, const char *str)
{
    bc_buf_puts(&w->out, str);
}

static void
s_put_newline(bc_json_writer_t *w, int level)
{
    if (w->pretty) {
        bc_buf_append(&w->out, "\n", 1);
        for (int i = 0; i < level; i++) {
            bc_buf_append(&w->out, "  ", 2);
        }
    }
}

//  Writes str as a JSON string. Text stays UTF-8 (Vietnamese stays readable);
//  an invalid byte, which only a message built in memory can hold, becomes
//  U+FFFD so the output is always valid JSON.
static void
s_put_string(bc_json_writer_t *w, const char *str)
{
    const unsigned char *s = (const unsigned char *) (str ? str : "");
    size_t n = strlen((const char *) s);
    size_t run = 0;                             //  start of bytes copied as is
    size_t i = 0;
    bc_buf_append(&w->out, "\"", 1);
    while (i < n) {
        unsigned char c = s[i];
        size_t len = c >= 0x20 && c != '"' && c != '\\' ? s_utf8_seq(s + i, n - i) : 0;
        if (len > 0) {
            i += len;
            continue;
        }
        bc_buf_append(&w->out, s + run, i - run);
        switch (c) {
        case '"':  s_put(w, "\\\""); break;
        case '\\': s_put(w, "\\\\"); break;
        case '\b': s_put(w, "\\b"); break;
        case '\f': s_put(w, "\\f"); break;
        case '\n': s_put(w, "\\n"); break;
        case '\r': s_put(w, "\\r"); break;
        case '\t': s_put(w, "\\t"); break;
        default:
            if (c < 0x20) {
                bc_buf_printf(&w->out, "\\u%04x", c);
            }
            else {
                s_put(w, "\xEF\xBF\xBD");
            }
            break;
        }
        i++;
        run = i;
    }
    bc_buf_append(&w->out, s + run, n - run);
    bc_buf_append(&w->out, "\"", 1);
}

static void
s_put_json_name(bc_json_writer_t *w, const char *name)
{
    bool upper_next = false;
    bc_buf_append(&w->out, "\"", 1);
    for (; *name; name++) {
        if (*name == '_') {
            upper_next = true;
            continue;
        }
        char c = *name;
        if (upper_next && c >= 'a' && c <= 'z') {
            c = (char) (c - 'a' + 'A');
        }
        upper_next = false;
        bc_buf_append(&w->out, &c, 1);
    }
    bc_buf_append(&w->out, "\"", 1);
}

//  snprintf writes the locale's decimal point; JSON wants '.', whatever
//  setlocale() the program called (vi_VN uses ',').
static void
s_fix_decimal_point(char *text)
{
    const char *dp = localeconv()->decimal_point;
    size_t dp_len = dp ? strlen(dp) : 0;
    if (dp_len == 0 || strcmp(dp, ".") == 0) {
        return;
    }
    char *at = strstr(text, dp);
    if (at) {
        *at = '.';
        memmove(at + 1, at + dp_len, strlen(at + dp_len) + 1);
    }
}

//  Shortest text that reads back to the same value. Integral values print
//  as digits plus ".0" with no exponent (3 -> "3.0", 1e15 -> "1000000000000000.0"),
//  so they stay JSON reals and print the same way every time.
static void
s_put_double(bc_json_writer_t *w, double v, bool is_float)
{
    if (isnan(v)) {
        s_put(w, "\"NaN\"");
        return;
    }
    if (isinf(v)) {
        s_put(w, v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        return;
    }
    char text[64];
    if (s_is_integral(v) && s_fabs(v) < 1e17) {
        snprintf(text, sizeof text, "%.0f.0", v);
        s_put(w, text);
        return;
    }
    int max_prec = is_float ? 9 : 17;
    for (int prec = 1; prec <= max_prec; prec++) {
        snprintf(text, sizeof text, "%.*g", prec, v);
        double back = strtod(text, NULL);
        if (!is_float && back == v) {
            break;
        }
        float fback = 0;
        if (is_float && s_double_to_float(back, &fback) && fback == (float) v) {
            break;
        }
    }
    s_fix_decimal_point(text);
    s_put(w, text);
    if (!strpbrk(text, ".e")) {
        s_put(w, ".0");
    }
}

static void
s_put_base64(bc_json_writer_t *w, const uint8_t *data, size_t len)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char chunk[256];
    size_t used = 0;
    bc_buf_append(&w->out, "\"", 1);
    for (size_t i = 0; i < len; i += 3) {
        uint32_t group = (uint32_t) data[i] << 16;
        if (i + 1 < len) {
            group |= (uint32_t) data[i + 1] << 8;
        }
        if (i + 2 < len) {
            group |= data[i + 2];
        }
        chunk[used++] = alphabet[(group >> 18) & 63];
        chunk[used++] = alphabet[(group >> 12) & 63];
        chunk[used++] = i + 1 < len ? alphabet[(group >> 6) & 63] : '=';
        chunk[used++] = i + 2 < len ? alphabet[group & 63] : '=';
        if (used == sizeof chunk) {
            bc_buf_append(&w->out, chunk, used);
            used = 0;
        }
    }
    bc_buf_append(&w->out, chunk, used);
    bc_buf_append(&w->out, "\"", 1);
}

static void
s_put_sub_message(bc_json_writer_t *w, const ProtobufCFieldDescriptor *field,
                  const ProtobufCMessage *sub, int level, int depth)
{
    if (!sub) {
        //  Only a NULL element inside a list gets here (protobuf-c would not
        //  even pack that); write an empty message rather than crash.
        s_put(w, "{}");
        return;
    }
    if (s_is_type(field, BC_JSON_DATE_TYPE)) {
        const Baocao__Date *date = (const Baocao__Date *) sub;
        if (bc_clock_date_valid(date->year, date->month, date->day)) {
            char text[16];
            snprintf(text, sizeof text, "\"%04u-%02u-%02u\"",
                     (unsigned) date->year, (unsigned) date->month, (unsigned) date->day);
            s_put(w, text);
            return;
        }
        //  Not a calendar date: fall through to the plain object form, which
        //  loses nothing (and which bc_json_decode will refuse, as it should).
    }
    if (s_is_type(field, BC_JSON_TIMESTAMP_TYPE)) {
        const Baocao__Timestamp *ts = (const Baocao__Timestamp *) sub;
        if (ts->unix_ms >= s_timestamp_min() && ts->unix_ms <= s_timestamp_max()) {
            char text[48];
            bc_clock_format_rfc3339(ts->unix_ms, text, sizeof text);
            s_put_string(w, text);
            return;
        }
    }
    if (depth + 1 > BC_JSON_MAX_DEPTH) {
        //  Only an odd Date or Timestamp at the very limit gets here (other
        //  messages were left out by s_put_message).
        s_put(w, "null");
        return;
    }
    s_put_message(w, sub, level, depth + 1);
}

//  Writes one value of field from slot: the member itself, or one element
//  of a repeated field's array.
static void
s_put_value(bc_json_writer_t *w, const ProtobufCFieldDescriptor *field,
            const void *slot, int level, int depth)
{
    char text[32];
    switch (field->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
        snprintf(text, sizeof text, "%" PRId32, *(const int32_t *) slot);
        s_put(w, text);
        break;
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        snprintf(text, sizeof text, "%" PRIu32, *(const uint32_t *) slot);
        s_put(w, text);
        break;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
        //  64-bit integers are strings (protobuf's rule): JavaScript and
        //  jq keep only 53 bits of a JSON number.
        snprintf(text, sizeof text, "\"%" PRId64 "\"", *(const int64_t *) slot);
        s_put(w, text);
        break;
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        snprintf(text, sizeof text, "\"%" PRIu64 "\"", *(const uint64_t *) slot);
        s_put(w, text);
        break;
    case PROTOBUF_C_TYPE_FLOAT:
        s_put_double(w, *(const float *) slot, true);
        break;
    case PROTOBUF_C_TYPE_DOUBLE:
        s_put_double(w, *(const double *) slot, false);
        break;
    case PROTOBUF_C_TYPE_BOOL:
        s_put(w, *(const protobuf_c_boolean *) slot ? "true" : "false");
        break;
    case PROTOBUF_C_TYPE_ENUM: {
        int value = *(const int *) slot;
        const ProtobufCEnumValue *ev =
            protobuf_c_enum_descriptor_get_value(field->descriptor, value);
        if (ev) {
            s_put_string(w, ev->name);
        }
        else {
            //  A number from a newer schema: keep it, as protobuf does.
            snprintf(text, sizeof text, "%d", value);
            s_put(w, text);
        }
        break;
    }
    case PROTOBUF_C_TYPE_STRING:
        s_put_string(w, *(char *const *) slot);
        break;
    case PROTOBUF_C_TYPE_BYTES: {
        const ProtobufCBinaryData *bd = slot;
        s_put_base64(w, bd->data, bd->data ? bd->len : 0);
        break;
    }
    case PROTOBUF_C_TYPE_MESSAGE:
        s_put_sub_message(w, field, *(ProtobufCMessage *const *) slot, level, depth);
        break;
    }
}

//  True when field must appear in the output: proto3 leaves out defaults,
//  a oneof member appears when selected, proto2 labels follow their has_.
static bool
s_field_present(const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *field)
{
    const char *base = (const char *) msg;
    const void *member = base + field->offset;
    bool pointer_type = field->type == PROTOBUF_C_TYPE_STRING
                     || field->type == PROTOBUF_C_TYPE_MESSAGE;
    const void *ptr = pointer_type ? *(const void *const *) member : NULL;

    if (field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
        if (*(const uint32_t *) (base + field->quantifier_offset) != field->id) {
            return false;
        }
        //  Same test as protobuf-c's packer, so JSON and wire agree.
        return !pointer_type || (ptr != NULL && ptr != field->default_value);
    }
    switch (field->label) {
    case PROTOBUF_C_LABEL_REPEATED:
        return *(const size_t *) (base + field->quantifier_offset) > 0
            && *(const void *const *) member != NULL;
    case PROTOBUF_C_LABEL_REQUIRED:
        return !pointer_type || ptr != NULL;
    case PROTOBUF_C_LABEL_OPTIONAL:
        if (pointer_type) {
            return ptr != NULL && ptr != field->default_value;
        }
        return *(const protobuf_c_boolean *) (base + field->quantifier_offset);
    case PROTOBUF_C_LABEL_NONE:
        break;
    }
    switch (field->type) {
    case PROTOBUF_C_TYPE_STRING:
        return ptr != NULL && *(const char *) ptr != '\0';
    case PROTOBUF_C_TYPE_MESSAGE:
        return ptr != NULL;
    case PROTOBUF_C_TYPE_BYTES:
        return ((const ProtobufCBinaryData *) member)->len > 0;
    case PROTOBUF_C_TYPE_FLOAT: {
        float f = *(const float *) member;
        return f != 0 || signbit(f);            //  keep -0.0: its bits are not 0
    }
    case PROTOBUF_C_TYPE_DOUBLE: {
        double d = *(const double *) member;
        return d != 0 || signbit(d);
    }
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        return *(const uint64_t *) member != 0;
    case PROTOBUF_C_TYPE_BOOL:
        return *(const protobuf_c_boolean *) member != 0;
    default:
        return *(const uint32_t *) member != 0;
    }
}

static size_t
s_element_size(ProtobufCType type)
{
    switch (type) {
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        return sizeof(uint64_t);
    case PROTOBUF_C_TYPE_DOUBLE:
        return sizeof(double);
    case PROTOBUF_C_TYPE_FLOAT:
        return sizeof(float);
    case PROTOBUF_C_TYPE_BOOL:
        return sizeof(protobuf_c_boolean);
    case PROTOBUF_C_TYPE_STRING:
        return sizeof(char *);
    case PROTOBUF_C_TYPE_BYTES:
        return sizeof(ProtobufCBinaryData);
    case PROTOBUF_C_TYPE_MESSAGE:
        return sizeof(ProtobufCMessage *);
    default:
        return sizeof(uint32_t);                //  32-bit ints and enums
    }
}

static void
s_put_message(bc_json_writer_t *w, const ProtobufCMessage *msg, int level, int depth)
{
    const ProtobufCMessageDescriptor *desc = msg->descriptor;
    bool any = false;
    s_put(w, "{");
    for (unsigned i = 0; i < desc->n_fields; i++) {
        const ProtobufCFieldDescriptor *field = &desc->fields[i];
        if (!s_field_present(msg, field)) {
            continue;
        }
        if (field->type == PROTOBUF_C_TYPE_MESSAGE && depth + 1 > BC_JSON_MAX_DEPTH
            && !s_is_type(field, BC_JSON_DATE_TYPE)
            && !s_is_type(field, BC_JSON_TIMESTAMP_TYPE)) {
            //  Decode refuses anything deeper, so stop here and leave the
            //  field out: the output stays valid and readable back.
            continue;
        }
        if (any) {
            s_put(w, ",");
        }
        any = true;
        s_put_newline(w, level + 1);
        s_put_json_name(w, field->name);
        s_put(w, w->pretty ? ": " : ":");

        const void *member = (const char *) msg + field->offset;
        if (field->label != PROTOBUF_C_LABEL_REPEATED) {
            s_put_value(w, field, member, level + 1, depth);
            continue;
        }
        size_t count = *(const size_t *) ((const char *) msg + field->quantifier_offset);
        const char *array = *(const char *const *) member;
        size_t size = s_element_size(field->type);
        s_put(w, "[");
        for (size_t j = 0; j < count; j++) {
            if (j > 0) {
                s_put(w, ",");
            }
            s_put_newline(w, level + 2);
            s_put_value(w, field, array + j * size, level + 2, depth);
        }
        s_put_newline(w, level + 1);
        s_put(w, "]");
    }
    if (any) {
        s_put_newline(w, level);
    }
    s_put(w, "}");
}

char *
bc_json_encode(const ProtobufCMessage *msg, int flags)
{
    assert(msg);
    assert(msg->descriptor);
    assert(msg->descriptor->magic == PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC);

    bc_json_writer_t w;
    bc_buf_init(&w.out);
    w.pretty = (flags & BC_JSON_PRETTY) != 0;
    s_put_message(&w, msg, 0, 1);
    return bc_buf_take(&w.out);
}

//  ---------------------------------------------------------------------------
//  Decoding: jansson parses, then one walk fills the message. Each string,
//  array and sub-message is hung in its parent the moment it is allocated,
//  and a oneof case is set before its member, so that whatever fails,
//  protobuf_c_message_free_unpacked() on the top message frees exactly what
//  was built.

typedef struct {
    const char *key;                            //  as written; borrowed from the tree
    size_t index;                               //  element, when in_list
    bool in_list;                               //  key names a list
} bc_json_frame_t;

typedef struct {
    bc_json_frame_t frames[BC_JSON_MAX_DEPTH + 1];  //  path to the current value
    int n_frames;                               //  frames in use
    char *err;                                  //  caller's error line, or NULL
    size_t err_size;                            //  bytes at err
} bc_json_decoder_t;

static bc_err s_decode_message(bc_json_decoder_t *dec, const ProtobufCMessageDescriptor *desc,
                               json_t *obj, ProtobufCMessage *msg, int depth);

//  Appends text from the input for an error line: control characters and
//  quotes become '?', and a long text is cut at a character boundary.
static void
s_quote(bc_buf_t *buf, const char *text)
{
    size_t n = strlen(text);
    size_t keep = n;
    if (keep > BC_JSON_QUOTE_MAX) {
        keep = BC_JSON_QUOTE_MAX;
        while (keep > 0 && ((unsigned char) text[keep] & 0xC0) == 0x80) {
            keep--;
        }
    }
    for (size_t i = 0; i < keep; i++) {
        unsigned char c = (unsigned char) text[i];
        char out = c < 0x20 || c == 0x7F || c == '"' || c == '\\' ? '?' : (char) c;
        bc_buf_append(buf, &out, 1);
    }
    if (keep < n) {
        bc_buf_puts(buf, "...");
    }
}

//  Copies src into the caller's err, cutting at a character boundary.
static void
s_set_err(char *err, size_t err_size, const char *src)
{
    if (!err || err_size == 0) {
        return;
    }
    size_t n = strlen(src);
    if (n >= err_size) {
        n = err_size - 1;
        while (n > 0 && ((unsigned char) src[n] & 0xC0) == 0x80) {
            n--;
        }
    }
    memcpy(err, src, n);
    err[n] = '\0';
}

//  Records `field "a.b[3].c": <why>` and returns BC_EINVAL. A path too long
//  for err loses its middle, not the why.
static bc_err s_fail(bc_json_decoder_t *dec, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static bc_err
s_fail(bc_json_decoder_t *dec, const char *fmt, ...)
{
    if (!dec->err || dec->err_size == 0) {
        return BC_EINVAL;
    }
    char why[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (dec->n_frames == 0) {
        s_set_err(dec->err, dec->err_size, why);
        return BC_EINVAL;
    }
    bc_buf_t path;
    bc_buf_init(&path);
    for (int i = 0; i < dec->n_frames; i++) {
        if (i > 0) {
            bc_buf_puts(&path, ".");
        }
        s_quote(&path, dec->frames[i].key);
        if (dec->frames[i].in_list) {
            bc_buf_printf(&path, "[%zu]", dec->frames[i].index);
        }
    }
    const char *head = path.data;
    size_t head_len = path.len;
    const char *tail = "";
    size_t fixed = strlen("field \"\": ") + strlen(why) + 1;
    if (dec->err_size > fixed + 3 + 8 && path.len > dec->err_size - fixed) {
        size_t room = dec->err_size - fixed - 3;    //  3 for "..."
        head_len = room / 3;
        while (head_len > 0 && ((unsigned char) head[head_len] & 0xC0) == 0x80) {
            head_len--;
        }
        size_t tail_at = path.len - (room - room / 3);
        while (tail_at < path.len && ((unsigned char) path.data[tail_at] & 0xC0) == 0x80) {
            tail_at++;
        }
        tail = path.data + tail_at;
    }
    bc_buf_t line;
    bc_buf_init(&line);
    bc_buf_printf(&line, "field \"%.*s%s%s\": %s", (int) head_len, head,
                  *tail ? "..." : "", tail, why);
    s_set_err(dec->err, dec->err_size, line.data);
    bc_buf_release(&line);
    bc_buf_release(&path);
    return BC_EINVAL;
}

static ProtobufCMessage *
s_new_message(const ProtobufCMessageDescriptor *desc)
{
    ProtobufCMessage *msg = bc_malloc(desc->sizeof_message);
    desc->message_init(msg);
    return msg;
}

static const char *
s_type_name(ProtobufCType type)
{
    switch (type) {
    case PROTOBUF_C_TYPE_INT32:    return "int32";
    case PROTOBUF_C_TYPE_SINT32:   return "sint32";
    case PROTOBUF_C_TYPE_SFIXED32: return "sfixed32";
    case PROTOBUF_C_TYPE_UINT32:   return "uint32";
    case PROTOBUF_C_TYPE_FIXED32:  return "fixed32";
    case PROTOBUF_C_TYPE_INT64:    return "int64";
    case PROTOBUF_C_TYPE_SINT64:   return "sint64";
    case PROTOBUF_C_TYPE_SFIXED64: return "sfixed64";
    case PROTOBUF_C_TYPE_UINT64:   return "uint64";
    case PROTOBUF_C_TYPE_FIXED64:  return "fixed64";
    default:                       return "an integer";
    }
}

//  Reads an integer field's value: a JSON integer, an integral real (1e3) or a
//  decimal string ("1005"; the only form that holds a uint64 past 2^63, which
//  jansson refuses as a number). The result is a sign and a magnitude, checked
//  against max_neg (magnitude allowed below 0) and max_pos.
static bc_err
s_get_integer(bc_json_decoder_t *dec, const ProtobufCFieldDescriptor *field, json_t *value,
              uint64_t max_neg, uint64_t max_pos, bool *neg_p, uint64_t *mag_p)
{
    const char *type_name = s_type_name(field->type);
    bool neg = false;
    uint64_t mag = 0;
    bool overflow = false;

    if (json_is_integer(value)) {
        json_int_t v = json_integer_value(value);
        neg = v < 0;
        mag = neg ? (uint64_t) (-(v + 1)) + 1 : (uint64_t) v;
    }
    else if (json_is_real(value)) {
        double d = json_real_value(value);
        if (!s_is_integral(d)) {
            return s_fail(dec, "not an integer");
        }
        neg = d < 0;
        if (s_fabs(d) >= 0x1p64) {
            overflow = true;
        }
        else {
            mag = (uint64_t) s_fabs(d);
        }
    }
    else if (json_is_string(value)) {
        const char *p = json_string_value(value);
        if (*p == '-') {
            neg = true;
            p++;
        }
        if (*p == '\0') {
            return s_fail(dec, "not an integer");
        }
        for (; *p; p++) {
            if (*p < '0' || *p > '9') {
                return s_fail(dec, "not an integer");
            }
            unsigned digit = (unsigned) (*p - '0');
            if (mag > (UINT64_MAX - digit) / 10) {
                overflow = true;                //  keep scanning for a non-digit
            }
            else {
                mag = mag * 10 + digit;
            }
        }
    }
    else {
        return s_fail(dec, "expected an integer");
    }
    if (mag == 0 && !overflow) {
        neg = false;                            //  "-0" is 0
    }
    if (overflow) {
        return s_fail(dec, "out of range for %s", type_name);
    }
    if ((neg && mag > max_neg) || (!neg && mag > max_pos)) {
        return s_fail(dec, "%s%" PRIu64 " is out of range for %s",
                      neg ? "-" : "", mag, type_name);
    }
    *neg_p = neg;
    *mag_p = mag;
    return BC_OK;
}

static int64_t
s_to_signed(bool neg, uint64_t mag)
{
    //  mag may be 2^63 for INT64_MIN, so negate mag - 1, not mag.
    return neg ? -(int64_t) (mag - 1) - 1 : (int64_t) mag;
}

static bc_err
s_get_double(bc_json_decoder_t *dec, json_t *value, double *d_p)
{
    if (json_is_integer(value)) {
        *d_p = (double) json_integer_value(value);
        return BC_OK;
    }
    if (json_is_real(value)) {
        *d_p = json_real_value(value);
        return BC_OK;
    }
    if (json_is_string(value)) {
        const char *s = json_string_value(value);
        if (strcmp(s, "NaN") == 0) {
            *d_p = NAN;
            return BC_OK;
        }
        if (strcmp(s, "Infinity") == 0) {
            *d_p = INFINITY;
            return BC_OK;
        }
        if (strcmp(s, "-Infinity") == 0) {
            *d_p = -INFINITY;
            return BC_OK;
        }
        return s_fail(dec, "expected a number, \"NaN\", \"Infinity\" or \"-Infinity\"");
    }
    return s_fail(dec, "expected a number");
}

static int
s_base64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+' || c == '-') {                 //  standard or URL-safe alphabet
        return 62;
    }
    if (c == '/' || c == '_') {
        return 63;
    }
    return -1;
}

//  Decodes base64 with or without padding into a new malloc'd buffer
//  (NULL for ""). False on any character outside the alphabet, '=' anywhere
//  but at the end, or a length no encoder produces.
static bool
s_base64_decode(const char *text, size_t len, ProtobufCBinaryData *bd)
{
    size_t pad = 0;
    while (pad < 2 && len > pad && text[len - 1 - pad] == '=') {
        pad++;
    }
    if (pad > 0 && len % 4 != 0) {
        return false;
    }
    size_t body = len - pad;
    if (body % 4 == 1) {
        return false;
    }
    size_t size = body / 4 * 3 + (body % 4 == 0 ? 0 : body % 4 - 1);
    if (size == 0) {
        bd->data = NULL;
        bd->len = 0;
        return body == 0;
    }
    uint8_t *out = bc_malloc(size);
    size_t o = 0;
    uint32_t group = 0;
    int bits = 0;
    for (size_t i = 0; i < body; i++) {
        int v = s_base64_value((unsigned char) text[i]);
        if (v < 0) {
            free(out);
            return false;
        }
        group = (group << 6) | (uint32_t) v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (uint8_t) (group >> bits);
            group &= (1u << bits) - 1;
        }
    }
    assert(o == size);
    bd->data = out;
    bd->len = size;
    return true;
}

static bc_err
s_decode_date(bc_json_decoder_t *dec, const ProtobufCFieldDescriptor *field,
              json_t *value, void *slot)
{
    if (!json_is_string(value)) {
        return s_fail(dec, "expected a date string \"YYYY-MM-DD\"");
    }
    const char *s = json_string_value(value);
    unsigned y = 0, m = 0, d = 0;
    bool shape = strlen(s) == 10 && s[4] == '-' && s[7] == '-';
    for (int i = 0; shape && i < 10; i++) {
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) {
            shape = false;
        }
    }
    if (shape) {
        y = (unsigned) ((s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0'));
        m = (unsigned) ((s[5] - '0') * 10 + (s[6] - '0'));
        d = (unsigned) ((s[8] - '0') * 10 + (s[9] - '0'));
    }
    if (!shape) {
        return s_fail(dec, "not a date \"YYYY-MM-DD\"");
    }
    if (!bc_clock_date_valid(y, m, d)) {
        return s_fail(dec, "%s is not a calendar date in 1900..9999", s);
    }
    Baocao__Date *date = (Baocao__Date *) s_new_message(field->descriptor);
    date->year = y;
    date->month = m;
    date->day = d;
    *(ProtobufCMessage **) slot = &date->base;
    return BC_OK;
}

static bc_err
s_decode_timestamp(bc_json_decoder_t *dec, const ProtobufCFieldDescriptor *field,
                   json_t *value, void *slot)
{
    if (!json_is_string(value)) {
        return s_fail(dec, "expected an RFC 3339 time string");
    }
    int64_t ms;
    if (bc_clock_parse_rfc3339(json_string_value(value), &ms) != 0) {
        return s_fail(dec, "not an RFC 3339 time");
    }
    //  A far offset can push a year-1900 or year-9999 time out of the range
    //  we write back (local +07:00); refuse it here so every decoded message
    //  encodes and decodes again unchanged.
    if (ms < s_timestamp_min() || ms > s_timestamp_max()) {
        return s_fail(dec, "time out of range (1900..9999 in +07:00)");
    }
    Baocao__Timestamp *ts = (Baocao__Timestamp *) s_new_message(field->descriptor);
    ts->unix_ms = ms;
    *(ProtobufCMessage **) slot = &ts->base;
    return BC_OK;
}

//  Decodes one value of field into slot: the member itself, or one element
//  of a freshly zeroed array (in_list).
static bc_err
s_decode_value(bc_json_decoder_t *dec, const ProtobufCFieldDescriptor *field,
               json_t *value, void *slot, bool in_list, int depth)
{
    bool neg = false;
    uint64_t mag = 0;
    double d = 0;
    bc_err rc;

    if (json_is_null(value)) {
        //  Null as a whole field means unset and never gets here.
        return s_fail(dec, "null is not allowed in a list");
    }
    switch (field->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
        rc = s_get_integer(dec, field, value, (uint64_t) INT32_MAX + 1, INT32_MAX, &neg, &mag);
        if (rc == BC_OK) {
            *(int32_t *) slot = (int32_t) s_to_signed(neg, mag);
        }
        return rc;
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        rc = s_get_integer(dec, field, value, 0, UINT32_MAX, &neg, &mag);
        if (rc == BC_OK) {
            *(uint32_t *) slot = (uint32_t) mag;
        }
        return rc;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
        rc = s_get_integer(dec, field, value, (uint64_t) INT64_MAX + 1, INT64_MAX, &neg, &mag);
        if (rc == BC_OK) {
            *(int64_t *) slot = s_to_signed(neg, mag);
        }
        return rc;
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        rc = s_get_integer(dec, field, value, 0, UINT64_MAX, &neg, &mag);
        if (rc == BC_OK) {
            *(uint64_t *) slot = mag;
        }
        return rc;
    case PROTOBUF_C_TYPE_FLOAT: {
        rc = s_get_double(dec, value, &d);
        if (rc != BC_OK) {
            return rc;
        }
        float f = 0;
        if (!s_double_to_float(d, &f)) {
            return s_fail(dec, "out of range for float");
        }
        *(float *) slot = f;
        return BC_OK;
    }
    case PROTOBUF_C_TYPE_DOUBLE:
        rc = s_get_double(dec, value, &d);
        if (rc == BC_OK) {
            *(double *) slot = d;
        }
        return rc;
    case PROTOBUF_C_TYPE_BOOL:
        if (!json_is_boolean(value)) {
            return s_fail(dec, "expected true or false");
        }
        *(protobuf_c_boolean *) slot = json_is_true(value);
        return BC_OK;
    case PROTOBUF_C_TYPE_ENUM: {
        const ProtobufCEnumDescriptor *ed = field->descriptor;
        const ProtobufCEnumValue *ev = NULL;
        if (json_is_string(value)) {
            ev = protobuf_c_enum_descriptor_get_value_by_name(ed, json_string_value(value));
            if (!ev) {
                bc_buf_t quoted;
                bc_buf_init(&quoted);
                s_quote(&quoted, json_string_value(value));
                rc = s_fail(dec, "\"%s\" is not a name in %s", quoted.data ? quoted.data : "",
                            ed->name);
                bc_buf_release(&quoted);
                return rc;
            }
        }
        else if (json_is_integer(value)) {
            json_int_t number = json_integer_value(value);
            if (number >= INT32_MIN && number <= INT32_MAX) {
                ev = protobuf_c_enum_descriptor_get_value(ed, (int) number);
            }
            if (!ev) {
                //  Strict on purpose: a request file with an unknown number
                //  is a typo, not a newer schema.
                return s_fail(dec, "%lld is not a value of %s", (long long) number, ed->name);
            }
        }
        else {
            return s_fail(dec, "expected a %s name or number", ed->name);
        }
        *(int *) slot = ev->value;
        return BC_OK;
    }
    case PROTOBUF_C_TYPE_STRING: {
        if (!json_is_string(value)) {
            return s_fail(dec, "expected a string");
        }
        size_t len = json_string_length(value);
        //  A plain proto3 "" stays the shared empty default (free_unpacked
        //  skips it); list elements and oneof members need their own copy.
        if (len == 0 && !in_list && field->label == PROTOBUF_C_LABEL_NONE
            && !(field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)) {
            return BC_OK;
        }
        char *copy = bc_malloc(len + 1);
        memcpy(copy, json_string_value(value), len + 1);
        *(char **) slot = copy;
        return BC_OK;
    }
    case PROTOBUF_C_TYPE_BYTES:
        if (!json_is_string(value)) {
            return s_fail(dec, "expected a base64 string");
        }
        if (!s_base64_decode(json_string_value(value), json_string_length(value), slot)) {
            return s_fail(dec, "invalid base64");
        }
        return BC_OK;
    case PROTOBUF_C_TYPE_MESSAGE: {
        if (s_is_type(field, BC_JSON_DATE_TYPE)) {
            return s_decode_date(dec, field, value, slot);
        }
        if (s_is_type(field, BC_JSON_TIMESTAMP_TYPE)) {
            return s_decode_timestamp(dec, field, value, slot);
        }
        if (!json_is_object(value)) {
            return s_fail(dec, "expected an object");
        }
        if (depth + 1 > BC_JSON_MAX_DEPTH) {
            return s_fail(dec, "nesting deeper than %d levels", BC_JSON_MAX_DEPTH);
        }
        const ProtobufCMessageDescriptor *sub_desc = field->descriptor;
        ProtobufCMessage *sub = s_new_message(sub_desc);
        *(ProtobufCMessage **) slot = sub;
        return s_decode_message(dec, sub_desc, value, sub, depth + 1);
    }
    }
    return s_fail(dec, "field type %d not supported", (int) field->type);
}

static bc_err
s_decode_field(bc_json_decoder_t *dec, const ProtobufCFieldDescriptor *field,
               json_t *value, ProtobufCMessage *msg, int depth)
{
    if (json_is_null(value)) {
        return BC_OK;                           //  null means unset
    }
    char *base = (char *) msg;
    void *member = base + field->offset;
    bc_json_frame_t *frame = &dec->frames[dec->n_frames - 1];

    if (field->label == PROTOBUF_C_LABEL_REPEATED) {
        if (!json_is_array(value)) {
            return s_fail(dec, "expected a list");
        }
        size_t count = json_array_size(value);
        if (count == 0) {
            return BC_OK;
        }
        //  Zeroed and hung in msg at once: NULL strings and messages are
        //  what free_unpacked expects in slots not filled yet.
        size_t size = s_element_size(field->type);
        char *array = bc_calloc(count, size);
        *(void **) member = array;
        *(size_t *) (base + field->quantifier_offset) = count;
        frame->in_list = true;
        for (size_t i = 0; i < count; i++) {
            frame->index = i;
            bc_err rc = s_decode_value(dec, field, json_array_get(value, i),
                                       array + i * size, true, depth);
            if (rc != BC_OK) {
                return rc;
            }
        }
        frame->in_list = false;
        return BC_OK;
    }
    if (field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
        uint32_t *which = (uint32_t *) (base + field->quantifier_offset);
        if (*which != 0) {
            const ProtobufCFieldDescriptor *other =
                protobuf_c_message_descriptor_get_field(msg->descriptor, *which);
            return s_fail(dec, "only one of a oneof may be set, and \"%s\" already is",
                          other ? other->name : "another field");
        }
        *which = field->id;                     //  before the member: see above
    }
    else if (field->label == PROTOBUF_C_LABEL_OPTIONAL
             && field->type != PROTOBUF_C_TYPE_STRING
             && field->type != PROTOBUF_C_TYPE_MESSAGE) {
        *(protobuf_c_boolean *) (base + field->quantifier_offset) = 1;
    }
    return s_decode_value(dec, field, value, member, false, depth);
}

static const ProtobufCFieldDescriptor *
s_find_field(const ProtobufCMessageDescriptor *desc, const char *key)
{
    for (unsigned i = 0; i < desc->n_fields; i++) {
        if (s_json_name_equals(desc->fields[i].name, key)) {
            return &desc->fields[i];
        }
    }
    return protobuf_c_message_descriptor_get_field_by_name(desc, key);
}

static bc_err
s_decode_message(bc_json_decoder_t *dec, const ProtobufCMessageDescriptor *desc,
                 json_t *obj, ProtobufCMessage *msg, int depth)
{
    //  Depth bounds the frames too: one per message level.
    assert(depth <= BC_JSON_MAX_DEPTH && dec->n_frames < BC_JSON_MAX_DEPTH);

    //  Both spellings of one field ("legalBasis", "legal_basis") are
    //  different JSON keys; catch the pair here.
    unsigned char *seen = bc_calloc(desc->n_fields, 1);
    bc_err rc = BC_OK;
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value) {
        bc_json_frame_t *frame = &dec->frames[dec->n_frames++];
        frame->key = key;
        frame->index = 0;
        frame->in_list = false;
        const ProtobufCFieldDescriptor *field = s_find_field(desc, key);
        if (!field) {
            rc = s_fail(dec, "unknown field in %s", desc->name);
        }
        else if (seen[field - desc->fields]) {
            rc = s_fail(dec, "given twice (as \"%s\" and by its other name)", field->name);
        }
        else {
            seen[field - desc->fields] = 1;
            rc = s_decode_field(dec, field, value, msg, depth);
        }
        dec->n_frames--;
        if (rc != BC_OK) {
            break;
        }
    }
    free(seen);
    return rc;
}

bc_err
bc_json_decode(const ProtobufCMessageDescriptor *desc, const char *text,
               size_t size, ProtobufCMessage **msg_p,
               char *err, size_t err_size)
{
    assert(desc);
    assert(desc->magic == PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC);
    assert(text || size == 0);
    assert(msg_p);

    if (err && err_size > 0) {
        err[0] = '\0';
    }
    if (size > BC_JSON_MAX_INPUT) {
        char line[128];
        snprintf(line, sizeof line, "input of %zu bytes is over the %u byte limit",
                 size, (unsigned) BC_JSON_MAX_INPUT);
        s_set_err(err, err_size, line);
        return BC_ETOOBIG;
    }
    json_error_t jerr;
    //  Duplicate keys are refused like unknown ones: which one wins would
    //  be a guess.
    json_t *root = json_loadb(text ? text : "", size, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        char line[256];
        snprintf(line, sizeof line, "line %d: %s", jerr.line > 0 ? jerr.line : 1, jerr.text);
        s_set_err(err, err_size, line);
        return BC_EINVAL;
    }
    bc_json_decoder_t dec = { .n_frames = 0, .err = err, .err_size = err_size };
    ProtobufCMessage *msg = NULL;
    bc_err rc;
    if (!json_is_object(root)) {
        rc = s_fail(&dec, "expected a JSON object for %s", desc->name);
        goto leave;
    }
    msg = s_new_message(desc);
    rc = s_decode_message(&dec, desc, root, msg, 1);
    if (rc == BC_OK) {
        *msg_p = msg;
        msg = NULL;
    }
leave:
    protobuf_c_message_free_unpacked(msg, NULL);
    json_decref(root);
    return rc;
}
