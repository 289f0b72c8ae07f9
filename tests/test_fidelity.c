/* The fidelity account on fake results whose figures are known exactly: the
 * interval and the printed digit's slack, each reason of the fixed list, the
 * variant and protocol a row is compared under, and a reference with a new
 * row and two new columns flowing through. */
#include "report/fidelity.h"

#include "err.h"
#include "fake_results.h"
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The reference's own columns, then test_loss (a metric we record) and
 * grad_norm (one we do not). Expected verdicts in the comments; the fake runs
 * (tests/test_results.c) end at accuracy a and write, per seed s = 1, 2, 3:
 * softmax as reported  a = 0.95 + 0.001 s: test 95.1 / 95.2 / 95.3 %, the
 *                      last minibatch a + 0.02 and loss 1.51 - a, the
 *                      epoch's mean loss 1.5 - a, test loss 1.45 - a
 * softmax correct      a = 0.80 + 0.001 s (never compared: not the original's code)
 * mlp euclidean        a = 0.85 + 0.001 s, validation a + 0.005
 * mlp cross-entropy    a = 0.90 + 0.001 s
 * With n = 3 and sd 0.1 points the interval is the mean +- 4.3027 * 0.1 *
 * sqrt(4/3) = +- 0.4968 points. */
static const char REFERENCE[] =
    "# fake figures\n"
    "table,model,hidden_layers,loss,activation,lambda,learning_rate,batch_size,max_epoch,"
    "weight_decay,train_loss,train_acc,val_acc,test_acc,test_loss,grad_norm\n"
    /* 0.5600 last minibatch: yes; 97: yes; 95.70: only with the slack of
     * the printed digit (95.6968 + 0.005); test loss 0.4980: yes; grad_norm:
     * not recorded */
    "softmax-lambda,softmax,,cross-entropy,,0.0,,,,,0.5600,97,,95.70,0.4980,1.5\n"
    /* 0.5500: not the last minibatch's (0.553 to 0.563) but the epoch's mean
     * (0.543 to 0.553): explained; 95.80: not reproduced */
    "softmax-lambda,softmax,,cross-entropy,,0.5,,,,,0.5500,,,95.80,,\n"
    /* no such study: nothing to compare */
    "softmax-batch,softmax,,cross-entropy,,0.2,0.1,16,,,,,,92.04,,\n"
    /* 85.20 and 85.70: reproduced */
    "mlp-arch,mlp,1,euclidean,relu,,,,,,,,85.70,85.20,,\n"
    /* 85.20 is 5 points off, and the euclidean row's figure verbatim: explained */
    "mlp-arch,mlp,1,softmax-cross-entropy,relu,,,,,,,,,85.20,,\n"
    /* only an every-image study has this setting: no run */
    "mlp-lr,mlp,,,,,0.01,,,,,,,78.38,,\n";


static int wide; /* the spread of 10 points per seed instead of 0.1 */

static FakeOutcome outcome(const RunConfig *cfg, void *ctx)
{
    (void)ctx;
    FakeOutcome o = {0, 0, 1.0};
    double seed = 0.001 * (double)cfg->seed;
    if (cfg->model == MODEL_SOFTMAX && wide)
        o.test_acc = 0.60 + 0.1 * (double)cfg->seed;
    else if (cfg->model == MODEL_SOFTMAX)
        o.test_acc = (cfg->as_reported ? 0.95 : 0.80) + seed;
    else
        o.test_acc = (cfg->loss == LOSS_EUCLIDEAN ? 0.85 : 0.90) + seed;
    return o;
}

static const char *const NAMES[] = {"softmax-lambda", "softmax-reported-lambda", "mlp-arch",
                                    "mlp-lr"};
static const char *const TEXTS[] = {
    "model = softmax\nlambda = 0.0, 0.5\nmax_epoch = 2\nseeds = 1, 2, 3\n",
    "model = softmax\nas_reported = true\nlambda = 0.0, 0.5\nmax_epoch = 2\nseeds = 1, 2, 3\n",
    "model = mlp\nhidden = 8\nloss = euclidean, cross-entropy\nmax_epoch = 2\nseeds = 1, 2, 3\n",
    ("model = mlp\nprotocol = every-image\nlearning_rate = 0.001, 0.01\nmax_epoch = 2\n"
     "seeds = 1, 2, 3\n"),
};
#define N 4

typedef struct {
    char *dir, *results, *ref;
    Experiment *e[N];
    StudyResults s[N];
} Tree;

static void tree_make(Tree *t, const char *reference)
{
    char err[ERR_MAX] = "";
    t->dir = tu_tmpdir();
    t->results = tu_path(t->dir, "results");
    t->ref = tu_path(t->dir, "original-report.csv");
    ck_assert_int_eq(mkdir(t->results, 0777), 0);
    ck_assert_int_eq(tu_write(t->ref, reference, strlen(reference)), 0);
    for (int i = 0; i < N; i++) {
        char name[64], *edir;
        snprintf(name, sizeof name, "%s.exp", NAMES[i]);
        Experiment *e = fake_experiment(name, TEXTS[i], &edir);
        fake_study_write(t->results, e, outcome, NULL, 3);
        t->e[i] = experiment_load(experiment_path(e), err);
        ck_assert_msg(t->e[i] != NULL, "%s", err);
        experiment_free(e);
        ck_assert_msg(study_results_load(&t->s[i], t->results, t->e[i], 0, err) == 0, "%s", err);
        /* the experiment file may go: only its parsed form is used */
        tu_rmtree(edir);
        free(edir);
    }
}

static void tree_free(Tree *t)
{
    for (int i = 0; i < N; i++) {
        study_results_release(&t->s[i]);
        experiment_free(t->e[i]);
    }
    tu_rmtree(t->dir);
    free(t->dir);
    free(t->results);
    free(t->ref);
}

/* The account of the reference at path (read as the command reads it). */
static int compute(Fidelity *f, const char *path, const StudyResults *s, char *err)
{
    Reference ref;
    if (reference_load(&ref, path, err) != 0)
        return -1;
    StudiesConf conf;
    ck_assert_msg(studies_parse(&conf, FAKE_STUDIES_CONF, "studies", err) == 0, "%s", err);
    int rc = fidelity_compute(f, &ref, &conf, s, N, err);
    reference_release(&ref);
    return rc;
}

/* The tree of the reference text and its account, computed into f. */
static void tree_account(Tree *t, const char *reference, Fidelity *f)
{
    char err[ERR_MAX] = "";
    tree_make(t, reference);
    ck_assert_msg(compute(f, t->ref, t->s, err) == 0, "%s", err);
}

static const FidelityRow *find(const Fidelity *f, const char *table, const char *setting,
                               const char *quantity)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->rows[i].table, table) == 0 && strcmp(f->rows[i].setting, setting) == 0 &&
            strcmp(f->rows[i].quantity, quantity) == 0)
            return &f->rows[i];
    ck_abort_msg("no row %s %s %s", table, setting, quantity);
    return NULL;
}

