//  cmd_request - `baocao request send FILE` and `baocao request list`
#include "bc_aggregate.h"
#include "bc_cli.h"
#include "bc_client.h"
#include "bc_clock.h"
#include "bc_export.h"
#include "bc_fs.h"
#include "bc_json.h"
#include "bc_validate.h"
#include "bc_wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

//  "10", "1,5": seconds for a message, Vietnamese decimal comma.
static void
s_seconds(long long ms, char *buf, size_t size)
{
    if (ms % 1000 == 0) {
        snprintf(buf, size, "%lld", ms / 1000);
    }
    else {
        snprintf(buf, size, "%lld,%lld", ms / 1000, (ms % 1000) / 100);
    }
}

static const char *
s_error_name(int code)
{
    const ProtobufCEnumValue *v =
        protobuf_c_enum_descriptor_get_value(&baocao__error_code__descriptor, code);
    return v ? v->name : "?";
}

//  Tells the user why the broker refused, and picks the exit code.
static int
s_refused(const bc_cli_t *cli, const char *citation, const Baocao__Error *error)
{
    const char *reason = error->message && *error->message ? error->message : "không rõ lý do";
    const char *name = s_error_name(error->code);
    switch (error->code) {
    case BAOCAO__ERROR_CODE__INVALID:
        return bc_cli_fail(EX_DATAERR, "máy chủ từ chối yêu cầu %s: yêu cầu không hợp lệ "
                           "(%s: %s)", citation, name, reason);
    case BAOCAO__ERROR_CODE__UNKNOWN_AGENCY:
        return bc_cli_fail(EX_DATAERR, "máy chủ từ chối yêu cầu %s: có cơ quan chưa được "
                           "đăng ký (%s: %s)", citation, name, reason);
    case BAOCAO__ERROR_CODE__DUPLICATE:
        return bc_cli_fail(EX_DATAERR, "máy chủ từ chối yêu cầu %s: yêu cầu này đã được ban "
                           "hành trước đó (%s: %s)", citation, name, reason);
    case BAOCAO__ERROR_CODE__TOO_BIG:
        return bc_cli_fail(EX_DATAERR, "máy chủ từ chối yêu cầu %s: yêu cầu quá lớn (%s: %s)",
                           citation, name, reason);
    case BAOCAO__ERROR_CODE__DENIED:
        return bc_cli_fail(EX_NOPERM, "máy chủ từ chối yêu cầu %s: cơ quan %s không được "
                           "phép ban hành yêu cầu này (%s: %s)", citation, cli->config.agency,
                           name, reason);
    case BAOCAO__ERROR_CODE__STORE_FAILED:
        return bc_cli_fail(EX_TEMPFAIL, "máy chủ chưa lưu được yêu cầu %s, hãy thử lại sau "
                           "(%s: %s)", citation, name, reason);
    default:
        return bc_cli_fail(EX_PROTOCOL, "máy chủ không xử lý được yêu cầu %s (%s: %s)",
                           citation, name, reason);
    }
}

static int
s_read_request(const char *path, Baocao__ReportRequest **req_p)
{
    char *text = NULL;
    size_t size = 0;
    bc_err rc = bc_fs_read(path, BC_JSON_MAX_INPUT, &text, &size);
    switch (rc) {
    case BC_OK:
        break;
    case BC_ENOTFOUND:
        return bc_cli_fail(EX_NOINPUT, "không có tệp %s", path);
    case BC_EDENIED:
        return bc_cli_fail(EX_NOINPUT, "không có quyền đọc tệp %s", path);
    case BC_EINVAL:
        return bc_cli_fail(EX_NOINPUT, "%s không phải là một tệp thông thường", path);
    case BC_ETOOBIG:
        return bc_cli_fail(EX_DATAERR, "tệp %s quá lớn (tối đa %u MiB)", path,
                           BC_JSON_MAX_INPUT >> 20);
    default:
        return bc_cli_fail(EX_NOINPUT, "không đọc được tệp %s: %s", path, bc_strerror(rc));
    }
    char why[512] = "";
    ProtobufCMessage *msg = NULL;
    rc = bc_json_decode(&baocao__report_request__descriptor, text, size, &msg, why, sizeof why);
    free(text);
    if (rc == BC_ETOOBIG) {
        return bc_cli_fail(EX_DATAERR, "tệp %s quá lớn", path);
    }
    if (rc != BC_OK) {
        return bc_cli_fail(EX_DATAERR, "tệp %s không phải yêu cầu báo cáo hợp lệ: %s", path,
                           why[0] ? why : bc_strerror(rc));
    }
    Baocao__ReportRequest *req = (Baocao__ReportRequest *) msg;
    if (bc_validate_request(req, why, sizeof why) != BC_OK) {
        baocao__report_request__free_unpacked(req, NULL);
        return bc_cli_fail(EX_DATAERR, "tệp %s: yêu cầu không hợp lệ: %s", path, why);
    }
    *req_p = req;
    return EX_OK;
}

