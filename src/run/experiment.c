/* experiment.c - parser of experiments/NAME.exp (format: experiments/README.md).
 *
 * Loading reads the whole file, splits it into `key = value` entries (pass 1:
 * syntax, unknown and duplicate keys), reads `model` (pass 2: it decides the
 * defaults and which keys apply), then checks every other entry in file order
 * (pass 3: values, ranges, duplicates within a list). A key given one value
 * goes into the base config; a key given a list becomes a sweep. A run is the
 * base config with one value of each sweep and one seed applied, numbered in
 * mixed radix: seed fastest, then the last swept key, ..., the first swept key. */
#include "experiment.h"
#include "err.h"
#include "fileio.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The file's keys: every configuration field but the seed, numbered as in
 * runconfig.h, then the file's own. */
typedef enum { K_SEEDS = CFG_SEED, K_TITLE, K_DESCRIPTION, K_ALONE, K_COUNT } FileKey;
typedef int EntryKey; /* a ConfigField below K_SEEDS, else a FileKey */

static const char *key_name(EntryKey k)
{
    static const char *const FILE_KEYS[] = {"seeds", "title", "description", "alone"};
    return k < K_SEEDS ? config_field_name((ConfigField)k) : FILE_KEYS[k - K_SEEDS];
}

typedef struct {
    int key; /* EntryKey */
    size_t n;
    char **text; /* n value texts as written, trimmed */
} Sweep;

struct Experiment {
    char *path;
    char *study;
    char *title;       /* NULL when absent */
    char *description; /* NULL when absent */
    int alone;         /* `alone = true`: train one at a time, after every other run */
    RunConfig base;    /* defaults plus every single-valued key */
    Sweep sweeps[K_COUNT];
    size_t n_sweeps;
    uint64_t *seeds;
    char **seed_text;
    size_t n_seeds;
    size_t n_runs;
};

/* One `key = value` line: value points into the loaded text (NUL-terminated). */
typedef struct {
    EntryKey key;
    int line;
    char *value;
} Entry;

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int
line_error(char *err, const char *path, int line, const char *fmt, ...)
{
    char msg[ERR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line > 0)
        return err_set(err, "%s:%d: %s", path, line, msg);
    return err_set(err, "%s: %s", path, msg);
}

