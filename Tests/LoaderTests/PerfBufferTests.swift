import Glibc
import Loader
import Syscall
import Testing
import TestSupport
import UAPI

/// Perf buffer: samples written by a raw tracepoint program run on each CPU
/// (`BPF_F_TEST_RUN_ON_CPU`) with `bpf_perf_event_output(BPF_F_CURRENT_CPU)`.
/// The program records the CPU it ran on (`bpf_get_smp_processor_id`) in the
/// sample, which is what the per-CPU delivery is checked against.
@Suite("PerfBuffer", .kernel, .serialized)
struct PerfBufferTests {
  static func perfArray(cpus: Int) throws -> OwnedFD {
    try BPF.createMap(MapCreateAttributes(type: .perfEventArray, keySize: 4, valueSize: 4,
                                          maxEntries: UInt32(cpus), name: "perf"))
  }

  static var cpuCount: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

  @Test func samplesArriveOnTheCPUThatWroteThem() throws {
    let cpus = Self.cpuCount
    let arrayFD = try Self.perfArray(cpus: cpus)
    let counters = try EventPrograms.counters()
    let program = try EventPrograms.perfProducer(perfArray: arrayFD, counters: counters)
    let perf = try PerfBuffer(map: arrayFD.borrowed, pageCount: 4)
    #expect(perf.cpus == Array(0..<cpus))
    var expected: [(cpu: Int, seq: UInt64)] = []
    var seq: UInt64 = 0
    for round in 0..<10 {
      for cpu in 0..<cpus {
        try EventPrograms.run(program, onCPU: cpu)
        expected.append((cpu, seq))
        seq += 1
      }
      _ = round
    }
    var got: [(ring: Int, cpu: UInt64, seq: UInt64, size: Int)] = []
    let n = try perf.poll(timeout: .seconds(1)) { cpu, data in
      got.append((cpu, data.unsafeLoadUnaligned(fromByteOffset: 8, as: UInt64.self),
                  data.unsafeLoadUnaligned(fromByteOffset: 0, as: UInt64.self), data.byteCount))
    }
    #expect(n == 10 * cpus)
    #expect(try EventPrograms.read(counters: counters)[1] == 0, "failed outputs")
    // Each sample came from the ring of the CPU the program ran on.
    #expect(got.allSatisfy { UInt64($0.ring) == $0.cpu })
    // 16 bytes of data, padded by the kernel so the u32 size plus data is 8-aligned: 20.
    #expect(got.allSatisfy { $0.size == 20 })
    for cpu in 0..<cpus {
      #expect(got.filter { $0.ring == cpu }.map(\.seq) == expected.filter { $0.cpu == cpu }.map(\.seq))
    }
    #expect(perf.lostSamples == 0)
  }

  @Test func floodedRingReportsLostSamples() throws {
    let arrayFD = try Self.perfArray(cpus: Self.cpuCount)
    let counters = try EventPrograms.counters()
    let program = try EventPrograms.perfProducer(perfArray: arrayFD, counters: counters)
    // One data page on CPU 0: a sample record takes 8 + 4 + 20 = 32 bytes,
    // so 128 fit; 1,000 without reading overflow it.
    let perf = try PerfBuffer(map: arrayFD.borrowed, pageCount: 1, cpus: [0])
    let produced = 1000
    for _ in 0..<produced { try EventPrograms.run(program, onCPU: 0) }
    var samples = 0
    var lostReported: UInt64 = 0
    try perf.consume({ _, _ in samples += 1 }, onLost: { _, count in lostReported += count })
    // The kernel writes PERF_RECORD_LOST once there is room again: one more sample.
    try EventPrograms.run(program, onCPU: 0)
    try perf.consume({ _, _ in samples += 1 }, onLost: { _, count in lostReported += count })
    let failedOutputs = try EventPrograms.read(counters: counters)[1]
    #expect(lostReported > 0)
    #expect(perf.lostSamples == lostReported)
    #expect(UInt64(samples) + lostReported == UInt64(produced + 1))
    // The helper itself reports each dropped sample as an error to the program.
    #expect(failedOutputs == lostReported)
  }

  @Test func eventsSequenceDeliversRecordsThatStraddleTheRingEnd() async throws {
    let arrayFD = try Self.perfArray(cpus: Self.cpuCount)
    let counters = try EventPrograms.counters()
    let program = try EventPrograms.perfProducer(perfArray: arrayFD, counters: counters, sampleSize: 24)
    // 24 data bytes: raw size 28 (u32 size + data padded to 8), record
    // 8 + 4 + 28 = 40 bytes. In a 4096-byte ring, record k starts at
    // 40k mod 4096 and straddles the end when that is above 4056.
    let perf = try PerfBuffer(map: arrayFD.borrowed, pageCount: 1, cpus: [0])
    let total = 300
    let straddling = (0..<total).filter { ($0 * 40) % 4096 > 4096 - 40 }
    #expect(straddling.count >= 2)
    let programFD = program.rawValue
    let producer = Task.detached {
      for _ in 0..<total {
        var attributes = BPF.TestRunAttributes(
          program: BorrowedFD(programFD), context: [UInt8](repeating: 0, count: 8), repeatCount: 0)
        attributes.flags = 1
        attributes.cpu = 0
        _ = try BPF.testRun(attributes)
        try await Task.sleep(for: .microseconds(200))
      }
    }
    var records: [[UInt64]] = []
    var lost: UInt64 = 0
    for try await event in perf.events {
      switch event {
      case .sample(let cpu, let data):
        #expect(cpu == 0)
        #expect(data.count == 28)
        records.append(data.withUnsafeBytes { raw in
          (0..<3).map { raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self) }
        })
      case .lost(_, let count):
        lost += count
      }
      if UInt64(records.count) + lost >= UInt64(total) { break }
    }
    try await producer.value
    #expect(lost == 0)
    #expect(records.map { $0[0] } == Array(0..<UInt64(total)))
    #expect(records.allSatisfy { $0[1] == 0 && $0[2] == $0[0] << 16 | 2 })
    perf.close()
    // Closed: the map slot is empty again, so the program's output fails.
    try EventPrograms.run(program, onCPU: 0)
    #expect(try EventPrograms.read(counters: counters)[1] == 1)
  }

  @Test func rejectsBadPageCountAndWrongMap() throws {
    let arrayFD = try Self.perfArray(cpus: Self.cpuCount)
    #expect(throws: EventError.self) { _ = try PerfBuffer(map: arrayFD.borrowed, pageCount: 3) }
    let ring = try EventPrograms.ringBuffer(size: 4096)
    #expect(throws: EventError.self) { _ = try PerfBuffer(map: ring.borrowed) }
  }
}
