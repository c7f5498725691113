import Foundation
import Testing
import TestSupport
import UAPI

@testable import ELFReader

/// Map definitions, against bpftool's reading of the object's BTF (BTF maps)
/// and llvm-objdump's hex dump of the `maps` section (legacy maps).
@Suite struct MapTests {
  @Test(.enabled(if: BpftoolBTF.shouldRun, "needs bpftool"), arguments: Fixture.objects)
  func btfMapsMatchBpftool(_ url: URL) throws {
    let object = try ObjectFile(path: url.path)
    let btf = try BpftoolBTF(file: url.path)
    try #require(!btf.types.isEmpty, "could not parse bpftool btf dump")
    guard let datasecID = btf.id(named: ".maps", kind: "DATASEC") else {
      #expect(object.maps.allSatisfy { $0.origin != .btf })
      return
    }
    let datasec = try #require(btf.types[datasecID])
    let symbols = try Objdump.symbols(url.path).filter { $0.section == ".maps" && $0.typeFlag == "O" }
    #expect(object.maps.filter { $0.origin == .btf }.count == datasec.entries.count)
    for entry in datasec.entries {
      let varID = try #require(entry.attributes["type_id"].flatMap { Int($0) })
      let variable = try #require(btf.types[varID])
      let map = try #require(object.map(named: variable.name), "map \(variable.name) missing")
      #expect(map.origin == .btf)
      #expect(map.sectionName == ".maps")
      #expect(map.offset == symbols.first { $0.name == variable.name }?.value)
      try check(map, structID: try #require(variable.int("type_id")), btf: btf)
    }
  }

  /// Compares a definition with the BTF struct: `__uint` members are
  /// pointers to arrays whose element count is the value.
  func check(_ map: MapDefinition, structID: Int, btf: BpftoolBTF) throws {
    let layout = try #require(btf.types[btf.resolved(structID)])
    #expect(layout.kind == "STRUCT")
    var keySize: Int? = nil
    var valueSize: Int? = nil
    for member in layout.entries {
      let type = try #require(member.attributes["type_id"].flatMap { Int($0) })
      let pointer = btf.types[btf.resolved(type)]
      var count = pointer?.int("type_id").flatMap { btf.types[$0] }.flatMap { $0.kind == "ARRAY" ? $0.int("nr_elems") : nil }
      // libbpf's `__ulong(name, value)` (for values past 32 bits, as an
      // arena's map_extra): an anonymous enum whose one value is the value.
      if let pointer, pointer.kind == "ENUM" || pointer.kind == "ENUM64" {
        count = pointer.entries.first?.attributes["val"].flatMap { Int($0.replacingOccurrences(of: "ULL", with: "")) }
      }
      switch member.name {
      case "type": #expect(Int(map.type.rawValue) == count, "\(map.name)")
      case "max_entries": #expect(Int(map.maxEntries) == count, "\(map.name)")
      case "map_flags": #expect(Int(map.flags) == count, "\(map.name)")
      case "map_extra": #expect(Int(map.mapExtra) == count, "\(map.name)")
      case "pinning": #expect(Int(map.pinning.rawValue) == count, "\(map.name)")
      case "numa_node": #expect(Int(map.numaNode) == count, "\(map.name)")
      case "key_size": keySize = count
      case "value_size": valueSize = count
      case "key":
        let target = try #require(pointer?.int("type_id"))
        #expect(map.keyTypeID?.rawValue == UInt32(target), "\(map.name)")
        keySize = btf.size(of: target)
      case "value" where map.type == .ringbuf || map.type == .userRingbuf:
        // A ring buffer's value type is its record type; the kernel wants
        // value size 0, so the size lives in `recordType`.
        let target = try #require(pointer?.int("type_id"))
        #expect(map.valueTypeID == nil, "\(map.name)")
        #expect(map.recordType?.typeID.rawValue == UInt32(target), "\(map.name)")
        #expect(map.recordType?.size == btf.size(of: target), "\(map.name)")
      case "value":
        let target = try #require(pointer?.int("type_id"))
        #expect(map.valueTypeID?.rawValue == UInt32(target), "\(map.name)")
        valueSize = btf.size(of: target)
      case "values":
        // __array(values, T): ARRAY of PTR to T; T a struct (inner map) or a FUNC_PROTO.
        let array = try #require(btf.types[type])
        let element = try #require(array.int("type_id").flatMap { btf.types[$0] }?.int("type_id"))
        if btf.types[btf.resolved(element)]?.kind == "STRUCT" {
          let inner = try #require(map.innerMap, "\(map.name) has no inner template")
          try check(inner, structID: element, btf: btf)
        } else {
          #expect(map.innerMap == nil)
        }
        valueSize = 4  // slots hold map or program fds
      default:
        Issue.record("unexpected member \(member.name) in \(map.name)")
      }
    }
    #expect(Int(map.keySize) == (keySize ?? 0), "\(map.name) key size")
    #expect(Int(map.valueSize) == (valueSize ?? 0), "\(map.name) value size")
  }

  /// `.values = { [i] = &x }` from `llvm-objdump -r` on `.maps`: the slot is
  /// (offset − map start − values member offset) / 8.
  @Test(.enabled(if: BpftoolBTF.shouldRun && Objdump.shouldRun, "needs bpftool and llvm-objdump"),
    arguments: ["maps.bpf.o", "maps.bpfeb.bpf.o", "programs.bpf.o"])
  func initialValuesMatchRelocations(_ name: String) throws {
    let path = Fixture.object(name).path
    let object = try ObjectFile(path: path)
    let btf = try BpftoolBTF(file: path)
    let symbols = try Objdump.symbols(path).filter { $0.section == ".maps" && $0.typeFlag == "O" }
    let records = try Objdump.relocations(path).filter { $0.section == ".maps" }
    try #require(!records.isEmpty)
    var expected: [String: [(Int, String)]] = [:]
    for record in records {
      let owner = try #require(symbols.first { $0.value <= record.offset && record.offset < $0.value + $0.size })
      let variable = try #require(btf.id(named: owner.name, kind: "VAR").flatMap { btf.types[$0] })
      let layout = try #require(variable.int("type_id").flatMap { btf.types[btf.resolved($0)] })
      let values = try #require(layout.entries.first { $0.name == "values" }?.attributes["bits_offset"].flatMap { Int($0) })
      expected[owner.name, default: []].append(((Int(record.offset - owner.value) - values / 8) / 8, record.symbol))
    }
    for map in object.maps {
      let want = (expected[map.name] ?? []).sorted { $0.0 < $1.0 }
      #expect(map.initialValues.map(\.index) == want.map(\.0), "\(map.name)")
      #expect(map.initialValues.map(\.symbolName) == want.map(\.1), "\(map.name)")
    }
  }

  /// Legacy `struct bpf_map_def` records: five u32 per map, read from the
  /// section's hex dump in the object's byte order.
  @Test(.enabled(if: Objdump.shouldRun, "needs llvm-objdump"))
  func legacyMapsMatchSectionBytes() throws {
    let path = Fixture.object("legacy_maps.bpf.o").path
    let object = try ObjectFile(path: path)
    let bytes = try Objdump.contents(path, section: "maps")
    let symbols = try Objdump.symbols(path).filter { $0.section == "maps" }
    try #require(!symbols.isEmpty)
    let record = bytes.count / symbols.count
    #expect(object.maps.count == symbols.count)
    for symbol in symbols {
      let map = try #require(object.map(named: symbol.name))
      #expect(map.origin == .legacy)
      #expect(map.offset == symbol.value)
      #expect(Int(symbol.value) % record == 0)
      func field(_ i: Int) -> UInt32 {
        let at = Int(symbol.value) + 4 * i
        return bytes[at..<at + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) }  // bpfel
      }
      #expect(map.type.rawValue == field(0))
      #expect(map.keySize == field(1))
      #expect(map.valueSize == field(2))
      #expect(map.maxEntries == field(3))
      #expect(map.flags == field(4))
      #expect(map.keyTypeID == nil && map.innerMap == nil)
    }
  }

