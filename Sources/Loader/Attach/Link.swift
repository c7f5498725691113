import Glibc
import Synchronization
import Syscall
import UAPI

/// An attachment of a program to a hook, owned by this value: it is
/// detached when the value is dropped or closed, unless it was pinned.
///
/// What is behind it is one of `Backing`'s cases; the mutable parts (the
/// pin, the clean-ups, a legacy attachment, whether it was closed) sit
/// behind one lock, and each descriptor is a `SharedDescriptor`, so a call
/// using the link's descriptor never races its `close()`.
public final class Link: Sendable {
  /// The program's name and a description of the hook, for messages.
  public let programName: String
  /// The hook, as messages name it (`tracepoint sched/sched_switch`,
  /// `XDP on ifindex 7`).
  public let target: String

  /// The kernel objects that make the attachment.
  enum Backing: Sendable {
    /// A BPF link (`BPF_LINK_CREATE`, `BPF_RAW_TRACEPOINT_OPEN`): pinnable,
    /// updatable, queryable. A perf link also owns its perf event, closed
    /// after the link.
    case bpfLink(SharedDescriptor, perfEvent: SharedDescriptor?)
    /// A perf event running the program (`PERF_EVENT_IOC_SET_BPF`, kernels
    /// without perf links): detached by closing the event.
    case perfEvent(SharedDescriptor)
    /// `BPF_PROG_ATTACH` (sockmaps), undone by `BPF_PROG_DETACH`; the
    /// descriptors it needs are in `State.legacy`.
    case legacy
    /// Several attachments made as one (USDT sites, perf events per CPU).
    case group([Link])
  }

  struct State: ~Copyable {
    var legacy: LegacyAttachment?
    var pinnedPath: String?
    var cleanups: [@Sendable () -> Void] = []
  }

  let backing: Backing
  let state: Mutex<State>
  /// The kernel the link lives in (the program's), for pin, update, detach
  /// and info.
  let kernel: any KernelInterface

  private init(kernel: any KernelInterface, program: String, target: String, backing: Backing,
               legacy: consuming LegacyAttachment? = nil) {
    self.kernel = kernel
    self.programName = program
    self.target = target
    self.backing = backing
    self.state = Mutex(State(legacy: legacy))
  }

  convenience init(kernel: any KernelInterface, program: String, target: String, bpfLink: consuming OwnedFD,
                   perfEvent: consuming OwnedFD? = nil) {
    let event: SharedDescriptor? = switch consume perfEvent {
    case .some(let fd): SharedDescriptor(fd)
    case .none: nil
    }
    self.init(kernel: kernel, program: program, target: target,
              backing: .bpfLink(SharedDescriptor(bpfLink), perfEvent: event))
  }

  convenience init(kernel: any KernelInterface, program: String, target: String,
                   perfEventRunningProgram event: consuming OwnedFD) {
    self.init(kernel: kernel, program: program, target: target, backing: .perfEvent(SharedDescriptor(event)))
  }

  convenience init(kernel: any KernelInterface, program: String, target: String,
                   legacy attachment: consuming LegacyAttachment) {
    self.init(kernel: kernel, program: program, target: target, backing: .legacy, legacy: attachment)
  }

  convenience init(kernel: any KernelInterface, program: String, target: String, parts: [Link]) {
    self.init(kernel: kernel, program: program, target: target, backing: .group(parts))
  }

  deinit { release() }

  /// Runs `work` when the link is closed (USDT semaphores, spec ids).
  func onClose(_ work: @escaping @Sendable () -> Void) {
    state.withLock { $0.cleanups.append(work) }
  }

  /// The links this one is made of (one per USDT site, per CPU...); empty
  /// for a single link.
  public var components: [Link] {
    if case .group(let parts) = backing { return parts }
    return []
  }

  /// True for a BPF link (pinnable, updatable).
  public var isBPFLink: Bool {
    if case .bpfLink = backing { return true }
    return false
  }

  /// The BPF link descriptor while open, unguarded: for the project's own
  /// code and tests. Use `withFD`.
  package var fd: BorrowedFD? {
    guard case .bpfLink(let link, _) = backing else { return nil }
    return link.unguardedDescriptor
  }

  /// Runs `body` with the BPF link's descriptor, which stays open until
  /// `body` returns even if another thread closes the link meanwhile.
  /// Throws when this is not a BPF link or it was closed.
  public func withFD<R: ~Copyable>(_ body: (BorrowedFD) throws -> R) throws -> R {
    guard case .bpfLink(let link, _) = backing else { throw notABPFLink() }
    return try link.withDescriptor(ifClosed: { AttachError.linkClosed(program: programName, target: target) as any Error },
                                   body)
  }

  /// Whether anything is still attached through this value.
  public var isOpen: Bool {
    switch backing {
    case .bpfLink(let fd, _), .perfEvent(let fd): !fd.isClosed
    case .legacy: state.withLock { $0.legacy != nil }
    case .group(let parts): parts.contains { $0.isOpen }
    }
  }

  /// Closes every descriptor (each as soon as no call is using it). A BPF
  /// link that is pinned stays attached (the pin holds it); everything else
  /// is detached.
  public func close() { release() }

  private func release() {
    switch backing {
    case .bpfLink(let link, let event):
      link.close()
      event?.close()
    case .perfEvent(let event):
      event.close()
    case .legacy:
      if let attachment = state.withLock({ $0.legacy.take() }) { attachment.detach(through: kernel) }
    case .group(let parts):
      for part in parts { part.release() }
    }
    let work = state.withLock { s -> [@Sendable () -> Void] in
      let all = s.cleanups
      s.cleanups.removeAll()
      return all
    }
    for w in work { w() }
  }

