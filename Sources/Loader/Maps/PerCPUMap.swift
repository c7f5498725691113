import Syscall
import UAPI

/// A per-CPU map (`PERCPU_HASH`, `PERCPU_ARRAY`, `LRU_PERCPU_HASH`) read and
/// written as Swift values: one `Value` per possible CPU.
///
/// Kernel: user space sees every CPU's copy at once, each in a slot of the
/// value size rounded up to 8 bytes, for every *possible* CPU
/// (`/sys/devices/system/cpu/possible`), not only the online ones.
public struct PerCPUMap<Key: BitwiseCopyable, Value: BitwiseCopyable>: Sendable {
  /// The map handle the view reads and writes through.
  public let map: LoadedObject.Map
  let key: ElementLayout
  let value: ElementLayout
  /// Bytes from one CPU's value to the next.
  let slot: Int
  /// The kernel's possible CPUs: the number of values in each element.
  public let cpuCount: Int

  /// A view of `map`; throws `wrongType` for a map that is not per-CPU and
  /// `sizeMismatch` when `Key` or `Value` does not have the map's key size
  /// or (per CPU) value size.
  public init(_ map: LoadedObject.Map) throws(MapError) {
    guard [MapType.percpuHash, .percpuArray, .lruPercpuHash].contains(map.type) else {
      throw .wrongType(map: map.name, type: map.type, use: "use TypedMap for maps that are not per-CPU")
    }
    self.map = map
    key = try ElementLayout(Key.self, mapSize: map.keySize, part: .key, map: map.name)
    value = try ElementLayout(Value.self, mapSize: map.valueSize, part: .value, map: map.name)
    slot = (Int(map.valueSize) + 7) & ~7
    cpuCount = max(1, map.kernel.possibleCPUCount())
  }

  private func withKernel<R>(
    _ body: (any KernelInterface, BorrowedFD) throws(SyscallError) -> R
  ) throws(MapError) -> R {
    try map.withKernelCall(body)
  }

  private func withValues<R>(
    _ body: (UnsafeMutableRawBufferPointer) throws(SyscallError) -> R
  ) throws(SyscallError) -> R {
    try withUnsafeTemporaryAllocation(byteCount: slot * cpuCount, alignment: value.alignment) {
      (buffer) throws(SyscallError) -> R in
      buffer.initializeMemory(as: UInt8.self, repeating: 0)
      return try body(buffer)
    }
  }

  /// Every CPU's value under `key` (index = CPU number), or nil when absent.
  ///
  /// Kernel: `BPF_MAP_LOOKUP_ELEM`.
  public func lookup(_ key: Key) throws(MapError) -> [Value]? {
    try withKernel { (kernel, fd) throws(SyscallError) -> [Value]? in
      try self.key.withBytes(of: key) { (k) throws(SyscallError) -> [Value]? in
        try withValues { (buffer) throws(SyscallError) -> [Value]? in
          guard let base = buffer.baseAddress,
                try kernel.lookupElement(map: fd, key: k, value: base, flags: [])
          else { return nil }
          return (0..<cpuCount).map { base.load(fromByteOffset: $0 * slot, as: Value.self) }
        }
      }
    }
  }

  /// Stores one value per possible CPU under `key` (`values.count` must be
  /// `cpuCount`).
  ///
  /// Kernel: `BPF_MAP_UPDATE_ELEM`.
  public func update(_ key: Key, _ values: [Value], flags: ElementFlags = .any) throws(MapError) {
    guard values.count == cpuCount else {
      throw .wrongCPUCount(map: map.name, given: values.count, possible: cpuCount)
    }
    try withKernel { (kernel, fd) throws(SyscallError) in
      try self.key.withBytes(of: key) { (k) throws(SyscallError) in
        try withValues { (buffer) throws(SyscallError) in
          guard let base = buffer.baseAddress else { return }
          for (cpu, v) in values.enumerated() { base.storeBytes(of: v, toByteOffset: cpu * slot, as: Value.self) }
          try kernel.updateElement(map: fd, key: k, value: UnsafeRawPointer(base), flags: flags)
        }
      }
    }
  }

  /// Stores `value` for every CPU under `key`.
  public func update(_ key: Key, everyCPU value: Value, flags: ElementFlags = .any) throws(MapError) {
    try update(key, Array(repeating: value, count: cpuCount), flags: flags)
  }

  /// Removes `key`; false when it was not there.
  @discardableResult
  public func delete(_ key: Key) throws(MapError) -> Bool {
    try withKernel { (kernel, fd) throws(SyscallError) -> Bool in
      try self.key.withBytes(of: key) { (k) throws(SyscallError) -> Bool in try kernel.deleteElement(map: fd, key: k) }
    }
  }
}
