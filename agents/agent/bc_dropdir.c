//  bc_dropdir - drop-folder layout, request rendering and report building
#include "bc_dropdir.h"
#include "bc_clock.h"
#include "bc_csv.h"
#include "bc_docparse.h"
#include "bc_fs.h"
#include "bc_id.h"
#include "bc_notation.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

//  --------------------------------------------------------------------------
//  Small helpers

static int
s_set(const char *text)
{
    return text && *text;
}

//  dir + "/" + name, the caller frees.
static char *
s_join(const char *dir, const char *name)
{
    bc_buf_t buf;
    bc_buf_init(&buf);
    bc_buf_printf(&buf, "%s/%s", dir, name);
    return bc_buf_take(&buf);
}

static void
s_why(char *why, size_t why_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
s_why(char *why, size_t why_size, const char *fmt, ...)
{
    if (!why || why_size == 0) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, why_size, fmt, ap);
    va_end(ap);
}

//  "20/11/2026", or "" when the date is unset.
static void
s_date(const Baocao__Date *date, char *out, size_t size)
{
    if (!date || date->year == 0) {
        snprintf(out, size, "%s", "");
        return;
    }
    snprintf(out, size, "%02u/%02u/%04u", date->day, date->month, date->year);
}

static const char *
s_kind(Baocao__ReportKind kind)
{
    switch (kind) {
    case BAOCAO__REPORT_KIND__PERIODIC: return "định kỳ";
    case BAOCAO__REPORT_KIND__THEMATIC: return "chuyên đề";
    case BAOCAO__REPORT_KIND__AD_HOC:   return "đột xuất";
    default:                            return NULL;
    }
}

static const char *
s_priority(Baocao__Priority priority)
{
    switch (priority) {
    case BAOCAO__PRIORITY__NORMAL:  return "thường";
    case BAOCAO__PRIORITY__URGENT:  return "khẩn";
    case BAOCAO__PRIORITY__FLASH:   return "hỏa tốc";
    default:                        return NULL;
    }
}

static const char *
s_aggregation(Baocao__Aggregation aggregation)
{
    switch (aggregation) {
    case BAOCAO__AGGREGATION__AVERAGE:  return "trung bình";
    case BAOCAO__AGGREGATION__MIN:      return "nhỏ nhất";
    case BAOCAO__AGGREGATION__MAX:      return "lớn nhất";
    default:                            return "cộng";
    }
}

//  --------------------------------------------------------------------------
//  Folder and request text

bc_err
bc_dropdir_folder(const Baocao__ReportRequest *request, char *out, size_t size)
{
    bc_reqkey_t key;
    if (!request || bc_reqkey_from_request(request, &key) != BC_OK) {
        return BC_EINVAL;
    }
    //  The canonical notation holds only letters, digits, 'Đ' and '-':
    //  no '/', no "..", nothing a shell or a file system treats specially.
    bc_notation_folder(key.number, key.doc_year, key.notation, out, size);
    return BC_OK;
}

static void
s_render_legal(bc_buf_t *buf, const Baocao__LegalRef *ref)
{
    bc_buf_puts(buf, "  - ");
    if (s_set(ref->kind)) {
        bc_buf_printf(buf, "%s ", ref->kind);
    }
    if (ref->number && s_set(ref->notation)) {
        char cite[BC_NOTATION_MAX + 32];
        bc_notation_format(ref->number, ref->year, ref->notation, cite, sizeof cite);
        bc_buf_printf(buf, "số %s ", cite);
    }
    char date[32];
    s_date(ref->date, date, sizeof date);
    if (*date) {
        bc_buf_printf(buf, "ngày %s ", date);
    }
    if (s_set(ref->issuer)) {
        bc_buf_printf(buf, "của %s ", ref->issuer);
    }
    if (s_set(ref->title)) {
        bc_buf_puts(buf, ref->title);
    }
    while (buf->len > 0 && buf->data[buf->len - 1] == ' ') {
        buf->data[--buf->len] = '\0';
    }
    bc_buf_puts(buf, "\n");
}

