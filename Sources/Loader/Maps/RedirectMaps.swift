import Syscall
import UAPI

/// Maps whose slots name kernel objects that programs redirect to: sockets
/// (`SOCKMAP`, `SOCKHASH`), AF_XDP sockets (`XSKMAP`), network devices
/// (`DEVMAP`, `DEVMAP_HASH`) and CPUs (`CPUMAP`). Keys are `u32` (slot or ifindex); what goes in is the
/// object, what a lookup returns is the kernel's description of it.
public struct RedirectMap: Sendable {
  public let map: LoadedObject.Map

  public init(_ map: LoadedObject.Map) throws(MapError) {
    guard [MapType.sockmap, .sockhash, .xskmap, .devmap, .devmapHash, .cpumap].contains(map.type) else {
      throw .wrongType(map: map.name, type: map.type, use: "RedirectMap serves sockmap, sockhash, xskmap, devmap and cpumap")
    }
    guard map.keySize == 4 else {
      throw .sizeMismatch(map: map.name, part: .key, swiftType: "UInt32", swiftSize: 4, mapSize: Int(map.keySize))
    }
    self.map = map
  }

  /// Puts a socket the caller owns in `key` (sockmap, sockhash; the map
  /// then holds the socket). Kernel: the value is the socket's descriptor.
  public func set(_ key: UInt32, socket: BorrowedFD) throws(MapError) {
    try require([.sockmap, .sockhash], "set(_:socket:) takes a sockmap or sockhash")
    try store(key, descriptorOrNumber: UInt32(bitPattern: socket.rawValue))
  }

  /// Delivers packets an XDP program redirects to `queue` to the AF_XDP
  /// socket `socket` (xskmap; the map holds a reference to the socket).
  /// Kernel: the value is the socket's descriptor; another kind of socket
  /// is refused with `EOPNOTSUPP`.
  public func set(_ queue: UInt32, xdpSocket socket: BorrowedFD) throws(MapError) {
    try require([.xskmap], "set(_:xdpSocket:) takes an xskmap")
    try store(queue, descriptorOrNumber: UInt32(bitPattern: socket.rawValue))
  }

  /// Sends packets redirected to `key` out of interface `ifindex` (devmap).
  /// Kernel: `struct bpf_devmap_val`'s `ifindex` (the program slot left 0).
  public func set(_ key: UInt32, interface ifindex: UInt32) throws(MapError) {
    try require([.devmap, .devmapHash], "set(_:interface:) takes a devmap")
    try store(key, descriptorOrNumber: ifindex)
  }

  /// Lets packets be redirected to CPU `cpu` with a queue of `queueSize`
  /// frames (cpumap). Kernel: `struct bpf_cpumap_val`'s `qsize`.
  public func set(cpu: UInt32, queueSize: UInt32) throws(MapError) {
    try require([.cpumap], "set(cpu:queueSize:) takes a cpumap")
    try store(cpu, descriptorOrNumber: queueSize)
  }

  /// Empties `key`; false when it was empty (a sockmap answers an empty
  /// slot with `EINVAL`, which is thrown: the kernel does not tell it apart
  /// from a key out of range).
  @discardableResult
  public func clear(_ key: UInt32) throws(MapError) -> Bool {
    try TypedMap<UInt32, UInt32>(uncheckedFor: map).delete(key)
  }

  /// The first 32 bits of the value under `key` as the kernel reports it
  /// (a socket's cookie for sockmaps is 64-bit: use `TypedMap<UInt32, UInt64>`
  /// for that; the ifindex for devmaps; the queue size for cpumaps); nil when
  /// the slot is empty.
  public func value(_ key: UInt32) throws(MapError) -> UInt32? {
    let view = try TypedMap<UInt32, UInt32>(uncheckedFor: map, valueSize: map.valueSize)
    return try view.lookupPrefix(key)
  }

  private func require(_ types: [MapType], _ use: String) throws(MapError) {
    guard types.contains(map.type) else { throw .wrongType(map: map.name, type: map.type, use: use) }
  }

  /// The value is the first `u32` of the map's value (the rest, a program
  /// slot in devmap/cpumap values, zero).
  private func store(_ key: UInt32, descriptorOrNumber value: UInt32) throws(MapError) {
    var bytes = [UInt8](repeating: 0, count: max(4, Int(map.valueSize)))
    withUnsafeBytes(of: value) { bytes.replaceSubrange(0..<4, with: $0) }
    var k = key
    let map = self.map
    try map.withDescriptor(closed: { MapError.closed(map: map.name) }) { (fd) throws(MapError) in
      let outcome = withUnsafeBytes(of: &k) { keyBytes in
        bytes.withUnsafeBytes { valueBytes in
          Result { () throws(SyscallError) in
            guard let kb = keyBytes.baseAddress, let vb = valueBytes.baseAddress else { return }
            try map.kernel.updateElement(map: fd, key: kb, value: vb, flags: .any)
          }
        }
      }
      if case .failure(let error) = outcome { throw .syscall(error, map: map.name) }
    }
  }
}

extension TypedMap where Key == UInt32, Value == UInt32 {
  /// A view reading values of `valueSize` bytes of which the first four are
  /// returned (redirect maps' values are 4 or 8 bytes).
  init(uncheckedFor map: LoadedObject.Map, valueSize: UInt32) throws(MapError) {
    self.map = map
    key = try ElementLayout(UInt32.self, mapSize: map.keySize, part: .key, map: map.name)
    value = ElementLayout(byteCount: Int(valueSize), alignment: 8)
  }

  /// The value's first four bytes under `key`; nil when absent.
  func lookupPrefix(_ key: UInt32) throws(MapError) -> UInt32? {
    try withKernel { (kernel, fd) throws(SyscallError) -> UInt32? in
      try self.key.withBytes(of: key) { (k) throws(SyscallError) -> UInt32? in
        try value.withRoom { (v) throws(SyscallError) -> UInt32? in
          guard try kernel.lookupElement(map: fd, key: k, value: v, flags: []) else { return nil }
          return v.loadUnaligned(as: UInt32.self)
        }
      }
    }
  }
}
