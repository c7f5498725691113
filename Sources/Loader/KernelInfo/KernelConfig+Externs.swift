import UAPI

/// Values for `.kconfig` externs, encoded as the program's `.kconfig` map
/// expects them, following libbpf's rules for which C type takes which value.
extension KernelConfig {
  /// The C type of a `.kconfig` extern, as its BTF says.
  public enum ExternType: Sendable, Hashable, CustomStringConvertible {
    /// `bool` (1 byte): from `y` (1) or `n` (0); `m` is refused.
    case bool
    /// `enum libbpf_tristate` (4 bytes): `n` 0, `y` 1, `m` 2.
    case tristate
    /// `char` (1 byte): the letter `y`/`m`/`n`, or a number that fits.
    case char
    /// `char[count]`: a quoted string, NUL-terminated, cut to `count - 1` bytes.
    case charArray(count: Int)
    /// An integer of 1, 2, 4 or 8 bytes: a number that fits.
    case integer(size: Int, signed: Bool)

    /// Bytes the extern occupies in `.kconfig`.
    public var size: Int {
      switch self {
      case .bool, .char: 1
      case .tristate: 4
      case .charArray(let count): count
      case .integer(let size, _): size
      }
    }

    public var description: String {
      switch self {
      case .bool: "bool"
      case .tristate: "enum libbpf_tristate"
      case .char: "char"
      case .charArray(let count): "char[\(count)]"
      case .integer(let size, let signed): "\(signed ? "" : "unsigned ")\(size)-byte integer"
      }
    }
  }

  /// The bytes to store for extern `name` of `type`, or nil when the config
  /// has no such value (the loader then zeroes a weak extern or fails).
  public func externBytes(
    _ name: String, as type: ExternType, order: ByteOrder = .host
  ) throws(KernelConfigError) -> [UInt8]? {
    guard let value = values[name] else { return nil }
    return try Self.encode(value, name: name, as: type, order: order)
  }

  static func encode(
    _ value: Value, name: String, as type: ExternType, order: ByteOrder
  ) throws(KernelConfigError) -> [UInt8] {
    let mismatch = KernelConfigError.typeMismatch(name: name, value: value.description, expected: type.description)
    switch (value, type) {
    case (.tristate(let t), .bool):
      guard t != .module else { throw mismatch }
      return [t == .yes ? 1 : 0]
    case (.tristate(let t), .tristate):
      return integerBytes(UInt64(t.rawValue), size: 4, order: order)
    case (.tristate(let t), .char):
      return Array(t.letter.utf8)
    case (.integer(let n, let text), .integer(let size, let signed)):
      guard [1, 2, 4, 8].contains(size) else { throw mismatch }
      guard fits(n, hex: isHex(text), size: size, signed: signed) else {
        throw .outOfRange(name: name, value: text, size: size, signed: signed)
      }
      return integerBytes(UInt64(bitPattern: n), size: size, order: order)
    case (.integer(let n, let text), .char):
      // `char` may be signed or not; any byte value is accepted.
      guard fits(n, hex: isHex(text), size: 1, signed: true) || fits(n, hex: isHex(text), size: 1, signed: false)
      else { throw .outOfRange(name: name, value: text, size: 1, signed: false) }
      return [UInt8(truncatingIfNeeded: n)]
    case (.string(let s), .charArray(let count)):
      guard count > 0 else { throw mismatch }
      var bytes = Array(s.utf8.prefix(count - 1))
      bytes += [UInt8](repeating: 0, count: count - bytes.count)
      return bytes
    default:
      throw mismatch
    }
  }

  static func isHex(_ text: String) -> Bool { text.hasPrefix("0x") || text.hasPrefix("0X") }

  /// Whether `n` fits: hex values are unsigned bit patterns; decimal ones
  /// keep their sign.
  static func fits(_ n: Int64, hex: Bool, size: Int, signed: Bool) -> Bool {
    if size == 8 { return hex || signed || n >= 0 }
    let bits = size * 8
    if hex || !signed {
      if !hex && n < 0 { return false }
      return UInt64(bitPattern: n) < (UInt64(1) << bits)
    }
    let limit = Int64(1) << (bits - 1)
    return n >= -limit && n < limit
  }

  static func integerBytes(_ value: UInt64, size: Int, order: ByteOrder) -> [UInt8] {
    (0..<size).map { i in
      let shift = order == .little ? i * 8 : (size - 1 - i) * 8
      return UInt8(truncatingIfNeeded: value >> UInt64(shift))
    }
  }

  // MARK: libbpf's specials

  /// libbpf's extra `.kconfig` names, which are not in any config file.
  ///
  /// `LINUX_KERNEL_VERSION`: `KERNEL_VERSION(a, b, c)` of `uname -r`;
  /// `LINUX_HAS_BPF_COOKIE`: `bpf_get_attach_cookie` is available;
  /// `LINUX_HAS_SYSCALL_WRAPPER`: syscalls are entered through
  /// architecture wrappers (`__x64_sys_bpf`), which matters for kprobes on them.
  public static let libbpfSpecialNames = [
    "LINUX_KERNEL_VERSION", "LINUX_HAS_BPF_COOKIE", "LINUX_HAS_SYSCALL_WRAPPER",
  ]

  /// This config plus libbpf's specials (existing values of those names are kept,
  /// so overrides win).
  public func addingLibbpfSpecials(
    release: KernelRelease?, hasBPFCookie: Bool, hasSyscallWrapper: Bool
  ) -> KernelConfig {
    var copy = self
    if copy.values["LINUX_KERNEL_VERSION"] == nil, let release {
      let code = release.versionCode
      copy["LINUX_KERNEL_VERSION"] = .integer(Int64(code), text: String(code))
    }
    if copy.values["LINUX_HAS_BPF_COOKIE"] == nil {
      copy["LINUX_HAS_BPF_COOKIE"] = .tristate(hasBPFCookie ? .yes : .no)
    }
    if copy.values["LINUX_HAS_SYSCALL_WRAPPER"] == nil {
      copy["LINUX_HAS_SYSCALL_WRAPPER"] = .tristate(hasSyscallWrapper ? .yes : .no)
    }
    return copy
  }

  /// The symbol whose presence shows syscall wrappers on this architecture
  /// (`__x64_sys_bpf` on x86_64), nil where there are none.
  ///
  /// Kernel: `ARCH_HAS_SYSCALL_WRAPPER` prefixes (arch/*/include/asm/syscall_wrapper.h).
  public static var syscallWrapperSymbol: String? {
    #if arch(x86_64)
    return "__x64_sys_bpf"
    #elseif arch(arm64)
    return "__arm64_sys_bpf"
    #elseif arch(s390x)
    return "__s390x_sys_bpf"
    #elseif arch(riscv64)
    return "__riscv_sys_bpf"
    #elseif arch(powerpc64le) || arch(powerpc64)
    return "sys_bpf"
    #else
    return nil
    #endif
  }
}
