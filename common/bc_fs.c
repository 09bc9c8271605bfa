//  bc_fs - bounded reads, atomic writes, mkdir -p
#include "bc_fs.h"
#include "bc_alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bc_err
bc_fs_from_errno(int err)
{
    switch (err) {
    case ENOENT:    return BC_ENOTFOUND;
    case EACCES:
    case EPERM:
    case EROFS:     return BC_EDENIED;
    case ENOSPC:
    case EDQUOT:    return BC_EFULL;
    case EEXIST:    return BC_EEXIST;
    case ENOTDIR:
    case EISDIR:    return BC_EINVAL;
    case ENOMEM:    return BC_ENOMEM;
    default:        return BC_EIO;
    }
}

bc_err
bc_fs_read(const char *path, size_t max, char **data_p, size_t *size_p)
{
    if (max > SIZE_MAX - 2) {
        max = SIZE_MAX - 2;                     //  keeps max + 2 from wrapping
    }
    //  O_NONBLOCK: a FIFO dropped into a watched folder must not hang us
    //  before the regular-file check below; no effect on regular files.
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        return bc_fs_from_errno(errno);
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        bc_err rc = bc_fs_from_errno(errno);
        close(fd);
        return rc;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return BC_EINVAL;
    }
    if ((uint64_t) st.st_size > max) {
        close(fd);
        return BC_ETOOBIG;
    }
    //  The file may grow while we read: never read past max.
    size_t cap = (size_t) st.st_size + 1;
    char *buf = bc_malloc(cap);
    size_t len = 0;
    for (;;) {
        if (len + 1 >= cap) {
            if (cap > max + 1) {
                free(buf);
                close(fd);
                return BC_ETOOBIG;
            }
            cap = cap * 2 > max + 2 ? max + 2 : cap * 2;
            buf = bc_realloc(buf, cap);
        }
        ssize_t n = read(fd, buf + len, cap - 1 - len);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            bc_err rc = bc_fs_from_errno(errno);
            free(buf);
            close(fd);
            return rc;
        }
        if (n == 0) {
            break;
        }
        len += (size_t) n;
        if (len > max) {
            free(buf);
            close(fd);
            return BC_ETOOBIG;
        }
    }
    close(fd);
    buf[len] = '\0';
    *data_p = buf;
    *size_p = len;
    return BC_OK;
}

static bc_err
s_fsync_dir(const char *path)
{
    char *copy = bc_strdup(path);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    if (fd < 0) {
        return bc_fs_from_errno(errno);
    }
    int rc = fsync(fd);
    int err = errno;
    close(fd);
    return rc == 0 ? BC_OK : bc_fs_from_errno(err);
}

bc_err
bc_fs_write_atomic(const char *path, const void *data, size_t size)
{
    size_t n = strlen(path) + 16;
    char *tmp = bc_malloc(n);
    snprintf(tmp, n, "%s.tmpXXXXXX", path);
    //  The temporary name keeps the final one's folder, so rename is atomic;
    //  mkstemp makes it unique when two writers race.
    int fd = mkstemp(tmp);
    if (fd < 0) {
        bc_err rc = bc_fs_from_errno(errno);
        free(tmp);
        return rc;
    }
    const char *p = data;
    size_t left = size;
    bc_err rc = BC_OK;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            rc = bc_fs_from_errno(errno);
            break;
        }
        p += w;
        left -= (size_t) w;
    }
    if (rc == BC_OK && fchmod(fd, 0644) != 0) {
        rc = bc_fs_from_errno(errno);
    }
    if (rc == BC_OK && fsync(fd) != 0) {
        rc = bc_fs_from_errno(errno);
    }
    if (close(fd) != 0 && rc == BC_OK) {
        rc = bc_fs_from_errno(errno);
    }
    if (rc == BC_OK && rename(tmp, path) != 0) {
        rc = bc_fs_from_errno(errno);
    }
    if (rc != BC_OK) {
        unlink(tmp);
    }
    free(tmp);
    if (rc == BC_OK) {
        rc = s_fsync_dir(path);
    }
    return rc;
}

bc_err
bc_fs_mkdirs(const char *dir)
{
    if (dir[0] == '\0') {
        return BC_EINVAL;
    }
    char *path = bc_strdup(dir);
    bc_err rc = BC_OK;
    for (char *p = path + 1; ; p++) {
        if (*p == '/' || *p == '\0') {
            char saved = *p;
            *p = '\0';
            if (mkdir(path, 0750) != 0 && errno != EEXIST) {
                rc = bc_fs_from_errno(errno);
                break;
            }
            *p = saved;
            if (saved == '\0') {
                break;
            }
        }
    }
    if (rc == BC_OK) {
        struct stat st;
        if (stat(dir, &st) != 0) {
            rc = bc_fs_from_errno(errno);
        }
        else if (!S_ISDIR(st.st_mode)) {
            rc = BC_EINVAL;
        }
    }
    free(path);
    return rc;
}
