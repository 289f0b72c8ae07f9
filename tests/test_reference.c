#include "err.h"
#include "experiment.h"
#include "report/reference.h"
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char CSV[] =
    "# comment\n"
    "table,model,hidden_layers,loss,activation,lambda,learning_rate,batch_size,max_epoch,"
    "weight_decay,train_loss,train_acc,val_acc,test_acc\n"
    "softmax-base,softmax,,cross-entropy,,,,,,,,89.00,,90.22\n"
    "softmax-lr,softmax,,cross-entropy,,0.2,0.01,,,,1.0341,88,,90.22\n"
    "softmax-lr,softmax,,cross-entropy,,0.2,0.1,,,,1.0709,95,,92.26\n"
    "mlp-arch,mlp,1,euclidean,relu,,,,,,,84.38,88.70,85.75\n"
    "mlp-arch,mlp,2,softmax-cross-entropy,relu,,,,,,,86.30,89.71,87.28\n"
    "mlp-wd,mlp,2,softmax-cross-entropy,relu,,,,,0.001,0.3043,91.48,93.76,91.92\n";

static Reference load(char **dir)
{
    char err[ERR_MAX] = "";
    *dir = tu_tmpdir();
    char *path = tu_path(*dir, "ref.csv");
    ck_assert_int_eq(tu_write(path, CSV, sizeof CSV - 1), 0);
    Reference ref;
    ck_assert_msg(reference_load(&ref, path, err) == 0, "%s", err);
    free(path);
    return ref;
}

/* The model's defaults (the homework's settings) but for the given ones. */
static RunConfig mlp(int layers, LossKind loss, Activation act, double wd)
{
    RunConfig c;
    runconfig_defaults(&c, MODEL_MLP);
    c.weight_decay = wd;
    c.n_hidden = layers;
    c.loss = loss;
    c.activation = act;
    return c;
}

