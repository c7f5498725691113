import UAPI

/// How a struct or union must be written so that clang, compiling for the BPF
/// target, lays it out exactly as the BTF says.
///
/// BTF records offsets and sizes but not alignment or attributes, so the
/// writer replays clang's record layout (the SysV/Itanium rules clang uses for
/// BPF) over the members and adds only what the replay shows is needed:
/// - `__attribute__((packed))` when a member sits below its natural
///   alignment, or the size is not a multiple of the natural alignment;
/// - `__attribute__((aligned(N)))` on a member, or on the type, when a gap
///   (or the tail) is exactly what an alignment of N leaves, and every place
///   the BTF embeds the type is N-aligned (so no parent is thrown off);
/// - anonymous bit-fields (`long: 24;`) for any other gap: an unnamed
///   bit-field never straddles its 64-bit unit here, so clang puts it exactly
///   where it starts, and unnamed bit-fields do not raise the alignment.
///
/// Clang's rules replayed: a non-bit-field member goes to the next multiple
/// of its alignment (1 in a packed record); a bit-field of type T stays at
/// the current bit unless it would cross a boundary of T's alignment, then it
/// moves to that boundary (packed: never moves); the record's alignment is
/// its members' largest (bit-fields included, 1 when packed), its size the
/// end rounded up to it. The BPF target aligns every scalar to its size, 8 at
/// most, except `__int128` (16).
extension CHeaderWriter {
  /// The writing plan of one struct or union.
  struct Plan {
    enum Item {
      /// Member `index`, with an `aligned(N)` attribute when `align` > 0.
      case member(index: Int, align: Int)
      /// An unnamed bit-field of `bits` bits (at most 64).
      case padding(bits: Int)
      /// A union's tail: an anonymous struct of `bits` bits of padding.
      case unionTail(bits: Int)
    }
    var items: [Item] = []
    var packed = false
    /// `aligned(N)` on the type, 0 for none.
    var typeAlign = 0
    /// The alignment clang will give the written type.
    var alignment = 1
  }

  /// A member's position and bit-field width, also for BTF without
  /// kind_flag, where an INT's own bit offset and count make the bit-field.
  func placement(_ m: BTF.Member, in composite: BTF.Composite) -> (bitOffset: Int, width: Int) {
    if composite.hasBitfieldOffsets || m.bitfieldSize != 0 {
      return (Int(m.bitOffset), Int(m.bitfieldSize))
    }
    if let target = try? btf.resolved(m.type), case .integer(let t)? = try? btf[target],
       Int(t.bitCount) != Int(t.size) * 8 || t.bitOffset != 0
    {
      return (Int(m.bitOffset) + Int(t.bitOffset), Int(t.bitCount))
    }
    return (Int(m.bitOffset), 0)
  }

  /// The alignment clang gives the type as this header writes it.
  func alignment(of id: BTF.TypeID) throws(BTFError) -> Int {
    var current = id
    for _ in 0 ... btf.typeCount {
      switch try btf[current] {
      case .integer(let t): return Self.scalarAlignment(Int(t.size))
      case .float(let t): return Self.scalarAlignment(Int(t.size))
      case .enum(let t), .enum64(let t): return Self.scalarAlignment(Int(t.size))
      case .pointer: return 8
      case .array(let a): current = a.element
      case .typedef(let t): current = t.type
      case .const(let t), .volatile(let t), .restrict(let t): current = t
      case .typeTag(let t): current = t.type
      case .struct, .union: return try plan(current).alignment
      default: return 1
      }
    }
    throw .referenceLoop(typeID: id.rawValue, offset: 0)
  }

  static func scalarAlignment(_ size: Int) -> Int {
    size >= 16 ? 16 : max(1, min(size, 8))
  }

