/*
 * fixture.h: what every SwiftBPF fixture includes.
 *
 * Kernel UAPI types from linux-libc-dev (<linux/bpf.h>), libbpf's BPF-side
 * helpers (Debian libbpf-dev, /usr/include/bpf), and the check convention of
 * the fixtures' runnable programs: a program returns 0 when every check
 * passed, or the __LINE__ of the first check that failed, so a test that runs
 * it with BPF_PROG_TEST_RUN can name the failing line.
 */
#ifndef SWIFTBPF_FIXTURE_H
#define SWIFTBPF_FIXTURE_H

#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* Return the current source line from the program when `cond` is false. */
#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond))                                                   \
			return __LINE__;                                       \
	} while (0)

#endif
