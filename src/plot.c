/* placeholder until the module lands */
#include "cli.h"

#include <stdio.h>

int cmd_plot(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "repro plot: not built yet\n");
    return 1;
}
