import Foundation
import Syscall
import Testing
import TestSupport
import UAPI
@testable import Loader

/// Typed maps on the kernel. What Swift writes is read by something that is
/// not our code: a BPF program the kernel runs (`BPF_PROG_TEST_RUN`) and
/// `bpftool map dump`; what a BPF program writes is read by Swift.
@Suite(.kernel) struct TypedMapKernelTests {
  static func map(_ type: MapType, key: UInt32, value: UInt32, entries: UInt32, name: String,
                  flags: MapFlags = []) throws -> LoadedObject.Map {
    var attributes = MapCreateAttributes(type: type, keySize: key, valueSize: value, maxEntries: entries, name: name)
    attributes.flags = flags
    return LoadedObject.Map.adopting(try BPF.createMap(attributes), name: name, type: type, keySize: key,
                                     valueSize: value, maxEntries: entries)
  }

  /// A socket filter that looks up u32 `key` in `map` (u32 → u64) and
  /// returns the value's low 32 bits, or 0xdead when absent.
  static func reader(_ map: LoadedObject.Map, key: Int32) throws -> OwnedFD {
    try map.withFD { fd in
      var a = Assembler()
      a.emit(A.st32(.framePointer, offset: -4, key))
      a.emit(.loadImmediate64(.r1, Int64(fd.rawValue), pseudo: .mapFD))
      a.emit(A.movReg(.r2, .framePointer))
      a.emit(A.add(.r2, -4))
      a.emit(.call(helper: EventPrograms.Helper.mapLookupElement))
      a.jump(A.jneImm, .r0, 0, to: "found")
      a.emit(A.mov(.r0, 0xdead))
      a.emit(.exit)
      a.label("found")
      a.emit(A.ldx64(.r0, .r0, offset: 0))
      a.emit(.exit)
      return try BPF.loadProgram(ProgramLoadAttributes(
        type: .socketFilter, instructions: a.finish(), license: "GPL", name: "tm_reader"))
    }
  }

  /// A socket filter that stores `value` under u32 `key` in `map` (u32 → u64).
  static func writer(_ map: LoadedObject.Map, key: Int32, value: Int32) throws -> OwnedFD {
    try map.withFD { fd in
      var a = Assembler()
      a.emit(A.st32(.framePointer, offset: -4, key))
      a.emit(A.mov(.r1, value))
      a.emit(A.stx64(.framePointer, .r1, offset: -16))
      a.emit(.loadImmediate64(.r1, Int64(fd.rawValue), pseudo: .mapFD))
      a.emit(A.movReg(.r2, .framePointer))
      a.emit(A.add(.r2, -4))
      a.emit(A.movReg(.r3, .framePointer))
      a.emit(A.add(.r3, -16))
      a.emit(A.mov(.r4, 0))
      a.emit(.call(helper: 2))  // bpf_map_update_elem
      a.emit(A.mov(.r0, 0))
      a.emit(.exit)
      return try BPF.loadProgram(ProgramLoadAttributes(
        type: .socketFilter, instructions: a.finish(), license: "GPL", name: "tm_writer"))
    }
  }

  static func run(_ program: borrowing OwnedFD) throws -> UInt32 {
    var attributes = BPF.TestRunAttributes(program: program.borrowed, data: [UInt8](repeating: 0, count: 64))
    attributes.dataOutCapacity = 0
    return try BPF.testRun(attributes).returnValue
  }

