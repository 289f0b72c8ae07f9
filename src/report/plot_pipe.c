/* plot_pipe.c - running gnuplot (plot_pipe.h). */
#include "report/plot_pipe.h"

#include "atomic.h"
#include "err.h"
#include "report/plot_style.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PATH_TEXT_MAX 4096

#define GNUPLOT_MISSING "plot: gnuplot not found: run 'apt-get install gnuplot-nox' (or make deps)"

int plot_tmp_name(char *buf, size_t size, const char *out_dir, const char *name, const char *ext,
                  long tag)
{
    int n = snprintf(buf, size, "%s/.%s.%s.tmp.%ld", out_dir, name, ext, tag);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Whether an executable named prog is in a directory of $PATH. */
static int on_path(const char *prog)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        return 0;
    char *copy = strdup(path), *save = NULL;
    int found = 0;
    for (char *dir = copy ? strtok_r(copy, ":", &save) : NULL; dir && !found;
         dir = strtok_r(NULL, ":", &save)) {
        char full[PATH_TEXT_MAX];
        int n = snprintf(full, sizeof full, "%s/%s", *dir ? dir : ".", prog);
        struct stat st;
        found = n > 0 && (size_t)n < sizeof full && stat(full, &st) == 0 && S_ISREG(st.st_mode) &&
                access(full, X_OK) == 0;
    }
    free(copy);
    return found;
}

/* pdfcairo stamps the time of drawing into the PDF; with SOURCE_DATE_EPOCH
 * set, that date is rewritten (same length, so the cross-reference offsets
 * hold) to make the figure reproducible. */
static int pdf_fix_date(const char *path, char *err)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (!sde || !*sde)
        return 0;
    char *end;
    errno = 0;
    long long t = strtoll(sde, &end, 10);
    if (*end || errno || t < 0)
        return err_set(err, "plot: SOURCE_DATE_EPOCH='%s': not a number of seconds", sde);
    time_t tt = (time_t)t;
    struct tm tm;
    char stamp[32];
    if (!gmtime_r(&tt, &tm) || strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm) != 14)
        return err_set(err, "plot: SOURCE_DATE_EPOCH='%s': out of range", sde);
    FILE *f = fopen(path, "r+b");
    if (!f)
        return err_set(err, "plot: '%s': %s", path, strerror(errno));
    static const char KEY[] = "/CreationDate (D:";
    char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    /* the info dictionary sits at the end of a cairo PDF: search the tail */
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    long base = 0;
    if (size > (long)sizeof buf - 1) {
        base = size - (long)(sizeof buf - 1);
        if (fseek(f, base, SEEK_SET) != 0) {
            fclose(f);
            return err_set(err, "plot: '%s': seek failed", path);
        }
        n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = '\0';
    }
    int rc = 0;
    char *at = NULL;
    for (size_t i = 0; i + sizeof KEY - 1 + 14 <= n && !at; i++)
        if (memcmp(buf + i, KEY, sizeof KEY - 1) == 0)
            at = buf + i + sizeof KEY - 1;
    if (at) {
        if (fseek(f, base + (long)(at - buf), SEEK_SET) != 0 || fwrite(stamp, 1, 14, f) != 14)
            rc = err_set(err, "plot: '%s': write failed", path);
    }
    if (fclose(f) != 0 && rc == 0)
        rc = err_set(err, "plot: '%s': write failed", path);
    return rc;
}

/* Whether gnuplot's output at tmp is complete: gnuplot exits 0 even when its
 * writes failed (a full disk), so the file itself is looked at: not empty, an
 * SVG closed by </svg>, a PDF that starts with %PDF- and ends with %%EOF. An
 * error names the figure's final path. */
