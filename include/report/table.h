/* table.h - a study's table in the report: one row per group (setting), our
 * final values as mean ± std over the seeds, and the original's figure and
 * our difference from it where the reference has the setting. Written as a
 * Markdown pipe table preceded by its caption ("Table: ..."), as pandoc reads
 * it; the dashes under the header give the columns' relative widths. */
#ifndef TABLE_H
#define TABLE_H

#include "report/buf.h"
#include "report/reference.h"
#include "report/results.h"
#include "report/studies.h"

/* Appends study s's table to md (ref may be NULL: no comparison columns;
 * conf says which of its tables the study compares with);
 * md->failed is set when out of memory. */
void table_markdown(const StudyResults *s, const Reference *ref, const StudiesConf *conf, Buf *md);

/* One table for a softmax study c and its as-reported twin r, setting by
 * setting: c's training and test accuracy, r's test accuracy and last-batch
 * loss, and the original's loss and test accuracy (ref may be NULL). */
void table_twin_markdown(const StudyResults *c, const StudyResults *r, const Reference *ref,
                         const StudiesConf *conf, Buf *md);

#endif
