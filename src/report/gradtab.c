/* gradtab.c - the gradient checks as a table and as facts (gradtab.h). */
#include "report/gradtab.h"

#include "report/facts.h"
#include "report/prose.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GRADTAB_HEADER "check,max_rel_error,bound,status"

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
                   "| check | max. relative error | bound | status |\n"
                   "|:----------|--------:|--------:|:------|\n");
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
        char *cell[4], *p = l;
        int k = 0;
        for (; k < 4 && p; k++) {
            cell[k] = p;
            p = strchr(p, ',');
            if (p)
                *p++ = '\0';
        }
        double e = NAN, b = NAN;
        if (k != 4 || p)
            rc = err_set(err, "gradcheck: '%s':%d: expected 4 cells", name, line);
        else if (!*cell[0] || !number(cell[1], &e) || !number(cell[2], &b) || b <= 0)
            rc = err_set(err, "gradcheck: '%s':%d: expected a check name and two numbers "
                              "(the bound positive)", name, line);
        if (rc)
            break;
        int ok = e < b && strcmp(cell[3], "pass") == 0;
        failed += !ok;
        worst = fmax(worst, e / b);
        rows++;
        fact_set(f, key_of("gradcheck:%s:max_rel_error", cell[0]).s, e);
        fact_set(f, key_of("gradcheck:%s:bound", cell[0]).s, b);
        buf_printf(md, "| %s | %.1e | %.0e | %s |\n", cell[0], e, b, ok ? "pass" : "**fail**");
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
