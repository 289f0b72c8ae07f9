# report/rules.mk - results -> figures, tables -> report.html and report.pdf.
# Included by the Makefile; the run targets and the study lists (ALL_RUNS,
# ALL_STUDIES, STUDY_<study>_RUNS) come from the planner's fragment, which the
# Makefile reads for the goals in its PLAN_GOALS (report figures tables html pdf ...).
#
#   make report                  MNIST: report.html, report.pdf
#   make report DATASET=fashion  Fashion-MNIST: report-fashion.html, report-fashion.pdf
#
# Every output is written to a temporary name and renamed into place. The
# original write-up's figures (report/original-report.csv) are MNIST figures,
# so only the MNIST report compares with them.

# The end-to-end test moves every output away from the tree with FIG_ROOT,
# REPORT_ROOT (set in the Makefile) and REPORT_OUT (as the Makefile's DATA_ROOT,
# RESULTS_ROOT, EXPS).
FIG_ROOT     ?= figures
REPORT_OUT   ?= .
REPORT_NAME  := $(REPORT_OUT)/report$(if $(filter mnist,$(DATASET)),,-$(DATASET))
REPORT_HTML  := $(REPORT_NAME).html
REPORT_PDF   := $(REPORT_NAME).pdf
FIG_DIR      := $(FIG_ROOT)/$(DATASET)
REPORT_BUILD := $(REPORT_ROOT)/$(DATASET)
VALUES       := $(REPORT_BUILD)/values.json
EXP_DIR      := $(patsubst %/,%,$(dir $(firstword $(EXPS))))
REFERENCE    ?= $(if $(filter mnist,$(DATASET)),report/original-report.csv)
REPORT_MD    ?= report/report.md \
                $(if $(REFERENCE),report/original.md,report/original-none.md) \
                report/conclusions.md report/appendix.md \
                $(if $(REFERENCE),report/appendix-original.md)
FIG_STAMPS    = $(ALL_STUDIES:%=$(REPORT_BUILD)/figures-%.stamp) $(REPORT_BUILD)/figures-overview.stamp
MANIFEST_VALUES = $(wildcard $(REPORT_BUILD)/manifest-values.tsv)

# Two builds from the same results give the same bytes: pandoc and pdfTeX take
# their dates from SOURCE_DATE_EPOCH (the last commit's time), and so does
# repro plot for the PDF figures.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH
export FORCE_SOURCE_DATE := 1

# The table of contents is placed by the text ({{block:toc}}, after the
# answers), so both documents open on the answers to the homework.
REPORT_META ?= report/metadata.yaml
PANDOC_ARGS = --from markdown --standalone --number-sections --lua-filter report/filter.lua \
              --metadata-file $(REPORT_META) \
              --metadata values-dir=$(REPORT_BUILD) --metadata figures-dir=$(FIG_DIR)
# PANDOC names the program (the end-to-end test points it at a missing or broken one).
PANDOC ?= pandoc
need_pandoc = @command -v $(PANDOC) >/dev/null || \
  { echo "report: pandoc not found: run 'apt-get install pandoc' (or make deps)" >&2; exit 1; }
need_pdflatex = @command -v pdflatex >/dev/null || \
  { echo "report: pdflatex not found: run 'apt-get install texlive-latex-base texlive-latex-recommended texlive-fonts-recommended lmodern' (or make deps)" >&2; exit 1; }

.PHONY: report figures tables html pdf
# The manifest first (it needs every run), so that the report's appendix can
# show its summary (manifest-values.tsv, when `repro manifest` writes one), and
# with it the table of every run (results/<dataset>/runs.csv).
report: deps ## everything from a fresh checkout: data, every run, figures, tables, report.html and .pdf
	@$(MAKE) --no-print-directory manifest runs-table DATASET=$(DATASET)
	@$(MAKE) --no-print-directory html pdf DATASET=$(DATASET)

