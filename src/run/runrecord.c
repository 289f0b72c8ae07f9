/* runrecord.c - releasing a training's record (runrecord.h). */
#include "runrecord.h"

#include <stdlib.h>
#include <string.h>

void trainresult_release(TrainResult *res)
{
    free(res->epochs);
    free(res->iters);
    memset(res, 0, sizeof *res);
}
