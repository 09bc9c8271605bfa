//  test_bc_common - unit tests of common/: csv, notation, clock, fs, id, alloc, err
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bc_alloc.h"
#include "bc_clock.h"
#include "bc_csv.h"
#include "bc_err.h"
#include "bc_fs.h"
#include "bc_id.h"
#include "bc_notation.h"

//  The three look-alike D's, spelled as bytes so the test cannot be fooled by
//  an editor that normalizes them. Kept as separate literals: a hex escape
//  followed by a hex digit ("\x90C") would swallow it.
#define DD          "\xC4\x90"          //  Đ U+0110, the canonical one
#define DD_LOWER    "\xC4\x91"          //  đ U+0111
#define ETH         "\xC3\x90"          //  Ð U+00D0, Icelandic eth

//  --------------------------------------------------------------------------
//  Helpers

//  Parses a C string (no NULs) as CSV and fails the test on any error.
static bc_csv_t *
s_csv(const char *text)
{
    bc_csv_t *csv = NULL;
    size_t line = 0;
    bc_err rc = bc_csv_parse(text, strlen(text), &csv, &line);
    assert_int_equal(rc, BC_OK);
    assert_non_null(csv);
    return csv;
}

//  Parses text expecting BC_EINVAL and returns the reported line; checks
//  that *csv_p was left alone.
static size_t
s_csv_fault(const char *text, size_t size)
{
    bc_csv_t *sentinel = (bc_csv_t *) &sentinel;
    bc_csv_t *csv = sentinel;
    size_t line = 0;
    assert_int_equal(bc_csv_parse(text, size, &csv, &line), BC_EINVAL);
    assert_ptr_equal(csv, sentinel);
    return line;
}

static int
s_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

//  Each fs test gets its own mkdtemp folder in *state, removed afterwards.
static int
s_tmpdir_setup(void **state)
{
    char *dir = bc_strdup("/tmp/test_bc_common.XXXXXX");
    if (!mkdtemp(dir)) {
        free(dir);
        return -1;
    }
    *state = dir;
    return 0;
}

static int
s_tmpdir_teardown(void **state)
{
    char *dir = *state;
    int rc = nftw(dir, s_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
    return rc;
}

static char *
s_path(void **state, const char *name)
{
    bc_buf_t buf;
    bc_buf_init(&buf);
    bc_buf_printf(&buf, "%s/%s", (const char *) *state, name);
    return bc_buf_take(&buf);
}

static void
s_write_file(const char *path, const char *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, size, f), size);
    assert_int_equal(fclose(f), 0);
}

//  --------------------------------------------------------------------------
//  bc_csv

static void
test_csv_header_and_rows(void **state)
{
    bc_csv_t *csv = s_csv("code,name,email\n"
                          "STTTT,So Thong tin,stttt@example.vn\n"
                          "SYT,So Y te,syt@example.vn\n");
    assert_int_equal(bc_csv_rows(csv), 3);
    for (size_t row = 0; row < 3; row++) {
        assert_int_equal(bc_csv_cols(csv, row), 3);
    }
    assert_string_equal(bc_csv_cell(csv, 0, 0), "code");
    assert_string_equal(bc_csv_cell(csv, 0, 2), "email");
    assert_string_equal(bc_csv_cell(csv, 1, 1), "So Thong tin");
    assert_string_equal(bc_csv_cell(csv, 2, 2), "syt@example.vn");
    bc_csv_destroy(&csv);
    assert_null(csv);
    bc_csv_destroy(&csv);               //  safe on NULL
}

static void
test_csv_last_line_without_newline(void **state)
{
    bc_csv_t *csv = s_csv("a,b\nc,d");
    assert_int_equal(bc_csv_rows(csv), 2);
    assert_string_equal(bc_csv_cell(csv, 1, 1), "d");
    bc_csv_destroy(&csv);
}

static void
test_csv_quoted_comma(void **state)
{
    bc_csv_t *csv = s_csv("SYT,\"So Y te, tinh Lao Cai\",3\n");
    assert_int_equal(bc_csv_cols(csv, 0), 3);
    assert_string_equal(bc_csv_cell(csv, 0, 1), "So Y te, tinh Lao Cai");
    assert_string_equal(bc_csv_cell(csv, 0, 2), "3");
    bc_csv_destroy(&csv);
}

static void
test_csv_doubled_quote_escape(void **state)
{
    bc_csv_t *csv = s_csv("\"say \"\"hi\"\"\",\"\"\"\",\"\"\n");
    assert_int_equal(bc_csv_cols(csv, 0), 3);
    assert_string_equal(bc_csv_cell(csv, 0, 0), "say \"hi\"");
    assert_string_equal(bc_csv_cell(csv, 0, 1), "\"");
    assert_string_equal(bc_csv_cell(csv, 0, 2), "");
    bc_csv_destroy(&csv);
}

static void
test_csv_embedded_newline(void **state)
{
    bc_csv_t *csv = s_csv("a,\"line one\nline two\",c\nd,e,f\n");
    assert_int_equal(bc_csv_rows(csv), 2);
    assert_string_equal(bc_csv_cell(csv, 0, 1), "line one\nline two");
    assert_string_equal(bc_csv_cell(csv, 0, 2), "c");
    assert_string_equal(bc_csv_cell(csv, 1, 0), "d");
    bc_csv_destroy(&csv);
}

