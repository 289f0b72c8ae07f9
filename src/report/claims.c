/* claims.c - the report's claims, parsed and checked over the facts
 * (claims.h). */
#include "report/claims.h"

#include "report/buf.h"
#include "report/facts.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the expression --------------------------------------------------------- */

/* One evaluation (or, with f NULL, a parse only). */
typedef struct {
    const char *p;         /* next character */
    const Values *f, *t;   /* the facts; f NULL: parse only */
    int facts;             /* facts cited */
    int absent;            /* a cited fact is absent */
    char missing[VALUES_KEY_MAX];
    Buf numbers;           /* "key = x; ..." */
    char err[ERR_MAX];     /* a syntax error, "" while none */
} Eval;

static double parse_or(Eval *e);

static void skip(Eval *e)
{
    while (*e->p == ' ' || *e->p == '\t')
        e->p++;
}

static int syntax(Eval *e, const char *what)
{
    if (!e->err[0])
        snprintf(e->err, sizeof e->err, "%s at '%.20s'", what, *e->p ? e->p : "end of check");
    return 0;
}

/* Whether the next token is the word w (letters only), consumed if so. */
static int word(Eval *e, const char *w)
{
    skip(e);
    size_t n = strlen(w);
    if (strncmp(e->p, w, n) == 0 && !isalnum((unsigned char)e->p[n]) && e->p[n] != '_') {
        e->p += n;
        return 1;
    }
    return 0;
}

static int sym(Eval *e, const char *s)
{
    skip(e);
    size_t n = strlen(s);
    if (strncmp(e->p, s, n) == 0) {
        e->p += n;
        return 1;
    }
    return 0;
}

static double fact(Eval *e)
{
    const char *end = strchr(e->p, '}');
    if (!end || end == e->p || (size_t)(end - e->p) >= VALUES_KEY_MAX)
        return syntax(e, "a fact is {key}"), NAN;
    char key[VALUES_KEY_MAX];
    memcpy(key, e->p, (size_t)(end - e->p));
    key[end - e->p] = '\0';
    e->p = end + 1;
    e->facts++;
    if (!e->f)
        return 0.0;
    double x = fact_get(e->f, key);
    if (isnan(x) && e->t)
        x = fact_get(e->t, key);
    if (isnan(x)) {
        if (!e->absent)
            snprintf(e->missing, sizeof e->missing, "%s", key);
        e->absent = 1;
        return NAN;
    }
    /* each fact once, in the order the check cites them */
    char item[VALUES_KEY_MAX + 4];
    snprintf(item, sizeof item, "%s = ", key);
    const char *seen = e->numbers.p ? strstr(e->numbers.p, item) : NULL;
    if (!seen || (seen != e->numbers.p && seen[-1] != ' '))
        buf_printf(&e->numbers, "%s%s = %.4g", e->numbers.p && e->numbers.p[0] ? "; " : "", key,
                   x);
    return x;
}

static double parse_sum(Eval *e);

static double parse_atom(Eval *e)
{
    skip(e);
    if (*e->p == '{') {
        e->p++;
        return fact(e);
    }
    if (*e->p == '(') {
        e->p++;
        double x = parse_or(e);
        if (!sym(e, ")"))
            syntax(e, "expected ')'");
        return x;
    }
    static const char *const FN[] = {"abs", "sqrt", "min", "max", "hypot"};
    for (int k = 0; k < 5; k++)
        if (word(e, FN[k])) {
            if (!sym(e, "("))
                return syntax(e, "expected '('"), NAN;
            double x = parse_sum(e), y = 0;
            if (k > 1) {
                if (!sym(e, ","))
                    return syntax(e, "expected ','"), NAN;
                y = parse_sum(e);
            }
            if (!sym(e, ")"))
                return syntax(e, "expected ')'"), NAN;
            return k == 0 ? fabs(x) : k == 1 ? sqrt(x) : k == 2 ? fmin(x, y)
                 : k == 3 ? fmax(x, y) : hypot(x, y);
        }
    char *end;
    double x = strtod(e->p, &end);
    if (end == e->p || !(isdigit((unsigned char)*e->p) || *e->p == '.'))
        return syntax(e, "expected a number, {fact}, '(' or a function"), NAN;
    e->p = end;
    return x;
}

