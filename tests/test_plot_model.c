#include "report/buf.h"
#include "report/plot_model.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Points grow past their first allocation and keep their order; points with
 * a non-finite coordinate are left out. */
START_TEST(test_points_grow)
{
    Job j;
    memset(&j, 0, sizeof j);
    Pts ps = {0};
    for (int i = 0; i < 1000; i++)
        plot_pts_add(&ps, &j, i, 2.0 * i);
    plot_pts_add(&ps, &j, NAN, 1.0);
    plot_pts_add(&ps, &j, 1.0, INFINITY);
    ck_assert(!j.failed);
    ck_assert_uint_eq(ps.n, 1000);
    ck_assert_uint_ge(ps.cap, 1000);
    for (int i = 0; i < 1000; i++)
        ck_assert(ps.p[i].x == i && ps.p[i].y == 2.0 * i);
    free(ps.p);
}
END_TEST

/* Plot elements grow too; a title too long fails the job with its message. */
START_TEST(test_items_and_failure)
{
    Job j;
    memset(&j, 0, sizeof j);
    Figure *fg = plot_fig_new(&j, NULL, "fig", 1, 1, 1);
    ck_assert_ptr_nonnull(fg);
    Panel *p = &fg->panel[0];
    for (int i = 0; i < 40; i++)
        plot_item_add(&j, p, 0, i == 39 ? "last" : NULL, "$d%d using 1:2 with lines", i);
    ck_assert(!j.failed);
    ck_assert_uint_eq(p->n_items, 40);
    ck_assert_str_eq(p->items[7].spec, "$d7 using 1:2 with lines");
    ck_assert_str_eq(p->items[39].title, "\"last\"");
    ck_assert_str_eq(p->items[38].title, "");
    char long_title[TEXT_MAX + 8];
    memset(long_title, 'x', sizeof long_title - 1);
    long_title[sizeof long_title - 1] = '\0';
    plot_item_add(&j, p, 0, long_title, "keyentry with lines");
    ck_assert(j.failed);
    ck_assert_uint_eq(p->n_items, 40);
    ck_assert_ptr_nonnull(strstr(j.err, "is too long"));
    plot_job_release(&j);
    ck_assert_uint_eq(j.n_figs, 0);
}
END_TEST

/* Collected rows become one data block; nothing collected, no block. */
START_TEST(test_block_from_rows)
{
    Job j;
    memset(&j, 0, sizeof j);
    Buf rows = {0};
    ck_assert_uint_eq(plot_block_from(&j, &rows), PLOT_NO_BLOCK);
    ck_assert_uint_eq(j.n_blocks, 0);
    buf_printf(&rows, "1 2\n");
    buf_printf(&rows, "3 4\n");
    ck_assert_uint_eq(plot_block_from(&j, &rows), 0);
    ck_assert_ptr_null(rows.p);
    ck_assert_str_eq(j.data.p, "$d0 << EOD\n1 2\n3 4\nEOD\n");
    ck_assert(!j.failed);
    plot_job_release(&j);
}
END_TEST

Suite *plot_model_suite(void);
Suite *plot_model_suite(void)
{
    Suite *s = suite_create("plot_model");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_points_grow);
    tcase_add_test(tc, test_items_and_failure);
    tcase_add_test(tc, test_block_from_rows);
    suite_add_tcase(s, tc);
    return s;
}
