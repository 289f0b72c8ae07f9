/* Tests of the Part 2 multi-layer perceptrons: a hand-computed SGD step with
 * weight decay, central differences through whole networks with each
 * activation and loss, bit-identical results on every gemm path,
 * initialisation, and bad arguments. */
#include "mlp.h"

#include "err.h"
#include "gemm.h"
#include "rng.h"
#include "runconfig.h"

#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers -------------------------------------------------------------- */

static Mlp *new_mlp(size_t n_in, const size_t *hidden, size_t n_hidden, size_t n_out,
                    Activation act, LossKind loss, size_t max_batch, uint64_t seed)
{
    char err[ERR_MAX];
    Rng r;
    rng_seed(&r, seed, RNG_STREAM_INIT);
    Mlp *m = mlp_new(n_in, hidden, n_hidden, n_out, act, loss, max_batch, &r, err);
    ck_assert_msg(m != NULL, "%s", err);
    return m;
}


/* ---- hand-computed SGD step ----------------------------------------------- */

/* 2 -> 2 (ReLU) -> 2, Euclidean loss, N = 2, lr 0.1, wd 0.01:
 *
 *   W1 = [[1 -1], [0.5 2]]  b1 = [0 0.5]    W2 = [[1 0.5], [-1 1]]  b2 = [0.1 -0.2]
 *   x1 = [1 2] label 1 (t = [0 1])          x2 = [2 -1] label 0 (t = [1 0])
 *
 *   z1 = [1+1+0, -1+4+0.5] = [2 3.5]        a1 = [2 3.5]
 *   z2 = [2-0.5, -2-2+0.5] = [1.5 -3.5]     a2 = [1.5 0]   (ReLU cuts unit 1)
 *   y1 = [2-3.5+0.1, 1+3.5-0.2] = [-1.4 4.3]
 *   y2 = [1.5+0.1, 0.75-0.2]    = [1.6 0.55]
 *   loss = 1/2 * (1/2 (1.96 + 10.89) + 1/2 (0.36 + 0.3025)) = 3.378125
 *   correct: argmax y1 = 1, argmax y2 = 0: both
 *
 *   dy = (y - t)/2 = [[-0.7 1.65], [0.3 0.275]]
 *   dW2 = a^T dy = [[2(-0.7)+1.5(0.3), 2(1.65)+1.5(0.275)], [3.5(-0.7), 3.5(1.65)]]
 *       = [[-0.95 3.7125], [-2.45 5.775]]      db2 = [-0.4 1.925]
 *   da = dy W2^T = [[-0.7+0.825, 0.7+1.65], [0.3+0.1375, -0.3+0.275]]
 *       = [[0.125 2.35], [0.4375 -0.025]]
 *   dz = da * (z > 0) = [[0.125 2.35], [0.4375 0]]
 *   dW1 = x^T dz = [[0.125+0.875, 2.35], [0.25-0.4375, 4.7]]
 *       = [[1 2.35], [-0.1875 4.7]]            db1 = [0.5625 2.35]
 *
 *   W -= 0.1 (dW + 0.01 W);  b -= 0.1 db:
 *   W1' = [[1-0.101, -1-0.234], [0.5+0.01825, 2-0.472]] = [[0.899 -1.234], [0.51825 1.528]]
 *   b1' = [-0.05625 0.265]
 *   W2' = [[1+0.094, 0.5-0.37175], [-1+0.246, 1-0.5785]] = [[1.094 0.12825], [-0.754 0.4215]]
 *   b2' = [0.14 -0.3925] */
