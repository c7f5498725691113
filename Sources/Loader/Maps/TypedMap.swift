import Syscall
import UAPI

/// A loaded map read and written as Swift values: `Key` and `Value` are
/// plain data types with the map's key and value sizes (integers, tuples,
/// structs mirroring the C types).
///
/// ```swift
/// let counts = try TypedMap<UInt32, UInt64>(loaded.map(named: "counts")!)
/// try counts.update(7, 1)
/// let n = try counts.lookup(7)          // 1, or nil when absent
/// for (key, value) in counts.entries { print(key, value) }
/// ```
///
/// For hash, LRU hash, array, LPM trie and the like — maps whose elements
/// are one key and one value (per-CPU maps: `PerCPUMap`). Every operation
/// holds the map's descriptor open for its system call (`withFD`), and goes
/// to the kernel the map lives in, real or fake.
public struct TypedMap<Key: BitwiseCopyable, Value: BitwiseCopyable>: Sendable {
  public let map: LoadedObject.Map
  @usableFromInline let key: ElementLayout
  @usableFromInline let value: ElementLayout

  /// Map types whose values are not plain data, or have no keys.
  static var refusedTypes: [MapType: String] {
    [
      .percpuHash: "use PerCPUMap", .percpuArray: "use PerCPUMap", .lruPercpuHash: "use PerCPUMap",
      .ringbuf: "read it with RingBuffer", .userRingbuf: "write it with UserRingBuffer",
      .perfEventArray: "read it with PerfBuffer",
    ]
  }

  /// A view of `map`; throws when `Key` or `Value` does not have the map's
  /// key or value size, or the map's elements are not key/value data.
  public init(_ map: LoadedObject.Map) throws(MapError) {
    if let use = Self.refusedTypes[map.type] { throw .wrongType(map: map.name, type: map.type, use: use) }
    self.map = map
    key = try ElementLayout(Key.self, mapSize: map.keySize, part: .key, map: map.name)
    value = try ElementLayout(Value.self, mapSize: map.valueSize, part: .value, map: map.name)
  }

  /// Runs a kernel call with the map's descriptor held open.
  @inlinable
  func withKernel<R>(
    _ body: (any KernelInterface, BorrowedFD) throws(SyscallError) -> R
  ) throws(MapError) -> R {
    try map.withKernelCall(body)
  }

  /// The value under `key`, or nil when there is none.
  ///
  /// Kernel: `BPF_MAP_LOOKUP_ELEM` (`flags`: `.lock` for maps whose value
  /// holds a `bpf_spin_lock`).
  @inlinable
  public func lookup(_ key: Key, flags: ElementFlags = []) throws(MapError) -> Value? {
    try withKernel { (kernel, fd) throws(SyscallError) -> Value? in
      try self.key.withBytes(of: key) { (k) throws(SyscallError) -> Value? in
        try value.withRoom { (v) throws(SyscallError) -> Value? in
          guard try kernel.lookupElement(map: fd, key: k, value: v, flags: flags) else { return nil }
          return v.load(as: Value.self)
        }
      }
    }
  }

  /// Stores `newValue` under `key`. `flags`: `.any` (create or replace),
  /// `.noExist` (create only), `.exist` (replace only), `.lock`.
  ///
  /// Kernel: `BPF_MAP_UPDATE_ELEM`.
  @inlinable
  public func update(_ key: Key, _ newValue: Value, flags: ElementFlags = .any) throws(MapError) {
    try withKernel { (kernel, fd) throws(SyscallError) in
      try self.key.withBytes(of: key) { (k) throws(SyscallError) in
        try value.withBytes(of: newValue) { (v) throws(SyscallError) in
          try kernel.updateElement(map: fd, key: k, value: v, flags: flags)
        }
      }
    }
  }

  /// Removes `key`; false when it was not there.
  ///
  /// Kernel: `BPF_MAP_DELETE_ELEM` (arrays refuse it: `EINVAL`).
  @discardableResult
  public func delete(_ key: Key) throws(MapError) -> Bool {
    try withKernel { (kernel, fd) throws(SyscallError) -> Bool in
      try self.key.withBytes(of: key) { (k) throws(SyscallError) -> Bool in try kernel.deleteElement(map: fd, key: k) }
    }
  }

  /// Removes `key` and returns its value; nil when it was not there.
  ///
  /// Kernel: `BPF_MAP_LOOKUP_AND_DELETE_ELEM` (hash maps: Linux 5.14).
  public func lookupAndDelete(_ key: Key) throws(MapError) -> Value? {
    try withKernel { (kernel, fd) throws(SyscallError) -> Value? in
      try self.key.withBytes(of: key) { (k) throws(SyscallError) -> Value? in
        try value.withRoom { (v) throws(SyscallError) -> Value? in
          guard try kernel.lookupAndDeleteElement(map: fd, key: k, value: v) else { return nil }
          return v.load(as: Value.self)
        }
      }
    }
  }

  /// The key after `key` in the kernel's order (the first when nil); nil at
  /// the end. A `key` no longer in a hash map restarts the walk at the first.
  ///
  /// Kernel: `BPF_MAP_GET_NEXT_KEY`.
  @inlinable
  public func nextKey(after key: Key?) throws(MapError) -> Key? {
    try map.nextKey(after: key, layout: self.key)
  }
}

extension LoadedObject.Map {
  /// The key after `key` (the first when nil), laid out as `layout`: the
  /// next-key walk every keyed view shares.
  @inlinable
  func nextKey<K: BitwiseCopyable>(after key: K?, layout: ElementLayout) throws(MapError) -> K? {
    try withKernelCall { (kernel, fd) throws(SyscallError) -> K? in
      try layout.withRoom { (next) throws(SyscallError) -> K? in
        let found: Bool
        if let key {
          found = try layout.withBytes(of: key) { (k) throws(SyscallError) -> Bool in
            try kernel.nextKey(map: fd, after: k, into: next)
          }
        } else {
          found = try kernel.nextKey(map: fd, after: nil, into: next)
        }
        return found ? next.load(as: K.self) : nil
      }
    }
  }
}
