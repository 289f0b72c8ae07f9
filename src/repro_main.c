#include <stdio.h>
int main(void)
{
    fprintf(stderr, "repro: under construction\n");
    return 1;
}
