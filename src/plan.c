/* placeholder until the module lands */
#include "cli.h"

#include <stdio.h>

int cmd_plan(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "repro plan: not built yet\n");
    return 1;
}
