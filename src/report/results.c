#include "report/results.h"

#include "display.h"
#include "err.h"
#include "runpath.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- studies ------------------------------------------------------------ */

int study_results_load(StudyResults *s, const char *results_dir, const Experiment *e,
                       unsigned flags, char *err)
{
    memset(s, 0, sizeof *s);
    s->exp = e;
    size_t n = experiment_run_count(e);
    s->n_seeds = experiment_seed_count(e);
    if (n == 0 || s->n_seeds == 0 || n % s->n_seeds != 0)
        return err_set(err, "'%s': %zu runs do not split into groups of %zu seeds",
                       experiment_path(e), n, s->n_seeds);
    s->n_groups = n / s->n_seeds;
    s->runs = calloc(n, sizeof *s->runs);
    if (!s->runs)
        return err_set(err, "results: out of memory");
    const char *study = experiment_study(e);
    for (size_t i = 0; i < n; i++) {
        RunConfig want;
        char name[RUN_NAME_MAX], dir[sizeof s->runs[i].path];
        experiment_run(e, i, &want, name);
        if (run_path(dir, sizeof dir, results_dir, NULL, study, name, NULL) < 0) {
            err_set(err, "results: '%s/%s/%s': path too long", results_dir, study, name);
            goto fail;
        }
        char summary[sizeof dir + 16];
        run_path(summary, sizeof summary, results_dir, NULL, study, name,
                 rundir_file_name(RUN_SUMMARY));
        FILE *f = fopen(summary, "rb");
        if (!f) {
            err_set(err, "'%s': %s (run '%s' of '%s' not finished?)", summary, strerror(errno),
                    name, experiment_path(e));
            goto fail;
        }
        fclose(f);
        RunResult *r = &s->runs[i];
        if (run_result_load(r, dir, flags, err) != 0)
            goto fail;
        s->n_runs = i + 1;
        const char *field = runconfig_diff(&r->config, &want, 0);
        if (strcmp(r->study, study) != 0 || strcmp(r->run, name) != 0) {
            err_set(err, "'%s': names study '%s' run '%s', expected '%s' run '%s'", summary,
                    r->study, r->run, study, name);
            goto fail;
        }
        if (field) {
            err_set(err, "'%s': config '%s' differs from '%s' (stale results?)", summary, field,
                    experiment_path(e));
            goto fail;
        }
    }
    return 0;
fail:
    study_results_release(s);
    return -1;
}

void study_results_release(StudyResults *s)
{
    for (size_t i = 0; i < s->n_runs; i++)
        run_result_release(&s->runs[i]);
    free(s->runs);
    s->runs = NULL;
    s->n_runs = 0;
}

const RunResult *study_run(const StudyResults *s, size_t g, size_t i)
{
    return &s->runs[g * s->n_seeds + i];
}

void mean_sd(const double *v, size_t n, double *mean, double *sd)
{
    if (n == 0) {
        *mean = *sd = NAN;
        return;
    }
    double sum = 0.0, sq = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    *mean = sum / (double)n;
    for (size_t i = 0; i < n; i++)
        sq += (v[i] - *mean) * (v[i] - *mean);
    *sd = n > 1 ? sqrt(sq / (double)(n - 1)) : 0.0;
}

/* mean_sd of f(run, m) over group g's runs where it is not NAN; returns their
 * number. study_group_stats and study_group_mean both come here. */
static size_t group_mean_sd(const StudyResults *s, size_t g,
                            double (*f)(const RunResult *, Metric), Metric m, double *mean,
                            double *sd)
{
    double stack[64], *v = s->n_seeds <= 64 ? stack : malloc(s->n_seeds * sizeof *v);
    size_t k = 0;
    if (!v) {
        *mean = *sd = NAN;
        return 0;
    }
    for (size_t i = 0; i < s->n_seeds; i++) {
        double x = f(study_run(s, g, i), m);
        if (!isnan(x))
            v[k++] = x;
    }
    mean_sd(v, k, mean, sd);
    if (v != stack)
        free(v);
    return k;
}

void study_group_stats(const StudyResults *s, size_t g, Metric m, double *mean, double *std,
                       size_t *n)
{
    *n = group_mean_sd(s, g, run_final, m, mean, std);
}

size_t study_group_diverged(const StudyResults *s, size_t g)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n_seeds; i++)
        n += study_run(s, g, i)->status == RUN_DIVERGED;
    return n;
}

double run_final(const RunResult *r, Metric m)
{
    return r->final[m];
}

