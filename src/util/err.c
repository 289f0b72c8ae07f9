#include "err.h"

#include <stdarg.h>
#include <stdio.h>

int err_set(char *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, ERR_MAX, fmt, ap);
        va_end(ap);
        /* an error is one line of text whatever the input quoted in it holds
         * (a file name or a value with a newline or an escape sequence) */
        for (char *p = err; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                *p = '?';
    }
    return -1;
}
