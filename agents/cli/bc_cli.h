//  bc_cli - what main.c and the cmd_*.c files of `baocao` share
//
//  main.c parses the command line and the config, then calls one command;
//  a command returns a sysexits(3) code. Commands print their data on
//  stdout and their complaints on stderr, in Vietnamese for staff.
#ifndef BC_CLI_H_INCLUDED
#define BC_CLI_H_INCLUDED

#include <stdint.h>

#include "baocao/envelope.pb-c.h"
#include "baocao/summary.pb-c.h"
#include "bc_config.h"
#include "bc_reqkey.h"
#include "bc_store.h"

#define BC_CLI_NAME             "baocao"
#define BC_CLI_CONFIG_DEFAULT   "/etc/baocao/baocao.conf"
#define BC_CLI_STORE_DEFAULT    "/var/lib/baocao"
#define BC_CLI_BROKER_DEFAULT   "tcp://127.0.0.1:5570"
#define BC_CLI_TIMEOUT_DEFAULT  10000   //  ms to wait for the broker's answer

//  [cli] section of the config file; flags override it.
typedef struct {
    char store[BC_CONFIG_STR_MAX];      //  folder of the broker's LMDB store
    char broker[BC_CONFIG_STR_MAX];     //  broker endpoint
    char agency[BC_CONFIG_STR_MAX];     //  the coordinator's organ code (identity)
    long long timeout_ms;               //  wait for an answer from the broker
    char key[BC_CONFIG_STR_MAX];        //  our secret key file (CURVE); "" = plain
    char broker_key[BC_CONFIG_STR_MAX]; //  the broker's public key file
} bc_cli_config_t;

typedef struct {
    bc_cli_config_t config;             //  defaults < file < flags
    int json;                           //  --json
    const char *format;                 //  --format NAME, NULL when not given
    const char *output;                 //  -o FILE, NULL for stdout
    char **args;                        //  the words after NOUN VERB (borrowed)
    int n_args;
    const char *dir;                    //  --dir (key new, province init)
    const char *pub;                    //  --pub FILE (agency add, rotate)
    int force;                          //  --force (key new: replace keys)
    long long revision;                 //  --revision N (report verify), 0 = latest
} bc_cli_t;

//  The commands; each returns a sysexits code.
int bc_cmd_request_send(bc_cli_t *cli);
int bc_cmd_request_list(bc_cli_t *cli);
int bc_cmd_status(bc_cli_t *cli);
int bc_cmd_summary(bc_cli_t *cli);
int bc_cmd_key_new(bc_cli_t *cli);
int bc_cmd_agency_add(bc_cli_t *cli);
int bc_cmd_agency_list(bc_cli_t *cli);
int bc_cmd_agency_revoke(bc_cli_t *cli);
int bc_cmd_agency_rotate(bc_cli_t *cli);
int bc_cmd_audit_show(bc_cli_t *cli);
int bc_cmd_audit_verify(bc_cli_t *cli);
int bc_cmd_report_verify(bc_cli_t *cli);
int bc_cmd_parse(bc_cli_t *cli);
int bc_cmd_store_backup(bc_cli_t *cli);
int bc_cmd_store_restore(bc_cli_t *cli);
int bc_cmd_province_init(bc_cli_t *cli);

//  Sends env to the broker as the configured agency (over CURVE when a key
//  is configured) and waits for its Ack or Error. On EX_OK *reply_p is the
//  answer, the caller's (bc_wire_free); otherwise the reason was printed
//  and the sysexits code returned.
int bc_cli_call(const bc_cli_t *cli, const Baocao__Envelope *env, Baocao__Envelope **reply_p);

//  Prints "baocao: <message>" and a newline on stderr; returns code.
int bc_cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

//  Opens the configured store read-only. On EX_OK *store_p is the caller's;
//  otherwise the reason was printed and the sysexits code is returned.
int bc_cli_open_store(const bc_cli_t *cli, bc_store_t **store_p);

//  Resolves a request as named on the command line (citation or full key)
//  inside txn. On EX_OK *key is set; otherwise the reason (with the
//  candidates when several match) was printed and the code is returned.
int bc_cli_resolve(const bc_cli_t *cli, bc_txn_t *txn, const char *name, bc_reqkey_t *key);

//  Opens the store, resolves name and compiles that request's summary as of
//  now, in one short read-only transaction. On EX_OK *summary_p is the
//  caller's (baocao__summary__free_unpacked); otherwise the reason was
//  printed and the sysexits code is returned.
int bc_cli_compile(const bc_cli_t *cli, const char *name, Baocao__Summary **summary_p);

//  The terminal's width in columns when stdout is a terminal, else 0.
size_t bc_cli_terminal_width(void);

//  Writes text to stdout, or atomically to cli->output when set (then
//  confirms on stdout). Returns a sysexits code; failures are printed.
int bc_cli_emit(const bc_cli_t *cli, const char *text, const char *what);

#endif
