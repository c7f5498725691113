/// Copies of the variable-length inputs of one system call (instructions,
/// strings, arrays of pointers), kept alive until the call returns.
///
/// bpf(2) takes user pointers as `__u64` inside the attribute; Swift arrays only
/// lend a pointer inside a closure, and nesting a closure per array (up to eight
/// for `BPF_PROG_LOAD`) loses typed throws. One copy per input into memory we
/// own is cheap next to the verifier and keeps the code flat. Hot paths (map
/// element operations) take caller pointers and never use this.
struct Scratch: ~Copyable {
  private var chunks: [UnsafeMutableRawBufferPointer] = []

  init() {}

  deinit {
    for chunk in chunks { chunk.deallocate() }
  }

  /// Room for `count` bytes, zeroed; its address as the kernel wants it.
  mutating func allocate(_ count: Int) -> UnsafeMutableRawBufferPointer {
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 8)
    chunk.initializeMemory(as: UInt8.self, repeating: 0)
    chunks.append(chunk)
    return UnsafeMutableRawBufferPointer(rebasing: chunk[0..<count])
  }

  /// A copy of `bytes`; 0 (the kernel's NULL) when empty.
  mutating func copy(_ bytes: [UInt8]) -> UInt64 {
    if bytes.isEmpty { return 0 }
    let chunk = allocate(bytes.count)
    bytes.withUnsafeBytes { chunk.copyMemory(from: $0) }
    return address(chunk)
  }

  /// A copy of an array of fixed-width integers; 0 when empty.
  mutating func copy<T: FixedWidthInteger>(_ values: [T]) -> UInt64 {
    if values.isEmpty { return 0 }
    let chunk = allocate(values.count * MemoryLayout<T>.stride)
    values.withUnsafeBytes { chunk.copyMemory(from: $0) }
    return address(chunk)
  }

  /// A NUL-terminated copy of `string`.
  mutating func cString(_ string: String) -> UInt64 {
    let utf8 = Array(string.utf8)
    let chunk = allocate(utf8.count + 1)
    utf8.withUnsafeBytes { chunk.copyMemory(from: $0) }
    return address(chunk)
  }

  /// An array of `char *` pointing at NUL-terminated copies of `strings`.
  mutating func cStringArray(_ strings: [String]) -> UInt64 {
    if strings.isEmpty { return 0 }
    let pointers = strings.map { cString($0) }
    return copy(pointers)
  }

  func address(_ chunk: UnsafeMutableRawBufferPointer) -> UInt64 {
    UInt64(UInt(bitPattern: chunk.baseAddress))
  }
}
