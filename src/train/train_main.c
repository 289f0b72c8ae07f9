/* train: runs one run of an experiment and writes its results directory. */
#include "atomic.h"
#include "data.h"
#include "err.h"
#include "experiment.h"
#include "gemm.h"
#include "runlog.h"
#include "trainer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char USAGE[] =
    "usage: train --config FILE [--run NAME] --data DIR --out DIR [options]\n"
    "\n"
    "Runs one run of an experiment and writes DIR/{epochs.csv, iterations.csv,\n"
    "summary.json, timing.json}, each by atomic rename, summary.json last.\n"
    "\n"
    "  --config FILE   an experiment file (experiments/README.md); with one run\n"
    "                  (the planner's build/runs/.../RUN.cfg) or with --run\n"
    "  --run NAME      which run of a study file, e.g. lambda-0.2,seed-1\n"
    "  --data DIR      the dataset's four IDX files, raw or .gz\n"
    "  --sums FILE     refuse data whose SHA-256 is not the one FILE lists for each\n"
    "                  file (experiments/datasets/DATASET.sha256; make passes it)\n"
    "  --out DIR       the run's results directory, results/DATASET/STUDY/RUN;\n"
    "                  its last three components name the dataset, study and run\n"
    "                  unless given below\n"
    "  --dataset NAME  --study NAME   override those names\n"
    "  --quiet         no progress or closing line\n"
    "  --help          this text\n"
    "\n"
    "Environment: MNIST_ISA=scalar|avx2|avx512|neon forces the kernel path (avx2\n"
    "and avx512 on x86-64, neon on aarch64; the widest the CPU has by default;\n"
    "results are the same bits on every path). A run whose loss becomes NaN or\n"
    "infinite stops and is recorded with status \"diverged\"; exit status 0.\n"
    "Exit status 1: bad input or a failed write (nothing partial is left);\n"
    "2: bad usage.\n";

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
} Progress;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void show_progress(void *ctx, size_t epoch, size_t iteration, size_t total, double loss)
{
    Progress *p = ctx;
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

/* Copies the component `back` levels up from the end of path ("a/b/c", 0 -> "c"). */
static void component(char *out, size_t size, const char *path, int back)
{
    size_t end = strlen(path);
    while (end > 1 && path[end - 1] == '/')
        end--;
    for (;;) {
        size_t start = end;
        while (start > 0 && path[start - 1] != '/')
            start--;
        if (back-- == 0 || start == 0) {
            snprintf(out, size, "%.*s", (int)(end - start), path + start);
            return;
        }
        end = start - 1;
        while (end > 1 && path[end - 1] == '/')
            end--;
    }
}

int main(int argc, char **argv)
{
    const char *config = NULL, *run = NULL, *data_dir = NULL, *out = NULL, *sums = NULL;
    const char *dataset_opt = NULL, *study_opt = NULL;
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = strcmp(a, "--config") == 0    ? &config
                            : strcmp(a, "--run") == 0     ? &run
                            : strcmp(a, "--data") == 0    ? &data_dir
                            : strcmp(a, "--sums") == 0    ? &sums
                            : strcmp(a, "--out") == 0     ? &out
                            : strcmp(a, "--dataset") == 0 ? &dataset_opt
                            : strcmp(a, "--study") == 0   ? &study_opt
                                                          : NULL;
        if (slot) {
            if (i + 1 >= argc) {
                error_line("train: '%s' needs a value (see train --help)\n", a);
                return 2;
            }
            *slot = argv[++i];
        } else if (strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(USAGE, stdout);
            return 0;
        } else {
            error_line("train: unknown option '%s' (see train --help)\n", a);
            return 2;
        }
    }
    if (!config || !data_dir || !out) {
        error_line("train: --config, --data and --out are required (see train --help)\n");
        return 2;
    }

    char err[ERR_MAX];
    if (gemm_select(err) < 0) {
        error_line("train: %s\n", err);
        return 2;
    }
    Experiment *e = experiment_load(config, err);
    if (!e) {
        error_line("%s\n", err);
        return 1;
    }
    RunConfig cfg;
    char run_name[RUN_NAME_MAX], study[RUN_NAME_MAX], dataset[RUN_NAME_MAX];
    if (run) {
        if (experiment_find_run(e, run, &cfg, err) < 0) {
            error_line("%s\n", err);
            experiment_free(e);
            return 1;
        }
    } else if (experiment_run_count(e) == 1) {
        experiment_run(e, 0, &cfg, run_name);
    } else {
        error_line("train: '%s' has %zu runs: name one with --run\n", config,
                experiment_run_count(e));
        experiment_free(e);
        return 2;
    }
    component(run_name, sizeof run_name, out, 0);
    component(study, sizeof study, out, 1);
    component(dataset, sizeof dataset, out, 2);
    if (run && strcmp(run_name, run) != 0) {
        error_line("train: --out '%s' should end in the run's name '%s'\n", out, run);
        experiment_free(e);
        return 2;
    }
    experiment_free(e);

    Data data;
    if (data_load(&data, data_dir, err) < 0) {
        error_line("train: %s\n", err);
        return 1;
    }
    /* before anything is written: bad data leaves the old results alone */
    if (sums && data_check_sums(&data, sums, err) < 0) {
        error_line("train: %s\n", err);
        data_release(&data);
        return 1;
    }
    if (make_dirs(out, err) < 0 || runlog_clear(out, err) < 0) {
        error_line("train: %s\n", err);
        data_release(&data);
        return 1;
    }

    RunMeta meta = {dataset_opt ? dataset_opt : dataset, study_opt ? study_opt : study, run_name,
                    data.sha256};
    char label[2 * RUN_NAME_MAX + 2];
    snprintf(label, sizeof label, "%s/%s", meta.study, meta.run);
    Progress prog = {label, time(NULL), 0, isatty(STDERR_FILENO)};
    double t0 = now_seconds();
    clock_t c0 = clock();
    TrainResult res;
    int rc = train_run(&cfg, &data, &res, (prog.tty && !quiet) ? show_progress : NULL, &prog, err);
    double wall = now_seconds() - t0;
    double cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
    if (prog.tty && !quiet)
        fputs("\r\033[K", stderr);
    if (rc == 0)
        rc = runlog_write_timing(out, wall, cpu, isa_name(gemm_isa()), isa_machine(), err);
    if (rc == 0)
        rc = runlog_write(out, &meta, &cfg, &res, err);
    if (rc < 0) {
        error_line("train: %s\n", err);
        runlog_clear(out, NULL);
    } else if (!quiet && (prog.tty || !getenv("CI"))) {
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
