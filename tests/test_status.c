#include "report/status.h"

#include "atomic.h"
#include "err.h"
#include "report/plan.h"
#include "testutil.h"

#include <check.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define T0 1000000000 /* the inputs' time; a finished run's summary is later */

/* A planned four-run study: exps/tiny.exp, its configs under runs/, the
 * trainer's key and the data stamp, all at T0, and (by default) every run
 * finished at T0 + 10. */
typedef struct {
    char *dir, *exp, *runs, *results, *key, *stamp;
    StatusOptions opt;
} Fixture;

static const char *const RUNS[4] = {"lambda-0,seed-1", "lambda-0,seed-2", "lambda-0.5,seed-1",
                                    "lambda-0.5,seed-2"};

static void set_time(const char *path, long t)
{
    struct timespec ts[2] = {{t, 0}, {t, 0}};
    ck_assert_msg(utimensat(AT_FDCWD, path, ts, 0) == 0, "cannot set the time of %s", path);
}

static char *run_file(const char *root, const char *run, const char *tail)
{
    char rel[512];
    snprintf(rel, sizeof rel, "mnist/tiny/%s%s", run, tail);
    return tu_path(root, rel);
}

static void write_exp(Fixture *f, const char *text)
{
    ck_assert_int_eq(tu_write(f->exp, text, strlen(text)), 0);
}

static void plan(Fixture *f)
{
    char err[ERR_MAX];
    char *out = tu_path(f->dir, "plan.mk");
    PlanOptions p = {"mnist", out, f->runs, f->results, "data"};
    const char *exps[] = {f->exp};
    ck_assert_msg(plan_write(&p, exps, 1, err) == 0, "%s", err);
    for (int i = 0; i < 4; i++) {
        char *cfg = run_file(f->runs, RUNS[i], ".cfg");
        set_time(cfg, T0);
        free(cfg);
    }
    free(out);
}

/* Marks run i finished at time t (the status reads only the summary's time). */
static void finish(const Fixture *f, int i, long t)
{
    char err[ERR_MAX];
    char *dir = run_file(f->results, RUNS[i], "");
    char *summary = tu_path(dir, "summary.json");
    ck_assert_int_eq(make_dirs(dir, err), 0);
    ck_assert_int_eq(tu_write(summary, "{}\n", 3), 0);
    set_time(summary, t);
    free(summary);
    free(dir);
}

static void setup_fixture(Fixture *f)
{
    f->dir = tu_tmpdir();
    f->exp = tu_path(f->dir, "tiny.exp");
    f->runs = tu_path(f->dir, "runs");
    f->results = tu_path(f->dir, "results");
    f->key = tu_path(f->dir, "train.key");
    f->stamp = tu_path(f->dir, "verified");
    write_exp(f, "model = softmax\nlambda = 0, 0.5\nseeds = 1, 2\n");
    plan(f);
    ck_assert_int_eq(tu_write(f->key, "k\n", 2), 0);
    ck_assert_int_eq(tu_write(f->stamp, "s\n", 2), 0);
    set_time(f->key, T0);
    set_time(f->stamp, T0);
    for (int i = 0; i < 4; i++)
        finish(f, i, T0 + 10);
    f->opt.dataset = "mnist";
    f->opt.results_dir = f->results;
    f->opt.runs_dir = f->runs;
    f->opt.train_key = f->key;
    f->opt.data_stamp = f->stamp;
}

static void release_fixture(Fixture *f)
{
    tu_rmtree(f->dir);
    free(f->dir);
    free(f->exp);
    free(f->runs);
    free(f->results);
    free(f->key);
    free(f->stamp);
}

static void collect(Fixture *f, StatusReport *r)
{
    char err[ERR_MAX];
    const char *exps[] = {f->exp};
    ck_assert_msg(status_collect(&f->opt, exps, 1, r, err) == 0, "%s", err);
    ck_assert_uint_eq(r->n_runs, 4);
    ck_assert_uint_eq(r->n_studies, 1);
}

