/* Layer and loss kernels; the contracts (shapes, summation orders) are in
 * include/layers.h. */
#include "layers.h"

#include "fmath.h"
#include "gemm.h"
#include "vec.h"

#include <string.h>

/* db (out) = column sums of dy (n x out), rows added in order from 0. */
static void bias_backward(float *db, const float *dy, size_t n, size_t out)
{
    for (size_t j = 0; j < out; j++)
        db[j] = 0.0f;
    for (size_t i = 0; i < n; i++)
        vec_add(db, dy + i * out, out);
}

void fc_forward(float *y, const float *x, const float *w, const float *b,
                size_t n, size_t in, size_t out)
{
    for (size_t i = 0; i < n; i++)
        memcpy(y + i * out, b, out * sizeof *y);
    gemm_nn(n, out, in, x, in, w, out, y, out, 1);
}

void fc_backward(float *dx, float *dw, float *db, const float *dy, const float *x,
                 const float *w, size_t n, size_t in, size_t out)
{
    gemm_tn(in, out, n, x, in, dy, out, dw, out, 0);
    bias_backward(db, dy, n, out);
    if (dx)
        gemm_nt(n, in, out, dy, out, w, out, dx, in, 0);
}

/* Rows of dw computed and applied at a time by fc_backward_sgd: the row block
 * of the products' kernels (MC in gemm_avx512.c), so each call does the work of
 * one block of a whole product; at 512 outputs, 256 KiB of dw and of w, which
 * stay in L2 between the product and the update. */
enum { SGD_ROWS = 128 };

void fc_backward_sgd(float *dx, float *w, float *dw, float *b, float *db, const float *dy,
                     const float *x, size_t n, size_t in, size_t out, float lr, float wd)
{
    if (dx)
        gemm_nt(n, in, out, dy, out, w, out, dx, in, 0);
    bias_backward(db, dy, n, out);
    vec_sgd(b, db, out, lr);
    for (size_t i0 = 0; i0 < in; i0 += SGD_ROWS) {
        size_t rows = in - i0 < SGD_ROWS ? in - i0 : SGD_ROWS;
        gemm_tn(rows, out, n, x + i0, in, dy, out, dw + i0 * out, out, 0);
        vec_sgd_decay(w + i0 * out, dw + i0 * out, rows * out, lr, wd);
    }
}

/* The activations are vec.h's loops, whose vector paths give the same bits. */
void relu_forward(float *y, const float *x, size_t count)
{
    vec_relu(y, x, count);
}

void relu_backward(float *dx, const float *dy, const float *x, size_t count)
{
    vec_relu_grad(dx, dy, x, count);
}

void sigmoid_forward(float *y, const float *x, size_t count)
{
    vec_sigmoid(y, x, count);
}

void sigmoid_backward(float *dx, const float *dy, const float *y, size_t count)
{
    vec_sigmoid_grad(dx, dy, y, count);
}

/* One row: e (k) = exp(y - max(y)); returns the sum of e in double, left to
 * right, and the row maximum in *max. e may alias y. */
static double exp_shifted_row(float *e, const float *y, size_t k, float *max)
{
    float m = y[0];
    for (size_t j = 1; j < k; j++)
        if (y[j] > m)
            m = y[j];
    vec_exp_shifted(e, y, k, m);
    double sum = 0.0;
    for (size_t j = 0; j < k; j++)
        sum += e[j];
    *max = m;
    return sum;
}

void softmax_rows(float *p, const float *y, size_t n, size_t k)
{
    for (size_t i = 0; i < n; i++) {
        float m;
        double sum = exp_shifted_row(p + i * k, y + i * k, k, &m);
        vec_div_double(p + i * k, p + i * k, k, sum);
    }
}

void euclidean_loss(float *dy, double *loss_sum, const float *y,
                    const uint8_t *labels, size_t n, size_t k)
{
    double acc = *loss_sum;
    float den = (float)n;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < k; j++) {
            float t = (j == labels[i]) ? 1.0f : 0.0f;
            float d = y[i * k + j] - t;
            double dd = d;
            acc += 0.5 * (dd * dd);
            if (dy)
                dy[i * k + j] = d / den;
        }
    *loss_sum = acc;
}

void softmax_ce_loss(float *dy, float *p, double *loss_sum, const float *y,
                     const uint8_t *labels, size_t n, size_t k)
{
    double acc = *loss_sum;
    float den = (float)n;
    for (size_t i = 0; i < n; i++) {
        const float *yi = y + i * k;
        float *pi = p + i * k;
        float m;
        double sum = exp_shifted_row(pi, yi, k, &m);
        vec_div_double(pi, pi, k, sum);
        /* -ln(e_label / sum) = ln(sum) - (y_label - max): finite even when
         * p[label] has underflowed to 0. */
        double shifted = (double)yi[labels[i]] - (double)m;
        acc += (double)fm_logf((float)sum) - shifted;
        if (dy)
            for (size_t j = 0; j < k; j++) {
                float t = (j == labels[i]) ? 1.0f : 0.0f;
                dy[i * k + j] = (pi[j] - t) / den;
            }
    }
    *loss_sum = acc;
}

double weights_sum_squares(const float *w, size_t count)
{
    double sq = 0.0;
    for (size_t i = 0; i < count; i++) {
        double v = w[i];
        sq += v * v;
    }
    return sq;
}

size_t argmax_correct(const float *y, const uint8_t *labels, size_t n, size_t k)
{
    size_t correct = 0;
    for (size_t i = 0; i < n; i++) {
        const float *yi = y + i * k;
        /* selects rather than branches: which output is largest is as good as
         * random, and a mispredicted branch costs more than the select */
        size_t best = 0;
        float top = yi[0];
        for (size_t j = 1; j < k; j++) {
            int above = yi[j] > top;
            top = above ? yi[j] : top;
            best = above ? j : best;
        }
        correct += (best == labels[i]);
    }
    return correct;
}