START_TEST(test_verdicts_and_reasons)
{
    Tree t;
    Fidelity f;
    tree_account(&t, REFERENCE, &f);
    /* every non-empty quantity cell, in file order */
    ck_assert_uint_eq(f.n, 12);
    ck_assert_str_eq(f.rows[0].quantity, "train_loss");
    ck_assert_str_eq(f.rows[4].quantity, "grad_norm");
    ck_assert_str_eq(f.rows[5].setting, "lambda=0.5");
    ck_assert_int_eq(f.rows[5].line, 4);

    const FidelityRow *r = find(&f, "softmax-lambda", "lambda=0.0", "test_acc");
    /* compared with the as-reported study, not the correct one (80 %) */
    ck_assert_double_eq_tol(r->mean, 95.2, 1e-9);
    ck_assert_double_eq_tol(r->sd, 0.1, 1e-9);
    ck_assert_uint_eq(r->n, 3);
    double half = 4.302652729911275 * 0.1 * sqrt(4.0 / 3.0);
    ck_assert_double_eq_tol(r->hi, 95.2 + half, 1e-9);
    ck_assert_double_eq_tol(r->lo, 95.2 - half, 1e-9);
    ck_assert_int_eq(r->verdict, FIDELITY_REPRODUCED);
    ck_assert_int_eq(find(&f, "softmax-lambda", "lambda=0.0", "train_loss")->verdict,
                     FIDELITY_REPRODUCED);
    ck_assert_int_eq(find(&f, "softmax-lambda", "lambda=0.0", "train_acc")->verdict,
                     FIDELITY_REPRODUCED);
    r = find(&f, "softmax-lambda", "lambda=0.0", "test_loss");
    ck_assert_int_eq(r->verdict, FIDELITY_REPRODUCED);
    ck_assert_double_eq_tol(r->mean, 0.498, 1e-9);
    r = find(&f, "softmax-lambda", "lambda=0.0", "grad_norm");
    ck_assert_int_eq(r->verdict, FIDELITY_NOT_REPRODUCED);
    ck_assert_str_eq(r->reason, FIDELITY_NOT_RECORDED);

    r = find(&f, "softmax-lambda", "lambda=0.5", "train_loss");
    ck_assert_int_eq(r->verdict, FIDELITY_EXPLAINED);
    ck_assert_str_eq(r->reason, FIDELITY_QUANTITY ": the mean over the last epoch");
    r = find(&f, "softmax-lambda", "lambda=0.5", "test_acc");
    ck_assert_int_eq(r->verdict, FIDELITY_NOT_REPRODUCED);
    ck_assert_str_eq(r->reason, FIDELITY_UNKNOWN); /* what was ruled out */

    r = find(&f, "softmax-batch", "lambda=0.2 learning_rate=0.1 batch_size=16", "test_acc");
    ck_assert_int_eq(r->verdict, FIDELITY_NOT_REPRODUCED);
    ck_assert_str_eq(r->reason, FIDELITY_NO_RUN);
    ck_assert(isnan(r->mean));

    ck_assert_int_eq(find(&f, "mlp-arch", "hidden_layers=1 loss=euclidean activation=relu",
                          "test_acc")->verdict,
                     FIDELITY_REPRODUCED);
    ck_assert_int_eq(find(&f, "mlp-arch", "hidden_layers=1 loss=euclidean activation=relu",
                          "val_acc")->verdict,
                     FIDELITY_REPRODUCED);
    r = find(&f, "mlp-arch", "hidden_layers=1 loss=softmax-cross-entropy activation=relu",
             "test_acc");
    ck_assert_int_eq(r->verdict, FIDELITY_EXPLAINED);
    ck_assert_str_eq(r->reason, FIDELITY_REPEATS
                     ": mlp-arch hidden_layers=1 loss=euclidean activation=relu");
    ck_assert_double_eq_tol(r->mean, 90.2, 1e-9);

    r = find(&f, "mlp-lr", "learning_rate=0.01", "test_acc");
    ck_assert_str_eq(r->reason, FIDELITY_NO_RUN);
    fidelity_release(&f);

    /* the two new columns do not stop the tables' own reader either */
    char err[ERR_MAX] = "";
    Reference ref;
    ck_assert_msg(reference_load(&ref, t.ref, err) == 0, "%s", err);
    ck_assert_uint_eq(ref.n, 6);
    ck_assert(ref.rows[0].test_acc == 95.70);
    reference_release(&ref);
    tree_free(&t);
}
END_TEST

