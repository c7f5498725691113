import Foundation
import Instructions
import Testing
import TestSupport
import UAPI

@testable import ELFReader

/// Damaged and foreign inputs: each must end in a typed `ELFError` that
/// names the file and the problem, never a crash.
@Suite struct BadInputTests {
  static let name = "damaged.o"

  /// Opens `bytes` and returns the error it must throw.
  func openError(_ bytes: [UInt8], _ comment: Comment? = nil) throws -> ELFError {
    let error = try #require(throws: ELFError.self, comment) { try ObjectFile(bytes: bytes, name: Self.name) }
    #expect(error.file == Self.name)
    #expect(error.description.hasPrefix(Self.name + ": "), "\(error)")
    return error
  }

  func fixture(_ name: String) throws -> [UInt8] {
    try Fixture.bytes("obj/\(name)")
  }

  @Test func rejectsEmptyFile() throws {
    guard case .notELF(_, let reason) = try openError([]) else { Issue.record("not .notELF"); return }
    #expect(reason.contains("empty"))
  }

  @Test func rejectsRandomBytes() throws {
    var rng = SplitMix64(seed: 1)
    for count in [1, 3, 16, 63, 64, 100, 4096] {
      var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
      if bytes.first == 0x7f { bytes[0] = 0 }
      guard case .notELF = try openError(bytes) else { Issue.record("random \(count) bytes not .notELF"); continue }
    }
  }

  @Test func rejectsMissingFileWithErrno() throws {
    let path = "/nonexistent/swiftbpf/none.o"
    let error = try #require(throws: ELFError.self) { try ObjectFile(path: path) }
    guard case .cannotRead(let file, let code, _) = error else { Issue.record("\(error)"); return }
    #expect(file == path)
    #expect(code == ENOENT)
  }

  @Test func rejectsDirectory() throws {
    let error = try #require(throws: ELFError.self) { try ObjectFile(path: "/tmp") }
    guard case .cannotRead("/tmp", _, let reason) = error else { Issue.record("\(error)"); return }
    #expect(reason.contains("not a regular file"))
  }

  @Test func rejectsHostExecutable() throws {
    let path = "/bin/true"
    guard FileManager.default.fileExists(atPath: path) else { return }
    let error = try #require(throws: ELFError.self) { try ObjectFile(path: path) }
    guard case .wrongKind(let file, let field, _, _) = error else { Issue.record("\(error)"); return }
    #expect(file == path)
    #expect(field == "machine" || field == "class")
  }

  @Test func rejectsX86RelocatableObject() throws {
    var elf = ELFBytes(try fixture("programs.bpf.o"))
    elf.write(62, at: ELFBytes.eMachine, width: 2)  // EM_X86_64
    guard case .wrongKind(_, "machine", let found, _) = try openError(elf.bytes) else { Issue.record("not machine"); return }
    #expect(found.contains("EM_X86_64"))
  }

  @Test func rejectsSharedObjectType() throws {
    var elf = ELFBytes(try fixture("programs.bpf.o"))
    elf.write(3, at: ELFBytes.eType, width: 2)  // ET_DYN
    guard case .wrongKind(_, "type", _, _) = try openError(elf.bytes) else { Issue.record("not type"); return }
  }

  /// A 52-byte ELF32 header (gABI: EI_CLASS = ELFCLASS32), EM_BPF, ET_REL.
  @Test func rejectsELF32() throws {
    var header = [UInt8](repeating: 0, count: 52)
    header[0..<7] = [0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]
    header[16] = 1  // ET_REL
    header[18] = 247  // EM_BPF
    header[20] = 1  // EV_CURRENT
    header[40] = 52  // e_ehsize
    header += [UInt8](repeating: 0, count: 64)
    guard case .wrongKind(_, "class", let found, _) = try openError(header) else { Issue.record("not class"); return }
    #expect(found == "ELFCLASS32")
  }

  @Test(arguments: Fixture.objects)
  func rejectsEveryTruncation(_ url: URL) throws {
    let bytes = try Fixture.bytes("obj/\(url.lastPathComponent)")
    for length in stride(from: 0, to: bytes.count, by: 64) {
      _ = try openError(Array(bytes.prefix(length)), "truncated to \(length) of \(bytes.count) bytes")
    }
  }

  @Test func rejectsSectionHeaderTableBeyondEnd() throws {
    var elf = ELFBytes(try fixture("programs.bpf.o"))
    elf.write(UInt64(elf.bytes.count - 32), at: ELFBytes.eShoff, width: 8)
    guard case .badHeader(_, let reason) = try openError(elf.bytes) else { Issue.record("not badHeader"); return }
    #expect(reason.contains("e_shoff"))
  }

  @Test func rejectsTooManySections() throws {
    var elf = ELFBytes(try fixture("programs.bpf.o"))
    elf.write(0xfff0, at: ELFBytes.eShnum, width: 2)
    guard case .badHeader = try openError(elf.bytes) else { Issue.record("not badHeader"); return }
  }

