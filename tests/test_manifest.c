#include "report/manifest.h"

#include "atomic.h"
#include "err.h"
#include "experiment.h"
#include "host.h"
#include "rundir.h"
#include "report/synth.h"
#include "testutil.h"
#include "trainer.h"

#include <check.h>
#include <jansson.h>
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
        ck_assert_int_eq(rundir_write(out, &meta, &cfg, &r, err), 0);
        ck_assert_int_eq(rundir_write_timing(out, 1.0, 1.0, NULL, "scalar", "aarch64", NULL, err), 0);
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
    ManifestOptions o = {"syn", results, data_dir, build, exps, 1, values, 0};
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
    ck_assert_msg(manifest_compare(a, b, studies, study ? 1 : 0, 0, f, diff, err) == 0, "%s", err);
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
    ck_assert_ptr_nonnull(strstr(text, "\"kernel_path\": \"scalar\""));
    free(text);
    char *vp = tu_path(dir, "values.tsv");
    text = tu_read(vp, &n);
    ck_assert_ptr_nonnull(strstr(text, "Dataset\tsyn\n"));
    ck_assert_ptr_nonnull(strstr(text, "Runs\t2, each"));
    ck_assert_ptr_nonnull(strstr(text, "Kernel paths used\tscalar\n"));
    ck_assert_ptr_nonnull(strstr(text, "Architectures used\taarch64\n"));
    free(text);
    free(vp);
    size_t diff = 99;
    char *rep = compare(a, a, NULL, &diff);
    ck_assert_uint_eq(diff, 0);
    char node[256], cpu[256], want[2048];
    host_node(node, sizeof node);
    host_cpu_model(cpu, sizeof cpu);
    snprintf(want, sizeof want,
             "expected ran on %s (%s, scalar): 2 runs\nactual ran on %s (%s, scalar): 2 runs\n"
             "verify: 2 runs identical, 0 differ, 0 missing, 0 unexpected; checked 2 of the 2 "
             "expected runs (100%%)\n",
             node, cpu, node, cpu);
    ck_assert_str_eq(rep, want);
    free(rep);
    free(a);
}
END_TEST

/* The same bits from another machine compare clean, and the report says where
 * each side ran. */
START_TEST(test_where_runs_ran_is_shown_not_compared)
{
    char err[ERR_MAX];
    char *a = write_manifest("a.json", err);
    ck_assert_msg(a != NULL, "%s", err);
    json_t *m = json_load_file(a, 0, NULL);
    ck_assert_ptr_nonnull(m);
    const char *k;
    json_t *run;
    int n = 0;
    json_object_foreach(json_object_get(m, "runs"), k, run) {
        json_t *on = json_object_get(run, "ran_on");
        ck_assert_ptr_nonnull(on);
        json_object_set_new(on, "node", json_string(n++ ? "node2" : "node1"));
        json_object_set_new(on, "cpu", json_string("Other CPU"));
        json_object_set_new(on, "kernel_path", json_string("avx2"));
    }
    char *b = tu_path(dir, "b.json");
    ck_assert_int_eq(json_dump_file(m, b, JSON_INDENT(1)), 0);
    json_decref(m);
    size_t diff = 99;
    char *rep = compare(a, b, NULL, &diff);
    ck_assert_uint_eq(diff, 0);
    ck_assert_ptr_nonnull(strstr(rep, "\nactual ran on node1 (Other CPU, avx2): 1 runs\n"
                                      "actual ran on node2 (Other CPU, avx2): 1 runs\n"
                                      "verify: 2 runs identical, 0 differ"));
    ck_assert_ptr_nonnull(strstr(rep, "expected ran on "));
    free(rep);
    free(a);
    free(b);
}
END_TEST
/* Changes the last digit of the last "key": number in path (the final value
 * in a summary.json); its value before and after in *was and *now. */
