/* gradtab.h - the gradient checks of the built code (gradcheck.csv, written
 * by `make report`: one row per layer and loss, "check,gradient,parameters,
 * relative_error,bound,status", the gradient's formula quoted) as the
 * report's table and as facts.
 *
 * Facts (facts.h): gradcheck:<check>:relative_error, gradcheck:<check>:bound,
 * gradcheck:checks (rows), gradcheck:failed (rows whose error is not below
 * their bound, or whose status is not "passed"), gradcheck:worst_ratio (the
 * largest error over its bound). */
#ifndef GRADTAB_H
#define GRADTAB_H

#include "report/buf.h"
#include "report/values.h"

/* Parses the CSV text (name stands for the file in messages) into the
 * Markdown table md (caption first) and the facts f. Every fault is an error
 * naming the file and line: a header other than the four columns, a row of
 * the wrong width, a number that is not one, an empty file. Returns 0, or -1
 * with err. */
int gradtab_parse(const char *text, const char *name, Buf *md, Values *f, char *err);

#endif
