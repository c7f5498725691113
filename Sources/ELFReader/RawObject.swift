import CLibELF
import UAPI

/// What libelf yields: sections, symbols and relocation tables as Swift
/// values. Everything above this layer works on these values only, so no
/// libelf handle outlives `RawObject.read`.
struct RawObject: Sendable {
  var byteOrder: ByteOrder
  var sections: [Section]
  var symbols: [Symbol]
  var relocationTables: [RelocationTable]

  /// One `SHT_REL` section: the section it patches and its entries.
  struct RelocationTable: Sendable {
    var index: Int
    var name: String
    var targetIndex: Int
    var entries: [Entry]
  }

  /// One `Elf64_Rel`.
  struct Entry: Sendable {
    var offset: UInt64
    var type: UInt32
    var symbol: Int
  }
}

/// libelf's one-time setup: `elf_version` must be called before any other
/// libelf function, once per process.
private let libelfReady: Bool = elf_version(UInt32(EV_CURRENT)) != UInt32(EV_NONE)

private func libelfMessage() -> String {
  guard let message = elf_errmsg(-1) else { return "unknown libelf error" }
  return String(cString: message)
}

extension RawObject {
  /// ELF: sizes of `Elf64_Sym`, `Elf64_Rel` and `Elf64_Rela`.
  static let symbolEntrySize: UInt64 = 24
  static let relEntrySize: UInt64 = 16
  static let relaEntrySize: UInt64 = 24
  /// ELF: `SHN_XINDEX` in `st_shndx`.
  static let extendedSectionIndex = 0xffff

  /// Reads `bytes` (already checked by `ELFHeader`) through libelf.
  ///
  /// The bytes are copied into a buffer libelf owns for the duration of the
  /// call (libelf may convert data in place for the other byte order), and the
  /// `Elf` handle is ended before returning.
  static func read(bytes: [UInt8], header: ELFHeader, file: String) throws(ELFError) -> RawObject {
    guard libelfReady else {
      throw .libelf(file: file, operation: "elf_version", message: libelfMessage())
    }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
    defer { buffer.deallocate() }
    bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
    guard let base = buffer.baseAddress,
      let elf = elf_memory(base.assumingMemoryBound(to: CChar.self), bytes.count)
    else {
      throw .libelf(file: file, operation: "elf_memory", message: libelfMessage())
    }
    defer { elf_end(elf) }
    var reader = Reader(elf: elf, header: header, file: file, fileSize: UInt64(bytes.count))
    return try reader.read()
  }
}

/// The libelf walk itself; every size and offset is checked before libelf is
/// asked for data.
private struct Reader {
  let elf: OpaquePointer
  let header: ELFHeader
  let file: String
  let fileSize: UInt64
  var headers: [GElf_Shdr] = []
  var names: [String] = []

  init(elf: OpaquePointer, header: ELFHeader, file: String, fileSize: UInt64) {
    self.elf = elf
    self.header = header
    self.file = file
    self.fileSize = fileSize
  }

  mutating func read() throws(ELFError) -> RawObject {
    guard elf_kind(elf) == ELF_K_ELF else {
      throw .notELF(file: file, reason: "libelf does not recognise it as ELF")
    }
    var count = 0
    guard elf_getshdrnum(elf, &count) == 0 else {
      throw .libelf(file: file, operation: "elf_getshdrnum", message: libelfMessage())
    }
    var namesIndex = 0
    guard elf_getshdrstrndx(elf, &namesIndex) == 0 else {
      throw .libelf(file: file, operation: "elf_getshdrstrndx", message: libelfMessage())
    }
    guard count == header.sectionCount, namesIndex == header.sectionNamesIndex else {
      throw .badHeader(file: file, reason: "libelf counts \(count) sections (names in \(namesIndex)), the header says \(header.sectionCount) (names in \(header.sectionNamesIndex))")
    }
    try readHeaders(count: count)
    try checkStringTable(namesIndex, role: "section name table")
    names = []
    names.reserveCapacity(count)
    for i in 0..<count {
      names.append(try string(in: namesIndex, at: UInt64(headers[i].sh_name), for: "section [\(i)] name"))
    }
    var sections: [Section] = []
    sections.reserveCapacity(count)
    for i in 0..<count {
      let h = headers[i]
      let type = SectionType(rawValue: h.sh_type)
      var data: [UInt8]? = nil
      if type == .progbits { data = try bytes(of: i) }
      sections.append(
        Section(
          index: i, name: names[i], type: type, flags: SectionFlags(rawValue: h.sh_flags),
          fileOffset: h.sh_offset, size: h.sh_size, alignment: h.sh_addralign, link: h.sh_link,
          info: h.sh_info, entrySize: h.sh_entsize, data: data))
    }
    let (symbols, symbolTable) = try readSymbols()
    let tables = try readRelocations(symbolTable: symbolTable, symbolCount: symbols.count)
    return RawObject(byteOrder: header.byteOrder, sections: sections, symbols: symbols, relocationTables: tables)
  }

