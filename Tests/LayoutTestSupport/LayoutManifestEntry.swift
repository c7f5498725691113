/// One generated type as the compiler laid it out, from the listing
/// `SwiftTypeGenerator.layoutManifest` writes beside the generated types:
/// its MemoryLayout, and for each C member what Swift's accessor does.
///
/// Nothing here knows the C layout: the checks (`LayoutCheck`) compare these
/// measurements with the object's BTF and with clang.
public struct LayoutManifestEntry: Sendable {
  public let swiftName: String
  public let btfID: UInt32
  public let size: Int
  public let stride: Int
  public let alignment: Int
  public let isEnum: Bool
  public let members: [MemberMeasurement]

  /// A generated struct (record, union or packed struct) and its members.
  public static func record<T: BitwiseCopyable>(
    _ type: T.Type, btfID: UInt32, members: [MemberProbe<T>]
  ) -> LayoutManifestEntry {
    LayoutManifestEntry(
      swiftName: String(describing: T.self), btfID: btfID, size: MemoryLayout<T>.size,
      stride: MemoryLayout<T>.stride, alignment: MemoryLayout<T>.alignment, isEnum: false,
      members: members.map(\.measurement))
  }

  /// A generated enum (a raw-value struct).
  public static func enumeration<T: BitwiseCopyable>(_ type: T.Type, btfID: UInt32) -> LayoutManifestEntry {
    LayoutManifestEntry(
      swiftName: String(describing: T.self), btfID: btfID, size: MemoryLayout<T>.size,
      stride: MemoryLayout<T>.stride, alignment: MemoryLayout<T>.alignment, isEnum: true, members: [])
  }
}

/// What the compiler makes of one member's accessor.
public struct MemberMeasurement: Sendable {
  public enum Role: String, Sendable { case stored, computed, bitfield }
  public let cName: String
  public let role: Role
  /// `MemoryLayout.offset(of:)`: the offset for a stored property, nil for a computed one.
  public let offset: Int?
  /// The bytes of a zeroed record after the member is set to all ones: the
  /// ones are exactly the member's bits.
  public let onesWritten: [UInt8]
  /// The bytes of a zeroed record after the member is set to what it reads
  /// from a record holding `pattern`: the pattern's bytes under the member's bits.
  public let patternCopied: [UInt8]
  /// Bool is left out of the pattern copy: most byte patterns are not valid Bools.
  public let isBool: Bool
}

/// The byte pattern records are filled with: no two neighbouring bytes alike, none 0.
public func layoutPattern(_ count: Int) -> [UInt8] {
  (0 ..< count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) | 1 }
}

/// A member probe: measures the accessor behind a key path.
public struct MemberProbe<Record: BitwiseCopyable>: Sendable {
  let measurement: MemberMeasurement

  public static func stored<Value: BitwiseCopyable>(
    _ cName: String, _ path: WritableKeyPath<Record, Value>
  ) -> MemberProbe {
    MemberProbe(measurement: measure(cName, .stored, path))
  }

  public static func computed<Value: BitwiseCopyable>(
    _ cName: String, _ path: WritableKeyPath<Record, Value>
  ) -> MemberProbe {
    MemberProbe(measurement: measure(cName, .computed, path))
  }

  public static func bitfield<Value: BitwiseCopyable>(
    _ cName: String, _ path: WritableKeyPath<Record, Value>
  ) -> MemberProbe {
    MemberProbe(measurement: measure(cName, .bitfield, path))
  }

  static func measure<Value: BitwiseCopyable>(
    _ cName: String, _ role: MemberMeasurement.Role, _ path: WritableKeyPath<Record, Value>
  ) -> MemberMeasurement {
    var ones: Record = fill(repeating: 0)
    ones[keyPath: path] = fill(repeating: 0xFF)
    var copied: Record = fill(repeating: 0)
    let patterned: Record = load(layoutPattern(MemoryLayout<Record>.size))
    copied[keyPath: path] = patterned[keyPath: path]
    return MemberMeasurement(
      cName: cName, role: role, offset: MemoryLayout<Record>.offset(of: path),
      onesWritten: bytes(of: ones), patternCopied: bytes(of: copied), isBool: Value.self == Bool.self)
  }
}

func fill<T: BitwiseCopyable>(repeating byte: UInt8) -> T {
  load([UInt8](repeating: byte, count: MemoryLayout<T>.size))
}

func load<T: BitwiseCopyable>(_ bytes: [UInt8]) -> T {
  withUnsafeTemporaryAllocation(of: T.self, capacity: 1) { buffer in
    let raw = UnsafeMutableRawBufferPointer(buffer)
    raw.initializeMemory(as: UInt8.self, repeating: 0)
    raw.copyBytes(from: bytes.prefix(MemoryLayout<T>.size))
    return raw.load(as: T.self)
  }
}

/// The record's bytes (its size; the stride's tail is not part of it).
public func bytes<T: BitwiseCopyable>(of value: T) -> [UInt8] {
  withUnsafeBytes(of: value) { Array($0.prefix(MemoryLayout<T>.size)) }
}