  /// The fixture's documented expectations (maps.bpf.c header) for the
  /// attributes bpftool cannot show directly: kernel type names.
  @Test(arguments: ["maps.bpf.o", "maps.bpfeb.bpf.o"])
  func mapTypesMatchFixtureDocumentation(_ name: String) throws {
    let object = try ObjectFile(path: Fixture.object(name).path)
    let expected: [(String, MapType, UInt32, UInt32, UInt32)] = [
      ("hash_map", .hash, 4, 8, 128), ("array_map", .array, 4, 8, 8), ("percpu_array", .percpuArray, 4, 8, 4),
      ("percpu_hash", .percpuHash, 8, 8, 64), ("lru_hash", .lruHash, 4, 8, 32), ("lpm_trie", .lpmTrie, 8, 4, 16),
      ("ring_buffer", .ringbuf, 0, 0, 65536), ("user_ring", .userRingbuf, 0, 0, 16384),
      ("perf_events", .perfEventArray, 4, 4, 0), ("queue_map", .queue, 0, 4, 16), ("stack_map", .stack, 0, 4, 16),
      ("bloom_map", .bloomFilter, 0, 4, 100), ("task_store", .taskStorage, 4, 8, 0), ("sock_store", .skStorage, 4, 8, 0),
      ("pinned_counts", .hash, 4, 8, 16), ("outer_array", .arrayOfMaps, 4, 4, 4), ("outer_hash", .hashOfMaps, 4, 4, 4),
      ("tail_calls", .progArray, 4, 4, 2),
    ]
    for (mapName, type, key, value, max) in expected {
      let map = try #require(object.map(named: mapName))
      #expect(map.type == type, "\(mapName)")
      #expect(map.keySize == key, "\(mapName)")
      #expect(map.valueSize == value, "\(mapName)")
      #expect(map.maxEntries == max, "\(mapName)")
    }
    #expect(object.map(named: "pinned_counts")?.pinning == .byName)
    #expect(object.map(named: "bloom_map")?.mapExtra == 3)
    #expect(object.map(named: "array_map")?.flags == 0x400)  // BPF_F_MMAPABLE
    #expect(object.map(named: "outer_array")?.initialValues.map(\.symbolName) == ["inner_a"])
    #expect(object.map(named: "outer_hash")?.initialValues.map(\.index) == [1])
    #expect(object.map(named: "tail_calls")?.initialValues.map(\.symbolName) == ["tail_target"])
  }

