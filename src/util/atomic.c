#include "atomic.h"

#include "err.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void release(AtomicFile *a)
{
    free(a->path);
    free(a->tmp);
    a->path = a->tmp = NULL;
    a->f = NULL;
}

int atomic_open(AtomicFile *a, const char *path, char *err)
{
    memset(a, 0, sizeof *a);
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    size_t n = strlen(path) + 40;
    a->path = strdup(path);
    a->tmp = malloc(n);
    if (!a->path || !a->tmp) {
        release(a);
        return err_set(err, "write: '%s': out of memory", path);
    }
    snprintf(a->tmp, n, "%.*s.%s.tmp.%ld", (int)dirlen, path, path + dirlen, (long)getpid());
    a->f = fopen(a->tmp, "wb");
    if (!a->f) {
        int e = errno;
        release(a);
        return err_set(err, "write: '%s': %s", path, strerror(e));
    }
    return 0;
}

int atomic_commit(AtomicFile *a, char *err)
{
    int e = 0;
    if (fflush(a->f) != 0 || ferror(a->f))
        e = errno ? errno : EIO;
    if (!e && fsync(fileno(a->f)) != 0 && errno != EINVAL)
        e = errno;
    if (fclose(a->f) != 0 && !e)
        e = errno ? errno : EIO;
    a->f = NULL;
    if (!e && rename(a->tmp, a->path) != 0)
        e = errno;
    if (e) {
        unlink(a->tmp);
        err_set(err, "write: '%s': %s", a->path, strerror(e));
        release(a);
        return -1;
    }
    release(a);
    return 0;
}

void atomic_abort(AtomicFile *a)
{
    if (a->f)
        fclose(a->f);
    if (a->tmp)
        unlink(a->tmp);
    release(a);
}

int atomic_write(const char *path, const void *data, size_t n, char *err)
{
    AtomicFile a;
    if (atomic_open(&a, path, err) < 0)
        return -1;
    if (n && fwrite(data, 1, n, a.f) != n) {
        int e = errno;
        atomic_abort(&a);
        return err_set(err, "write: '%s': %s", path, strerror(e ? e : EIO));
    }
    return atomic_commit(&a, err);
}

int atomic_write_json(const char *path, const json_t *root, size_t flags, char *err)
{
    char *text = json_dumps(root, flags);
    if (!text)
        return err_set(err, "write: '%s': cannot encode JSON", path);
    size_t n = strlen(text);
    text[n] = '\n'; /* replaces the terminator: the file ends with a newline */
    int rc = atomic_write(path, text, n + 1, err);
    free(text);
    return rc;
}

int make_dirs(const char *path, char *err)
{
    if (!*path)
        return err_set(err, "mkdir: empty path");
    char *p = strdup(path);
    if (!p)
        return err_set(err, "mkdir: '%s': out of memory", path);
    for (char *s = p + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                int e = errno;
                err_set(err, "mkdir: '%s': %s", p, strerror(e));
                free(p);
                return -1;
            }
            *s = c;
            if (c == '\0')
                break;
        }
    }
    free(p);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return err_set(err, "mkdir: '%s': not a directory", path);
    return 0;
}
