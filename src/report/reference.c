#include "report/reference.h"

#include "err.h"
#include "report/buf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const REF_SETTING_NAMES[REF_SETTINGS] = {
    "table", "model", "hidden_layers", "loss", "activation",
    "lambda", "learning_rate", "batch_size", "max_epoch", "weight_decay"};

/* The quantities RefRow holds, by column name. */
static const char *const QUANTITIES[] = {"train_loss", "train_acc", "val_acc", "test_acc"};

static int setting_of(const char *name)
{
    for (int i = 0; i < REF_SETTINGS; i++)
        if (strcmp(REF_SETTING_NAMES[i], name) == 0)
            return i;
    return -1;
}

static int number_cell(const char *cell, double *v)
{
    if (!*cell) {
        *v = NAN;
        return 0;
    }
    char *end;
    *v = strtod(cell, &end);
    return *end || !isfinite(*v) ? -1 : 0;
}

static int copy_cell(char *dst, size_t size, const char *cell)
{
    if (strlen(cell) >= size)
        return -1;
    memcpy(dst, cell, strlen(cell) + 1);
    return 0;
}

/* Splits line in place at ','; returns the number of cells (at most max + 1
 * are stored, so that one too many shows). */
static int split_cells(char *line, char **cells, int max)
{
    int n = 0;
    for (char *s = line;;) {
        if (n <= max)
            cells[n < max ? n : max - 1] = s;
        n++;
        char *c = strchr(s, ',');
        if (!c)
            return n;
        *c = '\0';
        s = c + 1;
    }
}

static int parse_header(Reference *ref, char *line, const char *path, int lineno, char *err)
{
    char *names[REF_MAX_COLS];
    int n = split_cells(line, names, REF_MAX_COLS);
    if (n > REF_MAX_COLS)
        return err_set(err, "'%s':%d: more than %d columns", path, lineno, REF_MAX_COLS);
    if (!(ref->names = malloc((size_t)n * sizeof *ref->names)))
        return err_set(err, "'%s': out of memory", path);
    for (int c = 0; c < n; c++) {
        int k = setting_of(names[c]);
        if (!*names[c] || (k >= 0 && ref->setting_col[k] >= 0))
            return err_set(err, "'%s':%d: empty or repeated column '%s'", path, lineno, names[c]);
        if (k >= 0)
            ref->setting_col[k] = c;
        ref->names[c] = names[c];
    }
    ref->ncols = n;
    if (ref->setting_col[0] < 0 || ref->setting_col[1] < 0)
        return err_set(err, "'%s':%d: the header needs the columns 'table' and 'model'", path,
                       lineno);
    return 0;
}

/* The settings of a row (numbers NAN when empty); -1 if one is not valid. */
static int parse_settings(const Reference *ref, char *const *cells, RefRow *r)
{
    const char *cell[REF_SETTINGS];
    for (int i = 0; i < REF_SETTINGS; i++)
        cell[i] = ref->setting_col[i] >= 0 ? cells[ref->setting_col[i]] : "";
    double hl;
    double *nums[REF_SETTINGS] = {NULL, NULL, NULL, NULL, NULL, &r->lambda, &r->learning_rate,
                                  &r->batch_size, &r->max_epoch, &r->weight_decay};
    if (copy_cell(r->table, sizeof r->table, cell[0]) ||
        copy_cell(r->model, sizeof r->model, cell[1]) || number_cell(cell[2], &hl) ||
        copy_cell(r->loss, sizeof r->loss, cell[3]) ||
        copy_cell(r->activation, sizeof r->activation, cell[4]) || !*r->table ||
        (strcmp(r->model, "softmax") != 0 && strcmp(r->model, "mlp") != 0))
        return -1;
    /* a layer count, not any number: converting 1e300 to int is undefined */
    if (!isnan(hl) && (hl != floor(hl) || hl < 0 || hl > MAX_HIDDEN))
        return -1;
    r->hidden_layers = isnan(hl) ? 0 : (int)hl;
    for (int i = 5; i < REF_SETTINGS; i++)
        if (number_cell(cell[i], nums[i]))
            return -1;
    return 0;
}

/* Row ref->n from its cells: settings, then every quantity a number. */
static int parse_row(Reference *ref, char **cells, const char *path, int lineno, char *err)
{
    RefRow *r = &ref->rows[ref->n];
    memset(r, 0, sizeof *r);
    r->line = lineno;
    if (parse_settings(ref, cells, r) != 0)
        return err_set(err, "'%s':%d: bad setting cell", path, lineno);
    double *known[] = {&r->train_loss, &r->train_acc, &r->val_acc, &r->test_acc};
    for (size_t q = 0; q < sizeof known / sizeof known[0]; q++)
        *known[q] = NAN;
    for (int c = 0; c < ref->ncols; c++) {
        double v;
        if (setting_of(ref->names[c]) >= 0)
            continue;
        if (number_cell(cells[c], &v) != 0)
            return err_set(err, "'%s':%d: column '%s': '%s' is not a number", path, lineno,
                           ref->names[c], cells[c]);
        if (strlen(cells[c]) >= REF_CELL_MAX)
            return err_set(err, "'%s':%d: column '%s': cell too long", path, lineno,
                           ref->names[c]);
        for (size_t q = 0; q < sizeof QUANTITIES / sizeof QUANTITIES[0]; q++)
            if (strcmp(ref->names[c], QUANTITIES[q]) == 0)
                *known[q] = v;
    }
    return 0;
}

