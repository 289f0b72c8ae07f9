/* The fidelity account of include/report/fidelity.h. */
#include "report/fidelity.h"

#include "display.h"
#include "atomic.h"
#include "report/buf.h"
#include "report/facts.h"
#include "report/prose.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* The text of t, or NULL (t released) when an append failed. */
static char *text_take(Buf *t)
{
    if (t->failed || !t->p) {
        free(t->p);
        return NULL;
    }
    return t->p;
}

/* Half a unit of the last printed digit: "90.22" -> 0.005, "90" -> 0.5. */
static double half_unit(const char *cell)
{
    const char *dot = strchr(cell, '.');
    int decimals = dot ? (int)strlen(dot + 1) : 0;
    return 0.5 * pow(10.0, -decimals);
}

/* A cell reference_load has checked: empty (NAN) or a number. */
static double cell_value(const char *cell)
{
    return *cell ? strtod(cell, NULL) : NAN;
}

/* ---- our runs -------------------------------------------------------------- */

typedef struct {
    const StudyResults *s; /* NULL: no match */
    size_t g;
} Match;

static Match match_row(const RefRow *row, const StudiesConf *conf, const StudyResults *studies,
                       size_t n)
{
    Match m = {NULL, 0};
    Reference one;
    memset(&one, 0, sizeof one);
    one.rows = (RefRow *)row;
    one.n = 1;
    for (size_t i = 0; i < n; i++) {
        const StudyResults *s = &studies[i];
        char buf[STUDY_NAME_MAX + 16];
        const char *table = studies_table(conf, &one, experiment_study(s->exp), buf, sizeof buf);
        if (!table || s->n_runs == 0)
            continue;
        for (size_t g = 0; g < s->n_groups; g++) {
            const RunConfig *c = &study_run(s, g, 0)->config;
            /* the original's code: the homework's batching, and for the
             * softmax its own loss and gradient */
            if (c->protocol != PROTOCOL_HOMEWORK || (c->model == MODEL_SOFTMAX && !c->as_reported))
                continue;
            if (reference_match(&one, table, c)) {
                m.s = s;
                m.g = g;
                return m;
            }
        }
    }
    return m;
}

/* The metric behind a reference column for a model, or -1; *alt receives the
 * other training figure for FIDELITY_QUANTITY, or -1. */
static int metric_of(ModelKind model, const char *col, int *alt)
{
    *alt = -1;
    int sm = model == MODEL_SOFTMAX;
    if (strcmp(col, "train_loss") == 0) {
        *alt = sm ? METRIC_TRAIN_LOSS : METRIC_LAST_BATCH_LOSS;
        return sm ? METRIC_LAST_BATCH_LOSS : METRIC_TRAIN_LOSS;
    }
    if (strcmp(col, "train_acc") == 0) {
        *alt = sm ? METRIC_TRAIN_ACC : METRIC_LAST_BATCH_ACC;
        return sm ? METRIC_LAST_BATCH_ACC : METRIC_TRAIN_ACC;
    }
    for (int m = 0; m < METRIC_COUNT; m++)
        if (strcmp(metric_name((Metric)m), col) == 0)
            return metric_absent(model, (Metric)m) ? -1 : m;
    return -1;
}

static const char *metric_text(Metric m)
{
    switch (m) {
    case METRIC_TRAIN_LOSS:
    case METRIC_TRAIN_ACC:
        return "the mean over the last epoch";
    case METRIC_LAST_BATCH_LOSS:
    case METRIC_LAST_BATCH_ACC:
        return "the last minibatch";
    case METRIC_FULL_TRAIN_LOSS:
    case METRIC_FULL_TRAIN_ACC:
        return "the whole training set";
    case METRIC_VAL_LOSS:
    case METRIC_VAL_ACC:
        return "the validation set";
    case METRIC_TEST_LOSS:
    case METRIC_TEST_ACC:
        return "the test set";
    case METRIC_WEIGHT_NORM_1:
    case METRIC_WEIGHT_NORM_2:
    case METRIC_WEIGHT_NORM_3:
    case METRIC_COUNT:
        break;
    }
    return "?";
}

typedef struct {
    double mean, sd, lo, hi;
    size_t n;
    int open; /* the interval cannot fail */
} Interval;

