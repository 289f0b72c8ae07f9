#include "idx.h"

#include "err.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAGIC_IMAGES 0x00000803u
#define MAGIC_LABELS 0x00000801u

/* An open IDX file and how many uncompressed bytes have been consumed. */
typedef struct {
    gzFile gz;
    const char *path;
    size_t offset;
    Sha256 *sum;
} Reader;

static int reader_open(Reader *r, const char *path, Sha256 *sum, char *err)
{
    r->path = path;
    r->offset = 0;
    r->sum = sum;
    r->gz = gzopen(path, "rb");
    if (!r->gz)
        return err_set(err, "idx: '%s': %s", path, errno ? strerror(errno) : "cannot open");
    gzbuffer(r->gz, 1u << 17);
    return 0;
}

/* Reads exactly n bytes. Returns n, or the count read before the stream ended
 * (0 <= got < n), or -1 if the gzip stream is corrupt (message in err). */
static long long reader_read(Reader *r, void *buf, size_t n, char *err)
{
    size_t got = 0;
    while (got < n) {
        size_t want = n - got;
        if (want > (1u << 30))
            want = 1u << 30;
        int k = gzread(r->gz, (unsigned char *)buf + got, (unsigned)want);
        if (k < 0) {
            int code;
            const char *msg = gzerror(r->gz, &code);
            return err_set(err, "idx: '%s': corrupt gzip stream at byte %zu: %s", r->path,
                           r->offset + got, msg);
        }
        if (k == 0)
            break;
        got += (size_t)k;
    }
    if (got < n) {
        int code;
        const char *msg = gzerror(r->gz, &code);
        if (code != Z_OK && code != Z_BUF_ERROR)
            return err_set(err, "idx: '%s': corrupt gzip stream at byte %zu: %s", r->path,
                           r->offset + got, msg);
    }
    if (r->sum && got)
        sha256_update(r->sum, buf, got);
    r->offset += got;
    return (long long)got;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Reads the magic and the dimensions: 4 + 4 * ndim bytes. */
static int read_header(Reader *r, uint32_t magic, const char *what, uint32_t *dims, int ndim,
                       char *err)
{
    unsigned char h[16];
    size_t need = 4 + 4 * (size_t)ndim;
    long long got = reader_read(r, h, need, err);
    if (got < 0)
        return -1;
    if (got == 0)
        return err_set(err, "idx: '%s': empty file (want an idx %s file)", r->path, what);
    if ((size_t)got < 4)
        return err_set(err, "idx: '%s': truncated at byte %lld (header needs %zu bytes)", r->path,
                       got, need);
    uint32_t m = be32(h);
    if (m != magic)
        return err_set(err, "idx: '%s': bad magic 0x%08x at byte 0 (want 0x%08x, idx %s)",
                       r->path, m, magic, what);
    if ((size_t)got < need)
        return err_set(err, "idx: '%s': truncated at byte %lld (header needs %zu bytes)", r->path,
                       got, need);
    for (int i = 0; i < ndim; i++)
        dims[i] = be32(h + 4 + 4 * i);
    return 0;
}

/* After the body: the file must end here. */
static int expect_end(Reader *r, char *err)
{
    unsigned char extra;
    long long got = reader_read(r, &extra, 1, err);
    if (got < 0)
        return -1;
    if (got > 0)
        return err_set(err, "idx: '%s': unexpected data at byte %zu after the last item",
                       r->path, r->offset - 1);
    /* every item was read, but a gzip member that ends without its trailer (CRC
     * and length) is a truncated file all the same: zlib reports it only here */
    int code;
    gzerror(r->gz, &code);
    if (code != Z_OK)
        return err_set(err, "idx: '%s': truncated gzip stream at byte %zu (no trailer)", r->path,
                       r->offset);
    return 0;
}

/* Reads the body of `total` bytes into a buffer that grows with the data
 * actually present, so that a header claiming far more than the file holds
 * costs no more memory than the file. Returns the buffer (caller frees) and the
 * bytes read in *got (< total if the file ends early), or NULL with err. */
static uint8_t *read_body(Reader *r, size_t total, size_t *got, char *err)
{
    size_t cap = total < (1u << 24) ? total : (1u << 24);
    uint8_t *buf = malloc(cap ? cap : 1);
    *got = 0;
    if (!buf) {
        err_set(err, "idx: '%s': out of memory for %zu bytes", r->path, cap);
        return NULL;
    }
    for (;;) {
        long long k = reader_read(r, buf + *got, cap - *got, err);
        if (k < 0) {
            free(buf);
            return NULL;
        }
        *got += (size_t)k;
        if (*got < cap || cap == total)
            return buf;
        cap = total - cap < cap ? total : 2 * cap;
        uint8_t *more = realloc(buf, cap);
        if (!more) {
            free(buf);
            err_set(err, "idx: '%s': out of memory for %zu bytes", r->path, cap);
            return NULL;
        }
        buf = more;
    }
}

/* The one loader behind both file kinds: header, limits, a body of count items
 * (images of d[1] x d[2] bytes, or single-byte labels checked against
 * IDX_CLASSES), and nothing after it. On success *out holds the body and d the
 * header's dimensions; on failure nothing is allocated. */
static int load(const char *path, uint32_t magic, uint32_t *d, Sha256 *sum, uint8_t **out,
                char *err)
{
    const int images = magic == MAGIC_IMAGES;
    const char *what = images ? "images" : "labels";
    Reader r;
    uint8_t *buf = NULL;
    *out = NULL;
    if (reader_open(&r, path, sum, err) < 0)
        return -1;
    if (read_header(&r, magic, what, d, images ? 3 : 1, err) < 0)
        goto fail;
    if (d[0] > IDX_MAX_ITEMS) {
        err_set(err, "idx: '%s': header claims %u %s at byte 4 (limit %u)", path, d[0], what,
                IDX_MAX_ITEMS);
        goto fail;
    }
    if (images && (d[1] == 0 || d[2] == 0 || d[1] > IDX_MAX_SIDE || d[2] > IDX_MAX_SIDE)) {
        err_set(err, "idx: '%s': image size %ux%u at byte 8 out of range 1-%u", path, d[1], d[2],
                IDX_MAX_SIDE);
        goto fail;
    }
    /* both factors are bounded above, so this product fits in 64 bits */
    size_t item = images ? (size_t)d[1] * d[2] : 1;
    size_t total = (size_t)d[0] * item;
    if (total > IDX_MAX_BYTES) {
        err_set(err, "idx: '%s': header at byte 4 claims %zu bytes of images (limit %llu)", path,
                total, (unsigned long long)IDX_MAX_BYTES);
        goto fail;
    }
    size_t got;
    buf = read_body(&r, total, &got, err);
    if (!buf)
        goto fail;
    if (got < total) {
        err_set(err, "idx: '%s': truncated at byte %zu (%s %zu of %u)", path, r.offset,
                images ? "image" : "label", got / item + 1, d[0]);
        goto fail;
    }
    for (uint32_t i = 0; !images && i < d[0]; i++)
        if (buf[i] >= IDX_CLASSES) {
            err_set(err, "idx: '%s': label %u at byte %u (item %u) out of range 0-%d", path,
                    buf[i], 8 + i, i + 1, IDX_CLASSES - 1);
            goto fail;
        }
    if (expect_end(&r, err) < 0)
        goto fail;
    gzclose(r.gz);
    *out = buf;
    return 0;
fail:
    free(buf);
    gzclose(r.gz);
    return -1;
}

int idx_load_images(const char *path, uint8_t **pixels, size_t *count, size_t *rows,
                    size_t *cols, Sha256 *sum, char *err)
{
    uint32_t d[3] = {0, 0, 0};
    if (load(path, MAGIC_IMAGES, d, sum, pixels, err) < 0)
        return -1;
    *count = d[0];
    *rows = d[1];
    *cols = d[2];
    return 0;
}

int idx_load_labels(const char *path, uint8_t **labels, size_t *count, Sha256 *sum, char *err)
{
    uint32_t d[1] = {0};
    if (load(path, MAGIC_LABELS, d, sum, labels, err) < 0)
        return -1;
    *count = d[0];
    return 0;
}

int idxset_load(IdxSet *set, const char *images_path, const char *labels_path, Sha256 *sum,
                char *err)
{
    return idxset_load_peek(set, images_path, labels_path, sum, NULL, err);
}

int idxset_load_peek(IdxSet *set, const char *images_path, const char *labels_path, Sha256 *sum,
                     char images_hex[SHA256_HEX], char *err)
{
    memset(set, 0, sizeof *set);
    size_t nimg, nlab;
    if (idx_load_images(images_path, &set->pixels, &nimg, &set->rows, &set->cols, sum, err) < 0)
        return -1;
    if (images_hex && sha256_peek(sum, images_hex) < 0) {
        idxset_release(set);
        return err_set(err, "idx: '%s': out of memory", images_path);
    }
    if (idx_load_labels(labels_path, &set->labels, &nlab, sum, err) < 0) {
        idxset_release(set);
        return -1;
    }
    if (nimg != nlab) {
        err_set(err, "idx: '%s': %zu labels but '%s' has %zu images", labels_path, nlab,
                images_path, nimg);
        idxset_release(set);
        return -1;
    }
    set->count = nimg;
    return 0;
}

void idxset_release(IdxSet *set)
{
    free(set->pixels);
    free(set->labels);
    memset(set, 0, sizeof *set);
}
