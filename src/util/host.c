#include "host.h"

#include <string.h>
#include <sys/utsname.h>

void host_node(char *out, size_t size)
{
    struct utsname u;
    if (uname(&u) == 0 && u.nodename[0])
        snprintf(out, size, "%s", u.nodename);
    else
        snprintf(out, size, "unknown");
}

/* The value of a "key : value" line whose key is exactly key, else NULL. The
 * returned pointer is into line, its newline removed. */
static char *value_of(char *line, const char *key)
{
    size_t n = strlen(key);
    if (strncmp(line, key, n) != 0)
        return NULL;
    char *p = line + n;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != ':')
        return NULL;
    p++;
    while (*p == ' ' || *p == '\t')
        p++;
    p[strcspn(p, "\r\n")] = '\0';
    return *p ? p : NULL;
}

void host_cpu_model_parse(FILE *f, char *out, size_t size)
{
    /* in order of preference: the first line with the best key wins */
    static const char *const MODEL_KEYS[] = {"model name", "cpu model", "cpu", "Processor"};
    enum { N_KEYS = sizeof MODEL_KEYS / sizeof MODEL_KEYS[0] };
    char best[256] = "", implementer[32] = "", part[32] = "";
    size_t best_rank = N_KEYS;
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        char *v;
        for (size_t k = 0; k < best_rank; k++)
            if ((v = value_of(line, MODEL_KEYS[k])) != NULL) {
                snprintf(best, sizeof best, "%s", v);
                best_rank = k;
                break;
            }
        if (!implementer[0] && (v = value_of(line, "CPU implementer")) != NULL)
            snprintf(implementer, sizeof implementer, "%s", v);
        if (!part[0] && (v = value_of(line, "CPU part")) != NULL)
            snprintf(part, sizeof part, "%s", v);
    }
    if (best[0])
        snprintf(out, size, "%s", best);
    else if (implementer[0] && part[0])
        snprintf(out, size, "CPU implementer %s, part %s", implementer, part);
    else
        snprintf(out, size, "unknown");
}

void host_cpu_model(char *out, size_t size)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    host_cpu_model_parse(f, out, size);
    if (f)
        fclose(f);
}
