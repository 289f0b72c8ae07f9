/* repro: the report-side tool, one program with git-style subcommands. The
 * trainer is a separate program (train) so that changing report code never
 * invalidates finished runs. */
#include "opts.h"
#include "report/cli.h"

int main(int argc, char **argv)
{
    static const OptsVerb commands[] = {
        {"plan", cmd_plan, "turn experiments/*.exp into make rules, one target per run"},
        {"plot", cmd_plot, "draw the figures of results/ through a pipe to gnuplot"},
        {"tabulate", cmd_tabulate, "write the report's tables and cited values from results/"},
        {"manifest", cmd_manifest, "write or compare the provenance manifest"},
        {"synth", cmd_synth, "write a small synthetic IDX dataset (tests, quick tries)"},
        {"status", cmd_status, "which runs are done, missing or stale, and why"},
        {"runs", cmd_runs, "write results/DATASET/runs.csv: every run in one table"},
        {"progress", cmd_progress, "count finished runs and show the time left (make runs it)"},
        {0}};
    return opts_dispatch("repro", commands, argc, argv);
}
