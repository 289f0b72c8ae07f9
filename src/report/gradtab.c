/* gradtab.c - the gradient checks as a table and as facts (gradtab.h). */
#include "report/gradtab.h"

#include "report/facts.h"
#include "report/prose.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GRADTAB_HEADER "check,gradient,parameters,relative_error,bound,status"
#define GRADTAB_COLS 6

static int number(const char *s, double *x)
{
    char *end;
    *x = strtod(s, &end);
    return end != s && !*end && isfinite(*x);
}

int gradtab_parse(const char *text, const char *name, Buf *md, Values *f, char *err)
{
    char *copy = strdup(text);
    if (!copy)
        return err_set(err, "gradcheck: out of memory");
    int line = 0, rows = 0, failed = 0, rc = 0;
    double worst = 0;
    buf_printf(md, "Table: Gradient checks of the built code: the largest relative "
                   "difference between the backward pass and central differences in double "
                   "precision, for each layer and loss, against its bound.\n\n"
                   "| check | gradient | parameters | relative error | bound | status |\n"
                   "|:----------|:--------------|----:|--------:|------:|:------|\n");
    char *save = NULL;
    for (char *l = strtok_r(copy, "\n", &save); l && rc == 0; l = strtok_r(NULL, "\n", &save)) {
        line++;
        size_t n = strlen(l);
        if (n && l[n - 1] == '\r')
            l[--n] = '\0';
        if (line == 1) {
            if (strcmp(l, GRADTAB_HEADER) != 0)
                rc = err_set(err, "gradcheck: '%s':1: expected the header '%s'", name,
                             GRADTAB_HEADER);
            continue;
        }
        /* cells split at commas; a quoted cell may hold commas ("" is a quote) */
        char *cell[GRADTAB_COLS], *p = l;
        int k = 0;
        while (k < GRADTAB_COLS && p) {
            if (*p == '"') {
                char *w = ++p, *r = p;
                cell[k++] = w;
                for (; *r && !(*r == '"' && r[1] != '"'); r++)
                    *w++ = *r == '"' ? *++r : *r;
                if (*r != '"') {
                    k = -1;
                    break;
                }
                *w = '\0';
                p = r[1] == ',' ? r + 2 : r[1] ? NULL : r + 1;
                if (!p) {
                    k = -1;
                    break;
                }
                if (!*p)
                    p = NULL;
                continue;
            }
            cell[k++] = p;
            p = strchr(p, ',');
            if (p)
                *p++ = '\0';
        }
        double e = NAN, b = NAN;
        if (k != GRADTAB_COLS || p)
            rc = err_set(err, "gradcheck: '%s':%d: expected %d cells", name, line, GRADTAB_COLS);
        else if (!*cell[0] || !number(cell[3], &e) || !number(cell[4], &b) || b <= 0)
            rc = err_set(err, "gradcheck: '%s':%d: expected a check name and two numbers "
                              "(the bound positive)", name, line);
        if (rc)
            break;
        int ok = e < b && strcmp(cell[5], "passed") == 0;
        failed += !ok;
        worst = fmax(worst, e / b);
        rows++;
        fact_set(f, key_of("gradcheck:%s:relative_error", cell[0]).s, e);
        fact_set(f, key_of("gradcheck:%s:bound", cell[0]).s, b);
        buf_printf(md, "| %s | `", cell[0]);
        for (const char *q = cell[1]; *q; q++) /* the formula as written, in a code span */
            buf_printf(md, "%s", *q == '`' || *q == '|' ? " " : (char[2]){*q, 0});
        buf_printf(md, "` | %s | %.1e | %.0e | %s |\n", cell[2], e, b,
                   ok ? "passed" : "**failed**");
    }
    free(copy);
    if (rc == 0 && !rows)
        rc = err_set(err, "gradcheck: '%s': no check in it", name);
    if (rc == 0) {
        fact_set(f, "gradcheck:checks", rows);
        fact_set(f, "gradcheck:failed", failed);
        fact_set(f, "gradcheck:worst_ratio", worst);
        if (md->failed || f->err[0])
            rc = err_set(err, "gradcheck: %s", f->err[0] ? f->err : "out of memory");
    }
    return rc;
}
