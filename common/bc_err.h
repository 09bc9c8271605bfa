//  bc_err - the one error code type every baocao module returns
#ifndef BC_ERR_H_INCLUDED
#define BC_ERR_H_INCLUDED

typedef enum {
    BC_OK = 0,
    BC_ENOMEM,          //  out of memory (only where we do not abort)
    BC_EINVAL,          //  invalid argument or input field
    BC_ENOTFOUND,       //  no such record, file or key
    BC_EEXIST,          //  already exists (idempotent resend, duplicate key)
    BC_ETOOBIG,         //  input over a size limit
    BC_EPROTO,          //  undecodable or unexpected message
    BC_EDENIED,         //  permission or role refused
    BC_EFULL,           //  store or disk full
    BC_ESTORE,          //  storage engine failure
    BC_EIO,             //  file or socket I/O failure
    BC_ETIMEDOUT,       //  no answer in time
    BC_ECLOSED          //  peer or resource is gone
} bc_err;

//  Returns a static lowercase description of err ("no such record").
const char *bc_strerror(bc_err err);

#endif
