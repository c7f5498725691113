import UAPI

extension BTF {
  /// The raw text form of a BTF: one line per type, as `bpftool btf dump
  /// file X` prints it, with members, enumerators, parameters and section
  /// variables on tab-indented lines below their type.
  ///
  /// ```
  /// [1] INT 'long unsigned int' size=8 bits_offset=0 nr_bits=64 encoding=(none)
  /// [89] STRUCT '(anon)' size=4 vlen=1
  ///         'counter' type_id=21 bits_offset=0
  /// ```
  ///
  /// The format is bpftool 7.1's (Debian's), checked line by line against it
  /// in `CDumpRawTests`. One addition: a DECL_TAG or TYPE_TAG whose kind_flag
  /// is set (Linux 6.14: the tag is an `__attribute__`, such as vmlinux's
  /// `address_space(1)`) ends with ` kind_flag=1`; bpftool 7.1 does not know
  /// that flag and prints such a tag like any other.
  public enum RawDump {
    /// The dump of `types` (default: every type this BTF defines, in id
    /// order; for split BTF the base's types are left out, as bpftool does).
    public static func render(_ btf: BTF, types: [TypeID]? = nil) throws(BTFError) -> String {
      var out = ""
      out.reserveCapacity(types == nil ? btf.byteCount * 2 : 256 * (types?.count ?? 0))
      if let types {
        for id in types { try append(btf, id, to: &out) }
      } else {
        for raw in btf.localTypeIDs { try append(btf, TypeID(raw), to: &out) }
      }
      return out
    }

    /// The lines of one type (with its trailing newline).
    public static func render(_ btf: BTF, type id: TypeID) throws(BTFError) -> String {
      var out = ""
      try append(btf, id, to: &out)
      return out
    }

    static func append(_ btf: BTF, _ id: TypeID, to out: inout String) throws(BTFError) {
      let d = try btf[id]
      if case .void = d {
        // bpftool never prints id 0; asked for it explicitly, say what it is.
        out += "[0] UNKN '(anon)'\n"
        return
      }
      out += "["
      out += String(id.rawValue)
      out += "] "
      out += d.kind.kernelName
      out += " "
      quote(btf, d.name, to: &out)
      switch d {
      case .void: break
      case .integer(let t):
        out += " size=\(t.size) bits_offset=\(t.bitOffset) nr_bits=\(t.bitCount) encoding="
        switch t.encoding.rawValue {
        case 0: out += "(none)"
        case 1: out += "SIGNED"
        case 2: out += "CHAR"
        case 4: out += "BOOL"
        default: out += "UNKN"
        }
      case .pointer(let t), .volatile(let t), .const(let t), .restrict(let t):
        out += " type_id=\(t.rawValue)"
      case .typedef(let t):
        out += " type_id=\(t.type.rawValue)"
      case .typeTag(let t):
        out += " type_id=\(t.type.rawValue)"
        if t.isAttribute { out += " kind_flag=1" }
      case .array(let a):
        out += " type_id=\(a.element.rawValue) index_type_id=\(a.index.rawValue) nr_elems=\(a.count)"
      case .struct(let c), .union(let c):
        out += " size=\(c.size) vlen=\(c.memberCount)"
        for m in try btf.members(of: id) {
          out += "\n\t"
          quote(btf, m.name, to: &out)
          out += " type_id=\(m.type.rawValue) bits_offset=\(m.bitOffset)"
          if m.bitfieldSize != 0 { out += " bitfield_size=\(m.bitfieldSize)" }
        }
      case .enum(let e), .enum64(let e):
        out += " encoding=\(e.isSigned ? "SIGNED" : "UNSIGNED") size=\(e.size) vlen=\(e.count)"
        let wide = d.kind == .enum64
        for v in try btf.enumerators(of: id) {
          out += "\n\t"
          quote(btf, v.name, to: &out)
          out += " val="
          if wide {
            out += e.isSigned ? "\(v.value)LL" : "\(v.unsignedValue)ULL"
          } else {
            out += e.isSigned
              ? String(Int32(truncatingIfNeeded: v.value)) : String(UInt32(truncatingIfNeeded: v.bits))
          }
        }
      case .forward(let f):
        out += " fwd_kind=\(f.isUnion ? "union" : "struct")"
      case .function(let f):
        out += " type_id=\(f.prototype.rawValue) linkage=\(f.linkage)"
      case .functionPrototype(let p):
        out += " ret_type_id=\(p.returnType.rawValue) vlen=\(p.parameterCount)"
        for parameter in try btf.parameters(of: id) {
          out += "\n\t"
          quote(btf, parameter.name, to: &out)
          out += " type_id=\(parameter.type.rawValue)"
        }
      case .variable(let v):
        out += " type_id=\(v.type.rawValue), linkage=\(v.linkage)"
      case .dataSection(let s):
        out += " size=\(s.size) vlen=\(s.count)"
        for v in try btf.variables(of: id) {
          out += "\n\ttype_id=\(v.type.rawValue) offset=\(v.offset) size=\(v.size)"
          if let target = try? btf[v.type] {
            out += " (\(target.kind.kernelName) "
            quote(btf, target.name, to: &out)
            out += ")"
          }
        }
      case .float(let f):
        out += " size=\(f.size)"
      case .declarationTag(let t):
        out += " type_id=\(t.type.rawValue) component_idx=\(t.componentIndex)"
        if t.isAttribute { out += " kind_flag=1" }
      case .unknown(let t):
        out += " kind=\(t.kindNumber) vlen=\(t.vlen) size_or_type=\(t.sizeOrType)"
      }
      out += "\n"
    }

    /// `'name'`, `'(anon)'` for the empty name, `'(invalid)'` for an offset
    /// outside the string table (bpftool's spellings).
    static func quote(_ btf: BTF, _ name: Name, to out: inout String) {
      out += "'"
      if name.isAnonymous {
        out += "(anon)"
      } else if let text = try? btf.string(of: name) {
        out += text.isEmpty ? "(anon)" : text
      } else {
        out += "(invalid)"
      }
      out += "'"
    }
  }
}
