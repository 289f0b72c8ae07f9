/* The minibatch rules of include/batch.h. */
#include "batch.h"

#include "err.h"

#include <stdlib.h>
#include <string.h>

static void reshuffle(Batcher *b)
{
    for (size_t i = 0; i < b->n; i++)
        b->order[i] = (uint32_t)i;
    rng_shuffle(b->shuffle, b->order, (uint32_t)b->n);
}

int batcher_init(Batcher *b, BatchRule rule, size_t n, size_t base, size_t batch, Rng *shuffle,
                 char *err)
{
    memset(b, 0, sizeof *b);
    if (n == 0 || batch == 0)
        return err_set(err, "batch: nothing to batch (%zu images, batch %zu)", n, batch);
    if (n > UINT32_MAX || base > UINT32_MAX - n)
        return err_set(err, "batch: %zu images from row %zu do not fit 32-bit indices", n, base);
    if (rule == BATCH_NEXT_BATCH && batch > n)
        return err_set(err, "batch: a batch of %zu is more than the %zu images", batch, n);
    b->rule = rule;
    b->n = n;
    b->base = base;
    b->batch = batch;
    b->passes = 1;
    b->shuffle = rule == BATCH_STREAM ? NULL : shuffle;
    if (b->shuffle) {
        b->order = malloc(n * sizeof *b->order);
        if (!b->order)
            return err_set(err, "batch: out of memory for the order of %zu images", n);
        for (size_t i = 0; i < n; i++)
            b->order[i] = (uint32_t)i; /* the first pass in file order */
    }
    return 0;
}

void batcher_release(Batcher *b)
{
    free(b->order);
    memset(b, 0, sizeof *b);
}

size_t batch_per_epoch(BatchRule rule, size_t n, size_t batch)
{
    if (batch == 0)
        return 0;
    switch (rule) {
    case BATCH_NEXT_BATCH:
    case BATCH_STREAM:
        return n / batch;
    case BATCH_EPOCH:
        return (n + batch - 1) / batch;
    }
    return 0;
}

/* Position p of the current pass as a file row. */
static uint32_t row_at(const Batcher *b, size_t p)
{
    return (uint32_t)(b->base + (b->order ? b->order[p] : p));
}

/* Starts the next pass: back to its first position, reshuffled if shuffling. */
static void next_pass(Batcher *b)
{
    b->pos = 0;
    b->passes++;
    if (b->order)
        reshuffle(b);
}

size_t batcher_next(Batcher *b, uint32_t *rows)
{
    size_t k = b->batch;
    switch (b->rule) {
    case BATCH_NEXT_BATCH:
        /* next_batch's test `index > num_examples` after `index += batch_size` */
        if (b->pos + b->batch > b->n)
            next_pass(b);
        break;
    case BATCH_EPOCH:
        if (b->pos == b->n)
            next_pass(b);
        if (b->n - b->pos < k)
            k = b->n - b->pos;
        break;
    case BATCH_STREAM:
        for (size_t r = 0; r < k; r++) {
            if (b->pos == b->n) {
                b->pos = 0;
                b->passes++;
            }
            rows[r] = row_at(b, b->pos++);
        }
        return k;
    }
    for (size_t r = 0; r < k; r++)
        rows[r] = row_at(b, b->pos + r);
    b->pos += k;
    return k;
}
