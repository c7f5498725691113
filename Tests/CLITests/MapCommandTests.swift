import Foundation
import SwiftBPF
import Testing
import TestSupport

/// `swiftbpf map list` and `map dump` against `bpftool` (the independent
/// reader of the same kernel maps): the same maps with the same attributes,
/// the same entries byte for byte, and, where the map has BTF, the same
/// `formatted` values.
@Suite("swiftbpf map", .serialized, .kernel)
struct MapCommandTests {
  /// bpftool's JSON for `arguments`, or nil when bpftool is missing (a skip
  /// on a developer machine, a failure under CI or SWIFTBPF_REQUIRE_KERNEL=1).
  static func bpftool(_ arguments: [String]) throws -> Any? {
    guard let tool = Toolchain.systemTool("bpftool") else {
      try #require(!TestEnvironment.mustNotSkip, "bpftool missing")
      return nil
    }
    let run = try runProcess(tool, arguments + ["-j"])
    try #require(run.status == 0, "bpftool \(arguments): \(run.stderr)")
    return try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
  }

  static func ours(_ arguments: [String]) throws -> Any {
    let run = try swiftbpf(arguments + ["--json"])
    try #require(run.status == 0, "swiftbpf \(arguments): \(run.stdout) \(run.stderr)")
    return try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
  }

  /// Both dumps of map `id`, entry by entry (both walk the kernel's key order).
  static func dumps(id: UInt32) throws -> (ours: [[String: Any]], bpftool: [[String: Any]])? {
    let mine = try #require(try ours(["map", "dump", "id", "\(id)"]) as? [[String: Any]])
    guard let theirs = try bpftool(["map", "dump", "id", "\(id)"]) else { return nil }
    return (mine, try #require(theirs as? [[String: Any]]))
  }

  /// key, value and values as bpftool prints them must be equal.
  static func expectSameBytes(_ mine: [[String: Any]], _ theirs: [[String: Any]]) {
    #expect(mine.count == theirs.count)
    for (a, b) in zip(mine, theirs) {
      #expect(a["key"] as? [String] == b["key"] as? [String])
      #expect(a["value"] as? [String] == b["value"] as? [String])
      let ourValues = (a["values"] as? [[String: Any]])?.map { ($0["cpu"] as? Int, $0["value"] as? [String]) }
      let theirValues = (b["values"] as? [[String: Any]])?.map { ($0["cpu"] as? Int, $0["value"] as? [String]) }
      #expect(ourValues?.map(\.0) == theirValues?.map(\.0))
      #expect(ourValues?.map(\.1) == theirValues?.map(\.1))
    }
  }

  static func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }

  static func put(_ fd: borrowing OwnedFD, _ key: [UInt8], _ value: [UInt8]) throws {
    try key.withUnsafeBytes { k in
      try value.withUnsafeBytes { v in
        try BPF.update(map: fd.borrowed, key: k.baseAddress, value: v.baseAddress!)
      }
    }
  }

  @Test func dumpOfAMapWithoutBTFEqualsBpftool() throws {
    let hash = try BPF.createMap(MapCreateAttributes(type: .hash, keySize: 4, valueSize: 8, maxEntries: 16, name: "smc_raw"))
    for k: UInt32 in [1, 7, 0xdead_beef] { try Self.put(hash, Self.le(k), Self.le(UInt64(k) * 3 + 0x1_0000_0000)) }
    let id = try BPF.mapInfo(hash.borrowed).id
    guard let (mine, theirs) = try Self.dumps(id: id) else { return }
    #expect(mine.count == 3)
    Self.expectSameBytes(mine, theirs)
    #expect(mine.allSatisfy { $0["formatted"] == nil })

    // Per-CPU: one value per possible CPU, each slot the value size.
    let perCPU = try BPF.createMap(MapCreateAttributes(type: .percpuHash, keySize: 4, valueSize: 4, maxEntries: 4, name: "smc_rawpcpu"))
    let cpus = SystemKernel.shared.possibleCPUCount()
    let slots: [UInt8] = (0..<cpus).flatMap { cpu in Self.le(UInt32(100 + cpu)) + [UInt8](repeating: 0, count: 4) }
    try Self.put(perCPU, Self.le(UInt32(3)), slots)
    guard let (mine2, theirs2) = try Self.dumps(id: try BPF.mapInfo(perCPU.borrowed).id) else { return }
    #expect((mine2.first?["values"] as? [Any])?.count == cpus)
    Self.expectSameBytes(mine2, theirs2)
  }