void fidelity_interval(const StudyResults *s, size_t g, Metric m, double *mean, double *sd,
                       size_t *n, double *lo, double *hi, int *open)
{
    *lo = *hi = NAN;
    *open = 0;
    study_group_stats(s, g, m, mean, sd, n);
    if (*n == 0)
        return;
    int acc = metric_is_acc(m);
    double scale = acc ? 100.0 : 1.0;
    *mean *= scale;
    *sd *= scale;
    if (*n < 2)
        return;
    double half = gsl_cdf_tdist_Pinv(FIDELITY_LEVEL, (double)(*n - 1)) * *sd *
                  sqrt(1.0 + 1.0 / (double)*n);
    *lo = *mean - half;
    *hi = *mean + half;
    *open = *lo <= 0.0 || (acc && (*hi >= 100.0 || *hi - *lo > FIDELITY_MAX_WIDTH));
    if (acc) { /* an accuracy lies in 0..100 % */
        *lo = fmax(*lo, 0.0);
        *hi = fmin(*hi, 100.0);
    }
}

int fidelity_agrees(double lo, double hi, const char *printed)
{
    double v = cell_value(printed), slack = half_unit(printed);
    return !isnan(v) && !isnan(lo) && v + slack >= lo && v - slack <= hi;
}

static Interval interval_of(const StudyResults *s, size_t g, Metric m)
{
    Interval iv;
    fidelity_interval(s, g, m, &iv.mean, &iv.sd, &iv.n, &iv.lo, &iv.hi, &iv.open);
    return iv;
}

/* ---- the account ------------------------------------------------------------ */

static int is_setting(const Reference *ref, int col)
{
    for (int i = 0; i < REF_SETTINGS; i++)
        if (ref->setting_col[i] == col)
            return 1;
    return 0;
}

/* One reference row: its cells and where our runs are. */
typedef struct {
    const char *const *cells;
    const RefRow *ref;
    Match match;
} Row;

/* The row's settings: every non-empty setting cell but table and model, and
 * but the loss of a softmax row (the classifier has only the one). */
static void settings_text(FidelityRow *out, const char *const *cells, const int *col_of_setting)
{
    size_t a = 0, b = 0;
    out->setting[0] = out->setkey[0] = '\0';
    int softmax = strcmp(cells[col_of_setting[1]], "softmax") == 0;
    for (int i = 2; i < REF_SETTINGS; i++) {
        int c = col_of_setting[i];
        if (c < 0 || !*cells[c] || (softmax && strcmp(REF_SETTING_NAMES[i], "loss") == 0))
            continue;
        a += (size_t)snprintf(out->setting + a, a < sizeof out->setting ? sizeof out->setting - a : 0,
                              "%s%s=%s", a ? " " : "", REF_SETTING_NAMES[i], cells[c]);
        b += (size_t)snprintf(out->setkey + b, b < sizeof out->setkey ? sizeof out->setkey - b : 0,
                              "%s%s-%s", b ? "," : "", REF_SETTING_NAMES[i], cells[c]);
    }
    if (!a) {
        snprintf(out->setting, sizeof out->setting, "defaults");
        snprintf(out->setkey, sizeof out->setkey, "defaults");
    }
}

/* Whether two matched rows are runs of one configuration (seed aside). */
static int same_config(const Match *a, const Match *b)
{
    if (!a->s || !b->s)
        return 0;
    return !runconfig_diff(&study_run(a->s, a->g, 0)->config,
                           &study_run(b->s, b->g, 0)->config, CFG_BIT(CFG_SEED));
}

/* Whether row's own runs reproduce its cell in column col. */
static int reproduced_at(const Row *row, int col, const char *const *names)
{
    if (!row->match.s)
        return 0;
    int alt;
    int m = metric_of(experiment_model(row->match.s->exp), names[col], &alt);
    if (m < 0)
        return 0;
    Interval iv = interval_of(row->match.s, row->match.g, (Metric)m);
    return fidelity_agrees(iv.lo, iv.hi, row->cells[col]);
}