/* status_print's text (heap). */
static char *printed(const StatusReport *r, const StatusOptions *o)
{
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    ck_assert_ptr_nonnull(f);
    status_print(r, o, f);
    fclose(f);
    return text;
}

START_TEST(test_finished_runs_are_done)
{
    Fixture f;
    setup_fixture(&f);
    StatusReport r;
    collect(&f, &r);
    ck_assert_uint_eq(r.done, 4);
    ck_assert_uint_eq(r.missing + r.stale, 0);
    ck_assert_str_eq(r.studies[0].study, "tiny");
    ck_assert(r.runs[0].cost > 0);
    char *text = printed(&r, &f.opt);
    ck_assert_ptr_nonnull(strstr(text, "status: mnist, 1 studies, 4 runs: 4 done, 0 missing, 0 stale\n"));
    ck_assert_ptr_nonnull(strstr(text, "status: every run is up to date\n"));
    ck_assert_ptr_null(strstr(text, "stale ("));
    free(text);
    status_report_release(&r);
    release_fixture(&f);
}
END_TEST

/* The runs a summary is missing from or older than a cfg, the key or the
 * stamp are named with that reason, and only those. */
START_TEST(test_each_reason_is_named)
{
    Fixture f;
    setup_fixture(&f);
    char *gone = run_file(f.results, RUNS[1], "/summary.json");
    ck_assert_int_eq(remove(gone), 0);
    char *cfg = run_file(f.runs, RUNS[2], ".cfg");
    set_time(cfg, T0 + 20); /* replanned after an edit */
    StatusReport r;
    collect(&f, &r);
    ck_assert_uint_eq(r.done, 2);
    ck_assert_int_eq(r.runs[1].state, STATE_MISSING);
    ck_assert_int_eq(r.runs[2].state, STATE_STALE);
    ck_assert_uint_eq(r.runs[2].why, STALE_CONFIG);
    char *text = printed(&r, &f.opt);
    ck_assert_ptr_nonnull(strstr(text, "  tiny/lambda-0.5,seed-1: configuration changed\n"));
    ck_assert_ptr_nonnull(strstr(text, "missing (never run, or interrupted):\n  tiny/lambda-0,seed-2\n"));
    ck_assert_ptr_nonnull(strstr(text, "status: 2 of 4 runs to run"));
    free(text);
    status_report_release(&r);

    /* a new trainer and new data: every run, both reasons, said once */
    set_time(f.key, T0 + 30);
    set_time(f.stamp, T0 + 30);
    finish(&f, 1, T0 + 10);
    set_time(cfg, T0);
    collect(&f, &r);
    ck_assert_uint_eq(r.stale, 4);
    for (int i = 0; i < 4; i++)
        ck_assert_uint_eq(r.runs[i].why, STALE_TRAINER | STALE_DATA);
    text = printed(&r, &f.opt);
    ck_assert_ptr_nonnull(strstr(text, "  tiny: all 4 runs: trainer changed, data changed\n"));
    free(text);
    status_report_release(&r);

    /* no key or stamp at all: make would write them, so they count as changed */
    remove(f.key);
    remove(f.stamp);
    collect(&f, &r);
    ck_assert_uint_eq(r.runs[0].why, STALE_TRAINER | STALE_DATA);
    status_report_release(&r);
    free(cfg);
    free(gone);
    release_fixture(&f);
}
END_TEST

/* An edited experiment file counts before make plans again: a changed setting
 * makes every run stale, a changed sweep value makes its runs new (missing). */
