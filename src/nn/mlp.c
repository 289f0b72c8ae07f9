/* Multi-layer perceptrons of Part 2; the contract is in include/mlp.h. */
#include "mlp.h"
#include "checked.h"

#include "err.h"
#include "layers.h"
#include "vec.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* Labels are bytes, so more classes could never be predicted correctly. */
#define MLP_MAX_CLASSES 256

/* A layer's place in the flat arrays and its activation buffers, each
 * (max_batch x out): z = x W + b, a = act(z), d = dLoss/dz (backward). For the
 * output layer z holds the raw outputs y, a the softmax probabilities (cross-
 * entropy only) and d the loss gradient. */
typedef struct {
    MlpLayer at;
    float *z, *a, *d;
} Layer;

struct Mlp {
    size_t n_layers, n_in, n_out, max_batch;
    Activation act;
    LossKind loss;
    Layer *layers;       /* n_layers */
    size_t n_params;
    float *params;       /* n_params: per layer W then b */
    float *grads;        /* n_params, same layout */
    float *acts;         /* the z, a, d buffers of every layer */
    size_t n;            /* rows of the last successful forward, 0 if none */
};

/* Checks the arguments of mlp_new; 0 or -1 with err. */
static int check_shape(size_t n_in, const size_t *hidden, size_t n_hidden, size_t n_out,
                       Activation act, LossKind loss, size_t max_batch, char *err)
{
    if (n_in == 0)
        return err_set(err, "mlp: 'inputs' is 0 (need at least 1)");
    if (n_out == 0)
        return err_set(err, "mlp: 'outputs' is 0 (need at least 1)");
    if (n_out > MLP_MAX_CLASSES)
        return err_set(err, "mlp: 'outputs' is %zu, more than byte labels allow (%d)", n_out,
                       MLP_MAX_CLASSES);
    if (max_batch == 0)
        return err_set(err, "mlp: 'max batch' is 0 (need at least 1)");
    if (n_hidden >= SIZE_MAX / sizeof(Layer))
        return err_set(err, "mlp: %zu hidden layers overflow", n_hidden);
    if (n_hidden > 0 && !hidden)
        return err_set(err, "mlp: 'hidden' is missing for %zu hidden layers", n_hidden);
    for (size_t l = 0; l < n_hidden; l++)
        if (hidden[l] == 0)
            return err_set(err, "mlp: 'hidden[%zu]' is 0 (need at least 1)", l);
    if (act != ACT_RELU && act != ACT_SIGMOID)
        return err_set(err, "mlp: unknown activation %d", (int)act);
    if (loss != LOSS_EUCLIDEAN && loss != LOSS_CROSS_ENTROPY)
        return err_set(err, "mlp: unknown loss %d", (int)loss);
    return 0;
}

/* Fills the offsets of every layer; counts parameters and activation floats.
 * Returns 0 if some size overflows size_t (or its byte count would). */
static int plan_layers(Layer *layers, size_t n_in, const size_t *hidden, size_t n_hidden,
                       size_t n_out, size_t max_batch, size_t *n_params, size_t *n_acts)
{
    size_t params = 0, acts = 0;
    for (size_t l = 0; l <= n_hidden; l++) {
        size_t in = l == 0 ? n_in : hidden[l - 1];
        size_t out = l == n_hidden ? n_out : hidden[l];
        size_t nw, nb3;
        layers[l].at = (MlpLayer){.in = in, .out = out, .w = params, .b = 0};
        if (!mul_ok(in, out, &nw) || !add_ok(params, nw, &params))
            return 0;
        layers[l].at.b = params;
        if (!add_ok(params, out, &params))
            return 0;
        if (!mul_ok(max_batch, out, &nb3) || !mul_ok(nb3, 3, &nb3) || !add_ok(acts, nb3, &acts))
            return 0;
    }
    size_t bytes;
    if (!mul_ok(params, sizeof(float), &bytes) || !mul_ok(acts, sizeof(float), &bytes))
        return 0;
    *n_params = params;
    *n_acts = acts;
    return 1;
}

