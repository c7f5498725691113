import UAPI

/// What the kernel reports about a link.
///
/// Kernel: `struct bpf_link_info`: a header and a part by link type.
public struct LinkInfo: Sendable, Hashable {
  public var type: LinkType
  public var id: UInt32
  public var programID: UInt32
  public var details: Details

  /// A description made outside the kernel (by the project's fakes).
  package init(type: LinkType, id: UInt32, programID: UInt32, details: Details) {
    self.type = type
    self.id = id
    self.programID = programID
    self.details = details
  }

  /// The link-type-specific part (only the kinds SwiftBPF uses are decoded).
  public enum Details: Sendable, Hashable {
    case rawTracepoint(name: String, cookie: UInt64)
    case tracing(attachType: AttachType, targetObjectID: UInt32, targetBTFID: UInt32,
                 cookie: UInt64)
    case cgroup(cgroupID: UInt64, attachType: AttachType)
    case iterator(targetName: String, mapID: UInt32)
    case netns(inode: UInt32, attachType: AttachType)
    case xdp(ifindex: UInt32)
    case structOps(mapID: UInt32)
    case netfilter(protocolFamily: UInt32, hook: UInt32, priority: Int32, flags: UInt32)
    case kprobeMulti(count: UInt32, flags: UInt32, missed: UInt64)
    case uprobeMulti(count: UInt32, flags: UInt32, pid: UInt32)
    /// `BPF_PERF_EVENT_*` type (`PerfEventLinkType`'s raw value); for
    /// tracepoints, kprobes and uprobes the name when known.
    case perfEvent(type: UInt32, name: String, cookie: UInt64)
    case tcx(ifindex: UInt32, attachType: AttachType)
    case netkit(ifindex: UInt32, attachType: AttachType)
    case sockmap(mapID: UInt32, attachType: AttachType)
    case other
  }
}
