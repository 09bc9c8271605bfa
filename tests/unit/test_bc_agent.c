//  test_bc_agent - unit tests of agents/agent: drop folder, report building, protocol
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include "bc_agent.h"
#include "bc_alloc.h"
#include "bc_clock.h"
#include "bc_dropdir.h"
#include "bc_fs.h"
#include "bc_id.h"
#include "bc_reqkey.h"
#include "bc_wire.h"

#define S_CODE      "000.00.04.H45"
#define S_NAME      "Sở Nội vụ"
#define S_FOLDER    "1005-STTTT-TTBCXB"

//  --------------------------------------------------------------------------
//  Fixtures

//  The demo request 1005/STTTT-TTBCXB, built on the stack (all borrowed).
typedef struct {
    Baocao__ReportRequest request;
    Baocao__Agency issuer;
    Baocao__Date date;
    Baocao__OutlineItem items[4];
    Baocao__OutlineItem *item_ptrs[4];
    Baocao__IndicatorDef defs[4];
    Baocao__IndicatorDef *def_ptrs[4];
    Baocao__LegalRef basis;
    Baocao__LegalRef *basis_ptr;
    Baocao__Date basis_date;
    Baocao__DateRange cutoff;
    Baocao__Date from;
    Baocao__Date to;
    Baocao__Timestamp deadline;
    Baocao__Contact contact;
    Baocao__Signer signer;
    Baocao__Agency recipient;
    Baocao__Agency *recipient_ptr;
} s_req_t;

static void
s_req_init(s_req_t *self)
{
    memset(self, 0, sizeof *self);
    Baocao__ReportRequest *r = &self->request;
    baocao__report_request__init(r);
    r->number = 1005;
    r->notation = "STTTT-TTBCXB";
    baocao__agency__init(&self->issuer);
    self->issuer.code = "000.00.07.H45";
    self->issuer.name = "Sở Thông tin và Truyền thông";
    r->issuer = &self->issuer;
    r->place = "Quảng Trị";
    baocao__date__init(&self->date);
    self->date.year = 2026;
    self->date.month = 11;
    self->date.day = 20;
    r->promulgation_date = &self->date;
    r->document_type = "Công văn";
    r->kind = BAOCAO__REPORT_KIND__THEMATIC;
    r->subject = "Báo cáo kết quả thực hiện Chỉ thị số 06/CT-UBND ngày 07/5/2019";

    baocao__legal_ref__init(&self->basis);
    self->basis.kind = "Chỉ thị";
    self->basis.number = 6;
    self->basis.notation = "CT-UBND";
    baocao__date__init(&self->basis_date);
    self->basis_date.year = 2019;
    self->basis_date.month = 5;
    self->basis_date.day = 7;
    self->basis.date = &self->basis_date;
    self->basis.issuer = "Ủy ban nhân dân tỉnh";
    self->basis.title = "về tăng cường công tác quản lý thông tin, báo chí";
    self->basis_ptr = &self->basis;
    r->legal_basis = &self->basis_ptr;
    r->n_legal_basis = 1;

    baocao__agency__init(&self->recipient);
    self->recipient.code = S_CODE;
    self->recipient.name = S_NAME;
    self->recipient_ptr = &self->recipient;
    r->recipients = &self->recipient_ptr;
    r->n_recipients = 1;

    static const char *numbers[] = { "1", "2", "3", "4" };
    static const char *titles[] = {
        "Công tác tuyên truyền, phổ biến, quán triệt",
        "Công tác thông tin đối ngoại, phát ngôn và cung cấp thông tin cho báo chí",
        "Công tác phối hợp quản lý hoạt động của phóng viên nước ngoài trên địa bàn",
        "Khó khăn, vướng mắc; đề xuất, kiến nghị",
    };
    for (size_t i = 0; i < 4; i++) {
        baocao__outline_item__init(&self->items[i]);
        self->items[i].number = (char *) numbers[i];
        self->items[i].title = (char *) titles[i];
        self->items[i].guidance = i == 0 ? "Số hội nghị đã tổ chức." : "";
        self->items[i].if_applicable = i == 2;
        self->item_ptrs[i] = &self->items[i];
    }
    r->outline = self->item_ptrs;
    r->n_outline = 4;

    static const char *codes[] = { "HOP_BAO", "LUOT_PV", "HOI_NGHI_QT", "TY_LE_CBCC" };
    static const char *names[] = { "Số cuộc họp báo", "Số lượt phóng viên",
                                   "Số hội nghị quán triệt", "Tỷ lệ cán bộ được phổ biến" };
    static const char *units[] = { "cuộc", "lượt", "hội nghị", "%" };
    for (size_t i = 0; i < 4; i++) {
        baocao__indicator_def__init(&self->defs[i]);
        self->defs[i].code = (char *) codes[i];
        self->defs[i].name = (char *) names[i];
        self->defs[i].unit = (char *) units[i];
        self->defs[i].aggregation = i == 3 ? BAOCAO__AGGREGATION__AVERAGE
                                           : BAOCAO__AGGREGATION__SUM;
        self->def_ptrs[i] = &self->defs[i];
    }
    r->indicators = self->def_ptrs;
    r->n_indicators = 4;

    baocao__date_range__init(&self->cutoff);
    baocao__date__init(&self->from);
    baocao__date__init(&self->to);
    self->from.year = 2025;
    self->from.month = 11;
    self->from.day = 15;
    self->to.year = 2026;
    self->to.month = 11;
    self->to.day = 14;
    self->cutoff.from = &self->from;
    self->cutoff.to = &self->to;
    r->data_cutoff = &self->cutoff;

    baocao__timestamp__init(&self->deadline);
    int64_t ms = 0;
    assert_int_equal(bc_clock_parse_rfc3339("2026-12-01T17:00:00+07:00", &ms), 0);
    self->deadline.unix_ms = ms;
    r->deadline = &self->deadline;
    r->priority = BAOCAO__PRIORITY__NORMAL;
    baocao__contact__init(&self->contact);
    self->contact.unit = "Phòng Thông tin - Báo chí - Xuất bản";
    self->contact.phone = "0233 3 555 555";
    self->contact.email = "ttbcxb.stttt@quangtri.gov.vn";
    r->contact = &self->contact;
    baocao__signer__init(&self->signer);
    self->signer.authority = "KT. GIÁM ĐỐC";
    self->signer.title = "PHÓ GIÁM ĐỐC";
    self->signer.name = "Lê Quang Vinh";
    r->signer = &self->signer;
    r->free_text = "Đề nghị gửi báo cáo đúng hạn.";
}

static const char s_doc[] =
    "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ\n"
    "SỞ NỘI VỤ\n"
    "Số: 2318/SNV-VP\n"
    "V/v báo cáo kết quả thực hiện Chỉ thị số 06/CT-UBND\n"
    "Quảng Trị, ngày 24 tháng 11 năm 2026\n"
    "\n"
    "Kính gửi: Sở Thông tin và Truyền thông.\n"
    "\n"
    "1. Công tác tuyên truyền, phổ biến\n"
    "Sở tổ chức 02 hội nghị.\n"
    "2. Công tác phát ngôn\n"
    "Sở chủ trì 02 cuộc họp báo.\n"
    "4. Khó khăn, vướng mắc\n"
    "- Đề xuất một;\n"
    "\n"
    "Trên đây là báo cáo của Sở Nội vụ./.\n"
    "\n"
    "Nơi nhận:\n"
    "- Như trên;\n"
    "- Lưu: VT, VP.\n"
    "KT. GIÁM ĐỐC\n"
    "PHÓ GIÁM ĐỐC\n"
    "Nguyễn Thị Thu Hà\n";

static const char s_csv_ok[] =
    "code,value,note\n"
    "HOP_BAO,2,\n"
    "LUOT_PV,18,họp báo và cung cấp thông tin\n"
    "HOI_NGHI_QT,2\n"
    "TY_LE_CBCC,\"97,3\",\n";

