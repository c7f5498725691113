import Syscall
import UAPI

/// A queue (`BPF_MAP_TYPE_QUEUE`, first in first out) or stack
/// (`BPF_MAP_TYPE_STACK`, last in first out) of `Value`s. These maps have
/// no keys: the kernel takes a null key for every element command.
public struct QueueMap<Value: BitwiseCopyable>: Sendable {
  let elements: KeylessElements<Value>

  /// A view of `map`; throws `wrongType` for a map that is neither a queue
  /// nor a stack and `sizeMismatch` when `Value` does not have its value size.
  public init(_ map: LoadedObject.Map) throws(MapError) {
    guard map.type == .queue || map.type == .stack else {
      throw .wrongType(map: map.name, type: map.type, use: "QueueMap serves queue and stack maps")
    }
    elements = try KeylessElements(map)
  }

  /// The map handle the view reads and writes through.
  public var map: LoadedObject.Map { elements.map }

  /// Adds `value`. When the map is full the kernel refuses (`E2BIG`) unless
  /// `replacingOldest` is set (`BPF_EXIST`: the oldest element makes room).
  ///
  /// Kernel: `BPF_MAP_UPDATE_ELEM` with a null key.
  public func push(_ value: Value, replacingOldest: Bool = false) throws(MapError) {
    try elements.update(value, flags: replacingOldest ? .exist : .any)
  }

  /// Removes and returns the next element (oldest for a queue, newest for a
  /// stack); nil when empty.
  ///
  /// Kernel: `BPF_MAP_LOOKUP_AND_DELETE_ELEM` with a null key.
  public func pop() throws(MapError) -> Value? { try elements.lookupAndDelete() }

  /// The next element without removing it; nil when empty.
  ///
  /// Kernel: `BPF_MAP_LOOKUP_ELEM` with a null key.
  public func peek() throws(MapError) -> Value? { try elements.lookup() }
}

/// A bloom filter (`BPF_MAP_TYPE_BLOOM_FILTER`, Linux 5.16): values can be
/// added and tested, never listed or removed; a test may say "maybe" for a
/// value never added, never "no" for one that was.
public struct BloomFilter<Value: BitwiseCopyable>: Sendable {
  let elements: KeylessElements<Value>

  /// A view of `map`; throws `wrongType` for a map that is not a bloom
  /// filter and `sizeMismatch` when `Value` does not have its value size.
  public init(_ map: LoadedObject.Map) throws(MapError) {
    guard map.type == .bloomFilter else {
      throw .wrongType(map: map.name, type: map.type, use: "BloomFilter serves bloom filter maps")
    }
    elements = try KeylessElements(map)
  }

  /// The map handle the view reads and writes through.
  public var map: LoadedObject.Map { elements.map }

  /// Adds `value`. Kernel: `BPF_MAP_UPDATE_ELEM` with a null key.
  public func insert(_ value: Value) throws(MapError) { try elements.update(value, flags: .any) }

  /// False when `value` was certainly never added; true when it may have been.
  ///
  /// Kernel: `BPF_MAP_LOOKUP_ELEM` with a null key and the value to test
  /// (`ENOENT`: not present).
  public func mayContain(_ value: Value) throws(MapError) -> Bool {
    try elements.withKernel { (kernel, fd) throws(SyscallError) -> Bool in
      try elements.value.withBytes(of: value) { (v) throws(SyscallError) -> Bool in
        // The kernel reads the value to test from the value buffer.
        try kernel.lookupElement(map: fd, key: nil, value: UnsafeMutableRawPointer(mutating: v), flags: [])
      }
    }
  }
}

/// The element commands of maps without keys, shared by queues, stacks and
/// bloom filters.
struct KeylessElements<Value: BitwiseCopyable>: Sendable {
  let map: LoadedObject.Map
  let value: ElementLayout

  init(_ map: LoadedObject.Map) throws(MapError) {
    self.map = map
    value = try ElementLayout(Value.self, mapSize: map.valueSize, part: .value, map: map.name)
  }

  func withKernel<R>(_ body: (any KernelInterface, BorrowedFD) throws(SyscallError) -> R) throws(MapError) -> R {
    try map.withKernelCall(body)
  }

  func update(_ newValue: Value, flags: ElementFlags) throws(MapError) {
    try withKernel { (kernel, fd) throws(SyscallError) in
      try value.withBytes(of: newValue) { (v) throws(SyscallError) in
        try kernel.updateElement(map: fd, key: nil, value: v, flags: flags)
      }
    }
  }

  func lookup() throws(MapError) -> Value? {
    try withKernel { (kernel, fd) throws(SyscallError) -> Value? in
      try value.withRoom { (v) throws(SyscallError) -> Value? in
        try kernel.lookupElement(map: fd, key: nil, value: v, flags: []) ? v.load(as: Value.self) : nil
      }
    }
  }

  func lookupAndDelete() throws(MapError) -> Value? {
    try withKernel { (kernel, fd) throws(SyscallError) -> Value? in
      try value.withRoom { (v) throws(SyscallError) -> Value? in
        try kernel.lookupAndDeleteElement(map: fd, key: nil, value: v) ? v.load(as: Value.self) : nil
      }
    }
  }
}
