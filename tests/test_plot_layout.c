#include "report/plot_layout.h"
#include "report/plot_model.h"

#include <check.h>
#include <math.h>
#include <string.h>

static Figure *one_panel(Job *j)
{
    memset(j, 0, sizeof *j);
    Figure *fg = plot_fig_new(j, NULL, "fig", 1, 1, 1);
    ck_assert_ptr_nonnull(fg);
    fg->x0 = 0.0;
    fg->x1 = 10.0;
    return fg;
}

/* The y range holds what is in view of the x range, with 5 % on each side. */
START_TEST(test_ranges)
{
    Job j;
    Figure *fg = one_panel(&j);
    Panel *p = &fg->panel[0];
    plot_track_point(&j, p, 1.0, 20.0);
    plot_track_point(&j, p, 9.0, 40.0);
    plot_track_point(&j, p, 50.0, 1000.0); /* out of view */
    plot_compute_ranges(fg);
    ck_assert_double_eq_tol(p->y0, 19.0, 1e-12);
    ck_assert_double_eq_tol(p->y1, 41.0, 1e-12);
    plot_job_release(&j);
}
END_TEST

/* Where a legend of one entry goes in a panel with the line y[0..10] over
 * x 0..10 (and the point (0, lowest), when given). */
static Corner corner_for(const double *y, const double *lowest)
{
    Job j;
    Figure *fg = one_panel(&j);
    Panel *p = &fg->panel[0];
    double x[11];
    for (int i = 0; i <= 10; i++)
        x[i] = i;
    plot_track_line(&j, p, x, y, 11, 0, 1);
    if (lowest)
        plot_track_point(&j, p, 0.0, *lowest);
    plot_item_add(&j, p, 0, "curve", "$d0 using 1:2 with lines");
    plot_compute_ranges(fg);
    plot_place_key(fg);
    ck_assert(fg->key_on);
    ck_assert_int_eq(fg->key_mode, KEY_CORNER);
    Corner c = fg->key;
    plot_job_release(&j);
    return c;
}

/* The legend goes into the corner that covers no data: a curve along the
 * top leaves the bottom corners, one falling from the top left the top
 * right (or the bottom left). */
START_TEST(test_key_corner)
{
    double top[11], fall[11], zero = 0.0;
    for (int i = 0; i <= 10; i++) {
        top[i] = 100.0;
        fall[i] = 100.0 - 10.0 * i;
    }
    Corner c = corner_for(top, &zero);
    ck_assert(c == KEY_BOTTOM_RIGHT || c == KEY_BOTTOM_LEFT);
    c = corner_for(fall, NULL);
    ck_assert(c == KEY_TOP_RIGHT || c == KEY_BOTTOM_LEFT);
}
END_TEST

/* No free corner and no room to make: a strip above the panel, which makes
 * the figure taller. */
START_TEST(test_key_strip)
{
    Job j;
    Figure *fg = one_panel(&j);
    Panel *p = &fg->panel[0];
    fg->y_cap = 100.0;
    for (int i = 0; i <= 40; i++)
        for (int k = 0; k <= 40; k++)
            plot_track_point(&j, p, i / 4.0, 60.0 + k); /* the whole panel, up to 100 */
    double before = plot_fig_height(fg);
    for (int i = 0; i < 12; i++)
        plot_item_add(&j, p, 0, "a legend entry of some length", "$d0 using 1:2 with lines");
    plot_compute_ranges(fg);
    plot_place_key(fg);
    ck_assert_int_eq(fg->key_mode, KEY_STRIP);
    ck_assert(fg->key_strip_px > 0.0);
    ck_assert(plot_fig_height(fg) > before);
    plot_job_release(&j);
}
END_TEST

Suite *plot_layout_suite(void);
Suite *plot_layout_suite(void)
{
    Suite *s = suite_create("plot_layout");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_ranges);
    tcase_add_test(tc, test_key_corner);
    tcase_add_test(tc, test_key_strip);
    suite_add_tcase(s, tc);
    return s;
}
