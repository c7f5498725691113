/// One member of a struct, union or data section as the layout sees it.
struct LayoutMember {
  /// The Swift name (already free of clashes); "" until allocated.
  var name: String
  /// The C name ("" for an anonymous C11 member), for comments.
  var cName: String
  var shape: TypeShape
  /// From the start of the record, in bits.
  var bitOffset: Int
  /// The bitfield width, 0 when the member is not a bitfield.
  var bitWidth: Int
  /// A `static` variable of a data section: stored for the layout, not exposed.
  var isHidden = false

  var byteOffset: Int { bitOffset / 8 }
  var isBitfield: Bool { bitWidth != 0 }
  /// Zero-size members (flexible arrays, `T x[0]`, empty structs) have no
  /// storage: Swift puts a zero-size stored property at offset 0, not at its place.
  var isZeroSize: Bool { !isBitfield && shape.size == 0 }
}

/// How a record is stored in Swift.
///
/// `stored`: each member that is not a bitfield is a stored property at its C
/// offset; the bytes between them (padding, bitfield storage) and after the
/// last one (tail padding) are private `InlineArray` fields of the widest
/// unsigned integer the offset allows, up to the record's alignment, so the
/// Swift alignment reaches the C one. Swift lays stored properties out in
/// declaration order, each at the next multiple of its alignment, which is
/// exactly where they are declared to be here.
///
/// `bytes`: one private storage array of the record's size, in units of its
/// alignment; every member is a computed property over it. Unions (all
/// members overlap), packed structs (members below their alignment) and the
/// rare struct whose alignment no stored field can carry (`char a; int b:1;`
/// has alignment 4 but no 4-aligned byte is free of `a`) use it.
enum CompositeLayout {
  case stored([StoredField])
  case bytes(unit: Int, count: Int)

  enum StoredField {
    case member(index: Int)
    /// A private field `name` of `count` `unit`-byte integers at `offset`.
    case filler(name: String, offset: Int, unit: Int, count: Int, holdsBits: Bool)
  }

  /// The stored plan when one gives exactly `size` bytes and `alignment`,
  /// else nil. Gaps are filled with bytes; only when the members alone do
  /// not reach the alignment are they filled with the widest units that fit.
  static func storedPlan(members: [LayoutMember], size: Int, alignment: Int) -> [StoredField]? {
    storedPlan(members: members, size: size, alignment: alignment, fillerUnit: 1)
      ?? storedPlan(members: members, size: size, alignment: alignment, fillerUnit: alignment)
  }

  private static func storedPlan(
    members: [LayoutMember], size: Int, alignment: Int, fillerUnit: Int
  ) -> [StoredField]? {
    let bitRanges = members.filter(\.isBitfield).map { $0.bitOffset ..< $0.bitOffset + $0.bitWidth }
    var fields: [StoredField] = []
    var cursor = 0
    var reached = 1
    var fillerCount = 0
    func fill(_ from: Int, _ to: Int) {
      for piece in pieces(from: from, to: to, maximumUnit: fillerUnit) {
        let bits = (piece.offset * 8) ..< ((piece.offset + piece.unit * piece.count) * 8)
        let holdsBits = bitRanges.contains { $0.overlaps(bits) }
        fields.append(.filler(name: (holdsBits ? "_bits" : "_pad") + "\(fillerCount)", offset: piece.offset,
                              unit: piece.unit, count: piece.count, holdsBits: holdsBits))
        fillerCount += 1
        reached = max(reached, piece.unit)
      }
    }
    let stored = members.indices.filter { !members[$0].isBitfield && !members[$0].isZeroSize }
      .sorted { members[$0].bitOffset < members[$1].bitOffset }
    for index in stored {
      let member = members[index]
      guard member.bitOffset % 8 == 0, member.byteOffset >= cursor,
            member.byteOffset % member.shape.alignment == 0
      else { return nil }
      if member.byteOffset > cursor { fill(cursor, member.byteOffset) }
      fields.append(.member(index: index))
      cursor = member.byteOffset + member.shape.size
      reached = max(reached, member.shape.alignment)
    }
    guard cursor <= size else { return nil }
    if size > cursor { fill(cursor, size) }
    return reached == alignment ? fields : nil
  }

  /// Splits the bytes `from ..< to` into runs of one unit each: the widest
  /// unit (a power of two up to `maximumUnit`) the offset is aligned to, a
  /// run ending where a wider unit becomes possible.
  static func pieces(from: Int, to: Int, maximumUnit: Int) -> [(offset: Int, unit: Int, count: Int)] {
    func widest(at offset: Int) -> Int {
      var unit = max(1, maximumUnit)
      while unit > 1 && (offset % unit != 0 || offset + unit > to) { unit /= 2 }
      return unit
    }
    var result: [(offset: Int, unit: Int, count: Int)] = []
    var offset = from
    while offset < to {
      let unit = widest(at: offset)
      var end = offset + unit
      while end + unit <= to && widest(at: end) == unit { end += unit }
      result.append((offset, unit, (end - offset) / unit))
      offset = end
    }
    return result
  }
}
