import Syscall

/// Global variables of any plain-data type (structs mirroring C structs,
/// tuples, floating point, arrays as tuples), read and written through the
/// data section's mapping. Sizes are checked against the variable's size in
/// the object's BTF (`DATASEC`): the Swift type's size or stride must be it.
extension LoadedObject {
  /// A global variable's current value as `T`.
  public func variable<T: BitwiseCopyable>(_ name: String, as type: T.Type = T.self) throws(LoadError) -> T {
    let (map, location) = try locate(name)
    try Self.checkSize(T.self, location, name)
    let value: T? = map.withMappedBytes { bytes in
      bytes.loadUnaligned(fromByteOffset: location.offset, as: T.self)
    }
    guard let value else { throw .invalidValue(name: name, reason: "its section's map is not memory-mapped") }
    return value
  }

  /// Writes a global variable (`.data`, `.bss`; `.rodata` is frozen).
  public func setVariable<T: BitwiseCopyable>(_ name: String, to value: T) throws(LoadError) {
    let (map, location) = try locate(name)
    try Self.checkSize(T.self, location, name)
    if map.isFrozen { throw .readOnly(name: map.name) }
    let written: Void? = map.withMappedBytes { bytes in
      bytes.storeBytes(of: value, toByteOffset: location.offset, as: T.self)
    }
    if written == nil { throw .invalidValue(name: name, reason: "its section's map is not memory-mapped") }
  }

  /// Runs `body` with a pointer to the variable in the mapped memory the
  /// BPF programs use, for atomic operations on it (for example with
  /// swift-atomics' `UnsafeAtomic(at:)` on a `UInt64` counter). The memory
  /// stays mapped for the call; other Swift accesses to the object's global
  /// data wait until it returns. Do not keep the pointer, and do not close
  /// the object from inside `body`.
  ///
  /// Throws for `.rodata` (mapped read-only), a variable whose offset is not
  /// aligned for `T`, or a size mismatch.
  public func withVariable<T: BitwiseCopyable, R>(
    _ name: String, as type: T.Type, _ body: (UnsafeMutablePointer<T>) throws -> R
  ) throws -> R {
    let (map, location) = try locate(name)
    try Self.checkSize(T.self, location, name)
    if map.isFrozen { throw LoadError.readOnly(name: map.name) }
    guard location.offset % MemoryLayout<T>.alignment == 0 else {
      throw LoadError.invalidValue(
        name: name, reason: "its offset \(location.offset) is not aligned for \(T.self) (\(MemoryLayout<T>.alignment))")
    }
    let result: R? = try map.withMappedBytes { (bytes) throws -> R in
      guard let base = bytes.baseAddress else { throw LoadError.invalidValue(name: name, reason: "empty mapping") }
      return try body((base + location.offset).assumingMemoryBound(to: T.self))
    }
    guard let result else { throw LoadError.invalidValue(name: name, reason: "its section's map is not memory-mapped") }
    return result
  }

  static func checkSize<T>(_ type: T.Type, _ location: Object.VariableLocation, _ name: String) throws(LoadError) {
    guard location.size == MemoryLayout<T>.size || location.size == MemoryLayout<T>.stride else {
      throw .invalidValue(
        name: name, reason: "the variable has \(location.size) bytes (its BTF), \(T.self) has \(MemoryLayout<T>.size)")
    }
  }
}
