/// The byte order of a BPF object, its BTF and its instructions.
///
/// clang's `bpfel` target (the default `-target bpf` on x86) writes little
/// endian; `bpfeb` writes big endian. ELF says which in `e_ident[EI_DATA]`.
public enum ByteOrder: String, Sendable, Hashable, CustomStringConvertible {
  case little
  case big

  /// The order of the machine running this code.
  public static var host: ByteOrder {
    UInt16(littleEndian: 1) == 1 ? .little : .big
  }

  public var description: String { rawValue }
}