char *
bc_dropdir_render(const Baocao__ReportRequest *request, const char *folder)
{
    assert(request);
    bc_buf_t buf;
    bc_buf_init(&buf);
    char text[256];

    bc_buf_puts(&buf, "YÊU CẦU BÁO CÁO\n");
    bc_buf_puts(&buf, "===============\n\n");
    if (request->number && s_set(request->notation)) {
        bc_notation_format(request->number, request->year, request->notation, text,
                           sizeof text);
        bc_buf_printf(&buf, "Số, ký hiệu:        %s\n", text);
    }
    if (s_set(request->document_type)) {
        bc_buf_printf(&buf, "Loại văn bản:       %s\n", request->document_type);
    }
    s_date(request->promulgation_date, text, sizeof text);
    if (*text) {
        bc_buf_printf(&buf, "Ngày ban hành:      %s\n", text);
    }
    if (s_set(request->place)) {
        bc_buf_printf(&buf, "Nơi ban hành:       %s\n", request->place);
    }
    if (request->issuer) {
        bc_buf_printf(&buf, "Cơ quan ban hành:   %s", s_set(request->issuer->name)
                                                            ? request->issuer->name : "");
        if (s_set(request->issuer->code)) {
            bc_buf_printf(&buf, " (mã định danh %s)", request->issuer->code);
        }
        bc_buf_puts(&buf, "\n");
    }
    if (s_kind(request->kind)) {
        bc_buf_printf(&buf, "Loại báo cáo:       %s\n", s_kind(request->kind));
    }
    if (s_priority(request->priority)) {
        bc_buf_printf(&buf, "Độ khẩn:            %s\n", s_priority(request->priority));
    }
    if (s_set(request->subject)) {
        bc_buf_printf(&buf, "Trích yếu:          %s\n", request->subject);
    }
    if (request->n_legal_basis > 0) {
        bc_buf_puts(&buf, "\nCăn cứ:\n");
        for (size_t i = 0; i < request->n_legal_basis; i++) {
            if (request->legal_basis[i]) {
                s_render_legal(&buf, request->legal_basis[i]);
            }
        }
    }
    bc_buf_puts(&buf, "\n");
    if (request->deadline && request->deadline->unix_ms) {
        bc_clock_format_local(request->deadline->unix_ms, text, sizeof text);
        bc_buf_printf(&buf, "HẠN BÁO CÁO:        %s (giờ Việt Nam)\n", text);
    }
    if (request->data_cutoff) {
        char from[32];
        char to[32];
        s_date(request->data_cutoff->from, from, sizeof from);
        s_date(request->data_cutoff->to, to, sizeof to);
        if (*from || *to) {
            bc_buf_puts(&buf, "Thời kỳ số liệu:   ");
            if (*from) {
                bc_buf_printf(&buf, " từ ngày %s", from);
            }
            if (*to) {
                bc_buf_printf(&buf, " đến ngày %s", to);
            }
            bc_buf_puts(&buf, "\n");
        }
    }

    if (request->n_outline > 0) {
        bc_buf_puts(&buf, "\nĐỀ CƯƠNG BÁO CÁO\n----------------\n");
        for (size_t i = 0; i < request->n_outline; i++) {
            const Baocao__OutlineItem *item = request->outline[i];
            if (!item) {
                continue;
            }
            bc_buf_printf(&buf, "%s. %s\n", s_set(item->number) ? item->number : "-",
                          s_set(item->title) ? item->title : "");
            if (s_set(item->guidance)) {
                bc_buf_printf(&buf, "   Hướng dẫn: %s\n", item->guidance);
            }
            if (item->if_applicable) {
                bc_buf_puts(&buf, "   (Chỉ cơ quan, đơn vị có liên quan báo cáo mục này.)\n");
            }
        }
    }

    if (request->n_indicators > 0) {
        bc_buf_puts(&buf, "\nCHỈ TIÊU SỐ LIỆU (ghi vào chi-tieu.csv)\n"
                          "--------------------------------------\n");
        for (size_t i = 0; i < request->n_indicators; i++) {
            const Baocao__IndicatorDef *def = request->indicators[i];
            if (!def) {
                continue;
            }
            bc_buf_printf(&buf, "  %s: %s", s_set(def->code) ? def->code : "?",
                          s_set(def->name) ? def->name : "");
            if (s_set(def->unit)) {
                bc_buf_printf(&buf, " (đơn vị: %s)", def->unit);
            }
            bc_buf_printf(&buf, "; tổng hợp: %s\n", s_aggregation(def->aggregation));
        }
    }

    if (s_set(request->free_text)) {
        bc_buf_printf(&buf, "\nGhi chú: %s\n", request->free_text);
    }
    const Baocao__Contact *contact = request->contact;
    if (contact && (s_set(contact->unit) || s_set(contact->phone) || s_set(contact->email))) {
        bc_buf_puts(&buf, "\nĐầu mối liên hệ:");
        const char *sep = " ";
        if (s_set(contact->unit)) {
            bc_buf_printf(&buf, "%s%s", sep, contact->unit);
            sep = "; ";
        }
        if (s_set(contact->phone)) {
            bc_buf_printf(&buf, "%sđiện thoại %s", sep, contact->phone);
            sep = "; ";
        }
        if (s_set(contact->email)) {
            bc_buf_printf(&buf, "%sthư điện tử %s", sep, contact->email);
        }
        bc_buf_puts(&buf, "\n");
    }
    const Baocao__Signer *signer = request->signer;
    if (signer && (s_set(signer->authority) || s_set(signer->title) || s_set(signer->name))) {
        bc_buf_puts(&buf, "Người ký:");
        const char *sep = " ";
        const char *parts[] = { signer->authority, signer->title, signer->name };
        for (size_t i = 0; i < 3; i++) {
            if (s_set(parts[i])) {
                bc_buf_printf(&buf, "%s%s", sep, parts[i]);
                sep = " / ";
            }
        }
        bc_buf_puts(&buf, "\n");
    }

    bc_buf_printf(&buf,
        "\nCÁCH TRẢ LỜI\n"
        "------------\n"
        "1. Soạn văn bản báo cáo theo đề cương trên, mỗi mục bắt đầu bằng một dòng\n"
        "   \"số. Tên mục\" (ví dụ \"1. %s\"); lưu thành PDF (bản đã ký, xuất từ\n"
        "   phần mềm soạn thảo để có lớp chữ, không đặt mật khẩu; bản quét không đọc\n"
        "   được) hoặc văn bản thuần (.txt, mã UTF-8),\n"
        "   rồi đặt tệp vào thư mục này (%s). Tệp được gửi ngay khi ghi xong;\n"
        "   tệp có tên bắt đầu bằng \".\" hoặc \"~\" và tệp tạm (*.tmp*) không được gửi.\n"
        "2. Ghi số liệu chỉ tiêu vào tệp %s trong cùng thư mục, đặt vào TRƯỚC văn bản\n"
        "   báo cáo. Dòng đầu là tiêu đề: code,value,note; mỗi chỉ tiêu một dòng; số thập phân\n"
        "   dùng dấu chấm (nếu dùng dấu phẩy thì đặt giá trị trong ngoặc kép: \"97,5\").\n"
        "   Ví dụ:\n"
        "     code,value,note\n",
        request->n_outline > 0 && request->outline[0] && s_set(request->outline[0]->title)
            ? request->outline[0]->title : "Tên mục",
        folder ? folder : ".", BC_DROPDIR_CSV);
    for (size_t i = 0; i < request->n_indicators; i++) {
        const Baocao__IndicatorDef *def = request->indicators[i];
        if (def && s_set(def->code)) {
            bc_buf_printf(&buf, "     %s,0,\n", def->code);
        }
    }
    bc_buf_printf(&buf,
        "   Nếu %s có lỗi, tệp %s cho biết dòng lỗi; văn bản được giữ lại\n"
        "   và gửi ngay khi %s được sửa.\n"
        "3. Khi cơ quan nhận đã lưu báo cáo, văn bản được chuyển vào thư mục %s/ và biên nhận\n"
        "   được ghi vào %s/%s. Nếu bị từ chối, văn bản được chuyển vào thư mục %s/\n"
        "   kèm tệp <tên>%s nêu lý do.\n"
        "4. Muốn bổ sung, thay thế báo cáo đã gửi: đặt văn bản mới vào thư mục này (lần gửi sau).\n",
        BC_DROPDIR_CSV, BC_DROPDIR_CSV_FAULT, BC_DROPDIR_CSV, BC_DROPDIR_SENT,
        BC_DROPDIR_SENT, BC_DROPDIR_RECEIPTS, BC_DROPDIR_FAILED, BC_DROPDIR_FAULT_EXT);
    return bc_buf_take(&buf);
}