START_TEST(test_an_edit_counts_before_planning)
{
    Fixture f;
    setup_fixture(&f);
    write_exp(&f, "model = softmax\nlambda = 0, 0.5\nmax_epoch = 3\nseeds = 1, 2\n");
    StatusReport r;
    collect(&f, &r);
    ck_assert_uint_eq(r.stale, 4);
    ck_assert_uint_eq(r.runs[3].why, STALE_CONFIG);
    status_report_release(&r);

    write_exp(&f, "model = softmax\nlambda = 0, 0.7\nseeds = 1, 2\n");
    collect(&f, &r);
    ck_assert_uint_eq(r.done, 2);
    ck_assert_uint_eq(r.missing, 2);
    ck_assert_str_eq(r.runs[2].run, "lambda-0.7,seed-1");
    ck_assert_int_eq(r.runs[2].state, STATE_MISSING);
    status_report_release(&r);

    /* a deleted config: make plans again, which writes it anew */
    write_exp(&f, "model = softmax\nlambda = 0, 0.5\nseeds = 1, 2\n");
    char *cfg = run_file(f.runs, RUNS[0], ".cfg");
    ck_assert_int_eq(remove(cfg), 0);
    collect(&f, &r);
    ck_assert_uint_eq(r.stale, 1);
    ck_assert_uint_eq(r.runs[0].why, STALE_CONFIG);
    status_report_release(&r);
    free(cfg);
    release_fixture(&f);
}
END_TEST

START_TEST(test_json_report)
{
    Fixture f;
    setup_fixture(&f);
    char *gone = run_file(f.results, RUNS[3], "/summary.json");
    ck_assert_int_eq(remove(gone), 0);
    set_time(f.key, T0 + 30);
    StatusReport r;
    collect(&f, &r);
    char *text = NULL, err[ERR_MAX];
    size_t n = 0;
    FILE *out = open_memstream(&text, &n);
    ck_assert_int_eq(status_print_json(&r, &f.opt, out, err), 0);
    fclose(out);
    json_error_t je;
    json_t *root = json_loads(text, 0, &je);
    ck_assert_msg(root != NULL, "%s", je.text);
    ck_assert(json_is_false(json_object_get(root, "up_to_date")));
    ck_assert_int_eq(json_integer_value(json_object_get(root, "stale")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(root, "missing")), 1);
    json_t *study = json_array_get(json_object_get(root, "studies"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(study, "study")), "tiny");
    json_t *not_done = json_object_get(study, "not_done");
    ck_assert_uint_eq(json_array_size(not_done), 4);
    json_t *first = json_array_get(not_done, 0), *last = json_array_get(not_done, 3);
    ck_assert_str_eq(json_string_value(json_object_get(first, "run")), "lambda-0,seed-1");
    ck_assert_str_eq(json_string_value(json_object_get(first, "state")), "stale");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(first, "reasons"), 0)),
                     "trainer");
    ck_assert_str_eq(json_string_value(json_object_get(last, "state")), "missing");
    ck_assert_uint_eq(json_array_size(json_object_get(last, "reasons")), 0);
    json_decref(root);
    free(text);
    status_report_release(&r);
    free(gone);
    release_fixture(&f);
}
END_TEST

START_TEST(test_errors_name_the_file)
{
    Fixture f;
    setup_fixture(&f);
    write_exp(&f, "model = softmax\nlamda = 0.5\n");
    StatusReport r;
    char err[ERR_MAX];
    const char *exps[] = {f.exp};
    ck_assert_int_eq(status_collect(&f.opt, exps, 1, &r, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "tiny.exp:2: unknown key 'lamda'"));
    ck_assert_ptr_null(r.runs);
    /* without the experiment's config the per-run config must be readable */
    RunFreshness x;
    ck_assert_int_eq(status_run(&f.opt, "tiny", "lambda-9,seed-1", NULL, &x, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "lambda-9,seed-1.cfg"));
    ck_assert_int_eq(status_run(&f.opt, "tiny", RUNS[0], NULL, &x, err), 0);
    ck_assert_int_eq(x.state, STATE_DONE);
    ck_assert(x.cfg.lambda == 0.0 && x.cfg.seed == 1);
    release_fixture(&f);
}
END_TEST

Suite *status_suite(void);
Suite *status_suite(void)
{
    Suite *s = suite_create("status");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_finished_runs_are_done);
    tcase_add_test(core, test_each_reason_is_named);
    tcase_add_test(core, test_an_edit_counts_before_planning);
    tcase_add_test(core, test_json_report);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_errors_name_the_file);
    suite_add_tcase(s, errors);
    return s;
}
