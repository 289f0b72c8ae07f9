/* opts.h - the one option parser of every command (repro's subcommands; the
 * trainer's main may use it too: it includes no report header).
 *
 * A command declares its options once, in a table; the same table parses the
 * command line and prints --help, so help and parsing never disagree, and every
 * command answers the same mistake with the same line (stderr, exit status 2):
 *
 *   repro plan: unknown option '--x' (see repro plan --help)
 *   repro plan: option '--out' needs a value (see repro plan --help)
 *   repro status: option '--json' takes no value (see repro status --help)
 *   repro synth: option '--train' needs a positive integer, not 'ten' (see repro synth --help)
 *   repro manifest compare: unexpected argument 'c' (see repro manifest compare --help)
 *   repro plan: --dataset and --out are required (see repro plan --help)
 *   repro runs: EXP... is required (see repro runs --help)
 *
 * (the last two name what is missing: required options, then the required
 * words of the arguments' usage).
 *
 * -h and --help print the usage on stdout (exit status 0):
 *
 *   usage: PROG REQUIRED-OPTIONS [options] ARGS
 *
 *   ABOUT
 *
 *     --name META   help (default D)
 *     -h, --help    print this help
 *
 * where "(default D)" is the destination's value before parsing (a string
 * that is not NULL, a number that is not 0), so defaults are written once, in
 * the variables. Options may come before, between or after the positional
 * arguments; `--` ends the options (everything after it is positional);
 * `--name=value` and `--name value` are the same; a long name may be shortened
 * to any prefix that names one option (getopt_long's rules). Nothing is stored
 * unless the whole command line is right, so --help shows the defaults and a
 * usage error leaves every destination as it was.
 *
 * Adopting it, e.g. in a command taking --results DIR --out FILE [--overview] EXP...:
 *
 *     const char *results = NULL, *out = NULL, *exps = "experiments";
 *     int overview = 0;
 *     const Opt opts[] = {
 *         {.name = "results", .meta = "DIR", .str = &results, .required = 1,
 *          .help = "the dataset's results, results/DATASET"},
 *         {.name = "out", .meta = "FILE", .str = &out, .required = 1, .help = "..."},
 *         {.name = "experiments", .meta = "DIR", .str = &exps, .help = "..."},
 *         {.name = "overview", .flag = &overview, .help = "..."},
 *         {0}};
 *     const OptsSpec spec = {.prog = "repro plot", .args = "EXP...", .about = "Draws ...",
 *                            .opts = opts};
 *     int status, i = opts_get(&spec, argc, argv, &status);
 *     if (i < 0)
 *         return status;          // help printed (0) or a usage error printed (2)
 *     // argv[i .. argc) are the positional arguments, in their order
 *
 * A command with verbs (repro manifest write|compare|sample) gives each verb
 * its own table and dispatches with opts_dispatch. A program that prints its
 * errors its own way (train clears its progress line first) calls opts_parse
 * and opts_usage instead of opts_get. */
#ifndef OPTS_H
#define OPTS_H

#include <stddef.h>
#include <stdio.h>

/* Every occurrence of a list option, in order (items is malloc'ed: the caller
 * frees it, also after an error). */
typedef struct {
    const char **items;
    size_t n;
} OptList;

/* One option. Exactly one destination is set; it decides the kind:
 *   str   the value (a pointer into argv); given twice, the last one wins
 *   flag  set to 1; the option takes no value
 *   num   the value as a decimal integer in [min, max] (both 0: any long)
 *   list  every value, appended */
typedef struct {
    const char *name; /* the long name without its dashes: "out" */
    char short_name;  /* 'o' for -o, or 0; 'h' is --help's */
    const char *meta; /* the value's name in the help: "FILE" ("VALUE" if NULL) */
    const char *help; /* what it does; '\n' starts another line of help */
    int required;     /* a usage error unless given */
    const char **str;
    int *flag;
    long *num;
    long min, max;
    OptList *list;
} Opt;

#define OPTS_MAX 32 /* options per command */

/* The positional arguments are the usage words of args, which also set how
 * many there may be: a word in brackets may be left out, one ending in "..."
 * may repeat. "EXP..." is one or more; "[SUMMARY...]" any number; "EXPECTED
 * ACTUAL" exactly two; NULL none. Fewer is "EXP... is required", more is
 * "unexpected argument 'x'". */
typedef struct {
    const char *prog;  /* "repro plan": starts every message and the usage line */
    const char *args;  /* the positional arguments, as the usage line shows them */
    const char *about; /* the paragraph(s) after the usage line, or NULL */
    const Opt *opts;   /* ended by {0} (a NULL name); at most OPTS_MAX */
} OptsSpec;

enum { OPTS_ERROR = -1, OPTS_HELP = -2 };

/* Parses argv[1 .. argc) (argv[0] is the command's name; argv may be permuted
 * so that the positional arguments come last). Returns the index of the first
 * positional argument; OPTS_HELP for -h/--help (nothing stored); OPTS_ERROR
 * with the one-line message in err (ERR_MAX bytes; nothing stored, lists
 * aside). Uses getopt_long's global state: not reentrant. */
int opts_parse(const OptsSpec *s, int argc, char **argv, char *err);

/* Prints the usage built from the table (see above) on f. */
void opts_usage(const OptsSpec *s, FILE *f);

/* opts_parse, then: the index of the first positional argument; or -1 with
 * *status the exit status, after printing the usage on stdout (-h: 0) or the
 * error on stderr (2). */
int opts_get(const OptsSpec *s, int argc, char **argv, int *status);

/* A verb of a command with verbs: its name, the function that runs it with
 * the arguments from the verb on (argv[0] is the verb), one line of help. */
typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} OptsVerb;

/* Runs the verb argv[1] names (verbs ended by {0}) and returns its status.
 * -h/--help: the list of verbs on stdout, 0; no verb: that list on stderr, 2;
 * an unknown one: "PROG: 'x' is not a command (see PROG --help)", 2. */
int opts_dispatch(const char *prog, const OptsVerb *verbs, int argc, char **argv);

#endif
