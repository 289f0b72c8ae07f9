/* mlp.h - Part 2: multi-layer perceptrons (README.md, "The homework").
 *
 * The network is n_in -> hidden[0] -> ... -> hidden[n_hidden-1] -> n_out: fully
 * connected layers y = x W + b, an activation (ReLU or sigmoid) after every
 * hidden layer and none after the last, and a loss on the raw outputs:
 * Euclidean, (1/N) sum_n 1/2 ||y_n - t_n||^2, or softmax cross-entropy, the mean
 * of -ln softmax(y_n)[label_n]. Accuracy is the argmax of the raw outputs.
 *
 * All parameters live in one flat float array, layer by layer, each layer's W
 * (in x out, row-major) followed by its b (out); the gradients live in a second
 * array with the same layout, so the optimiser is one loop and tests can
 * perturb any parameter by its index.
 *
 * Buffers are sized once, at creation, for the largest batch (use the larger of
 * the training batch and the evaluation block); forward, backward, sgd and
 * evaluate never allocate. A training step reads
 *
 *     loss = mlp_forward(m, x, labels, n, &correct);
 *     mlp_backward(m, x);
 *     mlp_sgd(m, lr, wd);
 *
 * or, the same bits faster, forward then mlp_step(m, x, lr, wd).
 */
#ifndef MLP_H
#define MLP_H

#include "kinds.h"
#include "rng.h"

#include <stddef.h>
#include <stdint.h>

typedef struct Mlp Mlp;

/* Where one fully connected layer sits in the flat arrays: W is (in x out) at
 * offset w, b is (out) at offset b == w + in * out. */
typedef struct {
    size_t in, out;
    size_t w, b;
} MlpLayer;

/* A network with hidden[0..n_hidden) hidden units (n_hidden may be 0: a linear
 * model) and n_out classes (1..256, since labels are bytes), for batches of up
 * to max_batch rows. Every layer's W and b are drawn from N(0, s^2) with
 * s = sqrt(4 / (in + out)) as rng_normal(init) * s, in the order of the flat
 * array: layer by layer, W row-major, then b (the homework applies this "ReLU"
 * initialisation to sigmoid networks as well). Gradients start at 0.
 * Returns NULL with a message in err (ERR_MAX bytes) for a zero size, too many
 * classes, an unknown activation or loss, sizes whose products overflow size_t,
 * or no memory. */
Mlp *mlp_new(size_t n_in, const size_t *hidden, size_t n_hidden, size_t n_out,
             Activation act, LossKind loss, size_t max_batch, Rng *init, char *err);
void mlp_free(Mlp *m);

size_t mlp_max_batch(const Mlp *m);
size_t mlp_layer_count(const Mlp *m); /* fully connected layers: n_hidden + 1 */
MlpLayer mlp_layer(const Mlp *m, size_t l); /* l < mlp_layer_count(m) */

/* The flat parameter and gradient arrays, mlp_param_count(m) floats each. */
size_t mlp_param_count(const Mlp *m);
float *mlp_params(Mlp *m);
float *mlp_grads(Mlp *m);

/* x is (n x n_in), labels is (n). Returns the mean loss over the n rows (sums in
 * double, see layers.h) and stores in *correct the number of rows whose argmax
 * output (first maximum wins) equals the label. Keeps the activations and the
 * output gradient for backward. Returns NaN with *correct = 0 and forgets the
 * batch when n is 0 or above max_batch or a label is >= n_out (a caller bug).
 * A diverged network gives a NaN or infinite loss too; the caller tells the two
 * apart by what it passed. */
double mlp_forward(Mlp *m, const float *x, const uint8_t *labels, size_t n, size_t *correct);

/* Raw outputs (n x n_out) of the last forward or evaluate block. */
const float *mlp_outputs(const Mlp *m);

/* Overwrites every gradient with that of the mean loss of the last forward
 * call's batch (x must be that batch's x): fc_backward layer by layer from the
 * last, the activation's backward in between. Does nothing if the last forward
 * failed. */
void mlp_backward(Mlp *m, const float *x);

/* SGD with weight decay on the weights only, in float, as separate IEEE
 * operations in this order:  W = W - lr * (dW + wd * W);  b = b - lr * db.
 * The decay is not part of the loss. */
void mlp_sgd(Mlp *m, float lr, float wd);

/* mlp_backward then mlp_sgd, the same bits (parameters and gradients), in one
 * pass: each layer is updated right after its gradients are computed
 * (fc_backward_sgd in layers.h), while they are still in cache. The trainer's
 * step; the two calls above stay for tests and gradient checks. */
void mlp_step(Mlp *m, const float *x, float lr, float wd);

/* Scores any number of rows, max_batch at a time: adds each row's loss to
 * *loss_sum in row order, starting from the value passed in (so the result does
 * not depend on max_batch; the mean is the sum / n), and adds the correct
 * predictions to *correct. Returns 0, or -1 with a message in err (ERR_MAX
 * bytes) and nothing added if a label is >= n_out. Overwrites the state forward
 * kept for backward. */
int mlp_evaluate(Mlp *m, const float *x, const uint8_t *labels, size_t n, double *loss_sum,
                 size_t *correct, char *err);

#endif