//  True when dir holds the .request.pb of a request other than key.
static int
s_taken_by_other(const char *dir, const bc_reqkey_t *key)
{
    Baocao__ReportRequest *existing = NULL;
    if (bc_dropdir_load_request(dir, &existing) != BC_OK) {
        return 0;                       //  free, or not a request folder
    }
    bc_reqkey_t other;
    int differs = bc_reqkey_from_request(existing, &other) != BC_OK
                  || !bc_reqkey_equal(&other, key);
    baocao__report_request__free_unpacked(existing, NULL);
    return differs;
}

bc_err
bc_dropdir_layout(const char *root, const Baocao__ReportRequest *request, char *folder,
                  size_t folder_size)
{
    char name[BC_DROPDIR_FOLDER_MAX];
    bc_err rc = bc_dropdir_folder(request, name, sizeof name);
    if (rc != BC_OK) {
        return rc;
    }
    bc_reqkey_t key;
    bc_reqkey_from_request(request, &key);          //  checked by bc_dropdir_folder
    char *dir = s_join(root, name);
    char *text_path = NULL;
    char *pb_path = NULL;
    char *text = NULL;
    uint8_t *packed = NULL;

    //  Administrative letters restart their numbers every year, so the same
    //  citation can come back as another request: the folder already laid
    //  out keeps its name, the newcomer's gets its promulgation date.
    if (s_taken_by_other(dir, &key)) {
        size_t n = strlen(name);
        snprintf(name + n, sizeof name - n, "-%04u-%02u-%02u", key.year, key.month, key.day);
        free(dir);
        dir = s_join(root, name);
        if (s_taken_by_other(dir, &key)) {
            rc = BC_EEXIST;
            goto leave;
        }
    }
    text_path = s_join(dir, BC_DROPDIR_REQUEST_TEXT);
    pb_path = s_join(dir, BC_DROPDIR_REQUEST_PB);
    rc = bc_fs_mkdirs(dir);
    if (rc != BC_OK) {
        goto leave;
    }
    //  The packed request first: YEU-CAU.txt is what staff see, so it
    //  appears only once the agent can rebuild everything after a restart.
    size_t size = baocao__report_request__get_packed_size(request);
    packed = bc_malloc(size);
    baocao__report_request__pack(request, packed);
    rc = bc_fs_write_atomic(pb_path, packed, size);
    if (rc != BC_OK) {
        goto leave;
    }
    text = bc_dropdir_render(request, name);
    rc = bc_fs_write_atomic(text_path, text, strlen(text));
    if (rc != BC_OK) {
        goto leave;
    }
    snprintf(folder, folder_size, "%s", name);

leave:
    free(packed);
    free(text);
    free(pb_path);
    free(text_path);
    free(dir);
    return rc;
}

