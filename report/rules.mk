# report/rules.mk - results -> figures, tables -> report.html and report.pdf.
# Included by the Makefile; the run targets and the study lists (ALL_RUNS,
# ALL_STUDIES, STUDY_<study>_RUNS) come from the planner's fragment, which the
# Makefile reads for every goal but those in its NO_PLAN_GOALS.
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

# Two builds from the same results give the same bytes: pandoc and LuaTeX take
# their dates from SOURCE_DATE_EPOCH (the last commit's time), and so does
# repro plot for the PDF figures.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH
export FORCE_SOURCE_DATE := 1

# The table of contents is placed by the text ({{block:toc}}, after the
# answers), so both documents open on the answers to the homework.
REPORT_META ?= report/metadata.yaml
# The student's details as the report's author line, taken literally (no
# Markdown: src/scripts/literal-metadata.sh).
REPORT_AUTHOR := $(REPORT_BUILD)/metadata.yaml
PANDOC_ARGS = --from markdown --standalone --number-sections --lua-filter report/filter.lua \
              --metadata-file $(REPORT_AUTHOR) \
              --metadata values-dir=$(REPORT_BUILD) --metadata figures-dir=$(FIG_DIR)
# PANDOC names the program (the end-to-end test points it at a missing or broken one).
PANDOC ?= pandoc
need_pandoc = @command -v $(PANDOC) >/dev/null || \
  { echo "report: pandoc not found: run 'apt-get install pandoc' (or make deps)" >&2; exit 1; }
need_lualatex = @command -v lualatex >/dev/null && kpsewhich luaotfload.sty >/dev/null || \
  { echo "report: lualatex not found: run 'apt-get install texlive-luatex texlive-latex-recommended fonts-lmodern fonts-wqy-microhei' (or make deps)" >&2; exit 1; }

.PHONY: report figures tables html pdf
# The manifest first (it needs every run), so that the report's appendix can
# show its summary (manifest-values.tsv, when `repro manifest` writes one), and
# with it the table of every run (results/<dataset>/runs.csv).
#
# One `make report` at a time in a tree: a second one started while the first
# runs says so and waits for it (flock on REPORT_LOCK), then finds its work
# done. Only the recipe's shell holds the lock (not the makes it starts, nor
# the trainers), so a killed build releases it.
REPORT_LOCK := $(REPORT_ROOT)/.report.lock
report: deps ## everything from a fresh checkout: data, every run, figures, tables, report.html and .pdf
	@mkdir -p $(REPORT_ROOT) && exec 9> $(REPORT_LOCK) && \
	if ! flock -n 9; then \
	  echo "report: another make report is running in this tree; waiting for it to finish" >&2; \
	  flock 9; fi && \
	$(MAKE) --no-print-directory manifest runs-table DATASET=$(DATASET) 9>&- && \
	$(MAKE) --no-print-directory pdf DATASET=$(DATASET) 9>&-

figures: $(FIG_STAMPS) ## draw every study's figures into figures/<dataset>/ (SVG and PDF)
tables: $(VALUES) ## compute the tables and cited values into build/report/<dataset>/
html: $(REPORT_HTML) ## write report.html (self-contained) alone from the results
pdf: $(REPORT_PDF) ## write report.pdf (LuaLaTeX) and report.html, replaced together (as make report does)

# The steps are numbered for the progress lines, in this order: each study's
# figures, the overview figures, the tables, the HTML, the PDF.
step_no = $(words $(ALL_STUDIES) $(wordlist 1,$(1),overview tables html pdf))
REPORT_STEPS := $(call step_no,4)

# What the figures and tables know of the studies (twins, the original's
# tables, families, display names) is data: STUDIES_CONF.
STUDIES_CONF ?= report/studies.conf
# Its twin lines as make patterns: "softmax-%=softmax-reported-%".
TWIN_PATTERNS := $(subst *,%,$(shell awk '$$1 == "twin" { print $$2 "=" $$3 }' $(STUDIES_CONF) 2> /dev/null))
twin_of = $(filter-out $(1),$(patsubst $(word 1,$(subst =, ,$(2))),$(word 2,$(subst =, ,$(2))),$(filter-out $(word 2,$(subst =, ,$(2))),$(1))))
plot_twin = $(foreach p,$(TWIN_PATTERNS),$(call twin_of,$(1),$(p)))
# ... and the correct study of an as-reported one (their figures share axes).
correct_of = $(if $(filter $(word 2,$(subst =, ,$(2))),$(1)),$(patsubst $(word 2,$(subst =, ,$(2))),$(word 1,$(subst =, ,$(2))),$(1)))
plot_partner = $(foreach p,$(TWIN_PATTERNS),$(call twin_of,$(1),$(p)) $(call correct_of,$(1),$(p)))

