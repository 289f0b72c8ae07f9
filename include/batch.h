/* batch.h - which images each minibatch takes: the homework's batching rules,
 * or every image once per epoch.
 *
 * A Batcher walks one set of n images (rows base..base+n-1 of an IDX file) and
 * hands out the file rows of one minibatch at a time. The rules are those of the
 * homework's own code (the report's section "Protocol" states them for users):
 *
 *   BATCH_NEXT_BATCH  the softmax notebook's data loader, next_batch(bs):
 *                     start = pos; pos += bs; if pos > n: reshuffle the whole
 *                     set, start = 0, pos = bs. Every batch is full; the tail
 *                     of a pass that does not fill a batch is never used; the
 *                     set is reshuffled exactly when a pass is exhausted. The
 *                     first pass is in file order.
 *   BATCH_STREAM      the MLP solver's streams: the set repeated without end
 *                     and cut into batches of bs, so a batch runs across the
 *                     end of a pass into the next one; never shuffled.
 *   BATCH_EPOCH       every image exactly once per epoch: ceil(n / bs) batches,
 *                     the last one short when bs does not divide n; the next
 *                     call after a pass starts a new one, reshuffled when the
 *                     batcher shuffles.
 *
 * At bs dividing n every rule visits every image once per pass in the pass's
 * order, so the rules coincide there (the same rows, the same shuffles drawn
 * at the same moments).
 *
 * A reshuffle is a fresh permutation of 0..n-1 drawn with rng_shuffle from the
 * identity, not a permutation of the previous order; the two are the same in
 * distribution, and the fresh one keeps a pass's order a function of the
 * shuffle stream alone. Nothing is allocated after batcher_init. */
#ifndef BATCH_H
#define BATCH_H

#include "rng.h"

#include <stddef.h>
#include <stdint.h>

typedef enum { BATCH_NEXT_BATCH, BATCH_STREAM, BATCH_EPOCH } BatchRule;

typedef struct {
    BatchRule rule;
    size_t n, batch, base;
    size_t pos;      /* the next position in the current pass, 0..n */
    size_t passes;   /* passes started so far (1 after init) */
    uint32_t *order; /* n entries, the current pass's order; NULL when never shuffled */
    Rng *shuffle;    /* borrowed; NULL: file order always */
} Batcher;

/* Sets b up for n images at file rows base.., minibatches of `batch`, drawing
 * reshuffles from shuffle (NULL: never shuffled; BATCH_STREAM ignores it). The
 * first pass is always in file order.
 * Returns 0, or -1 with err (ERR_MAX bytes) when n or batch is 0, a
 * BATCH_NEXT_BATCH batch is larger than n (no full batch fits), the rows do not
 * fit 32-bit indices, or there is no memory. Without shuffling nothing is
 * allocated, so a batcher for a fixed order can be set up anywhere. */
int batcher_init(Batcher *b, BatchRule rule, size_t n, size_t base, size_t batch, Rng *shuffle,
                 char *err);
void batcher_release(Batcher *b);

/* Minibatches per epoch under the rule: n / batch (rounded down) for
 * BATCH_NEXT_BATCH and BATCH_STREAM, ceil(n / batch) for BATCH_EPOCH; 0 when a
 * full batch does not fit a rule that only takes full batches. */
size_t batch_per_epoch(BatchRule rule, size_t n, size_t batch);

/* Writes the next minibatch's file rows into rows (room for `batch`) and
 * returns their number: `batch`, except for the last batch of a pass under
 * BATCH_EPOCH. */
size_t batcher_next(Batcher *b, uint32_t *rows);

#endif