double run_wall(const RunResult *r, Metric m)
{
    (void)m;
    return r->wall_seconds;
}

double run_epoch_cpu(const RunResult *r, Metric m)
{
    (void)m;
    double e = run_result_epoch_cpu(r);
    return isnan(e) ? r->cpu_seconds : e;
}

double study_group_mean(const StudyResults *s, size_t g, double (*f)(const RunResult *, Metric),
                        Metric m, double *std)
{
    double mean, sd;
    group_mean_sd(s, g, f, m, &mean, &sd);
    if (std)
        *std = sd;
    return mean;
}

size_t study_plot_seed(const StudyResults *s)
{
    for (size_t k = 0; k < s->n_seeds; k++)
        if (experiment_seed(s->exp, k) == 1)
            return k;
    return 0;
}

void study_group_name(const StudyResults *s, size_t g, char *name)
{
    RunConfig cfg;
    experiment_run(s->exp, g * s->n_seeds, &cfg, name);
    /* the seed is the last part: "...,seed-N" or the whole "seed-N" */
    char *p = strstr(name, "seed-");
    char *last = NULL;
    while (p) {
        if (p == name || p[-1] == ',')
            last = p;
        p = strstr(p + 1, "seed-");
    }
    if (last)
        last[last == name ? 0 : -1] = '\0';
}

void study_group_label(const StudyResults *s, size_t g, char *label)
{
    size_t nk = experiment_sweep_count(s->exp);
    size_t run = g * s->n_seeds, len = 0;
    label[0] = '\0';
    if (nk == 0) {
        snprintf(label, RUN_NAME_MAX, "all runs");
        return;
    }
    for (size_t j = 0; j < nk && len < RUN_NAME_MAX; j++) {
        const char *key = experiment_sweep_key(s->exp, j);
        const char *val = experiment_run_sweep(s->exp, run, j);
        int n;
        if (nk == 1)
            n = snprintf(label + len, RUN_NAME_MAX - len, "%s = %s", display_key(key), val);
        else if (display_key_value_alone(key))
            n = snprintf(label + len, RUN_NAME_MAX - len, "%s%s", j ? ", " : "", val);
        else
            n = snprintf(label + len, RUN_NAME_MAX - len, "%s%s %s", j ? ", " : "",
                         display_key(key), val);
        if (n < 0)
            break;
        len += (size_t)n;
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void results_free_list(char **paths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}

static char *path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

int results_list_experiments(const char *dir, const char *only, char ***paths, size_t *n,
                             char *err)
{
    *paths = NULL;
    *n = 0;
    if (only) {
        char name[STUDY_NAME_MAX + 8];
        if (strlen(only) >= STUDY_NAME_MAX || strchr(only, '/'))
            return err_set(err, "'%s': not a study name", only);
        snprintf(name, sizeof name, "%s.exp", only);
        char *p = path_join(dir, name);
        FILE *f = p ? fopen(p, "rb") : NULL;
        if (!f) {
            err_set(err, "'%s': %s", p ? p : name, p ? strerror(errno) : "out of memory");
            free(p);
            return -1;
        }
        fclose(f);
        *paths = malloc(sizeof **paths);
        if (!*paths) {
            free(p);
            return err_set(err, "out of memory");
        }
        (*paths)[0] = p;
        *n = 1;
        return 0;
    }
    DIR *d = opendir(dir);
    if (!d)
        return err_set(err, "'%s': %s", dir, strerror(errno));
    size_t cap = 0;
    struct dirent *ent;
    int rc = 0;
    while ((ent = readdir(d)) != NULL) {
        size_t len = strlen(ent->d_name);
        if (len <= 4 || strcmp(ent->d_name + len - 4, ".exp") != 0 || ent->d_name[0] == '.')
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            char **np = realloc(*paths, cap * sizeof *np);
            if (!np) {
                rc = err_set(err, "out of memory");
                break;
            }
            *paths = np;
        }
        if (!((*paths)[*n] = path_join(dir, ent->d_name))) {
            rc = err_set(err, "out of memory");
            break;
        }
        (*n)++;
    }
    closedir(d);
    if (rc == 0 && *n == 0)
        rc = err_set(err, "'%s': no experiment files (*.exp)", dir);
    if (rc != 0) {
        results_free_list(*paths, *n);
        *paths = NULL;
        *n = 0;
        return -1;
    }
    qsort(*paths, *n, sizeof **paths, cmp_str);
    return 0;
}
