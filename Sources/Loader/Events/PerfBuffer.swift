import Glibc
import Synchronization
import Syscall
import UAPI

/// Reads what BPF programs send with `bpf_perf_event_output` into a perf
/// event array map: one mapped perf ring per CPU.
///
/// For each CPU this opens a `PERF_COUNT_SW_BPF_OUTPUT` software event
/// (sample type `PERF_SAMPLE_RAW`, a wake-up per sample), maps its ring
/// (one metadata page plus `pageCount` data pages), and stores the event's
/// descriptor in the map at key = CPU number, which is where
/// `BPF_F_CURRENT_CPU` makes the program write. Samples are handed out in
/// place as `RawSpan`s; one that wraps the end of a ring is first copied
/// into a reused scratch buffer (perf does not map its data twice).
/// `PERF_RECORD_LOST` records (the ring was full) are reported with their
/// counts and summed in `lostSamples`.
///
/// The raw data of a sample is what the program passed, padded by the
/// kernel so that size field plus data are a multiple of 8 bytes: the span
/// may be up to 7 bytes longer than the program's `size` argument.
///
/// Lifetime: the map descriptor is duplicated. `close()` (or the last
/// reference) removes this buffer's entries from the map, disables and
/// closes the events and unmaps their rings.
///
/// Kernel: `BPF_MAP_TYPE_PERF_EVENT_ARRAY`, perf_event_open(2),
/// `struct perf_event_mmap_page` (`data_head` at byte 1024 is read with
/// acquire ordering, `data_tail` at 1032 written with release ordering;
/// `data_offset`/`data_size` at 1040/1048 since Linux 4.1).
public final class PerfBuffer: Sendable {
  /// The map's name, for messages and errors.
  public let label: String
  /// The CPUs with a ring, in ring order.
  public let cpus: [Int]
  /// Data pages per CPU (a power of two).
  public let pageCount: Int

  /// One CPU's event and mapping.
  final class CPURing: Sendable {
    let cpu: Int
    let fd: OwnedFD
    let region: MappedRegion
    let dataOffset: Int
    let dataSize: Int
    init(cpu: Int, fd: consuming OwnedFD, region: consuming MappedRegion, dataOffset: Int, dataSize: Int) {
      self.cpu = cpu
      self.fd = fd
      self.region = region
      self.dataOffset = dataOffset
      self.dataSize = dataSize
    }
  }

  /// Everything owned, released together.
  final class Resources: Sendable {
    let map: OwnedFD
    let rings: [CPURing]
    let epoll: Epoll
    let kernel: any KernelInterface
    init(map: consuming OwnedFD, rings: [CPURing], epoll: consuming Epoll, kernel: any KernelInterface) {
      self.map = map
      self.rings = rings
      self.epoll = epoll
      self.kernel = kernel
    }
    deinit {
      // Kernel: without this the array would keep the events (and their
      // rings) alive until the map itself goes away.
      for ring in rings {
        try? kernel.deleteElement(map: map.borrowed, key: Object.bytes(of: UInt32(ring.cpu), order: .host))
        try? kernel.disablePerfEvent(ring.fd.borrowed)
      }
    }
  }

  /// Room to reassemble a record that wraps the end of a ring; grows, never shrinks.
  final class Scratch: @unchecked Sendable {
    // @unchecked: used only under the buffer's lock.
    var pointer: UnsafeMutableRawPointer?
    var capacity = 0
    func reserve(_ count: Int) -> UnsafeMutableRawPointer {
      if let pointer, capacity >= count { return pointer }
      pointer?.deallocate()
      capacity = max(count, 256)
      let fresh = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
      pointer = fresh
      return fresh
    }
    deinit { pointer?.deallocate() }
  }

  struct State: Sendable {
    var resources: Resources?
    var scratch = Scratch()
    var lost: UInt64 = 0
    var waiter: EventWaiter?
  }

  let state: Mutex<State>

  /// Kernel: `struct perf_event_mmap_page` field offsets.
  static let dataHeadOffset = 1024
  static let dataTailOffset = 1032
  static let dataOffsetOffset = 1040
  static let dataSizeOffset = 1048
  /// Kernel: `PERF_RECORD_LOST`, `PERF_RECORD_SAMPLE` (`enum perf_event_type`).
  static let recordLost: UInt32 = 2
  static let recordSample: UInt32 = 9