bc_err
bc_dropdir_load_request(const char *dir, Baocao__ReportRequest **request_p)
{
    char *path = s_join(dir, BC_DROPDIR_REQUEST_PB);
    char *data = NULL;
    size_t size = 0;
    bc_err rc = bc_fs_read(path, BC_DROPDIR_MAX_REQUEST, &data, &size);
    free(path);
    if (rc != BC_OK) {
        return rc;
    }
    Baocao__ReportRequest *request =
        baocao__report_request__unpack(NULL, size, (const uint8_t *) data);
    free(data);
    if (!request) {
        return BC_EINVAL;
    }
    bc_reqkey_t key;
    if (bc_reqkey_from_request(request, &key) != BC_OK) {
        baocao__report_request__free_unpacked(request, NULL);
        return BC_EINVAL;
    }
    *request_p = request;
    return BC_OK;
}

//  --------------------------------------------------------------------------
//  Documents

static int
s_ends_with_ci(const char *text, const char *suffix)
{
    size_t n = strlen(text);
    size_t m = strlen(suffix);
    return n >= m && strcasecmp(text + n - m, suffix) == 0;
}

int
bc_dropdir_is_document(const char *name)
{
    if (!name || !*name || name[0] == '.' || name[0] == '~' || strchr(name, '/')) {
        return 0;
    }
    if (!(s_ends_with_ci(name, ".txt") || s_ends_with_ci(name, ".pdf")) || strlen(name) == 4) {
        return 0;
    }
    if (strcasecmp(name, BC_DROPDIR_REQUEST_TEXT) == 0
        || strcasecmp(name, BC_DROPDIR_CSV_FAULT) == 0
        || s_ends_with_ci(name, BC_DROPDIR_FAULT_EXT)) {
        return 0;
    }
    //  bc_fs_write_atomic and most editors write "<name>.tmpXXXXXX" first.
    if (strstr(name, ".tmp") || strstr(name, ".TMP")) {
        return 0;
    }
    return 1;
}

static int
s_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

