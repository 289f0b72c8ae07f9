#include "atomic.h"

#include "err.h"
#include "testutil.h"

#include <check.h>
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static char *dir;

static void setup(void)
{
    dir = tu_tmpdir();
    ck_assert_ptr_nonnull(dir);
}

static void teardown(void)
{
    tu_rmtree(dir);
    free(dir);
}

/* Number of entries in dir other than . and .. */
static int entries(const char *d)
{
    DIR *h = opendir(d);
    int n = 0;
    struct dirent *e;
    while (h && (e = readdir(h)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (h)
        closedir(h);
    return n;
}

START_TEST(test_write_replaces_whole_file)
{
    char err[ERR_MAX];
    char *p = tu_path(dir, "f.txt");
    ck_assert_int_eq(atomic_write(p, "first", 5, err), 0);
    ck_assert_int_eq(atomic_write(p, "second", 6, err), 0);
    size_t n;
    char *t = tu_read(p, &n);
    ck_assert_str_eq(t, "second");
    ck_assert_int_eq(entries(dir), 1);
    free(t);
    free(p);
}
END_TEST

START_TEST(test_abort_leaves_nothing)
{
    char err[ERR_MAX];
    char *p = tu_path(dir, "g.txt");
    AtomicFile a;
    ck_assert_int_eq(atomic_open(&a, p, err), 0);
    fputs("half", a.f);
    atomic_abort(&a);
    ck_assert_int_eq(entries(dir), 0);
    free(p);
}
END_TEST

START_TEST(test_make_dirs_nested)
{
    char err[ERR_MAX];
    char *p = tu_path(dir, "a/b/c");
    ck_assert_int_eq(make_dirs(p, err), 0);
    ck_assert_int_eq(make_dirs(p, err), 0);
    char *f = tu_path(p, "x");
    ck_assert_int_eq(atomic_write(f, "1", 1, err), 0);
    ck_assert_int_eq(make_dirs(f, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "'"));
    ck_assert_int_eq(make_dirs("", err), -1);
    free(f);
    free(p);
}
END_TEST

START_TEST(test_missing_directory_is_an_error)
{
    char err[ERR_MAX];
    char *p = tu_path(dir, "nope/f.txt");
    ck_assert_int_eq(atomic_write(p, "x", 1, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "nope/f.txt"));
    ck_assert_ptr_nonnull(strstr(err, "No such file"));
    free(p);
}
END_TEST

START_TEST(test_full_disk_leaves_no_partial_file)
{
    /* a file size limit makes writes fail as a full disk does (EFBIG instead
     * of ENOSPC); the signal it raises is ignored so the error path runs */
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    struct rlimit old, lim;
    ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim.rlim_cur = 4096;
    lim.rlim_max = old.rlim_max;
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
    char err[ERR_MAX];
    char *p = tu_path(dir, "big.bin");
    size_t n = 1 << 20;
    char *data = calloc(n, 1);
    int rc = atomic_write(p, data, n, err);
    /* restored before asserting: with CK_FORK=no the limit would outlive the test */
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, old_handler);
    ck_assert_int_eq(rc, -1);
    ck_assert_ptr_nonnull(strstr(err, "big.bin"));
    ck_assert_int_eq(entries(dir), 0);
    free(data);
    free(p);
}
END_TEST

Suite *atomic_suite(void);
Suite *atomic_suite(void)
{
    Suite *s = suite_create("atomic");
    TCase *core = tcase_create("core");
    tcase_add_checked_fixture(core, setup, teardown);
    tcase_add_test(core, test_write_replaces_whole_file);
    tcase_add_test(core, test_abort_leaves_nothing);
    tcase_add_test(core, test_make_dirs_nested);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_checked_fixture(errors, setup, teardown);
    tcase_add_test(errors, test_missing_directory_is_an_error);
    tcase_add_test(errors, test_full_disk_leaves_no_partial_file);
    suite_add_tcase(s, errors);
    return s;
}
