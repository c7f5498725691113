import Syscall

/// Readers and writers made from a loaded map's handle, the way a user
/// normally gets one. Each takes its own duplicate of the map's descriptor
/// while the handle guarantees it open, so closing the handle afterwards
/// does not disturb the reader, and a handle closed before cannot lend a
/// reused descriptor number.
extension LoadedObject.Map {
  /// A duplicate of the map's descriptor, owned by the caller.
  func duplicateForEvents() throws(EventError) -> OwnedFD {
    try withDescriptor(closed: { EventError.closed(buffer: name) }) { (fd) throws(EventError) in
      try EventMap.duplicate(fd, name)
    }
  }
}

extension RingBuffer {
  /// Reads the `BPF_MAP_TYPE_RINGBUF` map `map`; its declared record type
  /// (`map.recordType`) comes along for `events(of:)` to check against.
  public convenience init(map: LoadedObject.Map) throws(EventError) {
    let fd = try map.duplicateForEvents()
    try self.init(map: fd.borrowed, recordType: map.recordType, kernel: map.kernel)
  }
}

extension UserRingBuffer {
  /// Writes to the `BPF_MAP_TYPE_USER_RINGBUF` map `map`.
  public convenience init(map: LoadedObject.Map) throws(EventError) {
    let fd = try map.duplicateForEvents()
    try self.init(map: fd.borrowed, kernel: map.kernel)
  }
}

extension PerfBuffer {
  /// Reads the `BPF_MAP_TYPE_PERF_EVENT_ARRAY` map `map`: `pageCount` data
  /// pages per CPU, on `cpus` (nil: every online CPU).
  public convenience init(map: LoadedObject.Map, pageCount: Int = 8, cpus: [Int]? = nil) throws(EventError) {
    let fd = try map.duplicateForEvents()
    try self.init(map: fd.borrowed, pageCount: pageCount, cpus: cpus, kernel: map.kernel)
  }
}
