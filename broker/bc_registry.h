//  bc_registry - the province's agency list file, loaded into the store
//
//  The file is CSV with a header `code,name,role[,curve_public,sign_public]`
//  (UTF-8, RFC 4180): one agency per row, role a space-separated set of
//  department, coordinator, operator; curve_public (Z85) and sign_public
//  (hex) as in the agency's .pub file. Loading writes every row into the
//  agencies database inside the caller's transaction; agencies absent from
//  the file stay as they were (removal is an operator action, never a side
//  effect of a shorter file), and an agency an operator changed since
//  (keys rotated, revoked) keeps that change.
#ifndef BC_REGISTRY_H_INCLUDED
#define BC_REGISTRY_H_INCLUDED

#include <stddef.h>

#include "bc_store.h"

#define BC_REGISTRY_MAX_BYTES   (8u << 20)

//  Reads path and stores its agencies in txn. On success *count_p is the
//  number of agencies loaded. Errors: BC_ENOTFOUND, BC_ETOOBIG, BC_EIO,
//  BC_EINVAL (why says "FILE:LINE: reason"), or a storage error.
bc_err bc_registry_load(const char *path, bc_txn_t *txn, size_t *count_p,
                        char *why, size_t why_size);

#endif