  /// Reads every section header and checks its extent against the file.
  mutating func readHeaders(count: Int) throws(ELFError) {
    headers.reserveCapacity(count)
    for i in 0..<count {
      var h = GElf_Shdr()
      guard let scn = elf_getscn(elf, i), gelf_getshdr(scn, &h) != nil else {
        throw .libelf(file: file, operation: "gelf_getshdr(\(i))", message: libelfMessage())
      }
      if h.sh_type != SectionType.nobits.rawValue && h.sh_type != SectionType.null.rawValue {
        guard h.sh_offset.adding(h.sh_size, notBeyond: fileSize) != nil else {
          throw .badSection(file: file, section: "", index: i, reason: "contents (offset \(h.sh_offset), size \(h.sh_size)) lie beyond the end of the \(fileSize)-byte file")
        }
      }
      headers.append(h)
    }
  }

  func sectionName(_ i: Int) -> String { i < names.count ? names[i] : "" }

  func checkStringTable(_ i: Int, role: String) throws(ELFError) {
    guard i > 0, i < headers.count else {
      throw .badSection(file: file, section: "", index: i, reason: "\(role) index \(i) is not one of the \(headers.count) sections")
    }
    guard headers[i].sh_type == SectionType.stringTable.rawValue else {
      throw .badSection(file: file, section: sectionName(i), index: i, reason: "\(role) has type \(SectionType(rawValue: headers[i].sh_type)), expected SHT_STRTAB")
    }
  }

  /// A NUL-terminated string of a string table section, bounds-checked first.
  func string(in table: Int, at offset: UInt64, for what: String) throws(ELFError) -> String {
    guard offset < headers[table].sh_size, let index = Int(exactly: offset) else {
      throw .badSection(file: file, section: sectionName(table), index: table, reason: "\(what) at string offset \(offset) is beyond the table's \(headers[table].sh_size) bytes")
    }
    guard let pointer = elf_strptr(elf, table, index) else {
      throw .badSection(file: file, section: sectionName(table), index: table, reason: "\(what) at string offset \(offset) is not a NUL-terminated string (\(libelfMessage()))")
    }
    return String(cString: pointer)
  }

  /// libelf's data for section `i`, checked to be exactly the section's bytes.
  func data(of i: Int, entrySize: UInt64?) throws(ELFError) -> UnsafeMutablePointer<Elf_Data>? {
    let h = headers[i]
    if let entrySize, h.sh_size % entrySize != 0 {
      throw .badSection(file: file, section: sectionName(i), index: i, reason: "size \(h.sh_size) is not a multiple of the \(entrySize)-byte entry")
    }
    guard h.sh_size > 0 else { return nil }
    guard let scn = elf_getscn(elf, i), let data = elf_getdata(scn, nil) else {
      throw .libelf(file: file, operation: "elf_getdata(section \(i) '\(sectionName(i))')", message: libelfMessage())
    }
    guard UInt64(data.pointee.d_size) == h.sh_size, data.pointee.d_buf != nil else {
      throw .badSection(file: file, section: sectionName(i), index: i, reason: "libelf returned \(data.pointee.d_size) bytes for a \(h.sh_size)-byte section")
    }
    return data
  }

  func bytes(of i: Int) throws(ELFError) -> [UInt8] {
    guard let data = try data(of: i, entrySize: nil), let buf = data.pointee.d_buf else { return [] }
    return Array(UnsafeRawBufferPointer(start: buf, count: data.pointee.d_size))
  }

