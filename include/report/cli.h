/* cli.h - the subcommands of the `repro` tool (src/cmd/repro_main.c dispatches).
 * Each takes the arguments after its name (argv[0] is the subcommand) and
 * returns the process exit status; it prints its own one-line errors. */
#ifndef CLI_H
#define CLI_H

int cmd_plan(int argc, char **argv);     /* src/report/plan.c: experiments -> make rules */
int cmd_plot(int argc, char **argv);     /* src/cmd/plot.c: results -> gnuplot figures */
int cmd_tabulate(int argc, char **argv); /* src/report/tabulate.c: results -> tables and values */
int cmd_manifest(int argc, char **argv); /* src/report/manifest.c: provenance manifest, compare */
int cmd_synth(int argc, char **argv);    /* src/report/synth.c: a small synthetic IDX dataset */
int cmd_status(int argc, char **argv);   /* src/report/status.c: runs done, missing, stale */
int cmd_progress(int argc, char **argv); /* src/report/progress.c: the runs' progress line */
int cmd_runs(int argc, char **argv);     /* src/report/runstable.c: every run in one CSV table */

#endif
