import ELFReader
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
    case createLink(LinkCreateAttributes)
    case rawTracepoint(name: String?, program: CInt, cookie: UInt64)
    case attach(attachType: AttachType, program: CInt?)
    case detach(attachType: AttachType)
    case updateLink(link: CInt, newProgram: CInt, oldProgram: CInt?)
    case detachLink(link: CInt)
    /// `fd`: the descriptor the fake returned.
    case perfEventOpen(type: UInt32, config: UInt64, pid: Int32, cpu: Int32, fd: CInt)
    case setPerfEventProgram(event: CInt, program: CInt)
    case enablePerfEvent(event: CInt)
    case disablePerfEvent(event: CInt)
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
    record(.createLink(attributes))
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
    // A bpf-output event (what perf buffers open) gets a ring the tests can
    // write samples into; other events are plain descriptors.
    guard attributes.type == PerfEventAttributes.typeSoftware,
          attributes.config == PerfEventAttributes.softwareBPFOutput
    else {
      let fd = try Self.memfd(size: 8)
      record(.perfEventOpen(type: attributes.type, config: attributes.config, pid: pid, cpu: cpu, fd: fd.rawValue))
      return fd
    }
    var readEnd: OwnedFD? = nil
    let ring = try FakePerfRing(cpu: cpu, readEnd: &readEnd)
    guard let fd = readEnd.take() else { throw .failed(.system("pipe"), .EBADF) }
    perfRings.withLock { $0[ring.inode] = ring }
    record(.perfEventOpen(type: attributes.type, config: attributes.config, pid: pid, cpu: cpu, fd: fd.rawValue))
    return fd
  }

  /// The perf ring of the bpf-output event opened on `cpu`.
  func perfRing(cpu: Int32) -> FakePerfRing? {
    perfRings.withLock { $0.values.first { $0.cpu == cpu } }
  }

  func setPerfEventProgram(_ event: BorrowedFD, program: BorrowedFD) throws(SyscallError) {
    record(.setPerfEventProgram(event: event.rawValue, program: program.rawValue))
  }

  func enablePerfEvent(_ event: BorrowedFD) throws(SyscallError) {
    record(.enablePerfEvent(event: event.rawValue))
  }

  func disablePerfEvent(_ event: BorrowedFD) throws(SyscallError) {
    record(.disablePerfEvent(event: event.rawValue))
  }

  // Event buffers: ring buffer maps made by `makeRingBuffer`, found by the
  // inode of the descriptor a reader passes (its duplicate has the same).

  /// A ring buffer map of `size` data bytes in ordinary memory, as a handle
  /// of this kernel, and the fake producer that writes into it.
  /// `recordType` is what a map definition would declare with
  /// `__type(value, ...)`; the handle carries it as a load would.
  func makeRingBuffer(
    size: Int, name: String = "fake_ring", recordType: MapDefinition.RecordType? = nil
  ) throws -> (LoadedObject.Map, FakeRingBuffer) {
    let ring = try FakeRingBuffer(size: size, name: name)
    guard let fd = ring.takeMapFD() else { throw SyscallError.failed(.system("pipe2"), .EBADF) }
    ringBuffers.withLock { $0[ring.inode] = ring }
    let map = LoadedObject.Map.adopting(fd, name: name, type: .ringbuf, keySize: 0, valueSize: 0,
                                        maxEntries: UInt32(size), recordType: recordType, kernel: self)
    return (map, ring)
  }

  static func inode(_ fd: CInt) -> ino_t? {
    var status = stat()
    return fstat(fd, &status) == 0 ? status.st_ino : nil
  }

  func ringBuffer(_ fd: BorrowedFD) -> FakeRingBuffer? {
    guard let inode = Self.inode(fd.rawValue) else { return nil }
    return ringBuffers.withLock { $0[inode] }
  }

  func mapInfo(_ map: BorrowedFD) throws(SyscallError) -> MapInfo {
    if let ring = ringBuffer(map) {
      return MapInfo(type: .ringbuf, id: 1, keySize: 0, valueSize: 0, maxEntries: UInt32(ring.size), name: ring.name)
    }
    // A reader passes its own duplicate: the same file, another number.
    let inode = Self.inode(map.rawValue)
    guard let inode, let created = state.withLock({ s in s.maps.last(where: { Self.inode($0.fd) == inode }) }) else {
      throw .failed(.bpf(.objectGetInfoByFD), .EBADF)
    }
    let a = created.attributes
    return MapInfo(type: a.type, id: created.id, keySize: a.keySize, valueSize: a.valueSize,
                   maxEntries: a.maxEntries, flags: a.flags, name: a.name)
  }

  func mapRegion(
    _ object: BorrowedFD, length: Int, offset: Int, protection: MappedRegion.Protection
  ) throws(SyscallError) -> MappedRegion {
    if let ring = ringBuffer(object) { return try ring.region(length: length, offset: offset, protection: protection) }
    if let inode = Self.inode(object.rawValue), let ring = perfRings.withLock({ $0[inode] }) {
      return try ring.region(length: length, protection: protection)
    }
    return try MappedRegion.map(object, length: length, offset: offset, protection: protection)
  }

  func deleteElement(map: BorrowedFD, key: [UInt8]) throws(SyscallError) {
    let name = name(of: map)
    state.withLock { $0.deletions.append(Update(map: name, key: key, value: [])) }
  }

  // Probes: the scripted answers of `FakeProbeKernel`.

  /// A fake kernel whose probes answer as `setup` says (feature tests).
  static func probing(_ setup: FakeProbeKernel.Setup = .init()) -> FakeKernel {
    FakeKernel(probes: FakeProbeKernel(setup))
  }

  /// Probes asked of this kernel so far.
  var callCount: Int { probes.callCount }

  func loadBTF(_ bytes: [UInt8]) -> ProbeOutcome { probes.loadBTF(bytes) }

  func createMap(_ attributes: MapCreateAttributes, btf: [UInt8]?, inner: MapCreateAttributes?) -> ProbeOutcome {
    probes.createMap(attributes, btf: btf, inner: inner)
  }

  func loadProgram(_ attributes: ProgramLoadAttributes, map: MapCreateAttributes?, logCapacity: Int) -> ProbeOutcome {
    probes.loadProgram(attributes, map: map, logCapacity: logCapacity)
  }
}
