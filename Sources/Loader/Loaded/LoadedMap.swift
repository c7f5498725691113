import Synchronization
import Syscall
import UAPI

extension LoadedObject {
  /// A map in the kernel: its fd, attributes and, for global data, the
  /// memory mapping through which Swift reads and writes its variables.
  ///
  /// The fd is closed by `close()` or when the last reference goes away.
  public final class Map: Sendable {
    /// The object's name for it (`hash_map`, or `globals.bss` for data).
    public let name: String
    /// The data section of an internal map (`.bss`), nil otherwise.
    public let sectionName: String?
    public let type: MapType
    public let keySize: UInt32
    public let valueSize: UInt32
    public let maxEntries: UInt32
    public let flags: MapFlags
    /// Where it is pinned, when it is.
    public let pinPath: String?
    /// True when a pinned map (or a given fd) was reused instead of created.
    public let isReused: Bool
    /// Programs may read but user space may not change it (`.rodata`, `.kconfig`).
    public let isFrozen: Bool
    let fd: Mutex<OwnedFD?>
    let mapping: Mutex<MappedRegion?>

    init(name: String, sectionName: String?, type: MapType, keySize: UInt32, valueSize: UInt32,
         maxEntries: UInt32, flags: MapFlags, pinPath: String?, isReused: Bool, isFrozen: Bool,
         fd: consuming OwnedFD, mapping: consuming MappedRegion?) {
      self.name = name
      self.sectionName = sectionName
      self.type = type
      self.keySize = keySize
      self.valueSize = valueSize
      self.maxEntries = maxEntries
      self.flags = flags
      self.pinPath = pinPath
      self.isReused = isReused
      self.isFrozen = isFrozen
      self.fd = Mutex(Optional(fd))
      self.mapping = Mutex(mapping)
    }

    /// Runs `body` with the map's fd; throws when the map was closed.
    public func withFD<R>(_ body: (BorrowedFD) throws -> R) throws -> R {
      let borrowed = fd.withLock { $0?.borrowed }
      guard let borrowed else { throw LoadError.closed(object: name) }
      return try body(borrowed)
    }

    /// The fd, while the map is open (valid until `close()`).
    public var borrowedFD: BorrowedFD? { fd.withLock { $0?.borrowed } }

    /// The kernel's description of the map.
    public func info() throws(LoadError) -> MapInfo {
      guard let b = borrowedFD else { throw .closed(object: name) }
      do throws(SyscallError) { return try BPF.mapInfo(b) } catch {
        throw .mapSetup(map: name, operation: "BPF_OBJ_GET_INFO_BY_FD", error)
      }
    }

    /// Whether the map's value is mapped into this process (global data).
    public var isMapped: Bool { mapping.withLock { $0 != nil } }

    /// Copies `count` bytes at `offset` out of the mapped value.
    public func read(at offset: Int, count: Int) throws(LoadError) -> [UInt8] {
      try mapping.withLock { (region) throws(LoadError) -> [UInt8] in
        guard let bytes = region?.bytes else { throw LoadError.invalidValue(name: name, reason: "not memory-mapped") }
        guard offset >= 0, count >= 0, offset <= Int(valueSize), count <= Int(valueSize) - offset else {
          throw LoadError.invalidValue(name: name, reason: "bytes \(offset)..<\(offset + count) lie outside the \(valueSize)-byte value")
        }
        return Array(UnsafeRawBufferPointer(rebasing: bytes[offset ..< offset + count]))
      }
    }

    /// Writes bytes into the mapped value at `offset` (not for frozen maps).
    public func write(_ newBytes: [UInt8], at offset: Int) throws(LoadError) {
      if isFrozen { throw .readOnly(name: name) }
      try mapping.withLock { (region) throws(LoadError) in
        guard let bytes = region?.bytes else { throw LoadError.invalidValue(name: name, reason: "not memory-mapped") }
        guard offset >= 0, offset <= Int(valueSize), newBytes.count <= Int(valueSize) - offset else {
          throw LoadError.invalidValue(name: name, reason: "bytes \(offset)..<\(offset + newBytes.count) lie outside the \(valueSize)-byte value")
        }
        UnsafeMutableRawBufferPointer(rebasing: bytes[offset ..< offset + newBytes.count]).copyBytes(from: newBytes)
      }
    }

    /// Unmaps and closes now. Later uses throw `closed`.
    public func close() {
      if let region = mapping.withLock({ $0.take() }) { try? region.unmap() }
      if let owned = fd.withLock({ $0.take() }) { try? owned.close() }
    }
  }
}
