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
    /// The section's byte order (the object's).
    public var byteOrder: ByteOrder
    /// func_info: where each function starts and its FUNC type, per code section.
    public var functionInfo: [InfoSection<FunctionInfo>]
    /// line_info: the C source line of instructions, per code section.
    public var lineInfo: [InfoSection<LineInfo>]
    /// CO-RE relocation records, per code section (empty without `core_relo`).
    public var coreRelocations: [InfoSection<CORERelocation>]
    /// Record sizes as stored (0 when the part is absent).
    public var functionInfoRecordSize: Int
    /// The stored size of a line_info record (0 when absent).
    public var lineInfoRecordSize: Int
    /// The stored size of a CO-RE record (0 when absent).
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
    /// The code section's ELF name (`tp/sched/sched_switch`, `.text`).
    public var name: String
    /// That name's offset in the `.BTF` string table (`sec_name_off`).
    public var nameOffset: Name
    /// The records, in the order stored (by instruction offset).
    public var records: [Record]
  }

  /// Kernel: `struct bpf_func_info`. In an object the offset is in bytes
  /// from the start of the section; the kernel wants instruction indexes.
  public struct FunctionInfo: Sendable, Equatable {
    /// The function's first instruction, in bytes from the section start
    /// (`insn_off`).
    public var instructionOffset: UInt32
    /// A FUNC.
    public var type: TypeID
    /// The function's first slot index (`instructionOffset` / 8), as the
    /// kernel counts.
    public var instructionIndex: Int { Int(instructionOffset / 8) }
  }

  /// Kernel: `struct bpf_line_info` (line in bits 10-31 of `line_col`,
  /// column in bits 0-9), with the file name and source text resolved.
  public struct LineInfo: Sendable, Equatable {
    /// The instruction, in bytes from the section start (`insn_off`).
    public var instructionOffset: UInt32
    /// The source file name's string offset (`file_name_off`).
    public var fileNameOffset: Name
    /// The source line text's string offset (`line_off`).
    public var sourceOffset: Name
    /// The source file name, as the compiler saw it.
    public var file: String
    /// The text of the source line.
    public var source: String
    /// The line number, from 1.
    public var line: UInt32
    /// The column, from 1 (0 when unknown).
    public var column: UInt32
    /// The instruction's slot index (`instructionOffset` / 8).
    public var instructionIndex: Int { Int(instructionOffset / 8) }
  }

  /// Kernel: `struct bpf_core_relo`.
  public struct CORERelocation: Sendable, Equatable {
    /// The instruction to patch, in bytes from the section start (`insn_off`).
    public var instructionOffset: UInt32
    /// The local type the access starts from.
    public var type: TypeID
    /// The access string's offset in the string table (`access_str_off`).
    public var accessStringOffset: Name
    /// The access string, e.g. `"0:1:2"`.
    public var accessString: String
    /// What the instruction needs: a field offset, a type id, an enum value...
    public var kind: Kind
    /// The instruction's slot index (`instructionOffset` / 8).
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