static int
s_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void) st;
    (void) flag;
    (void) ftw;
    return remove(path);
}

static int
s_setup(void **state)
{
    char *dir = bc_strdup("/tmp/test_bc_agent.XXXXXX");
    if (!mkdtemp(dir)) {
        free(dir);
        return -1;
    }
    *state = dir;
    return 0;
}

static int
s_teardown(void **state)
{
    char *dir = *state;
    nftw(dir, s_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
    return 0;
}

static char *
s_path(const char *a, const char *b)
{
    bc_buf_t buf;
    bc_buf_init(&buf);
    bc_buf_printf(&buf, "%s/%s", a, b);
    return bc_buf_take(&buf);
}

static void
s_write(const char *dir, const char *name, const char *text, size_t size)
{
    char *path = s_path(dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, size, f), size);
    assert_int_equal(fclose(f), 0);
    free(path);
}

//  Writes under a hidden name, then renames (what editors and copy tools do).
static void
s_write_moved(const char *dir, const char *name, const char *text, size_t size)
{
    char hidden[256];
    snprintf(hidden, sizeof hidden, ".%s.part", name);
    s_write(dir, hidden, text, size);
    char *from = s_path(dir, hidden);
    char *to = s_path(dir, name);
    assert_int_equal(rename(from, to), 0);
    free(from);
    free(to);
}

static char *
s_read(const char *dir, const char *name)
{
    char *path = s_path(dir, name);
    char *data = NULL;
    size_t size = 0;
    bc_err rc = bc_fs_read(path, 1 << 24, &data, &size);
    free(path);
    return rc == BC_OK ? data : NULL;
}

static int
s_exists(const char *dir, const char *name)
{
    char *path = s_path(dir, name);
    struct stat st;
    int found = stat(path, &st) == 0;
    free(path);
    return found;
}

//  Lays out the request in root and returns the folder's path.
static char *
s_laid_out(const char *root, const s_req_t *req)
{
    char folder[BC_DROPDIR_FOLDER_MAX];
    assert_int_equal(bc_dropdir_layout(root, &req->request, folder, sizeof folder), BC_OK);
    assert_string_equal(folder, S_FOLDER);
    return s_path(root, folder);
}

static Baocao__Report *
s_build(const char *dir, const char *name, const s_req_t *req, bc_buf_t *warnings)
{
    bc_dropdir_csv_t csv;
    bc_dropdir_csv_init(&csv);
    char why[256] = "";
    bc_err rc = bc_dropdir_read_indicators(dir, &req->request, &csv, warnings, why, sizeof why);
    if (rc != BC_OK) {
        fail_msg("indicators: %s: %s", bc_strerror(rc), why);
    }
    Baocao__Report *report = NULL;
    rc = bc_dropdir_build(dir, name, &req->request, S_CODE, S_NAME, &csv, &report, why,
                          sizeof why);
    if (rc != BC_OK) {
        fail_msg("build: %s: %s", bc_strerror(rc), why);
    }
    bc_dropdir_csv_release(&csv);
    return report;
}

//  --------------------------------------------------------------------------
//  Folder, request text, layout

static void
test_folder_name(void **state)
{
    (void) state;
    s_req_t req;
    s_req_init(&req);
    char out[BC_DROPDIR_FOLDER_MAX];
    assert_int_equal(bc_dropdir_folder(&req.request, out, sizeof out), BC_OK);
    assert_string_equal(out, "1005-STTTT-TTBCXB");

    req.request.number = 46;
    req.request.year = 2021;
    req.request.notation = "QD-UBND";
    assert_int_equal(bc_dropdir_folder(&req.request, out, sizeof out), BC_OK);
    assert_string_equal(out, "46-2021-QĐ-UBND");

    //  Nothing that could escape the drop root gets through.
    req.request.notation = "../../etc";
    assert_int_equal(bc_dropdir_folder(&req.request, out, sizeof out), BC_EINVAL);
    req.request.notation = "A/B";
    assert_int_equal(bc_dropdir_folder(&req.request, out, sizeof out), BC_EINVAL);
    req.request.notation = "STTTT-TTBCXB";
    req.request.issuer = NULL;
    assert_int_equal(bc_dropdir_folder(&req.request, out, sizeof out), BC_EINVAL);
    s_req_init(&req);
    req.request.promulgation_date = NULL;
    assert_int_equal(bc_dropdir_folder(&req.request, out, sizeof out), BC_EINVAL);
    assert_int_equal(bc_dropdir_folder(NULL, out, sizeof out), BC_EINVAL);
}

static void
test_render(void **state)
{
    (void) state;
    s_req_t req;
    s_req_init(&req);
    char *text = bc_dropdir_render(&req.request, S_FOLDER);
    static const char *expected[] = {
        "1005/STTTT-TTBCXB", "20/11/2026", "Sở Thông tin và Truyền thông", "000.00.07.H45",
        "Công văn", "chuyên đề",
        "Báo cáo kết quả thực hiện Chỉ thị số 06/CT-UBND ngày 07/5/2019",
        "Chỉ thị số 06/CT-UBND ngày 07/05/2019 của Ủy ban nhân dân tỉnh về tăng cường",
        "2026-12-01 17:00", "15/11/2025", "14/11/2026",
        "1. Công tác tuyên truyền, phổ biến, quán triệt",
        "2. Công tác thông tin đối ngoại, phát ngôn và cung cấp thông tin cho báo chí",
        "3. Công tác phối hợp quản lý hoạt động của phóng viên nước ngoài trên địa bàn",
        "4. Khó khăn, vướng mắc; đề xuất, kiến nghị", "Số hội nghị đã tổ chức.",
        "HOP_BAO: Số cuộc họp báo (đơn vị: cuộc)", "TY_LE_CBCC", "trung bình",
        "Phòng Thông tin - Báo chí - Xuất bản", "0233 3 555 555",
        "ttbcxb.stttt@quangtri.gov.vn", "Lê Quang Vinh", "Đề nghị gửi báo cáo đúng hạn.",
        "chi-tieu.csv", "code,value,note", "HOP_BAO,0,", S_FOLDER, ".txt", "sent/",
        "BIEN-NHAN.txt", "loi/",
    };
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        if (!strstr(text, expected[i])) {
            fail_msg("YEU-CAU.txt lacks \"%s\":\n%s", expected[i], text);
        }
    }
    free(text);

    //  A nearly empty request renders without crashing.
    Baocao__ReportRequest empty = BAOCAO__REPORT_REQUEST__INIT;
    text = bc_dropdir_render(&empty, NULL);
    assert_non_null(strstr(text, "YÊU CẦU BÁO CÁO"));
    free(text);
}

