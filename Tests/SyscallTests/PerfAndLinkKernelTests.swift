import Foundation
import Glibc
import Testing
import TestSupport
import UAPI
@testable import Syscall

/// perf events, links, epoll and ring buffers against the running kernel.
@Suite(.kernel) struct PerfAndLinkKernelTests {
  typealias H = KernelHelpers

  func cpuClock(period: UInt64 = 100_000) throws -> OwnedFD {
    var attributes = PerfEventAttributes(type: PerfEventAttributes.typeSoftware,
                                         config: PerfEventAttributes.softwareCPUClock)
    attributes.samplePeriodOrFrequency = period  // ns of CPU time
    attributes.flags = [.disabled]
    return try PerfEvent.open(attributes, pid: 0, cpu: -1)
  }

  func perfEventProgram() throws -> OwnedFD {
    try BPF.loadProgram(ProgramLoadAttributes(type: .perfEvent, instructions: returnProgram(0),
                                              license: "GPL", name: "swbpf_perf"))
  }

  /// Burns CPU time on this thread so cpu-clock samples fire.
  func spin(milliseconds: Int) {
    let end = Date().addingTimeInterval(Double(milliseconds) / 1000)
    var x: UInt64 = 1
    while Date() < end { for _ in 0..<10_000 { x = x &* 6364136223846793005 &+ 1 } }
    #expect(x != 0)
  }

  @Test func softwareEventCountsAndHasID() throws {
    let event = try cpuClock()
    #expect(event.rawValue > 2)
    #expect(fcntl(event.rawValue, F_GETFD) & FD_CLOEXEC != 0)
    #expect(try PerfEvent.id(event.borrowed) > 0)
    try PerfEvent.enable(event.borrowed)
    spin(milliseconds: 20)
    try PerfEvent.disable(event.borrowed)
    let count = try PerfEvent.readCount(event.borrowed)
    #expect(count > 0, "cpu-clock counted \(count) ns over 20 ms of spinning")
  }

  @Test func setBPFRunsPerfEventProgram() throws {
    let stats = try BPF.enableStats()
    let event = try cpuClock()
    let program = try perfEventProgram()
    try PerfEvent.setBPF(event.borrowed, program: program.borrowed)
    try PerfEvent.enable(event.borrowed)
    spin(milliseconds: 50)
    try PerfEvent.disable(event.borrowed)
    let runs = try BPF.programInfo(program.borrowed).runCount
    #expect(runs > 0, "the perf_event program never ran")
    try stats.close()
  }

  @Test func perfEventLinkWithCookie() throws {
    let event = try cpuClock()
    let program = try perfEventProgram()
    let link = try BPF.createLink(LinkCreateAttributes(
      program: program.borrowed, target: .fd(event.borrowed), attachType: .perfEvent,
      details: .perfEvent(cookie: 0x5eed)))
    let info = try BPF.linkInfo(link.borrowed)
    #expect(info.type == .perfEvent)
    #expect(info.programID == (try BPF.programInfo(program.borrowed).id))
    // Kernel: BPF_PERF_EVENT_EVENT (6) for a plain perf event, with its cookie.
    #expect(info.details == .perfEvent(type: 6, name: "", cookie: 0x5eed))
  }

  @Test func unknownPMUTypeIsTypedError() throws {
    let attributes = PerfEventAttributes(type: 0x7fff_fff0, config: 0)
    do {
      _ = try PerfEvent.open(attributes, pid: 0, cpu: -1)
      Issue.record("opened a perf event of a nonexistent PMU")
    } catch {
      #expect(error.operation == .perfEventOpen)
      #expect(error.errno == .ENOENT)
      #expect(error.hint?.contains("PMU") == true)
    }
  }

  func skLookup(_ value: Int32) throws -> OwnedFD {
    var attributes = ProgramLoadAttributes(type: .skLookup, instructions: returnProgram(value),
                                           license: "GPL", name: "swbpf_sklookup")
    attributes.expectedAttachType = .skLookup
    return try BPF.loadProgram(attributes)
  }

