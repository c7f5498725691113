import TestSupport
import Foundation
import UAPI

/// A mutable copy of an ELF64 file with the offsets of its header fields,
/// section headers, symbols and relocations, for tests that damage objects
/// on purpose. Reads the layout from the ELF64 format itself (System V gABI),
/// not through ELFReader.
struct ELFBytes {
  var bytes: [UInt8]
  let order: ByteOrder

  init(_ bytes: [UInt8]) {
    self.bytes = bytes
    order = bytes.count > 5 && bytes[5] == 2 ? .big : .little
  }

  // ELF64 header field offsets (gABI).
  static let eShoff = 40, eShnum = 60, eShstrndx = 62, eMachine = 18, eType = 16
  // Section header field offsets.
  static let shName = 0, shType = 4, shOffset = 24, shSize = 32, shLink = 40, shInfo = 44, shEntsize = 56
  // Symbol field offsets.
  static let stName = 0, stInfo = 4, stShndx = 6, stValue = 8, stSize = 16

  /// The field at `offset`, or 0 when it lies outside the (possibly damaged) file.
  func read(_ offset: Int, _ width: Int) -> UInt64 {
    guard offset >= 0, offset <= bytes.count - width else { return 0 }
    var value: UInt64 = 0
    for i in 0..<width {
      let byte = UInt64(bytes[offset + (order == .little ? width - 1 - i : i)])
      value = value << 8 | byte
    }
    return value
  }

  mutating func write(_ value: UInt64, at offset: Int, width: Int) {
    guard offset >= 0, offset <= bytes.count - width else { return }
    for i in 0..<width {
      let shift = UInt64(8 * (order == .little ? i : width - 1 - i))
      bytes[offset + i] = UInt8(truncatingIfNeeded: value >> shift)
    }
  }

  var sectionHeaderTable: Int { Int(clamping: read(Self.eShoff, 8) & 0xffff_ffff) }
  var sectionCount: Int { Int(read(Self.eShnum, 2)) }
  func sectionHeader(_ index: Int) -> Int { sectionHeaderTable &+ 64 &* index }
  func sectionField(_ index: Int, _ field: Int, _ width: Int) -> UInt64 { read(sectionHeader(index) + field, width) }

  /// The section's name, read from the section name string table.
  func sectionName(_ index: Int) -> String {
    let names = Int(clamping: sectionField(Int(read(Self.eShstrndx, 2)), Self.shOffset, 8) & 0xffff_ffff)
    var at = names &+ Int(sectionField(index, Self.shName, 4))
    var result: [UInt8] = []
    while at >= 0, at < bytes.count, bytes[at] != 0 { result.append(bytes[at]); at += 1 }
    return String(decoding: result, as: UTF8.self)
  }

  func section(named name: String) -> Int? {
    (0..<sectionCount).first { sectionName($0) == name }
  }

  func sections(ofType type: UInt64) -> [Int] {
    guard sectionHeaderTable &+ 64 &* sectionCount <= bytes.count else { return [] }
    return (0..<sectionCount).filter { sectionField($0, Self.shType, 4) == type }
  }

  /// SHT_SYMTAB = 2, SHT_REL = 9.
  var symbolTable: Int? { sections(ofType: 2).first }
  var symbolCount: Int { symbolTable.map { Int(clamping: sectionField($0, Self.shSize, 8) / 24) } ?? 0 }
  func symbol(_ index: Int) -> Int {
    Int(clamping: sectionField(symbolTable ?? 0, Self.shOffset, 8) & 0xffff_ffff) &+ 24 &* index
  }

  /// File offsets of every Elf64_Rel entry (r_offset at +0, r_info at +8).
  var relocationEntries: [Int] {
    sections(ofType: 9).flatMap { index -> [Int] in
      let start = Int(clamping: sectionField(index, Self.shOffset, 8) & 0xffff_ffff)
      let count = min(Int(clamping: sectionField(index, Self.shSize, 8) / 16), bytes.count / 16)
      return (0..<count).map { start &+ 16 &* $0 }
    }
  }

  /// Relocation entries of the table that patches section `target`.
  func relocationEntries(patching target: Int) -> [Int] {
    sections(ofType: 9).filter { Int(sectionField($0, Self.shInfo, 4)) == target }.flatMap { index -> [Int] in
      let start = Int(clamping: sectionField(index, Self.shOffset, 8) & 0xffff_ffff)
      let count = min(Int(clamping: sectionField(index, Self.shSize, 8) / 16), bytes.count / 16)
      return (0..<count).map { start &+ 16 &* $0 }
    }
  }
}
