/// Verifier logs written by the real kernel, kept as text so that parsing
/// can be tested without root.
///
/// Captured on the project machine (Linux 6.18, x86_64) on 2026-11-25 by
/// loading `Fixtures/obj/err_verifier.bpf.o`'s programs through
/// `ErrVerifierFixture.load` (log level 1) and a socket filter calling the
/// CO-RE poison helper `0xbad2310`; `VerifierKernelTests` checks the same
/// facts against fresh logs from the running kernel. Map addresses are
/// kernel pointers and differ on every load.
enum VerifierSampleLogs {
  /// `null_deref` with BTF, func_info and line_info.
  static let nullDerefWithLineInfo = """
    arg#0 reference type('UNKNOWN ') size cannot be determined: -22
    0: R1=ctx() R10=fp0
    ; int null_deref(void *ctx) @ err_verifier.bpf.c:33
    0: (b4) w1 = 0                        ; R1=0
    ; __u32 key = 0; @ err_verifier.bpf.c:35
    1: (63) *(u32 *)(r10 -4) = r1         ; R1=0 R10=fp0 fp-8=0000????
    2: (bf) r2 = r10                      ; R2=fp0 R10=fp0
    3: (07) r2 += -4                      ; R2=fp-4
    ; __u64 *value = bpf_map_lookup_elem(&values, &key); @ err_verifier.bpf.c:36
    4: (18) r1 = 0xffff8881043c7400       ; R1=map_ptr(ks=4,vs=8)
    6: (85) call bpf_map_lookup_elem#1    ; R0=map_value_or_null(id=1,ks=4,vs=8)
    ; return *value; @ err_verifier.bpf.c:39
    7: (79) r0 = *(u64 *)(r0 +0)
    R0 invalid mem access 'map_value_or_null'
    processed 7 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0

    """

  /// `null_deref` without BTF: no source comments in the log.
  static let nullDerefWithoutLineInfo = """
    0: R1=ctx() R10=fp0
    0: (b4) w1 = 0                        ; R1=0
    1: (63) *(u32 *)(r10 -4) = r1         ; R1=0 R10=fp0 fp-8=0000????
    2: (bf) r2 = r10                      ; R2=fp0 R10=fp0
    3: (07) r2 += -4                      ; R2=fp-4
    4: (18) r1 = 0xffff888102b6f000       ; R1=map_ptr(ks=4,vs=8)
    6: (85) call bpf_map_lookup_elem#1    ; R0=map_value_or_null(id=1,ks=4,vs=8)
    7: (79) r0 = *(u64 *)(r0 +0)
    R0 invalid mem access 'map_value_or_null'
    processed 7 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0

    """

  /// `packet_oob` with line_info.
  static let packetOutOfBounds = """
    0: R1=ctx() R10=fp0
    ; __u8 *data = (void *)(long)ctx->data; @ err_verifier.bpf.c:45
    0: (61) r1 = *(u32 *)(r1 +0)          ; R1=pkt(r=0)
    ; return *data == 0 ? XDP_DROP : XDP_PASS; @ err_verifier.bpf.c:48
    1: (71) r1 = *(u8 *)(r1 +0)
    invalid access to packet, off=0 size=1, R1(id=0,off=0,r=0)
    R1 offset is outside of the packet
    processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0

    """

  /// `r1 = 0; call 0xbad2310; exit` as a socket filter.
  static let poisonedCall = """
    0: R1=ctx() R10=fp0
    0: (b7) r1 = 0                        ; R1=0
    1: (85) call unknown#195896080
    invalid func unknown#195896080
    processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0

    """

  /// `r0 = 0; exit` loaded with log level 4 (statistics only).
  static let statisticsOnly = """
    verification time 16 usec
    stack depth 0
    processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0

    """

  /// `packet_oob` into a 64-byte buffer: the kernel keeps the tail and
  /// fails with ENOSPC.
  static let packetOutOfBoundsCut = """
    max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0

    """
}
