import UAPI

/// Input of `BPF_LINK_CREATE`: what to attach, where, and the target-specific part.
///
/// Kernel: `BPF_LINK_CREATE` (Linux 5.7); each `Details` case is one member of
/// the kernel's per-target union, with the kernel version that added it.
public struct LinkCreateAttributes: Sendable, Hashable {
  /// The program (or, for struct_ops links, the map).
  public var program: BorrowedFD
  /// A descriptor (cgroup, netns, perf event, BPF program for freplace) or an ifindex.
  public var target: BPF.AttachTarget
  /// The hook (`BPF_TRACE_FENTRY`, `BPF_XDP`, `BPF_CGROUP_INET_INGRESS`...).
  public var attachType: AttachType
  /// `link_create.flags` (`BPF_F_BEFORE`... for mprog targets, XDP mode flags).
  public var flags: UInt32
  /// The part of the union this target uses.
  public var details: Details

  /// A link of `program` to `target`, with no flags and no target-specific part
  /// unless given.
  public init(program: BorrowedFD, target: BPF.AttachTarget, attachType: AttachType,
              flags: UInt32 = 0, details: Details = .none) {
    self.program = program
    self.target = target
    self.attachType = attachType
    self.flags = flags
    self.details = details
  }

  /// The target-specific part of the attribute.
  public enum Details: Sendable, Hashable {
    /// No target-specific part (cgroup, netns, XDP, struct_ops...).
    case none
    /// freplace / tracing on a BPF program: the target's BTF ID.
    case targetBTFID(UInt32)
    /// Iterators: the `union bpf_iter_link_info` bytes (map fd, cgroup, task).
    case iterator(info: [UInt8])
    /// perf_event programs and kprobe/uprobe/tracepoint perf links (5.15).
    case perfEvent(cookie: UInt64)
    /// kprobe.multi (5.18): by symbol names or by addresses, with cookies.
    case kprobeMulti(flags: UInt32, symbols: [String], addresses: [UInt64], cookies: [UInt64])
    /// fentry/fexit/LSM with a cookie (6.0 for cookie).
    case tracing(targetBTFID: UInt32, cookie: UInt64)
    /// netfilter hooks (6.4).
    case netfilter(protocolFamily: UInt32, hook: UInt32, priority: Int32, flags: UInt32)
    /// tcx ingress/egress (6.6).
    case tcx(relative: BPF.Relative, expectedRevision: UInt64)
    /// uprobe.multi (6.6): one binary, many offsets.
    case uprobeMulti(path: String, offsets: [UInt64], referenceCounterOffsets: [UInt64],
                     cookies: [UInt64], flags: UInt32, pid: UInt32)
    /// netkit primary/peer (6.7).
    case netkit(relative: BPF.Relative, expectedRevision: UInt64)
    /// cgroup mprog links (6.15).
    case cgroup(relative: BPF.Relative, expectedRevision: UInt64)
  }
}
