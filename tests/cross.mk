# ---------------------------------------------------------------------------
# The same bits from another compiler and another architecture (included by
# the Makefile; run by .ci/run). Both install what they need through
# src/scripts/deps.sh, as make deps does, and build beside the release build.
#
#   make check-clang   the test suites built by clang (build/clang/), then short
#                      runs of the clang-built trainer against the gcc-built one
#   make check-arm64   an aarch64 cross build (build/arm64/) run under qemu-user:
#                      the kernel, layer, model and trainer suites (NEON path
#                      included), then short runs against the amd64 trainer

CLANG_BUILD := build/clang
ARM64_BUILD := build/arm64
ARM64_CC    := aarch64-linux-gnu-gcc
ARM64_AR    := aarch64-linux-gnu-ar
# Debian's cross compiler, qemu-user, and the arm64 libraries through multiarch
# (deps.sh enables the architecture); OpenBLAS for the benchmark's cross build.
# GSL's development package is not co-installable across architectures
# (installing libgsl-dev:arm64 removes the native one the report side builds
# with): the cross build takes the native package's headers, which do not
# depend on the architecture, and links the arm64 run-time libraries by name.
ARM64_DEBS  := gcc-aarch64-linux-gnu qemu-user libc6-dev:arm64 zlib1g-dev:arm64 \
               libjansson-dev:arm64 libssl-dev:arm64 check:arm64 libopenblas-dev:arm64 \
               libgsl27:arm64 libgslcblas0:arm64 libgsl-dev
ARM64_GSL_LIBS := -l:libgsl.so.27 -l:libgslcblas.so.0
ARM64_PKG_CONFIG_LIBDIR := /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig
# -L: the cross toolchain's loader and C library; the multiarch libraries are
# found in /usr/lib/aarch64-linux-gnu through it.
QEMU_ARM64  := qemu-aarch64 -L /usr/aarch64-linux-gnu
# Check's fork mode hangs under qemu-user (its timer and child handling), so
# the suites run in-process (CK_FORK=no), which every suite supports.
ARM64_SUITES := gemm vec fmath rng layers softmax mlp trainer
TWIN_DIR    := build/twin

.PHONY: check-clang
check-clang: $(TRAIN) $(REPRO) ## the suites built by clang, and clang-built runs byte-identical to gcc's
	@src/scripts/deps.sh clang
	@$(MAKE) --no-print-directory check-only CC=clang BUILD=$(CLANG_BUILD)
	$(call say,TWIN,clang)bash tests/twin-runs.sh $(TWIN_DIR)/clang $(REPRO) $(TRAIN) \
	  $(CLANG_BUILD)/bin/train

# With the verified MNIST in $(DATA_ROOT)/mnist, the twin runs add
# softmax-defaults seed-1 (checked against the committed expected manifest too)
# and an mlp-arch run cut to 2 epochs: minutes under emulation.
.PHONY: check-arm64
check-arm64: $(TRAIN) $(REPRO) ## cross-build for arm64 and check it under qemu: suites, byte-identical runs
	@src/scripts/deps.sh $(ARM64_DEBS)
	@PKG_CONFIG_LIBDIR=$(ARM64_PKG_CONFIG_LIBDIR) $(MAKE) --no-print-directory \
	  CC=$(ARM64_CC) AR=$(ARM64_AR) BUILD=$(ARM64_BUILD) REPORT_LIBS="$(ARM64_GSL_LIBS)" $(ARM64_BUILD)/bin/check-tests \
	  $(ARM64_BUILD)/bin/train $(ARM64_BUILD)/bin/bench
	@for s in $(ARM64_SUITES); do \
	  printf '  %-7s %s\n' QEMU "suite $$s"; \
	  CK_FORK=no CK_RUN_SUITE=$$s $(QEMU_ARM64) $(ARM64_BUILD)/bin/check-tests > $(ARM64_BUILD)/suite-$$s.log 2>&1 || \
	    { cat $(ARM64_BUILD)/suite-$$s.log; echo "check-arm64: suite $$s failed under qemu"; exit 1; }; \
	  tail -1 $(ARM64_BUILD)/suite-$$s.log; \
	done
	$(call say,TWIN,arm64)bash tests/twin-runs.sh $(TWIN_DIR)/arm64 $(REPRO) $(TRAIN) \
	  "$(QEMU_ARM64) $(ARM64_BUILD)/bin/train" $(if $(wildcard $(DATA_ROOT)/mnist/.verified),$(DATA_ROOT)/mnist)
	@echo "check-arm64: the arm64 build gives the same bits ($(ARM64_BUILD))"
