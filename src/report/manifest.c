#include "report/manifest.h"

#include "atomic.h"
#include "err.h"
#include "host.h"
#include "experiment.h"
#include "rundir.h"
#include "runpath.h"
#include "gemm.h"
#include "sha256.h"

#include <jansson.h>
#include <math.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define PATH_CAP 4096

static const char *const DATA_FILES[] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                         "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
/* The metrics shown as deltas when a run differs (summary.json's "final"). */
static const Metric METRICS[] = {METRIC_TEST_ACC, METRIC_TRAIN_ACC, METRIC_VAL_ACC,
                                 METRIC_TRAIN_LOSS, METRIC_LAST_BATCH_ACC};

/* First line printed by a fixed command (never built from data), or "". */
static void command_line(const char *cmd, char *out, size_t size)
{
    out[0] = '\0';
    FILE *p = popen(cmd, "r");
    if (!p)
        return;
    if (fgets(out, (int)size, p))
        out[strcspn(out, "\r\n")] = '\0';
    else
        out[0] = '\0';
    char sink[256];
    while (fgets(sink, sizeof sink, p))
        ;
    if (pclose(p) != 0)
        out[0] = '\0';
}

static int hash_into(json_t *obj, const char *key, const char *path, int optional, char *err)
{
    char hex[SHA256_HEX];
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        if (optional)
            return 0;
        return err_set(err, "manifest: '%s': missing", path);
    }
    fclose(probe);
    if (sha256_file(path, hex, err) < 0)
        return -1;
    json_object_set_new(obj, key, json_string(hex));
    return 0;
}

/* The headline metrics and status of the run in dir, read from its
 * summary.json. Its epochs.csv and (when present) iterations.csv are read
 * too, with every check the report's readers make: the manifest hashes them,
 * and must not vouch for a file that the report cannot read. */
static int run_metrics(const char *dir, json_t *out, char *err)
{
    RunResult r;
    char iters[PATH_CAP + 32];
    snprintf(iters, sizeof iters, "%s/%s", dir, rundir_file_name(RUN_ITERATIONS));
    FILE *probe = fopen(iters, "rb");
    if (probe)
        fclose(probe);
    if (run_result_load(&r, dir, probe ? RESULTS_ITERATIONS : 0, err) < 0)
        return -1;
    json_object_set_new(out, "status", json_string(run_status_name(r.status)));
    for (size_t i = 0; i < sizeof METRICS / sizeof METRICS[0]; i++)
        if (!isnan(r.final[METRICS[i]]))
            json_object_set_new(out, metric_name(METRICS[i]), json_real(r.final[METRICS[i]]));
    run_result_release(&r);
    return 0;
}

/* Where a run ran, from its timing.json: {"node", "cpu", "kernel_path",
 * "machine"} with the fields it names. */
static json_t *run_host(const RunTiming *t)
{
    const char *const fields[][2] = {{"node", t->node},
                                     {"cpu", t->cpu_model},
                                     {"kernel_path", t->isa},
                                     {"machine", t->machine}};
    json_t *host = json_object();
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (t->present && fields[i][1][0])
            json_object_set_new(host, fields[i][0], json_string(fields[i][1]));
    return host;
}

/* Adds v (a kernel path, an architecture) to the list, unless empty or listed. */
static void add_unique(json_t *list, const char *v)
{
    int seen = v[0] == '\0';
    for (size_t k = 0; !seen && k < json_array_size(list); k++)
        seen = strcmp(json_string_value(json_array_get(list, k)), v) == 0;
    if (!seen)
        json_array_append_new(list, json_string(v));
}

