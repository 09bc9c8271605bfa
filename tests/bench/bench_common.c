//  bench_common - the bench province, its request and reports, and measuring helpers
#include "bench_common.h"
#include "bc_alloc.h"
#include "bc_clock.h"
#include "bc_id.h"
#include "bc_sign.h"
#include "bc_wire.h"

#include <lmdb.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#define S_DAY_MS        86400000LL
#define S_ISSUE_YEAR    2026            //  a fixed date, so every tool derives the same key
#define S_ISSUE_MONTH   1
#define S_ISSUE_DAY     5
#define S_NOTATION      "STTTT-TTBCXB"

//  Text a department would write, repeated to fill a report's sections.
static const char s_filler[] =
    "Thực hiện Chỉ thị số 06/CT-UBND ngày 07/5/2019 của Ủy ban nhân dân tỉnh, đơn vị đã "
    "quán triệt, phổ biến các văn bản quy phạm pháp luật về báo chí, thông tin trên mạng "
    "cho toàn thể cán bộ, công chức, viên chức và người lao động; tổ chức hội nghị chuyên "
    "đề, cập nhật thông tin trên cổng thông tin điện tử của cơ quan và phối hợp với các cơ "
    "quan báo chí cung cấp thông tin kịp thời, chính xác theo quy định. ";

static const char *s_outline[][2] = {
    { "1", "Công tác tuyên truyền, phổ biến, quán triệt" },
    { "2", "Công tác thông tin đối ngoại, phát ngôn và cung cấp thông tin cho báo chí" },
    { "3", "Công tác phối hợp quản lý hoạt động của phóng viên nước ngoài" },
    { "4", "Khó khăn, vướng mắc và kiến nghị, đề xuất" },
};

static const char *s_indicators[][3] = {
    { "CT01", "Số hội nghị quán triệt đã tổ chức", "hội nghị" },
    { "CT02", "Số buổi họp báo, cung cấp thông tin", "buổi" },
    { "CT03", "Tỷ lệ cán bộ được phổ biến", "%" },
};

void
bench_code(int i, char *out)
{
    snprintf(out, BENCH_CODE_MAX, "001.%02d.%02d.H45", (i / 100) % 100, i % 100);
}

int
bench_write_agencies(const char *path, int n)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        return -1;
    }
    fprintf(f, "code,name,role\n%s,Sở Thông tin và Truyền thông,coordinator operator\n",
            BENCH_COORD);
    for (int i = 0; i < n; i++) {
        char code[BENCH_CODE_MAX];
        bench_code(i, code);
        fprintf(f, "%s,Đơn vị thử tải số %d,department\n", code, i + 1);
    }
    return fclose(f) == 0 ? 0 : -1;
}

int64_t
bench_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static Baocao__Date *
s_date(unsigned y, unsigned m, unsigned d)
{
    Baocao__Date *date = bc_malloc(sizeof *date);
    baocao__date__init(date);
    date->year = y;
    date->month = m;
    date->day = d;
    return date;
}

static Baocao__Agency *
s_agency(const char *code, const char *name)
{
    Baocao__Agency *a = bc_malloc(sizeof *a);
    baocao__agency__init(a);
    a->code = bc_strdup(code);
    a->name = bc_strdup(name);
    return a;
}

