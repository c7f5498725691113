import UAPI

/// Builds BTF bytes by hand, straight from the format in the kernel's
/// Documentation/bpf/btf.rst, independently of the library's writer: the
/// expected values of the hand-built tests come from here.
struct RawBTF {
  var order: ByteOrder = .little
  /// String table; starts with the empty string unless `splitStrings`.
  var strings: [UInt8] = [0]
  var types: [UInt8] = []
  var typeCount = 0
  /// First id of this blob (1, or the base's type count for split BTF).
  var firstID: UInt32 = 1
  /// Global offset of this blob's strings (the base's string length).
  var stringBase: UInt32 = 0

  init(order: ByteOrder = .little, firstID: UInt32 = 1, stringBase: UInt32 = 0) {
    self.order = order
    self.firstID = firstID
    self.stringBase = stringBase
  }

  /// Adds a string and returns its global offset (reusing an equal one).
  mutating func string(_ text: String) -> UInt32 {
    if text.isEmpty && stringBase == 0 { return 0 }
    let offset = UInt32(strings.count) + stringBase
    strings.append(contentsOf: Array(text.utf8) + [0])
    return offset
  }

  func u32(_ value: UInt32, into bytes: inout [UInt8]) {
    let v = order == .little ? value.littleEndian : value.bigEndian
    withUnsafeBytes(of: v) { bytes.append(contentsOf: $0) }
  }

  mutating func word(_ value: UInt32) {
    var t = types
    types = []
    u32(value, into: &t)
    types = t
  }

  /// Appends `struct btf_type`; returns the new id.
  @discardableResult
  mutating func type(name: String = "", kind: UInt32, vlen: UInt32 = 0, flag: Bool = false,
                     sizeOrType: UInt32, _ trailer: [UInt32] = []) -> UInt32 {
    let nameOff = name.isEmpty ? 0 : string(name)
    return type(nameOff: nameOff, kind: kind, vlen: vlen, flag: flag, sizeOrType: sizeOrType, trailer)
  }

  @discardableResult
  mutating func type(nameOff: UInt32, kind: UInt32, vlen: UInt32 = 0, flag: Bool = false,
                     sizeOrType: UInt32, _ trailer: [UInt32] = []) -> UInt32 {
    word(nameOff)
    word((flag ? 1 << 31 : 0) | kind << 24 | vlen)
    word(sizeOrType)
    for w in trailer { word(w) }
    typeCount += 1
    return firstID + UInt32(typeCount - 1)
  }

  /// Header (24 bytes) + types + strings.
  func bytes(headerLength: UInt32 = 24) -> [UInt8] {
    let copy = self
    var out = [UInt8]()
    let magic: [UInt8] = order == .little ? [0x9F, 0xEB] : [0xEB, 0x9F]
    out += magic + [1, 0]
    copy.u32(headerLength, into: &out)
    copy.u32(0, into: &out)
    copy.u32(UInt32(types.count), into: &out)
    copy.u32(UInt32(types.count), into: &out)
    copy.u32(UInt32(strings.count), into: &out)
    out += [UInt8](repeating: 0, count: Int(headerLength) - 24)
    return out + types + strings
  }
}