  @Test(arguments: ["programs.bpf.o", "programs.bpfeb.bpf.o"])
  func rejectsSectionContentsBeyondEnd(_ name: String) throws {
    var elf = ELFBytes(try fixture(name))
    let text = try #require(elf.section(named: "xdp"))
    elf.write(UInt64(elf.bytes.count), at: elf.sectionHeader(text) + ELFBytes.shOffset, width: 8)
    guard case .badSection(_, _, let index, let reason) = try openError(elf.bytes) else { Issue.record("not badSection"); return }
    #expect(index == text)
    #expect(reason.contains("beyond the end"))

    var huge = ELFBytes(try fixture(name))
    huge.write(UInt64.max - 4, at: huge.sectionHeader(text) + ELFBytes.shSize, width: 8)
    guard case .badSection(_, _, text, _) = try openError(huge.bytes) else { Issue.record("size overflow not badSection"); return }
  }

  @Test func rejectsSectionNameBeyondStringTable() throws {
    var elf = ELFBytes(try fixture("programs.bpf.o"))
    elf.write(0xffff_fff0, at: elf.sectionHeader(2) + ELFBytes.shName, width: 4)
    guard case .badSection(_, _, _, let reason) = try openError(elf.bytes) else { Issue.record("not badSection"); return }
    #expect(reason.contains("section [2] name"))
  }

  @Test(arguments: ["programs.bpf.o", "programs.bpfeb.bpf.o"])
  func rejectsSymbolBeyondItsSection(_ name: String) throws {
    let original = try fixture(name)
    let object = try ObjectFile(bytes: original, name: Self.name)
    let program = try #require(object.programs.first)
    let symbolIndex = try #require(program.symbolIndex)
    var elf = ELFBytes(original)
    elf.write(0x10_0000, at: elf.symbol(symbolIndex) + ELFBytes.stValue, width: 8)
    guard case .badSymbol(_, let symbol, let index, let reason) = try openError(elf.bytes) else { Issue.record("not badSymbol"); return }
    #expect(symbol == program.name)
    #expect(index == symbolIndex)
    #expect(reason.contains("beyond the end of section '\(program.sectionName)'"))
  }