START_TEST(test_tables_of_twins)
{
    char *dir;
    Reference ref = load(&dir);
    ck_assert_uint_eq(ref.n, 6);
    ck_assert_int_eq(ref.rows[1].line, 4);
    ck_assert(ref.rows[5].weight_decay == 0.001);
    ck_assert(isnan(ref.rows[0].lambda));
    reference_release(&ref);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(test_match_settings)
{
    char *dir;
    Reference ref = load(&dir);
    RunConfig c;
    runconfig_defaults(&c, MODEL_SOFTMAX);
    c.lambda = 0.2;
    c.learning_rate = 0.1;
    ck_assert_ptr_eq(reference_match(&ref, "softmax-lr", &c), &ref.rows[2]);
    c.learning_rate = 0.2;
    ck_assert_ptr_null(reference_match(&ref, "softmax-lr", &c));
    /* an empty cell matches any value */
    ck_assert_ptr_eq(reference_match(&ref, "softmax-base", &c), &ref.rows[0]);
    ck_assert_ptr_null(reference_match(&ref, NULL, &c));
    ck_assert_ptr_null(reference_match(NULL, "softmax-lr", &c));

    c = mlp(1, LOSS_EUCLIDEAN, ACT_RELU, 0.1);
    ck_assert_ptr_eq(reference_match(&ref, "mlp-arch", &c), &ref.rows[3]);
    c = mlp(1, LOSS_EUCLIDEAN, ACT_SIGMOID, 0.1);
    ck_assert_ptr_null(reference_match(&ref, "mlp-arch", &c));
    /* "softmax-cross-entropy" in the original is our cross-entropy */
    c = mlp(2, LOSS_CROSS_ENTROPY, ACT_RELU, 0.1);
    ck_assert_ptr_eq(reference_match(&ref, "mlp-arch", &c), &ref.rows[4]);
    ck_assert_ptr_null(reference_match(&ref, "mlp-wd", &c));
    c.weight_decay = 0.001;
    ck_assert_ptr_eq(reference_match(&ref, "mlp-wd", &c), &ref.rows[5]);
    reference_release(&ref);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

/* Every way a reference can be wrong: one line naming the file and the line. */
static const struct {
    const char *text, *want;
} BAD_REFS[] = {
    {"# only a comment\n", ": no header row"},
    {"model,test_acc\nsoftmax,90\n", ":1: the header needs the columns 'table' and 'model'"},
    {"table,model,model\n", ":1: empty or repeated column 'model'"},
    {"table,model,test_acc\nsoftmax-lambda,softmax\n", ":2: expected 3 cells, found 2"},
    {"HEADER\nmlp-arch,mlp,1\n", ":2: expected 14 cells, found 3"},
    {"HEADER\nsoftmax-x,softmax,,,,1,2\n", ":2: expected 14 cells, found 7"},
    {"table,model,test_acc\nsoftmax-lambda,softmax,9x\n",
     ":2: column 'test_acc': '9x' is not a number"},
    {"table,model,test_acc\nsoftmax-lambda,softmax,123456789012345678901234567890123\n",
     ":2: column 'test_acc': cell too long"},
    {"table,model,lambda,test_acc\nsoftmax-lambda,softmax,high,90\n", ":2: bad setting cell"},
    {"HEADER\n# c\nsoftmax-x,softmax,,,,0.x,,,,,,,,1\n", ":3: bad setting cell"},
    {"HEADER\nsoftmax-x,svm,,,,,,,,,,,,1\n", ":2: bad setting cell"},
    {"HEADER\n,softmax,,,,,,,,,,,,1\n", ":2: bad setting cell"},
    {"HEADER\nmlp-x,mlp,1e300,,,,,,,,,,,1\n", ":2: bad setting cell"},
    {"table,model,test_acc\n\"softmax\",softmax,90\n", ":2: quoted cells are not supported"},
};

START_TEST(test_bad_files)
{
    char err[ERR_MAX] = "", text[512], want[512];
    char *dir = tu_tmpdir();
    char *path = tu_path(dir, "ref.csv");
    const char *t = BAD_REFS[_i].text;
    if (strncmp(t, "HEADER", 6) == 0)
        snprintf(text, sizeof text, "%s%s", "table,model,hidden_layers,loss,activation,lambda,learning_rate,batch_size,max_epoch,weight_decay,train_loss,train_acc,val_acc,test_acc", t + 6);
    else
        snprintf(text, sizeof text, "%s", t);
    ck_assert_int_eq(tu_write(path, text, strlen(text)), 0);
    Reference ref;
    ck_assert_int_eq(reference_load(&ref, path, err), -1);
    snprintf(want, sizeof want, "'%s'%s", path, BAD_REFS[_i].want);
    ck_assert_str_eq(err, want);
    ck_assert_ptr_null(ref.rows);
    ck_assert_ptr_null(ref.text);
    tu_rmtree(dir);
    free(dir);
    free(path);
}
END_TEST

START_TEST(test_missing_file)
{
    char err[ERR_MAX] = "";
    Reference ref;
    ck_assert_int_eq(reference_load(&ref, "/nonexistent/ref.csv", err), -1);
    ck_assert_str_eq(err, "'/nonexistent/ref.csv': No such file or directory");
}
END_TEST

/* Columns by name, in any order, and quantities beyond RefRow's four: the
 * cells stay as printed for the fidelity account. */
START_TEST(test_columns_by_name)
{
    char err[ERR_MAX] = "";
    char *dir = tu_tmpdir();
    char *path = tu_path(dir, "ref.csv");
    static const char T[] = "test_acc,model,grad_norm,table,lambda\n"
                            "90.20,softmax,1.5,softmax-lambda,0.2\n"
                            ",mlp,,mlp-arch,\n";
    ck_assert_int_eq(tu_write(path, T, sizeof T - 1), 0);
    Reference ref;
    ck_assert_msg(reference_load(&ref, path, err) == 0, "%s", err);
    ck_assert_uint_eq(ref.n, 2);
    ck_assert_int_eq(ref.ncols, 5);
    ck_assert_str_eq(ref.names[2], "grad_norm");
    ck_assert_int_eq(ref.setting_col[0], 3);
    ck_assert_int_eq(ref.setting_col[2], -1);
    ck_assert_str_eq(ref.rows[0].table, "softmax-lambda");
    ck_assert(ref.rows[0].test_acc == 90.20);
    ck_assert(ref.rows[0].lambda == 0.2);
    ck_assert(isnan(ref.rows[0].train_acc));
    ck_assert(isnan(ref.rows[1].test_acc));
    ck_assert_str_eq(reference_cells(&ref, 0)[0], "90.20");
    ck_assert_str_eq(reference_cells(&ref, 1)[1], "mlp");
    ck_assert_str_eq(reference_cells(&ref, 1)[2], "");
    reference_release(&ref);
    tu_rmtree(dir);
    free(dir);
    free(path);
}
END_TEST

Suite *reference_suite(void);
Suite *reference_suite(void)
{
    Suite *s = suite_create("reference");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_tables_of_twins);
    tcase_add_test(tc, test_match_settings);
    tcase_add_test(tc, test_columns_by_name);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_loop_test(tc, test_bad_files, 0, (int)(sizeof BAD_REFS / sizeof BAD_REFS[0]));
    tcase_add_test(tc, test_missing_file);
    suite_add_tcase(s, tc);
    return s;
}
