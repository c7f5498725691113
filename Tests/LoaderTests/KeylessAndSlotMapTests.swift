import Syscall
import Testing
import TestSupport
import UAPI
@testable import Loader

/// Queues, stacks, bloom filters, program arrays and maps of maps: over the
/// fake kernel (no root) and on the kernel (its answers are the reference).
@Suite struct KeylessAndSlotMapTests {
  static func fakeMap(_ kernel: FakeKernel, _ type: MapType, value: UInt32, entries: UInt32, name: String) throws
    -> LoadedObject.Map
  {
    let fd = try kernel.createMap(MapCreateAttributes(type: type, keySize: 0, valueSize: value,
                                                      maxEntries: entries, name: name))
    return LoadedObject.Map.adopting(fd, name: name, type: type, keySize: 0, valueSize: value,
                                     maxEntries: entries, kernel: kernel)
  }

  static func kernelMap(_ type: MapType, key: UInt32 = 0, value: UInt32, entries: UInt32, name: String,
                        inner: MapCreateAttributes? = nil) throws -> LoadedObject.Map {
    var attributes = MapCreateAttributes(type: type, keySize: key, valueSize: value, maxEntries: entries, name: name)
    var template: OwnedFD? = nil
    if let inner {
      template = try BPF.createMap(inner)
      attributes.innerMapFD = template?.borrowed
    }
    let fd = try BPF.createMap(attributes)
    _ = consume template
    return LoadedObject.Map.adopting(fd, name: name, type: type, keySize: key, valueSize: value, maxEntries: entries)
  }

  /// Queue: first in, first out; stack: last in, first out; full: E2BIG
  /// unless the oldest may go.
  static func exerciseQueueAndStack(queue: QueueMap<UInt64>, stack: QueueMap<UInt64>) throws {
    for v in UInt64(1)...3 {
      try queue.push(v)
      try stack.push(v)
    }
    #expect(try queue.peek() == 1)
    #expect(try stack.peek() == 3)
    #expect(try queue.pop() == 1)
    #expect(try stack.pop() == 3)
    try queue.push(4)
    #expect(throws: MapError.self, "full") { try queue.push(5) }
    try queue.push(5, replacingOldest: true)
    #expect(try [queue.pop(), queue.pop(), queue.pop(), queue.pop()] == [3, 4, 5, nil])
    #expect(try [stack.pop(), stack.pop(), stack.pop()] == [2, 1, nil])
  }

  @Test func queueAndStackOverTheFake() throws {
    let kernel = FakeKernel()
    try Self.exerciseQueueAndStack(
      queue: QueueMap(Self.fakeMap(kernel, .queue, value: 8, entries: 3, name: "q")),
      stack: QueueMap(Self.fakeMap(kernel, .stack, value: 8, entries: 3, name: "s")))
  }

  @Test(.kernel) func queueAndStackOnTheKernel() throws {
    let queue = try Self.kernelMap(.queue, value: 8, entries: 3, name: "tq_queue")
    let stack = try Self.kernelMap(.stack, value: 8, entries: 3, name: "tq_stack")
    defer { queue.close(); stack.close() }
    try Self.exerciseQueueAndStack(queue: QueueMap(queue), stack: QueueMap(stack))
  }

  @Test(.kernel) func bloomFilterOnTheKernel() throws {
    let handle = try Self.kernelMap(.bloomFilter, value: 8, entries: 1000, name: "tq_bloom")
    defer { handle.close() }
    let bloom = try BloomFilter<UInt64>(handle)
    for v in UInt64(0)..<100 { try bloom.insert(v * 7) }
    for v in UInt64(0)..<100 { #expect(try bloom.mayContain(v * 7), "never a false negative") }
    // 1000 bits per 100 values: most values never added are reported absent.
    let falsePositives = try (UInt64(0)..<1000).filter { try bloom.mayContain(1_000_000 + $0) }.count
    #expect(falsePositives < 500)
    #expect(throws: MapError.self) { try QueueMap<UInt64>(handle) }
  }

  @Test(.kernel) func programArraySlotsAreTailCallTargets() throws {
    // programs.bpf.c: xdp_dispatch tail-calls jump_table[first byte];
    // xdp_pass returns 2 (XDP_PASS), xdp_drop 1; an empty slot falls
    // through to 0.
    let loaded = try KernelSupport.load("programs.bpf.o")
    defer { loaded.close() }
    let table = try ProgramArray(try #require(loaded.map(named: "jump_table")))
    let pass = try #require(loaded.program(named: "xdp_pass"))
    func packet(_ first: UInt8) -> [UInt8] { [first] + [UInt8](repeating: 0, count: 63) }
    try table.set(2, to: pass)
    #expect(try KernelSupport.run(loaded, "xdp_dispatch", data: packet(2)) == 2)
    #expect(try table.clear(2))
    #expect(try KernelSupport.run(loaded, "xdp_dispatch", data: packet(2)) == 0)
    #expect(try !table.clear(2), "already empty")
  }

  @Test(.kernel) func mapOfMapsHoldsInnerMaps() throws {
    let template = MapCreateAttributes(type: .array, keySize: 4, valueSize: 8, maxEntries: 1, name: "tq_tmpl")
    let outer = try Self.kernelMap(.arrayOfMaps, key: 4, value: 4, entries: 4, name: "tq_outer", inner: template)
    let inner = try Self.kernelMap(.array, key: 4, value: 8, entries: 1, name: "tq_inner")
    let wrong = try Self.kernelMap(.hash, key: 4, value: 8, entries: 1, name: "tq_wrong")
    defer { outer.close(); inner.close(); wrong.close() }
    let maps = try MapOfMaps(outer)
    try maps.set(1, to: inner)
    // Kernel: user space reads an inner map back as its id.
    #expect(try maps.innerMapID(1) == (try inner.info().id))
    #expect(try maps.innerMapID(2) == nil, "an empty slot is not found (ENOENT)")
    #expect(throws: MapError.self, "a map unlike the template is refused") { try maps.set(2, to: wrong) }
    inner.close()
    #expect(throws: MapError.closed(map: "tq_inner")) { try maps.set(3, to: inner) }
  }
}
