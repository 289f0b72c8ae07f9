#include "idx.h"

#include "err.h"
#include "testutil.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

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

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* A tiny image file: n images of r x c, pixel value = (image * 7 + index) mod 256. */
static unsigned char *make_images(uint32_t n, uint32_t r, uint32_t c, size_t *len)
{
    size_t body = (size_t)n * r * c;
    unsigned char *b = malloc(16 + body);
    put_be32(b, 0x803);
    put_be32(b + 4, n);
    put_be32(b + 8, r);
    put_be32(b + 12, c);
    for (size_t i = 0; i < body; i++)
        b[16 + i] = (unsigned char)((i / (r * c)) * 7 + i % (r * c));
    *len = 16 + body;
    return b;
}

static unsigned char *make_labels(uint32_t n, size_t *len)
{
    unsigned char *b = malloc(8 + n);
    put_be32(b, 0x801);
    put_be32(b + 4, n);
    for (uint32_t i = 0; i < n; i++)
        b[8 + i] = (unsigned char)(i % 10);
    *len = 8 + n;
    return b;
}

/* Writes data to dir/name (gzip if gz) and returns the heap path. */
static char *put(const char *name, const void *data, size_t n, int gz)
{
    char *p = tu_path(dir, name);
    ck_assert_int_eq(gz ? tu_write_gz(p, data, n) : tu_write(p, data, n), 0);
    return p;
}

static void check_good(int gz)
{
    size_t li, ll;
    unsigned char *img = make_images(12, 3, 4, &li);
    unsigned char *lab = make_labels(12, &ll);
    char *pi = put(gz ? "i.gz" : "i", img, li, gz);
    char *pl = put(gz ? "l.gz" : "l", lab, ll, gz);
    IdxSet s;
    char err[ERR_MAX];
    Sha256 *sum = sha256_new();
    ck_assert_int_eq(idxset_load(&s, pi, pl, sum, err), 0);
    ck_assert_uint_eq(s.count, 12);
    ck_assert_uint_eq(s.rows, 3);
    ck_assert_uint_eq(s.cols, 4);
    ck_assert_mem_eq(s.pixels, img + 16, 12 * 12);
    ck_assert_mem_eq(s.labels, lab + 8, 12);
    /* the digest covers the uncompressed bytes, so raw and gzip agree */
    char hex[SHA256_HEX], want[SHA256_HEX];
    sha256_final(sum, hex);
    sha256_free(sum);
    Sha256 *ref = sha256_new();
    sha256_update(ref, img, li);
    sha256_update(ref, lab, ll);
    sha256_final(ref, want);
    sha256_free(ref);
    ck_assert_str_eq(hex, want);
    idxset_release(&s);
    free(img);
    free(lab);
    free(pi);
    free(pl);
}

START_TEST(test_good_raw)
{
    check_good(0);
}
END_TEST

START_TEST(test_good_gzip)
{
    check_good(1);
}
END_TEST

/* Loads an image file made from data and returns the error text. */
static const char *image_error(const void *data, size_t n, int gz)
{
    static char err[ERR_MAX];
    char *p = put(gz ? "bad.gz" : "bad", data, n, gz);
    uint8_t *px = (uint8_t *)1;
    size_t c, r, k;
    ck_assert_int_eq(idx_load_images(p, &px, &c, &r, &k, NULL, err), -1);
    ck_assert_ptr_null(px);
    free(p);
    return err;
}

START_TEST(test_truncated_header)
{
    size_t n;
    unsigned char *img = make_images(2, 2, 2, &n);
    ck_assert_str_eq(strstr(image_error(img, 10, 0), "truncated"),
                     "truncated at byte 10 (header needs 16 bytes)");
    ck_assert_ptr_nonnull(strstr(image_error(img, 10, 1), "truncated at byte 10"));
    free(img);
}
END_TEST

START_TEST(test_truncated_body)
{
    size_t n;
    unsigned char *img = make_images(6, 28, 28, &n);
    /* 16 header bytes + 4 full images + 16 bytes of the fifth */
    const char *e = image_error(img, 16 + 4 * 784 + 16, 0);
    ck_assert_ptr_nonnull(strstr(e, "truncated at byte 3168 (image 5 of 6)"));
    ck_assert_ptr_nonnull(strstr(e, "'"));
    e = image_error(img, 16 + 4 * 784 + 16, 1);
    ck_assert_ptr_nonnull(strstr(e, "truncated at byte 3168 (image 5 of 6)"));
    free(img);
}
END_TEST

START_TEST(test_bad_magic)
{
    size_t n;
    unsigned char *img = make_images(1, 2, 2, &n);
    img[3] = 0x01; /* a label file's magic */
    ck_assert_ptr_nonnull(strstr(image_error(img, n, 0), "bad magic 0x00000801 at byte 0"));
    free(img);
}
END_TEST

