import UAPI

extension BTF {
  /// A parsed `.BTF.ext` section: per-ELF-section function info, line info
  /// and CO-RE relocation records, with names resolved against the `.BTF`.
  ///
  /// Kernel: `struct btf_ext_header` (magic `0xeB9F`, version 1, hdr_len,
  /// then off/len pairs for func_info, line_info and, when hdr_len >= 32,
  /// core_relo; offsets count from the end of the header). Each part is a
  /// `u32` record size, then `{sec_name_off, num_info, records...}` blocks.
  /// Record sizes larger than known are allowed (newer compilers append
  /// fields); smaller ones are refused.
  public struct Extension: Sendable {
    public var byteOrder: ByteOrder
    public var functionInfo: [InfoSection<FunctionInfo>]
    public var lineInfo: [InfoSection<LineInfo>]
    public var coreRelocations: [InfoSection<CORERelocation>]
    /// Record sizes as stored (0 when the part is absent).
    public var functionInfoRecordSize: Int
    public var lineInfoRecordSize: Int
    public var coreRelocationRecordSize: Int

    /// Parses `.BTF.ext` bytes; string offsets and type ids refer to `btf`.
    public init(bytes: [UInt8], btf: BTF) throws(BTFError) {
      self = try BTF.parseExtension(bytes.span.bytes, btf: btf)
    }

    init(byteOrder: ByteOrder) {
      self.byteOrder = byteOrder
      functionInfo = []
      lineInfo = []
      coreRelocations = []
      functionInfoRecordSize = 0
      lineInfoRecordSize = 0
      coreRelocationRecordSize = 0
    }
  }

  /// The records of one ELF code section (`sec_name_off`, e.g. `"tp/sched/x"`).
  public struct InfoSection<Record: Sendable>: Sendable {
    public var name: String
    public var nameOffset: Name
    public var records: [Record]
  }

  /// Kernel: `struct bpf_func_info`. In an object the offset is in bytes
  /// from the start of the section; the kernel wants instruction indexes.
  public struct FunctionInfo: Sendable, Equatable {
    public var instructionOffset: UInt32
    /// A FUNC.
    public var type: TypeID
    public var instructionIndex: Int { Int(instructionOffset / 8) }
  }

  /// Kernel: `struct bpf_line_info` (line in bits 10-31 of `line_col`,
  /// column in bits 0-9), with the file name and source text resolved.
  public struct LineInfo: Sendable, Equatable {
    public var instructionOffset: UInt32
    public var fileNameOffset: Name
    public var sourceOffset: Name
    public var file: String
    public var source: String
    public var line: UInt32
    public var column: UInt32
    public var instructionIndex: Int { Int(instructionOffset / 8) }
  }

  /// Kernel: `struct bpf_core_relo`.
  public struct CORERelocation: Sendable, Equatable {
    public var instructionOffset: UInt32
    /// The local type the access starts from.
    public var type: TypeID
    public var accessStringOffset: Name
    /// The access string, e.g. `"0:1:2"`.
    public var accessString: String
    public var kind: Kind
    public var instructionIndex: Int { Int(instructionOffset / 8) }

    /// Kernel: `enum bpf_core_relo_kind`.
    public struct Kind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
      public var rawValue: UInt32
      public init(rawValue: UInt32) { self.rawValue = rawValue }
      /// Kernel: `BPF_CORE_FIELD_BYTE_OFFSET`.
      public static let fieldByteOffset = Kind(rawValue: 0)
      /// Kernel: `BPF_CORE_FIELD_BYTE_SIZE`.
      public static let fieldByteSize = Kind(rawValue: 1)
      /// Kernel: `BPF_CORE_FIELD_EXISTS`.
      public static let fieldExists = Kind(rawValue: 2)
      /// Kernel: `BPF_CORE_FIELD_SIGNED`.
      public static let fieldSigned = Kind(rawValue: 3)
      /// Kernel: `BPF_CORE_FIELD_LSHIFT_U64`.
      public static let fieldLeftShift = Kind(rawValue: 4)
      /// Kernel: `BPF_CORE_FIELD_RSHIFT_U64`.
      public static let fieldRightShift = Kind(rawValue: 5)
      /// Kernel: `BPF_CORE_TYPE_ID_LOCAL`.
      public static let typeIDLocal = Kind(rawValue: 6)
      /// Kernel: `BPF_CORE_TYPE_ID_TARGET`.
      public static let typeIDTarget = Kind(rawValue: 7)
      /// Kernel: `BPF_CORE_TYPE_EXISTS`.
      public static let typeExists = Kind(rawValue: 8)
      /// Kernel: `BPF_CORE_TYPE_SIZE`.
      public static let typeSize = Kind(rawValue: 9)
      /// Kernel: `BPF_CORE_ENUMVAL_EXISTS`.
      public static let enumValueExists = Kind(rawValue: 10)
      /// Kernel: `BPF_CORE_ENUMVAL_VALUE`.
      public static let enumValue = Kind(rawValue: 11)
      /// Kernel: `BPF_CORE_TYPE_MATCHES`.
      public static let typeMatches = Kind(rawValue: 12)

      static let names = [
        "byte_off", "byte_sz", "field_exists", "signed", "lshift_u64", "rshift_u64",
        "local_type_id", "target_type_id", "type_exists", "type_size",
        "enumval_exists", "enumval_value", "type_matches",
      ]
      /// libbpf's short name (`byte_off`, `type_exists`...).
      public var description: String {
        rawValue < Kind.names.count ? Kind.names[Int(rawValue)] : "unknown(\(rawValue))"
      }
    }
  }
}
