import ELFReader
import Synchronization
import Syscall
import UAPI

/// A loaded object: its maps and programs have fds.
///
/// The second phase of the lifecycle, returned by `Object.load()`. Dropping
/// it (and every handle taken from it) releases every fd and mapping;
/// `close()` does so at once. What the load decided or fell back on
/// (BTF refused, a pinned map reused…) went to `OpenOptions.logger`.
public final class LoadedObject: Sendable {
  /// The object name (`OpenOptions.objectName`, default the file name up to
  /// its first dot).
  public let name: String
  /// Every created (or reused) map, in creation order.
  public let maps: [Map]
  /// Every loaded program, in the object's order.
  public let programs: [Program]
  let variables: [String: Object.VariableLocation]
  let byteOrder: ByteOrder

  init(name: String, maps: [Map], programs: [Program],
       variables: [String: Object.VariableLocation], byteOrder: ByteOrder) {
    self.name = name
    self.maps = maps
    self.programs = programs
    self.variables = variables
    self.byteOrder = byteOrder
  }

  /// The map called `name` (symbol name, kernel name or data section name).
  public func map(named name: String) -> Map? {
    maps.first { $0.name == name || $0.sectionName == name }
  }

  /// The program called `name`.
  public func program(named name: String) -> Program? {
    programs.first { $0.name == name }
  }

  /// The map holding data section `section` (`.bss`).
  public func data(_ section: String) -> Map? {
    maps.first { $0.sectionName == section }
  }

  /// The current bytes of a global variable, read through the mapping.
  public func variableBytes(_ name: String) throws(LoadError) -> [UInt8] {
    let (map, location) = try locate(name)
    return try map.read(at: location.offset, count: location.size)
  }

  /// An integer global variable's current value; `T` must have its size.
  public func variable<T: FixedWidthInteger & BitwiseCopyable>(_ name: String, as type: T.Type = T.self) throws(LoadError) -> T {
    let bytes = try variableBytes(name)
    guard bytes.count == MemoryLayout<T>.size else {
      throw .invalidValue(name: name, reason: "the variable has \(bytes.count) bytes, \(T.self) has \(MemoryLayout<T>.size)")
    }
    var raw = T.zero
    withUnsafeMutableBytes(of: &raw) { $0.copyBytes(from: bytes) }
    return byteOrder == .little ? T(littleEndian: raw) : T(bigEndian: raw)
  }

  /// Writes an integer global variable through the mapping (`.data`, `.bss`;
  /// `.rodata` is frozen).
  public func setVariable<T: FixedWidthInteger & BitwiseCopyable>(_ name: String, to value: T) throws(LoadError) {
    let (map, location) = try locate(name)
    guard location.size == MemoryLayout<T>.size else {
      throw .invalidValue(name: name, reason: "the variable has \(location.size) bytes, \(T.self) has \(MemoryLayout<T>.size)")
    }
    try map.write(Object.bytes(of: value, order: byteOrder), at: location.offset)
  }

  func locate(_ name: String) throws(LoadError) -> (Map, Object.VariableLocation) {
    guard let location = variables[name], let map = data(location.section) else {
      throw .notFound(what: "global variable", name: name, object: self.name)
    }
    return (map, location)
  }

  /// Closes every program and map now.
  public func close() {
    for program in programs { program.close() }
    for map in maps { map.close() }
  }
}
