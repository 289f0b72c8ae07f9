/* The report's claims: the file's faults named by line, the checks over the
 * facts, the strict mode that fails on a claim that does not hold (naming it
 * with its numbers), and a claim that cannot fail refused. */
#include "report/claims.h"
#include "report/facts.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const GOOD =
    "# two claims and a verdict\n"
    "[relu-wins]\n"
    "check = {a:relu} - {a:sigmoid} > 2 * {a:se} and not {a:edge} == 1 and {a:se} > 0\n"
    "evidence = tab:mlp-arch fig:mlp-arch-sweep\n"
    "\n"
    "[practice]\n"
    "original = M9b\n"
    "restated = Two or three layers are the usual limit.\n"
    "verdict = not testable\n"
    "untestable = a statement about practice elsewhere\n"
    "evidence = none\n"
    "[best-lambda]\n"
    "original = S2\n"
    "restated = lambda 0.2 is best.\n"
    "verdict = refuted\n"
    "check = abs({s:best:lambda} - 0.2) > 0.01 or max({x}, 1) < 0 or hypot(3, sqrt(16)) != 5\n"
    "evidence = tab:softmax-tune\n";

static void facts(Values *f, double relu)
{
    memset(f, 0, sizeof *f);
    fact_set(f, "a:relu", relu);
    fact_set(f, "a:sigmoid", 90.0);
    fact_set(f, "a:se", 1.5);
    fact_set(f, "a:edge", 0);
    fact_set(f, "s:best:lambda", 0.001);
    fact_set(f, "x", -3);
}

START_TEST(test_claims_hold)
{
    Claims cl;
    char err[ERR_MAX] = "";
    ck_assert_int_eq(claims_parse(&cl, "claims.conf", GOOD, err), 0);
    ck_assert_uint_eq(cl.n, 3);
    Values f;
    facts(&f, 95.0);
    ck_assert_uint_eq(claims_eval(&cl, &f, NULL), 0);
    ck_assert_int_eq(cl.c[0].outcome, CLAIM_HOLDS);
    ck_assert_str_eq(cl.c[0].numbers, "a:relu = 95; a:sigmoid = 90; a:se = 1.5; a:edge = 0");
    ck_assert_int_eq(cl.c[1].outcome, CLAIM_UNTESTABLE);
    ck_assert_str_eq(cl.c[1].reason, "a statement about practice elsewhere");
    ck_assert_int_eq(cl.c[2].outcome, CLAIM_HOLDS);
    ck_assert_int_eq(claims_strict(&cl, err), 0);

    Values v = {0};
    claims_values(&cl, &v);
    ck_assert_str_eq(values_get(&v, "claim:best-lambda:no"), "C3");
    ck_assert_str_eq(values_get(&v, "claim:relu-wins:outcome"), "holds");
    ck_assert_str_eq(values_get(&v, "claim:practice:outcome"), "not testable");
    char *t = claims_verdicts_table(&cl);
    ck_assert_ptr_nonnull(strstr(t, "| M9b | Two or three layers are the usual limit. | "
                                    "**not testable**: a statement about practice elsewhere |"));
    ck_assert_ptr_nonnull(strstr(t, "| S2 | lambda 0.2 is best. | **refuted** | C3, {{tab:softmax-tune}} |"));
    ck_assert_ptr_null(strstr(t, "relu-wins")); /* not one of the original's */
    /* in the original's order: S before M, M9 before M9b before M10 */
    ck_assert_ptr_nonnull(strstr(t, "| S2 |"));
    ck_assert(strstr(t, "| S2 |") < strstr(t, "| M9b |"));
    free(t);
    t = claims_table(&cl);
    ck_assert_ptr_nonnull(strstr(t, "- **C1** `relu-wins`: holds. Check: `{a:relu} - "));
    ck_assert_ptr_nonnull(strstr(t, "Evidence: {{tab:mlp-arch}}, {{fig:mlp-arch-sweep}}.\n"));
    ck_assert_ptr_nonnull(strstr(t, "- **C2** `practice`: not testable: a statement about "
                                    "practice elsewhere.\n"));
    free(t);
    values_release(&v);
    values_release(&f);
    claims_release(&cl);
}
END_TEST

/* The same claim with its check flipped: the strict build fails, naming the
 * claim, its line and its numbers; a lenient one marks it. */
START_TEST(test_claims_flipped)
{
    Claims cl;
    char err[ERR_MAX] = "";
    char *text = strdup(GOOD);
    char *gt = strstr(text, "> 2 *");
    *gt = '<';
    ck_assert_int_eq(claims_parse(&cl, "report/claims.conf", text, err), 0);
    Values f;
    facts(&f, 95.0);
    ck_assert_uint_eq(claims_eval(&cl, &f, NULL), 1);
    ck_assert_int_eq(cl.c[0].outcome, CLAIM_FAILS);
    ck_assert_int_eq(claims_strict(&cl, err), -1);
    ck_assert_str_eq(err, "claims: 'report/claims.conf' line 2: claim 'relu-wins' does not hold: "
                          "{a:relu} - {a:sigmoid} < 2 * {a:se} and not {a:edge} == 1 and {a:se} > 0 "
                          "(a:relu = 95; a:sigmoid = 90; a:se = 1.5; a:edge = 0)");
    char *t = claims_table(&cl);
    ck_assert_ptr_nonnull(strstr(t, "**does not hold**. Check: "));
    ck_assert_ptr_nonnull(strstr(t, ", with `a:relu = 95; a:sigmoid = 90;"));
    free(t);
    t = claims_verdicts_table(&cl);
    cl.c[2].outcome = CLAIM_FAILS;
    free(t);
    t = claims_verdicts_table(&cl);
    ck_assert_ptr_nonnull(strstr(t, "**refuted**, *not confirmed on this dataset*: C3 does not "
                                    "hold | C3, {{tab:softmax-tune}} |"));
    free(t);
    values_release(&f);
    claims_release(&cl);
    free(text);
}
END_TEST

