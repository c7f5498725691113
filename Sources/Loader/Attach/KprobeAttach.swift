import Syscall

extension AttachScope {
  /// kprobe/kretprobe/ksyscall: a perf event on the `kprobe` PMU
  /// (`config1` = function name, `config2` = offset, the `retprobe` bit)
  /// and a perf link.
  ///
  /// Kernel: kprobe PMU 4.17; without `CONFIG_KPROBES` there is no PMU and
  /// this fails with a clear `unavailable` error before any call.
  func attachKprobe(function: String, offset: UInt64, isReturn: Bool, cookie: UInt64,
                    point: AttachPoint) throws(AttachError) -> Link {
    guard let pmu = DynamicPMU.named("kprobe") else {
      throw .unavailable(program: name, target: point.description, reason: AttachError.kprobesMissing)
    }
    var config: UInt64 = 0
    if isReturn {
      guard let bit = pmu.retprobeBit else {
        throw .unavailable(program: name, target: point.description, reason: "the kprobe PMU has no retprobe format bit")
      }
      config |= 1 << bit
    }
    var attributes = PerfEventAttributes(type: pmu.type, config: config)
    attributes.probeTarget = function
    attributes.config2 = offset
    attributes.samplePeriodOrFrequency = 1
    let event: OwnedFD
    do { event = try kernel.openPerfEvent(attributes, pid: -1, cpu: 0) } catch {
      if error.errno == .ENOENT || error.errno == .EINVAL {
        throw .targetNotFound(program: name, target: point.description,
                              reason: "no probe-able kernel function '\(function)' (\(error))")
      }
      throw failure(error, point)
    }
    return try attachPerfEvent(event, cookie: cookie, point: point)
  }

  /// kprobe.multi/kretprobe.multi: one link on every function matching
  /// `pattern` (resolved by the kernel from `available_filter_functions`
  /// here by name) or on `symbols`.
  ///
  /// Kernel: `BPF_TRACE_KPROBE_MULTI` (5.18, `CONFIG_FPROBE`);
  /// `BPF_F_KPROBE_MULTI_RETURN` = 1.
  func attachKprobeMulti(pattern: String?, symbols: [String], isReturn: Bool, cookies: [UInt64],
                         point: AttachPoint) throws(AttachError) -> Link {
    guard DynamicPMU.named("kprobe") != nil else {
      throw .unavailable(program: name, target: point.description, reason: AttachError.kprobesMissing)
    }
    var names = symbols
    if let pattern {
      names += try kernelFunctions(matching: pattern, point: point)
    }
    guard !names.isEmpty else {
      throw .targetNotFound(program: name, target: point.description, reason: "no kernel function matches")
    }
    do {
      let link = try kernel.createLink(LinkCreateAttributes(
        program: fd, target: .none, attachType: expectedAttachType ?? .traceKprobeMulti,
        details: .kprobeMulti(flags: isReturn ? 1 : 0, symbols: names, addresses: [], cookies: cookies)))
      return Link(kernel: kernel, program: name, target: point.description, bpfLink: link)
    } catch {
      if error.errno == .EOPNOTSUPP || error.errno == .ENOTSUPP {
        throw .unavailable(program: name, target: point.description,
                           reason: "kprobe.multi links are not available in this kernel (CONFIG_FPROBE off)")
      }
      throw failure(error, point)
    }
  }

  /// Functions of tracefs `available_filter_functions` matching a glob.
  func kernelFunctions(matching pattern: String, point: AttachPoint) throws(AttachError) -> [String] {
    guard case .success(let root) = Tracefs.root(),
      case .success(let text) = SystemFiles.text("\(root)/available_filter_functions")
    else {
      throw .unavailable(program: name, target: point.description,
                         reason: "cannot read available_filter_functions in tracefs")
    }
    var result: [String] = []
    for line in text.split(separator: "\n") {
      let function = String(line.split(separator: " ").first ?? "")
      if !function.isEmpty, GlobPattern.matches(pattern, function) { result.append(function) }
    }
    return result
  }
}

/// `*` and `?` globs, as kprobe.multi and uprobe.multi patterns use them.
enum GlobPattern {
  static func matches(_ pattern: String, _ text: String) -> Bool {
    let p = Array(pattern.utf8), t = Array(text.utf8)
    var pi = 0, ti = 0, star = -1, mark = 0
    while ti < t.count {
      if pi < p.count, p[pi] == UInt8(ascii: "?") || p[pi] == t[ti] {
        pi += 1; ti += 1
      } else if pi < p.count, p[pi] == UInt8(ascii: "*") {
        star = pi; mark = ti; pi += 1
      } else if star >= 0 {
        pi = star + 1; mark += 1; ti = mark
      } else {
        return false
      }
    }
    while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
    return pi == p.count
  }
}
