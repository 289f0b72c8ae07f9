/* test_answers.c - the answers to the homework: which groups are picked, how
 * accuracies are written, the headline table. */
#include "report/answers.h"
#include "err.h"
#include "experiment.h"
#include "fake_results.h"
#include "report/results.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PM "\xc2\xa0\xc2\xb1\xc2\xa0"

/* softmax: the learning rate helps, the as-reported twin is better still (and
 * must not be picked); mlp: ReLU over sigmoid, cross-entropy over Euclidean. */
static FakeOutcome outcome(const RunConfig *cfg, void *ctx)
{
    (void)ctx;
    FakeOutcome o = {0, 0, 1.0 + (double)cfg->seed};
    double seed = 0.002 * (double)cfg->seed;
    if (cfg->model == MODEL_SOFTMAX)
        o.test_acc = (cfg->as_reported ? 0.97 : 0.8 + cfg->learning_rate) + seed;
    else
        o.test_acc = (cfg->activation == ACT_RELU ? 0.85 : 0.6) +
                     (cfg->loss == LOSS_CROSS_ENTROPY ? 0.05 : 0.0) + seed;
    return o;
}

static const char *const NAMES[] = {"softmax-defaults", "softmax-lr", "softmax-reported-lr",
                                    "mlp-arch"};
static const char *const TEXTS[] = {
    "model = softmax\nmax_epoch = 2\nseeds = 1, 2\n",
    "model = softmax\nlearning_rate = 0.01, 0.1\nlambda = 0.2\nmax_epoch = 2\nseeds = 1, 2\n",
    "model = softmax\nas_reported = true\nlearning_rate = 0.01, 0.1\nlambda = 0.2\n"
    "max_epoch = 2\nseeds = 1, 2\n",
    "model = mlp\nhidden = 8, 8x4\nloss = euclidean, cross-entropy\nactivation = relu, sigmoid\n"
    "max_epoch = 2\nseeds = 1, 2\n",
};
#define N 4

START_TEST(test_acc_pm)
{
    char out[64];
    answers_acc_pm(out, sizeof out, 0.90234, 0.0031);
    ck_assert_str_eq(out, "90.2" PM "0.3");
    answers_acc_pm(out, sizeof out, 0.8213, 0.00042);
    ck_assert_str_eq(out, "82.1" PM "0.04");
    answers_acc_pm(out, sizeof out, 0.5, 0.024);
    ck_assert_str_eq(out, "50.0" PM "2");
    answers_acc_pm(out, sizeof out, 0.5, 0.0096); /* 0.96 rounds up to one digit: 1 */
    ck_assert_str_eq(out, "50.0" PM "1");
    answers_acc_pm(out, sizeof out, 0.1, 0.0);
    ck_assert_str_eq(out, "10.0" PM "0");
}
END_TEST

START_TEST(test_picks_and_table)
{
    char err[ERR_MAX] = "";
    char *dir = tu_tmpdir();
    char *results = tu_path(dir, "results");
    ck_assert_int_eq(mkdir(results, 0777), 0);
    Experiment *e[N];
    StudyResults s[N];
    for (int i = 0; i < N; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s.exp", NAMES[i]);
        char *path = tu_path(dir, name);
        ck_assert_int_eq(tu_write(path, TEXTS[i], strlen(TEXTS[i])), 0);
        e[i] = experiment_load(path, err);
        ck_assert_msg(e[i] != NULL, "%s", err);
        free(path);
        fake_study_write(results, e[i], outcome, NULL, 3);
    }
    /* the best network on test (two layers, CE, ReLU) is not the best on
     * validation: one hidden layer, CE, ReLU gets a validation accuracy of 0.99... */
    for (int seed = 1; seed <= 2; seed++) {
        char run[96];
        snprintf(run, sizeof run, "hidden-8,loss-cross-entropy,activation-relu,seed-%d", seed);
        char *summary = fake_join(results, "mlp-arch", run, "summary.json");
        fake_edit(summary, "\"val_acc\": 0.", "\"val_acc\": 0.99");
        free(summary);
    }
    for (int i = 0; i < N; i++)
        ck_assert_msg(study_results_load(&s[i], results, e[i], 0, err) == 0, "%s", err);

    Values v = {0}, t = {0};
    char *table = NULL;
    ck_assert_msg(answers(s, N, &v, &t, &table, err) == 0, "%s", err);
    /* softmax: best on test, never the as-reported twin */
    ck_assert_str_eq(values_get(&v, "answer:softmax-best:label"),
                     "\xce\xbb = 0.2, learning rate 0.1, batch 100, 2 epochs");
    ck_assert_str_eq(values_get(&v, "answer:softmax-best:test_pm"), "90.3" PM "0.1");
    ck_assert_str_eq(values_get(&v, "answer:softmax-best:runs"), "2");
    /* mlp: best on validation */
    ck_assert_str_eq(values_get(&v, "answer:mlp-best:label"),
                     "one hidden layer (8), CE, ReLU, learning rate 0.001, weight decay 0.1, "
                     "batch 100, 2 epochs");
    ck_assert_str_eq(values_get(&v, "answer:mlp-nets:count"), "8");
    ck_assert_ptr_nonnull(strstr(values_get(&v, "answer:mlp-nets:test_range"), "from 60.3 % ("));
    ck_assert_str_eq(values_get(&t, "answer:mlp-best:time"), "2.5 s");
    ck_assert_ptr_null(values_get(&v, "answer:mlp-best:time"));
    /* the table: a header, 2 softmax rows, 8 networks, the recommended one, bold */
    ck_assert_ptr_nonnull(strstr(table, "| model | setting | training acc. (%) |"));
    ck_assert_ptr_nonnull(strstr(table, "| softmax, defaults | defaults |"));
    ck_assert_ptr_nonnull(strstr(table, "| **softmax, best (on test)** | \xce\xbb = 0.2, learning rate 0.1 |"));
    ck_assert_ptr_nonnull(strstr(table, "| MLP | 8-4, Euclidean, sigmoid |"));
    /* dashes in proportion to the widest cell: the setting column is wider */
    ck_assert_ptr_nonnull(strstr(table, "\n|:-----------------------------|:--------------------------|"));
    ck_assert_ptr_nonnull(strstr(table, "| **MLP, best (on validation)** | 8, CE, ReLU |"));
    size_t rows = 0;
    for (const char *p = table; (p = strstr(p, "\n| ")); p++)
        rows++;
    ck_assert_uint_eq(rows, 11);
    ck_assert_ptr_nonnull(strstr(table, "\nTable: The answers in one table."));
    free(table);
    values_release(&v);
    values_release(&t);
    for (int i = 0; i < N; i++) {
        study_results_release(&s[i]);
        experiment_free(e[i]);
    }
    tu_rmtree(dir);
    free(dir);
    free(results);
}
END_TEST

Suite *answers_suite(void);
Suite *answers_suite(void)
{
    Suite *s = suite_create("answers");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_acc_pm);
    tcase_add_test(tc, test_picks_and_table);
    suite_add_tcase(s, tc);
    return s;
}
