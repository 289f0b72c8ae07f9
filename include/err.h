/* err.h - error messages returned by library code.
 *
 * Library functions never print or exit: on failure they fill a caller-owned
 * buffer of ERR_MAX bytes with one lower-case line without a trailing period,
 * naming the subject in quotes (for example
 * "idx: 'data/x.gz': truncated at byte 4112 (image 5 of 60000)"), and return -1
 * or NULL. Only main() prints the message and chooses the exit status.
 * Control characters in the message (from quoted input) become '?'. */
#ifndef ERR_H
#define ERR_H

#include <stddef.h>

#define ERR_MAX 512

/* Formats into err (which may be NULL) and returns -1, so that error paths read
 * `return err_set(err, "idx: '%s': bad magic", path);`. */
int err_set(char *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
