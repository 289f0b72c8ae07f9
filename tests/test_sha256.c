#include "sha256.h"

#include "err.h"
#include "testutil.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* FIPS 180-2's examples */
#define ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define LONG "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
#define LONG_TEXT "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"

START_TEST(test_digests)
{
    char hex[SHA256_HEX];
    Sha256 *h = sha256_new();
    ck_assert_ptr_nonnull(h);
    sha256_update(h, "ab", 2);
    sha256_update(h, "c", 1);
    sha256_final(h, hex);
    sha256_free(h);
    ck_assert_str_eq(hex, ABC);
}
END_TEST

/* A peek gives the digest of the prefix and leaves the stream going: the
 * digest of the whole is as if there had been none. LONG_TEXT begins "abc". */
START_TEST(test_peek_is_the_prefix_digest)
{
    char hex[SHA256_HEX];
    Sha256 *h = sha256_new();
    ck_assert_ptr_nonnull(h);
    sha256_update(h, "abc", 3);
    ck_assert_int_eq(sha256_peek(h, hex), 0);
    ck_assert_str_eq(hex, ABC);
    ck_assert_int_eq(sha256_peek(h, hex), 0);
    ck_assert_str_eq(hex, ABC);
    sha256_update(h, &LONG_TEXT[3], strlen(LONG_TEXT) - 3);
    sha256_final(h, hex);
    sha256_free(h);
    ck_assert_str_eq(hex, LONG);
}
END_TEST

START_TEST(test_file_digest)
{
    char *dir = tu_tmpdir(), *p = tu_path(dir, "f"), err[ERR_MAX], hex[SHA256_HEX];
    ck_assert_int_eq(tu_write(p, LONG_TEXT, strlen(LONG_TEXT)), 0);
    ck_assert_int_eq(sha256_file(p, hex, err), 0);
    ck_assert_str_eq(hex, LONG);
    tu_rmtree(dir);
    ck_assert_int_eq(sha256_file(p, hex, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "sha256: '"));
    free(p);
    free(dir);
}
END_TEST

Suite *sha256_suite(void);
Suite *sha256_suite(void)
{
    Suite *s = suite_create("sha256");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_digests);
    tcase_add_test(core, test_peek_is_the_prefix_digest);
    tcase_add_test(core, test_file_digest);
    suite_add_tcase(s, core);
    return s;
}
