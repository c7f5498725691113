import BTF
import ELFReader
import Instructions
import Relocation
import Syscall
import UAPI

/// Why opening, configuring or loading an object failed.
///
/// Every case names the object, map, program or variable it is about and
/// says what to do; kernel refusals carry the `SyscallError` (command, errno
/// name, hint) and verifier refusals the `VerifierReport` with the C source line.
///
/// `indirect`: payloads live in one box, so the error is a pointer wide.
/// Thrown by value through typed throws, a multi-hundred-byte error (the
/// report alone holds the log and several strings) crashed debug builds of
/// the CLI with a corrupted stack (Swift 6.3.1); boxed, it is cheap and safe.
public indirect enum LoadError: Error, Sendable, CustomStringConvertible {
  /// The ELF object could not be read.
  case open(ELFError)
  /// The object's `.BTF` or `.BTF.ext` is malformed.
  case objectBTF(object: String, BTFError)
  /// The kernel's BTF (needed for CO-RE, ksyms, kfuncs, attach targets) could not be read.
  case kernelBTF(BTFError)
  /// A custom target BTF given in the options could not be read.
  case targetBTF(path: String, BTFError)
  /// A feature this kernel lacks; `minimumKernel` reads "Linux 5.8".
  case unsupported(feature: String, minimumKernel: String)
  /// A map definition that cannot be created as written (no type, a map
  /// the code uses but the object only declares `extern`).
  case mapDefinition(map: String, reason: String)
  /// More instructions than the kernel verifies in one program.
  case programTooLarge(program: String, instructions: Int, limit: Int)
  /// The kernel refused to create a map.
  case mapCreation(map: String, SyscallError)
  /// A map operation during load (initial values, freeze, mmap, pin) failed.
  case mapSetup(map: String, operation: String, SyscallError)
  /// The kernel refused to map a global data section's map into memory
  /// (`mmap` of a map created `BPF_F_MMAPABLE`); libbpf fails the load the
  /// same way. Kernel: ENOTSUPP for a map holding a `bpf_spin_lock`,
  /// timer, kptr, `bpf_list_head` or `bpf_rb_root`.
  case dataSectionMapping(map: String, section: String, SyscallError)
  /// A map pinned at `path` exists but differs from the definition.
  case pinnedMapIncompatible(map: String, path: String, differences: [String])
  /// The verifier refused the program.
  case verifierRejected(program: String, VerifierReport)
  /// `BPF_PROG_LOAD` failed for a reason other than the verifier (EPERM, EINVAL…).
  case programLoad(program: String, SyscallError, log: VerifierReport?)
  /// A privileged process got EPERM for a program type the kernel can
  /// refuse as a whole (tracing, LSM, freplace under lockdown or without ftrace).
  case programTypeRefused(program: String, type: String, SyscallError)
  /// The program's section name is not a known SEC() and no type was set.
  case unknownSection(program: String, UnknownSectionName)
  /// A relocation cannot be applied.
  case relocation(program: String, reason: String)
  /// The program's exception callback (`__exception_cb(cb)`: a BTF decl
  /// tag `exception_callback:cb` on the program's FUNC) cannot be found or
  /// is not a global, non-hidden function. Kernel: `bpf_throw`, Linux 6.7.
  case exceptionCallback(program: String, reason: String)
  /// A CO-RE relocation failed (malformed or ambiguous, not a mere "not found").
  case coreRelocation(program: String, RelocationError)
  /// An extern could not be resolved and is not weak.
  case unresolvedExtern(name: String, kind: String, reason: String)
  /// The BTF id of an attach target (tp_btf, fentry, lsm, iter…) is not in the kernel's BTF.
  case attachTarget(program: String, target: String, reason: String)
  /// No map, program or variable with that name.
  case notFound(what: String, name: String, object: String)
  /// A value given before load does not fit (size, range).
  case invalidValue(name: String, reason: String)
  /// The operation needs a writable mapping (`.rodata` is frozen after load).
  case readOnly(name: String)
  /// Asking the kernel about (or running) a loaded map or program failed.
  case kernelQuery(object: String, operation: String, SyscallError)
  /// The object was already closed.
  case closed(object: String)
  /// The object was built for the other byte order (`-target bpfeb` on a
  /// little-endian machine, or the reverse).
  case wrongByteOrder(object: String, order: ByteOrder, host: ByteOrder)
  /// A configuration that cannot be loaded.
  case invalidConfiguration(reason: String)
  /// A generated skeleton's typed view does not fit the loaded map (the
  /// skeleton was generated from another build of the object).
  case typedMap(MapError)

  /// The message for a user: the object, map or program concerned, what went
  /// wrong and what to do; a verifier rejection gives the error line, the C
  /// source line and how many log lines were left out. The CLI prints it after
  /// `swiftbpf: ` (on one line), and as `message` in `--json` errors.
  public var description: String {
    switch self {
    case .open(let e): return e.description
    case .objectBTF(let object, let e): return "\(object): bad BTF: \(e)"
    case .kernelBTF(let e):
      return "cannot read the kernel's BTF: \(e); the kernel needs CONFIG_DEBUG_INFO_BTF, "
        + "or give a target BTF file"
    case .targetBTF(let path, let e): return "cannot read target BTF \(path): \(e)"
    case .unsupported(let feature, let minimumKernel):
      return "\(feature) is not supported by this kernel; it needs \(minimumKernel) or later"
    case .mapDefinition(let map, let reason): return "map '\(map)': \(reason)"
    case .programTooLarge(let program, let instructions, let limit):
      return "program '\(program)' has \(instructions) instructions; the kernel verifies at most \(limit) "
        + "in one program: split it with BPF-to-BPF calls in bpf_loop callbacks or tail calls"
    case .mapCreation(let map, let e): return "map '\(map)': cannot create it: \(e)"
    case .mapSetup(let map, let operation, let e): return "map '\(map)': \(operation) failed: \(e)"
    case .dataSectionMapping(let map, let section, let e):
      return "map '\(map)' (section \(section)): \(e). The section has a variable user space can name, so it is "
        + "created BPF_F_MMAPABLE and mapped, as libbpf does; if it holds a bpf_spin_lock, timer, kptr, "
        + "bpf_list_head or bpf_rb_root, make all its variables static or __hidden"
    case .exceptionCallback(let program, let reason):
      return "program '\(program)': exception callback: \(reason)"
    case .pinnedMapIncompatible(let map, let path, let differences):
      return "map '\(map)': the map pinned at \(path) differs (\(differences.joined(separator: ", "))); "
        + "remove the pin (rm \(path)) or use another pin root"
    case .verifierRejected(let program, let report):
      return "program '\(program)': the verifier rejected it: \(report)"
    case .programLoad(let program, let e, let log):
      var text = "program '\(program)': \(e)"
      if let log, !log.errorLine.isEmpty { text += "; verifier: \(log.errorLine)" }
      return text
    case .programTypeRefused(let program, let type, let e):
      return "program '\(program)': the kernel refuses \(type) programs (\(e.errno?.name ?? "EPERM")) although "
        + "this process is privileged: the kernel is locked down (lockdown=integrity or confidentiality) "
        + "or ftrace offers no attachable functions; such programs cannot be loaded on this kernel"
    case .unknownSection(let program, let e): return "program '\(program)': \(e)"
    case .relocation(let program, let reason): return "program '\(program)': \(reason)"
    case .coreRelocation(let program, let e): return "program '\(program)': \(e)"
    case .unresolvedExtern(let name, let kind, let reason):
      return "extern \(kind) '\(name)': \(reason); declare it __weak to allow it to be missing"
    case .attachTarget(let program, let target, let reason):
      return "program '\(program)': attach target '\(target)': \(reason)"
    case .notFound(let what, let name, let object): return "\(object): no \(what) named '\(name)'"
    case .invalidValue(let name, let reason): return "'\(name)': \(reason)"
    case .readOnly(let name): return "'\(name)' is read-only after load (.rodata is frozen); set it before load"
    case .kernelQuery(let object, let operation, let e): return "'\(object)': \(operation) failed: \(e)"
    case .closed(let object): return "\(object): the object was closed"
    case .wrongByteOrder(let name, let order, let host):
      return "\(name) is \(order == .big ? "big" : "little")-endian but this machine is "
        + "\(host == .big ? "big" : "little")-endian; build it with -target \(host == .big ? "bpfeb" : "bpfel") (or -target bpf)"
    case .invalidConfiguration(let reason): return reason
    case .typedMap(let e): return "\(e); regenerate the skeleton from the object being loaded"
    }
  }
}