static void
test_layout(void **state)
{
    const char *root = *state;
    s_req_t req;
    s_req_init(&req);
    char *drop = s_path(root, "drop/sub");             //  created with parents
    char *dir = s_laid_out(drop, &req);
    assert_true(s_exists(dir, BC_DROPDIR_REQUEST_TEXT));
    assert_true(s_exists(dir, BC_DROPDIR_REQUEST_PB));
    char *text = s_read(dir, BC_DROPDIR_REQUEST_TEXT);
    assert_non_null(text);
    assert_non_null(strstr(text, req.request.subject));
    for (size_t i = 0; i < req.request.n_outline; i++) {
        assert_non_null(strstr(text, req.request.outline[i]->title));
    }
    free(text);

    Baocao__ReportRequest *back = NULL;
    assert_int_equal(bc_dropdir_load_request(dir, &back), BC_OK);
    size_t n1 = baocao__report_request__get_packed_size(&req.request);
    size_t n2 = baocao__report_request__get_packed_size(back);
    assert_int_equal(n1, n2);
    uint8_t *b1 = bc_malloc(n1);
    uint8_t *b2 = bc_malloc(n2);
    baocao__report_request__pack(&req.request, b1);
    baocao__report_request__pack(back, b2);
    assert_memory_equal(b1, b2, n1);
    free(b1);
    free(b2);
    baocao__report_request__free_unpacked(back, NULL);

    //  Again: idempotent, and no temporary file left behind.
    free(s_laid_out(drop, &req));
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t entries = 0;
    struct dirent *entry;
    while ((entry = readdir(d)) != NULL) {
        if (strcmp(entry->d_name, ".") && strcmp(entry->d_name, "..")) {
            entries++;
        }
    }
    closedir(d);
    assert_int_equal(entries, 2);

    //  The same citation a year later is another request: its own folder.
    s_req_t next;
    s_req_init(&next);
    next.date.year = 2027;
    char folder[BC_DROPDIR_FOLDER_MAX];
    assert_int_equal(bc_dropdir_layout(drop, &next.request, folder, sizeof folder), BC_OK);
    assert_string_equal(folder, S_FOLDER "-2027-11-20");
    assert_int_equal(bc_dropdir_layout(drop, &next.request, folder, sizeof folder), BC_OK);
    assert_string_equal(folder, S_FOLDER "-2027-11-20");
    free(s_laid_out(drop, &req));                      //  the first keeps its own
    next.issuer.code = "000.00.99.H45";                //  both names taken
    assert_int_equal(bc_dropdir_layout(drop, &next.request, folder, sizeof folder), BC_EEXIST);

    //  A damaged .request.pb is refused, a missing one is not found.
    s_write(dir, BC_DROPDIR_REQUEST_PB, "\xff\xff\xff", 3);
    back = NULL;
    assert_int_equal(bc_dropdir_load_request(dir, &back), BC_EINVAL);
    assert_null(back);
    assert_int_equal(bc_dropdir_load_request(root, &back), BC_ENOTFOUND);
    free(dir);
    free(drop);
}

static void
test_is_document(void **state)
{
    (void) state;
    assert_true(bc_dropdir_is_document("bao-cao.txt"));
    assert_true(bc_dropdir_is_document("BAO CAO.TXT"));
    assert_true(bc_dropdir_is_document("Báo cáo lần 2.Txt"));
    assert_false(bc_dropdir_is_document("YEU-CAU.txt"));
    assert_false(bc_dropdir_is_document("yeu-cau.TXT"));
    assert_false(bc_dropdir_is_document("LOI-chi-tieu.txt"));
    assert_false(bc_dropdir_is_document("bao-cao.txt.LOI.txt"));
    assert_false(bc_dropdir_is_document(".bao-cao.txt"));
    assert_false(bc_dropdir_is_document("~bao-cao.txt"));
    assert_false(bc_dropdir_is_document("bao-cao.txt.tmpA1b2C3"));
    assert_false(bc_dropdir_is_document("bao-cao.tmp.txt"));
    assert_true(bc_dropdir_is_document("bao-cao.pdf"));
    assert_false(bc_dropdir_is_document("chi-tieu.csv"));
    assert_false(bc_dropdir_is_document(".txt"));
    assert_false(bc_dropdir_is_document("txt"));
    assert_false(bc_dropdir_is_document(""));
    assert_false(bc_dropdir_is_document(NULL));
}

static void
test_documents(void **state)
{
    const char *root = *state;
    s_req_t req;
    s_req_init(&req);
    char *dir = s_laid_out(root, &req);
    s_write(dir, "bao-cao.txt", "x", 1);
    s_write(dir, "BAO-CAO-2.TXT", "x", 1);
    s_write(dir, ".an.txt", "x", 1);
    s_write(dir, "~lock.txt", "x", 1);
    s_write(dir, "x.txt.tmpAB12", "x", 1);
    s_write(dir, "chi-tieu.csv", "x", 1);
    char *sent = s_path(dir, "sent");
    assert_int_equal(mkdir(sent, 0750), 0);
    s_write(sent, "cu.txt", "x", 1);
    char *folder_txt = s_path(dir, "thu-muc.txt");
    assert_int_equal(mkdir(folder_txt, 0750), 0);
    char *link = s_path(dir, "lien-ket.txt");
    assert_int_equal(symlink("/etc/passwd", link), 0);

    char **names = NULL;
    size_t count = 0;
    assert_int_equal(bc_dropdir_documents(dir, &names, &count), BC_OK);
    assert_int_equal(count, 2);
    assert_string_equal(names[0], "BAO-CAO-2.TXT");
    assert_string_equal(names[1], "bao-cao.txt");
    bc_dropdir_names_destroy(&names, count);
    assert_null(names);

    char *missing = s_path(root, "khong-co");
    assert_int_equal(bc_dropdir_documents(missing, &names, &count), BC_ENOTFOUND);
    free(missing);
    free(link);
    free(folder_txt);
    free(sent);
    free(dir);
}

//  --------------------------------------------------------------------------
//  Building reports

static void
test_build(void **state)
{
    const char *root = *state;
    s_req_t req;
    s_req_init(&req);
    char *dir = s_laid_out(root, &req);
    s_write(dir, BC_DROPDIR_CSV, s_csv_ok, strlen(s_csv_ok));
    s_write(dir, "bao-cao.txt", s_doc, strlen(s_doc));

    int64_t before = bc_clock_now_ms();
    bc_buf_t warnings;
    bc_buf_init(&warnings);
    Baocao__Report *report = s_build(dir, "bao-cao.txt", &req, &warnings);
    assert_int_equal(warnings.len, 0);
    bc_buf_release(&warnings);

    //  The request it answers, sender and recipient.
    assert_non_null(report->request);
    assert_string_equal(report->request->issuer_code, "000.00.07.H45");
    assert_int_equal(report->request->number, 1005);
    assert_int_equal(report->request->year, 0);
    assert_string_equal(report->request->notation, "STTTT-TTBCXB");
    assert_non_null(report->request->promulgation_date);
    assert_int_equal(report->request->promulgation_date->year, 2026);
    assert_int_equal(report->request->promulgation_date->month, 11);
    assert_int_equal(report->request->promulgation_date->day, 20);
    assert_string_equal(report->sender->code, S_CODE);
    assert_string_equal(report->sender->name, S_NAME);
    assert_string_equal(report->recipient->code, "000.00.07.H45");
    assert_string_equal(report->recipient->name, "Sở Thông tin và Truyền thông");

    //  What the document says.
    assert_int_equal(report->number, 2318);
    assert_string_equal(report->notation, "SNV-VP");
    assert_int_equal(report->n_sections, 3);
    assert_string_equal(report->sections[2]->number, "4");
    assert_string_equal(report->sections[2]->outline_item, "4");
    assert_string_equal(report->signer->name, "Nguyễn Thị Thu Hà");

    //  Indicators, in file order.
    assert_int_equal(report->n_indicators, 4);
    assert_string_equal(report->indicators[0]->code, "HOP_BAO");
    assert_true(report->indicators[0]->value == 2.0);
    assert_string_equal(report->indicators[1]->code, "LUOT_PV");
    assert_true(report->indicators[1]->value == 18.0);
    assert_string_equal(report->indicators[1]->note, "họp báo và cung cấp thông tin");
    assert_string_equal(report->indicators[2]->note, "");
    assert_string_equal(report->indicators[3]->code, "TY_LE_CBCC");
    assert_true(report->indicators[3]->value > 97.29 && report->indicators[3]->value < 97.31);

    //  The attachment is the file, hashed.
    assert_int_equal(report->n_attachments, 1);
    const Baocao__Attachment *att = report->attachments[0];
    assert_string_equal(att->name, "bao-cao.txt");
    assert_string_equal(att->media_type, "text/plain; charset=utf-8");
    assert_int_equal(att->data.len, strlen(s_doc));
    assert_memory_equal(att->data.data, s_doc, strlen(s_doc));
    uint8_t sha[32];
    assert_true(sodium_init() >= 0);
    crypto_hash_sha256(sha, (const unsigned char *) s_doc, strlen(s_doc));
    assert_int_equal(att->sha256.len, 32);
    assert_memory_equal(att->sha256.data, sha, 32);

    assert_true(bc_id_valid(report->report_id));
    assert_non_null(report->created_at);
    assert_true(report->created_at->unix_ms >= before);
    assert_int_equal(report->revision, 0);

    //  The whole report survives the wire.
    size_t size = baocao__report__get_packed_size(report);
    uint8_t *packed = bc_malloc(size);
    baocao__report__pack(report, packed);
    Baocao__Report *back = baocao__report__unpack(NULL, size, packed);
    assert_non_null(back);
    assert_string_equal(back->report_id, report->report_id);
    baocao__report__free_unpacked(back, NULL);
    free(packed);
    baocao__report__free_unpacked(report, NULL);
    free(dir);
}

