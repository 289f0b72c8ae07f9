/* plot_unlearn.c - learn, then unlearn (plot_unlearn.h). */
#include "report/plot_unlearn.h"

#include "cfgfile.h"
#include "display.h"
#include "report/plot_axes.h"
#include "report/plot_epochs.h"
#include "report/plot_labels.h"
#include "report/plot_stats.h"
#include "report/plot_style.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const StudyResults *s;
    size_t g;
    double peak, last, drop; /* mean validation accuracy (percent) */
    size_t peak_epoch, epochs;
} Unlearn;

static Unlearn unlearn_of(const StudyResults *s, size_t g)
{
    Unlearn u = {s, g, -INFINITY, NAN, NAN, 0, 0};
    size_t ne = plot_group_epochs(s, g);
    for (size_t e = 1; e <= ne; e++) {
        double mean, sd;
        if (plot_epoch_stat(s, g, METRIC_VAL_ACC, e, &mean, &sd) == 0)
            continue;
        if (100.0 * mean > u.peak) {
            u.peak = 100.0 * mean;
            u.peak_epoch = e;
        }
        u.last = 100.0 * mean;
        u.epochs = e;
    }
    u.drop = u.epochs ? u.peak - u.last : NAN;
    return u;
}

/* The same network and training but for the weight decay (and the seed and
 * the number of epochs). */
static int same_but_decay(const RunConfig *a, const RunConfig *b)
{
    return !runconfig_diff(a, b, CFG_BIT(CFG_SEED) | CFG_BIT(CFG_MAX_EPOCH) |
                                     CFG_BIT(CFG_WEIGHT_DECAY));
}

/* A network's description where studies mix: its layers, loss and
 * activation, and whatever else but the weight decay differs from the mlp
 * defaults. */
static void network_text(const RunConfig *c, char *out, size_t size)
{
    runconfig_hidden_text(c, '-', out, size);
    size_t n = strlen(out);
    if (n < size)
        n += (size_t)snprintf(out + n, size - n, " %s %s",
                              display_value_brief("loss", loss_name(c->loss)),
                              display_value_brief("activation", activation_name(c->activation)));
    /* what is not the model's default; η as in the report's update rule, to
     * keep the header short */
    RunConfig d;
    runconfig_defaults(&d, c->model);
    if (n < size && c->learning_rate != d.learning_rate)
        n += (size_t)snprintf(out + n, size - n, ", \xce\xb7 = %g", c->learning_rate);
    if (n < size && c->batch_size != d.batch_size)
        n += (size_t)snprintf(out + n, size - n, ", batch %d", c->batch_size);
}

/* Whether some mlp study ran the network of u at another weight decay. */
static int has_other_decay(const Unlearn *u, const StudyResults *studies, size_t n)
{
    const RunConfig *c = &study_run(u->s, u->g, 0)->config;
    for (size_t k = 0; k < n; k++)
        for (size_t g = 0; g < studies[k].n_groups && !plot_is_softmax(&studies[k]); g++) {
            const RunConfig *o = &study_run(&studies[k], g, 0)->config;
            if (same_but_decay(o, c) && o->weight_decay != c->weight_decay)
                return 1;
        }
    return 0;
}

enum { PICK = 5, CANDIDATES = 64, DECAYS = 8 };

/* The networks drawn, and with each the same network at other weight decays. */
typedef struct {
    Unlearn best[PICK];
    size_t nb;
    Unlearn with[PICK][DECAYS];
    size_t n_with[PICK];
    double decays[DECAYS]; /* every decay seen, largest first: one colour each */
    size_t n_decays;
} Picks;

/* The networks that learn and then unlearn, at most PICK, into pk->best:
 * those some study also ran at another decay first (they show what the
 * decay does), then by drop, largest first; none: the one with the largest
 * drop. Returns -1 when no study is an mlp study. */