figures: $(FIG_STAMPS) ## draw every study's figures into figures/<dataset>/ (SVG and PDF)
tables: $(VALUES) ## compute the tables and cited values into build/report/<dataset>/
html: $(REPORT_HTML) ## write report.html (self-contained) from the results
pdf: $(REPORT_PDF) ## write report.pdf (pdflatex) from the results

# The steps are numbered for the progress lines: one per study's figures, then
# the tables and the two documents.
# The steps, numbered in this order: each study's figures, the overview
# figures, the tables, the HTML, the PDF.
step_no = $(words $(ALL_STUDIES) $(wordlist 1,$(1),overview tables html pdf))
REPORT_STEPS := $(call step_no,4)

# What the figures and tables know of the studies (twins, the original's
# tables, families, display names) is data: STUDIES_CONF.
STUDIES_CONF ?= report/studies.conf
# Its twin lines as make patterns: "softmax-%=softmax-reported-%".
TWIN_PATTERNS := $(subst *,%,$(shell awk '$$1 == "twin" { print $$2 "=" $$3 }' $(STUDIES_CONF) 2> /dev/null))
twin_of = $(filter-out $(1),$(patsubst $(word 1,$(subst =, ,$(2))),$(word 2,$(subst =, ,$(2))),$(filter-out $(word 2,$(subst =, ,$(2))),$(1))))
plot_twin = $(foreach p,$(TWIN_PATTERNS),$(call twin_of,$(1),$(p)))

# One stamp per study, so a rerun study redraws only its own figures; $(2) is
# its step number. A softmax study's glance figure also draws its as-reported
# twin (STUDIES_CONF's twin lines), and the original's figures as marks.
define FIGURE_RULE
$(REPORT_BUILD)/figures-$(1).stamp: $$(STUDY_$(1)_RUNS) $$(STUDY_$(1)_EXP) $$(REPRO) $$(REFERENCE) \
    $$(STUDIES_CONF) $$(foreach t,$$(call plot_twin,$(1)),$$(STUDY_$$(t)_RUNS) $$(STUDY_$$(t)_EXP))
	$$(call step,$(2),$(REPORT_STEPS),PLOT,$(FIG_DIR)/$(1)-*)$$(REPRO) plot --results $$(RESULTS_ROOT)/$$(DATASET) \
	  --out $$(FIG_DIR) --experiments $$(EXP_DIR) $$(if $$(REFERENCE),--reference $$(REFERENCE)) \
	  --studies $$(STUDIES_CONF) --study $(1)
	@mkdir -p $$(@D) && touch $$@
endef
FIG_STEP := 0
$(foreach s,$(ALL_STUDIES),$(eval FIG_STEP := $(words $(wordlist 1,$(FIG_STEP),$(ALL_STUDIES)) x)) \
  $(eval $(call FIGURE_RULE,$(s),$(FIG_STEP))))

# The figures across studies (learn-then-unlearn of the mlp settings).
$(REPORT_BUILD)/figures-overview.stamp: $(ALL_RUNS) $(EXPS) $(REPRO)
	$(call step,$(call step_no,1),$(REPORT_STEPS),PLOT,$(FIG_DIR)/overview)$(REPRO) plot --results $(RESULTS_ROOT)/$(DATASET) \
	  --out $(FIG_DIR) --experiments $(EXP_DIR) --studies $(STUDIES_CONF) --overview
	@mkdir -p $(@D) && touch $@

# The claims of the write-up (report/claims.conf) are checked over the facts
# with the tables: on MNIST (STRICT_CLAIMS) a claim that does not hold fails
# the build, naming it with its numbers; on another dataset the report marks
# it as not holding there.
CLAIMS        ?= report/claims.conf
STRICT_CLAIMS ?= $(filter mnist,$(DATASET))

# The gradient checks of every layer and loss on the built code (gradcheck.h),
# a table for the report; a failed check fails the build, naming it and its error.
GRADCHECK_CSV := $(REPORT_BUILD)/gradcheck.csv
$(GRADCHECK_CSV): $(GRADCHECK)
	@mkdir -p $(@D)
	$(call say,GRADCHK,$@)$(GRADCHECK) --out $@

