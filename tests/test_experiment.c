#include "err.h"
#include "experiment.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Writes text to <fresh tmpdir>/name and loads it; *dir receives the directory
 * (caller removes it). Returns the experiment or NULL with err filled. */
static Experiment *load_text(const char *name, const char *text, size_t n, char **dir, char *err)
{
    *dir = tu_tmpdir();
    ck_assert_ptr_nonnull(*dir);
    char *path = tu_path(*dir, name);
    ck_assert_int_eq(tu_write(path, text, n), 0);
    Experiment *e = experiment_load(path, err);
    free(path);
    return e;
}

static Experiment *load_str(const char *text, char **dir, char *err)
{
    return load_text("study.exp", text, strlen(text), dir, err);
}

START_TEST(test_softmax_sweep_order_and_names)
{
    char *dir, err[ERR_MAX] = "", name[RUN_NAME_MAX];
    RunConfig cfg;
    Experiment *e = load_str("# lambda study\n"
                             "model = softmax   # the classifier\n"
                             "title = Softmax: regularisation, lambda\n"
                             "lambda = 0, 0.2 ,1.0\n"
                             "learning_rate = 0.1\n"
                             "seeds = 3, 1\n",
                             &dir, err);
    ck_assert_msg(e != NULL, "%s", err);
    ck_assert_str_eq(experiment_study(e), "study");
    ck_assert_str_eq(experiment_title(e), "Softmax: regularisation, lambda");
    ck_assert_str_eq(experiment_description(e), "");
    ck_assert_int_eq(experiment_model(e), MODEL_SOFTMAX);
    ck_assert_uint_eq(experiment_run_count(e), 6);
    ck_assert_uint_eq(experiment_seed_count(e), 2);
    ck_assert_uint_eq(experiment_seed(e, 0), 3);
    ck_assert_uint_eq(experiment_sweep_count(e), 1);
    ck_assert_str_eq(experiment_sweep_key(e, 0), "lambda");
    ck_assert_uint_eq(experiment_sweep_value_count(e, 0), 3);
    ck_assert_str_eq(experiment_sweep_value(e, 0, 1), "0.2");

    experiment_run(e, 0, &cfg, name);
    ck_assert_str_eq(name, "lambda-0,seed-3");
    ck_assert(cfg.lambda == 0.0);
    ck_assert_uint_eq(cfg.seed, 3);
    experiment_run(e, 3, &cfg, name);
    ck_assert_str_eq(name, "lambda-0.2,seed-1");
    ck_assert(cfg.lambda == 0.2);
    ck_assert(cfg.learning_rate == 0.1);
    ck_assert_int_eq(cfg.batch_size, 100);
    ck_assert_int_eq(cfg.max_epoch, 10);
    ck_assert_int_eq(cfg.as_reported, 0);
    ck_assert_int_eq(cfg.protocol, PROTOCOL_HOMEWORK);
    ck_assert_uint_eq(cfg.seed, 1);
    ck_assert_str_eq(experiment_run_sweep(e, 3, 0), "0.2");
    experiment_run(e, 4, &cfg, name);
    ck_assert_str_eq(name, "lambda-1.0,seed-3");
    ck_assert(cfg.lambda == 1.0);

    ck_assert_int_eq(experiment_find_run(e, "lambda-1.0,seed-1", &cfg, err), 0);
    ck_assert(cfg.lambda == 1.0);
    ck_assert_uint_eq(cfg.seed, 1);
    ck_assert_int_eq(experiment_find_run(e, "lambda-1,seed-1", &cfg, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "no run named 'lambda-1,seed-1'"));
    experiment_free(e);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(test_mlp_product_last_key_fastest_seeds_last)
{
    char *dir, err[ERR_MAX] = "", name[RUN_NAME_MAX];
    RunConfig cfg;
    Experiment *e = load_str("model = mlp\n"
                             "hidden = 128, 512x128\n"
                             "loss = euclidean, cross-entropy\n"
                             "activation = relu, sigmoid\n"
                             "seeds = 1, 2\n"
                             "description = the four one-layer networks and the deep one\n",
                             &dir, err);
    ck_assert_msg(e != NULL, "%s", err);
    ck_assert_uint_eq(experiment_run_count(e), 16);
    ck_assert_uint_eq(experiment_sweep_count(e), 3);
    ck_assert_str_eq(experiment_title(e), "study");
    ck_assert_str_eq(experiment_description(e), "the four one-layer networks and the deep one");
    experiment_run(e, 0, &cfg, name);
    ck_assert_str_eq(name, "hidden-128,loss-euclidean,activation-relu,seed-1");
    experiment_run(e, 1, &cfg, name);
    ck_assert_str_eq(name, "hidden-128,loss-euclidean,activation-relu,seed-2");
    experiment_run(e, 2, &cfg, name);
    ck_assert_str_eq(name, "hidden-128,loss-euclidean,activation-sigmoid,seed-1");
    ck_assert_int_eq(cfg.activation, ACT_SIGMOID);
    ck_assert_int_eq(cfg.loss, LOSS_EUCLIDEAN);
    ck_assert_int_eq(cfg.n_hidden, 1);
    ck_assert_int_eq(cfg.hidden[0], 128);
    experiment_run(e, 4, &cfg, name);
    ck_assert_str_eq(name, "hidden-128,loss-cross-entropy,activation-relu,seed-1");
    experiment_run(e, 15, &cfg, name);
    ck_assert_str_eq(name, "hidden-512x128,loss-cross-entropy,activation-sigmoid,seed-2");
    ck_assert_int_eq(cfg.n_hidden, 2);
    ck_assert_int_eq(cfg.hidden[0], 512);
    ck_assert_int_eq(cfg.hidden[1], 128);
    ck_assert_int_eq(cfg.loss, LOSS_CROSS_ENTROPY);
    ck_assert(cfg.learning_rate == 0.001);
    ck_assert(cfg.weight_decay == 0.1);
    ck_assert_int_eq(cfg.max_epoch, 20);
    ck_assert_str_eq(experiment_run_sweep(e, 15, 0), "512x128");
    ck_assert_str_eq(experiment_run_sweep(e, 15, 1), "cross-entropy");
    ck_assert_str_eq(experiment_run_sweep(e, 15, 2), "sigmoid");
    experiment_free(e);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(test_protocol_key_for_both_models)
{
    char *dir, err[ERR_MAX] = "", name[RUN_NAME_MAX];
    RunConfig cfg;
    const char *models[2] = {"softmax", "mlp"};
    for (int m = 0; m < 2; m++) {
        char text[128];
        snprintf(text, sizeof text, "model = %s\nprotocol = homework, every-image\n", models[m]);
        Experiment *e = load_str(text, &dir, err);
        ck_assert_msg(e != NULL, "%s", err);
        ck_assert_uint_eq(experiment_run_count(e), 2);
        experiment_run(e, 0, &cfg, name);
        ck_assert_str_eq(name, "protocol-homework,seed-1");
        ck_assert_int_eq(cfg.protocol, PROTOCOL_HOMEWORK);
        experiment_run(e, 1, &cfg, name);
        ck_assert_str_eq(name, "protocol-every-image,seed-1");
        ck_assert_int_eq(cfg.protocol, PROTOCOL_EVERY_IMAGE);
        experiment_free(e);
        tu_rmtree(dir);
        free(dir);
    }
}
END_TEST

START_TEST(test_defaults_and_single_seed)
{
    char *dir, err[ERR_MAX] = "", name[RUN_NAME_MAX];
    RunConfig cfg, want;
    Experiment *e = load_str("model = mlp\r\n\r\n   # only defaults\r\n", &dir, err);
    ck_assert_msg(e != NULL, "%s", err);
    ck_assert_uint_eq(experiment_run_count(e), 1);
    ck_assert_uint_eq(experiment_sweep_count(e), 0);
    experiment_run(e, 0, &cfg, name);
    ck_assert_str_eq(name, "seed-1");
    memset(&want, 0, sizeof want);
    want.model = MODEL_MLP;
    want.learning_rate = 0.001;
    want.batch_size = 100;
    want.max_epoch = 20;
    want.weight_decay = 0.1;
    want.n_hidden = 1;
    want.hidden[0] = 128;
    want.activation = ACT_RELU;
    want.loss = LOSS_CROSS_ENTROPY;
    want.seed = 1;
    ck_assert_int_eq(memcmp(&cfg, &want, sizeof cfg), 0);
    experiment_free(e);
    tu_rmtree(dir);
    free(dir);

    e = load_str("model=softmax\nas_reported=true\nseeds=7", &dir, err);
    ck_assert_msg(e != NULL, "%s", err);
    experiment_run(e, 0, &cfg, name);
    ck_assert_str_eq(name, "seed-7");
    memset(&want, 0, sizeof want);
    want.model = MODEL_SOFTMAX;
    want.learning_rate = 0.01;
    want.batch_size = 100;
    want.max_epoch = 10;
    want.lambda = 0.5;
    want.as_reported = 1;
    want.seed = 7;
    ck_assert_int_eq(memcmp(&cfg, &want, sizeof cfg), 0);
    experiment_free(e);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

/* Each bad file and the exact error it must give (the file is <dir>/x.exp). */
static const struct {
    const char *text;
    const char *want;
} BAD[] = {
    {"model = softmax\nlamda = 0.2\n", "x.exp:2: unknown key 'lamda'"},
    {"model = softmax\nlambda = 0.2\nlambda = 0.5\n",
     "x.exp:3: duplicate key 'lambda' (first at line 2)"},
    {"model = softmax\nlambda =   # nothing\n", "x.exp:2: empty value for 'lambda'"},
    {"model = softmax\nlambda = 0.2,,0.5\n", "x.exp:2: empty value in the list of 'lambda'"},
    {"model = softmax\nlambda = 0.2,\n", "x.exp:2: empty value in the list of 'lambda'"},
    {"model = softmax\nlambda 0.2\n", "x.exp:2: expected 'key = value', got 'lambda 0.2'"},
    {"model = softmax\n = 0.2\n", "x.exp:2: missing key before '='"},
    {"model = softmax\nlambda = 0.2x\n", "x.exp:2: 'lambda': '0.2x' is not a finite number"},
    {"model = softmax\nlambda = nan\n", "x.exp:2: 'lambda': 'nan' is not a finite number"},
    {"model = softmax\nlambda = 1e999\n", "x.exp:2: 'lambda': '1e999' is not a finite number"},
    {"model = softmax\nlambda = -0.1\n", "x.exp:2: 'lambda' must be >= 0, got '-0.1'"},
    {"model = softmax\nlearning_rate = 0\n", "x.exp:2: 'learning_rate' must be > 0, got '0'"},
    {"model = softmax\nbatch_size = 0\n",
     "x.exp:2: 'batch_size' must be an integer in 1..65536, got '0'"},
    {"model = softmax\nbatch_size = 65537\n",
     "x.exp:2: 'batch_size' must be an integer in 1..65536, got '65537'"},
    {"model = softmax\nbatch_size = 1.5\n",
     "x.exp:2: 'batch_size' must be an integer in 1..65536, got '1.5'"},
    {"model = softmax\nmax_epoch = 10001\n",
     "x.exp:2: 'max_epoch' must be an integer in 1..10000, got '10001'"},
    {"model = softmax\nmax_epoch = 99999999999999999999\n",
     "x.exp:2: 'max_epoch' must be an integer in 1..10000, got '99999999999999999999'"},
    {"model = softmax\nas_reported = yes\n",
     "x.exp:2: 'as_reported' must be true or false, got 'yes'"},
    {"model = softmax\nweight_decay = 0.1\n",
     "x.exp:2: 'weight_decay' does not apply to model 'softmax'"},
    {"lambda = 0.2\nmodel = mlp\n", "x.exp:1: 'lambda' does not apply to model 'mlp'"},
    {"model = mlp\nas_reported = true\n", "x.exp:2: 'as_reported' does not apply to model 'mlp'"},
    {"model = mlp\nhidden = 0\n",
     "x.exp:2: 'hidden' must be layer sizes in 1..65536 joined with 'x', got '0'"},
    {"model = mlp\nhidden = 128x\n",
     "x.exp:2: 'hidden' must be layer sizes in 1..65536 joined with 'x', got '128x'"},
    {"model = mlp\nhidden = 65537\n",
     "x.exp:2: 'hidden' must be layer sizes in 1..65536 joined with 'x', got '65537'"},
    {"model = mlp\nhidden = 1x2x3x4x5\n", "x.exp:2: 'hidden' has more than 4 layers: '1x2x3x4x5'"},
    {"model = mlp\nhidden = 512 x 128\n", "x.exp:2: 'hidden': value '512 x 128' contains a space"},
    {"model = mlp\nactivation = tanh\n",
     "x.exp:2: 'activation' must be relu or sigmoid, got 'tanh'"},
    {"model = mlp\nloss = hinge\n",
     "x.exp:2: 'loss' must be euclidean or cross-entropy, got 'hinge'"},
    {"model = mlp\nprotocol = notebook\n",
     "x.exp:2: 'protocol' must be homework or every-image, got 'notebook'"},
    {"model = softmax\nlambda = 0.2, 0.5, 0.20\n", "x.exp:2: 'lambda': value '0.20' repeats '0.2'"},
    {"model = mlp\nhidden = 128, 0128\n", "x.exp:2: 'hidden': value '0128' repeats '128'"},
    {"model = softmax\nseeds = 1, 2, 1\n", "x.exp:2: 'seeds': value '1' repeats '1'"},
    {"model = softmax\nseeds = -1\n", "x.exp:2: 'seeds' must be unsigned integers, got '-1'"},
    {"model = softmax\nseeds = 18446744073709551616\n",
     "x.exp:2: 'seeds' must be unsigned integers, got '18446744073709551616'"},
    {"# nothing\nlambda = 0.2\n", "x.exp: no 'model' key (softmax or mlp)"},
    {"", "x.exp: no 'model' key (softmax or mlp)"},
    {"model = softmax, mlp\n", "x.exp:1: 'model' takes one value"},
    {"model = svm\n", "x.exp:1: 'model' must be softmax or mlp, got 'svm'"},
    {"model = softmax\ntitle = a\tb\x01\n", "x.exp:2: control character 0x01"},
};

START_TEST(test_bad_files)
{
    char *dir, err[ERR_MAX];
    strcpy(err, "");
    Experiment *e = load_str(BAD[_i].text, &dir, err);
    ck_assert_msg(e == NULL, "accepted: %s", BAD[_i].text);
    /* The file was written as <dir>/study.exp: the message must start with
     * that path; the rest is compared exactly. */
    char *study = tu_path(dir, "study.exp");
    ck_assert_msg(strncmp(err, study, strlen(study)) == 0, "message '%s' does not name the file",
                  err);
    char got[ERR_MAX + 16];
    snprintf(got, sizeof got, "x.exp%s", err + strlen(study));
    ck_assert_str_eq(got, BAD[_i].want);
    free(study);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(test_nul_byte_long_line_missing_file)
{
    char *dir, err[ERR_MAX];
    const char nul[] = "model = softmax\nlambda = 0.\0002\n";
    Experiment *e = load_text("x.exp", nul, sizeof nul - 1, &dir, err);
    ck_assert_ptr_null(e);
    ck_assert_ptr_nonnull(strstr(err, "x.exp:2: NUL byte"));
    tu_rmtree(dir);
    free(dir);

    char big[EXPERIMENT_LINE_MAX + 64];
    strcpy(big, "model = softmax\n# ");
    size_t n = strlen(big);
    memset(big + n, 'a', EXPERIMENT_LINE_MAX);
    big[n + EXPERIMENT_LINE_MAX] = '\n';
    e = load_text("x.exp", big, n + EXPERIMENT_LINE_MAX + 1, &dir, err);
    ck_assert_ptr_null(e);
    ck_assert_ptr_nonnull(strstr(err, "x.exp:2: line longer than 1024 bytes"));
    tu_rmtree(dir);
    free(dir);

    /* Exactly EXPERIMENT_LINE_MAX bytes is still a line. */
    e = load_text("x.exp", big, n + EXPERIMENT_LINE_MAX - 2, &dir, err);
    ck_assert_msg(e != NULL, "%s", err);
    experiment_free(e);
    tu_rmtree(dir);
    free(dir);

    dir = tu_tmpdir();
    char *path = tu_path(dir, "absent.exp");
    ck_assert_ptr_null(experiment_load(path, err));
    ck_assert_ptr_nonnull(strstr(err, "absent.exp: cannot open: "));
    free(path);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(test_too_many_runs_and_long_names)
{
    char *dir, err[ERR_MAX];
    char text[EXPERIMENT_LINE_MAX * 4];
    /* 100 * 100 * 11 seeds = 110000 runs > EXPERIMENT_RUNS_MAX */
    size_t n = (size_t)sprintf(text, "model = softmax\nbatch_size = 1");
    for (int i = 2; i <= 100; i++)
        n += (size_t)sprintf(text + n, ",%d", i);
    n += (size_t)sprintf(text + n, "\nmax_epoch = 1");
    for (int i = 2; i <= 100; i++)
        n += (size_t)sprintf(text + n, ",%d", i);
    sprintf(text + n, "\nseeds = 0,1,2,3,4,5,6,7,8,9,10\n");
    Experiment *e = load_str(text, &dir, err);
    ck_assert_ptr_null(e);
    ck_assert_ptr_nonnull(strstr(err, "study.exp: more than 100000 runs"));
    tu_rmtree(dir);
    free(dir);

    /* learning_rate-<200 digits>,... does not fit in RUN_NAME_MAX */
    n = (size_t)sprintf(text, "model = softmax\nlearning_rate = 1, 0.");
    memset(text + n, '1', 240);
    sprintf(text + n + 240, "\n");
    e = load_str(text, &dir, err);
    ck_assert_ptr_null(e);
    ck_assert_ptr_nonnull(strstr(err, "study.exp: run names longer than 255 bytes"));
    tu_rmtree(dir);
    free(dir);
}
END_TEST

Suite *experiment_suite(void);
Suite *experiment_suite(void)
{
    Suite *s = suite_create("experiment");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_softmax_sweep_order_and_names);
    tcase_add_test(tc, test_mlp_product_last_key_fastest_seeds_last);
    tcase_add_test(tc, test_defaults_and_single_seed);
    tcase_add_test(tc, test_protocol_key_for_both_models);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_loop_test(tc, test_bad_files, 0, (int)(sizeof BAD / sizeof BAD[0]));
    tcase_add_test(tc, test_nul_byte_long_line_missing_file);
    tcase_add_test(tc, test_too_many_runs_and_long_names);
    suite_add_tcase(s, tc);
    return s;
}
