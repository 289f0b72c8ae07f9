#include "report/runstable.h"

#include "err.h"
#include "fake_results.h"
#include "report/results.h"
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A softmax and an MLP study of fake results under one tree. The MLP run with
 * seed 2 and 16x8 layers diverges in epoch 2 and has no timing.json. */
static const char SOFTMAX[] = "model = softmax\nlambda = 0, 0.5\nmax_epoch = 3\nseeds = 1, 2\n";
static const char MLP[] = "model = mlp\nhidden = 8, 16x8\nlearning_rate = 0.01\nmax_epoch = 3\n"
                          "seeds = 1, 2\n";

static FakeOutcome outcome(const RunConfig *cfg, void *ctx)
{
    (void)ctx;
    int bad = cfg->model == MODEL_MLP && cfg->n_hidden == 2 && cfg->seed == 2;
    FakeOutcome o = {0.8 + 0.01 * (double)cfg->seed, bad ? 2 : 0, bad ? -1.0 : 3.0 + (double)cfg->seed};
    return o;
}

typedef struct {
    char *dir, *results, *exps[2], *out;
    Experiment *e[2];
} Tree;

static void tree_make(Tree *t)
{
    char *dirs[2];
    t->e[0] = fake_experiment("softmax-lambda.exp", SOFTMAX, &dirs[0]);
    t->e[1] = fake_experiment("mlp-arch.exp", MLP, &dirs[1]);
    t->dir = tu_tmpdir();
    t->results = tu_path(t->dir, "results");
    t->out = tu_path(t->results, "runs.csv");
    ck_assert_int_eq(mkdir(t->results, 0777), 0);
    for (int i = 0; i < 2; i++) {
        fake_study_write(t->results, t->e[i], outcome, NULL, 2);
        t->exps[i] = strdup(experiment_path(t->e[i]));
    }
    free(dirs[0]);
    free(dirs[1]);
}

static void tree_free(Tree *t)
{
    for (int i = 0; i < 2; i++) {
        char *d = strdup(t->exps[i]);
        *strrchr(d, '/') = '\0';
        tu_rmtree(d);
        free(d);
        free(t->exps[i]);
        experiment_free(t->e[i]);
    }
    tu_rmtree(t->dir);
    free(t->dir);
    free(t->results);
    free(t->out);
}

/* A CSV reader for the test: line by line, cells split at commas outside
 * quotes, "" inside quotes a quote. cells[r][c] are heap strings. */
typedef struct {
    char ***cells;
    size_t n_rows;
    size_t *n_cells;
} Csv;

static void csv_read(const char *path, Csv *csv)
{
    size_t n;
    char *text = tu_read(path, &n);
    ck_assert_ptr_nonnull(text);
    ck_assert_msg(n > 0 && text[n - 1] == '\n', "'%s' does not end in a newline", path);
    memset(csv, 0, sizeof *csv);
    for (const char *p = text; *p;) {
        csv->cells = realloc(csv->cells, (csv->n_rows + 1) * sizeof *csv->cells);
        csv->n_cells = realloc(csv->n_cells, (csv->n_rows + 1) * sizeof *csv->n_cells);
        char **row = NULL;
        size_t k = 0;
        for (;;) {
            char *cell = malloc(strlen(p) + 1);
            size_t len = 0;
            if (*p == '"') {
                for (p++; !(*p == '"' && p[1] != '"'); p++) {
                    ck_assert_msg(*p != '\0', "unterminated quote");
                    if (*p == '"')
                        p++;
                    cell[len++] = *p;
                }
                p++;
            } else {
                while (*p != ',' && *p != '\n')
                    cell[len++] = *p++;
            }
            cell[len] = '\0';
            row = realloc(row, (k + 1) * sizeof *row);
            row[k++] = cell;
            ck_assert_msg(*p == ',' || *p == '\n', "stray text after a quoted cell");
            if (*p++ == '\n')
                break;
        }
        csv->cells[csv->n_rows] = row;
        csv->n_cells[csv->n_rows++] = k;
    }
    free(text);
}

static void csv_free(Csv *csv)
{
    for (size_t r = 0; r < csv->n_rows; r++) {
        for (size_t c = 0; c < csv->n_cells[r]; c++)
            free(csv->cells[r][c]);
        free(csv->cells[r]);
    }
    free(csv->cells);
    free(csv->n_cells);
}

static int column(const char *name)
{
    for (int c = 0; c < RUNS_COLUMNS; c++)
        if (strcmp(RUNS_COLUMN_NAMES[c], name) == 0)
            return c;
    ck_abort_msg("no column '%s'", name);
    return -1;
}

/* The row of study/run, or fails. */
static char **find_row(const Csv *csv, const char *study, const char *run)
{
    for (size_t r = 1; r < csv->n_rows; r++)
        if (strcmp(csv->cells[r][0], study) == 0 && strcmp(csv->cells[r][1], run) == 0)
            return csv->cells[r];
    ck_abort_msg("no row for %s/%s", study, run);
    return NULL;
}