  /// Opens a ring per CPU for `map` (a `BPF_MAP_TYPE_PERF_EVENT_ARRAY`
  /// descriptor, duplicated) with `pageCount` data pages each (a power of
  /// two), for `cpus` (default: the online CPUs below the map's size).
  public init(
    map: BorrowedFD, pageCount: Int = 8, cpus: [Int]? = nil, kernel: any KernelInterface = SystemKernel.shared
  ) throws(EventError) {
    let (info, name) = try EventMap.inspect(map, expecting: .perfEventArray, kernel: kernel)
    guard pageCount > 0, pageCount & (pageCount - 1) == 0 else {
      throw .invalidSize(buffer: name, size: pageCount, reason: "the page count must be a power of two")
    }
    let selected = (cpus ?? Self.onlineCPUs()).filter { $0 >= 0 && $0 < Int(info.maxEntries) }
    guard !selected.isEmpty else {
      throw .invalidSize(buffer: name, size: Int(info.maxEntries),
                         reason: "no online CPU has a slot in the map")
    }
    let mapFD = try EventMap.duplicate(map, name)
    let epoll: Epoll
    do { epoll = try Epoll() } catch { throw .syscall(error, buffer: name) }
    var rings: [CPURing] = []
    do throws(EventError) {
      for cpu in selected {
        let ring = try Self.openRing(cpu: cpu, pageCount: pageCount, name, kernel: kernel)
        rings.append(ring)
        let key = Object.bytes(of: UInt32(cpu), order: .host)
        let value = Object.bytes(of: UInt32(bitPattern: ring.fd.rawValue), order: .host)
        do throws(SyscallError) {
          try kernel.updateElement(map: mapFD.borrowed, key: key, value: value)
          try epoll.add(ring.fd.borrowed, events: .readable, data: UInt64(rings.count - 1))
          try kernel.enablePerfEvent(ring.fd.borrowed)
        } catch { throw .syscall(error, buffer: "\(name) cpu \(cpu)") }
      }
    } catch {
      // `Resources.deinit` takes back the map entries set so far; the rings
      // close and unmap with their last reference.
      _ = Resources(map: mapFD, rings: rings, epoll: epoll, kernel: kernel)
      throw error
    }
    label = name
    self.cpus = selected
    self.pageCount = pageCount
    state = Mutex(State(resources: Resources(map: mapFD, rings: rings, epoll: epoll, kernel: kernel)))
  }

  static func openRing(
    cpu: Int, pageCount: Int, _ name: String, kernel: any KernelInterface
  ) throws(EventError) -> CPURing {
    var attributes = PerfEventAttributes(
      type: PerfEventAttributes.typeSoftware, config: PerfEventAttributes.softwareBPFOutput)
    attributes.sampleType = PerfEventAttributes.sampleRaw
    attributes.samplePeriodOrFrequency = 1
    attributes.wakeupEventsOrWatermark = 1
    let fd: OwnedFD
    do { fd = try kernel.openPerfEvent(attributes, pid: -1, cpu: Int32(cpu)) } catch {
      throw .syscall(error, buffer: "\(name) cpu \(cpu)")
    }
    let page = SharedMemory.pageSize
    let region = try EventMap.map(fd.borrowed, length: (1 + pageCount) * page, offset: 0,
                                  protection: [.read, .write], "\(name) cpu \(cpu)", kernel: kernel)
    var offset = page
    var size = pageCount * page
    if let base = region.bytes.baseAddress {
      let reportedOffset = base.load(fromByteOffset: dataOffsetOffset, as: UInt64.self)
      let reportedSize = base.load(fromByteOffset: dataSizeOffset, as: UInt64.self)
      // Kernels before 4.1 leave these zero: data then starts at the second
      // page. Values that do not fit the mapping are ignored the same way.
      if reportedSize > 0, reportedOffset >= UInt64(page), reportedOffset <= UInt64(region.count),
         reportedSize <= UInt64(region.count) - reportedOffset, reportedSize % 8 == 0 {
        offset = Int(reportedOffset)
        size = Int(reportedSize)
      }
    }
    return CPURing(cpu: cpu, fd: fd, region: region, dataOffset: offset, dataSize: size)
  }

