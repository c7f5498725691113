/// Kernel: `struct perf_event_attr`, through `config3` (`PERF_ATTR_SIZE_VER8`).
package enum PerfEventAttrLayout {
  static let cType = "struct perf_event_attr"
  static let type = U32(0, "type")
  static let size = U32(4, "size")
  static let config = U64(8, "config")
  static let samplePeriod = U64(16, "sample_period")
  static let sampleFreq = U64(16, "sample_freq")
  static let sampleType = U64(24, "sample_type")
  static let readFormat = U64(32, "read_format")
  /// The word holding `disabled` … `sigtrap` (bit fields; tests check each bit).
  static let flags = U64(40, "<flags word>")
  static let wakeupEvents = U32(48, "wakeup_events")
  static let wakeupWatermark = U32(48, "wakeup_watermark")
  static let bpType = U32(52, "bp_type")
  static let config1 = U64(56, "config1")
  static let config2 = U64(64, "config2")
  static let branchSampleType = U64(72, "branch_sample_type")
  static let sampleRegsUser = U64(80, "sample_regs_user")
  static let sampleStackUser = U32(88, "sample_stack_user")
  static let clockid = S32(92, "clockid")
  static let sampleRegsIntr = U64(96, "sample_regs_intr")
  static let auxWatermark = U32(104, "aux_watermark")
  static let sampleMaxStack = KernelField<UInt16>(108, "sample_max_stack")
  static let auxSampleSize = U32(112, "aux_sample_size")
  static let auxAction = U32(116, "aux_action")
  static let sigData = U64(120, "sig_data")
  static let config3 = U64(128, "config3")

  /// The fields with a C name `offsetof` accepts (the flags word is checked bit by bit).
  package static let layout = KernelLayout(
    cType: cType, name: "perf_event_attr", size: config3.end,
    fields: [type.info, size.info, config.info, samplePeriod.info, sampleFreq.info,
             sampleType.info, readFormat.info, wakeupEvents.info, wakeupWatermark.info,
             bpType.info, config1.info, config2.info, branchSampleType.info,
             sampleRegsUser.info, sampleStackUser.info, clockid.info, sampleRegsIntr.info,
             auxWatermark.info, sampleMaxStack.info, auxSampleSize.info, auxAction.info,
             sigData.info, config3.info])

  /// Offset of the flags word, for the bit tests.
  package static let flagsOffset = flags.offset
}