START_TEST(test_hand_computed_sgd_step)
{
    const size_t hidden[1] = {2};
    Mlp *m = new_mlp(2, hidden, 1, 2, ACT_RELU, LOSS_EUCLIDEAN, 2, 1);
    ck_assert_uint_eq(mlp_param_count(m), 12);
    const float init[12] = {1, -1, 0.5f, 2, 0, 0.5f, 1, 0.5f, -1, 1, 0.1f, -0.2f};
    memcpy(mlp_params(m), init, sizeof init);
    const float x[4] = {1, 2, 2, -1};
    const uint8_t labels[2] = {1, 0};
    size_t correct = 0;
    double loss = mlp_forward(m, x, labels, 2, &correct);
    ck_assert_double_eq_tol(loss, 3.378125, 1e-6);
    ck_assert_uint_eq(correct, 2);
    const float y[4] = {-1.4f, 4.3f, 1.6f, 0.55f};
    for (size_t i = 0; i < 4; i++)
        ck_assert_float_eq_tol(mlp_outputs(m)[i], y[i], 1e-6f);

    mlp_backward(m, x);
    const float grads[12] = {1, 2.35f, -0.1875f, 4.7f, 0.5625f, 2.35f,
                             -0.95f, 3.7125f, -2.45f, 5.775f, -0.4f, 1.925f};
    for (size_t i = 0; i < 12; i++)
        ck_assert_msg(fabsf(mlp_grads(m)[i] - grads[i]) <= 1e-6f, "grad %zu: %.9g", i,
                      (double)mlp_grads(m)[i]);

    mlp_sgd(m, 0.1f, 0.01f);
    const float after[12] = {0.899f, -1.234f, 0.51825f, 1.528f, -0.05625f, 0.265f,
                             1.094f, 0.12825f, -0.754f, 0.4215f, 0.14f, -0.3925f};
    for (size_t i = 0; i < 12; i++)
        ck_assert_msg(fabsf(mlp_params(m)[i] - after[i]) <= 1e-6f, "param %zu: %.9g", i,
                      (double)mlp_params(m)[i]);
    mlp_free(m);
}
END_TEST

START_TEST(test_layout_and_offsets)
{
    const size_t hidden[2] = {7, 5};
    Mlp *m = new_mlp(4, hidden, 2, 3, ACT_SIGMOID, LOSS_CROSS_ENTROPY, 8, 2);
    ck_assert_uint_eq(mlp_layer_count(m), 3);
    const size_t want[3][4] = {{4, 7, 0, 28}, {7, 5, 35, 70}, {5, 3, 75, 90}};
    for (size_t l = 0; l < 3; l++) {
        MlpLayer at = mlp_layer(m, l);
        ck_assert_uint_eq(at.in, want[l][0]);
        ck_assert_uint_eq(at.out, want[l][1]);
        ck_assert_uint_eq(at.w, want[l][2]);
        ck_assert_uint_eq(at.b, want[l][3]);
    }
    ck_assert_uint_eq(mlp_param_count(m), 93);
    ck_assert_uint_eq(mlp_max_batch(m), 8);
    for (size_t i = 0; i < 93; i++)
        ck_assert_float_eq(mlp_grads(m)[i], 0.0f);
    mlp_free(m);
}
END_TEST

START_TEST(test_sgd_decays_weights_not_biases)
{
    const size_t hidden[1] = {3};
    Mlp *m = new_mlp(2, hidden, 1, 2, ACT_RELU, LOSS_CROSS_ENTROPY, 1, 3);
    size_t count = mlp_param_count(m);
    float before[17];
    ck_assert_uint_eq(count, 17);
    memcpy(before, mlp_params(m), sizeof before);
    /* gradients are 0 after creation: only the decay moves anything */
    mlp_sgd(m, 0.5f, 0.1f);
    for (size_t l = 0; l < mlp_layer_count(m); l++) {
        MlpLayer at = mlp_layer(m, l);
        for (size_t i = at.w; i < at.b; i++) {
            float decay = 0.1f * before[i];
            float g = 0.0f + decay;
            float step = 0.5f * g;
            float want = before[i] - step;
            ck_assert_msg(memcmp(&want, &mlp_params(m)[i], sizeof want) == 0, "w %zu", i);
            ck_assert(mlp_params(m)[i] != before[i]);
        }
        for (size_t i = at.b; i < at.b + at.out; i++)
            ck_assert_msg(memcmp(&before[i], &mlp_params(m)[i], sizeof before[i]) == 0,
                          "b %zu", i);
    }
    mlp_free(m);
}
END_TEST

