/* The minibatch rules on tiny sets, with the file rows of every batch spelled
 * out: next_batch drops the tail of a pass and reshuffles exactly when a pass
 * is exhausted, the stream runs batches across pass boundaries (and so drifts
 * a validation window), every-image gives a short last batch. */
#include "batch.h"

#include "err.h"

#include <check.h>
#include <string.h>

/* Draws `count` batches from b and checks each against want (rows, -1 ends a
 * short batch). */
static void expect_batches(Batcher *b, size_t count, size_t width, const int *want)
{
    uint32_t rows[16];
    for (size_t k = 0; k < count; k++) {
        size_t n = batcher_next(b, rows);
        size_t want_n = 0;
        while (want_n < width && want[k * width + want_n] >= 0)
            want_n++;
        ck_assert_msg(n == want_n, "batch %zu: %zu rows, want %zu", k, n, want_n);
        for (size_t r = 0; r < n; r++)
            ck_assert_msg(rows[r] == (uint32_t)want[k * width + r], "batch %zu row %zu: %u, want %d",
                          k, r, rows[r], want[k * width + r]);
    }
}

START_TEST(test_next_batch_drops_the_tail_without_shuffling)
{
    /* 10 images, batch 4: 8 images a pass, images 8 and 9 never used */
    char err[ERR_MAX];
    Batcher b;
    ck_assert_int_eq(batcher_init(&b, BATCH_NEXT_BATCH, 10, 0, 4, NULL, err), 0);
    ck_assert_uint_eq(batch_per_epoch(BATCH_NEXT_BATCH, 10, 4), 2);
    static const int want[] = {0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3};
    expect_batches(&b, 5, 4, want);
    ck_assert_uint_eq(b.passes, 3);
    batcher_release(&b);
}
END_TEST

START_TEST(test_next_batch_reshuffles_exactly_when_a_pass_is_exhausted)
{
    char err[ERR_MAX];
    Rng shuffle, ref;
    rng_seed(&shuffle, 11, RNG_STREAM_SHUFFLE);
    rng_seed(&ref, 11, RNG_STREAM_SHUFFLE);
    Batcher b;
    ck_assert_int_eq(batcher_init(&b, BATCH_NEXT_BATCH, 10, 0, 4, &shuffle, err), 0);
    /* pass 1 in file order, the tail 8, 9 unused, and no draw yet */
    static const int pass1[] = {0, 1, 2, 3, 4, 5, 6, 7};
    expect_batches(&b, 2, 4, pass1);
    ck_assert_uint_eq(b.passes, 1);
    ck_assert(memcmp(&shuffle, &ref, sizeof ref) == 0);
    /* the third call would run past the end: a fresh permutation of all 10 */
    uint32_t perm[10];
    for (uint32_t i = 0; i < 10; i++)
        perm[i] = i;
    rng_shuffle(&ref, perm, 10);
    int pass2[8];
    for (int i = 0; i < 8; i++)
        pass2[i] = (int)perm[i];
    expect_batches(&b, 2, 4, pass2);
    ck_assert_uint_eq(b.passes, 2);
    /* the permutation is not the file order, and it reaches the old tail */
    int moved = 0, tail = 0;
    for (int i = 0; i < 8; i++) {
        moved += pass2[i] != i;
        tail += pass2[i] >= 8;
    }
    ck_assert_int_gt(moved, 0);
    ck_assert_int_gt(tail, 0);
    ck_assert(memcmp(&shuffle, &ref, sizeof ref) == 0); /* one shuffle per pass */
    batcher_release(&b);
}
END_TEST

START_TEST(test_next_batch_at_a_dividing_batch_is_every_image)
{
    /* 12 images, batch 4: every image once per pass, reshuffled at the same
     * moment (the first batch of the next pass) as the every-image rule */
    char err[ERR_MAX];
    Rng s1, s2;
    rng_seed(&s1, 3, RNG_STREAM_SHUFFLE);
    rng_seed(&s2, 3, RNG_STREAM_SHUFFLE);
    Batcher a, e;
    ck_assert_int_eq(batcher_init(&a, BATCH_NEXT_BATCH, 12, 0, 4, &s1, err), 0);
    ck_assert_int_eq(batcher_init(&e, BATCH_EPOCH, 12, 0, 4, &s2, err), 0);
    ck_assert_uint_eq(batch_per_epoch(BATCH_NEXT_BATCH, 12, 4), batch_per_epoch(BATCH_EPOCH, 12, 4));
    for (int k = 0; k < 9; k++) {
        uint32_t ra[4], re[4];
        ck_assert_uint_eq(batcher_next(&a, ra), 4);
        ck_assert_uint_eq(batcher_next(&e, re), 4);
        ck_assert(memcmp(ra, re, sizeof ra) == 0);
    }
    batcher_release(&a);
    batcher_release(&e);
}
END_TEST

