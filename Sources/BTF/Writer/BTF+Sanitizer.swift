import UAPI

/// Rewriting BTF for kernels that lack some kinds, keeping every type id.
extension BTF {
  /// What the target kernel's BTF loader accepts (probe it with small
  /// `BPF_BTF_LOAD` calls; the Loader does that, this module cannot).
  public struct KernelSupport: Sendable, Equatable {
    /// Kinds the kernel knows. FUNC and FUNC_PROTO go together (Linux 5.0),
    /// VAR and DATASEC go together (Linux 5.2).
    public var kinds: Set<Kind>
    /// `BTF_FUNC_GLOBAL`/`BTF_FUNC_EXTERN` linkage on FUNC (Linux 5.6).
    public var globalFunctions: Bool
    /// DATASEC names starting with `?` (libbpf's optional sections; Linux 5.18).
    public var questionMarkDataSections: Bool
    /// kind_flag on DECL_TAG/TYPE_TAG meaning `__attribute__` (Linux 6.14).
    public var tagAttributes: Bool

    /// What a kernel accepts, as the feature probes found it.
    public init(kinds: Set<Kind>, globalFunctions: Bool, questionMarkDataSections: Bool, tagAttributes: Bool) {
      self.kinds = kinds
      self.globalFunctions = globalFunctions
      self.questionMarkDataSections = questionMarkDataSections
      self.tagAttributes = tagAttributes
    }

    /// Everything this module knows (no rewriting).
    public static let all = KernelSupport(
      kinds: Set(Kind.allCases), globalFunctions: true, questionMarkDataSections: true, tagAttributes: true)

    /// Only the kinds of the first BTF kernels (Linux 4.18): no FUNC, VAR,
    /// DATASEC, FLOAT, tags or ENUM64.
    public static let minimal = KernelSupport(
      kinds: [.integer, .pointer, .array, .struct, .union, .enum, .forward, .typedef, .volatile, .const, .restrict],
      globalFunctions: false, questionMarkDataSections: false, tagAttributes: false)
  }

