/* The report side's text buffer: appends that grow, a whole file read, and
 * the byte-exact test that keeps an up-to-date file untouched. */
#include "report/buf.h"

#include "err.h"
#include "testutil.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

START_TEST(test_buf_grows)
{
    Buf b = {0};
    for (int i = 0; i < 2000; i++)
        buf_printf(&b, "%04d,", i);
    ck_assert_int_eq(b.failed, 0);
    ck_assert_uint_eq(b.n, 10000);
    ck_assert_int_eq(strncmp(b.p + 9995, "1999,", 5), 0);
    ck_assert_uint_eq(strlen(b.p), b.n);
    free(b.p);
}
END_TEST

/* RFC 4180: a field is quoted when it holds a comma, a quote or a line
 * break, and a quote inside is doubled. */
START_TEST(test_buf_csv_field)
{
    static const struct {
        const char *in, *out;
    } CASES[] = {{"plain", "plain"},          {"", ""},
                 {"a,b", "\"a,b\""},          {"say \"hi\"", "\"say \"\"hi\"\"\""},
                 {"two\nlines", "\"two\nlines\""}, {"cr\rhere", "\"cr\rhere\""}};
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        Buf b = {0};
        buf_csv_field(&b, CASES[i].in);
        ck_assert(!b.failed);
        ck_assert_str_eq(b.p, CASES[i].out);
        free(b.p);
    }
}
END_TEST

START_TEST(test_buf_file_holds)
{
    char *dir = tu_tmpdir(), *path = tu_path(dir, "f.cfg");
    const char *text = "# run 'a'\nlambda = 0.5\n";
    size_t n = strlen(text);
    ck_assert_int_eq(buf_file_holds(path, text, n), 0); /* no file */
    ck_assert_int_eq(tu_write(path, text, n), 0);
    ck_assert_int_eq(buf_file_holds(path, text, n), 1);
    ck_assert_int_eq(buf_file_holds(path, text, n - 1), 0); /* the file is longer */
    ck_assert_int_eq(buf_file_holds(path, "# run 'a'\nlambda = 0.6\n", n), 0);
    ck_assert_int_eq(tu_write(path, text, n - 1), 0);
    ck_assert_int_eq(buf_file_holds(path, text, n), 0); /* the file is shorter */
    /* longer than one read: the comparison goes on past the first chunk */
    size_t big = 10000;
    char *data = malloc(big);
    ck_assert_ptr_nonnull(data);
    memset(data, 'x', big);
    ck_assert_int_eq(tu_write(path, data, big), 0);
    ck_assert_int_eq(buf_file_holds(path, data, big), 1);
    data[big - 1] = 'y';
    ck_assert_int_eq(buf_file_holds(path, data, big), 0);
    char err[ERR_MAX];
    char *back = buf_read_file(path, err);
    ck_assert_ptr_nonnull(back);
    ck_assert_uint_eq(strlen(back), big);
    free(back);
    free(data);
    tu_rmtree(dir);
    free(path);
    free(dir);
}
END_TEST

Suite *buf_suite(void);
Suite *buf_suite(void)
{
    Suite *s = suite_create("buf");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_buf_grows);
    tcase_add_test(tc, test_buf_file_holds);
    tcase_add_test(tc, test_buf_csv_field);
    suite_add_tcase(s, tc);
    return s;
}
