import Foundation
import Testing
import TestSupport
import UAPI

@testable import ELFReader

/// Thousands of randomly damaged copies of every fixture, from a fixed seed:
/// each must open into a consistent object or fail with an `ELFError` naming
/// the file. A crash (trap, libelf segfault) fails the whole run.
@Suite struct FuzzTests {
  static let name = "fuzzed.o"
  /// Mutations per fixture; ~12 fixtures × this stays well under 30 s in debug builds.
  /// `SWIFTBPF_FUZZ_ITERATIONS` and `SWIFTBPF_FUZZ_SEED` run a longer or
  /// different campaign by hand; the default is fixed so runs reproduce.
  static let iterations = ProcessInfo.processInfo.environment["SWIFTBPF_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 2500
  static let extraSeed = ProcessInfo.processInfo.environment["SWIFTBPF_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0

  @Test(arguments: Fixture.objects)
  func survivesMutations(_ url: URL) throws {
    let original = try Fixture.bytes("obj/\(url.lastPathComponent)")
    // Seed from the file name so each fixture gets its own reproducible stream.
    var rng = SplitMix64(seed: url.lastPathComponent.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 } ^ Self.extraSeed)
    var opened = 0
    var failed = 0
    for iteration in 0..<Self.iterations {
      var elf = ELFBytes(original)
      let count = Int.random(in: 1...3, using: &rng)
      for _ in 0..<count { Self.mutate(&elf, using: &rng) }
      do {
        let object = try ObjectFile(bytes: elf.bytes, name: Self.name)
        try Self.checkConsistent(object, iteration: iteration)
        opened += 1
      } catch let error as ELFError {
        #expect(error.file == Self.name)
        #expect(error.description.hasPrefix(Self.name + ": "))
        failed += 1
      }
    }
    print("fuzz \(url.lastPathComponent): \(opened) opened, \(failed) refused")
    // Both outcomes must actually occur, or the mutations are not reaching the parser.
    #expect(opened > 0)
    #expect(failed > 0)
  }

  /// What every opened object must satisfy, whatever the bytes were.
  static func checkConsistent(_ object: ObjectFile, iteration: Int) throws {
    for (i, section) in object.sections.enumerated() {
      #expect(section.index == i)
      if let data = section.data { #expect(UInt64(data.count) == section.size) }
    }
    for program in object.programs {
      #expect(UInt64(object.bytes(of: program).count) == program.size, "iteration \(iteration)")
      // Its section decoded, or is recorded as not decoding.
      #expect(object.code[program.section] != nil || object.undecodedCode[program.section] != nil)
      if let instructions = object.instructions(of: program) {
        #expect(instructions.reduce(0) { $0 + $1.slotCount } == program.slotCount)
      }
    }
    for relocation in object.relocations {
      #expect(relocation.sectionIndex < object.sections.count)
      #expect(relocation.symbolIndex < object.symbols.count)
    }
  }

  /// One random damage: a byte flip, a truncation, or an overwritten header,
  /// section, symbol or relocation field (random or boundary values).
  static func mutate(_ elf: inout ELFBytes, using rng: inout SplitMix64) {
    let size = elf.bytes.count
    guard size > 64 else { return }
    func value(width: Int) -> UInt64 {
      let boundaries: [UInt64] = [0, 1, 7, 8, 0xff, 0xffff, 0xffff_ffff, UInt64(size), UInt64(size - 1), UInt64(size / 2), .max, .max - 7]
      let raw = Bool.random(using: &rng) ? boundaries.randomElement(using: &rng) ?? 0 : UInt64.random(in: 0...UInt64(size * 2), using: &rng)
      return width == 8 ? raw : raw & ((1 << UInt64(width * 8)) - 1)
    }
    func field(at offset: Int, width: Int) {
      guard offset >= 0, offset + width <= elf.bytes.count else { return }
      elf.write(value(width: width), at: offset, width: width)
    }
    let sections = elf.sectionCount
    let validTable = elf.sectionHeaderTable + 64 * sections <= size
    switch Int.random(in: 0..<10, using: &rng) {
    case 0, 1:
      for _ in 0..<Int.random(in: 1...8, using: &rng) {
        let at = Int.random(in: 0..<elf.bytes.count, using: &rng)
        elf.bytes[at] ^= UInt8.random(in: 1...255, using: &rng)
      }
    case 2:
      elf.bytes.removeLast(Int.random(in: 1..<elf.bytes.count, using: &rng))
    case 3:
      switch Int.random(in: 0..<3, using: &rng) {
      case 0: field(at: ELFBytes.eShoff, width: 8)
      case 1: field(at: ELFBytes.eShnum, width: 2)
      default: field(at: ELFBytes.eShstrndx, width: 2)
      }
    case 4, 5:
      guard validTable, sections > 0 else { return }
      let header = elf.sectionHeader(Int.random(in: 0..<sections, using: &rng))
      let choices = [(ELFBytes.shOffset, 8), (ELFBytes.shSize, 8), (ELFBytes.shLink, 4), (ELFBytes.shInfo, 4), (ELFBytes.shName, 4), (ELFBytes.shType, 4), (ELFBytes.shEntsize, 8)]
      let (offset, width) = choices.randomElement(using: &rng) ?? choices[0]
      field(at: header + offset, width: width)
    case 6, 7:
      guard validTable, let table = elf.symbolTable, table < sections, elf.symbolCount > 0,
        elf.symbol(elf.symbolCount) <= size
      else { return }
      let symbol = elf.symbol(Int.random(in: 0..<elf.symbolCount, using: &rng))
      let choices = [(ELFBytes.stName, 4), (ELFBytes.stShndx, 2), (ELFBytes.stValue, 8), (ELFBytes.stSize, 8), (ELFBytes.stInfo, 1)]
      let (offset, width) = choices.randomElement(using: &rng) ?? choices[0]
      field(at: symbol + offset, width: width)
    default:
      guard validTable else { return }
      let entries = elf.relocationEntries.filter { $0 + 16 <= size }
      guard let entry = entries.randomElement(using: &rng) else { return }
      if Bool.random(using: &rng) {
        // r_info: keep the type or the symbol half, damage the other.
        let info = elf.read(entry + 8, 8)
        let damaged = Bool.random(using: &rng)
          ? (value(width: 4) << 32) | (info & 0xffff_ffff)
          : (info & 0xffff_ffff_0000_0000) | value(width: 4)
        elf.write(damaged, at: entry + 8, width: 8)
      } else {
        field(at: entry, width: 8)  // r_offset
      }
    }
  }
}
