#include "report/reference.h"

#include "err.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char REF_HEADER[] = "table,model,hidden_layers,loss,activation,lambda,learning_rate,"
                                 "batch_size,max_epoch,weight_decay,train_loss,train_acc,val_acc,"
                                 "test_acc";

static int ref_number(const char *cell, double *v)
{
    if (!*cell) {
        *v = NAN;
        return 0;
    }
    char *end;
    *v = strtod(cell, &end);
    return *end || !isfinite(*v) ? -1 : 0;
}

static int ref_text(char *dst, size_t size, const char *cell)
{
    if (strlen(cell) >= size)
        return -1;
    strcpy(dst, cell);
    return 0;
}

int reference_load(Reference *ref, const char *path, char *err)
{
    memset(ref, 0, sizeof *ref);
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(err, "'%s': %s", path, strerror(errno));
    char line[4096];
    int lineno = 0, header = 0, rc = 0, width = 14;
    size_t cap = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            rc = err_set(err, "'%s':%d: line too long", path, lineno);
            break;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (line[0] == '#' || len == 0)
            continue;
        /* cells in the line: further columns after the known ones are read
         * by the fidelity account (fidelity.h), not here */
        int cells_in_line = 1;
        for (const char *p = line; *p; p++)
            cells_in_line += *p == ',';
        if (!header) {
            size_t k = strlen(REF_HEADER);
            if (strncmp(line, REF_HEADER, k) != 0 || (line[k] != '\0' && line[k] != ','))
                rc = err_set(err, "'%s':%d: expected the header '%s'", path, lineno, REF_HEADER);
            width = cells_in_line;
            header = 1;
            continue;
        }
        char *cells[15];
        int n = 0;
        for (char *s = line; n < 15; n++) {
            cells[n] = s;
            char *c = strchr(s, ',');
            if (!c) {
                n++;
                break;
            }
            *c = '\0';
            s = c + 1;
        }
        if (cells_in_line != width) {
            rc = err_set(err, "'%s':%d: expected %d cells, found %d", path, lineno, width,
                         cells_in_line);
            break;
        }
        if (ref->n == cap) {
            cap = cap ? 2 * cap : 64;
            RefRow *rows = realloc(ref->rows, cap * sizeof *rows);
            if (!rows) {
                rc = err_set(err, "'%s': out of memory", path);
                break;
            }
            ref->rows = rows;
        }
        RefRow *r = &ref->rows[ref->n];
        memset(r, 0, sizeof *r);
        r->line = lineno;
        double hl;
        double *nums[] = {&r->lambda,       &r->learning_rate, &r->batch_size, &r->max_epoch,
                          &r->weight_decay, &r->train_loss,    &r->train_acc,  &r->val_acc,
                          &r->test_acc};
        int bad = ref_text(r->table, sizeof r->table, cells[0]) ||
                  ref_text(r->model, sizeof r->model, cells[1]) ||
                  ref_number(cells[2], &hl) || ref_text(r->loss, sizeof r->loss, cells[3]) ||
                  ref_text(r->activation, sizeof r->activation, cells[4]) || !*cells[0] ||
                  (strcmp(r->model, "softmax") != 0 && strcmp(r->model, "mlp") != 0);
        /* a layer count, not any number: converting 1e300 to int is undefined */
        bad = bad || (!isnan(hl) && (hl != floor(hl) || hl < 0 || hl > MAX_HIDDEN));
        for (int k = 0; k < 9 && !bad; k++)
            bad = ref_number(cells[5 + k], nums[k]);
        if (bad) {
            rc = err_set(err, "'%s':%d: bad cell", path, lineno);
            break;
        }
        r->hidden_layers = isnan(hl) ? 0 : (int)hl;
        ref->n++;
    }
    if (rc == 0 && ferror(f))
        rc = err_set(err, "'%s': read error", path);
    if (rc == 0 && !header)
        rc = err_set(err, "'%s': no header row", path);
    fclose(f);
    if (rc != 0)
        reference_release(ref);
    return rc;
}

void reference_release(Reference *ref)
{
    free(ref->rows);
    ref->rows = NULL;
    ref->n = 0;
}

const char *reference_table(const Reference *ref, const char *study, char *buf, size_t size)
{
    if (!ref || strlen(study) + 8 > size)
        return NULL;
    const char *rep = strstr(study, "-reported");
    if (rep)
        snprintf(buf, size, "%.*s%s", (int)(rep - study), study, rep + strlen("-reported"));
    else
        snprintf(buf, size, "%s", study);
    size_t n = strlen(buf);
    if (n >= 9 && strcmp(buf + n - 9, "-defaults") == 0)
        strcpy(buf + n - 9, "-base");
    for (size_t i = 0; i < ref->n; i++)
        if (strcmp(ref->rows[i].table, buf) == 0)
            return buf;
    return NULL;
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