bc_err
bc_dropdir_documents(const char *dir, char ***names_p, size_t *count_p)
{
    DIR *d = opendir(dir);
    if (!d) {
        return bc_fs_from_errno(errno);
    }
    char **names = NULL;
    size_t count = 0;
    size_t cap = 0;
    struct dirent *entry;
    errno = 0;
    while ((entry = readdir(d)) != NULL) {
        if (!bc_dropdir_is_document(entry->d_name)) {
            continue;
        }
        //  Symbolic links are skipped: the agent sends what it reads, and a
        //  link could point anywhere the agent may read.
        struct stat st;
        if (fstatat(dirfd(d), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0
            || !S_ISREG(st.st_mode)) {
            continue;
        }
        if (count == cap) {
            cap = cap ? cap * 2 : 8;
            names = bc_realloc(names, cap * sizeof *names);
        }
        names[count++] = bc_strdup(entry->d_name);
        errno = 0;
    }
    int err = errno;
    closedir(d);
    if (err != 0) {
        bc_dropdir_names_destroy(&names, count);
        return bc_fs_from_errno(err);
    }
    if (count > 1) {
        qsort(names, count, sizeof *names, s_name_cmp);
    }
    *names_p = names;
    *count_p = count;
    return BC_OK;
}

void
bc_dropdir_names_destroy(char ***names_p, size_t count)
{
    if (!names_p || !*names_p) {
        return;
    }
    for (size_t i = 0; i < count; i++) {
        free((*names_p)[i]);
    }
    free(*names_p);
    *names_p = NULL;
}

//  --------------------------------------------------------------------------
//  Indicators

void
bc_dropdir_csv_init(bc_dropdir_csv_t *self)
{
    memset(self, 0, sizeof *self);
}

void
bc_dropdir_csv_release(bc_dropdir_csv_t *self)
{
    for (size_t i = 0; i < self->n_values; i++) {
        baocao__indicator_value__free_unpacked(self->values[i], NULL);
    }
    free(self->values);
    bc_dropdir_csv_init(self);
}

static Baocao__IndicatorValue *
s_value_new(const char *code, double value, const char *note)
{
    Baocao__IndicatorValue *v = bc_malloc(sizeof *v);
    baocao__indicator_value__init(v);
    v->code = bc_strdup(code);
    v->value = value;
    if (s_set(note)) {
        v->note = bc_strdup(note);
    }
    return v;
}

//  A decimal number: optional sign, digits, at most one '.' or ',' followed
//  by digits. Parsed without the locale (the C locale's '.' is assumed by
//  strtod, and executables here never call setlocale).
static int
s_parse_number(const char *text, double *value_p)
{
    char norm[64];
    size_t n = strlen(text);
    if (n == 0 || n >= sizeof norm) {
        return 0;
    }
    size_t i = 0;
    if (text[0] == '-' || text[0] == '+') {
        norm[i] = text[0];
        i++;
    }
    size_t int_digits = 0;
    size_t frac_digits = 0;
    int sep = 0;
    for (; i < n; i++) {
        char c = text[i];
        if (c >= '0' && c <= '9') {
            norm[i] = c;
            if (sep) {
                frac_digits++;
            }
            else {
                int_digits++;
            }
        }
        else if ((c == '.' || c == ',') && !sep) {
            norm[i] = '.';
            sep = 1;
        }
        else {
            return 0;
        }
    }
    norm[n] = '\0';
    if (int_digits == 0 || (sep && frac_digits == 0)) {
        return 0;
    }
    char *end;
    double v = strtod(norm, &end);
    if (*end != '\0' || !isfinite(v)) {
        return 0;
    }
    *value_p = v;
    return 1;
}

static const Baocao__IndicatorDef *
s_find_indicator(const Baocao__ReportRequest *request, const char *code)
{
    for (size_t i = 0; request && i < request->n_indicators; i++) {
        const Baocao__IndicatorDef *def = request->indicators[i];
        if (def && s_set(def->code) && strcasecmp(def->code, code) == 0) {
            return def;
        }
    }
    return NULL;
}

bc_err
bc_dropdir_read_indicators(const char *dir, const Baocao__ReportRequest *request,
                           bc_dropdir_csv_t *csv, bc_buf_t *warnings, char *why,
                           size_t why_size)
{
    assert(csv);
    if (sodium_init() < 0) {
        s_why(why, why_size, "cannot initialise libsodium");
        return BC_EIO;
    }
    char *path = s_join(dir, BC_DROPDIR_CSV);
    char *data = NULL;
    size_t size = 0;
    bc_err rc = bc_fs_read(path, BC_CSV_MAX_INPUT, &data, &size);
    free(path);
    if (rc == BC_ENOTFOUND) {
        bc_dropdir_csv_release(csv);
        return BC_OK;
    }
    if (rc != BC_OK) {
        if (rc == BC_ETOOBIG) {
            s_why(why, why_size, "%s is over %u bytes", BC_DROPDIR_CSV, BC_CSV_MAX_INPUT);
        }
        else if (rc == BC_EINVAL) {
            s_why(why, why_size, "%s is not a regular file", BC_DROPDIR_CSV);
        }
        else {
            s_why(why, why_size, "cannot read %s: %s", BC_DROPDIR_CSV, bc_strerror(rc));
        }
        return rc;
    }

    bc_dropdir_csv_t out;
    bc_dropdir_csv_init(&out);
    out.present = 1;
    crypto_hash_sha256(out.sha256, (const unsigned char *) data, size);

    bc_csv_t *table = NULL;
    size_t bad_line = 0;
    rc = bc_csv_parse(data, size, &table, &bad_line);
    if (rc != BC_OK) {
        if (rc == BC_ETOOBIG) {
            s_why(why, why_size, "%s is over %u bytes", BC_DROPDIR_CSV, BC_CSV_MAX_INPUT);
        }
        else {
            s_why(why, why_size, "line %zu: malformed CSV (an unclosed quote, text after "
                  "a closing quote or a NUL byte)", bad_line);
            rc = BC_EINVAL;
        }
        goto leave;
    }
    size_t rows = bc_csv_rows(table);
    if (rows == 0 || bc_csv_cols(table, 0) != 3
        || strcasecmp(bc_csv_cell(table, 0, 0), "code") != 0
        || strcasecmp(bc_csv_cell(table, 0, 1), "value") != 0
        || strcasecmp(bc_csv_cell(table, 0, 2), "note") != 0) {
        s_why(why, why_size, "line %zu: the first line must be the header code,value,note",
              rows ? bc_csv_line(table, 0) : (size_t) 1);
        rc = BC_EINVAL;
        goto leave;
    }
    size_t cap = 0;
    for (size_t r = 1; r < rows; r++) {
        size_t line = bc_csv_line(table, r);
        size_t cols = bc_csv_cols(table, r);
        if (cols < 2 || cols > 3) {
            s_why(why, why_size, "line %zu: expected code,value,note, found %zu cells "
                  "(a decimal comma needs quotes)", line, cols);
            rc = BC_EINVAL;
            goto leave;
        }
        const char *code = bc_csv_cell(table, r, 0);
        const char *value = bc_csv_cell(table, r, 1);
        const char *note = cols == 3 ? bc_csv_cell(table, r, 2) : "";
        if (!*code) {
            s_why(why, why_size, "line %zu: empty indicator code", line);
            rc = BC_EINVAL;
            goto leave;
        }
        if (strlen(code) > 64) {
            s_why(why, why_size, "line %zu: indicator code longer than 64 bytes", line);
            rc = BC_EINVAL;
            goto leave;
        }
        double number = 0;
        if (*value && !s_parse_number(value, &number)) {
            s_why(why, why_size, "line %zu: value \"%.40s\" of %s is not a decimal number",
                  line, value, code);
            rc = BC_EINVAL;
            goto leave;
        }
        const Baocao__IndicatorDef *def = s_find_indicator(request, code);
        const char *canonical = def ? def->code : code;
        for (size_t i = 0; i < out.n_values; i++) {
            if (strcmp(out.values[i]->code, canonical) == 0) {
                s_why(why, why_size, "line %zu: indicator %s given twice", line, canonical);
                rc = BC_EINVAL;
                goto leave;
            }
        }
        if (!def) {
            if (warnings) {
                bc_buf_printf(warnings, "%s line %zu: skipped unknown indicator %.64s\n",
                              BC_DROPDIR_CSV, line, code);
            }
            continue;
        }
        if (!*value) {
            if (warnings) {
                bc_buf_printf(warnings, "%s line %zu: skipped %s without a value\n",
                              BC_DROPDIR_CSV, line, canonical);
            }
            continue;
        }
        if (out.n_values == cap) {
            cap = cap ? cap * 2 : 8;
            out.values = bc_realloc(out.values, cap * sizeof *out.values);
        }
        out.values[out.n_values++] = s_value_new(canonical, number, note);
    }
    bc_dropdir_csv_release(csv);
    *csv = out;
    bc_dropdir_csv_init(&out);
    rc = BC_OK;

leave:
    bc_dropdir_csv_release(&out);
    bc_csv_destroy(&table);
    free(data);
    return rc;
}

//  --------------------------------------------------------------------------
//  Report

void
bc_dropdir_report_id(const char *code, const bc_reqkey_t *key, const uint8_t *doc_sha256,
                     const uint8_t *csv_sha256, char *out)
{
    static const uint8_t zeros[BC_DROPDIR_SHA256_SIZE];
    char key_text[BC_REQKEY_TEXT_MAX];
    bc_reqkey_format(key, key_text, sizeof key_text);
    crypto_hash_sha256_state state;
    crypto_hash_sha256_init(&state);
    crypto_hash_sha256_update(&state, (const unsigned char *) code, strlen(code) + 1);
    crypto_hash_sha256_update(&state, (const unsigned char *) key_text,
                              strlen(key_text) + 1);
    crypto_hash_sha256_update(&state, doc_sha256, BC_DROPDIR_SHA256_SIZE);
    crypto_hash_sha256_update(&state, csv_sha256 ? csv_sha256 : zeros,
                              BC_DROPDIR_SHA256_SIZE);
    uint8_t digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&state, digest);
    bc_hex_encode(digest, BC_DROPDIR_ID_SIZE, out);
}

