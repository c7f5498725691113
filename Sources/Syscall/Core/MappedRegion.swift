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
