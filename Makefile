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

ifeq ($(V),1)
Q :=
say :=
else
Q := @
say = @printf '  %-7s %s\n' $(1) $(2);
endif

BIN      := $(BUILD)/bin
TRAIN    := $(BIN)/train
REPRO    := $(BIN)/repro
# The layout is the boundary: the trainer is everything under the training-side
# folders (utilities, kernels, layers and models, training), so a change to the
# report side (src/report, src/cmd) never makes finished runs stale. Nothing on
# the training side may include a report-side header (include/report/): the
# layout check in `make check` fails if it does.
TRAIN_DIRS := util kernels nn train
TRAIN_SRCS := $(foreach d,$(TRAIN_DIRS),$(sort $(wildcard src/$(d)/*.c)))
REPORT_SRCS := $(sort $(wildcard src/report/*.c))
MAINS    := src/train/train_main.c src/cmd/repro_main.c
obj_of    = $(patsubst src/%.c,$(BUILD)/obj/%.o,$(1))
LIB_SRCS := $(filter-out $(MAINS),$(TRAIN_SRCS) $(REPORT_SRCS))
LIB_OBJS := $(call obj_of,$(LIB_SRCS))
TRAIN_OBJS := $(call obj_of,$(filter-out $(MAINS),$(TRAIN_SRCS)))
TEST_SRCS := $(sort $(wildcard tests/test_*.c))
TEST_OBJS := $(TEST_SRCS:tests/%.c=$(BUILD)/obj/tests/%.o) $(BUILD)/obj/tests/check_main.o \
             $(BUILD)/obj/tests/testutil.o \
             $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tests/fuzz/*.c))
CHECK_BIN := $(BIN)/check-tests

# Per-path instruction-set flags: only these files may use them, and the code
# calling into them checks the CPU first (src/kernels/gemm.c).
$(BUILD)/obj/%_avx2.o:   PATH_FLAGS := -mavx2 -mfma
$(BUILD)/obj/%_avx512.o: PATH_FLAGS := -mavx512f -mavx512vl -mavx512bw -mavx512dq -mfma

.PHONY: all
all: $(TRAIN) $(REPRO) ## build the trainer and the report tool

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

$(TRAIN): $(BUILD)/obj/train/train_main.o $(TRAIN_OBJS)
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)

$(REPRO): $(BUILD)/obj/cmd/repro_main.o $(LIB_OBJS)
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS) $(REPORT_LIBS) $(LDLIBS)

# Runs depend on the trainer's content, not its timestamp: this key is the
# SHA-256 of the trainer's code and data (symbols, debug information and the
# build id stripped: they carry line numbers and source paths, so editing a
# comment or moving a file changes nothing), rewritten only when it changes.
TRAIN_KEY := $(BUILD)/train.key
$(TRAIN_KEY): $(TRAIN)
	@objcopy --strip-all --remove-section=.note.gnu.build-id $(TRAIN) $@.bin && \
	  sha256sum < $@.bin | cut -d' ' -f1 > $@.tmp && rm -f $@.bin
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

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
DATA_STAMP   := $(DATA_ROOT)/$(DATASET)/.verified

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
# It is read only when a goal needs it, so `make check` never needs the data.

EXPS         ?= $(sort $(wildcard experiments/*.exp))
STUDY_NAMES  := $(notdir $(EXPS:.exp=))
PLAN_RESULTS ?= $(RESULTS_ROOT)
PLAN_RUNS    ?= build/runs
PLAN         ?= build/plan/$(DATASET).mk
PLAN_GOALS   := report softmax mlp studies figures tables manifest verify-runs html pdf \
                $(STUDY_NAMES)
ifneq ($(filter $(PLAN_GOALS) $(RESULTS_ROOT)/% figures/%,$(MAKECMDGOALS)),)
-include $(PLAN)
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
# Provenance: the manifest of the current results, and `make verify`, which
# reruns every run in a scratch directory and compares. VERIFY_STUDIES="a b"
# limits both to those studies; MANIFEST=file compares with another manifest
# (default: the committed experiments/expected/DATASET.json if present).

MANIFEST_OUT := $(if $(filter mnist,$(DATASET)),manifest.json,manifest-$(DATASET).json)
EXPECTED := experiments/expected/$(DATASET).json
MANIFEST ?= $(if $(wildcard $(EXPECTED)),$(EXPECTED),$(MANIFEST_OUT))
VERIFY_DIR := build/verify/$(DATASET)
VERIFY_STUDIES ?=
VERIFY_EXPS := $(if $(VERIFY_STUDIES),$(VERIFY_STUDIES:%=experiments/%.exp),$(EXPS))

.PHONY: manifest
manifest: $(MANIFEST_OUT) ## write the provenance manifest of the current results

$(MANIFEST_OUT): $(ALL_RUNS) $(EXPS) $(REPRO) $(DATA_STAMP)
	$(call say,MANIFEST,$@)$(REPRO) manifest write --dataset $(DATASET) --build $(BUILD) \
	  --results $(RESULTS_ROOT)/$(DATASET) --data $(DATA_ROOT)/$(DATASET) \
	  --values $(REPORT_ROOT)/$(DATASET)/manifest-values.tsv --out $@ $(EXPS)

.PHONY: verify verify-runs
verify: $(REPRO) $(TRAIN_KEY) $(DATA_STAMP) ## rerun everything in a scratch directory and compare with the manifest
	@test -f $(MANIFEST) || { echo "verify: no manifest '$(MANIFEST)': run make report first, or name one with MANIFEST=file" >&2; exit 2; }
	rm -rf $(VERIFY_DIR)
	@$(MAKE) --no-print-directory verify-runs PLAN=$(VERIFY_DIR)/plan.mk \
	  PLAN_RESULTS=$(VERIFY_DIR)/results PLAN_RUNS=$(VERIFY_DIR)/runs \
	  VERIFY_TARGETS="$(if $(VERIFY_STUDIES),$(VERIFY_STUDIES),softmax mlp)"
	@$(REPRO) manifest write --dataset $(DATASET) --build $(BUILD) \
	  --results $(VERIFY_DIR)/results/$(DATASET) --data $(DATA_ROOT)/$(DATASET) \
	  --out $(VERIFY_DIR)/manifest.json $(VERIFY_EXPS)
	@$(REPRO) manifest compare $(MANIFEST) $(VERIFY_DIR)/manifest.json $(VERIFY_STUDIES:%=--study %)

verify-runs: $(VERIFY_TARGETS)

-include report/rules.mk
-include tests/bench.mk
-include tests/fuzz.mk

# ---------------------------------------------------------------------------
# Tests

.PHONY: check
check: deps ## install what is missing, then run every test suite and end-to-end test
	@$(MAKE) --no-print-directory check-only

.PHONY: check-only
check-only: $(CHECK_BIN) $(TRAIN) $(REPRO) ## run the tests without the dependency step
	$(call say,LAYOUT,src/)bash tests/check-layout.sh
	$(call say,CHECK,$(CHECK_BIN))$(CHECK_BIN)
	@for t in tests/e2e-*.sh; do \
	  [ -e "$$t" ] || continue; \
	  printf '  %-7s %s\n' E2E $$t; \
	  BUILD=$(BUILD) SANITIZE=$(SANITIZE) bash $$t || exit 1; \
	done
	@echo "check: all tests passed ($(BUILD))"

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
