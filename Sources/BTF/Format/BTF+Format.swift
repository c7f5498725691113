import UAPI

extension BTF {
  /// Nesting deeper than this is refused: the BTF of a map comes from the
  /// kernel or a file, and a bound keeps a hostile one from exhausting the stack.
  static var maximumFormatDepth: Int { 64 }

  /// Reads `bytes` (a map key or value, an event) as a value of type `id`,
  /// following what `bpftool map dump -j` (7.1) prints, so the two can be
  /// compared: integers as numbers (signed or not by their encoding), `bool`
  /// as true/false, enums by enumerator name (a number when none matches),
  /// char arrays holding a NUL-terminated printable string as strings and
  /// every other array as a list, structs and unions as objects by member
  /// name (an anonymous member under the key `""`), bitfields as hex strings
  /// (`"0x11"`: bpftool's form), pointers as numbers, a data section as
  /// `{"SECTION": [{"var": value}, ...]}`.
  /// Typedefs and qualifiers are looked through. Multi-byte values are read
  /// in this BTF's byte order.
  ///
  /// Throws `.truncated` when `bytes` is shorter than the type, and a type
  /// error for kinds that hold no data (void, functions).
  package func format(_ bytes: UnsafeRawBufferPointer, as id: TypeID) throws(BTFError) -> FormattedValue {
    try format(id, bytes, at: 0, depth: 0)
  }

  private func format(
    _ id: TypeID, _ bytes: UnsafeRawBufferPointer, at offset: Int, depth: Int
  ) throws(BTFError) -> FormattedValue {
    guard depth <= Self.maximumFormatDepth else {
      throw .invalidType(typeID: id.rawValue, offset: recordOffset(id) ?? 0, reason: "nested too deeply to format")
    }
    let resolvedID = try resolved(id)
    switch try self[resolvedID] {
    case .integer(let integer):
      return try format(integer, bytes, at: offset, bitOffset: Int(integer.bitOffset))
    case .enum(let enumeration), .enum64(let enumeration):
      let size = Int(enumeration.size)
      let bits = try load(bytes, at: offset, size: size)
      let mask: UInt64 = size >= 8 ? .max : (1 << UInt64(size * 8)) - 1
      for enumerator in try enumerators(of: resolvedID) where enumerator.bits & mask == bits {
        return .string(try string(of: enumerator.name))
      }
      return enumeration.isSigned ? .signed(signExtend(bits, bits: size * 8)) : .unsigned(bits)
    case .pointer:
      return .unsigned(try load(bytes, at: offset, size: pointerSize))
    case .float(let float):
      return try format(float, bytes, at: offset)
    case .array(let array):
      return try format(array, bytes, at: offset, depth: depth)
    case .struct(let composite), .union(let composite):
      try check(bytes, at: offset, size: Int(composite.size))
      return .object(try fields(of: resolvedID, bytes, at: offset, depth: depth))
    case .dataSection(let section):
      var variables: [FormattedValue] = []
      for variable in try self.variables(of: resolvedID) {
        let (start, overflow) = offset.addingReportingOverflow(Int(variable.offset))
        guard !overflow else { throw .truncated(offset: offset, needed: Int(variable.size)) }
        guard case .variable(let v) = try self[variable.type] else { continue }
        let value = try format(v.type, bytes, at: start, depth: depth + 1)
        variables.append(.object([.init(try string(of: v.name), value)]))
      }
      return .object([.init(try string(of: section.name), .list(variables))])
    case .variable(let variable):
      return try format(variable.type, bytes, at: offset, depth: depth + 1)
    case let other:
      throw .wrongKind(typeID: resolvedID.rawValue, expected: "a type that holds data", found: "\(other.kind)")
    }
  }

  private func format(
    _ integer: Integer, _ bytes: UnsafeRawBufferPointer, at offset: Int, bitOffset: Int
  ) throws(BTFError) -> FormattedValue {
    let size = Int(integer.size)
    let width = Int(integer.bitCount)
    if size == 16 {
      // JSON numbers stop at 64 bits: bpftool prints these as hex, so do we.
      let (low, high) = try (load(bytes, at: offset + (byteOrder == .little ? 0 : 8), size: 8),
                             load(bytes, at: offset + (byteOrder == .little ? 8 : 0), size: 8))
      let highText = high == 0 ? "" : String(high, radix: 16)
      var lowText = String(low, radix: 16)
      if high != 0 { lowText = String(repeating: "0", count: 16 - lowText.count) + lowText }
      return .string("0x" + highText + lowText)
    }
    guard bitOffset == 0 && width == size * 8 else {
      // bpftool prints every bitfield as its bits in hex, whatever the sign.
      return .string("0x" + String(try bitfield(bytes, at: offset, bitOffset: bitOffset, width: width), radix: 16))
    }
    var bits = try load(bytes, at: offset, size: size)
    if integer.encoding.contains(.bool) { return .bool(bits != 0) }
    if integer.isSigned { return .signed(signExtend(bits, bits: width)) }
    bits &= width >= 64 ? .max : (1 << UInt64(width)) - 1
    return .unsigned(bits)
  }

  private func format(_ float: FloatingPoint, _ bytes: UnsafeRawBufferPointer, at offset: Int) throws(BTFError) -> FormattedValue {
    switch float.size {
    case 4: return .float(Double(Float(bitPattern: UInt32(truncatingIfNeeded: try load(bytes, at: offset, size: 4)))))
    case 8: return .float(Double(bitPattern: try load(bytes, at: offset, size: 8)))
    default:
      // long double and friends: no portable reading, so the bytes.
      let size = Int(float.size)
      try check(bytes, at: offset, size: size)
      return .list((0..<size).map { .unsigned(UInt64(bytes[offset + $0])) })
    }
  }