  /// `bpftool map dump id N -j` as (key bytes, value bytes) or, per CPU,
  /// (key bytes, [value bytes per CPU]).
  static func bpftoolDump(_ map: LoadedObject.Map) throws -> [(key: [UInt8], values: [[UInt8]])]? {
    guard let bpftool = Toolchain.systemTool("bpftool") else {
      if TestEnvironment.mustNotSkip { Issue.record("bpftool is missing") }
      return nil
    }
    let id = try map.info().id
    let run = try runTool(bpftool, ["map", "dump", "id", "\(id)", "-j"])
    try #require(run.status == 0)
    let json = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [[String: Any]])
    func bytes(_ any: Any?) -> [UInt8] {
      ((any as? [String]) ?? []).compactMap { UInt8($0.dropFirst(2), radix: 16) }
    }
    return json.map { entry in
      if let perCPU = entry["values"] as? [[String: Any]] {
        return (bytes(entry["key"]), perCPU.map { bytes($0["value"]) })
      }
      return (bytes(entry["key"]), [bytes(entry["value"])])
    }
  }

  static func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }

  @Test func swiftWritesAProgramReadsAndTheOtherWay() throws {
    let handle = try Self.map(.hash, key: 4, value: 8, entries: 16, name: "tm_hash")
    defer { handle.close() }
    let map = try TypedMap<UInt32, UInt64>(handle)
    try map.update(7, 0x1234_5678)
    let reader = try Self.reader(handle, key: 7)
    #expect(try Self.run(reader) == 0x1234_5678)
    let missing = try Self.reader(handle, key: 8)
    #expect(try Self.run(missing) == 0xdead)
    #expect(try map.lookup(8) == nil)
    let writer = try Self.writer(handle, key: 8, value: 4242)
    #expect(try Self.run(writer) == 0)
    #expect(try map.lookup(8) == 4242)
  }

  @Test func entriesEqualBpftoolsDump() throws {
    let handle = try Self.map(.hash, key: 4, value: 8, entries: 256, name: "tm_dump")
    defer { handle.close() }
    let map = try TypedMap<UInt32, UInt64>(handle)
    for k in UInt32(0)..<100 { try map.update(k * 3, UInt64(k) << 32 | UInt64(k)) }
    guard let dump = try Self.bpftoolDump(handle) else { return }
    let ours = try map.collectEntries().map { (Self.le($0.key), Self.le($0.value)) }
    #expect(ours.count == 100)
    #expect(Set(ours.map { $0.0 + $0.1 }) == Set(dump.map { $0.key + ($0.values.first ?? []) }))
  }

  @Test func perCPUValuesMatchBpftool() throws {
    let handle = try Self.map(.percpuArray, key: 4, value: 4, entries: 2, name: "tm_pcpu")
    defer { handle.close() }
    let map = try PerCPUMap<UInt32, UInt32>(handle)
    let cpus = try KernelSupport.possibleCPUs()
    #expect(map.cpuCount == cpus)
    try map.update(1, (0..<cpus).map { UInt32($0 * 10 + 1) })
    #expect(try map.lookup(1) == (0..<cpus).map { UInt32($0 * 10 + 1) })
    guard let dump = try Self.bpftoolDump(handle) else { return }
    let entry = try #require(dump.first { $0.key == Self.le(UInt32(1)) })
    #expect(entry.values == (0..<cpus).map { Self.le(UInt32($0 * 10 + 1)) })
  }

  /// 100,000 entries: the walk visits every key exactly once.
  @Test func hundredThousandKeysIterateCompletely() throws {
    let handle = try Self.map(.hash, key: 4, value: 8, entries: 100_000, name: "tm_big")
    defer { handle.close() }
    let map = try TypedMap<UInt32, UInt64>(handle)
    for k in UInt32(0)..<100_000 { try map.update(k &* 2_654_435_761, UInt64(k)) }
    var seen = Set<UInt32>()
    var visits = 0
    for key in map.keys {
      visits += 1
      seen.insert(key)
    }
    #expect(visits == 100_000)
    #expect(seen.count == 100_000)
    #expect(seen == Set((0..<100_000).map { UInt32($0) &* 2_654_435_761 }))
  }

  /// An LRU hash keeps at most its size: inserting four times as many keys
  /// evicts old ones, and the newest is there.
  @Test func lruHashEvicts() throws {
    let handle = try Self.map(.lruHash, key: 4, value: 8, entries: 64, name: "tm_lru")
    defer { handle.close() }
    let map = try TypedMap<UInt32, UInt64>(handle)
    for k in UInt32(0)..<256 { try map.update(k, UInt64(k)) }
    let keys = try map.collectKeys()
    #expect(keys.count <= 64)
    #expect(keys.count < 256, "old keys were evicted")
    #expect(try map.lookup(255) == 255)
  }

  @Test func sizeMismatchOnARealMap() throws {
    let handle = try Self.map(.hash, key: 4, value: 8, entries: 4, name: "tm_size")
    defer { handle.close() }
    #expect(throws: MapError.sizeMismatch(map: "tm_size", part: .value, swiftType: "UInt16", swiftSize: 2, mapSize: 8)) {
      try TypedMap<UInt32, UInt16>(handle)
    }
  }
}
