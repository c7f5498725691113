/// What a perf event link is attached to, as link info reports it: the part
/// of `struct bpf_link_info`'s perf event union that holds its details.
///
/// A raw value the kernel may extend: values this table does not name still
/// round-trip.
///
/// Kernel: `enum bpf_perf_event_type` (include/uapi/linux/bpf.h, Linux 6.6).
public struct PerfEventLinkType: RawRepresentable, Hashable, Sendable {
  public var rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// Kernel: `BPF_PERF_EVENT_UNSPEC`
  public static let unspec = PerfEventLinkType(rawValue: 0)
  /// Kernel: `BPF_PERF_EVENT_UPROBE`
  public static let uprobe = PerfEventLinkType(rawValue: 1)
  /// Kernel: `BPF_PERF_EVENT_URETPROBE`
  public static let uretprobe = PerfEventLinkType(rawValue: 2)
  /// Kernel: `BPF_PERF_EVENT_KPROBE`
  public static let kprobe = PerfEventLinkType(rawValue: 3)
  /// Kernel: `BPF_PERF_EVENT_KRETPROBE`
  public static let kretprobe = PerfEventLinkType(rawValue: 4)
  /// Kernel: `BPF_PERF_EVENT_TRACEPOINT`
  public static let tracepoint = PerfEventLinkType(rawValue: 5)
  /// Kernel: `BPF_PERF_EVENT_EVENT` (a hardware or software perf event).
  public static let event = PerfEventLinkType(rawValue: 6)
}