  /// The online CPUs from /sys/devices/system/cpu/online (`0-3,5`).
  static func onlineCPUs() -> [Int] {
    // The first line only (the file has one), as the earlier fgets read it.
    guard case .success(let text) = SystemFiles.text("/sys/devices/system/cpu/online"), !text.isEmpty
    else { return [0] }
    return parseCPUList(String(text.prefix(while: { $0 != "\n" })) + "\n")
  }

  /// Parses a kernel CPU list (`0-3,5,7-8\n`); malformed parts are skipped.
  static func parseCPUList(_ text: String) -> [Int] {
    var result: [Int] = []
    for part in text.split(whereSeparator: { $0 == "," || $0 == "\n" || $0 == " " }) {
      let bounds = part.split(separator: "-")
      if bounds.count == 1, let n = Int(bounds[0]) {
        result.append(n)
      } else if bounds.count == 2, let a = Int(bounds[0]), let b = Int(bounds[1]), a <= b,
                b - a < 1 << 16 {
        result.append(contentsOf: a...b)
      }
    }
    return result
  }

  deinit {
    let waiter = state.withLock { $0.waiter }
    waiter?.stop()
  }

  /// Removes the map entries, closes the events and unmaps the rings; ends
  /// `events` iterations. Later calls throw `EventError.closed`.
  public func close() {
    let (resources, waiter) = state.withLock { s -> (Resources?, EventWaiter?) in
      let taken = (s.resources, s.waiter)
      s.resources = nil
      s.waiter = nil
      return taken
    }
    waiter?.stop()
    _ = resources
  }

  /// Whether `close()` has run: the rings are unmapped and calls throw
  /// `EventError.closed`.
  public var isClosed: Bool { state.withLock { $0.resources == nil } }

  /// Runs `body` with the per-CPU event descriptors, kept open for the call:
  /// the resources that own them are held, so a concurrent `close()` cannot
  /// close them (and let the numbers be reused) under `body`.
  func withEventDescriptors<R>(_ body: ([BorrowedFD]) throws(EventError) -> R) throws(EventError) -> R {
    guard let resources = state.withLock({ $0.resources }) else { throw .closed(buffer: label) }
    return try withExtendedLifetime(resources) { () throws(EventError) -> R in
      try body(resources.rings.map { $0.fd.borrowed })
    }
  }

  /// Samples lost so far (the sum of `PERF_RECORD_LOST` counts read).
  public var lostSamples: UInt64 { state.withLock { $0.lost } }

  /// Hands every record in every CPU's ring to the closures without
  /// waiting: samples to `onSample` (CPU, raw data), lost-sample reports to
  /// `onLost` (CPU, count). Returns the number of samples; stops after `limit`.
  @discardableResult
  public func consume(
    limit: Int = .max, _ onSample: (_ cpu: Int, _ data: RawSpan) -> Void,
    onLost: (_ cpu: Int, _ count: UInt64) -> Void = { _, _ in }
  ) throws(EventError) -> Int {
    try consume(ringIndex: nil, limit: limit, onSample, onLost: onLost)
  }

  /// `consume` over one CPU's ring (by index into `cpus`) or all of them.
  func consume(
    ringIndex: Int?, limit: Int, _ onSample: (_ cpu: Int, _ data: RawSpan) -> Void,
    onLost: (_ cpu: Int, _ count: UInt64) -> Void
  ) throws(EventError) -> Int {
    try state.withLock { (s) throws(EventError) -> Int in
      guard let resources = s.resources else { throw .closed(buffer: label) }
      var count = 0
      if let ringIndex {
        guard resources.rings.indices.contains(ringIndex) else { return 0 }
        return try Self.drain(resources.rings[ringIndex], &s, label: label, limit: limit,
                              onSample, onLost)
      }
      for ring in resources.rings where count < limit {
        count += try Self.drain(ring, &s, label: label, limit: limit - count, onSample, onLost)
      }
      return count
    }
  }

  /// Reads one CPU's ring from `data_tail` to `data_head`, giving each
  /// record's space back to the kernel as soon as it was handed out.
  static func drain(
    _ ring: CPURing, _ s: inout State, label: String, limit: Int,
    _ onSample: (Int, RawSpan) -> Void, _ onLost: (Int, UInt64) -> Void
  ) throws(EventError) -> Int {
    guard let base = ring.region.bytes.baseAddress else { return 0 }
    let head = RingMemory.loadAcquire64(base + dataHeadOffset)
    let tail = base.load(fromByteOffset: dataTailOffset, as: UInt64.self)
    var lost: UInt64 = 0
    defer { s.lost &+= lost }
    return try walk(ring, scratch: s.scratch, label: label, from: tail, to: head, limit: limit, onSample,
                    { cpu, count in lost &+= count; onLost(cpu, count) },
                    passed: { RingMemory.storeRelease64(base + dataTailOffset, $0) })
  }

