/* `repro runs`: every run of the experiment files in one CSV table (runstable.h). */
#include "err.h"
#include "opts.h"
#include "report/cli.h"
#include "report/runstable.h"

#include <stdio.h>

static const char ABOUT[] =
    "Writes one CSV table of every run of the experiment files EXP, read from\n"
    "DIR (results/DATASET): a row per run with its study, name, every key of\n"
    "its configuration, seed, status, final metrics and training time (the\n"
    "columns are documented in README.md). FILE appears whole or not at all.\n";

int cmd_runs(int argc, char **argv)
{
    const char *results = NULL, *out = NULL;
    const Opt opts[] = {
        {.name = "results", .meta = "DIR", .str = &results, .required = 1,
         .help = "the dataset's results (results/DATASET)"},
        {.name = "out", .meta = "FILE", .str = &out, .required = 1, .help = "the CSV file to write"},
        {0}};
    const OptsSpec spec = {.prog = "repro runs", .args = "EXP...", .about = ABOUT, .opts = opts};
    int status, i = opts_get(&spec, argc, argv, &status);
    if (i < 0)
        return status;
    char err[ERR_MAX];
    if (runs_table_write(results, (const char *const *)(argv + i), (size_t)(argc - i), out, err) <
        0) {
        fprintf(stderr, "repro runs: %s\n", err);
        return 1;
    }
    return 0;
}