# values.json is written last, after the tables and the .tsv files.
$(VALUES): $(ALL_RUNS) $(EXPS) $(REPRO) $(REFERENCE) $(STUDIES_CONF) $(CLAIMS) $(GRADCHECK_CSV)
	@mkdir -p $(@D)
	$(call step,$(call step_no,2),$(REPORT_STEPS),TABLES,$(REPORT_BUILD))$(REPRO) tabulate --results $(RESULTS_ROOT)/$(DATASET) \
	  --experiments $(EXP_DIR) $(if $(REFERENCE),--reference $(REFERENCE)) --studies $(STUDIES_CONF) \
	  --claims $(CLAIMS) $(if $(STRICT_CLAIMS),--strict) \
	  --gradcheck $(GRADCHECK_CSV) --out $@

$(REPORT_HTML): $(REPORT_MD) $(REPORT_META) report/filter.lua report/report.css $(VALUES) \
                $(FIG_STAMPS) $(MANIFEST_VALUES)
	$(need_pandoc)
	@! grep -q '^student: *"Student name"' $(REPORT_META) || \
	  echo "report: warning: $(REPORT_META) still names the placeholder student: set student, student-id and course there" >&2
	$(call step,$(call step_no,3),$(REPORT_STEPS),PANDOC,$@)$(PANDOC) $(PANDOC_ARGS) --to html5 --default-image-extension=svg \
	  --mathml --self-contained --wrap=none --css report/report.css \
	  --output $(@D)/.tmp-$(@F) $(REPORT_MD) && mv -f $(@D)/.tmp-$(@F) $@ || \
	  { rm -f $(@D)/.tmp-$(@F); echo "report: pandoc failed writing $@" >&2; exit 1; }

# pandoc writes the LaTeX; pdflatex runs here, so that its log can be read:
# the PDF is renamed into place only when it holds every caption of the HTML,
# in order, and no page ran past its foot (src/scripts/check-captions.sh).
LATEX_DIR := $(REPORT_BUILD)/latex
PDFLATEX  := pdflatex -interaction=nonstopmode -halt-on-error -output-directory $(LATEX_DIR)
$(REPORT_PDF): $(REPORT_MD) $(REPORT_META) report/filter.lua report/latex-header.tex $(VALUES) \
               $(FIG_STAMPS) $(MANIFEST_VALUES) $(REPORT_HTML) src/scripts/check-captions.sh
	$(need_pandoc)
	$(need_pdflatex)
	@rm -rf $(LATEX_DIR) && mkdir -p $(LATEX_DIR)
	$(call step,$(call step_no,4),$(REPORT_STEPS),PANDOC,$@)$(PANDOC) $(PANDOC_ARGS) --to latex \
	  --default-image-extension=pdf --include-in-header report/latex-header.tex \
	  --variable geometry:margin=2.5cm --variable colorlinks \
	  --output $(LATEX_DIR)/report.tex $(REPORT_MD) || \
	  { rm -rf $(LATEX_DIR); echo "report: pandoc failed writing $@" >&2; exit 1; }
	$(Q)for pass in 1 2 3; do \
	  $(PDFLATEX) $(LATEX_DIR)/report.tex > /dev/null 2>&1 || \
	    { echo "report: pdflatex failed on $(LATEX_DIR)/report.tex (see $(LATEX_DIR)/report.log)" >&2; \
	      rm -f $(LATEX_DIR)/report.pdf; exit 1; }; \
	  [ $$pass -ge 2 ] && ! grep -q 'Rerun to get' $(LATEX_DIR)/report.log && break; \
	done
	$(Q)src/scripts/check-captions.sh $(REPORT_HTML) $(LATEX_DIR)/report.pdf $(LATEX_DIR)/report.log
	@mv -f $(LATEX_DIR)/report.pdf $@
