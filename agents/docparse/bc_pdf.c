//  bc_pdf - PDF text extraction over poppler-glib, bounded and with plain reasons
#include "bc_pdf.h"

#include <assert.h>
#include <glib.h>
#include <poppler.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_SNIFF_BYTES   1024

static void
s_why(char *why, size_t why_size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

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

int
bc_pdf_sniff(const void *data, size_t size)
{
    size_t n = size < S_SNIFF_BYTES ? size : S_SNIFF_BYTES;
    return n >= 5 && memmem(data, n, "%PDF-", 5) != NULL;
}

//  Non-blank characters in text (bytes that start a code point and are not
//  ASCII blanks).
static size_t
s_visible(const char *text)
{
    size_t n = 0;
    for (const char *p = text; *p; p++) {
        unsigned char c = (unsigned char) *p;
        if ((c & 0xC0) != 0x80 && c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\f') {
            n++;
        }
    }
    return n;
}

bc_err
bc_pdf_text(const void *data, size_t size, char **text_p, size_t *len_p, unsigned *pages_p,
            bc_buf_t *warnings, char *why, size_t why_size)
{
    assert(data || size == 0);
    assert(text_p);
    assert(len_p);
    if (!bc_pdf_sniff(data, size)) {
        s_why(why, why_size, "not a PDF file");
        return BC_EINVAL;
    }
    //  poppler reads the bytes in place: they stay the caller's.
    GBytes *bytes = g_bytes_new_static(data, size);
    GError *error = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &error);
    g_bytes_unref(bytes);
    if (!doc) {
        bc_err rc = BC_EINVAL;
        if (error && error->domain == POPPLER_ERROR && error->code == POPPLER_ERROR_ENCRYPTED) {
            s_why(why, why_size, "encrypted PDF: it cannot be read without its password "
                  "(save it again without a password)");
            rc = BC_EDENIED;
        }
        else {
            s_why(why, why_size, "damaged PDF: %s", error && error->message ? error->message
                                                                            : "unreadable");
        }
        if (error) {
            g_error_free(error);
        }
        return rc;
    }
    int n_pages = poppler_document_get_n_pages(doc);
    if (n_pages < 0) {
        n_pages = 0;
    }
    int read = n_pages > BC_PDF_MAX_PAGES ? BC_PDF_MAX_PAGES : n_pages;
    bc_buf_t text;
    bc_buf_init(&text);
    bc_buf_t blank;                     //  "3, 4, 7": pages without text
    bc_buf_init(&blank);
    size_t n_blank = 0;
    bc_err rc = BC_OK;
    for (int i = 0; i < read; i++) {
        PopplerPage *page = poppler_document_get_page(doc, i);
        char *page_text = page ? poppler_page_get_text(page) : NULL;
        if (page) {
            g_object_unref(page);
        }
        const char *t = page_text ? page_text : "";
        if (s_visible(t) < BC_PDF_MIN_CHARS) {
            bc_buf_printf(&blank, "%s%d", n_blank ? ", " : "", i + 1);
            n_blank++;
        }
        size_t len = strlen(t);
        if (text.len + len + 1 > BC_PDF_MAX_TEXT) {
            g_free(page_text);
            s_why(why, why_size, "the PDF's text passes the limit of %u MiB",
                  BC_PDF_MAX_TEXT >> 20);
            rc = BC_ETOOBIG;
            break;
        }
        if (i > 0) {
            bc_buf_append(&text, "\f", 1);
        }
        bc_buf_append(&text, t, len);
        g_free(page_text);
    }
    if (rc == BC_OK && (read == 0 || n_blank == (size_t) read)) {
        s_why(why, why_size, "the PDF has no text layer (%d page%s, scanned?): print the "
              "document to PDF from the word processor, or send the text",
              n_pages, n_pages == 1 ? "" : "s");
        rc = BC_EINVAL;
    }
    if (rc == BC_OK && warnings) {
        if (n_blank > 0) {
            bc_buf_printf(warnings, "page%s %s of the PDF %s no text layer (scanned?): "
                          "their content is missing\n", n_blank > 1 ? "s" : "", blank.data,
                          n_blank > 1 ? "have" : "has");
        }
        if (n_pages > read) {
            bc_buf_printf(warnings, "only the first %d of the PDF's %d pages were read\n",
                          read, n_pages);
        }
        if (memmem(data, size, "/Encrypt", 8)) {
            bc_buf_printf(warnings, "the PDF is encrypted with permissions only; its text "
                          "was read\n");
        }
    }
    g_object_unref(doc);
    bc_buf_release(&blank);
    if (rc != BC_OK) {
        bc_buf_release(&text);
        return rc;
    }
    bc_buf_append(&text, "", 0);
    *len_p = text.len;
    *text_p = bc_buf_take(&text);
    if (pages_p) {
        *pages_p = (unsigned) n_pages;
    }
    return BC_OK;
}
