//  cmd_parse - `baocao parse [--json] FILE`: the structure the agents read from a report document
#include "bc_cli.h"
#include "bc_docparse.h"
#include "bc_fs.h"
#include "bc_json.h"
#include "bc_notation.h"

#include <libgen.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#define S_INDENT    2                   //  columns per nesting level
#define S_LABEL     18                  //  columns of a header label
#define S_SUBLABEL  12                  //  columns of a signer label

static int
s_set(const char *s)
{
    return s && *s;
}

static void
s_date(bc_buf_t *out, const Baocao__Date *date)
{
    if (date && date->year) {
        bc_buf_printf(out, "%04u-%02u-%02u", date->year, date->month, date->day);
    }
}

static void
s_pad(bc_buf_t *out, int depth)
{
    for (int i = 0; i < depth * S_INDENT; i++) {
        bc_buf_append(out, " ", 1);
    }
}

//  "Nghị định số 09/2017/NĐ-CP ngày 2017-02-09 của Chính phủ", "Luật Báo
//  chí năm 2016", "Chỉ thị số 32-CT/TW ...".
static void
s_ref(bc_buf_t *out, const Baocao__LegalRef *ref)
{
    bc_buf_puts(out, s_set(ref->kind) ? ref->kind : "Văn bản");
    if (ref->number && s_set(ref->notation)) {
        if (strchr(ref->notation, '/')) {
            //  A party document keeps its own form: 32-CT/TW.
            bc_buf_printf(out, " số %02u-%s", ref->number, ref->notation);
        }
        else {
            char cite[BC_NOTATION_MAX + 32];
            bc_notation_format(ref->number, ref->year, ref->notation, cite, sizeof cite);
            bc_buf_printf(out, " số %s", cite);
        }
    }
    if (s_set(ref->title)) {
        bc_buf_printf(out, " %s", ref->title);
    }
    if (!ref->number && ref->year) {
        bc_buf_printf(out, " năm %u", ref->year);
    }
    if (ref->date && ref->date->year) {
        bc_buf_puts(out, " ngày ");
        s_date(out, ref->date);
    }
    if (s_set(ref->issuer)) {
        bc_buf_printf(out, " của %s", ref->issuer);
    }
}

static void
s_section(bc_buf_t *out, const Baocao__Section *s, int depth)
{
    s_pad(out, depth);
    if (s_set(s->number)) {
        //  Letters are written "a)", numbers "1.", "II.", "1.2.".
        char first = s->number[0];
        int letter = (first >= 'a' && first <= 'z') || (unsigned char) first == 0xC4;
        bc_buf_printf(out, "%s%s ", s->number, letter ? ")" : ".");
    }
    bc_buf_puts(out, s_set(s->title) ? s->title : "(không tiêu đề)");
    if (s_set(s->outline_item)) {
        bc_buf_printf(out, "   [mục %s của đề cương]", s->outline_item);
    }
    bc_buf_puts(out, "\n");
    const char *p = s->body ? s->body : "";
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t) (nl - p) : strlen(p);
        s_pad(out, depth + 1);
        bc_buf_append(out, p, len);
        bc_buf_puts(out, "\n");
        p += len + (nl ? 1 : 0);
    }
    for (size_t i = 0; i < s->n_children; i++) {
        s_section(out, s->children[i], depth + 1);
    }
}

//  label padded to width columns: printf's %-18s counts bytes, and a
//  Vietnamese letter takes two or three.
static void
s_label(bc_buf_t *out, const char *label, size_t width)
{
    bc_buf_puts(out, label);
    size_t cols = 0;
    for (const char *p = label; *p; p++) {
        cols += ((unsigned char) *p & 0xC0) != 0x80;
    }
    do {
        bc_buf_append(out, " ", 1);
    } while (++cols < width);
}

static void
s_field(bc_buf_t *out, const char *label, const char *value)
{
    if (s_set(value)) {
        s_label(out, label, S_LABEL);
        bc_buf_printf(out, "%s\n", value);
    }
}

