import BTF

/// Types and accesses in C terms for reports: `struct task_struct.pid`,
/// `struct foo.arr[3].x`, `enum pid_type::PIDTYPE_TGID`.
struct Naming {
  let btf: BTF
  let site: RelocationSite

  /// `struct task_struct`, `union u`, `enum e`, a typedef's or int's name.
  func typeName(_ id: BTF.TypeID) throws(RelocationError) -> String {
    let descriptor = try call(site) { () throws(BTFError) in try btf[id] }
    var name = try call(site) { () throws(BTFError) in try btf.string(of: descriptor.name) }
    if name.isEmpty { name = "<anon>" }
    switch descriptor {
    case .struct: return "struct \(name)"
    case .union: return "union \(name)"
    case .enum, .enum64: return "enum \(name)"
    case .forward(let f): return "\(f.isUnion ? "union" : "struct") \(name)"
    case .void: return "void"
    case .integer, .typedef, .float: return name
    default: return "\(descriptor.kind) \(id)"
    }
  }

  /// The access in C terms.
  func access(_ spec: AccessSpec, family: KindFamily) throws(RelocationError) -> String {
    var text = try typeName(spec.root)
    switch family {
    case .type:
      return text
    case .enumValue:
      return text + "::" + (spec.accessors.first?.name ?? "?")
    case .field:
      for (i, accessor) in spec.accessors.enumerated() {
        if let name = accessor.name {
          text += "." + name
        } else if i > 0 || accessor.index > 0 {
          text += "[\(accessor.index)]"
        }
      }
      return text
    }
  }
}
