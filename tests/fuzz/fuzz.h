/* fuzz.h - fuzz harnesses for the parsers of outside input, and what they share.
 *
 * Each tests/fuzz/fuzz_<name>.c defines fuzz_<name>(data, size): it feeds one
 * input to a parser through the files that parser reads, checks properties of
 * the outcome (a loaded value agrees with the input, an error is one line
 * naming the file, a round trip gives the value back) and calls abort() when
 * one fails, so libFuzzer records the input as a crash. Built with
 * -DFUZZ_LIBFUZZER, a harness file also defines LLVMFuzzerTestOneInput (make
 * fuzz, tests/fuzz.mk); without it the functions are plain code that the
 * corpus suite (tests/test_corpus.c) replays over tests/fuzz/corpus/<name>/.
 * The functions return 0 (the value libFuzzer expects). */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* The harnesses, one per parser. */
int fuzz_idx(const uint8_t *data, size_t size);
int fuzz_experiment(const uint8_t *data, size_t size);
int fuzz_results(const uint8_t *data, size_t size);
int fuzz_manifest(const uint8_t *data, size_t size);
int fuzz_reference(const uint8_t *data, size_t size);

/* This process's scratch directory (made on first use under $TMPDIR or /tmp,
 * removed with its files at exit); aborts if it cannot be made. */
const char *fuzz_dir(void);

/* Path of name inside the scratch directory. The result is a static buffer that
 * the next call overwrites. Aborts if the directory cannot be made. */
const char *fuzz_path(const char *name);

/* Writes n bytes to path, replacing it; aborts on failure (a harness cannot
 * test anything without its input file). */
void fuzz_write(const char *path, const void *data, size_t n);

/* Removes path if it exists (a file the next input may not have). */
void fuzz_remove(const char *path);

/* Whether the property check named check is switched off by the environment:
 * FUZZ_SKIP="idx-gz-end,..." lets a campaign go on past a known, reported
 * bug. The corpus suite clears FUZZ_SKIP, so a skipped check still fails there. */
int fuzz_skip(const char *check);

/* Names the input being replayed, for fuzz_fail's message (NULL: none). */
void fuzz_set_input_name(const char *name);

/* Prints "fuzz: <harness>: <message>" (and the replayed input's name) to
 * stderr and aborts. */
void fuzz_fail(const char *harness, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3), noreturn))
#endif
    ;

/* Checks an error message against err.h's rules: not empty, one line of text
 * (no control character but tab: a newline or an escape sequence copied from
 * the input would break or rewrite the terminal line the message is printed
 * on; check "<harness>-err-control"), shorter than ERR_MAX, starting with
 * prefix (the file it names). */
void fuzz_check_err(const char *harness, const char *err, const char *prefix);

#endif
