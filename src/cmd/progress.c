/* `repro progress start|done`: the runs' progress line (progress.h). */
#include "atomic.h"
#include "err.h"
#include "experiment.h"
#include "opts.h"
#include "report/cli.h"
#include "report/progress.h"
#include "report/status.h"
#include "rundir.h"
#include "runpath.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PATH_CAP 4096

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A terminal that is not a CI log: the status line is redrawn in place. */
static int on_terminal(void)
{
    const char *ci = getenv("CI");
    return isatty(STDOUT_FILENO) && !(ci && *ci);
}

static size_t columns(void)
{
    struct winsize w;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col >= 20)
        return w.ws_col;
    return 80;
}

/* "study/run" from ".../<study>/<run>/summary.json" (or the run directory),
 * and that directory. */
static int run_name_of(const char *summary, char *name, size_t size, char *dir, size_t dsize)
{
    snprintf(dir, dsize, "%s", summary);
    char *slash = strrchr(dir, '/');
    if (slash && slash > dir && strcmp(slash + 1, rundir_file_name(RUN_SUMMARY)) == 0)
        *slash = '\0';
    RunName rn;
    if (run_path_split(summary, &rn) < 2)
        return -1;
    snprintf(name, size, "%s/%s", rn.study, rn.run);
    return 0;
}

/* What a finished run's files say, for its line. */
#define DESCRIBE_MAX (PROGRESS_NAME_MAX + 64)
typedef struct {
    int diverged;
    long diverged_epoch;
    double test_acc; /* NAN when none */
    double cpu, wall;
    char trained_with[PROGRESS_NAME_MAX]; /* "study/run" whose training this shares, or "" */
} Outcome;

static void read_outcome(const char *dir, Outcome *o)
{
    o->diverged = 0;
    o->diverged_epoch = 0;
    o->test_acc = o->cpu = o->wall = NAN;
    o->trained_with[0] = '\0';
    RunResult r;
    char err[ERR_MAX];
    if (run_result_load(&r, dir, RESULTS_SUMMARY_ONLY, err) == 0) {
        o->diverged = r.status == RUN_DIVERGED;
        o->diverged_epoch = r.diverged_epoch;
        o->test_acc = r.final[METRIC_TEST_ACC];
        run_result_release(&r);
    }
    RunTiming t;
    if (rundir_read_timing(dir, &t, err) == 0 && t.present) {
        o->cpu = t.cpu_seconds;
        o->wall = t.wall_seconds;
        /* a shared training's time is counted once, with the run it was trained for */
        if (t.trained_with[0]) {
            snprintf(o->trained_with, sizeof o->trained_with, "%s", t.trained_with);
            o->cpu = 0;
        }
    }
}

/* "test accuracy 97.12% (12.3s)", "diverged at epoch 3 (1.2s)", or with the
 * run whose training it shares: "test accuracy 97.12% (the training of s/r)" */
static void describe(const Outcome *o, char *buf, size_t size)
{
    char t[32 + PROGRESS_NAME_MAX];
    progress_duration(isfinite(o->wall) ? o->wall : 0, t, sizeof t);
    if (o->trained_with[0])
        snprintf(t, sizeof t, "the training of %s", o->trained_with);
    if (o->diverged)
        snprintf(buf, size, "diverged at epoch %ld (%s)", o->diverged_epoch, t);
    else if (isfinite(o->test_acc))
        snprintf(buf, size, "test accuracy %.2f%% (%s)", 100.0 * o->test_acc, t);
    else
        snprintf(buf, size, "done (%s)", t);
}

/* "[ 57/320] CPU 4m12s done, ~20m30s to go; ~10m15s left" */
static void status_text(const ProgressEstimate *e, char *buf, size_t size)
{
    char done[32], left[32], wall[32];
    int w = snprintf(NULL, 0, "%zu", e->total);
    progress_duration(e->cpu_done, done, sizeof done);
    progress_duration(e->cpu_left, left, sizeof left);
    progress_duration(e->wall_left, wall, sizeof wall);
    snprintf(buf, size, "[%*zu/%zu] CPU %s done, ~%s to go; ~%s left", w, e->done, e->total, done,
             left, wall);
}

static void final_text(const ProgressEstimate *e, char *buf, size_t size)
{
    char cpu[32], wall[32];
    progress_duration(e->cpu_done, cpu, sizeof cpu);
    progress_duration(e->elapsed, wall, sizeof wall);
    snprintf(buf, size, "[%zu/%zu] runs done: %s of CPU in %s", e->done, e->total, cpu, wall);
}

