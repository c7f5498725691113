import ELFReader
import Syscall

extension AttachScope {
  /// uprobe/uretprobe: the symbol's file offset in the ELF file, then a perf
  /// event on the `uprobe` PMU (`config1` = path, `config2` = offset, the
  /// `retprobe` bit, `ref_ctr_offset` in the high config bits) and a perf link.
  ///
  /// Kernel: uprobe PMU 4.17, `ref_ctr_offset` 5.5. `pid` nil: all
  /// processes (the event is opened on CPU 0 with pid -1); a pid: that
  /// process on any CPU.
  func attachUprobe(
    path: String, function: String?, offset: UInt64, isReturn: Bool, pid: Int32?, cookie: UInt64,
    referenceCounterOffset: UInt64, point: AttachPoint
  ) throws(AttachError) -> Link {
    let file = try resolveBinary(path, pid: pid, point: point)
    var fileOffset = offset
    if let function {
      do {
        fileOffset = try ExecutableFile.open(path: file).fileOffset(ofFunction: function, plus: offset)
      } catch {
        throw .executable(error, program: name)
      }
    }
    let event = try openUprobeEvent(path: file, offset: fileOffset, isReturn: isReturn, pid: pid,
                                    referenceCounterOffset: referenceCounterOffset, point: point)
    return try attachPerfEvent(event, cookie: cookie, point: point)
  }

  func resolveBinary(_ path: String, pid: Int32?, point: AttachPoint) throws(AttachError) -> String {
    guard let file = BinaryPath.resolve(path, pid: pid) else {
      throw .targetNotFound(program: name, target: point.description,
                            reason: "no file '\(path)' in /proc/<pid>/maps, LD_LIBRARY_PATH, PATH or the library directories")
    }
    return file
  }

  /// The uprobe perf event itself.
  func openUprobeEvent(path: String, offset: UInt64, isReturn: Bool, pid: Int32?,
                       referenceCounterOffset: UInt64, point: AttachPoint) throws(AttachError) -> OwnedFD {
    guard let pmu = DynamicPMU.named("uprobe") else {
      throw .unavailable(program: name, target: point.description,
                         reason: "uprobes are not available in this kernel (CONFIG_UPROBE_EVENTS off): no uprobe PMU in \(DynamicPMU.root)")
    }
    var config: UInt64 = 0
    if isReturn {
      guard let bit = pmu.retprobeBit else {
        throw .unavailable(program: name, target: point.description, reason: "the uprobe PMU has no retprobe format bit")
      }
      config |= 1 << bit
    }
    if referenceCounterOffset != 0 {
      guard let shift = pmu.referenceCounterShift else {
        throw .unavailable(program: name, target: point.description,
                           reason: "the uprobe PMU has no ref_ctr_offset (Linux 5.5) for USDT semaphores")
      }
      config |= referenceCounterOffset << shift
    }
    var attributes = PerfEventAttributes(type: pmu.type, config: config)
    attributes.probeTarget = path
    attributes.config2 = offset
    attributes.samplePeriodOrFrequency = 1
    do {
      return try kernel.openPerfEvent(attributes, pid: pid ?? -1, cpu: pid == nil ? 0 : -1)
    } catch {
      throw failure(error, point)
    }
  }
}
