import UAPI

/// The state of one C header being written: per-type-id arrays (no
/// dictionaries keyed by strings on the hot path), the name claims, and the
/// text written so far.
///
/// A class because emitting is a depth-first walk that updates this state
/// from many nested calls; one writer serves one `render` call and is never
/// shared between threads.
final class CHeaderWriter {
  let btf: BTF
  /// Emission state per type id (`Flags`).
  var state: [UInt8]
  /// Names decided so far, per type id (tags and typedef names).
  var names: [String?]
  /// Layout plans per struct/union id, and the guard against self-embedding.
  var plans: [Plan?]
  var planning: [Bool]
  /// See `embeddingAlignments`.
  let useAlignment: [UInt32]
  /// Anonymous enums that some member or typedef uses by value: they are
  /// written inline at their first such use instead of standalone.
  var inlineEnums: [Bool]
  var tagClaims: [String: (TagClass, BTF.TypeID)] = [:]
  var ordinaryClaims: Set<String> = []
  var out = ""
  /// Whether a TYPE_TAG was written (the prelude then defines its macro).
  var usesTypeTags = false
  /// DECL_TAGs by the id they tag: (component index, tag). Kept only for
  /// structs, unions and typedefs, the declarations a header writes.
  var declarationTags: [UInt32: [(Int32, BTF.DeclarationTag)]] = [:]
  var usesDeclarationTags = false
  /// Depth of the dependency walk, bounded so hostile BTF cannot exhaust
  /// the stack.
  var depth = 0
  /// The kernel's BTF needs 20 (the full header) or less (task_struct
  /// alone); a debug build overflowed a test thread's stack at a
  /// depth of a few thousand, so 1,024 leaves room on both sides.
  static let maximumDepth = 1024

  struct Flags {
    static let declared: UInt8 = 1
    static let visiting: UInt8 = 2
    static let defined: UInt8 = 4
    /// An anonymous struct/union being written inline right now: meeting it
    /// again (through a pointer to itself) would inline it forever.
    static let inlining: UInt8 = 8
  }

  init(btf: BTF) throws(BTFError) {
    self.btf = btf
    let count = btf.typeCount
    state = [UInt8](repeating: 0, count: count)
    names = [String?](repeating: nil, count: count)
    plans = [Plan?](repeating: nil, count: count)
    planning = [Bool](repeating: false, count: count)
    useAlignment = try Self.embeddingAlignments(btf)
    inlineEnums = [Bool](repeating: false, count: count)
    try markInlineEnums()
    for raw in btf.allTypeIDs where try btf.kind(of: BTF.TypeID(raw)) == .declarationTag {
      guard case .declarationTag(let tag) = try btf[BTF.TypeID(raw)] else { continue }
      switch try btf.kind(of: tag.type) {
      case .struct, .union, .typedef:
        declarationTags[tag.type.rawValue, default: []].append((tag.componentIndex, tag))
      default:
        continue
      }
    }
    out.reserveCapacity(count * 48)
  }

  /// Finds anonymous enums used directly (through qualifiers, typedefs are
  /// not followed) by a struct/union member or a typedef.
  private func markInlineEnums() throws(BTFError) {
    for raw in btf.allTypeIDs {
      let id = BTF.TypeID(raw)
      switch try btf[id] {
      case .struct, .union:
        for member in try btf.members(of: id) { try markIfAnonymousEnum(member.type) }
      case .typedef(let t):
        try markIfAnonymousEnum(t.type)
      default:
        break
      }
    }
  }

  private func markIfAnonymousEnum(_ id: BTF.TypeID) throws(BTFError) {
    var current = id
    for _ in 0 ..< 64 {
      switch try btf[current] {
      case .const(let t), .volatile(let t), .restrict(let t): current = t
      case .typeTag(let t): current = t.type
      case .array(let a): current = a.element
      case .enum(let e), .enum64(let e):
        if e.name.isAnonymous { inlineEnums[Int(current.rawValue)] = true }
        return
      default: return
      }
    }
  }

  /// The whole header: every type (or `roots` and what they need).
  func render(roots: [BTF.TypeID]?) throws(BTFError) -> String {
    if let roots {
      for id in roots { try emitTopLevel(id, requested: true) }
    } else {
      for raw in btf.allTypeIDs { try emitTopLevel(BTF.TypeID(raw), requested: false) }
    }
    var header = """
      #ifndef __VMLINUX_H__
      #define __VMLINUX_H__

      #ifndef BPF_NO_PRESERVE_ACCESS_INDEX
      #pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)
      #endif


      """
    if usesTypeTags {
      header += """
        #ifndef __btf_type_tag
        #if !defined(BPF_NO_TYPE_TAGS) && defined(__has_attribute)
        #if __has_attribute(btf_type_tag)
        #define __btf_type_tag(x) __attribute__((btf_type_tag(x)))
        #endif
        #endif
        #ifndef __btf_type_tag
        #define __btf_type_tag(x)
        #endif
        #endif


        """
    }
    if usesDeclarationTags {
      header += """
        #ifndef __btf_decl_tag
        #if !defined(BPF_NO_DECL_TAGS) && defined(__has_attribute)
        #if __has_attribute(btf_decl_tag)
        #define __btf_decl_tag(x) __attribute__((btf_decl_tag(x)))
        #endif
        #endif
        #ifndef __btf_decl_tag
        #define __btf_decl_tag(x)
        #endif
        #endif


        """
    }
    header += out
    header += """
      #ifndef BPF_NO_PRESERVE_ACCESS_INDEX
      #pragma clang attribute pop
      #endif

      #endif /* __VMLINUX_H__ */

      """
    return header
  }

  /// One type of the top-level walk (id order), or one root of a subset.
  func emitTopLevel(_ id: BTF.TypeID, requested: Bool) throws(BTFError) {
    switch try btf[id] {
    case .struct(let c), .union(let c):
      // An anonymous struct alone declares nothing; it is written where used.
      if !c.name.isAnonymous { try define(id) } else if requested { try require(id, strong: true, inPrototype: false) }
    case .enum(let e), .enum64(let e):
      if !e.name.isAnonymous || !inlineEnums[Int(id.rawValue)] || requested { try define(id) }
    case .typedef:
      try define(id)
    case .forward:
      try declare(id)
    case .function, .variable, .dataSection, .declarationTag:
      if requested, let next = try btf[id].referencedType { try require(next, strong: false, inPrototype: false) }
    default:
      if requested { try require(id, strong: true, inPrototype: false) }
    }
  }
}
