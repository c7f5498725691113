// Generated from the running kernel's BTF (`enum bpf_prog_type` in /sys/kernel/btf/vmlinux,
// Linux 6.18) by hand-run script; the numbers are kernel ABI and never change.

/// A BPF program type: what a program may do and where it may run.
///
/// A raw value the kernel may extend: values this table does not name still
/// round-trip, and print as their number.
public struct ProgramType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public var rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// Kernel: `BPF_PROG_TYPE_UNSPEC`
  public static let unspec = ProgramType(rawValue: 0)
  /// Kernel: `BPF_PROG_TYPE_SOCKET_FILTER`
  public static let socketFilter = ProgramType(rawValue: 1)
  /// Kernel: `BPF_PROG_TYPE_KPROBE`
  public static let kprobe = ProgramType(rawValue: 2)
  /// Kernel: `BPF_PROG_TYPE_SCHED_CLS`
  public static let schedCls = ProgramType(rawValue: 3)
  /// Kernel: `BPF_PROG_TYPE_SCHED_ACT`
  public static let schedAct = ProgramType(rawValue: 4)
  /// Kernel: `BPF_PROG_TYPE_TRACEPOINT`
  public static let tracepoint = ProgramType(rawValue: 5)
  /// Kernel: `BPF_PROG_TYPE_XDP`
  public static let xdp = ProgramType(rawValue: 6)
  /// Kernel: `BPF_PROG_TYPE_PERF_EVENT`
  public static let perfEvent = ProgramType(rawValue: 7)
  /// Kernel: `BPF_PROG_TYPE_CGROUP_SKB`
  public static let cgroupSkb = ProgramType(rawValue: 8)
  /// Kernel: `BPF_PROG_TYPE_CGROUP_SOCK`
  public static let cgroupSock = ProgramType(rawValue: 9)
  /// Kernel: `BPF_PROG_TYPE_LWT_IN`
  public static let lwtIn = ProgramType(rawValue: 10)
  /// Kernel: `BPF_PROG_TYPE_LWT_OUT`
  public static let lwtOut = ProgramType(rawValue: 11)
  /// Kernel: `BPF_PROG_TYPE_LWT_XMIT`
  public static let lwtXmit = ProgramType(rawValue: 12)
  /// Kernel: `BPF_PROG_TYPE_SOCK_OPS`
  public static let sockOps = ProgramType(rawValue: 13)
  /// Kernel: `BPF_PROG_TYPE_SK_SKB`
  public static let skSkb = ProgramType(rawValue: 14)
  /// Kernel: `BPF_PROG_TYPE_CGROUP_DEVICE`
  public static let cgroupDevice = ProgramType(rawValue: 15)
  /// Kernel: `BPF_PROG_TYPE_SK_MSG`
  public static let skMsg = ProgramType(rawValue: 16)
  /// Kernel: `BPF_PROG_TYPE_RAW_TRACEPOINT`
  public static let rawTracepoint = ProgramType(rawValue: 17)
  /// Kernel: `BPF_PROG_TYPE_CGROUP_SOCK_ADDR`
  public static let cgroupSockAddr = ProgramType(rawValue: 18)
  /// Kernel: `BPF_PROG_TYPE_LWT_SEG6LOCAL`
  public static let lwtSeg6local = ProgramType(rawValue: 19)
  /// Kernel: `BPF_PROG_TYPE_LIRC_MODE2`
  public static let lircMode2 = ProgramType(rawValue: 20)
  /// Kernel: `BPF_PROG_TYPE_SK_REUSEPORT`
  public static let skReuseport = ProgramType(rawValue: 21)
  /// Kernel: `BPF_PROG_TYPE_FLOW_DISSECTOR`
  public static let flowDissector = ProgramType(rawValue: 22)
  /// Kernel: `BPF_PROG_TYPE_CGROUP_SYSCTL`
  public static let cgroupSysctl = ProgramType(rawValue: 23)
  /// Kernel: `BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE`
  public static let rawTracepointWritable = ProgramType(rawValue: 24)
  /// Kernel: `BPF_PROG_TYPE_CGROUP_SOCKOPT`
  public static let cgroupSockopt = ProgramType(rawValue: 25)
  /// Kernel: `BPF_PROG_TYPE_TRACING`
  public static let tracing = ProgramType(rawValue: 26)
  /// Kernel: `BPF_PROG_TYPE_STRUCT_OPS`
  public static let structOps = ProgramType(rawValue: 27)
  /// Kernel: `BPF_PROG_TYPE_EXT`
  public static let ext = ProgramType(rawValue: 28)
  /// Kernel: `BPF_PROG_TYPE_LSM`
  public static let lsm = ProgramType(rawValue: 29)
  /// Kernel: `BPF_PROG_TYPE_SK_LOOKUP`
  public static let skLookup = ProgramType(rawValue: 30)
  /// Kernel: `BPF_PROG_TYPE_SYSCALL`
  public static let syscall = ProgramType(rawValue: 31)
  /// Kernel: `BPF_PROG_TYPE_NETFILTER`
  public static let netfilter = ProgramType(rawValue: 32)

  /// Every value this kernel-facing table names, in kernel order.
  public static let allKnown: [ProgramType] = [
    .unspec,
    .socketFilter,
    .kprobe,
    .schedCls,
    .schedAct,
    .tracepoint,
    .xdp,
    .perfEvent,
    .cgroupSkb,
    .cgroupSock,
    .lwtIn,
    .lwtOut,
    .lwtXmit,
    .sockOps,
    .skSkb,
    .cgroupDevice,
    .skMsg,
    .rawTracepoint,
    .cgroupSockAddr,
    .lwtSeg6local,
    .lircMode2,
    .skReuseport,
    .flowDissector,
    .cgroupSysctl,
    .rawTracepointWritable,
    .cgroupSockopt,
    .tracing,
    .structOps,
    .ext,
    .lsm,
    .skLookup,
    .syscall,
    .netfilter,
  ]

  /// The kernel's name for this value (`BPF_PROG_TYPE_...`), as in `enum bpf_prog_type`.
  public var kernelName: String {
    switch rawValue {
    case 0: "BPF_PROG_TYPE_UNSPEC"
    case 1: "BPF_PROG_TYPE_SOCKET_FILTER"
    case 2: "BPF_PROG_TYPE_KPROBE"
    case 3: "BPF_PROG_TYPE_SCHED_CLS"
    case 4: "BPF_PROG_TYPE_SCHED_ACT"
    case 5: "BPF_PROG_TYPE_TRACEPOINT"
    case 6: "BPF_PROG_TYPE_XDP"
    case 7: "BPF_PROG_TYPE_PERF_EVENT"
    case 8: "BPF_PROG_TYPE_CGROUP_SKB"
    case 9: "BPF_PROG_TYPE_CGROUP_SOCK"
    case 10: "BPF_PROG_TYPE_LWT_IN"
    case 11: "BPF_PROG_TYPE_LWT_OUT"
    case 12: "BPF_PROG_TYPE_LWT_XMIT"
    case 13: "BPF_PROG_TYPE_SOCK_OPS"
    case 14: "BPF_PROG_TYPE_SK_SKB"
    case 15: "BPF_PROG_TYPE_CGROUP_DEVICE"
    case 16: "BPF_PROG_TYPE_SK_MSG"
    case 17: "BPF_PROG_TYPE_RAW_TRACEPOINT"
    case 18: "BPF_PROG_TYPE_CGROUP_SOCK_ADDR"
    case 19: "BPF_PROG_TYPE_LWT_SEG6LOCAL"
    case 20: "BPF_PROG_TYPE_LIRC_MODE2"
    case 21: "BPF_PROG_TYPE_SK_REUSEPORT"
    case 22: "BPF_PROG_TYPE_FLOW_DISSECTOR"
    case 23: "BPF_PROG_TYPE_CGROUP_SYSCTL"
    case 24: "BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE"
    case 25: "BPF_PROG_TYPE_CGROUP_SOCKOPT"
    case 26: "BPF_PROG_TYPE_TRACING"
    case 27: "BPF_PROG_TYPE_STRUCT_OPS"
    case 28: "BPF_PROG_TYPE_EXT"
    case 29: "BPF_PROG_TYPE_LSM"
    case 30: "BPF_PROG_TYPE_SK_LOOKUP"
    case 31: "BPF_PROG_TYPE_SYSCALL"
    case 32: "BPF_PROG_TYPE_NETFILTER"
    default: "BPF_PROG_TYPE_\(rawValue)"
    }
  }

  /// Looks a value up by its kernel name.
  public init?(kernelName: String) {
    guard let found = Self.allKnown.first(where: { $0.kernelName == kernelName }) else { return nil }
    self = found
  }

  /// The kernel name (`BPF_PROG_TYPE_KPROBE`).
  public var description: String { kernelName }
}
