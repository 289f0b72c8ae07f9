/* The trainer end to end on a synthetic dataset: learning happens, results are
 * the same bytes when a run is repeated or run on another kernel path, the
 * splits follow the homework (README.md, "The homework"), and a diverging run is recorded, not a crash. */
#include "trainer.h"

#include "atomic.h"
#include "err.h"
#include "gemm.h"
#include "runlog.h"
#include "report/synth.h"
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static char *dir;
static Data data;

static void setup(void)
{
    char err[ERR_MAX];
    dir = tu_tmpdir();
    ck_assert_ptr_nonnull(dir);
    char *d = tu_path(dir, "data");
    ck_assert_msg(synth_write(d, 600, 120, 12, 3, 1, err) == 0, "%s", err);
    ck_assert_msg(data_load(&data, d, err) == 0, "%s", err);
    free(d);
}

static void teardown(void)
{
    data_release(&data);
    tu_rmtree(dir);
    free(dir);
}

static RunConfig softmax_cfg(void)
{
    RunConfig c;
    memset(&c, 0, sizeof c);
    c.model = MODEL_SOFTMAX;
    c.learning_rate = 0.1;
    c.batch_size = 64; /* 600 / 64: the last minibatch of each epoch is partial */
    c.max_epoch = 3;
    c.lambda = 0.01;
    c.seed = 5;
    return c;
}

static RunConfig mlp_cfg(void)
{
    RunConfig c;
    memset(&c, 0, sizeof c);
    c.model = MODEL_MLP;
    c.learning_rate = 0.1;
    c.batch_size = 50;
    c.max_epoch = 3;
    c.weight_decay = 0.001;
    c.n_hidden = 2;
    c.hidden[0] = 24;
    c.hidden[1] = 16;
    c.activation = ACT_RELU;
    c.loss = LOSS_CROSS_ENTROPY;
    c.seed = 2;
    return c;
}

/* Trains cfg and writes its files into dir/name; returns the run's directory. */
static char *run_to(const RunConfig *cfg, const char *name, TrainResult *res)
{
    char err[ERR_MAX];
    char *out = tu_path(dir, name);
    ck_assert_msg(train_run(cfg, &data, res, NULL, NULL, err) == 0, "%s", err);
    RunMeta meta = {"synthetic", "study", name, data.sha256};
    ck_assert_int_eq(make_dirs(out, err), 0);
    ck_assert_msg(runlog_write(out, &meta, cfg, res, err) == 0, "%s", err);
    return out;
}

static void assert_same_file(const char *a, const char *b, const char *name)
{
    char *pa = tu_path(a, name), *pb = tu_path(b, name);
    size_t na, nb;
    char *fa = tu_read(pa, &na), *fb = tu_read(pb, &nb);
    ck_assert_ptr_nonnull(fa);
    ck_assert_ptr_nonnull(fb);
    ck_assert_uint_eq(na, nb);
    ck_assert_msg(memcmp(fa, fb, na) == 0, "%s differs between %s and %s", name, a, b);
    free(fa);
    free(fb);
    free(pa);
    free(pb);
}

START_TEST(test_softmax_learns_and_logs_every_minibatch)
{
    RunConfig c = softmax_cfg();
    TrainResult r;
    char *out = run_to(&c, "a", &r);
    ck_assert_int_eq(r.diverged, 0);
    ck_assert_uint_eq(r.n_epochs, 3);
    ck_assert_uint_eq(r.iters_per_epoch, 10);
    ck_assert_uint_eq(r.n_iters, 30);
    ck_assert_uint_eq(r.train_count, 600);
    ck_assert_uint_eq(r.val_count, 0);
    ck_assert(r.epochs[2].train_loss < r.epochs[0].train_loss);
    ck_assert(r.epochs[2].test_acc > 0.5);
    ck_assert(r.epochs[2].has_full && !r.epochs[2].has_val);
    /* the last minibatch figures are those of the final iteration */
    ck_assert_float_eq_tol(r.last_batch_loss, r.iters[29].loss, 1e-6);
    /* 4 n * 144 * 10 FLOPs per step, over 600 images an epoch */
    ck_assert_double_eq(r.train_flops, 3.0 * 4.0 * 600 * 144 * 10);
    char *p = tu_path(out, "iterations.csv");
    size_t n;
    char *text = tu_read(p, &n);
    ck_assert_ptr_nonnull(strstr(text, "iteration,epoch,loss,acc\n1,1,"));
    ck_assert_ptr_nonnull(strstr(text, "\n30,3,"));
    free(text);
    free(p);
    p = tu_path(out, "summary.json");
    text = tu_read(p, &n);
    ck_assert_ptr_nonnull(strstr(text, "\"status\": \"ok\""));
    ck_assert_ptr_nonnull(strstr(text, "\"lambda\": 0.01"));
    ck_assert_ptr_nonnull(strstr(text, data.sha256));
    free(text);
    free(p);
    free(out);
    trainresult_release(&r);
}
END_TEST

