/* progress.c - the state behind `repro progress` (src/cmd/progress.c): its
 * parser, the count of runs done and the estimate of the time left. */
#include "report/progress.h"

#include "err.h"
#include "experiment.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void progress_estimate(const Progress *p, double now, ProgressEstimate *e)
{
    const double prior[2] = {PROGRESS_PRIOR_SOFTMAX, PROGRESS_PRIOR_MLP};
    double cost_done[2] = {0, 0}, cpu_done[2] = {0, 0};
    memset(e, 0, sizeof *e);
    e->total = p->n_runs + p->n_extra;
    e->done = p->n_done + p->n_extra;
    e->cpu_done = p->extra_cpu;
    for (size_t i = 0; i < p->n_runs; i++) {
        const ProgressRun *r = &p->runs[i];
        if (!r->done || !isfinite(r->cpu))
            continue;
        int k = r->model == MODEL_MLP;
        e->cpu_done += r->cpu;
        cost_done[k] += r->cost;
        cpu_done[k] += r->cpu;
    }
    /* CPU seconds per FLOP: measured per model, else the other model's
     * measured rate scaled by the priors' ratio, else the prior */
    double rate[2];
    for (int k = 0; k < 2; k++) {
        int o = 1 - k;
        if (cost_done[k] > 0 && cpu_done[k] > 0)
            rate[k] = cpu_done[k] / cost_done[k];
        else if (cost_done[o] > 0 && cpu_done[o] > 0)
            rate[k] = cpu_done[o] / cost_done[o] * prior[k] / prior[o];
        else
            rate[k] = prior[k];
    }
    size_t left = 0;
    double longest = 0;
    for (size_t i = 0; i < p->n_runs; i++) {
        const ProgressRun *r = &p->runs[i];
        if (r->done)
            continue;
        double c = r->cost * rate[r->model == MODEL_MLP];
        e->cpu_left += c;
        longest = c > longest ? c : longest;
        left++;
    }
    size_t jobs = p->jobs <= 0 ? left : (size_t)p->jobs;
    if (jobs > left)
        jobs = left;
    if (jobs < 1)
        jobs = 1;
    /* the runs spread over the jobs, but the longest one cannot be split */
    e->wall_left = e->cpu_left / (double)jobs;
    if (e->wall_left < longest)
        e->wall_left = longest;
    e->elapsed = now > p->start ? now - p->start : 0;
}

void progress_duration(double s, char *buf, size_t size)
{
    if (!isfinite(s) || s < 0)
        s = 0;
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, size, "%ldh%02ldm", t / 3600, t / 60 % 60);
    else if (t >= 60)
        snprintf(buf, size, "%ldm%02lds", t / 60, t % 60);
    else if (s >= 10)
        snprintf(buf, size, "%lds", t);
    else
        snprintf(buf, size, "%.1fs", s);
}

int progress_jobs(const char *makeflags)
{
    if (!makeflags)
        return 1;
    /* MAKEFLAGS: single-letter flags first (no dash), then " -j2 --jobserver-auth=..." */
    for (const char *p = makeflags; (p = strstr(p, "-j")) != NULL; p += 2) {
        if (p != makeflags && p[-1] != ' ')
            continue;
        if (p[2] == '\0' || p[2] == ' ')
            return 0;
        char *end;
        long n = strtol(p + 2, &end, 10);
        if (end != p + 2 && (*end == '\0' || *end == ' ') && n > 0 && n < 100000)
            return (int)n;
    }
    return 1;
}

void progress_release(Progress *p)
{
    free(p->runs);
    memset(p, 0, sizeof *p);
}

int progress_parse(const char *text, Progress *p, char *err)
{
    memset(p, 0, sizeof *p);
    size_t cap = 0;
    int lineno = 0, started = 0;
    const char *next;
    for (const char *line = text; *line; line = next) {
        size_t len = strcspn(line, "\n");
        next = line + len + (line[len] == '\n');
        lineno++;
        char word[16], name[PROGRESS_NAME_MAX];
        double a, b;
        int model, jobs;
        if (len == 0)
            continue;
        if (lineno == 1) {
            if (strncmp(line, "progress 1\n", 11) != 0 && strcmp(line, "progress 1") != 0)
                return err_set(err, "progress: line 1: not a progress state (want 'progress 1')");
            continue;
        }
        if (sscanf(line, "%15s", word) != 1)
            goto bad;
        if (strcmp(word, "start") == 0) {
            if (sscanf(line, "start %lf %d", &a, &jobs) != 2)
                goto bad;
            p->start = a;
            p->jobs = jobs;
            started = 1;
        } else if (strcmp(word, "run") == 0) {
            if (sscanf(line, "run %d %lf %319s", &model, &a, name) != 3 || model < 0 || model > 1)
                goto bad;
            if (p->n_runs == cap) {
                cap = cap ? 2 * cap : 64;
                ProgressRun *grown = realloc(p->runs, cap * sizeof *grown);
                if (!grown) {
                    progress_release(p);
                    return err_set(err, "progress: out of memory");
                }
                p->runs = grown;
            }
            ProgressRun *r = &p->runs[p->n_runs++];
            memset(r, 0, sizeof *r);
            snprintf(r->name, sizeof r->name, "%s", name);
            r->model = model;
            r->cost = a;
            r->cpu = NAN;
        } else if (strcmp(word, "done") == 0) {
            if (sscanf(line, "done %319s %lf", name, &b) != 2)
                goto bad;
            size_t i = 0;
            while (i < p->n_runs && strcmp(p->runs[i].name, name) != 0)
                i++;
            if (i == p->n_runs) {
                p->n_extra++;
                if (isfinite(b))
                    p->extra_cpu += b;
            } else if (!p->runs[i].done) {
                p->runs[i].done = 1;
                p->runs[i].cpu = b;
                p->n_done++;
            }
        } else {
            goto bad;
        }
        continue;
    bad:
        progress_release(p);
        return err_set(err, "progress: line %d: cannot read '%.*s'", lineno,
                       (int)(len < 60 ? len : 60), line);
    }
    if (!started) {
        progress_release(p);
        return err_set(err, "progress: no 'start' line");
    }
    return 0;
}
