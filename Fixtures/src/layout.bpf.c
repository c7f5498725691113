/*
 * layout.bpf.c: the layout corpus of `swiftbpf gen types` (types in
 * Fixtures/include/layout_types.h: padding and tail padding, bitfields
 * (1-bit, signed, enum, _Bool, spanning storage units, in a packed struct),
 * a packed struct, a union, nested and anonymous structs and unions,
 * multi-dimensional, char, flexible and zero-length arrays, enums of 1, 2,
 * 4 and 8 bytes signed and unsigned, pointers, a typedef chain, __int128,
 * keyword-named members, a struct named `string`, a typedef-named anonymous
 * struct). Every type is used by a map or a global, so `gen types` writes it.
 *
 * EXPECT maps:
 *   flows   HASH     key struct flow_key (12), value struct scalars (96)
 *   pairs   ARRAY    key __u32, value pair_t (8), 1 entry
 *   events  RINGBUF  record struct flex_event (8)
 *   .bss    g_padded, g_bits, g_value, g_outer, g_packed, g_packed_bits,
 *           g_arrays, g_enums, g_keywords, g_flex_wide, g_count (written by
 *           write_known), g_in_bits, g_in_value, g_in_outer, g_in_packed,
 *           g_in_packed_bits (written by the test, checked by check_written)
 *   .data   g_init_bits, g_init_packed_bits, g_init_value: initialised with
 *           the LAYOUT_* values, so the object's bytes hold clang's encoding
 *   .rodata g_limits (struct padded)
 *
 * Built with -DLAYOUT_EXTRA_TYPE (by a test, not build.sh), it also has a
 * map `extra` of struct extra_unrelated, ahead of the others, so the ids of
 * the other types move.
 *
 * EXPECT programs (both syscall, run with BPF_PROG_TEST_RUN, return 0 or
 * the __LINE__ of the failed check):
 *   write_known    writes the LAYOUT_* values into g_bits, g_packed_bits,
 *                  g_packed, g_value (.wide), g_outer (as_float, k, v)
 *   check_written  checks the LAYOUT_* values in g_in_bits,
 *                  g_in_packed_bits, g_in_packed, g_in_value (.halves lo/hi),
 *                  g_in_outer (as_float by its bits, k, v), written from Swift
 */
#include "fixture.h"
#include "layout_types.h"

char LICENSE[] SEC("license") = "GPL";

#ifdef LAYOUT_EXTRA_TYPE
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct extra_unrelated);
} extra SEC(".maps");
#endif

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, struct flow_key);
	__type(value, struct scalars);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, pair_t);
} pairs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
	__type(value, struct flex_event);
} events SEC(".maps");

struct padded g_padded;
struct bits g_bits;
union value g_value;
struct outer g_outer;
struct packed_rec g_packed;
struct packed_bits g_packed_bits;
struct arrays g_arrays;
struct enums g_enums;
struct keywords g_keywords;
struct flex_wide g_flex_wide;
final_count_t g_count;

struct bits g_in_bits;
union value g_in_value;
struct outer g_in_outer;
struct packed_rec g_in_packed;
struct packed_bits g_in_packed_bits;

struct bits g_init_bits = {
	.flag = LAYOUT_FLAG, .small = LAYOUT_SMALL, .mid = LAYOUT_MID, .color = LAYOUT_COLOR,
	.ok = LAYOUT_OK, .tag = LAYOUT_TAG, .low = LAYOUT_LOW, .across = LAYOUT_ACROSS,
	.negative = LAYOUT_NEGATIVE,
};
struct packed_bits g_init_packed_bits = {
	.head = LAYOUT_HEAD, .straddle = LAYOUT_STRADDLE, .rest = LAYOUT_REST, .tail = LAYOUT_TAIL,
};
union value g_init_value = { .wide = LAYOUT_WIDE };

const volatile struct padded g_limits = { .a = 1, .b = 2, .c = 3, .d = 4, .e = 5 };

SEC("syscall")
int write_known(void *ctx)
{
	g_bits.flag = LAYOUT_FLAG;
	g_bits.small = LAYOUT_SMALL;
	g_bits.mid = LAYOUT_MID;
	g_bits.color = LAYOUT_COLOR;
	g_bits.ok = LAYOUT_OK;
	g_bits.tag = LAYOUT_TAG;
	g_bits.low = LAYOUT_LOW;
	g_bits.across = LAYOUT_ACROSS;
	g_bits.negative = LAYOUT_NEGATIVE;

	g_packed_bits.head = LAYOUT_HEAD;
	g_packed_bits.straddle = LAYOUT_STRADDLE;
	g_packed_bits.rest = LAYOUT_REST;
	g_packed_bits.tail = LAYOUT_TAIL;

	g_packed.kind = LAYOUT_KIND;
	g_packed.value = LAYOUT_VALUE;
	g_packed.port = LAYOUT_PORT;
	g_packed.stamp = LAYOUT_STAMP;

	g_value.wide = LAYOUT_WIDE;

	g_outer.as_float = LAYOUT_FLOAT;
	g_outer.k = LAYOUT_K;
	g_outer.v = LAYOUT_V;
	return 0;
}

SEC("syscall")
int check_written(void *ctx)
{
	CHECK(g_in_bits.flag == LAYOUT_FLAG);
	CHECK(g_in_bits.small == LAYOUT_SMALL);
	CHECK(g_in_bits.mid == LAYOUT_MID);
	CHECK(g_in_bits.color == LAYOUT_COLOR);
	CHECK(g_in_bits.ok == LAYOUT_OK);
	CHECK(g_in_bits.tag == LAYOUT_TAG);
	CHECK(g_in_bits.low == LAYOUT_LOW);
	CHECK(g_in_bits.across == LAYOUT_ACROSS);
	CHECK(g_in_bits.negative == LAYOUT_NEGATIVE);

	CHECK(g_in_packed_bits.head == LAYOUT_HEAD);
	CHECK(g_in_packed_bits.straddle == LAYOUT_STRADDLE);
	CHECK(g_in_packed_bits.rest == LAYOUT_REST);
	CHECK(g_in_packed_bits.tail == LAYOUT_TAIL);

	CHECK(g_in_packed.kind == LAYOUT_KIND);
	CHECK(g_in_packed.value == LAYOUT_VALUE);
	CHECK(g_in_packed.port == LAYOUT_PORT);
	CHECK(g_in_packed.stamp == LAYOUT_STAMP);

	CHECK(g_in_value.halves.lo == LAYOUT_LO);
	CHECK(g_in_value.halves.hi == LAYOUT_HI);
	CHECK(g_in_value.word == ((unsigned int)LAYOUT_HI << 16 | LAYOUT_LO));

	CHECK(g_in_outer.as_u32 == LAYOUT_FLOAT_BITS);
	CHECK(g_in_outer.k == LAYOUT_K);
	CHECK(g_in_outer.v == LAYOUT_V);
	return 0;
}
