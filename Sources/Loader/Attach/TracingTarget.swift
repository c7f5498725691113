import BTF
import Syscall
import UAPI

/// The kernel BTF type a BTF-attached program names: what the loader puts
/// in `attach_btf_id`, and what attach planning checks before any call.
///
/// Kernel naming (what the verifier looks up):
/// - fentry/fexit/fmod_ret/fsession: the `FUNC` of the traced function;
/// - tp_btf: the `TYPEDEF` `btf_trace_<tracepoint>`;
/// - lsm, lsm_cgroup: the `FUNC` `bpf_lsm_<hook>`;
/// - iter: the `FUNC` `bpf_iter_<target>`.
public struct TracingTarget: Sendable, Hashable {
  /// The name looked up in BTF (`btf_trace_sys_enter`, `bpf_lsm_file_open`).
  public var btfName: String
  /// The kind found: `FUNC` for functions and hooks, `TYPEDEF` for BTF
  /// tracepoints.
  public var kind: BTF.Kind
  /// Its id in the BTF it was found in: the `attach_btf_id` of the load.
  public var typeID: BTF.TypeID
  /// The module part of `<module>:<name>` (nil: vmlinux).
  public var module: String?

  /// Finds the target of a program with `attachType` and section target
  /// text `name` (`do_unlinkat`, `vmlinux:do_unlinkat`, `sched_switch`) in `btf`.
  public static func resolve(attachType: AttachType?, programType: ProgramType, name: String,
                             in btf: BTF) throws(AttachError) -> TracingTarget {
    var module: String? = nil
    var plain = Substring(name)
    if let colon = plain.firstIndex(of: ":") {
      let prefix = String(plain[..<colon])
      module = prefix == "vmlinux" ? nil : prefix
      plain = plain[plain.index(after: colon)...]
    }
    let (btfName, kind) = lookupName(attachType: attachType, programType: programType, name: String(plain))
    guard let id = btf.firstType(named: btfName, kind: kind) else {
      throw .targetNotFound(program: name, target: "BTF \(kind) '\(btfName)'",
                            reason: "not in the kernel's BTF (/sys/kernel/btf/vmlinux)\(module.map { " or module \($0)" } ?? "")")
    }
    return TracingTarget(btfName: btfName, kind: kind, typeID: id, module: module)
  }

  /// The BTF name and kind the kernel expects for a program's target.
  public static func lookupName(attachType: AttachType?, programType: ProgramType, name: String)
    -> (String, BTF.Kind)
  {
    switch (programType, attachType) {
    case (.tracing, .traceRawTp?): return ("btf_trace_" + name, .typedef)
    case (.tracing, .traceIter?): return ("bpf_iter_" + name, .function)
    case (.lsm, _): return ("bpf_lsm_" + name, .function)
    default: return (name, .function)
    }
  }
}

extension AttachScope {
  /// tp_btf, fentry, fexit, fmod_ret, lsm, freplace: attached at the target
  /// fixed at load time. Without a cookie, `BPF_RAW_TRACEPOINT_OPEN` with no
  /// name (5.5); with one, a tracing link (`BPF_LINK_CREATE`, 6.0 for the cookie).
  func attachTracing(cookie: UInt64, point: AttachPoint) throws(AttachError) -> Link {
    let attach = cookie == 0 ? nil : try resolvedAttachType(nil, point: point)
    do {
      guard let attach else {
        let link = try kernel.openRawTracepoint(name: nil, program: fd, cookie: 0)
        return Link(kernel: kernel, program: name, target: point.description, bpfLink: link)
      }
      let link = try kernel.createLink(LinkCreateAttributes(
        program: fd, target: .none, attachType: attach, details: .tracing(targetBTFID: 0, cookie: cookie)))
      return Link(kernel: kernel, program: name, target: point.description, bpfLink: link)
    } catch {
      throw tracingFailure(error, point)
    }
  }

  /// freplace onto a function of `target` chosen at attach time.
  ///
  /// Kernel: `BPF_LINK_CREATE` with `target_fd` and `target_btf_id` (5.10).
  func attachReplace(target: BorrowedFD, functionBTFID: UInt32, point: AttachPoint) throws(AttachError) -> Link {
    do {
      let link = try kernel.createLink(LinkCreateAttributes(
        program: fd, target: .fd(target), attachType: expectedAttachType ?? .unspecified,
        details: .targetBTFID(functionBTFID)))
      return Link(kernel: kernel, program: name, target: point.description, bpfLink: link)
    } catch {
      throw tracingFailure(error, point)
    }
  }

  /// EPERM on a trampoline program is the kernel refusing trampolines.
  func tracingFailure(_ error: SyscallError, _ point: AttachPoint) -> AttachError {
    let isTrampoline = type == .ext || type == .lsm
      || (type == .tracing && expectedAttachType != .traceRawTp && expectedAttachType != .traceIter)
    if isTrampoline, error.errno == .EPERM || error.errno == .ENOTSUPP || error.errno == .EOPNOTSUPP {
      return .unavailable(program: name, target: point.description,
                          reason: "\(AttachError.trampolinesRefused) (\(error))")
    }
    return failure(error, point)
  }

  /// lsm_cgroup: an LSM hook for one cgroup. Kernel: `BPF_LSM_CGROUP` link (6.0).
  func attachLSMCgroup(path: String, point: AttachPoint) throws(AttachError) -> Link {
    let cgroup = try openCgroup(path, point: point)
    do {
      let link = try kernel.createLink(LinkCreateAttributes(program: fd, target: .fd(cgroup.borrowed),
                                                         attachType: .lsmCgroup))
      return Link(kernel: kernel, program: name, target: point.description, bpfLink: link)
    } catch {
      throw tracingFailure(error, point)
    }
  }
}
