#include "err.h"
#include "experiment.h"
#include "fake_results.h"
#include "report/results.h"
#include "rundir.h"
#include "trainer.h"
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- fake results (shared with test_tabulate.c and test_plot.c) ---------- */

Experiment *fake_experiment(const char *name, const char *text, char **dir)
{
    char err[ERR_MAX] = "";
    *dir = tu_tmpdir();
    ck_assert_ptr_nonnull(*dir);
    char *path = tu_path(*dir, name);
    ck_assert_int_eq(tu_write(path, text, strlen(text)), 0);
    Experiment *e = experiment_load(path, err);
    ck_assert_msg(e != NULL, "%s", err);
    free(path);
    return e;
}

char *fake_join(const char *dir, const char *a, const char *b, const char *c)
{
    size_t n = strlen(dir) + strlen(a) + (b ? strlen(b) : 0) + (c ? strlen(c) : 0) + 4;
    char *p = malloc(n);
    ck_assert_ptr_nonnull(p);
    snprintf(p, n, "%s/%s%s%s%s%s", dir, a, b ? "/" : "", b ? b : "", c ? "/" : "", c ? c : "");
    return p;
}

void fake_edit(const char *path, const char *from, const char *to)
{
    size_t n;
    char *text = tu_read(path, &n);
    ck_assert_ptr_nonnull(text);
    char *at = strstr(text, from);
    ck_assert_msg(at != NULL, "'%s' not in %s", from, path);
    size_t out_n = n - strlen(from) + strlen(to);
    char *out = malloc(out_n + 1);
    ck_assert_ptr_nonnull(out);
    size_t head = (size_t)(at - text);
    memcpy(out, text, head);
    memcpy(out + head, to, strlen(to));
    memcpy(out + head + strlen(to), at + strlen(from), n - head - strlen(from));
    ck_assert_int_eq(tu_write(path, out, out_n), 0);
    free(out);
    free(text);
}

/* Accuracy after epoch e of E rising towards final (a fraction). */
static double fake_acc(double final, int e, int max_epoch)
{
    return final - 0.1 * final * (double)(max_epoch - e) / max_epoch;
}

static double clamp01(double x)
{
    return x > 1.0 ? 1.0 : x;
}

/* One fake run, written by the run directory's own writer (rundir.h) from a
 * TrainResult made up from o, as the trainer would have written it. */
static void fake_run_write(const char *results_dir, const Experiment *e, const RunConfig *cfg,
                           const char *name, FakeOutcome o, int iters_per_epoch)
{
    char err[ERR_MAX] = "";
    char *dir = fake_join(results_dir, experiment_study(e), NULL, NULL);
    mkdir(dir, 0777);
    free(dir);
    dir = fake_join(results_dir, experiment_study(e), name, NULL);
    ck_assert_int_eq(mkdir(dir, 0777), 0);
    int softmax = cfg->model == MODEL_SOFTMAX;
    int done = o.diverged_epoch ? o.diverged_epoch - 1 : cfg->max_epoch;
    /* a diverged softmax run: two minibatches into its last epoch, the second not finite */
    size_t iters = softmax ? (size_t)done * (size_t)iters_per_epoch + (o.diverged_epoch ? 2 : 0) : 0;

    TrainResult r;
    memset(&r, 0, sizeof r);
    r.epochs = calloc((size_t)done + 1, sizeof *r.epochs);
    r.iters = softmax ? calloc(iters + 1, sizeof *r.iters) : NULL;
    ck_assert(r.epochs && (!softmax || r.iters));
    for (int ep = 1; ep <= done; ep++) {
        double a = fake_acc(o.test_acc, ep, cfg->max_epoch);
        EpochStats *es = &r.epochs[r.n_epochs++];
        es->epoch = (size_t)ep;
        es->train_loss = 1.5 - a;
        es->train_acc = clamp01(a + 0.01);
        es->has_full = 1;
        es->full_train_loss = 1.4 - a;
        es->full_train_acc = clamp01(a + 0.015);
        es->n_weight_norms = softmax ? 1 : (size_t)cfg->n_hidden + 1;
        for (size_t k = 0; k < es->n_weight_norms; k++)
            es->weight_norm[k] = 10.0 - a + (double)k;
        es->has_val = !softmax;
        es->val_loss = softmax ? 0.0 : 1.42 - a;
        es->val_acc = softmax ? 0.0 : clamp01(a + 0.005);
        es->test_loss = 1.45 - a;
        es->test_acc = a;
    }
    for (size_t it = 1; it <= iters; it++) {
        int ep = (int)((it - 1) / (size_t)iters_per_epoch) + 1;
        double a = fake_acc(o.test_acc, ep, cfg->max_epoch);
        IterStats *is = &r.iters[r.n_iters++];
        is->loss = o.diverged_epoch && it == iters ? NAN : (float)(1.5 - a + 0.01 * (double)(it % 3));
        is->acc = o.diverged_epoch && it == iters ? 0.1f : (float)clamp01(a + 0.02 * (double)(it % 2));
    }
    double a = fake_acc(o.test_acc, done, cfg->max_epoch);
    r.iters_per_epoch = softmax ? (size_t)iters_per_epoch : 0;
    r.train_count = softmax ? 600 : 550;
    r.val_count = softmax ? 0 : 50;
    r.test_count = 100;
    r.diverged = o.diverged_epoch != 0;
    r.diverged_epoch = (size_t)o.diverged_epoch;
    r.diverged_iteration = softmax ? iters : 1;
    r.last_batch_loss = 1.5 - a + 0.01;
    r.last_batch_acc = clamp01(a + 0.02);
    r.train_flops = 1.5e9;
    char sha[65];
    memset(sha, '0', 64);
    sha[64] = '\0';
    RunMeta meta = {"mnist", experiment_study(e), name, sha};
    if (o.wall_seconds >= 0)
        ck_assert_msg(rundir_write_timing(dir, o.wall_seconds, o.wall_seconds * 0.99, NULL, "scalar",
                                          "x86_64", NULL, err) == 0, "%s", err);
    ck_assert_msg(rundir_write(dir, &meta, cfg, &r, err) == 0, "%s", err);
    free(r.epochs);
    free(r.iters);
    free(dir);
}

