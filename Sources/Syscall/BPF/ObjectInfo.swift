import UAPI

/// What the kernel reports about a loaded program.
///
/// Kernel: `struct bpf_prog_info`. Fields a kernel does not fill (older
/// kernels write a shorter struct) read as zero.
public struct ProgramInfo: Sendable, Hashable {
  public var type: ProgramType
  public var id: UInt32
  /// The program's tag: a hash of its instructions, as `bpftool prog` shows it.
  public var tag: [UInt8]
  public var jitedLength: UInt32
  /// Bytes of the instructions after verifier rewriting (8 per slot).
  public var translatedLength: UInt32
  /// Nanoseconds since boot at load time.
  public var loadTime: UInt64
  public var createdByUID: UInt32
  public var mapCount: UInt32
  public var name: String
  public var ifindex: UInt32
  public var gplCompatible: Bool
  public var netnsDevice: UInt64
  public var netnsInode: UInt64
  public var btfID: UInt32
  public var funcInfoCount: UInt32
  public var lineInfoCount: UInt32
  public var runTimeNanoseconds: UInt64
  public var runCount: UInt64
  public var recursionMisses: UInt64
  public var verifiedInstructions: UInt32
  public var attachBTFObjectID: UInt32
  public var attachBTFID: UInt32
}

/// What the kernel reports about a map.
///
/// Kernel: `struct bpf_map_info`.
public struct MapInfo: Sendable, Hashable {
  public var type: MapType
  public var id: UInt32
  public var keySize: UInt32
  public var valueSize: UInt32
  public var maxEntries: UInt32
  public var flags: MapFlags
  public var name: String
  public var ifindex: UInt32
  public var btfVmlinuxValueTypeID: UInt32
  public var netnsDevice: UInt64
  public var netnsInode: UInt64
  public var btfID: UInt32
  public var btfKeyTypeID: UInt32
  public var btfValueTypeID: UInt32
  public var btfVmlinuxID: UInt32
  public var mapExtra: UInt64
}

/// What the kernel reports about a BTF object.
///
/// Kernel: `struct bpf_btf_info`.
public struct BTFInfo: Sendable, Hashable {
  public var id: UInt32
  /// Size of the raw BTF in bytes.
  public var size: UInt32
  /// `vmlinux`, a module name, or empty for user-loaded BTF.
  public var name: String
  /// True for the kernel's own BTF (vmlinux or a module).
  public var isKernel: Bool
}

/// What the kernel reports about a link.
///
/// Kernel: `struct bpf_link_info`: a header and a part by link type.
public struct LinkInfo: Sendable, Hashable {
  public var type: LinkType
  public var id: UInt32
  public var programID: UInt32
  public var details: Details

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
    /// `BPF_PERF_EVENT_*` type; for tracepoints and kprobes the name when known.
    case perfEvent(type: UInt32, name: String, cookie: UInt64)
    case tcx(ifindex: UInt32, attachType: AttachType)
    case netkit(ifindex: UInt32, attachType: AttachType)
    case sockmap(mapID: UInt32, attachType: AttachType)
    case other
  }
}
