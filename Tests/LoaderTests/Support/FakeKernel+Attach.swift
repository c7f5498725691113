import Glibc
import Loader
import Synchronization
import Syscall
import UAPI

/// The fake's attach side: links, legacy attachments and perf events are
/// unlinked temporary files (real descriptors, so ownership and closing are
/// real), and every call is recorded so tests can check what reached the
/// "kernel" and in which order — attach, pin, update, detach — without root.
extension FakeKernel {
  /// One link the fake made.
  struct FakeLink: Sendable {
    var fd: CInt
    var id: UInt32
    var type: LinkType
    /// The program descriptor it runs (after updates).
    var program: CInt
    var attachType: AttachType
    var detached = false
  }

  /// What reached the fake, in order.
  enum AttachCall: Sendable, Equatable {
    case createLink(attachType: AttachType, program: CInt)
    case rawTracepoint(name: String?, program: CInt, cookie: UInt64)
    case attach(attachType: AttachType, program: CInt?)
    case detach(attachType: AttachType)
    case updateLink(link: CInt, newProgram: CInt, oldProgram: CInt?)
    case detachLink(link: CInt)
    case perfEventOpen(type: UInt32, config: UInt64, pid: Int32, cpu: Int32)
    case setPerfEventProgram(event: CInt, program: CInt)
    case enablePerfEvent(event: CInt)
    case createIterator(link: CInt)
    case pin(path: String)
  }

  func record(_ call: AttachCall) { attachState.withLock { $0.calls.append(call) } }

  /// Every attach-side call so far.
  var attachCalls: [AttachCall] { attachState.withLock { $0.calls } }
  /// The links made so far.
  var links: [FakeLink] { attachState.withLock { $0.links } }

  private func newLink(type: LinkType, program: CInt, attachType: AttachType) throws(SyscallError) -> OwnedFD {
    let fd = try Self.memfd(size: 8)
    attachState.withLock { s in
      s.links.append(FakeLink(fd: fd.rawValue, id: s.nextLinkID, type: type, program: program, attachType: attachType))
      s.nextLinkID += 1
    }
    return fd
  }

  func createLink(_ attributes: LinkCreateAttributes) throws(SyscallError) -> OwnedFD {
    record(.createLink(attachType: attributes.attachType, program: attributes.program.rawValue))
    if let errno = linkRefusal { throw .failed(.bpf(.linkCreate), errno) }
    let type: LinkType = switch attributes.attachType {
    case .xdp: .xdp
    case .perfEvent: .perfEvent
    case .traceRawTp: .rawTracepoint
    default: .cgroup
    }
    return try newLink(type: type, program: attributes.program.rawValue, attachType: attributes.attachType)
  }

  func openRawTracepoint(name: String?, program: BorrowedFD, cookie: UInt64) throws(SyscallError) -> OwnedFD {
    record(.rawTracepoint(name: name, program: program.rawValue, cookie: cookie))
    return try newLink(type: .rawTracepoint, program: program.rawValue, attachType: .traceRawTp)
  }

  func attach(_ attributes: BPF.AttachAttributes) throws(SyscallError) {
    record(.attach(attachType: attributes.attachType, program: attributes.program?.rawValue))
  }

  func detach(_ attributes: BPF.AttachAttributes) throws(SyscallError) {
    record(.detach(attachType: attributes.attachType))
  }

  func updateLink(_ link: BorrowedFD, newProgram: BorrowedFD, oldProgram: BorrowedFD?) throws(SyscallError) {
    record(.updateLink(link: link.rawValue, newProgram: newProgram.rawValue, oldProgram: oldProgram?.rawValue))
    try attachState.withLock { (s) throws(SyscallError) in
      guard let i = s.links.firstIndex(where: { $0.fd == link.rawValue }) else { throw .failed(.bpf(.linkUpdate), .EBADF) }
      // Kernel: with BPF_F_REPLACE, the link must still run the old program.
      if let oldProgram, s.links[i].program != oldProgram.rawValue { throw .failed(.bpf(.linkUpdate), .EPERM) }
      s.links[i].program = newProgram.rawValue
    }
  }

  func detachLink(_ link: BorrowedFD) throws(SyscallError) {
    record(.detachLink(link: link.rawValue))
    attachState.withLock { s in
      if let i = s.links.firstIndex(where: { $0.fd == link.rawValue }) { s.links[i].detached = true }
    }
  }

  func linkInfo(_ link: BorrowedFD) throws(SyscallError) -> LinkInfo {
    guard let found = attachState.withLock({ s in s.links.last(where: { $0.fd == link.rawValue }) }) else {
      throw .failed(.bpf(.objectGetInfoByFD), .EBADF)
    }
    // The program id: the fake numbers programs by their descriptor.
    return LinkInfo(type: found.type, id: found.id, programID: UInt32(found.program), details: .other)
  }

  func createIterator(link: BorrowedFD) throws(SyscallError) -> OwnedFD {
    record(.createIterator(link: link.rawValue))
    return try Self.memfd(size: 0)
  }

  func openPerfEvent(_ attributes: PerfEventAttributes, pid: Int32, cpu: Int32) throws(SyscallError) -> OwnedFD {
    record(.perfEventOpen(type: attributes.type, config: attributes.config, pid: pid, cpu: cpu))
    return try Self.memfd(size: 8)
  }

  func setPerfEventProgram(_ event: BorrowedFD, program: BorrowedFD) throws(SyscallError) {
    record(.setPerfEventProgram(event: event.rawValue, program: program.rawValue))
  }

  func enablePerfEvent(_ event: BorrowedFD) throws(SyscallError) {
    record(.enablePerfEvent(event: event.rawValue))
  }

  // Probes: the scripted answers of `FakeProbeKernel`.

  func loadBTF(_ bytes: [UInt8]) -> ProbeOutcome { probes.loadBTF(bytes) }

  func createMap(_ attributes: MapCreateAttributes, btf: [UInt8]?, inner: MapCreateAttributes?) -> ProbeOutcome {
    probes.createMap(attributes, btf: btf, inner: inner)
  }

  func loadProgram(_ attributes: ProgramLoadAttributes, map: MapCreateAttributes?, logCapacity: Int) -> ProbeOutcome {
    probes.loadProgram(attributes, map: map, logCapacity: logCapacity)
  }
}
