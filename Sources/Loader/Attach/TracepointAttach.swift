import Syscall
import UAPI

extension AttachScope {
  /// tracepoint: tracefs id → `perf_event_open(PERF_TYPE_TRACEPOINT)` on
  /// CPU 0 for every process (the program runs for events on all CPUs) →
  /// a perf link running the program.
  ///
  /// Kernel: tracepoint programs 4.7; perf links and cookies 5.15.
  func attachTracepoint(category: String, name tracepoint: String, cookie: UInt64,
                        point: AttachPoint) throws(AttachError) -> Link {
    let id: UInt64
    switch Tracefs.tracepointID(category: category, name: tracepoint) {
    case .success(let value): id = value
    case .failure(let f):
      if f.errno == .ENOENT {
        throw .targetNotFound(program: name, target: point.description,
                              reason: "\(f.operation): no such tracepoint (see \(Tracefs.primary)/available_events)")
      }
      throw failure(f, point)
    }
    var attributes = PerfEventAttributes(type: PerfEventAttributes.typeTracepoint, config: id)
    attributes.samplePeriodOrFrequency = 1
    attributes.wakeupEventsOrWatermark = 1
    let event: OwnedFD
    do { event = try kernel.openPerfEvent(attributes, pid: -1, cpu: 0) } catch { throw failure(error, point) }
    return try attachPerfEvent(event, cookie: cookie, point: point)
  }

  /// Runs the program on a perf event: a perf link (5.15, with the cookie),
  /// else `PERF_EVENT_IOC_SET_BPF` + enable on older kernels (no cookie).
  /// The returned link owns the event.
  func attachPerfEvent(_ event: consuming OwnedFD, cookie: UInt64, point: AttachPoint) throws(AttachError) -> Link {
    let attributes = LinkCreateAttributes(program: fd, target: .fd(event.borrowed), attachType: .perfEvent,
                                          details: .perfEvent(cookie: cookie))
    let linkError: SyscallError
    do {
      let link = try kernel.createLink(attributes)
      return Link(kernel: kernel, program: name, target: point.description, bpfLink: link, perfEvent: event)
    } catch {
      linkError = error
    }
    // Only an old kernel (no perf link: EINVAL) falls back; other errors are real.
    guard linkError.errno == .EINVAL, cookie == 0 else { throw failure(linkError, point) }
    do {
      try kernel.setPerfEventProgram(event.borrowed, program: fd)
      try kernel.enablePerfEvent(event.borrowed)
    } catch {
      throw failure(error, point)
    }
    return Link(kernel: kernel, program: name, target: point.description, perfEventRunningProgram: event)
  }
}
