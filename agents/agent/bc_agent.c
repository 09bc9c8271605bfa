//  bc_agent - the department agent's event loop and broker protocol
#include "bc_agent.h"
#include "bc_outbox.h"
#include "bc_cert.h"
#include "bc_sign.h"
#include "bc_alloc.h"
#include "bc_clock.h"
#include "bc_dropdir.h"
#include "bc_fs.h"
#include "bc_id.h"
#include "bc_log.h"
#include "bc_reqkey.h"
#include "bc_wire.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#define S_SENT_IDS      8               //  envelope ids remembered per report
#define S_RECV_BATCH    256             //  messages handled per turn
#define S_HELLO_RETRY_FIRST 100         //  ms after a Hello that did not go out
#define S_HELLO_RETRY_MAX   1000
#define S_DENIED_RETRY_MS   60000       //  Hello again after the broker refused us
#define S_WATCH_MASK    (IN_CLOSE_WRITE | IN_MOVED_TO | IN_ONLYDIR)

//  One request folder under the drop root.
typedef struct {
    char *name;                         //  folder name, "1005-STTTT-TTBCXB"
    char *path;                         //  drop + "/" + name
    int wd;                             //  inotify watch, -1 when none
    Baocao__ReportRequest *request;     //  owned, the latest delivered
    bc_reqkey_t key;                    //  of request
} s_folder_t;

//  One submitted report awaiting the broker's Ack.
typedef struct {
    s_folder_t *folder;                 //  borrowed; folders live until destroy
    char *doc;                          //  document name in the folder
    Baocao__Report *report;             //  owned, what is sent
    char sent_ids[S_SENT_IDS][BC_ID_HEX_LEN + 1];   //  newest first
    unsigned attempts;                  //  sends so far
    int64_t backoff_ms;                 //  delay before the next resend
    int64_t next_ms;                    //  monotonic time of the next send
    int persisted;                      //  in the outbox; only then is it sent
} s_sub_t;

struct bc_agent {
    char *code;                         //  our organ code
    char *name;                         //  our agency's name
    char *broker;                       //  endpoint
    char *drop;                         //  drop root
    int heartbeat_ms;
    int retry_max_ms;
    char rid[BC_AGENCY_CODE_MAX + 16];  //  "<code>/<8 hex>"
    void *ctx;                          //  ZeroMQ context, owned
    void *socket;                       //  DEALER to the broker
    int inotify_fd;                     //  non-blocking
    bc_cert_t cert;                     //  our keys, when CURVE is on
    int secure;                         //  CURVE to the broker, reports signed
    char *state;                        //  folder of the outbox store
    bc_outbox_t *outbox;                //  reports persisted until acknowledged
    s_folder_t **folders;               //  every request folder known
    size_t n_folders;
    s_sub_t **subs;                     //  unacknowledged submissions
    size_t n_subs;
    int started;                        //  drop root scanned, first Hello said
    int connected;                      //  our Hello was acknowledged
    char hello_id[BC_ID_HEX_LEN + 1];   //  envelope id of the last Hello sent
    int64_t last_recv;                  //  monotonic ms of the last message
    int64_t next_beat;                  //  next Heartbeat, while connected
    int64_t next_hello;                 //  next Hello, while not connected
    int64_t hello_retry_ms;             //  delay after a Hello not sent
    int64_t next_denied_log;            //  when a refusal may be logged again
    char beat_id[BC_ID_HEX_LEN + 1];    //  envelope id of the last Heartbeat
};

//  --------------------------------------------------------------------------
//  Helpers

static char *
s_join(const char *dir, const char *name)
{
    bc_buf_t buf;
    bc_buf_init(&buf);
    bc_buf_printf(&buf, "%s/%s", dir, name);
    return bc_buf_take(&buf);
}

