/* The cited values' map: ordered, sorted on output, errors that stick, keys
 * built from parts that never truncate silently. */
#include "report/values.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(test_values_map)
{
    Values v = {0};
    ck_assert_int_eq(values_set(&v, "b:x", "%d %s", 7, "points"), 0);
    ck_assert_int_eq(values_set(&v, "a:y", "one"), 0);
    ck_assert_str_eq(values_get(&v, "b:x"), "7 points");
    ck_assert_ptr_null(values_get(&v, "c"));
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    ck_assert_int_eq(values_write_tsv(&v, f), 0);
    fclose(f);
    ck_assert_str_eq(buf, "a:y\tone\nb:x\t7 points\n");
    free(buf);
    values_release(&v);
}
END_TEST

START_TEST(test_values_errors_stick)
{
    Values v = {0};
    ck_assert_int_eq(values_set(&v, "k", "1"), 0);
    ck_assert_int_eq(values_set(&v, "k", "2"), -1);
    ck_assert_str_eq(v.err, "tabulate: key 'k' set twice");
    ck_assert_int_eq(values_set(&v, "other", "3"), -1);
    ck_assert_str_eq(v.err, "tabulate: key 'k' set twice");
    values_release(&v);
    ck_assert_int_eq(values_set(&v, "t", "a\tb"), -1);
    ck_assert_ptr_nonnull(strstr(v.err, "'t'"));
    values_release(&v);
}
END_TEST

START_TEST(test_key_of)
{
    ck_assert_str_eq(key_of("%s:%s", "softmax-lambda", "label").s, "softmax-lambda:label");
    /* too long: a key values_set rejects, never a shortened one */
    char part[VALUES_KEY_MAX];
    memset(part, 'x', sizeof part - 1);
    part[sizeof part - 1] = '\0';
    Values v = {0};
    ck_assert_int_eq(values_set(&v, key_of("a:%s", part).s, "1"), -1);
    ck_assert_uint_eq(v.n, 0);
    values_release(&v);
}
END_TEST

Suite *values_suite(void);
Suite *values_suite(void)
{
    Suite *s = suite_create("values");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_values_map);
    tcase_add_test(tc, test_values_errors_stick);
    tcase_add_test(tc, test_key_of);
    suite_add_tcase(s, tc);
    return s;
}
