/* data.h - a dataset's four IDX files as the trainers see them, and the
 * conversion of a batch of uint8 images to float inputs.
 *
 * The images stay uint8 (47 MB for MNIST's training set instead of 188 MB as
 * float); each batch is converted when it is used, which costs far less than
 * the matrix products that follow. */
#ifndef DATA_H
#define DATA_H

#include "idx.h"
#include "sha256.h"

#include <stddef.h>
#include <stdint.h>

#define DATA_FILES 4
#define DATA_PATH_MAX 4096

typedef struct {
    IdxSet train; /* the training file: 60,000 images for MNIST */
    IdxSet test;  /* the test file: 10,000 images */
    char sha256[SHA256_HEX]; /* over the four uncompressed streams, in the order loaded */
    /* the files read, in load order: training images and labels, test images
     * and labels (each as found: raw, or with ".gz" appended) */
    char path[DATA_FILES][DATA_PATH_MAX];
    /* the training images file's own digest: the first of the four streams,
     * so sha256's state after it, on the way to the whole digest */
    char train_images_sha256[SHA256_HEX];
} Data;

/* Loads DIR/{train-images-idx3-ubyte, train-labels-idx1-ubyte,
 * t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte}, each raw or with ".gz"
 * appended, and checks that both sets have the same image size. Returns 0, or
 * -1 with err (ERR_MAX bytes) and d left empty. */
int data_load(Data *d, const char *dir, char *err);
void data_release(Data *d);

/* Checks each of d's four files against its SHA-256 in sums, a sha256sum list
 * ("<64 hex digits>  <file name>" lines; experiments/datasets/<dataset>.sha256)
 * of the uncompressed contents, listed by name without ".gz". Returns 0, or -1
 * with one line in err: for a file that does not match, its path, the expected
 * and the actual digest and the command that restores the dataset. The digests
 * are computed from the loaded sets: the loader accepts a file only when its
 * uncompressed stream is exactly the header its sizes give and the items, so
 * this is the digest of the file's contents. */
int data_check_sums(const Data *d, const char *sums, char *err);

/* How images become inputs (README.md, "The homework"): */
typedef enum {
    PREP_SCALE,      /* softmax: pixel / 255 */
    PREP_SCALE_CENTER /* mlp: pixel / 255, then minus that image's own mean */
} Prep;

/* Converts the n images at rows[0..n) of set (the rows a Batcher hands out,
 * batch.h) into x (n x pixels) and their labels into labels (n). */
void data_batch(float *x, uint8_t *labels, const IdxSet *set, const uint32_t *rows, size_t n,
                Prep prep);

#endif
