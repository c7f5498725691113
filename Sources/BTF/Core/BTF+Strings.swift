import UAPI

/// The string table: names resolved and compared in place (hashing for the
/// name indexes is in `BTF+NameHash.swift`).
extension BTF {
  /// The text of a name (builds a `String`; use `name(_:equals:)` to compare).
  public func string(of name: Name) throws(BTFError) -> String {
    try withNameBytes(name) { span, start, length in
      var bytes = [UInt8]()
      bytes.reserveCapacity(length)
      for i in start ..< start + length { bytes.append(span.byteUnchecked(i)) }
      return String(decoding: bytes, as: UTF8.self)
    }
  }

  /// The name of a type as a `String` ("" for anonymous types).
  public func nameString(of id: TypeID) throws(BTFError) -> String {
    try string(of: try name(of: id))
  }

  /// Whether a name spells `text`, without building a `String`.
  public func name(_ name: Name, equals text: String) -> Bool {
    var text = text
    return text.withUTF8 { utf8 in
      (try? withNameBytes(name) { span, start, length in
        guard length == utf8.count else { return false }
        for i in 0 ..< length where span.byteUnchecked(start + i) != utf8[i] { return false }
        return true
      }) ?? false
    }
  }

  /// Calls `body` with the span holding a name, its start and its length
  /// (without the NUL). Split BTF sends base offsets to the base.
  func withNameBytes<R>(_ name: Name, _ body: (RawSpan, Int, Int) -> R) throws(BTFError) -> R {
    if name.offset < stringBase {
      guard let base else { throw .stringOffsetOutOfRange(typeID: 0, offset: 0, stringOffset: name.offset) }
      return try base.withNameBytes(name, body)
    }
    let local = Int(name.offset - stringBase)
    guard local < layout.stringLength else {
      throw .stringOffsetOutOfRange(typeID: 0, offset: layout.stringStart, stringOffset: name.offset)
    }
    let start = layout.stringStart + local
    let end = layout.stringStart + layout.stringLength
    return storage.withSpan { span in
      var i = start
      // The table's last byte is NUL (checked at parse time), so this stops.
      while i < end && span.byteUnchecked(i) != 0 { i += 1 }
      return body(span, start, i - start)
    }
  }

  /// Whether a string offset is inside this BTF's (or its base's) table.
  public func isValid(_ name: Name) -> Bool { name.offset < totalStringLength }

  /// The part of a CO-RE name before its flavor: `task_struct___v1` →
  /// `task_struct`. A flavor starts at the last `___` that has a non-`_` on
  /// both sides; names without one are their own essential name.
  public static func essentialName(_ name: String) -> Substring {
    let utf8 = Array(name.utf8)
    let length = essentialLength(count: utf8.count) { utf8[$0] }
    let end = name.utf8.index(name.utf8.startIndex, offsetBy: length)
    return name[..<end]
  }

  /// Length of the essential part of a name whose bytes `byte(i)` returns.
  @inline(__always)
  static func essentialLength(count: Int, _ byte: (Int) -> UInt8) -> Int {
    let underscore = UInt8(ascii: "_")
    var i = count - 5
    while i >= 0 {
      if byte(i) != underscore && byte(i + 1) == underscore && byte(i + 2) == underscore
        && byte(i + 3) == underscore && byte(i + 4) != underscore
      {
        return i + 1
      }
      i -= 1
    }
    return count
  }
}