  private func format(
    _ array: ArrayType, _ bytes: UnsafeRawBufferPointer, at offset: Int, depth: Int
  ) throws(BTFError) -> FormattedValue {
    let count = Int(array.count)
    let elementSize = try size(of: array.element)
    let (total, overflow) = count.multipliedReportingOverflow(by: elementSize)
    guard !overflow else { throw .truncated(offset: offset, needed: .max) }
    try check(bytes, at: offset, size: total)
    if elementSize == 1, case .integer(let element) = try self[resolved(array.element)], element.bitCount == 8,
       let text = Self.cString(bytes, at: offset, count: count) {
      return .string(text)
    }
    var items: [FormattedValue] = []
    items.reserveCapacity(count)
    for index in 0..<count {
      items.append(try format(array.element, bytes, at: offset + index * elementSize, depth: depth + 1))
    }
    return .list(items)
  }

  /// The text of a char array when it reads as one: printable ASCII up to a
  /// NUL inside the array. Anything else (binary data in a `char[]`, no
  /// terminator) is left to the list form, so no byte is hidden.
  static func cString(_ bytes: UnsafeRawBufferPointer, at offset: Int, count: Int) -> String? {
    var end = offset
    while end < offset + count, bytes[end] != 0 {
      guard (0x20...0x7e).contains(bytes[end]) else { return nil }
      end += 1
    }
    guard end < offset + count else { return nil }
    return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<end]), as: UTF8.self)
  }

  private func fields(
    of id: TypeID, _ bytes: UnsafeRawBufferPointer, at offset: Int, depth: Int
  ) throws(BTFError) -> [FormattedValue.Field] {
    var fields: [FormattedValue.Field] = []
    for member in try members(of: id) {
      let name = try string(of: member.name)
      let value: FormattedValue
      if member.isBitfield {
        guard case .integer(let integer) = try resolvedDescriptor(member.type) else {
          // A bitfield of enum type: its bits, as for an integer bitfield.
          let bits = try bitfield(bytes, at: offset, bitOffset: Int(member.bitOffset), width: Int(member.bitfieldSize))
          fields.append(.init(name, .string("0x" + String(bits, radix: 16))))
          continue
        }
        var narrowed = integer
        narrowed.bitCount = member.bitfieldSize
        value = try format(narrowed, bytes, at: offset, bitOffset: Int(member.bitOffset))
      } else if case .integer(let integer) = try resolvedDescriptor(member.type),
                member.bitOffset % 8 != 0 || Int(integer.bitCount) != Int(integer.size) * 8 {
        // Without kind_flag a bitfield is an INT whose bit count says its width.
        value = try format(integer, bytes, at: offset, bitOffset: Int(member.bitOffset) + Int(integer.bitOffset))
      } else {
        value = try format(member.type, bytes, at: offset + member.byteOffset, depth: depth + 1)
      }
      fields.append(.init(name, value))
    }
    return fields
  }

  /// `width` bits starting `bitOffset` bits after `offset`, laid out as this
  /// BTF's byte order lays out bitfields (from the low bit of the first byte
  /// on little-endian, from the high bit on big-endian).
  private func bitfield(
    _ bytes: UnsafeRawBufferPointer, at offset: Int, bitOffset: Int, width: Int
  ) throws(BTFError) -> UInt64 {
    guard width > 0 else { return 0 }
    let start = offset + bitOffset / 8
    let spanned = (bitOffset % 8 + width + 7) / 8
    guard spanned <= 8 else {
      throw .invalidType(typeID: 0, offset: offset, reason: "bitfield of \(width) bits spans more than 8 bytes")
    }
    let raw = try load(bytes, at: start, size: spanned)
    let shift = byteOrder == .little ? bitOffset % 8 : spanned * 8 - bitOffset % 8 - width
    let mask: UInt64 = width >= 64 ? .max : (1 << UInt64(width)) - 1
    return (raw >> UInt64(shift)) & mask
  }

  private func check(_ bytes: UnsafeRawBufferPointer, at offset: Int, size: Int) throws(BTFError) {
    guard offset >= 0, size >= 0, offset <= bytes.count, size <= bytes.count - offset else {
      throw .truncated(offset: offset, needed: size)
    }
  }

  /// An unsigned integer of `size` bytes (1...8) at `offset`, in this BTF's order.
  private func load(_ bytes: UnsafeRawBufferPointer, at offset: Int, size: Int) throws(BTFError) -> UInt64 {
    guard (1...8).contains(size) else {
      throw .invalidType(typeID: 0, offset: offset, reason: "an integer of \(size) bytes")
    }
    try check(bytes, at: offset, size: size)
    var value: UInt64 = 0
    for index in 0..<size {
      let byte = UInt64(bytes[offset + (byteOrder == .little ? size - 1 - index : index)])
      value = value << 8 | byte
    }
    return value
  }

  private func signExtend(_ bits: UInt64, bits width: Int) -> Int64 {
    guard width > 0, width < 64 else { return Int64(bitPattern: bits) }
    let shift = UInt64(64 - width)
    return Int64(bitPattern: bits << shift) >> Int64(shift)
  }
}