static int64_t
s_min(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

static const char *
s_error_name(int code)
{
    const ProtobufCEnumValue *value =
        protobuf_c_enum_descriptor_get_value(&baocao__error_code__descriptor, code);
    return value ? value->name : "UNKNOWN_ERROR_CODE";
}

//  A delay with +-20% jitter, so agents restarted together spread out.
static int64_t
s_jitter(int64_t ms)
{
    return ms * (80 + (int64_t) randombytes_uniform(41)) / 100;
}

static void
s_citation(const s_folder_t *folder, char *out, size_t size)
{
    bc_reqkey_citation(&folder->key, out, size);
}

static const char *
s_send_error(bc_err rc)
{
    //  With ZMQ_IMMEDIATE and ZMQ_DONTWAIT, "would block" means no live
    //  connection to the broker.
    return rc == BC_ETIMEDOUT ? "no connection" : bc_strerror(rc);
}

static void s_lost(bc_agent_t *self, int64_t now);

//  Sends one envelope without blocking. A send that finds no connection
//  while the session is up means the broker went away: say Hello again as
//  soon as it is back rather than at the next missed heartbeat.
static bc_err
s_send(bc_agent_t *self, bc_wire_out_t *out, int64_t now)
{
    bc_err rc = bc_wire_send(self->socket, NULL, 0, &out->env, ZMQ_DONTWAIT);
    if (rc == BC_ETIMEDOUT && self->connected) {
        s_lost(self, now);
    }
    return rc;
}

//  --------------------------------------------------------------------------
//  Folders and submissions

static s_folder_t *
s_folder_find(bc_agent_t *self, const char *name)
{
    for (size_t i = 0; i < self->n_folders; i++) {
        if (strcmp(self->folders[i]->name, name) == 0) {
            return self->folders[i];
        }
    }
    return NULL;
}

static s_folder_t *
s_folder_by_wd(bc_agent_t *self, int wd)
{
    for (size_t i = 0; i < self->n_folders; i++) {
        if (self->folders[i]->wd == wd) {
            return self->folders[i];
        }
    }
    return NULL;
}

//  Adds or updates the folder, taking request.
static s_folder_t *
s_folder_put(bc_agent_t *self, const char *name, Baocao__ReportRequest **request_p,
             const bc_reqkey_t *key)
{
    s_folder_t *folder = s_folder_find(self, name);
    if (!folder) {
        folder = bc_calloc(1, sizeof *folder);
        folder->name = bc_strdup(name);
        folder->path = s_join(self->drop, name);
        folder->wd = -1;
        self->folders = bc_realloc(self->folders,
                                   (self->n_folders + 1) * sizeof *self->folders);
        self->folders[self->n_folders++] = folder;
    }
    if (folder->request) {
        baocao__report_request__free_unpacked(folder->request, NULL);
    }
    folder->request = *request_p;
    *request_p = NULL;
    folder->key = *key;
    return folder;
}

static void
s_folder_destroy(s_folder_t **folder_p)
{
    s_folder_t *folder = *folder_p;
    if (!folder) {
        return;
    }
    if (folder->request) {
        baocao__report_request__free_unpacked(folder->request, NULL);
    }
    free(folder->name);
    free(folder->path);
    free(folder);
    *folder_p = NULL;
}

static void
s_watch(bc_agent_t *self, s_folder_t *folder)
{
    //  Adding a watch on an inode already watched returns the same wd.
    int wd = inotify_add_watch(self->inotify_fd, folder->path, S_WATCH_MASK);
    if (wd < 0) {
        bc_log_error("cannot watch request folder %s: %s", folder->path, strerror(errno));
        folder->wd = -1;
        return;
    }
    folder->wd = wd;
}

static s_sub_t *
s_sub_find(bc_agent_t *self, const s_folder_t *folder, const char *doc)
{
    for (size_t i = 0; i < self->n_subs; i++) {
        if (self->subs[i]->folder == folder && strcmp(self->subs[i]->doc, doc) == 0) {
            return self->subs[i];
        }
    }
    return NULL;
}

//  Frees a submission's memory; the outbox keeps it (shutdown).
static void
s_sub_free(bc_agent_t *self, s_sub_t *sub)
{
    for (size_t i = 0; i < self->n_subs; i++) {
        if (self->subs[i] == sub) {
            memmove(&self->subs[i], &self->subs[i + 1],
                    (self->n_subs - i - 1) * sizeof *self->subs);
            self->n_subs--;
            break;
        }
    }
    baocao__report__free_unpacked(sub->report, NULL);
    free(sub->doc);
    free(sub);
}

//  Forgets a submission for good: acknowledged, refused or replaced.
static void
s_sub_remove(bc_agent_t *self, s_sub_t *sub)
{
    if (sub->persisted) {
        bc_err rc = bc_outbox_del(self->outbox, sub->report->report_id);
        if (rc != BC_OK) {
            //  Harmless: at the next start it is resent and the broker
            //  answers with the same Ack (duplicate).
            bc_log_warn("cannot remove report %s from the outbox: %s",
                        sub->report->report_id, bc_strerror(rc));
        }
    }
    s_sub_free(self, sub);
}

//  Writes a submission to the outbox before its first send.
static int
s_persist(bc_agent_t *self, s_sub_t *sub)
{
    if (sub->persisted) {
        return 1;
    }
    bc_err rc = bc_outbox_put(self->outbox, sub->folder->name, sub->doc, sub->report);
    if (rc != BC_OK) {
        bc_log_error("BC-AGENT-OUTBOX cannot persist report %s in outbox %s: %s; not sent "
                     "until it can be", sub->report->report_id, self->state, bc_strerror(rc));
        return 0;
    }
    sub->persisted = 1;
    return 1;
}

static int
s_sub_sent(const s_sub_t *sub, const char *id)
{
    if (!id || !*id) {
        return 0;
    }
    for (size_t i = 0; i < S_SENT_IDS; i++) {
        if (strcmp(sub->sent_ids[i], id) == 0) {
            return 1;
        }
    }
    return 0;
}

//  --------------------------------------------------------------------------
//  Sending

static void
s_hello(bc_agent_t *self, int64_t now)
{
    bc_wire_out_t out;
    bc_wire_out_init(&out);
    Baocao__Hello hello = BAOCAO__HELLO__INIT;
    hello.role = BAOCAO__CLIENT_ROLE__AGENT;
    hello.software = (char *) BC_AGENT_SOFTWARE;
    hello.heartbeat_ms = (uint32_t) self->heartbeat_ms;
    out.env.body_case = BAOCAO__ENVELOPE__BODY_HELLO;
    out.env.hello = &hello;
    self->connected = 0;
    bc_err rc = s_send(self, &out, now);
    if (rc == BC_OK) {
        snprintf(self->hello_id, sizeof self->hello_id, "%s", out.id);
        self->next_hello = now + (int64_t) BC_AGENT_LIVENESS * self->heartbeat_ms;
        self->hello_retry_ms = S_HELLO_RETRY_FIRST;
        bc_log_debug("said hello to %s as %s", self->broker, self->rid);
    }
    else {
        //  No live connection yet (ZMQ_IMMEDIATE): try again soon.
        self->next_hello = now + self->hello_retry_ms;
        self->hello_retry_ms = s_min(self->hello_retry_ms * 2, S_HELLO_RETRY_MAX);
        bc_log_debug("cannot say hello to %s yet: %s", self->broker, s_send_error(rc));
    }
}

static void
s_lost(bc_agent_t *self, int64_t now)
{
    bc_log_warn("lost the connection to broker %s: saying hello again once it is back",
                self->broker);
    self->connected = 0;
    self->hello_retry_ms = S_HELLO_RETRY_FIRST;
    self->next_hello = now + S_HELLO_RETRY_FIRST;
}

static void
s_heartbeat(bc_agent_t *self, int64_t now)
{
    bc_wire_out_t out;
    bc_wire_out_init(&out);
    Baocao__Heartbeat beat = BAOCAO__HEARTBEAT__INIT;
    out.env.body_case = BAOCAO__ENVELOPE__BODY_HEARTBEAT;
    out.env.heartbeat = &beat;
    snprintf(self->beat_id, sizeof self->beat_id, "%s", out.id);
    bc_err rc = s_send(self, &out, now);
    if (rc != BC_OK) {
        bc_log_debug("cannot send heartbeat: %s", s_send_error(rc));
    }
}

static void
s_bye(bc_agent_t *self)
{
    bc_wire_out_t out;
    bc_wire_out_init(&out);
    Baocao__Bye bye = BAOCAO__BYE__INIT;
    out.env.body_case = BAOCAO__ENVELOPE__BODY_BYE;
    out.env.bye = &bye;
    bc_err rc = bc_wire_send(self->socket, NULL, 0, &out.env, ZMQ_DONTWAIT);
    if (rc != BC_OK) {
        bc_log_debug("cannot say bye: %s", s_send_error(rc));
    }
}

static void
s_receipt(bc_agent_t *self, const s_folder_t *folder, Baocao__DeliveryStatus status,
          int64_t now)
{
    bc_wire_out_t out;
    bc_wire_out_init(&out);
    Baocao__RequestRef ref;
    Baocao__Date date;
    bc_reqkey_to_ref(&folder->key, &ref, &date);
    Baocao__Receipt receipt = BAOCAO__RECEIPT__INIT;
    receipt.ref = &ref;
    receipt.status = status;
    out.env.body_case = BAOCAO__ENVELOPE__BODY_RECEIPT;
    out.env.receipt = &receipt;
    bc_err rc = s_send(self, &out, now);
    if (rc != BC_OK) {
        char cite[BC_REQKEY_TEXT_MAX];
        s_citation(folder, cite, sizeof cite);
        bc_log_warn("cannot send receipt for request %s: %s", cite, s_send_error(rc));
    }
}

static void
s_submit(bc_agent_t *self, s_sub_t *sub, int64_t now)
{
    bc_wire_out_t out;
    bc_wire_out_init(&out);
    Baocao__SubmitReport body = BAOCAO__SUBMIT_REPORT__INIT;
    body.report = sub->report;
    out.env.body_case = BAOCAO__ENVELOPE__BODY_SUBMIT_REPORT;
    out.env.submit_report = &body;
    bc_err rc = s_send(self, &out, now);

    memmove(sub->sent_ids[1], sub->sent_ids[0], (S_SENT_IDS - 1) * sizeof sub->sent_ids[0]);
    snprintf(sub->sent_ids[0], sizeof sub->sent_ids[0], "%s", out.id);
    sub->attempts++;
    sub->next_ms = now + s_jitter(sub->backoff_ms);
    sub->backoff_ms = s_min(sub->backoff_ms * 2, self->retry_max_ms);
    if (rc != BC_OK) {
        bc_log_debug("cannot send report %s (attempt %u): %s", sub->report->report_id,
                     sub->attempts, s_send_error(rc));
    }
    else if (sub->attempts == 1) {
        bc_log_info("submitted report %s for %s/%s", sub->report->report_id,
                    sub->folder->name, sub->doc);
    }
    else {
        bc_log_info("resent report %s for %s/%s (attempt %u)", sub->report->report_id,
                    sub->folder->name, sub->doc, sub->attempts);
    }
}

//  --------------------------------------------------------------------------
//  Documents

//  Moves a document the agent or the broker refused into loi/.
static void
s_reject(bc_agent_t *self, s_folder_t *folder, const char *doc, const char *reason)
{
    char moved[512];
    bc_err rc = bc_dropdir_reject(folder->path, doc, reason, moved, sizeof moved);
    if (rc == BC_OK) {
        bc_log_info("moved refused document %s/%s to %s/%s", folder->name, doc,
                    BC_DROPDIR_FAILED, moved);
    }
    else if (rc != BC_ENOTFOUND) {
        bc_log_error("cannot move refused document %s/%s to %s/: %s", folder->path, doc,
                     BC_DROPDIR_FAILED, bc_strerror(rc));
    }
}

//  Builds and queues the report of one document, with the folder's csv.
static void
s_take(bc_agent_t *self, s_folder_t *folder, const char *doc,
       const bc_dropdir_csv_t *csv, int64_t now)
{
    Baocao__Report *report = NULL;
    char why[512] = "";
    bc_err rc = bc_dropdir_build(folder->path, doc, folder->request, self->code, self->name,
                                 csv, &report, why, sizeof why);
    s_sub_t *existing = s_sub_find(self, folder, doc);
    if (rc == BC_ENOTFOUND) {
        bc_log_debug("document %s/%s vanished before it was read", folder->name, doc);
        return;
    }
    if (rc == BC_ETOOBIG || rc == BC_EINVAL) {
        bc_log_error("refused document %s/%s: %s", folder->name, doc, why);
        if (existing) {
            s_sub_remove(self, existing);
        }
        s_reject(self, folder, doc, why);
        return;
    }
    if (rc != BC_OK) {
        bc_log_error("cannot read document %s/%s: %s", folder->path, doc, why);
        return;
    }
    if (self->secure) {
        //  Signed before it is persisted: the outbox holds what is sent.
        bc_sign_report(report, self->cert.sign_secret);
    }
    if (existing) {
        if (strcmp(existing->report->report_id, report->report_id) == 0) {
            baocao__report__free_unpacked(report, NULL);
            return;                     //  unchanged, already pending
        }
        bc_log_info("document %s/%s changed: report %s replaces %s", folder->name, doc,
                    report->report_id, existing->report->report_id);
        s_sub_remove(self, existing);
    }
    s_sub_t *sub = bc_calloc(1, sizeof *sub);
    sub->folder = folder;
    sub->doc = bc_strdup(doc);
    sub->report = report;
    sub->backoff_ms = BC_AGENT_RETRY_FIRST_MS;
    sub->next_ms = now;
    self->subs = bc_realloc(self->subs, (self->n_subs + 1) * sizeof *self->subs);
    self->subs[self->n_subs++] = sub;
    s_persist(self, sub);
    bc_log_info("took document %s/%s as report %s with %zu indicators", folder->name, doc,
                report->report_id, report->n_indicators);
}

//  Reads the folder's chi-tieu.csv; on a fault holds the documents and
//  writes LOI-chi-tieu.txt. Returns 1 when documents may be taken.
static int
s_indicators(bc_agent_t *self, s_folder_t *folder, bc_dropdir_csv_t *csv, size_t held)
{
    bc_buf_t warnings;
    bc_buf_init(&warnings);
    char why[512] = "";
    bc_err rc = bc_dropdir_read_indicators(folder->path, folder->request, csv, &warnings,
                                           why, sizeof why);
    if (rc != BC_OK) {
        bc_log_error("held %zu document(s) in %s: bad %s: %s", held, folder->name,
                     BC_DROPDIR_CSV, why);
        bc_err wrc = bc_dropdir_csv_fault(folder->path, why);
        if (wrc != BC_OK) {
            bc_log_error("cannot write %s/%s: %s", folder->path, BC_DROPDIR_CSV_FAULT,
                         bc_strerror(wrc));
        }
        bc_buf_release(&warnings);
        return 0;
    }
    bc_err crc = bc_dropdir_csv_fault_clear(folder->path);
    if (crc != BC_OK) {
        bc_log_warn("cannot remove %s/%s: %s", folder->path, BC_DROPDIR_CSV_FAULT,
                    bc_strerror(crc));
    }
    char *line = warnings.data;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        if (nl) {
            *nl = '\0';
        }
        bc_log_warn("%s/%s", folder->name, line);
        line = nl ? nl + 1 : NULL;
    }
    bc_buf_release(&warnings);
    return 1;
}

