import ELFReader
import Synchronization
import Syscall
import UAPI

extension LoadedObject {
  /// A map in the kernel: its fd, attributes and, for global data, the
  /// memory mapping through which Swift reads and writes its variables.
  ///
  /// The fd is closed by `close()` or when the last reference goes away,
  /// never while a `withFD` body on any thread is using it.
  public final class Map: Sendable, Hashable {
    /// The object's name for it (`hash_map`, or `globals.bss` for data).
    public let name: String
    /// The data section of an internal map (`.bss`), nil otherwise.
    public let sectionName: String?
    /// The map type, as created.
    public let type: MapType
    /// Key size in bytes, as created.
    public let keySize: UInt32
    /// Value size in bytes, as created (0 for ring buffers: see `recordType`).
    public let valueSize: UInt32
    /// Capacity, as created (bytes for ring buffers).
    public let maxEntries: UInt32
    /// Creation flags (`map_flags`).
    public let flags: MapFlags
    /// Where it is pinned, when it is (by the load, or by `pin(at:)`).
    public var pinPath: String? { pinState.withLock { $0 } }
    let pinState: Mutex<String?>
    /// True when a pinned map (or a given fd) was reused instead of created.
    public let isReused: Bool
    /// Programs may read but user space may not change it (`.rodata`, `.kconfig`).
    public let isFrozen: Bool
    /// For a ring buffer declared with `__type(value, struct event)`: that
    /// type's name and size, which `RingBuffer.events(of:)` checks a Swift
    /// type against. The kernel knows nothing of it (its value size is 0).
    public let recordType: MapDefinition.RecordType?
    @usableFromInline let descriptor: SharedDescriptor
    /// The kernel it lives in (struct_ops links and event readers use it).
    @usableFromInline let kernel: any KernelInterface
    let mapping: Mutex<MappedRegion?>
    let preparedValue = Mutex<[UInt8]?>(nil)

    /// For struct_ops maps: the value to store under key 0 when registering
    /// (the kernel's `bpf_struct_ops_<struct>` with the object's data
    /// members and each implemented operation's program fd). Storing it
    /// registers a `.struct_ops` map; a `.struct_ops.link` one (`BPF_F_LINK`)
    /// is registered by a `BPF_LINK_CREATE` after the store.
    public var structOpsValue: [UInt8]? { preparedValue.withLock { $0 } }

    init(kernel: any KernelInterface, name: String, sectionName: String?, type: MapType, keySize: UInt32, valueSize: UInt32,
         maxEntries: UInt32, flags: MapFlags, pinPath: String?, isReused: Bool, isFrozen: Bool,
         recordType: MapDefinition.RecordType? = nil, fd: consuming OwnedFD, mapping: consuming MappedRegion?) {
      self.name = name
      self.sectionName = sectionName
      self.type = type
      self.keySize = keySize
      self.valueSize = valueSize
      self.maxEntries = maxEntries
      self.flags = flags
      self.pinState = Mutex(pinPath)
      self.isReused = isReused
      self.isFrozen = isFrozen
      self.recordType = recordType
      self.descriptor = SharedDescriptor(fd)
      self.kernel = kernel
      self.mapping = Mutex(mapping)
    }

    /// A handle owning `fd`, a map made outside a load (by the project's
    /// tests and fakes).
    package static func adopting(
      _ fd: consuming OwnedFD, name: String, type: MapType, keySize: UInt32 = 4, valueSize: UInt32 = 4,
      maxEntries: UInt32 = 1, recordType: MapDefinition.RecordType? = nil,
      kernel: any KernelInterface = SystemKernel.shared
    ) -> Map {
      Map(kernel: kernel, name: name, sectionName: nil, type: type, keySize: keySize, valueSize: valueSize, maxEntries: maxEntries,
          flags: [], pinPath: nil, isReused: true, isFrozen: false, recordType: recordType, fd: fd, mapping: nil)
    }

    /// Runs `body` with the map's fd, which stays open until `body`
    /// returns even if another thread calls `close()` meanwhile; throws
    /// `LoadError.closed` once the map was closed. Do not keep the fd.
    public func withFD<R: ~Copyable>(_ body: (BorrowedFD) throws -> R) throws -> R {
      try descriptor.withDescriptor(ifClosed: { LoadError.closed(object: name) as any Error }, body)
    }

    /// `withFD` for bodies with a typed error; `closed` makes the error
    /// given for a closed map.
    @inlinable
    func withDescriptor<R: ~Copyable, E: Error>(
      closed: () -> E, _ body: (BorrowedFD) throws(E) -> R
    ) throws(E) -> R {
      try descriptor.withDescriptor(ifClosed: closed, body)
    }

    /// `withDescriptor` for bodies that throw `LoadError`.
    func withDescriptor<R: ~Copyable>(_ body: (BorrowedFD) throws(LoadError) -> R) throws(LoadError) -> R {
      try withDescriptor(closed: { LoadError.closed(object: name) }, body)
    }

    /// The fd while the map is open, unguarded: for the project's own code
    /// and tests that keep the handle open themselves. Use `withFD`.
    package var borrowedFD: BorrowedFD? { descriptor.unguardedDescriptor }

    /// The kernel's description of the map.
    public func info() throws(LoadError) -> MapInfo {
      try withDescriptor { (fd) throws(LoadError) in
        do throws(SyscallError) { return try kernel.mapInfo(fd) } catch {
          throw .kernelQuery(object: name, operation: "BPF_OBJ_GET_INFO_BY_FD", error)
        }
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

    /// Handles are equal when they are the same handle.
    public static func == (a: Map, b: Map) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }

    /// Unmaps and closes (at once, or as the last running `withFD` body
    /// returns). Later uses throw `closed`.
    public func close() {
      if let region = mapping.withLock({ $0.take() }) { try? region.unmap() }
      descriptor.close()
    }
  }
}
