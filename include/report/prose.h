/* prose.h - numbers and sentences as the report prints them.
 *
 * Conventions: accuracies in percent with two decimals, losses with four,
 * differences signed ("+0.12", "-7.31"); "-0.00" never appears. A difference
 * is "resolved" when it exceeds its pairing's spread (twice the larger of the
 * two standard deviations over seeds); otherwise the sentences say it is
 * within the seed-to-seed spread and name no winner. */
#ifndef PROSE_H
#define PROSE_H

#include "report/results.h"

#include <stddef.h>

#define NBSP "\xc2\xa0"
#define PM NBSP "\xc2\xb1" NBSP /* " ± " that never breaks */
#define EN_DASH "\xe2\x80\x93"  /* a table cell without a number */

/* ---- numbers ------------------------------------------------------------- */

void fmt_pct(char *out, size_t size, double frac);           /* 0.9015 -> "90.15" */
void fmt_metric(char *out, size_t size, Metric m, double v); /* fmt_pct, or a loss "0.2731" */
void fmt_diff(char *out, size_t size, double points);        /* "+0.12", "-7.31", "0.00" */
void fmt_count(char *out, size_t size, long v);              /* 60000 -> "60,000" */
/* "12.3 s" under two minutes, "45 min" under two hours, else "2.5 h";
 * NAN: "not recorded" */
void fmt_duration(char *out, size_t size, double seconds);

/* The separator before item i of a list of n: "", ", " or " and " (the
 * last), as in "0.1, 0.2 and 0.5". */
const char *list_sep(size_t i, size_t n);

/* ---- sentences ----------------------------------------------------------- */

/* Compares a and b over n pairings: diff[i] = a - b (points), spread[i] the
 * pairing's threshold (twice the larger std). Writes e.g. "ReLU beat Sigmoid
 * in all 4 pairings, by 2.10 to 18.40 points" or, where differences are not
 * resolved, says they are within the seed-to-seed spread. Pairings with a NaN
 * difference are skipped; with none left it says so. */
void compare_sentence(char *out, size_t size, const char *a, const char *b, const double *diff,
                      const double *spread, size_t n);

/* The same comparison named pairing by pairing, so that an interaction shows:
 * "cross-entropy is ahead with one hidden layer and ReLU (by 1.2 points) and
 * with two hidden layers and ReLU (0.8); the Euclidean loss is ahead with one
 * hidden layer and sigmoid (by 9.8 points)". label[i] says what pairing i's
 * two networks share. One pairing: "a is ahead by 1.2 points". */
void compare_by_pairing(char *out, size_t size, const char *a, const char *b,
                        const char *const *label, const double *diff, const double *spread,
                        size_t n);

#endif
