#include "err.h"
#include "rundir.h"
#include "testutil.h"
#include "trainer.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A softmax run of 3 epochs of 4 minibatches that diverged in epoch 3 after
 * `extra` finite minibatches (0: it did not diverge). */
static void diverged_softmax(RunConfig *cfg, TrainResult *r, EpochStats *epochs, IterStats *iters,
                             size_t extra)
{
    runconfig_defaults(cfg, MODEL_SOFTMAX);
    cfg->max_epoch = 3;
    memset(r, 0, sizeof *r);
    r->epochs = epochs;
    r->iters = iters;
    r->iters_per_epoch = 4;
    r->n_epochs = extra ? 2 : 3;
    r->n_iters = r->n_epochs * 4 + extra;
    for (size_t e = 0; e < r->n_epochs; e++) {
        epochs[e] = (EpochStats){.epoch = e + 1, .train_loss = 1.0 / (double)(e + 1),
                                 .train_acc = 0.5, .has_full = 1, .full_train_loss = 0.25,
                                 .full_train_acc = 0.75, .test_loss = 0.5, .test_acc = 0.625,
                                 .n_weight_norms = 1, .weight_norm = {1.5}};
    }
    for (size_t i = 0; i < r->n_iters; i++)
        iters[i] = (IterStats){.loss = 2.0f - 0.125f * (float)i, .acc = 0.25f};
    r->train_count = 600;
    r->test_count = 100;
    r->diverged = extra != 0;
    r->diverged_epoch = extra ? 3 : 0;
    r->diverged_iteration = extra ? r->n_iters + 1 : 0;
    r->last_batch_loss = iters[r->n_iters - 1].loss;
    r->last_batch_acc = 0.25;
    r->train_flops = 1e6;
}

/* What the writer writes, the reader reads back: also a softmax run that
 * diverged inside an epoch, whose iterations.csv holds more rows than its
 * completed epochs (summary.json's "iterations" counts the rows). */
START_TEST(test_written_runs_read_back)
{
    char err[ERR_MAX] = "", *dir = tu_tmpdir();
    ck_assert_ptr_nonnull(dir);
    EpochStats epochs[3];
    IterStats iters[12];
    RunConfig cfg;
    TrainResult r;
    diverged_softmax(&cfg, &r, epochs, iters, (size_t)_i);
    RunMeta meta = {"mnist", "softmax-lr", "learning_rate-0.5,seed-1", "00"};
    ck_assert_msg(rundir_write(dir, &meta, &cfg, &r, err) == 0, "%s", err);
    ck_assert_msg(rundir_write_timing(dir, 2.5, 2.0, NULL, "scalar", "x86_64", NULL, err) == 0, "%s", err);
    RunResult got;
    ck_assert_msg(run_result_load(&got, dir, RESULTS_ITERATIONS, err) == 0, "%s", err);
    ck_assert_uint_eq(got.n_iters, r.n_iters);
    ck_assert_uint_eq(got.n_epochs, r.n_epochs);
    ck_assert_int_eq(got.status, _i ? RUN_DIVERGED : RUN_OK);
    ck_assert(runconfig_diff(&got.config, &cfg, 0) == NULL);
    ck_assert_str_eq(got.sweep_key[0], "learning_rate");
    ck_assert_str_eq(got.sweep_value[0], "0.5");
    ck_assert(got.final[METRIC_TEST_ACC] == 0.625);
    ck_assert(isnan(got.final[METRIC_VAL_ACC]));
    ck_assert(got.iters[r.n_iters - 1].loss == (double)iters[r.n_iters - 1].loss);
    ck_assert(got.wall_seconds == 2.5);
    run_result_release(&got);

    RunTiming t;
    ck_assert_int_eq(rundir_read_timing(dir, &t, err), 0);
    ck_assert(t.present);
    ck_assert_str_eq(t.isa, "scalar");
    ck_assert_str_eq(t.machine, "x86_64");
    ck_assert_int_eq(rundir_clear(dir, err), 0);
    ck_assert_int_eq(rundir_read_timing(dir, &t, err), 0);
    ck_assert(!t.present && isnan(t.wall_seconds));
    ck_assert_int_eq(run_result_load(&got, dir, 0, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "summary.json"));
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(test_names)
{
    ck_assert_str_eq(rundir_file_name(RUN_SUMMARY), "summary.json");
    ck_assert_str_eq(rundir_file_name(RUN_ITERATIONS), "iterations.csv");
    ck_assert_str_eq(rundir_file_name(RUN_TIMING), "timing.json");
    ck_assert_int_eq(RUN_RESULT_FILES, 3);
    ck_assert_str_eq(metric_name(METRIC_LAST_BATCH_ACC), "last_batch_acc");
    ck_assert_str_eq(run_status_name(RUN_DIVERGED), "diverged");
    /* the epochs.csv header is "epoch" and the epoch metrics, in Metric order */
    char want[256] = "epoch";
    for (int m = 0; m < RESULTS_EPOCH_METRICS; m++) {
        strcat(want, ",");
        strcat(want, metric_name((Metric)m));
    }
    ck_assert_str_eq(want, RUNDIR_EPOCHS_HEADER);
}
END_TEST

Suite *rundir_suite(void);
Suite *rundir_suite(void)
{
    Suite *s = suite_create("rundir");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_written_runs_read_back, 0, 3);
    tcase_add_test(tc, test_names);
    suite_add_tcase(s, tc);
    return s;
}
