/* sha256.h - SHA-256 digests as lower-case hex, for data verification, the
 * data checksum recorded with each run, and the provenance manifest. A thin
 * wrapper over libcrypto's EVP interface (a well-kept implementation; nothing
 * here is hand-written cryptography). */
#ifndef SHA256_H
#define SHA256_H

#include <stddef.h>

#define SHA256_HEX 65 /* 64 hex digits and a NUL */

typedef struct Sha256 Sha256;

/* NULL if libcrypto cannot allocate. */
Sha256 *sha256_new(void);
void sha256_update(Sha256 *h, const void *data, size_t n);
/* Writes the digest of everything updated so far; h can then only be freed. */
void sha256_final(Sha256 *h, char hex[SHA256_HEX]);
/* Writes the digest of everything updated so far and leaves h as it was, to
 * be updated further: the digest of a prefix of the stream, for free. 0, or
 * -1 if libcrypto cannot allocate. */
int sha256_peek(const Sha256 *h, char hex[SHA256_HEX]);
void sha256_free(Sha256 *h);

/* Digest of a file's bytes as stored (no decompression). 0, or -1 with err. */
int sha256_file(const char *path, char hex[SHA256_HEX], char *err);

#endif
