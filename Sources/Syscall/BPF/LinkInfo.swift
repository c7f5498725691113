import UAPI

/// What the kernel reports about a link.
///
/// Kernel: `struct bpf_link_info`: a header and a part by link type.
public struct LinkInfo: Sendable, Hashable {
  /// The kind of link (`type`).
  public var type: LinkType
  /// The kernel's id for the link, as `bpftool link` lists it (`id`).
  public var id: UInt32
  /// The id of the program it runs (`prog_id`).
  public var programID: UInt32
  /// The part specific to the link's type.
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
    /// A raw tracepoint: its name and cookie (0 where the kernel reports none).
    case rawTracepoint(name: String, cookie: UInt64)
    /// fentry, fexit, fmod_ret, lsm, freplace: the attach type, the BTF object
    /// and the BTF id of the target function.
    case tracing(attachType: AttachType, targetObjectID: UInt32, targetBTFID: UInt32,
                 cookie: UInt64)
    /// A cgroup hook: the cgroup's id (its directory's inode) and attach type.
    case cgroup(cgroupID: UInt64, attachType: AttachType)
    /// An iterator: its target (`task`, `bpf_map_elem`) and, for map
    /// iterators, the map.
    case iterator(targetName: String, mapID: UInt32)
    /// A network namespace hook (sk_lookup, flow dissector): the namespace's
    /// inode.
    case netns(inode: UInt32, attachType: AttachType)
    /// XDP on an interface.
    case xdp(ifindex: UInt32)
    /// A struct_ops map registered through a link.
    case structOps(mapID: UInt32)
    /// A netfilter hook: `NFPROTO_*`, `NF_INET_*` hook, priority, flags.
    case netfilter(protocolFamily: UInt32, hook: UInt32, priority: Int32, flags: UInt32)
    /// kprobe.multi: how many functions, its flags (`BPF_F_KPROBE_MULTI_RETURN`),
    /// and runs missed through recursion.
    case kprobeMulti(count: UInt32, flags: UInt32, missed: UInt64)
    /// uprobe.multi: how many offsets, its flags, and the pid filter (0: all).
    case uprobeMulti(count: UInt32, flags: UInt32, pid: UInt32)
    /// `BPF_PERF_EVENT_*` type (`PerfEventLinkType`'s raw value); for
    /// tracepoints, kprobes and uprobes the name when known.
    case perfEvent(type: UInt32, name: String, cookie: UInt64)
    /// tcx ingress or egress of an interface (Linux 6.6).
    case tcx(ifindex: UInt32, attachType: AttachType)
    /// A netkit device's primary or peer hook (Linux 6.7).
    case netkit(ifindex: UInt32, attachType: AttachType)
    /// An sk_msg or sk_skb program on a sockmap (Linux 6.10).
    case sockmap(mapID: UInt32, attachType: AttachType)
    /// A link type whose details SwiftBPF does not decode.
    case other
  }
}
