/* runlog.h - the former name of the run directory's writer, kept for
 * train_main.c until it includes rundir.h itself: the format, its writer and
 * its reader are rundir.h's. */
#ifndef RUNLOG_H
#define RUNLOG_H

#include "rundir.h"

static inline int runlog_clear(const char *dir, char *err)
{
    return rundir_clear(dir, err);
}

static inline int runlog_write(const char *dir, const RunMeta *meta, const RunConfig *cfg,
                               const TrainResult *res, char *err)
{
    return rundir_write(dir, meta, cfg, res, err);
}

static inline int runlog_write_timing(const char *dir, double wall_seconds, double cpu_seconds,
                                      const char *isa, const char *machine, char *err)
{
    return rundir_write_timing(dir, wall_seconds, cpu_seconds, isa, machine, err);
}

#endif
