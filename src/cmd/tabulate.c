/* repro tabulate: results -> the report's tables and cited values
 * (include/report/tabulate.h; every file it writes is listed in --help). */
#include "atomic.h"
#include "opts.h"
#include "report/claims.h"
#include "report/facts.h"
#include "report/gradtab.h"
#include "report/cli.h"
#include "report/fidelity.h"
#include "report/tabulate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int write_text(const char *path, const char *text, char *err)
{
    return atomic_write(path, text, strlen(text), err);
}

/* The options; defaults as in the usage. */
typedef struct {
    const char *results, *out, *exps, *refpath, *studies, *claims, *gradcheck;
    int strict;
} Options;

/* Parses argv into o. Returns -1 to go on, else the exit status. */
static int parse_options(int argc, char **argv, Options *o)
{
    o->results = o->out = o->refpath = o->claims = o->gradcheck = NULL;
    o->strict = 0;
    o->exps = "experiments";
    o->studies = "report/studies.conf";
    const Opt opts[] = {
        {.name = "results", .meta = "DIR", .str = &o->results, .required = 1,
         .help = "the dataset's results, results/<dataset>"},
        {.name = "out", .meta = "DIR/values.json", .str = &o->out, .required = 1,
         .help = "the values; the other files are written beside it"},
        {.name = "experiments", .meta = "DIR", .str = &o->exps,
         .help = "the experiment files of the studies"},
        {.name = "reference", .meta = "CSV", .str = &o->refpath,
         .help = "the original's figures (report/original-report.csv),\n"
                 "compared where a study has the same setting; also writes\n"
                 "fidelity.csv and tables/fidelity.md"},
        {.name = "claims", .meta = "FILE", .str = &o->claims,
         .help = "the report's claims (report/claims.conf), checked over\n"
                 "the facts: writes claims.tsv, tables/claims.md and\n"
                 "tables/verdicts.md"},
        {.name = "gradcheck", .meta = "CSV", .str = &o->gradcheck,
         .help = "the gradient checks (gradcheck.csv of make report):\n"
                 "writes tables/gradcheck.md and their facts"},
        {.name = "strict", .flag = &o->strict,
         .help = "a claim that does not hold (or cannot be checked) is an\n"
                 "error naming it with its numbers, and nothing is written"},
        {.name = "studies", .meta = "FILE", .str = &o->studies,
         .help = "what the report knows of the studies (its format is in\n"
                 "its comment header)"},
        {0}};
    const OptsSpec spec = {
        .prog = "repro tabulate",
        .args = NULL,
        .about = "Writes the report's tables and cited values from the results under DIR\n"
                 "(results/<dataset>) for every study of --experiments: values.json,\n"
                 "values.tsv, values-timing.tsv, facts.tsv and facts-timing.tsv (the\n"
                 "facts, numbers at full precision) and tables/<study>.md beside\n"
                 "--out.",
        .opts = opts};
    int status;
    return opts_get(&spec, argc, argv, &status) < 0 ? status : -1;
}

/* Everything one invocation loads and computes. */
typedef struct {
    StudiesConf conf;
    Reference ref;
    int have_ref;
    char **paths;      /* the experiment files */
    size_t n, loaded;  /* experiment files, and how many of them are loaded */
    Experiment **exp;  /* [n] */
    StudyResults *studies; /* [n] */
    char **tables; /* [n] Markdown tables */
    Values vals, timing, facts, tfacts, claimvals;
    Claims claims;
    int have_claims;
    char *claims_md, *verdicts_md;
    Buf gradmd;
    Fidelity fid;
    int have_fid;
} Tabulation;

static int load_inputs(Tabulation *t, const Options *o, char *err)
{
    if (studies_load(&t->conf, o->studies, err) != 0)
        return -1;
    if (o->refpath) {
        if (reference_load(&t->ref, o->refpath, err) != 0)
            return -1;
        t->have_ref = 1;
    }
    if (results_list_experiments(o->exps, NULL, &t->paths, &t->n, err) != 0)
        return -1;
    t->exp = calloc(t->n, sizeof *t->exp);
    t->studies = calloc(t->n, sizeof *t->studies);
    t->tables = calloc(t->n, sizeof *t->tables);
    if (!t->exp || !t->studies || !t->tables)
        return err_set(err, "out of memory");
    for (; t->loaded < t->n; t->loaded++) {
        size_t i = t->loaded;
        if (!(t->exp[i] = experiment_load(t->paths[i], err)))
            return -1;
        if (study_results_load(&t->studies[i], o->results, t->exp[i], 0, err) != 0) {
            experiment_free(t->exp[i]);
            return -1;
        }
    }
    return 0;
}

/* The tables and values, the facts, the fidelity account and the claims,
 * in memory: nothing is written before every claim is checked. */
