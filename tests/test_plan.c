#include "report/cli.h"
#include "err.h"
#include "experiment.h"
#include "report/plan.h"
#include "testutil.h"

#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OLD_TIME 946684800 /* 2000-01-01: marks a file the planner must not touch */

/* A temp dir with exps/, the fragment at plan/mnist.mk and configs under runs/. */
typedef struct {
    char *dir, *exps, *out, *runs;
    PlanOptions opt;
} Fixture;

static void fixture_init(Fixture *f)
{
    f->dir = tu_tmpdir();
    ck_assert_ptr_nonnull(f->dir);
    f->exps = tu_path(f->dir, "exps");
    f->out = tu_path(f->dir, "plan/mnist.mk");
    f->runs = tu_path(f->dir, "runs");
    ck_assert_int_eq(mkdir(f->exps, 0777), 0);
    f->opt.dataset = "mnist";
    f->opt.out = f->out;
    f->opt.runs_dir = f->runs;
    f->opt.results_dir = "results";
    f->opt.data_dir = "data";
}

static void fixture_release(Fixture *f)
{
    tu_rmtree(f->dir);
    free(f->dir);
    free(f->exps);
    free(f->out);
    free(f->runs);
}

/* Writes exps/<name> and returns its heap path. */
static char *write_exp(const Fixture *f, const char *name, const char *text)
{
    char *path = tu_path(f->exps, name);
    ck_assert_int_eq(tu_write(path, text, strlen(text)), 0);
    return path;
}

/* The path of run's config for study, as a heap string. */
static char *cfg_path(const Fixture *f, const char *study, const char *run)
{
    char rel[512];
    snprintf(rel, sizeof rel, "mnist/%s/%s.cfg", study, run);
    return tu_path(f->runs, rel);
}

static long mtime_of(const char *path)
{
    struct stat st;
    ck_assert_msg(stat(path, &st) == 0, "missing %s", path);
    return (long)st.st_mtim.tv_sec;
}