static void
test_csv_crlf(void **state)
{
    bc_csv_t *csv = s_csv("a,b\r\n\"c\",d\r\n\"x\r\ny\"\r\n");
    assert_int_equal(bc_csv_rows(csv), 3);
    assert_string_equal(bc_csv_cell(csv, 0, 1), "b");
    assert_string_equal(bc_csv_cell(csv, 1, 0), "c");
    assert_string_equal(bc_csv_cell(csv, 1, 1), "d");
    assert_string_equal(bc_csv_cell(csv, 2, 0), "x\r\ny");    //  quoted: kept as written
    assert_int_equal(bc_csv_line(csv, 2), 3);
    bc_csv_destroy(&csv);
}

static void
test_csv_cr_handling(void **state)
{
    //  A lone CR is text; a CR as the very last byte ends the line.
    bc_csv_t *csv = s_csv("a\rb,c\nd,e\r");
    assert_int_equal(bc_csv_rows(csv), 2);
    assert_string_equal(bc_csv_cell(csv, 0, 0), "a\rb");
    assert_string_equal(bc_csv_cell(csv, 1, 1), "e");
    bc_csv_destroy(&csv);
}

static void
test_csv_bom(void **state)
{
    bc_csv_t *csv = s_csv("\xEF\xBB\xBF" "code,name\nX,Y\n");
    assert_int_equal(bc_csv_rows(csv), 2);
    assert_string_equal(bc_csv_cell(csv, 0, 0), "code");
    bc_csv_destroy(&csv);

    //  Only at the start: elsewhere those bytes are text.
    csv = s_csv("a\n\xEF\xBB\xBF" "b\n");
    assert_string_equal(bc_csv_cell(csv, 1, 0), "\xEF\xBB\xBF" "b");
    bc_csv_destroy(&csv);
}

static void
test_csv_blank_lines_skipped(void **state)
{
    bc_csv_t *csv = s_csv("\n\na,b\n\n  \t \r\nc,d\n\n");
    assert_int_equal(bc_csv_rows(csv), 2);
    assert_string_equal(bc_csv_cell(csv, 0, 0), "a");
    assert_string_equal(bc_csv_cell(csv, 1, 0), "c");
    assert_int_equal(bc_csv_line(csv, 0), 3);
    assert_int_equal(bc_csv_line(csv, 1), 6);
    bc_csv_destroy(&csv);
}

static void
test_csv_quoted_empty_line_is_a_row(void **state)
{
    //  "" is a real empty cell and "," two of them: neither line is blank.
    bc_csv_t *csv = s_csv("a\n\"\"\n,\n");
    assert_int_equal(bc_csv_rows(csv), 3);
    assert_int_equal(bc_csv_cols(csv, 1), 1);
    assert_string_equal(bc_csv_cell(csv, 1, 0), "");
    assert_int_equal(bc_csv_cols(csv, 2), 2);
    bc_csv_destroy(&csv);
}

static void
test_csv_trimming(void **state)
{
    bc_csv_t *csv = s_csv("  a  ,\tb c\t, \" q \" ,\"\t\"\t,\n");
    assert_int_equal(bc_csv_cols(csv, 0), 5);
    assert_string_equal(bc_csv_cell(csv, 0, 0), "a");
    assert_string_equal(bc_csv_cell(csv, 0, 1), "b c");        //  inner space kept
    assert_string_equal(bc_csv_cell(csv, 0, 2), " q ");        //  quoted: untouched
    assert_string_equal(bc_csv_cell(csv, 0, 3), "\t");
    assert_string_equal(bc_csv_cell(csv, 0, 4), "");
    bc_csv_destroy(&csv);
}

static void
test_csv_bare_quote_inside_cell_is_text(void **state)
{
    bc_csv_t *csv = s_csv("5\" floppy,a\"b\"\n");
    assert_string_equal(bc_csv_cell(csv, 0, 0), "5\" floppy");
    assert_string_equal(bc_csv_cell(csv, 0, 1), "a\"b\"");
    bc_csv_destroy(&csv);
}

static void
test_csv_unterminated_quote(void **state)
{
    //  The line reported is where the quote opens, not the end of input.
    const char *text = "h1,h2\nx,y\nz,\"never closed\nmore\nand more\n";
    assert_int_equal(s_csv_fault(text, strlen(text)), 3);
    assert_int_equal(s_csv_fault("\"", 1), 1);
    assert_int_equal(s_csv_fault("a,\"b\"\"", 6), 1);        //  "" is an escape, not a close
}

static void
test_csv_junk_after_closing_quote(void **state)
{
    const char *text = "a,b\n\"x\"y,z\n";
    assert_int_equal(s_csv_fault(text, strlen(text)), 2);
    //  Counted after the quoted newline, so the line is where the junk is.
    text = "a\n\"one\ntwo\" junk\n";
    assert_int_equal(s_csv_fault(text, strlen(text)), 3);
    text = "\"x\"\ry\n";                   //  a lone CR is not a line end
    assert_int_equal(s_csv_fault(text, strlen(text)), 1);
}

static void
test_csv_nul_byte(void **state)
{
    static const char plain[] = "a,b\nc\0d,e\n";
    assert_int_equal(s_csv_fault(plain, sizeof plain - 1), 2);
    static const char quoted[] = "a\nb\n\"c\nd\0\"\n";
    assert_int_equal(s_csv_fault(quoted, sizeof quoted - 1), 4);
}

static void
test_csv_empty_input(void **state)
{
    const char *inputs[] = { "", "\xEF\xBB\xBF", "\n", "\r\n\r\n", " \t\n\n" };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        bc_csv_t *csv = s_csv(inputs[i]);
        assert_int_equal(bc_csv_rows(csv), 0);
        assert_null(bc_csv_cell(csv, 0, 0));
        bc_csv_destroy(&csv);
    }
    bc_csv_t *csv = NULL;
    assert_int_equal(bc_csv_parse(NULL, 0, &csv, NULL), BC_OK);
    assert_int_equal(bc_csv_rows(csv), 0);
    bc_csv_destroy(&csv);
}

