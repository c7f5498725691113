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
    var kind: KernelConfig.ExternType
    var isWeak: Bool
  }

  var entries: [Entry]
  var size: Int

  init(externs: [Extern], btf: BTF?, object: String) throws(LoadError) {
    var items = [(name: String, size: Int, align: Int, kind: KernelConfig.ExternType, weak: Bool)]()
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
      let kind = try Self.kind(of: varType, size: size, in: btf, name: ext.name)
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

  /// The extern's C type, as KernelConfig encodes values for it.
  static func kind(of type: BTF.TypeID, size: Int, in btf: BTF, name: String) throws(LoadError)
    -> KernelConfig.ExternType
  {
    do throws(BTFError) {
      let resolved = try btf.resolved(type)
      switch try btf[resolved] {
      case .integer(let int):
        if int.encoding.contains(.bool) { return .bool }
        if int.encoding.contains(.char) && int.size == 1 { return .char }
        return .integer(size: Int(int.size), signed: int.isSigned)
      case .enum(let e):
        if try btf.string(of: e.name) == "libbpf_tristate" { return .tristate }
        return .integer(size: Int(e.size), signed: e.isSigned)
      case .array(let a):
        if case .integer(let int) = try btf.resolvedDescriptor(a.element), int.size == 1 {
          return .charArray(count: size)
        }
      default:
        break
      }
    } catch {
      throw .unresolvedExtern(name: name, kind: "kconfig", reason: "its BTF type cannot be read: \(error)")
    }
    throw .unresolvedExtern(name: name, kind: "kconfig",
                            reason: "its type is not a bool, tristate, char, integer or char array")
  }

  /// The map's contents from the configuration (with libbpf's specials and
  /// the user's overrides already in it); weak externs it lacks stay zero
  /// and are named in `defaulted`.
  func contents(config: KernelConfig, byteOrder: ByteOrder) throws(LoadError)
    -> (bytes: [UInt8], defaulted: [String])
  {
    var bytes = [UInt8](repeating: 0, count: size)
    var defaulted = [String]()
    for entry in entries {
      let encoded: [UInt8]?
      do throws(KernelConfigError) {
        encoded = try config.externBytes(entry.name, as: entry.kind, order: byteOrder)
      } catch {
        throw .unresolvedExtern(name: entry.name, kind: "kconfig", reason: error.description)
      }
      guard let encoded else {
        if entry.isWeak {
          defaulted.append(entry.name)
          continue
        }
        throw .unresolvedExtern(name: entry.name, kind: "kconfig",
                                reason: "not set in the kernel configuration (/proc/config.gz) and not weak")
      }
      let usable = Array(encoded.prefix(entry.size))
      bytes.replaceSubrange(entry.offset ..< entry.offset + usable.count, with: usable)
    }
    return (bytes, defaulted)
  }
}
