/* fuzz_manifest.c - the manifest reader and comparison (manifest.h) on
 * arbitrary files, as `make verify MANIFEST=file` reads any file it is given.
 *
 * Input framing: the first byte's low two bits are the sample (0: every run,
 * else the first 1-3 seeds of each configuration) and bit 2 limits the
 * comparison to the study "s"; the rest is cut at the first SEPARATOR into the
 * expected and the actual manifest. Without a separator the input is compared
 * with itself.
 *
 * A failure must be one line naming a manifest and return -1. A success must
 * print exactly one line per difference it counts (names from the input
 * cannot break a line: a newline in a key would), then the closing line,
 * whose counts add up; and a manifest compared with itself must have no
 * difference. */
#include "fuzz.h"

#include "err.h"
#include "report/manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME "manifest"
#define SEPARATOR "\n----\n"

static const uint8_t *find_separator(const uint8_t *p, size_t n)
{
    size_t k = sizeof SEPARATOR - 1;
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(p + i, SEPARATOR, k) == 0)
            return p + i;
    return NULL;
}

/* Checks the report text of a successful comparison that counted n_diff. */
static void check_report(const char *text, size_t len, size_t n_diff, int self)
{
    if (strlen(text) != len)
        fuzz_fail(NAME, "the report holds a NUL byte");
    if (len == 0 || text[len - 1] != '\n')
        fuzz_fail(NAME, "the report does not end in a newline");
    size_t lines = 0;
    const char *last = text;
    for (const char *p = text; *p; p++) {
        if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t')
            fuzz_fail(NAME, "control character 0x%02x in the report", (unsigned)(unsigned char)*p);
        if (*p == '\n') {
            lines++;
            if (p[1])
                last = p + 1;
        }
    }
    if (lines != n_diff + 1)
        fuzz_fail(NAME, "%zu differences counted, %zu lines printed before the closing line",
                  n_diff, lines - 1);
    size_t same, differ, missing, extra, checked, total;
    if (sscanf(last,
               "verify: %zu runs identical, %zu differ, %zu missing, %zu unexpected; checked %zu "
               "of the %zu expected runs",
               &same, &differ, &missing, &extra, &checked, &total) != 6)
        fuzz_fail(NAME, "no closing line: '%s'", last);
    if (same + differ + missing != checked || checked > total || differ + missing + extra > n_diff)
        fuzz_fail(NAME, "closing counts do not add up: '%s'", last);
    if (self && n_diff != 0)
        fuzz_fail(NAME, "a manifest compared with itself has %zu differences", n_diff);
}

int fuzz_manifest(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t sample = data[0] & 3;
    int one_study = (data[0] >> 2) & 1;
    const uint8_t *p = data + 1, *end = data + size;
    const uint8_t *sep = find_separator(p, (size_t)(end - p));
    char expected[1024], actual[1024];
    snprintf(expected, sizeof expected, "%s", fuzz_path("expected.json"));
    snprintf(actual, sizeof actual, "%s", fuzz_path("actual.json"));
    fuzz_write(expected, p, sep ? (size_t)(sep - p) : (size_t)(end - p));
    if (sep)
        fuzz_write(actual, sep + sizeof SEPARATOR - 1,
                   (size_t)(end - sep - (sizeof SEPARATOR - 1)));

    char *text = NULL;
    size_t len = 0;
    FILE *report = open_memstream(&text, &len);
    if (!report)
        fuzz_fail(NAME, "open_memstream failed");
    const char *studies[] = {"s"};
    char err[ERR_MAX];
    memset(err, 0, sizeof err);
    size_t n_diff = 12345;
    int rc = manifest_compare(expected, sep ? actual : expected, studies, one_study ? 1 : 0,
                              sample, report, &n_diff, err);
    fclose(report);
    if (rc == 0) {
        check_report(text, len, n_diff, !sep);
    } else {
        if (rc != -1)
            fuzz_fail(NAME, "manifest_compare returned %d", rc);
        fuzz_check_err(NAME, err, "manifest: '");
        if (!strstr(err, expected) && !strstr(err, actual))
            fuzz_fail(NAME, "the error names neither manifest: \"%s\"", err);
    }
    free(text);
    return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_manifest(data, size);
}
#endif
