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
}