static int parse_seed(const char *s, uint64_t *out)
{
    if (*s == '\0')
        return -1;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return -1;
    errno = 0;
    unsigned long long v = strtoull(s, NULL, 10);
    if (errno == ERANGE || v > UINT64_MAX)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

/* Parses one value of key k into cfg (or *seed for K_SEEDS). Returns 0, or -1
 * with the message, without its "path:line: " prefix, in msg (ERR_MAX). */
static int value_parse(EntryKey k, const char *s, RunConfig *cfg, uint64_t *seed, char *msg)
{
    if (k < K_SEEDS)
        return runconfig_set(cfg, (ConfigField)k, s, msg);
    if (k == K_SEEDS) {
        if (parse_seed(s, seed) != 0)
            return err_set(msg, "'%s' must be unsigned integers, got '%s'", key_name(k), s);
        return 0;
    }
    return err_set(msg, "'%s' is free text", key_name(k));
}

static int name_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '+' || c == '-';
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static int key_lookup(const char *s)
{
    for (int k = 0; k < K_COUNT; k++)
        if (strcmp(s, key_name(k)) == 0)
            return k;
    return -1;
}

/* Reads the whole file into a NUL-terminated heap buffer; *n is its length. */
static char *read_file(const char *path, size_t *n, char *err)
{
    char *buf;
    switch (file_read_all(path, EXPERIMENT_FILE_MAX, &buf, n)) {
    case FILE_READ_OK:
        return buf;
    case FILE_READ_OPEN:
        err_set(err, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    case FILE_READ_MEMORY:
        err_set(err, "%s: out of memory", path);
        return NULL;
    case FILE_READ_ERROR:
        err_set(err, "%s: read error", path);
        return NULL;
    default:
        err_set(err, "%s: larger than %d bytes", path, EXPERIMENT_FILE_MAX);
        return NULL;
    }
}

/* Pass 1: cuts buf into lines and lines into entries (file order); by_key maps
 * a key to its entry index or -1. Returns the entry count, or -1. */
static int lex(const char *path, char *buf, size_t len, Entry *entries, int *by_key, char *err)
{
    int count = 0;
    int line = 0;
    for (int k = 0; k < K_COUNT; k++)
        by_key[k] = -1;
    size_t pos = 0;
    while (pos < len) {
        line++;
        char *s = buf + pos;
        size_t n = 0;
        while (pos + n < len && s[n] != '\n')
            n++;
        pos += n + 1;
        if (n > EXPERIMENT_LINE_MAX)
            return line_error(err, path, line, "line longer than %d bytes", EXPERIMENT_LINE_MAX);
        if (n > 0 && s[n - 1] == '\r')
            n--; /* CRLF line ends */
        for (size_t i = 0; i < n; i++) {
            if (s[i] == '\0')
                return line_error(err, path, line, "NUL byte");
            if ((unsigned char)s[i] < 0x20 && s[i] != '\t')
                return line_error(err, path, line, "control character 0x%02x",
                                  (unsigned)(unsigned char)s[i]);
        }
        s[n] = '\0';
        char *hash = strchr(s, '#');
        if (hash)
            *hash = '\0';
        s = trim(s);
        if (*s == '\0')
            continue;
        char *eq = strchr(s, '=');
        if (!eq)
            return line_error(err, path, line, "expected 'key = value', got '%s'", s);
        *eq = '\0';
        char *key = trim(s);
        char *value = trim(eq + 1);
        if (*key == '\0')
            return line_error(err, path, line, "missing key before '='");
        int k = key_lookup(key);
        if (k < 0)
            return line_error(err, path, line, "unknown key '%s'", key);
        if (by_key[k] >= 0)
            return line_error(err, path, line, "duplicate key '%s' (first at line %d)", key,
                              entries[by_key[k]].line);
        if (*value == '\0')
            return line_error(err, path, line, "empty value for '%s'", key);
        by_key[k] = count;
        entries[count].key = (EntryKey)k;
        entries[count].line = line;
        entries[count].value = value;
        count++;
    }
    return count;
}

static void strings_free(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void experiment_free(Experiment *e)
{
    if (!e)
        return;
    free(e->path);
    free(e->study);
    free(e->title);
    free(e->description);
    for (size_t j = 0; j < e->n_sweeps; j++)
        strings_free(e->sweeps[j].text, e->sweeps[j].n);
    free(e->seeds);
    strings_free(e->seed_text, e->n_seeds);
    free(e);
}

/* The study name: base name of path without ".exp" or ".cfg". */
static char *study_from_path(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 4 && (strcmp(base + n - 4, ".exp") == 0 || strcmp(base + n - 4, ".cfg") == 0))
        n -= 4;
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, base, n);
        s[n] = '\0';
    }
    return s;
}

/* Splits a list value in place on ','. Returns the element count (trimmed
 * pointers in items, at most max), or -1 with a message. */
static int split_list(const char *path, const Entry *en, char **items, int max, char *err)
{
    int n = 0;
    char *s = en->value;
    for (;;) {
        char *comma = strchr(s, ',');
        if (comma)
            *comma = '\0';
        char *item = trim(s);
        if (*item == '\0')
            return line_error(err, path, en->line, "empty value in the list of '%s'",
                              key_name(en->key));
        for (const char *p = item; *p; p++)
            if (*p == ' ' || *p == '\t')
                return line_error(err, path, en->line, "'%s': value '%s' contains a space",
                                  key_name(en->key), item);
        if (n == max)
            return line_error(err, path, en->line, "'%s' has more than %d values",
                              key_name(en->key), max);
        items[n++] = item;
        if (!comma)
            return n;
        s = comma + 1;
    }
}

