import BTF
import UAPI

/// The first Linux release with each map type, program type and feature, for
/// errors that say "needs Linux X.Y" instead of a bare `EINVAL`.
///
/// Kernel: from the kernel's own history (the release that added each
/// `BPF_MAP_TYPE_*`, `BPF_PROG_TYPE_*`, BTF kind or attribute), as the
/// kernel's and libbpf's documentation list them.
public enum MinimumKernel {
  /// "Linux X.Y" for a map type, nil for one this table does not know.
  public static func of(_ type: MapType) -> String? {
    mapTypes[type.rawValue].map { "Linux \($0)" }
  }

  /// "Linux X.Y" for a program type, nil for one this table does not know.
  public static func of(_ type: ProgramType) -> String? {
    programTypes[type.rawValue].map { "Linux \($0)" }
  }

  /// "Linux X.Y" for a feature.
  public static func of(_ feature: KernelFeature) -> String {
    "Linux \(features[feature] ?? "?")"
  }

  /// "Linux X.Y" for a BTF kind (INT etc. arrived with BTF itself).
  public static func of(_ kind: BTF.Kind) -> String {
    switch kind {
    case .function, .functionPrototype: of(.btfFunctions)
    case .variable, .dataSection: of(.btfDataSections)
    case .float: of(.btfFloat)
    case .declarationTag: of(.btfDeclarationTags)
    case .typeTag: of(.btfTypeTags)
    case .enum64: of(.btfEnum64)
    default: of(.btf)
    }
  }

  static let features: [KernelFeature: String] = [
    .btf: "4.18",
    .btfFunctions: "5.0",
    .btfGlobalFunctions: "5.6",
    .btfDataSections: "5.2",
    .btfFloat: "5.13",
    .btfDeclarationTags: "5.16",
    .btfTypeTags: "5.17",
    .btfEnum64: "6.0",
    .globalData: "5.2",
    .mmapableArrays: "5.5",
    .frozenMaps: "5.2",
    .bpfCookie: "5.15",
    .ringBuffer: "5.8",
    .programNames: "4.15",
    .kfuncCalls: "5.13",
  ]

  /// By `BPF_MAP_TYPE_*` number.
  static let mapTypes: [UInt32: String] = [
    1: "3.19",   // HASH
    2: "3.19",   // ARRAY
    3: "4.2",    // PROG_ARRAY
    4: "4.3",    // PERF_EVENT_ARRAY
    5: "4.6",    // PERCPU_HASH
    6: "4.6",    // PERCPU_ARRAY
    7: "4.6",    // STACK_TRACE
    8: "4.8",    // CGROUP_ARRAY
    9: "4.10",   // LRU_HASH
    10: "4.10",  // LRU_PERCPU_HASH
    11: "4.11",  // LPM_TRIE
    12: "4.12",  // ARRAY_OF_MAPS
    13: "4.12",  // HASH_OF_MAPS
    14: "4.14",  // DEVMAP
    15: "4.14",  // SOCKMAP
    16: "4.15",  // CPUMAP
    17: "4.18",  // XSKMAP
    18: "4.18",  // SOCKHASH
    19: "4.19",  // CGROUP_STORAGE
    20: "4.19",  // REUSEPORT_SOCKARRAY
    21: "4.20",  // PERCPU_CGROUP_STORAGE
    22: "4.20",  // QUEUE
    23: "4.20",  // STACK
    24: "5.2",   // SK_STORAGE
    25: "5.4",   // DEVMAP_HASH
    26: "5.6",   // STRUCT_OPS
    27: "5.8",   // RINGBUF
    28: "5.10",  // INODE_STORAGE
    29: "5.11",  // TASK_STORAGE
    30: "5.16",  // BLOOM_FILTER
    31: "6.1",   // USER_RINGBUF
    32: "6.2",   // CGRP_STORAGE
    33: "6.9",   // ARENA
  ]

  /// By `BPF_PROG_TYPE_*` number.
  static let programTypes: [UInt32: String] = [
    1: "3.19",   // SOCKET_FILTER
    2: "4.1",    // KPROBE
    3: "4.1",    // SCHED_CLS
    4: "4.1",    // SCHED_ACT
    5: "4.7",    // TRACEPOINT
    6: "4.8",    // XDP
    7: "4.9",    // PERF_EVENT
    8: "4.10",   // CGROUP_SKB
    9: "4.10",   // CGROUP_SOCK
    10: "4.10",  // LWT_IN
    11: "4.10",  // LWT_OUT
    12: "4.10",  // LWT_XMIT
    13: "4.13",  // SOCK_OPS
    14: "4.14",  // SK_SKB
    15: "4.15",  // CGROUP_DEVICE
    16: "4.17",  // SK_MSG
    17: "4.17",  // RAW_TRACEPOINT
    18: "4.17",  // CGROUP_SOCK_ADDR
    19: "4.18",  // LWT_SEG6LOCAL
    20: "4.18",  // LIRC_MODE2
    21: "4.19",  // SK_REUSEPORT
    22: "4.20",  // FLOW_DISSECTOR
    23: "5.2",   // CGROUP_SYSCTL
    24: "5.2",   // RAW_TRACEPOINT_WRITABLE
    25: "5.3",   // CGROUP_SOCKOPT
    26: "5.5",   // TRACING
    27: "5.6",   // STRUCT_OPS
    28: "5.6",   // EXT
    29: "5.7",   // LSM
    30: "5.9",   // SK_LOOKUP
    31: "5.14",  // SYSCALL
    32: "6.4",   // NETFILTER
  ]
}