/* Room for one more row and its cells; -1 when out of memory. */
static int grow(Reference *ref, size_t *cap)
{
    if (ref->n < *cap)
        return 0;
    size_t n = *cap ? 2 * *cap : 64;
    RefRow *rows = realloc(ref->rows, n * sizeof *rows);
    if (rows)
        ref->rows = rows;
    char **cells = rows ? realloc(ref->cells, n * (size_t)ref->ncols * sizeof *cells) : NULL;
    if (cells)
        ref->cells = cells;
    if (!rows || !cells)
        return -1;
    *cap = n;
    return 0;
}

/* One line of the file (comments and empty lines skipped). */
static int parse_line(Reference *ref, size_t *cap, char *line, const char *path, int lineno,
                      char *err)
{
    size_t len = strlen(line);
    if (len && line[len - 1] == '\r')
        line[--len] = '\0';
    if (len == 0 || line[0] == '#')
        return 0;
    if (strchr(line, '"'))
        return err_set(err, "'%s':%d: quoted cells are not supported", path, lineno);
    if (!ref->ncols)
        return parse_header(ref, line, path, lineno, err);
    if (grow(ref, cap) != 0)
        return err_set(err, "'%s': out of memory", path);
    char **cells = &ref->cells[ref->n * (size_t)ref->ncols];
    char *over[REF_MAX_COLS + 1];
    int k = split_cells(line, over, REF_MAX_COLS);
    if (k != ref->ncols)
        return err_set(err, "'%s':%d: expected %d cells, found %d", path, lineno, ref->ncols, k);
    memcpy(cells, over, (size_t)k * sizeof *cells);
    if (parse_row(ref, cells, path, lineno, err) != 0)
        return -1;
    ref->n++;
    return 0;
}

int reference_load(Reference *ref, const char *path, char *err)
{
    memset(ref, 0, sizeof *ref);
    for (int i = 0; i < REF_SETTINGS; i++)
        ref->setting_col[i] = -1;
    if (!(ref->text = buf_read_file(path, err)))
        return -1;
    size_t cap = 0;
    int rc = 0, lineno = 0;
    for (char *s = ref->text; rc == 0 && *s;) {
        char *nl = strchr(s, '\n');
        char *next = nl ? nl + 1 : s + strlen(s);
        if (nl)
            *nl = '\0';
        rc = parse_line(ref, &cap, s, path, ++lineno, err);
        s = next;
    }
    if (rc == 0 && !ref->ncols)
        rc = err_set(err, "'%s': no header row", path);
    if (rc != 0)
        reference_release(ref);
    return rc;
}

const char *const *reference_cells(const Reference *ref, size_t row)
{
    return (const char *const *)&ref->cells[row * (size_t)ref->ncols];
}

void reference_release(Reference *ref)
{
    free(ref->rows);
    free(ref->cells);
    free(ref->names);
    free(ref->text);
    memset(ref, 0, sizeof *ref);
    for (int i = 0; i < REF_SETTINGS; i++)
        ref->setting_col[i] = -1;
}

static int same(double ref_value, double ours)
{
    return isnan(ref_value) || fabs(ref_value - ours) <= 1e-9 * fmax(1.0, fabs(ours));
}

const RefRow *reference_match(const Reference *ref, const char *table, const RunConfig *cfg)
{
    if (!ref || !table)
        return NULL;
    for (size_t i = 0; i < ref->n; i++) {
        const RefRow *r = &ref->rows[i];
        if (strcmp(r->table, table) != 0 || strcmp(r->model, model_name(cfg->model)) != 0)
            continue;
        if (!same(r->learning_rate, cfg->learning_rate) ||
            !same(r->batch_size, cfg->batch_size) || !same(r->max_epoch, cfg->max_epoch))
            continue;
        if (cfg->model == MODEL_SOFTMAX) {
            if (!same(r->lambda, cfg->lambda))
                continue;
        } else {
            if (!same(r->weight_decay, cfg->weight_decay) ||
                (r->hidden_layers && r->hidden_layers != cfg->n_hidden))
                continue;
            if (*r->activation && strcmp(r->activation, activation_name(cfg->activation)) != 0)
                continue;
            int euclid = strcmp(r->loss, "euclidean") == 0;
            if (*r->loss && euclid != (cfg->loss == LOSS_EUCLIDEAN))
                continue;
        }
        return r;
    }
    return NULL;
}