void fake_study_write(const char *results_dir, const Experiment *e, FakeFn fn, void *ctx,
                      int iters_per_epoch)
{
    for (size_t i = 0; i < experiment_run_count(e); i++) {
        RunConfig cfg;
        char name[RUN_NAME_MAX];
        experiment_run(e, i, &cfg, name);
        fake_run_write(results_dir, e, &cfg, name, fn(&cfg, ctx), iters_per_epoch);
    }
}

/* ---- the suite ---------------------------------------------------------- */

/* Test accuracy falls with lambda and moves a little with the seed. */
static FakeOutcome by_lambda(const RunConfig *cfg, void *ctx)
{
    (void)ctx;
    FakeOutcome o = {0.9 - 0.1 * cfg->lambda + 0.001 * (double)cfg->seed, 0,
                     10.0 + (double)cfg->seed};
    return o;
}

static const char SOFTMAX_EXP[] = "model = softmax\n"
                                  "title = Regularisation\n"
                                  "lambda = 0, 0.5\n"
                                  "max_epoch = 3\n"
                                  "seeds = 1, 2\n";

/* A fresh results tree for SOFTMAX_EXP; *e, *results (caller frees). */
static char *softmax_tree(Experiment **e, char **expdir)
{
    *e = fake_experiment("softmax-lambda.exp", SOFTMAX_EXP, expdir);
    char *results = fake_join(*expdir, "results", NULL, NULL);
    ck_assert_int_eq(mkdir(results, 0777), 0);
    fake_study_write(results, *e, by_lambda, NULL, 4);
    return results;
}