/* Pass 3 for one entry: checks its values and stores them into e. */
static int entry_apply(Experiment *e, const Entry *en, char *err)
{
    enum { LIST_MAX = EXPERIMENT_VALUES_MAX };
    char *items[LIST_MAX];
    RunConfig parsed[LIST_MAX];
    uint64_t seeds[LIST_MAX];
    const char *name = key_name(en->key);
    char msg[ERR_MAX];

    /* entries here are configuration fields or seeds, which apply to both */
    if (!config_field_applies((ConfigField)en->key, e->base.model))
        return line_error(err, e->path, en->line, "'%s' does not apply to model '%s'", name,
                          model_name(e->base.model));
    int n = split_list(e->path, en, items, LIST_MAX, err);
    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        memcpy(&parsed[i], &e->base, sizeof e->base);
        seeds[i] = 0;
        if (value_parse(en->key, items[i], &parsed[i], &seeds[i], msg) != 0)
            return line_error(err, e->path, en->line, "%s", msg);
        for (int u = 0; u < i; u++) {
            int same = en->key == K_SEEDS ? seeds[u] == seeds[i]
                                          : runconfig_field_equal(en->key, &parsed[u], &parsed[i]);
            if (same)
                return line_error(err, e->path, en->line, "'%s': value '%s' repeats '%s'", name,
                                  items[i], items[u]);
        }
    }

    if (en->key == K_SEEDS) {
        e->seeds = malloc((size_t)n * sizeof *e->seeds);
        e->seed_text = calloc((size_t)n, sizeof *e->seed_text);
        if (!e->seeds || !e->seed_text)
            return line_error(err, e->path, en->line, "out of memory");
        e->n_seeds = (size_t)n;
        for (int i = 0; i < n; i++) {
            e->seeds[i] = seeds[i];
            if (!(e->seed_text[i] = strdup(items[i])))
                return line_error(err, e->path, en->line, "out of memory");
        }
        return 0;
    }
    if (n == 1) {
        memcpy(&e->base, &parsed[0], sizeof e->base);
        return 0;
    }
    /* Every value that parses today is made of these characters; the check
     * keeps a future key from putting '/', ':' or '%' into a make target. */
    for (int i = 0; i < n; i++)
        for (const char *p = items[i]; *p; p++)
            if (!name_char_ok(*p))
                return line_error(err, e->path, en->line,
                                  "'%s': value '%s' cannot be part of a run name", name, items[i]);
    Sweep *sw = &e->sweeps[e->n_sweeps];
    sw->key = en->key;
    sw->text = calloc((size_t)n, sizeof *sw->text);
    if (!sw->text)
        return line_error(err, e->path, en->line, "out of memory");
    e->n_sweeps++;
    sw->n = (size_t)n;
    for (int i = 0; i < n; i++)
        if (!(sw->text[i] = strdup(items[i])))
            return line_error(err, e->path, en->line, "out of memory");
    return 0;
}

/* Counts the runs and checks that every run name fits. */
static int check_runs(Experiment *e, char *err)
{
    size_t runs = e->n_seeds;
    size_t name_len = strlen("seed-");
    size_t longest = 0;
    for (size_t k = 0; k < e->n_seeds; k++)
        if (strlen(e->seed_text[k]) > longest)
            longest = strlen(e->seed_text[k]);
    name_len += longest;
    for (size_t j = 0; j < e->n_sweeps; j++) {
        const Sweep *sw = &e->sweeps[j];
        if (runs > EXPERIMENT_RUNS_MAX / sw->n)
            return line_error(err, e->path, 0, "more than %d runs", EXPERIMENT_RUNS_MAX);
        runs *= sw->n;
        longest = 0;
        for (size_t v = 0; v < sw->n; v++)
            if (strlen(sw->text[v]) > longest)
                longest = strlen(sw->text[v]);
        name_len += strlen(key_name(sw->key)) + 2 + longest; /* "key-value," */
    }
    if (name_len >= RUN_NAME_MAX)
        return line_error(err, e->path, 0, "run names longer than %d bytes", RUN_NAME_MAX - 1);
    e->n_runs = runs;
    return 0;
}

static Experiment *load_text(const char *path, char *buf, size_t len, char *err)
{
    /* Every entry is a distinct known key, so there are at most K_COUNT. */
    Entry entries[K_COUNT];
    int by_key[K_COUNT];
    char msg[ERR_MAX];

    int n = lex(path, buf, len, entries, by_key, err);
    if (n < 0)
        return NULL;
    Experiment *e = calloc(1, sizeof *e);
    if (!e || !(e->path = strdup(path)) || !(e->study = study_from_path(path))) {
        experiment_free(e);
        err_set(err, "%s: out of memory", path);
        return NULL;
    }
    if (by_key[CFG_MODEL] < 0) {
        experiment_free(e);
        line_error(err, path, 0, "no 'model' key (softmax or mlp)");
        return NULL;
    }
    const Entry *model = &entries[by_key[CFG_MODEL]];
    RunConfig probe;
    memset(&probe, 0, sizeof probe);
    if (strchr(model->value, ',')) {
        experiment_free(e);
        line_error(err, path, model->line, "'model' takes one value");
        return NULL;
    }
    if (value_parse(CFG_MODEL, model->value, &probe, NULL, msg) != 0) {
        experiment_free(e);
        line_error(err, path, model->line, "%s", msg);
        return NULL;
    }
    runconfig_defaults(&e->base, probe.model);

    for (int i = 0; i < n; i++) {
        const Entry *en = &entries[i];
        int rc = 0;
        switch (en->key) {
        case CFG_MODEL:
            break;
        case K_TITLE:
            if (!(e->title = strdup(en->value)))
                rc = line_error(err, path, en->line, "out of memory");
            break;
        case K_DESCRIPTION:
            if (!(e->description = strdup(en->value)))
                rc = line_error(err, path, en->line, "out of memory");
            break;
        case K_ALONE:
            if (strcmp(en->value, "true") == 0 || strcmp(en->value, "false") == 0)
                e->alone = en->value[0] == 't';
            else
                rc = line_error(err, path, en->line, "'alone' must be true or false, got '%s'",
                                en->value);
            break;
        default: /* the configuration's fields and the seeds */
            rc = entry_apply(e, en, err);
            break;
        }
        if (rc != 0) {
            experiment_free(e);
            return NULL;
        }
    }
    if (e->n_seeds == 0) {
        e->seeds = malloc(sizeof *e->seeds);
        e->seed_text = calloc(1, sizeof *e->seed_text);
        if (!e->seeds || !e->seed_text || !(e->seed_text[0] = strdup("1"))) {
            experiment_free(e);
            err_set(err, "%s: out of memory", path);
            return NULL;
        }
        e->seeds[0] = 1;
        e->n_seeds = 1;
    }
    if (check_runs(e, err) != 0) {
        experiment_free(e);
        return NULL;
    }
    return e;
}

