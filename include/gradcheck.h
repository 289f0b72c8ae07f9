/* gradcheck.h - central-difference checks of every layer's and loss's backward
 * pass, on the code the trainer runs (`train --gradcheck FILE`; make report
 * writes the table the report shows, and a check that fails fails the build).
 *
 * Each check draws a small case from a fixed seed, takes the analytic gradient
 * from the backward function, and compares it with central differences of the
 * forward function: each float parameter moved by +-GRADCHECK_EPS (the step
 * actually taken is the difference of the two rounded floats), the objective
 * evaluated and differenced in double. The error of a check is
 *   ||numeric - analytic|| / ||analytic||   (Euclidean norms over its parameters)
 * and it passes when that is at most GRADCHECK_BOUND and ||analytic|| is not
 * tiny (an all-zero or missing gradient cannot pass). The bound allows for the
 * forward pass computing in float: differences of float objectives over a step
 * of 1e-3 carry errors of about 1e-4 relative. */
#ifndef GRADCHECK_H
#define GRADCHECK_H

#include <stddef.h>

#define GRADCHECK_EPS 1e-3
#define GRADCHECK_BOUND 1e-2
#define GRADCHECK_COUNT 8 /* the rows of gradcheck_run */

typedef struct {
    const char *check;  /* "fc-weights", "fc-bias", "fc-input", "relu", "sigmoid",
                         * "euclidean", "softmax-ce", "softmax-classifier" */
    const char *what;   /* the gradient checked, e.g. "dE/dW = x^T dy" */
    size_t params;      /* how many parameters were moved */
    double rel_error;   /* as above */
    double grad_norm;   /* ||analytic|| */
    int ok;
} GradCheck;

/* Runs every check into rows[0..GRADCHECK_COUNT). Returns the number that
 * failed (0: all passed), or -1 with err (ERR_MAX bytes) when a model cannot be
 * made (no memory). */
int gradcheck_run(GradCheck rows[GRADCHECK_COUNT], char *err);

/* The relative error of the analytic gradient g of f at p[0..count), as the
 * header describes (p is moved and restored), and ||g|| in *g_norm. */
typedef double (*GradObjective)(void *ctx);
double gradcheck_error(float *p, const float *g, size_t count, GradObjective f, void *ctx,
                       double *g_norm);

#endif
