/* The trainer end to end on a synthetic dataset: learning happens, results are
 * the same bytes when a run is repeated or run on another kernel path, the
 * splits follow the homework (README.md, "The homework"), and a diverging run is recorded, not a crash. */
#include "trainer.h"

#include "atomic.h"
#include "err.h"
#include "gemm.h"
#include "mlp.h"
#include "rng.h"
#include "rundir.h"
#include "sha256.h"
#include "softmax.h"
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
    c.batch_size = 64; /* 600 / 64 = 9 full minibatches an epoch, 24 images unused */
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
    ck_assert_msg(rundir_write(out, &meta, cfg, res, err) == 0, "%s", err);
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
    ck_assert_uint_eq(r.iters_per_epoch, 9);
    ck_assert_uint_eq(r.n_iters, 27);
    ck_assert_uint_eq(r.train_count, 600);
    ck_assert_uint_eq(r.val_count, 0);
    ck_assert(r.epochs[2].train_loss < r.epochs[0].train_loss);
    ck_assert(r.epochs[2].full_train_acc > 0.5);
    ck_assert(r.epochs[2].has_full && !r.epochs[2].has_val);
    /* the last minibatch figures are those of the final iteration */
    ck_assert_float_eq_tol(r.last_batch_loss, r.iters[26].loss, 1e-6);
    /* 4 n * 144 * 10 FLOPs per step, over 9 * 64 = 576 images an epoch */
    ck_assert_double_eq(r.train_flops, 3.0 * 4.0 * 576 * 144 * 10);
    char *p = tu_path(out, "iterations.csv");
    size_t n;
    char *text = tu_read(p, &n);
    ck_assert_ptr_nonnull(strstr(text, "iteration,epoch,loss,acc\n1,1,"));
    ck_assert_ptr_nonnull(strstr(text, "\n27,3,"));
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
    /* validation and the whole training split are both scored after each epoch */
    ck_assert(r.epochs[0].has_val && r.epochs[0].has_full);
    ck_assert(r.epochs[2].val_acc > 0.3);
    ck_assert(r.epochs[2].full_train_acc > 0.3 && r.epochs[2].full_train_acc <= 1.0);
    /* two hidden layers: three weight matrices, each with a norm; a CPU time per epoch */
    ck_assert_uint_eq(r.epochs[2].n_weight_norms, 3);
    for (size_t k = 0; k < 3; k++)
        ck_assert(r.epochs[2].weight_norm[k] > 0.0);
    ck_assert(r.epochs[2].cpu_seconds >= 0.0);
    char *p = tu_path(out, "epochs.csv");
    size_t n;
    char *text = tu_read(p, &n);
    /* every cell is filled: no empty cell for this network */
    ck_assert_ptr_nonnull(strstr(text, "\n1,"));
    ck_assert_ptr_null(strstr(text, ",,"));
    free(text);
    free(p);
    p = tu_path(out, "iterations.csv");
    ck_assert_ptr_null(tu_read(p, &n));
    free(p);
    free(out);
    trainresult_release(&r);
}
END_TEST

/* Weight decay shrinks the weights: with a decay that dominates the data's
 * gradient every layer's norm falls from epoch to epoch, and ends below the
 * same run's without decay. */
START_TEST(test_weight_norms_follow_the_decay)
{
    RunConfig c = mlp_cfg();
    c.n_hidden = 1;
    c.weight_decay = 2.0;
    c.max_epoch = 3;
    TrainResult decay, none;
    char err[ERR_MAX];
    ck_assert_msg(train_run(&c, &data, &decay, NULL, NULL, err) == 0, "%s", err);
    c.weight_decay = 0.0;
    ck_assert_msg(train_run(&c, &data, &none, NULL, NULL, err) == 0, "%s", err);
    ck_assert_uint_eq(decay.epochs[0].n_weight_norms, 2);
    for (size_t k = 0; k < 2; k++) {
        for (size_t e = 1; e < 3; e++)
            ck_assert(decay.epochs[e].weight_norm[k] < decay.epochs[e - 1].weight_norm[k]);
        ck_assert(decay.epochs[2].weight_norm[k] < none.epochs[2].weight_norm[k]);
    }
    char *out = tu_path(dir, "one-hidden");
    RunMeta meta = {"synthetic", "study", "one-hidden", data.sha256};
    ck_assert_int_eq(make_dirs(out, err), 0);
    ck_assert_msg(rundir_write(out, &meta, &c, &none, err) == 0, "%s", err);
    char *p = tu_path(out, "epochs.csv");
    size_t n;
    char *text = tu_read(p, &n);
    /* one hidden layer: the third weight norm's cell is empty on every row */
    ck_assert_ptr_nonnull(strstr(text, ",\n2,"));
    free(text);
    free(p);
    free(out);
    trainresult_release(&decay);
    trainresult_release(&none);
}
END_TEST

