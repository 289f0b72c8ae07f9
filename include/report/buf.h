/* buf.h - a growing text buffer for the report side (tables, figures' gnuplot
 * programs, make fragments, CSV). Zero-initialise it ({0}); after a failed
 * allocation or a formatting error every append is a no-op and failed stays
 * set, so a caller checks once at the end. p is NUL-terminated once anything
 * was appended; free(p) releases it. */
#ifndef REPORT_BUF_H
#define REPORT_BUF_H

#include <stddef.h>

typedef struct {
    char *p;
    size_t n, cap; /* bytes used (without the NUL), bytes allocated */
    int failed;
} Buf;

/* Appends printf-style text. */
void buf_printf(Buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Appends s as one CSV field (RFC 4180): as it is, or between double quotes
 * with every quote doubled when it holds a comma, a quote or a line break.
 * The report's one CSV writer (runs.csv, fidelity.csv). */
void buf_csv_field(Buf *b, const char *s);

/* The whole file at path, NUL-terminated (heap; the caller frees), or NULL
 * with "'path': message" in err. */
char *buf_read_file(const char *path, char *err);

/* Whether the file at path holds exactly data[0..len) (0 when it cannot be
 * read): a file already up to date is not rewritten, so make keeps its time. */
int buf_file_holds(const char *path, const char *data, size_t len);

#endif
