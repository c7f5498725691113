/*
 * btf_kinds.bpf.c: one or more BTF types of every kind clang emits, for the
 * BTF parser. Compare with `bpftool btf dump file obj/btf_kinds.bpf.o`
 * (and `format c`).
 *
 * EXPECT BTF kinds present: INT (signed, unsigned, char, bool, __int128),
 * PTR, ARRAY (1-D, 2-D, flexible [0]), STRUCT (with bitfields: kind_flag
 * set, member offsets with bitfield size), UNION, ENUM (signed and unsigned,
 * 1-, 2- and 4-byte), ENUM64 (a value above 32 bits), FWD (struct and
 * union), TYPEDEF (chain of two), VOLATILE, CONST, RESTRICT, FUNC and
 * FUNC_PROTO (global and static functions, variadic-free), VAR (global and
 * static), DATASEC (.data, .bss, .rodata), FLOAT (float, double, long
 * double is not emitted for BPF), DECL_TAG (on a struct, a member, a
 * variable, a function and a parameter), TYPE_TAG (on a pointer).
 *
 * EXPECT DATASEC as clang leaves it in the object: size 0 for every data
 * section, and offset 0 for every global (non-static) variable; only the
 * static k_static carries its real offset (112 in .data). A loader takes
 * section sizes from the ELF section headers and variable offsets from the
 * symbol table (llvm-objdump --syms) before using or sending this BTF.
 *
 * EXPECT variables (all in .data or .bss, all "used" by kinds_probe so clang
 * keeps them):
 *   k_bits      struct with_bits: a:3, b:5, c:24 bitfields, then int d
 *   k_union     union either { u32 word; u8 bytes[4]; }
 *   k_small     enum small_enum (size 1, values -1, 0, 1)
 *   k_big       enum big_enum (ENUM64, size 8, BIG_ONE = 0x100000000)
 *   k_matrix    int[3][4]
 *   k_float     float 1.5, k_double double -2.25
 *   k_tagged    struct tagged, decl tags "swiftbpf:struct" (on the struct)
 *               and "swiftbpf:member" (member index 0)
 *   k_user_ptr  int __attribute__((btf_type_tag("user"))) *
 *   k_opaque    pointers to FWD struct opaque and FWD union opaque_union
 *   k_flex      struct with_flex { u32 count; u64 items[]; } (pointer)
 *   k_cv        const volatile int, k_restrict int *restrict
 *   k_td        typedef chain: outer_t -> inner_t -> unsigned long
 *   k_wide      unsigned __int128
 *
 * EXPECT programs:
 *   kinds_probe  syscall  SYSCALL  returns 0 (touches every variable)
 * EXPECT functions: kinds_probe (global, syscall section) and the global
 *   .text subprogram tagged_helper, with decl tags "swiftbpf:func" on the
 *   function (component_idx -1) and "swiftbpf:param" on parameter 0
 *   (component_idx 0). Variable k_tagged has decl tag "swiftbpf:var".
 */
#include "fixture.h"

char LICENSE[] SEC("license") = "GPL";

#define DECL_TAG(x) __attribute__((btf_decl_tag(x)))
#define TYPE_TAG(x) __attribute__((btf_type_tag(x)))

struct with_bits {
	unsigned int a : 3;
	unsigned int b : 5;
	int c : 24;
	int d;
};

union either {
	__u32 word;
	__u8 bytes[4];
};

enum small_enum : signed char { SMALL_NEG = -1, SMALL_ZERO = 0, SMALL_ONE = 1 };
enum medium_enum : unsigned short { MEDIUM_MAX = 0xffff };
enum big_enum { BIG_ZERO = 0, BIG_ONE = 0x100000000ULL };

struct tagged {
	int value DECL_TAG("swiftbpf:member");
	long other;
} DECL_TAG("swiftbpf:struct");

struct opaque;
union opaque_union;

struct with_flex {
	__u32 count;
	__u64 items[];
};

typedef unsigned long inner_t;
typedef inner_t outer_t;

struct with_bits k_bits = { .a = 5, .b = 17, .c = -3, .d = 9 };
union either k_union = { .word = 0x01020304 };
enum small_enum k_small = SMALL_NEG;
enum medium_enum k_medium = MEDIUM_MAX;
enum big_enum k_big = BIG_ONE;
int k_matrix[3][4] = { { 1, 2, 3, 4 }, { 5, 6, 7, 8 }, { 9, 10, 11, 12 } };
float k_float = 1.5f;
double k_double = -2.25;
struct tagged k_tagged DECL_TAG("swiftbpf:var") = { .value = 1, .other = 2 };
int TYPE_TAG("user") *k_user_ptr;
struct opaque *k_opaque;
union opaque_union *k_opaque_union;
struct with_flex *k_flex;
const volatile int k_cv = 11;
int *__restrict k_restrict;
outer_t k_td = 77;
unsigned __int128 k_wide;
static volatile int k_static = 5;

DECL_TAG("swiftbpf:func") __noinline int
tagged_helper(int input DECL_TAG("swiftbpf:param"))
{
	return input + 1;
}

SEC("syscall")
int kinds_probe(void *ctx)
{
	long sum = 0;

	sum += k_bits.a + k_bits.b + k_bits.c + k_bits.d;
	sum += k_union.bytes[0];
	sum += k_small + k_medium + (long)k_big;
	sum += k_matrix[2][3];
	sum += *(volatile __u32 *)&k_float + *(volatile __u64 *)&k_double; /* no FP ops in BPF */
	sum += k_tagged.value;
	sum += (long)k_user_ptr + (long)k_opaque + (long)k_opaque_union;
	sum += (long)k_flex + k_cv + (long)k_restrict + k_td;
	sum += (long)k_wide + k_static;
	sum += tagged_helper(1);
	return sum == 0 ? 1 : 0;
}