Experiment *experiment_load(const char *path, char *err)
{
    size_t len;
    char *buf = read_file(path, &len, err);
    if (!buf)
        return NULL;
    Experiment *e = load_text(path, buf, len, err);
    free(buf);
    return e;
}

const char *experiment_study(const Experiment *e)
{
    return e->study;
}

const char *experiment_path(const Experiment *e)
{
    return e->path;
}

const char *experiment_title(const Experiment *e)
{
    return e->title ? e->title : e->study;
}

int experiment_alone(const Experiment *e)
{
    return e->alone;
}

const char *experiment_description(const Experiment *e)
{
    return e->description ? e->description : "";
}

ModelKind experiment_model(const Experiment *e)
{
    return e->base.model;
}

size_t experiment_run_count(const Experiment *e)
{
    return e->n_runs;
}

size_t experiment_seed_count(const Experiment *e)
{
    return e->n_seeds;
}

uint64_t experiment_seed(const Experiment *e, size_t k)
{
    return e->seeds[k];
}

size_t experiment_sweep_count(const Experiment *e)
{
    return e->n_sweeps;
}

const char *experiment_sweep_key(const Experiment *e, size_t j)
{
    return key_name(e->sweeps[j].key);
}

size_t experiment_sweep_value_count(const Experiment *e, size_t j)
{
    return e->sweeps[j].n;
}

const char *experiment_sweep_value(const Experiment *e, size_t j, size_t v)
{
    return e->sweeps[j].text[v];
}

/* The value index of sweep j in run i (mixed radix, seed fastest). */
static size_t run_digit(const Experiment *e, size_t i, size_t j)
{
    size_t rest = i / e->n_seeds;
    for (size_t t = e->n_sweeps; t-- > j + 1;)
        rest /= e->sweeps[t].n;
    return rest % e->sweeps[j].n;
}

const char *experiment_run_sweep(const Experiment *e, size_t i, size_t j)
{
    return e->sweeps[j].text[run_digit(e, i, j)];
}

void experiment_run(const Experiment *e, size_t i, RunConfig *cfg, char *name)
{
    char msg[ERR_MAX];
    size_t len = 0;
    memcpy(cfg, &e->base, sizeof *cfg);
    name[0] = '\0';
    for (size_t j = 0; j < e->n_sweeps; j++) {
        const char *text = experiment_run_sweep(e, i, j);
        uint64_t unused;
        /* Cannot fail: every value was parsed by experiment_load. */
        value_parse((EntryKey)e->sweeps[j].key, text, cfg, &unused, msg);
        /* Fits: check_runs bounded the longest name below RUN_NAME_MAX. */
        len += (size_t)snprintf(name + len, RUN_NAME_MAX - len, "%s-%s,",
                                key_name(e->sweeps[j].key), text);
    }
    size_t s = i % e->n_seeds;
    cfg->seed = e->seeds[s];
    snprintf(name + len, RUN_NAME_MAX - len, "seed-%s", e->seed_text[s]);
}

int experiment_find_run(const Experiment *e, const char *name, RunConfig *cfg, char *err)
{
    char run[RUN_NAME_MAX];
    for (size_t i = 0; i < e->n_runs; i++) {
        experiment_run(e, i, cfg, run);
        if (strcmp(run, name) == 0)
            return 0;
    }
    return err_set(err, "%s: no run named '%s'", e->path, name);
}
