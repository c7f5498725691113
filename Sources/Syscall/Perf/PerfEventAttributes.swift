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