int
bc_cmd_request_send(bc_cli_t *cli)
{
    const char *path = cli->args[0];
    const char *agency = cli->config.agency;
    if (!*agency) {
        return bc_cli_fail(EX_CONFIG, "chưa biết mã cơ quan gửi yêu cầu: dùng --as CODE hoặc "
                           "đặt agency trong mục [cli] của tệp cấu hình");
    }
    if (!bc_agency_code_valid(agency)) {
        return bc_cli_fail(EX_CONFIG, "mã cơ quan không hợp lệ: %s", agency);
    }
    Baocao__ReportRequest *req = NULL;
    int code = s_read_request(path, &req);
    if (code != EX_OK) {
        return code;
    }
    bc_reqkey_t key;
    char citation[BC_REQKEY_TEXT_MAX] = "";
    char key_text[BC_REQKEY_TEXT_MAX] = "";
    if (bc_reqkey_from_request(req, &key) == BC_OK) {
        bc_reqkey_citation(&key, citation, sizeof citation);
        bc_reqkey_format(&key, key_text, sizeof key_text);
    }

    bc_client_t *client = NULL;
    Baocao__Envelope *reply = NULL;
    char kwhy[1024] = "";
    bc_err rc;
    if (cli->config.key[0]) {
        rc = bc_client_open_secure(&client, cli->config.broker, agency, cli->config.key,
                                   cli->config.broker_key, kwhy, sizeof kwhy);
        if (rc != BC_OK && kwhy[0]) {
            code = bc_cli_fail(EX_CONFIG, "khóa không dùng được: %s", kwhy);
            goto leave;
        }
    }
    else {
        rc = bc_client_open(&client, cli->config.broker, agency);
    }
    if (rc == BC_EINVAL) {
        code = bc_cli_fail(EX_CONFIG, "địa chỉ máy chủ không hợp lệ: %s", cli->config.broker);
        goto leave;
    }
    if (rc != BC_OK) {
        code = bc_cli_fail(EX_UNAVAILABLE, "không tạo được kết nối tới máy chủ %s: %s",
                           cli->config.broker, bc_strerror(rc));
        goto leave;
    }
    rc = bc_client_issue(client, req, cli->config.timeout_ms, &reply);
    if (rc == BC_ETIMEDOUT) {
        char secs[32];
        s_seconds(cli->config.timeout_ms, secs, sizeof secs);
        code = bc_cli_fail(EX_UNAVAILABLE, "không có phản hồi từ máy chủ %s sau %s giây; "
                           "yêu cầu %s có thể chưa được lưu", cli->config.broker, secs,
                           citation);
        goto leave;
    }
    if (rc != BC_OK) {
        code = bc_cli_fail(EX_UNAVAILABLE, "không gửi được yêu cầu tới máy chủ %s: %s",
                           cli->config.broker, bc_strerror(rc));
        goto leave;
    }
    if (reply->body_case == BAOCAO__ENVELOPE__BODY_ERROR) {
        code = s_refused(cli, citation, reply->error);
        goto leave;
    }
    const Baocao__Ack *ack = reply->ack;
    if (cli->json) {
        char *json = bc_json_encode(&ack->base, BC_JSON_PRETTY);
        code = bc_cli_emit(cli, json, "xác nhận");
        free(json);
        goto leave;
    }
    //  The broker's key is the one stored; ours is the same unless the
    //  broker canonicalized something differently.
    bc_reqkey_t stored;
    if (ack->ref && bc_reqkey_from_ref(ack->ref, &stored) == BC_OK) {
        bc_reqkey_citation(&stored, citation, sizeof citation);
        bc_reqkey_format(&stored, key_text, sizeof key_text);
    }
    if (ack->duplicate) {
        printf("Yêu cầu %s (%s) đã có trên máy chủ từ trước; không gửi lại.\n", citation,
               key_text);
    }
    else {
        printf("Đã gửi yêu cầu %s (%s) tới %zu cơ quan.\n", citation, key_text,
               req->n_recipients);
    }
    code = EX_OK;
leave:
    bc_wire_free(&reply);
    bc_client_destroy(&client);
    baocao__report_request__free_unpacked(req, NULL);
    return code;
}

int
bc_cmd_request_list(bc_cli_t *cli)
{
    bc_store_t *store = NULL;
    int code = bc_cli_open_store(cli, &store);
    if (code != EX_OK) {
        return code;
    }
    bc_txn_t *txn = NULL;
    Baocao__RequestList *list = NULL;
    bc_err rc = bc_store_begin(store, 0, &txn);
    if (rc == BC_OK) {
        rc = bc_aggregate_list(txn, bc_clock_now_ms(), &list);
    }
    bc_store_abort(&txn);
    if (rc != BC_OK) {
        code = bc_cli_fail(EX_UNAVAILABLE, "không đọc được kho dữ liệu %s: %s (%s)",
                           cli->config.store, bc_strerror(rc), bc_store_last_error(store));
        bc_store_destroy(&store);
        return code;
    }
    bc_store_destroy(&store);
    bc_export_opts_t opts = { .width = bc_cli_terminal_width() };
    char *text = bc_export_request_list(list, cli->json ? BC_EXPORT_JSON : BC_EXPORT_TEXT,
                                        &opts);
    code = bc_cli_emit(cli, text, "danh sách yêu cầu");
    free(text);
    baocao__request_list__free_unpacked(list, NULL);
    return code;
}
