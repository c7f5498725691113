/*
 * split_btf.c: writes a base BTF and a split BTF on top of it, the way a
 * kernel module's BTF sits on vmlinux BTF (this kernel has no modules, so
 * tests of split BTF use these files). A host program built and run by
 * build.sh, using libbpf's BTF writer (libbpf-dev) as an independent
 * encoder.
 *
 *   split_btf BASE_OUT SPLIT_OUT   -> Fixtures/obj/split_base.btf, split.btf
 *
 * Check either file with bpftool (7.1 takes the base with -B):
 *   bpftool btf dump file Fixtures/obj/split_base.btf
 *   bpftool -B Fixtures/obj/split_base.btf btf dump file Fixtures/obj/split.btf
 *
 * EXPECT base (ids 1..9, string section 94 bytes):
 *   1 INT int (4, signed), 2 INT unsigned int (4), 3 INT char (1, signed),
 *   4 ARRAY char[16] (index type 2),
 *   5 STRUCT task_like size 24 { int pid @0; char comm[16] @32 bits;
 *     int tgid @160 bits },
 *   6 PTR -> 5, 7 STRUCT list_like size 16 { next @0, prev @64: type 8 },
 *   8 PTR -> 7, 9 ENUM state size 4 { STATE_IDLE = 0, STATE_RUN = 1 }.
 * EXPECT split (ids 10..16, header type_off 0, type_len 152, str_off 152,
 * str_len 77): types continue the base's numbering and refer to base ids,
 * and name offsets count from the start of the base string section:
 *   10 STRUCT module_thing size 40 { owner @0: 6; flags @64: 2;
 *      node @128: 7; state @256: 9 },
 *   11 PTR -> 10, 12 TYPEDEF thing_t -> 10,
 *   13 FUNC_PROTO returns 1, params task: 6, thing: 14,
 *   14 PTR -> 12, 15 FUNC module_probe (global) -> 13,
 *   16 VAR module_counter (global allocated) -> 2.
 *   The member name "state" is not in the split string section: its name
 *   offset points into the base strings (below 94), where the enum's name is.
 *   The split string section does not start with an empty string.
 */
#include <stdio.h>
#include <bpf/btf.h>

static int write_raw(const struct btf *btf, const char *path)
{
	__u32 size = 0;
	const void *data = btf__raw_data(btf, &size);
	FILE *out = fopen(path, "wb");

	if (!data || !out || fwrite(data, 1, size, out) != size) {
		fprintf(stderr, "split_btf: cannot write %s\n", path);
		return 1;
	}
	return fclose(out) != 0;
}

int main(int argc, char **argv)
{
	struct btf *base, *split;
	int t_int, t_uint, t_char, t_comm, t_task, t_task_ptr, t_list, t_list_ptr;
	int t_state, t_thing, t_thing_td, t_proto, t_thing_td_ptr, t_func;

	if (argc != 3) {
		fprintf(stderr, "usage: split_btf BASE_OUT SPLIT_OUT\n");
		return 2;
	}

	base = btf__new_empty();
	t_int = btf__add_int(base, "int", 4, BTF_INT_SIGNED);
	t_uint = btf__add_int(base, "unsigned int", 4, 0);
	t_char = btf__add_int(base, "char", 1, BTF_INT_SIGNED);
	t_comm = btf__add_array(base, t_uint, t_char, 16);
	t_task = btf__add_struct(base, "task_like", 24);
	btf__add_field(base, "pid", t_int, 0, 0);
	btf__add_field(base, "comm", t_comm, 32, 0);
	btf__add_field(base, "tgid", t_int, 160, 0);
	t_task_ptr = btf__add_ptr(base, t_task);
	t_list = btf__add_struct(base, "list_like", 16);
	t_list_ptr = t_list + 1; /* the PTR added next */
	btf__add_field(base, "next", t_list_ptr, 0, 0);
	btf__add_field(base, "prev", t_list_ptr, 64, 0);
	if (btf__add_ptr(base, t_list) != t_list_ptr)
		return 1;
	t_state = btf__add_enum(base, "state", 4);
	btf__add_enum_value(base, "STATE_IDLE", 0);
	btf__add_enum_value(base, "STATE_RUN", 1);

	split = btf__new_empty_split(base);
	t_thing = btf__add_struct(split, "module_thing", 40);
	btf__add_field(split, "owner", t_task_ptr, 0, 0);
	btf__add_field(split, "flags", t_uint, 64, 0);
	btf__add_field(split, "node", t_list, 128, 0);
	btf__add_field(split, "state", t_state, 256, 0);
	btf__add_ptr(split, t_thing);
	t_thing_td = btf__add_typedef(split, "thing_t", t_thing);
	t_proto = btf__add_func_proto(split, t_int);
	t_thing_td_ptr = t_proto + 1; /* the PTR added after the params */
	btf__add_func_param(split, "task", t_task_ptr);
	btf__add_func_param(split, "thing", t_thing_td_ptr);
	if (btf__add_ptr(split, t_thing_td) != t_thing_td_ptr)
		return 1;
	t_func = btf__add_func(split, "module_probe", BTF_FUNC_GLOBAL, t_proto);
	if (t_func < 0 || btf__add_var(split, "module_counter", BTF_VAR_GLOBAL_ALLOCATED, t_uint) < 0)
		return 1;

	return write_raw(base, argv[1]) || write_raw(split, argv[2]);
}