START_TEST(test_backward_overwrites)
{
    enum { N = 5, IN = 6 };
    const size_t hidden[2] = {4, 3};
    Mlp *m = new_mlp(IN, hidden, 2, 3, ACT_SIGMOID, LOSS_CROSS_ENTROPY, N, 4);
    Rng r;
    rng_seed(&r, 4, 9);
    float x[N * IN];
    uint8_t labels[N];
    tu_fill_normal(x, N * IN, 1.0f, &r);
    tu_fill_labels(labels, N, 3, &r);
    size_t correct, count = mlp_param_count(m);
    mlp_forward(m, x, labels, N, &correct);
    mlp_backward(m, x);
    float *first = malloc(count * sizeof *first);
    ck_assert(first != NULL);
    memcpy(first, mlp_grads(m), count * sizeof *first);
    mlp_backward(m, x);
    ck_assert_int_eq(memcmp(first, mlp_grads(m), count * sizeof *first), 0);
    free(first);
    mlp_free(m);
}
END_TEST

/* ---- gradient checks through whole networks ------------------------------ */

enum { GN = 4, GIN = 5, GOUT = 3 };

typedef struct {
    Mlp *m;
    float x[GN * GIN];
    uint8_t labels[GN];
} GradCase;

static double network_loss(void *ctx)
{
    GradCase *c = ctx;
    size_t correct;
    return mlp_forward(c->m, c->x, c->labels, GN, &correct);
}

/* A ReLU kink within reach of a 1e-3 step would spoil the central difference;
 * the smallest |pre-activation| of the hidden layers, by recomputing them. */
static double smallest_hidden_preactivation(GradCase *c)
{
    Mlp *m = c->m;
    size_t layers = mlp_layer_count(m);
    float a[GN * 64], z[GN * 64];
    memcpy(a, c->x, sizeof c->x);
    size_t width = GIN;
    double smallest = INFINITY;
    for (size_t l = 0; l + 1 < layers; l++) {
        MlpLayer at = mlp_layer(m, l);
        ck_assert(at.in == width && at.out <= 64);
        const float *w = mlp_params(m) + at.w, *b = mlp_params(m) + at.b;
        for (size_t i = 0; i < GN; i++)
            for (size_t j = 0; j < at.out; j++) {
                double s = b[j];
                for (size_t p = 0; p < at.in; p++)
                    s += (double)a[i * at.in + p] * w[p * at.out + j];
                z[i * at.out + j] = (float)s;
                if (fabs(s) < smallest)
                    smallest = fabs(s);
            }
        for (size_t i = 0; i < GN * at.out; i++)
            a[i] = z[i] > 0 ? z[i] : 0;
        width = at.out;
    }
    return smallest;
}

static void network_gradient_check(size_t n_hidden, Activation act, LossKind loss,
                                   uint64_t seed)
{
    const size_t hidden[2] = {6, 4};
    GradCase c;
    c.m = new_mlp(GIN, hidden, n_hidden, GOUT, act, loss, GN, seed);
    Rng r;
    rng_seed(&r, seed, 5);
    tu_fill_normal(c.x, GN * GIN, 1.0f, &r);
    tu_fill_labels(c.labels, GN, GOUT, &r);
    if (act == ACT_RELU)
        ck_assert_msg(smallest_hidden_preactivation(&c) > 0.01, "seed %llu puts a unit at "
                      "ReLU's kink; pick another", (unsigned long long)seed);
    size_t correct, count = mlp_param_count(c.m);
    double l0 = mlp_forward(c.m, c.x, c.labels, GN, &correct);
    ck_assert(isfinite(l0) && l0 > 0.0);
    mlp_backward(c.m, c.x);
    float *g = malloc(count * sizeof *g);
    ck_assert(g != NULL);
    memcpy(g, mlp_grads(c.m), count * sizeof *g);
    char why[256];
    /* every layer's W and b separately, so a small layer cannot hide in the norm */
    for (size_t l = 0; l < mlp_layer_count(c.m); l++) {
        MlpLayer at = mlp_layer(c.m, l);
        ck_assert_msg(tu_gradient_matches(mlp_params(c.m) + at.w, g + at.w, at.in * at.out,
                                       network_loss, &c, 1e-3, 1e-2, 1e-4, why),
                      "%s %s layer %zu W: %s", activation_name(act), loss_name(loss), l, why);
        ck_assert_msg(tu_gradient_matches(mlp_params(c.m) + at.b, g + at.b, at.out, network_loss,
                                       &c, 1e-3, 1e-2, 1e-4, why),
                      "%s %s layer %zu b: %s", activation_name(act), loss_name(loss), l, why);
    }
    free(g);
    mlp_free(c.m);
}

