import Instructions
import UAPI

/// A BPF ELF object (`clang -target bpf -c`), parsed completely when opened.
///
/// Everything is copied into Swift values while the file is read through
/// libelf, then libelf is released: an `ObjectFile` holds no handles and is
/// `Sendable`. Open it from a path or from bytes (an embedded object).
public struct ObjectFile: Sendable {
  /// The path or the name given with the bytes; errors and messages use it.
  public let name: String
  /// The size of the file in bytes.
  public let fileSize: Int
  /// `e_ident[EI_DATA]`: `bpfel` objects are little endian, `bpfeb` big endian.
  public let byteOrder: ByteOrder
  /// Every section, indexed by section header index (`sections[0]` is the null section).
  public let sections: [Section]
  /// Every symbol, indexed by symbol table index (`symbols[0]` is the null symbol).
  public let symbols: [Symbol]
  /// The `license` section's string (`"GPL"`, `"Dual BSD/GPL"`), without the NUL.
  public let license: String?
  /// The `version` section's value (`LINUX_VERSION_CODE` of old kprobe objects).
  public let kernelVersion: UInt32?
  /// The raw `.BTF` section.
  public let btf: [UInt8]?
  /// The raw `.BTF.ext` section (func_info, line_info, CO-RE relocations).
  public let btfExt: [UInt8]?
  /// Global data sections (`.data*`, `.rodata*`, `.bss*`, `.addr_space.*`) and
  /// the BTF-only `.kconfig`/`.ksyms` when the object uses externs.
  public let dataSections: [DataSection]
  /// Every function (program or subprogram), by section index, then offset.
  public let functions: [Function]
  /// The programs: functions in executable sections other than `.text`
  /// (those with a SEC() definition), by section index, then offset.
  public let programs: [Function]
  /// Every executable section's instructions, decoded once, with its functions.
  public let code: [SectionID: CodeSection]
  /// The executable sections that do not decode as a whole (each of their
  /// functions does): loading code from them fails, opening does not.
  public let undecodedCode: [SectionID: InstructionError]
  /// The classified relocations of every code section, by section index, then offset.
  public let relocations: [Relocation]
  /// The maps, as libbpf lists them: BTF-defined (`.maps`), legacy (`maps`),
  /// then struct_ops (`.struct_ops`, `.struct_ops.link`), by section, then
  /// offset. Global data sections are in `dataSections`, not here.
  public let maps: [MapDefinition]
  /// The undefined symbols the code needs resolved, by symbol index.
  public let externs: [Extern]

  /// Opens the object at `path`.
  public init(path: String) throws(ELFError) {
    try self.init(bytes: FileReading.bytes(atPath: path), name: path)
  }

  /// Opens an object held in memory; `name` stands for the file in errors.
  public init(bytes: [UInt8], name: String) throws(ELFError) {
    let header = try ELFHeader(bytes.span.bytes, file: name)
    let raw = try RawObject.read(bytes: bytes, header: header, file: name)
    var builder = ObjectBuilder(raw: raw, file: name)
    let built = try builder.build()
    self.name = name
    fileSize = bytes.count
    byteOrder = raw.byteOrder
    sections = raw.sections
    symbols = raw.symbols
    license = built.license
    kernelVersion = built.kernelVersion
    btf = built.btf
    btfExt = built.btfExt
    dataSections = built.dataSections
    functions = built.functions
    programs = built.functions.filter(\.isProgram)
    code = built.code
    undecodedCode = built.undecodedCode
    relocations = built.relocations
    maps = built.maps
    externs = built.externs
  }

  /// The first section called `name`.
  public func section(named name: String) -> Section? {
    sections.first { $0.name == name }
  }

  /// The subprograms: the functions in `.text`, by offset.
  public var subprograms: [Function] { functions.filter { !$0.isProgram } }

  /// The program called `name`.
  public func program(named name: String) -> Function? {
    programs.first { $0.name == name }
  }

  /// The decoded instructions of `function`, from its section's code; nil
  /// when the section does not decode as a whole or the function's ends
  /// split an `ld_imm64`.
  public func instructions(of function: Function) -> ArraySlice<Instruction>? {
    code[function.section]?.instructions(of: function)
  }

  /// The symbol that defines `function` (its binding and visibility).
  public func symbol(of function: Function) -> Symbol? {
    function.symbolIndex.flatMap { symbols.indices.contains($0) ? symbols[$0] : nil }
  }

  /// The raw bytes of `function`, in the object's byte order; empty when
  /// the function does not lie inside a section of this object.
  public func bytes(of function: Function) -> ArraySlice<UInt8> {
    // ObjectBuilder checked this object's functions; a Function made
    // elsewhere is checked here.
    guard sections.indices.contains(function.section.index), let data = sections[function.section.index].data,
      let end = function.offset.adding(function.size, notBeyond: UInt64(data.count))
    else { return [] }
    return data[Int(function.offset) ..< Int(end)]
  }

  /// The map called `name`.
  public func map(named name: String) -> MapDefinition? {
    maps.first { $0.name == name }
  }

  /// The relocations that patch `function`'s instructions.
  public func relocations(of function: Function) -> ArraySlice<Relocation> {
    relocations(inSection: function.section.index, from: function.offset, size: function.size)
  }

  /// The relocations of one section within `[offset, offset + size)`, found by
  /// binary search (relocations are sorted by section, then offset).
  public func relocations(inSection index: Int, from offset: UInt64, size: UInt64) -> ArraySlice<Relocation> {
    let end = offset.addingReportingOverflow(size).partialValue
    let lower = firstRelocation { ($0.sectionIndex, $0.offset) >= (index, offset) }
    let upper = firstRelocation { ($0.sectionIndex, $0.offset) >= (index, end) }
    return relocations[lower..<max(lower, upper)]
  }

  private func firstRelocation(where predicate: (Relocation) -> Bool) -> Int {
    var low = 0
    var high = relocations.count
    while low < high {
      let mid = low + (high - low) / 2
      if predicate(relocations[mid]) { high = mid } else { low = mid + 1 }
    }
    return low
  }
}