/* Prints what a state shows after run `name` finished (name NULL: at the start). */
static void show(const Progress *p, const char *name, const Outcome *o)
{
    ProgressEstimate e;
    progress_estimate(p, now_seconds(), &e);
    char line[1024 + DESCRIBE_MAX], what[DESCRIBE_MAX], left[32];
    int last = e.done >= e.total;
    if (!name && e.total == 0)
        return; /* nothing to run: nothing to say */
    if (on_terminal()) {
        if (last && name)
            final_text(&e, line, sizeof line);
        else
            status_text(&e, line, sizeof line);
        size_t len = strlen(line), cols = columns() - 1;
        if (!last && name && len + 4 < cols)
            len += (size_t)snprintf(line + len, sizeof line - len, "  %s", name);
        if (len > cols)
            line[cols] = '\0';
        printf("\r\033[K%s%s", line, last && name ? "\n" : "");
    } else if (name) {
        int w = snprintf(NULL, 0, "%zu", e.total);
        describe(o, what, sizeof what);
        progress_duration(e.wall_left, left, sizeof left);
        printf("[%*zu/%zu] %s: %s", w, e.done, e.total, name, what);
        if (!last)
            printf("; about %s left\n", left);
        else {
            final_text(&e, line, sizeof line);
            printf("\n%s\n", line);
        }
    } else {
        char cpu[32];
        progress_duration(e.cpu_left, cpu, sizeof cpu);
        progress_duration(e.wall_left, left, sizeof left);
        printf("progress: %zu runs to do, about %s of CPU, about %s with %d job%s\n", e.total, cpu,
               left, p->jobs, p->jobs == 1 ? "" : "s");
    }
    fflush(stdout);
}

static int progress_start(const char *state, const StatusOptions *o, char **summaries, int n)
{
    char err[ERR_MAX];
    size_t cap = 4096, len = 0;
    char *text = malloc(cap);
    int jobs = progress_jobs(getenv("MAKEFLAGS"));
    if (!text)
        return 0;
    len += (size_t)snprintf(text, cap, "progress 1\nstart %.3f %d\n", now_seconds(), jobs);
    /* the configurations met so far */
    RunConfig *seen = calloc((size_t)n + 1, sizeof *seen);
    size_t n_seen = 0;
    if (!seen) {
        free(text);
        return 0;
    }
    for (int i = 0; i < n; i++) {
        char name[PATH_CAP], dir[PATH_CAP];
        if (run_name_of(summaries[i], name, sizeof name, dir, sizeof dir) < 0)
            continue;
        char *slash = strchr(name, '/');
        if (!slash || strlen(name) >= PROGRESS_NAME_MAX)
            continue;
        *slash = '\0';
        RunFreshness f;
        if (status_run(o, name, slash + 1, NULL, &f, err) < 0) {
            fprintf(stderr, "repro progress: %s\n", err);
            memset(&f, 0, sizeof f);
            f.state = STATE_MISSING;
        }
        *slash = '/';
        if (f.state == STATE_DONE)
            continue;
        /* a run of the same configuration as one before it shares its training */
        double cost = f.cost;
        size_t k = 0;
        while (k < n_seen && runconfig_diff(&seen[k], &f.cfg, 0))
            k++;
        if (k < n_seen)
            cost = 0;
        else
            seen[n_seen++] = f.cfg;
        if (len + strlen(name) + 64 > cap) {
            char *grown = realloc(text, 2 * cap + strlen(name));
            if (!grown)
                break;
            text = grown;
            cap = 2 * cap + strlen(name);
        }
        len += (size_t)snprintf(text + len, cap - len, "run %d %.17g %s\n",
                                f.cfg.model == MODEL_MLP, cost, name);
    }
    free(seen);
    char parent[PATH_CAP];
    snprintf(parent, sizeof parent, "%s", state);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent)
        *slash = '\0';
    if ((slash && make_dirs(parent, err) < 0) || atomic_write(state, text, len, err) < 0) {
        fprintf(stderr, "repro progress: %s\n", err);
        free(text);
        return 0;
    }
    Progress p;
    if (progress_parse(text, &p, err) == 0) {
        show(&p, NULL, NULL);
        progress_release(&p);
    }
    free(text);
    return 0;
}

