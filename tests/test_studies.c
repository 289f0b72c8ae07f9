/* The report's knowledge of the studies as data: twins both ways, the
 * original's table of a study, families, display names, and every way a
 * declaration can be wrong. */
#include "report/studies.h"

#include "err.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char CONF[] = "# a comment\n"
                           "\n"
                           "twin softmax-* softmax-reported-*\n"
                           "table softmax-defaults softmax-base\r\n"
                           "family softmax-correct softmax correct\n"
                           "family softmax-reported softmax reported\n"
                           "family nets mlp any\n"
                           "dataset fashion Fashion MNIST, 28 x 28\n";

static StudiesConf parsed(void)
{
    StudiesConf c;
    char err[ERR_MAX] = "";
    ck_assert_msg(studies_parse(&c, CONF, "studies.conf", err) == 0, "%s", err);
    return c;
}

START_TEST(test_twins)
{
    StudiesConf c = parsed();
    char buf[64];
    ck_assert_int_eq(studies_twin(&c, "softmax-lambda", buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "softmax-reported-lambda");
    /* a twin has no twin of its own; the pattern's part is never empty */
    ck_assert_int_eq(studies_twin(&c, "softmax-reported-lambda", buf, sizeof buf), -1);
    ck_assert_int_eq(studies_twin(&c, "softmax-", buf, sizeof buf), -1);
    ck_assert_int_eq(studies_twin(&c, "mlp-arch", buf, sizeof buf), -1);
    ck_assert_int_eq(studies_twin(&c, "softmax-lambda", buf, 8), -1);
    const char *part = studies_correct(&c, "softmax-reported-lr", buf, sizeof buf);
    ck_assert_str_eq(part, "lr");
    ck_assert_str_eq(buf, "softmax-lr");
    ck_assert_ptr_null(studies_correct(&c, "softmax-lr", buf, sizeof buf));
}
END_TEST

START_TEST(test_tables)
{
    StudiesConf c = parsed();
    RefRow rows[3];
    memset(rows, 0, sizeof rows);
    strcpy(rows[0].table, "softmax-base");
    strcpy(rows[1].table, "softmax-lambda");
    strcpy(rows[2].table, "mlp-arch");
    Reference ref;
    memset(&ref, 0, sizeof ref);
    ref.rows = rows;
    ref.n = 3;
    char buf[64];
    ck_assert_str_eq(studies_table(&c, &ref, "softmax-lambda", buf, sizeof buf), "softmax-lambda");
    ck_assert_str_eq(studies_table(&c, &ref, "softmax-reported-lambda", buf, sizeof buf),
                     "softmax-lambda");
    ck_assert_str_eq(studies_table(&c, &ref, "softmax-defaults", buf, sizeof buf), "softmax-base");
    ck_assert_str_eq(studies_table(&c, &ref, "softmax-reported-defaults", buf, sizeof buf),
                     "softmax-base");
    ck_assert_ptr_null(studies_table(&c, &ref, "mlp-batch", buf, sizeof buf));
    ck_assert_ptr_null(studies_table(&c, NULL, "mlp-arch", buf, sizeof buf));
    /* a study renamed: one line of data, no code */
    StudiesConf r;
    char err[ERR_MAX] = "";
    ck_assert_int_eq(studies_parse(&r, "table mlp-shapes mlp-arch\n", "x", err), 0);
    ck_assert_str_eq(studies_table(&r, &ref, "mlp-shapes", buf, sizeof buf), "mlp-arch");
}
END_TEST

START_TEST(test_families_and_names)
{
    StudiesConf c = parsed();
    ck_assert_uint_eq(c.n_family, 3);
    ck_assert_str_eq(c.family[2].name, "nets");
    RunConfig cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.model = MODEL_SOFTMAX;
    ck_assert(studies_in_family(&c, 0, &cfg));
    ck_assert(!studies_in_family(&c, 1, &cfg));
    cfg.as_reported = 1;
    ck_assert(studies_in_family(&c, 1, &cfg));
    ck_assert(!studies_in_family(&c, 2, &cfg));
    cfg.model = MODEL_MLP;
    cfg.as_reported = 0;
    ck_assert(studies_in_family(&c, 2, &cfg));
    ck_assert_str_eq(studies_dataset_name(&c, "fashion"), "Fashion MNIST, 28 x 28");
    ck_assert_str_eq(studies_dataset_name(&c, "mnist"), "mnist");
}
END_TEST

static const struct {
    const char *text;
    int line;
} BAD[] = {
    {"twin softmax-* softmax-reported\n", 1},  /* no '*' */
    {"twin softmax-** softmax-reported-*\n", 1}, /* two */
    {"twin softmax-*\n", 1},
    {"\ntable softmax-defaults\n", 2},
    {"family f softmax sometimes\n", 1},
    {"family f svm any\n", 1},
    {"dataset mnist\n", 1},
    {"# ok\nstudy softmax-lambda\n", 2},
};

START_TEST(test_bad_declarations)
{
    StudiesConf c;
    char err[ERR_MAX] = "", want[64];
    ck_assert_int_eq(studies_parse(&c, BAD[_i].text, "studies.conf", err), -1);
    snprintf(want, sizeof want, "'studies.conf':%d: expected ", BAD[_i].line);
    ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "%s", err);
}
END_TEST

START_TEST(test_missing_file)
{
    StudiesConf c;
    char err[ERR_MAX] = "";
    ck_assert_int_eq(studies_load(&c, "/nonexistent/studies.conf", err), -1);
    ck_assert_str_eq(err, "'/nonexistent/studies.conf': No such file or directory");
}
END_TEST

Suite *studies_suite(void);
Suite *studies_suite(void)
{
    Suite *s = suite_create("studies");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_twins);
    tcase_add_test(tc, test_tables);
    tcase_add_test(tc, test_families_and_names);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_loop_test(tc, test_bad_declarations, 0, (int)(sizeof BAD / sizeof BAD[0]));
    tcase_add_test(tc, test_missing_file);
    suite_add_tcase(s, tc);
    return s;
}