  /// sk_lookup on this network namespace: a link needing no devices or setup.
  @Test func netnsLinkCreateUpdateDetach() throws {
    let nsRaw = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)
    try #require(nsRaw >= 0)
    let netns = OwnedFD(unchecked: nsRaw)
    var st = stat()
    try #require(fstat(netns.rawValue, &st) == 0)

    let first = try skLookup(1)  // SK_PASS
    let second = try skLookup(1)
    let link = try BPF.createLink(LinkCreateAttributes(
      program: first.borrowed, target: .fd(netns.borrowed), attachType: .skLookup))
    let info = try BPF.linkInfo(link.borrowed)
    #expect(info.type == .netns)
    #expect(info.details == .netns(inode: UInt32(truncatingIfNeeded: st.st_ino), attachType: .skLookup))

    try BPF.updateLink(link.borrowed, newProgram: second.borrowed, oldProgram: first.borrowed)
    let secondID = try BPF.programInfo(second.borrowed).id
    #expect(try BPF.linkInfo(link.borrowed).programID == secondID)
    // Replacing a program that is no longer there fails.
    do {
      try BPF.updateLink(link.borrowed, newProgram: first.borrowed, oldProgram: first.borrowed)
      Issue.record("BPF_F_REPLACE with a stale old program succeeded")
    } catch {
      #expect(error.errno == .EPERM)
    }
    try BPF.detachLink(link.borrowed)
  }

  /// A program writes 8 bytes to a ring buffer; epoll reports the map fd
  /// readable, and the mapped producer page shows one record (8-byte header
  /// + 8 bytes of data) as the kernel's ring buffer format describes.
  @Test func ringBufferWakesEpollAndMapsRecord() throws {
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let ring = try BPF.createMap(MapCreateAttributes(type: .ringbuf, keySize: 0, valueSize: 0,
                                                     maxEntries: UInt32(page)))
    // *(u64 *)(r10 - 8) = 42; r1 = ring; r2 = r10 - 8; r3 = 8; r4 = 0;
    // call bpf_ringbuf_output (130); r0 = 2; exit
    var code: [UInt8] = []
    code += instruction(0x7a, dst: 10, offset: -8, imm: 42)
    code += instruction(0x18, dst: 1, src: 1, imm: ring.rawValue) + instruction(0)
    code += instruction(0xbf, dst: 2, src: 10)
    code += instruction(0x07, dst: 2, imm: -8)
    code += instruction(0xb7, dst: 3, imm: 8)
    code += instruction(0xb7, dst: 4, imm: 0)
    code += instruction(0x85, imm: 130)
    code += returnProgram(2)
    var log = VerifierLog(level: 1, capacity: 1 << 16)
    let program: OwnedFD
    do {
      program = try BPF.loadProgram(ProgramLoadAttributes(type: .xdp, instructions: code,
                                                          license: "GPL", name: "swbpf_ring"), log: &log)
    } catch {
      Issue.record("load failed: \(error)\n\(log.text)")
      throw error
    }

    let epoll = try Epoll()
    try epoll.add(ring.borrowed, events: .readable, data: 77)
    #expect(try epoll.wait(maxEvents: 4, timeoutMilliseconds: 0).isEmpty, "empty ring is not readable")

    let run = try BPF.testRun(.init(program: program.borrowed, data: [UInt8](repeating: 0, count: 64)))
    #expect(run.returnValue == 2)

    let events = try epoll.wait(maxEvents: 4, timeoutMilliseconds: 1000)
    #expect(events.count == 1)
    #expect(events.first?.data == 77)
    #expect(events.first?.events.contains(.readable) == true)

    let consumer = try MappedRegion.map(ring.borrowed, length: page, protection: [.read, .write])
    let producer = try MappedRegion.map(ring.borrowed, length: page + 2 * page, offset: page,
                                        protection: [.read])
    #expect(consumer.bytes.load(as: UInt64.self) == 0, "consumer position starts at 0")
    #expect(producer.bytes.load(as: UInt64.self) == 16, "producer advanced by header + 8 bytes")
    let header = producer.bytes.load(fromByteOffset: page, as: UInt32.self)
    #expect(header == 8, "record length 8, not busy, not discarded")
    #expect(producer.bytes.load(fromByteOffset: page + 8, as: UInt64.self) == 42)
    try epoll.remove(ring.borrowed)
  }
}