//  The readable form: labelled header fields, then the text's parts.
static char *
s_render(const Baocao__Report *r, const char *warnings)
{
    bc_buf_t out;
    bc_buf_init(&out);
    bc_buf_t line;
    bc_buf_init(&line);

    if (r->n_attachments > 0) {
        const Baocao__Attachment *a = r->attachments[0];
        s_label(&out, "Tệp:", S_LABEL);
        bc_buf_printf(&out, "%s (%s", a->name, a->media_type);
        if (a->sha256.len == crypto_hash_sha256_BYTES) {
            char hex[crypto_hash_sha256_BYTES * 2 + 1];
            sodium_bin2hex(hex, sizeof hex, a->sha256.data, a->sha256.len);
            bc_buf_printf(&out, ", SHA-256 %s", hex);
        }
        bc_buf_puts(&out, ")\n");
    }
    s_field(&out, "Cơ quan ban hành:", r->sender ? r->sender->name : NULL);
    if (r->number && s_set(r->notation)) {
        char cite[BC_NOTATION_MAX + 32];
        bc_notation_format(r->number, r->year, r->notation, cite, sizeof cite);
        s_field(&out, "Số, ký hiệu:", cite);
    }
    line.len = 0;
    if (s_set(r->place)) {
        bc_buf_puts(&line, r->place);
        if (r->date) {
            bc_buf_puts(&line, ", ");
        }
    }
    s_date(&line, r->date);
    s_field(&out, "Nơi, ngày:", line.len ? line.data : NULL);
    s_field(&out, "Trích yếu:", r->subject);
    line.len = 0;
    for (size_t i = 0; i < r->n_addressees; i++) {
        bc_buf_printf(&line, "%s%s", i ? "; " : "", r->addressees[i]->name);
    }
    if (r->n_addressees == 0 && r->recipient && s_set(r->recipient->name)) {
        bc_buf_puts(&line, r->recipient->name);
    }
    s_field(&out, "Kính gửi:", line.len ? line.data : NULL);
    if (r->answers) {
        line.len = 0;
        s_ref(&line, r->answers);
        s_field(&out, "Trả lời văn bản:", line.data);
    }

    bc_buf_printf(&out, "\nNội dung (%zu mục):\n", r->n_sections);
    for (size_t i = 0; i < r->n_sections; i++) {
        s_section(&out, r->sections[i], 1);
    }
    if (r->n_legal_refs > 0) {
        bc_buf_printf(&out, "\nVăn bản được viện dẫn (%zu):\n", r->n_legal_refs);
        for (size_t i = 0; i < r->n_legal_refs; i++) {
            bc_buf_puts(&out, "  - ");
            s_ref(&out, r->legal_refs[i]);
            bc_buf_puts(&out, "\n");
        }
    }
    if (s_set(r->closing)) {
        bc_buf_printf(&out, "\nKết thúc:\n  %s\n", r->closing);
    }
    if (r->n_distribution > 0) {
        bc_buf_puts(&out, "\nNơi nhận:\n");
        for (size_t i = 0; i < r->n_distribution; i++) {
            bc_buf_printf(&out, "  - %s\n", r->distribution[i]);
        }
    }
    if (r->signer) {
        bc_buf_puts(&out, "\nNgười ký:\n");
        const char *labels[] = { "  Thẩm quyền:", "  Chức vụ:", "  Họ tên:" };
        const char *values[] = { r->signer->authority, r->signer->title, r->signer->name };
        for (int i = 0; i < 3; i++) {
            if (s_set(values[i])) {
                s_label(&out, labels[i], S_SUBLABEL + 2);
                bc_buf_printf(&out, "%s\n", values[i]);
            }
        }
    }
    if (s_set(warnings)) {
        bc_buf_puts(&out, "\nCảnh báo:\n");
        const char *p = warnings;
        while (*p) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t) (nl - p) : strlen(p);
            bc_buf_puts(&out, "  - ");
            bc_buf_append(&out, p, len);
            bc_buf_puts(&out, "\n");
            p += len + (nl ? 1 : 0);
        }
    }
    bc_buf_release(&line);
    return bc_buf_take(&out);
}