  /// This BTF encoded for a kernel with `support`, rewriting what it lacks the
  /// way libbpf does before `BPF_BTF_LOAD`; every id keeps its meaning-bearing
  /// slot, so instructions and func_info that name ids stay valid:
  ///
  /// - VAR, DECL_TAG → INT of 1 byte (same name), when unsupported (a kernel
  ///   without FUNC is taken to lack DATASEC and DECL_TAG too, one without
  ///   DATASEC to lack DECL_TAG: that is the order they arrived in);
  /// - DATASEC → STRUCT of the same size, one member per variable (named as
  ///   the variable, at its offset), with `.` and `?` in the name made `_`;
  /// - a leading `?` in a DATASEC name → `_` when only that is unsupported;
  /// - FUNC_PROTO → ENUM of 4 bytes (parameters become enumerators), FUNC →
  ///   TYPEDEF, when functions are unsupported; global/extern FUNC → static
  ///   when only linkage is unsupported;
  /// - FLOAT → anonymous STRUCT of the same size, no members;
  /// - TYPE_TAG → CONST;
  /// - without ENUM64: ENUM loses its signedness flag, ENUM64 → UNION of the
  ///   same size whose members (the enumerator names) all have one new
  ///   1-byte INT type `enum64_placeholder`, appended as the last id — the
  ///   only case that adds a type;
  /// - without tag attributes: attribute DECL_TAGs → INT, attribute
  ///   TYPE_TAGs → CONST;
  /// - a forward-declared ENUM/ENUM64 (size 0, no values) gets size 4, which
  ///   every kernel requires (a power of two up to 8).
  ///
  /// Renamed sections get new strings appended to the string table.
  public func sanitized(for support: KernelSupport, byteOrder: ByteOrder? = nil) throws(BTFError) -> [UInt8] {
    let order = byteOrder ?? self.byteOrder
    var strings = storage.copyBytes(layout.stringStart ..< layout.stringStart + layout.stringLength)
    var w = WordWriter(order: order)
    w.bytes.reserveCapacity(layout.typeLength)
    let has = support.kinds
    // Kinds arrived in this order (FUNC 5.0, DATASEC 5.2, DECL_TAG 5.16): a
    // kernel without an older one has none of the newer ones, and keeping a
    // newer one whose targets were rewritten would leave it dangling (a
    // DATASEC listing TYPEDEFs, a DECL_TAG on an INT).
    let hasFunctions = has.contains(.function) && has.contains(.functionPrototype)
    let hasDataSections = has.contains(.dataSection) && has.contains(.variable) && hasFunctions
    let hasDeclarationTags = has.contains(.declarationTag) && hasDataSections
    var needsPlaceholder = false
    let placeholderID = UInt32(typeCount)

    func addString(_ text: String) throws(BTFError) -> UInt32 {
      let offset = UInt64(stringBase) + UInt64(strings.count)
      guard offset < 0x7FFF_FFFF else { throw .cannotEncode(reason: "string table too large") }
      strings.append(contentsOf: Array(text.utf8) + [0])
      return UInt32(offset)
    }
    func oneByteInt(_ name: UInt32) {
      w.record(name: name, kind: .integer, sizeOrType: 1)
      w.word(8)  // encoding 0, offset 0, 8 bits
    }

    for raw in localTypeIDs {
      let id = TypeID(raw)
      let descriptor = try self[id]
      let name = descriptor.name.offset
      switch descriptor {
      case .variable where !hasDataSections:
        oneByteInt(name)
      case .declarationTag(let tag) where !hasDeclarationTags || (tag.isAttribute && !support.tagAttributes):
        oneByteInt(name)
      case .dataSection(let section) where !hasDataSections:
        let text = try string(of: section.name)
        let renamed = String(decoding: text.utf8.map { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "?") ? UInt8(ascii: "_") : $0 },
                             as: UTF8.self)
        w.record(name: renamed == text ? name : try addString(renamed), kind: .struct, vlen: section.count,
                 sizeOrType: section.size)
        for variable in try variables(of: id) {
          w.word(try self.name(of: variable.type).offset)
          w.word(variable.type.rawValue)
          w.word(variable.offset &* 8)
        }
      case .dataSection(let section) where !support.questionMarkDataSections:
        let text = try string(of: section.name)
        if text.hasPrefix("?") {
          w.record(name: try addString("_" + text.dropFirst()), kind: .dataSection, vlen: section.count,
                   sizeOrType: section.size)
          for v in try variables(of: id) {
            w.word(v.type.rawValue)
            w.word(v.offset)
            w.word(v.size)
          }
        } else {
          try encode(id, into: &w)
        }
      case .functionPrototype(let proto) where !hasFunctions:
        w.record(name: 0, kind: .enum, vlen: proto.parameterCount, sizeOrType: 4)
        for parameter in try parameters(of: id) {
          w.word(parameter.name.offset)
          w.word(parameter.type.rawValue)
        }
      case .function(let function) where !hasFunctions:
        w.record(name: name, kind: .typedef, sizeOrType: function.prototype.rawValue)
      case .function(let function) where !support.globalFunctions && function.linkage != .static:
        w.record(name: name, kind: .function, vlen: 0, sizeOrType: function.prototype.rawValue)
      case .float(let float) where !has.contains(.float):
        w.record(name: 0, kind: .struct, sizeOrType: float.size)
      case .typeTag(let tag) where !has.contains(.typeTag) || (tag.isAttribute && !support.tagAttributes):
        w.record(name: 0, kind: .const, sizeOrType: tag.type.rawValue)
      case .enum(let e) where e.size == 0, .enum64(let e) where e.size == 0 && has.contains(.enum64):
        // A forward-declared enum (`enum E;`, no values): the kernel wants
        // a power-of-two size, and nothing can hold such an enum by value,
        // so any size is right; 4 is C's. (libbpf passes it on unchanged
        // and the kernel then refuses the object's whole BTF.)
        w.record(name: name, kind: descriptor.kind, vlen: 0, flag: e.isSigned && has.contains(.enum64), sizeOrType: 4)
      case .enum(let e) where !has.contains(.enum64) && e.isSigned:
        w.record(name: name, kind: .enum, vlen: e.count, sizeOrType: e.size)
        for value in try enumerators(of: id) {
          w.word(value.name.offset)
          w.word(UInt32(truncatingIfNeeded: value.bits))
        }
      case .enum64(let e) where !has.contains(.enum64):
        needsPlaceholder = true
        w.record(name: name, kind: .union, vlen: e.count, sizeOrType: e.size)
        for value in try enumerators(of: id) {
          w.word(value.name.offset)
          w.word(placeholderID)
          w.word(0)
        }
      default:
        try encode(id, into: &w)
      }
    }
    if needsPlaceholder {
      oneByteInt(try addString("enum64_placeholder"))
    }
    return try BTF.assemble(types: w.bytes, strings: strings, order: order, flags: flags)
  }
}
