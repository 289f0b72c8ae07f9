/* Central-difference checks of the backward passes; the contract is in
 * include/gradcheck.h. */
#include "gradcheck.h"

#include "err.h"
#include "layers.h"
#include "rng.h"
#include "softmax.h"

#include <math.h>
#include <string.h>

/* Sizes of the cases: small, so each check moves every parameter. */
enum { N = 4, IN = 6, OUT = 5, CLASSES = 5 };
#define GRAD_NORM_MIN 1e-3 /* below this a gradient is too small to check */
#define SEED 20211

double gradcheck_error(float *p, const float *g, size_t count, GradObjective f, void *ctx,
                       double *g_norm)
{
    double diff2 = 0.0, g2 = 0.0;
    for (size_t i = 0; i < count; i++) {
        float keep = p[i];
        p[i] = (float)(keep + GRADCHECK_EPS);
        double hi = p[i], fp = f(ctx);
        p[i] = (float)(keep - GRADCHECK_EPS);
        double lo = p[i], fm = f(ctx);
        p[i] = keep;
        double d = (fp - fm) / (hi - lo) - g[i];
        diff2 += d * d;
        g2 += (double)g[i] * g[i];
    }
    *g_norm = sqrt(g2);
    return g2 > 0.0 ? sqrt(diff2 / g2) : INFINITY;
}

static void fill(float *x, size_t n, float scale, Rng *r)
{
    for (size_t i = 0; i < n; i++)
        x[i] = rng_normal(r) * scale;
}

/* ---- the cases: each objective is sum(G . output) or the mean loss -------- */

typedef struct {
    float x[N * IN], w[IN * OUT], b[OUT], g[N * OUT], y[N * OUT];
} Fc;

static double fc_objective(void *ctx)
{
    Fc *c = ctx;
    fc_forward(c->y, c->x, c->w, c->b, N, IN, OUT);
    double s = 0.0;
    for (size_t i = 0; i < N * OUT; i++)
        s += (double)c->g[i] * c->y[i];
    return s;
}

typedef struct {
    float x[N * OUT], g[N * OUT], y[N * OUT];
    int sigmoid;
} Act;

static double act_objective(void *ctx)
{
    Act *c = ctx;
    if (c->sigmoid)
        sigmoid_forward(c->y, c->x, N * OUT);
    else
        relu_forward(c->y, c->x, N * OUT);
    double s = 0.0;
    for (size_t i = 0; i < N * OUT; i++)
        s += (double)c->g[i] * c->y[i];
    return s;
}

typedef struct {
    float y[N * CLASSES], p[N * CLASSES];
    uint8_t labels[N];
    int ce;
} Loss;

static double loss_objective(void *ctx)
{
    Loss *c = ctx;
    double sum = 0.0;
    if (c->ce)
        softmax_ce_loss(NULL, c->p, &sum, c->y, c->labels, N, CLASSES);
    else
        euclidean_loss(NULL, &sum, c->y, c->labels, N, CLASSES);
    return sum / N;
}

typedef struct {
    SoftmaxModel *m;
    float x[N * IN];
    uint8_t labels[N];
    double lambda;
} Classifier;

static double classifier_objective(void *ctx)
{
    Classifier *c = ctx;
    size_t correct;
    return softmax_model_forward(c->m, c->x, c->labels, N, c->lambda, 0, &correct);
}

static void row(GradCheck *r, const char *check, const char *what, float *p, const float *g,
                size_t count, GradObjective f, void *ctx)
{
    r->check = check;
    r->what = what;
    r->params = count;
    r->rel_error = gradcheck_error(p, g, count, f, ctx, &r->grad_norm);
    r->ok = r->rel_error <= GRADCHECK_BOUND && r->grad_norm > GRAD_NORM_MIN;
}

int gradcheck_run(GradCheck rows[GRADCHECK_COUNT], char *err)
{
    Rng r;
    rng_seed(&r, SEED, RNG_STREAM_INIT);

    Fc fc;
    fill(fc.x, N * IN, 1.0f, &r);
    fill(fc.w, IN * OUT, 1.0f, &r);
    fill(fc.b, OUT, 1.0f, &r);
    fill(fc.g, N * OUT, 1.0f, &r);
    float dx[N * IN], dw[IN * OUT], db[OUT];
    /* dE/dy of sum(G . y) is G itself */
    fc_backward(dx, dw, db, fc.g, fc.x, fc.w, N, IN, OUT);
    row(&rows[0], "fc-weights", "dE/dW = x^T dE/dy", fc.w, dw, IN * OUT, fc_objective, &fc);
    row(&rows[1], "fc-bias", "dE/db = column sums of dE/dy", fc.b, db, OUT, fc_objective, &fc);
    row(&rows[2], "fc-input", "dE/dx = dE/dy W^T", fc.x, dx, N * IN, fc_objective, &fc);

    for (int s = 0; s < 2; s++) {
        Act a = {.sigmoid = s};
        fill(a.g, N * OUT, 1.0f, &r);
        /* inputs at least 0.1 from ReLU's kink, so a step never crosses it */
        for (size_t i = 0; i < N * OUT; i++) {
            float v = rng_normal(&r);
            a.x[i] = v + (v < 0 ? -0.1f : 0.1f);
        }
        float da[N * OUT];
        act_objective(&a); /* a.y: the forward output sigmoid's backward takes */
        if (s)
            sigmoid_backward(da, a.g, a.y, N * OUT);
        else
            relu_backward(da, a.g, a.x, N * OUT);
        row(&rows[3 + s], s ? "sigmoid" : "relu",
            s ? "dE/dx = dE/dy s(x) (1 - s(x))" : "dE/dx = dE/dy where x > 0, else 0", a.x, da,
            N * OUT, act_objective, &a);
    }

    for (int ce = 0; ce < 2; ce++) {
        Loss l = {.ce = ce};
        fill(l.y, N * CLASSES, 2.0f, &r);
        for (size_t i = 0; i < N; i++)
            l.labels[i] = (uint8_t)rng_below(&r, CLASSES);
        float dy[N * CLASSES];
        double sum = 0.0;
        if (ce)
            softmax_ce_loss(dy, l.p, &sum, l.y, l.labels, N, CLASSES);
        else
            euclidean_loss(dy, &sum, l.y, l.labels, N, CLASSES);
        row(&rows[5 + ce], ce ? "softmax-ce" : "euclidean",
            ce ? "dE/dy = (softmax(y) - t) / N" : "dE/dy = (y - t) / N", l.y, dy, N * CLASSES,
            loss_objective, &l);
    }

    Classifier c = {.lambda = 0.5};
    c.m = softmax_model_new(IN, CLASSES, N, &r, err);
    if (!c.m)
        return -1;
    float *w = softmax_model_weights(c.m);
    /* weights far from N(0, 0.001^2), so the lambda W term weighs in the gradient */
    fill(w, IN * CLASSES, 1.0f, &r);
    fill(c.x, N * IN, 1.0f, &r);
    for (size_t i = 0; i < N; i++)
        c.labels[i] = (uint8_t)rng_below(&r, CLASSES);
    classifier_objective(&c);
    softmax_model_backward(c.m, c.x, c.lambda, 0);
    float gw[IN * CLASSES];
    memcpy(gw, softmax_model_grad(c.m), sizeof gw);
    row(&rows[7], "softmax-classifier", "dE/dW = x^T (P - T) / N + lambda W", w, gw,
        IN * CLASSES, classifier_objective, &c);
    softmax_model_free(c.m);

    int failed = 0;
    for (int i = 0; i < GRADCHECK_COUNT; i++)
        failed += !rows[i].ok;
    return failed;
}
