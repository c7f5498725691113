import CLibELF

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// A host ELF executable or shared library, read for uprobes and USDT: its
/// loadable segments, its function symbols (`.symtab` and `.dynsym`) and its
/// USDT probes (`.note.stapsdt`).
///
/// ELFReader's `ObjectFile` reads BPF objects only (`EM_BPF`, `ET_REL`);
/// this type reads what the CPU runs (`ET_EXEC`, and `ET_DYN` for PIE
/// programs and shared libraries). The file is mapped by libelf
/// (`ELF_C_READ_MMAP`) for the duration of `open` only.
///
/// Kernel: a uprobe is placed at a *file offset* of an inode
/// (`perf_event_attr.config2`, `uprobe_multi.offsets`), not at a virtual
/// address; `fileOffset(ofAddress:)` does that translation through the
/// `PT_LOAD` program headers.
public struct ExecutableFile: Sendable {
  /// `ET_EXEC` (fixed addresses) or `ET_DYN` (PIE or shared library).
  public enum Kind: Sendable, Hashable {
    /// `ET_EXEC`: a program linked at fixed addresses.
    case executable
    /// `ET_DYN`: a shared library or a position-independent executable.
    case sharedObject
  }

  /// One `PT_LOAD` program header.
  public struct Segment: Sendable, Hashable {
    /// `p_vaddr`: where the segment starts in the file's address space.
    public var virtualAddress: UInt64
    /// `p_offset`: where its bytes start in the file.
    public var fileOffset: UInt64
    /// `p_filesz`: its bytes in the file.
    public var fileSize: UInt64
    /// `p_memsz`: its size in memory (larger for `.bss`).
    public var memorySize: UInt64
    /// `PF_X` (1), `PF_W` (2), `PF_R` (4).
    public var flags: UInt32
    /// Whether the segment is mapped executable (`PF_X`): where uprobes go.
    public var isExecutable: Bool { flags & 1 != 0 }
  }

  /// One section header (name, address, file extent).
  public struct SectionHeader: Sendable, Hashable {
    /// The section name (`.text`, `.note.stapsdt`).
    public var name: String
    /// `sh_type` (`SHT_PROGBITS` = 1, `SHT_NOTE` = 7...).
    public var type: UInt32
    /// `sh_addr`: its virtual address (0 when not loaded).
    public var address: UInt64
    /// `sh_offset`: where its bytes start in the file.
    public var fileOffset: UInt64
    /// `sh_size` in bytes.
    public var size: UInt64
  }

  /// A function or object symbol of `.symtab` or `.dynsym`.
  public struct Symbol: Sendable, Hashable {
    /// The symbol name as the string table holds it (C++ names mangled).
    public var name: String
    /// `st_value`: the virtual address in the file's own address space.
    public var address: UInt64
    /// `st_size` in bytes (0 when unknown).
    public var size: UInt64
    /// `STT_FUNC` (2), `STT_OBJECT` (1), `STT_GNU_IFUNC` (10)...
    public var type: UInt8
    /// `STB_LOCAL` (0), `STB_GLOBAL` (1), `STB_WEAK` (2).
    public var binding: UInt8
    /// Found in `.dynsym` (true) or `.symtab` (false).
    public var isDynamic: Bool
    /// A function (`STT_FUNC`) or an indirect function (`STT_GNU_IFUNC`).
    public var isFunction: Bool { type == 2 || type == 10 }
  }

  /// The path the file was opened at.
  public let path: String
  /// Fixed addresses or position-independent.
  public let kind: Kind
  /// `e_machine` (62 = `EM_X86_64`).
  public let machine: UInt16
  /// The `PT_LOAD` program headers, in file order.
  public let segments: [Segment]
  /// Every section header, in file order.
  public let sections: [SectionHeader]
  /// Function and object symbols, `.symtab` first, then the `.dynsym` ones
  /// not already there (same name and address).
  public let symbols: [Symbol]
  /// The USDT probes of `.note.stapsdt`, with addresses adjusted for a
  /// prelinked or moved `.stapsdt.base`.
  public let usdtProbes: [USDTProbe]