//  Takes the given documents of a folder (all of them when names is NULL).
static void
s_scan(bc_agent_t *self, s_folder_t *folder, const char *only, int64_t now)
{
    char **names = NULL;
    size_t count = 0;
    if (only) {
        names = bc_malloc(sizeof *names);
        names[0] = bc_strdup(only);
        count = 1;
    }
    else {
        bc_err rc = bc_dropdir_documents(folder->path, &names, &count);
        if (rc != BC_OK) {
            bc_log_error("cannot list request folder %s: %s", folder->path, bc_strerror(rc));
            return;
        }
    }
    if (count > 0) {
        bc_dropdir_csv_t csv;
        bc_dropdir_csv_init(&csv);
        if (s_indicators(self, folder, &csv, count)) {
            for (size_t i = 0; i < count; i++) {
                s_take(self, folder, names[i], &csv, now);
            }
        }
        bc_dropdir_csv_release(&csv);
    }
    bc_dropdir_names_destroy(&names, count);
}

//  --------------------------------------------------------------------------
//  Handling the broker's messages

static void
s_connected(bc_agent_t *self, int64_t now)
{
    if (self->connected) {
        return;
    }
    self->connected = 1;
    self->next_beat = now + self->heartbeat_ms;
    bc_log_info("connected to broker %s as %s", self->broker, self->rid);
    //  A (re)started session: send everything pending now, backoff afresh.
    for (size_t i = 0; i < self->n_subs; i++) {
        self->subs[i]->next_ms = now;
        self->subs[i]->backoff_ms = BC_AGENT_RETRY_FIRST_MS;
    }
}