static void
test_csv_line_numbers(void **state)
{
    bc_csv_t *csv = s_csv("head\n\n\"multi\nline\",x\r\nnext\n\n\nlast");
    assert_int_equal(bc_csv_rows(csv), 4);
    assert_int_equal(bc_csv_line(csv, 0), 1);
    assert_int_equal(bc_csv_line(csv, 1), 3);
    assert_int_equal(bc_csv_line(csv, 2), 5);
    assert_int_equal(bc_csv_line(csv, 3), 8);
    assert_int_equal(bc_csv_line(csv, 4), 0);                  //  no such row
    bc_csv_destroy(&csv);
}

static void
test_csv_out_of_range(void **state)
{
    bc_csv_t *csv = s_csv("a,,\nb\n");
    assert_int_equal(bc_csv_cols(csv, 0), 3);
    assert_string_equal(bc_csv_cell(csv, 0, 1), "");           //  empty, not NULL
    assert_string_equal(bc_csv_cell(csv, 0, 2), "");
    assert_null(bc_csv_cell(csv, 0, 3));
    assert_null(bc_csv_cell(csv, 1, 1));
    assert_null(bc_csv_cell(csv, 2, 0));
    assert_int_equal(bc_csv_cols(csv, 2), 0);
    bc_csv_destroy(&csv);
}

static void
test_csv_too_big(void **state)
{
    size_t size = BC_CSV_MAX_INPUT + 1;
    char *text = bc_malloc(size);
    memset(text, 'a', size);
    bc_csv_t *csv = NULL;
    size_t line = 42;
    assert_int_equal(bc_csv_parse(text, size, &csv, &line), BC_ETOOBIG);
    assert_null(csv);
    assert_int_equal(line, 42);                                 //  only set on BC_EINVAL
    free(text);
}

static void
test_csv_worst_case_at_limit(void **state)
{
    //  The largest input of the shapes that make the most cells and the most
    //  blank lines still parses (in linear time: the ctest timeout guards).
    size_t size = BC_CSV_MAX_INPUT;
    char *text = bc_malloc(size);
    memset(text, ',', size);
    bc_csv_t *csv = NULL;
    assert_int_equal(bc_csv_parse(text, size, &csv, NULL), BC_OK);
    assert_int_equal(bc_csv_rows(csv), 1);
    assert_int_equal(bc_csv_cols(csv, 0), size + 1);
    assert_string_equal(bc_csv_cell(csv, 0, size), "");
    bc_csv_destroy(&csv);

    memset(text, '\n', size);
    assert_int_equal(bc_csv_parse(text, size, &csv, NULL), BC_OK);
    assert_int_equal(bc_csv_rows(csv), 0);
    bc_csv_destroy(&csv);
    free(text);
}

//  --------------------------------------------------------------------------
//  bc_notation

static void
s_parses(const char *text, uint32_t number, uint32_t year, const char *notation)
{
    bc_notation_t n;
    memset(&n, 0xAA, sizeof n);
    bc_err rc = bc_notation_parse(text, &n);
    if (rc != BC_OK) {
        fail_msg("\"%s\" rejected: %s", text, bc_strerror(rc));
    }
    assert_int_equal(n.number, number);
    assert_int_equal(n.year, year);
    assert_string_equal(n.notation, notation);
}

static void
s_rejects(const char *text)
{
    bc_notation_t n, before;
    memset(&n, 0xAA, sizeof n);
    before = n;
    bc_err rc = bc_notation_parse(text, &n);
    if (rc != BC_EINVAL) {
        fail_msg("\"%s\" gave %s, want invalid input", text, bc_strerror(rc));
    }
    assert_memory_equal(&n, &before, sizeof n);                 //  *out untouched
}

static void
test_notation_parse_without_year(void **state)
{
    s_parses("1005/STTTT-TTBCXB", 1005, 0, "STTTT-TTBCXB");
    s_parses("06/CT-UBND", 6, 0, "CT-UBND");
    s_parses("6/CT-UBND", 6, 0, "CT-UBND");
    s_parses("9999999/CV", 9999999, 0, "CV");
}

static void
test_notation_parse_with_year(void **state)
{
    s_parses("09/2017/N" DD "-CP", 9, 2017, "N" DD "-CP");
    s_parses("46/2021/Q" DD "-UBND", 46, 2021, "Q" DD "-UBND");
    s_parses("1/1900/CT", 1, 1900, "CT");
    s_parses("1/9999/CT", 1, 9999, "CT");
}

static void
test_notation_parse_leading_zeros(void **state)
{
    s_parses("09/CT", 9, 0, "CT");
    s_parses("0000009/CT", 9, 0, "CT");
    s_parses("000000000000000000001/CT", 1, 0, "CT");
}

static void
test_notation_parse_spaces_around_slash(void **state)
{
    s_parses("09 / 2017 / N" DD "-CP", 9, 2017, "N" DD "-CP");
    s_parses("  06/ CT-UBND  ", 6, 0, "CT-UBND");
    s_parses("06 /CT - UBND", 6, 0, "CT-UBND");
}

static void
test_notation_parse_keeps_case(void **state)
{
    s_parses("12/TTr-UBND", 12, 0, "TTr-UBND");
    s_parses("12/nd-CP", 12, 0, "nd-CP");                       //  only exactly ND
}

static void
test_notation_parse_eth_and_lower_d(void **state)
{
    s_parses("09/2017/N" ETH "-CP", 9, 2017, "N" DD "-CP");
    s_parses("09/2017/N" DD_LOWER "-CP", 9, 2017, "N" DD "-CP");
    s_parses("5/" ETH "T-" DD_LOWER "U", 5, 0, DD "T-" DD "U");
}

