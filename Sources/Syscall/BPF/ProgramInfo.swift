import UAPI

/// What the kernel reports about a loaded program.
///
/// Kernel: `struct bpf_prog_info`. Fields a kernel does not fill (older
/// kernels write a shorter struct) read as zero.
public struct ProgramInfo: Sendable, Hashable {
  /// The program type (`type`).
  public var type: ProgramType
  /// The kernel's id for the program, as `bpftool prog` lists it (`id`).
  public var id: UInt32
  /// The program's tag: a hash of its instructions, as `bpftool prog` shows it.
  public var tag: [UInt8]
  /// Bytes of JITed machine code; 0 when not JITed (`jited_prog_len`).
  public var jitedLength: UInt32
  /// Bytes of the instructions after verifier rewriting (8 per slot).
  public var translatedLength: UInt32
  /// Nanoseconds since boot at load time.
  public var loadTime: UInt64
  /// The uid of the loading process (`created_by_uid`).
  public var createdByUID: UInt32
  /// How many maps the program uses (`nr_map_ids`).
  public var mapCount: UInt32
  /// The name given at load, up to 15 bytes (`name`).
  public var name: String
  /// The device of an offloaded program, 0 otherwise (`ifindex`).
  public var ifindex: UInt32
  /// Whether its license lets it call GPL-only helpers (`gpl_compatible`).
  public var gplCompatible: Bool
  /// With `netnsInode`, the network namespace of an offloaded program's device
  /// (`netns_dev`).
  public var netnsDevice: UInt64
  /// The inode of that namespace (`netns_ino`).
  public var netnsInode: UInt64
  /// The id of the BTF it was loaded with; 0 for none (`btf_id`).
  public var btfID: UInt32
  /// func_info records it was loaded with (`nr_func_info`).
  public var funcInfoCount: UInt32
  /// line_info records it was loaded with (`nr_line_info`).
  public var lineInfoCount: UInt32
  /// Total run time, counted only while statistics are enabled
  /// (`kernel.bpf_stats_enabled`, `BPF_ENABLE_STATS`) (`run_time_ns`).
  public var runTimeNanoseconds: UInt64
  /// Runs counted while statistics are enabled (`run_cnt`).
  public var runCount: UInt64
  /// Runs skipped because the program was already running on the CPU
  /// (`recursion_misses`, Linux 5.12).
  public var recursionMisses: UInt64
  /// Instructions the verifier processed (`verified_insns`, Linux 5.16).
  public var verifiedInstructions: UInt32
  /// The BTF object its attach target is in, for BTF-attached programs
  /// (`attach_btf_obj_id`, Linux 5.18).
  public var attachBTFObjectID: UInt32
  /// The BTF id of its attach target (`attach_btf_id`, Linux 5.18).
  public var attachBTFID: UInt32
}