static Baocao__Agency *
s_agency_new(const char *code, const char *name)
{
    Baocao__Agency *agency = bc_malloc(sizeof *agency);
    baocao__agency__init(agency);
    if (s_set(code)) {
        agency->code = bc_strdup(code);
    }
    if (s_set(name)) {
        agency->name = bc_strdup(name);
    }
    return agency;
}

bc_err
bc_dropdir_build(const char *dir, const char *name, const Baocao__ReportRequest *request,
                 const char *code, const char *agency_name, const bc_dropdir_csv_t *csv,
                 Baocao__Report **report_p, char *why, size_t why_size)
{
    assert(dir);
    assert(name);
    assert(code);
    if (sodium_init() < 0) {
        s_why(why, why_size, "cannot initialise libsodium");
        return BC_EIO;
    }
    bc_reqkey_t key;
    if (!request || bc_reqkey_from_request(request, &key) != BC_OK) {
        s_why(why, why_size, "request without a valid key");
        return BC_EINVAL;
    }
    char *path = s_join(dir, name);
    char *data = NULL;
    size_t size = 0;
    bc_err rc = bc_fs_read(path, BC_DROPDIR_MAX_DOC, &data, &size);
    free(path);
    if (rc != BC_OK) {
        if (rc == BC_ETOOBIG) {
            s_why(why, why_size, "document over the limit of %u MiB", BC_DROPDIR_MAX_DOC >> 20);
        }
        else if (rc == BC_EINVAL) {
            s_why(why, why_size, "not a regular file");
        }
        else {
            s_why(why, why_size, "cannot read the document: %s", bc_strerror(rc));
        }
        return rc;
    }
    //  Text or the signed PDF itself, told apart by content: a PDF saved
    //  as .txt (or the reverse) is still read for what it is.
    Baocao__Report *report = NULL;
    const char *media_type = BC_DROPDIR_MEDIA_TEXT;
    char parse_why[256] = "";
    rc = bc_docparse_data(data, size, request, &report, &media_type, NULL, parse_why,
                          sizeof parse_why);
    if (rc != BC_OK) {
        s_why(why, why_size, "%s", parse_why);
        free(data);
        //  An encrypted PDF is refused like any unreadable document: staff
        //  must send it again, retrying cannot help.
        return rc == BC_EDENIED || rc == BC_ENOMEM ? BC_EINVAL : rc;
    }

    Baocao__RequestRef *ref = bc_malloc(sizeof *ref);
    Baocao__Date *date = bc_malloc(sizeof *date);
    {
        //  bc_reqkey_to_ref borrows from key: copy into the report's memory.
        Baocao__RequestRef borrowed;
        Baocao__Date borrowed_date;
        bc_reqkey_to_ref(&key, &borrowed, &borrowed_date);
        *ref = borrowed;
        *date = borrowed_date;
        ref->issuer_code = bc_strdup(borrowed.issuer_code);
        ref->notation = bc_strdup(borrowed.notation);
        ref->promulgation_date = date;
    }
    report->request = ref;
    //  The parser names the organ its header shows; the agent knows who
    //  it is (code and registered name), and that is what is sent.
    if (report->sender) {
        baocao__agency__free_unpacked(report->sender, NULL);
    }
    report->sender = s_agency_new(code, agency_name);
    if (report->recipient) {
        baocao__agency__free_unpacked(report->recipient, NULL);
    }
    report->recipient = request->issuer
                        ? s_agency_new(request->issuer->code, request->issuer->name)
                        : s_agency_new(key.issuer, NULL);

    if (csv && csv->n_values > 0) {
        report->indicators = bc_calloc(csv->n_values, sizeof *report->indicators);
        for (size_t i = 0; i < csv->n_values; i++) {
            const Baocao__IndicatorValue *v = csv->values[i];
            report->indicators[i] = s_value_new(v->code, v->value, v->note);
        }
        report->n_indicators = csv->n_values;
    }

    Baocao__Attachment *attachment = bc_malloc(sizeof *attachment);
    baocao__attachment__init(attachment);
    attachment->name = bc_strdup(name);
    attachment->media_type = bc_strdup(media_type);
    attachment->sha256.data = bc_malloc(BC_DROPDIR_SHA256_SIZE);
    attachment->sha256.len = BC_DROPDIR_SHA256_SIZE;
    crypto_hash_sha256(attachment->sha256.data, (const unsigned char *) data, size);
    attachment->data.data = (uint8_t *) data;       //  taken by the report
    attachment->data.len = size;
    report->attachments = bc_malloc(sizeof *report->attachments);
    report->attachments[0] = attachment;
    report->n_attachments = 1;

    report->created_at = bc_malloc(sizeof *report->created_at);
    baocao__timestamp__init(report->created_at);
    report->created_at->unix_ms = bc_clock_now_ms();

    char id[BC_ID_HEX_LEN + 1];
    bc_dropdir_report_id(code, &key, attachment->sha256.data,
                         csv && csv->present ? csv->sha256 : NULL, id);
    report->report_id = bc_strdup(id);
    *report_p = report;
    return BC_OK;
}

