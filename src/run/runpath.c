/* runpath.c - a run's paths, built and split (runpath.h). */
#include "runpath.h"

#include "err.h"
#include "rundir.h"

#include <stdio.h>
#include <string.h>

int run_path(char *out, size_t size, const char *root, const char *dataset, const char *study,
             const char *run, const char *file)
{
    int n = dataset ? snprintf(out, size, "%s/%s/%s/%s", root, dataset, study, run)
                    : snprintf(out, size, "%s/%s/%s", root, study, run);
    if (n < 0 || (size_t)n >= size)
        return -1;
    if (!file)
        return 0;
    int m = snprintf(out + n, size - (size_t)n, "/%s", file);
    return m < 0 || (size_t)m >= size - (size_t)n ? -1 : 0;
}

int run_config_path(char *out, size_t size, const char *runs_root, const char *dataset,
                    const char *study, const char *run)
{
    int n = snprintf(out, size, "%s/%s/%s/%s.cfg", runs_root, dataset, study, run);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* The component `back` levels up from the end of path[0..end) ("a/b/c", 0 ->
 * "c"), or the first one when the path has fewer. */
static void component(char *out, size_t size, const char *path, size_t end, int back)
{
    while (end > 1 && path[end - 1] == '/')
        end--;
    for (;;) {
        size_t start = end;
        while (start > 0 && path[start - 1] != '/')
            start--;
        if (back-- == 0 || start == 0) {
            snprintf(out, size, "%.*s", (int)(end - start), path + start);
            return;
        }
        end = start - 1;
        while (end > 1 && path[end - 1] == '/')
            end--;
    }
}

/* The length of path without a last component that is a run file's name. */
static size_t without_file(const char *path)
{
    size_t end = strlen(path);
    while (end > 1 && path[end - 1] == '/')
        end--;
    size_t last = end;
    while (last > 0 && path[last - 1] != '/')
        last--;
    for (int f = 0; last > 0 && f < RUN_FILE_COUNT; f++) {
        const char *name = rundir_file_name((RunFile)f);
        if (strlen(name) == end - last && strncmp(name, path + last, end - last) == 0)
            return last - 1;
    }
    return end;
}

int run_path_split(const char *path, RunName *out)
{
    size_t end = without_file(path);
    component(out->run, sizeof out->run, path, end, 0);
    component(out->study, sizeof out->study, path, end, 1);
    component(out->dataset, sizeof out->dataset, path, end, 2);
    int have = 0;
    for (size_t i = 0; i < end && have < 3; i++)
        have += path[i] != '/' && (i == 0 || path[i - 1] == '/');
    return have;
}

int run_name_parse(const char *name, RunName *out, char *err)
{
    const char *a = strchr(name, '/'), *b = a ? strchr(a + 1, '/') : NULL;
    if (!a || !b || a == name || b == a + 1 || b[1] == '\0' || strchr(b + 1, '/') ||
        (size_t)(a - name) >= RUN_NAME_MAX || (size_t)(b - a) > RUN_NAME_MAX ||
        strlen(b + 1) >= RUN_NAME_MAX)
        return err_set(err, "'%s' is not DATASET/STUDY/RUN", name);
    snprintf(out->dataset, sizeof out->dataset, "%.*s", (int)(a - name), name);
    snprintf(out->study, sizeof out->study, "%.*s", (int)(b - a - 1), a + 1);
    snprintf(out->run, sizeof out->run, "%s", b + 1);
    return 0;
}
