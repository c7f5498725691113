import UAPI

extension BPF {
  /// Fills `buffer` with the info structure of `object` and returns how many
  /// bytes the kernel wrote. Pointer fields the caller set in `buffer` (arrays
  /// to fill) are honoured.
  ///
  /// Kernel: `BPF_OBJ_GET_INFO_BY_FD`.
  public static func objectInfo(
    _ object: BorrowedFD, into buffer: UnsafeMutableRawBufferPointer
  ) throws(SyscallError) -> Int {
    typealias L = BPFAttr.Info
    let length = try u32(buffer.count, "info size", .objectGetInfoByFD)
    return try AttrBuffer.with(size: L.layout.size) { (attr) throws(SyscallError) -> Int in
      attr.set(L.bpfFD, fd(object))
      attr.set(L.infoLen, length)
      attr.set(L.info, address: buffer.baseAddress.map { UnsafeRawPointer($0) })
      _ = try call(.objectGetInfoByFD, attr)
      return min(Int(attr.get(L.infoLen)), buffer.count)
    }
  }

  /// Runs `body` on a zeroed info buffer of `layout.size` after the kernel filled it.
  static func withInfo<R>(
    _ object: BorrowedFD, _ layout: KernelLayout, prepare: (AttrBuffer) -> Void = { _ in },
    _ body: (AttrBuffer, Int) -> R
  ) throws(SyscallError) -> R {
    try AttrBuffer.with(size: layout.size) { (info) throws(SyscallError) -> R in
      prepare(info)
      let written = try objectInfo(
        object, into: UnsafeMutableRawBufferPointer(start: info.base, count: info.size))
      return body(info, written)
    }
  }

  /// Information about a loaded program.
  public static func programInfo(_ program: BorrowedFD) throws(SyscallError) -> ProgramInfo {
    typealias L = ProgramInfoLayout
    return try withInfo(program, L.layout) { i, n in
      ProgramInfo(
        type: ProgramType(rawValue: i.get(L.type, limit: n)), id: i.get(L.id, limit: n),
        tag: i.bytes(L.tag, limit: n), jitedLength: i.get(L.jitedProgLen, limit: n),
        translatedLength: i.get(L.xlatedProgLen, limit: n),
        loadTime: i.get(L.loadTime, limit: n), createdByUID: i.get(L.createdByUID, limit: n),
        mapCount: i.get(L.nrMapIDs, limit: n), name: i.string(L.name, limit: n),
        ifindex: i.get(L.ifindex, limit: n),
        gplCompatible: i.get(L.gplCompatibleWord, limit: n) & 1 != 0,
        netnsDevice: i.get(L.netnsDev, limit: n), netnsInode: i.get(L.netnsIno, limit: n),
        btfID: i.get(L.btfID, limit: n), funcInfoCount: i.get(L.nrFuncInfo, limit: n),
        lineInfoCount: i.get(L.nrLineInfo, limit: n),
        runTimeNanoseconds: i.get(L.runTimeNs, limit: n), runCount: i.get(L.runCount, limit: n),
        recursionMisses: i.get(L.recursionMisses, limit: n),
        verifiedInstructions: i.get(L.verifiedInsns, limit: n),
        attachBTFObjectID: i.get(L.attachBTFObjID, limit: n),
        attachBTFID: i.get(L.attachBTFID, limit: n))
    }
  }

  /// The IDs of the maps a program uses.
  public static func programMapIDs(_ program: BorrowedFD) throws(SyscallError) -> [UInt32] {
    let count = Int(try programInfo(program).mapCount)
    if count == 0 { return [] }
    var ids = [UInt32](repeating: 0, count: count)
    let filled = try ids.withUnsafeMutableBytes { (ids) -> Result<UInt32, SyscallError> in
      Result { () throws(SyscallError) -> UInt32 in
        try withInfo(program, ProgramInfoLayout.layout, prepare: { info in
          info.set(ProgramInfoLayout.nrMapIDs, UInt32(count))
          info.set(ProgramInfoLayout.mapIDs, address: UnsafeRawPointer(ids.baseAddress))
        }) { i, n in i.get(ProgramInfoLayout.nrMapIDs, limit: n) }
      }
    }.get()
    return Array(ids.prefix(min(Int(filled), count)))
  }