  /// Reads `path`.
  public static func open(path: String) throws(ExecutableError) -> ExecutableFile {
    guard elf_version(UInt32(EV_CURRENT)) != UInt32(EV_NONE) else {
      throw .notELF(file: path, reason: "libelf: \(message())")
    }
    let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      let code = errno
      throw .cannotRead(file: path, errno: code, reason: String(cString: strerror(code)))
    }
    defer { _ = Glibc.close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
      throw .cannotRead(file: path, errno: EINVAL, reason: "not a regular file")
    }
    guard let elf = elf_begin(fd, ELF_C_READ_MMAP, nil) else {
      throw .notELF(file: path, reason: "libelf: \(message())")
    }
    defer { elf_end(elf) }
    var reader = ExecutableReader(elf: elf, path: path, fileSize: UInt64(max(info.st_size, 0)))
    return try reader.read()
  }

  init(path: String, kind: Kind, machine: UInt16, segments: [Segment], sections: [SectionHeader],
       symbols: [Symbol], usdtProbes: [USDTProbe]) {
    self.path = path
    self.kind = kind
    self.machine = machine
    self.segments = segments
    self.sections = sections
    self.symbols = symbols
    self.usdtProbes = usdtProbes
  }

  static func message() -> String {
    guard let text = elf_errmsg(-1) else { return "unknown libelf error" }
    return String(cString: text)
  }
}

extension ExecutableFile {
  /// The section called `name`, if any.
  public func section(named name: String) -> SectionHeader? {
    sections.first { $0.name == name }
  }

  /// The file offset of a virtual address, through the `PT_LOAD` segment
  /// that contains it; nil when no segment maps it from the file.
  public func fileOffset(ofAddress address: UInt64) -> UInt64? {
    for s in segments where address >= s.virtualAddress && address - s.virtualAddress < s.fileSize {
      return s.fileOffset + (address - s.virtualAddress)
    }
    return nil
  }

  /// Function symbols called `name`. A versioned name (`malloc@GLIBC_2.2.5`
  /// or `@@`) matches on the part before `@`, as the dynamic symbol table
  /// keeps versions apart from names.
  public func functions(named name: String) -> [Symbol] {
    let base = name.firstIndex(of: "@").map { String(name[..<$0]) } ?? name
    return symbols.filter { $0.isFunction && $0.name == base && $0.address != 0 }
  }

  /// The file offset of function `name` (plus `offset` bytes into it), as a
  /// uprobe wants it.
  ///
  /// Several symbols with one name but one address (a `.symtab` and a
  /// `.dynsym` entry, aliases) are one function; different addresses are
  /// an error.
  public func fileOffset(ofFunction name: String, plus offset: UInt64 = 0) throws(ExecutableError) -> UInt64 {
    let found = functions(named: name)
    guard let first = found.first else { throw .symbolNotFound(file: path, symbol: name) }
    var addresses: [UInt64] = []
    for s in found where !addresses.contains(s.address) { addresses.append(s.address) }
    if addresses.count > 1 {
      // Prefer the one global definition over local copies, as the dynamic linker would.
      let globals = found.filter { $0.binding != 0 }
      var globalAddresses: [UInt64] = []
      for s in globals where !globalAddresses.contains(s.address) { globalAddresses.append(s.address) }
      guard globalAddresses.count == 1 else {
        throw .ambiguousSymbol(file: path, symbol: name, addresses: addresses)
      }
      return try fileOffset(address: globalAddresses[0], plus: offset)
    }
    return try fileOffset(address: first.address, plus: offset)
  }

  private func fileOffset(address: UInt64, plus offset: UInt64) throws(ExecutableError) -> UInt64 {
    let (target, overflow) = address.addingReportingOverflow(offset)
    guard !overflow, let result = fileOffset(ofAddress: target) else {
      throw .addressNotMapped(file: path, address: address &+ offset)
    }
    return result
  }
}
