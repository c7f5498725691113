import BTF
import UAPI

extension ObjectBuilder {
  /// Kernel: `BPF_F_LINK`, set on struct_ops maps registered through a link.
  static let linkFlag: UInt32 = 1 << 13

  /// struct_ops maps: each named variable of `.struct_ops`, `.struct_ops.link`
  /// (and `.struct_ops.<name>`) sections, described by the BTF `DATASEC` of
  /// the same name. A `?` before the name (`?.struct_ops`, `?.struct_ops.link`,
  /// as libbpf reads them) marks maps not created unless asked for, as `?`
  /// marks programs not loaded; the definition keeps that section name.
  func structOpsMaps(btf: Result<BTF, BTFError>?) throws(ELFError) -> [MapDefinition] {
    var result: [MapDefinition] = []
    for section in sections where Self.isStructOpsSection(section.name) {
      let variables = mapSymbols(in: section)
      guard let first = variables.first else { continue }
      guard let data = section.data else {
        throw .badMap(file: file, map: first.name, reason: "section '\(section.name)' has type \(section.type) and holds no initial value")
      }
      let parsed: BTF
      switch btf {
      case .success(let value): parsed = value
      case .failure(let error):
        throw .badMap(file: file, map: first.name, reason: "a struct_ops map needs BTF, but the object's .BTF cannot be parsed: \(error)")
      case nil:
        throw .badMap(file: file, map: first.name, reason: "a struct_ops map needs BTF, but the object has no .BTF section (build with clang -g)")
      }
      let declared = try sectionVariables(named: section.name, in: parsed, map: first.name)
      let relocations = raw.relocationTables.filter { $0.targetIndex == section.index }.flatMap(\.entries)
      for symbol in variables {
        guard let variable = declared[symbol.name] else {
          throw .badMap(file: file, map: symbol.name, reason: "has no variable in the BTF DATASEC '\(section.name)'")
        }
        var definition = try structOpsMap(symbol, type: variable.type, in: section, data: data, btf: parsed, relocations: relocations)
        if section.name == ".struct_ops.link" || section.name == "?.struct_ops.link" { definition.flags |= Self.linkFlag }
        result.append(definition)
      }
    }
    return result
  }

  static func isStructOpsSection(_ name: String) -> Bool {
    let bare = name.hasPrefix("?") ? String(name.dropFirst()) : name
    if name.hasPrefix("?") { return bare == ".struct_ops" || bare == ".struct_ops.link" }
    return bare == ".struct_ops" || bare.hasPrefix(".struct_ops.")
  }

  func structOpsMap(
    _ symbol: Symbol, type: BTF.TypeID, in section: Section, data: [UInt8], btf: BTF,
    relocations: [RawObject.Entry]
  ) throws(ELFError) -> MapDefinition {
    let name = symbol.name
    func read<T>(_ body: () throws(BTFError) -> T) throws(ELFError) -> T {
      do { return try body() } catch { throw .badMap(file: file, map: name, reason: "its BTF is malformed: \(error)") }
    }
    let structID = try read { () throws(BTFError) in try btf.resolved(type) }
    guard case .struct(let layout) = try read({ () throws(BTFError) in try btf[structID] }) else {
      throw .badMap(file: file, map: name, reason: "its BTF type is not a struct")
    }
    guard let end = symbol.value.adding(UInt64(layout.size), notBeyond: section.size) else {
      throw .badMap(file: file, map: name, reason: "its \(layout.size)-byte struct at offset \(symbol.value) runs past the end of section '\(section.name)'")
    }
    let members = try read { () throws(BTFError) in try btf.members(of: structID) }
    var functions: [StructOpsDefinition.Function] = []
    for entry in relocations
    where entry.type != RelocationType.none.rawValue && entry.offset >= symbol.value && entry.offset < end {
      let offset = entry.offset - symbol.value
      guard let index = members.firstIndex(where: { UInt64($0.byteOffset) == offset && !$0.isBitfield }) else {
        throw .badMap(file: file, map: name, reason: "a relocation at offset \(offset) of its struct initialises no member")
      }
      let target = symbols[entry.symbol]
      guard entry.type == RelocationType.absolute64.rawValue, target.kind == .function, target.isInSection,
        sections[target.sectionIndex].isExecutable
      else {
        throw .badMap(file: file, map: name, reason: "member at offset \(offset) is set to '\(target.name)', which is not a program (\(RelocationType(rawValue: entry.type)))")
      }
      functions.append(
        StructOpsDefinition.Function(
          member: try read { () throws(BTFError) in try btf.string(of: members[index].name) }, memberIndex: index, offset: offset,
          program: target.name, symbolIndex: target.index))
    }
    functions.sort { $0.offset < $1.offset }
    // Within the section (checked above), so within `data`.
    let bytes = Array(data[Int(symbol.value)..<Int(end)])
    let ops = StructOpsDefinition(
      typeName: try read { () throws(BTFError) in try btf.string(of: layout.name) }, typeID: structID, data: bytes, functions: functions)
    return MapDefinition(
      name: name, origin: .structOps, sectionName: section.name, sectionIndex: section.index,
      offset: symbol.value, symbolIndex: symbol.index, type: .structOps, keySize: 4,
      valueSize: layout.size, valueTypeID: structID, maxEntries: 1, structOps: ops)
  }
}
