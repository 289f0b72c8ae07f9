#include "report/cli.h"
#include "err.h"
#include "experiment.h"
#include "fake_results.h"
#include "report/results.h"
#include "report/facts.h"
#include "report/tabulate.h"
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


static const char REFERENCE[] =
    "# a comment, then the header\n"
    "table,model,hidden_layers,loss,activation,lambda,learning_rate,batch_size,max_epoch,"
    "weight_decay,train_loss,train_acc,val_acc,test_acc\n"
    "softmax-lambda,softmax,,cross-entropy,,0.0,,,,,0.4123,90,,90.20\n"
    "softmax-lambda,softmax,,cross-entropy,,0.5,,,,,1.9028,89,,80.00\n"
    "softmax-base,softmax,,cross-entropy,,,,,,,,89.00,,90.22\n"
    "mlp-arch,mlp,1,euclidean,relu,,,,,,,84.38,88.70,85.75\n"
    "mlp-arch,mlp,2,softmax-cross-entropy,relu,,,,,,,86.30,89.71,87.28\n";


/* softmax: accuracy falls with lambda, the as-reported variant does not
 * depend on it; mlp: ReLU 20 points over Sigmoid, cross-entropy 5 over Euclidean,
 * two layers a hair (0.05 points) over one. Seeds move it by 0.1 points. */
static FakeOutcome outcome(const RunConfig *cfg, void *ctx)
{
    (void)ctx;
    FakeOutcome o = {0, 0, 2.0 * (double)cfg->seed};
    double seed = 0.001 * (double)cfg->seed;
    if (cfg->model == MODEL_SOFTMAX) {
        /* as reported, lambda never reaches the weights */
        o.test_acc = cfg->as_reported ? 0.95 + seed : 0.9 - 0.1 * cfg->lambda + seed;
    } else {
        /* learning rates other than the default: worse, on both sides (mlp-lr) */
        double lr = cfg->learning_rate < 0.0005 ? -0.1 : cfg->learning_rate > 0.005 ? -0.05 : 0.0;
        o.test_acc = (cfg->activation == ACT_RELU ? 0.85 : 0.65) +
                     (cfg->loss == LOSS_CROSS_ENTROPY ? 0.05 : 0.0) +
                     (cfg->n_hidden == 2 ? 0.0005 : 0.0) + lr + seed;
        if (cfg->activation == ACT_SIGMOID)
            o.wall_seconds *= 1.5;
    }
    return o;
}

static const char *const STUDY_NAMES[] = {"softmax-lambda", "softmax-reported-lambda",
                                          "softmax-defaults", "mlp-arch", "mlp-lr"};
static const char *const STUDY_TEXTS[] = {
    "title = Lambda\nmodel = softmax\nlambda = 0.0, 0.5, 1.0\nmax_epoch = 2\nseeds = 1, 2\n",
    "title = Lambda as reported\nmodel = softmax\nas_reported = true\n"
    "lambda = 0.0, 0.5, 1.0\nmax_epoch = 2\nseeds = 1, 2\n",
    "model = softmax\nmax_epoch = 2\nseeds = 1, 2\n",
    "title = Architectures\nmodel = mlp\nhidden = 8, 8x4\nloss = euclidean, cross-entropy\n"
    "activation = relu, sigmoid\nmax_epoch = 2\nseeds = 1, 2\n",
    "title = Learning rate\nmodel = mlp\nlearning_rate = 0.0001, 0.001, 0.01\nmax_epoch = 2\n"
    "seeds = 1, 2\n",
};
#define N_STUDIES 5

typedef struct {
    char *dir, *exps, *results, *ref, *conf_path;
    StudiesConf conf;
    Experiment *e[N_STUDIES];
    StudyResults s[N_STUDIES];
} Tree;