START_TEST(test_gradient_check_relu_euclidean)
{
    network_gradient_check(2, ACT_RELU, LOSS_EUCLIDEAN, 101);
}
END_TEST

START_TEST(test_gradient_check_relu_cross_entropy)
{
    network_gradient_check(2, ACT_RELU, LOSS_CROSS_ENTROPY, 102);
}
END_TEST

START_TEST(test_gradient_check_sigmoid_euclidean)
{
    network_gradient_check(2, ACT_SIGMOID, LOSS_EUCLIDEAN, 103);
}
END_TEST

START_TEST(test_gradient_check_sigmoid_cross_entropy)
{
    network_gradient_check(2, ACT_SIGMOID, LOSS_CROSS_ENTROPY, 104);
}
END_TEST

START_TEST(test_gradient_check_one_hidden_and_linear)
{
    network_gradient_check(1, ACT_SIGMOID, LOSS_CROSS_ENTROPY, 105);
    network_gradient_check(1, ACT_RELU, LOSS_EUCLIDEAN, 111);
    network_gradient_check(0, ACT_RELU, LOSS_CROSS_ENTROPY, 107);
}
END_TEST

/* ---- evaluation ----------------------------------------------------------- */

START_TEST(test_evaluate_matches_forward_in_any_block_size)
{
    enum { N = 31, IN = 8 };
    const size_t hidden[2] = {9, 6};
    for (int loss = LOSS_EUCLIDEAN; loss <= LOSS_CROSS_ENTROPY; loss++) {
        Mlp *big = new_mlp(IN, hidden, 2, 10, ACT_RELU, (LossKind)loss, N, 6);
        Mlp *small = new_mlp(IN, hidden, 2, 10, ACT_RELU, (LossKind)loss, 4, 6);
        Rng r;
        rng_seed(&r, 6, 2);
        float x[N * IN];
        uint8_t labels[N];
        tu_fill_normal(x, N * IN, 1.0f, &r);
        tu_fill_labels(labels, N, 10, &r);
        char err[ERR_MAX];
        double s_big = 0.0, s_small = 0.0;
        size_t c_big = 0, c_small = 0, correct;
        ck_assert_int_eq(mlp_evaluate(big, x, labels, N, &s_big, &c_big, err), 0);
        ck_assert_int_eq(mlp_evaluate(small, x, labels, N, &s_small, &c_small, err), 0);
        ck_assert(memcmp(&s_big, &s_small, sizeof s_big) == 0);
        ck_assert_uint_eq(c_big, c_small);
        double mean = mlp_forward(big, x, labels, N, &correct);
        double want = s_big / N;
        ck_assert(memcmp(&mean, &want, sizeof mean) == 0);
        ck_assert_uint_eq(correct, c_big);
        ck_assert(isfinite(mean) && mean > 0.0);
        mlp_free(big);
        mlp_free(small);
    }
}
END_TEST

/* ---- initialisation ------------------------------------------------------- */

