/* cli.h - the subcommands of the `repro` tool (src/cmd/repro_main.c dispatches).
 * Each takes the arguments after its name (argv[0] is the subcommand) and
 * returns the process exit status; it prints its own one-line errors. Their
 * options are tables of opts.h: -h/--help everywhere, usage errors exit 2. */
#ifndef CLI_H
#define CLI_H

int cmd_plan(int argc, char **argv);     /* src/cmd/plan.c: experiments -> make rules */
int cmd_plot(int argc, char **argv);     /* src/cmd/plot.c: results -> gnuplot figures */
int cmd_tabulate(int argc, char **argv); /* src/cmd/tabulate.c: results -> tables and values */
int cmd_manifest(int argc, char **argv); /* src/cmd/manifest.c: provenance manifest, compare */
int cmd_synth(int argc, char **argv);    /* src/cmd/synth.c: a small synthetic IDX dataset */
int cmd_status(int argc, char **argv);   /* src/cmd/status.c: runs done, missing, stale */
int cmd_progress(int argc, char **argv); /* src/cmd/progress.c: the runs' progress line */
int cmd_runs(int argc, char **argv);     /* src/cmd/runs.c: every run in one CSV table */

/* The options of a StatusOptions o (status.h) that repro status and repro
 * progress start share: entries of an opts.h table. */
#define CLI_STATUS_OPTS(o)                                                                         \
    {.name = "dataset", .meta = "NAME", .str = &(o).dataset, .help = "the dataset"},               \
    {.name = "results", .meta = "DIR", .str = &(o).results_dir, .help = "root of the results"},    \
    {.name = "runs", .meta = "DIR", .str = &(o).runs_dir,                                          \
     .help = "root of the per-run configs"},                                                       \
    {.name = "key", .meta = "FILE", .str = &(o).train_key, .help = "the trainer's key"}

#endif
