#include "report/progress.h"

#include "err.h"
#include "experiment.h"

#include <check.h>
#include <math.h>
#include <string.h>

START_TEST(test_jobs_from_makeflags)
{
    ck_assert_int_eq(progress_jobs(NULL), 1);
    ck_assert_int_eq(progress_jobs(""), 1);
    ck_assert_int_eq(progress_jobs(" -j2 --jobserver-auth=3,4"), 2);
    ck_assert_int_eq(progress_jobs("ks -j16 --jobserver-auth=fifo:/tmp/x"), 16);
    ck_assert_int_eq(progress_jobs("-j"), 0);
    ck_assert_int_eq(progress_jobs(" -j --jobserver-auth=3,4"), 0);
    /* the jobserver's own option is not a -j */
    ck_assert_int_eq(progress_jobs(" --jobserver-auth=3,4 --no-print-directory"), 1);
    ck_assert_int_eq(progress_jobs("s"), 1);
}
END_TEST

START_TEST(test_durations)
{
    char b[16];
    progress_duration(0.46, b, sizeof b);
    ck_assert_str_eq(b, "0.5s");
    progress_duration(42.4, b, sizeof b);
    ck_assert_str_eq(b, "42s");
    progress_duration(750, b, sizeof b);
    ck_assert_str_eq(b, "12m30s");
    progress_duration(3 * 3600 + 5 * 60 + 20, b, sizeof b);
    ck_assert_str_eq(b, "3h05m");
    progress_duration(NAN, b, sizeof b);
    ck_assert_str_eq(b, "0.0s");
}
END_TEST

static const char STATE[] = "progress 1\n"
                            "start 1000.5 2\n"
                            "run 1 4e11 mlp-lr/learning_rate-0.1,seed-1\n"
                            "run 1 2e11 mlp-lr/learning_rate-0.1,seed-2\n"
                            "run 0 3e10 softmax-lambda/lambda-0.2,seed-1\n"
                            "run 0 3e10 softmax-lambda/lambda-0.2,seed-2\n"
                            "done mlp-lr/learning_rate-0.1,seed-1 2\n"
                            "done mlp-lr/learning_rate-0.1,seed-1 2\n"
                            "done other/seed-1 0.25\n";

START_TEST(test_state_counts_each_run_once)
{
    Progress p;
    char err[ERR_MAX];
    ck_assert_msg(progress_parse(STATE, &p, err) == 0, "%s", err);
    ck_assert_uint_eq(p.n_runs, 4);
    ck_assert_int_eq(p.jobs, 2);
    ck_assert(p.start == 1000.5);
    ck_assert_uint_eq(p.n_done, 1); /* a repeated line counts once */
    ck_assert_uint_eq(p.n_extra, 1);
    ck_assert(p.runs[0].done && p.runs[0].cpu == 2.0);
    ck_assert(!p.runs[1].done && isnan(p.runs[1].cpu));
    ck_assert_int_eq(p.runs[2].model, MODEL_SOFTMAX);
    ck_assert_str_eq(p.runs[3].name, "softmax-lambda/lambda-0.2,seed-2");
    progress_release(&p);
}
END_TEST

/* The measured rate of a model replaces its prior, and scales the other
 * model's prior; the time left spreads the work over the jobs but is never
 * less than the longest run left. */
START_TEST(test_estimate_follows_the_measured_rate)
{
    Progress p;
    char err[ERR_MAX];
    ProgressEstimate e;
    ck_assert_int_eq(progress_parse(STATE, &p, err), 0);
    progress_estimate(&p, 1010.5, &e);
    ck_assert_uint_eq(e.done, 2);
    ck_assert_uint_eq(e.total, 5);
    ck_assert_double_eq_tol(e.cpu_done, 2.25, 1e-12);
    ck_assert_double_eq_tol(e.elapsed, 10.0, 1e-9);
    /* mlp: 2 s for 4e11 FLOPs; softmax: that rate times the priors' ratio */
    double mlp = 2.0 / 4e11, softmax = mlp * PROGRESS_PRIOR_SOFTMAX / PROGRESS_PRIOR_MLP;
    double left = 2e11 * mlp + 2 * 3e10 * softmax;
    ck_assert_double_eq_tol(e.cpu_left, left, 1e-9);
    ck_assert_double_eq_tol(e.wall_left, left / 2, 1e-9);

    /* one job: everything in a row; nothing done: the priors */
    p.jobs = 1;
    progress_estimate(&p, 1010.5, &e);
    ck_assert_double_eq_tol(e.wall_left, left, 1e-9);
    p.runs[0].done = 0;
    p.n_done = 0;
    p.jobs = 0; /* -j: as many as there are runs */
    progress_estimate(&p, 1010.5, &e);
    double prior = 6e11 * PROGRESS_PRIOR_MLP + 6e10 * PROGRESS_PRIOR_SOFTMAX;
    ck_assert_double_eq_tol(e.cpu_left, prior, 1e-9);
    ck_assert_double_eq_tol(e.wall_left, 4e11 * PROGRESS_PRIOR_MLP, 1e-9);
    progress_release(&p);
}
END_TEST

START_TEST(test_bad_state_is_named)
{
    Progress p;
    char err[ERR_MAX];
    ck_assert_int_eq(progress_parse("a state\n", &p, err), -1);
    ck_assert_str_eq(err, "progress: line 1: not a progress state (want 'progress 1')");
    ck_assert_int_eq(progress_parse("progress 1\nstart 1 2\nrun x 1 a/b\n", &p, err), -1);
    ck_assert_str_eq(err, "progress: line 3: cannot read 'run x 1 a/b'");
    ck_assert_ptr_null(p.runs);
    ck_assert_int_eq(progress_parse("progress 1\nrun 0 1 a/b\n", &p, err), -1);
    ck_assert_str_eq(err, "progress: no 'start' line");
}
END_TEST

Suite *progress_suite(void);
Suite *progress_suite(void)
{
    Suite *s = suite_create("progress");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_jobs_from_makeflags);
    tcase_add_test(core, test_durations);
    tcase_add_test(core, test_state_counts_each_run_once);
    tcase_add_test(core, test_estimate_follows_the_measured_rate);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_bad_state_is_named);
    suite_add_tcase(s, errors);
    return s;
}
