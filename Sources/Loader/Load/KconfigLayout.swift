import BTF
import ELFReader
import UAPI

/// Where each `__kconfig` extern sits in the `.kconfig` map, and its value.
///
/// Layout as libbpf makes it, so maps compare equal: externs sorted by
/// alignment (largest first), then size (smallest first), then name; each
/// placed at the next offset aligned for it.
struct KconfigLayout {
  struct Entry {
    var name: String
    var offset: Int
    var size: Int
    var kind: ValueKind
    var isWeak: Bool
  }

  /// How a value is written, from the extern's BTF type.
  enum ValueKind: Equatable {
    case bool
    case tristate
    case integer(signed: Bool)
    case charArray
  }

  var entries: [Entry]
  var size: Int

  init(externs: [Extern], btf: BTF?, object: String) throws(LoadError) {
    var items = [(name: String, size: Int, align: Int, kind: ValueKind, weak: Bool)]()
    for ext in externs where ext.kind == .kconfig {
      guard let btf, let id = ext.btfTypeID else {
        throw .unresolvedExtern(name: ext.name, kind: "kconfig", reason: "\(object) has no BTF describing it")
      }
      let varType: BTF.TypeID, size: Int, align: Int
      do throws(BTFError) {
        if case .variable(let v) = try btf[id] { varType = v.type } else { varType = id }
        size = try btf.size(of: varType)
        align = try btf.alignment(of: varType)
      } catch {
        throw .unresolvedExtern(name: ext.name, kind: "kconfig", reason: "its BTF type cannot be read: \(error)")
      }
      guard size > 0, size <= 1 << 16 else {
        throw .unresolvedExtern(name: ext.name, kind: "kconfig", reason: "its type is \(size) bytes; kconfig values are 1 to 65536 bytes")
      }
      let kind = try Self.kind(of: varType, in: btf, name: ext.name)
      items.append((ext.name, size, align, kind, ext.isWeak))
    }
    items.sort { a, b in
      if a.align != b.align { return a.align > b.align }
      if a.size != b.size { return a.size < b.size }
      return a.name < b.name
    }
    var offset = 0
    entries = []
    for item in items {
      offset = (offset + item.align - 1) / item.align * item.align
      entries.append(Entry(name: item.name, offset: offset, size: item.size, kind: item.kind, isWeak: item.weak))
      offset += item.size
    }
    size = offset
  }

  static func kind(of type: BTF.TypeID, in btf: BTF, name: String) throws(LoadError) -> ValueKind {
    do throws(BTFError) {
      let resolved = try btf.resolved(type)
      switch try btf[resolved] {
      case .integer(let int):
        if int.encoding.contains(.bool) { return .bool }
        if int.encoding.contains(.char) && int.size == 1 { return .integer(signed: int.isSigned) }
        return .integer(signed: int.isSigned)
      case .enum(let e):
        if try btf.string(of: e.name) == "libbpf_tristate" { return .tristate }
        return .integer(signed: e.isSigned)
      case .array(let a):
        if case .integer(let int) = try btf.resolvedDescriptor(a.element), int.size == 1 { return .charArray }
      default:
        break
      }
    } catch {
      throw .unresolvedExtern(name: name, kind: "kconfig", reason: "its BTF type cannot be read: \(error)")
    }
    throw .unresolvedExtern(name: name, kind: "kconfig",
                            reason: "its type is not a bool, tristate, integer or char array")
  }

  /// The map's contents from the kernel's configuration (and overrides).
  func contents(config: [String: String], special: [String: UInt64], byteOrder: ByteOrder) throws(LoadError) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: size)
    for entry in entries {
      var encoded: [UInt8]
      if let number = special[entry.name] {
        encoded = Self.integer(number, size: entry.size, order: byteOrder)
      } else if let text = config[entry.name] {
        encoded = try Self.encode(text, entry, order: byteOrder)
      } else if entry.isWeak {
        continue
      } else {
        throw .unresolvedExtern(name: entry.name, kind: "kconfig",
                                reason: "not set in the kernel configuration (/proc/config.gz) and not weak")
      }
      encoded = Array(encoded.prefix(entry.size))
      bytes.replaceSubrange(entry.offset ..< entry.offset + encoded.count, with: encoded)
    }
    return bytes
  }

  static func encode(_ text: String, _ entry: Entry, order: ByteOrder) throws(LoadError) -> [UInt8] {
    func bad(_ why: String) -> LoadError {
      .unresolvedExtern(name: entry.name, kind: "kconfig", reason: "value '\(text)' \(why)")
    }
    switch entry.kind {
    case .bool:
      switch text {
      case "y": return [1]
      case "n": return [0]
      default: throw bad("is not y or n, as a bool extern needs")
      }
    case .tristate:
      switch text {
      case "y": return integer(1, size: entry.size, order: order)
      case "n": return integer(0, size: entry.size, order: order)
      case "m": return integer(2, size: entry.size, order: order)
      default: throw bad("is not y, m or n, as a tristate extern needs")
      }
    case .charArray:
      guard text.count >= 2, text.first == "\"", text.last == "\"" else { throw bad("is not a quoted string") }
      let inner = Array(text.dropFirst().dropLast().utf8)
      return Array(inner.prefix(entry.size - 1)) + [0]
    case .integer(let signed):
      let value: UInt64
      if text.hasPrefix("0x") || text.hasPrefix("0X"), let v = UInt64(text.dropFirst(2), radix: 16) {
        value = v
      } else if signed, let v = Int64(text) {
        value = UInt64(bitPattern: v)
      } else if let v = UInt64(text) {
        value = v
      } else {
        throw bad("is not a number")
      }
      return integer(value, size: entry.size, order: order)
    }
  }

  static func integer(_ value: UInt64, size: Int, order: ByteOrder) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: size)
    for i in 0 ..< min(size, 8) {
      let byte = UInt8(truncatingIfNeeded: value >> (8 * i))
      bytes[order == .little ? i : size - 1 - i] = byte
    }
    return bytes
  }
}