static void
s_acked(bc_agent_t *self, s_sub_t *sub, const Baocao__Ack *ack, int64_t now)
{
    s_folder_t *folder = sub->folder;
    const char *id = sub->report->report_id;
    //  If the document was rewritten after it was sent, the Ack is for the
    //  old text: keep the file and send what it holds now.
    uint8_t sha[BC_DROPDIR_SHA256_SIZE];
    bc_err rc = bc_dropdir_file_sha256(folder->path, sub->doc, sha);
    const Baocao__Attachment *att = sub->report->n_attachments ? sub->report->attachments[0]
                                                               : NULL;
    if (rc == BC_OK && att && att->sha256.len == sizeof sha
        && memcmp(att->sha256.data, sha, sizeof sha) != 0) {
        bc_log_info("report %s stored, but %s/%s changed since: sending it again", id,
                    folder->name, sub->doc);
        char *doc = bc_strdup(sub->doc);
        s_sub_remove(self, sub);
        s_scan(self, folder, doc, now);
        free(doc);
        return;
    }
    char moved[512];
    snprintf(moved, sizeof moved, "%s", sub->doc);
    if (rc == BC_OK) {
        rc = bc_dropdir_move(folder->path, sub->doc, BC_DROPDIR_SENT, moved, sizeof moved);
    }
    if (rc == BC_ENOTFOUND) {
        bc_log_warn("document %s/%s was removed before the broker stored it", folder->name,
                    sub->doc);
    }
    else if (rc != BC_OK) {
        bc_log_error("cannot move %s/%s to %s/: %s", folder->path, sub->doc, BC_DROPDIR_SENT,
                     bc_strerror(rc));
    }
    rc = bc_dropdir_receipt(folder->path, moved, ack->revision, ack->seq, ack->late,
                            ack->duplicate, bc_clock_now_ms());
    if (rc != BC_OK) {
        bc_log_error("cannot write %s/%s/%s: %s", folder->path, BC_DROPDIR_SENT,
                     BC_DROPDIR_RECEIPTS, bc_strerror(rc));
    }
    bc_log_info("report %s for %s/%s stored: revision %u, seq %llu%s%s", id, folder->name,
                sub->doc, ack->revision, (unsigned long long) ack->seq,
                ack->late ? ", late" : "", ack->duplicate ? ", duplicate" : "");
    s_sub_remove(self, sub);
}

static void
s_on_ack(bc_agent_t *self, const Baocao__Ack *ack, int64_t now)
{
    if (ack->in_reply_to && self->hello_id[0]
        && strcmp(ack->in_reply_to, self->hello_id) == 0) {
        s_connected(self, now);
        return;
    }
    int by_id = ack->report_id && *ack->report_id;
    int matched = 0;
    size_t i = 0;
    while (i < self->n_subs) {
        s_sub_t *sub = self->subs[i];
        int match = by_id ? strcmp(sub->report->report_id, ack->report_id) == 0
                          : s_sub_sent(sub, ack->in_reply_to);
        if (match) {
            matched = 1;
            s_acked(self, sub, ack, now);   //  removes sub, may add one
            i = 0;                          //  the table changed: look again
            continue;
        }
        i++;
    }
    if (!matched) {
        bc_log_debug("ack for message %s", ack->in_reply_to ? ack->in_reply_to : "?");
    }
}

static int
s_error_final(Baocao__ErrorCode code)
{
    switch (code) {
    case BAOCAO__ERROR_CODE__INVALID:
    case BAOCAO__ERROR_CODE__NOT_ADDRESSED:
    case BAOCAO__ERROR_CODE__UNKNOWN_REQUEST:
    case BAOCAO__ERROR_CODE__TOO_BIG:
        return 1;
    default:
        return 0;
    }
}

//  True when id is one of our recent messages: Hello, Heartbeat, a report.
static int
s_ours(const bc_agent_t *self, const char *id)
{
    if (!id || !*id) {
        return 0;
    }
    if (strcmp(id, self->hello_id) == 0 || strcmp(id, self->beat_id) == 0) {
        return 1;
    }
    for (size_t i = 0; i < self->n_subs; i++) {
        if (s_sub_sent(self->subs[i], id)) {
            return 1;
        }
    }
    return 0;
}

