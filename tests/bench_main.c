/* bench - times the matrix products (gemm.h) on every path this CPU has against
 * OpenBLAS's single-thread sgemm on the shapes the trainers use, and a pure-FMA
 * register loop as the core's peak. A report, not a test: no thresholds.
 *
 *   bench [--out FILE]      the table on stdout and, written atomically, in FILE
 *
 * OpenBLAS picks its kernels when it is loaded, from OPENBLAS_CORETYPE, so each
 * OpenBLAS column is measured by a child process (this program again, with
 * --openblas CORE) started with that core forced: on x86-64 Haswell's AVX2
 * kernels against our avx2 path, SkylakeX's AVX-512 kernels against our avx512
 * path; on aarch64 the kernels OpenBLAS picks for the CPU ("auto") against our
 * neon path. Elsewhere only the scalar reference is timed. OpenBLAS is linked
 * into this program only, never into the trainer. */
#include "gemm.h"
#include "gemm_paths.h"
#include "host.h"
#include "rng.h"

#include <cblas.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef enum { FORM_NN, FORM_TN, FORM_NT } Form;

static const char *const FORM_NAMES[] = {"nn", "tn", "nt"};

typedef struct {
    Form form;
    size_t m, n, k;
} Shape;

enum { MAX_SHAPES = 96, SAMPLES = 7, PASSES = 2 };

/* The vector paths of this architecture, each with the OpenBLAS core it is
 * compared with ("auto": OpenBLAS's own choice) and its peak loop. */
typedef struct {
    Isa isa;
    const char *core;
    double (*peak)(long iters, float *sink);
} FastPath;

#if defined(__x86_64__)
static const FastPath FAST[] = {{ISA_AVX2, "Haswell", gemm_peak_avx2},
                                {ISA_AVX512, "SkylakeX", gemm_peak_avx512}};
enum { N_FAST = 2 };
#elif defined(__aarch64__)
static const FastPath FAST[] = {{ISA_NEON, "auto", gemm_peak_neon}};
enum { N_FAST = 1 };
#else
static const FastPath FAST[1] = {{ISA_SCALAR, "auto", NULL}};
enum { N_FAST = 0 };
#endif

/* Layer sizes (inputs, outputs) and batch sizes of the trainers. nn is the
 * forward product y = x W, also at the evaluation block of 1000 rows; tn the
 * weight gradient dW = x^T dy (the batch is the summed index); nt the input
 * gradient dx = dy W^T. */
static const size_t LAYERS[][2] = {{784, 10}, {784, 128}, {784, 512}, {512, 128}, {128, 10}};
static const size_t BATCHES[] = {16, 32, 64, 100, 1000};
enum { N_LAYERS = 5, N_BATCHES = 5, TRAIN_BATCHES = 4 };

static size_t make_shapes(Shape *s)
{
    size_t n = 0;
    for (int f = FORM_NN; f <= FORM_NT; f++)
        for (size_t l = 0; l < N_LAYERS; l++)
            for (size_t b = 0; b < (f == FORM_NN ? N_BATCHES : TRAIN_BATCHES); b++) {
                size_t in = LAYERS[l][0], out = LAYERS[l][1], bs = BATCHES[b];
                s[n].form = (Form)f;
                s[n].m = f == FORM_TN ? in : bs;
                s[n].n = f == FORM_NT ? in : out;
                s[n].k = f == FORM_NN ? in : f == FORM_TN ? bs : out;
                n++;
            }
    return n;
}

/* Operands for the largest shape, tightly packed (ld = row length). */
enum { BUF_FLOATS = 1000 * 1024 };

typedef struct {
    float *a, *b, *c;
} Bufs;

static void shape_lds(const Shape *s, size_t *lda, size_t *ldb)
{
    *lda = s->form == FORM_TN ? s->m : s->k;
    *ldb = s->form == FORM_NT ? s->k : s->n;
}

static void run_ours(const Shape *s, const Bufs *x)
{
    size_t lda, ldb;
    shape_lds(s, &lda, &ldb);
    switch (s->form) {
    case FORM_NN:
        gemm_nn(s->m, s->n, s->k, x->a, lda, x->b, ldb, x->c, s->n, 0);
        return;
    case FORM_TN:
        gemm_tn(s->m, s->n, s->k, x->a, lda, x->b, ldb, x->c, s->n, 0);
        return;
    case FORM_NT:
        gemm_nt(s->m, s->n, s->k, x->a, lda, x->b, ldb, x->c, s->n, 0);
        return;
    }
}

