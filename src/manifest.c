/* placeholder until the module lands */
#include "cli.h"

#include <stdio.h>

int cmd_manifest(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "repro manifest: not built yet\n");
    return 1;
}