static void
s_on_error(bc_agent_t *self, const Baocao__Error *error, int64_t now)
{
    const char *message = error->message && *error->message ? error->message : "no message";
    const char *code = s_error_name(error->code);
    if (error->code == BAOCAO__ERROR_CODE__UNKNOWN_SESSION) {
        bc_log_info("broker does not know our session: saying hello again");
        self->hello_retry_ms = S_HELLO_RETRY_FIRST;
        s_hello(self, now);
        return;
    }
    if (error->code == BAOCAO__ERROR_CODE__DENIED && s_ours(self, error->in_reply_to)) {
        //  The agency itself is refused (key revoked or not matching the
        //  registry), not a document: keep every document, stop talking,
        //  and try again rarely until an operator fixes the registry.
        if (self->connected || now >= self->next_denied_log) {
            bc_log_error("BC-AGENT-DENIED broker refuses this agency: %s; documents kept, "
                         "retrying every %d s", message, S_DENIED_RETRY_MS / 1000);
            self->next_denied_log = now + 10 * S_DENIED_RETRY_MS;
        }
        self->connected = 0;
        self->next_hello = now + S_DENIED_RETRY_MS;
        return;
    }
    if (error->in_reply_to && self->hello_id[0]
        && strcmp(error->in_reply_to, self->hello_id) == 0) {
        bc_log_error("BC-AGENT-HELLO-REFUSED broker refused our hello: %s: %s", code, message);
        self->connected = 0;
        self->next_hello = now + (int64_t) BC_AGENT_LIVENESS * self->heartbeat_ms;
        return;
    }
    for (size_t i = 0; i < self->n_subs; i++) {
        s_sub_t *sub = self->subs[i];
        if (!s_sub_sent(sub, error->in_reply_to)) {
            continue;
        }
        if (s_error_final(error->code)) {
            bc_log_error("broker refused report %s for %s/%s: %s: %s",
                         sub->report->report_id, sub->folder->name, sub->doc, code, message);
            char reason[1024];
            snprintf(reason, sizeof reason, "broker refused the report: %s: %s", code, message);
            s_folder_t *folder = sub->folder;
            char *doc = bc_strdup(sub->doc);
            s_sub_remove(self, sub);
            s_reject(self, folder, doc, reason);
            free(doc);
        }
        else {
            bc_log_warn("broker did not store report %s for %s/%s: %s: %s; will resend",
                        sub->report->report_id, sub->folder->name, sub->doc, code, message);
        }
        return;
    }
    bc_log_warn("broker error for message %s: %s: %s",
                error->in_reply_to && *error->in_reply_to ? error->in_reply_to : "?", code,
                message);
}

static void
s_on_delivery(bc_agent_t *self, Baocao__Delivery *delivery, int64_t now)
{
    bc_reqkey_t key;
    if (!delivery->request || bc_reqkey_from_request(delivery->request, &key) != BC_OK) {
        bc_log_warn("dropped a delivery without a valid request key");
        return;
    }
    if (delivery->ref) {
        bc_reqkey_t ref_key;
        if (bc_reqkey_from_ref(delivery->ref, &ref_key) != BC_OK
            || !bc_reqkey_equal(&key, &ref_key)) {
            bc_log_warn("dropped a delivery whose ref does not name its request");
            return;
        }
    }
    char cite[BC_REQKEY_TEXT_MAX];
    bc_reqkey_format(&key, cite, sizeof cite);
    char name[BC_DROPDIR_FOLDER_MAX];
    bc_err rc = bc_dropdir_layout(self->drop, delivery->request, name, sizeof name);
    if (rc != BC_OK) {
        bc_log_error("cannot lay out request %s in %s: %s", cite, self->drop, bc_strerror(rc));
        return;
    }
    //  The request is taken out of the envelope, which is freed without it.
    Baocao__ReportRequest *request = delivery->request;
    delivery->request = NULL;
    s_folder_t *folder = s_folder_put(self, name, &request, &key);
    s_watch(self, folder);
    bc_log_info("received request %s (attempt %u) into %s/%s", cite, delivery->attempt,
                self->drop, name);

    char **names = NULL;
    size_t count = 0;
    rc = bc_dropdir_documents(folder->path, &names, &count);
    if (rc != BC_OK) {
        bc_log_error("cannot list request folder %s: %s", folder->path, bc_strerror(rc));
    }
    bc_dropdir_names_destroy(&names, count);
    s_receipt(self, folder, BAOCAO__DELIVERY_STATUS__ARRIVED, now);
    if (rc == BC_OK && count == 0) {
        s_receipt(self, folder, BAOCAO__DELIVERY_STATUS__PROCESSING, now);
    }
    s_scan(self, folder, NULL, now);
}

static void
s_handle(bc_agent_t *self, Baocao__Envelope *env, int64_t now)
{
    switch (env->body_case) {
    case BAOCAO__ENVELOPE__BODY_ACK:
        if (env->ack) {
            s_on_ack(self, env->ack, now);
        }
        break;
    case BAOCAO__ENVELOPE__BODY_ERROR:
        if (env->error) {
            s_on_error(self, env->error, now);
        }
        break;
    case BAOCAO__ENVELOPE__BODY_DELIVERY:
        if (env->delivery) {
            s_on_delivery(self, env->delivery, now);
        }
        break;
    case BAOCAO__ENVELOPE__BODY_HEARTBEAT:
        break;
    case BAOCAO__ENVELOPE__BODY_BYE:
        //  The broker is going away: say Hello again shortly.
        bc_log_info("broker %s said bye", self->broker);
        self->connected = 0;
        self->next_hello = now + s_min(S_HELLO_RETRY_MAX, self->heartbeat_ms);
        self->hello_retry_ms = S_HELLO_RETRY_FIRST;
        break;
    default:
        bc_log_debug("ignored a %s from the broker", bc_wire_body_name(env));
        break;
    }
}

static bc_err
s_receive(bc_agent_t *self, int64_t now)
{
    for (int i = 0; i < S_RECV_BATCH; i++) {
        Baocao__Envelope *env = NULL;
        bc_wire_peer_t peer;
        char why[128] = "";
        bc_err rc = bc_wire_recv(self->socket, 0, ZMQ_DONTWAIT, &peer, &env, why, sizeof why);
        if (rc == BC_ETIMEDOUT) {
            break;
        }
        if (rc == BC_ECLOSED) {
            return rc;
        }
        //  Anything at all from the broker shows it is alive.
        self->last_recv = now;
        if (rc != BC_OK) {
            bc_log_warn("dropped a message from the broker: %s",
                        *why ? why : bc_strerror(rc));
            continue;
        }
        s_handle(self, env, now);
        bc_wire_free(&env);
    }
    return BC_OK;
}

//  --------------------------------------------------------------------------
//  inotify

