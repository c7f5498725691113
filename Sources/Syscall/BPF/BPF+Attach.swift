import UAPI

extension BPF {
  /// `attach_flags` of `BPF_PROG_ATTACH` and `flags` of mprog links (tcx, netkit, cgroup).
  public struct AttachFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// Kernel: `BPF_F_ALLOW_OVERRIDE`
    public static let allowOverride = AttachFlags(rawValue: 1 << 0)
    /// Kernel: `BPF_F_ALLOW_MULTI`
    public static let allowMulti = AttachFlags(rawValue: 1 << 1)
    /// Kernel: `BPF_F_REPLACE`
    public static let replace = AttachFlags(rawValue: 1 << 2)
    /// Kernel: `BPF_F_BEFORE` (Linux 6.6)
    public static let before = AttachFlags(rawValue: 1 << 3)
    /// Kernel: `BPF_F_AFTER` (Linux 6.6)
    public static let after = AttachFlags(rawValue: 1 << 4)
    /// Kernel: `BPF_F_ID` — the relative object is given by ID, not fd.
    public static let id = AttachFlags(rawValue: 1 << 5)
    /// Kernel: `BPF_F_LINK` — the relative object is a link.
    public static let link = AttachFlags(rawValue: 1 << 13)
  }

  /// The program or link an mprog attachment is placed before or after.
  public enum Relative: Sendable, Hashable {
    /// No position: the kernel appends (or, with `before`, prepends).
    case none
    /// By descriptor (a program, or a link with `AttachFlags.link`).
    case fd(BorrowedFD)
    /// By ID; `AttachFlags.id` is added for you.
    case id(UInt32)

    var raw: UInt32 {
      switch self {
      case .none: 0
      case .fd(let fd): UInt32(bitPattern: fd.rawValue)
      case .id(let id): id
      }
    }

    var impliedFlags: AttachFlags {
      if case .id = self { return .id }
      return []
    }
  }

  /// Where a program attaches: a descriptor (cgroup, map, netns) or an interface.
  public enum AttachTarget: Sendable, Hashable {
    /// No target (iterators, tracing programs with a load-time target): sends 0.
    case none
    /// A descriptor: a cgroup directory, a sockmap, a network namespace.
    case fd(BorrowedFD)
    /// A network interface by index (tcx, netkit).
    case ifindex(UInt32)

    var raw: UInt32 {
      switch self {
      case .none: 0
      case .fd(let fd): UInt32(bitPattern: fd.rawValue)
      case .ifindex(let index): index
      }
    }
  }

  /// Input of `BPF_PROG_ATTACH` and `BPF_PROG_DETACH`.
  public struct AttachAttributes: Sendable, Hashable {
    /// What the program attaches to (`target_fd` or `target_ifindex`).
    public var target: AttachTarget
    /// The program; for detach of some types (cgroup with one program) it may be nil.
    public var program: BorrowedFD?
    /// The hook of the target (`BPF_CGROUP_INET_INGRESS`, `BPF_SK_SKB_STREAM_VERDICT`...).
    public var attachType: AttachType
    /// `attach_flags`: overriding, multiple programs, replacing, ordering.
    public var flags: AttachFlags
    /// With `AttachFlags.replace`: the program to replace.
    public var replaceProgram: BorrowedFD?
    /// With `before`/`after`: the program or link to place it next to
    /// (`relative_fd` or `relative_id`, Linux 6.6).
    public var relative: Relative
    /// Fail with `ESTALE` unless the attachment list is at this revision (0: any).
    public var expectedRevision: UInt64

    /// Attributes with no replaced program, no relative and any revision.
    public init(target: AttachTarget, program: BorrowedFD?, attachType: AttachType,
                flags: AttachFlags = []) {
      self.target = target
      self.program = program
      self.attachType = attachType
      self.flags = flags
      self.replaceProgram = nil
      self.relative = .none
      self.expectedRevision = 0
    }
  }

  /// Attaches a program the legacy way (no link: it stays until detached).
  ///
  /// Kernel: `BPF_PROG_ATTACH`.
  public static func attach(_ a: AttachAttributes) throws(SyscallError) {
    try attachOrDetach(.programAttach, a)
  }

  /// Detaches a program attached with `attach`.
  ///
  /// Kernel: `BPF_PROG_DETACH`.
  public static func detach(_ a: AttachAttributes) throws(SyscallError) {
    try attachOrDetach(.programDetach, a)
  }

  static func attachOrDetach(_ command: BPFCommand, _ a: AttachAttributes) throws(SyscallError) {
    typealias L = BPFAttr.ProgramAttach
    try AttrBuffer.with(size: L.layout.size) { (attr) throws(SyscallError) in
      attr.set(L.targetFD, a.target.raw)
      attr.set(L.attachBPFFD, fd(a.program))
      attr.set(L.attachType, a.attachType.rawValue)
      attr.set(L.attachFlags, a.flags.union(a.relative.impliedFlags).rawValue)
      attr.set(L.replaceBPFFD, fd(a.replaceProgram))
      attr.set(L.relativeFD, a.relative.raw)
      attr.set(L.expectedRevision, a.expectedRevision)
      _ = try call(command, attr)
    }
  }
}

extension BPF {
  /// What is attached at a hook, as `BPF_PROG_QUERY` reports it.
  public struct QueryResult: Sendable, Hashable {
    /// Attach flags of the hook (cgroup: `BPF_F_ALLOW_MULTI`…).
    public var attachFlags: AttachFlags
    /// Attached programs, in execution order.
    public var programIDs: [UInt32]
    /// For mprog hooks (tcx, netkit, cgroup): the link of each program, 0 if none.
    public var linkIDs: [UInt32]
    /// The hook's revision, for `expectedRevision` (mprog hooks; 0 elsewhere).
    public var revision: UInt64
  }

  /// Lists the programs attached at `target` for `attachType` (up to `capacity`).
  ///
  /// Kernel: `BPF_PROG_QUERY`.
  public static func query(
    target: AttachTarget, attachType: AttachType, capacity: Int = 64
  ) throws(SyscallError) -> QueryResult {
    typealias L = BPFAttr.Query
    let command = BPFCommand.programQuery
    let count = try u32(capacity, "query capacity", command)
    return try AttrBuffer.with(size: L.layout.size) { (attr) throws(SyscallError) -> QueryResult in
      var scratch = Scratch()
      let programs = scratch.allocate(capacity * 4)
      let links = scratch.allocate(capacity * 4)
      attr.set(L.targetFD, target.raw)
      attr.set(L.attachType, attachType.rawValue)
      attr.set(L.progIDs, scratch.address(programs))
      attr.set(L.progCount, count)
      attr.set(L.linkIDs, scratch.address(links))
      _ = try call(command, attr)
      let n = min(Int(attr.get(L.progCount)), capacity)
      func ids(_ buffer: UnsafeMutableRawBufferPointer) -> [UInt32] {
        (0..<n).map { buffer.load(fromByteOffset: $0 * 4, as: UInt32.self) }
      }
      return QueryResult(attachFlags: AttachFlags(rawValue: attr.get(L.attachFlags)),
                         programIDs: ids(programs), linkIDs: ids(links),
                         revision: attr.get(L.revision))
    }
  }
}
