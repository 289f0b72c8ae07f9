#include "report/synth.h"

#include "atomic.h"
#include "err.h"
#include "rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Writes bytes to path, gzip-compressed if gz, atomically. */
static int write_blob(const char *path, const unsigned char *b, size_t n, int gz, char *err)
{
    if (!gz)
        return atomic_write(path, b, n, err);
    uLongf cap = compressBound((uLong)n) + 32;
    unsigned char *z = malloc(cap);
    if (!z)
        return err_set(err, "synth: '%s': out of memory", path);
    /* a gzip wrapper (windowBits 15 + 16) so that the file is a real .gz */
    z_stream s;
    memset(&s, 0, sizeof s);
    int rc = deflateInit2(&s, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    if (rc == Z_OK) {
        s.next_in = (unsigned char *)b;
        s.avail_in = (uInt)n;
        s.next_out = z;
        s.avail_out = (uInt)cap;
        rc = deflate(&s, Z_FINISH) == Z_STREAM_END ? Z_OK : Z_DATA_ERROR;
        deflateEnd(&s);
    }
    int out = rc == Z_OK ? atomic_write(path, z, s.total_out, err)
                         : err_set(err, "synth: '%s': compression failed", path);
    free(z);
    return out;
}

static int write_set(const char *dir, const char *prefix, size_t n, size_t side, Rng *r, int gz,
                     char *err)
{
    size_t pixels = side * side;
    unsigned char *img = malloc(16 + n * pixels);
    unsigned char *lab = malloc(8 + n);
    int rc = -1;
    if (!img || !lab) {
        err_set(err, "synth: '%s': out of memory", dir);
        goto done;
    }
    put_be32(img, 0x803);
    put_be32(img + 4, (uint32_t)n);
    put_be32(img + 8, (uint32_t)side);
    put_be32(img + 12, (uint32_t)side);
    put_be32(lab, 0x801);
    put_be32(lab + 4, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned)(i % 10);
        lab[8 + i] = (unsigned char)c;
        unsigned char *p = img + 16 + i * pixels;
        size_t row = c * side / 10, col = (9 - c) * side / 10;
        for (size_t y = 0; y < side; y++)
            for (size_t x = 0; x < side; x++) {
                unsigned v = rng_below(r, 100);
                if (y == row || x == col)
                    v += 40 + rng_below(r, 80);
                p[y * side + x] = (unsigned char)v;
            }
    }
    char path[4096];
    const char *ext = gz ? ".gz" : "";
    snprintf(path, sizeof path, "%s/%s-images-idx3-ubyte%s", dir, prefix, ext);
    if (write_blob(path, img, 16 + n * pixels, gz, err) < 0)
        goto done;
    snprintf(path, sizeof path, "%s/%s-labels-idx1-ubyte%s", dir, prefix, ext);
    if (write_blob(path, lab, 8 + n, gz, err) < 0)
        goto done;
    rc = 0;
done:
    free(img);
    free(lab);
    return rc;
}

int synth_write(const char *dir, size_t n_train, size_t n_test, size_t side, uint64_t seed, int gz,
                char *err)
{
    if (side < 10 || side > 256 || n_train == 0 || n_test == 0 || n_train > 1000000 ||
        n_test > 1000000)
        return err_set(err, "synth: sizes out of range (side 10-256, 1-1000000 images)");
    if (make_dirs(dir, err) < 0)
        return -1;
    Rng r;
    rng_seed(&r, seed, 7);
    if (write_set(dir, "train", n_train, side, &r, gz, err) < 0)
        return -1;
    return write_set(dir, "t10k", n_test, side, &r, gz, err);
}
