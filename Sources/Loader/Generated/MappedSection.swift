import Syscall

/// A global data section (`.bss`, `.data`, `.rodata`…) of a loaded object,
/// read and written as the Swift struct `Layout` that `swiftbpf gen
/// skeleton` generated for it, straight through the memory the BPF programs
/// use (the section's map is memory-mapped).
///
/// ```swift
/// let hits = try skeleton.bss.hits          // reads 8 bytes of the live mapping
/// try skeleton.bss.set(\.threshold, to: 10) // the programs see it at once
/// ```
///
/// A member that is a stored property (every member the generator could
/// place at its C offset) is read or written alone, at
/// `MemoryLayout<Layout>.offset(of:)`. A computed member (a bitfield, a
/// packed member) is read from a copy of the whole section, and written by
/// reading, changing and writing the whole section back — not atomic with
/// respect to the programs: use stored members for values both sides change.
///
/// Every access holds the mapping for its duration; after the object is
/// closed, accesses throw `LoadError.closed` instead of touching unmapped
/// memory.
@dynamicMemberLookup
public struct MappedSection<Layout: BitwiseCopyable>: Sendable {
  /// The section's map.
  public let map: LoadedObject.Map

  /// Checks that `Layout` has the section's size (the map's value size).
  public init(_ map: LoadedObject.Map, as layout: Layout.Type = Layout.self) throws(LoadError) {
    let size = Int(map.valueSize)
    guard MemoryLayout<Layout>.size == size || MemoryLayout<Layout>.stride == size else {
      throw .invalidValue(
        name: map.name,
        reason: "the section has \(size) bytes, \(Layout.self) has \(MemoryLayout<Layout>.size): regenerate the skeleton from this object")
    }
    self.map = map
  }

  /// The member at `member`, read from the mapping now.
  public subscript<Member>(dynamicMember member: KeyPath<Layout, Member>) -> Member {
    get throws(LoadError) { try value(member) }
  }

  /// The member at `member`, read from the mapping now.
  public func value<Member>(_ member: KeyPath<Layout, Member>) throws(LoadError) -> Member {
    if let offset = MemoryLayout<Layout>.offset(of: member) {
      return try withBytes { $0.loadUnaligned(fromByteOffset: offset, as: Member.self) }
    }
    return try read()[keyPath: member]
  }

  /// Writes `newValue` at `member`; `.rodata` (frozen after load) refuses.
  public func set<Member>(_ member: WritableKeyPath<Layout, Member>, to newValue: Member) throws(LoadError) {
    if map.isFrozen { throw .readOnly(name: map.name) }
    if let offset = MemoryLayout<Layout>.offset(of: member) {
      try withBytes { $0.storeBytes(of: newValue, toByteOffset: offset, as: Member.self) }
      return
    }
    try withBytes { bytes in
      var whole = bytes.loadUnaligned(as: Layout.self)
      whole[keyPath: member] = newValue
      bytes.storeBytes(of: whole, as: Layout.self)
    }
  }

  /// A copy of the whole section.
  public func read() throws(LoadError) -> Layout {
    try withBytes { $0.loadUnaligned(as: Layout.self) }
  }

  /// Overwrites the whole section.
  public func write(_ value: Layout) throws(LoadError) {
    if map.isFrozen { throw .readOnly(name: map.name) }
    try withBytes { $0.storeBytes(of: value, as: Layout.self) }
  }

  /// Runs `body` with a pointer to the member in the mapped memory, for
  /// atomic operations shared with the BPF programs (for example
  /// swift-atomics' `UnsafeAtomic(at:)` on a `UInt64` counter). The member
  /// must be a stored property aligned for its type. The memory stays mapped
  /// for the call; do not keep the pointer.
  public func withPointer<Member, R>(
    to member: WritableKeyPath<Layout, Member>, _ body: (UnsafeMutablePointer<Member>) throws -> R
  ) throws -> R {
    if map.isFrozen { throw LoadError.readOnly(name: map.name) }
    guard let offset = MemoryLayout<Layout>.offset(of: member) else {
      throw LoadError.invalidValue(name: map.name, reason: "\(member) is not stored at a fixed offset (a bitfield or packed member)")
    }
    guard offset % MemoryLayout<Member>.alignment == 0 else {
      throw LoadError.invalidValue(name: map.name, reason: "\(member) at offset \(offset) is not aligned for \(Member.self)")
    }
    let result: R? = try map.withMappedBytes { (bytes) throws -> R in
      guard let base = bytes.baseAddress else { throw LoadError.invalidValue(name: map.name, reason: "empty mapping") }
      return try body((base + offset).assumingMemoryBound(to: Member.self))
    }
    guard let result else { throw LoadError.closed(object: map.name) }
    return result
  }

  /// The mapped bytes for one access; the section's size was checked at init.
  private func withBytes<R>(_ body: (UnsafeMutableRawBufferPointer) -> R) throws(LoadError) -> R {
    let result: R?? = map.withMappedBytes { (bytes) -> R? in
      bytes.count >= MemoryLayout<Layout>.size ? body(bytes) : nil
    }
    guard let mapped = result else { throw .closed(object: map.name) }
    guard let value = mapped else {
      throw .invalidValue(name: map.name, reason: "the mapping is smaller than \(Layout.self)")
    }
    return value
  }
}
