/* `repro synth`: a small synthetic dataset in IDX format (synth.h). */
#include "err.h"
#include "opts.h"
#include "report/cli.h"
#include "report/synth.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>

static const char ABOUT[] =
    "Writes a small synthetic dataset in IDX format: DIR/train-images-idx3-ubyte,\n"
    "train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte.\n";

int cmd_synth(int argc, char **argv)
{
    const char *out = NULL;
    long train = 1200, test = 300, side = 28, seed = 1;
    int gz = 0;
    /* the sizes' upper bounds are synth_write's (side 10-256, 1-1000000 images) */
    const Opt opts[] = {
        {.name = "out", .meta = "DIR", .str = &out, .required = 1,
         .help = "the directory to write the four files to"},
        {.name = "train", .meta = "N", .num = &train, .min = 1, .max = LONG_MAX,
         .help = "training images"},
        {.name = "test", .meta = "N", .num = &test, .min = 1, .max = LONG_MAX,
         .help = "test images"},
        {.name = "side", .meta = "S", .num = &side, .min = 1, .max = LONG_MAX,
         .help = "images are S x S pixels"},
        {.name = "seed", .meta = "K", .num = &seed, .min = 1, .max = LONG_MAX,
         .help = "the pixels' random stream"},
        {.name = "gz", .flag = &gz, .help = "gzip the files (NAME.gz)"},
        {0}};
    const OptsSpec spec = {.prog = "repro synth", .about = ABOUT, .opts = opts};
    int status, i = opts_get(&spec, argc, argv, &status);
    if (i < 0)
        return status;
    char err[ERR_MAX];
    if (synth_write(out, (size_t)train, (size_t)test, (size_t)side, (uint64_t)seed, gz, err) < 0) {
        fprintf(stderr, "repro %s\n", err);
        return 1;
    }
    return 0;
}
