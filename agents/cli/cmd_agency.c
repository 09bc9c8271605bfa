//  cmd_agency - `baocao agency add|list|revoke|rotate`: the registry, by operators
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "baocao/store.pb-c.h"
#include "bc_alloc.h"
#include "bc_cert.h"
#include "bc_clock.h"
#include "bc_cli.h"
#include "bc_json.h"
#include "bc_records.h"
#include "bc_wire.h"

//  Sends one AgencyChange and reports the broker's answer.
static int
s_change(bc_cli_t *cli, Baocao__AgencyChange *change, const char *done)
{
    bc_wire_out_t out;
    bc_wire_out_init(&out);
    out.env.body_case = BAOCAO__ENVELOPE__BODY_AGENCY_CHANGE;
    out.env.agency_change = change;
    Baocao__Envelope *reply = NULL;
    int code = bc_cli_call(cli, &out.env, &reply);
    if (code != EX_OK) {
        return code;
    }
    if (reply->body_case == BAOCAO__ENVELOPE__BODY_ERROR) {
        int denied = reply->error->code == BAOCAO__ERROR_CODE__DENIED;
        code = bc_cli_fail(denied ? EX_NOPERM : EX_DATAERR, "máy chủ từ chối: %s",
                           reply->error->message);
    }
    else {
        printf("%s: %s\n", done, change->agency->code);
    }
    bc_wire_free(&reply);
    return code;
}

//  Loads the agency's public keys from --pub FILE into the change.
static int
s_keys(bc_cli_t *cli, const char *code, Baocao__AgencyChange *change, uint8_t curve[32],
       uint8_t sign[32])
{
    if (!cli->pub) {
        return bc_cli_fail(EX_USAGE, "cần --pub FILE: tệp khóa công khai %s.pub của cơ quan",
                           code);
    }
    bc_cert_t cert;
    char why[1024];
    if (bc_cert_load(&cert, cli->pub, why, sizeof why) != BC_OK) {
        return bc_cli_fail(EX_DATAERR, "tệp khóa không dùng được: %s", why);
    }
    bc_cert_wipe(&cert);
    if (strcmp(cert.code, code) != 0) {
        return bc_cli_fail(EX_DATAERR, "%s là khóa của %s, không phải của %s", cli->pub,
                           cert.code, code);
    }
    bc_cert_z85_decode(cert.curve_public, curve);
    memcpy(sign, cert.sign_public, 32);
    change->curve_public.data = curve;
    change->curve_public.len = 32;
    change->sign_public.data = sign;
    change->sign_public.len = 32;
    return EX_OK;
}

int
bc_cmd_agency_add(bc_cli_t *cli)
{
    //  agency add CODE NAME ROLES --pub FILE; ROLES like "department" or
    //  "coordinator,operator".
    const char *code = cli->args[0];
    Baocao__AgencyChange change = BAOCAO__AGENCY_CHANGE__INIT;
    Baocao__Agency agency = BAOCAO__AGENCY__INIT;
    agency.code = (char *) code;
    agency.name = cli->args[1];
    change.op = BAOCAO__AGENCY_OP__ADD;
    change.agency = &agency;
    char *roles_text = bc_strdup(cli->args[2]);
    char *roles[3];
    size_t n = 0;
    char *save = NULL;
    for (char *r = strtok_r(roles_text, ", ", &save); r && n < 3; r = strtok_r(NULL, ", ", &save)) {
        roles[n++] = r;
    }
    change.roles = roles;
    change.n_roles = n;
    uint8_t curve[32], sign[32];
    int rc = s_keys(cli, code, &change, curve, sign);
    if (rc == EX_OK) {
        rc = s_change(cli, &change, "Đã đăng ký cơ quan");
    }
    free(roles_text);
    return rc;
}

int
bc_cmd_agency_revoke(bc_cli_t *cli)
{
    Baocao__AgencyChange change = BAOCAO__AGENCY_CHANGE__INIT;
    Baocao__Agency agency = BAOCAO__AGENCY__INIT;
    agency.code = cli->args[0];
    change.op = BAOCAO__AGENCY_OP__REVOKE;
    change.agency = &agency;
    return s_change(cli, &change, "Đã thu hồi khóa của cơ quan");
}