  /// Hands out the records of one CPU's ring between positions `start` and
  /// `head` (at most `limit` samples), in place where they do not wrap the
  /// end of the ring, copied into `scratch` where they do. `passed` gets the
  /// position after each record (and `head` after a corrupt one: nothing
  /// after a bad header can be trusted); the walk itself moves nothing.
  static func walk(
    _ ring: CPURing, scratch: Scratch, label: String, from start: UInt64, to head: UInt64, limit: Int,
    _ onSample: (Int, RawSpan) -> Void, _ onLost: (Int, UInt64) -> Void, passed: (UInt64) -> Void
  ) throws(EventError) -> Int {
    guard let base = ring.region.bytes.baseAddress else { return 0 }
    let data = base + ring.dataOffset
    let size = ring.dataSize
    var tail = start
    var count = 0
    func corrupt(_ reason: String) -> EventError {
      let position = tail
      passed(head)
      return .corruptRecord(buffer: "\(label) cpu \(ring.cpu)", position: position, reason: reason)
    }
    while tail != head, count < limit {
      // The kernel writes 8-byte aligned records into a ring whose size is a
      // multiple of the page size, so an aligned header never straddles the
      // end; another reader of the same ring could have left data_tail
      // anywhere, and an unaligned header would be misread.
      guard tail % 8 == 0 else { throw corrupt("data_tail is not 8-byte aligned") }
      let offset = Int(tail % UInt64(size))
      let type = data.load(fromByteOffset: offset, as: UInt32.self)
      let length = Int(data.load(fromByteOffset: offset + 6, as: UInt16.self))
      guard length >= 8, UInt64(length) <= head &- tail else {
        throw corrupt("record size \(length) with \(head &- tail) bytes written")
      }
      let record: UnsafeRawPointer
      if offset + length <= size {
        record = UnsafeRawPointer(data + offset)
      } else {
        // Wraps the end of the ring: copy both parts into the scratch buffer.
        let target = scratch.reserve(length)
        let first = size - offset
        target.copyMemory(from: data + offset, byteCount: first)
        (target + first).copyMemory(from: data, byteCount: length - first)
        record = UnsafeRawPointer(target)
      }
      switch type {
      case recordSample:
        let rawSize = length >= 12 ? Int(record.load(fromByteOffset: 8, as: UInt32.self)) : -1
        guard rawSize >= 0, 12 + rawSize <= length else {
          throw corrupt("raw sample of \(rawSize) bytes in a \(length)-byte record")
        }
        onSample(ring.cpu, RawSpan(_unsafeBytes: UnsafeRawBufferPointer(start: record + 12, count: rawSize)))
        count += 1
      case recordLost where length >= 24:
        onLost(ring.cpu, record.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
      default:
        break  // other record types are not requested; skip them
      }
      tail &+= UInt64(length)
      passed(tail)
    }
    return count
  }

  /// Consumes what is there; if nothing is, waits up to `timeout` (nil:
  /// forever) for any CPU's ring to signal data and consumes again.
  @discardableResult
  public func poll(
    timeout: Duration? = nil, limit: Int = .max, _ onSample: (_ cpu: Int, _ data: RawSpan) -> Void,
    onLost: (_ cpu: Int, _ count: UInt64) -> Void = { _, _ in }
  ) throws(EventError) -> Int {
    let first = try consume(limit: limit, onSample, onLost: onLost)
    if first > 0 { return first }
    let resources = state.withLock { $0.resources }
    guard let resources else { throw .closed(buffer: label) }
    let milliseconds = timeout.map { Int32(clamping: PollWait.milliseconds($0)) } ?? -1
    let ready = try withUnsafeTemporaryAllocation(of: Epoll.Event.self, capacity: 1) {
      (events) throws(EventError) -> Int in
      do throws(SyscallError) {
        return try resources.epoll.wait(into: events, timeoutMilliseconds: milliseconds)
      } catch {
        throw .syscall(error, buffer: label)
      }
    }
    if ready == 0 { return 0 }
    return try consume(limit: limit, onSample, onLost: onLost)
  }
}