static json_t *environment(const ManifestOptions *o, json_t *isas, json_t *machines)
{
    char buf[1024];
    json_t *env = json_object();
    command_line("git rev-parse HEAD 2>/dev/null", buf, sizeof buf);
    json_object_set_new(env, "git_commit", json_string(buf[0] ? buf : "unknown"));
    char dirty[256];
    command_line("git status --porcelain --untracked-files=no 2>/dev/null | head -1", dirty,
                 sizeof dirty);
    json_object_set_new(env, "git_dirty", buf[0] ? json_boolean(dirty[0] != '\0') : json_null());
    command_line("cc --version 2>/dev/null", buf, sizeof buf);
    json_object_set_new(env, "compiler", json_string(buf));
    char path[PATH_CAP];
    snprintf(path, sizeof path, "%s/flags", o->build_dir);
    FILE *f = fopen(path, "r");
    buf[0] = '\0';
    if (f) {
        if (!fgets(buf, sizeof buf, f))
            buf[0] = '\0';
        buf[strcspn(buf, "\n")] = '\0';
        fclose(f);
    }
    json_object_set_new(env, "flags", json_string(buf));
    host_cpu_model(buf, sizeof buf);
    json_object_set_new(env, "cpu", json_string(buf));
    json_object_set_new(env, "kernel_paths", isas);
    json_object_set_new(env, "kernel_path_here", json_string(isa_name(gemm_isa())));

    json_object_set_new(env, "architectures", machines);
    json_object_set_new(env, "architecture_here", json_string(isa_machine()));
    json_t *tools = json_object();
    json_object_set_new(tools, "zlib", json_string(zlibVersion()));
    json_object_set_new(tools, "jansson", json_string(JANSSON_VERSION));
    json_object_set_new(tools, "openssl", json_string(OpenSSL_version(OPENSSL_VERSION)));
    command_line("pkg-config --modversion check 2>/dev/null", buf, sizeof buf);
    json_object_set_new(tools, "check", json_string(buf));
    command_line("gnuplot --version 2>/dev/null", buf, sizeof buf);
    json_object_set_new(tools, "gnuplot", json_string(buf));
    command_line("pandoc --version 2>/dev/null", buf, sizeof buf);
    json_object_set_new(tools, "pandoc", json_string(buf));
    json_object_set_new(env, "tools", tools);
    return env;
}

/* The appendix's summary of a manifest: one "label<TAB>text" line per item. */
static int write_values(json_t *root, const char *path, char *err)
{
    char parent[PATH_CAP];
    snprintf(parent, sizeof parent, "%s", path);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = '\0';
        if (make_dirs(parent, err) < 0)
            return -1;
    }
    AtomicFile a;
    if (atomic_open(&a, path, err) < 0)
        return -1;
    json_t *env = json_object_get(root, "environment");
    json_t *tools = json_object_get(env, "tools");
    fprintf(a.f, "Dataset\t%s\n", json_string_value(json_object_get(root, "dataset")));
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(root, "data"), k, v)
        fprintf(a.f, "%s\tSHA-256 %.16s...\n", k, json_string_value(v));
    fprintf(a.f, "Experiment files\t%zu, each hashed\n",
            json_object_size(json_object_get(root, "experiments")));
    fprintf(a.f, "Runs\t%zu, each with summary.json, epochs.csv and iterations.csv hashed\n",
            json_object_size(json_object_get(root, "runs")));
    json_t *dirty = json_object_get(env, "git_dirty");
    fprintf(a.f, "Git commit\t%.12s%s\n", json_string_value(json_object_get(env, "git_commit")),
            json_is_true(dirty) ? " (working tree with uncommitted changes)" : "");
    fprintf(a.f, "Compiler\t%s\n", json_string_value(json_object_get(env, "compiler")));
    fprintf(a.f, "CPU\t%s\n", json_string_value(json_object_get(env, "cpu")));
    fputs("Kernel paths used\t", a.f);
    json_t *paths = json_object_get(env, "kernel_paths");
    for (size_t i = 0; i < json_array_size(paths); i++)
        fprintf(a.f, "%s%s", i ? ", " : "", json_string_value(json_array_get(paths, i)));
    fputc('\n', a.f);
    fputs("Architectures used\t", a.f);
    json_t *machines = json_object_get(env, "architectures");
    for (size_t i = 0; i < json_array_size(machines); i++)
        fprintf(a.f, "%s%s", i ? ", " : "", json_string_value(json_array_get(machines, i)));
    fputc('\n', a.f);
    json_object_foreach(tools, k, v)
        fprintf(a.f, "%s\t%s\n", k, json_string_value(v)[0] ? json_string_value(v) : "not found");
    return atomic_commit(&a, err);
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

