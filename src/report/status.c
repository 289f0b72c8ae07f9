/* status.c - `repro status`: which runs are done, missing or stale, and why. */
#include "report/status.h"

#include "err.h"
#include "experiment.h"
#include "report/buf.h"
#include "report/plan.h"
#include "rundir.h"
#include "runpath.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PATH_CAP 4096

static const unsigned REASONS[] = {STALE_CONFIG, STALE_TRAINER, STALE_DATA};
#define N_REASONS (sizeof REASONS / sizeof REASONS[0])

/* "configuration changed", "trainer changed", "data changed" for one bit. */
static const char *status_reason(unsigned bit)
{
    return bit == STALE_CONFIG    ? "configuration changed"
           : bit == STALE_TRAINER ? "trainer changed"
           : bit == STALE_DATA    ? "data changed"
                                  : "?";
}

/* Short names "configuration", "trainer", "data" for JSON. */
static const char *status_reason_key(unsigned bit)
{
    return bit == STALE_CONFIG    ? "configuration"
           : bit == STALE_TRAINER ? "trainer"
           : bit == STALE_DATA    ? "data"
                                  : "?";
}

/* The modification time of path; 0, or -1 when it does not exist. */
static int mtime_of(const char *path, struct timespec *t)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    *t = st.st_mtim;
    return 0;
}

/* Whether a is later than b: make's test for "prerequisite newer than target". */
static int later(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec != b->tv_sec ? a->tv_sec > b->tv_sec : a->tv_nsec > b->tv_nsec;
}

int status_run(const StatusOptions *o, const char *study, const char *run, const RunConfig *want,
               RunFreshness *out, char *err)
{
    char summary[PATH_CAP], cfg_path[PATH_CAP];
    memset(out, 0, sizeof *out);
    snprintf(out->study, sizeof out->study, "%s", study);
    snprintf(out->run, sizeof out->run, "%s", run);
    if (run_path(summary, sizeof summary, o->results_dir, o->dataset, study, run,
                 rundir_file_name(RUN_SUMMARY)) < 0 ||
        run_config_path(cfg_path, sizeof cfg_path, o->runs_dir, o->dataset, study, run) < 0)
        return err_set(err, "status: '%s/%s/%s': path too long", o->results_dir, o->dataset, study);
    if (want) {
        out->cfg = *want;
    } else {
        Experiment *e = experiment_load(cfg_path, err);
        if (!e)
            return -1;
        char name[RUN_NAME_MAX];
        experiment_run(e, 0, &out->cfg, name);
        experiment_free(e);
    }
    out->cost = plan_run_cost(&out->cfg);

    struct timespec done, t;
    if (mtime_of(summary, &done) != 0) {
        out->state = STATE_MISSING;
        return 0;
    }
    unsigned why = 0;
    if (mtime_of(cfg_path, &t) != 0 || later(&t, &done))
        why |= STALE_CONFIG;
    if (want && !(why & STALE_CONFIG)) {
        char text[PLAN_CONFIG_MAX];
        int n = plan_config_text(study, run, want, text, sizeof text);
        if (n < 0 || !buf_file_holds(cfg_path, text, (size_t)n))
            why |= STALE_CONFIG;
    }
    if (mtime_of(o->train_key, &t) != 0 || later(&t, &done))
        why |= STALE_TRAINER;
    if (mtime_of(o->data_stamp, &t) != 0 || later(&t, &done))
        why |= STALE_DATA;
    out->why = why;
    out->state = why ? STATE_STALE : STATE_DONE;
    return 0;
}

void status_report_release(StatusReport *r)
{
    free(r->runs);
    free(r->studies);
    memset(r, 0, sizeof *r);
}

static void count(StudyFreshness *s, const RunFreshness *f)
{
    switch (f->state) {
    case STATE_DONE:
        s->done++;
        return;
    case STATE_MISSING:
        s->missing++;
        return;
    case STATE_STALE:
        s->stale++;
        return;
    }
}

int status_collect(const StatusOptions *o, const char *const *exps, size_t n, StatusReport *r,
                   char *err)
{
    memset(r, 0, sizeof *r);
    r->studies = calloc(n ? n : 1, sizeof *r->studies);
    if (!r->studies)
        return err_set(err, "status: out of memory");
    for (size_t i = 0; i < n; i++) {
        Experiment *e = experiment_load(exps[i], err);
        if (!e)
            goto fail;
        const char *study = experiment_study(e);
        size_t k = experiment_run_count(e);
        StudyFreshness *s = &r->studies[r->n_studies++];
        if (strlen(study) >= sizeof s->study) {
            err_set(err, "%s: study name '%s' is longer than %d bytes", exps[i], study,
                    STUDY_NAME_MAX - 1);
            experiment_free(e);
            goto fail;
        }
        snprintf(s->study, sizeof s->study, "%s", study);
        s->first = r->n_runs;
        s->n_runs = k;
        RunFreshness *grown = realloc(r->runs, (r->n_runs + k + 1) * sizeof *grown);
        if (!grown) {
            experiment_free(e);
            err_set(err, "status: out of memory");
            goto fail;
        }
        r->runs = grown;
        for (size_t j = 0; j < k; j++) {
            RunConfig cfg;
            char name[RUN_NAME_MAX];
            experiment_run(e, j, &cfg, name);
            RunFreshness *f = &r->runs[r->n_runs];
            if (status_run(o, study, name, &cfg, f, err) < 0) {
                experiment_free(e);
                goto fail;
            }
            r->n_runs++;
            count(s, f);
        }
        r->done += s->done;
        r->missing += s->missing;
        r->stale += s->stale;
        experiment_free(e);
    }
    return 0;
fail:
    status_report_release(r);
    return -1;
}

