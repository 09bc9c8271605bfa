//  bc_fs - small, careful file helpers: bounded reads, atomic writes
#ifndef BC_FS_H_INCLUDED
#define BC_FS_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#include "bc_err.h"

//  Reads a whole regular file of at most max bytes. On BC_OK *data_p is a
//  NUL-terminated buffer the caller frees and *size_p its length.
//  Errors: BC_ENOTFOUND, BC_EDENIED, BC_ETOOBIG, BC_EINVAL (not a regular
//  file), BC_EIO.
bc_err bc_fs_read(const char *path, size_t max, char **data_p, size_t *size_p);

//  Writes data to path atomically: a temporary file in the same folder,
//  fsync, rename, fsync of the folder. Borrows data. Errors: BC_EDENIED,
//  BC_EFULL (no space), BC_EIO.
bc_err bc_fs_write_atomic(const char *path, const void *data, size_t size);

//  Creates dir and its missing parents with mode 0750 (existing is fine).
//  Errors: BC_EDENIED, BC_EINVAL (a component is not a folder), BC_EIO.
bc_err bc_fs_mkdirs(const char *dir);

//  Maps an errno value onto bc_err.
bc_err bc_fs_from_errno(int err);

#endif