static bc_err
s_inotify(bc_agent_t *self, int64_t now)
{
    char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    int overflow = 0;
    for (;;) {
        ssize_t n = read(self->inotify_fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN) {
                break;
            }
            bc_log_error("cannot read inotify events: %s", strerror(errno));
            return BC_EIO;
        }
        if (n == 0) {
            break;
        }
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *) p;
            p += sizeof *ev + ev->len;
            if (ev->mask & IN_Q_OVERFLOW) {
                overflow = 1;
                continue;
            }
            s_folder_t *folder = s_folder_by_wd(self, ev->wd);
            if (!folder) {
                continue;
            }
            if (ev->mask & IN_IGNORED) {
                //  The folder was removed: so were its documents.
                bc_log_info("request folder %s was removed", folder->path);
                folder->wd = -1;
                size_t i = 0;
                while (i < self->n_subs) {
                    if (self->subs[i]->folder == folder) {
                        s_sub_remove(self, self->subs[i]);
                    }
                    else {
                        i++;
                    }
                }
                continue;
            }
            if ((ev->mask & IN_ISDIR) || ev->len == 0) {
                continue;
            }
            if (strcasecmp(ev->name, BC_DROPDIR_CSV) == 0) {
                bc_log_info("%s/%s changed: taking the folder's documents again",
                            folder->name, ev->name);
                s_scan(self, folder, NULL, now);
            }
            else if (bc_dropdir_is_document(ev->name)) {
                struct stat st;
                char *path = s_join(folder->path, ev->name);
                int regular = lstat(path, &st) == 0 && S_ISREG(st.st_mode);
                free(path);
                if (regular) {
                    s_scan(self, folder, ev->name, now);
                }
            }
        }
    }
    if (overflow) {
        bc_log_warn("inotify queue overflowed: scanning every request folder");
        for (size_t i = 0; i < self->n_folders; i++) {
            s_scan(self, self->folders[i], NULL, now);
        }
    }
    return BC_OK;
}

//  --------------------------------------------------------------------------
//  Start, timers, loop

typedef struct {
    bc_agent_t *self;
    int64_t now;
    size_t loaded;
} s_outbox_walk_t;

static void
s_outbox_load(const char *name, const char *doc, Baocao__Report **report_p, void *arg)
{
    s_outbox_walk_t *walk = arg;
    bc_agent_t *self = walk->self;
    const char *id = (*report_p)->report_id;
    s_folder_t *folder = s_folder_find(self, name);
    if (!folder) {
        bc_log_warn("outbox report %s belongs to folder %s, which is gone; dropped", id, name);
        bc_outbox_del(self->outbox, id);
        return;
    }
    for (size_t i = 0; i < self->n_subs; i++) {
        if (strcmp(self->subs[i]->report->report_id, id) == 0) {
            return;
        }
    }
    s_sub_t *sub = bc_calloc(1, sizeof *sub);
    sub->folder = folder;
    sub->doc = bc_strdup(doc);
    sub->report = *report_p;
    *report_p = NULL;
    sub->backoff_ms = BC_AGENT_RETRY_FIRST_MS;
    sub->next_ms = walk->now;
    sub->persisted = 1;
    self->subs = bc_realloc(self->subs, (self->n_subs + 1) * sizeof *self->subs);
    self->subs[self->n_subs++] = sub;
    walk->loaded++;
}

