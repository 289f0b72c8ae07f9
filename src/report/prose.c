/* prose.c - numbers and sentences (prose.h). */
#include "report/prose.h"

#include <math.h>
#include <stdio.h>

/* ---- numbers ------------------------------------------------------------- */

/* Percent of a fraction, two decimals; "-0.00" never appears. */
void fmt_pct(char *out, size_t size, double frac)
{
    double x = 100.0 * frac;
    snprintf(out, size, "%.2f", fabs(x) < 0.005 ? 0.0 : x);
}

void fmt_metric(char *out, size_t size, Metric m, double v)
{
    if (metric_is_acc(m))
        fmt_pct(out, size, v);
    else
        snprintf(out, size, "%.4f", fabs(v) < 0.00005 ? 0.0 : v);
}

/* A signed difference in points: "+0.12", "-7.31", "0.00". */
void fmt_diff(char *out, size_t size, double points)
{
    if (fabs(points) < 0.005)
        snprintf(out, size, "0.00");
    else
        snprintf(out, size, "%+.2f", points);
}

/* An integer with thousands separators: 60000 -> "60,000". */
void fmt_count(char *out, size_t size, long v)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%ld", v < 0 ? -v : v);
    size_t k = 0;
    if (v < 0 && k + 1 < size)
        out[k++] = '-';
    for (int i = 0; i < n && k + 2 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = '\0';
}

void fmt_duration(char *out, size_t size, double seconds)
{
    if (isnan(seconds))
        snprintf(out, size, "not recorded");
    else if (seconds < 120.0)
        snprintf(out, size, "%.1f s", seconds);
    else if (seconds < 7200.0)
        snprintf(out, size, "%.0f min", seconds / 60.0);
    else
        snprintf(out, size, "%.1f h", seconds / 3600.0);
}

const char *list_sep(size_t i, size_t n)
{
    return i == 0 ? "" : i + 1 == n ? " and " : ", ";
}

/* ---- sentences ----------------------------------------------------------- */

static void range_text(char *out, size_t size, double lo, double hi)
{
    if (fabs(hi - lo) < 0.005)
        snprintf(out, size, "%.2f points", lo);
    else
        snprintf(out, size, "%.2f to %.2f points", lo, hi);
}

void compare_sentence(char *out, size_t size, const char *a, const char *b, const double *diff,
                      const double *spread, size_t n)
{
    size_t wins[2] = {0, 0}, ties = 0, total = 0;
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {0, 0}, tie_max = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(diff[i]))
            continue;
        total++;
        double d = fabs(diff[i]);
        if (d <= spread[i]) {
            ties++;
            tie_max = fmax(tie_max, d);
            continue;
        }
        int w = diff[i] > 0 ? 0 : 1;
        wins[w]++;
        lo[w] = fmin(lo[w], d);
        hi[w] = fmax(hi[w], d);
    }
    if (total == 0) {
        snprintf(out, size, "%s and %s could not be compared: no pairing has results", a, b);
        return;
    }
    char range[64];
    const char *pairings = total == 1 ? "pairing" : "pairings";
    if (ties == total) {
        if (total == 1)
            snprintf(out, size,
                     "the difference between %s and %s (%.2f points) is within the "
                     "seed-to-seed spread, so neither is ahead",
                     a, b, tie_max);
        else
            snprintf(out, size,
                     "in all %zu pairings the difference between %s and %s (at most %.2f "
                     "points) is within the seed-to-seed spread, so neither is ahead",
                     total, a, b, tie_max);
        return;
    }
    size_t len = 0;
    for (int w = 0; w < 2; w++) {
        if (!wins[w])
            continue;
        range_text(range, sizeof range, lo[w], hi[w]);
        const char *x = w ? b : a, *y = w ? a : b;
        int k;
        if (len == 0 && wins[w] == total)
            k = total == 1 ? snprintf(out, size, "%s beat %s, by %s", x, y, range)
                           : snprintf(out, size, "%s beat %s in all %zu %s, by %s", x, y, total,
                                      pairings, range);
        else if (len == 0)
            k = snprintf(out, size, "%s beat %s in %zu of %zu %s, by %s", x, y, wins[w], total,
                         pairings, range);
        else
            k = snprintf(out + len, size - len, "; %s beat %s in %zu, by %s", x, y, wins[w],
                         range);
        if (k > 0)
            len += (size_t)k;
        if (len >= size)
            len = size - 1;
    }
    if (ties == 1)
        snprintf(out + len, size - len,
                 "; in the remaining pairing the difference (%.2f points) is within the "
                 "seed-to-seed spread",
                 tie_max);
    else if (ties)
        snprintf(out + len, size - len,
                 "; in the remaining %zu the difference (at most %.2f points) is within the "
                 "seed-to-seed spread",
                 ties, tie_max);
}

void compare_by_pairing(char *out, size_t size, const char *a, const char *b,
                        const char *const *label, const double *diff, const double *spread,
                        size_t n)
{
    size_t len = 0, total = 0;
    out[0] = '\0';
#define PUT(...)                                                                       \
    do {                                                                               \
        int k_ = snprintf(out + len, size - len, __VA_ARGS__);                         \
        len = k_ < 0 ? len : len + (size_t)k_ >= size ? size - 1 : len + (size_t)k_; \
    } while (0)
    for (size_t i = 0; i < n; i++)
        total += !isnan(diff[i]);
    if (total == 0) {
        PUT("%s and %s could not be compared: no pairing has results", a, b);
        return;
    }
    /* the winners first (a, then b), each with the pairings it won in order;
     * then the pairings within the seed-to-seed spread */
    for (int w = 0; w < 3; w++) {
        size_t k = 0, count = 0;
        for (size_t i = 0; i < n; i++)
            count += !isnan(diff[i]) && (w == 2 ? fabs(diff[i]) <= spread[i]
                                                : fabs(diff[i]) > spread[i] &&
                                                      (diff[i] > 0) == (w == 0));
        if (!count)
            continue;
        if (len)
            PUT("; ");
        if (w < 2)
            PUT("%s is ahead", w ? b : a);
        else
            PUT("the two are within the seed-to-seed spread");
        for (size_t i = 0; i < n; i++) {
            int in = !isnan(diff[i]) && (w == 2 ? fabs(diff[i]) <= spread[i]
                                                : fabs(diff[i]) > spread[i] &&
                                                      (diff[i] > 0) == (w == 0));
            if (!in)
                continue;
            const char *sep = k == 0 ? " " : k + 1 == count ? " and " : ", ";
            double d = fabs(diff[i]);
            int dec = d < 1.0 ? 2 : 1; /* small differences keep their second decimal */
            if (total == 1)
                PUT(" by %.*f points", dec, d);
            else
                PUT("%swith %s (%s%.*f%s)", sep, label[i], k == 0 && w < 2 ? "by " : "", dec, d,
                    k == 0 ? " points" : "");
            k++;
        }
    }
#undef PUT
}