static void
test_report_id(void **state)
{
    const char *root = *state;
    s_req_t req;
    s_req_init(&req);
    char *dir = s_laid_out(root, &req);
    s_write(dir, "bao-cao.txt", s_doc, strlen(s_doc));

    //  No csv: the formula with 32 zero bytes.
    Baocao__Report *r0 = s_build(dir, "bao-cao.txt", &req, NULL);
    assert_int_equal(r0->n_indicators, 0);
    bc_reqkey_t key;
    assert_int_equal(bc_reqkey_from_request(&req.request, &key), BC_OK);
    char key_text[BC_REQKEY_TEXT_MAX];
    bc_reqkey_format(&key, key_text, sizeof key_text);
    assert_string_equal(key_text, "000.00.07.H45,2026-11-20,1005/STTTT-TTBCXB");
    bc_buf_t input;
    bc_buf_init(&input);
    bc_buf_append(&input, S_CODE, strlen(S_CODE) + 1);
    bc_buf_append(&input, key_text, strlen(key_text) + 1);
    uint8_t sha[32];
    crypto_hash_sha256(sha, (const unsigned char *) s_doc, strlen(s_doc));
    bc_buf_append(&input, sha, 32);
    uint8_t zeros[32] = { 0 };
    bc_buf_append(&input, zeros, 32);
    uint8_t digest[32];
    crypto_hash_sha256(digest, (const unsigned char *) input.data, input.len);
    char expected[33];
    bc_hex_encode(digest, 16, expected);
    assert_string_equal(r0->report_id, expected);
    bc_buf_release(&input);

    //  Same inputs, same id (a rebuild after a crash); the name plays no part.
    Baocao__Report *r1 = s_build(dir, "bao-cao.txt", &req, NULL);
    assert_string_equal(r1->report_id, r0->report_id);
    s_write(dir, "ban-sao.txt", s_doc, strlen(s_doc));
    Baocao__Report *r2 = s_build(dir, "ban-sao.txt", &req, NULL);
    assert_string_equal(r2->report_id, r0->report_id);

    //  A csv, a changed csv, a changed document: each a new id.
    s_write(dir, BC_DROPDIR_CSV, s_csv_ok, strlen(s_csv_ok));
    Baocao__Report *r3 = s_build(dir, "bao-cao.txt", &req, NULL);
    assert_string_not_equal(r3->report_id, r0->report_id);
    Baocao__Report *r3b = s_build(dir, "bao-cao.txt", &req, NULL);
    assert_string_equal(r3b->report_id, r3->report_id);
    s_write(dir, BC_DROPDIR_CSV, "code,value,note\nHOP_BAO,3,\n", 26);
    Baocao__Report *r4 = s_build(dir, "bao-cao.txt", &req, NULL);
    assert_string_not_equal(r4->report_id, r3->report_id);
    s_write(dir, "bao-cao.txt", s_doc, strlen(s_doc) - 1);
    Baocao__Report *r5 = s_build(dir, "bao-cao.txt", &req, NULL);
    assert_string_not_equal(r5->report_id, r4->report_id);

    //  Another agency, another id for the same files.
    char other[33];
    bc_dropdir_report_id("000.00.05.H45", &key, sha, NULL, other);
    assert_string_not_equal(other, r0->report_id);

    Baocao__Report *all[] = { r0, r1, r2, r3, r3b, r4, r5 };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        baocao__report__free_unpacked(all[i], NULL);
    }
    free(dir);
}

static void
test_csv_unknown_codes(void **state)
{
    const char *root = *state;
    s_req_t req;
    s_req_init(&req);
    char *dir = s_laid_out(root, &req);
    const char *csv = "\xEF\xBB\xBF" "Code,Value,Note\r\n"
                      "hop_bao,4,chữ thường\r\n"
                      "KHONG_CO,1,\r\n"
                      "LUOT_PV,,chưa có số liệu\r\n"
                      "TY_LE_CBCC,-0.5,\r\n";
    s_write(dir, BC_DROPDIR_CSV, csv, strlen(csv));
    bc_dropdir_csv_t values;
    bc_dropdir_csv_init(&values);
    bc_buf_t warnings;
    bc_buf_init(&warnings);
    char why[256] = "";
    assert_int_equal(bc_dropdir_read_indicators(dir, &req.request, &values, &warnings, why,
                                                sizeof why), BC_OK);
    assert_true(values.present);
    assert_int_equal(values.n_values, 2);
    assert_string_equal(values.values[0]->code, "HOP_BAO");      //  the request's spelling
    assert_true(values.values[0]->value == 4.0);
    assert_string_equal(values.values[0]->note, "chữ thường");
    assert_string_equal(values.values[1]->code, "TY_LE_CBCC");
    assert_true(values.values[1]->value == -0.5);
    assert_non_null(warnings.data);
    assert_non_null(strstr(warnings.data, "line 3: skipped unknown indicator KHONG_CO"));
    assert_non_null(strstr(warnings.data, "line 4: skipped LUOT_PV without a value"));
    uint8_t sha[32];
    crypto_hash_sha256(sha, (const unsigned char *) csv, strlen(csv));
    assert_memory_equal(values.sha256, sha, 32);
    bc_dropdir_csv_release(&values);
    bc_buf_release(&warnings);

    //  Absent: present 0, zero hash, OK.
    char *path = s_path(dir, BC_DROPDIR_CSV);
    assert_int_equal(unlink(path), 0);
    free(path);
    assert_int_equal(bc_dropdir_read_indicators(dir, &req.request, &values, NULL, why,
                                                sizeof why), BC_OK);
    assert_false(values.present);
    assert_int_equal(values.n_values, 0);
    uint8_t zeros[32] = { 0 };
    assert_memory_equal(values.sha256, zeros, 32);
    free(dir);
}