START_TEST(test_init_statistics)
{
    const size_t hidden[2] = {512, 128};
    Mlp *m = new_mlp(784, hidden, 2, 10, ACT_RELU, LOSS_CROSS_ENTROPY, 100, 1);
    const float *p = mlp_params(m);
    for (size_t l = 0; l < mlp_layer_count(m); l++) {
        MlpLayer at = mlp_layer(m, l);
        double s = sqrt(4.0 / (double)(at.in + at.out));
        size_t count = at.b + at.out - at.w;
        double sum = 0.0, sq = 0.0;
        for (size_t i = at.w; i < at.b + at.out; i++) {
            sum += p[i];
            sq += (double)p[i] * p[i];
        }
        double mean = sum / count, sd = sqrt(sq / count - mean * mean);
        /* 5 standard errors of the mean and of the standard deviation */
        ck_assert_msg(fabs(mean) <= 5 * s / sqrt((double)count), "layer %zu mean %g", l, mean);
        ck_assert_msg(fabs(sd / s - 1.0) <= 5 / sqrt(2.0 * count), "layer %zu sd %g, want %g", l,
                      sd, s);
        /* the biases too are drawn, from the same distribution */
        double bsq = 0.0;
        for (size_t i = at.b; i < at.b + at.out; i++)
            bsq += (double)p[i] * p[i];
        double bsd = sqrt(bsq / at.out);
        ck_assert_msg(bsd > 0.5 * s && bsd < 1.5 * s, "layer %zu bias sd %g, want %g", l, bsd, s);
    }
    mlp_free(m);
}
END_TEST

START_TEST(test_init_order_and_determinism)
{
    const size_t hidden[2] = {7, 5};
    Mlp *a = new_mlp(6, hidden, 2, 4, ACT_SIGMOID, LOSS_EUCLIDEAN, 3, 77);
    Mlp *b = new_mlp(6, hidden, 2, 4, ACT_RELU, LOSS_CROSS_ENTROPY, 50, 77);
    Mlp *c = new_mlp(6, hidden, 2, 4, ACT_SIGMOID, LOSS_EUCLIDEAN, 3, 78);
    size_t count = mlp_param_count(a);
    /* the same seed gives the same bits whatever the activation, loss, batch */
    ck_assert_int_eq(memcmp(mlp_params(a), mlp_params(b), count * sizeof(float)), 0);
    ck_assert_int_ne(memcmp(mlp_params(a), mlp_params(c), count * sizeof(float)), 0);
    /* one stream of draws: layer by layer, W row-major, then b, each times s */
    Rng r;
    rng_seed(&r, 77, RNG_STREAM_INIT);
    for (size_t l = 0; l < mlp_layer_count(a); l++) {
        MlpLayer at = mlp_layer(a, l);
        float s = (float)sqrt(4.0 / (double)(at.in + at.out));
        for (size_t i = at.w; i < at.b + at.out; i++) {
            float v = rng_normal(&r) * s;
            ck_assert_msg(memcmp(&v, &mlp_params(a)[i], sizeof v) == 0, "param %zu", i);
        }
    }
    mlp_free(a);
    mlp_free(b);
    mlp_free(c);
}
END_TEST

/* ---- bit-identical on every gemm path ------------------------------------- */

typedef struct {
    size_t n_in, hidden[2], n_hidden, n_out, n;
} Shape;

/* Three SGD steps with weight decay from a fixed seed; the losses, corrects and
 * final parameters (heap, count floats) come back for comparison. */
static float *train_steps(const Shape *sh, Activation act, LossKind loss, double *losses,
                          size_t *corrects, size_t *count)
{
    Rng r;
    rng_seed(&r, 12, 7);
    float *x = malloc(sh->n * sh->n_in * sizeof *x);
    uint8_t *labels = malloc(sh->n);
    ck_assert(x && labels);
    for (size_t i = 0; i < sh->n * sh->n_in; i++)
        x[i] = rng_uniform(&r) - 0.5f;
    tu_fill_labels(labels, sh->n, (uint32_t)sh->n_out, &r);
    Mlp *m = new_mlp(sh->n_in, sh->hidden, sh->n_hidden, sh->n_out, act, loss, sh->n, 3);
    for (int step = 0; step < 3; step++) {
        losses[step] = mlp_forward(m, x, labels, sh->n, &corrects[step]);
        mlp_backward(m, x);
        mlp_sgd(m, 0.01f, 0.1f);
    }
    *count = mlp_param_count(m);
    float *params = malloc(*count * sizeof *params);
    ck_assert(params != NULL);
    memcpy(params, mlp_params(m), *count * sizeof *params);
    mlp_free(m);
    free(x);
    free(labels);
    return params;
}

