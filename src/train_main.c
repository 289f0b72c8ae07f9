#include <stdio.h>
int main(void)
{
    fprintf(stderr, "train: under construction\n");
    return 1;
}