/* holdout: the softmax trains on the first 11/12 and scores the last 1/12
 * after each epoch; without it there is no validation set. */
START_TEST(test_softmax_holdout)
{
    RunConfig c = softmax_cfg();
    TrainResult held, all;
    char err[ERR_MAX];
    ck_assert_msg(train_run(&c, &data, &all, NULL, NULL, err) == 0, "%s", err);
    c.holdout = 1;
    ck_assert_msg(train_run(&c, &data, &held, NULL, NULL, err) == 0, "%s", err);
    ck_assert_uint_eq(all.train_count, 600);
    ck_assert_uint_eq(all.val_count, 0);
    ck_assert(!all.epochs[0].has_val && all.epochs[0].has_full);
    ck_assert_uint_eq(held.train_count, 550);
    ck_assert_uint_eq(held.val_count, 50);
    ck_assert_uint_eq(held.iters_per_epoch, 550 / 64);
    ck_assert(held.epochs[2].has_val && held.epochs[2].val_acc > 0.3);
    ck_assert_uint_eq(held.epochs[2].n_weight_norms, 1);
    double val_acc = held.epochs[2].val_acc;
    trainresult_release(&held);
    char *out = run_to(&c, "holdout", &held);
    ck_assert(held.epochs[2].val_acc == val_acc);
    RunResult back;
    ck_assert_msg(run_result_load(&back, out, 0, err) == 0, "%s", err);
    ck_assert(back.config.holdout);
    ck_assert(back.final[METRIC_VAL_ACC] == held.epochs[2].val_acc);
    run_result_release(&back);
    free(out);
    trainresult_release(&held);
    trainresult_release(&all);
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

START_TEST(test_rundir_clear_removes_old_and_temporary_files)
{
    char err[ERR_MAX];
    char *out = tu_path(dir, "old");
    ck_assert_int_eq(make_dirs(out, err), 0);
    char *s = tu_path(out, "summary.json"), *t = tu_path(out, ".epochs.csv.tmp.123");
    tu_write(s, "{}", 2);
    tu_write(t, "x", 1);
    ck_assert_int_eq(rundir_clear(out, err), 0);
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


/* ---- the homework's protocol, image by image ------------------------------ */

/* A tiny dataset of its own, and a frozen copy of a run's model: at learning
 * rate 0 the weights never move from their initial draw, so the model rebuilt
 * from the run's seed scores any rows exactly as the run scored them, and each
 * figure the run recorded names the images it used. */
typedef struct {
    char *dir;
    Data data;
    RunConfig cfg;
    SoftmaxModel *sm;
    Mlp *mlp;
    Prep prep;
    float *x;
    uint8_t *labels;
} Frozen;

static void frozen_open(Frozen *f, size_t n_train, size_t n_test, const RunConfig *cfg)
{
    char err[ERR_MAX];
    memset(f, 0, sizeof *f);
    f->dir = tu_tmpdir();
    ck_assert_ptr_nonnull(f->dir);
    ck_assert_msg(synth_write(f->dir, n_train, n_test, 10, 1, 0, err) == 0, "%s", err);
    ck_assert_msg(data_load(&f->data, f->dir, err) == 0, "%s", err);
    f->cfg = *cfg;
    Rng init;
    rng_seed(&init, cfg->seed, RNG_STREAM_INIT);
    size_t pixels = 100, max = 256; /* 10 x 10 images */
    if (cfg->model == MODEL_SOFTMAX) {
        f->prep = PREP_SCALE;
        f->sm = softmax_model_new(pixels, IDX_CLASSES, max, &init, err);
        ck_assert_ptr_nonnull(f->sm);
    } else {
        f->prep = PREP_SCALE_CENTER;
        size_t hidden[MAX_HIDDEN];
        for (int l = 0; l < cfg->n_hidden; l++)
            hidden[l] = (size_t)cfg->hidden[l];
        f->mlp = mlp_new(pixels, hidden, (size_t)cfg->n_hidden, IDX_CLASSES, cfg->activation,
                         cfg->loss, max, &init, err);
        ck_assert_ptr_nonnull(f->mlp);
    }
    f->x = malloc(max * pixels * sizeof *f->x);
    f->labels = malloc(max);
    ck_assert(f->x && f->labels);
}

static void frozen_close(Frozen *f)
{
    softmax_model_free(f->sm);
    mlp_free(f->mlp);
    free(f->x);
    free(f->labels);
    data_release(&f->data);
    tu_rmtree(f->dir);
    free(f->dir);
}

/* The minibatch loss of the given file rows of set, as the training step
 * computes it (penalty included for the softmax). */
static double frozen_batch(Frozen *f, const IdxSet *set, const uint32_t *rows, size_t n,
                           size_t *correct)
{
    data_batch(f->x, f->labels, set, rows, n, f->prep);
    if (f->sm)
        return softmax_model_forward(f->sm, f->x, f->labels, n, f->cfg.lambda,
                                     f->cfg.as_reported, correct);
    return mlp_forward(f->mlp, f->x, f->labels, n, correct);
}

/* The summed per-image loss and the correct count over the given rows. */
static void frozen_score(Frozen *f, const IdxSet *set, const uint32_t *rows, size_t n,
                         double *sum, size_t *correct)
{
    char err[ERR_MAX];
    *sum = 0.0;
    *correct = 0;
    data_batch(f->x, f->labels, set, rows, n, f->prep);
    int rc = f->sm ? softmax_model_evaluate(f->sm, f->x, f->labels, n, sum, correct, err)
                   : mlp_evaluate(f->mlp, f->x, f->labels, n, sum, correct, err);
    ck_assert_msg(rc == 0, "%s", err);
}

static void rows_from(uint32_t *rows, size_t first, size_t n)
{
    for (size_t i = 0; i < n; i++)
        rows[i] = (uint32_t)(first + i);
}

static RunConfig frozen_softmax_cfg(void)
{
    RunConfig c = softmax_cfg();
    c.learning_rate = 0.0; /* frozen: see Frozen */
    c.batch_size = 4;
    c.max_epoch = 3;
    c.lambda = 0.3;
    return c;
}

START_TEST(test_softmax_drops_the_tail_and_reshuffles_each_pass)
{
    /* 26 training images at batch 4: 6 full minibatches an epoch, images 24
     * and 25 unused in the first (file order) pass, the set reshuffled for
     * each later epoch */
    RunConfig c = frozen_softmax_cfg();
    Frozen f;
    frozen_open(&f, 26, 70, &c);
    TrainResult r;
    char err[ERR_MAX];
    ck_assert_msg(train_run(&c, &f.data, &r, NULL, NULL, err) == 0, "%s", err);
    ck_assert_uint_eq(r.iters_per_epoch, 6);
    ck_assert_uint_eq(r.n_iters, 18);
    static const uint32_t epoch1[6][4] = {{0, 1, 2, 3},     {4, 5, 6, 7},     {8, 9, 10, 11},
                                          {12, 13, 14, 15}, {16, 17, 18, 19}, {20, 21, 22, 23}};
    Rng shuffle;
    rng_seed(&shuffle, c.seed, RNG_STREAM_SHUFFLE);
    uint32_t perm[26];
    double distinct = NAN;
    for (size_t e = 0; e < 3; e++) {
        if (e > 0) {
            for (uint32_t i = 0; i < 26; i++)
                perm[i] = i;
            rng_shuffle(&shuffle, perm, 26);
        }
        for (size_t k = 0; k < 6; k++) {
            const uint32_t *rows = e == 0 ? epoch1[k] : perm + 4 * k;
            size_t correct;
            double loss = frozen_batch(&f, &f.data.train, rows, 4, &correct);
            const IterStats *it = &r.iters[e * 6 + k];
            ck_assert_msg(it->loss == (float)loss, "epoch %zu batch %zu: loss %.9g, want %.9g",
                          e + 1, k, it->loss, loss);
            ck_assert_float_eq(it->acc, (float)((double)correct / 4.0));
            if (e == 1 && k == 0)
                distinct = loss;
        }
    }
    /* the check can tell the orders apart: epoch 2 does not begin like epoch 1 */
    size_t unused;
    ck_assert(distinct != frozen_batch(&f, &f.data.train, epoch1[0], 4, &unused));
    trainresult_release(&r);

    /* every image: 7 minibatches an epoch, the last of 2 images (24, 25) */
    c.protocol = PROTOCOL_EVERY_IMAGE;
    ck_assert_msg(train_run(&c, &f.data, &r, NULL, NULL, err) == 0, "%s", err);
    ck_assert_uint_eq(r.iters_per_epoch, 7);
    uint32_t tail[2] = {24, 25};
    size_t correct;
    double loss = frozen_batch(&f, &f.data.train, tail, 2, &correct);
    ck_assert(r.iters[6].loss == (float)loss);
    trainresult_release(&r);
    frozen_close(&f);
}
END_TEST

START_TEST(test_softmax_test_scores_whole_batches_over_the_whole_set)
{
    /* 70 test images at batch 4: 70 / 4 = 17 minibatches, images 0..67; the
     * correct count is divided by 70, the loss is the mean over the 68 */
    RunConfig c = frozen_softmax_cfg();
    Frozen f;
    frozen_open(&f, 26, 70, &c);
    TrainResult r;
    char err[ERR_MAX];
    ck_assert_msg(train_run(&c, &f.data, &r, NULL, NULL, err) == 0, "%s", err);
    uint32_t rows[70];
    rows_from(rows, 0, 70);
    double sum68, sum70;
    size_t c68, c70;
    frozen_score(&f, &f.data.test, rows, 68, &sum68, &c68);
    frozen_score(&f, &f.data.test, rows, 70, &sum70, &c70);
    ck_assert_uint_gt(c68, 0); /* so that the divisor shows */
    for (size_t e = 0; e < 3; e++) {
        ck_assert_double_eq(r.epochs[e].test_acc, (double)c68 / 70.0);
        ck_assert_double_eq(r.epochs[e].test_loss, sum68 / 68.0);
    }
    trainresult_release(&r);
    c.protocol = PROTOCOL_EVERY_IMAGE;
    ck_assert_msg(train_run(&c, &f.data, &r, NULL, NULL, err) == 0, "%s", err);
    ck_assert_double_eq(r.epochs[0].test_acc, (double)c70 / 70.0);
    ck_assert_double_eq(r.epochs[0].test_loss, sum70 / 70.0);
    trainresult_release(&r);
    frozen_close(&f);
}
END_TEST

static RunConfig frozen_mlp_cfg(void)
{
    RunConfig c = mlp_cfg();
    c.learning_rate = 0.0;
    c.batch_size = 4;
    c.max_epoch = 3;
    c.n_hidden = 1;
    c.hidden[0] = 8;
    c.hidden[1] = 0;
    return c;
}

START_TEST(test_mlp_batches_straddle_epochs)
{
    /* 60 training-file images: 55 train, 5 validate. At batch 4 an epoch is
     * 55 / 4 = 13 minibatches (52 images) of the training rows repeated, so
     * epoch 2 begins with rows 52, 53, 54, 0 and epoch 3 with 49, 50, 51, 52 */
    RunConfig c = frozen_mlp_cfg();
    Frozen f;
    frozen_open(&f, 60, 70, &c);
    TrainResult r;
    char err[ERR_MAX];
    ck_assert_msg(train_run(&c, &f.data, &r, NULL, NULL, err) == 0, "%s", err);
    ck_assert_uint_eq(r.train_count, 55);
    ck_assert_uint_eq(r.val_count, 5);
    ck_assert_uint_eq(r.iters_per_epoch, 13);
    static const uint32_t first_of[3][4] = {{0, 1, 2, 3}, {52, 53, 54, 0}, {49, 50, 51, 52}};
    size_t pos = 0; /* position in the repeated training rows */
    double epoch_loss[3];
    for (size_t e = 0; e < 3; e++) {
        double loss_sum = 0.0, acc_sum = 0.0;
        for (size_t k = 0; k < 13; k++) {
            uint32_t rows[4];
            for (size_t i = 0; i < 4; i++)
                rows[i] = (uint32_t)((pos + i) % 55);
            pos += 4;
            if (k == 0)
                ck_assert(memcmp(rows, first_of[e], sizeof rows) == 0);
            size_t correct;
            loss_sum += frozen_batch(&f, &f.data.train, rows, 4, &correct);
            acc_sum += (double)correct / 4.0;
        }
        epoch_loss[e] = loss_sum / 13.0;
        ck_assert_msg(r.epochs[e].train_loss == epoch_loss[e], "epoch %zu: %.17g, want %.17g",
                      e + 1, r.epochs[e].train_loss, epoch_loss[e]);
        ck_assert_double_eq(r.epochs[e].train_acc, acc_sum / 13.0);
    }
    /* the check can tell a restart at row 0 from the stream */
    ck_assert(epoch_loss[1] != epoch_loss[0]);
    trainresult_release(&r);
    frozen_close(&f);
}
END_TEST

START_TEST(test_mlp_validation_window_drifts)
{
    /* 5 validation rows (55..59) at batch 4: one minibatch after each epoch,
     * read on from where the last one stopped */
    RunConfig c = frozen_mlp_cfg();
    Frozen f;
    frozen_open(&f, 60, 70, &c);
    TrainResult r;
    char err[ERR_MAX];
    ck_assert_msg(train_run(&c, &f.data, &r, NULL, NULL, err) == 0, "%s", err);
    static const uint32_t window[3][4] = {{55, 56, 57, 58}, {59, 55, 56, 57}, {58, 59, 55, 56}};
    double loss[3];
    for (size_t e = 0; e < 3; e++) {
        double sum;
        size_t correct;
        frozen_score(&f, &f.data.train, window[e], 4, &sum, &correct);
        loss[e] = sum / 4.0;
        ck_assert(r.epochs[e].has_val);
        ck_assert_msg(r.epochs[e].val_loss == loss[e], "epoch %zu: %.17g, want %.17g", e + 1,
                      r.epochs[e].val_loss, loss[e]);
        ck_assert_double_eq(r.epochs[e].val_acc, (double)correct / 4.0);
    }
    ck_assert(loss[0] != loss[1] && loss[1] != loss[2]);
    trainresult_release(&r);
    /* every image: all 5 rows after every epoch */
    c.protocol = PROTOCOL_EVERY_IMAGE;
    ck_assert_msg(train_run(&c, &f.data, &r, NULL, NULL, err) == 0, "%s", err);
    uint32_t all[5];
    rows_from(all, 55, 5);
    double sum;
    size_t correct;
    frozen_score(&f, &f.data.train, all, 5, &sum, &correct);
    ck_assert_uint_eq(r.iters_per_epoch, 14);
    for (size_t e = 0; e < 3; e++)
        ck_assert(r.epochs[e].val_loss == sum / 5.0);
    trainresult_release(&r);
    frozen_close(&f);
}
END_TEST

START_TEST(test_mlp_test_is_the_mean_of_whole_batches)
{
    /* 70 test images at batch 4: the first 17 minibatches (images 0..67), the
     * mean of their accuracies, i.e. the correct count over 68 */
    RunConfig c = frozen_mlp_cfg();
    Frozen f;
    frozen_open(&f, 60, 70, &c);
    TrainResult r;
    char err[ERR_MAX];
    ck_assert_msg(train_run(&c, &f.data, &r, NULL, NULL, err) == 0, "%s", err);
    double mean_of_batches = 0.0, sum68 = 0.0;
    size_t c68 = 0;
    for (size_t k = 0; k < 17; k++) {
        uint32_t rows[4];
        rows_from(rows, 4 * k, 4);
        double s;
        size_t correct;
        frozen_score(&f, &f.data.test, rows, 4, &s, &correct);
        mean_of_batches += (double)correct / 4.0 / 17.0;
        sum68 += s;
        c68 += correct;
    }
    ck_assert_uint_gt(c68, 0);
    uint32_t all[70];
    rows_from(all, 0, 70);
    double sum70;
    size_t c70;
    frozen_score(&f, &f.data.test, all, 70, &sum70, &c70);
    ck_assert(c68 * 70 != c70 * 68); /* the two protocols give different figures here */
    ck_assert_double_eq(r.epochs[2].test_acc, (double)c68 / 68.0);
    ck_assert_double_eq_tol(r.epochs[2].test_acc, mean_of_batches, 1e-12);
    ck_assert_double_eq_tol(r.epochs[2].test_loss, sum68 / 68.0, 1e-12);
    trainresult_release(&r);
    c.protocol = PROTOCOL_EVERY_IMAGE;
    ck_assert_msg(train_run(&c, &f.data, &r, NULL, NULL, err) == 0, "%s", err);
    ck_assert_double_eq(r.epochs[2].test_acc, (double)c70 / 70.0);
    trainresult_release(&r);
    frozen_close(&f);
}
END_TEST

START_TEST(test_homework_needs_one_full_batch_of_each_set)
{
    char err[ERR_MAX];
    RunConfig c = frozen_mlp_cfg();
    c.batch_size = 6; /* 5 validation images: no full minibatch */
    Frozen f;
    frozen_open(&f, 60, 70, &c);
    TrainResult r;
    ck_assert_int_eq(train_run(&c, &f.data, &r, NULL, NULL, err), -1);
    ck_assert_str_eq(err, "train: batch 6 is more than the 5 validation images (the homework's "
                          "protocol takes full batches only)");
    trainresult_release(&r);
    c.protocol = PROTOCOL_EVERY_IMAGE;
    ck_assert_msg(train_run(&c, &f.data, &r, NULL, NULL, err) == 0, "%s", err);
    trainresult_release(&r);
    frozen_close(&f);
}
END_TEST

/* epochs.csv as the trainer wrote it before the weight norms and the MLP's
 * whole-training-set columns: the last RESULTS_WEIGHT_NORMS cells of each
 * line dropped and, with clear_full, cells 3 and 4 (full_train_*) of each
 * row after the header emptied. In place; returns the new length. */
static size_t old_epochs_csv(char *text, int clear_full)
{
    char *out = text;
    const char *line = text;
    for (int row = 0; *line; row++) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        int cells = 1;
        for (size_t i = 0; i < len; i++)
            cells += line[i] == ',';
        int keep = cells - RESULTS_WEIGHT_NORMS, cell = 0;
        for (size_t i = 0; i < len; i++) {
            if (line[i] == ',' && ++cell == keep)
                break;
            if (!(clear_full && row > 0 && (cell == 3 || cell == 4) && line[i] != ','))
                *out++ = line[i];
        }
        *out++ = '\n';
        line += len + (end ? 1 : 0);
    }
    *out = '\0';
    return (size_t)(out - text);
}

/* The SHA-256 of dir/name as hex; with old_csv, of old_epochs_csv(text, mlp). */
static void file_sha(const char *run_dir, const char *name, char *hex, int old_csv, int mlp)
{
    char *p = tu_path(run_dir, name);
    size_t n;
    char *text = tu_read(p, &n);
    ck_assert_ptr_nonnull(text);
    if (old_csv)
        n = old_epochs_csv(text, mlp);
    Sha256 *s = sha256_new();
    ck_assert_ptr_nonnull(s);
    sha256_update(s, text, n);
    sha256_final(s, hex);
    sha256_free(s);
    free(text);
    free(p);
}

START_TEST(test_dividing_batch_results_are_unchanged)
{
    /* At a batch size that divides every set (100 here, as for MNIST) the
     * homework's protocol and every image are one run, and the files are
     * those the trainer wrote before the protocol existed: the hashes below
     * come from that trainer (commit 9e43181) on this dataset and config,
     * taken of epochs.csv without the columns added since (old_epochs_csv). */
    char err[ERR_MAX];
    char *d = tu_path(dir, "div");
    ck_assert_msg(synth_write(d, 1200, 200, 12, 3, 0, err) == 0, "%s", err);
    Data div;
    ck_assert_msg(data_load(&div, d, err) == 0, "%s", err);
    RunConfig sm = softmax_cfg(), ml = mlp_cfg();
    sm.batch_size = ml.batch_size = 100;
    static const char *const want[3] = {
        "950c1301ecd827f9b8ce8befb36cbb659975afa0183d86005a77747899f5fda0", /* softmax epochs */
        "bb8833ba4fe4150e534624dac2dbf3a4991cbabf4d78a0c3973bc4172fe69ebe", /* iterations */
        "fa96184a2939ad4bacedeb457b011c094e499eb21bc8e09772c1cb939e572274", /* mlp epochs */
    };
    for (int p = 0; p < 2; p++) {
        RunConfig cfgs[2] = {sm, ml};
        for (int k = 0; k < 2; k++) {
            cfgs[k].protocol = p ? PROTOCOL_EVERY_IMAGE : PROTOCOL_HOMEWORK;
            TrainResult r;
            ck_assert_msg(train_run(&cfgs[k], &div, &r, NULL, NULL, err) == 0, "%s", err);
            char name[32];
            snprintf(name, sizeof name, "div-%d-%d", p, k);
            char *out = tu_path(dir, name);
            RunMeta meta = {"synthetic", "study", name, div.sha256};
            ck_assert_int_eq(make_dirs(out, err), 0);
            ck_assert_msg(rundir_write(out, &meta, &cfgs[k], &r, err) == 0, "%s", err);
            char hex[SHA256_HEX];
            file_sha(out, "epochs.csv", hex, 1, k);
            ck_assert_str_eq(hex, want[k ? 2 : 0]);
            if (k == 0) {
                file_sha(out, "iterations.csv", hex, 0, 0);
                ck_assert_str_eq(hex, want[1]);
            }
            trainresult_release(&r);
            free(out);
        }
    }
    data_release(&div);
    free(d);
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
    tcase_add_test(core, test_weight_norms_follow_the_decay);
    tcase_add_test(core, test_softmax_holdout);
    tcase_add_test(core, test_rundir_clear_removes_old_and_temporary_files);
    tcase_add_test(core, test_dividing_batch_results_are_unchanged);
    suite_add_tcase(s, core);
    TCase *protocol = tcase_create("protocol");
    tcase_set_timeout(protocol, 60);
    tcase_add_test(protocol, test_softmax_drops_the_tail_and_reshuffles_each_pass);
    tcase_add_test(protocol, test_softmax_test_scores_whole_batches_over_the_whole_set);
    tcase_add_test(protocol, test_mlp_batches_straddle_epochs);
    tcase_add_test(protocol, test_mlp_validation_window_drifts);
    tcase_add_test(protocol, test_mlp_test_is_the_mean_of_whole_batches);
    tcase_add_test(protocol, test_homework_needs_one_full_batch_of_each_set);
    suite_add_tcase(s, protocol);
    TCase *errors = tcase_create("errors");
    tcase_add_checked_fixture(errors, setup, teardown);
    tcase_add_test(errors, test_divergence_is_recorded);
    tcase_add_test(errors, test_nothing_to_train);
    suite_add_tcase(s, errors);
    return s;
}
