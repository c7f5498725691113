/// The single-bit fields of `perf_event_attr`'s flags word (`disabled`,
/// `inherit`, … `sigtrap`), by bit number.
public struct PerfEventFlags: OptionSet, Sendable, Hashable {
  public let rawValue: UInt64
  public init(rawValue: UInt64) { self.rawValue = rawValue }

  public static let disabled = PerfEventFlags(rawValue: 1 << 0)
  public static let inherit = PerfEventFlags(rawValue: 1 << 1)
  public static let pinned = PerfEventFlags(rawValue: 1 << 2)
  public static let exclusive = PerfEventFlags(rawValue: 1 << 3)
  public static let excludeUser = PerfEventFlags(rawValue: 1 << 4)
  public static let excludeKernel = PerfEventFlags(rawValue: 1 << 5)
  public static let excludeHypervisor = PerfEventFlags(rawValue: 1 << 6)
  public static let excludeIdle = PerfEventFlags(rawValue: 1 << 7)
  public static let mmap = PerfEventFlags(rawValue: 1 << 8)
  public static let comm = PerfEventFlags(rawValue: 1 << 9)
  /// Kernel: `freq` — the period field is a frequency.
  public static let frequency = PerfEventFlags(rawValue: 1 << 10)
  public static let inheritStat = PerfEventFlags(rawValue: 1 << 11)
  public static let enableOnExec = PerfEventFlags(rawValue: 1 << 12)
  public static let task = PerfEventFlags(rawValue: 1 << 13)
  /// Kernel: `watermark` — wake up by bytes, not events.
  public static let watermark = PerfEventFlags(rawValue: 1 << 14)
  // Bits 15–16 are `precise_ip` (`PerfEventAttributes.preciseIP`).
  public static let mmapData = PerfEventFlags(rawValue: 1 << 17)
  public static let sampleIDAll = PerfEventFlags(rawValue: 1 << 18)
  public static let excludeHost = PerfEventFlags(rawValue: 1 << 19)
  public static let excludeGuest = PerfEventFlags(rawValue: 1 << 20)
  public static let excludeCallchainKernel = PerfEventFlags(rawValue: 1 << 21)
  public static let excludeCallchainUser = PerfEventFlags(rawValue: 1 << 22)
  public static let mmap2 = PerfEventFlags(rawValue: 1 << 23)
  public static let commExec = PerfEventFlags(rawValue: 1 << 24)
  public static let useClockID = PerfEventFlags(rawValue: 1 << 25)
  public static let contextSwitch = PerfEventFlags(rawValue: 1 << 26)
  public static let writeBackward = PerfEventFlags(rawValue: 1 << 27)
  public static let namespaces = PerfEventFlags(rawValue: 1 << 28)
  public static let ksymbol = PerfEventFlags(rawValue: 1 << 29)
  public static let bpfEvent = PerfEventFlags(rawValue: 1 << 30)
  public static let auxOutput = PerfEventFlags(rawValue: 1 << 31)
  public static let cgroup = PerfEventFlags(rawValue: 1 << 32)
  public static let textPoke = PerfEventFlags(rawValue: 1 << 33)
  public static let buildID = PerfEventFlags(rawValue: 1 << 34)
  public static let inheritThread = PerfEventFlags(rawValue: 1 << 35)
  public static let removeOnExec = PerfEventFlags(rawValue: 1 << 36)
  public static let sigtrap = PerfEventFlags(rawValue: 1 << 37)

  /// Each named bit with the kernel's bit-field name, for layout tests.
  public static let kernelNames: [(name: String, bit: Int)] = [
    ("disabled", 0), ("inherit", 1), ("pinned", 2), ("exclusive", 3), ("exclude_user", 4),
    ("exclude_kernel", 5), ("exclude_hv", 6), ("exclude_idle", 7), ("mmap", 8), ("comm", 9),
    ("freq", 10), ("inherit_stat", 11), ("enable_on_exec", 12), ("task", 13),
    ("watermark", 14), ("mmap_data", 17), ("sample_id_all", 18), ("exclude_host", 19),
    ("exclude_guest", 20), ("exclude_callchain_kernel", 21), ("exclude_callchain_user", 22),
    ("mmap2", 23), ("comm_exec", 24), ("use_clockid", 25), ("context_switch", 26),
    ("write_backward", 27), ("namespaces", 28), ("ksymbol", 29), ("bpf_event", 30),
    ("aux_output", 31), ("cgroup", 32), ("text_poke", 33), ("build_id", 34),
    ("inherit_thread", 35), ("remove_on_exec", 36), ("sigtrap", 37),
  ]

  /// Bit offset of the two-bit `precise_ip` field.
  public static let preciseIPShift = 15
}
