/// Base64 text (RFC 4648, `=` padding) in lines of `lineLength` characters:
/// how a skeleton embeds its object (decoded by the library's
/// `EmbeddedObject.decode(base64:name:)`).
enum Base64 {
  static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  static func lines(_ bytes: [UInt8], lineLength: Int = 76) -> [String] {
    var text: [UInt8] = []
    text.reserveCapacity((bytes.count + 2) / 3 * 4)
    var index = 0
    while index < bytes.count {
      let remaining = bytes.count - index
      let b0 = UInt32(bytes[index])
      let b1 = remaining > 1 ? UInt32(bytes[index + 1]) : 0
      let b2 = remaining > 2 ? UInt32(bytes[index + 2]) : 0
      let group = b0 << 16 | b1 << 8 | b2
      text.append(alphabet[Int(group >> 18 & 63)])
      text.append(alphabet[Int(group >> 12 & 63)])
      text.append(remaining > 1 ? alphabet[Int(group >> 6 & 63)] : UInt8(ascii: "="))
      text.append(remaining > 2 ? alphabet[Int(group & 63)] : UInt8(ascii: "="))
      index += 3
    }
    var lines: [String] = []
    lines.reserveCapacity(text.count / lineLength + 1)
    var start = 0
    while start < text.count {
      let end = min(start + lineLength, text.count)
      lines.append(String(decoding: text[start ..< end], as: UTF8.self))
      start = end
    }
    return lines
  }
}