static int check_output(const char *tmp, const char *ext, const char *final, char *err)
{
    FILE *f = fopen(tmp, "rb");
    if (!f)
        return err_set(err, "plot: '%s': gnuplot wrote nothing (%s)", final, strerror(errno));
    char head[8] = "", tail[1025];
    size_t nh = fread(head, 1, 5, f);
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    size_t nt = 0;
    if (size > 0) {
        long from = size > (long)sizeof tail - 1 ? size - (long)(sizeof tail - 1) : 0;
        if (fseek(f, from, SEEK_SET) == 0)
            nt = fread(tail, 1, sizeof tail - 1, f);
    }
    int bad = ferror(f);
    fclose(f);
    tail[nt] = '\0';
    /* the tail may hold NUL bytes (PDF streams): search it bytewise */
    const char *want = strcmp(ext, "pdf") == 0 ? "%%EOF" : "</svg>";
    size_t wl = strlen(want);
    int closed = 0;
    for (size_t i = 0; i + wl <= nt && !closed; i++)
        closed = memcmp(tail + i, want, wl) == 0;
    if (bad || size < 0)
        return err_set(err, "plot: '%s': cannot read gnuplot's output", final);
    if (size == 0)
        return err_set(err, "plot: '%s': gnuplot wrote an empty file (disk full?)", final);
    if (strcmp(ext, "pdf") == 0 && (nh != 5 || memcmp(head, "%PDF-", 5) != 0))
        return err_set(err, "plot: '%s': gnuplot's output is not a PDF (disk full?)", final);
    if (!closed)
        return err_set(err, "plot: '%s': gnuplot's output is truncated at byte %ld (no %s; disk full?)",
                       final, size, want);
    return 0;
}

static void remove_tmps(const FigureSet *figs, const char *out_dir, long tag)
{
    for (size_t i = 0; i < figs->n; i++)
        for (size_t t = 0; t < N_TERMINALS; t++) {
            char tmp[PATH_TEXT_MAX];
            if (plot_tmp_name(tmp, sizeof tmp, out_dir, figs->name[i], PLOT_EXTS[t], tag) == 0)
                unlink(tmp);
        }
}

/* Runs gnuplot on what write produces; renames figs into place when it
 * succeeds, removes them when anything fails. */
int plot_run_gnuplot(PlotScriptFn write, const void *ctx, const FigureSet *figs, const char *what,
                     const char *out_dir, char *err)
{
    if (!on_path("gnuplot"))
        return err_set(err, GNUPLOT_MISSING);
    if (make_dirs(out_dir, err) != 0)
        return -1;
    long tag = (long)getpid();
    fflush(NULL);
    /* gnuplot dying early must give an error here, not kill us */
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    FILE *p = popen("gnuplot", "w");
    if (!p) {
        signal(SIGPIPE, old);
        return err_set(err, "plot: cannot start gnuplot: %s", strerror(errno));
    }
    char msg[ERR_MAX] = "";
    int wrc = write(p, ctx, out_dir, tag, msg);
    int st = pclose(p);
    signal(SIGPIPE, old);
    if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 127) {
        remove_tmps(figs, out_dir, tag);
        return err_set(err, GNUPLOT_MISSING);
    }
    if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        remove_tmps(figs, out_dir, tag);
        if (st != -1 && WIFEXITED(st))
            return err_set(err, "plot: gnuplot failed drawing '%s' (exit status %d)", what,
                           WEXITSTATUS(st));
        return err_set(err, "plot: gnuplot failed drawing '%s'", what);
    }
    if (wrc != 0) {
        remove_tmps(figs, out_dir, tag);
        return err_set(err, "%s", msg);
    }
    /* every file checked before the first is renamed: a figure set goes into
     * place whole or not at all */
    for (int pass = 0; pass < 2; pass++)
        for (size_t t = 0; t < N_TERMINALS; t++)
            for (size_t i = 0; i < figs->n; i++) {
                char tmp[PATH_TEXT_MAX], final[PATH_TEXT_MAX];
                plot_tmp_name(tmp, sizeof tmp, out_dir, figs->name[i], PLOT_EXTS[t], tag);
                snprintf(final, sizeof final, "%s/%s.%s", out_dir, figs->name[i], PLOT_EXTS[t]);
                if (pass == 0 && (check_output(tmp, PLOT_EXTS[t], final, err) != 0 ||
                                  (strcmp(PLOT_EXTS[t], "pdf") == 0 && pdf_fix_date(tmp, err) != 0))) {
                    remove_tmps(figs, out_dir, tag);
                    return -1;
                }
                if (pass == 1 && rename(tmp, final) != 0) {
                    int e = errno;
                    remove_tmps(figs, out_dir, tag);
                    return err_set(err, "plot: '%s': %s", final, strerror(e));
                }
            }
    return 0;
}