START_TEST(test_wrong_dimensions)
{
    size_t n;
    unsigned char *img = make_images(1, 2, 2, &n);
    put_be32(img + 8, 0);
    ck_assert_ptr_nonnull(strstr(image_error(img, n, 0), "image size 0x2 at byte 8"));
    put_be32(img + 8, 100000);
    ck_assert_ptr_nonnull(strstr(image_error(img, n, 0), "image size 100000x2"));
    free(img);
}
END_TEST

START_TEST(test_absurd_count)
{
    size_t n;
    unsigned char *img = make_images(1, 28, 28, &n);
    put_be32(img + 4, 1u << 31);
    ck_assert_ptr_nonnull(strstr(image_error(img, n, 0), "header claims 2147483648 images"));
    unsigned char *lab = make_labels(1, &n);
    put_be32(lab + 4, 1u << 31);
    char *p = put("l", lab, n, 0);
    char err[ERR_MAX];
    uint8_t *l;
    size_t c;
    ck_assert_int_eq(idx_load_labels(p, &l, &c, NULL, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "header claims 2147483648 labels"));
    free(p);
    free(lab);
    free(img);
}
END_TEST

START_TEST(test_trailing_data)
{
    size_t n;
    unsigned char *img = make_images(2, 2, 2, &n);
    unsigned char *more = malloc(n + 3);
    memcpy(more, img, n);
    memset(more + n, 9, 3);
    ck_assert_ptr_nonnull(strstr(image_error(more, n + 3, 0), "unexpected data at byte 24"));
    free(more);
    free(img);
}
END_TEST

START_TEST(test_empty_file)
{
    ck_assert_ptr_nonnull(strstr(image_error("", 0, 0), "empty file"));
}
END_TEST

START_TEST(test_corrupt_gzip)
{
    size_t n;
    unsigned char *img = make_images(50, 28, 28, &n);
    char *p = put("c.gz", img, n, 1);
    size_t len;
    char *gz = tu_read(p, &len);
    /* flip bytes in the middle of the deflate stream */
    for (size_t i = len / 2; i < len / 2 + 8; i++)
        gz[i] ^= 0x5a;
    const char *e = image_error(gz, len, 0);
    ck_assert_msg(strstr(e, "corrupt gzip stream") || strstr(e, "truncated"), "%s", e);
    /* a gzip stream cut short is an error too */
    tu_write(p, gz, len / 3);
    e = image_error(gz, len / 3, 0);
    ck_assert_msg(strstr(e, "corrupt gzip stream") || strstr(e, "truncated"), "%s", e);
    free(gz);
    free(p);
    free(img);
}
END_TEST

START_TEST(test_label_out_of_range)
{
    size_t n;
    unsigned char *lab = make_labels(7, &n);
    lab[8 + 5] = 10;
    char *p = put("l", lab, n, 0);
    char err[ERR_MAX];
    uint8_t *l;
    size_t c;
    ck_assert_int_eq(idx_load_labels(p, &l, &c, NULL, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "label 10 at byte 13 (item 6) out of range 0-9"));
    free(p);
    free(lab);
}
END_TEST

START_TEST(test_count_mismatch)
{
    size_t li, ll;
    unsigned char *img = make_images(5, 2, 2, &li);
    unsigned char *lab = make_labels(4, &ll);
    char *pi = put("i", img, li, 0);
    char *pl = put("l", lab, ll, 0);
    IdxSet s;
    char err[ERR_MAX];
    ck_assert_int_eq(idxset_load(&s, pi, pl, NULL, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "4 labels but"));
    ck_assert_ptr_null(s.pixels);
    ck_assert_ptr_null(s.labels);
    free(pi);
    free(pl);
    free(img);
    free(lab);
}
END_TEST

START_TEST(test_missing_file)
{
    IdxSet s;
    char err[ERR_MAX];
    char *p = tu_path(dir, "nope");
    ck_assert_int_eq(idxset_load(&s, p, p, NULL, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "No such file"));
    free(p);
}
END_TEST

Suite *idx_suite(void);
Suite *idx_suite(void)
{
    Suite *s = suite_create("idx");
    TCase *core = tcase_create("core");
    tcase_add_checked_fixture(core, setup, teardown);
    tcase_add_test(core, test_good_raw);
    tcase_add_test(core, test_good_gzip);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_checked_fixture(errors, setup, teardown);
    tcase_add_test(errors, test_truncated_header);
    tcase_add_test(errors, test_truncated_body);
    tcase_add_test(errors, test_bad_magic);
    tcase_add_test(errors, test_wrong_dimensions);
    tcase_add_test(errors, test_absurd_count);
    tcase_add_test(errors, test_trailing_data);
    tcase_add_test(errors, test_empty_file);
    tcase_add_test(errors, test_corrupt_gzip);
    tcase_add_test(errors, test_label_out_of_range);
    tcase_add_test(errors, test_count_mismatch);
    tcase_add_test(errors, test_missing_file);
    suite_add_tcase(s, errors);
    return s;
}