static void set_old(const char *path)
{
    struct timespec t[2] = {{OLD_TIME, 0}, {OLD_TIME, 0}};
    ck_assert_int_eq(utimensat(AT_FDCWD, path, t, 0), 0);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Number of directory entries other than . and .. */
static int count_entries(const char *path)
{
    DIR *d = opendir(path);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

/* Position of needle in hay; fails the test when absent. */
static size_t pos_of(const char *hay, const char *needle)
{
    const char *p = strstr(hay, needle);
    ck_assert_msg(p != NULL, "'%s' not in the fragment", needle);
    return (size_t)(p - hay);
}

START_TEST(test_fragment_rules_and_order)
{
    Fixture f;
    char err[ERR_MAX] = "", want[2048];
    fixture_init(&f);
    char *a = write_exp(&f, "a.exp", "model = softmax\nlambda = 0, 0.5\nseeds = 1, 2\n");
    char *b = write_exp(&f, "b.exp", "model = mlp\nhidden = 128, 512x128\n");
    const char *exps[] = {a, b};
    ck_assert_msg(plan_write(&f.opt, exps, 2, err) == 0, "%s", err);
    size_t n;
    char *mk = tu_read(f.out, &n);
    ck_assert_ptr_nonnull(mk);

    char *cfg = cfg_path(&f, "a", "lambda-0.5,seed-2");
    snprintf(want, sizeof want,
             "\nresults/mnist/a/lambda-0.5,seed-2/summary.json: %s $(TRAIN_KEY) $(DATA_STAMP)\n"
             "\t$(Q)$(TRAIN_CROWD) $(LAUNCHER) $(TRAIN) --config %s --data data/mnist "
             "--out results/mnist/a/lambda-0.5,seed-2 --name mnist/a/lambda-0.5,seed-2 "
             "$(TRAIN_FLAGS)\n"
             "\t$(RUN_DONE) results/mnist/a/lambda-0.5,seed-2/summary.json\n",
             cfg, cfg);
    pos_of(mk, want);
    pos_of(mk, "\nPLAN_DATASET := mnist\n");
    pos_of(mk, "\nALL_STUDIES := a b\n");
    pos_of(mk, "\nSOFTMAX_STUDIES := a\n");
    pos_of(mk, "\nMLP_STUDIES := b\n");
    snprintf(want, sizeof want, "\nSTUDY_a_EXP := %s\n", a);
    pos_of(mk, want);
    /* Equal costs keep run order. */
    pos_of(mk, "\nSTUDY_a_RUNS := \\\n"
               "  results/mnist/a/lambda-0,seed-1/summary.json \\\n"
               "  results/mnist/a/lambda-0,seed-2/summary.json \\\n"
               "  results/mnist/a/lambda-0.5,seed-1/summary.json \\\n"
               "  results/mnist/a/lambda-0.5,seed-2/summary.json\n");
    /* The two-layer network costs more: it comes first. */
    pos_of(mk, "\nSTUDY_b_RUNS := \\\n"
               "  results/mnist/b/hidden-512x128,seed-1/summary.json \\\n"
               "  results/mnist/b/hidden-128,seed-1/summary.json\n");
    pos_of(mk, "\nMLP_RUNS := \\\n"
               "  results/mnist/b/hidden-512x128,seed-1/summary.json \\\n"
               "  results/mnist/b/hidden-128,seed-1/summary.json\n");
    size_t all = pos_of(mk, "\nALL_RUNS := \\\n"
                            "  results/mnist/b/hidden-512x128,seed-1/summary.json \\\n"
                            "  results/mnist/b/hidden-128,seed-1/summary.json \\\n"
                            "  results/mnist/a/lambda-0,seed-1/summary.json \\\n");
    ck_assert_uint_gt(all, 0);
    pos_of(mk, "\nsoftmax: $(SOFTMAX_RUNS)\n");
    pos_of(mk, "\nmlp: $(MLP_RUNS)\n");
    pos_of(mk, "\na: $(STUDY_a_RUNS)\n");
    pos_of(mk, "\nb: $(STUDY_b_RUNS)\n");
    pos_of(mk, "\n.PHONY: softmax mlp $(ALL_STUDIES)\n");

    /* Each config reads back as its run's configuration. */
    Experiment *ea = experiment_load(a, err);
    ck_assert_ptr_nonnull(ea);
    RunConfig expect, got;
    char name[RUN_NAME_MAX];
    experiment_run(ea, 3, &expect, name);
    ck_assert_str_eq(name, "lambda-0.5,seed-2");
    Experiment *ec = experiment_load(cfg, err);
    ck_assert_msg(ec != NULL, "%s", err);
    experiment_run(ec, 0, &got, name);
    ck_assert_int_eq(memcmp(&got, &expect, sizeof got), 0);
    experiment_free(ec);
    experiment_free(ea);

    /* Same inputs, same bytes; no temporary file left beside the fragment. */
    ck_assert_msg(plan_write(&f.opt, exps, 2, err) == 0, "%s", err);
    size_t n2;
    char *mk2 = tu_read(f.out, &n2);
    ck_assert_uint_eq(n, n2);
    ck_assert_int_eq(memcmp(mk, mk2, n), 0);
    char *plan_dir = tu_path(f.dir, "plan");
    ck_assert_int_eq(count_entries(plan_dir), 1);
    free(plan_dir);
    free(mk2);
    free(mk);
    free(cfg);
    free(a);
    free(b);
    fixture_release(&f);
}
END_TEST

/* A run of the same configuration in two studies (here b's default batch is
 * a's batch-100 run) is trained once: one grouped rule writes both
 * directories; runs of their own keep their own rule. */
START_TEST(test_shared_configuration_trained_once)
{
    Fixture f;
    char err[ERR_MAX] = "", want[4096];
    fixture_init(&f);
    char *a = write_exp(&f, "a.exp", "model = softmax\nbatch_size = 50, 100\n");
    char *b = write_exp(&f, "b.exp", "model = softmax\nseeds = 1, 2\n");
    const char *exps[] = {a, b};
    ck_assert_msg(plan_write(&f.opt, exps, 2, err) == 0, "%s", err);
    char *mk = tu_read(f.out, NULL);
    ck_assert_ptr_nonnull(mk);
    char *ca = cfg_path(&f, "a", "batch_size-100,seed-1");
    char *cb = cfg_path(&f, "b", "seed-1");
    snprintf(want, sizeof want,
             "\nresults/mnist/a/batch_size-100,seed-1/summary.json "
             "results/mnist/b/seed-1/summary.json &: %s %s $(TRAIN_KEY) $(DATA_STAMP)\n"
             "\t$(Q)$(TRAIN_CROWD) $(LAUNCHER) $(TRAIN) --config %s --data data/mnist "
             "--out results/mnist/a/batch_size-100,seed-1 --name mnist/a/batch_size-100,seed-1 "
             "--out results/mnist/b/seed-1 --name mnist/b/seed-1 $(TRAIN_FLAGS)\n"
             "\t$(RUN_DONE) results/mnist/a/batch_size-100,seed-1/summary.json\n"
             "\t$(RUN_DONE) results/mnist/b/seed-1/summary.json\n",
             ca, cb, ca);
    pos_of(mk, want);
    /* b's seed 2 and a's batch 50 have no twin: rules of their own */
    pos_of(mk, "\nresults/mnist/b/seed-2/summary.json: ");
    pos_of(mk, "\nresults/mnist/a/batch_size-50,seed-1/summary.json: ");
    ck_assert_ptr_null(strstr(mk, "\nresults/mnist/b/seed-1/summary.json: "));
    /* both runs stay in their studies' lists */
    pos_of(mk, "\nSTUDY_b_RUNS := \\\n  results/mnist/b/seed-1/summary.json \\\n");
    free(ca);
    free(cb);
    free(mk);
    free(a);
    free(b);
    fixture_release(&f);
}
END_TEST

/* An `alone` study's runs share no training, take the training lock
 * exclusively (every other run shares it) and come last in make's order. */
START_TEST(test_alone_runs_one_at_a_time_after_the_rest)
{
    Fixture f;
    char err[ERR_MAX] = "";
    fixture_init(&f);
    char *t = write_exp(&f, "t.exp", "model = softmax\nalone = true\nseeds = 1, 2\n");
    char *a = write_exp(&f, "a.exp", "model = softmax\nseeds = 1, 2\n");
    const char *exps[] = {t, a};
    ck_assert_msg(plan_write(&f.opt, exps, 2, err) == 0, "%s", err);
    char *mk = tu_read(f.out, NULL);
    ck_assert_ptr_nonnull(mk);
    /* the same configurations as a's, yet trained on their own */
    ck_assert_ptr_null(strstr(mk, "summary.json &:"));
    /* listed first, yet last in make's order */
    pos_of(mk, "\nALL_RUNS := \\\n  results/mnist/a/seed-1/summary.json \\\n"
               "  results/mnist/a/seed-2/summary.json \\\n"
               "  results/mnist/t/seed-1/summary.json \\\n"
               "  results/mnist/t/seed-2/summary.json\n");
    for (int s = 1; s <= 2; s++) {
        char head[160];
        snprintf(head, sizeof head, "\nresults/mnist/%c/seed-%d/summary.json: ", 'a', s);
        char *rule = strstr(mk, head);
        ck_assert_msg(rule, "%s", head);
        ck_assert(strstr(rule, "\t$(Q)$(TRAIN_CROWD) $(LAUNCHER) $(TRAIN) ") ==
                  strchr(rule + 1, '\n') + 1);
        snprintf(head, sizeof head, "\nresults/mnist/%c/seed-%d/summary.json: ", 't', s);
        rule = strstr(mk, head);
        ck_assert_msg(rule, "%s", head);
        ck_assert(strstr(rule, "\t$(Q)$(TRAIN_ALONE) $(LAUNCHER) $(TRAIN) ") ==
                  strchr(rule + 1, '\n') + 1);
        /* no order-only prerequisites: a goal builds only the runs it names */
        ck_assert(!memchr(rule, '|', (size_t)(strchr(rule + 1, '\n') - rule)));
    }
    free(mk);
    free(a);
    free(t);
    fixture_release(&f);
}
END_TEST

START_TEST(test_bad_alone_value)
{
    Fixture f;
    char err[ERR_MAX] = "";
    fixture_init(&f);
    char *t = write_exp(&f, "t.exp", "model = softmax\nalone = yes\n");
    const char *exps[] = {t};
    ck_assert_int_eq(plan_write(&f.opt, exps, 1, err), -1);
    ck_assert_msg(strstr(err, "t.exp:2: 'alone' must be true or false, got 'yes'"), "%s", err);
    free(t);
    fixture_release(&f);
}
END_TEST

START_TEST(test_configs_rewritten_only_when_changed)
{
    Fixture f;
    char err[ERR_MAX] = "";
    fixture_init(&f);
    const char *a_text = "model = softmax\nlambda = 0, 0.5   # two runs\n";
    char *a = write_exp(&f, "a.exp", a_text);
    char *b = write_exp(&f, "b.exp", "model = mlp\n");
    const char *exps[] = {a, b};
    ck_assert_msg(plan_write(&f.opt, exps, 2, err) == 0, "%s", err);
    char *a0 = cfg_path(&f, "a", "lambda-0,seed-1");
    char *a5 = cfg_path(&f, "a", "lambda-0.5,seed-1");
    char *a7 = cfg_path(&f, "a", "lambda-0.7,seed-1");
    char *b1 = cfg_path(&f, "b", "seed-1");
    size_t n;
    char *before = tu_read(b1, &n);
    ck_assert_ptr_nonnull(before);
    ck_assert_ptr_nonnull(strstr(before, "learning_rate = 0.001\n"));
    set_old(a0);
    set_old(a5);
    set_old(b1);

    /* Rewritten identically: no config touched. */
    free(write_exp(&f, "a.exp", a_text));
    free(write_exp(&f, "b.exp", "model = mlp\n"));
    ck_assert_msg(plan_write(&f.opt, exps, 2, err) == 0, "%s", err);
    ck_assert_int_eq(mtime_of(a0), OLD_TIME);
    ck_assert_int_eq(mtime_of(a5), OLD_TIME);
    ck_assert_int_eq(mtime_of(b1), OLD_TIME);

    /* A changed value rewrites that run's config only. */
    free(write_exp(&f, "b.exp", "model = mlp\nlearning_rate = 0.01\n"));
    ck_assert_msg(plan_write(&f.opt, exps, 2, err) == 0, "%s", err);
    ck_assert_int_ne(mtime_of(b1), OLD_TIME);
    char *after = tu_read(b1, &n);
    ck_assert_ptr_nonnull(strstr(after, "learning_rate = 0.01\n"));
    ck_assert_int_eq(mtime_of(a0), OLD_TIME);
    ck_assert_int_eq(mtime_of(a5), OLD_TIME);

    /* A changed sweep value makes a new run; the kept one is untouched and the
     * removed one's config stays, unused. */
    free(write_exp(&f, "a.exp", "model = softmax\nlambda = 0, 0.7\n"));
    ck_assert_msg(plan_write(&f.opt, exps, 2, err) == 0, "%s", err);
    ck_assert_int_eq(mtime_of(a0), OLD_TIME);
    ck_assert_int_eq(mtime_of(a5), OLD_TIME);
    ck_assert(exists(a7));
    char *mk = tu_read(f.out, &n);
    ck_assert_ptr_nonnull(strstr(mk, "/a/lambda-0.7,seed-1/summary.json"));
    ck_assert_ptr_null(strstr(mk, "lambda-0.5"));

    /* A config deleted by hand is written again. */
    ck_assert_int_eq(unlink(a0), 0);
    ck_assert_msg(plan_write(&f.opt, exps, 2, err) == 0, "%s", err);
    ck_assert(exists(a0));

    free(mk);
    free(after);
    free(before);
    free(a0);
    free(a5);
    free(a7);
    free(b1);
    free(a);
    free(b);
    fixture_release(&f);
}
END_TEST

START_TEST(test_run_cost)
{
    RunConfig s;
    memset(&s, 0, sizeof s);
    s.model = MODEL_SOFTMAX;
    s.max_epoch = 10;
    /* per image: forward 2*784*10, weight gradient 2*784*10; 60000 trained,
     * 70000 evaluated per epoch */
    double want = 10.0 * (60000.0 * 4 * 7840 + 70000.0 * 2 * 7840);
    ck_assert(plan_run_cost(&s) == want);
    s.max_epoch = 20;
    ck_assert(plan_run_cost(&s) == 2 * want);

    RunConfig m;
    memset(&m, 0, sizeof m);
    m.model = MODEL_MLP;
    m.max_epoch = 1;
    m.n_hidden = 1;
    m.hidden[0] = 128;
    double fwd = 2.0 * (784 * 128 + 128 * 10);
    double bwd = fwd + 2.0 * 128 * 10;
    ck_assert(plan_run_cost(&m) == 55000 * (fwd + bwd) + 70000 * fwd);
    double one = plan_run_cost(&m);
    m.n_hidden = 2;
    m.hidden[0] = 512;
    m.hidden[1] = 128;
    ck_assert(plan_run_cost(&m) > one);
}
END_TEST

START_TEST(test_cli)
{
    Fixture f;
    fixture_init(&f);
    char *a = write_exp(&f, "a.exp", "model = softmax\n");
    char *argv[] = {"plan", "--dataset", "fashion", "--runs", f.runs,
                    "--out", f.out, a, NULL};
    ck_assert_int_eq(cmd_plan(8, argv), 0);
    size_t n;
    char *mk = tu_read(f.out, &n);
    ck_assert_ptr_nonnull(mk);
    ck_assert_ptr_nonnull(strstr(mk, "\nresults/fashion/a/seed-1/summary.json: "));
    ck_assert_ptr_nonnull(strstr(mk, "--data data/fashion --out results/fashion/a/seed-1 --name fashion/a/seed-1 "
                                     "$(TRAIN_FLAGS)\n"));
    char *cfg = tu_path(f.runs, "fashion/a/seed-1.cfg");
    ck_assert(exists(cfg));
    free(cfg);
    free(mk);
    free(a);
    fixture_release(&f);
}
END_TEST

START_TEST(test_bad_experiment_writes_nothing)
{
    Fixture f;
    char err[ERR_MAX] = "";
    fixture_init(&f);
    char *a = write_exp(&f, "a.exp", "model = softmax\n");
    char *b = write_exp(&f, "b.exp", "model = mlp\n\nlambda = 0.2\n");
    const char *exps[] = {a, b};
    ck_assert_int_eq(plan_write(&f.opt, exps, 2, err), -1);
    char want[ERR_MAX];
    snprintf(want, sizeof want, "%s:3: 'lambda' does not apply to model 'mlp'", b);
    ck_assert_str_eq(err, want);
    ck_assert(!exists(f.out));
    ck_assert(!exists(f.runs));
    free(a);
    free(b);
    fixture_release(&f);
}
END_TEST

START_TEST(test_duplicate_and_unsafe_study_names)
{
    Fixture f;
    char err[ERR_MAX] = "";
    fixture_init(&f);
    char *a = write_exp(&f, "a.exp", "model = softmax\n");
    char *sub = tu_path(f.exps, "sub");
    ck_assert_int_eq(mkdir(sub, 0777), 0);
    char *a2 = tu_path(sub, "a.exp");
    ck_assert_int_eq(tu_write(a2, "model = mlp\n", 12), 0);
    const char *dup[] = {a, a2};
    ck_assert_int_eq(plan_write(&f.opt, dup, 2, err), -1);
    char want[ERR_MAX + 64];
    snprintf(want, sizeof want, "%s: study 'a' is already defined by '%s'", a2, a);
    ck_assert_str_eq(err, want);

    char *odd = write_exp(&f, "x,y.exp", "model = softmax\n");
    const char *bad[] = {odd};
    ck_assert_int_eq(plan_write(&f.opt, bad, 1, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "study name 'x,y' must be"));
    ck_assert(!exists(f.out));
    free(odd);
    free(a2);
    free(sub);
    free(a);
    fixture_release(&f);
}
END_TEST

START_TEST(test_bad_options)
{
    Fixture f;
    char err[ERR_MAX] = "";
    fixture_init(&f);
    char *a = write_exp(&f, "a.exp", "model = softmax\n");
    const char *exps[] = {a};
    PlanOptions o = f.opt;
    o.dataset = "../mnist";
    ck_assert_int_eq(plan_write(&o, exps, 1, err), -1);
    ck_assert_str_eq(err, "dataset name '../mnist' must be letters, digits, '.', '_', '+' or '-'");
    o = f.opt;
    o.runs_dir = "build/my runs";
    ck_assert_int_eq(plan_write(&o, exps, 1, err), -1);
    ck_assert_str_eq(err, "runs directory path 'build/my runs' must be letters, digits, "
                          "'.', '_', '+', '-' or '/'");
    o = f.opt;
    o.results_dir = "res:ults";
    ck_assert_int_eq(plan_write(&o, exps, 1, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "results directory path 'res:ults'"));
    ck_assert_int_eq(plan_write(&f.opt, exps, 0, err), -1);
    ck_assert_str_eq(err, "no experiment files");
    ck_assert(!exists(f.out));

    char *missing[] = {"plan", "--dataset", "mnist", a, NULL};
    ck_assert_int_eq(cmd_plan(4, missing), 2);
    char *unknown[] = {"plan", "--jobs", "2", NULL};
    ck_assert_int_eq(cmd_plan(3, unknown), 2);
    char *novalue[] = {"plan", "--out", NULL};
    ck_assert_int_eq(cmd_plan(2, novalue), 2);
    char *absent = tu_path(f.exps, "absent.exp");
    char *broken[] = {"plan", "--dataset", "mnist", "--out", f.out, absent, NULL};
    ck_assert_int_eq(cmd_plan(6, broken), 1);
    ck_assert(!exists(f.out));
    free(absent);
    free(a);
    fixture_release(&f);
}
END_TEST

Suite *plan_suite(void);
Suite *plan_suite(void)
{
    Suite *s = suite_create("plan");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_fragment_rules_and_order);
    tcase_add_test(tc, test_shared_configuration_trained_once);
    tcase_add_test(tc, test_alone_runs_one_at_a_time_after_the_rest);
    tcase_add_test(tc, test_bad_alone_value);
    tcase_add_test(tc, test_configs_rewritten_only_when_changed);
    tcase_add_test(tc, test_run_cost);
    tcase_add_test(tc, test_cli);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_test(tc, test_bad_experiment_writes_nothing);
    tcase_add_test(tc, test_duplicate_and_unsafe_study_names);
    tcase_add_test(tc, test_bad_options);
    suite_add_tcase(s, tc);
    return s;
}
