/*
 * probe.bpf.c: one CO-RE question per program, for the relocation engine's
 * tests. Built little- and big-endian by Fixtures/core/build.sh; never
 * loaded. Every program sits in section "tracepoint/core" (several functions
 * in one section) and, except the bf_* ones, holds exactly one CO-RE
 * relocation, so a test finds the decision by program name. The expected
 * value for each program name and target is in expected/<target>.txt,
 * printed by a host C program compiled against the target's definitions.
 *
 * EXPECT programs (name: relocation kind, question):
 *   off_a       byte_off     offset of sample.a (ALU immediate)
 *   ld_a        byte_off     load of sample.a (LDX offset)
 *   ld_us       byte_off     load of unsigned short sample.us (LDX; the
 *                            load size follows the target: key ld_us.size)
 *   ld_b        byte_off     load of signed short sample.b (poisoned where
 *                            the target resized it)
 *   sz_b        byte_sz      size of sample.b
 *   signed_b    signed       signedness of sample.b
 *   signed_us   signed       signedness of sample.us
 *   off_in_y    byte_off     sample.in.y (nested struct)
 *   off_arr     byte_off     sample.arr[2].y (array of structs)
 *   off_u_l     byte_off     sample.u_l (anonymous union)
 *   off_anon_y  byte_off     sample.anon_y (anonymous struct)
 *   off_cv      byte_off     sample.cv (const volatile typedef chain)
 *   sz_cv       byte_sz      size of sample.cv
 *   sz_name     byte_sz      size of sample.name
 *   off_tail    byte_off     sample.tail[3] (flexible array)
 *   off_second  byte_off     (&s[1])->a: the root pointer as an array
 *   ex_a        field_exists sample.a
 *   ex_legacy   field_exists sample___old.legacy
 *   ty_sample   type_size    size of struct sample
 *   tx_gone     type_exists  struct gone
 *   tx_my_u32   type_exists  typedef my_u32
 *   tm_inner    type_matches struct inner
 *   tm_wrong    type_matches struct inner___wrong
 *   tid_sample  target_type_id  id of struct sample in the target
 *   lid_sample  local_type_id   id of struct sample in this object
 *   ev_green    enumval_value   enum color::GREEN
 *   ex_purple   enumval_exists  enum color___v2::PURPLE
 *   ev_big_b    enumval_value   enum big64::BIG_B (ENUM64)
 *   amb_v       byte_off     ambig.v (ambiguous in target_ambig)
 *   agree_w     byte_off     agree.w (two agreeing candidates)
 *   bf_flags, bf_level, bf_wide  BPF_CORE_READ_BITFIELD_PROBED of the
 *               three bitfields: byte_off, byte_sz, lshift_u64, signed,
 *               rshift_u64; the test extracts the field from a sample of
 *               the target struct (samples/) and expects the value the
 *               sample was initialised with (expected/: bf_* keys).
 *   sub_caller  calls the static subprogram read_y (.text), which holds
 *               a byte_off relocation of inner.y (key sub_y).
 */
#include "fixture.h"
#include <bpf/bpf_core_read.h>
#include "types_local.h"

char LICENSE[] SEC("license") = "GPL";

#define PROBE(name) SEC("tracepoint/core") long name(struct sample *s)

PROBE(off_a) { return bpf_core_field_offset(s->a); }
PROBE(ld_a) { return s->a; }
PROBE(ld_us) { return s->us; }
PROBE(ld_b) { return s->b; }
PROBE(sz_b) { return bpf_core_field_size(s->b); }
PROBE(signed_b) { return __builtin_preserve_field_info(s->b, BPF_FIELD_SIGNED); }
PROBE(signed_us) { return __builtin_preserve_field_info(s->us, BPF_FIELD_SIGNED); }
PROBE(off_in_y) { return bpf_core_field_offset(s->in.y); }
PROBE(off_arr) { return bpf_core_field_offset(s->arr[2].y); }
PROBE(off_u_l) { return bpf_core_field_offset(s->u_l); }
PROBE(off_anon_y) { return bpf_core_field_offset(s->anon_y); }
PROBE(off_cv) { return bpf_core_field_offset(s->cv); }
PROBE(sz_cv) { return bpf_core_field_size(s->cv); }
PROBE(sz_name) { return bpf_core_field_size(s->name); }
PROBE(off_tail) { return bpf_core_field_offset(s->tail[3]); }
PROBE(off_second)
{
	int v = 0;

	bpf_core_read(&v, sizeof(v), &s[1].a);
	return v;
}
PROBE(ex_a) { return bpf_core_field_exists(s->a); }
PROBE(ex_legacy) { return bpf_core_field_exists(((struct sample___old *)s)->legacy); }
PROBE(ty_sample) { return bpf_core_type_size(struct sample); }
PROBE(tx_gone) { return bpf_core_type_exists(struct gone); }
PROBE(tx_my_u32) { return bpf_core_type_exists(my_u32); }
PROBE(tm_inner) { return bpf_core_type_matches(struct inner); }
PROBE(tm_wrong) { return bpf_core_type_matches(struct inner___wrong); }
PROBE(tid_sample) { return bpf_core_type_id_kernel(struct sample); }
PROBE(lid_sample) { return bpf_core_type_id_local(struct sample); }
PROBE(ev_green) { return bpf_core_enum_value(enum color, GREEN); }
PROBE(ex_purple) { return bpf_core_enum_value_exists(enum color___v2, PURPLE); }
PROBE(ev_big_b) { return bpf_core_enum_value(enum big64, BIG_B); }
PROBE(amb_v) { return bpf_core_field_offset(((struct ambig *)s)->v); }
PROBE(agree_w) { return bpf_core_field_offset(((struct agree *)s)->w); }
PROBE(bf_flags) { return BPF_CORE_READ_BITFIELD_PROBED(s, flags); }
PROBE(bf_level) { return BPF_CORE_READ_BITFIELD_PROBED(s, level); }
PROBE(bf_wide) { return BPF_CORE_READ_BITFIELD_PROBED(s, wide); }

static __noinline long read_y(struct inner *in)
{
	return bpf_core_field_offset(in->y);
}

PROBE(sub_caller) { return read_y(&s->in); }