int
bc_cmd_agency_rotate(bc_cli_t *cli)
{
    Baocao__AgencyChange change = BAOCAO__AGENCY_CHANGE__INIT;
    Baocao__Agency agency = BAOCAO__AGENCY__INIT;
    agency.code = cli->args[0];
    change.op = BAOCAO__AGENCY_OP__ROTATE;
    change.agency = &agency;
    uint8_t curve[32], sign[32];
    int rc = s_keys(cli, cli->args[0], &change, curve, sign);
    if (rc == EX_OK) {
        rc = s_change(cli, &change, "Đã thay khóa của cơ quan");
    }
    return rc;
}

typedef struct {
    Baocao__AgencyRecord **items;
    size_t n;
} s_list_t;

static int
s_collect(const Baocao__AgencyRecord *rec, void *arg)
{
    s_list_t *l = arg;
    size_t size = baocao__agency_record__get_packed_size(rec);
    uint8_t *buf = bc_malloc(size);
    baocao__agency_record__pack(rec, buf);
    Baocao__AgencyRecord *copy = baocao__agency_record__unpack(NULL, size, buf);
    free(buf);
    if (copy) {
        l->items = bc_realloc(l->items, (l->n + 1) * sizeof *l->items);
        l->items[l->n++] = copy;
    }
    return 0;
}

static const char *
s_role_name(Baocao__Role role)
{
    switch (role) {
    case BAOCAO__ROLE__DEPARTMENT:          return "sở/ngành";
    case BAOCAO__ROLE__COORDINATOR_ROLE:    return "điều phối";
    case BAOCAO__ROLE__OPERATOR:            return "quản trị";
    default:                                return "?";
    }
}

int
bc_cmd_agency_list(bc_cli_t *cli)
{
    bc_store_t *store = NULL;
    int code = bc_cli_open_store(cli, &store);
    if (code != EX_OK) {
        return code;
    }
    bc_txn_t *txn = NULL;
    s_list_t list = { NULL, 0 };
    if (bc_store_begin(store, 0, &txn) == BC_OK) {
        bc_records_each_agency(txn, s_collect, &list);
    }
    if (cli->json) {
        Baocao__AgencyList msg = BAOCAO__AGENCY_LIST__INIT;
        msg.agencies = list.items;
        msg.n_agencies = list.n;
        char *json = bc_json_encode(&msg.base, BC_JSON_PRETTY);
        code = bc_cli_emit(cli, json, "danh sách cơ quan");
        free(json);
    }
    else {
        for (size_t i = 0; i < list.n; i++) {
            const Baocao__AgencyRecord *a = list.items[i];
            Baocao__Presence *p = NULL;
            char seen[64] = "chưa kết nối";
            if (txn && bc_records_get_presence(txn, a->agency->code, &p) == BC_OK) {
                if (p->online) {
                    snprintf(seen, sizeof seen, "trực tuyến");
                }
                else if (p->last_seen && p->last_seen->unix_ms) {
                    char t[24];
                    bc_clock_format_local(p->last_seen->unix_ms, t, sizeof t);
                    snprintf(seen, sizeof seen, "lần cuối %s", t);
                }
                baocao__presence__free_unpacked(p, NULL);
            }
            printf("%-15s %s\n", a->agency->code, a->agency->name);
            printf("                vai trò:");
            for (size_t r = 0; r < a->n_roles; r++) {
                printf("%s %s", r ? "," : "", s_role_name(a->roles[r]));
            }
            printf("; khóa: %s; %s%s\n", a->curve_public.len == 32 ? "có" : "chưa có", seen,
                   a->revoked ? "; ĐÃ THU HỒI" : "");
        }
    }
    bc_store_abort(&txn);
    for (size_t i = 0; i < list.n; i++) {
        baocao__agency_record__free_unpacked(list.items[i], NULL);
    }
    free(list.items);
    bc_store_destroy(&store);
    return code;
}