static void
test_notation_parse_ascii_fallbacks(void **state)
{
    s_parses("09/2017/ND-CP", 9, 2017, "N" DD "-CP");
    s_parses("46/2021/QD-UBND", 46, 2021, "Q" DD "-UBND");
    s_parses("7/ND", 7, 0, "N" DD);
    //  Only the whole first segment is the document type.
    s_parses("7/CT-ND", 7, 0, "CT-ND");
    s_parses("7/NDX-CP", 7, 0, "NDX-CP");
    s_parses("7/QDD-CP", 7, 0, "QDD-CP");
}

static void
test_notation_parse_rejects_malformed(void **state)
{
    s_rejects("");
    s_rejects("   ");
    s_rejects("abc");
    s_rejects("12");
    s_rejects("/CT");
    s_rejects("12/");
    s_rejects("12/  ");
    s_rejects("12//CT");
    s_rejects("12/2017/");
    s_rejects("1005/STTTT-");
    s_rejects("1005/-X");
    s_rejects("1005/STTTT--X");
    s_rejects("12/CT UBND");
    s_rejects("12 13/CT");
}

static void
test_notation_parse_rejects_bad_number(void **state)
{
    s_rejects("0/CT-UBND");
    s_rejects("000/CT-UBND");
    s_rejects("-5/CT");
    s_rejects("+5/CT");
    s_rejects("10000000/CT");
    s_rejects("99999999999999999999999/CT");                   //  no overflow wrap
    s_rejects("1.5/CT");
}

static void
test_notation_parse_rejects_bad_year(void **state)
{
    s_rejects("12/1899/CT");
    s_rejects("12/0000/CT");
    s_rejects("12/123/CT");
    s_rejects("12/20170/CT");
    s_rejects("12/2017/2018/CT");
    s_rejects("12/2017");                   //  the notation is missing, not "2017"
}

static void
test_notation_parse_rejects_trailing_junk(void **state)
{
    s_rejects("06/CT-UBND abc");
    s_rejects("06/CT-UBND.");
    s_rejects("06/CT-UBND/");
    s_rejects("06/CT-UBND,");
    s_rejects("06x/CT-UBND");
}

static void
test_notation_parse_rejects_other_non_ascii(void **state)
{
    s_rejects("12/CT-\xE1\xBB\xA6" "BND");                      //  Ủ
    s_rejects("12/C\xC4\x92");                                  //  Ē (C4 92)
    s_rejects("12/CT\xC4");                                     //  cut lead byte
    s_rejects("12/CT\xC3");
    s_rejects("12/\x90" "CT");                                  //  stray continuation
    s_rejects("12/CT-UBND\xC2\xA0");                            //  no-break space
}

static void
test_notation_years_distinguish(void **state)
{
    bc_notation_t a, b;
    assert_int_equal(bc_notation_parse("09/2017/N" DD "-CP", &a), BC_OK);
    assert_int_equal(bc_notation_parse("09/2019/N" DD "-CP", &b), BC_OK);
    assert_int_equal(a.number, b.number);
    assert_string_equal(a.notation, b.notation);
    assert_int_not_equal(a.year, b.year);

    char fa[80], fb[80];
    bc_notation_format(a.number, a.year, a.notation, fa, sizeof fa);
    bc_notation_format(b.number, b.year, b.notation, fb, sizeof fb);
    assert_string_not_equal(fa, fb);
    bc_notation_folder(a.number, a.year, a.notation, fa, sizeof fa);
    bc_notation_folder(b.number, b.year, b.notation, fb, sizeof fb);
    assert_string_not_equal(fa, fb);
}

static void
test_notation_canonical(void **state)
{
    char out[BC_NOTATION_MAX];
    assert_int_equal(bc_notation_canonical("CT - UBND", out, sizeof out), BC_OK);
    assert_string_equal(out, "CT-UBND");
    assert_int_equal(bc_notation_canonical(" QD-UBND\t", out, sizeof out), BC_OK);
    assert_string_equal(out, "Q" DD "-UBND");
    assert_int_equal(bc_notation_canonical("N" ETH "-CP", out, sizeof out), BC_OK);
    assert_string_equal(out, "N" DD "-CP");
    assert_int_equal(bc_notation_canonical("2017", out, sizeof out), BC_OK);

    strcpy(out, "untouched");
    assert_int_equal(bc_notation_canonical("", out, sizeof out), BC_EINVAL);
    assert_int_equal(bc_notation_canonical("-", out, sizeof out), BC_EINVAL);
    assert_int_equal(bc_notation_canonical("CT-", out, sizeof out), BC_EINVAL);
    assert_int_equal(bc_notation_canonical("CT--UBND", out, sizeof out), BC_EINVAL);
    assert_int_equal(bc_notation_canonical("CT_UBND", out, sizeof out), BC_EINVAL);
    assert_string_equal(out, "untouched");
}

