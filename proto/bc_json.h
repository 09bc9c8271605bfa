//  bc_json - any protobuf-c message to and from JSON (protobuf's JSON mapping)
//
//  One descriptor-driven converter for every request file and every --json
//  output: no per-message JSON code anywhere else. Mapping:
//    - field names: lowerCamelCase (the descriptor's json_name) on output;
//      input accepts json_name or the .proto name;
//    - enums by name on output; input accepts the name or the number;
//    - int64/uint64 as decimal strings on output (protobuf's rule, so
//      JavaScript loses nothing); input accepts a string or a number;
//    - bytes as standard base64 with padding;
//    - baocao.Date as "YYYY-MM-DD", baocao.Timestamp as RFC 3339 in the
//      province's zone ("2022-08-15T17:00:00+07:00"); input takes any offset;
//    - proto3 defaults (0, "", false, empty lists, unset messages) omitted
//      on output; null on input means "unset".
//  Unknown input fields are errors: a typo in a request file must not be
//  silently dropped.
#ifndef BC_JSON_H_INCLUDED
#define BC_JSON_H_INCLUDED

#include <stddef.h>
#include <protobuf-c/protobuf-c.h>

#include "bc_err.h"

#define BC_JSON_PRETTY      1           //  indent 2, one field per line
#define BC_JSON_MAX_DEPTH   32          //  nesting limit on input and output
#define BC_JSON_MAX_INPUT   (16u << 20) //  bytes accepted by bc_json_decode

//  Encodes msg as UTF-8 JSON text; flags is 0 or BC_JSON_PRETTY. Borrows
//  msg. Returns a NUL-terminated string the caller frees. Never fails on a
//  well-formed message (aborts on OOM like bc_malloc).
char *bc_json_encode(const ProtobufCMessage *msg, int flags);

//  Parses text (size bytes, need not be NUL-terminated) into a new message
//  of type desc. On BC_OK *msg_p is the caller's, freed with
//  protobuf_c_message_free_unpacked(msg, NULL). On error *msg_p is untouched
//  and, when err is not NULL, err holds one line naming where and why, e.g.
//  `field "deadline": not an RFC 3339 time` or `line 3: unexpected '}'`.
//  Errors: BC_EINVAL (syntax, type, unknown field, bad enum name, depth),
//  BC_ETOOBIG (over BC_JSON_MAX_INPUT).
bc_err bc_json_decode(const ProtobufCMessageDescriptor *desc, const char *text,
                      size_t size, ProtobufCMessage **msg_p,
                      char *err, size_t err_size);

#endif
