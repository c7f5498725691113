import ELFReader
import Synchronization
import Syscall

/// The `__bpf_usdt_specs` map of an object written with libbpf's
/// `usdt.bpf.h`, and which of its slots are in use.
///
/// Each attached USDT site gets a spec id: the map slot holding its
/// argument spec, passed to the program as the BPF cookie (what
/// `bpf_usdt_arg()` and `bpf_usdt_cookie()` read). Ids are freed when the
/// link closes. One table per loaded object; it keeps the map's handle.
///
/// `__bpf_usdt_ip_to_spec_id` is only read by the BPF side on kernels
/// without BPF cookies (before 5.15), which SwiftBPF's USDT does not serve.
public final class USDTSpecTable: Sendable, Hashable {
  /// The object's `__bpf_usdt_specs` map, where each site's argument spec is
  /// written.
  public let specsMap: LoadedObject.Map
  /// The map's `max_entries` (`BPF_USDT_MAX_SPEC_CNT`, 256 by default).
  public let capacity: UInt32
  let state = Mutex<(next: UInt32, free: [UInt32])>((0, []))

  /// A table over `specsMap`, every slot free. Prefer
  /// `LoadedObject.usdtSpecTable()`, which shares one table per object.
  public init(specsMap: LoadedObject.Map) {
    self.specsMap = specsMap
    self.capacity = specsMap.maxEntries
  }

  public static func == (a: USDTSpecTable, b: USDTSpecTable) -> Bool { a === b }
  public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }

  /// Ids handed out and not yet released.
  public var usedCount: Int { state.withLock { Int($0.next) - $0.free.count } }

  func allocate() -> UInt32? {
    state.withLock { s in
      if let id = s.free.popLast() { return id }
      guard s.next < capacity else { return nil }
      defer { s.next += 1 }
      return s.next
    }
  }

  func release(_ id: UInt32) { state.withLock { $0.free.append(id) } }

  /// Writes `spec` under `id`. Kernel: `BPF_MAP_UPDATE_ELEM`.
  func store(_ spec: [UInt8], at id: UInt32) throws(SyscallError) {
    let key = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
    defer { key.deallocate() }
    key.pointee = id
    // The kernel reads the map's whole value size: zero what the spec leaves.
    let value = UnsafeMutableRawBufferPointer.allocate(
      byteCount: max(spec.count, Int(specsMap.valueSize), 1), alignment: 8)
    defer { value.deallocate() }
    value.initializeMemory(as: UInt8.self, repeating: 0)
    value.copyBytes(from: spec)
    guard let base = value.baseAddress else { return }
    let stored: Void? = try specsMap.descriptor.withDescriptor { (fd) throws(SyscallError) in
      try specsMap.kernel.updateElement(map: fd, key: key, value: base, flags: .any)
    }
    if stored == nil {
      throw .invalidArgument(.bpf(.mapUpdateElement), reason: "the map '\(specsMap.name)' was closed")
    }
  }
}

/// The bytes of one `struct __bpf_usdt_spec` as `usdt.bpf.h` reads them.
///
/// Layout (x86-64, little endian): 12 × `struct __bpf_usdt_arg_spec` of 16
/// bytes — `val_off` u64 at 0, `arg_type` at 8 (a 4-byte enum before libbpf
/// 1.7; from 1.7 one byte, then `idx_reg_off:12` and `scale_bitshift:4` in
/// the u16 at 9, a reserved byte at 11), `reg_off` i16 at 12, `arg_signed`
/// at 14, `arg_bitshift` at 15 — then `usdt_cookie` u64 at 192 and
/// `arg_cnt` i16 at 200; 208 bytes in all. Constant, register and memory
/// arguments read the same under both layouts; indexed (SIB) arguments
/// need libbpf 1.7's header (older ones return -EINVAL for them).
public enum USDTSpec {
  /// Bytes of one `struct __bpf_usdt_spec`, the map's value size.
  public static let size = 208
  /// Arguments a spec holds (`BPF_USDT_MAX_ARG_CNT`); a site with more
  /// cannot be attached.
  public static let maximumArguments = 12

  /// Kernel/usdt.bpf.h: `BPF_USDT_ARG_CONST`, `_REG`, `_REG_DEREF`, `_SIB`.
  public static let constant: UInt8 = 0, register: UInt8 = 1, memory: UInt8 = 2, indexed: UInt8 = 3

  /// The spec bytes, or nil with more than 12 arguments or a size other
  /// than 1, 2, 4 or 8.
  public static func encode(_ arguments: [USDTArgument], cookie: UInt64) -> [UInt8]? {
    guard arguments.count <= maximumArguments,
      arguments.allSatisfy({ [1, 2, 4, 8].contains($0.size) })
    else { return nil }
    var bytes = [UInt8](repeating: 0, count: size)
    func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
      withUnsafeBytes(of: value.littleEndian) { for (i, b) in $0.enumerated() { bytes[offset + i] = b } }
    }
    for (i, argument) in arguments.enumerated() {
      let base = i * 16
      var type: UInt8
      var valueOrOffset: UInt64 = 0
      var register: Int16 = 0
      switch argument.location {
      case .constant(let value):
        type = constant
        valueOrOffset = UInt64(bitPattern: value)
      case .register(let reg):
        type = Self.register
        register = reg.ptRegsOffset
      case .memory(let reg, let offset):
        type = memory
        register = reg.ptRegsOffset
        valueOrOffset = UInt64(bitPattern: offset)
      case .indexed(let baseRegister, let index, let scale, let offset):
        type = indexed
        register = baseRegister.ptRegsOffset
        valueOrOffset = UInt64(bitPattern: offset)
        let shift = UInt16(scale.trailingZeroBitCount)
        put(UInt16(index.ptRegsOffset) & 0xfff | shift << 12, at: base + 9)
      }
      put(valueOrOffset, at: base)
      bytes[base + 8] = type
      put(register, at: base + 12)
      bytes[base + 14] = argument.isSigned ? 1 : 0
      bytes[base + 15] = UInt8(64 - argument.size * 8)
    }
    put(cookie, at: 192)
    put(Int16(arguments.count), at: 200)
    return bytes
  }
}
