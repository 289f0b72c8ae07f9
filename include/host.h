/* host.h - where a process runs: the node's name and its CPU model.
 *
 * Provenance only: the trainer writes these into timing.json, the one file of
 * a run that is never compared, and the manifest records them per run, so a
 * verify across a cluster shows which machines gave the same bits. Nothing
 * that is compared may depend on them. */
#ifndef HOST_H
#define HOST_H

#include <stddef.h>
#include <stdio.h>

/* The node name (uname's nodename, e.g. "node17"), or "unknown". */
void host_node(char *out, size_t size);

/* The CPU model from /proc/cpuinfo, or "unknown". */
void host_cpu_model(char *out, size_t size);

/* The CPU model named in cpuinfo text ("key<TAB>: value" lines): the first
 * "model name" (x86 and others), "cpu model" (MIPS), "cpu" (POWER) or
 * "Processor" (older ARM) value; else, as arm64 kernels print it,
 * "CPU implementer 0x41, part 0xd0c"; else "unknown". Reads f to its end. */
void host_cpu_model_parse(FILE *f, char *out, size_t size);

#endif
