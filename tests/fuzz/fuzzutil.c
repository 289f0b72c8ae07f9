/* fuzzutil.c - the scratch directory, file writing and failure reporting the
 * fuzz harnesses share (fuzz.h). */
#include "fuzz.h"

#include "err.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One scratch directory per process: libFuzzer runs millions of inputs, so
 * files are rewritten in place rather than made and removed each time. */
static char scratch[512];
static char path_buf[sizeof scratch + 64];
static const char *input_name;

static void scratch_remove(void)
{
    DIR *d = opendir(scratch);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char p[sizeof scratch + 256];
            snprintf(p, sizeof p, "%s/%s", scratch, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(scratch);
}

const char *fuzz_dir(void)
{
    if (!scratch[0]) {
        const char *base = getenv("TMPDIR");
        if (!base || !*base)
            base = "/tmp";
        int n = snprintf(scratch, sizeof scratch, "%s/mnist-fuzz-XXXXXX", base);
        if (n < 0 || (size_t)n >= sizeof scratch || !mkdtemp(scratch))
            fuzz_fail("fuzzutil", "cannot make a scratch directory under '%s'", base);
        atexit(scratch_remove);
    }
    return scratch;
}

const char *fuzz_path(const char *name)
{
    int n = snprintf(path_buf, sizeof path_buf, "%s/%s", fuzz_dir(), name);
    if (n < 0 || (size_t)n >= sizeof path_buf)
        fuzz_fail("fuzzutil", "name '%s' too long", name);
    return path_buf;
}

void fuzz_write(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        fuzz_fail("fuzzutil", "'%s': %s", path, strerror(errno));
    size_t w = n ? fwrite(data, 1, n, f) : 0;
    if (fclose(f) != 0 || w != n)
        fuzz_fail("fuzzutil", "'%s': short write", path);
}

void fuzz_remove(const char *path)
{
    if (unlink(path) != 0 && errno != ENOENT)
        fuzz_fail("fuzzutil", "'%s': %s", path, strerror(errno));
}

int fuzz_skip(const char *check)
{
    const char *list = getenv("FUZZ_SKIP");
    size_t n = strlen(check);
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, check, n) == 0)
            return 1;
        p = end ? end + 1 : p + len;
    }
    return 0;
}

void fuzz_set_input_name(const char *name)
{
    input_name = name;
}

void fuzz_fail(const char *harness, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "fuzz: %s: ", harness);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (input_name)
        fprintf(stderr, " (input '%s')", input_name);
    fputc('\n', stderr);
    abort();
}

void fuzz_check_err(const char *harness, const char *err, const char *prefix)
{
    size_t n = strnlen(err, ERR_MAX);
    if (n == 0)
        fuzz_fail(harness, "failed without an error message");
    if (n == ERR_MAX)
        fuzz_fail(harness, "error message not terminated within ERR_MAX bytes");
    char check[64];
    snprintf(check, sizeof check, "%s-err-control", harness);
    int skip = fuzz_skip(check);
    for (const char *p = err; *p && !skip; p++)
        if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f)
            fuzz_fail(harness, "error message with control character 0x%02x (one line of text "
                      "expected): \"%s\"", (unsigned)(unsigned char)*p, err);
    if (strncmp(err, prefix, strlen(prefix)) != 0)
        fuzz_fail(harness, "error message \"%s\" does not start with \"%s\"", err, prefix);
}
