/* plot.c - which figures a study gets, and drawing them (plot.h). */
#include "report/plot.h"

#include "err.h"
#include "report/plot_draw.h"
#include "report/plot_epochs.h"
#include "report/plot_glance.h"
#include "report/plot_iters.h"
#include "report/plot_model.h"
#include "report/plot_norms.h"
#include "report/plot_panels.h"
#include "report/plot_pipe.h"
#include "report/plot_stats.h"
#include "report/plot_style.h"
#include "report/plot_sweep.h"
#include "report/plot_unlearn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAW_PER_PX 2.0 /* raw minibatch values drawn per pixel of a panel's width */

enum { FIG_GLANCE, FIG_ITER_LOSS, FIG_ITER_ACC, FIG_EPOCH_LOSS, FIG_EPOCH_ACC, FIG_SWEEP, FIG_NORMS };
static const char *const FIG_SUFFIX[] = {"-glance",    "-iter-loss", "-iter-acc", "-epoch-loss",
                                         "-epoch-acc", "-sweep",     "-norms"};

static size_t figure_kinds(const PlotInput *in, int *kinds)
{
    size_t n = 0;
    if (plot_is_softmax(in->s)) {
        if (in->twin)
            kinds[n++] = FIG_GLANCE;
        if (in->s->n_groups <= PANELS_MAX) { /* a panel per setting: a grid of 25 says nothing */
            kinds[n++] = FIG_ITER_LOSS;
            kinds[n++] = FIG_ITER_ACC;
        }
    }
    kinds[n++] = FIG_EPOCH_LOSS;
    kinds[n++] = FIG_EPOCH_ACC;
    if (in->s->n_groups > 1)
        kinds[n++] = FIG_SWEEP;
    if (plot_norm_layers(in->s) > 0)
        kinds[n++] = FIG_NORMS;
    return n;
}

void plot_figures(const PlotInput *in, FigureSet *figs)
{
    int kinds[PLOT_FIGURES_MAX];
    figs->n = figure_kinds(in, kinds);
    for (size_t i = 0; i < figs->n; i++)
        snprintf(figs->name[i], PLOT_NAME_MAX, "%s%s", experiment_study(in->s->exp),
                 FIG_SUFFIX[kinds[i]]);
}

static int check_sizes(const StudyResults *s, char *err)
{
    if (s->n_groups > CURVES_MAX || s->n_seeds > CURVES_MAX)
        return err_set(err, "plot: '%s': more than %d settings or seeds", experiment_study(s->exp),
                       CURVES_MAX);
    return 0;
}

static int build_study(Job *j, const PlotInput *in, char *err)
{
    memset(j, 0, sizeof *j);
    if (check_sizes(in->s, err) || (in->twin && check_sizes(in->twin, err)))
        return -1;
    int kinds[PLOT_FIGURES_MAX];
    size_t nk = figure_kinds(in, kinds);
    IterCurves *cs = NULL;
    if (plot_is_softmax(in->s)) {
        cs = calloc(in->s->n_groups, sizeof *cs);
        if (!cs)
            return err_set(err, "plot: out of memory");
        /* at most two raw values per pixel of a panel's width */
        size_t rows, cols;
        plot_grid_for(in->s->n_groups, &rows, &cols);
        double w = (WIDTH_PX - MARGIN_L - MARGIN_R - GAP_X * (double)(cols - 1)) / (double)cols;
        for (size_t g = 0; g < in->s->n_groups; g++)
            plot_iter_curves(j, in->s, g, (size_t)(RAW_PER_PX * w), &cs[g]);
    }
    for (size_t i = 0; i < nk && !j->failed; i++)
        switch (kinds[i]) {
        case FIG_GLANCE:
            plot_glance_figure(j, in);
            break;
        case FIG_ITER_LOSS:
        case FIG_ITER_ACC:
            plot_iter_figure(j, in, kinds[i] == FIG_ITER_ACC, cs);
            break;
        case FIG_EPOCH_LOSS:
        case FIG_EPOCH_ACC:
            plot_epoch_figure(j, in, kinds[i] == FIG_EPOCH_ACC);
            break;
        case FIG_SWEEP:
            plot_sweep_figure(j, in);
            break;
        case FIG_NORMS:
            plot_norms_figure(j, in);
            break;
        }
    if (cs)
        for (size_t g = 0; g < in->s->n_groups; g++)
            plot_iter_curves_free(&cs[g]);
    free(cs);
    return 0;
}

