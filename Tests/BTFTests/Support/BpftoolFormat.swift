@testable import BTF

/// Prints a type the way `bpftool btf dump` (raw form) does, so whole dumps
/// can be compared line by line with bpftool's own parse of the same bytes.
/// This is bpftool's output format, not our logic: every value printed is
/// read from our parser, every expected line comes from bpftool.
enum BpftoolFormat {
  static func lines(_ btf: BTF, _ id: BTF.TypeID) throws -> [String] {
    let d = try btf[id]
    func q(_ name: BTF.Name) throws -> String {
      name.isAnonymous ? "'(anon)'" : "'\(try btf.string(of: name))'"
    }
    let head = "[\(id.rawValue)] \(d.kind.kernelName) \(try q(d.name))"
    func linkage(_ l: BTF.Linkage) -> String { l.description }
    switch d {
    case .void: return []
    case .integer(let t):
      let enc: String
      switch t.encoding.rawValue {
      case 0: enc = "(none)"
      case 1: enc = "SIGNED"
      case 2: enc = "CHAR"
      case 4: enc = "BOOL"
      default: enc = "UNKN"
      }
      return ["\(head) size=\(t.size) bits_offset=\(t.bitOffset) nr_bits=\(t.bitCount) encoding=\(enc)"]
    case .pointer(let t), .volatile(let t), .const(let t), .restrict(let t):
      return ["\(head) type_id=\(t.rawValue)"]
    case .typedef(let t): return ["\(head) type_id=\(t.type.rawValue)"]
    case .typeTag(let t): return ["\(head) type_id=\(t.type.rawValue)"]
    case .array(let a):
      return ["\(head) type_id=\(a.element.rawValue) index_type_id=\(a.index.rawValue) nr_elems=\(a.count)"]
    case .struct(let c), .union(let c):
      var out = ["\(head) size=\(c.size) vlen=\(c.memberCount)"]
      for m in try btf.members(of: id) {
        var line = "\t\(try q(m.name)) type_id=\(m.type.rawValue) bits_offset=\(m.bitOffset)"
        if m.bitfieldSize != 0 { line += " bitfield_size=\(m.bitfieldSize)" }
        out.append(line)
      }
      return out
    case .enum(let e), .enum64(let e):
      var out = ["\(head) encoding=\(e.isSigned ? "SIGNED" : "UNSIGNED") size=\(e.size) vlen=\(e.count)"]
      for v in try btf.enumerators(of: id) {
        let value: String
        if d.kind == .enum64 {
          value = e.isSigned ? "\(v.value)LL" : "\(v.unsignedValue)ULL"
        } else {
          value = e.isSigned ? "\(Int32(truncatingIfNeeded: v.value))" : "\(UInt32(truncatingIfNeeded: v.bits))"
        }
        out.append("\t\(try q(v.name)) val=\(value)")
      }
      return out
    case .forward(let f): return ["\(head) fwd_kind=\(f.isUnion ? "union" : "struct")"]
    case .function(let f):
      return ["\(head) type_id=\(f.prototype.rawValue) linkage=\(linkage(f.linkage))"]
    case .functionPrototype(let p):
      var out = ["\(head) ret_type_id=\(p.returnType.rawValue) vlen=\(p.parameterCount)"]
      for parameter in try btf.parameters(of: id) {
        out.append("\t\(try q(parameter.name)) type_id=\(parameter.type.rawValue)")
      }
      return out
    case .variable(let v):
      return ["\(head) type_id=\(v.type.rawValue), linkage=\(linkage(v.linkage))"]
    case .dataSection(let s):
      var out = ["\(head) size=\(s.size) vlen=\(s.count)"]
      for v in try btf.variables(of: id) {
        let target = try btf[v.type]
        out.append("\ttype_id=\(v.type.rawValue) offset=\(v.offset) size=\(v.size) (\(target.kind.kernelName) \(try q(target.name)))")
      }
      return out
    case .float(let f): return ["\(head) size=\(f.size)"]
    case .declarationTag(let t):
      return ["\(head) type_id=\(t.type.rawValue) component_idx=\(t.componentIndex)"]
    case .unknown(let t):
      return ["\(head) kind=\(t.kindNumber)"]
    }
  }

  /// The whole dump of `btf`'s own types.
  static func dump(_ btf: BTF) throws -> [String] {
    var out = [String]()
    for raw in btf.localTypeIDs { out += try lines(btf, BTF.TypeID(raw)) }
    return out
  }
}
