import BTF
import Instructions

extension CodeSection {
  /// The functions `.BTF.ext` func_info lists for this section, for code
  /// that comes without a symbol table: each record names a FUNC and its
  /// first instruction; a function runs to the next one (or the section's end).
  public func functionsFromFunctionInfo(_ ext: BTF.Extension, btf: BTF) -> [Function] {
    guard let info = ext.functionInfo.first(where: { $0.name == name }) else { return [] }
    let starts = info.records.map { record in
      (name: (try? btf.nameString(of: record.type)) ?? "func#\(record.type.rawValue)", slot: record.instructionIndex)
    }.sorted { $0.slot < $1.slot }
    return starts.enumerated().map { position, start in
      let end = position + 1 < starts.count ? starts[position + 1].slot : max(instructions.slotCount, start.slot)
      return Function(name: start.name, section: id, sectionName: name, offset: UInt64(max(start.slot, 0)) * 8,
                      size: UInt64(max(end - start.slot, 0)) * 8, symbolIndex: nil)
    }
  }
}
