/* fuzz_idx.c - the IDX loader (idx.h) on arbitrary bytes.
 *
 * Each input is loaded as an image file and as a label file three ways:
 *   1. as given (gzread passes it through raw, or inflates it when the input
 *      itself starts with the gzip magic: then it must load only if its
 *      members are complete, and hold what inflating them here gives);
 *   2. gzip-compressed here, so that inputs reach every check behind the
 *      gzip layer: the outcome (result, digest, error text) must equal the raw
 *      one, since both describe the same uncompressed bytes;
 *   3. that gzip stream cut short (last byte, or half): a truncated gzip file
 *      must never load (README.md, "Failure behaviour"). Check "idx-gz-end".
 * A load that succeeds must return exactly the bytes after the header, and a
 * digest equal to SHA-256 of the uncompressed input. */
#include "fuzz.h"

#include "err.h"
#include "idx.h"
#include "sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define NAME "idx"

/* What one load produced: return code, error text, the loaded bytes, digest. */
typedef struct {
    int rc;
    char err[ERR_MAX];
    uint8_t *data;
    size_t count, rows, cols;
    char digest[SHA256_HEX];
} Outcome;

static void outcome_release(Outcome *o)
{
    free(o->data);
    o->data = NULL;
}

static void load(Outcome *o, const char *path, int images)
{
    Sha256 *sum = sha256_new();
    if (!sum)
        fuzz_fail(NAME, "sha256_new failed");
    memset(o, 0, sizeof *o);
    if (images)
        o->rc = idx_load_images(path, &o->data, &o->count, &o->rows, &o->cols, sum, o->err);
    else
        o->rc = idx_load_labels(path, &o->data, &o->count, sum, o->err);
    sha256_final(sum, o->digest);
    sha256_free(sum);
    if (o->rc != 0 && o->rc != -1)
        fuzz_fail(NAME, "load returned %d", o->rc);
    if (o->rc == -1) {
        char prefix[600];
        snprintf(prefix, sizeof prefix, "idx: '%s': ", path);
        fuzz_check_err(NAME, o->err, prefix);
        if (o->data)
            fuzz_fail(NAME, "failed load left a buffer behind");
    }
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* A successful load of the raw, uncompressed input must hold exactly its
 * bytes after the header and agree with the header's sizes. */
static void check_raw_success(const Outcome *o, const uint8_t *data, size_t size, int images,
                              const char *digest)
{
    size_t head = images ? 16 : 8;
    if (size < head)
        fuzz_fail(NAME, "loaded a %zu-byte file", size);
    size_t body = size - head;
    size_t expect = images ? o->count * o->rows * o->cols : o->count;
    if (expect != body)
        fuzz_fail(NAME, "loaded %zu bytes from a %zu-byte body", expect, body);
    if (o->count != be32(data + 4))
        fuzz_fail(NAME, "count %zu, header says %u", o->count, be32(data + 4));
    if (images && (o->rows != be32(data + 8) || o->cols != be32(data + 12)))
        fuzz_fail(NAME, "size %zux%zu differs from the header", o->rows, o->cols);
    if (body && memcmp(o->data, data + head, body) != 0)
        fuzz_fail(NAME, "loaded bytes differ from the file's");
    if (!images)
        for (size_t i = 0; i < body; i++)
            if (o->data[i] >= IDX_CLASSES)
                fuzz_fail(NAME, "label %u loaded", o->data[i]);
    if (strcmp(o->digest, digest) != 0)
        fuzz_fail(NAME, "digest of the loaded bytes is not that of the file");
}

/* Two loads of the same uncompressed bytes must agree in everything. */
static void check_same(const Outcome *a, const Outcome *b, int images)
{
    if (a->rc != b->rc)
        fuzz_fail(NAME, "raw load returned %d (%s), gzip load %d (%s)", a->rc,
                  a->rc ? a->err : "ok", b->rc, b->rc ? b->err : "ok");
    if (a->rc != 0) {
        if (strcmp(a->err, b->err) != 0)
            fuzz_fail(NAME, "raw error \"%s\", gzip error \"%s\"", a->err, b->err);
        return;
    }
    size_t n = images ? a->count * a->rows * a->cols : a->count;
    if (a->count != b->count || a->rows != b->rows || a->cols != b->cols ||
        (n && memcmp(a->data, b->data, n) != 0) || strcmp(a->digest, b->digest) != 0)
        fuzz_fail(NAME, "raw and gzip loads of the same bytes differ");
}

/* Inflates the gzip members at the start of data as gzread does: member after
 * member while the next two bytes are the gzip magic, anything else after a
 * member being ignored. Returns 1 with the content in *out (heap, *outlen
 * bytes) when every member is complete; 0 when one is cut short or corrupt. */
static int gunzip(const uint8_t *data, size_t size, uint8_t **out, size_t *outlen)
{
    z_stream s;
    memset(&s, 0, sizeof s);
    if (inflateInit2(&s, 15 + 16) != Z_OK)
        fuzz_fail(NAME, "inflateInit2 failed");
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    if (!buf)
        fuzz_fail(NAME, "out of memory");
    s.next_in = (Bytef *)(uintptr_t)data;
    s.avail_in = (uInt)size;
    int complete = 0;
    for (;;) {
        if (len == cap) {
            uint8_t *grown = realloc(buf, 2 * cap);
            if (!grown)
                fuzz_fail(NAME, "out of memory");
            buf = grown;
            cap *= 2;
        }
        s.next_out = buf + len;
        s.avail_out = (uInt)(cap - len);
        int rc = inflate(&s, Z_NO_FLUSH);
        len = cap - s.avail_out;
        if (rc == Z_STREAM_END) {
            if (s.avail_in >= 2 && s.next_in[0] == 0x1f && s.next_in[1] == 0x8b) {
                inflateReset(&s);
                continue;
            }
            complete = 1;
            break;
        }
        if (rc != Z_OK && !(rc == Z_BUF_ERROR && s.avail_out == 0))
            break; /* corrupt, or the input ended inside a member */
    }
    inflateEnd(&s);
    *out = buf;
    *outlen = len;
    return complete;
}

/* gzip-compresses data into a heap buffer (*zlen bytes). The level varies
 * with the input so that stored, fixed and dynamic blocks all occur. */
static uint8_t *gzip(const uint8_t *data, size_t size, size_t *zlen)
{
    z_stream s;
    memset(&s, 0, sizeof s);
    int level = size ? data[size - 1] % 10 : 6;
    if (deflateInit2(&s, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        fuzz_fail(NAME, "deflateInit2 failed");
    uLong cap = deflateBound(&s, (uLong)size);
    uint8_t *out = malloc(cap);
    if (!out)
        fuzz_fail(NAME, "out of memory");
    s.next_in = (Bytef *)(uintptr_t)data;
    s.avail_in = (uInt)size;
    s.next_out = out;
    s.avail_out = (uInt)cap;
    if (deflate(&s, Z_FINISH) != Z_STREAM_END)
        fuzz_fail(NAME, "deflate did not finish");
    *zlen = s.total_out;
    deflateEnd(&s);
    return out;
}

int fuzz_idx(const uint8_t *data, size_t size)
{
    const char *path = fuzz_path("input.idx");
    int is_gzip = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
    char digest[SHA256_HEX];
    Sha256 *sum = sha256_new();
    if (!sum)
        fuzz_fail(NAME, "sha256_new failed");
    sha256_update(sum, data, size);
    sha256_final(sum, digest);
    sha256_free(sum);

    size_t zlen;
    uint8_t *z = gzip(data, size, &zlen);
    for (int images = 0; images <= 1; images++) {
        Outcome raw, gz, cut;
        fuzz_write(path, data, size);
        load(&raw, path, images);
        if (raw.rc == 0 && !is_gzip)
            check_raw_success(&raw, data, size, images, digest);
        if (is_gzip && !fuzz_skip("idx-gz-end")) {
            uint8_t *content;
            size_t n;
            int complete = gunzip(data, size, &content, &n);
            if (raw.rc == 0 && !complete)
                fuzz_fail(NAME, "an incomplete or corrupt gzip stream loaded as %s",
                          images ? "images" : "labels");
            if (raw.rc == 0) {
                char inner[SHA256_HEX];
                Sha256 *h = sha256_new();
                if (!h)
                    fuzz_fail(NAME, "sha256_new failed");
                sha256_update(h, content, n);
                sha256_final(h, inner);
                sha256_free(h);
                check_raw_success(&raw, content, n, images, inner);
            }
            free(content);
        }

        fuzz_write(path, z, zlen);
        load(&gz, path, images);
        if (!is_gzip)
            check_same(&raw, &gz, images);

        if (!fuzz_skip("idx-gz-end")) {
            size_t cuts[2] = {zlen - 1, zlen / 2};
            for (int k = 0; k < 2; k++) {
                fuzz_write(path, z, cuts[k]);
                load(&cut, path, images);
                if (cut.rc == 0)
                    fuzz_fail(NAME, "a gzip stream of %zu bytes cut to %zu loaded as %s", zlen,
                              cuts[k], images ? "images" : "labels");
                outcome_release(&cut);
            }
        }
        outcome_release(&raw);
        outcome_release(&gz);
    }
    free(z);
    return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_idx(data, size);
}
#endif