static void judge(FidelityRow *o, const Row *rows, size_t nrows, size_t self, int col,
                  const char *const *names, const int *col_of_setting)
{
    const Row *row = &rows[self];
    o->verdict = FIDELITY_NOT_REPRODUCED;
    o->reason[0] = '\0';
    o->mean = o->sd = o->lo = o->hi = NAN;
    o->n = 0;
    if (!row->match.s) {
        snprintf(o->reason, sizeof o->reason, "%s", FIDELITY_NO_RUN);
        return;
    }
    const StudyResults *s = row->match.s;
    int alt;
    int m = metric_of(experiment_model(s->exp), names[col], &alt);
    if (m < 0) {
        snprintf(o->reason, sizeof o->reason, "%s", FIDELITY_NOT_RECORDED);
        return;
    }
    Interval iv = interval_of(s, row->match.g, (Metric)m);
    o->mean = iv.mean;
    o->sd = iv.sd;
    o->lo = iv.lo;
    o->hi = iv.hi;
    o->n = iv.n;
    if (iv.n < 2) {
        snprintf(o->reason, sizeof o->reason, "%s", FIDELITY_ONE_RUN);
        return;
    }
    if (fidelity_agrees(iv.lo, iv.hi, o->original)) {
        o->verdict = iv.open ? FIDELITY_NOT_TESTABLE : FIDELITY_REPRODUCED;
        if (iv.open)
            snprintf(o->reason, sizeof o->reason, "%s (%.*f to %.*f)", FIDELITY_OPEN,
                     metric_is_acc((Metric)m) ? 1 : 3, iv.lo, metric_is_acc((Metric)m) ? 1 : 3,
                     iv.hi);
        return;
    }
    snprintf(o->reason, sizeof o->reason, "%s", FIDELITY_UNKNOWN);
    /* a copy of the same quantity of a row of another configuration, one
     * whose own runs reproduce it */
    for (size_t k = 0; k < nrows; k++) {
        if (k == self || strcmp(rows[k].cells[col], row->cells[col]) != 0 ||
            same_config(&rows[k].match, &row->match) || !reproduced_at(&rows[k], col, names))
            continue;
        FidelityRow other;
        settings_text(&other, rows[k].cells, col_of_setting);
        o->verdict = FIDELITY_EXPLAINED;
        snprintf(o->reason, sizeof o->reason, "%s: %s %s", FIDELITY_REPEATS, rows[k].ref->table,
                 other.setting);
        return;
    }
    if (alt >= 0) {
        Interval other = interval_of(s, row->match.g, (Metric)alt);
        if (!other.open && fidelity_agrees(other.lo, other.hi, o->original)) {
            o->verdict = FIDELITY_EXPLAINED;
            snprintf(o->reason, sizeof o->reason, "%s: %s", FIDELITY_QUANTITY,
                     metric_text((Metric)alt));
        }
    }
}

int fidelity_compute(Fidelity *f, const Reference *ref, const StudiesConf *conf,
                     const StudyResults *studies, size_t n, char *err)
{
    memset(f, 0, sizeof *f);
    const char *const *names = (const char *const *)ref->names;
    size_t count = 0;
    Row *rows = calloc(ref->n ? ref->n : 1, sizeof *rows);
    if (!rows)
        return err_set(err, "fidelity: out of memory");
    for (size_t i = 0; i < ref->n; i++) {
        rows[i].cells = reference_cells(ref, i);
        rows[i].ref = &ref->rows[i];
        rows[i].match = match_row(&ref->rows[i], conf, studies, n);
        for (int c = 0; c < ref->ncols; c++)
            count += !is_setting(ref, c) && *rows[i].cells[c];
    }
    if (count && !(f->rows = calloc(count, sizeof *f->rows))) {
        free(rows);
        return err_set(err, "fidelity: out of memory");
    }
    /* every non-empty quantity cell, in file order */
    for (size_t i = 0; i < ref->n; i++)
        for (int c = 0; c < ref->ncols; c++) {
            if (is_setting(ref, c) || !*rows[i].cells[c])
                continue;
            FidelityRow *o = &f->rows[f->n++];
            memset(o, 0, sizeof *o);
            snprintf(o->table, sizeof o->table, "%s", rows[i].ref->table);
            settings_text(o, rows[i].cells, ref->setting_col);
            snprintf(o->quantity, sizeof o->quantity, "%s", names[c]);
            snprintf(o->original, sizeof o->original, "%s", rows[i].cells[c]);
            o->orig = cell_value(o->original);
            o->line = rows[i].ref->line;
            judge(o, rows, ref->n, i, c, names, ref->setting_col);
        }
    free(rows);
    return 0;
}

