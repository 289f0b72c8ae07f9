/* train: runs one run of an experiment and writes its results directory. */
#include "atomic.h"
#include "data.h"
#include "err.h"
#include "experiment.h"
#include "gemm.h"
#include "opts.h"
#include "rundir.h"
#include "runpath.h"
#include "trainer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char ABOUT[] =
    "Runs one run of an experiment and writes DIR/{epochs.csv, iterations.csv,\n"
    "summary.json, timing.json}, each by atomic rename, summary.json last.\n"
    "\n"
    "Environment: MNIST_ISA=scalar|avx2|avx512|neon forces the kernel path (avx2\n"
    "and avx512 on x86-64, neon on aarch64; the widest the CPU has by default;\n"
    "results are the same bits on every path). A run whose loss becomes NaN or\n"
    "infinite stops and is recorded with status \"diverged\"; exit status 0.\n"
    "Exit status 1: bad input or a failed write (nothing partial is left);\n"
    "2: bad usage.";

/* An error: one line on stderr. On a terminal the line is cleared first: make
 * may have drawn its progress line there, in place, without a newline. */
static void error_line(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

static void error_line(const char *fmt, ...)
{
    if (isatty(STDERR_FILENO))
        fputs("\r\033[K", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

typedef struct {
    const char *name;
    time_t start;
    time_t last;
    int tty;
} ProgressLine;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void show_progress(void *ctx, size_t epoch, size_t iteration, size_t total, double loss)
{
    ProgressLine *p = ctx;
    time_t t = time(NULL);
    if (t == p->last && iteration != total)
        return;
    p->last = t;
    double spent = difftime(t, p->start);
    double left = iteration ? spent * (double)(total - iteration) / (double)iteration : 0.0;
    fprintf(stderr, "\r  %s  epoch %zu  %3.0f%%  loss %.4f  %4.0fs left  ", p->name, epoch,
            100.0 * (double)iteration / (double)total, loss, left);
    fflush(stderr);
}

#define OUTS_MAX 16

/* One results directory of the training and the names it is written under. */
typedef struct {
    const char *dir;
    const char *name; /* --name DATASET/STUDY/RUN, or NULL: dir's last components */
    RunName names;
} Output;

typedef struct {
    const char *config, *run, *data_dir, *sums;
    Output outs[OUTS_MAX];
    size_t n_outs;
    int quiet, no_sums;
} Args;

/* Parses argv into a; returns -1 after --help, 2 on bad usage, 0 otherwise. */
static int parse_args(int argc, char **argv, Args *a)
{
    memset(a, 0, sizeof *a);
    OptList outs = {0}, names = {0};
    const Opt opts[] = {
        {.name = "config", .meta = "FILE", .str = &a->config, .required = 1,
         .help = "an experiment file (experiments/README.md) with one\n"
                 "run (the planner's build/runs/.../RUN.cfg), or with --run"},
        {.name = "run", .meta = "NAME", .str = &a->run,
         .help = "which run of a study file, e.g. lambda-0.2,seed-1"},
        {.name = "data", .meta = "DIR", .str = &a->data_dir, .required = 1,
         .help = "the dataset's four IDX files, raw or .gz"},
        {.name = "sums", .meta = "FILE", .str = &a->sums,
         .help = "refuse data whose SHA-256 is not the one FILE lists\n"
                 "for it (experiments/datasets/DATASET.sha256; make\n"
                 "passes it). Without it, the data is checked against\n"
                 "DIR/.verified (make data writes it) or else\n"
                 "experiments/datasets/NAME.sha256 (NAME: DIR's last\n"
                 "component) when either exists"},
        {.name = "no-sums", .flag = &a->no_sums,
         .help = "train on the data unchecked, even when a checksum\n"
                 "file is known for it"},
        {.name = "out", .meta = "DIR", .list = &outs, .required = 1,
         .help = "the run's results directory, results/DATASET/STUDY/RUN.\n"
                 "Given again (up to 16), the one training is written to\n"
                 "every DIR: the planner does so for the runs of one\n"
                 "configuration in several studies (the later DIRs'\n"
                 "timing.json say \"trained_with\": the first one's STUDY/RUN)"},
        {.name = "name", .meta = "D/S/R", .list = &names,
         .help = "DATASET/STUDY/RUN, the names an --out is written under\n"
                 "(summary.json): one per --out, in their order; without\n"
                 "them, each DIR's last three components (the planner\n"
                 "always gives them)"},
        {.name = "quiet", .flag = &a->quiet, .help = "no progress or closing line"},
        {0}};
    const OptsSpec spec = {.prog = "train", .args = NULL, .about = ABOUT, .opts = opts};
    char err[ERR_MAX];
    int rc = 0, i = opts_parse(&spec, argc, argv, err);
    if (i == OPTS_HELP) {
        opts_usage(&spec, stdout);
        rc = -1;
    } else if (i < 0) {
        error_line("%s\n", err);
        rc = 2;
    } else if (outs.n > OUTS_MAX) {
        error_line("train: more than %d --out directories\n", OUTS_MAX);
        rc = 2;
    } else if (names.n && names.n != outs.n) {
        error_line("train: %zu --out but %zu --name: give one --name per --out, or none\n",
                   outs.n, names.n);
        rc = 2;
    } else if (a->sums && a->no_sums) {
        error_line("train: --sums and --no-sums: give one or the other\n");
        rc = 2;
    } else if (outs.n > 1 && a->run) {
        error_line("train: --run names one run of a study file: give one --out with it\n");
        rc = 2;
    }
    for (size_t k = 0; rc == 0 && k < outs.n; k++) {
        a->outs[k].dir = outs.items[k];
        a->outs[k].name = names.n ? names.items[k] : NULL;
    }
    a->n_outs = rc == 0 ? outs.n : 0;
    free(outs.items);
    free(names.items);
    return rc;
}

/* The checksum file the data is checked against when --sums is not given:
 * the data directory's stamp (make data copies the checksums it verified
 * into DIR/.verified), or else experiments/datasets/NAME.sha256, NAME the
 * directory's last component; NULL when neither exists (data with no
 * checksums is trained on as it is). */
static const char *default_sums(const char *data_dir, char *buf, size_t size)
{
    size_t n = strlen(data_dir);
    while (n > 1 && data_dir[n - 1] == '/')
        n--;
    if ((size_t)snprintf(buf, size, "%.*s/.verified", (int)n, data_dir) < size &&
        access(buf, R_OK) == 0)
        return buf;
    size_t b = n;
    while (b > 0 && data_dir[b - 1] != '/')
        b--;
    if ((size_t)snprintf(buf, size, "experiments/datasets/%.*s.sha256", (int)(n - b),
                         data_dir + b) < size && n > b && access(buf, R_OK) == 0)
        return buf;
    return NULL;
}

/* The run's configuration: the config file's only run, or the one --run names;
 * and each output's names. Returns 0, or the exit status. */
static int load_run(Args *a, RunConfig *cfg)
{
    char err[ERR_MAX], name[RUN_NAME_MAX];
    Experiment *e = experiment_load(a->config, err);
    if (!e) {
        error_line("%s\n", err);
        return 1;
    }
    int rc = 0;
    if (a->run) {
        if (experiment_find_run(e, a->run, cfg, err) < 0) {
            error_line("%s\n", err);
            rc = 1;
        }
    } else if (experiment_run_count(e) == 1) {
        experiment_run(e, 0, cfg, name);
    } else {
        error_line("train: '%s' has %zu runs: name one with --run\n", a->config,
                   experiment_run_count(e));
        rc = 2;
    }
    experiment_free(e);
    for (size_t i = 0; rc == 0 && i < a->n_outs; i++) {
        Output *o = &a->outs[i];
        if (o->name && run_name_parse(o->name, &o->names, err) < 0) {
            error_line("train: --name %s\n", err);
            rc = 2;
            break;
        }
        if (!o->name)
            run_path_split(o->dir, &o->names);
        if (a->run && strcmp(o->names.run, a->run) != 0) {
            error_line("train: --out '%s' should end in the run's name '%s'\n", o->dir, a->run);
            rc = 2;
        }
    }
    return rc;
}

static void clear_outputs(const Args *a)
{
    for (size_t i = 0; i < a->n_outs; i++)
        rundir_clear(a->outs[i].dir, NULL);
}

/* Writes the training to every output: timing.json, then the curves and
 * summary.json last; the later outputs' timing.json name `first`, the first
 * output's "study/run", as the training they share. Returns 0, or -1 with err
 * set. */
static int write_outputs(const Args *a, const Data *data, const RunConfig *cfg,
                         const TrainResult *res, const char *first, double wall, double cpu,
                         char *err)
{
    for (size_t i = 0; i < a->n_outs; i++) {
        const Output *o = &a->outs[i];
        RunMeta meta = {o->names.dataset, o->names.study, o->names.run, data->sha256};
        if (rundir_write_timing(o->dir, wall, cpu, res, isa_name(gemm_isa()), isa_machine(),
                                i ? first : NULL, err) < 0 ||
            rundir_write(o->dir, &meta, cfg, res, err) < 0)
            return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    Args a;
    int rc = parse_args(argc, argv, &a);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    char err[ERR_MAX];
    if (gemm_select(err) < 0) {
        error_line("train: %s\n", err);
        return 2;
    }
    RunConfig cfg;
    if ((rc = load_run(&a, &cfg)) != 0)
        return rc;

    Data data;
    if (data_load(&data, a.data_dir, err) < 0) {
        error_line("train: %s\n", err);
        return 1;
    }
    /* before anything is written: bad data leaves the old results alone */
    char sums_buf[4096];
    if (!a.sums && !a.no_sums)
        a.sums = default_sums(a.data_dir, sums_buf, sizeof sums_buf);
    if (a.sums && !a.no_sums && data_check_sums(&data, a.sums, err) < 0) {
        error_line("train: %s\n", err);
        data_release(&data);
        return 1;
    }
    for (size_t i = 0; i < a.n_outs; i++)
        if (make_dirs(a.outs[i].dir, err) < 0 || rundir_clear(a.outs[i].dir, err) < 0) {
            error_line("train: %s\n", err);
            data_release(&data);
            return 1;
        }

    char label[2 * RUN_NAME_MAX + 2];
    snprintf(label, sizeof label, "%s/%s", a.outs[0].names.study, a.outs[0].names.run);
    ProgressLine prog = {label, time(NULL), 0, isatty(STDERR_FILENO)};
    double t0 = now_seconds();
    clock_t c0 = clock();
    TrainResult res;
    rc = train_run(&cfg, &data, &res, (prog.tty && !a.quiet) ? show_progress : NULL, &prog, err);
    double wall = now_seconds() - t0;
    double cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
    if (prog.tty && !a.quiet)
        fputs("\r\033[K", stderr);
    if (rc == 0)
        rc = write_outputs(&a, &data, &cfg, &res, label, wall, cpu, err);
    if (rc < 0) {
        error_line("train: %s\n", err);
        clear_outputs(&a);
    } else if (!a.quiet && (prog.tty || !getenv("CI"))) {
        if (res.diverged)
            fprintf(stderr, "train: %s: diverged at epoch %zu, iteration %zu (%.1f s)\n", label,
                    res.diverged_epoch, res.diverged_iteration, wall);
        else if (res.n_epochs)
            fprintf(stderr, "train: %s: test accuracy %.2f%% (%.1f s)\n", label,
                    100.0 * res.epochs[res.n_epochs - 1].test_acc, wall);
    }
    trainresult_release(&res);
    data_release(&data);
    return rc < 0 ? 1 : 0;
}
