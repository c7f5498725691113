import Glibc
import Syscall
import Testing
import TestSupport
import UAPI
@testable import Loader

/// Attach and link life cycles through the fake kernel: no root. What each
/// attach sends to the kernel follows the kernel's documented calls
/// (`BPF_LINK_CREATE` with the program's descriptor and attach type; a
/// tracepoint through `perf_event_open(PERF_TYPE_TRACEPOINT = 2, id)`; the
/// legacy `BPF_PROG_ATTACH`/`DETACH` pair where links are refused), and a
/// link's pin, update, detach and close reach the same kernel as its load.
@Suite struct AttachFakeKernelTests {
  /// sections.bpf.o with only `names` loaded, through `kernel`.
  static func load(_ names: Set<String>, _ kernel: FakeKernel) throws -> LoadedObject {
    var object = try Object.open(path: Fixture.object("sections.bpf.o").path)
    for p in object.programs { try object.withProgram(p.name) { $0.autoload = names.contains(p.name) } }
    return try object.load(kernel: kernel)
  }

  static func program(_ loaded: LoadedObject, _ name: String) throws -> LoadedObject.Program {
    try #require(loaded.program(named: name), "\(name) not loaded")
  }

  static func inode(_ fd: CInt) -> ino_t? { FakeKernel.inode(fd) }

  /// Whether `fd` still names the file with `inode`: a closed number that
  /// another test's file took meanwhile does not count as open.
  static func isOpen(_ fd: CInt, inode: ino_t?) -> Bool { inode != nil && Self.inode(fd) == inode }