  private func notABPFLink() -> AttachError {
    .invalidRequest(program: programName, target: target,
                    reason: "this attachment is not a BPF link (perf event or legacy attach; kernel too old for a link?)")
  }

  /// Runs `body` with the BPF link's descriptor held open.
  func withLinkDescriptor<R: ~Copyable>(_ body: (BorrowedFD) throws(AttachError) -> R) throws(AttachError) -> R {
    guard case .bpfLink(let link, _) = backing else { throw notABPFLink() }
    switch try link.withDescriptor(body) {
    case .some(let result): return result
    case .none: throw .linkClosed(program: programName, target: target)
    }
  }

  func wrap(_ error: SyscallError) -> AttachError {
    .syscall(error, program: programName, target: target, hint: nil)
  }

  /// What the kernel reports about this link.
  ///
  /// Kernel: `BPF_OBJ_GET_INFO_BY_FD` on the link.
  public func info() throws(AttachError) -> LinkInfo {
    try withLinkDescriptor { (fd) throws(AttachError) in
      do throws(SyscallError) { return try kernel.linkInfo(fd) } catch { throw wrap(error) }
    }
  }

  /// Pins the link at `path` (in a bpffs): it stays attached after this
  /// process closes it or exits, until the pin is removed.
  ///
  /// Kernel: `BPF_OBJ_PIN`.
  public func pin(at path: String) throws(AttachError) {
    try withLinkDescriptor { (fd) throws(AttachError) in
      do throws(SyscallError) { try kernel.pin(fd, at: path) } catch { throw wrap(error) }
    }
    state.withLock { $0.pinnedPath = path }
  }

  /// Removes the pin made by `pin(at:)`; the link is then detached when
  /// this value is closed.
  public func unpin() throws(AttachError) {
    guard let path = pinPath else {
      throw .invalidRequest(program: programName, target: target, reason: "the link is not pinned")
    }
    if case .failure(let error) = SystemFiles.remove(path) {
      throw .system(program: programName, target: target, operation: "unlink(\(path))", errno: error.errno)
    }
    state.withLock { $0.pinnedPath = nil }
  }

  /// Where the link is pinned, if it is.
  public var pinPath: String? { state.withLock { $0.pinnedPath } }

  /// Runs `program` instead of the current program, at the same hook.
  ///
  /// With `expected`, only if the link still runs that program.
  /// Kernel: `BPF_LINK_UPDATE`.
  public func update(program: LoadedObject.Program, expected: LoadedObject.Program? = nil) throws(AttachError) {
    let closed = { (p: LoadedObject.Program) in
      AttachError.handleClosed(kind: "program", object: p.name, program: self.programName, target: self.target)
    }
    try program.withDescriptor(closed: { closed(program) }) { (new) throws(AttachError) in
      guard let expected else { return try update(programFD: new, expected: nil) }
      try expected.withDescriptor(closed: { closed(expected) }) { (old) throws(AttachError) in
        try update(programFD: new, expected: old)
      }
    }
  }

  /// `BPF_LINK_UPDATE` with descriptors the caller holds open (a program,
  /// or a struct_ops map).
  func update(programFD: BorrowedFD, expected: BorrowedFD?) throws(AttachError) {
    try withLinkDescriptor { (fd) throws(AttachError) in
      do throws(SyscallError) { try kernel.updateLink(fd, newProgram: programFD, oldProgram: expected) } catch { throw wrap(error) }
    }
  }

  /// Detaches now, even if pinned: the link object (and its pin) stays but
  /// no longer runs the program. Other kinds of attachment are closed.
  ///
  /// Kernel: `BPF_LINK_DETACH` (Linux 5.9).
  public func detach() throws(AttachError) {
    switch backing {
    case .bpfLink(let link, _):
      let detached: Void? = try link.withDescriptor { (fd) throws(AttachError) in
        do throws(SyscallError) { try kernel.detachLink(fd) } catch { throw wrap(error) }
      }
      if detached == nil { release() }
    case .group(let parts):
      for part in parts { try part.detach() }
      release()
    case .perfEvent, .legacy:
      release()
    }
  }

  /// Opens the link pinned at `path` (in `kernel`: the running one unless
  /// a test passes a fake).
  ///
  /// Kernel: `BPF_OBJ_GET`; the returned value does not detach the link
  /// when dropped while the pin exists.
  public static func open(
    pinnedAt path: String, kernel: any KernelInterface = SystemKernel.shared
  ) throws(AttachError) -> Link {
    do {
      let fd = try kernel.openPinned(at: path)
      let link = Link(kernel: kernel, program: "(pinned)", target: path, bpfLink: fd)
      link.state.withLock { $0.pinnedPath = path }
      return link
    } catch {
      throw .syscall(error, program: "(pinned)", target: path, hint: nil)
    }
  }
}

/// What `BPF_PROG_DETACH` needs later: duplicates of the target and program
/// descriptors, so the caller's may be closed meanwhile.
struct LegacyAttachment: ~Copyable, Sendable {
  let target: OwnedFD
  let program: OwnedFD
  let attachType: AttachType

  consuming func detach(through kernel: any KernelInterface) {
    let a = BPF.AttachAttributes(target: .fd(target.borrowed), program: program.borrowed,
                                 attachType: attachType)
    try? kernel.detach(a)
  }
}
