import Instructions
import UAPI

/// The fields of one instruction a relocation classification looks at.
///
/// Kernel: `struct bpf_insn` is `code:8, dst_reg:4, src_reg:4, off:16, imm:32`;
/// the two register nibbles swap places in big-endian objects.
struct InstructionFields {
  var opcode: UInt8
  var source: UInt8
  var immediate: Int32

  /// Kernel: `BPF_JMP | BPF_CALL`.
  static let call = Opcode.call.rawValue
  /// Kernel: `BPF_LD | BPF_IMM | BPF_DW`, the two-slot `ld_imm64`.
  static let loadImmediate64 = Opcode.loadImmediate64.rawValue
  /// Kernel: `BPF_PSEUDO_CALL`, `src_reg` of a call to a BPF function.
  static let pseudoCall = Instruction.CallSource.subprogram.rawValue

  init?(_ code: RawSpan, at offset: Int, _ order: ByteOrder) {
    guard let opcode = code.u8(at: offset), let registers = code.u8(at: offset + 1),
      let imm = code.u32(at: offset + 4, order)
    else { return nil }
    self.opcode = opcode
    source = order == .little ? registers >> 4 : registers & 0xf
    immediate = Int32(bitPattern: imm)
  }
}

extension ObjectBuilder {
  /// Classifies the relocations of every executable section.
  func classifyRelocations(dataSections: [DataSection]) throws(ELFError) -> [Relocation] {
    let dataByIndex = Dictionary(
      dataSections.compactMap { section in section.sectionIndex.map { ($0, section) } },
      uniquingKeysWith: { first, _ in first })
    var mapNames: [MapKey: String] = [:]
    for symbol in symbols where symbol.isInSection && symbol.kind != .section && !symbol.name.isEmpty {
      let name = sections[symbol.sectionIndex].name
      if name == Self.mapsSection || name == Self.legacyMapsSection {
        let key = MapKey(section: symbol.sectionIndex, offset: symbol.value)
        if mapNames[key] == nil { mapNames[key] = symbol.name }
      }
    }
    var result: [Relocation] = []
    for table in raw.relocationTables {
      let section = sections[table.targetIndex]
      guard section.isExecutable else { continue }
      guard let code = section.data else {
        throw .badSection(file: file, section: table.name, index: table.index, reason: "relocates '\(section.name)', which holds no instructions")
      }
      result.reserveCapacity(result.count + table.entries.count)
      for entry in table.entries {
        result.append(try classify(entry, in: section, code: code, data: dataByIndex, maps: mapNames))
      }
    }
    result.sort { ($0.sectionIndex, $0.offset) < ($1.sectionIndex, $1.offset) }
    return result
  }