static double parse_unary(Eval *e)
{
    if (sym(e, "-"))
        return -parse_unary(e);
    return parse_atom(e);
}

static double parse_prod(Eval *e)
{
    double x = parse_unary(e);
    for (;;) {
        if (sym(e, "*"))
            x *= parse_unary(e);
        else if (sym(e, "/"))
            x /= parse_unary(e);
        else
            return x;
    }
}

static double parse_sum(Eval *e)
{
    double x = parse_prod(e);
    for (;;) {
        if (sym(e, "+"))
            x += parse_prod(e);
        else if (sym(e, "-"))
            x -= parse_prod(e);
        else
            return x;
    }
}

static double parse_cmp(Eval *e)
{
    if (word(e, "not"))
        return parse_cmp(e) == 0.0;
    double x = parse_sum(e);
    static const char *const OP[] = {"<=", ">=", "==", "!=", "<", ">"};
    for (int k = 0; k < 6; k++)
        if (sym(e, OP[k])) {
            double y = parse_sum(e);
            switch (k) {
            case 0: return x <= y;
            case 1: return x >= y;
            case 2: return x == y;
            case 3: return x != y;
            case 4: return x < y;
            default: return x > y;
            }
        }
    return x;
}

static double parse_and(Eval *e)
{
    double x = parse_cmp(e);
    while (word(e, "and")) {
        double y = parse_cmp(e);
        x = (x != 0.0) && (y != 0.0);
    }
    return x;
}

static double parse_or(Eval *e)
{
    double x = parse_and(e);
    while (word(e, "or")) {
        double y = parse_and(e);
        x = (x != 0.0) || (y != 0.0);
    }
    return x;
}

/* Evaluates text; returns the value (NAN with e->err or e->absent). */
static double eval_text(Eval *e, const char *text)
{
    e->p = text;
    double x = parse_or(e);
    skip(e);
    if (!e->err[0] && *e->p)
        syntax(e, "unexpected text");
    return x;
}

/* ---- the file ----------------------------------------------------------------- */

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

static int set_field(char *dst, size_t size, const char *value, const Claims *cl, int line,
                     const char *key, char *err)
{
    if (dst[0])
        return err_set(err, "claims: '%s' line %d: %s given twice", cl->path, line, key);
    if (strlen(value) >= size)
        return err_set(err, "claims: '%s' line %d: %s too long", cl->path, line, key);
    strcpy(dst, value);
    return 0;
}

/* The checks of a complete claim. */
static int claim_finish(const Claims *cl, const Claim *c, char *err)
{
    const char *f = cl->path;
    if (!c->evidence[0])
        return err_set(err, "claims: '%s' line %d: claim '%s' has no evidence", f, c->line,
                       c->name);
    if (!c->check[0] == !c->untestable[0])
        return err_set(err, "claims: '%s' line %d: claim '%s' needs check or untestable, not %s",
                       f, c->line, c->name, c->check[0] ? "both" : "neither");
    if (c->check[0]) {
        Eval e;
        memset(&e, 0, sizeof e);
        eval_text(&e, c->check);
        free(e.numbers.p);
        if (e.err[0])
            return err_set(err, "claims: '%s' line %d: claim '%s': check: %s", f, c->line,
                           c->name, e.err);
        if (!e.facts)
            return err_set(err,
                           "claims: '%s' line %d: claim '%s': check cites no fact, so it cannot "
                           "fail (declare it untestable)",
                           f, c->line, c->name);
    }
    if (c->original[0]) {
        if (!c->restated[0] || !c->verdict[0])
            return err_set(err, "claims: '%s' line %d: claim '%s' answers %s: it needs restated "
                                "and verdict", f, c->line, c->name, c->original);
        int untestable = strcmp(c->verdict, "not testable") == 0;
        if (!untestable && strcmp(c->verdict, "supported") && strcmp(c->verdict, "refuted"))
            return err_set(err, "claims: '%s' line %d: claim '%s': unknown verdict '%s'", f,
                           c->line, c->name, c->verdict);
        if (untestable != !!c->untestable[0])
            return err_set(err, "claims: '%s' line %d: claim '%s': verdict '%s' needs %s", f,
                           c->line, c->name, c->verdict, untestable ? "untestable" : "a check");
    } else if (c->restated[0] || c->verdict[0]) {
        return err_set(err, "claims: '%s' line %d: claim '%s': restated and verdict need original",
                       f, c->line, c->name);
    }
    return 0;
}