static int pick_networks(const StudyResults *studies, size_t n, Picks *pk)
{
    Unlearn cand[CANDIDATES], top = {0};
    int other[CANDIDATES];
    size_t nc = 0;
    top.drop = -INFINITY;
    int any_mlp = 0;
    for (size_t i = 0; i < n; i++) {
        const StudyResults *s = &studies[i];
        if (plot_is_softmax(s))
            continue;
        any_mlp = 1;
        for (size_t g = 0; g < s->n_groups; g++) {
            Unlearn u = unlearn_of(s, g);
            if (isnan(u.drop))
                continue;
            if (u.drop > top.drop)
                top = u;
            if (!(u.drop >= PLOT_UNLEARN_DROP && u.peak_epoch < u.epochs))
                continue;
            /* one panel per network (whatever its decay): the largest drop */
            const RunConfig *c = &study_run(s, g, 0)->config;
            size_t k = 0;
            while (k < nc && !same_but_decay(&study_run(cand[k].s, cand[k].g, 0)->config, c))
                k++;
            if (k < nc && u.drop > cand[k].drop)
                cand[k] = u;
            else if (k == nc && nc < CANDIDATES)
                cand[nc++] = u;
        }
    }
    if (!any_mlp)
        return -1;
    for (size_t k = 0; k < nc; k++)
        other[k] = has_other_decay(&cand[k], studies, n);
    for (size_t a = 1; a < nc; a++)
        for (size_t b = a; b > 0 && (other[b] > other[b - 1] ||
                                     (other[b] == other[b - 1] && cand[b].drop > cand[b - 1].drop));
             b--) {
            Unlearn t = cand[b];
            cand[b] = cand[b - 1];
            cand[b - 1] = t;
            int o = other[b];
            other[b] = other[b - 1];
            other[b - 1] = o;
        }
    for (size_t k = 0; k < nc && pk->nb < PICK; k++)
        pk->best[pk->nb++] = cand[k];
    if (pk->nb == 0 && isfinite(top.drop))
        pk->best[pk->nb++] = top;
    return 0;
}

/* Network i's runs at every decay some study ran it at (one run at each
 * decay: as long as the falling one, or else the longest), and the decays
 * into pk->decays. */
static void gather_decays(const StudyResults *studies, size_t n, size_t i, Picks *pk)
{
    const Unlearn *bi = &pk->best[i];
    const RunConfig *ci = &study_run(bi->s, bi->g, 0)->config;
    for (size_t k = 0; k < n; k++) {
        const StudyResults *s = &studies[k];
        if (plot_is_softmax(s))
            continue;
        for (size_t g = 0; g < s->n_groups; g++) {
            const RunConfig *c = &study_run(s, g, 0)->config;
            if (!same_but_decay(c, ci))
                continue;
            Unlearn u = c->weight_decay == ci->weight_decay ? *bi : unlearn_of(s, g);
            if (isnan(u.drop))
                continue;
            Unlearn *with = pk->with[i];
            size_t q = 0;
            while (q < pk->n_with[i] &&
                   study_run(with[q].s, with[q].g, 0)->config.weight_decay != c->weight_decay)
                q++;
            int fits = u.epochs == bi->epochs;
            if (q == pk->n_with[i] && q < DECAYS)
                with[pk->n_with[i]++] = u;
            else if (q < pk->n_with[i] && with[q].epochs != bi->epochs &&
                     (fits || u.epochs > with[q].epochs))
                with[q] = u;
            size_t d = 0;
            while (d < pk->n_decays && pk->decays[d] != c->weight_decay)
                d++;
            if (d == pk->n_decays && d < DECAYS)
                pk->decays[pk->n_decays++] = c->weight_decay;
        }
    }
}

/* The colour of decay d (pk->decays, largest first): its rank among them
 * in the sequential palette, as every weight decay sweep's. */
static void decay_colour(const Picks *pk, size_t d, char out[PLOT_COLOUR_MAX])
{
    plot_sweep_colour(pk->n_decays - 1 - d, pk->n_decays, out);
}

