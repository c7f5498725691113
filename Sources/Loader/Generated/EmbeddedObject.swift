/// An object file embedded in Swift source as base64 text, the form
/// `swiftbpf gen skeleton` writes: a string literal costs the compiler
/// almost nothing to type-check, where an array literal of a million
/// `UInt8`s takes minutes.
public enum EmbeddedObject {
  /// The bytes of `base64` (RFC 4648 alphabet, `=` padding); line breaks and
  /// spaces are skipped. Throws for any other character or a truncated group.
  public static func decode(base64 text: String, name: String) throws(LoadError) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count / 4 * 3)
    var group: UInt32 = 0
    var count = 0
    var padding = 0
    for character in text.utf8 {
      let value: UInt8
      switch character {
      case UInt8(ascii: "A") ... UInt8(ascii: "Z"): value = character - UInt8(ascii: "A")
      case UInt8(ascii: "a") ... UInt8(ascii: "z"): value = character - UInt8(ascii: "a") + 26
      case UInt8(ascii: "0") ... UInt8(ascii: "9"): value = character - UInt8(ascii: "0") + 52
      case UInt8(ascii: "+"): value = 62
      case UInt8(ascii: "/"): value = 63
      case UInt8(ascii: "="): padding += 1; value = 0
      case UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: " "), UInt8(ascii: "\t"): continue
      default: throw invalid(name, "the character \(character) is not base64")
      }
      if padding > 0 && character != UInt8(ascii: "=") { throw invalid(name, "text after '=' padding") }
      group = group << 6 | UInt32(value)
      count += 1
      if count == 4 {
        bytes.append(UInt8(truncatingIfNeeded: group >> 16))
        if padding < 2 { bytes.append(UInt8(truncatingIfNeeded: group >> 8)) }
        if padding < 1 { bytes.append(UInt8(truncatingIfNeeded: group)) }
        group = 0
        count = 0
      }
    }
    guard count == 0, padding <= 2 else { throw invalid(name, "the text ends inside a 4-character group") }
    return bytes
  }

  private static func invalid(_ name: String, _ reason: String) -> LoadError {
    .invalidValue(name: name, reason: "embedded object: \(reason); regenerate the skeleton")
  }
}