Mlp *mlp_new(size_t n_in, const size_t *hidden, size_t n_hidden, size_t n_out,
             Activation act, LossKind loss, size_t max_batch, Rng *init, char *err)
{
    if (check_shape(n_in, hidden, n_hidden, n_out, act, loss, max_batch, err) < 0)
        return NULL;
    Mlp *m = calloc(1, sizeof *m);
    if (!m) {
        err_set(err, "mlp: out of memory");
        return NULL;
    }
    *m = (Mlp){.n_layers = n_hidden + 1, .n_in = n_in, .n_out = n_out,
               .max_batch = max_batch, .act = act, .loss = loss};
    m->layers = malloc(m->n_layers * sizeof *m->layers);
    size_t n_acts = 0;
    if (!m->layers) {
        err_set(err, "mlp: out of memory for %zu layers", m->n_layers);
        goto fail;
    }
    if (!plan_layers(m->layers, n_in, hidden, n_hidden, n_out, max_batch, &m->n_params,
                     &n_acts)) {
        err_set(err, "mlp: sizes overflow (inputs %zu, outputs %zu, max batch %zu)", n_in,
                n_out, max_batch);
        goto fail;
    }
    m->params = malloc(m->n_params * sizeof(float));
    m->grads = calloc(m->n_params, sizeof(float));
    m->acts = malloc(n_acts * sizeof(float));
    if (!m->params || !m->grads || !m->acts) {
        err_set(err, "mlp: out of memory for %zu parameters and %zu activations", m->n_params,
                n_acts);
        goto fail;
    }
    float *next = m->acts;
    for (size_t l = 0; l < m->n_layers; l++) {
        Layer *L = &m->layers[l];
        size_t nb = max_batch * L->at.out;
        L->z = next;
        L->a = next + nb;
        L->d = next + 2 * nb;
        next += 3 * nb;
        float s = (float)sqrt(4.0 / ((double)L->at.in + (double)L->at.out));
        for (size_t i = L->at.w; i < L->at.b + L->at.out; i++)
            m->params[i] = rng_normal(init) * s;
    }
    return m;
fail:
    mlp_free(m);
    return NULL;
}

void mlp_free(Mlp *m)
{
    if (!m)
        return;
    free(m->layers);
    free(m->params);
    free(m->grads);
    free(m->acts);
    free(m);
}

size_t mlp_max_batch(const Mlp *m) { return m->max_batch; }
size_t mlp_layer_count(const Mlp *m) { return m->n_layers; }
MlpLayer mlp_layer(const Mlp *m, size_t l) { return m->layers[l].at; }
size_t mlp_param_count(const Mlp *m) { return m->n_params; }
float *mlp_params(Mlp *m) { return m->params; }
float *mlp_grads(Mlp *m) { return m->grads; }

const float *mlp_outputs(const Mlp *m)
{
    return m->layers[m->n_layers - 1].z;
}

/* Runs the layers on n <= max_batch rows of x and adds the rows' losses to
 * *loss_sum; the output layer's d receives the gradient of the mean loss when
 * want_grad. Returns the number of correct predictions. */
static size_t run_forward(Mlp *m, const float *x, const uint8_t *labels, size_t n,
                          double *loss_sum, int want_grad)
{
    const float *in = x;
    for (size_t l = 0; l < m->n_layers; l++) {
        Layer *L = &m->layers[l];
        fc_forward(L->z, in, m->params + L->at.w, m->params + L->at.b, n, L->at.in, L->at.out);
        if (l + 1 == m->n_layers)
            break;
        size_t count = n * L->at.out;
        switch (m->act) {
        case ACT_RELU:
            relu_forward(L->a, L->z, count);
            break;
        case ACT_SIGMOID:
            sigmoid_forward(L->a, L->z, count);
            break;
        }
        in = L->a;
    }
    Layer *out = &m->layers[m->n_layers - 1];
    float *dy = want_grad ? out->d : NULL;
    switch (m->loss) {
    case LOSS_EUCLIDEAN:
        euclidean_loss(dy, loss_sum, out->z, labels, n, m->n_out);
        break;
    case LOSS_CROSS_ENTROPY:
        softmax_ce_loss(dy, out->a, loss_sum, out->z, labels, n, m->n_out);
        break;
    }
    return argmax_correct(out->z, labels, n, m->n_out);
}