static void tree_make(Tree *t)
{
    char err[ERR_MAX] = "";
    t->dir = tu_tmpdir();
    ck_assert_ptr_nonnull(t->dir);
    t->exps = tu_path(t->dir, "experiments");
    t->results = tu_path(t->dir, "results");
    t->ref = tu_path(t->dir, "original-report.csv");
    ck_assert_int_eq(mkdir(t->exps, 0777), 0);
    ck_assert_int_eq(mkdir(t->results, 0777), 0);
    ck_assert_int_eq(tu_write(t->ref, REFERENCE, strlen(REFERENCE)), 0);
    t->conf_path = tu_path(t->dir, "studies.conf");
    ck_assert_int_eq(tu_write(t->conf_path, FAKE_STUDIES_CONF, strlen(FAKE_STUDIES_CONF)), 0);
    ck_assert_msg(studies_load(&t->conf, t->conf_path, err) == 0, "%s", err);
    for (int i = 0; i < N_STUDIES; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s.exp", STUDY_NAMES[i]);
        char *path = tu_path(t->exps, name);
        ck_assert_int_eq(tu_write(path, STUDY_TEXTS[i], strlen(STUDY_TEXTS[i])), 0);
        t->e[i] = experiment_load(path, err);
        ck_assert_msg(t->e[i] != NULL, "%s", err);
        free(path);
        fake_study_write(t->results, t->e[i], outcome, NULL, 3);
        ck_assert_msg(study_results_load(&t->s[i], t->results, t->e[i], 0, err) == 0, "%s", err);
    }
}

static void tree_free(Tree *t)
{
    for (int i = 0; i < N_STUDIES; i++) {
        study_results_release(&t->s[i]);
        experiment_free(t->e[i]);
    }
    tu_rmtree(t->dir);
    free(t->dir);
    free(t->exps);
    free(t->results);
    free(t->ref);
    free(t->conf_path);
}

/* ---- core ------------------------------------------------------------------ */

START_TEST(test_reference_matching)
{
    Tree t;
    char err[ERR_MAX] = "";
    tree_make(&t);
    Reference ref;
    ck_assert_msg(reference_load(&ref, t.ref, err) == 0, "%s", err);
    ck_assert_uint_eq(ref.n, 5);
    ck_assert_str_eq(ref.rows[0].table, "softmax-lambda");
    ck_assert_int_eq(ref.rows[0].line, 3);
    ck_assert(ref.rows[1].test_acc == 80.0);
    ck_assert(isnan(ref.rows[0].learning_rate));
    ck_assert_int_eq(ref.rows[3].hidden_layers, 1);


    /* softmax-lambda group 1 is lambda 0.5; mlp-arch groups: 0 = (8, euclidean, relu),
     * 7 = (8x4, cross-entropy, sigmoid), 6 = (8x4, cross-entropy, relu) */
    const RunConfig *c = &t.s[0].runs[1 * t.s[0].n_seeds].config;
    ck_assert_ptr_eq(reference_match(&ref, "softmax-lambda", c), &ref.rows[1]);
    ck_assert_ptr_null(reference_match(&ref, "softmax-base", &t.s[3].runs[0].config));
    const StudyResults *m = &t.s[3];
    ck_assert_ptr_eq(reference_match(&ref, "mlp-arch", &m->runs[0].config), &ref.rows[3]);
    ck_assert_ptr_null(reference_match(&ref, "mlp-arch", &m->runs[7 * m->n_seeds].config));
    ck_assert_ptr_eq(reference_match(&ref, "mlp-arch", &m->runs[6 * m->n_seeds].config),
                     &ref.rows[4]);
    reference_release(&ref);
    tree_free(&t);
}
END_TEST

