//  bc_config - table-driven INI configuration over inih
#include "bc_config.h"

#include <errno.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    const bc_cfg_key_t *table;
    size_t count;
    void *cfg;
    const char *path;
    char *why;
    size_t why_size;
    int failed;                         //  first error already recorded
} s_load_t;

//  Debian's inih is built without INI_HANDLER_LINENO, so the handler is not
//  told its line: find the line of [section] key ourselves for the message.
int
bc_config_line(const char *path, const char *section, const char *key)
{
    FILE *file = path ? fopen(path, "r") : NULL;
    if (!file) {
        return 0;
    }
    char line[1024];
    char current[256] = "";
    size_t n = strlen(key);
    int lineno = 0, found = 0;
    while (fgets(line, sizeof line, file)) {
        lineno++;
        const char *p = line + strspn(line, " \t");
        if (*p == '[') {
            snprintf(current, sizeof current, "%.*s", (int) strcspn(p + 1, "]"), p + 1);
        }
        else if (strcmp(current, section) == 0 && strncmp(p, key, n) == 0
                 && p[n] != '\0' && strchr(" \t=:", p[n])) {
            found = lineno;             //  the last one wins, as in inih
        }
    }
    fclose(file);
    return found;
}

static const bc_cfg_key_t *
s_find(const bc_cfg_key_t *table, size_t count, const char *section, const char *key)
{
    for (size_t i = 0; i < count; i++) {
        if (strcmp(table[i].section, section) == 0 && strcmp(table[i].key, key) == 0) {
            return &table[i];
        }
    }
    return NULL;
}

static int
s_section_known(const bc_cfg_key_t *table, size_t count, const char *section)
{
    for (size_t i = 0; i < count; i++) {
        if (strcmp(table[i].section, section) == 0) {
            return 1;
        }
    }
    return 0;
}

static const char *
s_apply(const bc_cfg_key_t *k, void *cfg, const char *value)
{
    char *field = (char *) cfg + k->offset;
    switch (k->type) {
    case BC_CFG_STRING:
        if (strlen(value) >= BC_CONFIG_STR_MAX) {
            return "value too long";
        }
        strcpy(field, value);
        return NULL;
    case BC_CFG_INT: {
        errno = 0;
        char *end;
        long long v = strtoll(value, &end, 10);
        if (errno || end == value || *end != '\0') {
            return "not a whole number";
        }
        if (v < k->min || v > k->max) {
            return "out of range";
        }
        memcpy(field, &v, sizeof v);
        return NULL;
    }
    case BC_CFG_BOOL: {
        int v;
        if (!strcasecmp(value, "yes") || !strcasecmp(value, "true") || !strcasecmp(value, "on")
            || !strcmp(value, "1")) {
            v = 1;
        }
        else if (!strcasecmp(value, "no") || !strcasecmp(value, "false")
                 || !strcasecmp(value, "off") || !strcmp(value, "0")) {
            v = 0;
        }
        else {
            return "not yes or no";
        }
        memcpy(field, &v, sizeof v);
        return NULL;
    }
    }
    return "unknown type";
}

bc_err
bc_config_set(const bc_cfg_key_t *table, size_t count, void *cfg, const char *section,
              const char *key, const char *value, char *why, size_t why_size)
{
    const bc_cfg_key_t *k = s_find(table, count, section, key);
    if (!k) {
        snprintf(why, why_size, "[%s] %s: unknown key", section, key);
        return BC_EINVAL;
    }
    const char *err = s_apply(k, cfg, value);
    if (err) {
        if (k->type == BC_CFG_INT) {
            snprintf(why, why_size, "[%s] %s: %s (%lld..%lld): %s", section, key, err, k->min,
                     k->max, value);
        }
        else {
            snprintf(why, why_size, "[%s] %s: %s: %s", section, key, err, value);
        }
        return BC_EINVAL;
    }
    return BC_OK;
}

static int
s_handler(void *user, const char *section, const char *name, const char *value)
{
    s_load_t *load = user;
    if (load->failed) {
        return 0;
    }
    char why[512];
    bc_err rc;
    if (!s_section_known(load->table, load->count, section)) {
        snprintf(why, sizeof why, "[%s]: unknown section", section);
        rc = BC_EINVAL;
    }
    else {
        rc = bc_config_set(load->table, load->count, load->cfg, section, name, value, why,
                           sizeof why);
    }
    if (rc != BC_OK) {
        int lineno = bc_config_line(load->path, section, name);
        snprintf(load->why, load->why_size, "%s:%d: %s", load->path, lineno, why);
        load->failed = 1;
        return 0;
    }
    return 1;
}

bc_err
bc_config_load(const char *path, const bc_cfg_key_t *table, size_t count, void *cfg,
               char *why, size_t why_size)
{
    FILE *file = fopen(path, "r");
    if (!file) {
        snprintf(why, why_size, "%s: %s", path, strerror(errno));
        return errno == ENOENT ? BC_ENOTFOUND : BC_EIO;
    }
    s_load_t load = { table, count, cfg, path, why, why_size, 0 };
    int rc = ini_parse_file(file, s_handler, &load);
    fclose(file);
    if (load.failed) {
        return BC_EINVAL;
    }
    if (rc > 0) {
        snprintf(why, why_size, "%s:%d: syntax error", path, rc);
        return BC_EINVAL;
    }
    if (rc < 0) {
        snprintf(why, why_size, "%s: cannot read", path);
        return BC_EIO;
    }
    return BC_OK;
}

void
bc_config_print(FILE *out, const bc_cfg_key_t *table, size_t count, const void *cfg,
                int commented)
{
    const char *section = NULL;
    const char *mark = commented ? "#" : "";
    for (size_t i = 0; i < count; i++) {
        const bc_cfg_key_t *k = &table[i];
        if (!section || strcmp(section, k->section) != 0) {
            fprintf(out, "%s[%s]\n", section ? "\n" : "", k->section);
            section = k->section;
        }
        const char *field = (const char *) cfg + k->offset;
        fprintf(out, "# %s\n", k->help);
        switch (k->type) {
        case BC_CFG_STRING:
            fprintf(out, "%s%s = %s\n", mark, k->key, field);
            break;
        case BC_CFG_INT: {
            long long v;
            memcpy(&v, field, sizeof v);
            fprintf(out, "%s%s = %lld\n", mark, k->key, v);
            break;
        }
        case BC_CFG_BOOL: {
            int v;
            memcpy(&v, field, sizeof v);
            fprintf(out, "%s%s = %s\n", mark, k->key, v ? "yes" : "no");
            break;
        }
        }
    }
}
