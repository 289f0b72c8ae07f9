/* fileio.h - a whole file read into memory: the one whole-file reader of the
 * tools (experiment files, a run's CSV files, the report's inputs). Each
 * caller words its own messages from the reason it returns. */
#ifndef FILEIO_H
#define FILEIO_H

#include <stddef.h>

typedef enum {
    FILE_READ_OK,
    FILE_READ_OPEN,    /* fopen failed; errno says why */
    FILE_READ_MEMORY,  /* out of memory */
    FILE_READ_ERROR,   /* a read error */
    FILE_READ_TOO_BIG, /* more than max bytes */
} FileRead;

/* Reads the file at path, at most max bytes, into a NUL-terminated heap buffer
 * (*out; the caller frees) and its length into *len. Returns FILE_READ_OK, or
 * why it failed with *out NULL. */
FileRead file_read_all(const char *path, size_t max, char **out, size_t *len);

#endif
