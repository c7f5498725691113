import Foundation
import Testing
import TestSupport
import UAPI
@testable import BTF

/// Lookups by name: the record scan (the first `BTF.scanLimit` exact-name
/// lookups) and the hash index (later ones) against bpftool's dump of
/// vmlinux and against hand-built split BTF whose names are known by
/// construction.
@Suite struct NameScanTests {
  /// The local matches found by scanning, as `lookup` would append them.
  static func scan(_ btf: BTF, _ name: String, kind: BTF.Kind?, firstOnly: Bool) -> [BTF.TypeID] {
    var name = name
    var result = [BTF.TypeID]()
    name.withUTF8 { btf.scanNames($0, kind: kind, firstOnly: firstOnly, into: &result) }
    return result
  }

  /// The local matches found through the index.
  static func probe(_ btf: BTF, _ name: String, kind: BTF.Kind?, firstOnly: Bool) -> [BTF.TypeID] {
    var name = name
    var result = [BTF.TypeID]()
    name.withUTF8 { btf.probeIndex($0, kind: kind, essential: false, firstOnly: firstOnly, into: &result) }
    return result
  }

  /// bpftool's `[id] KIND 'name'` lines: (kind, name) -> ids in id order,
  /// and the named types in id order.
  static func bpftoolNames(_ dump: [Substring]) -> (byName: [String: [UInt32]], named: [(UInt32, BTF.Kind, String)]) {
    var byName = [String: [UInt32]]()
    var named = [(UInt32, BTF.Kind, String)]()
    for line in dump where line.hasPrefix("[") {
      let parts = line.split(separator: " ", maxSplits: 2)
      guard parts.count == 3, let id = UInt32(parts[0].dropFirst().dropLast()),
            let kind = BTF.Kind.allCases.first(where: { $0.kernelName == parts[1] }),
            parts[2].hasPrefix("'")
      else { continue }
      let name = String(parts[2].dropFirst().prefix { $0 != "'" })
      guard name != "(anon)" else { continue }
      byName["\(kind.kernelName) \(name)", default: []].append(id)
      named.append((id, kind, name))
    }
    return (byName, named)
  }

  /// Every named type of vmlinux, looked up through the index by name and
  /// kind, gives exactly bpftool's ids for that name and kind.
  @Test func indexFindsEveryNamedVmlinuxTypeLikeBpftool() throws {
    guard let btf = try VmlinuxTests.vmlinux(), let dump = VmlinuxTests.dump() else { return }
    let (byName, named) = Self.bpftoolNames(dump)
    #expect(named.count > 50_000)
    _ = btf.nameTable(essential: false)
    #expect(btf.hasNameIndex)
    var checked = Set<String>()
    var mismatches = 0
    for (_, kind, name) in named where checked.insert("\(kind.kernelName) \(name)").inserted {
      let expected = byName["\(kind.kernelName) \(name)"] ?? []
      let found = btf.types(named: name, kind: kind).map(\.rawValue)
      if found != expected {
        mismatches += 1
        if mismatches <= 5 { Issue.record("\(kind) \(name): \(found) vs bpftool \(expected)") }
      }
    }
    #expect(mismatches == 0)
  }