/* "configuration changed, trainer changed" */
static void print_reasons(FILE *f, unsigned why)
{
    const char *sep = "";
    for (size_t b = 0; b < N_REASONS; b++)
        if (why & REASONS[b]) {
            fprintf(f, "%s%s", sep, status_reason(REASONS[b]));
            sep = ", ";
        }
}

/* Whether every run of s is stale for the same reasons (stored in *why). */
static int uniformly_stale(const StatusReport *r, const StudyFreshness *s, unsigned *why)
{
    if (s->stale != s->n_runs || s->n_runs == 0)
        return 0;
    *why = r->runs[s->first].why;
    for (size_t j = 1; j < s->n_runs; j++)
        if (r->runs[s->first + j].why != *why)
            return 0;
    return 1;
}

void status_print(const StatusReport *r, const StatusOptions *o, FILE *f)
{
    fprintf(f, "status: %s, %zu studies, %zu runs: %zu done, %zu missing, %zu stale\n",
            o->dataset, r->n_studies, r->n_runs, r->done, r->missing, r->stale);
    fprintf(f, "  %-28s %6s %6s %8s %6s\n", "study", "runs", "done", "missing", "stale");
    for (size_t i = 0; i < r->n_studies; i++) {
        const StudyFreshness *s = &r->studies[i];
        fprintf(f, "  %-28s %6zu %6zu %8zu %6zu\n", s->study, s->n_runs, s->done, s->missing,
                s->stale);
    }
    if (r->stale) {
        fprintf(f, "stale (make runs them again):\n");
        for (size_t i = 0; i < r->n_studies; i++) {
            const StudyFreshness *s = &r->studies[i];
            unsigned why;
            if (uniformly_stale(r, s, &why)) {
                fprintf(f, "  %s: all %zu runs: ", s->study, s->n_runs);
                print_reasons(f, why);
                fputc('\n', f);
                continue;
            }
            for (size_t j = 0; j < s->n_runs; j++) {
                const RunFreshness *x = &r->runs[s->first + j];
                if (x->state != STATE_STALE)
                    continue;
                fprintf(f, "  %s/%s: ", x->study, x->run);
                print_reasons(f, x->why);
                fputc('\n', f);
            }
        }
    }
    if (r->missing) {
        fprintf(f, "missing (never run, or interrupted):\n");
        for (size_t i = 0; i < r->n_studies; i++) {
            const StudyFreshness *s = &r->studies[i];
            if (s->missing == s->n_runs && s->n_runs) {
                fprintf(f, "  %s: all %zu runs\n", s->study, s->n_runs);
                continue;
            }
            for (size_t j = 0; j < s->n_runs; j++) {
                const RunFreshness *x = &r->runs[s->first + j];
                if (x->state == STATE_MISSING)
                    fprintf(f, "  %s/%s\n", x->study, x->run);
            }
        }
    }
    size_t todo = r->missing + r->stale;
    if (todo == 0)
        fprintf(f, "status: every run is up to date\n");
    else
        fprintf(f, "status: %zu of %zu runs to run: make report runs them (make STUDY: one study)\n",
                todo, r->n_runs);
}

static const char *state_name(RunState s)
{
    switch (s) {
    case STATE_DONE:
        return "done";
    case STATE_MISSING:
        return "missing";
    case STATE_STALE:
        return "stale";
    }
    return "?";
}

int status_print_json(const StatusReport *r, const StatusOptions *o, FILE *f, char *err)
{
    json_t *root = json_object();
    json_object_set_new(root, "dataset", json_string(o->dataset));
    json_object_set_new(root, "up_to_date", json_boolean(r->missing + r->stale == 0));
    json_object_set_new(root, "runs", json_integer((json_int_t)r->n_runs));
    json_object_set_new(root, "done", json_integer((json_int_t)r->done));
    json_object_set_new(root, "missing", json_integer((json_int_t)r->missing));
    json_object_set_new(root, "stale", json_integer((json_int_t)r->stale));
    json_t *studies = json_array();
    json_object_set_new(root, "studies", studies);
    for (size_t i = 0; i < r->n_studies; i++) {
        const StudyFreshness *s = &r->studies[i];
        json_t *js = json_object(), *not_done = json_array();
        json_object_set_new(js, "study", json_string(s->study));
        json_object_set_new(js, "runs", json_integer((json_int_t)s->n_runs));
        json_object_set_new(js, "done", json_integer((json_int_t)s->done));
        json_object_set_new(js, "missing", json_integer((json_int_t)s->missing));
        json_object_set_new(js, "stale", json_integer((json_int_t)s->stale));
        for (size_t j = 0; j < s->n_runs; j++) {
            const RunFreshness *x = &r->runs[s->first + j];
            if (x->state == STATE_DONE)
                continue;
            json_t *jr = json_object(), *reasons = json_array();
            json_object_set_new(jr, "run", json_string(x->run));
            json_object_set_new(jr, "state", json_string(state_name(x->state)));
            for (size_t b = 0; b < N_REASONS; b++)
                if (x->why & REASONS[b])
                    json_array_append_new(reasons, json_string(status_reason_key(REASONS[b])));
            json_object_set_new(jr, "reasons", reasons);
            json_array_append_new(not_done, jr);
        }
        json_object_set_new(js, "not_done", not_done);
        json_array_append_new(studies, js);
    }
    int rc = json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (rc != 0 || fputc('\n', f) == EOF)
        return err_set(err, "status: cannot write the JSON report");
    return 0;
}
