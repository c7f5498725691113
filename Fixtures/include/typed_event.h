/*
 * typed_event.h: the record typed_ringbuf.bpf.c declares for its ring buffer
 * (`__type(value, struct typed_event)`). Plain C with no BPF headers, so a
 * host compiler can include it too: the tests compile a tiny host program
 * printing sizeof(struct typed_event) as an independent source of its size.
 */
#ifndef SWIFTBPF_TYPED_EVENT_H
#define SWIFTBPF_TYPED_EVENT_H

#define TYPED_EVENT_KIND 0x7e57u
#define TYPED_EVENT_PID 4242u

struct typed_event {
	unsigned long long seq;
	unsigned int pid;
	unsigned int kind;
	char comm[16];
};

#endif
