/* fileio.c - a whole file read into memory (fileio.h). */
#include "fileio.h"

#include <stdio.h>
#include <stdlib.h>

/* Reads f into a buffer grown by doubling, up to max bytes. */
static FileRead read_stream(FILE *f, size_t max, char **out, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = NULL;
    for (;;) {
        char *nb = realloc(buf, cap + 1);
        if (!nb) {
            free(buf);
            return FILE_READ_MEMORY;
        }
        buf = nb;
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        if (cap > max) {
            free(buf);
            return FILE_READ_TOO_BIG;
        }
        cap *= 2;
    }
    if (ferror(f)) {
        free(buf);
        return FILE_READ_ERROR;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return FILE_READ_OK;
}

FileRead file_read_all(const char *path, size_t max, char **out, size_t *len)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return FILE_READ_OPEN;
    FileRead r = read_stream(f, max, out, len);
    fclose(f);
    if (r == FILE_READ_OK && *len > max) {
        free(*out);
        *out = NULL;
        return FILE_READ_TOO_BIG;
    }
    return r;
}
