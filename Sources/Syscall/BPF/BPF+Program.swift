import UAPI

extension BPF {
  /// Loads a program without asking for a verifier log.
  ///
  /// Kernel: `BPF_PROG_LOAD`; retried on `EAGAIN` (verifier interrupted).
  public static func loadProgram(_ a: ProgramLoadAttributes) throws(SyscallError) -> OwnedFD {
    var log: VerifierLog? = nil
    return try loadProgram(a, log: &log)
  }

  /// Loads a program and fills `log` with the verifier's output, on success
  /// and on failure alike.
  public static func loadProgram(
    _ a: ProgramLoadAttributes, log: inout VerifierLog
  ) throws(SyscallError) -> OwnedFD {
    var optional: VerifierLog? = log
    defer { if let filled = optional { log = filled } }
    return try loadProgram(a, log: &optional)
  }

  static func loadProgram(
    _ a: ProgramLoadAttributes, log: inout VerifierLog?
  ) throws(SyscallError) -> OwnedFD {
    typealias L = BPFAttr.ProgramLoad
    let command = BPFCommand.programLoad
    let name = try objectName(a.name, command)
    guard a.instructions.count % 8 == 0, !a.instructions.isEmpty else {
      throw .invalidArgument(.bpf(command),
        reason: "instructions are \(a.instructions.count) bytes, not a non-zero multiple of 8")
    }
    let funcCount = try recordCount(a.funcInfo, a.funcInfoRecordSize, "func_info", command)
    let lineCount = try recordCount(a.lineInfo, a.lineInfoRecordSize, "line_info", command)
    let reloCount = try recordCount(a.coreRelocations, a.coreRelocationRecordSize,
                                    "core_relos", command)
    if a.attachProgramFD != nil, a.attachBTFObjectFD != nil {
      throw .invalidArgument(.bpf(command),
        reason: "attach_prog_fd and attach_btf_obj_fd share one field; set only one")
    }
    let insnCount = try u32(a.instructions.count / 8, "instruction count", command)
    let logCapacity = try u32(log?.capacity ?? 0, "log size", command)

    return try AttrBuffer.with(size: L.layout.size) { (attr) throws(SyscallError) -> OwnedFD in
      var scratch = Scratch()
      attr.set(L.progType, a.type.rawValue)
      attr.set(L.insnCount, insnCount)
      attr.set(L.insns, scratch.copy(a.instructions))
      attr.set(L.license, scratch.cString(a.license))
      attr.set(L.kernVersion, a.kernelVersion)
      attr.set(L.progFlags, a.flags.rawValue)
      attr.set(L.progName, name)
      attr.set(L.progIfindex, a.ifindex)
      attr.set(L.expectedAttachType, a.expectedAttachType?.rawValue ?? 0)
      attr.set(L.progBTFFD, fd(a.btfFD))
      if funcCount > 0 {
        attr.set(L.funcInfoRecSize, a.funcInfoRecordSize)
        attr.set(L.funcInfo, scratch.copy(a.funcInfo))
        attr.set(L.funcInfoCount, funcCount)
      }
      if lineCount > 0 {
        attr.set(L.lineInfoRecSize, a.lineInfoRecordSize)
        attr.set(L.lineInfo, scratch.copy(a.lineInfo))
        attr.set(L.lineInfoCount, lineCount)
      }
      attr.set(L.attachBTFID, a.attachBTFID)
      attr.set(L.attachProgFD, fd(a.attachProgramFD ?? a.attachBTFObjectFD))
      if reloCount > 0 {
        attr.set(L.coreReloCount, reloCount)
        attr.set(L.coreRelos, scratch.copy(a.coreRelocations))
        attr.set(L.coreReloRecSize, a.coreRelocationRecordSize)
      }
      attr.set(L.fdArray, scratch.copy(a.fdArray))
      attr.set(L.progTokenFD, a.tokenFD?.rawValue ?? 0)
      // fd_array_cnt (6.14) stays 0: a count makes the kernel bind every map in
      // the array to the program, which is a different contract.

      var logBuffer: UnsafeMutableRawBufferPointer? = nil
      if let log, log.capacity > 0 {
        let buffer = scratch.allocate(log.capacity)
        logBuffer = buffer
        attr.set(L.logLevel, log.level)
        attr.set(L.logSize, logCapacity)
        attr.set(L.logBuf, scratch.address(buffer))
      }
      defer {
        if let logBuffer { log?.collect(logBuffer, trueSize: attr.get(L.logTrueSize)) }
      }
      return try callReturningFD(command, attr)
    }
  }

  /// The number of `recordSize`-byte records in `bytes`, as `__u32`.
  static func recordCount(
    _ bytes: [UInt8], _ recordSize: UInt32, _ what: String, _ command: BPFCommand
  ) throws(SyscallError) -> UInt32 {
    if bytes.isEmpty { return 0 }
    guard recordSize > 0, bytes.count % Int(recordSize) == 0 else {
      throw .invalidArgument(.bpf(command),
        reason: "\(what) is \(bytes.count) bytes, not a multiple of its record size \(recordSize)")
    }
    return try u32(bytes.count / Int(recordSize), "\(what) count", command)
  }
}