START_TEST(test_tables_and_values)
{
    Tree t;
    char err[ERR_MAX] = "";
    tree_make(&t);
    Reference ref;
    ck_assert_msg(reference_load(&ref, t.ref, err) == 0, "%s", err);
    Values v = {0}, tm = {0};
    char *tables[N_STUDIES];
    ck_assert_msg(tabulate(t.s, N_STUDIES, &ref, &t.conf, &v, &tm, tables, err) == 0, "%s", err);

    /* per group: mean, std, original, within the spread */
    ck_assert_str_eq(values_get(&v, "softmax-lambda:lambda-0.0:test_acc"), "90.15");
    ck_assert_str_eq(values_get(&v, "softmax-lambda:lambda-0.0:test_acc_pm"), "90.15" PM "0.07");
    ck_assert_str_eq(values_get(&v, "softmax-lambda:lambda-0.0:test_acc_min"), "90.10");
    ck_assert_str_eq(values_get(&v, "softmax-lambda:lambda-0.0:label"), "\xce\xbb = 0.0");
    ck_assert_str_eq(values_get(&v, "softmax-lambda:lambda-0.0:orig_test_acc"), "90.20");
    ck_assert_str_eq(values_get(&v, "softmax-lambda:lambda-0.0:orig_train_acc_images"),
                     "90 of 100");
    ck_assert_str_eq(values_get(&v, "mlp-arch:hidden-8,loss-euclidean,activation-relu:"
                                    "orig_train_acc"),
                     "84.38");
    ck_assert_ptr_null(values_get(&v, "mlp-arch:hidden-8,loss-euclidean,activation-relu:"
                                      "orig_train_acc_images"));
    ck_assert_str_eq(values_get(&v, "softmax-lambda:lambda-0.0:test_diff"), "\xe2\x88\x92" "0.05");
    ck_assert_str_eq(values_get(&v, "softmax-lambda:lambda-0.5:test_diff"), "+5.15");
    /* the agreement rule is the fidelity account's: the correct model at
     * lambda 0.0 (90.15 +- 0.07 over 2 seeds) has an interval of about
     * +- 1.1 points, which holds 90.20 */
    ck_assert_str_eq(values_get(&v, "softmax-lambda:lambda-0.0:orig_within"), "within");
    ck_assert_str_eq(values_get(&v, "softmax-lambda:lambda-0.5:orig_within"), "outside");
    ck_assert_ptr_null(values_get(&v, "softmax-lambda:lambda-0.5:orig_check"));
    ck_assert_ptr_null(values_get(&v, "softmax-lambda:lambda-1.0:orig_test_acc"));
    ck_assert_ptr_null(values_get(&v, "softmax-lambda:lambda-0.0:val_acc"));
    ck_assert_str_eq(values_get(&v, "softmax-lambda:lambda-0.0:iterations"), "6");
    /* per study: the best setting, chosen on test accuracy (no validation
     * split) for the softmax, on validation accuracy for the MLP */
    ck_assert_str_eq(values_get(&v, "softmax-lambda:best"), "\xce\xbb = 0.0");
    ck_assert_str_eq(values_get(&v, "softmax-lambda:best:lambda"), "0.0");
    ck_assert_str_eq(values_get(&v, "mlp-lr:best:learning_rate"), "0.001");
    ck_assert_str_eq(values_get(&v, "mlp-arch:best:activation"), "ReLU");
    ck_assert_str_eq(values_get(&v, "mlp-arch:best:hidden"), "784-8-4-10");
    ck_assert_str_eq(values_get(&v, "softmax-lambda:orig_within_count"), "1 of 2");
    /* last-batch losses 0.6085 and 0.6585 against 0.4123 and 1.9028 */
    ck_assert_str_eq(values_get(&v, "softmax-lambda:orig_loss_ratio"), "0.3 to 1.5");
    ck_assert_str_eq(values_get(&v, "softmax-lambda:cfg:max_epoch"), "2");
    ck_assert_str_eq(values_get(&v, "softmax-lambda:sweep:lambda"), "0.0, 0.5 and 1.0");
    ck_assert_str_eq(values_get(&v, "mlp-arch:sweep:hidden"), "8 and 8x4");
    ck_assert_ptr_null(values_get(&v, "softmax-lambda:cfg:lambda"));
    ck_assert_str_eq(values_get(&v, "softmax-defaults:cfg:lambda"), "0.5");
    ck_assert_str_eq(values_get(&v, "softmax-defaults:test_acc"), "85.15");
    ck_assert_str_eq(values_get(&v, "softmax-defaults:orig_test_acc"), "90.22");
    ck_assert_str_eq(values_get(&v, "softmax-defaults:train_images"), "600");
    ck_assert_str_eq(values_get(&v, "mlp-arch:cfg:weight_decay"), "0.1");
    ck_assert_str_eq(values_get(&v, "mlp-lr:learning_rate-0.001:epochs_to_final"), "2");
    ck_assert_str_eq(values_get(&v, "mlp-lr:learning_rate-0.001:peak_acc"), "90.65");
    ck_assert_str_eq(values_get(&v, "mlp-lr:learning_rate-0.001:peak_epoch"), "2");
    ck_assert_str_eq(values_get(&v, "mlp-lr:learning_rate-0.001:peak_drop"), "0.00");
    ck_assert_str_eq(values_get(&v, "orig:mlp:rows"), "2");
    ck_assert_str_eq(values_get(&v, "runs:total"), "36");
    ck_assert_str_eq(values_get(&v, "dataset:name"), "MNIST");
    /* no value is a sentence any more */
    ck_assert_ptr_null(values_get(&v, "cmp:relu-sigmoid:test"));
    ck_assert_ptr_null(values_get(&v, "softmax-lambda:trend_sentence"));
    ck_assert_ptr_null(values_get(&v, "runs:diverged_sentence"));
    ck_assert_str_eq(values_get(&tm, "time:softmax-lambda:lambda-0.0:wall"), "3.0 s");
    for (size_t i = 0; i < v.n; i++)
        ck_assert_msg(strncmp(v.key[i], "time:", 5) != 0, "%s in the values", v.key[i]);

    /* the softmax study and its as-reported twin in one table, beside the original */
    ck_assert_ptr_nonnull(strstr(tables[0], "Table: Lambda, with the correct gradient and as reported, beside the original (2 seeds)"));
    ck_assert_ptr_nonnull(strstr(tables[0], "| \xce\xbb | correct: training (%) | correct: test (%) "
                                            "| as reported: test (%) | as reported: loss "
                                            "| original: loss | original: test (%) |\n|:"));
    ck_assert_ptr_nonnull(strstr(tables[0], "| 0.0 | "));
    ck_assert_ptr_nonnull(strstr(tables[0], " | 90.15" PM "0.07 | 95.15" PM "0.07 | "));
    ck_assert_ptr_nonnull(strstr(tables[0], " | 0.4123 | 90.20 |\n"));
    ck_assert_ptr_nonnull(strstr(tables[0], "| 1.0 | "));
    ck_assert_ptr_nonnull(strstr(tables[0], "| \xe2\x80\x93 | \xe2\x80\x93 |\n"));
    ck_assert_ptr_nonnull(strstr(tables[2], "| 2 seeds |"));
    ck_assert_ptr_nonnull(strstr(tables[3], "| hidden | loss | activation | training loss |"));
    /* the display names: ReLU, Euclidean, networks by their layers */
    ck_assert_ptr_nonnull(strstr(tables[3], "| 784-8-4-10 | cross-entropy | ReLU | "));
    ck_assert_ptr_nonnull(strstr(tables[3], "| 784-8-10 | Euclidean | sigmoid | "));
    ck_assert_ptr_nonnull(strstr(tables[3], "| original test (%) | difference |"));
    ck_assert_ptr_null(strstr(tables[3], "original loss"));
    ck_assert_ptr_null(strstr(tables[3], "\xc2\xb1\xc2\xa0" "0 |")); /* no "± 0" */

    /* the facts behind the claims */
    Values f = {0}, ft = {0};
    facts_compute(t.s, N_STUDIES, &ref, &t.conf, &f, &ft);
    ck_assert_str_eq(f.err, "");
    ck_assert_double_eq_tol(fact_get(&f, "softmax-lambda:lambda-0.0:test_acc:mean"), 90.15, 1e-9);
    ck_assert_double_eq_tol(fact_get(&f, "softmax-lambda:lambda-0.0:test_acc:sd"),
                            100 * sqrt(0.5e-6), 1e-9);
    ck_assert_double_eq_tol(fact_get(&f, "softmax-lambda:best:lambda"), 0.0, 1e-12);
    ck_assert_double_eq_tol(fact_get(&f, "softmax-lambda:trend:test_acc"), -1, 1e-12);
    ck_assert_double_eq_tol(fact_get(&f, "softmax-reported-lambda:range:test_acc"), 0, 1e-12);
    ck_assert_double_eq_tol(fact_get(&f, "mlp-lr:best:learning_rate"), 0.001, 1e-12);
    ck_assert_double_eq_tol(fact_get(&f, "mlp-lr:best:edge"), 0, 1e-12);
    ck_assert_double_eq_tol(fact_get(&f, "mlp-lr:trend:test_acc"), 0, 1e-12);
    /* ReLU 20 points over sigmoid in all 4 pairings, the seeds' spread equal */
    ck_assert_double_eq_tol(fact_get(&f, "mlp-arch:cmp:relu-sigmoid:test_acc:n"), 4, 1e-12);
    ck_assert_double_eq_tol(fact_get(&f, "mlp-arch:cmp:relu-sigmoid:test_acc:min"), 20, 1e-9);
    ck_assert_double_eq_tol(fact_get(&f, "mlp-arch:cmp:relu-sigmoid:test_acc:min_z"),
                            20 / (100 * sqrt(0.5e-6)), 1e-6);
    ck_assert_double_eq_tol(fact_get(&f, "mlp-arch:cmp:two-one:test_acc:max"), 0.05, 1e-9);
    ck_assert(isnan(fact_get(&f, "mlp-lr:cmp:relu-sigmoid:test_acc:n")));
    ck_assert_double_eq_tol(fact_get(&f, "orig:mlp:rows"), 2, 1e-12);
    ck_assert_double_eq_tol(fact_get(&f, "rule:z"), FACT_Z, 1e-12);
    values_release(&f);
    values_release(&ft);
    for (int i = 0; i < N_STUDIES; i++)
        free(tables[i]);
    values_release(&v);
    values_release(&tm);

    /* without the reference: no comparison columns or keys */
    ck_assert_msg(tabulate(t.s, N_STUDIES, NULL, &t.conf, &v, &tm, tables, err) == 0, "%s", err);
    ck_assert_ptr_null(strstr(tables[0], "original: test"));
    ck_assert_ptr_null(values_get(&v, "softmax-lambda:lambda-0.0:orig_test_acc"));
    ck_assert_ptr_nonnull(values_get(&v, "softmax-lambda:lambda-0.0:test_acc"));
    ck_assert_ptr_null(values_get(&v, "softmax-lambda:orig_within_count"));
    for (int i = 0; i < N_STUDIES; i++)
        free(tables[i]);
    values_release(&v);
    values_release(&tm);
    reference_release(&ref);
    tree_free(&t);
}
END_TEST

