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
    uint32_t rows[2] = {0, 1};
    float x[8];
    uint8_t y[2];
    data_batch(x, y, &s, rows, 2, PREP_SCALE);
    ck_assert_float_eq(x[1], 1.0f);
    ck_assert_float_eq(x[2], 0.2f);
    ck_assert_uint_eq(y[1], 7);
    data_batch(x, y, &s, rows, 2, PREP_SCALE_CENTER);
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
    data_batch(x, y, &s, order + 1, 2, PREP_SCALE);
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

/* ---- data_check_sums ------------------------------------------------------ */

static const char *const NAMES[4] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                     "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

/* dir/sums: sha256sum's list of the raw files in raw_dir. */
static char *write_sums(const char *dir, const char *raw_dir)
{
    char err[ERR_MAX], text[1024] = "";
    for (int i = 0; i < 4; i++) {
        char hex[SHA256_HEX];
        char *f = tu_path(raw_dir, NAMES[i]);
        ck_assert_msg(sha256_file(f, hex, err) == 0, "%s", err);
        snprintf(text + strlen(text), sizeof text - strlen(text), "%s  %s\n", hex, NAMES[i]);
        free(f);
    }
    char *sums = tu_path(dir, "sums");
    ck_assert_int_eq(tu_write(sums, text, strlen(text)), 0);
    return sums;
}

/* Flips the bits `mask` of byte `at` of the file (counted from its end when
 * negative) and puts the changed file's SHA-256 into bad. */
static void flip_byte(const char *path, long at, unsigned mask, char bad[SHA256_HEX])
{
    char err[ERR_MAX];
    size_t n;
    char *bytes = tu_read(path, &n);
    bytes[at < 0 ? (long)n + at : at] ^= (char)mask;
    ck_assert_int_eq(tu_write(path, bytes, n), 0);
    ck_assert_msg(sha256_file(path, bad, err) == 0, "%s", err);
    free(bytes);
}

START_TEST(test_sums_match_raw_and_gz)
{
    char err[ERR_MAX];
    char *dir = tu_tmpdir();
    char *raw = tu_path(dir, "raw"), *gz = tu_path(dir, "gz");
    ck_assert_int_eq(synth_write(raw, 30, 10, 10, 1, 0, err), 0);
    ck_assert_int_eq(synth_write(gz, 30, 10, 10, 1, 1, err), 0);
    char *sums = write_sums(dir, raw);
    Data d;
    ck_assert_msg(data_load(&d, raw, err) == 0, "%s", err);
    ck_assert_msg(data_check_sums(&d, sums, err) == 0, "%s", err);
    data_release(&d);
    /* the sums are of the uncompressed contents, listed without ".gz" */
    ck_assert_msg(data_load(&d, gz, err) == 0, "%s", err);
    ck_assert_msg(data_check_sums(&d, sums, err) == 0, "%s", err);
    data_release(&d);
    tu_rmtree(dir);
    free(sums);
    free(raw);
    free(gz);
    free(dir);
}
END_TEST

START_TEST(test_sums_name_a_flipped_byte)
{
    char err[ERR_MAX];
    char *dir = tu_tmpdir();
    char *raw = tu_path(dir, "data");
    ck_assert_int_eq(synth_write(raw, 30, 10, 10, 1, 0, err), 0);
    char *sums = write_sums(dir, raw);
    char good[SHA256_HEX], bad[SHA256_HEX];
    char *img = tu_path(raw, "t10k-images-idx3-ubyte");
    ck_assert_int_eq(sha256_file(img, good, err), 0);
    flip_byte(img, 16 + 57, 1, bad); /* one pixel of the first test image */
    Data d;
    ck_assert_msg(data_load(&d, raw, err) == 0, "%s", err);
    ck_assert_int_eq(data_check_sums(&d, sums, err), -1);
    char want[2048];
    snprintf(want, sizeof want,
             "data: '%s': sha-256 %s does not match %s from '%s'; restore it: rm -f %s/.verified "
             "&& make data-sums DATA_ROOT=%s",
             img, bad, good, sums, raw, dir);
    ck_assert_str_eq(err, want);
    data_release(&d);
    tu_rmtree(dir);
    free(img);
    free(sums);
    free(raw);
    free(dir);
}
END_TEST

/* The training images' digest comes from the load itself: a flipped pixel
 * there is caught the same way. */
START_TEST(test_sums_name_a_flipped_training_pixel)
{
    char err[ERR_MAX];
    char *dir = tu_tmpdir();
    char *raw = tu_path(dir, "data");
    ck_assert_int_eq(synth_write(raw, 30, 10, 10, 1, 0, err), 0);
    char *sums = write_sums(dir, raw);
    char *img = tu_path(raw, "train-images-idx3-ubyte");
    char bad[SHA256_HEX];
    flip_byte(img, -1, 0x80, bad); /* the last pixel of the last image */
    Data d;
    ck_assert_msg(data_load(&d, raw, err) == 0, "%s", err);
    ck_assert_str_eq(d.train_images_sha256, bad);
    ck_assert_int_eq(data_check_sums(&d, sums, err), -1);
    char want[256];
    snprintf(want, sizeof want, "data: '%s': sha-256 %s does not match ", img, bad);
    ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "%s", err);
    data_release(&d);
    tu_rmtree(dir);
    free(img);
    free(sums);
    free(raw);
    free(dir);
}
END_TEST

START_TEST(test_sums_file_errors)
{
    char err[ERR_MAX];
    char *dir = tu_tmpdir();
    char *raw = tu_path(dir, "data");
    ck_assert_int_eq(synth_write(raw, 30, 10, 10, 1, 0, err), 0);
    char *sums = write_sums(dir, raw);
    Data d;
    ck_assert_msg(data_load(&d, raw, err) == 0, "%s", err);
    size_t n;
    char *text = tu_read(sums, &n);
    /* the last file not listed */
    size_t cut = n - 1;
    while (text[cut - 1] != '\n')
        cut--;
    ck_assert_int_eq(tu_write(sums, text, cut), 0);
    ck_assert_int_eq(data_check_sums(&d, sums, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "sums': no sha-256 for 't10k-labels-idx1-ubyte'"));
    /* a line that is not "<hex>  <name>" */
    memcpy(text + 90, "not hex", 7);
    ck_assert_int_eq(tu_write(sums, text, n), 0);
    ck_assert_int_eq(data_check_sums(&d, sums, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "sums':2: not a sha-256 line"));
    ck_assert_int_eq(data_check_sums(&d, "/nonexistent/sums", err), -1);
    ck_assert_str_eq(err, "data: '/nonexistent/sums': No such file or directory");
    data_release(&d);
    tu_rmtree(dir);
    free(text);
    free(sums);
    free(raw);
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
    tcase_add_test(core, test_sums_match_raw_and_gz);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_load_rejects_mismatched_geometry);
    tcase_add_test(errors, test_sums_name_a_flipped_byte);
    tcase_add_test(errors, test_sums_name_a_flipped_training_pixel);
    tcase_add_test(errors, test_sums_file_errors);
    suite_add_tcase(s, errors);
    return s;
}
