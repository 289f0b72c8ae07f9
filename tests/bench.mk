# ---------------------------------------------------------------------------
# Benchmarks (included by the Makefile). They report; they never fail on a
# number. OpenBLAS is linked into the benchmark program only.

BENCH          := $(BIN)/bench
BENCH_DIR      := build/bench
BENCH_OBJS     := $(BUILD)/obj/tests/bench_main.o $(BUILD)/obj/gemm.o $(BUILD)/obj/gemm_avx2.o \
                  $(BUILD)/obj/gemm_avx512.o $(BUILD)/obj/err.o $(BUILD)/obj/rng.o \
                  $(BUILD)/obj/fmath.o
OPENBLAS_CFLAGS = $(shell pkg-config --cflags openblas 2>/dev/null)
OPENBLAS_LIBS   = $(shell pkg-config --libs openblas 2>/dev/null || echo -lopenblas)

$(BUILD)/obj/tests/bench_main.o: tests/bench_main.c $(BUILD)/flags
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) $(OPENBLAS_CFLAGS) -MMD -MP -c $< -o $@

$(BENCH): $(BENCH_OBJS)
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) -o $@ $^ $(OPENBLAS_LIBS) $(LDLIBS)

.PHONY: bench bench-kernels bench-runs
bench: bench-kernels bench-runs ## time the products against OpenBLAS (build/bench/kernels.txt), then whole runs

# OpenBLAS (libopenblas-dev) is needed by the benchmark only, so it is installed
# here rather than by `make deps`; the program is built after it.
bench-kernels: ## only the products: table on stdout and in build/bench/kernels.txt
	@src/deps.sh libopenblas-dev
	@$(MAKE) --no-print-directory $(BENCH)
	@mkdir -p $(BENCH_DIR)
	$(call say,BENCH,$(BENCH_DIR)/kernels.txt)OPENBLAS_NUM_THREADS=1 $(BENCH) --out $(BENCH_DIR)/kernels.txt

# ---- WHOLE-RUN TIMINGS: to be added here ------------------------------------
# Time complete training runs of $(TRAIN) (wall and CPU time against the FLOP
# count of the run) and write them to $(BENCH_DIR)/runs.txt, atomically like
# kernels.txt (and make this target depend on $(TRAIN)). Until then it only
# says that it is missing.
bench-runs:
	@echo "bench: whole-run timings are not written yet (tests/bench.mk, bench-runs)"
# ---- end of whole-run timings ------------------------------------------------