int claims_parse(Claims *cl, const char *path, const char *text, char *err)
{
    memset(cl, 0, sizeof *cl);
    snprintf(cl->path, sizeof cl->path, "%s", path);
    size_t cap = 0;
    int line = 0;
    const char *s = text;
    while (*s) {
        line++;
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        char buf[2 * CLAIM_TEXT_MAX];
        if (len >= sizeof buf) {
            claims_release(cl);
            return err_set(err, "claims: '%s' line %d: line too long", path, line);
        }
        memcpy(buf, s, len);
        buf[len] = '\0';
        s = nl ? nl + 1 : s + len;
        char *l = trim(buf);
        if (!*l || *l == '#')
            continue;
        if (*l == '[') {
            size_t n = strlen(l);
            if (l[n - 1] != ']' || n < 3 || n - 2 >= CLAIM_NAME_MAX) {
                claims_release(cl);
                return err_set(err, "claims: '%s' line %d: expected [name]", path, line);
            }
            l[n - 1] = '\0';
            for (char *q = l + 1; *q; q++)
                if (!isalnum((unsigned char)*q) && *q != '-') {
                    claims_release(cl);
                    return err_set(err, "claims: '%s' line %d: claim name '%s': letters, digits "
                                        "and '-' only", path, line, l + 1);
                }
            for (size_t i = 0; i < cl->n; i++)
                if (strcmp(cl->c[i].name, l + 1) == 0) {
                    int first = cl->c[i].line;
                    claims_release(cl);
                    return err_set(err, "claims: '%s' line %d: claim '%s' defined twice (line %d)",
                                   path, line, l + 1, first);
                }
            if (cl->n && claim_finish(cl, &cl->c[cl->n - 1], err) != 0) {
                claims_release(cl);
                return -1;
            }
            if (cl->n == cap) {
                cap = cap ? 2 * cap : 32;
                Claim *c = realloc(cl->c, cap * sizeof *c);
                if (!c) {
                    claims_release(cl);
                    return err_set(err, "claims: out of memory");
                }
                cl->c = c;
            }
            memset(&cl->c[cl->n], 0, sizeof cl->c[cl->n]);
            snprintf(cl->c[cl->n].name, CLAIM_NAME_MAX, "%s", l + 1);
            cl->c[cl->n].line = line;
            cl->n++;
            continue;
        }
        char *eq = strchr(l, '=');
        if (!eq || !cl->n) {
            claims_release(cl);
            return err_set(err, "claims: '%s' line %d: expected %s", path, line,
                           cl->n ? "key = value" : "[name] first");
        }
        *eq = '\0';
        char *key = trim(l), *value = trim(eq + 1);
        Claim *c = &cl->c[cl->n - 1];
        struct {
            const char *key;
            char *dst;
            size_t size;
        } F[] = {{"check", c->check, sizeof c->check},
                 {"untestable", c->untestable, sizeof c->untestable},
                 {"evidence", c->evidence, sizeof c->evidence},
                 {"original", c->original, sizeof c->original},
                 {"restated", c->restated, sizeof c->restated},
                 {"verdict", c->verdict, sizeof c->verdict},
                 {"finding", c->finding, sizeof c->finding}};
        size_t k = 0;
        while (k < sizeof F / sizeof F[0] && strcmp(F[k].key, key) != 0)
            k++;
        if (k == sizeof F / sizeof F[0]) {
            claims_release(cl);
            return err_set(err, "claims: '%s' line %d: unknown key '%s'", path, line, key);
        }
        if (!*value || set_field(F[k].dst, F[k].size, value, cl, line, key, err) != 0) {
            if (!*value)
                err_set(err, "claims: '%s' line %d: %s is empty", path, line, key);
            claims_release(cl);
            return -1;
        }
        /* the ID's own character set, for the table */
        if (k == 3)
            for (char *q = c->original; *q; q++)
                if (!isalnum((unsigned char)*q)) {
                    err_set(err, "claims: '%s' line %d: original '%s': letters and digits", path,
                            line, c->original);
                    claims_release(cl);
                    return -1;
                }
    }
    if (cl->n && claim_finish(cl, &cl->c[cl->n - 1], err) != 0) {
        claims_release(cl);
        return -1;
    }
    if (!cl->n)
        return err_set(err, "claims: '%s': no claim in it", path);
    return 0;
}

