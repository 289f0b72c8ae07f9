#include "data.h"

#include "err.h"
#include "report/synth.h"
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(test_batch_scales_and_centres)
{
    uint8_t px[2 * 4] = {0, 255, 51, 102, 10, 20, 30, 40};
    uint8_t lab[2] = {3, 7};
    IdxSet s = {px, lab, 2, 2, 2};
    float x[8];
    uint8_t y[2];
    data_batch(x, y, &s, NULL, 0, 2, PREP_SCALE);
    ck_assert_float_eq(x[1], 1.0f);
    ck_assert_float_eq(x[2], 0.2f);
    ck_assert_uint_eq(y[1], 7);
    data_batch(x, y, &s, NULL, 0, 2, PREP_SCALE_CENTER);
    /* image 0: (0 + 1 + 0.2 + 0.4) / 4 = 0.4 */
    ck_assert_float_eq_tol(x[0], -0.4f, 1e-7f);
    ck_assert_float_eq_tol(x[1], 0.6f, 1e-7f);
    double sum = 0;
    for (int i = 4; i < 8; i++)
        sum += x[i];
    ck_assert(fabs(sum) < 1e-6);
}
END_TEST

START_TEST(test_batch_follows_the_index)
{
    uint8_t px[3] = {0, 255, 51};
    uint8_t lab[3] = {0, 1, 2};
    IdxSet s = {px, lab, 3, 1, 1};
    uint32_t order[3] = {2, 0, 1};
    float x[2];
    uint8_t y[2];
    data_batch(x, y, &s, order, 1, 2, PREP_SCALE);
    ck_assert_uint_eq(y[0], 0);
    ck_assert_uint_eq(y[1], 1);
    ck_assert_float_eq(x[1], 1.0f);
}
END_TEST

START_TEST(test_load_raw_and_gz_alike)
{
    char err[ERR_MAX];
    char *dir = tu_tmpdir();
    char *raw = tu_path(dir, "raw"), *gz = tu_path(dir, "gz");
    ck_assert_int_eq(synth_write(raw, 30, 10, 10, 1, 0, err), 0);
    ck_assert_int_eq(synth_write(gz, 30, 10, 10, 1, 1, err), 0);
    Data a, b;
    ck_assert_msg(data_load(&a, raw, err) == 0, "%s", err);
    ck_assert_msg(data_load(&b, gz, err) == 0, "%s", err);
    ck_assert_str_eq(a.sha256, b.sha256);
    ck_assert_uint_eq(a.train.count, 30);
    ck_assert_uint_eq(a.test.count, 10);
    ck_assert_mem_eq(a.train.pixels, b.train.pixels, 30 * 100);
    data_release(&a);
    data_release(&b);
    tu_rmtree(dir);
    free(raw);
    free(gz);
    free(dir);
}
END_TEST

START_TEST(test_load_rejects_mismatched_geometry)
{
    char err[ERR_MAX];
    char *dir = tu_tmpdir();
    char *a = tu_path(dir, "a"), *b = tu_path(dir, "b");
    ck_assert_int_eq(synth_write(a, 30, 10, 10, 1, 0, err), 0);
    ck_assert_int_eq(synth_write(b, 30, 10, 12, 1, 0, err), 0);
    char *from = tu_path(b, "t10k-images-idx3-ubyte"), *to = tu_path(a, "t10k-images-idx3-ubyte");
    ck_assert_int_eq(rename(from, to), 0);
    char *lf = tu_path(b, "t10k-labels-idx1-ubyte"), *lt = tu_path(a, "t10k-labels-idx1-ubyte");
    ck_assert_int_eq(rename(lf, lt), 0);
    Data d;
    ck_assert_int_eq(data_load(&d, a, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "test images are 12x12 but training images are 10x10"));
    ck_assert_ptr_null(d.train.pixels);
    tu_rmtree(dir);
    free(a);
    free(b);
    free(from);
    free(to);
    free(lf);
    free(lt);
    free(dir);
}
END_TEST

Suite *data_suite(void);
Suite *data_suite(void)
{
    Suite *s = suite_create("data");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_batch_scales_and_centres);
    tcase_add_test(core, test_batch_follows_the_index);
    tcase_add_test(core, test_load_raw_and_gz_alike);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_load_rejects_mismatched_geometry);
    suite_add_tcase(s, errors);
    return s;
}