static void
test_notation_canonical_length_limits(void **state)
{
    char text[BC_NOTATION_MAX + 8];
    char out[BC_NOTATION_MAX];
    memset(text, 'A', BC_NOTATION_MAX - 1);
    text[BC_NOTATION_MAX - 1] = '\0';
    assert_int_equal(bc_notation_canonical(text, out, sizeof out), BC_OK);
    assert_int_equal(strlen(out), BC_NOTATION_MAX - 1);

    text[BC_NOTATION_MAX - 1] = 'A';
    text[BC_NOTATION_MAX] = '\0';
    assert_int_equal(bc_notation_canonical(text, out, sizeof out), BC_EINVAL);

    //  Đ takes two bytes: 62 letters plus Đ is 64 bytes, one too many.
    memcpy(text + BC_NOTATION_MAX - 2, DD, 3);
    assert_int_equal(bc_notation_canonical(text, out, sizeof out), BC_EINVAL);

    //  A caller's buffer smaller than the result is an error, not a cut.
    char small[4];
    strcpy(small, "xyz");
    assert_int_equal(bc_notation_canonical("N" DD "-CP", small, sizeof small), BC_EINVAL);
    assert_string_equal(small, "xyz");
    assert_int_equal(bc_notation_canonical("N" DD, small, sizeof small), BC_OK);
    assert_string_equal(small, "N" DD);
}

static void
test_notation_format(void **state)
{
    char out[BC_NOTATION_MAX + 24];
    bc_notation_format(6, 0, "CT-UBND", out, sizeof out);
    assert_string_equal(out, "06/CT-UBND");
    bc_notation_format(1005, 0, "STTTT-TTBCXB", out, sizeof out);
    assert_string_equal(out, "1005/STTTT-TTBCXB");
    bc_notation_format(9, 2017, "N" DD "-CP", out, sizeof out);
    assert_string_equal(out, "09/2017/N" DD "-CP");
    bc_notation_format(10, 0, "CT", out, sizeof out);
    assert_string_equal(out, "10/CT");
    bc_notation_format(9999999, 9999, "CT", out, sizeof out);
    assert_string_equal(out, "9999999/9999/CT");
}

static void
test_notation_format_truncates(void **state)
{
    char out[8];
    bc_notation_format(6, 0, "CT-UBND", out, 5);
    assert_string_equal(out, "06/C");
    //  "09/N" then Đ would be cut after its first byte: drop the stray byte.
    bc_notation_format(9, 0, "N" DD "-CP", out, 6);
    assert_string_equal(out, "09/N");
    bc_notation_format(9, 0, "N" DD "-CP", out, 7);
    assert_string_equal(out, "09/N" DD);
    bc_notation_format(9, 0, "CT", out, 1);
    assert_string_equal(out, "");
}

static void
test_notation_folder(void **state)
{
    char out[BC_NOTATION_MAX + 24];
    bc_notation_folder(1005, 0, "STTTT-TTBCXB", out, sizeof out);
    assert_string_equal(out, "1005-STTTT-TTBCXB");
    bc_notation_folder(46, 2021, "Q" DD "-UBND", out, sizeof out);
    assert_string_equal(out, "46-2021-Q" DD "-UBND");
    bc_notation_folder(6, 0, "CT-UBND", out, sizeof out);
    assert_string_equal(out, "06-CT-UBND");
}

static void
test_notation_round_trip(void **state)
{
    const char *inputs[] = {
        "1005/STTTT-TTBCXB", "06/CT-UBND", "09/2017/N" DD "-CP", "46/2021/Q" DD "-UBND",
        "12/TTr-UBND"
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        bc_notation_t n;
        char out[BC_NOTATION_MAX + 24];
        assert_int_equal(bc_notation_parse(inputs[i], &n), BC_OK);
        bc_notation_format(n.number, n.year, n.notation, out, sizeof out);
        assert_string_equal(out, inputs[i]);
    }
}

//  --------------------------------------------------------------------------
//  bc_clock

#define S_AUG15_17H_HCM     1660557600000LL     //  2022-08-15T17:00:00+07:00

static void
test_clock_parse_offset(void **state)
{
    int64_t ms = 0;
    assert_int_equal(bc_clock_parse_rfc3339("2022-08-15T17:00:00+07:00", &ms), 0);
    assert_int_equal(ms, S_AUG15_17H_HCM);
}

static void
test_clock_parse_zulu(void **state)
{
    int64_t ms = 0;
    assert_int_equal(bc_clock_parse_rfc3339("2022-08-15T10:00:00Z", &ms), 0);
    assert_int_equal(ms, S_AUG15_17H_HCM);
    assert_int_equal(bc_clock_parse_rfc3339("1970-01-01T00:00:00Z", &ms), 0);
    assert_int_equal(ms, 0);
}

static void
test_clock_parse_fraction(void **state)
{
    int64_t ms = 0;
    assert_int_equal(bc_clock_parse_rfc3339("2022-08-15T10:00:00.5Z", &ms), 0);
    assert_int_equal(ms, S_AUG15_17H_HCM + 500);
    assert_int_equal(bc_clock_parse_rfc3339("2022-08-15T17:00:00.123+07:00", &ms), 0);
    assert_int_equal(ms, S_AUG15_17H_HCM + 123);
    //  Digits past milliseconds are dropped, not rounded.
    assert_int_equal(bc_clock_parse_rfc3339("2022-08-15T10:00:00.123999Z", &ms), 0);
    assert_int_equal(ms, S_AUG15_17H_HCM + 123);
}

static void
test_clock_parse_negative_offset(void **state)
{
    int64_t ms = 0;
    assert_int_equal(bc_clock_parse_rfc3339("2022-08-15T05:00:00-05:00", &ms), 0);
    assert_int_equal(ms, S_AUG15_17H_HCM);
    assert_int_equal(bc_clock_parse_rfc3339("2022-08-14T23:30:00-10:30", &ms), 0);
    assert_int_equal(ms, S_AUG15_17H_HCM);
}

