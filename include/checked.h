/* checked.h - size arithmetic that reports overflow instead of wrapping, for
 * the buffer sizes of the models (rows x columns x batch can exceed size_t
 * on a 32-bit target with a large configuration). */
#ifndef CHECKED_H
#define CHECKED_H

#include <stddef.h>
#include <stdint.h>

/* *r = a * b and 1, or 0 (r untouched) if that overflows size_t. */
static inline int mul_ok(size_t a, size_t b, size_t *r)
{
    if (a != 0 && b > SIZE_MAX / a)
        return 0;
    *r = a * b;
    return 1;
}

/* *r = a + b and 1, or 0 (r untouched) if that overflows size_t. */
static inline int add_ok(size_t a, size_t b, size_t *r)
{
    if (b > SIZE_MAX - a)
        return 0;
    *r = a + b;
    return 1;
}

#endif
