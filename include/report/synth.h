/* synth.h - small synthetic datasets in IDX format, for tests and for trying
 * the pipeline in seconds without MNIST. Image i has label i mod 10 and shows
 * that class's bright bar (a row band and a column band placed by the label)
 * over seeded noise, so every model can learn it. Deterministic for a seed. */
#ifndef SYNTH_H
#define SYNTH_H

#include <stddef.h>
#include <stdint.h>

/* Writes DIR/{train,t10k}-{images-idx3,labels-idx1}-ubyte (gzip-compressed when
 * gz is set, with ".gz" appended) with n_train and n_test images of side x side
 * pixels. Returns 0, or -1 with err (ERR_MAX bytes). */
int synth_write(const char *dir, size_t n_train, size_t n_test, size_t side, uint64_t seed, int gz,
                char *err);

#endif
