import ELFReader
import UAPI

extension Object {
  /// Where a global variable lives: its section, offset and size.
  public struct VariableLocation: Sendable, Hashable {
    /// The data section (`.bss`, `.rodata.str1.1`).
    public var section: String
    /// Its offset in the section, in bytes.
    public var offset: Int
    /// Its size in bytes, from BTF.
    public var size: Int
  }

  /// The variable called `name` in `.data*`, `.rodata*` or `.bss*`
  /// (`section` narrows the search when two sections hold the same name).
  public func variable(named name: String, section: String? = nil) throws(LoadError) -> VariableLocation {
    for data in file.dataSections where section == nil || data.name == section {
      guard data.kind == .data || data.kind == .rodata || data.kind == .bss else { continue }
      guard let v = data.variables.first(where: { $0.name == name }) else { continue }
      return VariableLocation(section: data.name, offset: Int(clamping: v.offset), size: Int(clamping: v.size))
    }
    throw .notFound(what: "global variable", name: name, object: file.name)
  }

  /// Sets the initial bytes of a global variable; the size must be the variable's.
  public mutating func setVariable(_ name: String, bytes: [UInt8], section: String? = nil) throws(LoadError) {
    let location = try variable(named: name, section: section)
    guard bytes.count == location.size else {
      throw .invalidValue(name: name, reason: "\(bytes.count) bytes given, the variable has \(location.size)")
    }
    guard var contents = sectionBytes[location.section],
          location.offset >= 0, location.offset <= contents.count, location.size <= contents.count - location.offset
    else {
      throw .invalidValue(name: name, reason: "lies outside its section \(location.section)")
    }
    contents.replaceSubrange(location.offset ..< location.offset + location.size, with: bytes)
    sectionBytes[location.section] = contents
  }

  /// Sets an integer global variable; `T`'s size must be the variable's size.
  public mutating func setVariable<T: FixedWidthInteger & BitwiseCopyable>(_ name: String, to value: T, section: String? = nil)
    throws(LoadError)
  {
    try setVariable(name, bytes: Object.bytes(of: value, order: file.byteOrder), section: section)
  }

  /// The current initial bytes of a global variable.
  public func variableBytes(_ name: String, section: String? = nil) throws(LoadError) -> [UInt8] {
    let location = try variable(named: name, section: section)
    guard let contents = sectionBytes[location.section], location.offset >= 0, location.offset <= contents.count,
          location.size <= contents.count - location.offset
    else {
      throw .invalidValue(name: name, reason: "lies outside its section \(location.section)")
    }
    return Array(contents[location.offset ..< location.offset + location.size])
  }

  /// The whole initial contents of a data section (`.rodata`), nil if absent.
  public func sectionContents(_ section: String) -> [UInt8]? { sectionBytes[section] }

  static func bytes<T: FixedWidthInteger>(of value: T, order: ByteOrder) -> [UInt8] {
    let v = order == .little ? value.littleEndian : value.bigEndian
    return withUnsafeBytes(of: v) { Array($0) }
  }
}