  /// A map whose BTF we build: the kernel keeps it, and bpftool formats from it.
  struct BTFMap: ~Copyable {
    let fd: OwnedFD
    let btf: OwnedFD
    var id: UInt32 { (try? BPF.mapInfo(fd.borrowed).id) ?? 0 }
  }

  /// struct event { u32 pid; s8 delta; bool flag; char comm[16]; u16 shorts[3];
  /// enum kind kind; u32 a:3, b:5; u32 *ptr; struct { u32 lo, hi; }; } keyed by
  /// `typedef u32 pid_key`.
  static func eventMap(type: MapType = .hash) throws -> BTFMap {
    var b = BTF.Builder()
    let u32 = b.addInteger("unsigned int", size: 4)
    let s32 = b.addInteger("int", size: 4, encoding: .signed)
    let s8 = b.addInteger("signed char", size: 1, encoding: .signed)
    let char = b.addInteger("char", size: 1, encoding: .signed)
    let bool = b.addInteger("_Bool", size: 1, encoding: .bool)
    let u16 = b.addInteger("unsigned short", size: 2)
    let comm = b.addArray(of: char, index: s32, count: 16)
    let shorts = b.addArray(of: u16, index: s32, count: 3)
    let kind = b.addEnum("kind", size: 4, isSigned: false, values: [("KIND_A", 1), ("KIND_B", 2)])
    let pointer = b.addPointer(to: u32)
    let pair = b.addStruct("", size: 8, members: [.init("lo", u32, bitOffset: 0), .init("hi", u32, bitOffset: 32)])
    let event = b.addStruct("event", size: 56, members: [
      .init("pid", u32, bitOffset: 0), .init("delta", s8, bitOffset: 32), .init("flag", bool, bitOffset: 40),
      .init("comm", comm, bitOffset: 48), .init("shorts", shorts, bitOffset: 176), .init("kind", kind, bitOffset: 224),
      .init("a", u32, bitOffset: 256, bitfieldSize: 3), .init("b", u32, bitOffset: 259, bitfieldSize: 5),
      .init("ptr", pointer, bitOffset: 320), .init("", pair, bitOffset: 384),
    ])
    let key = b.addTypedef("pid_key", to: u32)
    let btf = try BPF.loadBTF(try b.bytes())
    var attributes = MapCreateAttributes(type: type, keySize: 4, valueSize: 56, maxEntries: 8, name: "smc_event")
    attributes.btfFD = btf.borrowed
    attributes.btfKeyTypeID = key.rawValue
    attributes.btfValueTypeID = event.rawValue
    return BTFMap(fd: try BPF.createMap(attributes), btf: btf)
  }

  static func eventBytes(pid: UInt32, comm: [UInt8]) -> [UInt8] {
    var v = le(pid) + [0xfb, 1] + comm + [UInt8](repeating: 0, count: 16 - comm.count)
    v += le(UInt16(1)) + le(UInt16(2)) + le(UInt16(0xffff)) + le(UInt32(2))
    v += [5 | 17 << 3, 0, 0, 0, 0, 0, 0, 0]  // a = 5, b = 17; then padding to 40
    v += le(UInt64(0xffff_8888_1234_5678)) + le(UInt32(7)) + le(UInt32(9))
    return v
  }

