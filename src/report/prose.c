/* prose.c - numbers and sentences (prose.h). */
#include "report/prose.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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
        snprintf(out, size, "%s%.2f", points < 0 ? MINUS : "+", fabs(points));
}

void fmt_pm(char *out, size_t size, Metric m, double mean, double sd, size_t n)
{
    char a[32], b[32];
    fmt_metric(a, sizeof a, m, mean);
    if (n < 2 || isnan(sd)) {
        snprintf(out, size, "%s", a);
        return;
    }
    fmt_metric(b, sizeof b, m, sd);
    snprintf(out, size, "%s" PM "%s", a, b);
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