static void
test_clock_parse_rejects(void **state)
{
    const char *bad[] = {
        "",
        "junk",
        "2022-02-30T10:00:00Z",             //  no such day
        "2023-02-29T10:00:00Z",             //  not a leap year
        "2022-13-01T10:00:00Z",
        "2022-08-15T17:00:00",              //  missing offset
        "2022-08-15",
        "2022-08-15T24:00:00Z",
        "2022-08-15T17:60:00Z",
        "2022-08-15T17:00:00+07",
        "2022-08-15T17:00:00+24:00",
        "2022-08-15T17:00:00.Z",
        "2022-08-15T17:00:00Zjunk",
        "2022-08-15T17:00:00+07:00 ",
        "2022-8-15T17:00:00Z",
        "1899-12-31T00:00:00Z",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t ms = 4242;
        if (bc_clock_parse_rfc3339(bad[i], &ms) != -1) {
            fail_msg("accepted \"%s\"", bad[i]);
        }
        assert_int_equal(ms, 4242);                             //  untouched
    }
}

static void
test_clock_format_rfc3339_round_trip(void **state)
{
    char buf[64];
    int64_t ms = 0;
    bc_clock_format_rfc3339(S_AUG15_17H_HCM, buf, sizeof buf);
    assert_string_equal(buf, "2022-08-15T17:00:00+07:00");
    assert_int_equal(bc_clock_parse_rfc3339(buf, &ms), 0);
    assert_int_equal(ms, S_AUG15_17H_HCM);

    bc_clock_format_rfc3339(S_AUG15_17H_HCM + 7, buf, sizeof buf);
    assert_string_equal(buf, "2022-08-15T17:00:00.007+07:00");
    assert_int_equal(bc_clock_parse_rfc3339(buf, &ms), 0);
    assert_int_equal(ms, S_AUG15_17H_HCM + 7);

    //  Local midnight crosses the UTC date line.
    bc_clock_format_rfc3339(1660496400000LL, buf, sizeof buf);
    assert_string_equal(buf, "2022-08-15T00:00:00+07:00");
}

static void
test_clock_format_local(void **state)
{
    char buf[32];
    bc_clock_format_local(S_AUG15_17H_HCM + 59999, buf, sizeof buf);
    assert_string_equal(buf, "2022-08-15 17:00");
    bc_clock_format_local(1660496400000LL, buf, sizeof buf);
    assert_string_equal(buf, "2022-08-15 00:00");
    bc_clock_format_local(1660496400000LL - 1, buf, sizeof buf);
    assert_string_equal(buf, "2022-08-14 23:59");
}

static void
test_clock_date_valid(void **state)
{
    assert_true(bc_clock_date_valid(2024, 2, 29));
    assert_true(bc_clock_date_valid(2000, 2, 29));              //  400-year rule
    assert_false(bc_clock_date_valid(2023, 2, 29));
    assert_false(bc_clock_date_valid(1900, 2, 29));             //  100-year rule
    assert_false(bc_clock_date_valid(2100, 2, 29));
    assert_true(bc_clock_date_valid(2022, 12, 31));
    assert_false(bc_clock_date_valid(2022, 4, 31));
    assert_false(bc_clock_date_valid(2022, 0, 1));
    assert_false(bc_clock_date_valid(2022, 13, 1));
    assert_false(bc_clock_date_valid(2022, 1, 0));
    assert_false(bc_clock_date_valid(1899, 12, 31));
    assert_true(bc_clock_date_valid(1900, 1, 1));
    assert_true(bc_clock_date_valid(9999, 12, 31));
    assert_false(bc_clock_date_valid(10000, 1, 1));
}

