#include "err.h"

#include <check.h>
#include <string.h>

START_TEST(test_err_formats_and_returns_minus_one)
{
    char err[ERR_MAX];
    ck_assert_int_eq(err_set(err, "idx: '%s': bad magic %d", "x.gz", 7), -1);
    ck_assert_str_eq(err, "idx: 'x.gz': bad magic 7");
    ck_assert_int_eq(err_set(NULL, "ignored"), -1);
    err_set(err, "x: '%s': bad", "a\nb\033[2J\x7f");
    ck_assert_str_eq(err, "x: 'a?b?[2J?': bad");
}
END_TEST

START_TEST(test_err_truncates_long_messages)
{
    char err[ERR_MAX];
    char big[2 * ERR_MAX];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    err_set(err, "%s", big);
    ck_assert_uint_eq(strlen(err), ERR_MAX - 1);
}
END_TEST

Suite *err_suite(void);
Suite *err_suite(void)
{
    Suite *s = suite_create("err");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_err_formats_and_returns_minus_one);
    tcase_add_test(tc, test_err_truncates_long_messages);
    suite_add_tcase(s, tc);
    return s;
}
