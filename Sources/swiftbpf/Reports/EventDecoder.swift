import SwiftBPF

/// Prints an event record field by field, using a struct from the object's
/// own BTF (`swiftbpf run --event-type NAME`): integers as numbers, char
/// arrays as strings, enums by enumerator name, nested structs in braces.
///
/// The record comes from the kernel and may be shorter than the struct (or
/// the BTF odd): every read is bounds-checked, and what cannot be read shows
/// as `?`.
struct EventDecoder {
  let btf: BTF
  let type: BTF.TypeID
  let order: ByteOrder

  /// Nesting and array limits keep one line readable and bound the work.
  static let maximumDepth = 8
  static let maximumElements = 32

  init(btf: BTF, structName: String, order: ByteOrder) throws(EventDecoderError) {
    guard let id = btf.firstType(named: structName, kind: .struct)
      ?? btf.firstType(named: structName, kind: .union)
    else { throw .noSuchStruct(structName) }
    self.init(btf: btf, type: id, order: order)
  }

  /// Decodes records as the type `type` of `btf` (a ring buffer's declared
  /// record type).
  init(btf: BTF, type: BTF.TypeID, order: ByteOrder) {
    self.btf = btf
    self.type = type
    self.order = order
  }

  /// `pid=42 comm="bash" filename="/usr/bin/ls"`.
  func format(_ record: UnsafeRawBufferPointer) -> String {
    fields(of: type, in: record, at: 0, depth: 0)
  }

  private func fields(of id: BTF.TypeID, in record: UnsafeRawBufferPointer, at base: Int, depth: Int) -> String {
    guard let members = try? btf.members(of: id) else { return "?" }
    var parts: [String] = []
    for member in members {
      let name = (try? btf.string(of: member.name)) ?? ""
      let value: String
      if member.isBitfield {
        value = bitfield(member, in: record, at: base)
      } else {
        value = format(member.type, in: record, at: base + member.byteOffset, depth: depth + 1)
      }
      // Anonymous struct/union members show their fields inline.
      parts.append(name.isEmpty ? value : "\(name)=\(value)")
    }
    return parts.joined(separator: " ")
  }

  private func format(_ id: BTF.TypeID, in record: UnsafeRawBufferPointer, at offset: Int, depth: Int) -> String {
    guard depth <= Self.maximumDepth, let resolved = try? btf.resolved(id),
      let descriptor = try? btf[resolved]
    else { return "?" }
    switch descriptor {
    case .integer(let integer):
      guard let bits = load(record, at: offset, size: Int(integer.size)) else { return "?" }
      return integer.isSigned ? String(signExtend(bits, size: Int(integer.size))) : String(bits)
    case .enum(let enumeration), .enum64(let enumeration):
      guard let bits = load(record, at: offset, size: Int(enumeration.size)) else { return "?" }
      if let enumerators = try? btf.enumerators(of: resolved) {
        for enumerator in enumerators where enumerator.bits == bits || truncate(enumerator.bits, Int(enumeration.size)) == bits {
          if let name = try? btf.string(of: enumerator.name) { return name }
        }
      }
      return enumeration.isSigned ? String(signExtend(bits, size: Int(enumeration.size))) : String(bits)
    case .pointer:
      guard let bits = load(record, at: offset, size: 8) else { return "?" }
      return "0x" + String(bits, radix: 16)
    case .array(let array):
      return format(array: array, in: record, at: offset, depth: depth)
    case .struct, .union:
      return "{" + fields(of: resolved, in: record, at: offset, depth: depth) + "}"
    default:
      guard let size = try? btf.size(of: resolved), size > 0, offset >= 0, offset <= record.count,
        size <= record.count - offset
      else { return "?" }
      return hex(UnsafeRawBufferPointer(rebasing: record[offset..<offset + size]))
    }
  }

  private func format(array: BTF.ArrayType, in record: UnsafeRawBufferPointer, at offset: Int, depth: Int) -> String {
    guard let element = try? btf.resolved(array.element), let size = try? btf.size(of: element), size > 0 else {
      return "?"
    }
    // char[N] (any 1-byte integer array) is a string up to its first NUL.
    if case .integer(let integer)? = try? btf[element], integer.size == 1 {
      let end = min(record.count, offset + Int(array.count))
      guard offset >= 0, offset <= end else { return "?" }
      let bytes = record[offset..<end].prefix { $0 != 0 }
      return quoted(String(decoding: bytes, as: UTF8.self))
    }
    let shown = min(Int(array.count), Self.maximumElements)
    var items: [String] = []
    for index in 0..<shown {
      // Sizes come from the object's BTF: a hostile one must not overflow.
      let (step, stepOverflow) = index.multipliedReportingOverflow(by: size)
      let (at, atOverflow) = offset.addingReportingOverflow(step)
      items.append(stepOverflow || atOverflow ? "?" : format(element, in: record, at: at, depth: depth + 1))
    }
    if shown < Int(array.count) { items.append("…") }
    return "[" + items.joined(separator: ", ") + "]"
  }

  private func bitfield(_ member: BTF.Member, in record: UnsafeRawBufferPointer, at base: Int) -> String {
    // Read the bytes the bitfield spans, then shift as the byte order lays bits out.
    let firstBit = Int(member.bitOffset)
    let width = Int(member.bitfieldSize)
    let startByte = firstBit / 8
    let byteCount = (firstBit % 8 + width + 7) / 8
    guard byteCount <= 8, let raw = load(record, at: base + startByte, size: byteCount) else { return "?" }
    let shift = order == .little ? firstBit % 8 : byteCount * 8 - firstBit % 8 - width
    let mask: UInt64 = width >= 64 ? .max : (1 << UInt64(width)) - 1
    return String((raw >> UInt64(shift)) & mask)
  }

  /// An unsigned integer of `size` bytes (1...8) at `offset`, in the object's order.
  private func load(_ record: UnsafeRawBufferPointer, at offset: Int, size: Int) -> UInt64? {
    guard (1...8).contains(size), offset >= 0, offset <= record.count - size else { return nil }
    var value: UInt64 = 0
    for index in 0..<size {
      let byte = UInt64(record[offset + (order == .little ? size - 1 - index : index)])
      value = value << 8 | byte
    }
    return value
  }

  private func signExtend(_ bits: UInt64, size: Int) -> Int64 {
    let shift = UInt64(64 - size * 8)
    return Int64(bitPattern: bits << shift) >> Int64(shift)
  }

  private func truncate(_ bits: UInt64, _ size: Int) -> UInt64 {
    size >= 8 ? bits : bits & ((1 << UInt64(size * 8)) - 1)
  }

  private func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case _ where scalar.value < 0x20 || scalar.value == 0x7f: out += "\\x" + String(scalar.value, radix: 16)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}

/// Lowercase hex bytes separated by spaces (the `run` default for events).
func hex(_ bytes: UnsafeRawBufferPointer) -> String {
  var out = ""
  out.reserveCapacity(bytes.count * 3)
  for (index, byte) in bytes.enumerated() {
    if index > 0 { out += " " }
    if byte < 0x10 { out += "0" }
    out += String(byte, radix: 16)
  }
  return out
}

enum EventDecoderError: Error, CustomStringConvertible {
  case noSuchStruct(String)

  var description: String {
    switch self {
    case .noSuchStruct(let name):
      "the object's BTF has no struct or union named '\(name)' (see swiftbpf btf dump OBJ)"
    }
  }
}
