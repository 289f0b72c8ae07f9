/* fuzz_reference.c - the reader of the original write-up's figures
 * (reference_load in report/reference.h, report/original-report.csv) on arbitrary
 * bytes, and the lookups the tables make in what it read.
 *
 * The input is written to "original-report.csv" and loaded. A failure must be
 * one line naming the file, with nothing left allocated. A success must hold
 * rows as the header promises: terminated texts that fit their fields, a
 * table name and a model (softmax or mlp) in every row, a layer count in
 * range, every number finite or NAN (empty), lines increasing; and the
 * lookups must find only rows of the table they are asked for. */
#include "fuzz.h"

#include "err.h"
#include "experiment.h"
#include "report/reference.h"
#include "report/studies.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define NAME "reference"

static const char *const STUDIES[] = {"softmax-lambda", "softmax-reported-defaults",
                                      "softmax-reported-batch", "mlp-arch", "mlp-lr", "x"};

static void check_text(const char *what, const char *s, size_t size)
{
    if (strnlen(s, size) == size)
        fuzz_fail(NAME, "%s not terminated", what);
}

static void check_rows(const Reference *ref)
{
    int line = 0;
    for (size_t i = 0; i < ref->n; i++) {
        const RefRow *r = &ref->rows[i];
        check_text("table", r->table, sizeof r->table);
        check_text("model", r->model, sizeof r->model);
        check_text("loss", r->loss, sizeof r->loss);
        check_text("activation", r->activation, sizeof r->activation);
        if (!r->table[0])
            fuzz_fail(NAME, "row %zu without a table name", i);
        if (strcmp(r->model, "softmax") != 0 && strcmp(r->model, "mlp") != 0)
            fuzz_fail(NAME, "row %zu has model '%s'", i, r->model);
        if (r->hidden_layers < 0 || r->hidden_layers > MAX_HIDDEN)
            fuzz_fail(NAME, "row %zu has %d hidden layers", i, r->hidden_layers);
        const double v[] = {r->lambda,    r->learning_rate, r->batch_size, r->max_epoch,
                            r->weight_decay, r->train_loss, r->train_acc,  r->val_acc,
                            r->test_acc};
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
            if (!isnan(v[k]) && !isfinite(v[k]))
                fuzz_fail(NAME, "row %zu: number %zu is %g", i, k, v[k]);
        if (r->line <= line)
            fuzz_fail(NAME, "row %zu on line %d after line %d", i, r->line, line);
        line = r->line;
    }
}

/* The lookups of the tables: a study's reference table, and the row that
 * matches a configuration of it. */
static void check_lookups(const Reference *ref)
{
    StudiesConf conf;
    char err[ERR_MAX];
    if (studies_parse(&conf, "twin softmax-* softmax-reported-*\ntable softmax-defaults softmax-base\n",
                      "studies", err) != 0)
        fuzz_fail(NAME, "the studies text does not parse: %s", err);
    for (size_t s = 0; s < sizeof STUDIES / sizeof STUDIES[0]; s++) {
        char buf[64];
        const char *table = studies_table(&conf, ref, STUDIES[s], buf, sizeof buf);
        if (!table)
            continue;
        check_text("reference table", table, sizeof buf);
        RunConfig cfg;
        memset(&cfg, 0, sizeof cfg);
        cfg.model = strncmp(STUDIES[s], "mlp", 3) == 0 ? MODEL_MLP : MODEL_SOFTMAX;
        cfg.learning_rate = 0.1;
        cfg.batch_size = 100;
        cfg.max_epoch = 10;
        cfg.lambda = cfg.model == MODEL_SOFTMAX ? 0.2 : 0;
        cfg.n_hidden = cfg.model == MODEL_MLP ? 1 : 0;
        cfg.hidden[0] = cfg.model == MODEL_MLP ? 128 : 0;
        const RefRow *row = reference_match(ref, table, &cfg);
        if (row && (row < ref->rows || row >= ref->rows + ref->n))
            fuzz_fail(NAME, "reference_match returned a row outside the table");
        if (row && strcmp(row->table, table) != 0)
            fuzz_fail(NAME, "reference_match for '%s' returned a row of '%s'", table, row->table);
    }
}

int fuzz_reference(const uint8_t *data, size_t size)
{
    const char *path = fuzz_path("original-report.csv");
    char file[1024];
    snprintf(file, sizeof file, "%s", path);
    fuzz_write(file, data, size);
    Reference ref;
    char err[ERR_MAX];
    memset(err, 0, sizeof err);
    int rc = reference_load(&ref, file, err);
    if (rc == 0) {
        check_rows(&ref);
        check_lookups(&ref);
    } else {
        char prefix[1100];
        snprintf(prefix, sizeof prefix, "'%s'", file);
        fuzz_check_err(NAME, err, prefix);
        if (rc != -1)
            fuzz_fail(NAME, "reference_load returned %d", rc);
        if (ref.rows || ref.n)
            fuzz_fail(NAME, "a failed load left rows behind");
    }
    reference_release(&ref);
    return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_reference(data, size);
}
#endif
