//  bc_validate - field checks on requests and reports, shared by broker and CLI
//
//  The broker checks everything that arrives; the CLI runs the same checks
//  before sending, so a coordinator sees the mistake in the file at once.
//  Checks that need the store (recipients registered, request known) are
//  the broker's.
#ifndef BC_VALIDATE_H_INCLUDED
#define BC_VALIDATE_H_INCLUDED

#include <stddef.h>

#include "baocao/report.pb-c.h"
#include "baocao/request.pb-c.h"
#include "bc_err.h"

#define BC_VALIDATE_MAX_TEXT        (1u << 20)  //  bytes of one free-text field
#define BC_VALIDATE_MAX_SHORT       1024        //  bytes of a name, title, number
#define BC_VALIDATE_MAX_RECIPIENTS  5000
#define BC_VALIDATE_MAX_ITEMS       1000        //  outline items, indicators, refs
#define BC_VALIDATE_MAX_DEPTH       6           //  section nesting

//  Checks a request as issued: issuer code, number/notation (canonical),
//  promulgation date, subject, at least one recipient, codes valid and
//  unique, outline numbers non-empty and unique, indicator codes unique,
//  a deadline after the promulgation date, a data cut-off whose end is not
//  before its start, text lengths. Canonicalizes req->notation in place
//  (Ð and ASCII fallbacks; the string is replaced, owned as before).
//  Errors: BC_EINVAL with why naming the field ("recipients[3].code:
//  duplicate 000.00.04.H45").
bc_err bc_validate_request(Baocao__ReportRequest *req, char *why, size_t why_size);

//  Checks a report's own fields: request reference, report_id (32 hex),
//  sections (depth, lengths), indicator codes non-empty, attachments with a
//  32-byte SHA-256 that matches their data. Errors: BC_EINVAL with why.
bc_err bc_validate_report(const Baocao__Report *report, char *why, size_t why_size);

#endif