//  --------------------------------------------------------------------------
//  After the broker's answer

bc_err
bc_dropdir_file_sha256(const char *dir, const char *name, uint8_t *out)
{
    if (sodium_init() < 0) {
        return BC_EIO;
    }
    char *path = s_join(dir, name);
    char *data = NULL;
    size_t size = 0;
    bc_err rc = bc_fs_read(path, BC_DROPDIR_MAX_DOC, &data, &size);
    free(path);
    if (rc == BC_OK) {
        crypto_hash_sha256(out, (const unsigned char *) data, size);
        free(data);
    }
    return rc;
}

//  name with "-<n>" before its extension (n > 1), the caller frees.
static char *
s_numbered(const char *name, unsigned n)
{
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name) {
        dot = name + strlen(name);
    }
    bc_buf_t buf;
    bc_buf_init(&buf);
    bc_buf_append(&buf, name, (size_t) (dot - name));
    bc_buf_printf(&buf, "-%u%s", n, dot);
    return bc_buf_take(&buf);
}

bc_err
bc_dropdir_move(const char *dir, const char *name, const char *sub, char *moved,
                size_t moved_size)
{
    char *subdir = s_join(dir, sub);
    char *src = s_join(dir, name);
    bc_err rc = BC_OK;
    struct stat st;
    if (lstat(src, &st) != 0) {
        rc = bc_fs_from_errno(errno);
        goto leave;
    }
    rc = bc_fs_mkdirs(subdir);
    if (rc != BC_OK) {
        goto leave;
    }
    rc = BC_EIO;
    for (unsigned n = 1; n < 1000; n++) {
        char *candidate = n == 1 ? bc_strdup(name) : s_numbered(name, n);
        char *dst = s_join(subdir, candidate);
        //  RENAME_NOREPLACE: an earlier document of the same name in sent/
        //  is never overwritten, even if staff copy one there meanwhile.
        int r = renameat2(AT_FDCWD, src, AT_FDCWD, dst, RENAME_NOREPLACE);
        int err = errno;
        if (r != 0 && (err == EINVAL || err == ENOSYS)) {
            //  File systems without RENAME_NOREPLACE: check, then rename.
            struct stat taken;
            if (lstat(dst, &taken) == 0) {
                r = -1;
                err = EEXIST;
            }
            else {
                r = rename(src, dst);
                err = errno;
            }
        }
        free(dst);
        if (r == 0) {
            snprintf(moved, moved_size, "%s", candidate);
            free(candidate);
            rc = BC_OK;
            break;
        }
        free(candidate);
        if (err != EEXIST) {
            rc = bc_fs_from_errno(err);
            break;
        }
    }

leave:
    free(src);
    free(subdir);
    return rc;
}

