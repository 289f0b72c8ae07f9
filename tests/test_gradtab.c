/* The gradient checks' table and facts, and the file's faults named by line. */
#include "report/gradtab.h"

#include "report/facts.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

START_TEST(test_gradtab_table_and_facts)
{
    const char *csv = "check,gradient,parameters,relative_error,bound,status\n"
                      "fc,\"dE/dW = x^T dE/dy, \"\"sum\"\"\",30,1.2e-09,1e-06,passed\n"
                      "sigmoid,\"dE/dx\",20,3e-05,1e-06,failed\n";
    Buf md = {0};
    Values f = {0};
    char err[ERR_MAX] = "";
    ck_assert_msg(gradtab_parse(csv, "gradcheck.csv", &md, &f, err) == 0, "%s", err);
    ck_assert_ptr_nonnull(strstr(md.p, "Table: Gradient checks"));
    ck_assert_ptr_nonnull(strstr(md.p, "| fc | `dE/dW = x^T dE/dy, \"sum\"` | 30 | 1.2e-09 | 1e-06 | passed |\n"));
    ck_assert_ptr_nonnull(strstr(md.p, "| sigmoid | `dE/dx` | 20 | 3.0e-05 | 1e-06 | **failed** |\n"));
    ck_assert_double_eq_tol(fact_get(&f, "gradcheck:checks"), 2, 1e-12);
    ck_assert_double_eq_tol(fact_get(&f, "gradcheck:failed"), 1, 1e-12);
    ck_assert_double_eq_tol(fact_get(&f, "gradcheck:worst_ratio"), 30, 1e-9);
    ck_assert_double_eq_tol(fact_get(&f, "gradcheck:fc:relative_error"), 1.2e-9, 1e-20);
    free(md.p);
    values_release(&f);
}
END_TEST

static void fails(const char *csv, const char *want)
{
    Buf md = {0};
    Values f = {0};
    char err[ERR_MAX] = "";
    ck_assert_int_eq(gradtab_parse(csv, "g.csv", &md, &f, err), -1);
    ck_assert_msg(strstr(err, want), "'%s' lacks '%s'", err, want);
    free(md.p);
    values_release(&f);
}

START_TEST(test_gradtab_faults)
{
    fails("check,error\nfc,1\n", "'g.csv':1: expected the header");
#define H "check,gradient,parameters,relative_error,bound,status\n"
    fails(H "fc,\"g\",3,1e-9,1e-6\n", "'g.csv':2: expected 6 cells");
    fails(H "fc,\"g,3,1e-9,1e-6,passed\n", "'g.csv':2: expected 6 cells");
    fails(H "fc,g,3,x,1e-6,passed\n", "'g.csv':2: expected a check name");
    fails(H "fc,g,3,1e-9,0,passed\n", "the bound positive");
    fails(H, "'g.csv': no check in it");
#undef H
}
END_TEST

Suite *gradtab_suite(void);
Suite *gradtab_suite(void)
{
    Suite *s = suite_create("gradtab");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_gradtab_table_and_facts);
    tcase_add_test(tc, test_gradtab_faults);
    suite_add_tcase(s, tc);
    return s;
}
