import Syscall
import UAPI

/// Where to attach a program, with the hook's options.
///
/// One case per kind of hook; `LoadedObject.Program.attach(to:)` does the
/// work. Options default to what libbpf does without options.
public enum AttachPoint: Sendable, Hashable {
  /// A tracefs tracepoint (`tp/<category>/<name>`), through a perf event.
  case tracepoint(category: String, name: String, cookie: UInt64 = 0)
  /// A raw tracepoint (`raw_tp/<name>`, `raw_tp.w/<name>`).
  case rawTracepoint(String, cookie: UInt64 = 0)
  /// tp_btf, fentry, fexit, fmod_ret, lsm and freplace at the target they
  /// were loaded for (`attach_btf_id`, `attach_prog_fd`).
  case tracing(cookie: UInt64 = 0)
  /// freplace onto a function of another BPF program, chosen now rather
  /// than at load: the target program and the function's BTF id in it.
  case replace(program: LoadedObject.Program, functionBTFID: UInt32)
  /// lsm_cgroup: an LSM hook for the tasks of one cgroup v2 directory.
  case lsmCgroup(path: String)
  /// A BPF iterator; read it with `Link.readIterator()`.
  case iterator(IteratorScope = .all)
  /// A user function by name (or an absolute file offset with a nil
  /// function). `path` may be a library name (`libc.so.6`) resolved through
  /// `/proc/<pid>/maps` or the usual library directories. `pid` nil: every
  /// process.
  case uprobe(path: String, function: String?, offset: UInt64 = 0, isReturn: Bool = false,
              pid: Int32? = nil, cookie: UInt64 = 0, referenceCounterOffset: UInt64 = 0)
  /// Every function of one binary matching a glob (`*`, `?`), one link.
  case uprobeMulti(path: String, pattern: String, isReturn: Bool = false, pid: Int32? = nil,
                   cookies: [UInt64] = [])
  /// uprobe.multi by explicit file offsets.
  case uprobeMultiOffsets(path: String, offsets: [UInt64], isReturn: Bool = false,
                          pid: Int32? = nil, cookies: [UInt64] = [], referenceCounterOffsets: [UInt64] = [])
  /// A USDT probe of an executable or library; `specs` are the object's
  /// `__bpf_usdt_specs` maps; `cookie` is what `bpf_usdt_cookie()` returns.
  case usdt(path: String, provider: String, name: String, specs: USDTSpecTable, pid: Int32? = nil,
            cookie: UInt64 = 0)
  /// A kernel function (kprobe PMU).
  case kprobe(function: String, offset: UInt64 = 0, isReturn: Bool = false, cookie: UInt64 = 0)
  /// Kernel functions matching a glob, or listed, through one kprobe.multi link.
  case kprobeMulti(pattern: String?, symbols: [String] = [], isReturn: Bool = false,
                   cookies: [UInt64] = [])
  /// A system call's entry (or return) by its generic name (`openat`).
  case ksyscall(String, isReturn: Bool = false, cookie: UInt64 = 0)
  /// A perf event (`PERF_TYPE_SOFTWARE` with `PERF_COUNT_SW_CPU_CLOCK`, say),
  /// sampled every `samplePeriod` events (or at `frequency` Hz): on every
  /// online CPU when `cpu` and `pid` are nil.
  case perfEvent(type: UInt32, config: UInt64, samplePeriod: UInt64 = 0, frequency: UInt64 = 0,
                 pid: Int32? = nil, cpu: Int32? = nil, cookie: UInt64 = 0)
  /// XDP on an interface, with mode flags.
  case xdp(ifindex: UInt32, mode: XDPMode = .any)
  /// tcx ingress or egress of an interface (the program's attach type when nil).
  case tcx(ifindex: UInt32, direction: AttachType? = nil, relative: TCXRelative = .none,
           expectedRevision: UInt64 = 0)
  /// A cgroup v2 directory; attach type from the program when nil.
  case cgroup(path: String, attachType: AttachType? = nil)
  /// A cgroup v2 directory by descriptor.
  case cgroupFD(BorrowedFD, attachType: AttachType? = nil)
  /// A network namespace (sk_lookup, flow_dissector); nil: this process's.
  case networkNamespace(path: String? = nil)
  /// A sockmap or sockhash (sk_msg, sk_skb); attach type from the program when nil.
  case sockMap(LoadedObject.Map, attachType: AttachType? = nil)
  /// A netfilter hook. Kernel: `NFPROTO_IPV4` = 2, `NF_INET_LOCAL_IN` = 1.
  case netfilter(protocolFamily: UInt32, hook: UInt32, priority: Int32, flags: UInt32 = 0)

