extension BTF {
  /// A BTF type id: the index of a type record, 0 being `void`.
  ///
  /// In split BTF the ids of a module continue after its base's last id.
  public struct TypeID: RawRepresentable, Hashable, Comparable, Sendable, BitwiseCopyable,
    ExpressibleByIntegerLiteral, CustomStringConvertible
  {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// The type with id `rawValue`.
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    public init(integerLiteral value: UInt32) { rawValue = value }

    /// Type id 0.
    public static let void = TypeID(0)
    /// Whether this is id 0, `void`.
    public var isVoid: Bool { rawValue == 0 }

    public static func < (a: TypeID, b: TypeID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "[\(rawValue)]" }
  }

  /// A name: an offset into the string table, compared and hashed without
  /// building a `String` (`btf.string(of:)`, `btf.name(_:equals:)`).
  ///
  /// In split BTF the offset is global: offsets past the base's string table
  /// index the module's own strings.
  public struct Name: Hashable, Sendable, BitwiseCopyable, CustomStringConvertible {
    /// The byte offset in the string table (global, in split BTF).
    public var offset: UInt32
    /// The name at string-table offset `offset`.
    public init(offset: UInt32) { self.offset = offset }
    /// Offset 0 is the empty string (anonymous types).
    public static let anonymous = Name(offset: 0)
    /// Whether this is the empty name: an anonymous type or member.
    public var isAnonymous: Bool { offset == 0 }
    public var description: String { "name@\(offset)" }
  }
}
