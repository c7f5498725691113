/// The single-bit fields of `perf_event_attr`'s flags word (`disabled`,
/// `inherit`, … `sigtrap`), by bit number.
public struct PerfEventFlags: OptionSet, Sendable, Hashable {
  public let rawValue: UInt64
  public init(rawValue: UInt64) { self.rawValue = rawValue }

  /// Created off; enabled later (`PERF_EVENT_IOC_ENABLE`). Kernel: `disabled`.
  public static let disabled = PerfEventFlags(rawValue: 1 << 0)
  /// Counts child tasks created after the event too. Kernel: `inherit`.
  public static let inherit = PerfEventFlags(rawValue: 1 << 1)
  /// Always on the PMU; an error state when it cannot be. Kernel: `pinned`.
  public static let pinned = PerfEventFlags(rawValue: 1 << 2)
  /// Alone on the PMU when scheduled (for group measurements). Kernel: `exclusive`.
  public static let exclusive = PerfEventFlags(rawValue: 1 << 3)
  /// Does not count user-space execution. Kernel: `exclude_user`.
  public static let excludeUser = PerfEventFlags(rawValue: 1 << 4)
  /// Does not count kernel execution. Kernel: `exclude_kernel`.
  public static let excludeKernel = PerfEventFlags(rawValue: 1 << 5)
  /// Does not count the hypervisor. Kernel: `exclude_hv`.
  public static let excludeHypervisor = PerfEventFlags(rawValue: 1 << 6)
  /// Does not count while the CPU is idle. Kernel: `exclude_idle`.
  public static let excludeIdle = PerfEventFlags(rawValue: 1 << 7)
  /// Records executable mmaps (`PERF_RECORD_MMAP`). Kernel: `mmap`.
  public static let mmap = PerfEventFlags(rawValue: 1 << 8)
  /// Records process name changes (`PERF_RECORD_COMM`). Kernel: `comm`.
  public static let comm = PerfEventFlags(rawValue: 1 << 9)
  /// Kernel: `freq` — the period field is a frequency.
  public static let frequency = PerfEventFlags(rawValue: 1 << 10)
  /// Saves inherited counts per task at exit. Kernel: `inherit_stat`.
  public static let inheritStat = PerfEventFlags(rawValue: 1 << 11)
  /// Enables the event at the next `exec`. Kernel: `enable_on_exec`.
  public static let enableOnExec = PerfEventFlags(rawValue: 1 << 12)
  /// Records forks and exits (`PERF_RECORD_FORK`/`EXIT`). Kernel: `task`.
  public static let task = PerfEventFlags(rawValue: 1 << 13)
  /// Kernel: `watermark` — wake up by bytes, not events.
  public static let watermark = PerfEventFlags(rawValue: 1 << 14)
  // Bits 15–16 are `precise_ip` (`PerfEventAttributes.preciseIP`).
  /// Records data mmaps as well. Kernel: `mmap_data`.
  public static let mmapData = PerfEventFlags(rawValue: 1 << 17)
  /// Adds the sample id fields to every record type. Kernel: `sample_id_all`.
  public static let sampleIDAll = PerfEventFlags(rawValue: 1 << 18)
  /// Does not count the host when running guests. Kernel: `exclude_host`.
  public static let excludeHost = PerfEventFlags(rawValue: 1 << 19)
  /// Does not count guests. Kernel: `exclude_guest`.
  public static let excludeGuest = PerfEventFlags(rawValue: 1 << 20)
  /// Leaves kernel frames out of call chains. Kernel: `exclude_callchain_kernel`.
  public static let excludeCallchainKernel = PerfEventFlags(rawValue: 1 << 21)
  /// Leaves user frames out of call chains. Kernel: `exclude_callchain_user`.
  public static let excludeCallchainUser = PerfEventFlags(rawValue: 1 << 22)
  /// Records mmaps with inode data (`PERF_RECORD_MMAP2`). Kernel: `mmap2`.
  public static let mmap2 = PerfEventFlags(rawValue: 1 << 23)
  /// Marks name changes caused by `exec`. Kernel: `comm_exec`.
  public static let commExec = PerfEventFlags(rawValue: 1 << 24)
  /// Timestamps from `clockid` instead of the perf clock. Kernel: `use_clockid`.
  public static let useClockID = PerfEventFlags(rawValue: 1 << 25)
  /// Records context switches. Kernel: `context_switch`.
  public static let contextSwitch = PerfEventFlags(rawValue: 1 << 26)
  /// Writes the ring buffer backwards (overwritable rings). Kernel: `write_backward`.
  public static let writeBackward = PerfEventFlags(rawValue: 1 << 27)
  /// Records namespace changes. Kernel: `namespaces`.
  public static let namespaces = PerfEventFlags(rawValue: 1 << 28)
  /// Records kernel symbols registered and removed (JITed BPF programs). Kernel: `ksymbol`.
  public static let ksymbol = PerfEventFlags(rawValue: 1 << 29)
  /// Records BPF programs loaded and unloaded. Kernel: `bpf_event`.
  public static let bpfEvent = PerfEventFlags(rawValue: 1 << 30)
  /// Sends output to the group leader's AUX area. Kernel: `aux_output`.
  public static let auxOutput = PerfEventFlags(rawValue: 1 << 31)
  /// Records cgroup creations. Kernel: `cgroup`.
  public static let cgroup = PerfEventFlags(rawValue: 1 << 32)
  /// Records kernel text modifications. Kernel: `text_poke`.
  public static let textPoke = PerfEventFlags(rawValue: 1 << 33)
  /// Uses build ids instead of inode data in `PERF_RECORD_MMAP2`. Kernel: `build_id`.
  public static let buildID = PerfEventFlags(rawValue: 1 << 34)
  /// Inherits to threads only (`CLONE_THREAD`), with `inherit`. Kernel: `inherit_thread`.
  public static let inheritThread = PerfEventFlags(rawValue: 1 << 35)
  /// Removes the event at `exec`. Kernel: `remove_on_exec`.
  public static let removeOnExec = PerfEventFlags(rawValue: 1 << 36)
  /// Sends `SIGTRAP` on each overflow. Kernel: `sigtrap`.
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
