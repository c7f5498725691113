import ELFReader
import Instructions
import UAPI

extension AttachPoint {
  /// Where the SEC() name says to attach, exactly where libbpf auto-attaches:
  /// nil for sections libbpf does not auto-attach (XDP, tc, cgroup,
  /// sockets... need an interface or cgroup), a point for those whose name
  /// carries the target.
  ///
  /// BTF-attached sections (tp_btf, fentry, fexit, fmod_ret, lsm, freplace)
  /// attach at their load-time target; iterators over everything. A
  /// section with a malformed target throws its reason, as libbpf fails
  /// its skeleton attach. USDT needs the object's spec table.
  public static func automatic(
    for section: ProgramSection?, program name: String, usdtSpecs: USDTSpecTable? = nil
  ) throws(AttachError) -> AttachPoint? {
    guard let section else { return nil }
    guard section.flags.contains(.autoAttach) else { return nil }
    if let reason = section.invalidTargetReason {
      throw .invalidRequest(program: name, target: "section '\(section.name)'", reason: reason)
    }
    let isReturn = section.flags.contains(.returnProbe)
    switch section.attachTarget {
    case nil:
      // BTF-attached programs get their target at load time (name or API);
      // the others (bare `kprobe`, `uprobe`, `usdt`, `tp`) need an explicit attach.
      if section.flags.contains(.attachBTF) {
        return section.expectedAttachType == .traceIter ? .iterator() : .tracing()
      }
      return nil
    case .tracepoint(let category, let tracepoint)?:
      return .tracepoint(category: category, name: tracepoint)
    case .rawTracepoint(let tracepoint)?:
      return .rawTracepoint(tracepoint)
    case .kernelFunction?:
      return .tracing()
    case .iterator?:
      return .iterator()
    case .kprobe(let function, let offset)?:
      return .kprobe(function: function, offset: offset, isReturn: isReturn)
    case .kprobeMulti(let pattern)?:
      return .kprobeMulti(pattern: pattern, isReturn: isReturn)
    case .syscall(let syscall)?:
      return .ksyscall(syscall, isReturn: isReturn)
    case .uprobe(let path, let function, let offset)?:
      return .uprobe(path: path, function: function, offset: offset, isReturn: isReturn)
    case .uprobeMulti(let path, let pattern)?:
      return .uprobeMulti(path: path, pattern: pattern, isReturn: isReturn)
    case .usdt(let path, let provider, let probe)?:
      guard let usdtSpecs else {
        throw .invalidRequest(program: name, target: "USDT \(provider):\(probe)",
                              reason: "the object has no __bpf_usdt_specs map (include <bpf/usdt.bpf.h>)")
      }
      return .usdt(path: path, provider: provider, name: probe, specs: usdtSpecs)
    case .structOps?:
      return nil
    }
  }
}
