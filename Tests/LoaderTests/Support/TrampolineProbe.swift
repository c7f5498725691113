import BTF
import Foundation
import Syscall
import TestSupport
import UAPI

/// Whether this kernel loads trampoline programs, asked of the kernel
/// directly (not through the Loader): a two-instruction fentry program on
/// `bpf_fentry_test1` loaded with bpf(2). The refusal tests assert the
/// refusal only when this probe is refused with EPERM, and the success path
/// only when it loads.
///
/// Kernel: BPF_PROG_TYPE_TRACING with expected_attach_type BPF_TRACE_FENTRY
/// and attach_btf_id of a vmlinux FUNC; a locked-down kernel answers EPERM.
enum TrampolineProbe {
  enum Outcome: Equatable, CustomStringConvertible {
    /// The probe loaded: trampolines work here.
    case loads
    /// The kernel answered EPERM although we may load programs.
    case refused
    /// The probe could not ask (no privileges, no vmlinux BTF, another error).
    case unknown(String)

    var description: String {
      switch self {
      case .loads: "fentry loads"
      case .refused: "fentry is refused with EPERM"
      case .unknown(let why): "unknown: \(why)"
      }
    }
  }

  static let outcome: Outcome = probe()

  static var refusesFentry: Bool { outcome == .refused }
  static var loadsFentry: Bool { outcome == .loads }

  private static func probe() -> Outcome {
    guard Kernel.canLoad else { return .unknown("no CAP_BPF") }
    let target: BTF.TypeID
    do {
      target = try BTF.kernel().type(named: "bpf_fentry_test1", kind: .function)
    } catch {
      return .unknown("no FUNC bpf_fentry_test1 in vmlinux BTF: \(error)")
    }
    // r0 = 0; exit
    let instructions: [UInt8] = [0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]
    var attributes = ProgramLoadAttributes(type: .tracing, instructions: instructions, license: "GPL",
                                           name: "swbpf_fprobe")
    attributes.expectedAttachType = .traceFentry
    attributes.attachBTFID = target.rawValue
    do {
      let program = try BPF.loadProgram(attributes)
      try? program.close()
      return .loads
    } catch {
      if error.errno == .EPERM { return .refused }
      return .unknown("\(error)")
    }
  }
}