  /// Reads `.symtab`; returns the symbols and the table's section index (0 if none).
  func readSymbols() throws(ELFError) -> ([Symbol], Int) {
    let tables = headers.indices.filter { headers[$0].sh_type == SectionType.symbolTable.rawValue }
    guard let tableIndex = tables.first else { return ([], 0) }
    guard tables.count == 1 else {
      throw .badSection(file: file, section: sectionName(tables[1]), index: tables[1], reason: "a second symbol table; a relocatable object has one")
    }
    let h = headers[tableIndex]
    guard h.sh_entsize == RawObject.symbolEntrySize else {
      throw .badSection(file: file, section: sectionName(tableIndex), index: tableIndex, reason: "symbol entry size is \(h.sh_entsize), expected 24")
    }
    let stringsIndex = Int(h.sh_link)
    try checkStringTable(stringsIndex, role: "symbol string table (sh_link)")
    guard let data = try data(of: tableIndex, entrySize: RawObject.symbolEntrySize) else { return ([], tableIndex) }
    // Extended section indexes, only when some symbol needs them.
    var extended: UnsafeMutablePointer<Elf_Data>? = nil
    if let x = headers.indices.first(where: {
      headers[$0].sh_type == SectionType.symbolSectionIndexes.rawValue && Int(headers[$0].sh_link) == tableIndex
    }) {
      extended = try self.data(of: x, entrySize: 4)
    }
    let count = Int(h.sh_size / RawObject.symbolEntrySize)
    var symbols: [Symbol] = []
    symbols.reserveCapacity(count)
    for i in 0..<count {
      var sym = GElf_Sym()
      var xindex: Elf32_Word = 0
      guard let i32 = Int32(exactly: i), gelf_getsymshndx(data, extended, i32, &sym, &xindex) != nil else {
        throw .libelf(file: file, operation: "gelf_getsym(\(i))", message: libelfMessage())
      }
      let type = Symbol.Kind(rawValue: sym.st_info & 0xf)
      var shndx = Int(sym.st_shndx)
      var reserved = shndx >= Symbol.firstReservedSection
      if shndx == RawObject.extendedSectionIndex {
        guard extended != nil else {
          throw .badSymbol(file: file, symbol: "", index: i, reason: "section index is SHN_XINDEX but there is no SHT_SYMTAB_SHNDX table")
        }
        shndx = Int(xindex)
        reserved = false
      }
      var name = try string(in: stringsIndex, at: UInt64(sym.st_name), for: "symbol #\(i) name")
      let special = shndx == Symbol.undefinedSection || reserved
      if !special && shndx >= headers.count {
        throw .badSymbol(file: file, symbol: name, index: i, reason: "section index \(shndx) is not one of the \(headers.count) sections")
      }
      if type == .section && name.isEmpty && !special { name = names[shndx] }
      symbols.append(
        Symbol(
          index: i, name: name, value: sym.st_value, size: sym.st_size,
          binding: Symbol.Binding(rawValue: sym.st_info >> 4), kind: type,
          visibility: Symbol.Visibility(rawValue: sym.st_other & 0x3), sectionIndex: shndx))
    }
    return (symbols, tableIndex)
  }

  /// Reads every `SHT_REL` table. `SHT_RELA` tables are refused when they
  /// patch code (clang never writes them for BPF) and skipped otherwise.
  func readRelocations(symbolTable: Int, symbolCount: Int) throws(ELFError) -> [RawObject.RelocationTable] {
    var tables: [RawObject.RelocationTable] = []
    for i in headers.indices {
      let h = headers[i]
      let isRela = h.sh_type == SectionType.relocationsWithAddend.rawValue
      guard h.sh_type == SectionType.relocations.rawValue || isRela else { continue }
      let target = Int(h.sh_info)
      guard target > 0, target < headers.count else {
        throw .badSection(file: file, section: sectionName(i), index: i, reason: "patches section \(target) (sh_info), which does not exist")
      }
      if isRela {
        if headers[target].sh_flags & SectionFlags.executable.rawValue != 0 {
          throw .badSection(file: file, section: sectionName(i), index: i, reason: "SHT_RELA relocations for code; clang writes SHT_REL for BPF")
        }
        continue
      }
      guard h.sh_entsize == RawObject.relEntrySize else {
        throw .badSection(file: file, section: sectionName(i), index: i, reason: "relocation entry size is \(h.sh_entsize), expected 16")
      }
      guard Int(h.sh_link) == symbolTable, symbolTable != 0 else {
        throw .badSection(file: file, section: sectionName(i), index: i, reason: "links to section \(h.sh_link), not to the symbol table")
      }
      var entries: [RawObject.Entry] = []
      if let data = try data(of: i, entrySize: RawObject.relEntrySize) {
        let count = Int(h.sh_size / RawObject.relEntrySize)
        entries.reserveCapacity(count)
        for j in 0..<count {
          var rel = GElf_Rel()
          guard let j32 = Int32(exactly: j), gelf_getrel(data, j32, &rel) != nil else {
            throw .libelf(file: file, operation: "gelf_getrel(\(j))", message: libelfMessage())
          }
          let symbol = Int(rel.r_info >> 32)
          guard symbol < symbolCount else {
            throw .badRelocation(file: file, section: sectionName(target), offset: rel.r_offset, reason: "names symbol #\(symbol), but the symbol table has \(symbolCount) entries")
          }
          entries.append(.init(offset: rel.r_offset, type: UInt32(truncatingIfNeeded: rel.r_info), symbol: symbol))
        }
      }
      tables.append(.init(index: i, name: sectionName(i), targetIndex: target, entries: entries))
    }
    return tables
  }
}