/* A numeric cell must give back the value it was written from, bit for bit. */
static void assert_number(char **row, const char *col, double want)
{
    const char *cell = row[column(col)];
    if (isnan(want)) {
        ck_assert_msg(cell[0] == '\0', "%s: '%s' for a value that does not exist", col, cell);
        return;
    }
    char *end;
    double got = strtod(cell, &end);
    ck_assert_msg(end != cell && *end == '\0', "%s: '%s' is not a number", col, cell);
    ck_assert_msg(got == want, "%s: %s read back as %.17g, written from %.17g", col, cell, got,
                  want);
}

START_TEST(test_every_run_reads_back)
{
    Tree t;
    tree_make(&t);
    char err[ERR_MAX];
    ck_assert_msg(runs_table_write(t.results, (const char *const *)t.exps, 2, t.out, err) == 0, "%s",
                  err);
    Csv csv;
    csv_read(t.out, &csv);
    ck_assert_uint_eq(csv.n_rows, 1 + 4 + 4);
    ck_assert_uint_eq(csv.n_cells[0], RUNS_COLUMNS);
    for (int c = 0; c < RUNS_COLUMNS; c++)
        ck_assert_str_eq(csv.cells[0][c], RUNS_COLUMN_NAMES[c]);
    for (size_t r = 0; r < csv.n_rows; r++)
        ck_assert_uint_eq(csv.n_cells[r], RUNS_COLUMNS);
    /* rows in experiment and run order */
    ck_assert_str_eq(csv.cells[1][1], "lambda-0,seed-1");
    ck_assert_str_eq(csv.cells[8][1], "hidden-16x8,seed-2");

    /* every cell of every row against what the results reader loads */
    for (int i = 0; i < 2; i++) {
        StudyResults s;
        ck_assert_msg(study_results_load(&s, t.results, t.e[i], 0, err) == 0, "%s", err);
        for (size_t k = 0; k < s.n_runs; k++) {
            const RunResult *r = &s.runs[k];
            const RunConfig *c = &r->config;
            int mlp = c->model == MODEL_MLP;
            char **row = find_row(&csv, r->study, r->run);
            ck_assert_str_eq(row[column("model")], mlp ? "mlp" : "softmax");
            assert_number(row, "learning_rate", c->learning_rate);
            assert_number(row, "batch_size", c->batch_size);
            assert_number(row, "max_epoch", c->max_epoch);
            assert_number(row, "lambda", mlp ? NAN : c->lambda);
            ck_assert_str_eq(row[column("as_reported")], mlp ? "" : "false");
            ck_assert_str_eq(row[column("holdout")], mlp ? "" : "false");
            assert_number(row, "weight_decay", mlp ? c->weight_decay : NAN);
            ck_assert_str_eq(row[column("hidden")], !mlp ? "" : c->n_hidden == 2 ? "16x8" : "8");
            ck_assert_str_eq(row[column("activation")], mlp ? "relu" : "");
            ck_assert_str_eq(row[column("loss")], mlp ? "cross-entropy" : "");
            assert_number(row, "seed", (double)c->seed);
            ck_assert_str_eq(row[column("status")], r->status == RUN_DIVERGED ? "diverged" : "ok");
            assert_number(row, "diverged_epoch",
                          r->status == RUN_DIVERGED ? r->diverged_epoch : NAN);
            assert_number(row, "epochs_completed", r->epochs_completed);
            for (int m = 0; m < METRIC_COUNT; m++)
                assert_number(row, metric_name((Metric)m), r->final[m]);
            assert_number(row, "wall_seconds", r->wall_seconds);
            assert_number(row, "cpu_seconds", r->cpu_seconds);
        }
        study_results_release(&s);
    }
    /* the diverged run without timing.json, as read above: spelled out once */
    char **bad = find_row(&csv, "mlp-arch", "hidden-16x8,seed-2");
    ck_assert_str_eq(bad[column("status")], "diverged");
    ck_assert_str_eq(bad[column("diverged_epoch")], "2");
    ck_assert_str_eq(bad[column("wall_seconds")], "");
    ck_assert_str_eq(find_row(&csv, "softmax-lambda", "lambda-0.5,seed-2")[column("val_acc")], "");
    csv_free(&csv);
    tree_free(&t);
}
END_TEST

/* A run that has not finished fails the table, naming it, and leaves no file. */
START_TEST(test_a_missing_run_writes_nothing)
{
    Tree t;
    tree_make(&t);
    char err[ERR_MAX];
    char *summary = fake_join(t.results, "mlp-arch", "hidden-8,seed-2", "summary.json");
    ck_assert_int_eq(remove(summary), 0);
    ck_assert_int_eq(runs_table_write(t.results, (const char *const *)t.exps, 2, t.out, err), -1);
    ck_assert_msg(strstr(err, "hidden-8,seed-2") != NULL, "%s", err);
    FILE *f = fopen(t.out, "r");
    ck_assert_ptr_null(f);
    free(summary);
    tree_free(&t);
}
END_TEST

Suite *runstable_suite(void);
Suite *runstable_suite(void)
{
    Suite *s = suite_create("runstable");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_every_run_reads_back);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_a_missing_run_writes_nothing);
    suite_add_tcase(s, errors);
    return s;
}
