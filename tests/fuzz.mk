# ---------------------------------------------------------------------------
# Fuzzing (included by the Makefile). Every parser of outside input has a
# harness, tests/fuzz/fuzz_<name>.c (tests/fuzz/fuzz.h says what they check).
# `make fuzz` builds each with clang's libFuzzer, AddressSanitizer and UBSan
# into build/fuzz/ and runs it for FUZZ_SECONDS on build/fuzz/corpus-<name>/:
# its seeds, tests/fuzz/corpus/<name>/, copied in, plus whatever earlier runs
# found there (so a second run goes on where the first stopped; the tree's
# corpus is never written). A crash, leak, timeout or failed property check
# stops that harness, saves the input as build/fuzz/<name>-crash-<sha1> (or
# -leak-, -timeout-, -oom-) and makes `make fuzz` fail once every harness has
# run. Copy the input to tests/fuzz/corpus/<name>/crash-<what-it-shows> and
# the corpus suite (tests/test_corpus.c) replays it in `make check` from then on.
#
#   make fuzz FUZZ_SECONDS=600        ten minutes per harness, one after the other
#   make fuzz-idx                     one harness (fuzz-experiment, fuzz-results,
#                                     fuzz-manifest, fuzz-reference)
#   make fuzz FUZZ_FLAGS=-jobs=2      extra libFuzzer flags
#   make fuzz FUZZ_SKIP=idx-gz-end    switch a property check off while its bug is
#                                     open, so the campaign gets past it
#   ASAN_OPTIONS=allocator_may_return_null=1 make fuzz FUZZ_FLAGS=-malloc_limit_mb=1048576
#                                     the same for a known huge allocation: malloc
#                                     returns NULL instead of stopping the run
# The full libFuzzer output of a run is in build/fuzz/<name>.log.

FUZZ_SECONDS ?= 60
FUZZ_LLVM    ?= 14
FUZZ_CC      ?= clang-$(FUZZ_LLVM)
# Debian packages: the compiler and its runtime libraries (libFuzzer, sanitizers).
FUZZ_DEPS    ?= clang-$(FUZZ_LLVM) libclang-rt-$(FUZZ_LLVM)-dev
FUZZ_FLAGS   ?=
FUZZ_SKIP    ?=
FUZZ_DIR     := build/fuzz
# The harnesses rewrite their input files for every execution: on a RAM file
# system that goes several times faster than on disk.
FUZZ_TMPDIR  ?= $(firstword $(wildcard /dev/shm) /tmp)

FUZZ_NAMES := idx experiment results
# Modules each harness links (src/<folder>/<module>.c, the library, not src/cmd) and its largest input in bytes:
# enough for a few tiny IDX images raw or gzip, an experiment file with long
# value lists, a run directory with a few hundred iteration rows.
FUZZ_MODULES_idx        := idx sha256 err
FUZZ_MAXLEN_idx         := 4096
FUZZ_MODULES_experiment := experiment runconfig cfgfile fileio err
FUZZ_MAXLEN_experiment  := 8192
FUZZ_MODULES_results    := results rundir_read rundir runrecord runpath display experiment runconfig atomic host fileio err
FUZZ_MAXLEN_results     := 16384
# The manifest reader and comparison (make verify MANIFEST=file reads any
# file): two manifests of a few runs each. manifest.c names the kernel path in
# the environment it records, so the products' modules come along.
FUZZ_NAMES              += manifest
FUZZ_MODULES_manifest   := manifest rundir_read rundir runrecord runpath display experiment runconfig atomic sha256 fileio err host gemm gemm_avx2 gemm_avx512 gemm_neon
FUZZ_MAXLEN_manifest    := 8192
# The reader of the original write-up's figures (report/original-report.csv)
# and the lookups the tables make in it: a table of a few dozen rows.
FUZZ_NAMES              += reference
FUZZ_MODULES_reference  := reference studies buf experiment runconfig fileio err
FUZZ_MAXLEN_reference   := 8192

# The project's language and numerics flags; warnings stay on but are not
# errors, since clang warns about things gcc (the project's compiler) does not.
FUZZ_CFLAGS := -std=c11 $(filter-out -Werror,$(WARN)) -ffp-contract=off -fno-fast-math \
               -D_POSIX_C_SOURCE=200809L -DFUZZ_LIBFUZZER -Iinclude -O1 -g \
               -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_SAN := address,undefined

.PHONY: fuzz-deps
fuzz-deps:
	@src/scripts/deps.sh $(FUZZ_DEPS)

$(FUZZ_DIR)/flags: FORCE | fuzz-deps
	@mkdir -p $(@D)
	@echo '$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=$(FUZZ_SAN) $(PKG_CFLAGS)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

