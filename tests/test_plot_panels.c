#include "experiment.h"
#include "fake_results.h"
#include "report/plot_panels.h"
#include "report/results.h"
#include "testutil.h"

#include <check.h>
#include <stdlib.h>

/* A study of the experiment text, without results: split_groups reads only
 * the sweep and the number of settings. */
typedef struct {
    Experiment *e;
    char *dir;
    StudyResults s;
} Study;

static void study_of(Study *st, const char *text)
{
    st->e = fake_experiment("mlp-grid.exp", text, &st->dir);
    st->s = (StudyResults){0};
    st->s.exp = st->e;
    st->s.n_seeds = experiment_seed_count(st->e);
    st->s.n_groups = experiment_run_count(st->e) / st->s.n_seeds;
}

static void study_free(Study *st)
{
    experiment_free(st->e);
    tu_rmtree(st->dir);
    free(st->dir);
}

START_TEST(test_grid)
{
    static const size_t N[] = {0, 1, 2, 3, 4, 5, 6, 9, 10, 16};
    static const size_t ROWS[] = {1, 1, 1, 1, 2, 2, 2, 3, 3, 4};
    static const size_t COLS[] = {1, 1, 2, 3, 2, 3, 3, 3, 4, 4};
    for (size_t i = 0; i < sizeof N / sizeof N[0]; i++) {
        size_t rows, cols;
        plot_grid_for(N[i], &rows, &cols);
        ck_assert_msg(rows == ROWS[i] && cols == COLS[i], "%zu panels: %zu x %zu", N[i], rows,
                      cols);
    }
}
END_TEST

START_TEST(test_one_key_overlaid_or_split)
{
    Study st;
    /* up to max_overlay settings share a panel, one colour each */
    study_of(&st, "model = mlp\nlearning_rate = 0.1, 0.01, 0.001\nseeds = 1, 2\n");
    Split sp;
    plot_split_groups(&st.s, 4, &sp);
    ck_assert_uint_eq(sp.n_panels, 1);
    ck_assert_uint_eq(sp.n_colours, 3);
    ck_assert_uint_eq(sp.colour_of[2], 2);
    ck_assert_uint_eq(sp.panel_of[2], 0);
    ck_assert_uint_eq(sp.colour_keys, 1u);
    ck_assert_uint_eq(sp.panel_keys, 0u);
    /* more: one panel each, in a grid */
    plot_split_groups(&st.s, 2, &sp);
    ck_assert_uint_eq(sp.n_panels, 3);
    ck_assert_uint_eq(sp.rows, 1);
    ck_assert_uint_eq(sp.cols, 3);
    ck_assert_uint_eq(sp.panel_of[1], 1);
    ck_assert_uint_eq(sp.panel_keys, 1u);
    ck_assert_int_eq(sp.row_key, -1);
    study_free(&st);
}
END_TEST

/* Three keys: the last two pick row and column, the first the colour. */
START_TEST(test_three_keys_small_multiples)
{
    Study st;
    study_of(&st, "model = mlp\nhidden = 100, 512x128\nloss = euclidean, cross-entropy\n"
                  "activation = sigmoid, relu\nseeds = 1\n");
    ck_assert_uint_eq(st.s.n_groups, 8);
    Split sp;
    plot_split_groups(&st.s, 4, &sp);
    ck_assert_uint_eq(sp.n_panels, 4);
    ck_assert_uint_eq(sp.rows, 2);
    ck_assert_uint_eq(sp.cols, 2);
    ck_assert_int_eq(sp.row_key, 1);
    ck_assert_uint_eq(sp.n_colours, 2);
    ck_assert_uint_eq(sp.colour_keys, 1u);
    ck_assert_uint_eq(sp.panel_keys, 6u);
    for (size_t g = 0; g < st.s.n_groups; g++) {
        size_t h = g / 4, l = g / 2 % 2, a = g % 2; /* run order: the last key fastest */
        ck_assert_uint_eq(sp.colour_of[g], h);
        ck_assert_uint_eq(sp.panel_of[g], l * 2 + a);
    }
    study_free(&st);
}
END_TEST

Suite *plot_panels_suite(void);
Suite *plot_panels_suite(void)
{
    Suite *s = suite_create("plot_panels");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_grid);
    tcase_add_test(tc, test_one_key_overlaid_or_split);
    tcase_add_test(tc, test_three_keys_small_multiples);
    suite_add_tcase(s, tc);
    return s;
}
