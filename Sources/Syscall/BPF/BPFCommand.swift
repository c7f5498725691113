/// A bpf(2) command number with its kernel name.
///
/// Kernel: `enum bpf_cmd` (numbers are ABI; checked against kernel BTF in tests).
public struct BPFCommand: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public let rawValue: CInt
  public init(rawValue: CInt) { self.rawValue = rawValue }

  public static let mapCreate = BPFCommand(rawValue: 0)
  public static let mapLookupElement = BPFCommand(rawValue: 1)
  public static let mapUpdateElement = BPFCommand(rawValue: 2)
  public static let mapDeleteElement = BPFCommand(rawValue: 3)
  public static let mapGetNextKey = BPFCommand(rawValue: 4)
  public static let programLoad = BPFCommand(rawValue: 5)
  public static let objectPin = BPFCommand(rawValue: 6)
  public static let objectGet = BPFCommand(rawValue: 7)
  public static let programAttach = BPFCommand(rawValue: 8)
  public static let programDetach = BPFCommand(rawValue: 9)
  public static let programTestRun = BPFCommand(rawValue: 10)
  public static let programGetNextID = BPFCommand(rawValue: 11)
  public static let mapGetNextID = BPFCommand(rawValue: 12)
  public static let programGetFDByID = BPFCommand(rawValue: 13)
  public static let mapGetFDByID = BPFCommand(rawValue: 14)
  public static let objectGetInfoByFD = BPFCommand(rawValue: 15)
  public static let programQuery = BPFCommand(rawValue: 16)
  public static let rawTracepointOpen = BPFCommand(rawValue: 17)
  public static let btfLoad = BPFCommand(rawValue: 18)
  public static let btfGetFDByID = BPFCommand(rawValue: 19)
  public static let taskFDQuery = BPFCommand(rawValue: 20)
  public static let mapLookupAndDeleteElement = BPFCommand(rawValue: 21)
  public static let mapFreeze = BPFCommand(rawValue: 22)
  public static let btfGetNextID = BPFCommand(rawValue: 23)
  public static let mapLookupBatch = BPFCommand(rawValue: 24)
  public static let mapLookupAndDeleteBatch = BPFCommand(rawValue: 25)
  public static let mapUpdateBatch = BPFCommand(rawValue: 26)
  public static let mapDeleteBatch = BPFCommand(rawValue: 27)
  public static let linkCreate = BPFCommand(rawValue: 28)
  public static let linkUpdate = BPFCommand(rawValue: 29)
  public static let linkGetFDByID = BPFCommand(rawValue: 30)
  public static let linkGetNextID = BPFCommand(rawValue: 31)
  public static let enableStats = BPFCommand(rawValue: 32)
  public static let iterCreate = BPFCommand(rawValue: 33)
  public static let linkDetach = BPFCommand(rawValue: 34)
  public static let programBindMap = BPFCommand(rawValue: 35)
  public static let tokenCreate = BPFCommand(rawValue: 36)

  /// Kernel names by number, in `enum bpf_cmd` order.
  public static let kernelNames: [String] = [
    "BPF_MAP_CREATE", "BPF_MAP_LOOKUP_ELEM", "BPF_MAP_UPDATE_ELEM", "BPF_MAP_DELETE_ELEM",
    "BPF_MAP_GET_NEXT_KEY", "BPF_PROG_LOAD", "BPF_OBJ_PIN", "BPF_OBJ_GET", "BPF_PROG_ATTACH",
    "BPF_PROG_DETACH", "BPF_PROG_TEST_RUN", "BPF_PROG_GET_NEXT_ID", "BPF_MAP_GET_NEXT_ID",
    "BPF_PROG_GET_FD_BY_ID", "BPF_MAP_GET_FD_BY_ID", "BPF_OBJ_GET_INFO_BY_FD", "BPF_PROG_QUERY",
    "BPF_RAW_TRACEPOINT_OPEN", "BPF_BTF_LOAD", "BPF_BTF_GET_FD_BY_ID", "BPF_TASK_FD_QUERY",
    "BPF_MAP_LOOKUP_AND_DELETE_ELEM", "BPF_MAP_FREEZE", "BPF_BTF_GET_NEXT_ID",
    "BPF_MAP_LOOKUP_BATCH", "BPF_MAP_LOOKUP_AND_DELETE_BATCH", "BPF_MAP_UPDATE_BATCH",
    "BPF_MAP_DELETE_BATCH", "BPF_LINK_CREATE", "BPF_LINK_UPDATE", "BPF_LINK_GET_FD_BY_ID",
    "BPF_LINK_GET_NEXT_ID", "BPF_ENABLE_STATS", "BPF_ITER_CREATE", "BPF_LINK_DETACH",
    "BPF_PROG_BIND_MAP", "BPF_TOKEN_CREATE",
  ]

  /// The kernel name (`BPF_MAP_CREATE`), or `bpf command N`.
  public var name: String {
    let index = Int(rawValue)
    return BPFCommand.kernelNames.indices.contains(index)
      ? BPFCommand.kernelNames[index] : "bpf command \(rawValue)"
  }

  public var description: String { name }
}