Baocao__ReportRequest *
bench_request_new(uint32_t number, int n)
{
    Baocao__ReportRequest *req = bc_malloc(sizeof *req);
    baocao__report_request__init(req);
    req->number = number;
    req->notation = bc_strdup(S_NOTATION);
    req->issuer = s_agency(BENCH_COORD, "Sở Thông tin và Truyền thông");
    req->place = bc_strdup("Quảng Trị");
    req->promulgation_date = s_date(S_ISSUE_YEAR, S_ISSUE_MONTH, S_ISSUE_DAY);
    req->document_type = bc_strdup("Công văn");
    req->kind = BAOCAO__REPORT_KIND__THEMATIC;
    req->subject = bc_strdup("Báo cáo kết quả thực hiện Chỉ thị số 06/CT-UBND ngày 07/5/2019 "
                             "của Ủy ban nhân dân tỉnh (đợt thử tải)");
    req->n_recipients = (size_t) n;
    req->recipients = bc_calloc((size_t) (n ? n : 1), sizeof *req->recipients);
    for (int i = 0; i < n; i++) {
        char code[BENCH_CODE_MAX], name[64];
        bench_code(i, code);
        snprintf(name, sizeof name, "Đơn vị thử tải số %d", i + 1);
        req->recipients[i] = s_agency(code, name);
    }
    size_t n_outline = sizeof s_outline / sizeof s_outline[0];
    req->n_outline = n_outline;
    req->outline = bc_calloc(n_outline, sizeof *req->outline);
    for (size_t i = 0; i < n_outline; i++) {
        Baocao__OutlineItem *o = bc_malloc(sizeof *o);
        baocao__outline_item__init(o);
        o->number = bc_strdup(s_outline[i][0]);
        o->title = bc_strdup(s_outline[i][1]);
        o->guidance = bc_strdup("Nêu kết quả cụ thể, số liệu kèm theo.");
        req->outline[i] = o;
    }
    size_t n_ind = sizeof s_indicators / sizeof s_indicators[0];
    req->n_indicators = n_ind;
    req->indicators = bc_calloc(n_ind, sizeof *req->indicators);
    for (size_t i = 0; i < n_ind; i++) {
        Baocao__IndicatorDef *d = bc_malloc(sizeof *d);
        baocao__indicator_def__init(d);
        d->code = bc_strdup(s_indicators[i][0]);
        d->name = bc_strdup(s_indicators[i][1]);
        d->unit = bc_strdup(s_indicators[i][2]);
        d->aggregation = i == 2 ? BAOCAO__AGGREGATION__AVERAGE : BAOCAO__AGGREGATION__SUM;
        req->indicators[i] = d;
    }
    int64_t issued = bc_clock_days_from_civil(S_ISSUE_YEAR, S_ISSUE_MONTH, S_ISSUE_DAY) * S_DAY_MS;
    int64_t now = bc_clock_now_ms();
    req->deadline = bc_malloc(sizeof *req->deadline);
    baocao__timestamp__init(req->deadline);
    req->deadline->unix_ms = (now > issued ? now : issued) + 30 * S_DAY_MS;
    return req;
}

void
bench_request_free(Baocao__ReportRequest **req_p)
{
    if (req_p && *req_p) {
        baocao__report_request__free_unpacked(*req_p, NULL);
        *req_p = NULL;
    }
}

void
bench_request_key(uint32_t number, bc_reqkey_t *key)
{
    Baocao__ReportRequest *req = bench_request_new(number, 0);
    bc_reqkey_from_request(req, key);
    bench_request_free(&req);
}

//  Fills bodies[4] with filler so the packed report reaches target bytes.
static void
s_fill_bodies(char **bodies, size_t per)
{
    size_t flen = strlen(s_filler);
    for (int s = 0; s < 4; s++) {
        char *b = bc_malloc(per + 1);
        size_t at = 0;
        while (at < per) {
            size_t take = per - at < flen ? per - at : flen;
            memcpy(b + at, s_filler, take);
            at += take;
        }
        //  Never end inside a UTF-8 sequence: blank out a cut character.
        size_t end = per;
        size_t i = end;
        while (i > 0 && ((unsigned char) b[i - 1] & 0xC0) == 0x80) {
            i--;
        }
        if (i > 0 && ((unsigned char) b[i - 1] & 0x80)) {
            unsigned char lead = (unsigned char) b[i - 1];
            size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
            if (end - (i - 1) < need) {
                memset(b + i - 1, '.', end - (i - 1));
            }
        }
        b[per] = '\0';
        free(bodies[s]);
        bodies[s] = b;
    }
}

//  Builds a report on the stack-owned parts given, packs it to the exact
//  stored size (revision 1 and a 64-byte signature included when signing).
typedef struct {
    Baocao__Report report;
    bc_reqkey_t key;                    //  ref points into it
    Baocao__RequestRef ref;
    Baocao__Date date;
    Baocao__Agency sender;
    Baocao__Section sections[4];
    Baocao__Section *section_links[4];
    Baocao__IndicatorValue values[3];
    Baocao__IndicatorValue *value_links[3];
    Baocao__LegalRef legal;
    Baocao__LegalRef *legal_links[1];
    Baocao__Date legal_date;
    char *bodies[4];
    char subject[160];
    char report_id[BC_ID_HEX_LEN + 1];
} s_report_t;

