/// A perf event description for perf_event_open(2).
///
/// Kernel: `struct perf_event_attr`; we send `PERF_ATTR_SIZE_VER8` (136
/// bytes, through `config3`, Linux 6.3). Older kernels accept it while the
/// fields they lack are zero, and reject it with `E2BIG` otherwise.
public struct PerfEventAttributes: Sendable, Hashable {
  /// Kernel: `PERF_TYPE_*` or a dynamic PMU's type (e.g. the `uprobe` PMU's
  /// number from /sys/bus/event_source/devices/uprobe/type).
  public var type: UInt32
  public var config: UInt64
  /// `sample_period`, or `sample_freq` when `flags` has `.frequency`.
  public var samplePeriodOrFrequency: UInt64
  public var sampleType: UInt64
  public var readFormat: UInt64
  public var flags: PerfEventFlags
  /// `precise_ip` (0–3), the two-bit field inside the flags word.
  public var preciseIP: UInt8
  /// `wakeup_events`, or `wakeup_watermark` with `.watermark`.
  public var wakeupEventsOrWatermark: UInt32
  /// `bp_type` for breakpoints.
  public var breakpointType: UInt32
  /// `config1` (also `bp_addr`, `kprobe_func`, `uprobe_path`); see `probeTarget`.
  public var config1: UInt64
  /// `config2` (also `bp_len`, `kprobe_addr`, `probe_offset`).
  public var config2: UInt64
  public var branchSampleType: UInt64
  public var sampleRegistersUser: UInt64
  public var sampleStackUser: UInt32
  public var clockID: Int32
  public var sampleRegistersInterrupt: UInt64
  public var auxWatermark: UInt32
  public var sampleMaxStack: UInt16
  public var auxSampleSize: UInt32
  public var auxAction: UInt32
  public var signalData: UInt64
  public var config3: UInt64
  /// For the kprobe and uprobe PMUs: the function name or binary path that
  /// `config1` must point at. When set, it overrides `config1` for the call.
  public var probeTarget: String?

  public init(type: UInt32, config: UInt64) {
    self.type = type
    self.config = config
    samplePeriodOrFrequency = 0
    sampleType = 0
    readFormat = 0
    flags = []
    preciseIP = 0
    wakeupEventsOrWatermark = 0
    breakpointType = 0
    config1 = 0
    config2 = 0
    branchSampleType = 0
    sampleRegistersUser = 0
    sampleStackUser = 0
    clockID = 0
    sampleRegistersInterrupt = 0
    auxWatermark = 0
    sampleMaxStack = 0
    auxSampleSize = 0
    auxAction = 0
    signalData = 0
    config3 = 0
    probeTarget = nil
  }

  /// Kernel: `PERF_TYPE_HARDWARE`, `PERF_TYPE_SOFTWARE`, … (`enum perf_type_id`).
  public static let typeHardware: UInt32 = 0
  public static let typeSoftware: UInt32 = 1
  public static let typeTracepoint: UInt32 = 2
  public static let typeHardwareCache: UInt32 = 3
  public static let typeRaw: UInt32 = 4
  public static let typeBreakpoint: UInt32 = 5

  /// Kernel: `PERF_COUNT_SW_CPU_CLOCK` (`enum perf_sw_ids`).
  public static let softwareCPUClock: UInt64 = 0
  /// Kernel: `PERF_COUNT_SW_TASK_CLOCK`.
  public static let softwareTaskClock: UInt64 = 1
  /// Kernel: `PERF_COUNT_SW_BPF_OUTPUT`, the event behind perf event arrays.
  public static let softwareBPFOutput: UInt64 = 10

  /// Kernel: `PERF_SAMPLE_RAW`.
  public static let sampleRaw: UInt64 = 1 << 10
}

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
