#include "data.h"

#include "err.h"
#include "vec.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* DIR/name if it exists, else DIR/name.gz (the loader reads both alike). */
static void pick(char *out, size_t size, const char *dir, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
    if (access(out, F_OK) == 0)
        return;
    snprintf(out, size, "%s/%s.gz", dir, name);
    if (access(out, F_OK) != 0)
        snprintf(out, size, "%s/%s", dir, name); /* let the loader name the missing file */
}

int data_load(Data *d, const char *dir, char *err)
{
    char ti[4096], tl[4096], si[4096], sl[4096];
    memset(d, 0, sizeof *d);
    pick(ti, sizeof ti, dir, "train-images-idx3-ubyte");
    pick(tl, sizeof tl, dir, "train-labels-idx1-ubyte");
    pick(si, sizeof si, dir, "t10k-images-idx3-ubyte");
    pick(sl, sizeof sl, dir, "t10k-labels-idx1-ubyte");
    Sha256 *sum = sha256_new();
    if (!sum)
        return err_set(err, "data: '%s': out of memory", dir);
    if (idxset_load(&d->train, ti, tl, sum, err) < 0 || idxset_load(&d->test, si, sl, sum, err) < 0)
        goto fail;
    if (d->train.rows != d->test.rows || d->train.cols != d->test.cols) {
        err_set(err, "data: '%s': test images are %zux%zu but training images are %zux%zu", si,
                d->test.rows, d->test.cols, d->train.rows, d->train.cols);
        goto fail;
    }
    if (d->train.count == 0 || d->test.count == 0) {
        err_set(err, "data: '%s': no images", d->train.count == 0 ? ti : si);
        goto fail;
    }
    sha256_final(sum, d->sha256);
    sha256_free(sum);
    return 0;
fail:
    sha256_free(sum);
    data_release(d);
    return -1;
}

void data_release(Data *d)
{
    idxset_release(&d->train);
    idxset_release(&d->test);
}

/* Images fetched ahead of the one being converted when the order is shuffled:
 * the hardware prefetcher cannot guess the next image, and converting one
 * takes a fraction of the time of fetching one from memory (4x faster with). */
enum { PREFETCH_AHEAD = 8 };

static void prefetch_image(const uint8_t *src, size_t p)
{
    for (size_t off = 0; off < p; off += 64)
        __builtin_prefetch(src + off);
    __builtin_prefetch(src + p - 1);
}

void data_batch(float *x, uint8_t *labels, const IdxSet *set, const uint32_t *index, size_t first,
                size_t n, Prep prep)
{
    size_t p = set->rows * set->cols;
    for (size_t r = 0; index && r < PREFETCH_AHEAD && r < n; r++)
        prefetch_image(set->pixels + (size_t)index[first + r] * p, p);
    for (size_t r = 0; r < n; r++) {
        size_t i = index ? index[first + r] : first + r;
        const uint8_t *src = set->pixels + i * p;
        if (index && r + PREFETCH_AHEAD < n)
            prefetch_image(set->pixels + (size_t)index[first + r + PREFETCH_AHEAD] * p, p);
        float *dst = x + r * p;
        labels[r] = set->labels[i];
        /* dst = src / 255.0f and the sum of dst in double: in pixel order, or
         * exactly, which is the same number (vec.h) */
        double s = vec_unit_pixels(dst, src, p);
        if (prep == PREP_SCALE_CENTER) {
            float mean = (float)(s / (double)p);
            vec_sub_scalar(dst, p, mean);
        }
    }
}