  func classify(
    _ entry: RawObject.Entry, in section: Section, code: [UInt8], data: [Int: DataSection],
    maps: [MapKey: String]
  ) throws(ELFError) -> Relocation {
    let type = RelocationType(rawValue: entry.type)
    let symbol = symbols[entry.symbol]
    let container = function(in: section.index, containing: entry.offset)
    func make(_ target: Relocation.Target) -> Relocation {
      Relocation(
        sectionIndex: section.index, sectionName: section.name, offset: entry.offset,
        function: container?.name, functionSlot: container.map { Int((entry.offset - $0.offset) / 8) },
        type: type, symbolIndex: entry.symbol, symbolName: symbol.name, target: target)
    }
    func unsupported(_ problem: UnsupportedRelocation.Problem) -> Relocation {
      make(.unsupported(UnsupportedRelocation(section: section.name, offset: entry.offset, problem: problem)))
    }
    if type == .none { return make(.none) }
    guard entry.offset % 8 == 0, entry.offset.adding(8, notBeyond: section.size) != nil else {
      throw .badRelocation(file: file, section: section.name, offset: entry.offset, reason: "the offset is not the start of an instruction inside the \(section.size)-byte section")
    }
    let start = Int(entry.offset)
    guard let insn = InstructionFields(code.span.bytes, at: start, order) else {
      throw .badRelocation(file: file, section: section.name, offset: entry.offset, reason: "the instruction lies outside the section")
    }
    let isCall = insn.opcode == InstructionFields.call
    let isLoad = insn.opcode == InstructionFields.loadImmediate64
    if isLoad && entry.offset.adding(16, notBeyond: section.size) == nil {
      throw .badRelocation(file: file, section: section.name, offset: entry.offset, reason: "ld_imm64 needs two instruction slots but the section ends after the first")
    }
    switch type {
    case .immediate64 where !isLoad:
      return unsupported(.typeMismatch(type, opcode: insn.opcode))
    case .call32 where !isCall:
      return unsupported(.typeMismatch(type, opcode: insn.opcode))
    case .immediate64, .call32:
      break
    default:
      return unsupported(.dataRelocationInCode(type))
    }
    guard entry.symbol != 0 else { return unsupported(.noSymbol) }

    if symbol.isUndefined {
      guard !symbol.name.isEmpty else { return unsupported(.noSymbol) }
      return make(.extern(name: symbol.name, usage: isCall ? .call : .load))
    }
    guard symbol.isInSection else {
      return unsupported(.specialSection(symbol: symbol.name, index: symbol.sectionIndex))
    }
    let targetSection = sections[symbol.sectionIndex]

    if isCall {
      guard insn.source == InstructionFields.pseudoCall else {
        return unsupported(.callWithoutPseudoSource(symbol: symbol.name, source: insn.source))
      }
      guard targetSection.isExecutable else {
        return unsupported(.notCode(symbol: symbol.name, section: targetSection.name))
      }
      // The callee is st_value + (imm + 1) instructions from the section start.
      let target = Int64(clamping: symbol.value) &+ (Int64(insn.immediate) + 1) * 8
      guard let offset = UInt64(exactly: target), offset % 8 == 0,
        offset < targetSection.size
      else {
        return unsupported(.targetOutsideSection(symbol: symbol.name, section: targetSection.name, target: target))
      }
      return make(.subprogramCall(reference(to: offset, in: targetSection)))
    }

    // ld_imm64 of an address.
    let addend = Int64(insn.immediate)
    if targetSection.isExecutable {
      let target = Int64(clamping: symbol.value) &+ addend
      guard let offset = UInt64(exactly: target), offset % 8 == 0, offset < targetSection.size else {
        return unsupported(.targetOutsideSection(symbol: symbol.name, section: targetSection.name, target: target))
      }
      return make(.callbackAddress(reference(to: offset, in: targetSection)))
    }
    if targetSection.name == Self.mapsSection || targetSection.name == Self.legacyMapsSection {
      // Named map symbols carry the offset; a section symbol carries it in imm.
      let at = symbol.kind == .section ? UInt64(exactly: Int64(clamping: symbol.value) &+ addend) : symbol.value
      guard let at, let map = maps[MapKey(section: targetSection.index, offset: at)] else {
        return unsupported(.noMapAtOffset(section: targetSection.name, offset: Int64(clamping: symbol.value) &+ addend))
      }
      return make(.map(name: map, sectionName: targetSection.name, offset: at))
    }
    if let dataSection = data[targetSection.index] {
      // clang puts a named variable's offset in st_value and a static one's in imm.
      let target = Int64(clamping: symbol.value) &+ addend
      guard let offset = UInt64(exactly: target), offset <= targetSection.size else {
        return unsupported(.targetOutsideSection(symbol: symbol.name, section: targetSection.name, target: target))
      }
      let variable = symbol.kind == .section ? Self.variable(in: dataSection, containing: offset)?.name : symbol.name
      return make(.globalData(section: targetSection.name, sectionIndex: targetSection.index, offset: offset, variable: variable))
    }
    return unsupported(.unrelocatableSection(symbol: symbol.name, section: targetSection.name))
  }

  /// A map symbol's position: section index and offset.
  struct MapKey: Hashable {
    var section: Int
    var offset: UInt64
  }

  func reference(to offset: UInt64, in section: Section) -> Relocation.FunctionReference {
    Relocation.FunctionReference(
      sectionIndex: section.index, sectionName: section.name, offset: offset,
      name: function(in: section.index, startingAt: offset)?.name)
  }
}
