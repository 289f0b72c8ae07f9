/* claims.h - the report's claims: each statement of the write-up that
 * depends on the results, defined once in a claims file (report/claims.conf)
 * as a check over the facts (facts.h) and its evidence, evaluated at every
 * build.
 *
 * The file: '#' starts a comment line; "[name]" opens a claim (name: letters,
 * digits, '-'; unique); then "key = value" lines:
 *   check = EXPR         the condition; the claim holds when it is true
 *   untestable = REASON  instead of check: nothing run here can decide it
 *   evidence = REFS      where a reader sees it: "tab:NAME fig:NAME ..." (the
 *                        write-up's table and figure names), required
 *   original = ID        the original write-up's conclusion it answers (S1,
 *                        M9b, ...), and then
 *   restated = TEXT      that conclusion in the report's words, and
 *   verdict = V          "supported", "refuted" or "not testable" (this last
 *                        with untestable, the others with check)
 *   finding = TEXT       optional: what the report finds, for the verdicts'
 *                        table
 * EXPR: numbers; facts as {key}; ( ); + - * /; < <= > >= == !=; and, or,
 * not; abs(x), sqrt(x), min(x, y), max(x, y), hypot(x, y). A check must cite a fact (a check of
 * constants cannot fail: declare the claim untestable instead).
 *
 * Outcomes: HOLDS, FAILS, UNTESTABLE (declared, or a fact it cites is absent
 * from this dataset's results). */
#ifndef CLAIMS_H
#define CLAIMS_H

#include "err.h"
#include "report/values.h"

#include <stddef.h>

#define CLAIM_NAME_MAX 64
#define CLAIM_TEXT_MAX 1024

typedef enum { CLAIM_HOLDS, CLAIM_FAILS, CLAIM_UNTESTABLE } ClaimOutcome;

typedef struct {
    char name[CLAIM_NAME_MAX];
    int line; /* of its "[name]" */
    char check[CLAIM_TEXT_MAX], untestable[CLAIM_TEXT_MAX], evidence[CLAIM_TEXT_MAX];
    char original[16], restated[CLAIM_TEXT_MAX], verdict[16], finding[CLAIM_TEXT_MAX];
    /* after claims_eval */
    ClaimOutcome outcome;
    char numbers[CLAIM_TEXT_MAX]; /* "key = 1.23; key = 4.5", each cited fact */
    char reason[CLAIM_TEXT_MAX];  /* why untestable */
} Claim;

typedef struct {
    char path[1024];
    Claim *c;
    size_t n;
} Claims;

/* Parses the claims file at path (text: its contents). Every fault is an
 * error naming the file and line: an unknown key, a claim without evidence,
 * with both or neither of check and untestable, a check that does not parse
 * or cites no fact, a verdict that contradicts it. Returns 0, or -1 with err. */
int claims_parse(Claims *cl, const char *path, const char *text, char *err);
int claims_load(Claims *cl, const char *path, char *err);
void claims_release(Claims *cl);

/* Evaluates every claim over the facts (looked up in f, then in t; t may be
 * NULL). Returns the number of claims that do not hold (FAILS). */
size_t claims_eval(Claims *cl, const Values *f, const Values *t);

/* The first claim that does not hold, as a one-line error into err:
 * "claims: 'FILE' line N: claim 'NAME' does not hold: CHECK (NUMBERS)".
 * Returns -1 when there is one, else 0. */
int claims_strict(const Claims *cl, char *err);

/* claim:NAME:outcome, :numbers, :reason, :no (its number, "C7"), :evidence
 * into v. */
void claims_values(const Claims *cl, Values *v);

/* Markdown: every claim as a list item with its check, outcome, numbers and
 * evidence (the appendix; a list, since the checks do not fit a table's
 * columns), and the table of the verdicts on the original's conclusions
 * (claims with original) with its caption. Heap texts (NULL when out of
 * memory). */
char *claims_table(const Claims *cl);
char *claims_verdicts_table(const Claims *cl);

#endif
