/* Numbers and names as the report prints them. */
#include "report/prose.h"

#include <check.h>
#include <math.h>
#include <string.h>

START_TEST(test_numbers)
{
    char out[64];
    fmt_pct(out, sizeof out, 0.90154);
    ck_assert_str_eq(out, "90.15");
    fmt_pct(out, sizeof out, -0.00001);
    ck_assert_str_eq(out, "0.00");
    fmt_metric(out, sizeof out, METRIC_TRAIN_LOSS, 0.27312);
    ck_assert_str_eq(out, "0.2731");
    fmt_diff(out, sizeof out, 0.12);
    ck_assert_str_eq(out, "+0.12");
    fmt_diff(out, sizeof out, -0.001);
    ck_assert_str_eq(out, "0.00");
    fmt_diff(out, sizeof out, -7.314);
    ck_assert_str_eq(out, "\xe2\x88\x92" "7.31"); /* a true minus sign */
    fmt_pm(out, sizeof out, METRIC_TEST_ACC, 0.87301, 0.0041, 5);
    ck_assert_str_eq(out, "87.30" PM "0.41");
    fmt_pm(out, sizeof out, METRIC_TEST_ACC, 0.87301, 0.0, 1); /* one run: no "± 0" */
    ck_assert_str_eq(out, "87.30");
    fmt_pm(out, sizeof out, METRIC_TRAIN_LOSS, 0.41234, 0.00731, 3);
    ck_assert_str_eq(out, "0.4123" PM "0.0073");
    fmt_count(out, sizeof out, 60000);
    ck_assert_str_eq(out, "60,000");
    fmt_count(out, sizeof out, -1234567);
    ck_assert_str_eq(out, "-1,234,567");
    fmt_count(out, sizeof out, 999);
    ck_assert_str_eq(out, "999");
    fmt_duration(out, sizeof out, 12.34);
    ck_assert_str_eq(out, "12.3 s");
    fmt_duration(out, sizeof out, 600);
    ck_assert_str_eq(out, "10 min");
    fmt_duration(out, sizeof out, 9000);
    ck_assert_str_eq(out, "2.5 h");
    fmt_duration(out, sizeof out, NAN);
    ck_assert_str_eq(out, "not recorded");
    ck_assert_str_eq(list_sep(0, 3), "");
    ck_assert_str_eq(list_sep(1, 3), ", ");
    ck_assert_str_eq(list_sep(2, 3), " and ");
}
END_TEST

Suite *prose_suite(void);
Suite *prose_suite(void)
{
    Suite *s = suite_create("prose");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_numbers);
    suite_add_tcase(s, tc);
    return s;
}
