//  bc_config - INI configuration through one table of keys, types and bounds
//
//  Each executable has one config struct filled from defaults, then the INI
//  file (inih), then command-line flags. The table names every key once:
//  its section, name, type, where it lives in the struct, its bounds and a
//  line of help; the same table validates the file and the flags, and
//  prints the defaults for --help and the sample configs.
#ifndef BC_CONFIG_H_INCLUDED
#define BC_CONFIG_H_INCLUDED

#include <stddef.h>
#include <stdio.h>

#include "bc_err.h"

#define BC_CONFIG_STR_MAX   512         //  bytes of a string value, with NUL

typedef enum {
    BC_CFG_STRING,                      //  char[BC_CONFIG_STR_MAX] in the struct
    BC_CFG_INT,                         //  long long, within [min, max]
    BC_CFG_BOOL                         //  int: yes/no, true/false, on/off, 1/0
} bc_cfg_type_t;

typedef struct {
    const char *section;                //  "broker"
    const char *key;                    //  "endpoint"
    bc_cfg_type_t type;
    size_t offset;                      //  offsetof(struct, field)
    long long min, max;                 //  bounds for BC_CFG_INT
    const char *help;                   //  one line, for samples and --help
} bc_cfg_key_t;

//  Reads path into cfg. Unknown sections or keys, bad values and syntax
//  errors stop the load. Errors: BC_ENOTFOUND (no such file), BC_EINVAL
//  (why says "FILE:LINE: [section] key: reason"), BC_EIO.
bc_err bc_config_load(const char *path, const bc_cfg_key_t *table, size_t count,
                      void *cfg, char *why, size_t why_size);

//  Sets one key from text (a command-line flag). Errors: BC_EINVAL (unknown
//  key or bad value; why says which and why).
bc_err bc_config_set(const bc_cfg_key_t *table, size_t count, void *cfg,
                     const char *section, const char *key, const char *value,
                     char *why, size_t why_size);

//  The line of the last "key =" in [section] of path (the one inih keeps),
//  0 when absent or unreadable: for messages about values a program checks
//  itself, so they name the file and line like bc_config_load's do.
int bc_config_line(const char *path, const char *section, const char *key);

//  Writes every key with its current value, commented out, as a sample INI
//  file (used for deploy/*.conf.sample and `--print-config`).
void bc_config_print(FILE *out, const bc_cfg_key_t *table, size_t count, const void *cfg,
                     int commented);

#endif
