#include "experiment.h"
#include "fake_results.h"
#include "cfgfile.h"
#include "testutil.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Formats cfg, loads the text back, and checks the run is the same config. */
static void check_round_trip(const RunConfig *cfg)
{
    char text[1024], *dir, name[RUN_NAME_MAX];
    int n = runconfig_format(cfg, text, sizeof text);
    ck_assert_int_gt(n, 0);
    ck_assert_uint_eq(strlen(text), (size_t)n);
    ck_assert_int_eq(runconfig_format(cfg, text, (size_t)n), -1);
    ck_assert_int_eq(runconfig_format(cfg, text, (size_t)n + 1), n);
    Experiment *e = fake_experiment("run.cfg", text, &dir); /* fails the test on an error */
    ck_assert_uint_eq(experiment_run_count(e), 1);
    ck_assert_uint_eq(experiment_sweep_count(e), 0);
    ck_assert_str_eq(experiment_study(e), "run");
    RunConfig back;
    experiment_run(e, 0, &back, name);
    ck_assert_msg(memcmp(&back, cfg, sizeof back) == 0, "round trip changed:\n%s", text);
    experiment_free(e);
    tu_rmtree(dir);
    free(dir);
}

START_TEST(test_format_round_trips)
{
    RunConfig c;
    memset(&c, 0, sizeof c);
    c.model = MODEL_SOFTMAX;
    c.learning_rate = 0.1 + 0.2; /* 0.30000000000000004: needs 17 digits */
    c.batch_size = 64;
    c.max_epoch = 2;
    c.lambda = 1e-7;
    c.as_reported = 1;
    c.seed = UINT64_MAX;
    check_round_trip(&c);

    char text[512];
    ck_assert_int_gt(runconfig_format(&c, text, sizeof text), 0);
    ck_assert_str_eq(text, "model = softmax\nlearning_rate = 0.30000000000000004\nbatch_size = 64\n"
                           "max_epoch = 2\nlambda = 1e-07\nas_reported = true\n"
                           "protocol = homework\nseeds = 18446744073709551615\n");

    memset(&c, 0, sizeof c);
    c.model = MODEL_MLP;
    c.learning_rate = 0.001;
    c.batch_size = 1;
    c.max_epoch = 10000;
    c.weight_decay = 0.0;
    c.n_hidden = MAX_HIDDEN;
    c.hidden[0] = 65536;
    c.hidden[1] = 1;
    c.hidden[2] = 3;
    c.hidden[3] = 10;
    c.activation = ACT_SIGMOID;
    c.loss = LOSS_EUCLIDEAN;
    c.protocol = PROTOCOL_EVERY_IMAGE;
    c.seed = 0;
    check_round_trip(&c);
    ck_assert_int_gt(runconfig_format(&c, text, sizeof text), 0);
    ck_assert_str_eq(text, "model = mlp\nlearning_rate = 0.001\nbatch_size = 1\nmax_epoch = 10000\n"
                           "weight_decay = 0\nhidden = 65536x1x3x10\nactivation = sigmoid\n"
                           "loss = euclidean\nprotocol = every-image\nseeds = 0\n");
    c.learning_rate = 1.0 / 3.0;
    c.weight_decay = 5e-324; /* smallest subnormal still reads back */
    c.n_hidden = 2;
    c.hidden[2] = c.hidden[3] = 0;
    check_round_trip(&c);
}
END_TEST

START_TEST(test_hidden_text)
{
    RunConfig c;
    char out[32];
    runconfig_defaults(&c, MODEL_MLP);
    c.n_hidden = 2;
    c.hidden[0] = 512;
    c.hidden[1] = 128;
    runconfig_hidden_text(&c, 'x', out, sizeof out);
    ck_assert_str_eq(out, "512x128");
    runconfig_hidden_text(&c, '-', out, sizeof out);
    ck_assert_str_eq(out, "512-128");
    runconfig_hidden_text(&c, 'x', out, 6); /* cut, still a string */
    ck_assert_str_eq(out, "512x1");
    c.n_hidden = 0;
    runconfig_hidden_text(&c, 'x', out, sizeof out);
    ck_assert_str_eq(out, "");
}
END_TEST

Suite *cfgfile_suite(void);
Suite *cfgfile_suite(void)
{
    Suite *s = suite_create("cfgfile");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_format_round_trips);
    tcase_add_test(tc, test_hidden_text);
    suite_add_tcase(s, tc);
    return s;
}
