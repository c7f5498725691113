import Foundation
import Testing
import TestSupport
import UAPI

/// `swiftbpf inspect`: its JSON contract, checked against readings of the
/// same objects by llvm-objdump and by libbpf itself.
@Suite("swiftbpf inspect")
struct InspectCommandTests {
  static let objects = Fixture.objects

  @Test("programs, maps, data sections and externs are the ones llvm-objdump lists", arguments: objects)
  func matchesObjdump(object: URL) throws {
    guard let tool = try objdump() else { return }
    let run = try swiftbpf(["inspect", "--json", object.path])
    try #require(run.status == 0, "\(run.stderr)")
    try Self.checkAgainstObjdump(tool, object, try jsonObject(run.stdout))
  }

  /// Objects other projects built (a directory named by
  /// SWIFTBPF_EXTERNAL_OBJECTS, e.g. cilium/ebpf's testdata/*.elf): each
  /// either inspects in agreement with llvm-objdump, or is refused with a
  /// typed error naming the file — never a crash.
  @Test("objects from other projects inspect like llvm-objdump reads them, or fail cleanly",
        .enabled(if: !Fixture.externalObjects.isEmpty, "set SWIFTBPF_EXTERNAL_OBJECTS to a directory of BPF objects"))
  func externalObjects() throws {
    guard let tool = try objdump() else { return }
    var inspected = 0
    for object in Fixture.externalObjects {
      let run = try swiftbpf(["inspect", "--json", object.path])
      let json = try jsonObject(run.stdout)
      if run.status == 0 {
        try Self.checkAgainstObjdump(tool, object, json)
        inspected += 1
      } else {
        let error = try #require(json["error"] as? [String: Any], "\(object.lastPathComponent)")
        #expect((error["message"] as? String)?.contains(object.path) == true)
      }
    }
    #expect(inspected > 0)
  }

  static func checkAgainstObjdump(_ tool: String, _ object: URL, _ json: [String: Any]) throws {
    let symbols = try objdumpSymbols(tool, object)
    let sections = try objdumpSections(tool, object)

    // Programs: every function symbol outside .text, with its size in slots.
    struct ProgramFact: Hashable { var name, section: String; var slots: Int }
    let expectedPrograms = Set(symbols.filter { $0.kind == "F" && $0.section != ".text" }.map {
      ProgramFact(name: $0.name, section: $0.section, slots: Int($0.size / 8))
    })
    let programs = try #require(json["programs"] as? [[String: Any]])
    let actualPrograms = Set(programs.compactMap { p -> ProgramFact? in
      guard let name = p["name"] as? String, let section = p["section"] as? String,
        let slots = p["instructions"] as? Int else { return nil }
      return ProgramFact(name: name, section: section, slots: slots)
    })
    #expect(actualPrograms == expectedPrograms)
    #expect(programs.count == expectedPrograms.count)

    // Maps: the objects in .maps (BTF-defined), maps (legacy) and the
    // struct_ops sections (each variable is a BPF_MAP_TYPE_STRUCT_OPS map;
    // libbpf also reads them with a `?`, for maps not created by default).
    let mapSections: Set<String> = [".maps", "maps", ".struct_ops", ".struct_ops.link", "?.struct_ops", "?.struct_ops.link"]
    let expectedMaps = Set(symbols.filter { mapSections.contains($0.section) && $0.kind == "O" }.map(\.name))
    let maps = try #require(json["maps"] as? [[String: Any]])
    #expect(Set(maps.compactMap { $0["name"] as? String }) == expectedMaps)

    // Data sections: each .data*/.rodata*/.bss* section, with its size.
    let isData = { (name: String) in
      name == ".data" || name == ".rodata" || name == ".bss" || name.hasPrefix(".data.")
        || name.hasPrefix(".rodata.") || name.hasPrefix(".bss.")
    }
    let expectedData = sections.filter { isData($0.key) }
    let data = try #require(json["dataSections"] as? [[String: Any]])
    var actualData: [String: UInt64] = [:]
    for entry in data {
      guard let name = entry["name"] as? String, isData(name), let size = entry["size"] as? UInt64 else { continue }
      actualData[name] = size
      #expect((entry["readonly"] as? Bool) == name.hasPrefix(".rodata"), "\(name)")
    }
    #expect(actualData == expectedData)

    // Externs: the undefined symbols.
    let expectedExterns = Set(symbols.filter { $0.section == "*UND*" && !$0.name.isEmpty }.map(\.name))
    let externs = try #require(json["externs"] as? [[String: Any]])
    #expect(Set(externs.compactMap { $0["name"] as? String }) == expectedExterns)

    // Byte order: e_ident[EI_DATA], 1 = little, 2 = big (the ELF format).
    let ident = try Data(contentsOf: object).prefix(6)
    #expect(json["byteOrder"] as? String == (ident.last == 2 ? "big" : "little"))
  }