  /// The program's instructions as the verifier rewrote them (8 bytes a slot).
  /// Kernel pointers in them are hidden unless the caller has CAP_SYS_ADMIN.
  public static func programTranslatedInstructions(
    _ program: BorrowedFD
  ) throws(SyscallError) -> [UInt8] {
    let length = Int(try programInfo(program).translatedLength)
    if length == 0 { return [] }
    var bytes = [UInt8](repeating: 0, count: length)
    let written = try bytes.withUnsafeMutableBytes { (buffer) -> Result<UInt32, SyscallError> in
      Result { () throws(SyscallError) -> UInt32 in
        try withInfo(program, ProgramInfoLayout.layout, prepare: { info in
          info.set(ProgramInfoLayout.xlatedProgLen, UInt32(length))
          info.set(ProgramInfoLayout.xlatedProgInsns, address: UnsafeRawPointer(buffer.baseAddress))
        }) { i, n in i.get(ProgramInfoLayout.xlatedProgLen, limit: n) }
      }
    }.get()
    return Array(bytes.prefix(min(Int(written), length)))
  }

  /// Information about a map.
  public static func mapInfo(_ map: BorrowedFD) throws(SyscallError) -> MapInfo {
    typealias L = MapInfoLayout
    return try withInfo(map, L.layout) { i, n in
      MapInfo(
        type: MapType(rawValue: i.get(L.type, limit: n)), id: i.get(L.id, limit: n),
        keySize: i.get(L.keySize, limit: n), valueSize: i.get(L.valueSize, limit: n),
        maxEntries: i.get(L.maxEntries, limit: n),
        flags: MapFlags(rawValue: i.get(L.mapFlags, limit: n)),
        name: i.string(L.name, limit: n), ifindex: i.get(L.ifindex, limit: n),
        btfVmlinuxValueTypeID: i.get(L.btfVmlinuxValueTypeID, limit: n),
        netnsDevice: i.get(L.netnsDev, limit: n), netnsInode: i.get(L.netnsIno, limit: n),
        btfID: i.get(L.btfID, limit: n), btfKeyTypeID: i.get(L.btfKeyTypeID, limit: n),
        btfValueTypeID: i.get(L.btfValueTypeID, limit: n),
        btfVmlinuxID: i.get(L.btfVmlinuxID, limit: n), mapExtra: i.get(L.mapExtra, limit: n))
    }
  }

  /// Information about a BTF object, with its name.
  public static func btfInfo(_ btf: BorrowedFD) throws(SyscallError) -> BTFInfo {
    typealias L = BTFInfoLayout
    return try AttrBuffer.with(size: 64) { (name) throws(SyscallError) -> BTFInfo in
      try withInfo(btf, L.layout, prepare: { info in
        info.set(L.name, address: UnsafeRawPointer(name.base))
        info.set(L.nameLen, UInt32(name.size))
      }) { i, n in
        let nameLength = min(Int(i.get(L.nameLen, limit: n)), name.size)
        let raw = UnsafeRawBufferPointer(start: name.base, count: nameLength)
        return BTFInfo(
          id: i.get(L.id, limit: n), size: i.get(L.btfSize, limit: n),
          name: String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self),
          isKernel: i.get(L.kernelBTF, limit: n) != 0)
      }
    }
  }

  /// The raw bytes of a loaded BTF object.
  public static func btfData(_ btf: BorrowedFD) throws(SyscallError) -> [UInt8] {
    let size = Int(try btfInfo(btf).size)
    if size == 0 { return [] }
    var bytes = [UInt8](repeating: 0, count: size)
    try bytes.withUnsafeMutableBytes { (buffer) -> Result<Void, SyscallError> in
      Result { () throws(SyscallError) in
        try withInfo(btf, BTFInfoLayout.layout, prepare: { info in
          info.set(BTFInfoLayout.btf, address: UnsafeRawPointer(buffer.baseAddress))
          info.set(BTFInfoLayout.btfSize, UInt32(size))
        }) { _, _ in }
      }
    }.get()
    return bytes
  }
}
