import Foundation
import Loader
import Testing
import TestSupport

/// `typed_ringbuf.bpf.o` on the kernel: a ring buffer declared with
/// `__type(value, struct typed_event)`. Expected values come from its C
/// source (Fixtures/src/typed_ringbuf.bpf.c, Fixtures/include/typed_event.h):
/// seq from 0 upward, pid 4242, kind 0x7e57, comm "typed"; the record's size
/// from a host C program compiled with `cc` from the same header.
@Suite("RingBuffer: typed records from typed_ringbuf.bpf.o", .kernel, .serialized)
struct TypedRingBufferKernelTests {
  /// Swift's layout of `struct typed_event`.
  struct TypedEvent: BitwiseCopyable {
    var seq: UInt64
    var pid: UInt32
    var kind: UInt32
    var comm: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
               UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)
    var commString: String {
      withUnsafeBytes(of: comm) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
    }
  }

  /// `sizeof(struct typed_event)` as the host C compiler sees the header.
  static func cSize() throws -> Int {
    let cc = try #require(Toolchain.systemTool("cc"), "no host C compiler")
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swiftbpf-typed-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let source = dir.appendingPathComponent("size.c")
    let binary = dir.appendingPathComponent("size")
    try """
      #include <stdio.h>
      #include "typed_event.h"
      int main(void) { printf("%zu\\n", sizeof(struct typed_event)); return 0; }
      """.write(to: source, atomically: true, encoding: .utf8)
    let include = Fixture.directory.appendingPathComponent("include").path
    let compiled = try runTool(cc, ["-I", include, source.path, "-o", binary.path])
    try #require(compiled.status == 0, "cc failed")
    let printed = try runTool(binary.path, [])
    return try #require(Int(printed.output.trimmingCharacters(in: .whitespacesAndNewlines)))
  }

  static func load(requested: UInt32) throws -> LoadedObject {
    var object = try Object.open(path: Fixture.object("typed_ringbuf.bpf.o").path)
    try object.setVariable("requested", to: requested)
    return try object.load()
  }

  @Test func theMapIsCreatedWithSizeZeroAndKeepsItsDeclaredRecordType() throws {
    let loaded = try Self.load(requested: 1)
    defer { loaded.close() }
    let map = try #require(loaded.map(named: "typed_events"))
    // The kernel's answer: a ring buffer has key and value size 0.
    let info = try map.info()
    #expect(info.type == .ringbuf)
    #expect(info.keySize == 0 && info.valueSize == 0)
    #expect(info.maxEntries == 65536)
    // The declaration the object keeps, sized as the host compiler sizes it.
    let record = try #require(map.recordType)
    #expect(record.name == "struct typed_event")
    #expect(record.size == (try Self.cSize()))
    #expect(record.size == MemoryLayout<TypedEvent>.size)
  }

  @Test(.timeLimit(.minutes(1)))
  func typedEventsCarryWhatTheProgramWrote() async throws {
    let count = 100
    let loaded = try Self.load(requested: UInt32(count))
    defer { loaded.close() }
    let ring = try RingBuffer(map: try #require(loaded.map(named: "typed_events")))
    defer { ring.close() }
    #expect(try KernelSupport.run(loaded, "emit_typed") == 0)
    var seqs: [UInt64] = []
    for try await event in try ring.events(of: TypedEvent.self) {
      #expect(event.pid == 4242)
      #expect(event.kind == 0x7e57)
      #expect(event.commString == "typed")
      seqs.append(event.seq)
      if seqs.count == count { break }
    }
    #expect(seqs == (0..<UInt64(count)).map { $0 })

    // A second run, read as one zero-copy batch: seq goes on from 100.
    #expect(try KernelSupport.run(loaded, "emit_typed") == 0)
    var batches = ring.batches.makeAsyncIterator()
    let batch = try #require(try await batches.next())
    #expect(batch.count == count)
    var next = UInt64(count)
    try batch.forEach(as: TypedEvent.self) { event in
      #expect(event.seq == next && event.pid == 4242)
      next += 1
    }
    #expect(next == UInt64(2 * count))
  }

  @Test func aSwiftTypeOfAnotherSizeIsRefused() throws {
    let loaded = try Self.load(requested: 1)
    defer { loaded.close() }
    let ring = try RingBuffer(map: try #require(loaded.map(named: "typed_events")))
    defer { ring.close() }
    #expect(throws: EventError.recordTypeMismatch(buffer: "map typed_events", swiftType: "UInt64", swiftSize: 8,
                                                  declaredType: "struct typed_event", declaredSize: 32)) {
      try ring.events(of: UInt64.self)
    }
  }
}