  @Test func formattedValuesEqualBpftoolForIntsStructsAndCharArrays() throws {
    let map = try Self.eventMap()
    try Self.put(map.fd, Self.le(UInt32(4242)), Self.eventBytes(pid: 4242, comm: Array("swiftbpf\0".utf8)))
    // A char array that is not a string: no NUL, a control byte.
    try Self.put(map.fd, Self.le(UInt32(1)), Self.eventBytes(pid: 1, comm: [UInt8](repeating: 1, count: 16)))
    let mine = try #require(try Self.ours(["map", "dump", "id", "\(map.id)"]) as? [[String: Any]])
    let entry = try #require(mine.first { ($0["key"] as? [String])?.first == "0x92" })
    // What we wrote, independently of both tools.
    let formatted = try #require(entry["formatted"] as? [String: Any])
    #expect(formatted["key"] as? Int == 4242)
    let value = try #require(formatted["value"] as? [String: Any])
    #expect(value["pid"] as? Int == 4242)
    #expect(value["delta"] as? Int == -5)
    #expect(value["flag"] as? Bool == true)
    #expect(value["comm"] as? String == "swiftbpf")
    #expect(value["shorts"] as? [Int] == [1, 2, 65535])
    // bpftool 7.1's forms: enums by name, bitfields as hex strings,
    // an anonymous member under "".
    #expect(value["kind"] as? String == "KIND_B")
    #expect(value["a"] as? String == "0x5")
    #expect(value["b"] as? String == "0x11")
    #expect((value[""] as? [String: Any])?["hi"] as? Int == 9)
    #expect(value["ptr"] as? UInt64 == 0xffff_8888_1234_5678)

    guard let theirs = try Self.bpftool(["map", "dump", "id", "\(map.id)"]) as? [[String: Any]] else { return }
    Self.expectSameBytes(mine, theirs)
    for (a, b) in zip(mine, theirs) {
      let ours = a["formatted"] as? NSDictionary
      let bpftool = b["formatted"] as? NSDictionary
      #expect(ours == bpftool, "ours: \(String(describing: ours))\nbpftool: \(String(describing: bpftool))")
    }
  }

  @Test func perCPUFormattedValuesEqualBpftool() throws {
    let map = try Self.eventMap(type: .percpuArray)
    let cpus = SystemKernel.shared.possibleCPUCount()
    let slots = (0..<cpus).flatMap { cpu in Self.eventBytes(pid: UInt32(cpu), comm: Array("cpu\(cpu)\0".utf8)) }
    try Self.put(map.fd, Self.le(UInt32(2)), slots)
    guard let (mine, theirs) = try Self.dumps(id: map.id) else { return }
    #expect(mine.count == 8)
    Self.expectSameBytes(mine, theirs)
    let third = try #require((mine[2]["formatted"] as? [String: Any])?["values"] as? [[String: Any]])
    #expect(third.count == cpus)
    #expect(((third.last?["value"] as? [String: Any])?["comm"] as? String) == "cpu\(cpus - 1)")
    for (a, b) in zip(mine, theirs) {
      #expect(a["formatted"] as? NSDictionary == b["formatted"] as? NSDictionary)
    }
  }

