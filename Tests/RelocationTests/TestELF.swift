import Foundation

/// A minimal ELF64 section reader for the tests (the ELF module is not part
/// of this target's dependencies): section names and bytes, and the byte
/// order from `e_ident`. Only what the CO-RE tests need, both byte orders.
struct TestELF {
  enum Failure: Error { case notELF(String), truncated(String), noSection(String) }

  let isBigEndian: Bool
  private(set) var sections: [String: [UInt8]] = [:]

  init(path: String) throws {
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    guard bytes.count >= 64, bytes[0] == 0x7f, bytes[1] == 0x45, bytes[2] == 0x4c, bytes[3] == 0x46,
          bytes[4] == 2 else { throw Failure.notELF(path) }
    isBigEndian = bytes[5] == 2
    let big = isBigEndian
    func u(_ offset: Int, _ size: Int) throws -> Int {
      guard offset >= 0, offset + size <= bytes.count else { throw Failure.truncated(path) }
      var value = 0
      for i in 0 ..< size {
        let byte = Int(bytes[offset + (big ? i : size - 1 - i)])
        value = value << 8 | byte
      }
      return value
    }
    let shoff = try u(0x28, 8), shentsize = try u(0x3a, 2), shnum = try u(0x3c, 2), shstrndx = try u(0x3e, 2)
    func header(_ i: Int) throws -> (name: Int, type: Int, offset: Int, size: Int) {
      let at = shoff + i * shentsize
      return (try u(at, 4), try u(at + 4, 4), try u(at + 0x18, 8), try u(at + 0x20, 8))
    }
    let strings = try header(shstrndx)
    for i in 0 ..< shnum {
      let h = try header(i)
      guard h.type != 8 else { continue }  // SHT_NOBITS
      var end = strings.offset + h.name
      while end < bytes.count && bytes[end] != 0 { end += 1 }
      let name = String(decoding: bytes[(strings.offset + h.name) ..< end], as: UTF8.self)
      guard h.offset + h.size <= bytes.count else { throw Failure.truncated(path) }
      sections[name] = Array(bytes[h.offset ..< h.offset + h.size])
    }
  }

  func section(_ name: String) throws -> [UInt8] {
    guard let bytes = sections[name] else { throw Failure.noSection(name) }
    return bytes
  }
}
