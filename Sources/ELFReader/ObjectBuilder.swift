import BTF
import Instructions
import UAPI

/// Turns the sections, symbols and relocation tables libelf yielded into the
/// object model: metadata, functions, data sections, relocations, maps and
/// externs. Pure Swift over `RawObject`; every offset is checked here.
struct ObjectBuilder {
  let raw: RawObject
  let file: String
  /// The function symbols of each executable section, sorted by offset.
  var functions: [Int: [FunctionSpan]] = [:]

  /// The extent of one function symbol in its section.
  struct FunctionSpan {
    var name: String
    var offset: UInt64
    var size: UInt64
    var symbolIndex: Int
  }

  /// What `build()` produces, beyond what `RawObject` already holds.
  struct Built {
    var license: String?
    var kernelVersion: UInt32?
    var btf: [UInt8]?
    var btfExt: [UInt8]?
    var dataSections: [DataSection] = []
    var functions: [Function] = []
    var code: [SectionID: CodeSection] = [:]
    var undecodedCode: [SectionID: InstructionError] = [:]
    var relocations: [Relocation] = []
    var maps: [MapDefinition] = []
    var externs: [Extern] = []
  }

  /// The section name `.text`: functions there are subprograms, not programs.
  static let textSection = ".text"
  /// BTF-defined maps live here.
  static let mapsSection = ".maps"
  /// Legacy `struct bpf_map_def` maps live here.
  static let legacyMapsSection = "maps"

  init(raw: RawObject, file: String) {
    self.raw = raw
    self.file = file
  }

  var sections: [Section] { raw.sections }
  var symbols: [Symbol] { raw.symbols }
  var order: ByteOrder { raw.byteOrder }

  func section(named name: String) -> Section? {
    raw.sections.first { $0.name == name }
  }

  mutating func build() throws(ELFError) -> Built {
    var built = Built()
    try checkSymbolExtents()
    built.license = try license()
    built.kernelVersion = try kernelVersion()
    built.btf = section(named: ".BTF")?.data
    built.btfExt = section(named: ".BTF.ext")?.data
    try indexFunctions()
    (built.functions, built.code, built.undecodedCode) = try decodeCode()
    built.dataSections = try dataSections()
    built.relocations = try classifyRelocations(dataSections: built.dataSections)
    let btf = built.btf.map { bytes in Result { () throws(BTFError) in try BTF(bytes: bytes) } }
    built.maps = try legacyMaps() + btfMaps(btf: btf) + structOpsMaps(btf: btf)
    built.externs = externs(relocations: built.relocations, btf: try? btf?.get())
    built.dataSections += externSections(built.externs, btf: try? btf?.get())
    return built
  }

  /// Every defined object or function symbol must lie inside its section.
  func checkSymbolExtents() throws(ELFError) {
    for symbol in symbols where symbol.isInSection && (symbol.kind == .object || symbol.kind == .function) {
      let section = sections[symbol.sectionIndex]
      guard symbol.value.adding(symbol.size, notBeyond: section.size) != nil else {
        throw .badSymbol(file: file, symbol: symbol.name, index: symbol.index, reason: "offset \(symbol.value) + size \(symbol.size) lies beyond the end of section '\(section.name)' (\(section.size) bytes)")
      }
    }
  }

  /// `license`: a C string; the kernel checks it for GPL compatibility.
  func license() throws(ELFError) -> String? {
    guard let section = section(named: "license") else { return nil }
    guard let data = section.data else {
      throw .badMetadata(file: file, section: section.name, reason: "has type \(section.type), expected SHT_PROGBITS holding a string")
    }
    let text = data.prefix { $0 != 0 }
    return String(decoding: text, as: UTF8.self)
  }

  /// `version`: one 32-bit value in the object's byte order.
  func kernelVersion() throws(ELFError) -> UInt32? {
    guard let section = section(named: "version") else { return nil }
    guard let data = section.data, data.count == 4,
      let value = data.span.bytes.u32(at: 0, order)
    else {
      throw .badMetadata(file: file, section: section.name, reason: "holds \(section.size) bytes, expected one 4-byte kernel version")
    }
    return value
  }

  /// Collects the function symbols of executable sections and checks that
  /// each covers whole instructions inside its section.
  mutating func indexFunctions() throws(ELFError) {
    for symbol in symbols where symbol.kind == .function && symbol.isInSection {
      let section = sections[symbol.sectionIndex]
      guard section.isExecutable else { continue }
      guard section.data != nil else {
        throw .badFunction(file: file, section: section.name, function: symbol.name, reason: "its section has type \(section.type) and holds no instructions")
      }
      guard symbol.value % 8 == 0, symbol.size % 8 == 0, symbol.size > 0 else {
        throw .badFunction(file: file, section: section.name, function: symbol.name, reason: "offset \(symbol.value) and size \(symbol.size) are not whole 8-byte instructions")
      }
      functions[section.index, default: []].append(
        FunctionSpan(name: symbol.name, offset: symbol.value, size: symbol.size, symbolIndex: symbol.index))
    }
    for key in functions.keys {
      functions[key]?.sort { ($0.offset, $0.symbolIndex) < ($1.offset, $1.symbolIndex) }
    }
  }

