import Foundation
import Glibc
import Loader
import Logging
import Syscall
import Testing
import TestSupport
import UAPI

/// Releasing, pinning and privileges, in the running kernel.
@Suite(.kernel, .serialized) struct LoaderLifecycleKernelTests {
  @Test func twoHundredLoadsLeakNoDescriptors() throws {
    // Warm the process-wide caches (kernel BTF, config, symbols, probes) first.
    try KernelSupport.load("globals.bpf.o").close()
    let before = openDescriptorCount()
    var mapIDs = Set<UInt32>(), programIDs = Set<UInt32>()
    for i in 0 ..< 200 {
      let fixture = i % 2 == 0 ? "programs.bpf.o" : "globals.bpf.o"
      let loaded = try KernelSupport.load(fixture)
      #expect(!loaded.programs.isEmpty)
      for map in loaded.maps { mapIDs.insert(try map.info().id) }
      for program in loaded.programs { programIDs.insert(try program.info().id) }
      if i % 3 == 0 { loaded.close() }  // explicit close and plain drop both release
    }
    // No descriptor of this process refers to any map or program loaded
    // above (the kernel's /proc/self/fdinfo names each BPF fd's id) ...
    let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fdinfo")) ?? []
    for fd in fds {
      guard let info = try? String(contentsOfFile: "/proc/self/fdinfo/\(fd)", encoding: .utf8) else { continue }
      for line in info.split(separator: "\n") {
        let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let id = UInt32(parts[1]) else { continue }
        #expect(!(parts[0] == "map_id" && mapIDs.contains(id)), "fd \(fd) still holds map \(id)")
        #expect(!(parts[0] == "prog_id" && programIDs.contains(id)), "fd \(fd) still holds program \(id)")
      }
    }
    #expect(mapIDs.count >= 200 && programIDs.count >= 200)
    // ... and the count is back where it was (other suites run in parallel
    // and open files of their own, so only a per-load leak, which would show
    // as hundreds, is told from their noise).
    #expect(abs(openDescriptorCount() - before) < 20, "\(before) -> \(openDescriptorCount())")
  }