START_TEST(test_slack_of_the_printed_digit)
{
    /* 95.70 is 0.0032 above the interval: inside only because "95.70" stands
     * for anything from 95.695; "95.7032" has no such slack */
    static const char ref[] = "table,model,lambda,test_acc\nsoftmax-lambda,softmax,0.0,95.70\n"
                              "softmax-lambda,softmax,0.5,95.7032\n";
    Tree t;
    Fidelity f;
    tree_account(&t, ref, &f);
    ck_assert_uint_eq(f.n, 2);
    ck_assert(f.rows[0].hi < 95.70);
    ck_assert_int_eq(f.rows[0].verdict, FIDELITY_REPRODUCED);
    ck_assert_int_eq(f.rows[1].verdict, FIDELITY_NOT_REPRODUCED);
    fidelity_release(&f);
    tree_free(&t);
}
END_TEST

/* An interval that cannot fail: a figure inside it is not testable, never
 * reproduced; one outside it still fails. */
START_TEST(test_an_interval_that_cannot_fail)
{
    /* test accuracies 70, 80, 90 %: 80 +- 4.3027 * 10 * sqrt(4/3) reaches 100 */
    static const char ref[] = "table,model,lambda,test_acc\nsoftmax-lambda,softmax,0.0,95.70\n"
                              "softmax-lambda,softmax,0.5,20.00\n";
    Tree t;
    Fidelity f;
    wide = 1;
    tree_account(&t, ref, &f);
    wide = 0;
    ck_assert_double_eq_tol(f.rows[0].mean, 80.0, 1e-9);
    ck_assert_double_eq_tol(f.rows[0].hi, 100.0, 1e-9);
    ck_assert_int_eq(f.rows[0].verdict, FIDELITY_NOT_TESTABLE);
    ck_assert_str_eq(f.rows[0].reason, FIDELITY_OPEN " (30.3 to 100.0)");
    ck_assert_int_eq(f.rows[1].verdict, FIDELITY_NOT_REPRODUCED);
    Values facts = {0};
    fidelity_facts(&f, &facts);
    ck_assert_str_eq(values_get(&facts, "fidelity:count:not_testable"), "1");
    ck_assert_str_eq(values_get(&facts, "fidelity:count:reproduced"), "0");
    ck_assert_str_eq(values_get(&facts, "fidelity:count:all"), "2");
    values_release(&facts);
    fidelity_release(&f);
    tree_free(&t);
}
END_TEST