  /// Size in bytes as written (pointers are 8 bytes on BPF).
  func byteSize(of id: BTF.TypeID) throws(BTFError) -> Int {
    var current = id
    var multiplier = 1
    for _ in 0 ... btf.typeCount {
      switch try btf[current] {
      case .pointer: return 8 &* multiplier
      case .array(let a):
        multiplier = multiplier &* Int(a.count)
        current = a.element
      case .typedef(let t): current = t.type
      case .const(let t), .volatile(let t), .restrict(let t): current = t
      case .typeTag(let t): current = t.type
      default: return (try btf.size(of: current)) &* multiplier
      }
    }
    throw .referenceLoop(typeID: id.rawValue, offset: 0)
  }

  /// The plan of a struct or union, computed once.
  func plan(_ id: BTF.TypeID) throws(BTFError) -> Plan {
    let index = Int(id.rawValue)
    if let plan = plans[index] { return plan }
    // A struct holding itself by value is invalid BTF; stop instead of looping.
    if planning[index] { throw .invalidType(typeID: id.rawValue, offset: 0, reason: "struct contains itself") }
    planning[index] = true
    depth += 1
    defer {
      planning[index] = false
      depth -= 1
    }
    guard depth < Self.maximumDepth else {
      throw .invalidType(typeID: id.rawValue, offset: 0, reason: "types nest too deeply to write as C")
    }
    let plan: Plan
    switch try btf[id] {
    case .struct(let c):
      if let natural = try structPlan(c, packed: false) {
        plan = natural
      } else if let packed = try structPlan(c, packed: true) {
        plan = packed
      } else {
        plan = try fallbackPlan(c)
      }
    case .union(let c):
      plan = try unionPlan(c)
    default:
      plan = Plan()
    }
    plans[index] = plan
    return plan
  }

  /// Whether the type may be given alignment `n`: every offset it is
  /// embedded at in the BTF is a multiple of `n`.
  func mayAlign(_ id: BTF.TypeID, to n: Int) -> Bool {
    let use = Int(useAlignment[Int(id.rawValue)])
    return use == 0 || use % n == 0
  }

  /// The smallest power of two above `natural` that moves `from` to `to`
  /// (bits), or nil.
  static func alignmentBridging(from: Int, to: Int, natural: Int) -> Int? {
    var n = natural * 2
    while n <= 4096 {
      let bits = 8 * n
      let rounded = (from + bits - 1) / bits * bits
      if rounded == to { return n }
      if rounded > to { return nil }
      n *= 2
    }
    return nil
  }

  /// Replays clang over a struct; nil when the layout needs `packed`.
  func structPlan(_ c: BTF.Composite, packed: Bool) throws(BTFError) -> Plan? {
    var plan = Plan()
    plan.packed = packed
    var cursor = 0
    var maxAlign = 1
    let sizeBits = Int(c.size) * 8
    let members = try btf.members(of: c.id)
    plan.items.reserveCapacity(members.count)
    func pad(_ from: Int, _ to: Int) {
      var at = from
      while at < to {
        let chunk = min(to - at, 64 - at % 64)
        plan.items.append(.padding(bits: chunk))
        at += chunk
      }
    }
    for (index, member) in members.enumerated() {
      let (offset, width) = placement(member, in: c)
      let align = try alignment(of: member.type)
      if width > 0 {
        let storage = try byteSize(of: member.type) * 8
        func place(_ at: Int) -> Int {
          if packed || storage == 0 { return at }
          let unit = align * 8
          return at % unit + width > storage ? (at + unit - 1) / unit * unit : at
        }
        let natural = place(cursor)
        if natural > offset { return nil }
        if natural < offset {
          pad(cursor, offset)
          if place(offset) != offset { return nil }
        }
        plan.items.append(.member(index: index, align: 0))
        if !packed { maxAlign = max(maxAlign, align) }
        cursor = offset + width
        continue
      }
      let unit = packed ? 8 : align * 8
      let natural = (cursor + unit - 1) / unit * unit
      if natural > offset { return nil }
      var memberAlign = 0
      if natural < offset {
        if !packed, let n = Self.alignmentBridging(from: cursor, to: offset, natural: align),
           Int(c.size) % n == 0, mayAlign(c.id, to: n)
        {
          memberAlign = n
          maxAlign = max(maxAlign, n)
        } else {
          pad(cursor, offset)
          if offset % unit != 0 { return nil }
        }
      }
      plan.items.append(.member(index: index, align: memberAlign))
      if !packed { maxAlign = max(maxAlign, align) }
      cursor = offset + (try byteSize(of: member.type)) * 8
    }
    if cursor > sizeBits { return nil }
    let end = (cursor + maxAlign * 8 - 1) / (maxAlign * 8) * (maxAlign * 8)
    if end > sizeBits { return nil }
    if end < sizeBits {
      if !packed, let n = Self.alignmentBridging(from: cursor, to: sizeBits, natural: maxAlign),
         mayAlign(c.id, to: n)
      {
        plan.typeAlign = n
        maxAlign = n
      } else {
        if sizeBits % (maxAlign * 8) != 0 { return nil }
        pad(cursor, sizeBits)
      }
    }
    plan.alignment = maxAlign
    return plan
  }