static void
test_csv_malformed(void **state)
{
    const char *root = *state;
    s_req_t req;
    s_req_init(&req);
    char *dir = s_laid_out(root, &req);
    static const struct {
        const char *text;
        const char *why;
    } cases[] = {
        { "", "line 1: the first line must be the header" },
        { "ma,gia_tri,ghi_chu\nHOP_BAO,1,\n", "line 1: the first line must be the header" },
        { "code,value\nHOP_BAO,1\n", "line 1: the first line must be the header" },
        { "code,value,note\nHOP_BAO,1,\nLUOT_PV,abc,\n", "line 3: value \"abc\" of LUOT_PV" },
        { "code,value,note\nHOP_BAO,\"1.234.5\",\n", "line 2: value" },
        { "code,value,note\nHOP_BAO,1e3,\n", "line 2: value" },
        { "code,value,note\nHOP_BAO,12.,\n", "line 2: value" },
        { "code,value,note\nHOP_BAO, 1 2 ,\n", "line 2: value" },
        { "code,value,note\nTY_LE_CBCC,97,3,\n", "line 2: expected code,value,note, found 4" },
        { "code,value,note\nHOP_BAO\n", "line 2: expected code,value,note, found 1" },
        { "code,value,note\n,1,\n", "line 2: empty indicator code" },
        { "code,value,note\nHOP_BAO,1,\n\nhop_bao,2,\n", "line 4: indicator HOP_BAO given twice" },
        { "code,value,note\nHOP_BAO,\"1,\n", "malformed CSV" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        s_write(dir, BC_DROPDIR_CSV, cases[i].text, strlen(cases[i].text));
        bc_dropdir_csv_t values;
        bc_dropdir_csv_init(&values);
        char why[256] = "";
        bc_err rc = bc_dropdir_read_indicators(dir, &req.request, &values, NULL, why,
                                               sizeof why);
        if (rc != BC_EINVAL || !strstr(why, cases[i].why)) {
            fail_msg("case %zu: %s: \"%s\", expected \"%s\"", i, bc_strerror(rc), why,
                     cases[i].why);
        }
        assert_false(values.present);
        assert_int_equal(values.n_values, 0);
    }

    //  The documented handling: LOI-chi-tieu.txt explains, clearing removes it.
    assert_int_equal(bc_dropdir_csv_fault(dir, "line 3: value \"abc\" of LUOT_PV is not a "
                                          "decimal number"), BC_OK);
    char *text = s_read(dir, BC_DROPDIR_CSV_FAULT);
    assert_non_null(text);
    assert_non_null(strstr(text, "line 3: value \"abc\" of LUOT_PV"));
    assert_non_null(strstr(text, "chi-tieu.csv"));
    free(text);
    assert_false(bc_dropdir_is_document(BC_DROPDIR_CSV_FAULT));
    assert_int_equal(bc_dropdir_csv_fault_clear(dir), BC_OK);
    assert_false(s_exists(dir, BC_DROPDIR_CSV_FAULT));
    assert_int_equal(bc_dropdir_csv_fault_clear(dir), BC_OK);
    free(dir);
}

static void
test_bad_documents(void **state)
{
    const char *root = *state;
    s_req_t req;
    s_req_init(&req);
    char *dir = s_laid_out(root, &req);
    Baocao__Report *report = NULL;
    char why[256] = "";

    s_write(dir, "latin1.txt", "1. M\xF4t\n", 8);
    assert_int_equal(bc_dropdir_build(dir, "latin1.txt", &req.request, S_CODE, S_NAME, NULL,
                                      &report, why, sizeof why), BC_EINVAL);
    assert_non_null(strstr(why, "not UTF-8"));
    s_write(dir, "rong.txt", "", 0);
    assert_int_equal(bc_dropdir_build(dir, "rong.txt", &req.request, S_CODE, S_NAME, NULL,
                                      &report, why, sizeof why), BC_EINVAL);
    assert_int_equal(bc_dropdir_build(dir, "khong-co.txt", &req.request, S_CODE, S_NAME, NULL,
                                      &report, why, sizeof why), BC_ENOTFOUND);
    //  Over 16 MiB (a sparse file: no disk used).
    char *big = s_path(dir, "lon.txt");
    int fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t) BC_DROPDIR_MAX_DOC + 1), 0);
    close(fd);
    assert_int_equal(bc_dropdir_build(dir, "lon.txt", &req.request, S_CODE, S_NAME, NULL,
                                      &report, why, sizeof why), BC_ETOOBIG);
    assert_non_null(strstr(why, "16 MiB"));
    assert_null(report);

    char moved[256];
    assert_int_equal(bc_dropdir_reject(dir, "lon.txt", why, moved, sizeof moved), BC_OK);
    assert_string_equal(moved, "lon.txt");
    char *loi = s_path(dir, BC_DROPDIR_FAILED);
    assert_true(s_exists(loi, "lon.txt"));
    char *text = s_read(loi, "lon.txt.LOI.txt");
    assert_non_null(text);
    assert_non_null(strstr(text, "16 MiB"));
    free(text);
    assert_false(s_exists(dir, "lon.txt"));
    free(loi);
    free(big);
    free(dir);
}

static void
test_move_and_receipt(void **state)
{
    const char *root = *state;
    s_req_t req;
    s_req_init(&req);
    char *dir = s_laid_out(root, &req);
    char moved[256];
    s_write(dir, "bao-cao.txt", "một", strlen("một"));
    assert_int_equal(bc_dropdir_move(dir, "bao-cao.txt", BC_DROPDIR_SENT, moved, sizeof moved),
                     BC_OK);
    assert_string_equal(moved, "bao-cao.txt");
    s_write(dir, "bao-cao.txt", "hai", 3);
    assert_int_equal(bc_dropdir_move(dir, "bao-cao.txt", BC_DROPDIR_SENT, moved, sizeof moved),
                     BC_OK);
    assert_string_equal(moved, "bao-cao-2.txt");
    s_write(dir, "bao-cao.txt", "ba", 2);
    assert_int_equal(bc_dropdir_move(dir, "bao-cao.txt", BC_DROPDIR_SENT, moved, sizeof moved),
                     BC_OK);
    assert_string_equal(moved, "bao-cao-3.txt");
    char *sent = s_path(dir, BC_DROPDIR_SENT);
    char *first = s_read(sent, "bao-cao.txt");
    assert_string_equal(first, "một");                  //  never overwritten
    free(first);
    assert_int_equal(bc_dropdir_move(dir, "bao-cao.txt", BC_DROPDIR_SENT, moved, sizeof moved),
                     BC_ENOTFOUND);

    int64_t at = 0;
    assert_int_equal(bc_clock_parse_rfc3339("2026-11-26T14:03:00+07:00", &at), 0);
    assert_int_equal(bc_dropdir_receipt(dir, "bao-cao.txt", 1, 17, 0, 0, at), BC_OK);
    assert_int_equal(bc_dropdir_receipt(dir, "bao-cao-2.txt", 2, 18, 1, 1, at), BC_OK);
    char *text = s_read(sent, BC_DROPDIR_RECEIPTS);
    assert_string_equal(text,
        "2026-11-26 14:03  bao-cao.txt  lần 1  số 17  đúng hạn\n"
        "2026-11-26 14:03  bao-cao-2.txt  lần 2  số 18  trễ hạn (đã nhận trước đó)\n");
    free(text);
    free(sent);
    free(dir);
}

//  --------------------------------------------------------------------------
//  The agent against a ROUTER socket playing the broker

typedef struct {
    void *ctx;
    void *router;                       //  bound on 127.0.0.1, any port
    char endpoint[128];
    bc_agent_t *agent;
    char drop[1024];
    char folder[2048];                  //  drop/1005-STTTT-TTBCXB
    uint8_t rid[BC_WIRE_MAX_RID];       //  the agent's routing id
    size_t rid_size;
} s_broker_t;

static void
s_broker_init(s_broker_t *self, const char *root)
{
    memset(self, 0, sizeof *self);
    self->ctx = zmq_ctx_new();
    assert_non_null(self->ctx);
    self->router = zmq_socket(self->ctx, ZMQ_ROUTER);
    assert_non_null(self->router);
    int linger = 0;
    zmq_setsockopt(self->router, ZMQ_LINGER, &linger, sizeof linger);
    assert_int_equal(zmq_bind(self->router, "tcp://127.0.0.1:*"), 0);
    size_t len = sizeof self->endpoint;
    assert_int_equal(zmq_getsockopt(self->router, ZMQ_LAST_ENDPOINT, self->endpoint, &len), 0);
    snprintf(self->drop, sizeof self->drop, "%s/drop", root);
    snprintf(self->folder, sizeof self->folder, "%s/%s", self->drop, S_FOLDER);
}

static void
s_broker_start_agent(s_broker_t *self, int heartbeat_ms)
{
    bc_agent_opts_t opts = {
        .code = S_CODE, .name = S_NAME, .broker = self->endpoint, .drop = self->drop,
        .heartbeat_ms = heartbeat_ms, .retry_max_ms = 2000,
    };
    char why[256] = "";
    bc_err rc = bc_agent_open(&self->agent, &opts, why, sizeof why);
    if (rc != BC_OK) {
        fail_msg("open: %s: %s", bc_strerror(rc), why);
    }
}

static void
s_broker_release(s_broker_t *self)
{
    bc_agent_destroy(&self->agent);
    zmq_close(self->router);
    zmq_ctx_term(self->ctx);
}