START_TEST(test_softmax_study_loads)
{
    char *expdir, err[ERR_MAX] = "", name[RUN_NAME_MAX];
    Experiment *e;
    char *results = softmax_tree(&e, &expdir);
    StudyResults s;
    ck_assert_msg(study_results_load(&s, results, e, RESULTS_ITERATIONS, err) == 0, "%s", err);
    ck_assert_uint_eq(s.n_runs, 4);
    ck_assert_uint_eq(s.n_groups, 2);
    ck_assert_uint_eq(s.n_seeds, 2);
    const RunResult *r = &s.runs[3]; /* lambda 0.5, seed 2 */
    ck_assert_str_eq(r->run, "lambda-0.5,seed-2");
    ck_assert_str_eq(r->dataset, "mnist");
    ck_assert_uint_eq(r->n_sweep, 1);
    ck_assert_str_eq(r->sweep_key[0], "lambda");
    ck_assert_str_eq(r->sweep_value[0], "0.5");
    ck_assert(r->config.lambda == 0.5);
    ck_assert_int_eq(r->status, RUN_OK);
    ck_assert_uint_eq(r->n_epochs, 3);
    ck_assert_int_eq(r->epochs[2].epoch, 3);
    ck_assert(fabs(r->epochs[2].m[METRIC_TEST_ACC] - 0.852) < 1e-9);
    ck_assert(isnan(r->epochs[0].m[METRIC_VAL_ACC]));
    ck_assert(fabs(r->final[METRIC_TEST_ACC] - 0.852) < 1e-9);
    ck_assert(isnan(r->final[METRIC_VAL_LOSS]));
    ck_assert_uint_eq(r->n_iters, 12);
    ck_assert_int_eq(r->iters[11].epoch, 3);
    ck_assert_uint_eq(run_result_finite_iters(r), 12);
    ck_assert(r->wall_seconds == 12.0);

    study_group_name(&s, 1, name);
    ck_assert_str_eq(name, "lambda-0.5");
    study_group_label(&s, 1, name);
    ck_assert_str_eq(name, "\xce\xbb = 0.5");
    study_results_release(&s);

    /* without RESULTS_ITERATIONS nothing of iterations.csv is read */
    ck_assert_msg(study_results_load(&s, results, e, 0, err) == 0, "%s", err);
    ck_assert_ptr_null(s.runs[0].iters);
    study_results_release(&s);
    experiment_free(e);
    tu_rmtree(expdir);
    free(expdir);
    free(results);
}
END_TEST

static FakeOutcome mlp_outcome(const RunConfig *cfg, void *ctx)
{
    (void)ctx;
    FakeOutcome o = {cfg->activation == ACT_RELU ? 0.9 : 0.7, 0, -1};
    if (cfg->activation == ACT_SIGMOID && cfg->n_hidden == 2)
        o.diverged_epoch = 2;
    return o;
}

START_TEST(test_mlp_groups_labels_divergence)
{
    char *expdir, err[ERR_MAX] = "", name[RUN_NAME_MAX];
    Experiment *e = fake_experiment("mlp-arch.exp",
                                    "model = mlp\nhidden = 128, 512x128\n"
                                    "activation = relu, sigmoid\nmax_epoch = 3\n",
                                    &expdir);
    char *results = fake_join(expdir, "results", NULL, NULL);
    ck_assert_int_eq(mkdir(results, 0777), 0);
    fake_study_write(results, e, mlp_outcome, NULL, 0);
    StudyResults s;
    ck_assert_msg(study_results_load(&s, results, e, RESULTS_ITERATIONS, err) == 0, "%s", err);
    ck_assert_uint_eq(s.n_groups, 4);
    ck_assert_uint_eq(s.n_seeds, 1);
    study_group_label(&s, 1, name);
    ck_assert_str_eq(name, "hidden 128, sigmoid");
    study_group_name(&s, 3, name);
    ck_assert_str_eq(name, "hidden-512x128,activation-sigmoid");
    const RunResult *ok = &s.runs[0], *bad = &s.runs[3];
    ck_assert_ptr_null(ok->iters);
    ck_assert(fabs(ok->final[METRIC_VAL_ACC] - 0.905) < 1e-9);
    ck_assert(fabs(ok->epochs[0].m[METRIC_VAL_ACC] - (0.9 - 0.06 + 0.005)) < 1e-9);
    ck_assert(isnan(ok->wall_seconds));
    ck_assert(!isnan(ok->final[METRIC_FULL_TRAIN_ACC]));
    ck_assert(!isnan(ok->epochs[0].m[METRIC_FULL_TRAIN_LOSS]));
    ck_assert(!isnan(ok->final[METRIC_WEIGHT_NORM_2]) && isnan(ok->final[METRIC_WEIGHT_NORM_3]));
    ck_assert_int_eq(ok->images[0], 550);
    ck_assert_int_eq(ok->images[1], 50);
    ck_assert_int_eq(bad->status, RUN_DIVERGED);
    ck_assert_int_eq(bad->diverged_epoch, 2);
    ck_assert_int_eq(bad->epochs_completed, 1);
    ck_assert_uint_eq(bad->n_epochs, 1);
    ck_assert(!isnan(bad->final[METRIC_TEST_ACC]));
    study_results_release(&s);
    experiment_free(e);
    tu_rmtree(expdir);
    free(expdir);
    free(results);
}
END_TEST

