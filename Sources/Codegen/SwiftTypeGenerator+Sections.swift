import BTF

/// A global variable of a data section, placed by the section's DATASEC.
package struct SectionVariableLayout: Sendable, Hashable {
  /// The C name.
  package var name: String
  /// The VAR's type (or the VAR itself).
  package var type: BTF.TypeID
  package var offset: Int
  package var size: Int
  /// A `static` variable: kept as private storage, not exposed.
  package var isStatic: Bool

  package init(name: String, type: BTF.TypeID, offset: Int, size: Int, isStatic: Bool) {
    self.name = name
    self.type = type
    self.offset = offset
    self.size = size
    self.isStatic = isStatic
  }
}

extension SwiftTypeGenerator {
  /// Registers a struct named `swiftName` laid out like a global data
  /// section: each variable a stored property at its offset, `size` bytes
  /// with tail padding. Anonymous types of variables are named
  /// `SwiftName_VariableName`. When a variable sits below its alignment the
  /// section is stored as bytes with computed properties, like a packed struct.
  package mutating func sectionLayout(
    swiftName: String, size: Int, variables: [SectionVariableLayout]
  ) throws(CodegenError) {
    var members: [LayoutMember] = []
    for variable in variables.sorted(by: { ($0.offset, $0.name) < ($1.offset, $1.name) }) {
      let shape = try shape(of: variable.type, hint: "\(swiftName)_\(SwiftNames.typeName(variable.name))")
      guard shape.size == variable.size else {
        throw .unrepresentable(type: "variable \(variable.name)", id: variable.type.rawValue,
                               reason: "its type has \(shape.size) bytes, the section gives it \(variable.size)")
      }
      var member = LayoutMember(name: "", cName: variable.name, shape: shape, bitOffset: variable.offset * 8,
                                bitWidth: 0)
      member.isHidden = variable.isStatic
      members.append(member)
    }
    for member in members where member.byteOffset + member.shape.size > size {
      throw .unrepresentable(type: "section \(swiftName)", id: 0,
                             reason: "variable \(member.cName) ends past the \(size)-byte section")
    }
    let alignment = members.map(\.shape.alignment).max() ?? 1
    let layout: CompositeLayout
    let note: String
    if let fields = CompositeLayout.storedPlan(members: members, size: size, alignment: alignment) {
      layout = .stored(fields)
      note = "A global data section: \(size) bytes, each variable at its offset."
    } else {
      layout = .bytes(unit: 1, count: size)
      note = "A global data section: \(size) bytes; a variable sits below its alignment, so variables are computed properties."
    }
    var writer = RecordWriter(name: swiftName, note: note, access: access, order: btf.byteOrder)
    writer.allocateNames(&members)
    let text = writer.write(members: members, layout: layout)
    var shape = TypeShape(spelling: swiftName, size: size, alignment: alignment)
    shape.exposed = writer.exposed
    try register(swiftName, Declaration(origin: "section \(swiftName)", text: text, shape: shape, btfID: nil,
                                        members: writer.manifest))
  }
}