  /// A struct whose members overlap or run past its size: no C layout
  /// matches, so write it packed as it is (the compile check will show it).
  func fallbackPlan(_ c: BTF.Composite) throws(BTFError) -> Plan {
    var plan = Plan()
    plan.packed = true
    for index in 0 ..< c.memberCount { plan.items.append(.member(index: index, align: 0)) }
    return plan
  }

  /// A union: every member at offset 0; the size is the largest member
  /// rounded up to the alignment.
  func unionPlan(_ c: BTF.Composite) throws(BTFError) -> Plan {
    var plan = Plan()
    var maxAlign = 1
    var maxBits = 0
    for (index, member) in try btf.members(of: c.id).enumerated() {
      let (_, width) = placement(member, in: c)
      maxAlign = max(maxAlign, try alignment(of: member.type))
      maxBits = max(maxBits, width > 0 ? width : (try byteSize(of: member.type)) * 8)
      plan.items.append(.member(index: index, align: 0))
    }
    let sizeBits = Int(c.size) * 8
    var end = (maxBits + maxAlign * 8 - 1) / (maxAlign * 8) * (maxAlign * 8)
    if end > sizeBits || sizeBits % (maxAlign * 8) != 0 {
      plan.packed = true
      maxAlign = 1
      end = (maxBits + 7) / 8 * 8
    }
    if end < sizeBits {
      if !plan.packed, let n = Self.alignmentBridging(from: maxBits, to: sizeBits, natural: maxAlign),
         mayAlign(c.id, to: n)
      {
        plan.typeAlign = n
        maxAlign = n
      } else {
        plan.items.append(.unionTail(bits: sizeBits))
      }
    }
    plan.alignment = maxAlign
    return plan
  }

  /// For every struct and union, the largest power of two (bytes) dividing
  /// every offset the BTF embeds it at (through typedefs, qualifiers and
  /// arrays); 0 when it is only ever at offset 0 or not embedded.
  static func embeddingAlignments(_ btf: BTF) throws(BTFError) -> [UInt32] {
    var result = [UInt32](repeating: 0, count: btf.typeCount)
    for raw in btf.allTypeIDs {
      let id = BTF.TypeID(raw)
      let kind = try btf.kind(of: id)
      guard kind == .struct || kind == .union else { continue }
      for member in try btf.members(of: id) where member.bitOffset != 0 {
        var target = member.type
        // Through typedefs, qualifiers and arrays to the embedded type.
        for _ in 0 ..< 64 {
          switch try btf[target] {
          case .array(let a): target = a.element
          case .typedef(let t): target = t.type
          case .const(let t), .volatile(let t), .restrict(let t): target = t
          case .typeTag(let t): target = t.type
          default: break
          }
          let k = try btf.kind(of: target)
          if k != .array && !k.isModifierOrTypedef { break }
        }
        let k = try btf.kind(of: target)
        guard k == .struct || k == .union else { continue }
        let offset = member.bitOffset
        let lowBit: UInt32 = offset % 8 != 0 ? 1 : (offset / 8) & (0 &- (offset / 8))
        let index = Int(target.rawValue)
        let current = result[index]
        result[index] = current == 0 ? lowBit : min(current, lowBit)
      }
    }
    return result
  }
}
