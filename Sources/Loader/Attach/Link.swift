import Glibc
import Synchronization
import Syscall
import UAPI

/// An attachment of a program to a hook, owned by this value: it is
/// detached when the value is dropped or closed, unless it was pinned.
///
/// Three mechanisms sit behind one type:
/// - a BPF link (`BPF_LINK_CREATE`, `BPF_RAW_TRACEPOINT_OPEN`), which can
///   be pinned, updated and queried;
/// - a perf event running the program (`PERF_EVENT_IOC_SET_BPF`, kernels
///   without perf links), detached by closing the event;
/// - a legacy `BPF_PROG_ATTACH` (sockmaps), detached with `BPF_PROG_DETACH`.
/// A perf-event BPF link also owns its perf event; an attachment made of
/// several kernel objects (USDT with several sites, perf_event on every CPU)
/// owns its parts.
public final class Link: Sendable {
  /// The program's name and a description of the hook, for messages.
  public let programName: String
  public let target: String

  let handle: Mutex<OwnedFD?>
  /// The perf event behind a perf link, closed after the link.
  let perfEvent: Mutex<OwnedFD?>
  let legacy: Mutex<LegacyAttachment?>
  let parts: [Link]
  let cleanups: Mutex<[@Sendable () -> Void]>
  let pinnedPath = Mutex<String?>(nil)
  /// True for a BPF link fd (pinnable, updatable).
  public let isBPFLink: Bool

  init(program: String, target: String, bpfLink: consuming OwnedFD, perfEvent: consuming OwnedFD? = nil) {
    self.programName = program
    self.target = target
    self.handle = Mutex(Optional(bpfLink))
    self.perfEvent = Mutex(perfEvent)
    self.legacy = Mutex(nil)
    self.parts = []
    self.cleanups = Mutex([])
    self.isBPFLink = true
  }

  init(program: String, target: String, perfEventRunningProgram event: consuming OwnedFD) {
    self.programName = program
    self.target = target
    self.handle = Mutex(Optional(event))
    self.perfEvent = Mutex(nil)
    self.legacy = Mutex(nil)
    self.parts = []
    self.cleanups = Mutex([])
    self.isBPFLink = false
  }

  init(program: String, target: String, legacy attachment: consuming LegacyAttachment) {
    self.programName = program
    self.target = target
    self.handle = Mutex(nil)
    self.perfEvent = Mutex(nil)
    self.legacy = Mutex(Optional(attachment))
    self.parts = []
    self.cleanups = Mutex([])
    self.isBPFLink = false
  }

  init(program: String, target: String, parts: [Link]) {
    self.programName = program
    self.target = target
    self.handle = Mutex(nil)
    self.perfEvent = Mutex(nil)
    self.legacy = Mutex(nil)
    self.parts = parts
    self.cleanups = Mutex([])
    self.isBPFLink = false
  }

  deinit { release() }

  /// Runs `work` when the link is closed (USDT semaphores, spec ids).
  func onClose(_ work: @escaping @Sendable () -> Void) {
    cleanups.withLock { $0.append(work) }
  }

  /// The links this one is made of (one per USDT site, per CPU...); empty
  /// for a single link.
  public var components: [Link] { parts }

  /// The BPF link descriptor, nil for perf-event or legacy attachments and
  /// after `close()`. Borrowed: valid while this value is open.
  public var fd: BorrowedFD? {
    guard isBPFLink else { return nil }
    return handle.withLock { owned -> BorrowedFD? in
      if let fd = owned?.borrowed { return fd }
      return nil
    }
  }

  /// Whether anything is still attached through this value.
  public var isOpen: Bool {
    handle.withLock { $0 != nil } || legacy.withLock { $0 != nil } || parts.contains { $0.isOpen }
  }

  /// Closes every descriptor. A BPF link that is pinned stays attached
  /// (the pin holds it); everything else is detached.
  public func close() { release() }