static void
s_report_build(s_report_t *r, const char *code, uint32_t number, size_t size, int signing)
{
    memset(r, 0, sizeof *r);
    bench_request_key(number, &r->key);
    bc_reqkey_to_ref(&r->key, &r->ref, &r->date);
    baocao__report__init(&r->report);
    baocao__agency__init(&r->sender);
    r->sender.code = (char *) code;
    r->sender.name = "Đơn vị thử tải";
    bc_id_new(r->report_id);
    snprintf(r->subject, sizeof r->subject, "Báo cáo kết quả thực hiện Chỉ thị 06/CT-UBND của %s",
             code);
    r->report.request = &r->ref;
    r->report.sender = &r->sender;
    r->report.subject = r->subject;
    r->report.report_id = r->report_id;
    for (int s = 0; s < 4; s++) {
        baocao__section__init(&r->sections[s]);
        r->sections[s].number = (char *) s_outline[s][0];
        r->sections[s].title = (char *) s_outline[s][1];
        r->sections[s].outline_item = (char *) s_outline[s][0];
        r->section_links[s] = &r->sections[s];
    }
    r->report.sections = r->section_links;
    r->report.n_sections = 4;
    for (int i = 0; i < 3; i++) {
        baocao__indicator_value__init(&r->values[i]);
        r->values[i].code = (char *) s_indicators[i][0];
        r->values[i].value = i == 2 ? 95.5 : (double) (1 + (number + (uint32_t) i) % 7);
        r->value_links[i] = &r->values[i];
    }
    r->report.indicators = r->value_links;
    r->report.n_indicators = 3;
    baocao__legal_ref__init(&r->legal);
    baocao__date__init(&r->legal_date);
    r->legal_date.year = 2019;
    r->legal_date.month = 5;
    r->legal_date.day = 7;
    r->legal.kind = "Chỉ thị";
    r->legal.number = 6;
    r->legal.notation = "CT-UBND";
    r->legal.date = &r->legal_date;
    r->legal.issuer = "Ủy ban nhân dân tỉnh";
    r->legal_links[0] = &r->legal;
    r->report.legal_refs = r->legal_links;
    r->report.n_legal_refs = 1;
    r->report.closing = "Trên đây là báo cáo của đơn vị.";
    //  Size the bodies: measure with empty ones, then fill the difference.
    static const uint8_t zero_sig[64];
    size_t per = 0;
    for (int pass = 0; pass < 4; pass++) {
        s_fill_bodies(r->bodies, per);
        for (int s = 0; s < 4; s++) {
            r->sections[s].body = r->bodies[s];
        }
        r->report.revision = 1;
        if (signing) {
            r->report.signature.data = (uint8_t *) zero_sig;
            r->report.signature.len = 64;
        }
        size_t got = baocao__report__get_packed_size(&r->report);
        r->report.revision = 0;
        r->report.signature.data = NULL;
        r->report.signature.len = 0;
        if (got == size) {
            break;
        }
        long diff = (long) size - (long) got;
        long next = (long) per + diff / 4;
        if (diff > 0 && diff / 4 == 0) {
            next = (long) per + 1;
        }
        per = next > 0 ? (size_t) next : 0;
    }
}

static void
s_report_release(s_report_t *r)
{
    for (int s = 0; s < 4; s++) {
        free(r->bodies[s]);
    }
}

uint8_t *
bench_report_envelope(const char *code, uint32_t number, size_t size, const uint8_t *secret,
                      char *id, size_t *size_p)
{
    s_report_t r;
    s_report_build(&r, code, number, size, secret != NULL);
    if (secret) {
        bc_sign_report(&r.report, secret);
    }
    Baocao__SubmitReport submit = BAOCAO__SUBMIT_REPORT__INIT;
    submit.report = &r.report;
    bc_wire_out_t out;
    bc_wire_out_init(&out);
    out.env.body_case = BAOCAO__ENVELOPE__BODY_SUBMIT_REPORT;
    out.env.submit_report = &submit;
    uint8_t *bytes = bc_wire_pack(&out.env, size_p);
    memcpy(id, out.id, BC_ID_HEX_LEN + 1);
    free(r.report.signature.data);
    s_report_release(&r);
    return bytes;
}

