import UAPI

/// The fields of the ELF header SwiftBPF needs, read and checked in Swift
/// before libelf sees the file.
///
/// libelf trusts `e_shoff`/`e_shnum` when it builds its section table, so a
/// header that points past the end of the buffer must be refused here.
struct ELFHeader {
  var byteOrder: ByteOrder
  var sectionHeaderOffset: UInt64
  /// The real number of sections (extended numbering resolved).
  var sectionCount: Int
  /// The real index of the section name string table (extended numbering resolved).
  var sectionNamesIndex: Int

  /// ELF: `EM_BPF`
  static let machineBPF: UInt16 = 247
  /// ELF: `ET_REL`
  static let typeRelocatable: UInt16 = 1
  static let headerSize = 64
  static let sectionHeaderSize = 64
  /// ELF: `SHN_XINDEX` in `e_shstrndx`: the real index is in section 0's `sh_link`.
  static let extendedIndex: UInt16 = 0xffff

  init(_ bytes: RawSpan, file: String) throws(ELFError) {
    let size = bytes.byteCount
    guard size >= 4 else {
      throw .notELF(file: file, reason: size == 0 ? "the file is empty" : "only \(size) bytes long")
    }
    guard bytes.u8(at: 0) == 0x7f, bytes.u8(at: 1) == 0x45, bytes.u8(at: 2) == 0x4c,
      bytes.u8(at: 3) == 0x46
    else { throw .notELF(file: file, reason: "the first bytes are not the ELF magic \\x7fELF") }
    guard size >= Self.headerSize else {
      throw .notELF(file: file, reason: "only \(size) bytes long, shorter than the 64-byte ELF64 header")
    }
    switch bytes.u8(at: 4) {
    case 2: break
    case 1:
      throw .wrongKind(file: file, field: "class", found: "ELFCLASS32", expected: "ELFCLASS64")
    case let other:
      throw .wrongKind(file: file, field: "class", found: "\(other.map(String.init) ?? "?")", expected: "ELFCLASS64 (2)")
    }
    switch bytes.u8(at: 5) {
    case 1: byteOrder = .little
    case 2: byteOrder = .big
    case let other:
      throw .wrongKind(file: file, field: "data encoding", found: "\(other.map(String.init) ?? "?")", expected: "ELFDATA2LSB (1) or ELFDATA2MSB (2)")
    }
    let order = byteOrder
    guard bytes.u8(at: 6) == 1 else {
      throw .wrongKind(file: file, field: "ident version", found: "\(bytes.u8(at: 6) ?? 0)", expected: "EV_CURRENT (1)")
    }
    // All reads below are within the 64 bytes checked above.
    let type = bytes.u16(at: 16, order) ?? 0
    let machine = bytes.u16(at: 18, order) ?? 0
    let version = bytes.u32(at: 20, order) ?? 0
    let programHeaderOffset = bytes.u64(at: 32, order) ?? 0
    let shoff = bytes.u64(at: 40, order) ?? 0
    let ehsize = bytes.u16(at: 52, order) ?? 0
    let phentsize = bytes.u16(at: 54, order) ?? 0
    let phnum = bytes.u16(at: 56, order) ?? 0
    let shentsize = bytes.u16(at: 58, order) ?? 0
    let shnum = bytes.u16(at: 60, order) ?? 0
    let shstrndx = bytes.u16(at: 62, order) ?? 0

    guard machine == Self.machineBPF else {
      throw .wrongKind(file: file, field: "machine", found: Self.machineName(machine), expected: "EM_BPF (247)")
    }
    guard type == Self.typeRelocatable else {
      throw .wrongKind(file: file, field: "type", found: Self.typeName(type), expected: "ET_REL (1), a relocatable object from clang -c")
    }
    guard version == 1 else {
      throw .wrongKind(file: file, field: "version", found: "\(version)", expected: "EV_CURRENT (1)")
    }
    guard ehsize == Self.headerSize else {
      throw .badHeader(file: file, reason: "e_ehsize is \(ehsize), expected 64")
    }
    let fileSize = UInt64(size)
    if phnum != 0 {
      let tableSize = UInt64(phnum) * UInt64(phentsize)
      guard phentsize == 56, programHeaderOffset.adding(tableSize, notBeyond: fileSize) != nil else {
        throw .badHeader(file: file, reason: "program header table (e_phoff \(programHeaderOffset), \(phnum) entries of \(phentsize) bytes) lies outside the \(size)-byte file")
      }
    }
    guard shoff != 0 else {
      throw .badHeader(file: file, reason: "there is no section header table (e_shoff is 0)")
    }
    guard shentsize == Self.sectionHeaderSize else {
      throw .badHeader(file: file, reason: "e_shentsize is \(shentsize), expected 64")
    }
    guard shoff.adding(UInt64(Self.sectionHeaderSize), notBeyond: fileSize) != nil,
      let first = Int(exactly: shoff)
    else {
      throw .badHeader(file: file, reason: "section header table offset e_shoff \(shoff) lies beyond the end of the \(size)-byte file")
    }
    // Section 0 carries the real counts when they do not fit in the header.
    var count = UInt64(shnum)
    if shnum == 0 { count = bytes.u64(at: first + 32, order) ?? 0 }
    var namesIndex = UInt64(shstrndx)
    if shstrndx == Self.extendedIndex { namesIndex = UInt64(bytes.u32(at: first + 40, order) ?? 0) }
    let (tableSize, overflow) = count.multipliedReportingOverflow(by: UInt64(Self.sectionHeaderSize))
    guard count > 0, !overflow, shoff.adding(tableSize, notBeyond: fileSize) != nil,
      let sectionCount = Int(exactly: count)
    else {
      throw .badHeader(file: file, reason: "section header table (e_shoff \(shoff), \(count) entries of 64 bytes) does not fit in the \(size)-byte file")
    }
    guard namesIndex != 0, namesIndex < count else {
      throw .badHeader(file: file, reason: "section name table index e_shstrndx \(namesIndex) is not one of the \(count) sections")
    }
    sectionHeaderOffset = shoff
    self.sectionCount = sectionCount
    sectionNamesIndex = Int(namesIndex)
  }

  static func machineName(_ machine: UInt16) -> String {
    switch machine {
    case 3: "EM_386 (3)"
    case 40: "EM_ARM (40)"
    case 62: "EM_X86_64 (62)"
    case 183: "EM_AARCH64 (183)"
    case 243: "EM_RISCV (243)"
    default: "\(machine)"
    }
  }

  static func typeName(_ type: UInt16) -> String {
    switch type {
    case 0: "ET_NONE (0)"
    case 2: "ET_EXEC (2), an executable"
    case 3: "ET_DYN (3), a shared object or PIE"
    case 4: "ET_CORE (4)"
    default: "\(type)"
    }
  }
}
