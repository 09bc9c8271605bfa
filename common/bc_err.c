//  bc_err - descriptions of bc_err codes
#include "bc_err.h"

const char *
bc_strerror(bc_err err)
{
    switch (err) {
    case BC_OK:         return "success";
    case BC_ENOMEM:     return "out of memory";
    case BC_EINVAL:     return "invalid input";
    case BC_ENOTFOUND:  return "not found";
    case BC_EEXIST:     return "already exists";
    case BC_ETOOBIG:    return "too big";
    case BC_EPROTO:     return "protocol error";
    case BC_EDENIED:    return "permission denied";
    case BC_EFULL:      return "storage full";
    case BC_ESTORE:     return "storage failure";
    case BC_EIO:        return "input/output error";
    case BC_ETIMEDOUT:  return "timed out";
    case BC_ECLOSED:    return "closed";
    }
    return "unknown error";
}