# Everything is instrumented for coverage; only the link adds libFuzzer's main.
# The per-path kernels keep their instruction-set flags (the Makefile's).
$(FUZZ_DIR)/obj/%_avx2.o:   PATH_FLAGS := -mavx2 -mfma
$(FUZZ_DIR)/obj/%_avx512.o: PATH_FLAGS := -mavx512f -mavx512vl -mavx512bw -mavx512dq -mfma
$(FUZZ_DIR)/obj/%.o: src/%.c $(FUZZ_DIR)/flags
	@mkdir -p $(@D)
	$(call say,FUZZCC,$<)$(FUZZ_CC) $(FUZZ_CFLAGS) $(PATH_FLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) \
	  $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_DIR)/obj/tests/fuzz/%.o: tests/fuzz/%.c $(FUZZ_DIR)/flags
	@mkdir -p $(@D)
	$(call say,FUZZCC,$<)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) \
	  $(PKG_CFLAGS) -MMD -MP -c $< -o $@

define FUZZ_template
$(FUZZ_DIR)/fuzz_$(1): $(FUZZ_DIR)/obj/tests/fuzz/fuzz_$(1).o $(FUZZ_DIR)/obj/tests/fuzz/fuzzutil.o \
                       $(patsubst src/%.c,$(FUZZ_DIR)/obj/%.o,$(filter-out $(OTHER_ARCH_SRCS),$(foreach m,$(FUZZ_MODULES_$(1)),$(filter-out src/cmd/%,$(wildcard src/*/$(m).c)))))
	$$(call say,LD,$$@)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,$(FUZZ_SAN) -o $$@ $$^ \
	  $$(PKG_LIBS) $(LDLIBS)

.PHONY: fuzz-$(1)
fuzz-$(1): $(FUZZ_DIR)/fuzz_$(1)
	@$$(call FUZZ_RUN,$(1))
endef
$(foreach n,$(FUZZ_NAMES),$(eval $(call FUZZ_template,$(n))))

# Runs harness $(1) and prints its progress lines and a summary: executions,
# coverage (cov: edges, ft: features), corpus size, and the outcome. Exit
# status non-zero when libFuzzer stopped on a finding.
define FUZZ_RUN
set -o pipefail; n=$(1); dir=$(FUZZ_DIR); corpus=$$dir/corpus-$$n; log=$$dir/$$n.log; \
mkdir -p $$corpus && cp tests/fuzz/corpus/$$n/* $$corpus/ && : > $$log || exit 1; \
printf '  %-7s %s for %ss (log %s)\n' FUZZ $$n $(FUZZ_SECONDS) $$log; \
FUZZ_SKIP='$(FUZZ_SKIP)' TMPDIR='$(FUZZ_TMPDIR)' $$dir/fuzz_$$n -max_len=$(FUZZ_MAXLEN_$(1)) \
  -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix=$$dir/$$n- $(FUZZ_FLAGS) $$corpus > $$log 2>&1 & pid=$$!; \
tail -n +1 --pid=$$pid -f $$log | \
  grep --line-buffered -E 'INITED|pulse|DONE|ERROR|SUMMARY|==[0-9]+==|fuzz: |Test unit written'; \
wait $$pid; rc=$$?; \
last=$$(grep -E '^#[0-9]+' $$log | tail -n 1); \
execs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log); \
cov=$$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<< "$$last"); \
ft=$$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<< "$$last"); \
corp=$$(sed -nE 's/.* corp: ([0-9]+).*/\1/p' <<< "$$last"); \
if [ $$rc -eq 0 ]; then outcome=ok; \
else outcome="FAILED (exit $$rc; $$(sed -n 's/.*Test unit written to //p' $$log))"; fi; \
printf '  %-7s %s: %s executions, cov %s, ft %s, corpus %s inputs (%s files kept): %s\n' \
  RESULT $$n "$${execs:--}" "$${cov:--}" "$${ft:--}" "$${corp:--}" "$$(ls $$corpus | wc -l)" \
  "$$outcome"; \
exit $$rc
endef

.PHONY: fuzz
fuzz: $(FUZZ_NAMES:%=$(FUZZ_DIR)/fuzz_%) ## fuzz each parser FUZZ_SECONDS (60) with libFuzzer; fails on a finding
	@failed=; for n in $(FUZZ_NAMES); do \
	  $(MAKE) --no-print-directory fuzz-$$n || failed="$$failed $$n"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: findings in:$$failed (inputs in $(FUZZ_DIR)/)"; exit 1; fi; \
	echo "fuzz: no findings in $(FUZZ_NAMES) ($(FUZZ_SECONDS)s each)"

-include $(wildcard $(FUZZ_DIR)/obj/*/*.d $(FUZZ_DIR)/obj/tests/fuzz/*.d $(BUILD)/obj/tests/fuzz/*.d)
