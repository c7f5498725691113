// Generated from the running kernel's BTF (`enum bpf_link_type` in /sys/kernel/btf/vmlinux,
// Linux 6.18) by hand-run script; the numbers are kernel ABI and never change.

/// A BPF link type, as reported by link info.
///
/// A raw value the kernel may extend: values this table does not name still
/// round-trip, and print as their number.
public struct LinkType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public var rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// Kernel: `BPF_LINK_TYPE_UNSPEC`
  public static let unspec = LinkType(rawValue: 0)
  /// Kernel: `BPF_LINK_TYPE_RAW_TRACEPOINT`
  public static let rawTracepoint = LinkType(rawValue: 1)
  /// Kernel: `BPF_LINK_TYPE_TRACING`
  public static let tracing = LinkType(rawValue: 2)
  /// Kernel: `BPF_LINK_TYPE_CGROUP`
  public static let cgroup = LinkType(rawValue: 3)
  /// Kernel: `BPF_LINK_TYPE_ITER`
  public static let iter = LinkType(rawValue: 4)
  /// Kernel: `BPF_LINK_TYPE_NETNS`
  public static let netns = LinkType(rawValue: 5)
  /// Kernel: `BPF_LINK_TYPE_XDP`
  public static let xdp = LinkType(rawValue: 6)
  /// Kernel: `BPF_LINK_TYPE_PERF_EVENT`
  public static let perfEvent = LinkType(rawValue: 7)
  /// Kernel: `BPF_LINK_TYPE_KPROBE_MULTI`
  public static let kprobeMulti = LinkType(rawValue: 8)
  /// Kernel: `BPF_LINK_TYPE_STRUCT_OPS`
  public static let structOps = LinkType(rawValue: 9)
  /// Kernel: `BPF_LINK_TYPE_NETFILTER`
  public static let netfilter = LinkType(rawValue: 10)
  /// Kernel: `BPF_LINK_TYPE_TCX`
  public static let tcx = LinkType(rawValue: 11)
  /// Kernel: `BPF_LINK_TYPE_UPROBE_MULTI`
  public static let uprobeMulti = LinkType(rawValue: 12)
  /// Kernel: `BPF_LINK_TYPE_NETKIT`
  public static let netkit = LinkType(rawValue: 13)
  /// Kernel: `BPF_LINK_TYPE_SOCKMAP`
  public static let sockmap = LinkType(rawValue: 14)

  /// Every value this kernel-facing table names, in kernel order.
  public static let allKnown: [LinkType] = [
    .unspec,
    .rawTracepoint,
    .tracing,
    .cgroup,
    .iter,
    .netns,
    .xdp,
    .perfEvent,
    .kprobeMulti,
    .structOps,
    .netfilter,
    .tcx,
    .uprobeMulti,
    .netkit,
    .sockmap,
  ]

  /// The kernel's name for this value (`BPF_LINK_TYPE_...`), as in `enum bpf_link_type`.
  public var kernelName: String {
    switch self {
    case .unspec: "BPF_LINK_TYPE_UNSPEC"
    case .rawTracepoint: "BPF_LINK_TYPE_RAW_TRACEPOINT"
    case .tracing: "BPF_LINK_TYPE_TRACING"
    case .cgroup: "BPF_LINK_TYPE_CGROUP"
    case .iter: "BPF_LINK_TYPE_ITER"
    case .netns: "BPF_LINK_TYPE_NETNS"
    case .xdp: "BPF_LINK_TYPE_XDP"
    case .perfEvent: "BPF_LINK_TYPE_PERF_EVENT"
    case .kprobeMulti: "BPF_LINK_TYPE_KPROBE_MULTI"
    case .structOps: "BPF_LINK_TYPE_STRUCT_OPS"
    case .netfilter: "BPF_LINK_TYPE_NETFILTER"
    case .tcx: "BPF_LINK_TYPE_TCX"
    case .uprobeMulti: "BPF_LINK_TYPE_UPROBE_MULTI"
    case .netkit: "BPF_LINK_TYPE_NETKIT"
    case .sockmap: "BPF_LINK_TYPE_SOCKMAP"
    default: "BPF_LINK_TYPE_\(rawValue)"
    }
  }

  /// Looks a value up by its kernel name.
  public init?(kernelName: String) {
    guard let found = Self.allKnown.first(where: { $0.kernelName == kernelName }) else { return nil }
    self = found
  }

  /// The kernel name (`BPF_LINK_TYPE_TRACING`).
  public var description: String { kernelName }
}