static int progress_done(const char *state, const char *summary)
{
    char name[PATH_CAP], dir[PATH_CAP], err[ERR_MAX];
    if (run_name_of(summary, name, sizeof name, dir, sizeof dir) < 0)
        snprintf(name, sizeof name, "%s", summary);
    Outcome o;
    read_outcome(dir, &o);
    int fd = open(state, O_RDWR | O_APPEND);
    struct flock lock = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    if (fd < 0 || fcntl(fd, F_SETLKW, &lock) != 0) {
        char what[DESCRIBE_MAX];
        describe(&o, what, sizeof what);
        printf("%s: %s\n", name, what);
        if (fd >= 0)
            close(fd);
        return 0;
    }
    struct stat st;
    char *text = NULL;
    if (fstat(fd, &st) == 0 && (text = malloc((size_t)st.st_size + 1)) != NULL) {
        ssize_t got = pread(fd, text, (size_t)st.st_size, 0);
        text[got > 0 ? got : 0] = '\0';
    }
    char rec[PATH_CAP + 64];
    int n = snprintf(rec, sizeof rec, "done %s %.6g\n", name, isfinite(o.cpu) ? o.cpu : -1.0);
    Progress p;
    if (!text || write(fd, rec, (size_t)n) != n || progress_parse(text, &p, err) < 0) {
        char what[DESCRIBE_MAX];
        describe(&o, what, sizeof what);
        printf("%s: %s\n", name, what);
    } else {
        /* this run, as the appended line records it */
        size_t i = 0;
        while (i < p.n_runs && strcmp(p.runs[i].name, name) != 0)
            i++;
        if (i == p.n_runs) {
            p.n_extra++;
            p.extra_cpu += isfinite(o.cpu) ? o.cpu : 0;
        } else if (!p.runs[i].done) {
            p.runs[i].done = 1;
            p.runs[i].cpu = isfinite(o.cpu) ? o.cpu : NAN;
            p.n_done++;
        }
        show(&p, name, &o);
        progress_release(&p);
    }
    free(text);
    close(fd); /* releases the lock */
    return 0;
}

#define NEVER_FAILS                                                                            \
    "The Makefile runs it; progress never fails the build (exit status 0 unless\n"              \
    "the usage is wrong).\n"

static const char ABOUT_START[] =
    "Finds which of the runs (their summary.json paths) are not up to date,\n"
    "writes their estimated costs to FILE and shows the count.\n" NEVER_FAILS;

static const char ABOUT_DONE[] =
    "Records that a run finished and prints the progress: on a terminal one\n"
    "status line redrawn in place, else a line per run with [k/N].\n" NEVER_FAILS;

static int cmd_start(int argc, char **argv)
{
    const char *state = NULL;
    StatusOptions o = {"mnist", "results", "build/runs", "build/release/train.key",
                       "data/mnist/.verified"};
    const Opt opts[] = {
        {.name = "state", .meta = "FILE", .str = &state, .required = 1,
         .help = "the progress state to write"},
        CLI_STATUS_OPTS(o),
        {.name = "stamp", .meta = "FILE", .str = &o.data_stamp, .help = "the data's stamp"},
        {0}};
    const OptsSpec spec = {
        .prog = "repro progress start", .args = "[SUMMARY...]", .about = ABOUT_START, .opts = opts};
    int status, i = opts_get(&spec, argc, argv, &status);
    if (i < 0)
        return status;
    return progress_start(state, &o, argv + i, argc - i);
}

static int cmd_done(int argc, char **argv)
{
    const char *state = NULL;
    const Opt opts[] = {
        {.name = "state", .meta = "FILE", .str = &state, .required = 1,
         .help = "the progress state progress start wrote"},
        {0}};
    const OptsSpec spec = {
        .prog = "repro progress done", .args = "SUMMARY", .about = ABOUT_DONE, .opts = opts};
    int status, i = opts_get(&spec, argc, argv, &status);
    if (i < 0)
        return status;
    return progress_done(state, argv[i]);
}

int cmd_progress(int argc, char **argv)
{
    static const OptsVerb verbs[] = {
        {"start", cmd_start, "before the first run: count the runs to do"},
        {"done", cmd_done, "after each run: record it and print the progress"},
        {0}};
    return opts_dispatch("repro progress", verbs, argc, argv);
}