  @Test func pinnedMapReusedAcrossOpensAndMismatchRefused() throws {
    let pins = try KernelSupport.bpffsDirectory()
    defer { KernelSupport.removeBPFFSDirectory(pins) }
    let first = try KernelSupport.load("maps.bpf.o", pinRoot: pins)
    let pinned = try #require(first.map(named: "pinned_counts"))
    #expect(pinned.isReused == false)
    #expect(FileManager.default.fileExists(atPath: "\(pins)/pinned_counts"))
    let id = try pinned.info().id
    // A value written through the first load is seen by the second.
    var key: UInt32 = 3
    var value: UInt64 = 0xabcdef
    try pinned.withFD { fd in
      try withUnsafePointer(to: &key) { k in try withUnsafePointer(to: &value) { v in try BPF.update(map: fd, key: k, value: v) } }
    }
    first.close()
    let second = try KernelSupport.load("maps.bpf.o", pinRoot: pins)
    defer { second.close() }
    let reused = try #require(second.map(named: "pinned_counts"))
    #expect(reused.isReused)
    #expect(try reused.info().id == id)
    var read: UInt64 = 0
    let found = try reused.withFD { fd in
      try withUnsafePointer(to: &key) { k in try withUnsafeMutablePointer(to: &read) { v in try BPF.lookup(map: fd, key: k, value: v) } }
    }
    #expect(found && read == 0xabcdef)
    // Same name, different max_entries: refused with what differs.
    let error = try #require(loadError {
      _ = try KernelSupport.load("maps.bpf.o", pinRoot: pins) { try $0.withMap("pinned_counts") { $0.maxEntries = 32 } }
    })
    guard case .pinnedMapIncompatible(let map, let path, let differences) = error else {
      Issue.record("unexpected \(error)")
      return
    }
    #expect(map == "pinned_counts" && path == "\(pins)/pinned_counts")
    #expect(differences == ["max entries 16 vs 32"])
  }

  @Test func withoutPrivilegesTheErrorSaysWhatToDo() throws {
    let log = LogCapture()
    let outcome = KernelSupport.onUnprivilegedThread { () -> String in
      do {
        _ = try Object.open(path: Fixture.object("programs.bpf.o").path, options: OpenOptions(logger: log.logger)).load()
        return "loaded"
      } catch let error as LoadError {
        guard case .mapCreation(let map, let syscall) = error else { return "other: \(error)" }
        return "\(map)|\(syscall.errno?.name ?? "")|\(error)"
      } catch {
        return "other: \(error)"
      }
    }
    let text = try #require(outcome, "could not drop privileges on a thread")
    let parts = text.split(separator: "|", maxSplits: 2).map(String.init)
    try #require(parts.count == 3, "\(text)")
    #expect(parts[0] == "jump_table")
    #expect(parts[1] == "EPERM")
    #expect(parts[2].contains("CAP_BPF"))
    // The BTF upload came first and fell back (refused with EPERM, or no
    // BTF at all if the probes ran unprivileged first): a warning.
    #expect(log.records.contains { $0.level == .warning && $0.message.contains("BTF") }, "\(log.records)")
  }

  @Test func mapOperationsOnEveryCreatedType() throws {
    let pins = try KernelSupport.bpffsDirectory()
    defer { KernelSupport.removeBPFFSDirectory(pins) }
    let loaded = try KernelSupport.load("maps.bpf.o", pinRoot: pins)
    defer { loaded.close() }
    // What the kernel reports matches the header (maps.bpf.c).
    for (name, type, key, value, max, flags) in MapCreationTests.expected {
      let info = try #require(loaded.map(named: name)).info()
      #expect(info.type == type && info.keySize == key && info.valueSize == value, "\(name)")
      #expect(info.maxEntries == max && info.flags.rawValue == flags, "\(name)")
    }
    #expect(try loaded.map(named: "perf_events")?.info().maxEntries == UInt32(try KernelSupport.possibleCPUs()))
    #expect(try loaded.map(named: "bloom_map")?.info().mapExtra == 3)

    // Hash: update, lookup, iterate, delete.
    let hash = try #require(loaded.map(named: "hash_map")?.borrowedFD)
    for k in UInt32(1) ... 3 { try update(hash, k, UInt64(k) * 10) }
    #expect(try lookup(hash, UInt32(2), as: UInt64.self) == 20)
    var keys = [UInt32]()
    var cursor: UInt32? = nil
    while true {
      var next: UInt32 = 0
      let more = try withUnsafeMutablePointer(to: &next) { n in
        if var c = cursor { return try withUnsafePointer(to: &c) { try BPF.nextKey(map: hash, after: $0, into: n) } }
        return try BPF.nextKey(map: hash, after: nil, into: n)
      }
      if !more { break }
      keys.append(next)
      cursor = next
    }
    #expect(keys.sorted() == [1, 2, 3])
    var two: UInt32 = 2
    #expect(try withUnsafePointer(to: &two) { try BPF.delete(map: hash, key: $0) })
    #expect(try lookup(hash, UInt32(2), as: UInt64.self) == nil)

    // Per-CPU array: one 8-byte slot per possible CPU.
    let percpu = try #require(loaded.map(named: "percpu_array")?.borrowedFD)
    let cpus = try KernelSupport.possibleCPUs()
    var values = (0 ..< cpus).map { UInt64($0 + 100) }
    var zero: UInt32 = 0
    try withUnsafePointer(to: &zero) { k in try values.withUnsafeBytes { try BPF.update(map: percpu, key: k, value: $0.baseAddress!) } }
    var back = [UInt64](repeating: 0, count: cpus)
    _ = try withUnsafePointer(to: &zero) { k in try back.withUnsafeMutableBytes { try BPF.lookup(map: percpu, key: k, value: $0.baseAddress!) } }
    #expect(back == values)
    values.removeAll()

    // Queue: FIFO; stack: LIFO (key-less push and pop).
    for (name, order) in [("queue_map", [UInt32(1), 2, 3]), ("stack_map", [UInt32(3), 2, 1])] {
      let fd = try #require(loaded.map(named: name)?.borrowedFD)
      for v in UInt32(1) ... 3 {
        var x = v
        try withUnsafePointer(to: &x) { try BPF.update(map: fd, key: nil, value: $0) }
      }
      var popped = [UInt32]()
      var out: UInt32 = 0
      while try withUnsafeMutablePointer(to: &out, { try BPF.lookupAndDelete(map: fd, key: nil, value: $0) }) {
        popped.append(out)
      }
      #expect(popped == order, "\(name)")
    }

    // LPM trie: the longest matching prefix wins.
    let lpm = try #require(loaded.map(named: "lpm_trie")?.borrowedFD)
    func lpmKey(_ prefix: UInt32, _ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> [UInt8] {
      le32(prefix) + [a, b, c, d]
    }
    try updateBytes(lpm, lpmKey(8, 10, 0, 0, 0), le32(8))
    try updateBytes(lpm, lpmKey(24, 10, 1, 2, 0), le32(24))
    #expect(try lookupBytes(lpm, lpmKey(32, 10, 1, 2, 3), count: 4) == le32(24))
    #expect(try lookupBytes(lpm, lpmKey(32, 10, 9, 9, 9), count: 4) == le32(8))

    // Array of maps: slot 0 holds inner_a (lookup gives the inner map's id).
    let outer = try #require(loaded.map(named: "outer_array")?.borrowedFD)
    let innerID = try #require(loaded.map(named: "inner_a")).info().id
    #expect(try lookup(outer, UInt32(0), as: UInt32.self) == innerID)
    let outerHash = try #require(loaded.map(named: "outer_hash")?.borrowedFD)
    #expect(try lookup(outerHash, UInt32(1), as: UInt32.self) == (try #require(loaded.map(named: "inner_b")).info().id))

    // Batch: read back the hash in one call.
    var batchKeys = [UInt32](repeating: 0, count: 8)
    var batchValues = [UInt64](repeating: 0, count: 8)
    var outBatch: UInt32 = 0
    let result = try batchKeys.withUnsafeMutableBytes { k in
      try batchValues.withUnsafeMutableBytes { v in
        try withUnsafeMutablePointer(to: &outBatch) { o in
          try BPF.lookupBatch(map: hash, inBatch: nil, outBatch: o, keys: k.baseAddress!, values: v.baseAddress!, count: 8)
        }
      }
    }
    #expect(result.count == 2 && result.done)
    #expect(Set(batchKeys.prefix(2)) == [1, 3] && Set(batchValues.prefix(2)) == [10, 30])
  }

  func update<K, V>(_ fd: BorrowedFD, _ key: K, _ value: V) throws {
    var k = key, v = value
    try withUnsafePointer(to: &k) { kp in try withUnsafePointer(to: &v) { try BPF.update(map: fd, key: kp, value: $0) } }
  }

  func lookup<K, V>(_ fd: BorrowedFD, _ key: K, as: V.Type) throws -> V? where V: FixedWidthInteger {
    var k = key
    var v = V.zero
    let found = try withUnsafePointer(to: &k) { kp in try withUnsafeMutablePointer(to: &v) { try BPF.lookup(map: fd, key: kp, value: $0) } }
    return found ? v : nil
  }

  func updateBytes(_ fd: BorrowedFD, _ key: [UInt8], _ value: [UInt8]) throws {
    try key.withUnsafeBytes { k in try value.withUnsafeBytes { try BPF.update(map: fd, key: k.baseAddress, value: $0.baseAddress!) } }
  }

  func lookupBytes(_ fd: BorrowedFD, _ key: [UInt8], count: Int) throws -> [UInt8]? {
    var out = [UInt8](repeating: 0, count: count)
    let found = try key.withUnsafeBytes { k in try out.withUnsafeMutableBytes { try BPF.lookup(map: fd, key: k.baseAddress, value: $0.baseAddress!) } }
    return found ? out : nil
  }
}