static bc_err
s_append(const char *path, const char *line)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        return bc_fs_from_errno(errno);
    }
    bc_err rc = BC_OK;
    size_t left = strlen(line);
    const char *p = line;
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
    if (rc == BC_OK && fsync(fd) != 0) {
        rc = bc_fs_from_errno(errno);
    }
    if (close(fd) != 0 && rc == BC_OK) {
        rc = bc_fs_from_errno(errno);
    }
    return rc;
}

bc_err
bc_dropdir_receipt(const char *dir, const char *name, uint32_t revision, uint64_t seq,
                   int late, int duplicate, int64_t at_ms)
{
    char *subdir = s_join(dir, BC_DROPDIR_SENT);
    char *path = s_join(subdir, BC_DROPDIR_RECEIPTS);
    bc_err rc = bc_fs_mkdirs(subdir);
    if (rc == BC_OK) {
        char when[32];
        bc_clock_format_local(at_ms, when, sizeof when);
        bc_buf_t line;
        bc_buf_init(&line);
        bc_buf_printf(&line, "%s  %s  lần %u  số %llu  %s%s\n", when, name, revision,
                      (unsigned long long) seq, late ? "trễ hạn" : "đúng hạn",
                      duplicate ? " (đã nhận trước đó)" : "");
        rc = s_append(path, line.data);
        bc_buf_release(&line);
    }
    free(path);
    free(subdir);
    return rc;
}

bc_err
bc_dropdir_reject(const char *dir, const char *name, const char *reason, char *moved,
                  size_t moved_size)
{
    char used[512];
    bc_err rc = bc_dropdir_move(dir, name, BC_DROPDIR_FAILED, used, sizeof used);
    if (rc != BC_OK) {
        return rc;
    }
    char when[32];
    bc_clock_format_local(bc_clock_now_ms(), when, sizeof when);
    bc_buf_t text;
    bc_buf_init(&text);
    bc_buf_printf(&text,
        "Văn bản \"%s\" KHÔNG được chấp nhận và đã được chuyển vào thư mục %s/.\n"
        "Thời điểm: %s\n"
        "Lý do (nguyên văn): %s\n"
        "Cách xử lý: sửa văn bản theo lý do trên, rồi đặt lại vào thư mục yêu cầu\n"
        "(thư mục chứa %s). Nếu không rõ lý do, liên hệ đầu mối ghi trong %s.\n",
        name, BC_DROPDIR_FAILED, when, reason ? reason : "", BC_DROPDIR_FAILED,
        BC_DROPDIR_REQUEST_TEXT);
    bc_buf_t path;
    bc_buf_init(&path);
    bc_buf_printf(&path, "%s/%s/%s%s", dir, BC_DROPDIR_FAILED, used, BC_DROPDIR_FAULT_EXT);
    rc = bc_fs_write_atomic(path.data, text.data, text.len);
    bc_buf_release(&path);
    bc_buf_release(&text);
    if (rc == BC_OK) {
        snprintf(moved, moved_size, "%s", used);
    }
    return rc;
}

bc_err
bc_dropdir_csv_fault(const char *dir, const char *reason)
{
    char when[32];
    bc_clock_format_local(bc_clock_now_ms(), when, sizeof when);
    bc_buf_t text;
    bc_buf_init(&text);
    bc_buf_printf(&text,
        "Tệp %s CHƯA hợp lệ nên các văn bản báo cáo trong thư mục này đang được giữ lại,\n"
        "chưa gửi.\n"
        "Thời điểm: %s\n"
        "Lỗi (nguyên văn): %s\n"
        "Cách xử lý: sửa %s (dòng đầu là tiêu đề code,value,note; mỗi chỉ tiêu một dòng;\n"
        "giá trị là số, số thập phân dùng dấu chấm) rồi lưu lại. Văn bản được gửi ngay sau đó\n"
        "và tệp này tự xóa.\n",
        BC_DROPDIR_CSV, when, reason ? reason : "", BC_DROPDIR_CSV);
    char *path = s_join(dir, BC_DROPDIR_CSV_FAULT);
    bc_err rc = bc_fs_write_atomic(path, text.data, text.len);
    free(path);
    bc_buf_release(&text);
    return rc;
}

bc_err
bc_dropdir_csv_fault_clear(const char *dir)
{
    char *path = s_join(dir, BC_DROPDIR_CSV_FAULT);
    bc_err rc = BC_OK;
    if (unlink(path) != 0 && errno != ENOENT) {
        rc = bc_fs_from_errno(errno);
    }
    free(path);
    return rc;
}
