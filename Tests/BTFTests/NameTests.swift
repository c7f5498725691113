import Testing
@testable import BTF

/// CO-RE essential names: the part before a `___flavor` suffix, as libbpf's
/// documentation of "struct flavors" describes (`task_struct___old` is a
/// flavor of `task_struct`; triple underscores mark the suffix).
@Suite struct NameTests {
  @Test(arguments: [
    ("task_struct___old", "task_struct"),
    ("task_struct___v5___x", "task_struct___v5"),
    ("task_struct", "task_struct"),
    ("a___b", "a"),
    ("____x", "____x"),
    ("x___", "x___"),
    ("x____y", "x____y"),
    ("", ""),
  ])
  func essentialNameStripsTheFlavor(name: String, essential: String) {
    #expect(BTF.essentialName(name) == essential[...])
  }

  @Test func findsFlavorsByEssentialName() throws {
    var raw = RawBTF()
    raw.type(name: "thing", kind: 4, sizeOrType: 0)           // [1]
    raw.type(name: "thing___v2", kind: 4, sizeOrType: 0)      // [2]
    raw.type(name: "thing___v3", kind: 8, sizeOrType: 1)      // [3] typedef
    raw.type(name: "thingy", kind: 4, sizeOrType: 0)          // [4]
    let btf = try BTF(bytes: raw.bytes())
    #expect(btf.types(essentialName: "thing") == [1, 2, 3])
    #expect(btf.types(essentialName: "thing", kind: .struct) == [1, 2])
    #expect(btf.types(named: "thing") == [1])
    #expect(btf.types(named: "thing___v2") == [2])
    #expect(btf.types(named: "") == [])
  }

  @Test func lookupIsSafeFromManyThreads() async throws {
    guard let btf = try VmlinuxTests.vmlinux() else { return }
    let results = await withTaskGroup(of: [BTF.TypeID].self) { group in
      for _ in 0 ..< 8 { group.addTask { btf.types(named: "task_struct", kind: .struct) } }
      var all = [[BTF.TypeID]]()
      for await r in group { all.append(r) }
      return all
    }
    #expect(Set(results.map { $0.map(\.rawValue) }).count == 1)
    #expect(results.first?.count == 1)
  }

  /// The essential index skips names that cannot have a flavor: every
  /// string over {a, _} up to 12 bytes (underscores dense, so runs cross the
  /// 8-byte steps everywhere), at every alignment, against `contains("___")`.
  @Test func flavorFilterNeverMissesATripleUnderscore() {
    var missed = 0, names = 0
    for length in 0 ... 12 {
      for pattern in 0 ..< (1 << length) {
        let text = String((0 ..< length).map { pattern >> $0 & 1 == 1 ? "_" : "a" })
        for padding in [0, 3, 7] {
          let table = [UInt8](repeating: 0x5F, count: padding) + Array(text.utf8) + [0x5F, 0x5F, 0]
          let span = table.span.bytes
          names += 1
          #expect(BTF.lengthNulTerminated(span, padding, table.count) == length + 2)
          // A flavor needs x___y, so shorter names are skipped outright.
          if length >= 5 && text.contains("___") && !BTF.mayHaveFlavor(span, padding, length) { missed += 1 }
          if !BTF.mayHaveFlavor(span, padding, length) {
            // Then the exact rule agrees: no flavor to strip.
            #expect(BTF.essentialLength(count: length) { table[padding + $0] } == length)
          }
        }
      }
    }
    #expect(names > 20_000)
    #expect(missed == 0)
  }

  /// Essential names found through the index for the flavored names of a
  /// hand-built blob, in id order (libbpf's documented flavor rule).
  @Test func essentialIndexStripsFlavorsAcrossWordBoundaries() throws {
    var raw = RawBTF()
    raw.type(name: "abcdefg___x", kind: 4, sizeOrType: 0)       // [1] "___" at 7...9
    raw.type(name: "abcdef___x", kind: 4, sizeOrType: 0)        // [2] at 6...8
    raw.type(name: "abcdefgh___x", kind: 4, sizeOrType: 0)      // [3] at 8...10
    raw.type(name: "abcdefg", kind: 4, sizeOrType: 0)           // [4]
    raw.type(name: "abcdefg__x", kind: 4, sizeOrType: 0)        // [5] only two
    raw.type(name: "abcdefg____x", kind: 4, sizeOrType: 0)      // [6] "____": no x___y, no flavor
    let btf = try BTF(bytes: raw.bytes())
    #expect(btf.types(essentialName: "abcdefg") == [1, 4])
    #expect(btf.types(essentialName: "abcdef") == [2])
    #expect(btf.types(essentialName: "abcdefgh") == [3])
    #expect(btf.types(essentialName: "abcdefg__x") == [5])
    #expect(btf.types(essentialName: "abcdefg____x") == [6])
  }
}
