/* Numbers and sentences as the report prints them. */
#include "report/prose.h"

#include <check.h>
#include <math.h>
#include <string.h>

START_TEST(test_compare_sentences)
{
    char out[512];
    double d1[] = {2.1, 18.4, 5.0, 3.0}, s1[] = {0.5, 0.5, 0.5, 0.5};
    compare_sentence(out, sizeof out, "ReLU", "Sigmoid", d1, s1, 4);
    ck_assert_str_eq(out, "ReLU beat Sigmoid in all 4 pairings, by 2.10 to 18.40 points");

    double d2[] = {2.1, -1.0, 0.05, NAN}, s2[] = {0.5, 0.5, 0.5, 0.5};
    compare_sentence(out, sizeof out, "ReLU", "Sigmoid", d2, s2, 4);
    ck_assert_str_eq(out, "ReLU beat Sigmoid in 1 of 3 pairings, by 2.10 points; Sigmoid beat "
                          "ReLU in 1, by 1.00 points; in the remaining pairing the difference "
                          "(0.05 points) is within the seed-to-seed spread");

    double d3[] = {0.3, -0.2}, s3[] = {0.4, 0.4};
    compare_sentence(out, sizeof out, "two layers", "one layer", d3, s3, 2);
    ck_assert_str_eq(out, "in all 2 pairings the difference between two layers and one layer "
                          "(at most 0.30 points) is within the seed-to-seed spread, so neither "
                          "is ahead");

    double d4[] = {-7.5}, s4[] = {0.1};
    compare_sentence(out, sizeof out, "the as-reported variant", "the correct model", d4, s4, 1);
    ck_assert_str_eq(out, "the correct model beat the as-reported variant, by 7.50 points");

    double d5[] = {0.01}, s5[] = {0.1};
    compare_sentence(out, sizeof out, "a", "b", d5, s5, 1);
    ck_assert_str_eq(out, "the difference between a and b (0.01 points) is within the "
                          "seed-to-seed spread, so neither is ahead");

    double d6[] = {NAN}, s6[] = {0};
    compare_sentence(out, sizeof out, "a", "b", d6, s6, 1);
    ck_assert_str_eq(out, "a and b could not be compared: no pairing has results");
}
END_TEST

/* Pairing by pairing: each winner with the pairings it won, in order, then
 * the ties; an interaction (a different winner per pairing) shows by name. */
START_TEST(test_compare_by_pairing)
{
    char out[1024];
    const char *lab[] = {"one hidden layer and ReLU", "one hidden layer and sigmoid",
                         "two hidden layers and ReLU", "two hidden layers and sigmoid"};
    double d[] = {1.24, -9.8, 0.3, -52.0}, sp[] = {0.5, 0.5, 0.5, 0.5};
    compare_by_pairing(out, sizeof out, "cross-entropy", "the Euclidean loss", lab, d, sp, 4);
    ck_assert_str_eq(out, "cross-entropy is ahead with one hidden layer and ReLU (by 1.2 points); "
                          "the Euclidean loss is ahead with one hidden layer and sigmoid (by 9.8 "
                          "points) and with two hidden layers and sigmoid (52.0); the two are "
                          "within the seed-to-seed spread with two hidden layers and ReLU (0.30 "
                          "points)");
    double d1[] = {-3.0}, s1[] = {0.2};
    compare_by_pairing(out, sizeof out, "a", "b", lab, d1, s1, 1);
    ck_assert_str_eq(out, "b is ahead by 3.0 points");
    double d2[] = {NAN, NAN};
    compare_by_pairing(out, sizeof out, "a", "b", lab, d2, s1, 2);
    ck_assert_str_eq(out, "a and b could not be compared: no pairing has results");
}
END_TEST

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
    tcase_add_test(tc, test_compare_sentences);
    tcase_add_test(tc, test_compare_by_pairing);
    suite_add_tcase(s, tc);
    return s;
}