void fidelity_release(Fidelity *f)
{
    free(f->rows);
    f->rows = NULL;
    f->n = 0;
}

/* "reproduced", "explained", "not reproduced", "not testable" */
static const char *verdict_name(Verdict v)
{
    switch (v) {
    case FIDELITY_REPRODUCED:
        return "reproduced";
    case FIDELITY_EXPLAINED:
        return "explained";
    case FIDELITY_NOT_REPRODUCED:
        return "not reproduced";
    case FIDELITY_NOT_TESTABLE:
        return "not testable";
    case FIDELITY_VERDICTS:
        break;
    }
    return "?";
}

/* ---- outputs ---------------------------------------------------------------- */

static int is_pct(const FidelityRow *r)
{
    return strstr(r->quantity, "acc") != NULL;
}

/* A number in the original's style: two decimals for percentages, four for losses. */
static void fmt_value(char *out, size_t size, const FidelityRow *r, double v)
{
    if (isnan(v))
        snprintf(out, size, "%s", "");
    else
        snprintf(out, size, "%.*f", is_pct(r) ? 2 : 4, v);
}

/* A CSV cell and what follows it (buf_csv_field). */
static void csv_cell(Buf *t, const char *s, int last)
{
    buf_csv_field(t, s);
    buf_printf(t, last ? "\n" : ",");
}

char *fidelity_csv(const Fidelity *f)
{
    Buf t = {0};
    buf_printf(&t, "table,setting,quantity,original,mean,sd,n,verdict,reason\n");
    for (size_t i = 0; i < f->n; i++) {
        const FidelityRow *r = &f->rows[i];
        char mean[32], sd[32], n[32];
        /* two more digits than the original prints */
        if (isnan(r->mean)) {
            mean[0] = sd[0] = '\0';
        } else {
            snprintf(mean, sizeof mean, "%.*f", is_pct(r) ? 4 : 6, r->mean);
            snprintf(sd, sizeof sd, "%.*f", is_pct(r) ? 4 : 6, r->sd);
        }
        snprintf(n, sizeof n, "%zu", r->n);
        csv_cell(&t, r->table, 0);
        csv_cell(&t, r->setting, 0);
        csv_cell(&t, r->quantity, 0);
        csv_cell(&t, r->original, 0);
        csv_cell(&t, mean, 0);
        csv_cell(&t, sd, 0);
        csv_cell(&t, n, 0);
        csv_cell(&t, verdict_name(r->verdict), 0);
        csv_cell(&t, r->reason, 1);
    }
    return text_take(&t);
}

static size_t count_of(const Fidelity *f, Verdict v)
{
    size_t k = 0;
    for (size_t i = 0; i < f->n; i++)
        k += f->rows[i].verdict == v;
    return k;
}

/* Markdown-safe: the underscores of column names would start emphasis. */
static void md_escape(char *out, size_t size, const char *s)
{
    size_t k = 0;
    for (const char *p = s; *p && k + 2 < size; p++) {
        if (*p == '_' || *p == '*' || *p == '|')
            out[k++] = '\\';
        out[k++] = *p;
    }
    out[k] = '\0';
}

/* A signed number with a true minus sign. */
static void fmt_signed(char *out, size_t size, const FidelityRow *r, double v)
{
    int dec = is_pct(r) ? 2 : 4;
    if (fabs(v) < 0.5 * pow(10.0, -dec))
        v = 0.0;
    snprintf(out, size, "%s%.*f", v < 0 ? "\xe2\x88\x92" : v > 0 ? "+" : "", dec, fabs(v));
}

/* The display of a row's settings ("lambda=0.2 learning_rate=0.1" ->
 * "λ = 0.2, learning rate 0.1") and quantity ("test_acc" -> "test accuracy"):
 * the report's names, not the file's. */
