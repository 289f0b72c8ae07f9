# The whole pipeline: deps, data, build, experiments, figures, report, check,
# verify, bench. `make help` lists the targets.
#
#   make V=1                          show full command lines
#   make SANITIZE=address,undefined   build (beside the release build) with sanitizers
#   make report DATASET=fashion       the same report on Fashion-MNIST

SHELL := /bin/bash
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:

CC       ?= cc
OPT      ?= -O2
DATASET  ?= mnist
SANITIZE ?=
comma := ,

ifeq ($(SANITIZE),)
BUILD := build/release
SANFLAGS :=
else
BUILD := build/san-$(subst $(comma),-,$(SANITIZE))
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

# Kept in one place: `-ffp-contract=off` and no -ffast-math are part of the
# numerics contract (README, "Reproducibility").
WARN    := -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS  ?= $(OPT) -g
ALL_CFLAGS := -std=c11 $(WARN) -ffp-contract=off -fno-fast-math -D_POSIX_C_SOURCE=200809L \
              -Iinclude $(CFLAGS) $(SANFLAGS)
PKGS    := zlib jansson libcrypto
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# The report side alone links GSL (Student's t quantiles of the fidelity
# account), so the trainer's code, and with it its key, does not change.
REPORT_LIBS = $(shell pkg-config --libs gsl 2>/dev/null)
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   = $(shell pkg-config --libs check 2>/dev/null)
LDLIBS  := -lm

# The architecture the compiler builds for (a cross compiler names its own):
# the kernel paths of other architectures are not built. x86-64 has AVX2 and
# AVX-512 (chosen at run time), aarch64 NEON (no flags: Advanced SIMD is part
# of the base architecture); elsewhere only the scalar reference.
TARGET_ARCH_NAME := $(firstword $(subst -, ,$(shell $(CC) -dumpmachine 2>/dev/null)))
X86_SRCS  := src/kernels/gemm_avx2.c src/kernels/gemm_avx512.c src/kernels/vec_avx2.c \
             src/kernels/vec_avx512.c
NEON_SRCS := src/kernels/gemm_neon.c src/kernels/vec_neon.c
OTHER_ARCH_SRCS := $(if $(filter x86_64,$(TARGET_ARCH_NAME)),,$(X86_SRCS)) \
                   $(if $(filter aarch64,$(TARGET_ARCH_NAME)),,$(NEON_SRCS))

ifeq ($(V),1)
Q :=
say :=
step :=
else
Q := @
# A step of the report, k of n (figures, tables, documents): "[ k/n] TAG TEXT",
# on a terminal after clearing the progress line the runs redraw in place.
step = @n=$(2); if [ -t 1 ] && [ -z "$$CI" ]; then printf '\r\033[K'; fi; \
  printf "[%$${\#n}d/%d] %-7s %s\n" $(1) $(2) '$(3)' '$(4)';
# The words are quoted: a pattern such as figures/mnist/mlp-lr-* is printed as
# written, never expanded by the shell into a list of files.
say = @printf '  %-7s %s\n' '$(1)' '$(2)';
endif