//  Runs the agent and the router until a message of kind arrives (heartbeats
//  are skipped unless asked for). Fails after timeout_ms.
static Baocao__Envelope *
s_expect(s_broker_t *self, Baocao__Envelope__BodyCase kind, int timeout_ms)
{
    int64_t deadline = bc_clock_mono_ms() + timeout_ms;
    while (bc_clock_mono_ms() < deadline) {
        assert_int_equal(bc_agent_run_once(self->agent, 10), BC_OK);
        for (;;) {
            Baocao__Envelope *env = NULL;
            bc_wire_peer_t peer;
            char why[128] = "";
            bc_err rc = bc_wire_recv(self->router, 1, ZMQ_DONTWAIT, &peer, &env, why,
                                     sizeof why);
            if (rc == BC_ETIMEDOUT) {
                break;
            }
            if (rc != BC_OK) {
                fail_msg("router: %s: %s", bc_strerror(rc), why);
            }
            memcpy(self->rid, peer.rid, peer.rid_size);
            self->rid_size = peer.rid_size;
            if (env->body_case == kind) {
                return env;
            }
            if (env->body_case != BAOCAO__ENVELOPE__BODY_HEARTBEAT) {
                fail_msg("expected body %d, got %s", (int) kind, bc_wire_body_name(env));
            }
            bc_wire_free(&env);
        }
    }
    fail_msg("no message of body %d within %d ms", (int) kind, timeout_ms);
    return NULL;
}

//  Runs the agent (dropping heartbeats) for up to timeout_ms or until the
//  file exists. Any other message fails the test.
static void
s_until_file(s_broker_t *self, const char *dir, const char *name, int timeout_ms)
{
    int64_t deadline = bc_clock_mono_ms() + timeout_ms;
    while (!s_exists(dir, name)) {
        if (bc_clock_mono_ms() >= deadline) {
            fail_msg("%s/%s did not appear within %d ms", dir, name, timeout_ms);
        }
        assert_int_equal(bc_agent_run_once(self->agent, 10), BC_OK);
        Baocao__Envelope *env = NULL;
        bc_wire_peer_t peer;
        while (bc_wire_recv(self->router, 1, ZMQ_DONTWAIT, &peer, &env, NULL, 0) == BC_OK) {
            if (env->body_case != BAOCAO__ENVELOPE__BODY_HEARTBEAT) {
                fail_msg("unexpected %s", bc_wire_body_name(env));
            }
            bc_wire_free(&env);
        }
    }
}

static void
s_reply(s_broker_t *self, bc_wire_out_t *out)
{
    assert_int_equal(bc_wire_send(self->router, self->rid, self->rid_size, &out->env, 0),
                     BC_OK);
}

static void
s_ack(s_broker_t *self, const char *in_reply_to, const char *report_id, uint32_t revision,
      uint64_t seq, int late, int duplicate)
{
    bc_wire_out_t out;
    bc_wire_out_init(&out);
    Baocao__Ack ack = BAOCAO__ACK__INIT;
    ack.in_reply_to = (char *) in_reply_to;
    ack.report_id = (char *) (report_id ? report_id : "");
    ack.revision = revision;
    ack.seq = seq;
    ack.late = late;
    ack.duplicate = duplicate;
    out.env.body_case = BAOCAO__ENVELOPE__BODY_ACK;
    out.env.ack = &ack;
    s_reply(self, &out);
}

static void
s_error(s_broker_t *self, const char *in_reply_to, Baocao__ErrorCode code, const char *message)
{
    bc_wire_out_t out;
    bc_wire_out_init(&out);
    Baocao__Error error = BAOCAO__ERROR__INIT;
    error.in_reply_to = (char *) in_reply_to;
    error.code = code;
    error.message = (char *) message;
    out.env.body_case = BAOCAO__ENVELOPE__BODY_ERROR;
    out.env.error = &error;
    s_reply(self, &out);
}

static void
s_deliver(s_broker_t *self, s_req_t *req)
{
    bc_wire_out_t out;
    bc_wire_out_init(&out);
    bc_reqkey_t key;
    assert_int_equal(bc_reqkey_from_request(&req->request, &key), BC_OK);
    Baocao__RequestRef ref;
    Baocao__Date date;
    bc_reqkey_to_ref(&key, &ref, &date);
    Baocao__Delivery delivery = BAOCAO__DELIVERY__INIT;
    delivery.request = &req->request;
    delivery.ref = &ref;
    delivery.attempt = 1;
    out.env.body_case = BAOCAO__ENVELOPE__BODY_DELIVERY;
    out.env.delivery = &delivery;
    s_reply(self, &out);
}

//  Expects a Hello, acknowledges it and waits until the agent is connected.
static void
s_handshake(s_broker_t *self)
{
    Baocao__Envelope *env = s_expect(self, BAOCAO__ENVELOPE__BODY_HELLO, 5000);
    assert_int_equal(env->hello->role, BAOCAO__CLIENT_ROLE__AGENT);
    assert_string_equal(env->hello->software, "baocao-agent 0.1.0");
    s_ack(self, env->id, NULL, 0, 0, 0, 0);
    bc_wire_free(&env);
    int64_t deadline = bc_clock_mono_ms() + 5000;
    while (!bc_agent_connected(self->agent)) {
        assert_true(bc_clock_mono_ms() < deadline);
        assert_int_equal(bc_agent_run_once(self->agent, 10), BC_OK);
    }
}

static void
s_expect_receipt(s_broker_t *self, Baocao__DeliveryStatus status)
{
    Baocao__Envelope *env = s_expect(self, BAOCAO__ENVELOPE__BODY_RECEIPT, 5000);
    assert_int_equal(env->receipt->status, status);
    assert_non_null(env->receipt->ref);
    assert_string_equal(env->receipt->ref->issuer_code, "000.00.07.H45");
    assert_int_equal(env->receipt->ref->number, 1005);
    assert_string_equal(env->receipt->ref->notation, "STTTT-TTBCXB");
    bc_wire_free(&env);
}

static void
test_agent_open_errors(void **state)
{
    const char *root = *state;
    char drop[PATH_MAX];
    snprintf(drop, sizeof drop, "%s/drop", root);
    bc_agent_opts_t good = {
        .code = S_CODE, .name = S_NAME, .broker = "tcp://127.0.0.1:1", .drop = drop,
        .heartbeat_ms = 5000, .retry_max_ms = 30000,
    };
    bc_agent_t *agent = NULL;
    char why[256];
    bc_agent_opts_t o = good;
    o.code = "bad code";
    assert_int_equal(bc_agent_open(&agent, &o, why, sizeof why), BC_EINVAL);
    assert_non_null(strstr(why, "organ code"));
    o = good;
    o.name = "";
    assert_int_equal(bc_agent_open(&agent, &o, why, sizeof why), BC_EINVAL);
    o = good;
    o.heartbeat_ms = 499;
    assert_int_equal(bc_agent_open(&agent, &o, why, sizeof why), BC_EINVAL);
    o = good;
    o.retry_max_ms = 10;
    assert_int_equal(bc_agent_open(&agent, &o, why, sizeof why), BC_EINVAL);
    o = good;
    o.broker = "nonsense://x";
    assert_int_equal(bc_agent_open(&agent, &o, why, sizeof why), BC_EINVAL);
    assert_non_null(strstr(why, "nonsense://x"));
    assert_null(agent);

    //  A good one: routing id "<code>/<8 hex>", nothing pending, not connected.
    assert_int_equal(bc_agent_open(&agent, &good, why, sizeof why), BC_OK);
    const char *rid = bc_agent_routing_id(agent);
    assert_int_equal(strlen(rid), strlen(S_CODE) + 9);
    assert_memory_equal(rid, S_CODE "/", strlen(S_CODE) + 1);
    for (size_t i = strlen(S_CODE) + 1; rid[i]; i++) {
        assert_non_null(strchr("0123456789abcdef", rid[i]));
    }
    assert_false(bc_agent_connected(agent));
    assert_int_equal(bc_agent_pending(agent), 0);
    bc_agent_destroy(&agent);
    assert_null(agent);
    bc_agent_destroy(&agent);
}

static void
test_agent_protocol(void **state)
{
    const char *root = *state;
    s_req_t req;
    s_req_init(&req);
    s_broker_t b;
    s_broker_init(&b, root);
    s_broker_start_agent(&b, 500);

    //  Hello carries the role, the software and the heartbeat; the routing
    //  id names the agency before the '/'.
    Baocao__Envelope *env = s_expect(&b, BAOCAO__ENVELOPE__BODY_HELLO, 5000);
    assert_int_equal(env->hello->heartbeat_ms, 500);
    assert_int_equal(b.rid_size, strlen(bc_agent_routing_id(b.agent)));
    assert_memory_equal(b.rid, bc_agent_routing_id(b.agent), b.rid_size);
    s_ack(&b, env->id, NULL, 0, 0, 0, 0);
    bc_wire_free(&env);

    //  A delivery: folder laid out, ARRIVED then PROCESSING (no document yet).
    s_deliver(&b, &req);
    s_expect_receipt(&b, BAOCAO__DELIVERY_STATUS__ARRIVED);
    s_expect_receipt(&b, BAOCAO__DELIVERY_STATUS__PROCESSING);
    assert_true(bc_agent_connected(b.agent));
    assert_true(s_exists(b.folder, BC_DROPDIR_REQUEST_TEXT));
    assert_true(s_exists(b.folder, BC_DROPDIR_REQUEST_PB));

    //  The csv, then a document moved in: one SubmitReport.
    s_write(b.folder, BC_DROPDIR_CSV, s_csv_ok, strlen(s_csv_ok));
    s_write_moved(b.folder, "bao-cao.txt", s_doc, strlen(s_doc));
    env = s_expect(&b, BAOCAO__ENVELOPE__BODY_SUBMIT_REPORT, 5000);
    const Baocao__Report *report = env->submit_report->report;
    assert_non_null(report);
    assert_string_equal(report->sender->code, S_CODE);
    assert_string_equal(report->request->notation, "STTTT-TTBCXB");
    assert_int_equal(report->n_indicators, 4);
    assert_string_equal(report->attachments[0]->name, "bao-cao.txt");
    assert_true(bc_id_valid(report->report_id));
    char first_id[33];
    snprintf(first_id, sizeof first_id, "%s", report->report_id);
    assert_int_equal(bc_agent_pending(b.agent), 1);
    s_ack(&b, env->id, first_id, 1, 17, 0, 0);
    bc_wire_free(&env);
    char sent[4096];
    snprintf(sent, sizeof sent, "%s/%s", b.folder, BC_DROPDIR_SENT);
    s_until_file(&b, sent, "bao-cao.txt", 5000);
    assert_false(s_exists(b.folder, "bao-cao.txt"));
    assert_int_equal(bc_agent_pending(b.agent), 0);
    char *text = s_read(sent, BC_DROPDIR_RECEIPTS);
    assert_non_null(text);
    assert_non_null(strstr(text, "  bao-cao.txt  lần 1  số 17  đúng hạn\n"));
    free(text);

    //  Refused by the broker: moved to loi/ with the reason.
    s_write(b.folder, "bo-sung.txt", s_doc, strlen(s_doc) - 1);
    env = s_expect(&b, BAOCAO__ENVELOPE__BODY_SUBMIT_REPORT, 5000);
    s_error(&b, env->id, BAOCAO__ERROR_CODE__INVALID, "section 9 is not in the outline");
    bc_wire_free(&env);
    char loi[4096];
    snprintf(loi, sizeof loi, "%s/%s", b.folder, BC_DROPDIR_FAILED);
    s_until_file(&b, loi, "bo-sung.txt.LOI.txt", 5000);
    assert_true(s_exists(loi, "bo-sung.txt"));
    assert_false(s_exists(b.folder, "bo-sung.txt"));
    text = s_read(loi, "bo-sung.txt.LOI.txt");
    assert_non_null(strstr(text, "INVALID: section 9 is not in the outline"));
    free(text);
    assert_int_equal(bc_agent_pending(b.agent), 0);

    //  Not stored (STORE_FAILED): resent with the same report_id.
    s_write(b.folder, "lan-3.txt", s_doc, strlen(s_doc) - 3);
    env = s_expect(&b, BAOCAO__ENVELOPE__BODY_SUBMIT_REPORT, 5000);
    char id3[33];
    snprintf(id3, sizeof id3, "%s", env->submit_report->report->report_id);
    char envelope3[33];
    snprintf(envelope3, sizeof envelope3, "%s", env->id);
    s_error(&b, env->id, BAOCAO__ERROR_CODE__STORE_FAILED, "disk full");
    bc_wire_free(&env);
    int64_t t0 = bc_clock_mono_ms();
    env = s_expect(&b, BAOCAO__ENVELOPE__BODY_SUBMIT_REPORT, 4000);
    int64_t waited = bc_clock_mono_ms() - t0;
    assert_true(waited >= 600);                         //  1 s - 20% - slack
    assert_string_equal(env->submit_report->report->report_id, id3);
    assert_string_not_equal(env->id, envelope3);
    s_ack(&b, env->id, id3, 2, 18, 1, 0);
    bc_wire_free(&env);
    s_until_file(&b, sent, "lan-3.txt", 5000);
    text = s_read(sent, BC_DROPDIR_RECEIPTS);
    assert_non_null(strstr(text, "  lan-3.txt  lần 2  số 18  trễ hạn\n"));
    free(text);

    //  The same document again (a crash between Ack and move): same id,
    //  the broker says duplicate, the copy gets a new name in sent/.
    s_write(b.folder, "bao-cao.txt", s_doc, strlen(s_doc));
    env = s_expect(&b, BAOCAO__ENVELOPE__BODY_SUBMIT_REPORT, 5000);
    assert_string_equal(env->submit_report->report->report_id, first_id);
    s_ack(&b, env->id, first_id, 1, 17, 0, 1);
    bc_wire_free(&env);
    s_until_file(&b, sent, "bao-cao-2.txt", 5000);
    text = s_read(sent, BC_DROPDIR_RECEIPTS);
    assert_non_null(strstr(text, "  bao-cao-2.txt  lần 1  số 17  đúng hạn (đã nhận trước đó)\n"));
    free(text);

    //  A malformed csv holds the document; fixing it sends the document.
    const char *bad_csv = "code,value,note\nHOP_BAO,hai,\n";
    s_write(b.folder, BC_DROPDIR_CSV, bad_csv, strlen(bad_csv));
    s_write(b.folder, "lan-4.txt", s_doc, strlen(s_doc) - 4);
    s_until_file(&b, b.folder, BC_DROPDIR_CSV_FAULT, 5000);
    text = s_read(b.folder, BC_DROPDIR_CSV_FAULT);
    assert_non_null(strstr(text, "line 2: value \"hai\" of HOP_BAO"));
    free(text);
    assert_int_equal(bc_agent_pending(b.agent), 0);
    assert_true(s_exists(b.folder, "lan-4.txt"));
    s_write_moved(b.folder, BC_DROPDIR_CSV, s_csv_ok, strlen(s_csv_ok));
    env = s_expect(&b, BAOCAO__ENVELOPE__BODY_SUBMIT_REPORT, 5000);
    assert_string_equal(env->submit_report->report->attachments[0]->name, "lan-4.txt");
    assert_int_equal(env->submit_report->report->n_indicators, 4);
    assert_false(s_exists(b.folder, BC_DROPDIR_CSV_FAULT));
    s_ack(&b, env->id, env->submit_report->report->report_id, 3, 19, 0, 0);
    bc_wire_free(&env);
    s_until_file(&b, sent, "lan-4.txt", 5000);

    //  A document the agent cannot read as text goes to loi/ unsent.
    s_write(b.folder, "hong.txt", "1. M\xF4t\n", 8);
    s_until_file(&b, loi, "hong.txt.LOI.txt", 5000);
    text = s_read(loi, "hong.txt.LOI.txt");
    assert_non_null(strstr(text, "not UTF-8"));
    free(text);

    //  Ignored: hidden, lock and temporary files.
    s_write(b.folder, ".an.txt", "x", 1);
    s_write(b.folder, "~khoa.txt", "x", 1);
    s_write(b.folder, "tam.txt.tmp123", "x", 1);

    //  Redelivery: idempotent layout, receipts again (no document pending).
    s_deliver(&b, &req);
    s_expect_receipt(&b, BAOCAO__DELIVERY_STATUS__ARRIVED);
    s_expect_receipt(&b, BAOCAO__DELIVERY_STATUS__PROCESSING);
    assert_int_equal(bc_agent_pending(b.agent), 0);

    //  The broker forgot us: Hello again.
    s_error(&b, "", BAOCAO__ERROR_CODE__UNKNOWN_SESSION, "say hello first");
    s_handshake(&b);

    //  Heartbeats go out every heartbeat_ms.
    env = s_expect(&b, BAOCAO__ENVELOPE__BODY_HEARTBEAT, 2000);
    bc_wire_free(&env);

    //  Silence for 3 heartbeats: Hello again.
    t0 = bc_clock_mono_ms();
    env = s_expect(&b, BAOCAO__ENVELOPE__BODY_HELLO, 5000);
    waited = bc_clock_mono_ms() - t0;
    assert_true(waited >= 500);
    assert_false(bc_agent_connected(b.agent));
    s_ack(&b, env->id, NULL, 0, 0, 0, 0);
    bc_wire_free(&env);
    int64_t deadline = bc_clock_mono_ms() + 5000;
    while (!bc_agent_connected(b.agent)) {
        assert_true(bc_clock_mono_ms() < deadline);
        assert_int_equal(bc_agent_run_once(b.agent, 10), BC_OK);
    }

    //  A clean stop says Bye.
    volatile sig_atomic_t stop = 1;
    assert_int_equal(bc_agent_run(b.agent, &stop), BC_OK);
    env = s_expect(&b, BAOCAO__ENVELOPE__BODY_BYE, 2000);
    bc_wire_free(&env);
    bc_agent_destroy(&b.agent);

    //  A restart finds the folder and sends what is still there.
    s_write(b.folder, "sau-khoi-dong.txt", s_doc, strlen(s_doc) - 5);
    s_broker_start_agent(&b, 500);
    s_handshake(&b);
    env = s_expect(&b, BAOCAO__ENVELOPE__BODY_SUBMIT_REPORT, 5000);
    assert_string_equal(env->submit_report->report->attachments[0]->name, "sau-khoi-dong.txt");
    s_ack(&b, env->id, env->submit_report->report->report_id, 4, 20, 0, 0);
    bc_wire_free(&env);
    s_until_file(&b, sent, "sau-khoi-dong.txt", 5000);
    s_broker_release(&b);
}