START_TEST(test_no_sweep_and_diverged_softmax)
{
    char *expdir, err[ERR_MAX] = "", name[RUN_NAME_MAX];
    Experiment *e = fake_experiment("softmax-defaults.exp",
                                    "model = softmax\nmax_epoch = 2\nseeds = 1, 2, 3\n", &expdir);
    char *results = fake_join(expdir, "results", NULL, NULL);
    ck_assert_int_eq(mkdir(results, 0777), 0);
    fake_study_write(results, e, by_lambda, NULL, 5);
    /* run seed-3 again, diverged in epoch 2 after 2 iterations */
    char *dir = fake_join(results, "softmax-defaults", "seed-3", NULL);
    tu_rmtree(dir);
    free(dir);
    FakeOutcome o = {0.8, 2, 1.0};
    RunConfig cfg;
    experiment_run(e, 2, &cfg, name);
    fake_run_write(results, e, &cfg, name, o, 5);
    StudyResults s;
    ck_assert_msg(study_results_load(&s, results, e, RESULTS_ITERATIONS, err) == 0, "%s", err);
    ck_assert_uint_eq(s.n_groups, 1);
    study_group_name(&s, 0, name);
    ck_assert_str_eq(name, "");
    study_group_label(&s, 0, name);
    ck_assert_str_eq(name, "all runs");
    const RunResult *r = &s.runs[2];
    ck_assert_int_eq(r->status, RUN_DIVERGED);
    ck_assert_uint_eq(r->n_iters, 7);
    ck_assert_uint_eq(run_result_finite_iters(r), 6);
    ck_assert(isnan(r->iters[6].loss));
    study_results_release(&s);
    experiment_free(e);
    tu_rmtree(expdir);
    free(expdir);
    free(results);
}
END_TEST

START_TEST(test_metric_names)
{
    ck_assert_str_eq(metric_name(METRIC_TRAIN_LOSS), "train_loss");
    ck_assert_str_eq(metric_name(METRIC_LAST_BATCH_ACC), "last_batch_acc");
    ck_assert_int_eq(metric_is_acc(METRIC_VAL_ACC), 1);
    ck_assert_int_eq(metric_is_acc(METRIC_TEST_LOSS), 0);
}
END_TEST

/* ---- errors: each corrupts one file of a valid tree --------------------- */

typedef struct {
    const char *file; /* in the run lambda-0.5,seed-2 */
    const char *from, *to; /* replace; from == NULL removes the file; to == NULL cuts the
                            * file after from's first byte */
    const char *want;      /* expected in the message */
} Corruption;

static const Corruption CORRUPT[] = {
    {"summary.json", "\"format\": 1,", "\"format\": 1", "summary.json':3:"},
    {"summary.json", "\"final\"", "\"finale\"", "key 'final'"},
    {"summary.json", "\"test_acc\": 0.852", "\"test_acc\": \"0.852\"", "'final.test_acc'"},
    {"summary.json", "\"test_acc\": 0.852", "\"test_acc\": 1.852", "outside [0, 1]"},
    {"summary.json", "\"status\": \"ok\"", "\"status\": \"fine\"", "key 'status'"},
    {"summary.json", "\"learning_rate\": 0.01", "\"learning_rate\": 0.02",
     "config 'learning_rate' differs"},
    {"summary.json", "\"run\": \"lambda-0.5,seed-2\"", "\"run\": \"lambda-0.5,seed-9\"",
     "expected 'softmax-lambda' run 'lambda-0.5,seed-2'"},
    {"summary.json", "\"epochs_completed\": 3", "\"epochs_completed\": 2", "status ok but"},
    {"summary.json", NULL, NULL, "summary.json': No such file"},
    {"epochs.csv", NULL, NULL, "epochs.csv': No such file"},
    {"epochs.csv", "3,", "x,", "epochs.csv':4: expected epoch 3, found 'x'"},
    {"epochs.csv", "epoch,train_loss", "epoch,trainloss", "epochs.csv':1: expected the header"},
    {"epochs.csv", ",,,", ",,", "epochs.csv':2: expected 12 cells, found 11"},
    {"epochs.csv", ",,,", ",1,2,3,", "epochs.csv':2: expected 12 cells, found more than 12"},
    {"epochs.csv", ",,", ",0.5,", "column 'val_loss': bad value '0.5'"},
    {"epochs.csv", "\n3,", NULL, "epochs.csv':4: 2 epoch rows, but summary.json says 3"},
    {"epochs.csv", "9.148,,\n", "9.148,,", "epochs.csv':4: truncated"},
    {"epochs.csv", "9.148,,\n", "9.148,,\n4,1,1,1,1,,,1,1,1,,\n", "epochs.csv':5: more rows"},
    {"epochs.csv", "0.852,9.148", "1.852,9.148", "epochs.csv':4: column 'test_acc': accuracy"},
    {"epochs.csv", "9.148,,\n", "9.148,1,\n", "column 'weight_norm_2': bad value '1'"},
    {"timing.json", "\"cpu_seconds\"", "\"epoch_cpu_seconds\": 3, \"cpu_seconds\"",
     "key 'epoch_cpu_seconds': expected an array"},
    {"iterations.csv", "\n12,", NULL, "iterations.csv':13: 11 iteration rows"},
    {"iterations.csv", "\n5,2,", "\n5,3,", "iterations.csv':6: bad epoch '3'"},
    {"iterations.csv", "\n5,2,", "\n5,2x,", "iterations.csv':6: bad epoch"},
    {"iterations.csv", "iteration,", "iter,", "iterations.csv':1: expected the header"},
    {"timing.json", "{", "[", "timing.json':"},
};

