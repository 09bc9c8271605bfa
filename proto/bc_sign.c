//  bc_sign - report signatures
#include "bc_sign.h"
#include "bc_alloc.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

void
bc_sign_canonical(const Baocao__Report *report, uint8_t **bytes_p, size_t *size_p)
{
    //  A shallow copy with the excluded fields emptied; attachments are
    //  copied one level down so the caller's data pointers stay untouched.
    Baocao__Report copy = *report;
    copy.signature.data = NULL;
    copy.signature.len = 0;
    copy.revision = 0;
    Baocao__Attachment *atts = NULL;
    Baocao__Attachment **links = NULL;
    if (report->n_attachments) {
        atts = bc_calloc(report->n_attachments, sizeof *atts);
        links = bc_calloc(report->n_attachments, sizeof *links);
        for (size_t i = 0; i < report->n_attachments; i++) {
            atts[i] = *report->attachments[i];
            atts[i].data.data = NULL;
            atts[i].data.len = 0;
            links[i] = &atts[i];
        }
        copy.attachments = links;
    }
    size_t size = baocao__report__get_packed_size(&copy);
    uint8_t *bytes = bc_malloc(size);
    baocao__report__pack(&copy, bytes);
    free(atts);
    free(links);
    *bytes_p = bytes;
    *size_p = size;
}

void
bc_sign_report(Baocao__Report *report, const uint8_t secret[BC_CERT_SIGN_SECRET])
{
    uint8_t *bytes;
    size_t size;
    bc_sign_canonical(report, &bytes, &size);
    uint8_t *sig = bc_malloc(crypto_sign_BYTES);
    crypto_sign_detached(sig, NULL, bytes, size, secret);
    free(bytes);
    free(report->signature.data);
    report->signature.data = sig;
    report->signature.len = crypto_sign_BYTES;
}

bc_err
bc_sign_verify(const Baocao__Report *report, const uint8_t public_key[BC_CERT_SIGN_PUBLIC])
{
    if (report->signature.len != crypto_sign_BYTES) {
        return BC_EDENIED;
    }
    uint8_t *bytes;
    size_t size;
    bc_sign_canonical(report, &bytes, &size);
    int ok = crypto_sign_verify_detached(report->signature.data, bytes, size, public_key) == 0;
    free(bytes);
    return ok ? BC_OK : BC_EDENIED;
}