  @Test func xdpLinkIsCreatedPinnedUpdatedDetachedAndClosed() throws {
    let kernel = FakeKernel()
    let loaded = try Self.load(["xdp_prog", "xdp_frags"], kernel)
    defer { loaded.close() }
    let first = try Self.program(loaded, "xdp_prog")
    let second = try Self.program(loaded, "xdp_frags")
    let firstFD = try #require(first.borrowedFD).rawValue
    let secondFD = try #require(second.borrowedFD).rawValue

    let link = try first.attach(to: .xdp(ifindex: 7, mode: .generic))
    #expect(link.isBPFLink)
    // Kernel: XDP links target the interface index; XDP_FLAGS_SKB_MODE is 1 << 1.
    #expect(kernel.attachCalls == [.createLink(LinkCreateAttributes(
      program: BorrowedFD(firstFD), target: .ifindex(7), attachType: .xdp, flags: 1 << 1))])
    let linkFD = try #require(link.fd).rawValue
    let linkInode = Self.inode(linkFD)
    #expect(try link.info().type == .xdp)

    try link.pin(at: "/sys/fs/bpf/fake-xdp-link")
    #expect(link.pinPath == "/sys/fs/bpf/fake-xdp-link")
    #expect(kernel.attachCalls.last == .pin(path: "/sys/fs/bpf/fake-xdp-link"))

    try link.update(program: second, expected: first)
    #expect(kernel.attachCalls.last == .updateLink(link: linkFD, newProgram: secondFD, oldProgram: firstFD))
    #expect(kernel.links.first?.program == secondFD)
    // The link no longer runs `first`: BPF_F_REPLACE with it is refused.
    #expect(throws: AttachError.self) { try link.update(program: first, expected: first) }

    try link.detach()
    #expect(kernel.attachCalls.last == .detachLink(link: linkFD))
    #expect(kernel.links.first?.detached == true)

    link.close()
    #expect(!Self.isOpen(linkFD, inode: linkInode), "closing the link closes its descriptor")
    #expect(!link.isOpen)
    #expect(throws: AttachError.linkClosed(program: "xdp_prog", target: "XDP on ifindex 7")) { try link.info() }
  }

  @Test func rawTracepointOpensByNameWithTheProgram() throws {
    let kernel = FakeKernel()
    let loaded = try Self.load(["raw_tp_sys_enter"], kernel)
    defer { loaded.close() }
    let program = try Self.program(loaded, "raw_tp_sys_enter")
    let fd = try #require(program.borrowedFD).rawValue
    // raw_tp/sys_enter auto-attaches to the tracepoint its section names.
    let link = try #require(try program.autoAttach())
    defer { link.close() }
    #expect(kernel.attachCalls == [.rawTracepoint(name: "sys_enter", program: fd, cookie: 0)])
    // A cookie given at attach reaches the kernel.
    let withCookie = try program.attach(to: .rawTracepoint("sys_exit", cookie: 0xfeed))
    defer { withCookie.close() }
    #expect(kernel.attachCalls.last == .rawTracepoint(name: "sys_exit", program: fd, cookie: 0xfeed))
  }

  /// tp/syscalls/sys_enter_getpid: the id from tracefs (through the file
  /// seam), a tracepoint perf event on CPU 0 for every process, then a perf
  /// link; on a kernel without perf links (EINVAL) the event runs the
  /// program through `PERF_EVENT_IOC_SET_BPF` and is enabled.
  @Test(arguments: [false, true])
  func tracepointGoesThroughAPerfEvent(kernelWithoutPerfLinks: Bool) throws {
    let kernel = FakeKernel(linkRefusal: kernelWithoutPerfLinks ? .EINVAL : nil)
    let loaded = try Self.load(["tp_getpid"], kernel)
    defer { loaded.close() }
    let program = try Self.program(loaded, "tp_getpid")
    let programFD = try #require(program.borrowedFD).rawValue
    let files = SystemFilesTests.FakeFiles(
      ["/sys/kernel/tracing/events/syscalls/sys_enter_getpid/id": "731\n"],
      directories: ["/sys/kernel/tracing/events"])
    let link = try SystemFiles.$current.withValue(files) { try #require(try program.autoAttach()) }
    defer { link.close() }
    let calls = kernel.attachCalls
    try #require(calls.count >= 2)
    guard case .perfEventOpen(let type, let config, let pid, let cpu, let event) = calls[0] else {
      Issue.record("the first call is not perf_event_open: \(calls)")
      return
    }
    // Kernel: PERF_TYPE_TRACEPOINT is 2, the config is the tracefs id.
    #expect(type == 2 && config == 731 && pid == -1 && cpu == 0)
    #expect(calls[1] == .createLink(LinkCreateAttributes(
      program: BorrowedFD(programFD), target: .fd(BorrowedFD(event)), attachType: .perfEvent,
      details: .perfEvent(cookie: 0))))
    let eventInode = Self.inode(event)
    if kernelWithoutPerfLinks {
      #expect(!link.isBPFLink)
      #expect(calls.dropFirst(2).first == .setPerfEventProgram(event: event, program: programFD))
      #expect(calls.last == .enablePerfEvent(event: event))
      #expect(Self.isOpen(event, inode: eventInode))
      link.close()
      #expect(!Self.isOpen(event, inode: eventInode), "closing the link closes the perf event, which detaches the program")
    } else {
      #expect(link.isBPFLink)
      #expect(calls.count == 2)
    }
  }

  /// sk_msg on a sockmap where the kernel has no sockmap links: the legacy
  /// `BPF_PROG_ATTACH`, undone with `BPF_PROG_DETACH` when the link closes.
  @Test func sockmapFallsBackToLegacyAttachAndDetachesOnClose() throws {
    let kernel = FakeKernel(linkRefusal: .EINVAL)
    let loaded = try Self.load(["sk_msg_prog"], kernel)
    defer { loaded.close() }
    let program = try Self.program(loaded, "sk_msg_prog")
    let map = LoadedObject.Map.adopting(try FakeKernel.memfd(size: 8), name: "sockmap", type: .sockmap, kernel: kernel)
    let link = try program.attach(to: .sockMap(map))
    #expect(!link.isBPFLink)
    #expect(kernel.attachCalls.last == .attach(attachType: .skMsgVerdict, program: program.borrowedFD?.rawValue))
    #expect(link.isOpen)
    // The link keeps its own duplicates: closing the map handle first does
    // not stop the detach.
    map.close()
    link.close()
    #expect(kernel.attachCalls.last == .detach(attachType: .skMsgVerdict))
    #expect(!link.isOpen)
  }

  /// A closed program cannot be attached: the error names it, and nothing
  /// reaches the kernel.
  @Test func closedProgramIsNotAttached() throws {
    let kernel = FakeKernel()
    let loaded = try Self.load(["xdp_prog"], kernel)
    defer { loaded.close() }
    let program = try Self.program(loaded, "xdp_prog")
    program.close()
    #expect(throws: AttachError.handleClosed(kind: "program", object: "xdp_prog", program: "xdp_prog",
                                             target: "XDP on ifindex 1")) {
      try program.attach(to: .xdp(ifindex: 1))
    }
    #expect(kernel.attachCalls.isEmpty)
  }
}