//  Request folders left by earlier runs: load, watch, take their documents.
static void
s_start(bc_agent_t *self, int64_t now)
{
    DIR *d = opendir(self->drop);
    if (!d) {
        bc_log_error("cannot list drop folder %s: %s", self->drop, strerror(errno));
        return;
    }
    struct dirent *entry;
    while ((entry = readdir(d)) != NULL) {
        if (entry->d_name[0] == '.') {
            continue;
        }
        struct stat st;
        if (fstatat(dirfd(d), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0
            || !S_ISDIR(st.st_mode)) {
            continue;
        }
        char *path = s_join(self->drop, entry->d_name);
        Baocao__ReportRequest *request = NULL;
        bc_err rc = bc_dropdir_load_request(path, &request);
        if (rc == BC_OK) {
            bc_reqkey_t key;
            bc_reqkey_from_request(request, &key);  //  checked by load_request
            s_folder_t *folder = s_folder_put(self, entry->d_name, &request, &key);
            s_watch(self, folder);
        }
        else if (rc != BC_ENOTFOUND) {
            bc_log_warn("ignored folder %s: cannot load its %s: %s", path,
                        BC_DROPDIR_REQUEST_PB, bc_strerror(rc));
        }
        free(path);
    }
    closedir(d);
    bc_log_info("found %zu request folders in %s", self->n_folders, self->drop);
    //  What was taken before a crash is sent as it was taken, before the
    //  folders are scanned again.
    s_outbox_walk_t walk = { self, now, 0 };
    bc_err rc = bc_outbox_each(self->outbox, s_outbox_load, &walk);
    if (rc != BC_OK) {
        bc_log_error("cannot read outbox %s: %s", self->state, bc_strerror(rc));
    }
    if (walk.loaded) {
        bc_log_info("%zu unacknowledged report(s) from the outbox to send again", walk.loaded);
    }
    for (size_t i = 0; i < self->n_folders; i++) {
        s_scan(self, self->folders[i], NULL, now);
    }
}

static void
s_timers(bc_agent_t *self, int64_t now)
{
    int64_t silence = (int64_t) BC_AGENT_LIVENESS * self->heartbeat_ms;
    if (!self->connected) {
        if (now >= self->next_hello) {
            s_hello(self, now);
        }
    }
    else if (now - self->last_recv >= silence) {
        bc_log_warn("lost broker %s: nothing received for %lld ms, saying hello again",
                    self->broker, (long long) (now - self->last_recv));
        self->hello_retry_ms = S_HELLO_RETRY_FIRST;
        s_hello(self, now);
    }
    else if (now >= self->next_beat) {
        s_heartbeat(self, now);
        self->next_beat = now + self->heartbeat_ms;
    }
    if (self->connected) {
        for (size_t i = 0; i < self->n_subs && self->connected; i++) {
            if (self->subs[i]->next_ms <= now && s_persist(self, self->subs[i])) {
                s_submit(self, self->subs[i], now);
            }
        }
    }
}

static int64_t
s_next_wait(const bc_agent_t *self, int64_t now)
{
    int64_t next = now + self->heartbeat_ms;
    if (!self->connected) {
        next = s_min(next, self->next_hello);
    }
    else {
        next = s_min(next, self->next_beat);
        next = s_min(next, self->last_recv + (int64_t) BC_AGENT_LIVENESS * self->heartbeat_ms);
        for (size_t i = 0; i < self->n_subs; i++) {
            next = s_min(next, self->subs[i]->next_ms);
        }
    }
    return next > now ? next - now : 0;
}

bc_err
bc_agent_run_once(bc_agent_t *self, int timeout_ms)
{
    assert(self);
    int64_t now = bc_clock_mono_ms();
    if (!self->started) {
        self->started = 1;
        self->last_recv = now;
        self->hello_retry_ms = S_HELLO_RETRY_FIRST;
        s_start(self, now);
        s_hello(self, now);
    }
    s_timers(self, now);
    int64_t wait = s_next_wait(self, now);
    if (timeout_ms >= 0 && timeout_ms < wait) {
        wait = timeout_ms;
    }
    zmq_pollitem_t items[2] = {
        { self->socket, 0, ZMQ_POLLIN, 0 },
        { NULL, self->inotify_fd, ZMQ_POLLIN, 0 },
    };
    int rc = zmq_poll(items, 2, (long) wait);
    if (rc < 0) {
        int err = zmq_errno();
        if (err == EINTR) {
            return BC_OK;               //  a signal: the caller checks its flag
        }
        if (err == ETERM) {
            return BC_ECLOSED;
        }
        bc_log_error("cannot poll: %s", zmq_strerror(err));
        return BC_EIO;
    }
    now = bc_clock_mono_ms();
    if (items[0].revents & ZMQ_POLLIN) {
        bc_err brc = s_receive(self, now);
        if (brc != BC_OK) {
            return brc;
        }
    }
    if (items[1].revents & ZMQ_POLLIN) {
        bc_err irc = s_inotify(self, now);
        if (irc != BC_OK) {
            return irc;
        }
    }
    return BC_OK;
}

bc_err
bc_agent_run(bc_agent_t *self, const volatile sig_atomic_t *stop)
{
    assert(self);
    assert(stop);
    while (!*stop) {
        bc_err rc = bc_agent_run_once(self, -1);
        if (rc != BC_OK) {
            return rc;
        }
    }
    if (self->connected) {
        s_bye(self);
    }
    if (self->n_subs > 0) {
        bc_log_info("stopping with %zu reports not yet stored; they are sent at the next "
                    "start", self->n_subs);
    }
    return BC_OK;
}

//  --------------------------------------------------------------------------
//  Lifecycle

static bc_err
s_check_opts(const bc_agent_opts_t *opts, char *why, size_t why_size)
{
    if (!bc_agency_code_valid(opts->code)) {
        snprintf(why, why_size, "invalid organ code: %s", opts->code ? opts->code : "(none)");
        return BC_EINVAL;
    }
    if (!opts->name || !*opts->name) {
        snprintf(why, why_size, "agency name missing");
        return BC_EINVAL;
    }
    if (!opts->broker || !*opts->broker) {
        snprintf(why, why_size, "broker endpoint missing");
        return BC_EINVAL;
    }
    if (!opts->drop || !*opts->drop) {
        snprintf(why, why_size, "drop folder missing");
        return BC_EINVAL;
    }
    if (opts->heartbeat_ms < BC_AGENT_HEARTBEAT_MIN || opts->heartbeat_ms > BC_AGENT_HEARTBEAT_MAX) {
        snprintf(why, why_size, "heartbeat of %d ms out of range (%d..%d)", opts->heartbeat_ms,
                 BC_AGENT_HEARTBEAT_MIN, BC_AGENT_HEARTBEAT_MAX);
        return BC_EINVAL;
    }
    if (opts->retry_max_ms < BC_AGENT_RETRY_FIRST_MS) {
        snprintf(why, why_size, "retry_max_ms of %d ms under %d", opts->retry_max_ms,
                 BC_AGENT_RETRY_FIRST_MS);
        return BC_EINVAL;
    }
    return BC_OK;
}

static int
s_sockopt(void *socket, int option, const void *value, size_t size, const char *name,
          char *why, size_t why_size)
{
    if (zmq_setsockopt(socket, option, value, size) != 0) {
        snprintf(why, why_size, "cannot set %s: %s", name, zmq_strerror(zmq_errno()));
        return -1;
    }
    return 0;
}

bc_err
bc_agent_open(bc_agent_t **agent_p, const bc_agent_opts_t *opts, char *why, size_t why_size)
{
    assert(agent_p);
    assert(opts);
    char dummy[1];
    if (!why || why_size == 0) {
        why = dummy;
        why_size = sizeof dummy;
    }
    bc_err rc = s_check_opts(opts, why, why_size);
    if (rc != BC_OK) {
        return rc;
    }
    if (sodium_init() < 0) {
        snprintf(why, why_size, "cannot initialise libsodium");
        return BC_EIO;
    }
    bc_agent_t *self = bc_calloc(1, sizeof *self);
    self->inotify_fd = -1;
    self->code = bc_strdup(opts->code);
    self->name = bc_strdup(opts->name);
    self->broker = bc_strdup(opts->broker);
    self->drop = bc_strdup(opts->drop);
    //  Without the trailing slash folder paths in logs read cleanly.
    size_t n = strlen(self->drop);
    while (n > 1 && self->drop[n - 1] == '/') {
        self->drop[--n] = '\0';
    }
    self->heartbeat_ms = opts->heartbeat_ms;
    self->retry_max_ms = opts->retry_max_ms;
    char id[BC_ID_HEX_LEN + 1];
    bc_id_new(id);
    snprintf(self->rid, sizeof self->rid, "%s/%.8s", self->code, id);

    rc = bc_fs_mkdirs(self->drop);
    if (rc != BC_OK) {
        snprintf(why, why_size, "cannot create drop folder %s: %s", self->drop,
                 bc_strerror(rc));
        rc = rc == BC_EINVAL ? BC_EINVAL : rc == BC_EDENIED ? BC_EDENIED : BC_EIO;
        goto fail;
    }
    //  The outbox lives beside the requests by default, in a folder the
    //  agent never takes documents from (its name starts with '.').
    if (opts->state && *opts->state) {
        self->state = bc_strdup(opts->state);
    }
    else {
        self->state = s_join(self->drop, BC_AGENT_STATE_DEFAULT);
    }
    rc = bc_outbox_open(&self->outbox, self->state, why, why_size);
    if (rc != BC_OK) {
        rc = rc == BC_EINVAL ? BC_EINVAL : rc == BC_EDENIED ? BC_EDENIED : BC_EIO;
        goto fail;
    }
    self->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (self->inotify_fd < 0) {
        snprintf(why, why_size, "cannot start inotify: %s", strerror(errno));
        rc = BC_EIO;
        goto fail;
    }
    self->ctx = zmq_ctx_new();
    if (!self->ctx) {
        snprintf(why, why_size, "cannot create a zeromq context: %s",
                 zmq_strerror(zmq_errno()));
        rc = BC_EIO;
        goto fail;
    }
    self->socket = zmq_socket(self->ctx, ZMQ_DEALER);
    if (!self->socket) {
        snprintf(why, why_size, "cannot create a zeromq socket: %s",
                 zmq_strerror(zmq_errno()));
        rc = BC_EIO;
        goto fail;
    }
    int64_t max_msg = BC_WIRE_MAX_MSG;
    int linger = 1000;
    int ivl = 100;
    int ivl_max = 5000;
    int immediate = 1;
    //  ZMTP heartbeats drop a dead TCP link (cable pulled, NAT expired) in
    //  3 intervals, so libzmq reconnects instead of waiting on the kernel.
    int zmtp_ivl = self->heartbeat_ms;
    int zmtp_timeout = 3 * self->heartbeat_ms;
    if (opts->key && *opts->key) {
        bc_cert_t broker;
        char kwhy[600];
        rc = bc_cert_load(&self->cert, opts->key, kwhy, sizeof kwhy);
        if (rc == BC_OK && !self->cert.has_secret) {
            snprintf(kwhy, sizeof kwhy, "%.500s holds no secret key", opts->key);
            rc = BC_EINVAL;
        }
        if (rc == BC_OK && strcmp(self->cert.code, self->code) != 0) {
            snprintf(kwhy, sizeof kwhy, "%.500s belongs to %s, not %s", opts->key,
                     self->cert.code, self->code);
            rc = BC_EINVAL;
        }
        if (rc == BC_OK) {
            rc = bc_cert_load(&broker, opts->broker_key ? opts->broker_key : "", kwhy,
                              sizeof kwhy);
        }
        if (rc != BC_OK) {
            snprintf(why, why_size, "cannot load keys: %s", kwhy);
            rc = BC_EINVAL;
            goto fail;
        }
        if (s_sockopt(self->socket, ZMQ_CURVE_SERVERKEY, broker.curve_public, BC_CERT_Z85_LEN,
                      "ZMQ_CURVE_SERVERKEY", why, why_size)
            || s_sockopt(self->socket, ZMQ_CURVE_PUBLICKEY, self->cert.curve_public,
                         BC_CERT_Z85_LEN, "ZMQ_CURVE_PUBLICKEY", why, why_size)
            || s_sockopt(self->socket, ZMQ_CURVE_SECRETKEY, self->cert.curve_secret,
                         BC_CERT_Z85_LEN, "ZMQ_CURVE_SECRETKEY", why, why_size)) {
            rc = BC_EIO;
            goto fail;
        }
        self->secure = 1;
    }
    rc = BC_EIO;
    if (s_sockopt(self->socket, ZMQ_ROUTING_ID, self->rid, strlen(self->rid),
                  "ZMQ_ROUTING_ID", why, why_size)
        || s_sockopt(self->socket, ZMQ_MAXMSGSIZE, &max_msg, sizeof max_msg,
                     "ZMQ_MAXMSGSIZE", why, why_size)
        || s_sockopt(self->socket, ZMQ_LINGER, &linger, sizeof linger, "ZMQ_LINGER", why,
                     why_size)
        || s_sockopt(self->socket, ZMQ_RECONNECT_IVL, &ivl, sizeof ivl,
                     "ZMQ_RECONNECT_IVL", why, why_size)
        || s_sockopt(self->socket, ZMQ_RECONNECT_IVL_MAX, &ivl_max, sizeof ivl_max,
                     "ZMQ_RECONNECT_IVL_MAX", why, why_size)
        || s_sockopt(self->socket, ZMQ_IMMEDIATE, &immediate, sizeof immediate,
                     "ZMQ_IMMEDIATE", why, why_size)
        || s_sockopt(self->socket, ZMQ_HEARTBEAT_IVL, &zmtp_ivl, sizeof zmtp_ivl,
                     "ZMQ_HEARTBEAT_IVL", why, why_size)
        || s_sockopt(self->socket, ZMQ_HEARTBEAT_TIMEOUT, &zmtp_timeout, sizeof zmtp_timeout,
                     "ZMQ_HEARTBEAT_TIMEOUT", why, why_size)) {
        goto fail;
    }
    if (zmq_connect(self->socket, self->broker) != 0) {
        int err = zmq_errno();
        snprintf(why, why_size, "cannot connect to %s: %s", self->broker, zmq_strerror(err));
        rc = err == EINVAL || err == EPROTONOSUPPORT || err == ENOCOMPATPROTO ? BC_EINVAL
                                                                              : BC_EIO;
        goto fail;
    }
    *agent_p = self;
    return BC_OK;

fail:
    bc_agent_destroy(&self);
    return rc;
}

const char *
bc_agent_routing_id(const bc_agent_t *self)
{
    assert(self);
    return self->rid;
}

int
bc_agent_connected(const bc_agent_t *self)
{
    assert(self);
    return self->connected;
}

size_t
bc_agent_pending(const bc_agent_t *self)
{
    assert(self);
    return self->n_subs;
}

void
bc_agent_destroy(bc_agent_t **agent_p)
{
    if (!agent_p || !*agent_p) {
        return;
    }
    bc_agent_t *self = *agent_p;
    if (self->socket) {
        zmq_close(self->socket);
    }
    if (self->ctx) {
        zmq_ctx_term(self->ctx);
    }
    if (self->inotify_fd >= 0) {
        close(self->inotify_fd);
    }
    while (self->n_subs > 0) {
        s_sub_free(self, self->subs[self->n_subs - 1]);
    }
    bc_outbox_destroy(&self->outbox);
    bc_cert_wipe(&self->cert);
    free(self->state);
    free(self->subs);
    for (size_t i = 0; i < self->n_folders; i++) {
        s_folder_destroy(&self->folders[i]);
    }
    free(self->folders);
    free(self->code);
    free(self->name);
    free(self->broker);
    free(self->drop);
    free(self);
    *agent_p = NULL;
}
