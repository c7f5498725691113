import BTF

/// The small BTF blobs feature probes load, one per kind or property.
///
/// Each holds the least that makes the kind valid for the kernel's BTF
/// checker, so a refusal means "kind unknown", not "blob malformed".
enum ProbeBlobs {
  private static func build(_ body: (inout BTF.Builder) -> Void) -> [UInt8] {
    var b = BTF.Builder()
    body(&b)
    return (try? b.bytes()) ?? []
  }

  /// `int` and `struct s { int a; }`: any kernel with BTF (4.18).
  static let basic = build { b in
    let int = b.addInteger("int", size: 4, encoding: .signed)
    _ = b.addStruct("s", size: 4, members: [.init("a", int, bitOffset: 0)])
  }

  /// `int f(int a)` with static or global linkage.
  static func function(global: Bool) -> [UInt8] {
    build { b in
      let int = b.addInteger("int", size: 4, encoding: .signed)
      let proto = b.addPrototype(returning: int, parameters: [("a", int)])
      _ = b.addFunction("f", prototype: proto, linkage: global ? .global : .static)
    }
  }

  /// `int x` in DATASEC `.data`.
  static let dataSection = rawDataSection(name: ".data")

  /// The same in a DATASEC named `?.data` (libbpf's optional sections).
  static let questionMarkDataSection = rawDataSection(name: "?.data")

  static let float = build { b in
    _ = b.addFloat("float", size: 4)
  }

  /// A DECL_TAG on a global variable.
  static let declarationTag = build { b in
    let int = b.addInteger("int", size: 4, encoding: .signed)
    let variable = b.addVariable("x", type: int, linkage: .global)
    _ = b.addDeclarationTag("tag", on: variable)
  }

  /// A pointer to a TYPE_TAG (the only place the kernel allows one).
  static let typeTag = build { b in
    let int = b.addInteger("int", size: 4, encoding: .signed)
    let tag = b.addTypeTag("tag", on: int)
    _ = b.addPointer(to: tag)
  }

  /// An 8-byte enum with a value above 32 bits.
  static let enum64 = build { b in
    _ = b.addEnum("e", size: 8, isSigned: false, values: [("big", 1 << 40)])
  }

  /// A DECL_TAG with kind_flag set (`__attribute__((btf_decl_tag))` meaning
  /// an attribute; Linux 6.14).
  static let tagAttribute = build { b in
    let int = b.addInteger("int", size: 4, encoding: .signed)
    let variable = b.addVariable("x", type: int, linkage: .global)
    _ = b.addDeclarationTag("tag", on: variable, isAttribute: true)
  }

  /// `int`, `struct bpf_spin_lock { int val; }`, `struct val { int cnt;
  /// struct bpf_spin_lock l; }`: the value type local-storage maps need
  /// (ids 1 and 3 are key and value).
  static let localStorage = build { b in
    let int = b.addInteger("int", size: 4, encoding: .signed)
    let lock = b.addStruct("bpf_spin_lock", size: 4, members: [.init("val", int, bitOffset: 0)])
    _ = b.addStruct("val", size: 8, members: [.init("cnt", int, bitOffset: 0), .init("l", lock, bitOffset: 32)])
  }

  /// `int` [1], `VAR x: int` [2], `DATASEC name { x at 0, size 4 }` [3],
  /// written word by word: `BTF.Builder` takes section entries as
  /// `BTF.SectionVariable`, which has no public initializer.
  ///
  /// Kernel: `struct btf_header`, `struct btf_type`, `struct btf_var`,
  /// `struct btf_var_secinfo` (include/uapi/linux/btf.h), host byte order.
  static func rawDataSection(name: String) -> [UInt8] {
    var strings: [UInt8] = [0]
    func add(_ text: String) -> UInt32 {
      let offset = UInt32(strings.count)
      strings += Array(text.utf8) + [0]
      return offset
    }
    let intName = add("int"), varName = add("x"), sectionName = add(name)
    func info(kind: UInt32, vlen: UInt32 = 0) -> UInt32 { kind << 24 | vlen }
    let types: [UInt32] = [
      intName, info(kind: 1), 4, 1 << 24 | 32,       // INT int, signed, 32 bits
      varName, info(kind: 14), 1, 1,                // VAR x: type 1, global
      sectionName, info(kind: 15, vlen: 1), 4,      // DATASEC, size 4
      2, 0, 4,                                      // x at 0, 4 bytes
    ]
    let typeLength = UInt32(types.count * 4)
    var header: [UInt32] = [0, 24, 0, typeLength, typeLength, UInt32(strings.count)]
    // magic 0xeB9F, version 1, flags 0, as the first 4 bytes in host order.
    var bytes: [UInt8] = []
    withUnsafeBytes(of: UInt16(0xEB9F)) { bytes += $0 }
    bytes += [1, 0]
    header.removeFirst()
    for word in header + types { withUnsafeBytes(of: word) { bytes += $0 } }
    return bytes + strings
  }
}