/* The command writes its four kinds of file beside --out, identically twice. */
START_TEST(test_command_outputs)
{
    Tree t;
    tree_make(&t);
    char *out = fake_join(t.dir, "report", "mnist", "values.json");
    char *argv[] = {"tabulate", "--results", t.results, "--experiments", t.exps,
                    "--reference", t.ref, "--studies", t.conf_path, "--out", out, NULL};
    ck_assert_int_eq(cmd_tabulate(11, argv), 0);
    char *tsv = fake_join(t.dir, "report", "mnist", "values.tsv");
    char *timing = fake_join(t.dir, "report", "mnist", "values-timing.tsv");
    char *table = fake_join(t.dir, "report", "mnist", "tables/mlp-arch.md");
    size_t n1, n2;
    char *first = tu_read(tsv, &n1);
    ck_assert_ptr_nonnull(first);
    ck_assert_ptr_nonnull(strstr(first, "\nsoftmax-lambda:lambda-0.0:test_acc\t90.15\n"));
    ck_assert_ptr_null(strstr(first, "time:"));
    char *json = tu_read(out, &n2);
    ck_assert_ptr_nonnull(json);
    ck_assert_ptr_nonnull(strstr(json, "\"softmax-lambda:lambda-0.0:test_acc\": \"90.15\""));
    free(json);
    char *text = tu_read(timing, &n2);
    ck_assert_ptr_nonnull(strstr(text, "time:all:total\t"));
    free(text);
    text = tu_read(table, &n2);
    ck_assert_ptr_nonnull(strstr(text, "Table: Architectures (2 seeds)."));
    free(text);
    ck_assert_int_eq(cmd_tabulate(11, argv), 0);
    char *second = tu_read(tsv, &n2);
    ck_assert_uint_eq(n1, n2);
    ck_assert_int_eq(memcmp(first, second, n1), 0);
    free(first);
    free(second);

    /* with claims: the claims' files; strictly, a claim that does not hold is
     * an error naming it, and nothing is written */
    char *claims = tu_path(t.dir, "claims.conf");
    const char *ctext = "[relu-wins]\ncheck = {mlp-arch:cmp:relu-sigmoid:test_acc:min} > 19\n"
                        "evidence = tab:mlp-arch\n";
    ck_assert_int_eq(tu_write(claims, ctext, strlen(ctext)), 0);
    char *out2 = fake_join(t.dir, "report2", "mnist", "values.json");
    char *argv2[] = {"tabulate", "--results", t.results, "--experiments", t.exps,
                     "--studies", t.conf_path, "--claims", claims, "--strict", "--out", out2, NULL};
    ck_assert_int_eq(cmd_tabulate(12, argv2), 0);
    char *ctsv = fake_join(t.dir, "report2", "mnist", "claims.tsv");
    text = tu_read(ctsv, &n2);
    ck_assert_ptr_nonnull(strstr(text, "claim:relu-wins:outcome\tholds\n"));
    free(text);
    const char *flipped = "[relu-wins]\ncheck = {mlp-arch:cmp:relu-sigmoid:test_acc:min} > 21\n"
                          "evidence = tab:mlp-arch\n";
    ck_assert_int_eq(tu_write(claims, flipped, strlen(flipped)), 0);
    char *out3 = fake_join(t.dir, "report3", "mnist", "values.json");
    argv2[11] = out3;
    ck_assert_int_eq(cmd_tabulate(12, argv2), 1);
    struct stat st;
    ck_assert_int_ne(stat(out3, &st), 0);
    char *fid = fake_join(t.dir, "report3", "mnist", "facts.tsv");
    ck_assert_int_ne(stat(fid, &st), 0);
    free(fid);
    free(out3);
    free(ctsv);
    free(out2);
    free(claims);
    free(out);
    free(tsv);
    free(timing);
    free(table);
    tree_free(&t);
}
END_TEST