int manifest_in_sample(const Experiment *e, size_t i, size_t n)
{
    return n == 0 || i % experiment_seed_count(e) < n;
}

int manifest_write(const ManifestOptions *o, const char *out, char *err)
{
    char values_path[PATH_CAP];
    snprintf(values_path, sizeof values_path, "%s", o->values ? o->values : "");
    json_t *root = json_object();
    json_t *data = json_object(), *exps = json_object(), *runs = json_object();
    json_t *isas = json_array(), *machines = json_array();
    json_object_set_new(root, "format", json_integer(1));
    json_object_set_new(root, "dataset", json_string(o->dataset));
    json_object_set_new(root, "data", data);
    json_object_set_new(root, "experiments", exps);
    json_object_set_new(root, "runs", runs);
    char path[PATH_CAP + 32];
    int rc = -1;
    for (size_t i = 0; i < sizeof DATA_FILES / sizeof DATA_FILES[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", o->data_dir, DATA_FILES[i]);
        if (hash_into(data, DATA_FILES[i], path, 0, err) < 0)
            goto done;
    }
    for (size_t i = 0; i < o->n_exps; i++) {
        if (hash_into(exps, base_name(o->exps[i]), o->exps[i], 0, err) < 0)
            goto done;
        Experiment *e = experiment_load(o->exps[i], err);
        if (!e)
            goto done;
        for (size_t r = 0; r < experiment_run_count(e); r++) {
            RunConfig cfg;
            char name[RUN_NAME_MAX], dir[PATH_CAP], key[PATH_CAP];
            if (!manifest_in_sample(e, r, o->sample))
                continue;
            experiment_run(e, r, &cfg, name);
            if (run_path(dir, sizeof dir, o->results_dir, NULL, experiment_study(e), name, NULL) <
                0) {
                err_set(err, "manifest: '%s': path too long", o->results_dir);
                experiment_free(e);
                goto done;
            }
            snprintf(key, sizeof key, "%s/%s", experiment_study(e), name);
            json_t *run = json_object(), *files = json_object(), *metrics = json_object();
            json_object_set_new(run, "files", files);
            json_object_set_new(run, "metrics", metrics);
            json_object_set_new(runs, key, run);
            for (int k = 0; k < RUN_RESULT_FILES; k++) {
                const char *file = rundir_file_name((RunFile)k);
                snprintf(path, sizeof path, "%s/%s", dir, file);
                if (hash_into(files, file, path, k == RUN_ITERATIONS, err) < 0) {
                    experiment_free(e);
                    goto done;
                }
            }
            RunTiming t;
            if (run_metrics(dir, metrics, err) < 0 || rundir_read_timing(dir, &t, err) < 0) {
                experiment_free(e);
                goto done;
            }
            json_object_set_new(run, "ran_on", run_host(&t));
            add_unique(isas, t.isa);
            add_unique(machines, t.machine);
        }
        experiment_free(e);
    }
    json_object_set_new(root, "environment", environment(o, isas, machines));
    isas = machines = NULL;
    rc = atomic_write_json(out, root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(9),
                           err);
    if (rc == 0 && values_path[0])
        rc = write_values(root, values_path, err);
done:
    json_decref(isas);
    json_decref(machines);
    json_decref(root);
    return rc;
}

/* Whether every value of obj is a string (a SHA-256, as written). */
static int all_strings(json_t *obj)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v) if (!json_is_string(v)) return 0;
    return 1;
}

/* A name from a manifest as one line of text: control characters (a newline,
 * an escape sequence) become '?' in buf. */
static const char *printable(const char *s, char *buf, size_t size)
{
    size_t i = 0;
    for (; s[i] && i + 1 < size; i++)
        buf[i] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? '?' : s[i];
    buf[i] = '\0';
    return buf;
}