static void bump_last_digit(const char *path, const char *key, double *was, double *now)
{
    size_t n;
    char *text = tu_read(path, &n), pat[64];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    char *at = NULL;
    for (char *p = strstr(text, pat); p; p = strstr(p + 1, pat))
        at = p;
    ck_assert_ptr_nonnull(at);
    char *num = at + strlen(pat), *end;
    *was = strtod(num, &end);
    ck_assert(end > num && end[-1] >= '0' && end[-1] <= '9');
    end[-1] = end[-1] == '9' ? '8' : (char)(end[-1] + 1);
    *now = strtod(num, NULL);
    ck_assert(*now != *was);
    ck_assert_int_eq(tu_write(path, text, n), 0);
    free(text);
}

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

    /* a final metric edited by one digit: named with its delta */
    char *summary = tu_path(results, "tiny/learning_rate-0.1,seed-1/summary.json");
    double was, now;
    /* a loss: an accuracy may leave [0, 1], which the manifest's reader rejects */
    bump_last_digit(summary, "train_loss", &was, &now);
    char *c = write_manifest("c.json", err);
    ck_assert_msg(c != NULL, "%s", err);
    rep = compare(b, c, NULL, &diff);
    ck_assert_uint_eq(diff, 1);
    char want[256];
    snprintf(want, sizeof want,
             "run tiny/learning_rate-0.1,seed-1: summary.json differ; train_loss %.9g -> %.9g (%+.3g)\n",
             was, now, now - was);
    ck_assert_msg(strstr(rep, want) != NULL, "'%s' not in '%s'", want, rep);
    free(rep);
    free(c);
    free(summary);
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
    ck_assert_int_eq(manifest_compare(bad, bad, NULL, 0, 0, stdout, &diff, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "not a manifest"));
    tu_write(bad, "{\"runs\": ", 9);
    ck_assert_int_eq(manifest_compare(bad, bad, NULL, 0, 0, stdout, &diff, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "bad.json':1:"));
    free(bad);
    free(s);
}
END_TEST

/* Two manifests written by hand: the comparison of a sample looks only at the
 * first seeds of each configuration, on both sides, and says what fraction
 * it checked. */
START_TEST(test_a_sample_is_compared)
{
    const char *want_text =
        "{\"data\": {}, \"experiments\": {}, \"runs\": {"
        "\"s/x-1,seed-1\": {\"files\": {\"a\": \"1\"}}, \"s/x-1,seed-2\": {\"files\": {\"a\": \"2\"}},"
        "\"s/x-2,seed-1\": {\"files\": {\"a\": \"3\"}}, \"s/x-2,seed-2\": {\"files\": {\"a\": \"4\"}},"
        "\"t/seed-7\": {\"files\": {\"a\": \"5\"}}, \"t/seed-8\": {\"files\": {\"a\": \"6\"}}}}";
    /* the sample rerun: x-2 is gone, x-3 is new */
    const char *got_text =
        "{\"data\": {}, \"experiments\": {}, \"runs\": {"
        "\"s/x-1,seed-1\": {\"files\": {\"a\": \"1\"}}, \"s/x-3,seed-1\": {\"files\": {\"a\": \"9\"}},"
        "\"t/seed-7\": {\"files\": {\"a\": \"5\"}}}}";
    char *w = tu_path(dir, "want.json"), *g = tu_path(dir, "got.json");
    ck_assert_int_eq(tu_write(w, want_text, strlen(want_text)), 0);
    ck_assert_int_eq(tu_write(g, got_text, strlen(got_text)), 0);
    char err[ERR_MAX];
    char *rep_path = tu_path(dir, "report.txt");
    FILE *f = fopen(rep_path, "w");
    size_t diff = 0;
    ck_assert_msg(manifest_compare(w, g, NULL, 0, 1, f, &diff, err) == 0, "%s", err);
    fclose(f);
    size_t n;
    char *rep = tu_read(rep_path, &n);
    ck_assert_uint_eq(diff, 2);
    ck_assert_str_eq(rep, "run s/x-2,seed-1: missing\n"
                          "run s/x-3,seed-1: not in the expected manifest\n"
                          "verify: 2 runs identical, 0 differ, 1 missing, 1 unexpected; checked 3 "
                          "of the 6 expected runs (50%: the first seed of every configuration)\n");
    free(rep);
    free(rep_path);
    free(w);
    free(g);
}
END_TEST

START_TEST(test_sample_takes_the_first_seeds)
{
    char err[ERR_MAX];
    char *p = tu_path(dir, "s.exp");
    const char *text = "model = softmax\nlambda = 0, 1\nseeds = 5, 3, 9\n";
    ck_assert_int_eq(tu_write(p, text, strlen(text)), 0);
    Experiment *e = experiment_load(p, err);
    ck_assert_ptr_nonnull(e);
    int want1[6] = {1, 0, 0, 1, 0, 0}, want2[6] = {1, 1, 0, 1, 1, 0};
    for (size_t i = 0; i < 6; i++) {
        ck_assert_int_eq(manifest_in_sample(e, i, 1), want1[i]);
        ck_assert_int_eq(manifest_in_sample(e, i, 2), want2[i]);
        ck_assert_int_eq(manifest_in_sample(e, i, 0), 1);
    }
    experiment_free(e);
    free(p);
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
    tcase_add_test(core, test_where_runs_ran_is_shown_not_compared);
    tcase_add_test(core, test_a_sample_is_compared);
    tcase_add_test(core, test_sample_takes_the_first_seeds);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_checked_fixture(errors, setup, teardown);
    tcase_add_test(errors, test_missing_run_fails_the_write);
    tcase_add_test(errors, test_corrupt_inputs_are_named);
    suite_add_tcase(s, errors);
    return s;
}