static void setting_display(char *out, size_t size, const char *setting)
{
    static const struct {
        const char *key, *shown;
    } K[] = {{"lambda", "\xce\xbb = "},        {"learning_rate", "learning rate "},
             {"batch_size", "batch size "},     {"max_epoch", "epochs "},
             {"weight_decay", "weight decay "}, {"hidden_layers", "hidden layers "},
             {"loss", ""},                      {"activation", ""}};
    char copy[FIDELITY_TEXT];
    snprintf(copy, sizeof copy, "%s", setting);
    size_t n = 0;
    out[0] = '\0';
    char *save = NULL;
    for (char *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        char *eq = strchr(tok, '=');
        const char *shown = tok, *prefix = "";
        char buf[64];
        if (eq) {
            *eq = '\0';
            for (size_t k = 0; k < sizeof K / sizeof K[0]; k++)
                if (strcmp(K[k].key, tok) == 0)
                    prefix = K[k].shown;
            const char *v = eq + 1;
            /* the original's own names: its cross-entropy is
             * "softmax-cross-entropy" */
            if (strcmp(tok, "loss") == 0)
                v = display_value(tok,
                                  loss_name(strcmp(v, loss_name(LOSS_EUCLIDEAN)) == 0
                                                ? LOSS_EUCLIDEAN
                                                : LOSS_CROSS_ENTROPY),
                                  buf, sizeof buf);
            else if (strcmp(tok, "activation") == 0)
                v = display_value(tok, v, buf, sizeof buf);
            snprintf(buf, sizeof buf, "%s%s", prefix, v);
            shown = buf;
        }
        int k = snprintf(out + n, size - n, "%s%s", n ? ", " : "", shown);
        if (k < 0 || (size_t)k >= size - n)
            break;
        n += (size_t)k;
    }
}

static const char *quantity_display(const char *q)
{
    static const struct {
        const char *key, *shown;
    } Q[] = {{"train_loss", "training loss"},   {"train_acc", "training accuracy"},
             {"val_acc", "validation accuracy"}, {"test_acc", "test accuracy"},
             {"test_loss", "test loss"}};
    for (size_t k = 0; k < sizeof Q / sizeof Q[0]; k++)
        if (strcmp(Q[k].key, q) == 0)
            return Q[k].shown;
    return q;
}

/* The table of the rows for which keep() says yes. */
static char *markdown_rows(const Fidelity *f, int open_only, const char *caption)
{
    Buf t = {0};
    buf_printf(&t, "Table: %s\n\n", caption);
    buf_printf(&t, "| the original's table | setting | quantity | original | ours (n) | 95 %% interval | verdict |\n");
    buf_printf(&t, "|:--------|:---------|:-------|----:|-------:|-------:|:--------------------|\n");
    for (size_t i = 0; i < f->n; i++) {
        const FidelityRow *r = &f->rows[i];
        if (open_only && r->verdict != FIDELITY_EXPLAINED && r->verdict != FIDELITY_NOT_REPRODUCED)
            continue;
        char set[2 * FIDELITY_TEXT], q[64], mean[32], sd[32], lo[32], hi[32], ours[128], iv[96];
        char shown[2 * FIDELITY_TEXT];
        setting_display(shown, sizeof shown, r->setting);
        md_escape(set, sizeof set, shown);
        md_escape(q, sizeof q, quantity_display(r->quantity));
        fmt_value(mean, sizeof mean, r, r->mean);
        fmt_value(sd, sizeof sd, r, r->sd);
        fmt_value(lo, sizeof lo, r, r->lo);
        fmt_value(hi, sizeof hi, r, r->hi);
        if (isnan(r->mean))
            snprintf(ours, sizeof ours, EN_DASH);
        else if (r->n < 2)
            snprintf(ours, sizeof ours, "%s (%zu)", mean, r->n);
        else
            snprintf(ours, sizeof ours, "%s" PM "%s (%zu)", mean, sd, r->n);
        if (isnan(r->lo))
            snprintf(iv, sizeof iv, EN_DASH);
        else
            snprintf(iv, sizeof iv, "%s" EN_DASH "%s", lo, hi);
        char reason[2 * sizeof r->reason];
        md_escape(reason, sizeof reason, r->reason);
        int bold = r->verdict == FIDELITY_NOT_REPRODUCED;
        buf_printf(&t, "| %s | %s | %s | %s | %s | %s | %s%s%s%s%s |\n", r->table, set, q,
                   r->original, ours, iv, bold ? "**" : "", verdict_name(r->verdict),
                   bold ? "**" : "", *r->reason ? ": " : "", reason);
    }
    return text_take(&t);
}

char *fidelity_markdown(const Fidelity *f)
{
    return markdown_rows(f, 0,
                         "Every number of the original write-up against our runs of its "
                         "setting (the homework's batching; the softmax as reported): ours as "
                         "mean " "\xc2\xb1" " sd over n seeds, and the 95 % prediction "
                         "interval for a single run.");
}