/* The shape the comparison relies on, types included: "format" (if present)
 * the number 1, "dataset" (if present) a string, "data" and "experiments" objects of strings, "runs" an
 * object of runs, each with a "files" object of strings, and if present a
 * "metrics" object of numbers (its "status" a string) and a "ran_on" object;
 * "environment", if present, an object. Returns 0, or -1 with err naming the
 * file and the first member that is wrong. */
static int check_shape(json_t *m, const char *path, char *err)
{
    if (!json_is_object(m))
        return err_set(err, "manifest: '%s': not a manifest (not a JSON object)", path);
    json_t *runs = json_object_get(m, "runs");
    if (!json_is_object(runs) || !json_is_object(json_object_get(m, "data")) ||
        !json_is_object(json_object_get(m, "experiments")))
        return err_set(err,
                       "manifest: '%s': not a manifest (no \"runs\", \"data\" or \"experiments\")",
                       path);
    json_t *format = json_object_get(m, "format"), *dataset = json_object_get(m, "dataset");
    if (format && (!json_is_integer(format) || json_integer_value(format) != 1))
        return err_set(err, "manifest: '%s': \"format\" must be the number 1", path);
    if (dataset && !json_is_string(dataset))
        return err_set(err, "manifest: '%s': \"dataset\" must be a string", path);
    json_t *env = json_object_get(m, "environment");
    if (env && !json_is_object(env))
        return err_set(err, "manifest: '%s': \"environment\" must be an object", path);
    if (!all_strings(json_object_get(m, "data")) ||
        !all_strings(json_object_get(m, "experiments")))
        return err_set(err, "manifest: '%s': \"data\" and \"experiments\" must map names to strings",
                       path);
    char buf[PATH_CAP];
    const char *k;
    json_t *v;
    json_object_foreach(runs, k, v) {
        json_t *files = json_object_get(v, "files"), *metrics = json_object_get(v, "metrics");
        json_t *on = json_object_get(v, "ran_on");
        if (!json_is_object(files) || !all_strings(files) || (metrics && !json_is_object(metrics)))
            return err_set(err, "manifest: '%s': run '%s' needs a \"files\" object of strings", path,
                           printable(k, buf, sizeof buf));
        if (on && !json_is_object(on))
            return err_set(err, "manifest: '%s': run '%s': \"ran_on\" must be an object", path,
                           printable(k, buf, sizeof buf));
        const char *mk;
        json_t *mv;
        json_object_foreach(metrics, mk, mv) {
            int string = strcmp(mk, "status") == 0;
            if (string ? !json_is_string(mv) : !json_is_number(mv)) {
                char name[256];
                return err_set(err, "manifest: '%s': run '%s': metric \"%s\" must be a %s", path,
                               printable(k, buf, sizeof buf), printable(mk, name, sizeof name),
                               string ? "string" : "number");
            }
        }
    }
    return 0;
}

/* Reads a manifest (any file may be named with MANIFEST=file) and checks its
 * shape (check_shape). */
static json_t *load(const char *path, char *err)
{
    json_error_t je;
    json_t *m = json_load_file(path, 0, &je);
    if (!m) {
        err_set(err, "manifest: '%s':%d:%d: %s", path, je.line, je.column, je.text);
        return NULL;
    }
    if (check_shape(m, path, err) < 0) {
        json_decref(m);
        return NULL;
    }
    return m;
}

int manifest_check(const char *path, char *err)
{
    json_t *m = load(path, err);
    json_decref(m);
    return m ? 0 : -1;
}


static int in_studies(const char *key, const char *const *studies, size_t n)
{
    if (n == 0)
        return 1;
    size_t len = strcspn(key, "/");
    for (size_t i = 0; i < n; i++)
        if (strlen(studies[i]) == len && strncmp(key, studies[i], len) == 0)
            return 1;
    return 0;
}

