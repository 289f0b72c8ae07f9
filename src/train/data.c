#include "data.h"

#include "err.h"
#include "vec.h"

#include <errno.h>
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

static const char *const FILE_NAMES[DATA_FILES] = {
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte"};

int data_load(Data *d, const char *dir, char *err)
{
    memset(d, 0, sizeof *d);
    for (int i = 0; i < DATA_FILES; i++)
        pick(d->path[i], sizeof d->path[i], dir, FILE_NAMES[i]);
    const char *ti = d->path[0], *tl = d->path[1], *si = d->path[2], *sl = d->path[3];
    Sha256 *sum = sha256_new();
    if (!sum)
        return err_set(err, "data: '%s': out of memory", dir);
    if (idxset_load_peek(&d->train, ti, tl, sum, d->train_images_sha256, err) < 0 ||
        idxset_load(&d->test, si, sl, sum, err) < 0)
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

static void put_be32(unsigned char *p, size_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* The digest of file k's uncompressed stream: for the training images the one
 * taken while loading (they are 47 MB of MNIST's 55; hashing them again would
 * take 25 ms of a 0.5 s softmax run), else rebuilt from the loaded set: the
 * magic and sizes (big-endian 32-bit), then the pixels or the labels. */
static int file_digest(const Data *d, int k, char hex[SHA256_HEX])
{
    if (k == 0 && d->train_images_sha256[0]) {
        memcpy(hex, d->train_images_sha256, SHA256_HEX);
        return 0;
    }
    const IdxSet *s = k < 2 ? &d->train : &d->test;
    int images = k % 2 == 0;
    unsigned char head[16];
    size_t n_head = images ? 16 : 8;
    put_be32(head, images ? 0x00000803u : 0x00000801u);
    put_be32(head + 4, s->count);
    put_be32(head + 8, s->rows);
    put_be32(head + 12, s->cols);
    Sha256 *h = sha256_new();
    if (!h)
        return -1;
    sha256_update(h, head, n_head);
    if (images)
        sha256_update(h, s->pixels, s->count * s->rows * s->cols);
    else
        sha256_update(h, s->labels, s->count);
    sha256_final(h, hex);
    sha256_free(h);
    return 0;
}

static int is_hex64(const char *s)
{
    for (int i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* Reads the digest sums lists for name into want. 1 found, 0 not listed, -1
 * a malformed line or an unreadable file (err set). */
static int find_sum(const char *sums, const char *name, char want[SHA256_HEX], char *err)
{
    FILE *f = fopen(sums, "r");
    if (!f)
        return err_set(err, "data: '%s': %s", sums, strerror(errno));
    char line[1024];
    int lineno = 0, found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0' || line[0] == '#')
            continue;
        /* "<hex>  <name>" or "<hex> *<name>" (sha256sum's text and binary modes) */
        if (strlen(line) < 66 || !is_hex64(line) || line[64] != ' ' ||
            (line[65] != ' ' && line[65] != '*')) {
            fclose(f);
            return err_set(err, "data: '%s':%d: not a sha-256 line (want '<64 hex digits>  <file>')",
                           sums, lineno);
        }
        if (strcmp(line + 66, name) == 0) {
            memcpy(want, line, 64);
            want[64] = '\0';
            found = 1;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return err_set(err, "data: '%s': read error", sums);
    return found;
}

/* "make data" for MNIST, "make data-fashion" for the others, with DATA_ROOT
 * when the data does not live under data/. */
static void restore_command(char *out, size_t size, const char *file, const char *sums)
{
    char dir[DATA_PATH_MAX], root[DATA_PATH_MAX];
    snprintf(dir, sizeof dir, "%s", file);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    snprintf(root, sizeof root, "%s", dir);
    slash = strrchr(root, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(root, sizeof root, ".");
    const char *base = strrchr(sums, '/') ? strrchr(sums, '/') + 1 : sums;
    size_t len = strcspn(base, ".");
    char target[128];
    if (len == 5 && strncmp(base, "mnist", 5) == 0)
        snprintf(target, sizeof target, "data");
    else
        snprintf(target, sizeof target, "data-%.*s", (int)(len < 100 ? len : 100), base);
    int plain = strcmp(root, "data") == 0;
    int n = snprintf(out, size, "rm -f %s/.verified && make %s%s%s", dir, target,
                     plain ? "" : " DATA_ROOT=", plain ? "" : root);
    if (n < 0 || (size_t)n >= size) /* paths too long to quote: the target alone */
        snprintf(out, size, "make %s after removing the .verified stamp", target);
}

int data_check_sums(const Data *d, const char *sums, char *err)
{
    for (int k = 0; k < DATA_FILES; k++) {
        char want[SHA256_HEX], got[SHA256_HEX];
        int found = find_sum(sums, FILE_NAMES[k], want, err);
        if (found < 0)
            return -1;
        if (!found)
            return err_set(err, "data: '%s': no sha-256 for '%s'", sums, FILE_NAMES[k]);
        if (file_digest(d, k, got) < 0)
            return err_set(err, "data: '%s': out of memory", d->path[k]);
        if (strcmp(want, got) != 0) {
            char fix[2 * DATA_PATH_MAX + 64];
            restore_command(fix, sizeof fix, d->path[k], sums);
            return err_set(err, "data: '%s': sha-256 %s does not match %s from '%s'; restore it: %s",
                           d->path[k], got, want, sums, fix);
        }
    }
    return 0;
}

/* Images fetched ahead of the one being converted: the rows are a shuffled
 * order or a stream that wraps, so the hardware prefetcher cannot guess the
 * next image, and converting one takes a fraction of the time of fetching one
 * from memory (4x faster with). */
enum { PREFETCH_AHEAD = 8 };

static void prefetch_image(const uint8_t *src, size_t p)
{
    for (size_t off = 0; off < p; off += 64)
        __builtin_prefetch(src + off);
    __builtin_prefetch(src + p - 1);
}

void data_batch(float *x, uint8_t *labels, const IdxSet *set, const uint32_t *rows, size_t n,
                Prep prep)
{
    size_t p = set->rows * set->cols;
    for (size_t r = 0; r < PREFETCH_AHEAD && r < n; r++)
        prefetch_image(set->pixels + (size_t)rows[r] * p, p);
    for (size_t r = 0; r < n; r++) {
        size_t i = rows[r];
        const uint8_t *src = set->pixels + i * p;
        if (r + PREFETCH_AHEAD < n)
            prefetch_image(set->pixels + (size_t)rows[r + PREFETCH_AHEAD] * p, p);
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
