/* studies.h - what the report knows about the studies, read from a data file
 * (report/studies.conf, `repro tabulate --studies`) so that no C code names a
 * study: which studies are as-reported twins of which, which table of the
 * original each study matches, the families the closeness to the original is
 * summed over, and the datasets' display names.
 *
 * The file: one declaration a line, words separated by spaces or tabs; empty
 * lines and lines starting with '#' are skipped.
 *   twin CORRECT REPORTED     two name patterns with one '*' each, standing
 *                             for the same non-empty part: the study matching
 *                             REPORTED is the as-reported variant of the one
 *                             matching CORRECT ("twin softmax-* softmax-reported-*")
 *   table STUDY TABLE         STUDY is compared with the original's table
 *                             TABLE; without a line, with the table of its own
 *                             name, and a twin with its correct study's
 *   family NAME MODEL VARIANT the studies of MODEL (softmax, mlp) and VARIANT
 *                             (correct, reported, any) summed up as orig:NAME:*
 *   dataset ID NAME...        the display name of dataset ID (the rest of the
 *                             line, e.g. "dataset fashion Fashion-MNIST")
 * A twin pattern that matches both sides reads as REPORTED first: in
 * "twin softmax-* softmax-reported-*" the study softmax-reported-lr is a twin,
 * not a correct study with the part "reported-lr". */
#ifndef STUDIES_H
#define STUDIES_H

#include "experiment.h"
#include "report/reference.h"

#include <stddef.h>

#define STUDIES_DECL_MAX 32 /* declarations of each kind */

typedef enum { VARIANT_ANY, VARIANT_CORRECT, VARIANT_REPORTED } Variant;

typedef struct {
    struct {
        char correct[STUDY_NAME_MAX], reported[STUDY_NAME_MAX];
    } twin[STUDIES_DECL_MAX];
    struct {
        char study[STUDY_NAME_MAX], table[STUDY_NAME_MAX];
    } table[STUDIES_DECL_MAX];
    struct {
        char name[STUDY_NAME_MAX];
        ModelKind model;
        Variant variant;
    } family[STUDIES_DECL_MAX];
    struct {
        char id[STUDY_NAME_MAX], name[STUDY_NAME_MAX];
    } dataset[STUDIES_DECL_MAX];
    size_t n_twin, n_table, n_family, n_dataset;
} StudiesConf;

/* Reads the file at path (studies_parse on its text). Returns 0, or -1 with
 * "'path': message" or "'path':line: message" in err. */
int studies_load(StudiesConf *c, const char *path, char *err);
/* The same from text; name stands for the file in messages. */
int studies_parse(StudiesConf *c, const char *text, const char *name, char *err);

/* The as-reported twin of a correct study: 0 and its name in buf, or -1 when
 * study has none (no pattern matches, or it is a twin itself): the pair a
 * softmax study's glance figure draws (repro plot) and the tables compare. */
int studies_twin(const StudiesConf *c, const char *study, char *buf, size_t size);

/* The correct study of an as-reported twin: its name in buf, and the part the
 * '*' stood for (a pointer into study: "lr" of "softmax-reported-lr"); NULL
 * when study is no twin. */
const char *studies_correct(const StudiesConf *c, const char *study, char *buf, size_t size);

/* The table of the original study compares with (see above), written into
 * buf, if the reference has rows of it; else (or without ref) NULL. */
const char *studies_table(const StudiesConf *c, const Reference *ref, const char *study,
                          char *buf, size_t size);

/* Whether a run of configuration cfg belongs to family f (0 .. n_family). */
int studies_in_family(const StudiesConf *c, size_t f, const RunConfig *cfg);

/* The display name of dataset id, or id itself when none is declared. */
const char *studies_dataset_name(const StudiesConf *c, const char *id);

#endif