BIN      := $(BUILD)/bin
TRAIN    := $(BIN)/train
REPRO    := $(BIN)/repro
GRADCHECK := $(BIN)/gradcheck
# The layout is the boundary. Each folder of src/ is a static archive
# ($(BUILD)/lib/lib<folder>.a) and each program links the archives of the
# folders it may depend on (tests/check-layout.sh enforces the direction:
# train -> nn -> kernels -> util, train -> run -> util; cmd -> report -> run ->
# util). The linker takes from an archive only the objects whose functions the
# program calls, so the trainer is exactly the code it calls: an edit to code
# only the report side calls (src/report, src/cmd, the run directory's reader in
# src/run, the gradient checker in src/nn) never makes finished runs stale
# (tests/e2e-trainkey.sh shows it).
SRC_DIRS := util kernels nn run train report cmd
MAINS    := src/train/train_main.c src/train/gradcheck_main.c src/cmd/repro_main.c
obj_of    = $(patsubst src/%.c,$(BUILD)/obj/%.o,$(1))
dir_srcs  = $(filter-out $(OTHER_ARCH_SRCS) $(MAINS),$(sort $(wildcard src/$(1)/*.c)))
lib_of    = $(foreach d,$(1),$(BUILD)/lib/lib$(d).a)
LIB_SRCS := $(foreach d,$(SRC_DIRS),$(call dir_srcs,$(d)))
LIB_OBJS := $(call obj_of,$(LIB_SRCS))
# In link order: a folder before those it depends on.
TRAIN_LIBS := $(call lib_of,train nn run kernels util)
REPRO_LIBS := $(call lib_of,cmd report run kernels util)
TEST_SRCS := $(sort $(wildcard tests/test_*.c))
TEST_OBJS := $(TEST_SRCS:tests/%.c=$(BUILD)/obj/tests/%.o) $(BUILD)/obj/tests/check_main.o \
             $(BUILD)/obj/tests/testutil.o \
             $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tests/fuzz/*.c))
CHECK_BIN := $(BIN)/check-tests

# Per-path instruction-set flags: only these files may use them, and the code
# calling into them checks the CPU first (src/kernels/gemm.c).
ifeq ($(TARGET_ARCH_NAME),x86_64)
$(BUILD)/obj/%_avx2.o:   PATH_FLAGS := -mavx2 -mfma
$(BUILD)/obj/%_avx512.o: PATH_FLAGS := -mavx512f -mavx512vl -mavx512bw -mavx512dq -mfma
endif

.PHONY: all
all: $(TRAIN) $(REPRO) $(GRADCHECK) ## build the trainer, the report tool and the gradient checker

# A change of compiler or flags rebuilds everything: objects depend on this file,
# which is rewritten only when its contents change.
$(BUILD)/flags: FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) $(CHECK_CFLAGS)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/obj/%.o: src/%.c $(BUILD)/flags
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) $(PATH_FLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/tests/%.o: tests/%.c $(BUILD)/flags $(BUILD)/gen/suites.h
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) $(CHECK_CFLAGS) -I$(BUILD)/gen -MMD -MP -c $< -o $@

# The test runner chains one suite per tests/test_<module>.c, each exporting
# `Suite *<module>_suite(void)`; this list is generated so adding a file adds a suite.
$(BUILD)/gen/suites.h: $(TEST_SRCS) Makefile
	@mkdir -p $(@D)
	@{ for f in $(TEST_SRCS); do m=$$(basename $$f .c); m=$${m#test_}; \
	     echo "SUITE($$m)"; done; } > $@.tmp && mv $@.tmp $@

# A folder's archive holds its objects alone (rebuilt whole, so a removed
# file leaves nothing behind).
define ARCHIVE_RULE
$(call lib_of,$(1)): $(call obj_of,$(call dir_srcs,$(1)))
	@mkdir -p $$(@D)
	$$(call say,AR,$$@)rm -f $$@ && $$(AR) rcs $$@ $$^
endef
$(foreach d,$(SRC_DIRS),$(eval $(call ARCHIVE_RULE,$(d))))

$(TRAIN): $(BUILD)/obj/train/train_main.o $(TRAIN_LIBS)
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)

# The gradient checks (gradcheck.h) on the trainer's own layers and losses.
$(GRADCHECK): $(BUILD)/obj/train/gradcheck_main.o $(TRAIN_LIBS)
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)

$(REPRO): $(BUILD)/obj/cmd/repro_main.o $(REPRO_LIBS)
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS) $(REPORT_LIBS) $(LDLIBS)

# Runs depend on the trainer's content, not its timestamp: this key is the
# SHA-256 of the trainer's code and data (symbols, debug information and the
# build id stripped: they carry line numbers and source paths, so editing a
# comment or moving a file changes nothing), rewritten only when it changes.
# The trainer is linked again whenever one of its archives changes, also for
# an object it does not hold: its stamp says the key was computed for this
# trainer, so that it is computed once, not at every make after such a change.
TRAIN_KEY := $(BUILD)/train.key
$(TRAIN_KEY).stamp: $(TRAIN) $(if $(wildcard $(TRAIN_KEY)),,FORCE)
	@objcopy --strip-all --remove-section=.note.gnu.build-id $(TRAIN) $(TRAIN_KEY).bin && \
	  sha256sum < $(TRAIN_KEY).bin | cut -d' ' -f1 > $(TRAIN_KEY).tmp && rm -f $(TRAIN_KEY).bin
	@if cmp -s $(TRAIN_KEY).tmp $(TRAIN_KEY); then rm -f $(TRAIN_KEY).tmp; \
	  else mv $(TRAIN_KEY).tmp $(TRAIN_KEY); fi
	@touch $@
$(TRAIN_KEY): $(TRAIN_KEY).stamp
	@:

$(CHECK_BIN): $(TEST_OBJS) $(LIB_OBJS)
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS) $(REPORT_LIBS) $(CHECK_LIBS) $(LDLIBS)

-include $(wildcard $(BUILD)/obj/*/*.d $(BUILD)/obj/tests/*.d)

# ---------------------------------------------------------------------------
# Dependencies (Debian packages). Cheap when everything is present: no network.

.PHONY: deps
deps: ## install missing Debian packages (as root), or print the apt-get command
	@src/scripts/deps.sh

# ---------------------------------------------------------------------------
# Data: fetched, verified against SHA-256, then marked verified.
#   make data MNIST_DIR=/path/with/the/four/files    offline source, tried first
# DATA_ROOT and RESULTS_ROOT move the data and results trees (the end-to-end
# tests point them at a scratch directory).

DATA_ROOT    ?= data
RESULTS_ROOT ?= results
# the report's tables and values (report/rules.mk), and the manifest's summary
REPORT_ROOT  ?= build/report
# make data's stamp: the checksums it verified, rewritten by every make data.
DATA_VERIFIED := $(DATA_ROOT)/$(DATASET)/.verified
# What runs depend on for their data (the plan names it DATA_STAMP): a key of
# the data's verified contents, kept with the results and rewritten only when
# those contents change, so that a new stamp of the same data (make data again,
# data/ deleted and fetched again, a fresh clone) leaves every run up to date,
# and `make status` says what make would do. Made the first time with the
# stamp's own time, so that results from before it stay as they were.
DATA_STAMP    = $(PLAN_RESULTS)/$(DATASET)/.data-key
# The trainer checks the data it loads against the same checksums (the data
# may have changed since make data verified it) and refuses data that does not
# match. DATA_SUMS=file names others (a dataset without a checksum file in
# experiments/datasets/ is not checked).
DATA_SUMS    ?= $(wildcard experiments/datasets/$(DATASET).sha256)
TRAIN_SUMS    = $(if $(DATA_SUMS),--sums $(DATA_SUMS))

.PHONY: data
data: $(DATA_ROOT)/mnist/.verified ## fetch and verify MNIST (MNIST_DIR=dir to use local files)

.PHONY: data-fashion
data-fashion: $(DATA_ROOT)/fashion/.verified ## verify Fashion-MNIST from its Debian package

$(DATA_ROOT)/mnist/.verified: src/scripts/fetch-data.sh experiments/datasets/mnist.sha256
	@src/scripts/fetch-data.sh mnist $(DATA_ROOT)/mnist

$(DATA_ROOT)/fashion/.verified: src/scripts/fetch-data.sh experiments/datasets/fashion.sha256
	@src/scripts/deps.sh dataset-fashion-mnist
	@src/scripts/fetch-data.sh fashion $(DATA_ROOT)/fashion

# ---------------------------------------------------------------------------
# Experiments: the planner turns experiments/*.exp into one make target per run.

EXPS         ?= $(sort $(wildcard experiments/*.exp))
STUDY_NAMES  := $(notdir $(EXPS:.exp=))
PLAN_RESULTS ?= $(RESULTS_ROOT)
PLAN_RUNS    ?= build/runs
PLAN         ?= build/plan/$(DATASET).mk
# Every goal reads the plan (and makes it first), so any goal that needs runs
# sees them, but for the goals below, when they are all the goals given: they
# come before the build or need no runs, and must not compile or read the
# experiment files: the packages (`make deps` works on a machine without a
# compiler), the data, the programs and what else is built in $(BUILD),
# cleaning, help, the tests (`make check` never needs the data), and `report`,
# which installs the packages first and then runs make again for its steps. A
# goal missing from this list reads a plan it does not need: slower, never
# wrong. Without experiment files there is no plan.
NO_PLAN_GOALS := deps deps-% data data-% all $(BUILD)/% clean distclean help report check \
                 check-% fuzz fuzz-%
GOALS        := $(or $(MAKECMDGOALS),$(.DEFAULT_GOAL))
# Included, not -included: a plan that cannot be made (an experiment file's
# error) stops make with that one message, instead of make going on with the
# previous plan.
ifneq ($(and $(EXPS),$(filter-out $(NO_PLAN_GOALS),$(GOALS))),)
include $(PLAN)
endif

# (DATA_STAMP above: the data key of the results the plan writes to)
$(DATA_STAMP): $(DATA_VERIFIED)
	@mkdir -p $(@D)
	@t=$@.tmp.$$$$; cp $< $$t && if cmp -s $$t $@; then rm -f $$t; \
	  elif [ -e $@ ]; then mv -f $$t $@; else touch -r $< $$t && mv -f $$t $@; fi

# All cores by default: the goals that train or draw run as many jobs side by
# side as `nproc` says, unless the user chose with -jN (make -j1 report: one at
# a time). Only the make the user started decides; the makes it starts share
# its job slots. GNU make 4.3 does not show a command-line -j here, but lets it
# win over this line; a -j in the environment's MAKEFLAGS is seen and kept.
# A goal missing from this list runs one job at a time: slower, never wrong.
PARALLEL_GOALS := report verify softmax mlp studies figures tables manifest html pdf runs-table \
                  $(STUDY_NAMES) $(RESULTS_ROOT)/% figures/% %.html %.pdf manifest%.json %/values.json
NPROC ?= $(shell nproc 2>/dev/null || echo 1)
ifeq ($(MAKELEVEL),0)
ifneq ($(filter $(PARALLEL_GOALS),$(MAKECMDGOALS)),)
ifeq ($(filter -j%,$(MAKEFLAGS) $(shell printenv MAKEFLAGS)),)
MAKEFLAGS += -j$(NPROC)
endif
endif
endif

# ---- progress: before the first run, the count of those to do (those not up
# to date among the goals' runs); after each, a line (repro progress --help).
# Training prints nothing itself (--quiet) while make runs it.
PROGRESS_STATE := $(PLAN:.mk=.progress)
# The runs a goal trains: a study's, the softmax or MLP runs, one run, the
# studies or runs verify-runs is given, or else all of them.
goal_runs = $(if $(filter $(1),$(ALL_STUDIES)),$(STUDY_$(1)_RUNS),$(if $(filter softmax,$(1)),$(SOFTMAX_RUNS),$(if \
  $(filter mlp,$(1)),$(MLP_RUNS),$(if $(filter $(1),$(ALL_RUNS)),$(1),$(if $(filter verify-runs,$(1)),$(foreach \
  t,$(VERIFY_TARGETS),$(call goal_runs,$(t))),$(ALL_RUNS))))))
PROGRESS_RUNS = $(sort $(foreach g,$(MAKECMDGOALS),$(call goal_runs,$(g))))
TRAIN_FLAGS = $(strip $(TRAIN_SUMS) --quiet)
RUN_DONE = $(Q)$(REPRO) progress done --state $(PROGRESS_STATE)

.PHONY: progress-start
progress-start: $(REPRO)
	$(Q)$(REPRO) progress start --state $(PROGRESS_STATE) --dataset $(DATASET) \
	  --results $(PLAN_RESULTS) --runs $(PLAN_RUNS) --key $(TRAIN_KEY) --stamp $(DATA_STAMP) \
	  $(PROGRESS_RUNS)
ifneq ($(ALL_RUNS),)
$(ALL_RUNS): | progress-start
endif

$(PLAN): $(EXPS) $(REPRO) | $(TRAIN_KEY)
	@mkdir -p $(@D)
	$(call say,PLAN,$@)$(REPRO) plan --dataset $(DATASET) --results $(PLAN_RESULTS) \
	  --runs $(PLAN_RUNS) --data $(DATA_ROOT) --out $@ $(EXPS)

.PHONY: softmax mlp studies
softmax: ## run every softmax study (make STUDY-NAME runs one, e.g. make softmax-lambda)
mlp: ## run every MLP study
studies: softmax mlp ## run every study (DATASET=mnist|fashion)

# ---------------------------------------------------------------------------
# Status: per study, how many runs are done, missing or stale, and for the
# stale ones why (configuration, trainer or data changed), without running
# anything. Exit status 0 when every run is up to date. The trainer and its key
# are built first, so that a changed trainer counts.
#   make status JSON=1     one JSON object for tools (repro status --help)

.PHONY: status
status: $(REPRO) $(TRAIN_KEY) $(if $(wildcard $(DATA_VERIFIED)),$(DATA_STAMP)) ## which runs are done, missing or stale, and why (JSON=1 for JSON)
	$(Q)$(REPRO) status --dataset $(DATASET) --results $(RESULTS_ROOT) --runs $(PLAN_RUNS) \
	  --key $(TRAIN_KEY) --data $(DATA_ROOT) --stamp $(DATA_STAMP) $(if $(JSON),--json) $(EXPS)

# ---------------------------------------------------------------------------
# Provenance: the manifest of the current results, and `make verify`, which
# reruns every run in a scratch directory and compares. VERIFY_STUDIES="a b"
# limits both to those studies; MANIFEST=file compares with another manifest
# (default: the committed experiments/expected/DATASET.json if present).
# QUICK=1 (or VERIFY_SAMPLE=N) reruns a sample: the first seed (N seeds) of
# every configuration, a fifth of the runs at five seeds.

MANIFEST_OUT := $(if $(filter mnist,$(DATASET)),manifest.json,manifest-$(DATASET).json)
EXPECTED := experiments/expected/$(DATASET).json
MANIFEST ?= $(if $(wildcard $(EXPECTED)),$(EXPECTED),$(MANIFEST_OUT))
VERIFY_DIR := build/verify/$(DATASET)
VERIFY_STUDIES ?=
VERIFY_EXPS := $(if $(VERIFY_STUDIES),$(VERIFY_STUDIES:%=experiments/%.exp),$(EXPS))
VERIFY_SAMPLE ?= $(if $(QUICK),1)
VERIFY_PICK = $(if $(VERIFY_SAMPLE),--sample $(VERIFY_SAMPLE))

# Its summary for the report's appendix is written with it, one rule for both:
# a build directory removed since (rm -r build) gets it back on the next make
# report, instead of an appendix that says no manifest was written.
MANIFEST_SUMMARY := $(REPORT_ROOT)/$(DATASET)/manifest-values.tsv
.PHONY: manifest
manifest: $(MANIFEST_OUT) $(MANIFEST_SUMMARY) ## write the provenance manifest of the current results

$(MANIFEST_OUT) $(MANIFEST_SUMMARY) &: $(ALL_RUNS) $(EXPS) $(REPRO) $(DATA_STAMP)
	@src/scripts/sweep-tmp.sh $(dir $(MANIFEST_OUT)) $(dir $(MANIFEST_SUMMARY))
	$(call say,MANIFEST,$(MANIFEST_OUT))$(REPRO) manifest write --dataset $(DATASET) --build $(BUILD) \
	  --results $(RESULTS_ROOT)/$(DATASET) --data $(DATA_ROOT)/$(DATASET) \
	  --values $(MANIFEST_SUMMARY) --out $(MANIFEST_OUT) $(EXPS)

# One table of every run for pandas, R or a spreadsheet, written with the
# report: study, run, every configuration key, seed, status, final metrics and
# training time (README.md documents each column).
RUNS_CSV := $(RESULTS_ROOT)/$(DATASET)/runs.csv

.PHONY: runs-table
runs-table: $(RUNS_CSV) ## write results/<dataset>/runs.csv, one row per run

$(RUNS_CSV): $(ALL_RUNS) $(EXPS) $(REPRO)
	@src/scripts/sweep-tmp.sh $(@D)
	$(call say,RUNS,$@)$(REPRO) runs --results $(RESULTS_ROOT)/$(DATASET) --out $@ $(EXPS)

# Written by renaming a complete file into place (atomic.h), so never deleted
# on an error: .DELETE_ON_ERROR would delete the file another build finished.
.PRECIOUS: $(MANIFEST_OUT) $(MANIFEST_SUMMARY) $(RUNS_CSV) $(DATA_STAMP)

.PHONY: verify verify-runs
verify: $(REPRO) $(TRAIN_KEY) $(DATA_STAMP) ## rerun everything in a scratch directory and compare with the manifest (QUICK=1: a sample)
	@test -f $(MANIFEST) || { echo "verify: no manifest '$(MANIFEST)': run make report first, or name one with MANIFEST=file" >&2; exit 2; }
	$(Q)$(REPRO) manifest check $(MANIFEST)
	$(Q)rm -rf $(VERIFY_DIR)
	$(Q)$(MAKE) --no-print-directory verify-runs PLAN=$(VERIFY_DIR)/plan.mk \
	  PLAN_RESULTS=$(VERIFY_DIR)/results PLAN_RUNS=$(VERIFY_DIR)/runs \
	  VERIFY_TARGETS="$(if $(VERIFY_SAMPLE),$$($(REPRO) manifest sample --seeds $(VERIFY_SAMPLE) \
	    --results $(VERIFY_DIR)/results/$(DATASET) $(VERIFY_EXPS)),$(if \
	    $(VERIFY_STUDIES),$(VERIFY_STUDIES),softmax mlp))"
	$(Q)$(REPRO) manifest write --dataset $(DATASET) --build $(BUILD) $(VERIFY_PICK) \
	  --results $(VERIFY_DIR)/results/$(DATASET) --data $(DATA_ROOT)/$(DATASET) \
	  --out $(VERIFY_DIR)/manifest.json $(VERIFY_EXPS)
	$(Q)$(REPRO) manifest compare $(MANIFEST) $(VERIFY_DIR)/manifest.json $(VERIFY_PICK) \
	  $(VERIFY_STUDIES:%=--study %)

verify-runs: $(VERIFY_TARGETS)

# ---------------------------------------------------------------------------
# Launching runs: the planned recipe of every run is `$(TRAIN_CROWD) $(LAUNCHER) $(TRAIN) ...` (the lock below).
#   LAUNCH=local   here, make -j at a time (the default)
#   LAUNCH=slurm   each run as its own Slurm job step through srun, make -j in
#                  flight; SLURM_FLAGS="--partition=short --time=10" adds srun
#                  options. Everything after the runs stays local. README, "Running
#                  on a cluster", says what the compute nodes must share.
LAUNCH ?= local
LAUNCHER_local :=
LAUNCHER_slurm := src/scripts/launch-slurm.sh
ifneq ($(words $(filter local slurm,$(LAUNCH))) $(words $(LAUNCH)),1 1)
$(error LAUNCH='$(LAUNCH)' must be local or slurm)
endif
LAUNCHER := $(LAUNCHER_$(LAUNCH))
export SLURM_FLAGS
# Every training holds the training lock (flock(1)): shared, or exclusive for
# the runs of an `alone` study, which are timed. So a timed run never trains
# beside another, whatever make's goals, order or -j, or a second make at once.
TRAIN_LOCK := build/train.lock
TRAIN_CROWD = flock -s $(TRAIN_LOCK)
TRAIN_ALONE = flock -x $(TRAIN_LOCK)

-include report/rules.mk
-include tests/bench.mk
-include tests/fuzz.mk
-include tests/cross.mk

# ---------------------------------------------------------------------------
# Tests

.PHONY: check
check: deps ## install what is missing, then run every test suite and end-to-end test
	@$(MAKE) --no-print-directory check-only

.PHONY: check-only
check-only: $(CHECK_BIN) $(TRAIN) $(REPRO) ## run the tests without the dependency step
	$(call say,LAYOUT,src/)bash tests/check-layout.sh
	$(call say,CHECK,$(CHECK_BIN))$(CHECK_BIN)
	@for t in $(filter-out $(E2E_OWN_TARGET),$(wildcard tests/e2e-*.sh)); do \
	  printf '  %-7s %s\n' E2E $$t; \
	  BUILD=$(BUILD) SANITIZE=$(SANITIZE) bash $$t || exit 1; \
	done
	@echo "check: all tests passed ($(BUILD))"

# End-to-end tests with a target of their own, not part of `make check`.
E2E_OWN_TARGET := tests/e2e-slurm.sh

# A single-node Slurm cluster started on this machine (as root), a small study
# run through it and locally, compared byte for byte; scancel, time and memory
# limits, an unshared results directory. Installs slurm-wlm and munge first.
SLURM_PKGS := slurm-wlm munge
.PHONY: check-slurm deps-slurm
check-slurm: $(TRAIN) $(REPRO) ## run a study through a real single-node Slurm (as root)
	@if [ "$$(id -u)" -eq 0 ]; then src/scripts/deps.sh $(SLURM_PKGS); fi
	$(call say,E2E,tests/e2e-slurm.sh)BUILD=$(BUILD) SANITIZE=$(SANITIZE) bash tests/e2e-slurm.sh

deps-slurm: ## install Slurm and munge for check-slurm and tests/slurm-cluster.sh
	@src/scripts/deps.sh $(SLURM_PKGS)

# Every suite in-process under valgrind's memcheck (errors and definite or
# indirect leaks fail), then the train command's end-to-end test with the
# trainer under valgrind too. Slow: minutes, not seconds.
VALGRIND_CMD := valgrind -q --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite,indirect
.PHONY: check-valgrind
check-valgrind: $(CHECK_BIN) $(TRAIN) $(REPRO) ## the test suites and the trainer's end-to-end test under valgrind
	@for s in $(TEST_SRCS:tests/test_%.c=%); do \
	  printf '  %-7s %s\n' MEMCHECK $$s; \
	  CK_FORK=no CK_RUN_SUITE=$$s $(VALGRIND_CMD) $(CHECK_BIN) > $(BUILD)/valgrind-$$s.log 2>&1 || \
	    { cat $(BUILD)/valgrind-$$s.log; echo "check-valgrind: suite $$s failed"; exit 1; }; \
	done
	@VALGRIND="$(VALGRIND_CMD)" BUILD=$(BUILD) bash tests/e2e-train.sh
	@echo "check-valgrind: no memory errors, no leaks"

.PHONY: clean
clean: ## remove build outputs (keeps data/ and results/)
	rm -rf build

.PHONY: distclean
distclean: clean ## also remove data/, results/, figures and reports
	rm -rf data results report.html report.pdf report-*.html report-*.pdf manifest.json
	find figures -type f ! -name README.md -delete 2>/dev/null || true

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
	  sed -E 's/^([a-zA-Z_-]+):.*## (.*)/\1\t\2/' | awk -F'\t' '{ printf "  %-14s %s\n", $$1, $$2 }'

.PHONY: FORCE
FORCE:
