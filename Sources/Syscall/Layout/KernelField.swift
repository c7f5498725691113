/// One field of a kernel structure at a fixed byte offset, in host byte order.
///
/// The attribute layouts of bpf(2) and perf_event_open(2) are written here as
/// offsets rather than as Swift structs: Swift does not promise a C layout for
/// its own structs, while an offset is exactly what the kernel ABI fixes. The
/// `cName` is the member's path in the kernel type (`batch.count`,
/// `link_create.tcx.expected_revision`) so tests can ask the C compiler for the
/// same field's offset and size.
package struct KernelField<Value: FixedWidthInteger & Sendable>: Sendable {
  /// Byte offset from the start of the kernel structure.
  package let offset: Int
  /// The member's path in the kernel type, as C's `offsetof` would name it.
  package let cName: String

  @inlinable
  package init(_ offset: Int, _ cName: String) {
    self.offset = offset
    self.cName = cName
  }

  /// Bytes the field occupies.
  @inlinable package var size: Int { MemoryLayout<Value>.size }
  /// Offset one past the field's last byte (C's `offsetofend`).
  @inlinable package var end: Int { offset + size }

  /// The description tests compare against the compiler's.
  package var info: KernelFieldInfo { KernelFieldInfo(cName: cName, offset: offset, size: size) }
}

/// A fixed-size byte array in a kernel structure (`char map_name[16]`, `__u8 tag[8]`).
package struct KernelBytesField: Sendable {
  package let offset: Int
  package let count: Int
  package let cName: String

  package init(_ offset: Int, count: Int, _ cName: String) {
    self.offset = offset
    self.count = count
    self.cName = cName
  }

  package var end: Int { offset + count }
  package var info: KernelFieldInfo { KernelFieldInfo(cName: cName, offset: offset, size: count) }
}

/// A field's place as a value, for comparing with `offsetof`/`sizeof`.
package struct KernelFieldInfo: Sendable, Hashable, CustomStringConvertible {
  package let cName: String
  package let offset: Int
  package let size: Int
  /// A bit field inside a word: the first bit and the width (perf_event_attr flags).
  package let bit: (first: Int, width: Int)?

  package init(cName: String, offset: Int, size: Int, bit: (first: Int, width: Int)? = nil) {
    self.cName = cName
    self.offset = offset
    self.size = size
    self.bit = bit
  }

  package static func == (a: Self, b: Self) -> Bool {
    a.cName == b.cName && a.offset == b.offset && a.size == b.size
      && a.bit?.first == b.bit?.first && a.bit?.width == b.bit?.width
  }

  package func hash(into h: inout Hasher) {
    h.combine(cName)
    h.combine(offset)
    h.combine(size)
  }

  package var description: String {
    if let bit { return "\(cName) @\(offset) bits \(bit.first)+\(bit.width)" }
    return "\(cName) @\(offset) size \(size)"
  }
}

/// The layout of one kernel structure, or of one command's part of `union bpf_attr`.
///
/// `size` is what we pass to the kernel: the end of the last field we know.
/// A smaller size than the running kernel's is fine (it zero-fills the rest);
/// a larger one is accepted by newer kernels and refused by older kernels
/// only when the extra bytes are not zero.
package struct KernelLayout: Sendable {
  /// The C type the offsets are relative to (`union bpf_attr`, `struct bpf_prog_info`).
  package let cType: String
  /// What the layout is for (`BPF_MAP_CREATE`).
  package let name: String
  package let size: Int
  package let fields: [KernelFieldInfo]

  package init(cType: String, name: String, size: Int, fields: [KernelFieldInfo]) {
    self.cType = cType
    self.name = name
    self.size = size
    self.fields = fields
  }
}