void
bench_report_canonical(size_t size, uint8_t **canonical_p, size_t *canonical_size_p)
{
    s_report_t r;
    char code[BENCH_CODE_MAX];
    bench_code(0, code);
    s_report_build(&r, code, 1, size, 1);
    bc_sign_canonical(&r.report, canonical_p, canonical_size_p);
    s_report_release(&r);
}

void
bench_lat_add(bench_lat_t *self, int64_t us)
{
    if (self->n == self->cap) {
        self->cap = self->cap ? self->cap * 2 : 4096;
        self->us = bc_realloc(self->us, self->cap * sizeof *self->us);
    }
    self->us[self->n++] = us < 0 ? 0 : us > UINT32_MAX ? UINT32_MAX : (uint32_t) us;
}

static int
s_cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;
    return x < y ? -1 : x > y;
}

double
bench_lat_pct(bench_lat_t *self, double p)
{
    if (self->n == 0) {
        return 0;
    }
    qsort(self->us, self->n, sizeof *self->us, s_cmp_u32);
    size_t i = (size_t) (p / 100.0 * (double) self->n);
    if (i >= self->n) {
        i = self->n - 1;
    }
    return self->us[i];
}

void
bench_lat_free(bench_lat_t *self)
{
    free(self->us);
    memset(self, 0, sizeof *self);
}

double
bench_proc_cpu(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int) pid);
    FILE *f = fopen(path, "r");
    if (!f) {
        return -1;
    }
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    //  Fields after the command name, which may hold spaces: from the last ')'.
    char *p = strrchr(buf, ')');
    if (!p) {
        return -1;
    }
    unsigned long utime = 0, stime = 0;
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime)
        != 2) {
        return -1;
    }
    return (double) (utime + stime) / (double) sysconf(_SC_CLK_TCK);
}

long
bench_proc_kb(pid_t pid, const char *field)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int) pid);
    FILE *f = fopen(path, "r");
    if (!f) {
        return -1;
    }
    size_t flen = strlen(field);
    long kb = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, field, flen) == 0 && line[flen] == ':') {
            kb = strtol(line + flen + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kb;
}

double
bench_self_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double) ru.ru_utime.tv_sec + (double) ru.ru_utime.tv_usec / 1e6
           + (double) ru.ru_stime.tv_sec + (double) ru.ru_stime.tv_usec / 1e6;
}

long long
bench_store_txnid(const char *dir)
{
    MDB_env *env = NULL;
    if (mdb_env_create(&env) != 0) {
        return -1;
    }
    long long id = -1;
    mdb_env_set_maxdbs(env, 32);
    if (mdb_env_open(env, dir, MDB_RDONLY | MDB_NOTLS, 0640) == 0) {
        MDB_envinfo info;
        if (mdb_env_info(env, &info) == 0) {
            id = (long long) info.me_last_txnid;
        }
    }
    mdb_env_close(env);
    return id;
}

int
bench_load_key(const char *province, const char *code, bc_cert_t *cert)
{
    char path[1024], why[256];
    snprintf(path, sizeof path, "%s/%s/%s.key", province, code, code);
    if (bc_cert_load(cert, path, why, sizeof why) != BC_OK) {
        fprintf(stderr, "bench: %s\n", why);
        return -1;
    }
    return 0;
}

int
bench_curve_client(void *sock, const bc_cert_t *me, const bc_cert_t *broker)
{
    if (zmq_setsockopt(sock, ZMQ_CURVE_SERVERKEY, broker->curve_public, BC_CERT_Z85_LEN) != 0
        || zmq_setsockopt(sock, ZMQ_CURVE_PUBLICKEY, me->curve_public, BC_CERT_Z85_LEN) != 0
        || zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, me->curve_secret, BC_CERT_Z85_LEN) != 0) {
        return -1;
    }
    return 0;
}