  @Test("program and map attributes agree with libbpf's own reading", arguments: objects)
  func agreesWithLibbpf(object: URL) throws {
    guard let libbpf = SystemLibbpf.shared else {
      try #require(!TestEnvironment.mustNotSkip, "libbpf.so.1 missing (apt-get install libbpf1)")
      return
    }
    // libbpf 1.1 refuses legacy `maps` sections, objects of the other
    // byte order and arenas (`.addr_space.1`, libbpf 1.4): nothing to
    // compare there.
    guard let theirs = libbpf.open(path: object.path) else {
      let name = object.lastPathComponent
      #expect(name.hasPrefix("legacy_maps") || name.contains(".bpfeb.") || name.hasPrefix("arena."),
              "libbpf could not open \(name)")
      return
    }
    let run = try swiftbpf(["inspect", "--json", object.path])
    try #require(run.status == 0, "\(run.stderr)")
    let json = try jsonObject(run.stdout)
    let programs = try #require(json["programs"] as? [[String: Any]])
    for program in theirs.programs {
      let ours = try #require(programs.first { $0["name"] as? String == program.name }, "\(program.name)")
      // libbpf reports the section without the `?` no-autoload prefix.
      let section = try #require(ours["section"] as? String)
      #expect(section == program.section || section == "?" + program.section)
      #expect(ours["instructions"] as? Int == program.slotCount, "\(program.name)")
      #expect(ours["autoload"] as? Bool == program.autoload, "\(program.name)")
      guard program.programType != 0 else { continue }  // a name newer than libbpf 1.1
      #expect(ours["type"] as? String == ProgramType(rawValue: program.programType).kernelName, "\(program.name)")
      // A struct_ops program's "attach type" is the index of the member it
      // implements, which libbpf fills in at open; it is not a kernel attach
      // type and is assigned when the struct_ops map is loaded.
      guard program.programType != ProgramType.structOps.rawValue else { continue }
      let attach = (ours["attachType"] as? String).flatMap(AttachType.init(kernelName:))?.rawValue ?? 0
      #expect(attach == program.expectedAttachType, "\(program.name)")
    }
    let maps = try #require(json["maps"] as? [[String: Any]])
    let data = try #require(json["dataSections"] as? [[String: Any]])
    for map in theirs.maps {
      if map.isInternal {
        // libbpf's map for a data section: named after it, value = its size.
        guard let section = data.first(where: { ($0["name"] as? String).map(map.name.hasSuffix) ?? false }),
          let name = section["name"] as? String, name != ".kconfig", name != ".ksyms"
        else { continue }
        #expect(section["size"] as? UInt32 == map.valueSize, "\(map.name)")
        continue
      }
      let ours = try #require(maps.first { $0["name"] as? String == map.name }, "\(map.name)")
      #expect(ours["type"] as? String == MapType(rawValue: map.type).kernelName, "\(map.name)")
      #expect(ours["keySize"] as? UInt32 == map.keySize, "\(map.name)")
      if let record = ours["recordType"] as? [String: Any] {
        // A ring buffer's __type(value, T): libbpf 1.1 reads T's size as the
        // value size (and the kernel refuses the map); we keep it as the
        // record type and create the map with value size 0.
        #expect(ours["valueSize"] as? UInt32 == 0, "\(map.name)")
        #expect((record["size"] as? Int).map(UInt32.init) == map.valueSize, "\(map.name)")
      } else {
        #expect(ours["valueSize"] as? UInt32 == map.valueSize, "\(map.name)")
      }
      if map.type == MapType.ringbuf.rawValue || map.type == MapType.userRingbuf.rawValue {
        // `inspect` shows the declared size; libbpf rounds it at open to a
        // power-of-2 multiple of the page size, which the loader does at
        // creation (MapCreationTests, InnerMapTemplateTests).
        let declared = try #require(ours["maxEntries"] as? UInt32)
        let page = UInt32(sysconf(Int32(_SC_PAGESIZE)))
        #expect(map.maxEntries >= declared && map.maxEntries % page == 0
                && (map.maxEntries / page).nonzeroBitCount == 1, "\(map.name)")
      } else {
        #expect(ours["maxEntries"] as? UInt32 == map.maxEntries, "\(map.name)")
      }
      #expect(ours["flags"] as? UInt32 == map.flags, "\(map.name)")
    }
  }

  @Test("the human form names every program and map")
  func humanForm() throws {
    let object = Fixture.object("maps.bpf.o")
    let run = try swiftbpf(["inspect", object.path])
    try #require(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.isEmpty)
    let json = try jsonObject(try swiftbpf(["inspect", "--json", object.path]).stdout)
    let programs = try #require(json["programs"] as? [[String: Any]], "no programs array")
    let maps = try #require(json["maps"] as? [[String: Any]], "no maps array")
    #expect(!programs.isEmpty && !maps.isEmpty, "maps.bpf.o has programs and maps")
    for entry in programs + maps {
      let name = try #require(entry["name"] as? String)
      #expect(run.stdout.contains(name), "\(name) missing from the human form")
    }
    #expect(run.stdout.contains("BPF_MAP_TYPE_RINGBUF"))
  }
}