  /// The function of `sectionIndex` that contains byte `offset`.
  func function(in sectionIndex: Int, containing offset: UInt64) -> FunctionSpan? {
    guard let list = functions[sectionIndex] else { return nil }
    var low = 0
    var high = list.count
    while low < high {
      let mid = low + (high - low) / 2
      if list[mid].offset <= offset { low = mid + 1 } else { high = mid }
    }
    guard low > 0 else { return nil }
    let candidate = list[low - 1]
    return offset - candidate.offset < candidate.size ? candidate : nil
  }

  /// The function of `sectionIndex` that starts at byte `offset`.
  func function(in sectionIndex: Int, startingAt offset: UInt64) -> FunctionSpan? {
    guard let found = function(in: sectionIndex, containing: offset), found.offset == offset else { return nil }
    return found
  }

  /// Decodes every executable section once, with its functions: programs
  /// (outside `.text`, with their SEC() reading) and subprograms (in
  /// `.text`), in section order, then by offset.
  ///
  /// A section that does not decode is no error here, as long as each of
  /// its functions does (bytes outside every function may be anything until
  /// a load needs the section): it goes into the third result instead.
  func decodeCode() throws(ELFError) -> ([Function], [SectionID: CodeSection], [SectionID: InstructionError]) {
    var all: [Function] = []
    var code: [SectionID: CodeSection] = [:]
    var undecoded: [SectionID: InstructionError] = [:]
    var definitions: [String: Result<ProgramSection, UnknownSectionName>] = [:]
    for section in sections where section.isExecutable {
      guard let bytes = section.data else { continue }
      let id = SectionID(section.index)
      var sequence: InstructionSequence?
      do throws(InstructionError) {
        sequence = try InstructionSequence(decoding: bytes, order: order)
      } catch {
        undecoded[id] = error
      }
      var functions: [Function] = []
      for span in self.functions[section.index] ?? [] {
        try checkDecodes(span, in: section, sequence: sequence)
        var definition: Result<ProgramSection, UnknownSectionName>?
        if section.name != Self.textSection {
          if let known = definitions[section.name] {
            definition = known
          } else {
            let parsed = Result { () throws(UnknownSectionName) in try ProgramSection.parse(section.name) }
            definitions[section.name] = parsed
            definition = parsed
          }
        }
        functions.append(
          Function(name: span.name, section: id, sectionName: section.name, offset: span.offset, size: span.size,
                   symbolIndex: span.symbolIndex, definition: definition))
      }
      all += functions
      if let sequence {
        code[id] = CodeSection(id: id, name: section.name, instructions: sequence, functions: functions)
      }
    }
    return (all, code, undecoded)
  }

  /// A function must decode on its own. When the section decoded and the
  /// function starts and ends on instruction boundaries, it does; otherwise
  /// its own bytes are decoded, only to name the error.
  func checkDecodes(_ span: FunctionSpan, in section: Section, sequence: InstructionSequence?) throws(ELFError) {
    let slot = Int(span.offset / 8)
    let end = slot + Int(span.size / 8)
    if let sequence, sequence.instructionIndex(atSlot: slot) != nil,
      end == sequence.slotCount || sequence.instructionIndex(atSlot: end) != nil
    {
      return
    }
    // indexFunctions checked offset + size <= section size.
    let start = Int(span.offset)
    let bytes = Array((section.data ?? [])[start ..< start + Int(span.size)])
    do throws(InstructionError) {
      _ = try InstructionSequence(decoding: bytes, order: order)
    } catch {
      throw .badFunction(file: file, section: section.name, function: span.name, reason: "cannot decode its code: \(error)")
    }
  }

  /// The ELF data sections with their variables.
  func dataSections() throws(ELFError) -> [DataSection] {
    var result: [DataSection] = []
    // Named variable symbols by section, gathered in one pass.
    var bySection: [Int: [Symbol]] = [:]
    for symbol in symbols where symbol.isInSection && (symbol.kind == .object || symbol.kind == .none) && !symbol.name.isEmpty {
      bySection[symbol.sectionIndex, default: []].append(symbol)
    }
    for section in sections {
      guard let kind = DataSection.Kind(sectionName: section.name), kind != .kconfig, kind != .ksyms else { continue }
      guard section.type == .progbits || section.type == .nobits else {
        throw .badSection(file: file, section: section.name, index: section.index, reason: "a data section of type \(section.type); expected SHT_PROGBITS or SHT_NOBITS")
      }
      var variables: [DataSection.Variable] = []
      for symbol in bySection[section.index] ?? [] {
        variables.append(
          DataSection.Variable(
            name: symbol.name, offset: symbol.value, size: symbol.size, binding: symbol.binding,
            visibility: symbol.visibility, symbolIndex: symbol.index))
      }
      variables.sort { ($0.offset, $0.symbolIndex) < ($1.offset, $1.symbolIndex) }
      result.append(
        DataSection(
          name: section.name, kind: kind, sectionIndex: section.index, size: section.size,
          isReadOnly: kind == .rodata, initialBytes: section.data, variables: variables))
    }
    return result
  }

  /// The named variable of a data section that contains byte `offset`
  /// (binary search over the section's variables, sorted by offset).
  static func variable(in section: DataSection, containing offset: UInt64) -> DataSection.Variable? {
    let list = section.variables
    var low = 0
    var high = list.count
    while low < high {
      let mid = low + (high - low) / 2
      if list[mid].offset <= offset { low = mid + 1 } else { high = mid }
    }
    guard low > 0 else { return nil }
    let candidate = list[low - 1]
    return offset - candidate.offset < max(candidate.size, 1) ? candidate : nil
  }
}