  /// struct_ops maps: one per variable of a `.struct_ops*` DATASEC (bpftool),
  /// programs from the `.rel.struct_ops*` records (llvm-objdump -r), data
  /// from the section bytes (llvm-objdump -s).
  @Test(.enabled(if: BpftoolBTF.shouldRun && Objdump.shouldRun, "needs bpftool and llvm-objdump"))
  func structOpsMapsMatchBTFAndRelocations() throws {
    let path = Fixture.object("struct_ops.bpf.o").path
    let object = try ObjectFile(path: path)
    let btf = try BpftoolBTF(file: path)
    let symbols = try Objdump.symbols(path)
    let records = try Objdump.relocations(path)
    var seen = 0
    for (id, datasec) in btf.types where datasec.kind == "DATASEC" && datasec.name.hasPrefix(".struct_ops") {
      _ = id
      let bytes = try Objdump.contents(path, section: datasec.name)
      for entry in datasec.entries {
        seen += 1
        let variable = try #require(entry.attributes["type_id"].flatMap { Int($0) }.flatMap { btf.types[$0] })
        let structID = btf.resolved(try #require(variable.int("type_id")))
        let layout = try #require(btf.types[structID])
        let map = try #require(object.map(named: variable.name))
        let symbol = try #require(symbols.first { $0.name == variable.name && $0.section == datasec.name })
        #expect(map.origin == .structOps)
        #expect(map.type == .structOps)
        #expect(map.maxEntries == 1)
        #expect(map.keySize == 4)
        #expect(Int(map.valueSize) == layout.int("size"))
        #expect(map.valueTypeID?.rawValue == UInt32(structID))
        // Kernel: BPF_F_LINK (1 << 13) for .struct_ops.link.
        #expect(map.flags == (datasec.name == ".struct_ops.link" ? 0x2000 : 0))
        let ops = try #require(map.structOps)
        #expect(ops.typeName == layout.name)
        let start = Int(symbol.value)
        #expect(ops.data == Array(bytes[start..<start + (layout.int("size") ?? 0)]))
        let expected = records.filter { $0.section == datasec.name && $0.offset >= symbol.value && $0.offset < symbol.value + symbol.size }
          .map { record -> (String, String) in
            let member = layout.entries.first { ($0.attributes["bits_offset"].flatMap { Int($0) } ?? -1) / 8 == Int(record.offset - symbol.value) }
            return (member?.name ?? "?", record.symbol)
          }
        #expect(ops.functions.map(\.member) == expected.map(\.0))
        #expect(ops.functions.map(\.program) == expected.map(\.1))
      }
    }
    #expect(seen == 2)
  }
}