/* ---- errors ---------------------------------------------------------------- */


/* Results of two data sets mixed, or one corrupt file: an error, no output. */
START_TEST(test_inconsistent_results)
{
    Tree t;
    char err[ERR_MAX] = "";
    tree_make(&t);
    Values v = {0}, tm = {0};
    char *tables[N_STUDIES];
    strcpy(t.s[3].runs[5].data_sha256, "ff");
    ck_assert_int_eq(tabulate(t.s, N_STUDIES, NULL, &t.conf, &v, &tm, tables, err), -1);
    ck_assert_msg(strstr(err, "data_sha256 differs") != NULL, "%s", err);
    ck_assert_ptr_nonnull(strstr(err, "mlp-arch/hidden-8,loss-cross-entropy,activation-relu,seed-2"));
    values_release(&v);
    values_release(&tm);

    char *summary = fake_join(t.results, "mlp-arch", "hidden-8,loss-euclidean,activation-relu,seed-1",
                              "summary.json");
    fake_edit(summary, "\"final\": {", "\"final\": [");
    char *out = fake_join(t.dir, "report", "values.json", NULL);
    char *argv[] = {"tabulate", "--results", t.results, "--experiments", t.exps,
                    "--studies", t.conf_path, "--out", out, NULL};
    ck_assert_int_eq(cmd_tabulate(9, argv), 1);
    struct stat st;
    ck_assert_int_ne(stat(out, &st), 0);
    char *bad[] = {"tabulate", "--results", t.results, NULL};
    ck_assert_int_eq(cmd_tabulate(3, bad), 2);
    char *unknown[] = {"tabulate", "--bogus", NULL};
    ck_assert_int_eq(cmd_tabulate(2, unknown), 2);
    free(summary);
    free(out);
    tree_free(&t);
}
END_TEST

Suite *tabulate_suite(void);
Suite *tabulate_suite(void)
{
    Suite *s = suite_create("tabulate");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_reference_matching);
    tcase_add_test(tc, test_tables_and_values);
    tcase_add_test(tc, test_command_outputs);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_inconsistent_results);
    suite_add_tcase(s, tc);
    return s;
}