START_TEST(test_stream_batches_straddle_passes)
{
    /* 10 images at file rows 100..109, batch 4, never shuffled: a pass is
     * 2 batches (10 / 4), and the third batch runs from the end into the next
     * pass */
    char err[ERR_MAX];
    Rng shuffle;
    rng_seed(&shuffle, 1, RNG_STREAM_SHUFFLE);
    Batcher b;
    ck_assert_int_eq(batcher_init(&b, BATCH_STREAM, 10, 100, 4, &shuffle, err), 0);
    ck_assert_uint_eq(batch_per_epoch(BATCH_STREAM, 10, 4), 2);
    static const int want[] = {100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 100, 101,
                               102, 103, 104, 105, 106, 107, 108, 109, 100, 101, 102, 103};
    expect_batches(&b, 6, 4, want);
    ck_assert_ptr_null(b.order); /* the stream ignores the shuffle */
    batcher_release(&b);
}
END_TEST

START_TEST(test_validation_window_drifts)
{
    /* the MLP's validation after each epoch: the next 5 / 2 = 2 batches of 2
     * from the validation rows 50..54, so each epoch scores 4 of the 5 images
     * and the window moves on by 4 */
    char err[ERR_MAX];
    Batcher b;
    ck_assert_int_eq(batcher_init(&b, BATCH_STREAM, 5, 50, 2, NULL, err), 0);
    size_t per_epoch = batch_per_epoch(BATCH_STREAM, 5, 2);
    ck_assert_uint_eq(per_epoch, 2);
    static const int epochs[3][4] = {{50, 51, 52, 53}, {54, 50, 51, 52}, {53, 54, 50, 51}};
    for (int e = 0; e < 3; e++)
        expect_batches(&b, per_epoch, 2, epochs[e]);
    batcher_release(&b);
}
END_TEST

START_TEST(test_every_image_has_a_short_last_batch)
{
    /* 10 images, batch 4: 3 batches an epoch, the last of 2; without a shuffle
     * the next epoch starts again at image 0 */
    char err[ERR_MAX];
    Batcher b;
    ck_assert_int_eq(batcher_init(&b, BATCH_EPOCH, 10, 0, 4, NULL, err), 0);
    ck_assert_uint_eq(batch_per_epoch(BATCH_EPOCH, 10, 4), 3);
    static const int want[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -1, 0, 1, 2, 3};
    expect_batches(&b, 4, 4, want);
    batcher_release(&b);
}
END_TEST

START_TEST(test_errors)
{
    char err[ERR_MAX];
    Batcher b;
    ck_assert_int_eq(batcher_init(&b, BATCH_NEXT_BATCH, 0, 0, 4, NULL, err), -1);
    ck_assert_str_eq(err, "batch: nothing to batch (0 images, batch 4)");
    ck_assert_int_eq(batcher_init(&b, BATCH_EPOCH, 5, 0, 0, NULL, err), -1);
    ck_assert_int_eq(batcher_init(&b, BATCH_NEXT_BATCH, 3, 0, 4, NULL, err), -1);
    ck_assert_str_eq(err, "batch: a batch of 4 is more than the 3 images");
    ck_assert_uint_eq(batch_per_epoch(BATCH_NEXT_BATCH, 3, 4), 0);
    ck_assert_uint_eq(batch_per_epoch(BATCH_EPOCH, 3, 4), 1);
    /* the stream may wrap more than once within a batch */
    ck_assert_int_eq(batcher_init(&b, BATCH_STREAM, 3, 7, 4, NULL, err), 0);
    static const int want[] = {7, 8, 9, 7, 8, 9, 7, 8};
    expect_batches(&b, 2, 4, want);
    batcher_release(&b);
    ck_assert_int_eq(batcher_init(&b, BATCH_STREAM, 10, UINT32_MAX - 5, 4, NULL, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "do not fit 32-bit indices"));
}
END_TEST

Suite *batch_suite(void);
Suite *batch_suite(void)
{
    Suite *s = suite_create("batch");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_next_batch_drops_the_tail_without_shuffling);
    tcase_add_test(core, test_next_batch_reshuffles_exactly_when_a_pass_is_exhausted);
    tcase_add_test(core, test_next_batch_at_a_dividing_batch_is_every_image);
    tcase_add_test(core, test_stream_batches_straddle_passes);
    tcase_add_test(core, test_validation_window_drifts);
    tcase_add_test(core, test_every_image_has_a_short_last_batch);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_errors);
    suite_add_tcase(s, errors);
    return s;
}