START_TEST(test_every_gemm_path_gives_the_same_bits)
{
    /* the homework's one-hidden-layer shape, and odd sizes with remainders */
    const Shape shapes[2] = {{784, {128, 0}, 1, 10, 100}, {37, {19, 23}, 2, 10, 13}};
    for (size_t s = 0; s < 2; s++)
        for (int act = ACT_RELU; act <= ACT_SIGMOID; act++)
            for (int loss = LOSS_EUCLIDEAN; loss <= LOSS_CROSS_ENTROPY; loss++) {
                double ref_loss[3], got_loss[3];
                size_t ref_ok[3], got_ok[3], ref_count, got_count;
                ck_assert_int_eq(gemm_force(ISA_SCALAR), 0);
                float *ref = train_steps(&shapes[s], (Activation)act, (LossKind)loss, ref_loss,
                                         ref_ok, &ref_count);
                ck_assert_msg(isfinite(ref_loss[2]) && ref_loss[2] < ref_loss[0],
                              "losses %g %g %g", ref_loss[0], ref_loss[1], ref_loss[2]);
                for (Isa isa = ISA_SCALAR; isa < ISA_COUNT; isa++) {
                    if (!isa_supported(isa))
                        continue;
                    ck_assert_int_eq(gemm_force(isa), 0);
                    float *got = train_steps(&shapes[s], (Activation)act, (LossKind)loss,
                                             got_loss, got_ok, &got_count);
                    ck_assert_uint_eq(got_count, ref_count);
                    ck_assert_msg(memcmp(got_loss, ref_loss, sizeof got_loss) == 0,
                                  "%s: losses differ", isa_name(isa));
                    ck_assert_msg(memcmp(got_ok, ref_ok, sizeof got_ok) == 0,
                                  "%s: accuracies differ", isa_name(isa));
                    ck_assert_msg(memcmp(got, ref, ref_count * sizeof *got) == 0,
                                  "%s: parameters differ", isa_name(isa));
                    free(got);
                }
                free(ref);
            }
    ck_assert_int_eq(gemm_select(NULL), 0);
}
END_TEST

/* mlp_step is mlp_backward then mlp_sgd, bit for bit (parameters, gradients and
 * so the next losses), on every path; the first shape has more inputs and
 * hidden units than one block of rows of the fused update. */
START_TEST(test_step_equals_backward_then_sgd)
{
    const Shape shapes[3] = {{300, {260, 0}, 1, 10, 37}, {37, {19, 23}, 2, 10, 13},
                             {20, {0, 0}, 0, 3, 5}};
    for (Isa isa = ISA_SCALAR; isa < ISA_COUNT; isa++) {
        if (!isa_supported(isa))
            continue;
        ck_assert_int_eq(gemm_force(isa), 0);
        for (size_t s = 0; s < 3; s++)
            for (int act = ACT_RELU; act <= ACT_SIGMOID; act++) {
                const Shape *sh = &shapes[s];
                Rng r;
                rng_seed(&r, 31, 7);
                float *x = malloc(sh->n * sh->n_in * sizeof *x);
                uint8_t *labels = malloc(sh->n);
                ck_assert(x && labels);
                for (size_t i = 0; i < sh->n * sh->n_in; i++)
                    x[i] = rng_uniform(&r) - 0.5f;
                tu_fill_labels(labels, sh->n, (uint32_t)sh->n_out, &r);
                LossKind loss = act == ACT_RELU ? LOSS_CROSS_ENTROPY : LOSS_EUCLIDEAN;
                Mlp *a = new_mlp(sh->n_in, sh->hidden, sh->n_hidden, sh->n_out,
                                 (Activation)act, loss, sh->n, 5);
                Mlp *b = new_mlp(sh->n_in, sh->hidden, sh->n_hidden, sh->n_out,
                                 (Activation)act, loss, sh->n, 5);
                size_t count = mlp_param_count(a), ca, cb;
                for (int step = 0; step < 3; step++) {
                    double la = mlp_forward(a, x, labels, sh->n, &ca);
                    double lb = mlp_forward(b, x, labels, sh->n, &cb);
                    ck_assert_msg(memcmp(&la, &lb, sizeof la) == 0, "%s: losses differ",
                                  isa_name(isa));
                    mlp_backward(a, x);
                    mlp_sgd(a, 0.05f, 0.1f);
                    mlp_step(b, x, 0.05f, 0.1f);
                    ck_assert_msg(memcmp(mlp_params(a), mlp_params(b), count * sizeof(float)) == 0,
                                  "%s, shape %zu: parameters differ", isa_name(isa), s);
                    ck_assert_msg(memcmp(mlp_grads(a), mlp_grads(b), count * sizeof(float)) == 0,
                                  "%s, shape %zu: gradients differ", isa_name(isa), s);
                }
                /* after a failed forward, a step does nothing */
                ck_assert(isnan(mlp_forward(b, x, labels, 0, &cb)));
                mlp_step(b, x, 0.05f, 0.1f);
                ck_assert_int_eq(memcmp(mlp_params(a), mlp_params(b), count * sizeof(float)), 0);
                mlp_free(a);
                mlp_free(b);
                free(x);
                free(labels);
            }
    }
    ck_assert_int_eq(gemm_select(NULL), 0);
}
END_TEST

