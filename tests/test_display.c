/* Display names of configuration keys and values (display.h). */
#include "display.h"

#include <check.h>

START_TEST(test_keys)
{
    ck_assert_str_eq(display_key("learning_rate"), "learning rate");
    ck_assert_str_eq(display_key("lambda"), "\xce\xbb");
    ck_assert_str_eq(display_key("max_epoch"), "max epoch");
    ck_assert_str_eq(display_key("unknown_key"), "unknown_key");
    ck_assert_str_eq(display_key("seed"), "seed");
    ck_assert_int_eq(display_key_value_alone("activation"), 1);
    ck_assert_int_eq(display_key_value_alone("loss"), 1);
    ck_assert_int_eq(display_key_value_alone("hidden"), 0);
    ck_assert_int_eq(display_key_value_alone("unknown_key"), 0);
}
END_TEST

START_TEST(test_values)
{
    char buf[64];
    ck_assert_str_eq(display_value("activation", "relu", buf, sizeof buf), "ReLU");
    ck_assert_str_eq(display_value("activation", "sigmoid", buf, sizeof buf), "sigmoid");
    ck_assert_str_eq(display_value("loss", "euclidean", buf, sizeof buf), "Euclidean");
    ck_assert_str_eq(display_value("loss", "cross-entropy", buf, sizeof buf), "cross-entropy");
    ck_assert_str_eq(display_value("hidden", "512x128", buf, sizeof buf), "784-512-128-10");
    ck_assert_str_eq(display_value("hidden", "128", buf, sizeof buf), "784-128-10");
    ck_assert_str_eq(display_value("lambda", "0.2", buf, sizeof buf), "0.2");
    /* a value the key does not have, and a value of another key's name */
    ck_assert_str_eq(display_value("activation", "tanh", buf, sizeof buf), "tanh");
    ck_assert_str_eq(display_value("lambda", "relu", buf, sizeof buf), "relu");
}
END_TEST

START_TEST(test_brief)
{
    ck_assert_str_eq(display_value_brief("loss", "euclidean"), "Euclidean");
    ck_assert_str_eq(display_value_brief("loss", "cross-entropy"), "CE");
    ck_assert_str_eq(display_value_brief("activation", "relu"), "ReLU");
    ck_assert_str_eq(display_value_brief("activation", "sigmoid"), "sigmoid");
    ck_assert_str_eq(display_value_brief("hidden", "512x128"), "512x128");
}
END_TEST

Suite *display_suite(void);
Suite *display_suite(void)
{
    Suite *s = suite_create("display");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_keys);
    tcase_add_test(tc, test_values);
    tcase_add_test(tc, test_brief);
    suite_add_tcase(s, tc);
    return s;
}
