/*
 * module.bpf.c: CO-RE reads of types that live in a module's split BTF
 * (Fixtures/obj/split.btf on top of split_base.btf): module_thing is only
 * in the module, task_like only in the base. The relocation engine must
 * find each where it is; the test takes the expected offsets from
 * `bpftool -B split_base.btf btf dump file split.btf`.
 *
 * EXPECT programs: thing_flags (byte_off module_thing.flags), thing_prev
 * (byte_off module_thing.node.prev), thing_state (byte_off
 * module_thing.state), task_tgid (byte_off task_like.tgid),
 * thing_size (type_size module_thing).
 */
#include "fixture.h"
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

#define PAI __attribute__((preserve_access_index))

struct list_like {
	struct list_like *next, *prev;
} PAI;

enum state { STATE_IDLE, STATE_RUN };

struct module_thing {
	unsigned int flags;
	struct list_like node;
	enum state state;
} PAI;

struct task_like {
	int tgid;
} PAI;

#define PROBE(name) SEC("tracepoint/module") long name(struct module_thing *t)

PROBE(thing_flags) { return bpf_core_field_offset(t->flags); }
PROBE(thing_prev) { return bpf_core_field_offset(t->node.prev); }
PROBE(thing_state) { return bpf_core_field_offset(t->state); }
PROBE(task_tgid) { return bpf_core_field_offset(((struct task_like *)t)->tgid); }
PROBE(thing_size) { return bpf_core_type_size(struct module_thing); }
