import Syscall

extension AttachScope {
  /// perf_event programs: one perf event per CPU (every online CPU when
  /// neither `pid` nor `cpu` is given), each running the program.
  ///
  /// Kernel: `PERF_TYPE_SOFTWARE` events exist without a hardware PMU;
  /// `sample_period` (or `sample_freq` with the `freq` bit) decides how often
  /// the program runs.
  func attachPerfEvent(type eventType: UInt32, config: UInt64, samplePeriod: UInt64, frequency: UInt64,
                       pid: Int32?, cpu: Int32?, cookie: UInt64, point: AttachPoint) throws(AttachError) -> Link {
    var attributes = PerfEventAttributes(type: eventType, config: config)
    if frequency != 0 {
      attributes.samplePeriodOrFrequency = frequency
      attributes.flags.insert(.frequency)
    } else {
      attributes.samplePeriodOrFrequency = samplePeriod == 0 ? 1 : samplePeriod
    }
    let cpus: [Int32]
    if let cpu {
      cpus = [cpu]
    } else if pid != nil {
      cpus = [-1]
    } else {
      guard case .success(let text) = SystemFiles.text("/sys/devices/system/cpu/online") else {
        throw .system(program: name, target: point.description,
                      operation: "reading /sys/devices/system/cpu/online", errno: .current)
      }
      cpus = SystemFiles.cpuList(text)
    }
    var parts: [Link] = []
    for c in cpus {
      let event: OwnedFD
      do { event = try kernel.openPerfEvent(attributes, pid: pid ?? -1, cpu: c) } catch { throw failure(error, point) }
      parts.append(try attachPerfEvent(event, cookie: cookie, point: point))
    }
    return parts.count == 1 ? parts[0] : Link(kernel: kernel, program: name, target: point.description, parts: parts)
  }
}
