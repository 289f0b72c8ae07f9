#include "err.h"
#include "runconfig.h"

#include <check.h>
#include <string.h>

START_TEST(test_names_of_enums)
{
    ck_assert_str_eq(activation_name(ACT_RELU), "relu");
    ck_assert_str_eq(activation_name(ACT_SIGMOID), "sigmoid");
    ck_assert_str_eq(loss_name(LOSS_EUCLIDEAN), "euclidean");
    ck_assert_str_eq(loss_name(LOSS_CROSS_ENTROPY), "cross-entropy");
    ck_assert_str_eq(model_name(MODEL_SOFTMAX), "softmax");
    ck_assert_str_eq(model_name(MODEL_MLP), "mlp");
    ck_assert_str_eq(protocol_name(PROTOCOL_HOMEWORK), "homework");
    ck_assert_str_eq(protocol_name(PROTOCOL_EVERY_IMAGE), "every-image");
}
END_TEST


START_TEST(test_names_read_back)
{
    ModelKind m = MODEL_MLP;
    Activation a = ACT_RELU;
    LossKind l = LOSS_CROSS_ENTROPY;
    Protocol p = PROTOCOL_HOMEWORK;
    ck_assert_int_eq(model_from_name("softmax", &m), 0);
    ck_assert_int_eq(m, MODEL_SOFTMAX);
    ck_assert_int_eq(activation_from_name("sigmoid", &a), 0);
    ck_assert_int_eq(a, ACT_SIGMOID);
    ck_assert_int_eq(loss_from_name("euclidean", &l), 0);
    ck_assert_int_eq(l, LOSS_EUCLIDEAN);
    ck_assert_int_eq(protocol_from_name("every-image", &p), 0);
    ck_assert_int_eq(p, PROTOCOL_EVERY_IMAGE);
    /* unknown names leave the value as it was */
    ck_assert_int_eq(model_from_name("Softmax", &m), -1);
    ck_assert_int_eq(m, MODEL_SOFTMAX);
    ck_assert_int_eq(loss_from_name("", &l), -1);
    ck_assert_str_eq(model_name((ModelKind)7), "?");
    ck_assert_str_eq(config_field_name(CFG_SEED), "seed");
    ck_assert_str_eq(config_field_name(CFG_HIDDEN), "hidden");
}
END_TEST

START_TEST(test_set_values_and_messages)
{
    char msg[ERR_MAX];
    RunConfig c;
    runconfig_defaults(&c, MODEL_MLP);
    ck_assert_int_eq(runconfig_set(&c, CFG_HIDDEN, "512x128", msg), 0);
    ck_assert_int_eq(c.n_hidden, 2);
    ck_assert_int_eq(c.hidden[1], 128);
    ck_assert_int_eq(runconfig_set(&c, CFG_ACTIVATION, "sigmoid", msg), 0);
    ck_assert_int_eq(c.activation, ACT_SIGMOID);
    ck_assert_int_eq(runconfig_set(&c, CFG_AS_REPORTED, "true", msg), 0);
    ck_assert_int_eq(c.as_reported, 1);
    ck_assert_int_eq(runconfig_set(&c, CFG_LOSS, "l2", msg), -1);
    ck_assert_str_eq(msg, "'loss' must be euclidean or cross-entropy, got 'l2'");
    ck_assert_int_eq(runconfig_set(&c, CFG_AS_REPORTED, "yes", msg), -1);
    ck_assert_str_eq(msg, "'as_reported' must be true or false, got 'yes'");
    ck_assert_int_eq(runconfig_set(&c, CFG_MODEL, "cnn", msg), -1);
    ck_assert_str_eq(msg, "'model' must be softmax or mlp, got 'cnn'");
    ck_assert_int_eq(runconfig_set(&c, CFG_SEED, "1", msg), -1);
}
END_TEST

START_TEST(test_diff_names_the_first_field)
{
    RunConfig a, b;
    runconfig_defaults(&a, MODEL_MLP);
    runconfig_defaults(&b, MODEL_MLP);
    ck_assert_ptr_null(runconfig_diff(&a, &b, 0));
    b.seed = 2;
    b.hidden[0] = 64;
    ck_assert_str_eq(runconfig_diff(&a, &b, 0), "hidden");
    ck_assert_str_eq(runconfig_diff(&a, &b, CFG_BIT(CFG_HIDDEN)), "seed");
    ck_assert_ptr_null(runconfig_diff(&a, &b, CFG_BIT(CFG_HIDDEN) | CFG_BIT(CFG_SEED)));
    /* unused layer slots are not compared */
    b = a;
    b.hidden[1] = 5;
    ck_assert_ptr_null(runconfig_diff(&a, &b, 0));
    b.n_hidden = 2;
    ck_assert_str_eq(runconfig_diff(&a, &b, 0), "hidden");
    ck_assert(!runconfig_field_equal(CFG_HIDDEN, &a, &b));
    ck_assert(runconfig_field_equal(CFG_LOSS, &a, &b));
}
END_TEST

/* The trainer's and the planner's one FLOP model: 784 -> 10 softmax, and a
 * 784 -> 128 -> 10 network, on 100 rows. */
START_TEST(test_flops)
{
    RunConfig c;
    runconfig_defaults(&c, MODEL_SOFTMAX);
    c.n_hidden = 3; /* not the softmax's: ignored */
    ck_assert(runconfig_flops(&c, 784, 10, 100, 1) == 4.0 * 100 * 784 * 10);
    ck_assert(runconfig_flops(&c, 784, 10, 100, 0) == 2.0 * 100 * 784 * 10);
    runconfig_defaults(&c, MODEL_MLP);
    ck_assert(runconfig_flops(&c, 784, 10, 100, 1) == 4.0 * 100 * 784 * 128 + 6.0 * 100 * 128 * 10);
    ck_assert(runconfig_flops(&c, 784, 10, 100, 0) == 2.0 * 100 * 784 * 128 + 2.0 * 100 * 128 * 10);
}
END_TEST

Suite *runconfig_suite(void);
Suite *runconfig_suite(void)
{
    Suite *s = suite_create("runconfig");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_names_of_enums);
    tcase_add_test(tc, test_names_read_back);
    tcase_add_test(tc, test_set_values_and_messages);
    tcase_add_test(tc, test_diff_names_the_first_field);
    tcase_add_test(tc, test_flops);
    suite_add_tcase(s, tc);
    return s;
}
