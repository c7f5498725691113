/// A perf event description for perf_event_open(2).
///
/// Kernel: `struct perf_event_attr`; we send `PERF_ATTR_SIZE_VER8` (136
/// bytes, through `config3`, Linux 6.3). Older kernels accept it while the
/// fields they lack are zero, and reject it with `E2BIG` otherwise.
public struct PerfEventAttributes: Sendable, Hashable {
  /// Kernel: `PERF_TYPE_*` or a dynamic PMU's type (e.g. the `uprobe` PMU's
  /// number from /sys/bus/event_source/devices/uprobe/type).
  public var type: UInt32
  /// `config`: which event of `type` (`PERF_COUNT_SW_CPU_CLOCK`, a tracepoint's
  /// id from tracefs, a uprobe PMU's return-probe bit).
  public var config: UInt64
  /// `sample_period`, or `sample_freq` when `flags` has `.frequency`.
  public var samplePeriodOrFrequency: UInt64
  /// `sample_type`: the `PERF_SAMPLE_*` fields each sample carries
  /// (`sampleRaw` for BPF output).
  public var sampleType: UInt64
  /// `read_format`: what read(2) on the event returns (`PERF_FORMAT_*`).
  public var readFormat: UInt64
  /// The single-bit fields (`disabled`, `freq`, `watermark`...).
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
  /// `branch_sample_type` (`PERF_SAMPLE_BRANCH_*`), with `PERF_SAMPLE_BRANCH_STACK`.
  public var branchSampleType: UInt64
  /// `sample_regs_user`: the user registers to sample, as a bit mask.
  public var sampleRegistersUser: UInt64
  /// `sample_stack_user`: bytes of user stack to copy into each sample.
  public var sampleStackUser: UInt32
  /// `clockid`, used with the `useClockID` flag (`CLOCK_MONOTONIC`...).
  public var clockID: Int32
  /// `sample_regs_intr`: the registers at the interrupt to sample.
  public var sampleRegistersInterrupt: UInt64
  /// `aux_watermark`: bytes of AUX data before a wake-up.
  public var auxWatermark: UInt32
  /// `sample_max_stack`: the deepest call chain to record.
  public var sampleMaxStack: UInt16
  /// `aux_sample_size`: bytes of AUX data per sample.
  public var auxSampleSize: UInt32
  /// `aux_action`: what to do with the AUX area (start paused, pause, resume).
  public var auxAction: UInt32
  /// `sig_data`: the value passed with `SIGTRAP` (`sigtrap` flag).
  public var signalData: UInt64
  /// `config3` (Linux 6.3): a further PMU-specific word.
  public var config3: UInt64
  /// For the kprobe and uprobe PMUs: the function name or binary path that
  /// `config1` must point at. When set, it overrides `config1` for the call.
  public var probeTarget: String?

  /// Event `config` of PMU `type`, every other field 0 (counting, enabled,
  /// no samples).
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

  /// Hardware events (cycles, instructions). Kernel: `PERF_TYPE_HARDWARE`
  /// (`enum perf_type_id`, as are the types below).
  public static let typeHardware: UInt32 = 0
  /// Software events (CPU clock, task clock, BPF output). Kernel: `PERF_TYPE_SOFTWARE`.
  public static let typeSoftware: UInt32 = 1
  /// Tracefs tracepoints, by id. Kernel: `PERF_TYPE_TRACEPOINT`.
  public static let typeTracepoint: UInt32 = 2
  /// Cache events. Kernel: `PERF_TYPE_HW_CACHE`.
  public static let typeHardwareCache: UInt32 = 3
  /// Raw PMU events. Kernel: `PERF_TYPE_RAW`.
  public static let typeRaw: UInt32 = 4
  /// Hardware breakpoints. Kernel: `PERF_TYPE_BREAKPOINT`.
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
