import Syscall
import UAPI

/// Something the running kernel lacks, with the first release that has it.
///
/// `LoadError` wraps it; the description is written to be shown as is.
public enum FeatureError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The kernel cannot create maps of this type.
  case mapType(MapType, minimumKernel: String?)
  /// The kernel cannot load programs of this type; `refusal` is the errno
  /// its probe got (`EPERM` means refused here, not too old).
  case programType(ProgramType, minimumKernel: String?, refusal: Errno?)
  /// The kernel lacks a feature (BTF kind, global data, ring buffers...).
  case feature(KernelFeature, minimumKernel: String)
  /// Programs of this type may not call this helper on this kernel.
  case helper(Int32, programType: ProgramType)

  /// The message for a user: what this kernel lacks and the first Linux version
  /// with it. The CLI prints it after `swiftbpf: ` (on one line), and as
  /// `message` in `--json` errors.
  public var description: String {
    switch self {
    case .mapType(let type, let minimum):
      return "this kernel cannot create \(type.kernelName) maps" + Self.needs(minimum)
    case .programType(let type, let minimum, let refusal):
      if refusal == .EPERM {
        return "this kernel refuses to load \(type.kernelName) programs (EPERM): it is locked "
          + "down (/sys/kernel/security/lockdown) or the process lacks CAP_BPF with "
          + "CAP_PERFMON/CAP_SYS_ADMIN"
      }
      return "this kernel cannot load \(type.kernelName) programs" + Self.needs(minimum)
        + "; a newer kernel may also have been built without the option that enables them"
    case .feature(let feature, let minimum):
      return "this kernel lacks \(feature.summary)" + Self.needs(minimum)
    case .helper(let id, let type):
      return "\(type.kernelName) programs may not call helper #\(id) on this kernel "
        + "(unknown to it, or not allowed for this program type)"
    }
  }

  static func needs(_ minimum: String?) -> String {
    guard let minimum else { return "" }
    let running = KernelRelease.current.map { "; this is \($0.release)" } ?? ""
    return " (needs \(minimum) or later\(running))"
  }
}

extension KernelFeature {
  /// A phrase for error messages.
  var summary: String {
    switch self {
    case .btf: "BTF (BPF_BTF_LOAD)"
    case .btfFunctions: "BTF FUNC and FUNC_PROTO"
    case .btfGlobalFunctions: "BTF global function linkage"
    case .btfDataSections: "BTF VAR and DATASEC"
    case .btfFloat: "BTF FLOAT"
    case .btfDeclarationTags: "BTF DECL_TAG"
    case .btfTypeTags: "BTF TYPE_TAG"
    case .btfEnum64: "BTF ENUM64"
    case .globalData: "global data (.data/.rodata/.bss maps)"
    case .mmapableArrays: "memory-mappable array maps (BPF_F_MMAPABLE)"
    case .frozenMaps: "read-only maps (BPF_F_RDONLY_PROG, BPF_MAP_FREEZE)"
    case .bpfCookie: "BPF cookies (bpf_get_attach_cookie)"
    case .ringBuffer: "ring buffers (BPF_MAP_TYPE_RINGBUF)"
    case .programNames: "program and map names"
    case .kfuncCalls: "kfunc calls"
    }
  }
}
