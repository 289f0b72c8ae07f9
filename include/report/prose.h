/* prose.h - numbers and names as the report prints them (no sentences: the
 * words are the write-up's own, in its Markdown).
 *
 * Conventions, the same in every table and value: accuracies in percent with
 * two decimals, losses with four, an sd with its mean's decimals, differences
 * signed with a true minus sign ("+0.12", "−7.31"); "−0.00" never appears. */
#ifndef PROSE_H
#define PROSE_H

#include "report/results.h"

#include <stddef.h>

#define NBSP "\xc2\xa0"
#define PM NBSP "\xc2\xb1" NBSP /* " ± " that never breaks */
#define EN_DASH "\xe2\x80\x93"  /* a table cell without a number */
#define MINUS "\xe2\x88\x92"    /* the minus sign of a negative number */

/* ---- numbers ------------------------------------------------------------- */

void fmt_pct(char *out, size_t size, double frac);           /* 0.9015 -> "90.15" */
void fmt_metric(char *out, size_t size, Metric m, double v); /* fmt_pct, or a loss "0.2731" */
void fmt_diff(char *out, size_t size, double points);        /* "+0.12", "−7.31", "0.00" */
/* "87.30 ± 0.41" (fmt_metric's decimals for both), or the mean alone when
 * fewer than two runs give it */
void fmt_pm(char *out, size_t size, Metric m, double mean, double sd, size_t n);
void fmt_count(char *out, size_t size, long v);              /* 60000 -> "60,000" */
/* "12.3 s" under two minutes, "45 min" under two hours, else "2.5 h";
 * NAN: "not recorded" */
void fmt_duration(char *out, size_t size, double seconds);

/* The separator before item i of a list of n: "", ", " or " and " (the
 * last), as in "0.1, 0.2 and 0.5". */
const char *list_sep(size_t i, size_t n);

#endif