START_TEST(test_corrupt_files)
{
    const Corruption *c = &CORRUPT[_i];
    char *expdir, err[ERR_MAX] = "";
    Experiment *e;
    char *results = softmax_tree(&e, &expdir);
    char *path = fake_join(results, "softmax-lambda", "lambda-0.5,seed-2", c->file);
    if (c->from && c->to) {
        fake_edit(path, c->from, c->to);
    } else if (c->from) {
        size_t n;
        char *text = tu_read(path, &n);
        ck_assert_ptr_nonnull(text);
        char *at = strstr(text, c->from);
        ck_assert_ptr_nonnull(at);
        ck_assert_int_eq(tu_write(path, text, (size_t)(at - text) + 1), 0);
        free(text);
    } else {
        ck_assert_int_eq(unlink(path), 0);
    }
    StudyResults s;
    ck_assert_int_eq(study_results_load(&s, results, e, RESULTS_ITERATIONS, err), -1);
    ck_assert_msg(strstr(err, c->want) != NULL, "case %d: '%s' not in '%s'", _i, c->want, err);
    ck_assert_msg(strstr(err, "lambda-0.5,seed-2") != NULL, "no path in '%s'", err);
    ck_assert_ptr_null(s.runs);
    free(path);
    experiment_free(e);
    tu_rmtree(expdir);
    free(expdir);
    free(results);
}
END_TEST

START_TEST(test_missing_timing_is_fine_missing_run_is_not)
{
    char *expdir, err[ERR_MAX] = "";
    Experiment *e;
    char *results = softmax_tree(&e, &expdir);
    char *path = fake_join(results, "softmax-lambda", "lambda-0,seed-1", "timing.json");
    ck_assert_int_eq(unlink(path), 0);
    free(path);
    StudyResults s;
    ck_assert_msg(study_results_load(&s, results, e, 0, err) == 0, "%s", err);
    ck_assert(isnan(s.runs[0].wall_seconds));
    study_results_release(&s);
    path = fake_join(results, "softmax-lambda", "lambda-0,seed-2", NULL);
    tu_rmtree(path);
    ck_assert_int_eq(study_results_load(&s, results, e, 0, err), -1);
    ck_assert_msg(strstr(err, "run 'lambda-0,seed-2' of") != NULL, "%s", err);
    ck_assert_msg(strstr(err, "not finished") != NULL, "%s", err);
    free(path);
    experiment_free(e);
    tu_rmtree(expdir);
    free(expdir);
    free(results);
}
END_TEST

Suite *results_suite(void);
Suite *results_suite(void)
{
    Suite *s = suite_create("results");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_softmax_study_loads);
    tcase_add_test(tc, test_mlp_groups_labels_divergence);
    tcase_add_test(tc, test_no_sweep_and_diverged_softmax);
    tcase_add_test(tc, test_metric_names);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_loop_test(tc, test_corrupt_files, 0, (int)(sizeof CORRUPT / sizeof CORRUPT[0]));
    tcase_add_test(tc, test_missing_timing_is_fine_missing_run_is_not);
    suite_add_tcase(s, tc);
    return s;
}