/* ---- errors --------------------------------------------------------------- */

START_TEST(test_new_rejects_bad_sizes)
{
    char err[ERR_MAX];
    Rng r;
    rng_seed(&r, 1, 1);
    const size_t ok[2] = {128, 64}, zero[2] = {128, 0}, huge[1] = {SIZE_MAX / 8};
    struct {
        size_t n_in;
        const size_t *hidden;
        size_t n_hidden, n_out;
        int act, loss;
        size_t max_batch;
        const char *msg; /* NULL: a size overflow */
    } bad[] = {
        {0, ok, 2, 10, ACT_RELU, LOSS_EUCLIDEAN, 100, "mlp: 'inputs' is 0 (need at least 1)"},
        {784, ok, 2, 0, ACT_RELU, LOSS_EUCLIDEAN, 100, "mlp: 'outputs' is 0 (need at least 1)"},
        {784, ok, 2, 257, ACT_RELU, LOSS_EUCLIDEAN, 100,
         "mlp: 'outputs' is 257, more than byte labels allow (256)"},
        {784, ok, 2, 10, ACT_RELU, LOSS_EUCLIDEAN, 0, "mlp: 'max batch' is 0 (need at least 1)"},
        {784, zero, 2, 10, ACT_RELU, LOSS_EUCLIDEAN, 100,
         "mlp: 'hidden[1]' is 0 (need at least 1)"},
        {784, NULL, 2, 10, ACT_RELU, LOSS_EUCLIDEAN, 100,
         "mlp: 'hidden' is missing for 2 hidden layers"},
        {784, ok, 2, 10, 7, LOSS_EUCLIDEAN, 100, "mlp: unknown activation 7"},
        {784, ok, 2, 10, ACT_RELU, -1, 100, "mlp: unknown loss -1"},
        /* more layers than a size_t can count bytes for */
        {784, ok, SIZE_MAX, 10, ACT_RELU, LOSS_EUCLIDEAN, 100, NULL},
        /* n_in * hidden[0] overflows the parameter count */
        {SIZE_MAX / 64, ok, 2, 10, ACT_RELU, LOSS_EUCLIDEAN, 100, NULL},
        /* 3 * SIZE_MAX/8 parameters fit as a count, not as bytes */
        {1, huge, 1, 1, ACT_RELU, LOSS_EUCLIDEAN, 1, NULL},
        /* the batch times the widths overflows the activation count */
        {784, ok, 2, 10, ACT_RELU, LOSS_EUCLIDEAN, SIZE_MAX / 200, NULL},
        /* about SIZE_MAX/2 activations fit as a count, not as bytes */
        {784, ok, 2, 10, ACT_RELU, LOSS_EUCLIDEAN, SIZE_MAX / (2 * 3 * 202), NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        Mlp *m = mlp_new(bad[i].n_in, bad[i].hidden, bad[i].n_hidden, bad[i].n_out,
                         (Activation)bad[i].act, (LossKind)bad[i].loss, bad[i].max_batch, &r,
                         err);
        ck_assert_msg(m == NULL, "case %zu accepted", i);
        if (bad[i].msg)
            ck_assert_str_eq(err, bad[i].msg);
        else
            ck_assert_msg(strncmp(err, "mlp: ", 5) == 0 && strstr(err, "overflow"),
                          "case %zu: '%s'", i, err);
    }
    mlp_free(NULL);
}
END_TEST

START_TEST(test_forward_rejects_bad_batches)
{
    const size_t hidden[1] = {3};
    Mlp *m = new_mlp(2, hidden, 1, 2, ACT_RELU, LOSS_CROSS_ENTROPY, 2, 1);
    const float x[6] = {1, 2, 2, -1, 0.5f, 0.5f};
    const uint8_t labels[3] = {1, 0, 1}, bad_label[2] = {1, 2};
    size_t correct = 9;
    ck_assert(isnan(mlp_forward(m, x, labels, 0, &correct)));
    ck_assert_uint_eq(correct, 0);
    correct = 9;
    ck_assert(isnan(mlp_forward(m, x, labels, 3, &correct)));
    ck_assert_uint_eq(correct, 0);
    ck_assert(isnan(mlp_forward(m, x, bad_label, 2, &correct)));

    /* backward after a failed forward leaves the gradients alone, even when an
     * earlier forward had succeeded */
    ck_assert(isfinite(mlp_forward(m, x, labels, 2, &correct)));
    mlp_backward(m, x);
    size_t count = mlp_param_count(m);
    float g[17];
    ck_assert_uint_eq(count, 17);
    memcpy(g, mlp_grads(m), sizeof g);
    ck_assert(isnan(mlp_forward(m, x, bad_label, 2, &correct)));
    mlp_backward(m, x + 2);
    ck_assert_int_eq(memcmp(g, mlp_grads(m), sizeof g), 0);

    char err[ERR_MAX];
    double sum = 2.0;
    correct = 3;
    ck_assert_int_eq(mlp_evaluate(m, x, bad_label, 2, &sum, &correct, err), -1);
    ck_assert_str_eq(err, "mlp: label 2 of row 1 is not below 2 outputs");
    ck_assert(sum == 2.0);
    ck_assert_uint_eq(correct, 3);
    ck_assert_int_eq(mlp_evaluate(m, x, labels, 0, &sum, &correct, err), 0);
    ck_assert(sum == 2.0);
    ck_assert_uint_eq(correct, 3);
    mlp_free(m);
}
END_TEST

Suite *mlp_suite(void);
Suite *mlp_suite(void)
{
    Suite *s = suite_create("mlp");
    TCase *core = tcase_create("core");
    tcase_set_timeout(core, 120);
    tcase_add_test(core, test_hand_computed_sgd_step);
    tcase_add_test(core, test_layout_and_offsets);
    tcase_add_test(core, test_sgd_decays_weights_not_biases);
    tcase_add_test(core, test_backward_overwrites);
    tcase_add_test(core, test_gradient_check_relu_euclidean);
    tcase_add_test(core, test_gradient_check_relu_cross_entropy);
    tcase_add_test(core, test_gradient_check_sigmoid_euclidean);
    tcase_add_test(core, test_gradient_check_sigmoid_cross_entropy);
    tcase_add_test(core, test_gradient_check_one_hidden_and_linear);
    tcase_add_test(core, test_evaluate_matches_forward_in_any_block_size);
    tcase_add_test(core, test_init_statistics);
    tcase_add_test(core, test_init_order_and_determinism);
    tcase_add_test(core, test_every_gemm_path_gives_the_same_bits);
    tcase_add_test(core, test_step_equals_backward_then_sgd);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_new_rejects_bad_sizes);
    tcase_add_test(errors, test_forward_rejects_bad_batches);
    suite_add_tcase(s, errors);
    return s;
}
