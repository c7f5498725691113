/// The byte order of a BPF object, its BTF and its instructions.
///
/// clang's `bpfel` target (the default `-target bpf` on x86) writes little
/// endian; `bpfeb` writes big endian. ELF says which in `e_ident[EI_DATA]`.
public enum ByteOrder: String, Sendable, Hashable, CustomStringConvertible {
  /// Little endian: `bpfel`, `ELFDATA2LSB`; x86-64 and arm64 hosts.
  case little
  /// Big endian: `bpfeb`, `ELFDATA2MSB`; s390x hosts.
  case big

  /// The order of the machine running this code.
  public static var host: ByteOrder {
    UInt16(littleEndian: 1) == 1 ? .little : .big
  }

  /// `little` or `big`, as the CLI's JSON spells it.
  public var description: String { rawValue }
}