static void run_blas(const Shape *s, const Bufs *x)
{
    size_t lda, ldb;
    shape_lds(s, &lda, &ldb);
    cblas_sgemm(CblasRowMajor, s->form == FORM_TN ? CblasTrans : CblasNoTrans,
                s->form == FORM_NT ? CblasTrans : CblasNoTrans, (int)s->m, (int)s->n, (int)s->k,
                1.0f, x->a, (int)lda, x->b, (int)ldb, 0.0f, x->c, (int)s->n);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Best of `samples` timings, each of enough calls to last about 5 ms. */
static double gflops(void (*run)(const Shape *, const Bufs *), const Shape *s, const Bufs *x,
                     int samples)
{
    double t0 = now();
    run(s, x);
    double once = now() - t0;
    long reps = once > 0.005 ? 1 : (long)(0.005 / (once > 1e-7 ? once : 1e-7)) + 1;
    double best = INFINITY;
    for (int i = 0; i < samples; i++) {
        t0 = now();
        for (long r = 0; r < reps; r++)
            run(s, x);
        double dt = (now() - t0) / (double)reps;
        if (dt < best)
            best = dt;
    }
    return 2.0 * (double)s->m * (double)s->n * (double)s->k / best * 1e-9;
}

static void fill(Bufs *x)
{
    Rng r;
    rng_seed(&r, 12345, 1);
    for (size_t i = 0; i < BUF_FLOATS; i++) {
        x->a[i] = 2.0f * rng_uniform(&r) - 1.0f;
        x->b[i] = 2.0f * rng_uniform(&r) - 1.0f;
        x->c[i] = 0.0f;
    }
}

/* Whether OpenBLAS's last result agrees with ours to single-precision accuracy
 * (it sums in another order, so not bit for bit): a wrong kernel for this CPU
 * would otherwise just look fast. |c| <= k for inputs in [-1, 1]. */
static int blas_agrees(const Shape *s, const Bufs *x, float *theirs)
{
    size_t len = s->m * s->n;
    memcpy(theirs, x->c, len * sizeof *theirs);
    run_ours(s, x);
    for (size_t i = 0; i < len; i++)
        if (!(fabsf(theirs[i] - x->c[i]) <= 1e-5f * (float)s->k))
            return 0;
    return 1;
}

/* Child mode: "core NAME", then per shape "index gflops agrees". */
static int openblas_child(const Shape *shapes, size_t n, Bufs *x)
{
    openblas_set_num_threads(1);
    float *theirs = malloc(BUF_FLOATS * sizeof *theirs);
    if (!theirs)
        return 1;
    printf("core %s\n", openblas_get_corename());
    for (size_t i = 0; i < n; i++) {
        double g = gflops(run_blas, &shapes[i], x, SAMPLES);
        printf("%zu %.6f %d\n", i, g, blas_agrees(&shapes[i], x, theirs));
    }
    free(theirs);
    return fflush(stdout) == 0 ? 0 : 1;
}

typedef struct {
    char core[256]; /* what OpenBLAS says it runs */
    double gf[MAX_SHAPES];
    int agrees[MAX_SHAPES];
    int ok; /* measured, and every child run reported every shape */
} BlasRun;

/* Runs this program as an OpenBLAS child with OPENBLAS_CORETYPE=core; keeps
 * the better of out's and the new figure for each shape. */
static int openblas_measure(const char *core, size_t n, BlasRun *out)
{
    int fd[2];
    if (pipe(fd) < 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        dup2(fd[1], STDOUT_FILENO);
        close(fd[0]);
        close(fd[1]);
        if (strcmp(core, "auto") != 0)
            setenv("OPENBLAS_CORETYPE", core, 1);
        setenv("OPENBLAS_NUM_THREADS", "1", 1);
        unsetenv("OPENBLAS_L2_SIZE");
        execl("/proc/self/exe", "bench", "--openblas", core, (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    FILE *f = fdopen(fd[0], "r");
    if (!f)
        return -1;
    char line[256];
    size_t got = 0;
    while (fgets(line, sizeof line, f)) {
        size_t i;
        double g;
        int ok;
        if (strncmp(line, "core ", 5) == 0) {
            snprintf(out->core, sizeof out->core, "%s", line + 5);
            out->core[strcspn(out->core, "\n")] = '\0';
        } else if (sscanf(line, "%zu %lf %d", &i, &g, &ok) == 3 && i < n) {
            if (g > out->gf[i])
                out->gf[i] = g;
            out->agrees[i] = out->agrees[i] && ok;
            got++;
        }
    }
    fclose(f);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return got == n && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* ------------------------------------------------------------------------- */

static FILE *table;  /* the temporary output file, or NULL */

static void emit(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fflush(stdout);
    if (table) {
        va_start(ap, fmt);
        vfprintf(table, fmt, ap);
        va_end(ap);
    }
}

/* Best of 200 runs of about 1 ms of independent register FMAs: on a busy
 * machine the scheduler's slices are a few milliseconds, so some short runs
 * go through untouched where every longer one would be cut. */
static double peak(const FastPath *f)
{
    double best = 0.0;
    float sink;
    for (int i = 0; i < 200; i++) {
        double t0 = now();
        double flops = f->peak(1L << 19, &sink);
        double g = flops / (now() - t0) * 1e-9;
        if (g > best)
            best = g;
    }
    return best;
}

static void fmt_gf(char *buf, size_t len, double g)
{
    if (g > 0.0)
        snprintf(buf, len, "%.1f", g);
    else
        snprintf(buf, len, "-");
}

static void fmt_ratio(char *buf, size_t len, double ours, double blas)
{
    if (ours > 0.0 && blas > 0.0)
        snprintf(buf, len, "%.2f", ours / blas);
    else
        snprintf(buf, len, "-");
}

typedef struct {
    int has[ISA_COUNT];                 /* per Isa: the CPU has the path */
    double ours[MAX_SHAPES][ISA_COUNT]; /* per Isa, 0 where not measured */
    BlasRun blas[N_FAST + 1];           /* OpenBLAS, against FAST[p] */
    double peak[N_FAST + 1];
} Results;

/* Other work on the machine only ever slows a measurement down, so each
 * figure is the best of PASSES passes over all shapes, seconds apart. */
static void measure(const Shape *shapes, size_t n, const Bufs *x, Results *res)
{
    for (int p = ISA_SCALAR; p < ISA_COUNT; p++)
        res->has[p] = isa_supported((Isa)p);
    for (int f = 0; f < N_FAST; f++) {
        res->blas[f].ok = res->has[FAST[f].isa];
        for (size_t i = 0; i < n; i++)
            res->blas[f].agrees[i] = 1;
    }
    Isa before = gemm_isa();
    for (int pass = 0; pass < PASSES; pass++) {
        fprintf(stderr, "bench: pass %d of %d\n", pass + 1, PASSES);
        for (int f = 0; f < N_FAST; f++) {
            if (res->blas[f].ok && openblas_measure(FAST[f].core, n, &res->blas[f]) < 0)
                res->blas[f].ok = 0;
            if (res->has[FAST[f].isa])
                res->peak[f] = fmax(res->peak[f], peak(&FAST[f]));
        }
        for (size_t i = 0; i < n; i++) {
            const Shape *s = &shapes[i];
            size_t batch = s->form == FORM_TN ? s->k : s->m;
            for (int p = ISA_SCALAR; p < ISA_COUNT; p++) {
                /* the reference once, at the smallest batch */
                if (!res->has[p] || (p == ISA_SCALAR && (pass > 0 || batch != BATCHES[0])))
                    continue;
                gemm_force((Isa)p);
                res->ours[i][p] =
                    fmax(res->ours[i][p], gflops(run_ours, s, x, p == ISA_SCALAR ? 3 : SAMPLES));
            }
        }
    }
    gemm_force(before);
}

static void print_table(const Shape *shapes, size_t n, const Results *res)
{
    char cpu[256], date[64];
    host_cpu_model(cpu, sizeof cpu);
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S UTC", &tm);
    emit("# kernels: the matrix products (GFLOP/s = 2mnk / time, one core, best of %d x %d)\n",
         PASSES, SAMPLES);
    emit("# cpu       %s\n", cpu);
    emit("# date      %s\n", date);
    emit("# paths     scalar");
    for (int f = 0; f < N_FAST; f++)
        if (res->has[FAST[f].isa])
            emit(" %s", isa_name(FAST[f].isa));
    emit("\n# openblas  %s, 1 thread", openblas_get_config());
    for (int f = 0; f < N_FAST; f++)
        emit("; vs %s: core %s", isa_name(FAST[f].isa),
             res->blas[f].ok ? res->blas[f].core : "-");
    emit("\n# peak      pure-FMA register loop:");
    for (int f = 0; f < N_FAST; f++)
        emit("%s %s %.1f GFLOP/s", f ? "," : "", isa_name(FAST[f].isa), res->peak[f]);
    emit("%s\n", N_FAST ? "" : " (no vector path on this architecture)");
    emit("# ratio     ours / OpenBLAS; scalar (the reference) is timed at the smallest "
         "batch only\n");
    emit("#\n");
    emit("%-4s %5s %5s %5s  %7s", "form", "m", "n", "k", "scalar");
    for (int f = 0; f < N_FAST; f++)
        emit("  %7s %7s %5s", isa_name(FAST[f].isa), "blas", "ratio");
    emit("\n");

    double log_sum[N_FAST + 1], worst[N_FAST + 1];
    size_t counted[N_FAST + 1], worst_at[N_FAST + 1];
    for (int p = 0; p <= N_FAST; p++) {
        log_sum[p] = 0.0;
        worst[p] = INFINITY;
        counted[p] = worst_at[p] = 0;
    }
    int disagree = 0, failed = 0;
    for (int p = 0; p < N_FAST; p++)
        failed |= res->has[FAST[p].isa] && !res->blas[p].ok;
    for (size_t i = 0; i < n; i++) {
        const Shape *s = &shapes[i];
        char col[1 + 3 * N_FAST][16];
        fmt_gf(col[0], sizeof col[0], res->ours[i][ISA_SCALAR]);
        for (int p = 0; p < N_FAST; p++) {
            const BlasRun *blas_run = &res->blas[p];
            double mine = res->ours[i][FAST[p].isa];
            double blas = blas_run->ok ? blas_run->gf[i] : 0.0;
            disagree += blas_run->ok && !blas_run->agrees[i];
            fmt_gf(col[1 + 3 * p], sizeof col[0], mine);
            fmt_gf(col[2 + 3 * p], sizeof col[0], blas);
            fmt_ratio(col[3 + 3 * p], sizeof col[0], mine, blas);
            if (mine > 0.0 && blas > 0.0) {
                log_sum[p] += log(mine / blas);
                counted[p]++;
                if (mine / blas < worst[p]) {
                    worst[p] = mine / blas;
                    worst_at[p] = i;
                }
            }
        }
        emit("%-4s %5zu %5zu %5zu  %7s", FORM_NAMES[s->form], s->m, s->n, s->k, col[0]);
        for (int p = 0; p < N_FAST; p++)
            emit("  %7s %7s %5s", col[1 + 3 * p], col[2 + 3 * p], col[3 + 3 * p]);
        emit("\n");
    }
    emit("#\n");
    for (int p = 0; p < N_FAST; p++) {
        if (!counted[p])
            continue;
        const Shape *w = &shapes[worst_at[p]];
        emit("# %-6s vs OpenBLAS: geometric mean ratio %.2f over %zu shapes, lowest %.2f (%s "
             "%zu x %zu x %zu)\n",
             isa_name(FAST[p].isa), exp(log_sum[p] / (double)counted[p]), counted[p], worst[p],
             FORM_NAMES[w->form], w->m, w->n, w->k);
    }
    if (disagree)
        emit("# WARNING   OpenBLAS disagreed with our results beyond float accuracy on %d "
             "measurements: its numbers are suspect\n",
             disagree);
    if (failed)
        emit("# WARNING   an OpenBLAS child run failed; its columns are empty\n");
    emit("#\n");
    emit("# Whole-run timings (build/release/bin/train) are not part of this table: they\n");
    emit("# are in build/bench/runs.txt (make bench-runs, tests/bench_runs.sh).\n");
}

int main(int argc, char **argv)
{
    static Shape shapes[MAX_SHAPES];
    size_t n = make_shapes(shapes);
    Bufs x = {malloc(BUF_FLOATS * sizeof(float)), malloc(BUF_FLOATS * sizeof(float)),
              malloc(BUF_FLOATS * sizeof(float))};
    if (!x.a || !x.b || !x.c) {
        fprintf(stderr, "bench: out of memory\n");
        return 1;
    }
    fill(&x);
    if (argc == 3 && strcmp(argv[1], "--openblas") == 0)
        return openblas_child(shapes, n, &x);

    const char *out_path = NULL;
    if (argc == 3 && strcmp(argv[1], "--out") == 0)
        out_path = argv[2];
    else if (argc != 1) {
        fprintf(stderr, "usage: bench [--out FILE]\n");
        return 2;
    }
    char tmp_path[4096];
    if (out_path) {
        snprintf(tmp_path, sizeof tmp_path, "%s.tmp.%ld", out_path, (long)getpid());
        table = fopen(tmp_path, "w");
        if (!table) {
            fprintf(stderr, "bench: '%s': %s\n", tmp_path, strerror(errno));
            return 1;
        }
    }

    static Results res;
    measure(shapes, n, &x, &res);
    print_table(shapes, n, &res);

    free(x.a);
    free(x.b);
    free(x.c);
    if (table) {
        if (fclose(table) != 0 || rename(tmp_path, out_path) != 0) {
            fprintf(stderr, "bench: '%s': %s\n", out_path, strerror(errno));
            remove(tmp_path);
            return 1;
        }
        fprintf(stderr, "bench: wrote %s\n", out_path);
    }
    return 0;
}