# One stamp per study, so a rerun study redraws only its own figures; $(2) is
# its step number. A softmax study's glance figure also draws its as-reported
# twin (STUDIES_CONF's twin lines), and the original's figures as marks; the
# figures of both share their axes, so each depends on the other's runs.
define FIGURE_RULE
$(REPORT_BUILD)/figures-$(1).stamp: $$(STUDY_$(1)_RUNS) $$(STUDY_$(1)_EXP) $$(REPRO) $$(REFERENCE) \
    $$(STUDIES_CONF) $$(foreach t,$$(call plot_partner,$(1)),$$(STUDY_$$(t)_RUNS) $$(STUDY_$$(t)_EXP))
	@src/scripts/sweep-tmp.sh $$(FIG_DIR)
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
	@src/scripts/sweep-tmp.sh $(FIG_DIR)
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
	@mkdir -p $(@D) && src/scripts/sweep-tmp.sh $(@D) $(@D)/tables
	$(call step,$(call step_no,2),$(REPORT_STEPS),TABLES,$(REPORT_BUILD))$(REPRO) tabulate --results $(RESULTS_ROOT)/$(DATASET) \
	  --experiments $(EXP_DIR) $(if $(REFERENCE),--reference $(REFERENCE)) --studies $(STUDIES_CONF) \
	  --claims $(CLAIMS) $(if $(STRICT_CLAIMS),--strict) \
	  --gradcheck $(GRADCHECK_CSV) --out $@

$(REPORT_AUTHOR): $(REPORT_META) src/scripts/literal-metadata.sh
	@mkdir -p $(@D)
	@src/scripts/literal-metadata.sh $(REPORT_META) $@

# report.html alone (make html): pandoc writes it next to its final name,
# under a name of this process's own, and it is renamed into place.
$(REPORT_HTML): $(REPORT_MD) $(REPORT_AUTHOR) report/filter.lua report/mathml.lua report/layout.lua report/report.css $(VALUES) \
                $(FIG_STAMPS) $(MANIFEST_VALUES)
	$(need_pandoc)
	@! grep -q '^student: *"Student name"' $(REPORT_META) || \
	  echo "report: warning: $(REPORT_META) still names the placeholder student: set student, student-id and course there" >&2
	@mkdir -p $(@D) && src/scripts/sweep-tmp.sh $(REPORT_OUT)
	$(call step,$(call step_no,3),$(REPORT_STEPS),PANDOC,$@)t=$(@D)/.$(@F).tmp.$$$$; \
	  $(PANDOC) $(PANDOC_ARGS) --to html5 --default-image-extension=svg \
	  --mathml --lua-filter report/mathml.lua --lua-filter report/layout.lua --self-contained --wrap=none --css report/report.css \
	  --output $$t $(REPORT_MD) && mv -f $$t $@ || \
	  { rm -f $$t; echo "report: pandoc failed writing $@" >&2; exit 1; }

