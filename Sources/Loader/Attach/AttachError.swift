import ELFReader
import Syscall

/// Why a program could not be attached (or a link managed): the program,
/// the target, the cause and what to do about it.
public enum AttachError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The kernel refused a call (`BPF_LINK_CREATE`, `perf_event_open`...).
  case syscall(SyscallError, program: String, target: String, hint: String?)
  /// This kernel lacks the hook (no kprobe PMU, trampolines refused...).
  case unavailable(program: String, target: String, reason: String)
  /// The target does not exist (tracepoint, function, USDT probe, interface...).
  case targetNotFound(program: String, target: String, reason: String)
  /// The request cannot work: wrong program type for the hook, a section
  /// name without a target, an option the hook does not take.
  case invalidRequest(program: String, target: String, reason: String)
  /// The executable or library named by a uprobe/USDT could not be read.
  case executable(ExecutableError, program: String)
  /// A file system step failed (tracefs, cgroup directory, /proc, mount).
  case system(program: String, target: String, operation: String, errno: Errno)
  /// The link was already closed or detached.
  case linkClosed(program: String, target: String)
  /// A handle the attach needs was closed: `object` names the program or
  /// map (`kind`), `program` the program being attached.
  case handleClosed(kind: String, object: String, program: String, target: String)

  /// The message for a user: the program, the hook and why, with a hint where
  /// the kernel's errno is ambiguous. The CLI prints it after `swiftbpf: ` (on
  /// one line), and as `message` in `--json` errors.
  public var description: String {
    switch self {
    case .syscall(let error, let program, let target, let hint):
      var text = "attaching program '\(program)' to \(target): \(error)"
      if let hint { text += "; \(hint)" }
      return text
    case .unavailable(let program, let target, let reason):
      return "cannot attach program '\(program)' to \(target): \(reason)"
    case .targetNotFound(let program, let target, let reason):
      return "cannot attach program '\(program)': \(target) not found: \(reason)"
    case .invalidRequest(let program, let target, let reason):
      return "cannot attach program '\(program)' to \(target): \(reason)"
    case .executable(let error, let program):
      return "cannot attach program '\(program)': \(error)"
    case .system(let program, let target, let operation, let errno):
      return "attaching program '\(program)' to \(target): \(operation) failed: \(errno)"
    case .linkClosed(let program, let target):
      return "the link of program '\(program)' to \(target) is already closed"
    case .handleClosed(let kind, let object, let program, let target):
      let what = kind == "program" && object == program ? "program '\(program)'" : "\(kind) '\(object)'"
      return "cannot attach program '\(program)' to \(target): \(what) is closed; keep its handle open until the attach returns"
    }
  }

  /// Kernel fact behind the kprobe refusal, shared by kprobe, kretprobe,
  /// kprobe.multi and ksyscall.
  static let kprobesMissing =
    "kprobes are not available in this kernel (CONFIG_KPROBES off): no kprobe PMU in /sys/bus/event_source/devices"

  /// Kernel fact behind the trampoline refusal (fentry, fexit, fmod_ret,
  /// freplace, LSM): `BPF_PROG_LOAD`/attach fail with `EPERM`.
  static let trampolinesRefused =
    "this kernel refuses trampoline programs (fentry/fexit/fmod_ret/freplace/lsm): EPERM, "
    + "typically kernel lockdown (integrity mode) or no ftrace-able functions"
}
