import Syscall
import UAPI

/// A stack trace map (`BPF_MAP_TYPE_STACK_TRACE`): programs store stacks
/// with `bpf_get_stackid` and pass the id on; user space reads the frames.
///
/// Kernel: key `u32` stack id, value `max_depth` × `u64` instruction
/// addresses, innermost first, unused slots zero (or `struct
/// bpf_stack_build_id` entries with `BPF_F_STACK_BUILD_ID`, which this view
/// does not decode).
public struct StackTraceMap: Sendable {
  /// The map handle the view reads through.
  public let map: LoadedObject.Map

  /// A view of `map`; throws `wrongType` for other map types and
  /// `sizeMismatch` unless its key is a `u32` and its value whole `u64`s.
  public init(_ map: LoadedObject.Map) throws(MapError) {
    guard map.type == .stackTrace else {
      throw .wrongType(map: map.name, type: map.type, use: "StackTraceMap serves stack trace maps")
    }
    guard map.keySize == 4 else {
      throw .sizeMismatch(map: map.name, part: .key, swiftType: "UInt32", swiftSize: 4, mapSize: Int(map.keySize))
    }
    guard map.valueSize > 0, map.valueSize % 8 == 0 else {
      throw .sizeMismatch(map: map.name, part: .value, swiftType: "[UInt64]", swiftSize: 8,
                          mapSize: Int(map.valueSize))
    }
    self.map = map
  }

  /// The frames of stack `id`, innermost first, without the unused slots;
  /// nil when there is no such stack.
  public func frames(_ id: UInt32) throws(MapError) -> [UInt64]? {
    let depth = Int(map.valueSize) / 8
    let map = self.map
    return try map.withDescriptor(closed: { MapError.closed(map: map.name) }) { (fd) throws(MapError) -> [UInt64]? in
      var key = id
      var frames = [UInt64](repeating: 0, count: depth)
      let outcome = withUnsafeBytes(of: &key) { k in
        frames.withUnsafeMutableBytes { v in
          Result { () throws(SyscallError) -> Bool in
            guard let keyBase = k.baseAddress, let valueBase = v.baseAddress else { return false }
            return try map.kernel.lookupElement(map: fd, key: keyBase, value: valueBase, flags: [])
          }
        }
      }
      switch outcome {
      case .success(true): return Array(frames.prefix { $0 != 0 })
      case .success(false): return nil
      case .failure(let error): throw .syscall(error, map: map.name)
      }
    }
  }

  /// Forgets stack `id`; false when there was none.
  @discardableResult
  public func remove(_ id: UInt32) throws(MapError) -> Bool {
    let map = self.map
    return try map.withDescriptor(closed: { MapError.closed(map: map.name) }) { (fd) throws(MapError) -> Bool in
      var key = id
      let outcome = withUnsafeBytes(of: &key) { k in
        Result { () throws(SyscallError) -> Bool in try map.kernel.deleteElement(map: fd, key: k.baseAddress) }
      }
      switch outcome {
      case .success(let removed): return removed
      case .failure(let error): throw .syscall(error, map: map.name)
      }
    }
  }
}