/* Figures compared across two studies share their axes: each panel of a
 * figure of j also holds what the same panel of the same figure of the
 * compared study (in->compare, drawn into a scratch job) holds. */
static int share_axes(Job *j, const PlotInput *in, char *err)
{
    const StudyResults *c = in->compare;
    if (!c)
        return 0;
    if (c->n_groups != in->s->n_groups)
        return err_set(err, "plot: '%s': the study it is compared with sweeps other settings",
                       experiment_study(in->s->exp));
    PlotInput other = {c, NULL, NULL, in->studies, NULL};
    Job k;
    if (build_study(&k, &other, err) != 0)
        return -1;
    size_t own = strlen(experiment_study(in->s->exp)), theirs = strlen(experiment_study(c->exp));
    for (size_t a = 0; a < j->n_figs && !k.failed; a++)
        for (size_t b = 0; b < k.n_figs; b++) {
            Figure *fa = j->fig[a], *fb = k.fig[b];
            if (strcmp(fa->name + own, fb->name + theirs) != 0 || fa->n != fb->n)
                continue;
            for (size_t i = 0; i < fa->n; i++)
                for (size_t q = 0; q < fb->panel[i].extent.n; q++)
                    plot_pts_add(&fa->panel[i].extent, j, fb->panel[i].extent.p[q].x,
                                 fb->panel[i].extent.p[q].y);
        }
    j->failed |= k.failed;
    plot_job_release(&k);
    return 0;
}

int plot_script(FILE *f, const PlotInput *in, const char *out_dir, long tag, char *err)
{
    Job j;
    if (build_study(&j, in, err) != 0)
        return -1;
    if (share_axes(&j, in, err) != 0) {
        plot_job_release(&j);
        return -1;
    }
    char what[STUDY_NAME_MAX + 16];
    snprintf(what, sizeof what, "study '%s'", experiment_study(in->s->exp));
    int rc = plot_job_script(f, &j, what, out_dir, tag, err);
    plot_job_release(&j);
    return rc;
}

int plot_overview_script(FILE *f, const StudyResults *studies, size_t n, const char *out_dir,
                         long tag, char *err)
{
    Job j;
    memset(&j, 0, sizeof j);
    for (size_t i = 0; i < n; i++)
        if (check_sizes(&studies[i], err))
            return -1;
    plot_unlearn_figure(&j, studies, n);
    int rc = plot_job_script(f, &j, "several studies", out_dir, tag, err);
    plot_job_release(&j);
    return rc;
}

static int study_script(FILE *f, const void *ctx, const char *out_dir, long tag, char *err)
{
    return plot_script(f, ctx, out_dir, tag, err);
}

int plot_study(const PlotInput *in, const char *out_dir, char *err)
{
    FigureSet figs;
    plot_figures(in, &figs);
    return plot_run_gnuplot(study_script, in, &figs, experiment_study(in->s->exp), out_dir, err);
}

typedef struct {
    const StudyResults *studies;
    size_t n;
} Overview;

static int overview_script(FILE *f, const void *ctx, const char *out_dir, long tag, char *err)
{
    const Overview *o = ctx;
    return plot_overview_script(f, o->studies, o->n, out_dir, tag, err);
}

int plot_overview(const StudyResults *studies, size_t n, const char *out_dir, char *err)
{
    FigureSet figs = {1, {PLOT_UNLEARN}};
    Overview o = {studies, n};
    return plot_run_gnuplot(overview_script, &o, &figs, PLOT_UNLEARN, out_dir, err);
}