/* Lines for the entries of two {name: sha} objects that differ. */
static size_t compare_hashes(const char *what, json_t *want, json_t *got, FILE *report)
{
    char buf[PATH_CAP];
    size_t diff = 0;
    const char *k;
    json_t *v;
    json_object_foreach(want, k, v) {
        json_t *g = json_object_get(got, k);
        if (!g) {
            fprintf(report, "%s %s: missing\n", what, printable(k, buf, sizeof buf));
            diff++;
        } else if (!json_equal(v, g)) {
            fprintf(report, "%s %s: sha-256 differs\n", what, printable(k, buf, sizeof buf));
            diff++;
        }
    }
    json_object_foreach(got, k, v) if (!json_object_get(want, k))
    {
        fprintf(report, "%s %s: not in the expected manifest\n", what,
                printable(k, buf, sizeof buf));
        diff++;
    }
    return diff;
}

/* "epochs.csv, summary.json differ; test_acc 0.8276 -> 0.828 (+0.0004)" */
static void describe_run(const char *key, json_t *want, json_t *got, FILE *report)
{
    char buf[PATH_CAP], buf2[PATH_CAP];
    fprintf(report, "run %s:", printable(key, buf, sizeof buf));
    json_t *wf = json_object_get(want, "files"), *gf = json_object_get(got, "files");
    const char *k;
    json_t *v;
    const char *sep = " ";
    json_object_foreach(wf, k, v) if (!json_equal(v, json_object_get(gf, k)))
    {
        fprintf(report, "%s%s", sep, printable(k, buf, sizeof buf));
        sep = ", ";
    }
    /* files only the rerun has */
    json_object_foreach(gf, k, v) if (!json_object_get(wf, k))
    {
        fprintf(report, "%s%s", sep, printable(k, buf, sizeof buf));
        sep = ", ";
    }
    fprintf(report, " differ");
    json_t *wm = json_object_get(want, "metrics"), *gm = json_object_get(got, "metrics");
    const char *ws = json_string_value(json_object_get(wm, "status"));
    const char *gs = json_string_value(json_object_get(gm, "status"));
    if (ws && gs && strcmp(ws, gs) != 0)
        fprintf(report, "; status %s -> %s", printable(ws, buf, sizeof buf),
                printable(gs, buf2, sizeof buf2));
    for (size_t i = 0; i < sizeof METRICS / sizeof METRICS[0]; i++) {
        const char *name = metric_name(METRICS[i]);
        json_t *a = json_object_get(wm, name), *b = json_object_get(gm, name);
        if (!json_is_number(a) || !json_is_number(b))
            continue;
        double x = json_number_value(a), y = json_number_value(b);
        if (x != y)
            fprintf(report, "; %s %.9g -> %.9g (%+.3g)", name, x, y, y - x);
    }
    fputc('\n', report);
}

/* "expected ran on node1 (AMD EPYC 7763, avx2): 25 runs", one line per
 * machine and kernel path that the runs of a manifest named in keys (an
 * object whose keys are run keys) ran on; none for a manifest that does not
 * record where its runs ran. */
static void describe_hosts(const char *which, json_t *runs, json_t *keys, FILE *report)
{
    json_t *count = json_object();
    const char *k;
    json_t *v, *sel;
    json_object_foreach(keys, k, sel) {
        v = json_object_get(runs, k);
        json_t *on = json_object_get(v, "ran_on");
        const char *node = json_string_value(json_object_get(on, "node"));
        if (!node)
            continue;
        const char *cpu = json_string_value(json_object_get(on, "cpu"));
        const char *isa = json_string_value(json_object_get(on, "kernel_path"));
        char where[1024];
        snprintf(where, sizeof where, "%s (%s, %s)", node, cpu ? cpu : "unknown CPU",
                 isa ? isa : "unknown kernel path");
        json_int_t n = json_integer_value(json_object_get(count, where));
        json_object_set_new(count, where, json_integer(n + 1));
    }
    json_object_foreach(count, k, v)
        fprintf(report, "%s ran on %s: %lld runs\n", which, k, (long long)json_integer_value(v));
    json_decref(count);
}

