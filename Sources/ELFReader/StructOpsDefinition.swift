import BTF

/// The contents of a struct_ops map: a variable in `.struct_ops` or
/// `.struct_ops.link` whose type is a kernel ops struct
/// (`tcp_congestion_ops`...), with programs in its function-pointer members.
///
/// Kernel: the map is `BPF_MAP_TYPE_STRUCT_OPS`, its value the kernel's
/// `bpf_struct_ops_<name>` wrapper; the loader matches the local struct to
/// the kernel's by name and member names, copies the data members and puts
/// each program's fd in its member. `.struct_ops.link` maps are created with
/// `BPF_F_LINK` and registered through a link.
public struct StructOpsDefinition: Sendable, Hashable {
  /// The struct's name (`tcp_congestion_ops`), what the kernel type is found by.
  public var typeName: String
  /// The struct in the object's BTF.
  public var typeID: BTF.TypeID
  /// The variable's initial bytes (data members such as `name`), in the
  /// object's layout; function-pointer members are zero here.
  public var data: [UInt8]
  /// The function-pointer members set to programs, by offset.
  public var functions: [Function]

  /// A struct_ops variable of struct `typeName`.
  public init(typeName: String, typeID: BTF.TypeID, data: [UInt8], functions: [Function]) {
    self.typeName = typeName
    self.typeID = typeID
    self.data = data
    self.functions = functions
  }

  /// One `.member = program` of the initializer, from `.rel.struct_ops*`.
  public struct Function: Sendable, Hashable {
    /// The member name (`ssthresh`), matched to the kernel struct's member.
    public var member: String
    /// The member's index in the local struct.
    public var memberIndex: Int
    /// The member's byte offset in the local struct.
    public var offset: UInt64
    /// The program it points to.
    public var program: String
    /// The program symbol's index in the symbol table.
    public var symbolIndex: Int

    /// Member `member` set to `program`.
    public init(member: String, memberIndex: Int, offset: UInt64, program: String, symbolIndex: Int) {
      self.member = member
      self.memberIndex = memberIndex
      self.offset = offset
      self.program = program
      self.symbolIndex = symbolIndex
    }
  }
}
