import BTF

/// Structs and unions: members read from BTF, a layout chosen
/// (`CompositeLayout`), the declaration written (`RecordWriter`).
extension SwiftTypeGenerator {
  mutating func compositeShape(
    _ id: BTF.TypeID, _ composite: BTF.Composite, isUnion: Bool, name: String
  ) throws(CodegenError) -> TypeShape {
    let origin = "btf \(id.rawValue)"
    if let known = registered[name], known.origin == origin { return known.shape }
    guard !inProgress.contains(name) else {
      throw .unrepresentable(type: btf.cDescription(id), id: id.rawValue, reason: "it contains itself by value")
    }
    inProgress.insert(name)
    defer { inProgress.remove(name) }

    var members = try layoutMembers(of: id, composite, parentName: name)
    let size = Int(composite.size)
    var alignment = members.map(\.shape.alignment).max() ?? 1
    let packed = size % alignment != 0
      || members.contains { !$0.isBitfield && ($0.bitOffset % 8 != 0 || $0.byteOffset % $0.shape.alignment != 0) }
    if packed { alignment = 1 }
    for member in members where !member.isBitfield && member.byteOffset + member.shape.size > size {
      throw .unrepresentable(type: btf.cDescription(id), id: id.rawValue,
                             reason: "member \(member.cName) ends past the \(size)-byte record")
    }

    let layout: CompositeLayout
    var note: String
    let cText = btf.cDescription(id)
    if !isUnion, !packed, let fields = CompositeLayout.storedPlan(members: members, size: size, alignment: alignment) {
      layout = .stored(fields)
      note = "C: `\(cText)`, \(size) bytes, alignment \(alignment)."
    } else {
      layout = .bytes(unit: alignment, count: size / alignment)
      note = "C: `\(cText)`, \(size) bytes, alignment \(alignment)"
      if isUnion {
        note += "; the members overlap, so each is a computed property over the storage."
      } else if packed {
        note += ", packed: members are computed properties, since Swift stores each at its alignment."
      } else {
        note += "; no stored field can carry the alignment beside the members, so they are computed properties."
      }
    }
    if size == 0 {
      // C gives an empty struct size 0 and its members' alignment; Swift
      // gives it size 0 but stride and alignment 1.
      note += " Empty: Swift's stride and alignment are 1."
    }
    var writer = RecordWriter(name: name, note: note, access: access, order: btf.byteOrder)
    writer.allocateNames(&members)
    for member in members where member.cName.isEmpty {
      writer.innerManifests[member.shape.spelling] = registered[member.shape.spelling]?.members
    }
    let text = writer.write(members: members, layout: layout)
    var shape = TypeShape(spelling: name, size: size, alignment: alignment)
    shape.exposed = writer.exposed
    try register(name, Declaration(origin: origin, text: text, shape: shape, btfID: id, members: writer.manifest))
    return shape
  }

  /// Adds a declaration; a name already taken by another type is a clash
  /// unless the text is the same (one anonymous type reached twice).
  mutating func register(_ name: String, _ declaration: Declaration) throws(CodegenError) {
    if let existing = registered[name], existing.origin != declaration.origin, existing.text != declaration.text {
      throw .nameClash(name: name, reason: "\(existing.origin) and \(declaration.origin) differ")
    }
    registered[name] = declaration
  }

  /// The members with their shapes. A bitfield's width comes from the
  /// member (kind_flag) or, in older BTF, from its INT's bit count and offset.
  /// An anonymous struct or union member is named `anon0`, `anon1`, … and
  /// its type `Parent_Anon0`; a named member's anonymous type is
  /// `Parent_MemberName`.
  mutating func layoutMembers(
    of id: BTF.TypeID, _ composite: BTF.Composite, parentName: String
  ) throws(CodegenError) -> [LayoutMember] {
    var result: [LayoutMember] = []
    var anonymousCount = 0
    for member in try btf.membersOrThrow(id) {
      let cName = try btf.text(member.name, of: id)
      let hint: String
      if cName.isEmpty {
        hint = "\(parentName)_Anon\(anonymousCount)"
        anonymousCount += 1
      } else {
        hint = "\(parentName)_\(SwiftNames.typeName(cName))"
      }
      var bitOffset = Int(member.bitOffset)
      var width = Int(member.bitfieldSize)
      if !composite.hasBitfieldOffsets, case .integer(let t) = try btf.descriptor(try btf.resolvedOrThrow(member.type)),
         Int(t.bitCount) != Int(t.size) * 8 || t.bitOffset != 0
      {
        bitOffset += Int(t.bitOffset)
        width = Int(t.bitCount)
      }
      let shape = try shape(of: member.type, hint: hint)
      if width > 64 {
        throw .unrepresentable(type: btf.cDescription(id), id: id.rawValue,
                               reason: "bitfield \(cName) has \(width) bits; at most 64 are supported")
      }
      if width != 0 && shape.bitfield == nil {
        throw .unrepresentable(type: btf.cDescription(id), id: id.rawValue,
                               reason: "bitfield \(cName) is neither an integer nor an enum")
      }
      result.append(LayoutMember(name: "", cName: cName, shape: shape, bitOffset: bitOffset, bitWidth: width))
    }
    return result
  }
}
