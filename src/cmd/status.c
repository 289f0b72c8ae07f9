/* `repro status`: which runs are done, missing or stale, and why (status.h). */
#include "err.h"
#include "opts.h"
#include "report/cli.h"
#include "report/status.h"

#include <stdio.h>

#define PATH_CAP 4096

static const char ABOUT[] =
    "For every run of the experiment files EXP: done, missing (no summary.json)\n"
    "or stale, and why: its configuration, the trainer or the data changed since\n"
    "it ran (what make would run again). Nothing is written. Exit status 0 when\n"
    "every run is up to date, 1 when some are not, 2 on an error.\n";

int cmd_status(int argc, char **argv)
{
    StatusOptions o = {"mnist", "results", "build/runs", "build/release/train.key", NULL};
    const char *data_root = "data", *stamp_file = NULL;
    int json = 0;
    const Opt opts[] = {
        CLI_STATUS_OPTS(o),
        {.name = "data", .meta = "DIR", .str = &data_root,
         .help = "root of the data; the stamp is\nDIR/DATASET/.verified"},
        {.name = "stamp", .meta = "FILE", .str = &stamp_file,
         .help = "what the runs depend on for their data\ninstead (make: the data key)"},
        {.name = "json", .flag = &json, .help = "one JSON object instead of the table"},
        {0}};
    const OptsSpec spec = {.prog = "repro status", .args = "EXP...", .about = ABOUT, .opts = opts};
    int rc, i = opts_get(&spec, argc, argv, &rc);
    if (i < 0)
        return rc;
    char stamp[PATH_CAP], err[ERR_MAX];
    if (snprintf(stamp, sizeof stamp, "%s/%s/.verified", data_root, o.dataset) >= PATH_CAP) {
        fprintf(stderr, "repro status: '%s': path too long\n", data_root);
        return 2;
    }
    o.data_stamp = stamp_file ? stamp_file : stamp;
    StatusReport r;
    if (status_collect(&o, (const char *const *)(argv + i), (size_t)(argc - i), &r, err) < 0) {
        fprintf(stderr, "repro status: %s\n", err);
        return 2;
    }
    if (json)
        rc = status_print_json(&r, &o, stdout, err);
    else
        status_print(&r, &o, stdout);
    if (rc < 0) {
        fprintf(stderr, "repro status: %s\n", err);
        status_report_release(&r);
        return 2;
    }
    int up_to_date = r.missing + r.stale == 0;
    status_report_release(&r);
    return up_to_date ? 0 : 1;
}
