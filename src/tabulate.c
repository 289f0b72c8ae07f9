/* placeholder until the module lands */
#include "cli.h"

#include <stdio.h>

int cmd_tabulate(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "repro tabulate: not built yet\n");
    return 1;
}
