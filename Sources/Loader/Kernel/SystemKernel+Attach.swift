import Syscall
import UAPI

/// The real kernel's attach, link, perf event and event buffer calls, and its probes.
extension SystemKernel {
  public func createLink(_ attributes: LinkCreateAttributes) throws(SyscallError) -> OwnedFD {
    try BPF.createLink(attributes)
  }

  public func openRawTracepoint(name: String?, program: BorrowedFD, cookie: UInt64) throws(SyscallError) -> OwnedFD {
    try BPF.openRawTracepoint(name: name, program: program, cookie: cookie)
  }

  public func attach(_ attributes: BPF.AttachAttributes) throws(SyscallError) {
    try BPF.attach(attributes)
  }

  public func detach(_ attributes: BPF.AttachAttributes) throws(SyscallError) {
    try BPF.detach(attributes)
  }

  public func updateLink(_ link: BorrowedFD, newProgram: BorrowedFD, oldProgram: BorrowedFD?) throws(SyscallError) {
    try BPF.updateLink(link, newProgram: newProgram, oldProgram: oldProgram)
  }

  public func detachLink(_ link: BorrowedFD) throws(SyscallError) {
    try BPF.detachLink(link)
  }

  public func linkInfo(_ link: BorrowedFD) throws(SyscallError) -> LinkInfo {
    try BPF.linkInfo(link)
  }

  public func createIterator(link: BorrowedFD) throws(SyscallError) -> OwnedFD {
    try BPF.createIterator(link: link)
  }

  public func openPerfEvent(_ attributes: PerfEventAttributes, pid: Int32, cpu: Int32) throws(SyscallError) -> OwnedFD {
    try PerfEvent.open(attributes, pid: pid, cpu: cpu)
  }

  public func setPerfEventProgram(_ event: BorrowedFD, program: BorrowedFD) throws(SyscallError) {
    try PerfEvent.setBPF(event, program: program)
  }

  public func enablePerfEvent(_ event: BorrowedFD) throws(SyscallError) {
    try PerfEvent.enable(event)
  }

  public func disablePerfEvent(_ event: BorrowedFD) throws(SyscallError) {
    try PerfEvent.disable(event)
  }

  public func mapInfo(_ map: BorrowedFD) throws(SyscallError) -> MapInfo {
    try BPF.mapInfo(map)
  }

  public func mapRegion(
    _ object: BorrowedFD, length: Int, offset: Int, protection: MappedRegion.Protection
  ) throws(SyscallError) -> MappedRegion {
    try MappedRegion.map(object, length: length, offset: offset, protection: protection)
  }

  public func deleteElement(map: BorrowedFD, key: [UInt8]) throws(SyscallError) {
    let result = key.withUnsafeBytes { k in
      Result { () throws(SyscallError) in try BPF.delete(map: map, key: k.baseAddress) }
    }
    _ = try result.get()
  }

  public func lookupElement(
    map: BorrowedFD, key: UnsafeRawPointer?, value: UnsafeMutableRawPointer, flags: ElementFlags
  ) throws(SyscallError) -> Bool {
    try BPF.lookup(map: map, key: key, value: value, flags: flags)
  }

  public func updateElement(
    map: BorrowedFD, key: UnsafeRawPointer?, value: UnsafeRawPointer, flags: ElementFlags
  ) throws(SyscallError) {
    try BPF.update(map: map, key: key, value: value, flags: flags)
  }

  public func deleteElement(map: BorrowedFD, key: UnsafeRawPointer?) throws(SyscallError) -> Bool {
    try BPF.delete(map: map, key: key)
  }

  public func nextKey(
    map: BorrowedFD, after key: UnsafeRawPointer?, into next: UnsafeMutableRawPointer
  ) throws(SyscallError) -> Bool {
    try BPF.nextKey(map: map, after: key, into: next)
  }

  public func lookupAndDeleteElement(
    map: BorrowedFD, key: UnsafeRawPointer?, value: UnsafeMutableRawPointer
  ) throws(SyscallError) -> Bool {
    try BPF.lookupAndDelete(map: map, key: key, value: value)
  }

  public func lookupBatch(
    map: BorrowedFD, inBatch: UnsafeRawPointer?, outBatch: UnsafeMutableRawPointer,
    keys: UnsafeMutableRawPointer, values: UnsafeMutableRawPointer, count: Int
  ) throws(SyscallError) -> BPF.BatchResult {
    try BPF.lookupBatch(map: map, inBatch: inBatch, outBatch: outBatch, keys: keys, values: values, count: count)
  }

  public func updateBatch(
    map: BorrowedFD, keys: UnsafeRawPointer, values: UnsafeRawPointer, count: Int, flags: ElementFlags
  ) throws(SyscallError) -> Int {
    try BPF.updateBatch(map: map, keys: keys, values: values, count: count, elementFlags: flags)
  }

  public func deleteBatch(map: BorrowedFD, keys: UnsafeRawPointer, count: Int) throws(SyscallError) -> Int {
    try BPF.deleteBatch(map: map, keys: keys, count: count)
  }

  public func openMap(id: UInt32) throws(SyscallError) -> OwnedFD {
    try BPF.open(.map, id: id)
  }

  // Probes: the same one-shot loads `SystemProbeKernel` makes.

  public func loadBTF(_ bytes: [UInt8]) -> ProbeOutcome {
    SystemProbeKernel().loadBTF(bytes)
  }

  public func createMap(_ attributes: MapCreateAttributes, btf: [UInt8]?, inner: MapCreateAttributes?) -> ProbeOutcome {
    SystemProbeKernel().createMap(attributes, btf: btf, inner: inner)
  }

  public func loadProgram(_ attributes: ProgramLoadAttributes, map: MapCreateAttributes?, logCapacity: Int) -> ProbeOutcome {
    SystemProbeKernel().loadProgram(attributes, map: map, logCapacity: logCapacity)
  }
}