/* A fact the results do not have: not testable (and so an error in strict
 * mode, since the claim is cited), never "holds". */
START_TEST(test_claims_absent_fact)
{
    Claims cl;
    char err[ERR_MAX] = "";
    ck_assert_int_eq(claims_parse(&cl, "c.conf", GOOD, err), 0);
    Values f = {0};
    fact_set(&f, "a:relu", 95.0);
    ck_assert_uint_eq(claims_eval(&cl, &f, NULL), 0);
    ck_assert_int_eq(cl.c[0].outcome, CLAIM_UNTESTABLE);
    ck_assert_str_eq(cl.c[0].reason, "no result for a:sigmoid in this build");
    ck_assert_int_eq(claims_strict(&cl, err), -1);
    ck_assert_str_eq(err, "claims: 'c.conf' line 2: claim 'relu-wins' cannot be checked: "
                          "no result for a:sigmoid in this build");
    /* found in the second map (the timing facts) */
    Values t = {0};
    fact_set(&t, "a:sigmoid", 90.0);
    fact_set(&t, "a:se", 1.0);
    fact_set(&t, "a:edge", 0.0);
    fact_set(&t, "s:best:lambda", 0.2);
    fact_set(&t, "x", 5);
    ck_assert_uint_eq(claims_eval(&cl, &f, &t), 1); /* best-lambda: 0.2 is best now */
    ck_assert_int_eq(cl.c[0].outcome, CLAIM_HOLDS);
    ck_assert_int_eq(cl.c[2].outcome, CLAIM_FAILS);
    values_release(&f);
    values_release(&t);
    claims_release(&cl);
}
END_TEST

static void parse_fails(const char *text, const char *want)
{
    Claims cl;
    char err[ERR_MAX] = "";
    ck_assert_int_eq(claims_parse(&cl, "c.conf", text, err), -1);
    ck_assert_msg(strstr(err, want), "error '%s' lacks '%s'", err, want);
    ck_assert_ptr_null(cl.c);
}

START_TEST(test_claims_faults)
{
    parse_fails("[a]\ncheck = 1 > 0\nevidence = tab:x\n",
                "line 1: claim 'a': check cites no fact, so it cannot fail");
    parse_fails("[a]\ncheck = {x} > 0\n", "line 1: claim 'a' has no evidence");
    parse_fails("[a]\nevidence = none\n", "needs check or untestable, not neither");
    parse_fails("[a]\ncheck = {x} > 0\nuntestable = why\nevidence = none\n", "not both");
    parse_fails("[a]\ncheck = {x} >\nevidence = none\n", "check: expected a number");
    parse_fails("[a]\ncheck = ({x} > 0\nevidence = none\n", "expected ')'");
    parse_fails("[a]\ncheck = {x} > 0 junk\nevidence = none\n", "unexpected text");
    parse_fails("[a]\ncolour = red\n", "line 2: unknown key 'colour'");
    parse_fails("check = {x} > 0\n", "line 1: expected [name] first");
    parse_fails("[a]\ncheck = {x} > 0\nevidence = e\n[a]\n", "line 4: claim 'a' defined twice (line 1)");
    parse_fails("[a b]\n", "letters, digits and '-' only");
    parse_fails("[a]\ncheck = {x} > 0\nevidence = e\noriginal = S1\n", "needs restated and verdict");
    parse_fails("[a]\ncheck = {x} > 0\nevidence = e\noriginal = S1\nrestated = r\nverdict = maybe\n",
                "unknown verdict 'maybe'");
    parse_fails("[a]\ncheck = {x} > 0\nevidence = e\noriginal = S1\nrestated = r\n"
                "verdict = not testable\n", "verdict 'not testable' needs untestable");
    parse_fails("[a]\ncheck = {x} > 0\nevidence = e\nverdict = refuted\n", "need original");
    parse_fails("# nothing\n", "no claim in it");
    parse_fails("[a]\nevidence = \n", "line 2: evidence is empty");
}
END_TEST

Suite *claims_suite(void);
Suite *claims_suite(void)
{
    Suite *s = suite_create("claims");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_claims_hold);
    tcase_add_test(tc, test_claims_flipped);
    tcase_add_test(tc, test_claims_absent_fact);
    tcase_add_test(tc, test_claims_faults);
    suite_add_tcase(s, tc);
    return s;
}