int claims_load(Claims *cl, const char *path, char *err)
{
    char *text = buf_read_file(path, err);
    if (!text)
        return -1;
    int rc = claims_parse(cl, path, text, err);
    free(text);
    return rc;
}

void claims_release(Claims *cl)
{
    free(cl->c);
    cl->c = NULL;
    cl->n = 0;
}

/* ---- evaluation ---------------------------------------------------------------- */

size_t claims_eval(Claims *cl, const Values *f, const Values *t)
{
    size_t fails = 0;
    for (size_t i = 0; i < cl->n; i++) {
        Claim *c = &cl->c[i];
        c->numbers[0] = c->reason[0] = '\0';
        if (c->untestable[0]) {
            c->outcome = CLAIM_UNTESTABLE;
            snprintf(c->reason, sizeof c->reason, "%s", c->untestable);
            continue;
        }
        Eval e;
        memset(&e, 0, sizeof e);
        e.f = f;
        e.t = t;
        double x = eval_text(&e, c->check);
        snprintf(c->numbers, sizeof c->numbers, "%s", e.numbers.p ? e.numbers.p : "");
        free(e.numbers.p);
        if (e.absent) {
            c->outcome = CLAIM_UNTESTABLE;
            snprintf(c->reason, sizeof c->reason, "no result for %s in this build", e.missing);
        } else if (x != 0.0 && !isnan(x)) {
            c->outcome = CLAIM_HOLDS;
        } else {
            c->outcome = CLAIM_FAILS;
            fails++;
        }
    }
    return fails;
}

int claims_strict(const Claims *cl, char *err)
{
    for (size_t i = 0; i < cl->n; i++) {
        const Claim *c = &cl->c[i];
        if (c->outcome == CLAIM_FAILS)
            return err_set(err, "claims: '%s' line %d: claim '%s' does not hold: %s (%s)",
                           cl->path, c->line, c->name, c->check, c->numbers);
        if (c->outcome == CLAIM_UNTESTABLE && c->check[0])
            return err_set(err, "claims: '%s' line %d: claim '%s' cannot be checked: %s",
                           cl->path, c->line, c->name, c->reason);
    }
    return 0;
}

/* "holds", "does not hold", "not testable". */
static const char *claim_outcome_name(ClaimOutcome o)
{
    return o == CLAIM_HOLDS ? "holds" : o == CLAIM_FAILS ? "does not hold" : "not testable";
}

/* The claim's evidence as the write-up's references: "tab:x fig:y" ->
 * "{{tab:x}}, {{fig:y}}" (the report's filter makes them links). */
static void evidence_refs(const Claim *c, Buf *b)
{
    char copy[CLAIM_TEXT_MAX];
    snprintf(copy, sizeof copy, "%s", c->evidence);
    int k = 0;
    for (char *tok = strtok(copy, " "); tok; tok = strtok(NULL, " "))
        if (strncmp(tok, "tab:", 4) == 0 || strncmp(tok, "fig:", 4) == 0)
            buf_printf(b, "%s{{%s}}", k++ ? ", " : "", tok);
        else
            buf_printf(b, "%s%s", k++ ? ", " : "", tok);
}

void claims_values(const Claims *cl, Values *v)
{
    for (size_t i = 0; i < cl->n; i++) {
        const Claim *c = &cl->c[i];
        values_set(v, key_of("claim:%s:no", c->name).s, "C%zu", i + 1);
        values_set(v, key_of("claim:%s:outcome", c->name).s, "%s", claim_outcome_name(c->outcome));
        if (c->numbers[0])
            values_set(v, key_of("claim:%s:numbers", c->name).s, "%s", c->numbers);
        if (c->reason[0])
            values_set(v, key_of("claim:%s:reason", c->name).s, "%s", c->reason);
    }
}

