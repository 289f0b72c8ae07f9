/* The fuzz corpus as regression tests: every file under tests/fuzz/corpus/<name>/
 * (seeds, and each crash-* reproducer a fuzzing campaign found) is replayed
 * through fuzz_<name>, the same harness code make fuzz runs under libFuzzer,
 * here built without it (tests/fuzz/fuzz.h). A harness aborts on a failed
 * property, so a reproducer fails its test until the bug is fixed. The
 * corpus is found relative to the current directory: the tests run from the
 * repository's root. */
#include "fuzz/fuzz.h"

#include "testutil.h"

#include <check.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CORPUS "tests/fuzz/corpus"

typedef int (*Harness)(const uint8_t *data, size_t size);

/* One entry per harness in tests/fuzz/; a corpus directory without one fails. */
static const struct {
    const char *name;
    Harness fn;
} HARNESSES[] = {
    {"idx", fuzz_idx},
    {"experiment", fuzz_experiment},
    {"results", fuzz_results},
    {"manifest", fuzz_manifest},
    {"reference", fuzz_reference},
};
#define N_HARNESSES (sizeof HARNESSES / sizeof HARNESSES[0])

/* The inputs found when the suite is built, in name order: harness index and
 * path. They live as long as the runner. */
typedef struct {
    size_t harness;
    char *path;
} Input;

static Input *inputs;
static size_t n_inputs;
static int corpus_found;
static int per_harness[N_HARNESSES];
static char unknown_dir[256];

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of dir's entries (no dot files); NULL when dir cannot be read. */
static char **list_dir(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    size_t cap = 16;
    char **names = malloc(cap * sizeof *names);
    *n = 0;
    struct dirent *e;
    while (names && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (*n == cap) {
            char **grown = realloc(names, 2 * cap * sizeof *names);
            if (!grown)
                break;
            names = grown;
            cap *= 2;
        }
        names[(*n)++] = strdup(e->d_name);
    }
    closedir(d);
    if (names)
        qsort(names, *n, sizeof *names, cmp_name);
    return names;
}

static void scan_corpus(void)
{
    size_t n_dirs;
    char **dirs = list_dir(CORPUS, &n_dirs);
    if (!dirs)
        return;
    corpus_found = 1;
    for (size_t i = 0; i < n_dirs; i++) {
        size_t h = 0;
        while (h < N_HARNESSES && strcmp(HARNESSES[h].name, dirs[i]) != 0)
            h++;
        if (h == N_HARNESSES) {
            snprintf(unknown_dir, sizeof unknown_dir, "%s", dirs[i]);
            continue;
        }
        char *sub = tu_path(CORPUS, dirs[i]);
        size_t n_files;
        char **files = sub ? list_dir(sub, &n_files) : NULL;
        for (size_t k = 0; files && k < n_files; k++) {
            Input *grown = realloc(inputs, (n_inputs + 1) * sizeof *inputs);
            if (!grown)
                break;
            inputs = grown;
            inputs[n_inputs].harness = h;
            inputs[n_inputs].path = tu_path(sub, files[k]);
            n_inputs++;
            per_harness[h]++;
            free(files[k]);
        }
        free(files);
        free(sub);
    }
    for (size_t i = 0; i < n_dirs; i++)
        free(dirs[i]);
    free(dirs);
}

START_TEST(test_corpus_complete)
{
    ck_assert_msg(corpus_found, "'%s' not found: run the tests from the repository's root",
                  CORPUS);
    ck_assert_msg(!unknown_dir[0], "'%s/%s' has no harness in test_corpus.c", CORPUS,
                  unknown_dir);
    for (size_t h = 0; h < N_HARNESSES; h++)
        ck_assert_msg(per_harness[h] > 0, "'%s/%s' holds no inputs", CORPUS, HARNESSES[h].name);
}
END_TEST

/* Loop test _i replays input _i; an abort in the harness fails it (Check runs
 * each iteration in its own process), naming the input on stderr. */
START_TEST(test_replay)
{
    const Input *in = &inputs[_i];
    size_t n;
    char *data = tu_read(in->path, &n);
    ck_assert_msg(data != NULL, "'%s': cannot read", in->path);
    unsetenv("FUZZ_SKIP");
    fuzz_set_input_name(in->path);
    ck_assert_int_eq(HARNESSES[in->harness].fn((const uint8_t *)data, n), 0);
    fuzz_set_input_name(NULL);
    free(data);
}
END_TEST

/* The harnesses' checks can fail: a two-line error message aborts, and a
 * well-formed one passes. */
START_TEST(test_check_err_fires)
{
    /* the abort is expected: keep its message out of the test log */
    ck_assert_ptr_nonnull(freopen("/dev/null", "w", stderr));
    fuzz_check_err("corpus", "x: 'a': two\nlines", "x: ");
}
END_TEST

START_TEST(test_check_err_passes)
{
    fuzz_check_err("corpus", "idx: 'a': bad magic 0x00000000 at byte 0", "idx: 'a': ");
}
END_TEST

Suite *corpus_suite(void);
Suite *corpus_suite(void)
{
    scan_corpus();
    Suite *s = suite_create("corpus");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_corpus_complete);
    tcase_add_test(core, test_check_err_passes);
    if (n_inputs > 0)
        tcase_add_loop_test(core, test_replay, 0, (int)n_inputs);
    suite_add_tcase(s, core);
    /* a test that expects a signal needs its own process: skipped in-process
     * (CK_FORK=no, as under gdb or valgrind), where the abort would end the run */
    const char *fork = getenv("CK_FORK");
    if (!fork || strcmp(fork, "no") != 0) {
        TCase *errors = tcase_create("errors");
        tcase_add_test_raise_signal(errors, test_check_err_fires, SIGABRT);
        suite_add_tcase(s, errors);
    }
    return s;
}