  @Test func rejectsSymbolInMissingSection() throws {
    let original = try fixture("programs.bpf.o")
    let object = try ObjectFile(bytes: original, name: Self.name)
    let program = try #require(object.programs.first)
    var elf = ELFBytes(original)
    elf.write(0xfe00, at: elf.symbol(try #require(program.symbolIndex)) + ELFBytes.stShndx, width: 2)
    guard case .badSymbol(_, program.name, _, let reason) = try openError(elf.bytes) else { Issue.record("not badSymbol"); return }
    #expect(reason.contains("section index"))
  }

  @Test func rejectsSymbolNameBeyondStringTable() throws {
    var elf = ELFBytes(try fixture("programs.bpf.o"))
    elf.write(0x7fff_ffff, at: elf.symbol(1) + ELFBytes.stName, width: 4)
    guard case .badSection(_, _, _, let reason) = try openError(elf.bytes) else { Issue.record("not badSection"); return }
    #expect(reason.contains("symbol #1 name"))
  }

  @Test(arguments: ["programs.bpf.o", "programs.bpfeb.bpf.o"])
  func rejectsRelocationOfMissingSymbol(_ name: String) throws {
    var elf = ELFBytes(try fixture(name))
    let code = try #require(elf.section(named: "xdp"))
    let entry = try #require(elf.relocationEntries(patching: code).first)
    let info = elf.read(entry + 8, 8)
    elf.write(UInt64(0xffff) << 32 | (info & 0xffff_ffff), at: entry + 8, width: 8)
    guard case .badRelocation(_, let section, let offset, let reason) = try openError(elf.bytes) else { Issue.record("not badRelocation"); return }
    #expect(section == "xdp")
    #expect(offset == elf.read(entry, 8))
    #expect(reason.contains("#65535"))
  }

  @Test func rejectsRelocationOutsideItsSection() throws {
    var elf = ELFBytes(try fixture("programs.bpf.o"))
    let code = try #require(elf.section(named: "xdp"))
    let entry = try #require(elf.relocationEntries(patching: code).first)
    elf.write(0x10_0000, at: entry, width: 8)
    guard case .badRelocation(_, "xdp", 0x10_0000, _) = try openError(elf.bytes) else { Issue.record("not badRelocation"); return }
  }

  /// A relocation of an instruction that is neither `call` nor `ld_imm64`
  /// opens, but is classified unsupported with section and offset.
  @Test func classifiesRelocationOfOtherInstructionAsUnsupported() throws {
    var elf = ELFBytes(try fixture("programs.bpf.o"))
    let code = try #require(elf.section(named: "xdp"))
    let entry = try #require(elf.relocationEntries(patching: code).first)
    // Point it at the first instruction of xdp_pass (`r0 = 2`, not a call or ld_imm64).
    elf.write(0, at: entry, width: 8)
    let object = try ObjectFile(bytes: elf.bytes, name: Self.name)
    let relocation = try #require(object.relocations.first { $0.sectionName == "xdp" && $0.offset == 0 })
    guard case .unsupported(let unsupported) = relocation.target else { Issue.record("\(relocation.target)"); return }
    #expect(unsupported.section == "xdp")
    #expect(unsupported.offset == 0)
    guard case .typeMismatch(_, let opcode) = unsupported.problem else { Issue.record("\(unsupported)"); return }
    // The first byte of the section, as the bytes of the file hold it.
    let xdp = try #require(elf.section(named: "xdp"))
    #expect(opcode == elf.bytes[Int(elf.sectionField(xdp, ELFBytes.shOffset, 8))])
    #expect(unsupported.description.hasPrefix("section 'xdp' offset 0 (instruction 0): "))
  }

  @Test(.enabled(if: Toolchain.tool("llvm-objcopy") != nil || TestEnvironment.mustNotSkip, "needs llvm-objcopy"))
  func rejectsBTFMapsWithoutBTF() throws {
    let objcopy = try #require(Toolchain.tool("llvm-objcopy"))
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftbpf-elf-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let output = directory.appendingPathComponent("maps-nobtf.o").path
    let (_, status) = try runTool(objcopy, ["--remove-section=.BTF", "--remove-section=.BTF.ext", "--remove-section=.rel.BTF", "--remove-section=.rel.BTF.ext", Fixture.object("maps.bpf.o").path, output])
    try #require(status == 0)
    let error = try #require(throws: ELFError.self) { try ObjectFile(path: output) }
    guard case .badMap(let file, let map, let reason) = error else { Issue.record("\(error)"); return }
    #expect(file == output)
    // The first map symbol in .maps, as llvm-objdump lists it.
    let first = try Objdump.symbols(output).filter { $0.section == ".maps" && $0.typeFlag == "O" }.min { $0.value < $1.value }
    #expect(map == first?.name)
    #expect(reason.contains("no .BTF"))
  }

  /// The license is read up to its NUL, or to the end of the section.
  @Test func readsLicenseWithoutTerminatingNUL() throws {
    let original = try fixture("programs.bpf.o")
    let symbol = try #require(try ObjectFile(bytes: original, name: Self.name).symbols.first { $0.name == "LICENSE" })
    var elf = ELFBytes(original)
    let license = try #require(elf.section(named: "license"))
    #expect(Array(elf.bytes[Int(elf.sectionField(license, ELFBytes.shOffset, 8))...].prefix(4)) == Array("GPL\0".utf8))
    elf.write(3, at: elf.sectionHeader(license) + ELFBytes.shSize, width: 8)
    elf.write(3, at: elf.symbol(symbol.index) + ELFBytes.stSize, width: 8)
    let object = try ObjectFile(bytes: elf.bytes, name: Self.name)
    #expect(object.license == "GPL")
  }

  /// Bytes outside every function that do not decode: the object opens
  /// (each function decodes), the section is recorded as not decoding, and
  /// its code is not offered; a load fails there, as it did before sections
  /// were decoded at open.
  @Test func opensWithUndecodableBytesOutsideFunctions() throws {
    let original = try fixture("programs.bpf.o")
    let object = try ObjectFile(bytes: original, name: Self.name)
    // The last function of its section: its final instruction (`exit`) can
    // be left outside it.
    let program = try #require(object.programs.max { ($0.section, $0.offset) < ($1.section, $1.offset) })
    let section = object.sections[program.section.index]
    #expect(program.offset + program.size == section.size)
    let lastSlot = Int(section.size / 8) - 1
    #expect(object.instructions(of: program)?.last == .exit)
    var elf = ELFBytes(original)
    elf.write(program.size - 8, at: elf.symbol(try #require(program.symbolIndex)) + ELFBytes.stSize, width: 8)
    let sectionOffset = Int(elf.sectionField(section.index, ELFBytes.shOffset, 8))
    elf.write(0xff, at: sectionOffset + lastSlot * 8, width: 1)  // no BPF opcode is 0xff
    let damaged = try ObjectFile(bytes: elf.bytes, name: Self.name)
    let shrunk = try #require(damaged.program(named: program.name))
    #expect(shrunk.size == program.size - 8)
    #expect(damaged.code[program.section] == nil)
    #expect(damaged.undecodedCode[program.section] == .unknownOpcode(0xff, slot: lastSlot))
    #expect(damaged.instructions(of: shrunk) == nil)
    #expect(damaged.undecodedCode.count == 1)
  }
}
