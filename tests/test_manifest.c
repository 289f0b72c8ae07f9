#include "report/manifest.h"

#include "atomic.h"
#include "err.h"
#include "experiment.h"
#include "runlog.h"
#include "report/synth.h"
#include "testutil.h"
#include "trainer.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static char *dir, *data_dir, *results, *exp_path, *build;

/* A two-run study trained on a synthetic dataset into dir/results/syn/tiny. */
static void setup(void)
{
    char err[ERR_MAX];
    dir = tu_tmpdir();
    data_dir = tu_path(dir, "data");
    results = tu_path(dir, "results");
    exp_path = tu_path(dir, "tiny.exp");
    build = tu_path(dir, "build");
    ck_assert_int_eq(synth_write(data_dir, 200, 100, 10, 1, 0, err), 0);
    const char *text = "model = softmax\nmax_epoch = 1\nlearning_rate = 0.1, 0.2\n";
    ck_assert_int_eq(tu_write(exp_path, text, strlen(text)), 0);
    Experiment *e = experiment_load(exp_path, err);
    ck_assert_ptr_nonnull(e);
    Data d;
    ck_assert_int_eq(data_load(&d, data_dir, err), 0);
    for (size_t i = 0; i < experiment_run_count(e); i++) {
        RunConfig cfg;
        char name[RUN_NAME_MAX], out[4096];
        experiment_run(e, i, &cfg, name);
        snprintf(out, sizeof out, "%s/%s/%s", results, experiment_study(e), name);
        TrainResult r;
        ck_assert_int_eq(train_run(&cfg, &d, &r, NULL, NULL, err), 0);
        RunMeta meta = {"syn", experiment_study(e), name, d.sha256};
        ck_assert_int_eq(make_dirs(out, err), 0);
        ck_assert_int_eq(runlog_write(out, &meta, &cfg, &r, err), 0);
        ck_assert_int_eq(runlog_write_timing(out, 1.0, 1.0, "scalar", err), 0);
        trainresult_release(&r);
    }
    data_release(&d);
    experiment_free(e);
}

static void teardown(void)
{
    tu_rmtree(dir);
    free(dir);
    free(data_dir);
    free(results);
    free(exp_path);
    free(build);
}

static char *write_manifest(const char *name, char *err)
{
    const char *exps[] = {exp_path};
    char *values = tu_path(dir, "values.tsv");
    ManifestOptions o = {"syn", results, data_dir, build, exps, 1, values};
    char *out = tu_path(dir, name);
    int rc = manifest_write(&o, out, err);
    free(values);
    if (rc < 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* Runs the comparison and returns its report text (heap) and difference count. */
static char *compare(const char *a, const char *b, const char *study, size_t *diff)
{
    char err[ERR_MAX];
    char *rep = tu_path(dir, "report.txt");
    FILE *f = fopen(rep, "w");
    const char *studies[] = {study};
    ck_assert_msg(manifest_compare(a, b, studies, study ? 1 : 0, f, diff, err) == 0, "%s", err);
    fclose(f);
    size_t n;
    char *text = tu_read(rep, &n);
    free(rep);
    return text;
}

START_TEST(test_identical_results_compare_clean)
{
    char err[ERR_MAX];
    char *a = write_manifest("a.json", err);
    ck_assert_msg(a != NULL, "%s", err);
    size_t n;
    char *text = tu_read(a, &n);
    ck_assert_ptr_nonnull(strstr(text, "\"tiny/learning_rate-0.1,seed-1\""));
    ck_assert_ptr_nonnull(strstr(text, "\"iterations.csv\""));
    ck_assert_ptr_nonnull(strstr(text, "\"git_commit\""));
    ck_assert_ptr_null(strstr(text, "timing.json"));
    free(text);
    char *vp = tu_path(dir, "values.tsv");
    text = tu_read(vp, &n);
    ck_assert_ptr_nonnull(strstr(text, "Dataset\tsyn\n"));
    ck_assert_ptr_nonnull(strstr(text, "Runs\t2, each"));
    ck_assert_ptr_nonnull(strstr(text, "Kernel paths used\tscalar\n"));
    free(text);
    free(vp);
    size_t diff = 99;
    char *rep = compare(a, a, NULL, &diff);
    ck_assert_uint_eq(diff, 0);
    ck_assert_str_eq(rep, "verify: 2 runs identical, 0 differ, 0 missing, 0 unexpected\n");
    free(rep);
    free(a);
}
END_TEST

START_TEST(test_a_changed_result_is_named)
{
    char err[ERR_MAX];
    char *a = write_manifest("a.json", err);
    /* a different result for one run: its epochs.csv and summary change */
    char *csv = tu_path(results, "tiny/learning_rate-0.2,seed-1/epochs.csv");
    size_t n;
    char *text = tu_read(csv, &n);
    text[n - 2] = text[n - 2] == '1' ? '2' : '1';
    ck_assert_int_eq(tu_write(csv, text, n), 0);
    free(text);
    char *b = write_manifest("b.json", err);
    ck_assert_ptr_nonnull(b);
    size_t diff = 0;
    char *rep = compare(a, b, NULL, &diff);
    ck_assert_uint_eq(diff, 1);
    ck_assert_ptr_nonnull(strstr(rep, "run tiny/learning_rate-0.2,seed-1: epochs.csv differ\n"));
    ck_assert_ptr_nonnull(strstr(rep, "verify: 1 runs identical, 1 differ"));
    free(rep);
    /* limited to another study, nothing is compared */
    rep = compare(a, b, "other", &diff);
    ck_assert_uint_eq(diff, 0);
    free(rep);
    free(csv);
    free(a);
    free(b);
}
END_TEST

START_TEST(test_missing_run_fails_the_write)
{
    char err[ERR_MAX];
    char *s = tu_path(results, "tiny/learning_rate-0.1,seed-1/summary.json");
    ck_assert_int_eq(remove(s), 0);
    ck_assert_ptr_null(write_manifest("c.json", err));
    ck_assert_ptr_nonnull(strstr(err, "summary.json': missing"));
    free(s);
}
END_TEST

START_TEST(test_corrupt_inputs_are_named)
{
    char err[ERR_MAX];
    char *s = tu_path(results, "tiny/learning_rate-0.1,seed-1/summary.json");
    ck_assert_int_eq(tu_write(s, "{\n \"status\": \n", 14), 0);
    ck_assert_ptr_null(write_manifest("c.json", err));
    ck_assert_ptr_nonnull(strstr(err, "summary.json':"));
    char *bad = tu_path(dir, "bad.json");
    tu_write(bad, "{\"runs\": 3}", 11);
    size_t diff;
    ck_assert_int_eq(manifest_compare(bad, bad, NULL, 0, stdout, &diff, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "not a manifest"));
    tu_write(bad, "{\"runs\": ", 9);
    ck_assert_int_eq(manifest_compare(bad, bad, NULL, 0, stdout, &diff, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "bad.json':1:"));
    free(bad);
    free(s);
}
END_TEST

Suite *manifest_suite(void);
Suite *manifest_suite(void)
{
    Suite *s = suite_create("manifest");
    TCase *core = tcase_create("core");
    tcase_add_checked_fixture(core, setup, teardown);
    tcase_add_test(core, test_identical_results_compare_clean);
    tcase_add_test(core, test_a_changed_result_is_named);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_checked_fixture(errors, setup, teardown);
    tcase_add_test(errors, test_missing_run_fails_the_write);
    tcase_add_test(errors, test_corrupt_inputs_are_named);
    suite_add_tcase(s, errors);
    return s;
}