char *fidelity_markdown_open(const Fidelity *f)
{
    return markdown_rows(f, 1,
                         "The numbers of the original write-up that our runs do not reproduce, "
                         "explained or not; the full account is in the appendix.");
}

static const char *const COUNT_KEY[FIDELITY_VERDICTS] = {"reproduced", "explained",
                                                         "not_reproduced", "not_testable"};

void fidelity_facts(const Fidelity *f, Values *facts)
{
    for (int v = 0; v < FIDELITY_VERDICTS; v++)
        fact_set(facts, key_of("fidelity:count:%s", COUNT_KEY[v]).s,
                 (double)count_of(f, (Verdict)v));
    fact_set(facts, "fidelity:count:all", (double)f->n);
}

void fidelity_values(const Fidelity *f, Values *v)
{
    values_set(v, "fidelity:rows", "%zu", f->n);
    values_set(v, "fidelity:max_width", "%.0f", FIDELITY_MAX_WIDTH);
    for (int k = 0; k < FIDELITY_VERDICTS; k++)
        values_set(v, key_of("fidelity:%s", COUNT_KEY[k]).s, "%zu", count_of(f, (Verdict)k));
    for (size_t i = 0; i < f->n; i++) {
        const FidelityRow *r = &f->rows[i];
        char mean[32], sd[32], lo[32], hi[32], d[32];
        fmt_value(mean, sizeof mean, r, r->mean);
        fmt_value(sd, sizeof sd, r, r->sd);
        fmt_value(lo, sizeof lo, r, r->lo);
        fmt_value(hi, sizeof hi, r, r->hi);
        char key[3 * FIDELITY_TEXT];
#define KEY(suffix) (snprintf(key, sizeof key, "fidelity:%s:%s:%s:%s", r->table, r->setkey, \
                              r->quantity, suffix), key)
        values_set(v, KEY("original"), "%s", r->original);
        values_set(v, KEY("verdict"), "%s", verdict_name(r->verdict));
        values_set(v, KEY("n"), "%zu", r->n);
        if (isnan(r->mean))
            continue;
        values_set(v, KEY("mean"), "%s", mean);
        values_set(v, KEY("sd"), "%s", sd);
        if (isnan(r->lo))
            continue;
        values_set(v, KEY("lo"), "%s", lo);
        values_set(v, KEY("hi"), "%s", hi);
        fmt_signed(d, sizeof d, r, r->mean - r->orig);
        values_set(v, KEY("diff"), "%s", d);
        if (r->sd > 0)
            values_set(v, KEY("sds"), "%.1f", fabs(r->mean - r->orig) / r->sd);
#undef KEY
    }
}

int fidelity_save(const char *dir, const Fidelity *f, char *err)
{
    char *csv = fidelity_csv(f), *md = fidelity_markdown(f), *open = fidelity_markdown_open(f);
    char path[4400];
    int rc = 0;
    if (!csv || !md || !open)
        rc = err_set(err, "fidelity: out of memory");
    if (rc == 0) {
        snprintf(path, sizeof path, "%s/tables", dir);
        rc = make_dirs(path, err);
    }
    if (rc == 0) {
        snprintf(path, sizeof path, "%s/fidelity.csv", dir);
        rc = atomic_write(path, csv, strlen(csv), err);
    }
    if (rc == 0) {
        snprintf(path, sizeof path, "%s/tables/fidelity.md", dir);
        rc = atomic_write(path, md, strlen(md), err);
    }
    if (rc == 0) {
        snprintf(path, sizeof path, "%s/tables/fidelity-open.md", dir);
        rc = atomic_write(path, open, strlen(open), err);
    }
    free(csv);
    free(md);
    free(open);
    return rc;
}

int fidelity_write(const char *dir, const Reference *ref, const StudiesConf *conf,
                   const StudyResults *studies, size_t n, Values *v, char *err)
{
    Fidelity f;
    if (fidelity_compute(&f, ref, conf, studies, n, err) != 0)
        return -1;
    int rc = fidelity_save(dir, &f, err);
    if (rc == 0)
        fidelity_values(&f, v);
    fidelity_release(&f);
    return rc;
}
