import Syscall

extension LoadedObject.Map {
  /// Runs `body` with the map's mapped value (global data), under the
  /// mapping's lock: the memory stays mapped for the call even if another
  /// thread closes the map, and other Swift accesses wait. nil when the map
  /// is not (or no longer) mapped.
  func withMappedBytes<R, E: Error>(
    _ body: (UnsafeMutableRawBufferPointer) throws(E) -> R
  ) throws(E) -> R? {
    try mapping.withLock { (region) throws(E) -> R? in
      guard let bytes = region?.bytes else { return nil }
      return try body(bytes)
    }
  }
}
