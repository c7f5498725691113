extension BPF {
  /// The kinds of BPF object that have IDs.
  public enum ObjectKind: Sendable, Hashable, CaseIterable {
    /// Loaded programs: `BPF_PROG_GET_NEXT_ID`, `BPF_PROG_GET_FD_BY_ID`.
    case program
    /// Maps: `BPF_MAP_GET_NEXT_ID`, `BPF_MAP_GET_FD_BY_ID`.
    case map
    /// BTF objects (vmlinux, modules, loaded objects' BTF): `BPF_BTF_GET_NEXT_ID`,
    /// `BPF_BTF_GET_FD_BY_ID`.
    case btf
    /// Links: `BPF_LINK_GET_NEXT_ID`, `BPF_LINK_GET_FD_BY_ID` (Linux 5.8).
    case link

    var nextIDCommand: BPFCommand {
      switch self {
      case .program: .programGetNextID
      case .map: .mapGetNextID
      case .btf: .btfGetNextID
      case .link: .linkGetNextID
      }
    }

    var fdByIDCommand: BPFCommand {
      switch self {
      case .program: .programGetFDByID
      case .map: .mapGetFDByID
      case .btf: .btfGetFDByID
      case .link: .linkGetFDByID
      }
    }
  }

  /// `file_flags` of `BPF_OBJ_GET` and `open_flags` of `BPF_MAP_GET_FD_BY_ID`.
  public struct FileFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// Kernel: `BPF_F_RDONLY`
    public static let readOnly = FileFlags(rawValue: 1 << 3)
    /// Kernel: `BPF_F_WRONLY`
    public static let writeOnly = FileFlags(rawValue: 1 << 4)
    /// Kernel: `BPF_F_PATH_FD` — `path` is relative to `pathFD` (Linux 6.5).
    public static let pathFD = FileFlags(rawValue: 1 << 14)
  }

  /// Pins `object` (a map, program, link or BTF fd) at `path` in a bpffs.
  ///
  /// With `relativeTo`, `path` is relative to that directory (Linux 6.5).
  /// Kernel: `BPF_OBJ_PIN`.
  public static func pin(
    _ object: BorrowedFD, at path: String, relativeTo directory: BorrowedFD? = nil
  ) throws(SyscallError) {
    let flags: FileFlags = directory == nil ? [] : .pathFD
    _ = try objectPath(.objectPin, path: path, object: object, flags: flags, directory: directory)
  }

  /// Opens the object pinned at `path`.
  ///
  /// Kernel: `BPF_OBJ_GET`.
  public static func getPinned(
    at path: String, flags: FileFlags = [], relativeTo directory: BorrowedFD? = nil
  ) throws(SyscallError) -> OwnedFD {
    var flags = flags
    if directory != nil { flags.insert(.pathFD) }
    return try OwnedFD.adopt(
      try objectPath(.objectGet, path: path, object: nil, flags: flags, directory: directory))
  }

  static func objectPath(
    _ command: BPFCommand, path: String, object: BorrowedFD?, flags: FileFlags,
    directory: BorrowedFD?
  ) throws(SyscallError) -> CInt {
    typealias L = BPFAttr.ObjectPath
    return try AttrBuffer.with(size: L.layout.size) { (attr) throws(SyscallError) -> CInt in
      var scratch = Scratch()
      attr.set(L.pathname, scratch.cString(path))
      attr.set(L.bpfFD, fd(object))
      attr.set(L.fileFlags, flags.rawValue)
      attr.set(L.pathFD, directory?.rawValue ?? 0)
      return try call(command, attr)
    }
  }

  /// The smallest ID of a `kind` object greater than `id` (0: the first), or
  /// nil past the last.
  ///
  /// Kernel: `BPF_PROG_GET_NEXT_ID`, `BPF_MAP_GET_NEXT_ID`, `BPF_BTF_GET_NEXT_ID`,
  /// `BPF_LINK_GET_NEXT_ID`.
  public static func nextID(_ kind: ObjectKind, after id: UInt32) throws(SyscallError) -> UInt32? {
    typealias L = BPFAttr.ObjectID
    return try AttrBuffer.with(size: L.layout.size) { (attr) throws(SyscallError) -> UInt32? in
      attr.set(L.startID, id)
      do throws(SyscallError) {
        _ = try call(kind.nextIDCommand, attr)
      } catch {
        if error.errno == .ENOENT { return nil }
        throw error
      }
      return attr.get(L.nextID)
    }
  }

  /// Opens the `kind` object with this ID (needs CAP_SYS_ADMIN).
  ///
  /// Kernel: `BPF_PROG_GET_FD_BY_ID`, `BPF_MAP_GET_FD_BY_ID`, `BPF_BTF_GET_FD_BY_ID`,
  /// `BPF_LINK_GET_FD_BY_ID`. `flags` apply to maps.
  public static func open(
    _ kind: ObjectKind, id: UInt32, flags: FileFlags = []
  ) throws(SyscallError) -> OwnedFD {
    typealias L = BPFAttr.ObjectID
    return try AttrBuffer.with(size: L.layout.size) { (attr) throws(SyscallError) -> OwnedFD in
      attr.set(L.startID, id)
      attr.set(L.openFlags, flags.rawValue)
      return try callReturningFD(kind.fdByIDCommand, attr)
    }
  }

  /// Loads raw BTF (header, types, strings) into the kernel.
  ///
  /// Kernel: `BPF_BTF_LOAD`; `log` is filled on success and failure.
  public static func loadBTF(
    _ bytes: [UInt8], log: inout VerifierLog, tokenFD: BorrowedFD? = nil
  ) throws(SyscallError) -> OwnedFD {
    var optional: VerifierLog? = log
    defer { if let filled = optional { log = filled } }
    return try loadBTF(bytes, log: &optional, tokenFD: tokenFD)
  }

  /// Loads raw BTF without a log.
  public static func loadBTF(_ bytes: [UInt8], tokenFD: BorrowedFD? = nil) throws(SyscallError) -> OwnedFD {
    var none: VerifierLog? = nil
    return try loadBTF(bytes, log: &none, tokenFD: tokenFD)
  }

  static func loadBTF(
    _ bytes: [UInt8], log: inout VerifierLog?, tokenFD: BorrowedFD?
  ) throws(SyscallError) -> OwnedFD {
    typealias L = BPFAttr.BTFLoad
    let command = BPFCommand.btfLoad
    let size = try u32(bytes.count, "BTF size", command)
    let logSize = try u32(log?.capacity ?? 0, "log size", command)
    return try AttrBuffer.with(size: L.layout.size) { (attr) throws(SyscallError) -> OwnedFD in
      var scratch = Scratch()
      attr.set(L.btf, scratch.copy(bytes))
      attr.set(L.size, size)
      if let tokenFD {
        attr.set(L.tokenFD, tokenFD.rawValue)
        attr.set(L.flags, 1 << 16)  // BPF_F_TOKEN_FD
      }
      var logBuffer: UnsafeMutableRawBufferPointer? = nil
      if let log, log.capacity > 0 {
        let buffer = scratch.allocate(log.capacity)
        logBuffer = buffer
        attr.set(L.logBuf, scratch.address(buffer))
        attr.set(L.logSize, logSize)
        attr.set(L.logLevel, log.level)
      }
      defer {
        if let logBuffer { log?.collect(logBuffer, trueSize: attr.get(L.logTrueSize)) }
      }
      return try callReturningFD(command, attr)
    }
  }

  /// Turns on run-time statistics (`run_time_ns`, `run_cnt` in program info)
  /// until the returned descriptor is closed.
  ///
  /// Kernel: `BPF_ENABLE_STATS` with `BPF_STATS_RUN_TIME` (0); Linux 5.8.
  public static func enableStats(type: UInt32 = 0) throws(SyscallError) -> OwnedFD {
    typealias L = BPFAttr.EnableStats
    return try AttrBuffer.with(size: L.layout.size) { (attr) throws(SyscallError) -> OwnedFD in
      attr.set(L.type, type)
      return try callReturningFD(.enableStats, attr)
    }
  }

  /// Keeps `map` alive as long as `program`, although no instruction uses it.
  ///
  /// Kernel: `BPF_PROG_BIND_MAP`; Linux 5.10.
  public static func bindMap(_ map: BorrowedFD, to program: BorrowedFD) throws(SyscallError) {
    typealias L = BPFAttr.ProgramBindMap
    try AttrBuffer.with(size: L.layout.size) { (attr) throws(SyscallError) in
      attr.set(L.progFD, fd(program))
      attr.set(L.mapFD, fd(map))
      _ = try call(.programBindMap, attr)
    }
  }
}
