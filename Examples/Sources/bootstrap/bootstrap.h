// bootstrap.h: the record bootstrap.bpf.c sends to user space. The Swift
// side gets the same struct, generated from the object's BTF (BootstrapEvent
// is not written by hand), so this header is for the BPF side only.
#ifndef BOOTSTRAP_H
#define BOOTSTRAP_H

#define TASK_COMM_LEN 16
#define MAX_FILENAME_LEN 127

struct event {
	int pid;
	int ppid;
	unsigned exit_code;
	unsigned long long duration_ns;
	char comm[TASK_COMM_LEN];
	char filename[MAX_FILENAME_LEN];
	bool exit_event;
};

#endif
