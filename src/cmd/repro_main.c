/* repro: the report-side tool, one program with git-style subcommands. The
 * trainer is a separate program (train) so that changing report code never
 * invalidates finished runs. */
#include "report/cli.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
} COMMANDS[] = {
    {"plan", cmd_plan, "turn experiments/*.exp into make rules, one target per run"},
    {"plot", cmd_plot, "draw the figures of results/ through a pipe to gnuplot"},
    {"tabulate", cmd_tabulate, "write the report's tables and cited values from results/"},
    {"manifest", cmd_manifest, "write or compare the provenance manifest"},
    {"synth", cmd_synth, "write a small synthetic IDX dataset (tests, quick tries)"},
    {"status", cmd_status, "which runs are done, missing or stale, and why"},
    {"runs", cmd_runs, "write results/DATASET/runs.csv: every run in one table"},
    {"progress", cmd_progress, "count finished runs and show the time left (make runs it)"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: repro <command> [options]   (repro <command> --help)\n\ncommands:\n");
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        fprintf(f, "  %-10s %s\n", COMMANDS[i].name, COMMANDS[i].help);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        if (strcmp(argv[1], COMMANDS[i].name) == 0)
            return COMMANDS[i].run(argc - 1, argv + 1);
    fprintf(stderr, "repro: '%s' is not a command (see repro --help)\n", argv[1]);
    return 2;
}
