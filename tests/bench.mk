# ---------------------------------------------------------------------------
# Benchmarks (included by the Makefile). They report; they never fail on a
# number. OpenBLAS is linked into the benchmark program only.

BENCH          := $(BIN)/bench
BENCH_DIR      := build/bench
# the products of every path this architecture builds (gemm.o, gemm_<path>.o)
BENCH_OBJS     := $(BUILD)/obj/tests/bench_main.o $(call obj_of,$(filter src/kernels/gemm%,$(LIB_SRCS))) \
                  $(BUILD)/obj/util/err.o $(BUILD)/obj/util/host.o $(BUILD)/obj/kernels/rng.o \
                  $(BUILD)/obj/kernels/fmath.o
OPENBLAS_CFLAGS = $(shell pkg-config --cflags openblas 2>/dev/null)
OPENBLAS_LIBS   = $(shell pkg-config --libs openblas 2>/dev/null || echo -lopenblas)

# OpenBLAS's own cblas.h (it declares openblas_set_num_threads), found through
# its pkg-config module for the architecture being built: without it the
# compiler would take the reference BLAS's generic cblas.h.
$(BUILD)/obj/tests/bench_main.o: tests/bench_main.c $(BUILD)/flags
	@mkdir -p $(@D)
	@pkg-config --exists openblas || { echo "bench: pkg-config finds no openblas for" \
	  "this build's architecture (Debian package libopenblas-dev): run" \
	  "src/scripts/deps.sh libopenblas-dev" >&2; exit 1; }
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) $(OPENBLAS_CFLAGS) -MMD -MP -c $< -o $@

$(BENCH): $(BENCH_OBJS)
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) -o $@ $^ $(OPENBLAS_LIBS) $(LDLIBS)

.PHONY: bench bench-kernels bench-runs
# One after the other: the runs reuse the kernel table, and timings taken side
# by side would slow each other down.
bench: ## time the products against OpenBLAS (build/bench/kernels.txt), then whole runs (runs.txt)
	@$(MAKE) --no-print-directory bench-kernels
	@$(MAKE) --no-print-directory bench-runs

# OpenBLAS (libopenblas-dev) is needed by the benchmark only, so it is installed
# here rather than by `make deps`; the program is built after it.
bench-kernels: ## only the products: table on stdout and in build/bench/kernels.txt
	@src/scripts/deps.sh libopenblas-dev
	@$(MAKE) --no-print-directory $(BENCH)
	@mkdir -p $(BENCH_DIR)
	$(call say,BENCH,$(BENCH_DIR)/kernels.txt)OPENBLAS_NUM_THREADS=1 $(BENCH) --out $(BENCH_DIR)/kernels.txt

# ---- WHOLE-RUN TIMINGS -------------------------------------------------------
# Complete training runs of $(TRAIN) on every vector path (softmax at the
# defaults, 784-128-10 for 20 epochs, 784-512-128-10 for 3): wall and CPU
# time, train_flops / wall and / CPU time, their shares of the one-core peak
# and OpenBLAS's rate at the same shapes (both from kernels.txt, if
# bench-kernels has run), peak memory; then the whole report: every planned
# training's FLOPs at the peak (the floor) against the finished trainings' CPU
# and wall times under RESULTS_ROOT. GNU time (Debian package "time") measures
# the peak memory.
bench-runs: $(TRAIN) $(REPRO) $(DATA_ROOT)/mnist/.verified ## only whole training runs: build/bench/runs.txt
	@src/scripts/deps.sh time
	@mkdir -p $(BENCH_DIR)
	$(call say,BENCH,$(BENCH_DIR)/runs.txt)RESULTS_ROOT=$(RESULTS_ROOT) bash tests/bench_runs.sh \
	  $(TRAIN) $(REPRO) $(DATA_ROOT)/mnist $(BENCH_DIR)/kernels.txt $(BENCH_DIR)/runs.txt
# ---- end of whole-run timings ------------------------------------------------
