/* gradcheck: the central-difference checks of gradcheck.h on the built code,
 * written as a table (make report shows it; a failed check fails the build). */
#include "atomic.h"
#include "err.h"
#include "gemm.h"
#include "gradcheck.h"
#include "opts.h"

#include <stdio.h>

static const char ABOUT[] =
    "Checks the backward pass of every layer and loss the trainers use (fully\n"
    "connected, ReLU, sigmoid, Euclidean, softmax cross-entropy, the softmax\n"
    "classifier with lambda) against central differences of the forward pass,\n"
    "and writes FILE (CSV: check, gradient, parameters, relative_error, bound,\n"
    "status) by atomic rename.\n"
    "\n"
    "Exit status 0: every check passed; 1: a check failed (one line each on\n"
    "stderr, FILE not written) or a write failed; 2: bad usage.";

int main(int argc, char **argv)
{
    const char *out = NULL;
    const Opt opts[] = {{.name = "out", .meta = "FILE", .str = &out, .required = 1,
                         .help = "the table to write, e.g. build/report/mnist/gradcheck.csv"},
                        {0}};
    const OptsSpec spec = {.prog = "gradcheck", .args = NULL, .about = ABOUT, .opts = opts};
    char err[ERR_MAX];
    int i = opts_parse(&spec, argc, argv, err);
    if (i == OPTS_HELP) {
        opts_usage(&spec, stdout);
        return 0;
    }
    if (i < 0) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    if (gemm_select(err) < 0) {
        fprintf(stderr, "gradcheck: %s\n", err);
        return 1;
    }
    GradCheck rows[GRADCHECK_COUNT];
    int failed = gradcheck_run(rows, err);
    if (failed < 0) {
        fprintf(stderr, "gradcheck: %s\n", err);
        return 1;
    }
    for (int k = 0; k < GRADCHECK_COUNT; k++)
        if (!rows[k].ok)
            fprintf(stderr,
                    "gradcheck: '%s' (%s): relative error %.3g over %zu parameters, bound %g "
                    "(gradient norm %.3g)\n",
                    rows[k].check, rows[k].what, rows[k].rel_error, rows[k].params,
                    GRADCHECK_BOUND, rows[k].grad_norm);
    if (failed)
        return 1;
    AtomicFile a;
    if (atomic_open(&a, out, err) < 0) {
        fprintf(stderr, "gradcheck: %s\n", err);
        return 1;
    }
    fputs("check,gradient,parameters,relative_error,bound,status\n", a.f);
    for (int k = 0; k < GRADCHECK_COUNT; k++)
        fprintf(a.f, "%s,\"%s\",%zu,%.3g,%g,%s\n", rows[k].check, rows[k].what, rows[k].params,
                rows[k].rel_error, GRADCHECK_BOUND, rows[k].ok ? "passed" : "failed");
    if (atomic_commit(&a, err) < 0) {
        fprintf(stderr, "gradcheck: %s\n", err);
        return 1;
    }
    return 0;
}