//  Attaches the file's name, media type and SHA-256 (not its bytes: the
//  output is for reading, the agent attaches the bytes it sends).
static void
s_attach(Baocao__Report *report, const char *path, const char *media_type, const char *data,
         size_t size)
{
    Baocao__Attachment *a = bc_malloc(sizeof *a);
    baocao__attachment__init(a);
    char *copy = bc_strdup(path);
    a->name = bc_strdup(basename(copy));
    free(copy);
    a->media_type = bc_strdup(media_type);
    a->sha256.data = bc_malloc(crypto_hash_sha256_BYTES);
    a->sha256.len = crypto_hash_sha256_BYTES;
    crypto_hash_sha256(a->sha256.data, (const unsigned char *) data, size);
    report->attachments = bc_malloc(sizeof *report->attachments);
    report->attachments[0] = a;
    report->n_attachments = 1;
}

int
bc_cmd_parse(bc_cli_t *cli)
{
    const char *path = cli->args[0];
    if (sodium_init() < 0) {
        return bc_cli_fail(EX_SOFTWARE, "không khởi tạo được libsodium");
    }
    char *data = NULL;
    size_t size = 0;
    bc_err rc = bc_fs_read(path, BC_DOCPARSE_MAX_FILE, &data, &size);
    switch (rc) {
    case BC_OK:
        break;
    case BC_ETOOBIG:
        return bc_cli_fail(EX_DATAERR, "tệp %s quá lớn (tối đa %u MiB)", path,
                           BC_DOCPARSE_MAX_FILE >> 20);
    case BC_EINVAL:
        return bc_cli_fail(EX_NOINPUT, "%s không phải là tệp thường", path);
    case BC_ENOTFOUND:
        return bc_cli_fail(EX_NOINPUT, "không có tệp %s", path);
    case BC_EDENIED:
        return bc_cli_fail(EX_NOINPUT, "không có quyền đọc tệp %s", path);
    default:
        return bc_cli_fail(EX_NOINPUT, "không đọc được tệp %s: %s", path, bc_strerror(rc));
    }
    Baocao__Report *report = NULL;
    const char *media_type = NULL;
    bc_buf_t warnings;
    bc_buf_init(&warnings);
    char why[512] = "";
    rc = bc_docparse_data(data, size, NULL, &report, &media_type, &warnings, why, sizeof why);
    if (rc != BC_OK) {
        free(data);
        bc_buf_release(&warnings);
        return bc_cli_fail(rc == BC_ENOMEM ? EX_OSERR : EX_DATAERR,
                           "không đọc được cấu trúc văn bản %s: %s", path, why);
    }
    s_attach(report, path, media_type, data, size);
    free(data);
    int code;
    if (cli->json) {
        //  Doubts go to stderr, so that stdout stays one JSON document.
        const char *p = warnings.data ? warnings.data : "";
        while (*p) {
            const char *nl = strchr(p, '\n');
            int len = (int) (nl ? nl - p : (long) strlen(p));
            fprintf(stderr, BC_CLI_NAME ": cảnh báo: %.*s\n", len, p);
            p += len + (nl ? 1 : 0);
        }
        char *json = bc_json_encode(&report->base, BC_JSON_PRETTY);
        code = bc_cli_emit(cli, json, "cấu trúc văn bản");
        free(json);
    }
    else {
        char *text = s_render(report, warnings.data);
        code = bc_cli_emit(cli, text, "cấu trúc văn bản");
        free(text);
    }
    bc_buf_release(&warnings);
    baocao__report__free_unpacked(report, NULL);
    return code;
}