  /// The scan against bpftool and the index on vmlinux: the first match of
  /// name and kind for named types spread over the whole id range (every
  /// 37th, the first and the last; a scan of all 100k would be quadratic),
  /// and all matches of any kind for every 8th of those.
  @Test func scanAgreesWithIndexAndBpftoolOnVmlinux() throws {
    guard let btf = try VmlinuxTests.vmlinux(), let dump = VmlinuxTests.dump() else { return }
    let (byName, named) = Self.bpftoolNames(dump)
    var sample = stride(from: 0, to: named.count, by: 37).map { named[$0] }
    if let last = named.last { sample.append(last) }
    for (n, (_, kind, name)) in sample.enumerated() {
      let expected = byName["\(kind.kernelName) \(name)"] ?? []
      #expect(Self.scan(btf, name, kind: kind, firstOnly: true).map(\.rawValue) == Array(expected.prefix(1)),
              "\(kind) \(name)")
      if n % 8 == 0 {
        let all = Self.scan(btf, name, kind: nil, firstOnly: false)
        let allExpected = BTF.Kind.allCases.flatMap { byName["\($0.kernelName) \(name)"] ?? [] }.sorted()
        #expect(all.map(\.rawValue) == allExpected, "\(name)")
        #expect(all == Self.probe(btf, name, kind: nil, firstOnly: false), "\(name)")
      }
    }
  }

  /// The first `scanLimit` lookups scan, the next builds the index; the
  /// answers never change. Expected id: bpftool's `task_struct`.
  @Test func switchesFromScanToIndexAfterTheLimit() throws {
    guard let btf = try VmlinuxTests.vmlinux(), let dump = VmlinuxTests.dump() else { return }
    let expected = try #require(Bpftool.structBlock(dump, name: "task_struct")).id
    for _ in 0 ..< BTF.scanLimit {
      #expect(try btf.type(named: "task_struct", kind: .struct).rawValue == expected)
      #expect(!btf.hasNameIndex)
    }
    #expect(btf.types(named: "task_struct", kind: .struct).map(\.rawValue) == [expected])
    #expect(btf.hasNameIndex)
    #expect(btf.firstType(named: "task_struct")?.rawValue == expected)
    #expect(btf.firstType(named: "no_such_type_anywhere") == nil)
  }

  /// Many tasks on a fresh `BTF`: some scan, one builds the index, the rest
  /// wait for it or use it; all get bpftool's ids.
  @Test func scanAndIndexAreSafeFromManyThreads() async throws {
    guard let btf = try VmlinuxTests.vmlinux(), let dump = VmlinuxTests.dump() else { return }
    let names = ["task_struct", "mm_struct", "sk_buff", "inode", "file", "list_head"]
    var expected = [String: UInt32]()
    for name in names { expected[name] = try #require(Bpftool.structBlock(dump, name: name)).id }
    let results = await withTaskGroup(of: (String, [UInt32]).self) { group in
      for i in 0 ..< 24 {
        let name = names[i % names.count]
        group.addTask { (name, btf.types(named: name, kind: .struct).map(\.rawValue)) }
      }
      var all = [(String, [UInt32])]()
      for await r in group { all.append(r) }
      return all
    }
    #expect(results.count == 24)
    for (name, ids) in results { #expect(ids == [expected[name] ?? 0], "\(name)") }
    #expect(btf.hasNameIndex)
  }

  // MARK: Split BTF

  /// Offset of `text` in a string table (the first whole NUL-terminated match).
  static func offset(of text: String, in strings: [UInt8]) -> UInt32? {
    let needle = Array(text.utf8) + [0]
    var start = 0
    while start + needle.count <= strings.count {
      if Array(strings[start ..< start + needle.count]) == needle { return UInt32(start) }
      start = (strings[start...].firstIndex(of: 0) ?? strings.count) + 1
    }
    return nil
  }

  /// Base: the all-kinds blob ("int" is [1], "pair" [4], "td" [8]). Module:
  /// 90 types named, in turn, with base strings and module strings (some
  /// spelling base names again), of three kinds. Returns the blobs and, by
  /// construction, the ids of every (name, kind) and of every name.
  static func splitWithManyNames(_ order: ByteOrder)
    -> (base: [UInt8], module: [UInt8], byNameKind: [String: [UInt32]], byName: [String: [UInt32]])
  {
    let baseRaw = ParserTests.allKinds(order)
    var byNameKind: [String: [UInt32]] = ["int INT": [1], "pair STRUCT": [4], "td TYPEDEF": [8]]
    var byName: [String: [UInt32]] = ["int": [1], "pair": [4], "td": [8]]
    var module = RawBTF(order: order, firstID: 20, stringBase: UInt32(baseRaw.strings.count))
    let baseNames = ["int", "pair", "td"]
    let localNames = ["m0", "m1", "int", "a_longer_name_of_17", "exactly8", "pair___flavor"]
    for i in 0 ..< 90 {
      let name: String
      let nameOff: UInt32
      if i % 3 == 0 {
        name = baseNames[(i / 3) % baseNames.count]
        nameOff = offset(of: name, in: baseRaw.strings) ?? 0
      } else {
        name = localNames[i % localNames.count]
        nameOff = module.string(name)
      }
      let kind: (number: UInt32, name: String)
      switch i % 4 {
      case 0: kind = (7, "FWD"); module.type(nameOff: nameOff, kind: 7, sizeOrType: 0)
      case 1: kind = (8, "TYPEDEF"); module.type(nameOff: nameOff, kind: 8, sizeOrType: 1)
      default: kind = (4, "STRUCT"); module.type(nameOff: nameOff, kind: 4, sizeOrType: 0)
      }
      let id = UInt32(20 + i)
      byNameKind["\(name) \(kind.name)", default: []].append(id)
      byName[name, default: []].append(id)
    }
    return (baseRaw.bytes(), module.bytes(), byNameKind, byName)
  }

  @Test(arguments: [ByteOrder.little, .big])
  func scanAndIndexAgreeOnSplitBTF(order: ByteOrder) throws {
    let (baseBytes, moduleBytes, byNameKind, byName) = Self.splitWithManyNames(order)
    let base = try BTF(bytes: baseBytes)
    let kinds: [String: BTF.Kind] = ["INT": .integer, "STRUCT": .struct, "TYPEDEF": .typedef, "FWD": .forward]
    // Every name and (name, kind), through a fresh module that scans, then
    // through one whose index is built.
    let scanning = try BTF(bytes: moduleBytes, base: base)
    let indexed = try BTF(bytes: moduleBytes, base: base)
    _ = indexed.nameTable(essential: false)
    for (name, ids) in byName {
      let local = ids.filter { $0 >= 20 }.map { BTF.TypeID($0) }
      #expect(Self.scan(scanning, name, kind: nil, firstOnly: false) == local, "\(name)")
      #expect(Self.probe(indexed, name, kind: nil, firstOnly: false) == local, "\(name)")
      #expect(Self.scan(scanning, name, kind: nil, firstOnly: true) == Array(local.prefix(1)), "\(name)")
      #expect(indexed.types(named: name).map(\.rawValue) == ids, "\(name)")
      #expect(indexed.firstType(named: name)?.rawValue == ids.first, "\(name)")
    }
    for (key, ids) in byNameKind {
      let parts = key.split(separator: " ")
      let name = String(parts[0]), kind = try #require(kinds[String(parts[1])])
      let local = ids.filter { $0 >= 20 }.map { BTF.TypeID($0) }
      #expect(Self.scan(scanning, name, kind: kind, firstOnly: false) == local, "\(key)")
      #expect(Self.scan(scanning, name, kind: kind, firstOnly: true) == Array(local.prefix(1)), "\(key)")
      #expect(indexed.types(named: name, kind: kind).map(\.rawValue) == ids, "\(key)")
    }
    #expect(!scanning.hasNameIndex)
    // The public lookups on a fresh module, across the switch to the index.
    let fresh = try BTF(bytes: moduleBytes, base: base)
    for (name, ids) in byName.sorted(by: { $0.key < $1.key }) {
      #expect(fresh.types(named: name).map(\.rawValue) == ids, "\(name)")
      #expect(fresh.firstType(named: name)?.rawValue == ids.first, "\(name)")
    }
    #expect(fresh.hasNameIndex)
    #expect(fresh.types(named: "absent").isEmpty)
  }

  // MARK: The hash

  /// The three ways of hashing a name agree for every length around the
  /// 8-byte steps, at every alignment, including names ending the table.
  @Test func hashesAgreeForEveryLengthAndAlignment() {
    for length in 0 ..< 26 {
      let text = String((0 ..< length).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) })
      for padding in 0 ..< 8 {
        let table = [UInt8](repeating: 0, count: padding) + Array(text.utf8) + [0]
        let fromSpan = table.span.bytes
        let known = BTF.hash(fromSpan, padding, length)
        let terminated = BTF.hashNulTerminated(fromSpan, padding, table.count)
        var copy = text
        let fromString = copy.withUTF8 { BTF.hash($0) }
        #expect(known == fromString, "length \(length)")
        #expect(terminated == fromString, "length \(length) at \(padding)")
      }
    }
  }
}
