/* `repro plan`: experiment files -> make rules and per-run configs (plan.h). */
#include "err.h"
#include "opts.h"
#include "report/cli.h"
#include "report/plan.h"

#include <stdio.h>

static const char ABOUT[] =
    "Writes the make rules for every run of the experiment files EXP (one\n"
    "target results/NAME/<study>/<run>/summary.json each) to FILE, and each\n"
    "run's config to build/runs/NAME/<study>/<run>.cfg when its content changed.\n";

int cmd_plan(int argc, char **argv)
{
    PlanOptions opt = {NULL, NULL, "build/runs", "results", "data"};
    const Opt opts[] = {
        {.name = "dataset", .meta = "NAME", .str = &opt.dataset, .required = 1,
         .help = "dataset the runs train on (mnist, fashion)"},
        {.name = "out", .meta = "FILE", .str = &opt.out, .required = 1,
         .help = "the makefile fragment to write"},
        {.name = "runs", .meta = "DIR", .str = &opt.runs_dir, .help = "root of the per-run configs"},
        {.name = "results", .meta = "DIR", .str = &opt.results_dir, .help = "root of the results"},
        {.name = "data", .meta = "DIR", .str = &opt.data_dir,
         .help = "root of the verified datasets"},
        {0}};
    const OptsSpec spec = {.prog = "repro plan", .args = "EXP...", .about = ABOUT, .opts = opts};
    int status, i = opts_get(&spec, argc, argv, &status);
    if (i < 0)
        return status;
    char err[ERR_MAX];
    if (plan_write(&opt, (const char *const *)(argv + i), (size_t)(argc - i), err) != 0) {
        fprintf(stderr, "repro plan: %s\n", err);
        return 1;
    }
    return 0;
}
