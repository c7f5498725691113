/// Why a call into the kernel failed: what was called, the errno with its
/// name, and a hint a person can act on.
public enum SyscallError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The kernel refused the call.
  case failed(Operation, Errno)
  /// An argument was rejected before calling the kernel (a name too long, a
  /// buffer smaller than the map's value size). Nothing was sent.
  case invalidArgument(Operation, reason: String)

  /// What was called.
  public enum Operation: Hashable, Sendable, CustomStringConvertible {
    /// A bpf(2) command.
    case bpf(BPFCommand)
    /// perf_event_open(2).
    case perfEventOpen
    /// An ioctl, by its kernel request name (`PERF_EVENT_IOC_SET_BPF`).
    case ioctl(String)
    /// Any other system call (`mmap`, `munmap`, `close`, `epoll_wait`, `fcntl`, `mount`).
    case system(String)

    /// The call as messages name it: the bpf(2) command's kernel name
    /// (`BPF_MAP_CREATE`), `perf_event_open`, `mmap`...
    public var description: String {
      switch self {
      case .bpf(let command): command.name
      case .perfEventOpen: "perf_event_open"
      case .ioctl(let name): name
      case .system(let name): name
      }
    }
  }

  /// `errno` of the current thread, for the operation that just failed.
  public static func current(_ operation: Operation) -> SyscallError {
    .failed(operation, .current)
  }

  /// The failed operation.
  public var operation: Operation {
    switch self {
    case .failed(let op, _), .invalidArgument(let op, _): op
    }
  }

  /// The errno, or nil when nothing reached the kernel.
  public var errno: Errno? {
    if case .failed(_, let e) = self { return e }
    return nil
  }

  /// What to do about it, where the cause is well known.
  public var hint: String? {
    guard case .failed(let op, let e) = self else { return nil }
    return SyscallError.hint(for: op, e)
  }

  /// The message for a user: the call that failed and the errno by name and
  /// message (`BPF_MAP_CREATE failed: EPERM (Operation not permitted)`), with a
  /// hint where one helps. The CLI prints it after `swiftbpf: ` (on one line),
  /// and as `message` in `--json` errors.
  public var description: String {
    switch self {
    case .failed(let op, let e):
      var text = "\(op) failed: \(e)"
      if let hint { text += "; \(hint)" }
      return text
    case .invalidArgument(let op, let reason):
      return "\(op): \(reason)"
    }
  }

  static let perfPermissionHint =
    "needs CAP_PERFMON or CAP_SYS_ADMIN, or a lower kernel.perf_event_paranoid"

  /// Hints by errno and operation. Kernel facts behind each are in the text.
  static func hint(for op: Operation, _ e: Errno) -> String? {
    let isBPF: Bool
    var command: BPFCommand? = nil
    if case .bpf(let c) = op {
      isBPF = true
      command = c
    } else {
      isBPF = false
    }
    switch e {
    case .EPERM where isBPF:
      var text = "needs CAP_BPF (plus CAP_PERFMON or CAP_NET_ADMIN for some program types) "
        + "or CAP_SYS_ADMIN, i.e. run as root; unprivileged BPF is disabled "
        + "(kernel.unprivileged_bpf_disabled)"
      if command == .programLoad {
        text += "; with those capabilities, the kernel's lockdown mode may refuse this "
          + "program type (tracing, LSM)"
      }
      if command == .mapCreate || command == .programLoad || command == .btfLoad {
        text += "; on kernels before 5.11 also raise RLIMIT_MEMLOCK (ulimit -l unlimited)"
      }
      return text
    case .EPERM where op == .perfEventOpen:
      return perfPermissionHint
    case .EACCES where op == .perfEventOpen:
      return perfPermissionHint
    case .EACCES where command == .programLoad:
      return "the verifier rejected the program; read the verifier log"
    case .EACCES where isBPF:
      return "permission denied by the kernel (read-only map or pinned file, or an LSM)"
    case .ENOMEM where isBPF:
      return "the kernel could not allocate memory: the map or program may be too large; "
        + "on kernels before 5.11 raise RLIMIT_MEMLOCK (ulimit -l unlimited)"
    case .E2BIG where isBPF:
      return "the attribute has non-zero fields this kernel does not know (kernel too old "
        + "for a requested feature), or a size/count exceeds a kernel limit"
    case .EINVAL where isBPF:
      return "the kernel may not support this attribute, flag, map or program type, "
        + "or a size or fd in the request is wrong"
    case .EINVAL where op == .perfEventOpen:
      return "the kernel may not support this event type, config or attribute size"
    case .ENOSPC where command == .programLoad || command == .btfLoad:
      return "the verifier log buffer is too small; raise the log size"
    case .ENOSPC where command == .programTestRun:
      return "the output buffer is smaller than the program's output"
    case .ENOENT where op == .perfEventOpen:
      return "no such PMU or event on this kernel"
    case .ENOENT where command == .objectGet:
      return "nothing is pinned at that path"
    case .ENOENT where isBPF:
      return "no such element, object or id"
    case .EEXIST where command == .objectPin:
      return "something is already pinned at that path"
    case .EEXIST where isBPF:
      return "the key already exists (update with BPF_NOEXIST)"
    case .EBADF:
      return "not an open file descriptor of the expected kind"
    case .ENOTSUPP, .EOPNOTSUPP:
      return "this kernel does not support the operation for this object type"
    case .ENOSYS:
      return "the kernel lacks this system call (CONFIG_BPF_SYSCALL or CONFIG_PERF_EVENTS off)"
    case .EMFILE:
      return "too many open files (raise RLIMIT_NOFILE)"
    case .EBUSY where isBPF:
      return "the target is busy: another program or link is already attached"
    default:
      return nil
    }
  }
}