START_TEST(test_repeated_runs_are_byte_identical)
{
    RunConfig configs[2] = {softmax_cfg(), mlp_cfg()};
    for (int k = 0; k < 2; k++) {
        TrainResult r1, r2;
        char *a = run_to(&configs[k], k ? "mlp1" : "sm1", &r1);
        char *b = run_to(&configs[k], k ? "mlp2" : "sm2", &r2);
        assert_same_file(a, b, "epochs.csv");
        if (k == 0)
            assert_same_file(a, b, "iterations.csv");
        trainresult_release(&r1);
        trainresult_release(&r2);
        free(a);
        free(b);
    }
}
END_TEST

START_TEST(test_every_kernel_path_gives_the_same_bytes)
{
    RunConfig configs[2] = {softmax_cfg(), mlp_cfg()};
    for (int k = 0; k < 2; k++) {
        char *first = NULL;
        for (Isa isa = ISA_SCALAR; isa < ISA_COUNT; isa++) {
            if (!isa_supported(isa))
                continue;
            ck_assert_int_eq(gemm_force(isa), 0);
            char name[64];
            snprintf(name, sizeof name, "%d-%s", k, isa_name(isa));
            TrainResult r;
            char *out = run_to(&configs[k], name, &r);
            trainresult_release(&r);
            if (!first) {
                first = out;
                continue;
            }
            assert_same_file(first, out, "epochs.csv");
            free(out);
        }
        free(first);
    }
    char err[ERR_MAX];
    ck_assert_int_eq(gemm_select(err), 0);
}
END_TEST

START_TEST(test_mlp_split_and_records)
{
    RunConfig c = mlp_cfg();
    TrainResult r;
    char *out = run_to(&c, "m", &r);
    /* 1/12 of the training file validates, as 5,000 of MNIST's 60,000 */
    ck_assert_uint_eq(r.val_count, 50);
    ck_assert_uint_eq(r.train_count, 550);
    ck_assert_uint_eq(r.iters_per_epoch, 11);
    ck_assert_ptr_null(r.iters);
    ck_assert(r.epochs[0].has_val && !r.epochs[0].has_full);
    ck_assert(r.epochs[2].val_acc > 0.3);
    char *p = tu_path(out, "epochs.csv");
    size_t n;
    char *text = tu_read(p, &n);
    /* full-training-set cells are empty for the mlp */
    ck_assert_ptr_nonnull(strstr(text, "\n1,"));
    ck_assert_ptr_nonnull(strstr(text, ",,,"));
    free(text);
    free(p);
    p = tu_path(out, "iterations.csv");
    ck_assert_ptr_null(tu_read(p, &n));
    free(p);
    free(out);
    trainresult_release(&r);
}
END_TEST

START_TEST(test_divergence_is_recorded)
{
    RunConfig c = mlp_cfg();
    c.learning_rate = 1e6;
    c.loss = LOSS_EUCLIDEAN;
    TrainResult r;
    char *out = run_to(&c, "div", &r);
    ck_assert_int_eq(r.diverged, 1);
    ck_assert_uint_ge(r.diverged_iteration, 2);
    ck_assert_uint_lt(r.n_epochs, 3);
    char *p = tu_path(out, "summary.json");
    size_t n;
    char *text = tu_read(p, &n);
    ck_assert_ptr_nonnull(strstr(text, "\"status\": \"diverged\""));
    ck_assert_ptr_nonnull(strstr(text, "\"diverged_epoch\": 1"));
    free(text);
    free(p);
    free(out);
    trainresult_release(&r);
}
END_TEST

START_TEST(test_runlog_clear_removes_old_and_temporary_files)
{
    char err[ERR_MAX];
    char *out = tu_path(dir, "old");
    ck_assert_int_eq(make_dirs(out, err), 0);
    char *s = tu_path(out, "summary.json"), *t = tu_path(out, ".epochs.csv.tmp.123");
    tu_write(s, "{}", 2);
    tu_write(t, "x", 1);
    ck_assert_int_eq(runlog_clear(out, err), 0);
    size_t n;
    ck_assert_ptr_null(tu_read(s, &n));
    ck_assert_ptr_null(tu_read(t, &n));
    free(s);
    free(t);
    free(out);
}
END_TEST

START_TEST(test_nothing_to_train)
{
    RunConfig c = softmax_cfg();
    c.max_epoch = 0;
    TrainResult r;
    char err[ERR_MAX];
    ck_assert_int_eq(train_run(&c, &data, &r, NULL, NULL, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "nothing to train"));
    trainresult_release(&r);
}
END_TEST

Suite *trainer_suite(void);
Suite *trainer_suite(void)
{
    Suite *s = suite_create("trainer");
    TCase *core = tcase_create("core");
    tcase_add_checked_fixture(core, setup, teardown);
    tcase_set_timeout(core, 120);
    tcase_add_test(core, test_softmax_learns_and_logs_every_minibatch);
    tcase_add_test(core, test_repeated_runs_are_byte_identical);
    tcase_add_test(core, test_every_kernel_path_gives_the_same_bytes);
    tcase_add_test(core, test_mlp_split_and_records);
    tcase_add_test(core, test_runlog_clear_removes_old_and_temporary_files);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_checked_fixture(errors, setup, teardown);
    tcase_add_test(errors, test_divergence_is_recorded);
    tcase_add_test(errors, test_nothing_to_train);
    suite_add_tcase(s, errors);
    return s;
}