static void
test_clock_days_from_civil(void **state)
{
    assert_int_equal(bc_clock_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(bc_clock_days_from_civil(2022, 8, 15), 19219);
    assert_int_equal(bc_clock_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(bc_clock_days_from_civil(2000, 3, 1)
                     - bc_clock_days_from_civil(2000, 2, 28), 2);  //  leap day between
}

static void
test_clock_now_and_mono(void **state)
{
    //  Only sanity: after 2020, and the monotonic clock does not go back.
    assert_true(bc_clock_now_ms() > 1577836800000LL);
    int64_t a = bc_clock_mono_ms();
    int64_t b = bc_clock_mono_ms();
    assert_true(b >= a);
}

//  --------------------------------------------------------------------------
//  bc_fs

static void
test_fs_read_bounded(void **state)
{
    char *path = s_path(state, "hundred");
    char data[100];
    memset(data, 'x', sizeof data);
    s_write_file(path, data, sizeof data);

    char *got = (char *) 1;
    size_t size = 7;
    assert_int_equal(bc_fs_read(path, 99, &got, &size), BC_ETOOBIG);
    assert_ptr_equal(got, (char *) 1);                          //  untouched
    assert_int_equal(size, 7);

    assert_int_equal(bc_fs_read(path, 100, &got, &size), BC_OK);
    assert_int_equal(size, 100);
    assert_memory_equal(got, data, 100);
    assert_int_equal(got[100], '\0');
    free(got);

    assert_int_equal(bc_fs_read(path, 1 << 20, &got, &size), BC_OK);
    assert_int_equal(size, 100);
    free(got);
    free(path);
}

static void
test_fs_read_empty_file(void **state)
{
    char *path = s_path(state, "empty");
    s_write_file(path, "", 0);
    char *got = NULL;
    size_t size = 7;
    assert_int_equal(bc_fs_read(path, 0, &got, &size), BC_OK);
    assert_int_equal(size, 0);
    assert_string_equal(got, "");
    free(got);
    free(path);
}

static void
test_fs_read_not_found(void **state)
{
    char *path = s_path(state, "missing");
    char *got = NULL;
    size_t size = 0;
    assert_int_equal(bc_fs_read(path, 100, &got, &size), BC_ENOTFOUND);
    assert_null(got);
    free(path);
}

static void
test_fs_read_folder_is_invalid(void **state)
{
    char *got = NULL;
    size_t size = 0;
    assert_int_equal(bc_fs_read(*state, 100, &got, &size), BC_EINVAL);
    assert_null(got);
}

static void
test_fs_write_atomic_then_read(void **state)
{
    char *path = s_path(state, "report.json");
    const char first[] = "{\"v\":1}";
    const char second[] = "{\"v\":2,\"longer\":true}";
    char *got = NULL;
    size_t size = 0;

    assert_int_equal(bc_fs_write_atomic(path, first, sizeof first - 1), BC_OK);
    assert_int_equal(bc_fs_read(path, 1024, &got, &size), BC_OK);
    assert_int_equal(size, sizeof first - 1);
    assert_string_equal(got, first);
    free(got);

    assert_int_equal(bc_fs_write_atomic(path, second, sizeof second - 1), BC_OK);
    assert_int_equal(bc_fs_read(path, 1024, &got, &size), BC_OK);
    assert_string_equal(got, second);
    free(got);

    //  No temporary file is left beside it.
    DIR *dir = opendir(*state);
    assert_non_null(dir);
    int entries = 0;
    struct dirent *de;
    while ((de = readdir(dir))) {
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
            assert_string_equal(de->d_name, "report.json");
            entries++;
        }
    }
    closedir(dir);
    assert_int_equal(entries, 1);
    free(path);
}

static void
test_fs_write_atomic_missing_folder(void **state)
{
    char *path = s_path(state, "no/such/folder/file");
    assert_int_equal(bc_fs_write_atomic(path, "x", 1), BC_ENOTFOUND);
    free(path);
}

static void
test_fs_mkdirs_nested_and_existing(void **state)
{
    char *path = s_path(state, "a/b/c");
    assert_int_equal(bc_fs_mkdirs(path), BC_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    mode_t mask = umask(0);
    umask(mask);
    assert_int_equal(st.st_mode & 0777, 0750 & ~mask);
    assert_int_equal(bc_fs_mkdirs(path), BC_OK);                //  existing is fine
    assert_int_equal(bc_fs_mkdirs(*state), BC_OK);
    free(path);

    path = s_path(state, "a/b/d/");                             //  trailing slash
    assert_int_equal(bc_fs_mkdirs(path), BC_OK);
    free(path);
}

static void
test_fs_mkdirs_through_a_file(void **state)
{
    char *file = s_path(state, "plain");
    s_write_file(file, "x", 1);
    assert_int_equal(bc_fs_mkdirs(file), BC_EINVAL);
    char *below = s_path(state, "plain/sub");
    assert_int_equal(bc_fs_mkdirs(below), BC_EINVAL);
    free(below);
    free(file);
}

//  --------------------------------------------------------------------------
//  bc_id

static void
test_id_new_is_32_hex(void **state)
{
    char id[BC_ID_HEX_LEN + 1];
    memset(id, 'Z', sizeof id);
    bc_id_new(id);
    assert_int_equal(strlen(id), BC_ID_HEX_LEN);
    assert_int_equal(strspn(id, "0123456789abcdef"), BC_ID_HEX_LEN);
    assert_true(bc_id_valid(id));
}

static void
test_id_two_differ(void **state)
{
    char a[BC_ID_HEX_LEN + 1];
    char b[BC_ID_HEX_LEN + 1];
    bc_id_new(a);
    bc_id_new(b);
    assert_string_not_equal(a, b);
}

static void
test_id_valid(void **state)
{
    assert_true(bc_id_valid("0123456789abcdef0123456789abcdef"));
    assert_false(bc_id_valid(NULL));
    assert_false(bc_id_valid(""));
    assert_false(bc_id_valid("0123456789abcdef0123456789abcde"));     //  31
    assert_false(bc_id_valid("0123456789abcdef0123456789abcdef0"));   //  33
    assert_false(bc_id_valid("0123456789ABCDEF0123456789abcdef"));    //  uppercase
    assert_false(bc_id_valid("0123456789abcdeg0123456789abcdef"));
    assert_false(bc_id_valid("0123456789abcdef 123456789abcdef"));
}

static void
test_hex_encode(void **state)
{
    const uint8_t data[] = { 0x00, 0x0f, 0xa5, 0xff };
    char out[9];
    bc_hex_encode(data, sizeof data, out);
    assert_string_equal(out, "000fa5ff");
    bc_hex_encode(data, 0, out);
    assert_string_equal(out, "");
}

//  --------------------------------------------------------------------------
//  bc_alloc

static void
test_buf_printf_grows(void **state)
{
    bc_buf_t buf;
    bc_buf_init(&buf);
    char big[300];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    bc_buf_printf(&buf, "%d:", 42);
    bc_buf_printf(&buf, "%s", big);                             //  past the first 256
    bc_buf_printf(&buf, "<%s>", "end");
    assert_int_equal(buf.len, 3 + 299 + 5);
    assert_true(buf.cap > buf.len);
    assert_int_equal(strncmp(buf.data, "42:qqq", 6), 0);
    assert_string_equal(buf.data + 3 + 299, "<end>");
    assert_int_equal(strlen(buf.data), buf.len);
    bc_buf_release(&buf);
    assert_null(buf.data);
    assert_int_equal(buf.len, 0);
}

static void
test_buf_append_and_puts(void **state)
{
    bc_buf_t buf;
    bc_buf_init(&buf);
    bc_buf_append(&buf, "ab\0cd", 5);                           //  bytes, not a string
    bc_buf_puts(&buf, "ef");
    assert_int_equal(buf.len, 7);
    assert_memory_equal(buf.data, "ab\0cdef", 8);
    bc_buf_release(&buf);
}

static void
test_buf_take(void **state)
{
    bc_buf_t buf;
    bc_buf_init(&buf);
    bc_buf_puts(&buf, "hello");
    char *s = bc_buf_take(&buf);
    assert_string_equal(s, "hello");
    assert_null(buf.data);
    assert_int_equal(buf.len, 0);
    assert_int_equal(buf.cap, 0);
    free(s);

    s = bc_buf_take(&buf);                                      //  empty: "" not NULL
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
    bc_buf_release(&buf);
}

static void
test_alloc_strdup_strndup(void **state)
{
    char *a = bc_strdup("Sở Y tế");
    assert_string_equal(a, "Sở Y tế");
    char *b = bc_strndup("abcdef", 3);
    assert_string_equal(b, "abc");
    char *c = bc_strndup("ab", 10);
    assert_string_equal(c, "ab");
    free(a);
    free(b);
    free(c);
    void *z = bc_calloc(0, 0);                                  //  never NULL
    assert_non_null(z);
    free(z);
}

//  --------------------------------------------------------------------------
//  bc_err

static void
test_strerror_covers_every_code(void **state)
{
    for (int err = BC_OK; err <= BC_ECLOSED; err++) {
        const char *text = bc_strerror((bc_err) err);
        assert_non_null(text);
        assert_string_not_equal(text, "unknown error");
    }
    assert_string_equal(bc_strerror(BC_ENOTFOUND), "not found");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_header_and_rows),
        cmocka_unit_test(test_csv_last_line_without_newline),
        cmocka_unit_test(test_csv_quoted_comma),
        cmocka_unit_test(test_csv_doubled_quote_escape),
        cmocka_unit_test(test_csv_embedded_newline),
        cmocka_unit_test(test_csv_crlf),
        cmocka_unit_test(test_csv_cr_handling),
        cmocka_unit_test(test_csv_bom),
        cmocka_unit_test(test_csv_blank_lines_skipped),
        cmocka_unit_test(test_csv_quoted_empty_line_is_a_row),
        cmocka_unit_test(test_csv_trimming),
        cmocka_unit_test(test_csv_bare_quote_inside_cell_is_text),
        cmocka_unit_test(test_csv_unterminated_quote),
        cmocka_unit_test(test_csv_junk_after_closing_quote),
        cmocka_unit_test(test_csv_nul_byte),
        cmocka_unit_test(test_csv_empty_input),
        cmocka_unit_test(test_csv_line_numbers),
        cmocka_unit_test(test_csv_out_of_range),
        cmocka_unit_test(test_csv_too_big),
        cmocka_unit_test(test_csv_worst_case_at_limit),

        cmocka_unit_test(test_notation_parse_without_year),
        cmocka_unit_test(test_notation_parse_with_year),
        cmocka_unit_test(test_notation_parse_leading_zeros),
        cmocka_unit_test(test_notation_parse_spaces_around_slash),
        cmocka_unit_test(test_notation_parse_keeps_case),
        cmocka_unit_test(test_notation_parse_eth_and_lower_d),
        cmocka_unit_test(test_notation_parse_ascii_fallbacks),
        cmocka_unit_test(test_notation_parse_rejects_malformed),
        cmocka_unit_test(test_notation_parse_rejects_bad_number),
        cmocka_unit_test(test_notation_parse_rejects_bad_year),
        cmocka_unit_test(test_notation_parse_rejects_trailing_junk),
        cmocka_unit_test(test_notation_parse_rejects_other_non_ascii),
        cmocka_unit_test(test_notation_years_distinguish),
        cmocka_unit_test(test_notation_canonical),
        cmocka_unit_test(test_notation_canonical_length_limits),
        cmocka_unit_test(test_notation_format),
        cmocka_unit_test(test_notation_format_truncates),
        cmocka_unit_test(test_notation_folder),
        cmocka_unit_test(test_notation_round_trip),

        cmocka_unit_test(test_clock_parse_offset),
        cmocka_unit_test(test_clock_parse_zulu),
        cmocka_unit_test(test_clock_parse_fraction),
        cmocka_unit_test(test_clock_parse_negative_offset),
        cmocka_unit_test(test_clock_parse_rejects),
        cmocka_unit_test(test_clock_format_rfc3339_round_trip),
        cmocka_unit_test(test_clock_format_local),
        cmocka_unit_test(test_clock_date_valid),
        cmocka_unit_test(test_clock_days_from_civil),
        cmocka_unit_test(test_clock_now_and_mono),

        cmocka_unit_test_setup_teardown(test_fs_read_bounded, s_tmpdir_setup, s_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_fs_read_empty_file, s_tmpdir_setup, s_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_fs_read_not_found, s_tmpdir_setup, s_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_fs_read_folder_is_invalid, s_tmpdir_setup,
                                        s_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_fs_write_atomic_then_read, s_tmpdir_setup,
                                        s_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_fs_write_atomic_missing_folder, s_tmpdir_setup,
                                        s_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_fs_mkdirs_nested_and_existing, s_tmpdir_setup,
                                        s_tmpdir_teardown),
        cmocka_unit_test_setup_teardown(test_fs_mkdirs_through_a_file, s_tmpdir_setup,
                                        s_tmpdir_teardown),

        cmocka_unit_test(test_id_new_is_32_hex),
        cmocka_unit_test(test_id_two_differ),
        cmocka_unit_test(test_id_valid),
        cmocka_unit_test(test_hex_encode),

        cmocka_unit_test(test_buf_printf_grows),
        cmocka_unit_test(test_buf_append_and_puts),
        cmocka_unit_test(test_buf_take),
        cmocka_unit_test(test_alloc_strdup_strndup),

        cmocka_unit_test(test_strerror_covers_every_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