/* The configuration a run key belongs to: the key without its seed part
 * ("study/lambda-0.2,seed-1" -> "study/lambda-0.2", "study/seed-1" ->
 * "study/"); a key without one is its own. */
static void config_of_key(const char *key, char *out, size_t size)
{
    snprintf(out, size, "%s", key);
    char *run = strchr(out, '/');
    run = run ? run + 1 : out;
    char *comma = strrchr(run, ',');
    char *part = comma ? comma + 1 : run;
    if (strncmp(part, "seed-", 5) == 0)
        *(comma ? comma : part) = '\0';
}

/* The keys of runs (an object) in the studies listed and the sample: an
 * object key -> true. */
static json_t *selected(json_t *runs, const char *const *studies, size_t n_studies, size_t sample)
{
    json_t *keys = json_object(), *seen = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(runs, k, v) {
        if (!in_studies(k, studies, n_studies))
            continue;
        if (sample) {
            char cfg[PATH_CAP];
            config_of_key(k, cfg, sizeof cfg);
            json_int_t n = json_integer_value(json_object_get(seen, cfg));
            json_object_set_new(seen, cfg, json_integer(n + 1));
            if ((size_t)n >= sample)
                continue;
        }
        json_object_set_new(keys, k, json_true());
    }
    json_decref(seen);
    return keys;
}

int manifest_compare(const char *expected, const char *actual, const char *const *studies,
                     size_t n_studies, size_t sample, FILE *report, size_t *n_diff, char *err)
{
    json_t *want = load(expected, err);
    if (!want)
        return -1;
    json_t *got = load(actual, err);
    if (!got) {
        json_decref(want);
        return -1;
    }
    char buf[PATH_CAP];
    size_t diff = 0, same = 0, differ = 0, missing = 0, extra = 0;
    diff += compare_hashes("data", json_object_get(want, "data"), json_object_get(got, "data"),
                           report);
    if (n_studies == 0)
        diff += compare_hashes("experiment", json_object_get(want, "experiments"),
                               json_object_get(got, "experiments"), report);
    json_t *wr = json_object_get(want, "runs"), *gr = json_object_get(got, "runs");
    json_t *wk = selected(wr, studies, n_studies, sample);
    json_t *gk = selected(gr, studies, n_studies, sample);
    const char *k;
    json_t *v;
    json_object_foreach(wk, k, v) {
        json_t *w = json_object_get(wr, k), *g = json_object_get(gk, k) ? json_object_get(gr, k) : NULL;
        if (!g) {
            fprintf(report, "run %s: missing\n", printable(k, buf, sizeof buf));
            missing++;
        } else if (!json_equal(json_object_get(w, "files"), json_object_get(g, "files"))) {
            describe_run(k, w, g, report);
            differ++;
        } else {
            same++;
        }
    }
    json_object_foreach(gk, k, v) if (!json_object_get(wk, k))
    {
        fprintf(report, "run %s: not in the expected manifest\n", printable(k, buf, sizeof buf));
        extra++;
    }
    diff += differ + missing + extra;
    describe_hosts("expected", wr, wk, report);
    describe_hosts("actual", gr, gk, report);
    size_t checked = json_object_size(wk), total = json_object_size(wr);
    fprintf(report,
            "verify: %zu runs identical, %zu differ, %zu missing, %zu unexpected; checked %zu of "
            "the %zu expected runs (%.0f%%",
            same, differ, missing, extra, checked, total,
            total ? 100.0 * (double)checked / (double)total : 100.0);
    if (sample == 1)
        fprintf(report, ": the first seed of every configuration");
    else if (sample)
        fprintf(report, ": the first %zu seeds of every configuration", sample);
    if (n_studies)
        fprintf(report, "%s %zu stud%s", sample ? ", in" : ": in", n_studies,
                n_studies == 1 ? "y" : "ies");
    fprintf(report, ")\n");
    json_decref(wk);
    json_decref(gk);
    json_decref(want);
    json_decref(got);
    *n_diff = diff;
    return 0;
}
