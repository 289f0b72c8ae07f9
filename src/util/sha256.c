#include "sha256.h"

#include "err.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct Sha256 {
    EVP_MD_CTX *ctx;
};

Sha256 *sha256_new(void)
{
    /* calloc, not OPENSSL_zalloc: that macro records __FILE__, which would put
     * this file's path into the trainer and so into every run's key. */
    Sha256 *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->ctx = EVP_MD_CTX_new();
    if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(h->ctx);
        free(h);
        return NULL;
    }
    return h;
}

void sha256_update(Sha256 *h, const void *data, size_t n)
{
    EVP_DigestUpdate(h->ctx, data, n);
}

void sha256_final(Sha256 *h, char hex[SHA256_HEX])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(h->ctx, md, &len);
    for (unsigned int i = 0; i < len && i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    hex[64] = '\0';
}

int sha256_peek(const Sha256 *h, char hex[SHA256_HEX])
{
    Sha256 copy = {EVP_MD_CTX_new()};
    if (!copy.ctx || EVP_MD_CTX_copy_ex(copy.ctx, h->ctx) != 1) {
        EVP_MD_CTX_free(copy.ctx);
        return -1;
    }
    sha256_final(&copy, hex);
    EVP_MD_CTX_free(copy.ctx);
    return 0;
}

void sha256_free(Sha256 *h)
{
    if (!h)
        return;
    EVP_MD_CTX_free(h->ctx);
    free(h);
}

int sha256_file(const char *path, char hex[SHA256_HEX], char *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(err, "sha256: '%s': %s", path, strerror(errno));
    Sha256 *h = sha256_new();
    if (!h) {
        fclose(f);
        return err_set(err, "sha256: '%s': out of memory", path);
    }
    unsigned char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sha256_update(h, buf, n);
    int bad = ferror(f);
    fclose(f);
    sha256_final(h, hex);
    sha256_free(h);
    if (bad)
        return err_set(err, "sha256: '%s': read error", path);
    return 0;
}