static void
test_agent_bad_messages(void **state)
{
    const char *root = *state;
    s_broker_t b;
    s_broker_init(&b, root);
    s_broker_start_agent(&b, 500);
    s_handshake(&b);

    //  Garbage frames, an extra frame, a delivery without a request, a
    //  delivery whose ref names another request: all dropped, no crash.
    assert_true(zmq_send(b.router, b.rid, b.rid_size, ZMQ_SNDMORE) >= 0);
    assert_true(zmq_send(b.router, "\x08\xff\xff", 3, 0) >= 0);
    assert_true(zmq_send(b.router, b.rid, b.rid_size, ZMQ_SNDMORE) >= 0);
    assert_true(zmq_send(b.router, "a", 1, ZMQ_SNDMORE) >= 0);
    assert_true(zmq_send(b.router, "b", 1, 0) >= 0);

    bc_wire_out_t out;
    bc_wire_out_init(&out);
    Baocao__Delivery empty = BAOCAO__DELIVERY__INIT;
    out.env.body_case = BAOCAO__ENVELOPE__BODY_DELIVERY;
    out.env.delivery = &empty;
    s_reply(&b, &out);

    s_req_t req;
    s_req_init(&req);
    s_req_t other;
    s_req_init(&other);
    other.request.number = 1006;
    bc_reqkey_t key;
    assert_int_equal(bc_reqkey_from_request(&other.request, &key), BC_OK);
    Baocao__RequestRef ref;
    Baocao__Date date;
    bc_reqkey_to_ref(&key, &ref, &date);
    bc_wire_out_init(&out);
    Baocao__Delivery mismatch = BAOCAO__DELIVERY__INIT;
    mismatch.request = &req.request;
    mismatch.ref = &ref;
    out.env.body_case = BAOCAO__ENVELOPE__BODY_DELIVERY;
    out.env.delivery = &mismatch;
    s_reply(&b, &out);

    //  An Ack and an Error for nothing we sent.
    s_ack(&b, "0123", "00000000000000000000000000000000", 1, 1, 0, 0);
    s_error(&b, "0123", BAOCAO__ERROR_CODE__DENIED, "no");

    //  Then a good delivery still works.
    s_deliver(&b, &req);
    s_expect_receipt(&b, BAOCAO__DELIVERY_STATUS__ARRIVED);
    s_expect_receipt(&b, BAOCAO__DELIVERY_STATUS__PROCESSING);
    char other_folder[2048];
    snprintf(other_folder, sizeof other_folder, "%s/1006-STTTT-TTBCXB", b.drop);
    struct stat st;
    assert_int_not_equal(stat(other_folder, &st), 0);
    assert_true(bc_agent_connected(b.agent));
    s_broker_release(&b);
}

static void
test_agent_broker_restart(void **state)
{
    const char *root = *state;
    s_req_t req;
    s_req_init(&req);
    s_broker_t b;
    s_broker_init(&b, root);
    s_broker_start_agent(&b, 500);
    s_handshake(&b);
    s_deliver(&b, &req);
    s_expect_receipt(&b, BAOCAO__DELIVERY_STATUS__ARRIVED);
    s_expect_receipt(&b, BAOCAO__DELIVERY_STATUS__PROCESSING);

    //  The broker goes away; a document arrives meanwhile.
    zmq_close(b.router);
    int64_t deadline = bc_clock_mono_ms() + 5000;
    s_write(b.folder, "bao-cao.txt", s_doc, strlen(s_doc));
    while (bc_agent_connected(b.agent) || bc_agent_pending(b.agent) == 0) {
        assert_true(bc_clock_mono_ms() < deadline);
        assert_int_equal(bc_agent_run_once(b.agent, 10), BC_OK);
    }

    //  It comes back on the same endpoint, knowing nothing of us: the agent
    //  says Hello, then sends the pending report at once.
    b.router = zmq_socket(b.ctx, ZMQ_ROUTER);
    assert_non_null(b.router);
    int linger = 0;
    zmq_setsockopt(b.router, ZMQ_LINGER, &linger, sizeof linger);
    assert_int_equal(zmq_bind(b.router, b.endpoint), 0);
    s_handshake(&b);
    Baocao__Envelope *env = s_expect(&b, BAOCAO__ENVELOPE__BODY_SUBMIT_REPORT, 3000);
    s_ack(&b, env->id, env->submit_report->report->report_id, 1, 1, 0, 0);
    bc_wire_free(&env);
    char sent[4096];
    snprintf(sent, sizeof sent, "%s/%s", b.folder, BC_DROPDIR_SENT);
    s_until_file(&b, sent, "bao-cao.txt", 5000);
    assert_int_equal(bc_agent_pending(b.agent), 0);
    s_broker_release(&b);
}

int
main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_folder_name),
        cmocka_unit_test(test_render),
        cmocka_unit_test(test_is_document),
        cmocka_unit_test_setup_teardown(test_layout, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_documents, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_build, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_report_id, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_csv_unknown_codes, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_csv_malformed, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_bad_documents, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_move_and_receipt, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_agent_open_errors, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_agent_protocol, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_agent_bad_messages, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_agent_broker_restart, s_setup, s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