static int compute(Tabulation *t, const Options *o, char *err)
{
    const Reference *ref = t->have_ref ? &t->ref : NULL;
    if (tabulate(t->studies, t->n, ref, &t->conf, &t->vals, &t->timing, t->tables, err) != 0)
        return -1;
    if (t->have_ref) {
        if (fidelity_compute(&t->fid, &t->ref, &t->conf, t->studies, t->n, err) != 0)
            return -1;
        t->have_fid = 1;
        fidelity_values(&t->fid, &t->vals);
    }
    facts_compute(t->studies, t->n, ref, &t->conf, &t->facts, &t->tfacts);
    if (t->have_fid)
        fidelity_facts(&t->fid, &t->facts);
    if (o->gradcheck) {
        char *text = buf_read_file(o->gradcheck, err);
        if (!text)
            return -1;
        int rc = gradtab_parse(text, o->gradcheck, &t->gradmd, &t->facts, err);
        free(text);
        if (rc != 0)
            return -1;
    }
    if (t->facts.err[0] || t->tfacts.err[0])
        return err_set(err, "%s", t->facts.err[0] ? t->facts.err : t->tfacts.err);
    if (o->claims) {
        if (claims_load(&t->claims, o->claims, err) != 0)
            return -1;
        t->have_claims = 1;
        claims_eval(&t->claims, &t->facts, &t->tfacts);
        if (o->strict && claims_strict(&t->claims, err) != 0)
            return -1;
        claims_values(&t->claims, &t->claimvals);
        t->claims_md = claims_table(&t->claims);
        t->verdicts_md = claims_verdicts_table(&t->claims);
        if (!t->claims_md || !t->verdicts_md || t->claimvals.err[0])
            return err_set(err, "%s", t->claimvals.err[0] ? t->claimvals.err : "out of memory");
    }
    values_set(&t->vals, "reference:given", "%s", t->have_ref ? "yes" : "no");
    if (t->vals.err[0])
        return err_set(err, "%s", t->vals.err);
    return 0;
}

/* The tables, then the .tsv files, then values.json (the make target) last. */
static int write_outputs(const Tabulation *t, const char *dir, const char *out, char *err)
{
    char tdir[4200], path[4400];
    snprintf(tdir, sizeof tdir, "%s/tables", dir);
    if (make_dirs(tdir, err) != 0)
        return -1;
    for (size_t i = 0; i < t->n; i++) {
        snprintf(path, sizeof path, "%s/%s.md", tdir, experiment_study(t->exp[i]));
        if (write_text(path, t->tables[i], err) != 0)
            return -1;
    }
    if (t->have_fid && fidelity_save(dir, &t->fid, err) != 0)
        return -1;
    if (t->gradmd.p) {
        snprintf(path, sizeof path, "%s/gradcheck.md", tdir);
        if (write_text(path, t->gradmd.p, err) != 0)
            return -1;
    }
    if (t->have_claims) {
        snprintf(path, sizeof path, "%s/claims.md", tdir);
        if (write_text(path, t->claims_md, err) != 0)
            return -1;
        snprintf(path, sizeof path, "%s/verdicts.md", tdir);
        if (write_text(path, t->verdicts_md, err) != 0)
            return -1;
        snprintf(path, sizeof path, "%s/claims.tsv", dir);
        if (values_save_tsv(&t->claimvals, path, err) != 0)
            return -1;
    }
    snprintf(path, sizeof path, "%s/facts.tsv", dir);
    if (values_save_tsv(&t->facts, path, err) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/facts-timing.tsv", dir);
    if (values_save_tsv(&t->tfacts, path, err) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/values-timing.tsv", dir);
    if (values_save_tsv(&t->timing, path, err) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/values.tsv", dir);
    if (values_save_tsv(&t->vals, path, err) != 0)
        return -1;
    return values_save_json(&t->vals, out, err);
}

static void tabulation_release(Tabulation *t)
{
    for (size_t i = 0; i < t->loaded; i++) {
        study_results_release(&t->studies[i]);
        experiment_free(t->exp[i]);
    }
    for (size_t i = 0; t->tables && i < t->n; i++)
        free(t->tables[i]);
    free(t->tables);
    free(t->studies);
    free(t->exp);
    results_free_list(t->paths, t->n);
    values_release(&t->vals);
    values_release(&t->timing);
    values_release(&t->facts);
    values_release(&t->tfacts);
    values_release(&t->claimvals);
    claims_release(&t->claims);
    if (t->have_fid)
        fidelity_release(&t->fid);
    free(t->claims_md);
    free(t->verdicts_md);
    free(t->gradmd.p);
    if (t->have_ref)
        reference_release(&t->ref);
}

int cmd_tabulate(int argc, char **argv)
{
    Options o;
    int rc = parse_options(argc, argv, &o);
    if (rc >= 0)
        return rc;
    char err[ERR_MAX] = "", dir[4096];
    const char *slash = strrchr(o.out, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - o.out) : 1, slash ? o.out : ".");
    Tabulation t;
    memset(&t, 0, sizeof t);
    rc = load_inputs(&t, &o, err) == 0 && compute(&t, &o, err) == 0 &&
                 write_outputs(&t, dir, o.out, err) == 0
             ? 0
             : 1;
    if (rc != 0)
        fprintf(stderr, "repro tabulate: %s\n", err);
    tabulation_release(&t);
    return rc;
}
