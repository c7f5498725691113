import Glibc

/// Memory mapped with mmap(2), unmapped exactly once (by `unmap()` or when
/// the value ends).
///
/// Sendable: the region is owned by exactly one value (`~Copyable`), and the
/// memory itself is shared with the kernel anyway; whoever reads or writes
/// through `bytes` synchronises as the BPF map's contract demands.
public struct MappedRegion: ~Copyable, @unchecked Sendable {
  /// The mapping. Valid until this value is unmapped or ends.
  public let bytes: UnsafeMutableRawBufferPointer

  /// Memory protection of a mapping.
  public struct Protection: OptionSet, Sendable, Hashable {
    public let rawValue: CInt
    public init(rawValue: CInt) { self.rawValue = rawValue }
    /// Readable. Kernel: `PROT_READ`.
    public static let read = Protection(rawValue: PROT_READ)
    /// Writable (a shared mapping writes through to the map). Kernel: `PROT_WRITE`.
    public static let write = Protection(rawValue: PROT_WRITE)
  }

  /// Maps `length` bytes of `file` at `offset` (`MAP_SHARED`, or `MAP_PRIVATE`
  /// when `shared` is false).
  ///
  /// Kernel: mmap(2). BPF arrays need `BPF_F_MMAPABLE`; ring buffers map
  /// their consumer page writable and the rest read-only.
  public static func map(
    _ file: BorrowedFD, length: Int, offset: Int = 0, protection: Protection,
    shared: Bool = true
  ) throws(SyscallError) -> MappedRegion {
    guard length > 0 else {
      throw .invalidArgument(.system("mmap"), reason: "length \(length) is not positive")
    }
    let flags = shared ? MAP_SHARED : MAP_PRIVATE
    guard let base = mmap(nil, length, protection.rawValue, flags, file.rawValue, off_t(offset)),
          base != MAP_FAILED
    else { throw .current(.system("mmap")) }
    return MappedRegion(bytes: UnsafeMutableRawBufferPointer(start: base, count: length))
  }

  /// Maps `length` bytes of `file` read-write and shared at exactly
  /// `address` (`MAP_FIXED_NOREPLACE`: an existing mapping there is an
  /// `EEXIST` error rather than replaced), or where the kernel chooses
  /// when `address` is 0. A BPF arena is mapped this way: at its
  /// `map_extra`, the address its programs' pointers assume.
  ///
  /// Kernel: mmap(2), `MAP_FIXED_NOREPLACE` since Linux 4.17.
  public static func mapShared(_ file: BorrowedFD, length: Int, at address: UInt64) throws(SyscallError) -> MappedRegion {
    guard length > 0 else {
      throw .invalidArgument(.system("mmap"), reason: "length \(length) is not positive")
    }
    let hint = UnsafeMutableRawPointer(bitPattern: UInt(truncatingIfNeeded: address))
    // Glibc's headers gate MAP_FIXED_NOREPLACE behind _GNU_SOURCE; its value is fixed by the kernel ABI.
    let fixedNoReplace: CInt = 0x100000
    let flags = MAP_SHARED | (address != 0 ? fixedNoReplace : 0)
    guard let base = mmap(hint, length, PROT_READ | PROT_WRITE, flags, file.rawValue, 0), base != MAP_FAILED
    else { throw .current(.system("mmap")) }
    // Kernels before 4.17 ignore the flag and take the address as a hint.
    if address != 0 && UInt64(UInt(bitPattern: base)) != address {
      _ = munmap(base, length)
      throw .invalidArgument(.system("mmap"), reason: "the kernel mapped at 0x\(String(UInt(bitPattern: base), radix: 16)), not 0x\(String(address, radix: 16))")
    }
    return MappedRegion(bytes: UnsafeMutableRawBufferPointer(start: base, count: length))
  }

  init(bytes: UnsafeMutableRawBufferPointer) {
    self.bytes = bytes
  }

  /// Takes ownership of memory the caller mapped with mmap(2) itself (the
  /// project's fakes build double mappings this way); unmapped as any other.
  package init(adoptingMapping bytes: UnsafeMutableRawBufferPointer) {
    self.bytes = bytes
  }

  deinit {
    if let base = bytes.baseAddress { _ = munmap(base, bytes.count) }
  }

  /// Unmaps now and reports failure.
  public consuming func unmap() throws(SyscallError) {
    let region = bytes
    discard self
    if let base = region.baseAddress, munmap(base, region.count) == -1 {
      throw .current(.system("munmap"))
    }
  }

  /// Bytes mapped.
  public var count: Int { bytes.count }
}
