#include "testutil.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>


char *tu_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    size_t n = strlen(base) + 32;
    char *p = malloc(n);
    if (!p)
        return NULL;
    snprintf(p, n, "%s/mnist-test-XXXXXX", base);
    if (!mkdtemp(p)) {
        free(p);
        return NULL;
    }
    return p;
}

char *tu_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

int tu_write(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = n ? fwrite(data, 1, n, f) : 0;
    return (fclose(f) == 0 && w == n) ? 0 : -1;
}

int tu_write_gz(const char *path, const void *data, size_t n)
{
    gzFile g = gzopen(path, "wb");
    if (!g)
        return -1;
    int w = n ? gzwrite(g, data, (unsigned)n) : 0;
    return (gzclose(g) == Z_OK && (size_t)w == n) ? 0 : -1;
}

char *tu_read(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap + 1);
    size_t r;
    while (buf && (r = fread(buf + len, 1, cap - len, f)) > 0) {
        len += r;
        if (len == cap) {
            char *nb = realloc(buf, 2 * cap + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf) {
        buf[len] = '\0';
        if (n)
            *n = len;
    }
    return buf;
}

void tu_rmtree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char *p = tu_path(dir, e->d_name);
            struct stat st;
            if (p && lstat(p, &st) == 0) {
                if (S_ISDIR(st.st_mode))
                    tu_rmtree(p);
                else
                    unlink(p);
            }
            free(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

void tu_fill_normal(float *v, size_t count, float scale, Rng *r)
{
    for (size_t i = 0; i < count; i++)
        v[i] = rng_normal(r) * scale;
}

void tu_fill_labels(uint8_t *labels, size_t n, uint32_t classes, Rng *r)
{
    for (size_t i = 0; i < n; i++)
        labels[i] = (uint8_t)rng_below(r, classes);
}

int tu_gradient_matches(float *p, const float *g, size_t count, ScalarFn f, void *ctx, double eps,
                        double tol, double floor_abs, char *why)
{
    double diff2 = 0.0, g2 = 0.0;
    int ok = 1;
    snprintf(why, 256, "ok");
    for (size_t i = 0; i < count; i++) {
        float keep = p[i];
        p[i] = (float)(keep + eps);
        double hi = p[i];
        double fp = f(ctx);
        p[i] = (float)(keep - eps);
        double lo = p[i];
        double fm = f(ctx);
        p[i] = keep;
        double num = (fp - fm) / (hi - lo);
        double d = num - g[i];
        if (ok && !(fabs(d) <= tol * (fabs(num) + fabs(g[i])) + floor_abs)) {
            snprintf(why, 256, "element %zu: analytic %.9g, numeric %.9g", i, (double)g[i], num);
            ok = 0;
        }
        diff2 += d * d;
        g2 += (double)g[i] * g[i];
    }
    if (ok && !(sqrt(g2) > 1e-3)) {
        snprintf(why, 256, "gradient norm %.3g is too small to check", sqrt(g2));
        ok = 0;
    }
    if (ok && !(sqrt(diff2) <= tol * sqrt(g2))) {
        snprintf(why, 256, "relative error %.3g", sqrt(diff2 / g2));
        ok = 0;
    }
    return ok;
}
