import UAPI

/// Reading the values that BTF-defined map definitions (section `.maps`)
/// encode in member types.
///
/// libbpf's `__uint(name, N)` declares `int (*name)[N]` and `__type(name, T)`
/// declares `T *name`: the numbers live only in the types, so a loader reads
/// them back from the BTF (a `.maps` DATASEC → VAR → STRUCT whose members
/// are `type`, `key`, `value`, `max_entries`, `map_flags`, ...).
extension BTF {
  /// `N` for a member declared `int (*name)[N]` (`__uint(name, N)`).
  public func arrayCount(pointedToBy type: TypeID) throws(BTFError) -> UInt32 {
    guard case .array(let array) = try self[pointee(of: type)] else {
      throw .wrongKind(typeID: type.rawValue, expected: "PTR to ARRAY", found: try kind(of: pointee(of: type)).kernelName)
    }
    return array.count
  }

  /// `T` for a member declared `T *name` (`__type(name, T)`), through
  /// modifiers and typedefs on the pointer.
  public func pointee(of type: TypeID) throws(BTFError) -> TypeID {
    let resolvedType = try resolved(type)
    guard case .pointer(let target) = try self[resolvedType] else {
      throw .wrongKind(typeID: type.rawValue, expected: "PTR", found: try kind(of: resolvedType).kernelName)
    }
    return target
  }
}
