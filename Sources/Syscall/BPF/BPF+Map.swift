import UAPI

extension BPF {
  /// Creates a map.
  ///
  /// Kernel: `BPF_MAP_CREATE`.
  public static func createMap(_ a: MapCreateAttributes) throws(SyscallError) -> OwnedFD {
    typealias L = BPFAttr.MapCreate
    let name = try objectName(a.name, .mapCreate)
    return try AttrBuffer.with(size: L.layout.size) { (attr) throws(SyscallError) -> OwnedFD in
      attr.set(L.mapType, a.type.rawValue)
      attr.set(L.keySize, a.keySize)
      attr.set(L.valueSize, a.valueSize)
      attr.set(L.maxEntries, a.maxEntries)
      attr.set(L.mapFlags, a.flags.rawValue)
      attr.set(L.innerMapFD, fd(a.innerMapFD))
      attr.set(L.numaNode, a.numaNode)
      attr.set(L.mapName, name)
      attr.set(L.mapIfindex, a.ifindex)
      attr.set(L.btfFD, fd(a.btfFD))
      attr.set(L.btfKeyTypeID, a.btfKeyTypeID)
      attr.set(L.btfValueTypeID, a.btfValueTypeID)
      attr.set(L.btfVmlinuxValueTypeID, a.btfVmlinuxValueTypeID)
      attr.set(L.mapExtra, a.mapExtra)
      attr.set(L.valueTypeBTFObjFD, a.valueTypeBTFObjFD?.rawValue ?? 0)
      attr.set(L.mapTokenFD, a.tokenFD?.rawValue ?? 0)
      return try callReturningFD(.mapCreate, attr)
    }
  }

  /// Object names (maps, programs) are at most 15 bytes plus NUL in the kernel.
  static func objectName(_ name: String, _ command: BPFCommand) throws(SyscallError) -> [UInt8] {
    let bytes = Array(name.utf8)
    guard bytes.count < 16 else {
      throw .invalidArgument(.bpf(command),
        reason: "name \"\(name)\" is \(bytes.count) bytes; the kernel keeps at most 15")
    }
    return bytes
  }

  /// Shared body of the element commands.
  static func element(
    _ command: BPFCommand, map: BorrowedFD, key: UnsafeRawPointer?,
    value: UnsafeRawPointer?, flags: UInt64
  ) throws(SyscallError) {
    typealias L = BPFAttr.MapElement
    try AttrBuffer.with(size: L.layout.size) { (attr) throws(SyscallError) in
      attr.set(L.mapFD, fd(map))
      attr.set(L.key, address: key)
      attr.set(L.value, address: value)
      attr.set(L.flags, flags)
      _ = try call(command, attr)
    }
  }

  /// Copies the value stored under `key` into `value`; false when there is none.
  ///
  /// `key` must hold the map's key size and `value` its value size (for
  /// per-CPU maps: the value size rounded up to 8, times the possible CPUs);
  /// the kernel reads and writes exactly that many bytes.
  /// Kernel: `BPF_MAP_LOOKUP_ELEM`; `ENOENT` means "no such key".
  public static func lookup(
    map: BorrowedFD, key: UnsafeRawPointer?, value: UnsafeMutableRawPointer,
    flags: ElementFlags = []
  ) throws(SyscallError) -> Bool {
    do throws(SyscallError) {
      try element(.mapLookupElement, map: map, key: key, value: value, flags: flags.rawValue)
      return true
    } catch {
      if error.errno == .ENOENT { return false }
      throw error
    }
  }

  /// Stores `value` under `key`.
  ///
  /// Kernel: `BPF_MAP_UPDATE_ELEM`; `flags` decides create/replace semantics.
  public static func update(
    map: BorrowedFD, key: UnsafeRawPointer?, value: UnsafeRawPointer,
    flags: ElementFlags = .any
  ) throws(SyscallError) {
    try element(.mapUpdateElement, map: map, key: key, value: value, flags: flags.rawValue)
  }

  /// Removes `key`; false when it was not there.
  ///
  /// Kernel: `BPF_MAP_DELETE_ELEM`.
  public static func delete(map: BorrowedFD, key: UnsafeRawPointer?) throws(SyscallError) -> Bool {
    do throws(SyscallError) {
      try element(.mapDeleteElement, map: map, key: key, value: nil, flags: 0)
      return true
    } catch {
      if error.errno == .ENOENT { return false }
      throw error
    }
  }

  /// Writes the key after `key` (the first key when `key` is nil) into
  /// `nextKey`; false at the end of the map.
  ///
  /// Kernel: `BPF_MAP_GET_NEXT_KEY`.
  public static func nextKey(
    map: BorrowedFD, after key: UnsafeRawPointer?, into nextKey: UnsafeMutableRawPointer
  ) throws(SyscallError) -> Bool {
    do throws(SyscallError) {
      try element(.mapGetNextKey, map: map, key: key, value: nextKey, flags: 0)
      return true
    } catch {
      if error.errno == .ENOENT { return false }
      throw error
    }
  }

  /// Removes `key` and copies its value out; for queues and stacks `key` is nil
  /// and the next element is popped. False when there was nothing.
  ///
  /// Kernel: `BPF_MAP_LOOKUP_AND_DELETE_ELEM`.
  public static func lookupAndDelete(
    map: BorrowedFD, key: UnsafeRawPointer?, value: UnsafeMutableRawPointer,
    flags: ElementFlags = []
  ) throws(SyscallError) -> Bool {
    do throws(SyscallError) {
      try element(.mapLookupAndDeleteElement, map: map, key: key, value: value,
                  flags: flags.rawValue)
      return true
    } catch {
      if error.errno == .ENOENT { return false }
      throw error
    }
  }

  /// Makes the map read-only for user space from now on (programs may still write).
  ///
  /// Kernel: `BPF_MAP_FREEZE`; Linux 5.2.
  public static func freeze(map: BorrowedFD) throws(SyscallError) {
    try element(.mapFreeze, map: map, key: nil, value: nil, flags: 0)
  }
}
