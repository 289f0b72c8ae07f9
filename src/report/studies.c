/* studies.c - the report's knowledge of the studies, from a data file
 * (studies.h). */
#include "report/studies.h"

#include "err.h"
#include "report/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- patterns ------------------------------------------------------------- */

/* Whether name matches pattern (one '*' for a non-empty part); the part's
 * start and length into *part, *len. */
static int match(const char *pattern, const char *name, const char **part, size_t *len)
{
    const char *star = strchr(pattern, '*');
    size_t pre = (size_t)(star - pattern), post = strlen(star + 1), n = strlen(name);
    if (n <= pre + post || strncmp(name, pattern, pre) != 0 ||
        strcmp(name + n - post, star + 1) != 0)
        return 0;
    *part = name + pre;
    *len = n - pre - post;
    return 1;
}

/* pattern with its '*' replaced by part[0..len) into buf; -1 if too long. */
static int expand(const char *pattern, const char *part, size_t len, char *buf, size_t size)
{
    const char *star = strchr(pattern, '*');
    int n = snprintf(buf, size, "%.*s%.*s%s", (int)(star - pattern), pattern, (int)len, part,
                     star + 1);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Whether study is an as-reported twin (matches a REPORTED pattern). */
static int is_twin(const StudiesConf *c, const char *study)
{
    const char *part;
    size_t len;
    for (size_t i = 0; i < c->n_twin; i++)
        if (match(c->twin[i].reported, study, &part, &len))
            return 1;
    return 0;
}

int studies_twin(const StudiesConf *c, const char *study, char *buf, size_t size)
{
    const char *part;
    size_t len;
    if (is_twin(c, study))
        return -1;
    for (size_t i = 0; i < c->n_twin; i++)
        if (match(c->twin[i].correct, study, &part, &len))
            return expand(c->twin[i].reported, part, len, buf, size);
    return -1;
}

const char *studies_correct(const StudiesConf *c, const char *study, char *buf, size_t size)
{
    const char *part;
    size_t len;
    for (size_t i = 0; i < c->n_twin; i++)
        if (match(c->twin[i].reported, study, &part, &len))
            return expand(c->twin[i].correct, part, len, buf, size) == 0 ? part : NULL;
    return NULL;
}

const char *studies_table(const StudiesConf *c, const Reference *ref, const char *study,
                          char *buf, size_t size)
{
    char correct[STUDY_NAME_MAX];
    if (!ref)
        return NULL;
    if (studies_correct(c, study, correct, sizeof correct))
        study = correct;
    const char *table = study;
    for (size_t i = 0; i < c->n_table; i++)
        if (strcmp(c->table[i].study, study) == 0)
            table = c->table[i].table;
    int n = snprintf(buf, size, "%s", table);
    if (n < 0 || (size_t)n >= size)
        return NULL;
    for (size_t i = 0; i < ref->n; i++)
        if (strcmp(ref->rows[i].table, buf) == 0)
            return buf;
    return NULL;
}

int studies_in_family(const StudiesConf *c, size_t f, const RunConfig *cfg)
{
    Variant v = cfg->as_reported ? VARIANT_REPORTED : VARIANT_CORRECT;
    return cfg->model == c->family[f].model &&
           (c->family[f].variant == VARIANT_ANY || c->family[f].variant == v);
}

const char *studies_dataset_name(const StudiesConf *c, const char *id)
{
    for (size_t i = 0; i < c->n_dataset; i++)
        if (strcmp(c->dataset[i].id, id) == 0)
            return c->dataset[i].name;
    return id;
}

/* ---- the file ------------------------------------------------------------- */

/* Copies word w into dst (size bytes); -1 if it does not fit or is empty. */
static int word(char *dst, size_t size, const char *w)
{
    if (!w || !*w || strlen(w) >= size)
        return -1;
    memcpy(dst, w, strlen(w) + 1);
    return 0;
}

static int one_star(const char *p)
{
    const char *s = strchr(p, '*');
    return s && !strchr(s + 1, '*');
}

static int parse_family(StudiesConf *c, char **w, int nw)
{
    static const char *const VARIANTS[] = {"any", "correct", "reported"};
    if (nw != 4 || c->n_family == STUDIES_DECL_MAX)
        return -1;
    int model = !strcmp(w[2], "softmax") ? MODEL_SOFTMAX : !strcmp(w[2], "mlp") ? MODEL_MLP : -1;
    int variant = -1;
    for (int i = 0; i < 3; i++)
        if (strcmp(w[3], VARIANTS[i]) == 0)
            variant = i;
    if (model < 0 || variant < 0 || word(c->family[c->n_family].name, STUDY_NAME_MAX, w[1]))
        return -1;
    c->family[c->n_family].model = (ModelKind)model;
    c->family[c->n_family++].variant = (Variant)variant;
    return 0;
}

/* One declaration of nw words (w[0] the kind; for "dataset", rest is the
 * display name as written). Returns 0, or -1 when it is not valid. */
static int parse_decl(StudiesConf *c, char **w, int nw, const char *rest)
{
    if (strcmp(w[0], "twin") == 0) {
        if (nw != 3 || c->n_twin == STUDIES_DECL_MAX || !one_star(w[1]) || !one_star(w[2]))
            return -1;
        if (word(c->twin[c->n_twin].correct, STUDY_NAME_MAX, w[1]) ||
            word(c->twin[c->n_twin].reported, STUDY_NAME_MAX, w[2]))
            return -1;
        c->n_twin++;
        return 0;
    }
    if (strcmp(w[0], "table") == 0) {
        if (nw != 3 || c->n_table == STUDIES_DECL_MAX ||
            word(c->table[c->n_table].study, STUDY_NAME_MAX, w[1]) ||
            word(c->table[c->n_table].table, STUDY_NAME_MAX, w[2]))
            return -1;
        c->n_table++;
        return 0;
    }
    if (strcmp(w[0], "family") == 0)
        return parse_family(c, w, nw);
    if (strcmp(w[0], "dataset") == 0) {
        if (nw < 3 || c->n_dataset == STUDIES_DECL_MAX ||
            word(c->dataset[c->n_dataset].id, STUDY_NAME_MAX, w[1]) ||
            word(c->dataset[c->n_dataset].name, STUDY_NAME_MAX, rest))
            return -1;
        c->n_dataset++;
        return 0;
    }
    return -1;
}

int studies_parse(StudiesConf *c, const char *text, const char *name, char *err)
{
    memset(c, 0, sizeof *c);
    int lineno = 0;
    for (const char *s = text; *s;) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        char line[512], copy[512];
        lineno++;
        if (len >= sizeof line)
            return err_set(err, "'%s':%d: line too long", name, lineno);
        memcpy(line, s, len);
        line[len] = '\0';
        if (len && line[len - 1] == '\r')
            line[--len] = '\0';
        s = nl ? nl + 1 : s + len;
        memcpy(copy, line, len + 1);
        char *w[8], *save = NULL;
        int nw = 0;
        for (char *t = strtok_r(line, " \t", &save); t && nw < 8; t = strtok_r(NULL, " \t", &save))
            w[nw++] = t;
        if (nw == 0 || w[0][0] == '#')
            continue;
        /* the display name: everything after the dataset's id */
        const char *rest = nw >= 3 ? copy + (w[2] - line) : NULL;
        if (parse_decl(c, w, nw, rest) != 0)
            return err_set(err, "'%s':%d: expected 'twin CORRECT REPORTED', 'table STUDY "
                           "TABLE', 'family NAME MODEL VARIANT' or 'dataset ID NAME'",
                           name, lineno);
    }
    return 0;
}

int studies_load(StudiesConf *c, const char *path, char *err)
{
    char *text = buf_read_file(path, err);
    if (!text)
        return -1;
    int rc = studies_parse(c, text, path, err);
    free(text);
    return rc;
}
