/* idx.h - the IDX files MNIST and Fashion-MNIST ship in, raw or gzip.
 *
 * One zlib code path reads both (gzread passes raw files through unchanged).
 * Images stay uint8, count x rows x cols row-major: the set stays compact and
 * converting a batch to float is cheap. Every header field is checked, and sizes
 * are checked against limits before anything is allocated. Errors name the
 * file and the byte offset of the uncompressed stream, e.g.
 * "idx: 'data/x.gz': truncated at byte 4112 (image 5 of 60000)". */
#ifndef IDX_H
#define IDX_H

#include "sha256.h"

#include <stddef.h>
#include <stdint.h>

#define IDX_MAX_ITEMS (1u << 24) /* more images than this is taken as a corrupt header */
#define IDX_MAX_SIDE 4096u
#define IDX_MAX_BYTES (1ull << 32) /* images larger than this in all are a corrupt header */
#define IDX_CLASSES 10

typedef struct {
    uint8_t *pixels; /* count x rows x cols */
    uint8_t *labels; /* count, each < IDX_CLASSES */
    size_t count;
    size_t rows, cols;
} IdxSet;

/* Loads an image file (magic 0x00000803, 3 dimensions). On success fills
 * *pixels (caller frees) and the sizes; if sum is not NULL the uncompressed
 * bytes are fed to it. Returns 0, or -1 with err and nothing allocated. */
int idx_load_images(const char *path, uint8_t **pixels, size_t *count, size_t *rows,
                    size_t *cols, Sha256 *sum, char *err);

/* Loads a label file (magic 0x00000801, 1 dimension, labels 0-9). */
int idx_load_labels(const char *path, uint8_t **labels, size_t *count, Sha256 *sum, char *err);

/* Loads an image file and its label file and checks that the counts agree.
 * On error the set is left empty (nothing to release). */
int idxset_load(IdxSet *set, const char *images_path, const char *labels_path, Sha256 *sum,
                char *err);
/* As idxset_load; images_hex receives sha256_peek(sum) taken when the image
 * file has been read and the label file not yet: with a fresh sum, the digest
 * of the image file's uncompressed contents, at no extra cost. */
int idxset_load_peek(IdxSet *set, const char *images_path, const char *labels_path, Sha256 *sum,
                     char images_hex[SHA256_HEX], char *err);
void idxset_release(IdxSet *set);

#endif