# report.pdf, and report.html with it (make pdf, make report): the two
# documents are made together, in a directory of this build's own
# (.docs.tmp.PID, PID make's: two builds at once never share one), and replaced together
# only when both are complete: pandoc's HTML, then pandoc's LaTeX and LuaLaTeX
# (any Unicode name sets: report/latex-header.tex chooses the fonts),
# whose PDF must hold every caption of the HTML, in order, with no page run past
# its foot (src/scripts/check-captions.sh). Each is copied next to its final
# name (REPORT_OUT may be another filesystem) and renamed there. The LaTeX
# directory is kept as LATEX_DIR (its log), after a failed check too, and the
# message names the files there. A failure prints one line: for LuaLaTeX its
# log's first error, with the source line and the page.
LATEX_DIR := $(REPORT_BUILD)/latex
# Then its typesetting (src/scripts/check-typeset.sh: lines into the margin,
# table headers of more than two lines, headings at a page's foot, line breaks
# inside "Figure 5" or "87.3 %", figures and tables shown before the text cites
# them); TYPESET_SKIP names checks left out (comma-separated), none by default.
TYPESET_SKIP ?=
# (make's PID, the parent of every line's shell: one name for the whole recipe)
DOCS_TMP   = $(REPORT_BUILD)/.docs.tmp.$$PPID
# LuaLaTeX runs inside that directory, finding the figures through TEXINPUTS:
# when it stops after a page was shipped out it deletes <jobname>.pdf in its
# working directory, whatever -output-directory says, which was the
# user's own report.pdf in the checkout.
LUALATEX  := lualatex -interaction=nonstopmode -halt-on-error
$(REPORT_PDF): $(REPORT_MD) $(REPORT_AUTHOR) report/filter.lua report/mathml.lua report/report.css \
    report/latex-header.tex report/layout.lua $(VALUES) $(FIG_STAMPS) $(MANIFEST_VALUES) src/scripts/check-captions.sh \
    src/scripts/check-typeset.sh
	$(need_pandoc)
	$(need_lualatex)
	@! grep -q '^student: *"Student name"' $(REPORT_META) || \
	  echo "report: warning: $(REPORT_META) still names the placeholder student: set student, student-id and course there" >&2
	@src/scripts/sweep-tmp.sh $(REPORT_BUILD) $(REPORT_OUT)
	@rm -rf $(DOCS_TMP) && mkdir -p $(DOCS_TMP) $(REPORT_OUT)
	$(call step,$(call step_no,3),$(REPORT_STEPS),PANDOC,$(REPORT_HTML))$(PANDOC) $(PANDOC_ARGS) --to html5 --default-image-extension=svg \
	  --mathml --lua-filter report/mathml.lua --lua-filter report/layout.lua --self-contained --wrap=none --css report/report.css \
	  --output $(DOCS_TMP)/report.html $(REPORT_MD) || \
	  { rm -rf $(DOCS_TMP); echo "report: pandoc failed writing $(REPORT_HTML)" >&2; exit 1; }
	$(call step,$(call step_no,4),$(REPORT_STEPS),PANDOC,$(REPORT_PDF))$(PANDOC) $(PANDOC_ARGS) --to latex \
	  --default-image-extension=pdf --include-in-header report/latex-header.tex \
	  --lua-filter report/layout.lua \
	  --variable geometry:margin=2.5cm --variable colorlinks \
	  --output $(DOCS_TMP)/report.tex $(REPORT_MD) || \
	  { rm -rf $(DOCS_TMP); echo "report: pandoc failed writing $(REPORT_PDF)" >&2; exit 1; }
	$(Q)d=$(DOCS_TMP); for pass in 1 2 3; do \
	  (cd $$d && TEXINPUTS="$(CURDIR):" $(LUALATEX) report.tex > /dev/null 2>&1) || \
	    { rm -f $$d/report.pdf; rm -rf $(LATEX_DIR); mv -T $$d $(LATEX_DIR) || rm -rf $$d; \
	      src/scripts/latex-error.sh $(LATEX_DIR)/report.log $(LATEX_DIR)/report.tex >&2; exit 1; }; \
	  [ $$pass -ge 2 ] && ! grep -q 'Rerun to get' $$d/report.log && break; \
	done
	$(Q)d=$(DOCS_TMP); msg=$$(src/scripts/check-captions.sh $$d/report.html $$d/report.pdf $$d/report.log 2>&1 && \
	src/scripts/check-typeset.sh $(if $(TYPESET_SKIP),--skip $(TYPESET_SKIP)) $$d/report.html \
	  $$d/report.pdf $$d/report.log 2>&1) || \
	  { rm -rf $(LATEX_DIR); mv -T $$d $(LATEX_DIR) || rm -rf $$d; \
	    echo "$${msg//$$d/$(LATEX_DIR)}" >&2; exit 1; }; \
	h=$(REPORT_OUT)/.$(notdir $(REPORT_HTML)).tmp.$$$$; p=$(REPORT_OUT)/.$(notdir $(REPORT_PDF)).tmp.$$$$; \
	cp $$d/report.html $$h && cp $$d/report.pdf $$p && mv -f $$h $(REPORT_HTML) && mv -f $$p $(REPORT_PDF) || \
	  { rm -f $$h $$p; rm -rf $$d; echo "report: cannot write $(REPORT_HTML) and $(REPORT_PDF)" >&2; exit 1; }; \
	rm -f $$d/report.html; o=$(REPORT_BUILD)/.latex-old.tmp.$$$$; \
	{ [ ! -e $(LATEX_DIR) ] || mv -T $(LATEX_DIR) $$o; } && mv -T $$d $(LATEX_DIR) || rm -rf $$d; \
	rm -rf $$o

# Written only by renaming a complete file into place, so never deleted on an
# error (.DELETE_ON_ERROR would delete a file another build finished).
.PRECIOUS: $(REPORT_HTML) $(REPORT_PDF) $(VALUES)
