//  fuzz_broker - every message handler of the broker over a real store
//
//  Input: one byte choosing who speaks (the coordinator, a department that
//  is addressed, a department that is not, an unregistered organ), then the
//  bytes of an Envelope. A real broker with a real LMDB store in a temporary
//  folder handles it exactly as if it came off the socket; the request of
//  the demo province is issued first so receipts and reports reach the
//  deep paths. Nothing may crash, leak or trip a sanitizer.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baocao/request.pb-c.h"
#include "bc_broker.h"
#include "bc_fs.h"
#include "bc_json.h"
#include "bc_log.h"
#include "bc_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static bc_broker_t *s_broker;           //  the one broker of this fuzzing process
static char s_dir[64];

static const char *s_routes[] = {
    "000.00.07.H45/fuzz",               //  coordinator
    "000.00.04.H45/fuzz",               //  addressed department
    "000.00.99.H45/fuzz",               //  unregistered
    "not an organ code",
};

static void
s_cleanup(void)
{
    bc_broker_destroy(&s_broker);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", s_dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "cannot remove %s\n", s_dir);
    }
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    bc_log_init("fuzz_broker", BC_LOG_ERROR);
    snprintf(s_dir, sizeof s_dir, "/tmp/fuzz_broker.XXXXXX");
    if (!mkdtemp(s_dir)) {
        abort();
    }
    bc_broker_config_t cfg;
    bc_broker_config_defaults(&cfg);
    snprintf(cfg.store, sizeof cfg.store, "%s/store", s_dir);
    snprintf(cfg.agencies, sizeof cfg.agencies, "%s/agencies.csv", BC_DEMO_DIR);
    snprintf(cfg.endpoint, sizeof cfg.endpoint, "tcp://127.0.0.1:*");
    snprintf(cfg.events, sizeof cfg.events, "tcp://127.0.0.1:*");
    cfg.map_size_mb = 64;
    cfg.unsafe_no_sync = 1;
    //  The handlers behind the transport: CURVE and signatures are the
    //  transport's and the signature check's own tests (it_security).
    snprintf(cfg.security, sizeof cfg.security, "none");
    cfg.require_signatures = 0;
    char why[512];
    if (bc_broker_open(&s_broker, &cfg, why, sizeof why) != BC_OK) {
        fprintf(stderr, "fuzz_broker: %s\n", why);
        abort();
    }
    atexit(s_cleanup);

    char *text = NULL;
    size_t size = 0;
    if (bc_fs_read(BC_DEMO_DIR "/request.json", 1 << 20, &text, &size) != BC_OK) {
        abort();
    }
    ProtobufCMessage *msg = NULL;
    if (bc_json_decode(&baocao__report_request__descriptor, text, size, &msg, why, sizeof why)
        != BC_OK) {
        fprintf(stderr, "fuzz_broker: demo request: %s\n", why);
        abort();
    }
    free(text);
    bc_wire_out_t out;
    bc_wire_out_init(&out);
    Baocao__IssueRequest issue = BAOCAO__ISSUE_REQUEST__INIT;
    issue.request = (Baocao__ReportRequest *) msg;
    out.env.body_case = BAOCAO__ENVELOPE__BODY_ISSUE_REQUEST;
    out.env.issue_request = &issue;
    size_t n;
    uint8_t *bytes = bc_wire_pack(&out.env, &n);
    bc_broker_feed(s_broker, (const uint8_t *) s_routes[0], strlen(s_routes[0]), bytes, n);
    free(bytes);
    protobuf_c_message_free_unpacked(msg, NULL);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    const char *route = s_routes[data[0] % (sizeof s_routes / sizeof s_routes[0])];
    bc_broker_feed(s_broker, (const uint8_t *) route, strlen(route), data + 1, size - 1);
    return 0;
}