/* Panel p: network i (its peak marked) and its runs at the other decays. */
static void unlearn_panel(Job *j, Panel *p, const Picks *pk, size_t i)
{
    const Unlearn *bi = &pk->best[i];
    network_text(&study_run(bi->s, bi->g, 0)->config, p->title, sizeof p->title);
    plot_diverged_note(bi->s, bi->g, p->title, sizeof p->title);
    for (size_t q = 0; q < pk->n_with[i]; q++) {
        const Unlearn *u = &pk->with[i][q];
        double wd = study_run(u->s, u->g, 0)->config.weight_decay;
        size_t d = 0;
        while (d + 1 < pk->n_decays && pk->decays[d] != wd)
            d++;
        Metric m = METRIC_VAL_ACC;
        char col[PLOT_COLOUR_MAX];
        decay_colour(pk, d, col);
        size_t id = plot_epoch_band(j, p, u->s, u->g, &m, 1);
        plot_item_add(j, p, 0, NULL, "$d%zu using 1:3:4 with filledcurves " BAND " lc rgb \"#%s\"",
                      id, col);
        plot_item_add(j, p, 0, NULL, "$d%zu using 1:2 with lines lw " LW " lc rgb \"#%s\" %s", id,
                      col, plot_look(LOOK_VALIDATION)->dash);
        if (u->s != bi->s || u->g != bi->g)
            continue;
        size_t pid = plot_block_begin(j);
        buf_printf(&j->data, "%zu %.6g\n", u->peak_epoch, u->peak);
        plot_block_end(j);
        plot_track_point(j, p, (double)u->peak_epoch, u->peak);
        plot_item_add(j, p, 0, NULL, "$d%zu using 1:2 with points " PT_PEAK " lc rgb \"#%s\"", pid,
                      col);
    }
    for (size_t d = 0; d < pk->n_decays; d++) {
        char label[TEXT_MAX], col[PLOT_COLOUR_MAX];
        snprintf(label, sizeof label, "%s = %g", display_key("weight_decay"), pk->decays[d]);
        decay_colour(pk, d, col);
        plot_item_add(j, p, 1, label, "keyentry with lines lw " LW " lc rgb \"#%s\" %s", col,
                      plot_look(LOOK_VALIDATION)->dash);
    }
    plot_item_add(j, p, 1, "peak", "keyentry with points " PT_PEAK " lc rgb \"#" INK "\"");
}

void plot_unlearn_figure(Job *j, const StudyResults *studies, size_t n)
{
    Picks pk;
    memset(&pk, 0, sizeof pk);
    if (pick_networks(studies, n, &pk) != 0) {
        plot_job_fail(j, "plot: no mlp study to draw '%s' from", PLOT_UNLEARN);
        return;
    }
    /* one panel per network: it and, where some study ran it, the same
     * network at other weight decays, one colour per decay */
    for (size_t i = 0; i < pk.nb; i++)
        gather_decays(studies, n, i, &pk);
    for (size_t a = 1; a < pk.n_decays; a++) /* largest decay first: the legend in that order */
        for (size_t b = a; b > 0 && pk.decays[b] > pk.decays[b - 1]; b--) {
            double t = pk.decays[b];
            pk.decays[b] = pk.decays[b - 1];
            pk.decays[b - 1] = t;
        }
    /* two columns, for the networks' names */
    size_t nb = pk.nb, cols = nb >= 2 ? 2 : 1, rows = nb ? (nb + cols - 1) / cols : 1;
    Figure *fg = plot_fig_new(j, NULL, PLOT_UNLEARN, nb ? nb : 1, rows, cols);
    if (!fg)
        return;
    size_t ne = 1;
    for (size_t i = 0; i < nb; i++)
        for (size_t q = 0; q < pk.n_with[i]; q++)
            ne = pk.with[i][q].epochs > ne ? pk.with[i][q].epochs : ne;
    plot_epoch_axis(fg, ne);
    snprintf(fg->ylabel, sizeof fg->ylabel, "validation accuracy (%%)");
    fg->y_cap = 100.0;
    for (size_t i = 0; i < nb; i++)
        unlearn_panel(j, &fg->panel[i], &pk, i);
    /* one y range for all, to compare them, unless the networks lie so far
     * apart (a sigmoid one near chance) that a shared range would flatten
     * each panel's rise and fall: then each its own, with its own tic labels */
    double all_lo = INFINITY, all_hi = -INFINITY, widest = 0.0;
    for (size_t i = 0; i < fg->n; i++) {
        const Pts *e = &fg->panel[i].extent;
        double lo = INFINITY, hi = -INFINITY;
        for (size_t q = 0; q < e->n; q++) {
            lo = fmin(lo, e->p[q].y);
            hi = fmax(hi, e->p[q].y);
        }
        if (lo <= hi) {
            widest = fmax(widest, hi - lo);
            all_lo = fmin(all_lo, lo);
            all_hi = fmax(all_hi, hi);
        }
    }
    fg->y_per_panel = all_lo <= all_hi && all_hi - all_lo > 3.0 * widest;
}
