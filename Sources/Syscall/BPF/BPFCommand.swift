/// A bpf(2) command number with its kernel name.
///
/// Kernel: `enum bpf_cmd` (numbers are ABI; checked against kernel BTF in tests).
public struct BPFCommand: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public let rawValue: CInt
  public init(rawValue: CInt) { self.rawValue = rawValue }

  /// Creates a map; returns its descriptor. Kernel: `BPF_MAP_CREATE`, Linux 3.18.
  public static let mapCreate = BPFCommand(rawValue: 0)
  /// Reads the value under a key. Kernel: `BPF_MAP_LOOKUP_ELEM`, Linux 3.18.
  public static let mapLookupElement = BPFCommand(rawValue: 1)
  /// Creates or replaces an element (`BPF_ANY`, `BPF_NOEXIST`, `BPF_EXIST`).
  /// Kernel: `BPF_MAP_UPDATE_ELEM`, Linux 3.18.
  public static let mapUpdateElement = BPFCommand(rawValue: 2)
  /// Deletes the element under a key. Kernel: `BPF_MAP_DELETE_ELEM`, Linux 3.18.
  public static let mapDeleteElement = BPFCommand(rawValue: 3)
  /// The key after a given one (the first, given none): how maps are walked.
  /// Kernel: `BPF_MAP_GET_NEXT_KEY`, Linux 3.18.
  public static let mapGetNextKey = BPFCommand(rawValue: 4)
  /// Verifies and loads a program; returns its descriptor. Kernel: `BPF_PROG_LOAD`, Linux 3.18.
  public static let programLoad = BPFCommand(rawValue: 5)
  /// Pins a map, program or link at a bpffs path. Kernel: `BPF_OBJ_PIN`, Linux 4.4.
  public static let objectPin = BPFCommand(rawValue: 6)
  /// Opens the object pinned at a bpffs path. Kernel: `BPF_OBJ_GET`, Linux 4.4.
  public static let objectGet = BPFCommand(rawValue: 7)
  /// Attaches a program without a link (cgroups, sockmaps, flow dissector).
  /// Kernel: `BPF_PROG_ATTACH`, Linux 4.10.
  public static let programAttach = BPFCommand(rawValue: 8)
  /// Detaches what `programAttach` attached. Kernel: `BPF_PROG_DETACH`, Linux 4.10.
  public static let programDetach = BPFCommand(rawValue: 9)
  /// Runs a program once on given data and context. Kernel: `BPF_PROG_TEST_RUN`, Linux 4.12.
  public static let programTestRun = BPFCommand(rawValue: 10)
  /// The next loaded program id after a given one. Kernel: `BPF_PROG_GET_NEXT_ID`, Linux 4.13.
  public static let programGetNextID = BPFCommand(rawValue: 11)
  /// The next map id after a given one. Kernel: `BPF_MAP_GET_NEXT_ID`, Linux 4.13.
  public static let mapGetNextID = BPFCommand(rawValue: 12)
  /// Opens a program by id (needs `CAP_SYS_ADMIN`). Kernel: `BPF_PROG_GET_FD_BY_ID`, Linux 4.13.
  public static let programGetFDByID = BPFCommand(rawValue: 13)
  /// Opens a map by id (needs `CAP_SYS_ADMIN`). Kernel: `BPF_MAP_GET_FD_BY_ID`, Linux 4.13.
  public static let mapGetFDByID = BPFCommand(rawValue: 14)
  /// Describes a map, program, BTF or link (`struct bpf_*_info`). Kernel:
  /// `BPF_OBJ_GET_INFO_BY_FD`, Linux 4.13.
  public static let objectGetInfoByFD = BPFCommand(rawValue: 15)
  /// Lists the programs attached to a hook (a cgroup, an interface). Kernel:
  /// `BPF_PROG_QUERY`, Linux 4.15.
  public static let programQuery = BPFCommand(rawValue: 16)
  /// Attaches a raw tracepoint or BTF-typed tracing program. Kernel:
  /// `BPF_RAW_TRACEPOINT_OPEN`, Linux 4.17.
  public static let rawTracepointOpen = BPFCommand(rawValue: 17)
  /// Loads BTF; returns its descriptor. Kernel: `BPF_BTF_LOAD`, Linux 4.18.
  public static let btfLoad = BPFCommand(rawValue: 18)
  /// Opens a BTF object by id. Kernel: `BPF_BTF_GET_FD_BY_ID`, Linux 4.18.
  public static let btfGetFDByID = BPFCommand(rawValue: 19)
  /// Describes the perf-event attachment behind a task's descriptor. Kernel:
  /// `BPF_TASK_FD_QUERY`, Linux 4.18.
  public static let taskFDQuery = BPFCommand(rawValue: 20)
  /// Reads and deletes an element (pops a queue or stack). Kernel:
  /// `BPF_MAP_LOOKUP_AND_DELETE_ELEM`, Linux 4.20.
  public static let mapLookupAndDeleteElement = BPFCommand(rawValue: 21)
  /// Makes a map read-only for user space. Kernel: `BPF_MAP_FREEZE`, Linux 5.2.
  public static let mapFreeze = BPFCommand(rawValue: 22)
  /// The next BTF id after a given one. Kernel: `BPF_BTF_GET_NEXT_ID`, Linux 5.4.
  public static let btfGetNextID = BPFCommand(rawValue: 23)
  /// Reads many elements in one call. Kernel: `BPF_MAP_LOOKUP_BATCH`, Linux 5.6.
  public static let mapLookupBatch = BPFCommand(rawValue: 24)
  /// Reads and deletes many elements in one call. Kernel:
  /// `BPF_MAP_LOOKUP_AND_DELETE_BATCH`, Linux 5.6.
  public static let mapLookupAndDeleteBatch = BPFCommand(rawValue: 25)
  /// Writes many elements in one call. Kernel: `BPF_MAP_UPDATE_BATCH`, Linux 5.6.
  public static let mapUpdateBatch = BPFCommand(rawValue: 26)
  /// Deletes many elements in one call. Kernel: `BPF_MAP_DELETE_BATCH`, Linux 5.6.
  public static let mapDeleteBatch = BPFCommand(rawValue: 27)
  /// Attaches a program through a BPF link; returns the link's descriptor.
  /// Kernel: `BPF_LINK_CREATE`, Linux 5.7.
  public static let linkCreate = BPFCommand(rawValue: 28)
  /// Replaces the program of a link atomically. Kernel: `BPF_LINK_UPDATE`, Linux 5.7.
  public static let linkUpdate = BPFCommand(rawValue: 29)
  /// Opens a link by id. Kernel: `BPF_LINK_GET_FD_BY_ID`, Linux 5.8.
  public static let linkGetFDByID = BPFCommand(rawValue: 30)
  /// The next link id after a given one. Kernel: `BPF_LINK_GET_NEXT_ID`, Linux 5.8.
  public static let linkGetNextID = BPFCommand(rawValue: 31)
  /// Turns on run-time statistics (`run_time_ns`, `run_cnt`) for every program.
  /// Kernel: `BPF_ENABLE_STATS`, Linux 5.8.
  public static let enableStats = BPFCommand(rawValue: 32)
  /// Opens a readable descriptor from an iterator link. Kernel: `BPF_ITER_CREATE`, Linux 5.8.
  public static let iterCreate = BPFCommand(rawValue: 33)
  /// Detaches a link without closing it. Kernel: `BPF_LINK_DETACH`, Linux 5.9.
  public static let linkDetach = BPFCommand(rawValue: 34)
  /// Keeps a map alive as long as a program, without the program using it.
  /// Kernel: `BPF_PROG_BIND_MAP`, Linux 5.10.
  public static let programBindMap = BPFCommand(rawValue: 35)
  /// Creates a BPF token from a bpffs mount (delegated privileges). Kernel:
  /// `BPF_TOKEN_CREATE`, Linux 6.9.
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

  /// The kernel name, as `name`.
  public var description: String { name }
}