  /// A short description for messages.
  public var description: String {
    switch self {
    case .tracepoint(let c, let n, _): "tracepoint \(c)/\(n)"
    case .rawTracepoint(let n, _): "raw tracepoint \(n)"
    case .tracing: "its load-time BTF target"
    case .replace(let p, let id): "BPF function (BTF id \(id)) of program \(p.name)"
    case .lsmCgroup(let p): "cgroup \(p) (lsm_cgroup)"
    case .iterator(let s): "iterator (\(s))"
    case .uprobe(let path, let f, let o, let r, _, _, _):
      "\(r ? "uretprobe" : "uprobe") \(path):\(f ?? "")\(o != 0 ? "+0x" + String(o, radix: 16) : "")"
    case .uprobeMulti(let path, let p, _, _, _): "uprobe.multi \(path):\(p)"
    case .uprobeMultiOffsets(let path, let o, _, _, _, _): "uprobe.multi \(path) (\(o.count) offsets)"
    case .usdt(let path, let p, let n, _, _, _): "USDT \(path):\(p):\(n)"
    case .kprobe(let f, let o, let r, _): "\(r ? "kretprobe" : "kprobe") \(f)\(o != 0 ? "+\(o)" : "")"
    case .kprobeMulti(let p, let s, _, _): "kprobe.multi \(p ?? s.joined(separator: ","))"
    case .ksyscall(let n, let r, _): "\(r ? "kretsyscall" : "ksyscall") \(n)"
    case .perfEvent(let t, let c, _, _, _, _, _): "perf event type \(t) config \(c)"
    case .xdp(let i, _): "XDP on ifindex \(i)"
    case .tcx(let i, let d, _, _): "tcx \(d == .tcxEgress ? "egress" : d == .tcxIngress ? "ingress" : "") on ifindex \(i)"
    case .cgroup(let p, _): "cgroup \(p)"
    case .cgroupFD(let fd, _): "cgroup (\(fd))"
    case .networkNamespace(let p): "network namespace \(p ?? "/proc/self/ns/net")"
    case .sockMap(let map, _): "sockmap \(map.name)"
    case .netfilter(let pf, let h, let p, _): "netfilter pf \(pf) hook \(h) priority \(p)"
    }
  }
}

/// XDP attach modes. Kernel: `XDP_FLAGS_SKB_MODE` (2), `XDP_FLAGS_DRV_MODE`
/// (4), `XDP_FLAGS_HW_MODE` (8); none: the driver's best.
public enum XDPMode: Sendable, Hashable {
  /// No mode flag: native XDP when the driver has it, else generic.
  case any
  /// Generic XDP in the network stack, for any device (slower).
  /// Kernel: `XDP_FLAGS_SKB_MODE`.
  case generic
  /// Native XDP in the driver; refused by drivers without it.
  /// Kernel: `XDP_FLAGS_DRV_MODE`.
  case driver
  /// Offloaded to the NIC. Kernel: `XDP_FLAGS_HW_MODE`.
  case hardware
  var flags: UInt32 {
    switch self {
    case .any: 0
    case .generic: 2
    case .driver: 4
    case .hardware: 8
    }
  }
}

/// What a BPF iterator walks. Kernel: `union bpf_iter_link_info`.
public enum IteratorScope: Sendable, Hashable, CustomStringConvertible {
  /// Everything the target has (all tasks, all maps...).
  case all
  /// The elements of one map (`bpf_map_elem`, `bpf_sk_storage_map`...).
  case map(BorrowedFD)
  /// Cgroups around one cgroup: order is `BPF_CGROUP_ITER_*` (1 self only,
  /// 2 descendants pre-order, 3 post-order, 4 ancestors up).
  case cgroup(BorrowedFD, order: UInt32)
  /// One task (by tid), or one process (by pid).
  case task(tid: UInt32 = 0, pid: UInt32 = 0)

  public var description: String {
    switch self {
    case .all: "all"
    case .map(let fd): "map \(fd)"
    case .cgroup(let fd, let o): "cgroup \(fd) order \(o)"
    case .task(let t, let p): "task tid \(t) pid \(p)"
    }
  }

  /// The `bpf_iter_link_info` bytes (empty for `.all`).
  var linkInfo: [UInt8] {
    func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
    switch self {
    case .all: return []
    case .map(let fd): return le(UInt32(bitPattern: fd.rawValue))
    case .cgroup(let fd, let order): return le(order) + le(UInt32(bitPattern: fd.rawValue)) + le(UInt64(0))
    case .task(let tid, let pid): return le(tid) + le(pid) + le(UInt32(0))
    }
  }
}

/// Where a tcx program goes relative to the ones already attached: next to
/// a loaded program (held open for the attach call) or to a program by its
/// kernel id. Kernel: `BPF_LINK_CREATE`'s `tcx.relative_fd`/`relative_id`.
public enum TCXRelative: Sendable, Hashable {
  /// No relative program: the kernel's default place (after the others).
  case none
  /// Relative to this loaded program (`relative_fd`).
  case program(LoadedObject.Program)
  /// Relative to the attached program with this kernel id (`relative_id`).
  case programID(UInt32)
}

