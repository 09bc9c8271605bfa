//  bc_registry - load the agency list file into the store
#include "bc_registry.h"
#include "bc_alloc.h"
#include "bc_cert.h"
#include "bc_csv.h"
#include "bc_fs.h"
#include "bc_records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
s_parse_roles(const char *text, Baocao__Role *roles, size_t *count)
{
    static const struct {
        const char *name;
        Baocao__Role role;
    } names[] = {
        { "department", BAOCAO__ROLE__DEPARTMENT },
        { "coordinator", BAOCAO__ROLE__COORDINATOR_ROLE },
        { "operator", BAOCAO__ROLE__OPERATOR },
    };
    *count = 0;
    char *copy = bc_strdup(text);
    char *save = NULL;
    int ok = 1;
    for (char *word = strtok_r(copy, " \t;|", &save); word; word = strtok_r(NULL, " \t;|", &save)) {
        int found = 0;
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            if (strcmp(word, names[i].name) == 0) {
                int dup = 0;
                for (size_t j = 0; j < *count; j++) {
                    dup |= roles[j] == names[i].role;
                }
                if (!dup) {
                    roles[(*count)++] = names[i].role;
                }
                found = 1;
            }
        }
        if (!found) {
            ok = 0;
            break;
        }
    }
    free(copy);
    return ok && *count > 0;
}

bc_err
bc_registry_load(const char *path, bc_txn_t *txn, size_t *count_p, char *why, size_t why_size)
{
    char *text = NULL;
    size_t size = 0;
    bc_err rc = bc_fs_read(path, BC_REGISTRY_MAX_BYTES, &text, &size);
    if (rc != BC_OK) {
        snprintf(why, why_size, "%s: %s", path, bc_strerror(rc));
        return rc;
    }
    bc_csv_t *csv = NULL;
    size_t line = 0;
    rc = bc_csv_parse(text, size, &csv, &line);
    free(text);
    if (rc != BC_OK) {
        snprintf(why, why_size, "%s:%zu: malformed CSV", path, line);
        return rc;
    }
    size_t loaded = 0;
    if (bc_csv_rows(csv) == 0 || bc_csv_cols(csv, 0) < 3
        || strcmp(bc_csv_cell(csv, 0, 0), "code") != 0
        || strcmp(bc_csv_cell(csv, 0, 1), "name") != 0
        || strcmp(bc_csv_cell(csv, 0, 2), "role") != 0) {
        snprintf(why, why_size, "%s:1: the header must be code,name,role", path);
        rc = BC_EINVAL;
        goto leave;
    }
    for (size_t row = 1; row < bc_csv_rows(csv); row++) {
        const char *code = bc_csv_cell(csv, row, 0);
        const char *name = bc_csv_cell(csv, row, 1);
        const char *role = bc_csv_cell(csv, row, 2);
        size_t lineno = bc_csv_line(csv, row);
        if (!code || !name || !role) {
            snprintf(why, why_size, "%s:%zu: expected code,name,role", path, lineno);
            rc = BC_EINVAL;
            goto leave;
        }
        if (!bc_agency_code_valid(code)) {
            snprintf(why, why_size, "%s:%zu: not an organ code: %s", path, lineno, code);
            rc = BC_EINVAL;
            goto leave;
        }
        if (!*name || strlen(name) > 1024) {
            snprintf(why, why_size, "%s:%zu: the name is empty or too long", path, lineno);
            rc = BC_EINVAL;
            goto leave;
        }
        Baocao__Role roles[3];
        size_t n_roles;
        if (!s_parse_roles(role, roles, &n_roles)) {
            snprintf(why, why_size,
                     "%s:%zu: role must be department, coordinator or operator: %s", path,
                     lineno, role);
            rc = BC_EINVAL;
            goto leave;
        }
        Baocao__Agency agency = BAOCAO__AGENCY__INIT;
        agency.code = (char *) code;
        agency.name = (char *) name;
        Baocao__AgencyRecord rec = BAOCAO__AGENCY_RECORD__INIT;
        rec.agency = &agency;
        rec.roles = roles;
        rec.n_roles = n_roles;
        uint8_t curve[32], sign[32];
        const char *curve_text = bc_csv_cell(csv, row, 3);
        const char *sign_text = bc_csv_cell(csv, row, 4);
        if (curve_text && *curve_text) {
            if (bc_cert_z85_decode(curve_text, curve) != 0) {
                snprintf(why, why_size, "%s:%zu: curve_public is not a Z85 CURVE key", path,
                         lineno);
                rc = BC_EINVAL;
                goto leave;
            }
            rec.curve_public.data = curve;
            rec.curve_public.len = sizeof curve;
        }
        if (sign_text && *sign_text) {
            if (bc_cert_hex_decode(sign_text, sign, sizeof sign) != 0) {
                snprintf(why, why_size, "%s:%zu: sign_public is not 64 hex digits", path,
                         lineno);
                rc = BC_EINVAL;
                goto leave;
            }
            rec.sign_public.data = sign;
            rec.sign_public.len = sizeof sign;
        }
        //  A key set since by an operator (rotation) wins over the file's,
        //  and a revocation stays: the file is the province's starting list.
        Baocao__AgencyRecord *known = NULL;
        if (bc_records_get_agency(txn, code, &known) == BC_OK) {
            int keep = known->changed_at != NULL;
            if (keep) {
                baocao__agency_record__free_unpacked(known, NULL);
                loaded++;
                continue;
            }
            baocao__agency_record__free_unpacked(known, NULL);
        }
        rc = bc_records_put_agency(txn, &rec);
        if (rc != BC_OK) {
            snprintf(why, why_size, "%s:%zu: cannot store agency %s: %s", path, lineno, code,
                     bc_strerror(rc));
            goto leave;
        }
        loaded++;
    }
    *count_p = loaded;
leave:
    bc_csv_destroy(&csv);
    return rc;
}
