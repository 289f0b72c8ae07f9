/* buf.c - a growing text buffer (buf.h). */
#include "report/buf.h"

#include "err.h"
#include "fileio.h"

#include <errno.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_printf(Buf *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = b->cap - b->n;
        int w = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? room : 0, fmt, ap);
        va_end(ap);
        if (w < 0) {
            b->failed = 1;
            return;
        }
        if (b->p && (size_t)w < room) {
            b->n += (size_t)w;
            return;
        }
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + (size_t)w + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
}

void buf_csv_field(Buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        buf_printf(b, "%s", s);
        return;
    }
    buf_printf(b, "\"");
    for (const char *p = s; *p; p++)
        buf_printf(b, *p == '"' ? "\"\"" : "%c", *p);
    buf_printf(b, "\"");
}

char *buf_read_file(const char *path, char *err)
{
    char *text;
    size_t len;
    switch (file_read_all(path, SIZE_MAX, &text, &len)) {
    case FILE_READ_OK:
        return text;
    case FILE_READ_OPEN:
        err_set(err, "'%s': %s", path, strerror(errno));
        return NULL;
    case FILE_READ_ERROR:
        err_set(err, "'%s': read error", path);
        return NULL;
    default:
        err_set(err, "'%s': out of memory", path);
        return NULL;
    }
}

int buf_file_holds(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char chunk[4096];
    size_t pos = 0, k;
    int same = 1;
    while (same && (k = fread(chunk, 1, sizeof chunk, f)) > 0) {
        same = pos + k <= len && memcmp(chunk, data + pos, k) == 0;
        pos += k;
    }
    same = same && !ferror(f) && pos == len;
    fclose(f);
    return same;
}
