import UAPI

/// Initial values of global variables of any plain-data type, set before
/// the load (`.rodata` configuration, `.data` defaults).
extension Object {
  /// Sets the initial value of a global variable; `T`'s size (or stride)
  /// must be the variable's size in the object's BTF. Integers of an object
  /// in the other byte order go through `setVariable(_:to:)` for
  /// `FixedWidthInteger`, which swaps them; any other type needs the
  /// object in this machine's byte order.
  public mutating func setVariable<T: BitwiseCopyable>(_ name: String, to value: T, section: String? = nil)
    throws(LoadError)
  {
    let location = try variable(named: name, section: section)
    try LoadedObject.checkSize(T.self, location, name)
    guard file.byteOrder == .host else {
      throw .invalidValue(name: name, reason: "the object is \(file.byteOrder)-endian: set integers, or the bytes")
    }
    var bytes = [UInt8](repeating: 0, count: location.size)
    bytes.withUnsafeMutableBytes { $0.storeBytes(of: value, as: T.self) }
    try setVariable(name, bytes: bytes, section: section)
  }

  /// The initial value of a global variable as `T` (host byte order).
  public func variable<T: BitwiseCopyable>(_ name: String, as type: T.Type, section: String? = nil)
    throws(LoadError) -> T
  {
    let location = try variable(named: name, section: section)
    try LoadedObject.checkSize(T.self, location, name)
    guard file.byteOrder == .host else {
      throw .invalidValue(name: name, reason: "the object is \(file.byteOrder)-endian: read the bytes")
    }
    let bytes = try variableBytes(name, section: section)
    return bytes.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
  }
}
