import Syscall
import UAPI

extension AttachScope {
  /// Attaches the program to `point` and returns the owning link.
  ///
  /// Each kind of hook lives in its own file (`TracepointAttach.swift`,
  /// `UprobeAttach.swift`...); this is the one entry point.
  func attach(to point: AttachPoint) throws(AttachError) -> Link {
    switch point {
    case .tracepoint(let category, let name, let cookie):
      return try attachTracepoint(category: category, name: name, cookie: cookie, point: point)
    case .rawTracepoint(let name, let cookie):
      return try attachRawTracepoint(name, cookie: cookie, point: point)
    case .tracing(let cookie):
      return try attachTracing(cookie: cookie, point: point)
    case .replace(let target, let id):
      return try target.withDescriptor(closed: {
        AttachError.handleClosed(kind: "program", object: target.name, program: name, target: point.description)
      }) {
        (targetFD) throws(AttachError) in try attachReplace(target: targetFD, functionBTFID: id, point: point)
      }
    case .lsmCgroup(let path):
      return try attachLSMCgroup(path: path, point: point)
    case .iterator(let scope):
      return try attachIterator(scope, point: point)
    case .uprobe(let path, let function, let offset, let isReturn, let pid, let cookie, let reference):
      return try attachUprobe(path: path, function: function, offset: offset, isReturn: isReturn, pid: pid,
                              cookie: cookie, referenceCounterOffset: reference, point: point)
    case .uprobeMulti(let path, let pattern, let isReturn, let pid, let cookies):
      return try attachUprobeMulti(path: path, pattern: pattern, isReturn: isReturn, pid: pid,
                                   cookies: cookies, point: point)
    case .uprobeMultiOffsets(let path, let offsets, let isReturn, let pid, let cookies, let references):
      return try attachUprobeMulti(path: path, offsets: offsets, isReturn: isReturn, pid: pid,
                                   cookies: cookies, referenceCounterOffsets: references, point: point)
    case .usdt(let path, let provider, let name, let specs, let pid, let cookie):
      return try attachUSDT(path: path, provider: provider, name: name, specs: specs, pid: pid,
                            cookie: cookie, point: point)
    case .kprobe(let function, let offset, let isReturn, let cookie):
      return try attachKprobe(function: function, offset: offset, isReturn: isReturn, cookie: cookie, point: point)
    case .kprobeMulti(let pattern, let symbols, let isReturn, let cookies):
      return try attachKprobeMulti(pattern: pattern, symbols: symbols, isReturn: isReturn, cookies: cookies,
                                   point: point)
    case .ksyscall(let name, let isReturn, let cookie):
      return try attachKprobe(function: Self.syscallPrefix + name, offset: 0, isReturn: isReturn,
                              cookie: cookie, point: point)
    case .perfEvent(let type, let config, let period, let frequency, let pid, let cpu, let cookie):
      return try attachPerfEvent(type: type, config: config, samplePeriod: period, frequency: frequency,
                                 pid: pid, cpu: cpu, cookie: cookie, point: point)
    case .xdp(let ifindex, let mode):
      return try createLink(target: .ifindex(ifindex), attachType: .xdp, flags: mode.flags, point: point)
    case .tcx(let ifindex, let direction, let relative, let revision):
      return try attachTCX(ifindex: ifindex, direction: direction, relative: relative,
                           expectedRevision: revision, point: point)
    case .cgroup(let path, let attachType):
      return try attachCgroup(path: path, attachType: attachType, point: point)
    case .cgroupFD(let fd, let attachType):
      return try attachCgroup(fd: fd, attachType: attachType, point: point)
    case .networkNamespace(let path):
      return try attachNetworkNamespace(path: path, point: point)
    case .sockMap(let map, let attachType):
      return try map.withDescriptor(closed: {
        AttachError.handleClosed(kind: "map", object: map.name, program: name, target: point.description)
      }) {
        (mapFD) throws(AttachError) in try attachSockMap(mapFD, attachType: attachType, point: point)
      }
    case .netfilter(let pf, let hook, let priority, let flags):
      return try createLink(target: .none, attachType: .netfilter, point: point,
                            details: .netfilter(protocolFamily: pf, hook: hook, priority: priority, flags: flags))
    }
  }

  /// Kernel: the x86-64 system call entry points are `__x64_sys_<name>`
  /// (with `CONFIG_ARCH_HAS_SYSCALL_WRAPPER`, Linux 4.17).
  static let syscallPrefix = "__x64_sys_"

  // MARK: Shared pieces

  /// The attach type given, or the program's expected one, or an error.
  func resolvedAttachType(_ given: AttachType?, point: AttachPoint) throws(AttachError) -> AttachType {
    if let given { return given }
    if let expected = expectedAttachType { return expected }
    throw .invalidRequest(program: name, target: point.description,
                          reason: "the program has no expected attach type; pass attachType:")
  }

  /// `BPF_LINK_CREATE` with errors naming this program and `point`.
  func createLink(
    target: BPF.AttachTarget, attachType: AttachType, flags: UInt32 = 0, point: AttachPoint,
    details: LinkCreateAttributes.Details = .none
  ) throws(AttachError) -> Link {
    let attributes = LinkCreateAttributes(program: fd, target: target, attachType: attachType, flags: flags,
                                          details: details)
    do {
      return Link(kernel: kernel, program: name, target: point.description, bpfLink: try kernel.createLink(attributes))
    } catch {
      throw failure(error, point)
    }
  }

  /// A syscall failure, with a hint where the kernel's answer is known.
  func failure(_ error: SyscallError, _ point: AttachPoint) -> AttachError {
    .syscall(error, program: name, target: point.description, hint: hint(for: error, point))
  }

  func failure(_ f: AttachFailure, _ point: AttachPoint) -> AttachError {
    .system(program: name, target: point.description, operation: f.operation, errno: f.errno)
  }

  /// Hints for the usual refusals of an attach call.
  func hint(for error: SyscallError, _ point: AttachPoint) -> String? {
    switch (error.errno, point) {
    case (.EINVAL?, _) where error.operation == .bpf(.linkCreate):
      return "the program type \(type) / expected attach type does not fit this hook, or the kernel lacks this link type"
    case (.ENODEV?, .xdp), (.ENODEV?, .tcx):
      return "no network interface with that index"
    case (.EBUSY?, .xdp):
      return "another XDP program is attached to this interface"
    case (.EEXIST?, .xdp):
      return "an XDP program is already attached (in another mode or without a link)"
    default:
      return nil
    }
  }
}