  /// A fixture's maps loaded by the Loader: clang's BTF for an int map, a
  /// struct key (the LPM trie) and a per-CPU array.
  @Test func fixtureMapsDumpAsBpftoolDumpsThem() throws {
    let pins = "/sys/fs/bpf/swiftbpf-mapdump-\(getpid())"
    try FileManager.default.createDirectory(atPath: pins, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: pins) }
    let loaded = try Object.open(path: Fixture.object("maps.bpf.o").path, options: OpenOptions(pinRoot: pins)).load()
    defer { loaded.close() }
    let hash = try TypedMap<UInt32, UInt64>(try #require(loaded.map(named: "hash_map")))
    try hash.update(7, 42)
    try hash.update(0xffff_ffff, .max)
    struct LPMKey: BitwiseCopyable { var prefixlen: UInt32; var addr: UInt32 }
    let lpm = try TypedMap<LPMKey, UInt32>(try #require(loaded.map(named: "lpm_trie")))
    try lpm.update(LPMKey(prefixlen: 24, addr: 0x0001_a8c0), 5)
    let perCPU = try PerCPUMap<UInt32, UInt64>(try #require(loaded.map(named: "percpu_array")))
    try perCPU.update(1, everyCPU: 3)

    for name in ["hash_map", "lpm_trie", "percpu_array"] {
      let id = try #require(loaded.map(named: name)).info().id
      guard let (mine, theirs) = try Self.dumps(id: id) else { return }
      Self.expectSameBytes(mine, theirs)
      for (a, b) in zip(mine, theirs) {
        #expect(a["formatted"] != nil, "\(name): no formatted value")
        #expect(a["formatted"] as? NSDictionary == b["formatted"] as? NSDictionary, "\(name)")
      }
    }
    let lpmDump = try #require(try Self.ours(["map", "dump", "id", "\(try lpm.map.info().id)"]) as? [[String: Any]])
    let key = (lpmDump.first?["formatted"] as? [String: Any])?["key"] as? [String: Any]
    #expect(key?["prefixlen"] as? Int == 24)
    #expect(key?["addr"] as? Int == 0x0001_a8c0)

    // The text form: one line per entry, decoded.
    let text = try swiftbpf(["map", "dump", "id", "\(try hash.map.info().id)"])
    #expect(text.status == 0)
    #expect(text.stdout.contains("key: 7  value: 42\n"))
    #expect(text.stdout.contains("key: 4294967295  value: 18446744073709551615\n"))
  }

  @Test func listShowsTheMapsBpftoolLists() throws {
    var attributes = MapCreateAttributes(type: .lruHash, keySize: 8, valueSize: 16, maxEntries: 32, name: "smc_list")
    attributes.flags = MapFlags(rawValue: 2)  // BPF_F_NO_COMMON_LRU
    let a = try BPF.createMap(attributes)
    let b = try BPF.createMap(MapCreateAttributes(type: .array, keySize: 4, valueSize: 4, maxEntries: 3, name: "smc_list2"))
    let ids = [try BPF.mapInfo(a.borrowed).id, try BPF.mapInfo(b.borrowed).id]
    let mine = try #require(try Self.ours(["map", "list"]) as? [[String: Any]])
    guard let theirs = try Self.bpftool(["map", "list"]) as? [[String: Any]] else { return }
    for id in ids {
      let ours = try #require(mine.first { $0["id"] as? Int == Int(id) })
      let bpftool = try #require(theirs.first { $0["id"] as? Int == Int(id) })
      #expect(ours["name"] as? String == bpftool["name"] as? String)
      // bpftool prints the type without the kernel prefix, in lower case.
      #expect((ours["type"] as? String).map { String($0.dropFirst("BPF_MAP_TYPE_".count)).lowercased() } == bpftool["type"] as? String)
      #expect(ours["keySize"] as? Int == bpftool["bytes_key"] as? Int)
      #expect(ours["valueSize"] as? Int == bpftool["bytes_value"] as? Int)
      #expect(ours["maxEntries"] as? Int == bpftool["max_entries"] as? Int)
      #expect(ours["flags"] as? Int == bpftool["flags"] as? Int)
    }
    // Every map bpftool saw is in our list too (maps made since may be more).
    let ourIDs = Set(mine.compactMap { $0["id"] as? Int })
    let stable = theirs.compactMap { $0["id"] as? Int }.filter { ids.map(Int.init).contains($0) }
    #expect(stable.allSatisfy(ourIDs.contains))
  }

  @Test func dumpErrorsNameTheMap() throws {
    let ring = try BPF.createMap(MapCreateAttributes(type: .ringbuf, keySize: 0, valueSize: 0, maxEntries: 4096, name: "smc_ring"))
    let id = try BPF.mapInfo(ring.borrowed).id
    let run = try swiftbpf(["map", "dump", "id", "\(id)", "--json"])
    #expect(run.status == 1)
    let error = try #require(try jsonObject(run.stdout)["error"] as? [String: Any])
    #expect(error["kind"] as? String == "MapCommandError.notDumpable")
    #expect((error["message"] as? String)?.contains("map 'smc_ring' (id \(id))") == true)

    let missing = try swiftbpf(["map", "dump", "pinned", "/sys/fs/bpf/swiftbpf-no-such-map"])
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("/sys/fs/bpf/swiftbpf-no-such-map"))
    let bad = try swiftbpf(["map", "dump", "number", "3"])
    #expect(bad.status != 0)
    let byName = try swiftbpf(["map", "dump", "name", "smc_ring"])
    #expect(byName.stderr.contains("BPF_MAP_TYPE_RINGBUF"))
  }
}
