import CLibELF

/// The libelf walk behind `ExecutableFile.open`: program headers, section
/// headers, the two symbol tables and the USDT notes. Every extent is
/// checked against the file size before libelf is asked for data.
struct ExecutableReader {
  let elf: OpaquePointer
  let path: String
  let fileSize: UInt64

  /// ELF: `ET_EXEC`, `ET_DYN`, `PT_LOAD`, `SHT_SYMTAB`, `SHT_DYNSYM`, `SHT_NOTE`, `SHT_NOBITS`.
  static let typeExecutable: UInt16 = 2, typeShared: UInt16 = 3
  static let programLoad: UInt32 = 1
  static let sectionSymbols: UInt32 = 2, sectionDynamicSymbols: UInt32 = 11
  static let sectionNote: UInt32 = 7, sectionNoBits: UInt32 = 8

  mutating func read() throws(ExecutableError) -> ExecutableFile {
    guard elf_kind(elf) == ELF_K_ELF else {
      throw .notELF(file: path, reason: "libelf does not recognise it as ELF")
    }
    guard gelf_getclass(elf) == ELFCLASS64 else {
      throw .notELF(file: path, reason: "32-bit ELF (uprobes here read 64-bit files)")
    }
    var header = GElf_Ehdr()
    guard gelf_getehdr(elf, &header) != nil else {
      throw .notELF(file: path, reason: "libelf: \(ExecutableFile.message())")
    }
    let kind: ExecutableFile.Kind
    switch header.e_type {
    case Self.typeExecutable: kind = .executable
    case Self.typeShared: kind = .sharedObject
    default:
      throw .notELF(file: path, reason: "e_type \(header.e_type) is neither ET_EXEC nor ET_DYN")
    }
    let segments = try readSegments()
    let (sections, handles) = try readSections()
    var symbols: [ExecutableFile.Symbol] = []
    var seen = Set<SymbolKey>()
    for type in [Self.sectionSymbols, Self.sectionDynamicSymbols] {
      for (i, section) in sections.enumerated() where section.type == type {
        try readSymbols(handles[i], index: i, dynamic: type == Self.sectionDynamicSymbols,
                        into: &symbols, seen: &seen)
      }
    }
    var probes: [USDTProbe] = []
    let base = sections.first { $0.name == ".stapsdt.base" }?.address
    for (i, section) in sections.enumerated() where section.name == ".note.stapsdt" && section.type == Self.sectionNote {
      let bytes = try data(handles[i], section: section)
      probes += try USDTProbe.parseNotes(bytes, stapsdtBase: base, file: path)
    }
    return ExecutableFile(path: path, kind: kind, machine: header.e_machine, segments: segments,
                          sections: sections, symbols: symbols, usdtProbes: probes)
  }

  struct SymbolKey: Hashable {
    var name: String
    var address: UInt64
  }

  func readSegments() throws(ExecutableError) -> [ExecutableFile.Segment] {
    var count = 0
    guard elf_getphdrnum(elf, &count) == 0 else {
      throw .malformed(file: path, reason: "program headers: \(ExecutableFile.message())")
    }
    var segments: [ExecutableFile.Segment] = []
    for i in 0..<count {
      var p = GElf_Phdr()
      guard gelf_getphdr(elf, Int32(clamping: i), &p) != nil else {
        throw .malformed(file: path, reason: "program header \(i): \(ExecutableFile.message())")
      }
      guard p.p_type == Self.programLoad else { continue }
      guard p.p_offset <= fileSize, p.p_filesz <= fileSize - p.p_offset else {
        throw .malformed(file: path, reason: "PT_LOAD \(i) (offset \(p.p_offset), size \(p.p_filesz)) lies beyond the \(fileSize)-byte file")
      }
      segments.append(.init(virtualAddress: p.p_vaddr, fileOffset: p.p_offset, fileSize: p.p_filesz,
                            memorySize: p.p_memsz, flags: p.p_flags))
    }
    return segments
  }

  func readSections() throws(ExecutableError) -> ([ExecutableFile.SectionHeader], [OpaquePointer?]) {
    var count = 0, namesIndex = 0
    guard elf_getshdrnum(elf, &count) == 0, elf_getshdrstrndx(elf, &namesIndex) == 0 else {
      throw .malformed(file: path, reason: "section headers: \(ExecutableFile.message())")
    }
    var sections: [ExecutableFile.SectionHeader] = []
    var handles: [OpaquePointer?] = []
    sections.reserveCapacity(count)
    for i in 0..<count {
      var h = GElf_Shdr()
      guard let scn = elf_getscn(elf, i), gelf_getshdr(scn, &h) != nil else {
        throw .malformed(file: path, reason: "section [\(i)]: \(ExecutableFile.message())")
      }
      if h.sh_type != Self.sectionNoBits && h.sh_type != 0 {
        guard h.sh_offset <= fileSize, h.sh_size <= fileSize - h.sh_offset else {
          throw .malformed(file: path, reason: "section [\(i)] (offset \(h.sh_offset), size \(h.sh_size)) lies beyond the \(fileSize)-byte file")
        }
      }
      let name = elf_strptr(elf, namesIndex, Int(h.sh_name)).map { String(cString: $0) } ?? ""
      sections.append(.init(name: name, type: h.sh_type, address: h.sh_addr, fileOffset: h.sh_offset,
                            size: h.sh_size))
      handles.append(scn)
    }
    return (sections, handles)
  }

  func data(_ scn: OpaquePointer?, section: ExecutableFile.SectionHeader) throws(ExecutableError) -> [UInt8] {
    guard let scn, let d = elf_getdata(scn, nil) else {
      throw .malformed(file: path, reason: "section '\(section.name)': \(ExecutableFile.message())")
    }
    guard let buf = d.pointee.d_buf, d.pointee.d_size > 0 else { return [] }
    return Array(UnsafeRawBufferPointer(start: buf, count: d.pointee.d_size))
  }

  func readSymbols(
    _ scn: OpaquePointer?, index: Int, dynamic: Bool, into symbols: inout [ExecutableFile.Symbol],
    seen: inout Set<SymbolKey>
  ) throws(ExecutableError) {
    var h = GElf_Shdr()
    guard let scn, gelf_getshdr(scn, &h) != nil, let d = elf_getdata(scn, nil) else {
      throw .malformed(file: path, reason: "symbol table [\(index)]: \(ExecutableFile.message())")
    }
    let entrySize: UInt64 = 24  // Elf64_Sym
    let count = Int(h.sh_size / entrySize)
    symbols.reserveCapacity(symbols.count + count)
    for i in 0..<count {
      var s = GElf_Sym()
      guard gelf_getsym(d, Int32(clamping: i), &s) != nil else {
        throw .malformed(file: path, reason: "symbol #\(i) of table [\(index)]: \(ExecutableFile.message())")
      }
      let type = UInt8(s.st_info & 0xf)
      // Functions (incl. IFUNC) and objects; undefined symbols (imports) have no place here.
      guard type == 1 || type == 2 || type == 10, s.st_shndx != 0 else { continue }
      guard let namePointer = elf_strptr(elf, Int(h.sh_link), Int(s.st_name)) else { continue }
      let name = String(cString: namePointer)
      guard !name.isEmpty else { continue }
      let key = SymbolKey(name: name, address: s.st_value)
      guard seen.insert(key).inserted else { continue }
      symbols.append(.init(name: name, address: s.st_value, size: s.st_size, type: type,
                           binding: UInt8(s.st_info >> 4), isDynamic: dynamic))
    }
  }
}