static int labels_ok(const uint8_t *labels, size_t n, size_t n_out)
{
    for (size_t i = 0; i < n; i++)
        if (labels[i] >= n_out)
            return 0;
    return 1;
}

double mlp_forward(Mlp *m, const float *x, const uint8_t *labels, size_t n, size_t *correct)
{
    m->n = 0;
    *correct = 0;
    if (n == 0 || n > m->max_batch || !labels_ok(labels, n, m->n_out))
        return NAN;
    double sum = 0.0;
    *correct = run_forward(m, x, labels, n, &sum, 1);
    m->n = n;
    return sum / (double)n;
}

/* L->d (count values: rows x L's outputs) holds the gradient of the loss with
 * respect to L's activations a; turns it in place into the gradient w.r.t. z. */
static void activation_backward(const Mlp *m, const Layer *L, size_t count)
{
    switch (m->act) {
    case ACT_RELU:
        relu_backward(L->d, L->d, L->z, count);
        break;
    case ACT_SIGMOID:
        sigmoid_backward(L->d, L->d, L->a, count);
        break;
    }
}

/* Back through the layers, last first: each layer's gradients (sgd 0), or
 * its fused gradient and update (sgd 1, fc_backward_sgd), then the delta of
 * the layer below through its activation. */
static void backward(Mlp *m, const float *x, int sgd, float lr, float wd)
{
    size_t n = m->n;
    if (n == 0)
        return;
    for (size_t l = m->n_layers; l-- > 0;) {
        Layer *L = &m->layers[l];
        Layer *prev = l > 0 ? &m->layers[l - 1] : NULL;
        const float *in = prev ? prev->a : x;
        float *din = prev ? prev->d : NULL;
        if (sgd)
            fc_backward_sgd(din, m->params + L->at.w, m->grads + L->at.w, m->params + L->at.b,
                            m->grads + L->at.b, L->d, in, n, L->at.in, L->at.out, lr, wd);
        else
            fc_backward(din, m->grads + L->at.w, m->grads + L->at.b, L->d, in,
                        m->params + L->at.w, n, L->at.in, L->at.out);
        if (prev)
            activation_backward(m, prev, n * prev->at.out);
    }
}

void mlp_backward(Mlp *m, const float *x)
{
    backward(m, x, 0, 0.0f, 0.0f);
}

void mlp_sgd(Mlp *m, float lr, float wd)
{
    for (size_t l = 0; l < m->n_layers; l++) {
        const MlpLayer *at = &m->layers[l].at;
        vec_sgd_decay(m->params + at->w, m->grads + at->w, at->b - at->w, lr, wd);
        vec_sgd(m->params + at->b, m->grads + at->b, at->out, lr);
    }
}

void mlp_step(Mlp *m, const float *x, float lr, float wd)
{
    backward(m, x, 1, lr, wd);
}

int mlp_evaluate(Mlp *m, const float *x, const uint8_t *labels, size_t n, double *loss_sum,
                 size_t *correct, char *err)
{
    m->n = 0;
    for (size_t i = 0; i < n; i++)
        if (labels[i] >= m->n_out)
            return err_set(err, "mlp: label %u of row %zu is not below %zu outputs",
                           (unsigned)labels[i], i, m->n_out);
    size_t good = 0;
    for (size_t start = 0; start < n; start += m->max_batch) {
        size_t rows = n - start < m->max_batch ? n - start : m->max_batch;
        good += run_forward(m, x + start * m->n_in, labels + start, rows, loss_sum, 0);
    }
    *correct += good;
    return 0;
}