START_TEST(test_a_repeat_must_be_reproduced_where_it_comes_from)
{
    /* two copies of one wrong figure explain nothing: neither row reproduces it */
    static const char ref[] = "table,model,lambda,test_acc\nsoftmax-lambda,softmax,0.0,97.00\n"
                              "softmax-lambda,softmax,0.5,97.00\n";
    Tree t;
    Fidelity f;
    tree_account(&t, ref, &f);
    ck_assert_int_eq(f.rows[0].verdict, FIDELITY_NOT_REPRODUCED);
    ck_assert_int_eq(f.rows[1].verdict, FIDELITY_NOT_REPRODUCED);
    fidelity_release(&f);
    tree_free(&t);
}
END_TEST

START_TEST(test_outputs)
{
    Tree t;
    Fidelity f;
    tree_account(&t, REFERENCE, &f);
    char *csv = fidelity_csv(&f);
    ck_assert_ptr_nonnull(csv);
    /* the header, then one line per number */
    const char *want = "table,setting,quantity,original,mean,sd,n,verdict,reason\n"
                       "softmax-lambda,lambda=0.0,train_loss,0.5600,0.558000,0.001000,3,"
                       "reproduced,\n";
    ck_assert_msg(strncmp(csv, want, strlen(want)) == 0, "%s", csv);
    ck_assert_ptr_nonnull(strstr(csv, "\nsoftmax-lambda,lambda=0.0,test_acc,95.70,95.2000,0.1000,"
                                      "3,reproduced,\n"));
    ck_assert_ptr_nonnull(strstr(csv, "\nsoftmax-batch,lambda=0.2 learning_rate=0.1 batch_size=16,"
                                      "test_acc,92.04,,,0,not reproduced,no run with this "
                                      "setting\n"));
    size_t lines = 0;
    for (const char *p = csv; *p; p++)
        lines += *p == '\n';
    ck_assert_uint_eq(lines, 1 + f.n);
    free(csv);

    char *md = fidelity_markdown(&f);
    ck_assert_ptr_nonnull(md);
    /* the report's names, not the file's */
    ck_assert_ptr_nonnull(strstr(md, "| softmax-lambda | \xce\xbb = 0.5 | test accuracy | 95.80 | "
                                     "95.20\xc2\xa0\xc2\xb1\xc2\xa0" "0.10 (3) |"));
    ck_assert_ptr_nonnull(strstr(md, "| mlp-arch | hidden layers 1, Euclidean, ReLU | validation "
                                     "accuracy |"));
    ck_assert_ptr_nonnull(strstr(md, "**not reproduced**: no cause found"));
    free(md);
    /* the body's table: explained and not reproduced rows only */
    md = fidelity_markdown_open(&f);
    ck_assert_ptr_nonnull(strstr(md, "| softmax-lambda | \xce\xbb = 0.5 | test accuracy |"));
    ck_assert_ptr_null(strstr(md, "| softmax-lambda | \xce\xbb = 0.0 | test accuracy |"));
    free(md);

    Values v = {0};
    fidelity_values(&f, &v);
    ck_assert_str_eq(v.err, "");
    ck_assert_str_eq(values_get(&v, "fidelity:reproduced"), "6");
    ck_assert_str_eq(values_get(&v, "fidelity:explained"), "2");
    ck_assert_str_eq(values_get(&v, "fidelity:not_reproduced"), "4");
    ck_assert_str_eq(values_get(&v, "fidelity:not_testable"), "0");
    ck_assert_str_eq(values_get(&v, "fidelity:rows"), "12");
    ck_assert_str_eq(values_get(&v, "fidelity:softmax-lambda:lambda-0.5:test_acc:mean"), "95.20");
    ck_assert_str_eq(values_get(&v, "fidelity:softmax-lambda:lambda-0.5:test_acc:diff"),
                     "\xe2\x88\x92" "0.60");
    ck_assert_str_eq(values_get(&v, "fidelity:softmax-lambda:lambda-0.5:test_acc:sds"), "6.0");
    ck_assert_str_eq(values_get(&v, "fidelity:softmax-lambda:lambda-0.5:test_acc:verdict"),
                     "not reproduced");
    ck_assert_str_eq(values_get(&v, "fidelity:softmax-lambda:lambda-0.0:train_loss:mean"),
                     "0.5580");
    ck_assert_ptr_null(values_get(&v, "fidelity:softmax-batch:lambda-0.2,learning_rate-0.1,"
                                      "batch_size-16:test_acc:mean"));
    values_release(&v);

    /* fidelity_write: the files beside the values */
    char err[ERR_MAX] = "";
    Reference ref;
    ck_assert_msg(reference_load(&ref, t.ref, err) == 0, "%s", err);
    StudiesConf conf;
    ck_assert_msg(studies_parse(&conf, FAKE_STUDIES_CONF, "studies", err) == 0, "%s", err);
    ck_assert_int_eq(fidelity_write(t.dir, &ref, &conf, t.s, N, &v, err), 0);
    reference_release(&ref);
    char *p = tu_path(t.dir, "fidelity.csv");
    size_t n;
    char *text = tu_read(p, &n);
    ck_assert_ptr_nonnull(text);
    ck_assert(strncmp(text, want, strlen(want)) == 0);
    free(text);
    free(p);
    p = tu_path(t.dir, "tables/fidelity.md");
    text = tu_read(p, &n);
    ck_assert_ptr_nonnull(text);
    ck_assert(strncmp(text, "Table: ", 7) == 0);
    free(text);
    free(p);
    ck_assert_ptr_nonnull(values_get(&v, "fidelity:rows"));
    values_release(&v);
    fidelity_release(&f);
    tree_free(&t);
}
END_TEST

Suite *fidelity_suite(void);
Suite *fidelity_suite(void)
{
    Suite *s = suite_create("fidelity");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_verdicts_and_reasons);
    tcase_add_test(core, test_slack_of_the_printed_digit);
    tcase_add_test(core, test_a_repeat_must_be_reproduced_where_it_comes_from);
    tcase_add_test(core, test_an_interval_that_cannot_fail);
    tcase_add_test(core, test_outputs);
    suite_add_tcase(s, core);
    return s;
}