/* A table cell: no '|' or newline. */
static void cell(Buf *b, const char *s)
{
    for (; *s; s++)
        buf_printf(b, "%s", *s == '|' ? "\\|" : (char[2]){*s, 0});
}

char *claims_table(const Claims *cl)
{
    Buf b = {0};
    for (size_t i = 0; i < cl->n; i++) {
        const Claim *c = &cl->c[i];
        buf_printf(&b, "- **C%zu** `%s`: ", i + 1, c->name);
        if (c->outcome == CLAIM_UNTESTABLE) {
            buf_printf(&b, "not testable: %s", c->reason);
            if (c->check[0])
                buf_printf(&b, ". Check: `%s`", c->check);
        } else {
            buf_printf(&b, "%s. Check: `%s`", c->outcome == CLAIM_HOLDS ? "holds"
                                                                      : "**does not hold**",
                       c->check);
            if (c->numbers[0])
                buf_printf(&b, ", with `%s`", c->numbers);
        }
        buf_printf(&b, ".");
        if (c->evidence[0] && strcmp(c->evidence, "none") != 0) {
            buf_printf(&b, " Evidence: ");
            evidence_refs(c, &b);
            buf_printf(&b, ".");
        }
        buf_printf(&b, "\n");
    }
    if (b.failed) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

/* The original's IDs in its order: the letter's group (S before M), the
 * number, then a suffix ("M9" < "M9b" < "M10"). */
static int id_cmp(const char *a, const char *b)
{
    if (a[0] != b[0])
        return a[0] == 'S' ? -1 : b[0] == 'S' ? 1 : a[0] - b[0];
    char *ea, *eb;
    long na = strtol(a + 1, &ea, 10), nb = strtol(b + 1, &eb, 10);
    if (na != nb)
        return na < nb ? -1 : 1;
    return strcmp(ea, eb);
}

char *claims_verdicts_table(const Claims *cl)
{
    Buf b = {0};
    size_t *order = malloc((cl->n ? cl->n : 1) * sizeof *order);
    if (!order)
        return NULL;
    for (size_t i = 0; i < cl->n; i++)
        order[i] = i;
    for (size_t i = 1; i < cl->n; i++) /* insertion sort, stable */
        for (size_t j = i; j > 0 && id_cmp(cl->c[order[j - 1]].original,
                                           cl->c[order[j]].original) > 0; j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    buf_printf(&b, "| | the original concludes | verdict | evidence |\n"
                   "|:--|:------------|:------------|:--|\n");
    for (size_t k = 0; k < cl->n; k++) {
        size_t i = order[k];
        const Claim *c = &cl->c[i];
        if (!c->original[0])
            continue;
        buf_printf(&b, "| %s | ", c->original);
        cell(&b, c->restated);
        buf_printf(&b, " | **%s**", c->verdict);
        if (c->outcome == CLAIM_FAILS)
            buf_printf(&b, ", *not confirmed on this dataset*: C%zu does not hold", i + 1);
        else if (c->finding[0]) {
            buf_printf(&b, ": ");
            cell(&b, c->finding);
        }
        if (c->outcome == CLAIM_UNTESTABLE && c->check[0]) {
            buf_printf(&b, " (not testable here: ");
            cell(&b, c->reason);
            buf_printf(&b, ")");
        } else if (c->outcome == CLAIM_UNTESTABLE) {
            buf_printf(&b, ": ");
            cell(&b, c->reason);
        }
        buf_printf(&b, " | C%zu", i + 1);
        if (c->evidence[0] && strcmp(c->evidence, "none") != 0) {
            buf_printf(&b, ", ");
            evidence_refs(c, &b);
        }
        buf_printf(&b, " |\n");
    }
    buf_printf(&b, "\n: The original write-up's conclusions, in our words, and our verdict on "
                   "each (C: the claim that checks it).\n");
    free(order);
    if (b.failed) {
        free(b.p);
        return NULL;
    }
    return b.p;
}