  private func release() {
    for part in parts { part.release() }
    if let fd = handle.withLock({ $0.take() }) { try? fd.close() }
    if let fd = perfEvent.withLock({ $0.take() }) { try? fd.close() }
    if let attachment = legacy.withLock({ $0.take() }) { attachment.detach() }
    let work = cleanups.withLock { list -> [@Sendable () -> Void] in
      let all = list
      list.removeAll()
      return all
    }
    for w in work { w() }
  }

  func requireBPFLink() throws(AttachError) -> BorrowedFD {
    guard isBPFLink else {
      throw .invalidRequest(program: programName, target: target,
                            reason: "this attachment is not a BPF link (perf event or legacy attach; kernel too old for a link?)")
    }
    guard let fd = handle.withLock({ $0?.borrowed }) else {
      throw .linkClosed(program: programName, target: target)
    }
    return fd
  }

  func wrap(_ error: SyscallError) -> AttachError {
    .syscall(error, program: programName, target: target, hint: nil)
  }

  /// What the kernel reports about this link.
  ///
  /// Kernel: `BPF_OBJ_GET_INFO_BY_FD` on the link.
  public func info() throws(AttachError) -> LinkInfo {
    let fd = try requireBPFLink()
    do { return try BPF.linkInfo(fd) } catch { throw wrap(error) }
  }

  /// Pins the link at `path` (in a bpffs): it stays attached after this
  /// process closes it or exits, until the pin is removed.
  ///
  /// Kernel: `BPF_OBJ_PIN`.
  public func pin(at path: String) throws(AttachError) {
    let fd = try requireBPFLink()
    do { try BPF.pin(fd, at: path) } catch { throw wrap(error) }
    pinnedPath.withLock { $0 = path }
  }

  /// Removes the pin made by `pin(at:)`; the link is then detached when
  /// this value is closed.
  public func unpin() throws(AttachError) {
    guard let path = pinnedPath.withLock({ $0 }) else {
      throw .invalidRequest(program: programName, target: target, reason: "the link is not pinned")
    }
    if case .failure(let error) = SystemFiles.remove(path) {
      throw .system(program: programName, target: target, operation: "unlink(\(path))", errno: error.errno)
    }
    pinnedPath.withLock { $0 = nil }
  }

  /// Where the link is pinned, if it is.
  public var pinPath: String? { pinnedPath.withLock { $0 } }

  /// Runs `program` instead of the current program, at the same hook.
  ///
  /// With `expected`, only if the link still runs that program.
  /// Kernel: `BPF_LINK_UPDATE`.
  public func update(program: BorrowedFD, expected: BorrowedFD? = nil) throws(AttachError) {
    let fd = try requireBPFLink()
    do { try BPF.updateLink(fd, newProgram: program, oldProgram: expected) } catch { throw wrap(error) }
  }

  /// Detaches now, even if pinned: the link object (and its pin) stays but
  /// no longer runs the program. Other kinds of attachment are closed.
  ///
  /// Kernel: `BPF_LINK_DETACH` (Linux 5.9).
  public func detach() throws(AttachError) {
    for part in parts { try part.detach() }
    if isBPFLink, let fd = handle.withLock({ $0?.borrowed }) {
      do { try BPF.detachLink(fd) } catch { throw wrap(error) }
      return
    }
    release()
  }

  /// Opens the link pinned at `path`.
  ///
  /// Kernel: `BPF_OBJ_GET`; the returned value does not detach the link
  /// when dropped while the pin exists.
  public static func open(pinnedAt path: String) throws(AttachError) -> Link {
    do {
      let fd = try BPF.getPinned(at: path)
      let link = Link(program: "(pinned)", target: path, bpfLink: fd)
      link.pinnedPath.withLock { $0 = path }
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

  consuming func detach() {
    let a = BPF.AttachAttributes(target: .fd(target.borrowed), program: program.borrowed,
                                 attachType: attachType)
    try? BPF.detach(a)
  }
}
