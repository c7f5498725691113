import UAPI

/// What a program's ELF section name (its `SEC("...")`) says about it: the
/// program type, the expected attach type, where to attach, and how to load.
///
/// Parse with `ProgramSection.parse(_:)`. The rules are libbpf's (1.5 and
/// later): a `?` prefix turns autoload off, a `.s` suffix makes the program
/// sleepable, and names such as `kprobe/do_exit` or
/// `uprobe//usr/lib/libc.so.6:malloc` carry an attach target that the loader
/// can auto-attach to.
///
/// A section whose target text does not parse (`tp/only_one_part`) still gets
/// its program type, as in libbpf; `attachTarget` is then nil,
/// `invalidTargetReason` says what is wrong, and `canAutoAttach` is false.
/// libbpf fails its skeleton auto-attach for such programs; the loader should
/// report `invalidTargetReason` when it is asked to auto-attach one.
public struct ProgramSection: Sendable, Hashable {
  /// The section name as written (with `?` if present).
  public var name: String
  /// The program type the name implies (`BPF_PROG_TYPE_KPROBE` for `kprobe/...`).
  public var programType: ProgramType
  /// The attach type given at load time; nil means none (0 to the kernel).
  ///
  /// Kernel: libbpf replaces it for `usdt` programs with
  /// `BPF_TRACE_UPROBE_MULTI` when the kernel has uprobe_multi links (6.6),
  /// and for `struct_ops` programs with the index of the member they fill in.
  public var expectedAttachType: AttachType?
  /// What the name says to attach to, parsed; nil when the name has no
  /// target or its target is malformed (see `invalidTargetReason`).
  public var attachTarget: AttachTarget?
  /// False with the `?` prefix: the program is not loaded unless the user
  /// turns autoload on.
  public var autoload: Bool
  /// The program is loaded with `BPF_F_SLEEPABLE` (`.s` names and `syscall`).
  public var isSleepable: Bool
  /// The row's flags (see `Flags`).
  public var flags: Flags
  /// libbpf would auto-attach it: the row has an auto-attach handler and the
  /// name carries a well-formed target.
  ///
  /// BTF-attached programs (`fentry`, `lsm`, `iter`...) written without a
  /// target can still auto-attach once a target is set before load.
  public var canAutoAttach: Bool
  /// The table row that matched.
  public var definition: SectionDefinition
  /// The text after the row's name and `/` (`do_exit` in `kprobe/do_exit`),
  /// nil when the name is the bare row name. BTF targets are resolved from it.
  public var targetText: String?
  /// Why the target text does not parse, or nil when it does (or is absent).
  public var invalidTargetReason: String?

  /// A reading of a section name; `ProgramSection.parse(_:)` (the SEC()
  /// table) makes these, tests and hand-made objects may too.
  public init(
    name: String, programType: ProgramType, expectedAttachType: AttachType?,
    attachTarget: AttachTarget?, autoload: Bool, isSleepable: Bool, flags: Flags,
    canAutoAttach: Bool, definition: SectionDefinition, targetText: String?,
    invalidTargetReason: String?
  ) {
    self.name = name
    self.programType = programType
    self.expectedAttachType = expectedAttachType
    self.attachTarget = attachTarget
    self.autoload = autoload
    self.isSleepable = isSleepable
    self.flags = flags
    self.canAutoAttach = canAutoAttach
    self.definition = definition
    self.targetText = targetText
    self.invalidTargetReason = invalidTargetReason
  }
}

extension ProgramSection {
  /// Facts about a section row, after libbpf's `SEC_*` flags plus what its
  /// auto-attach handler decides from the row name.
  public struct Flags: OptionSet, Sendable, Hashable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The expected attach type may be dropped on kernels that do not accept
    /// one for this program type (before 4.17). libbpf: `SEC_EXP_ATTACH_OPT`.
    public static let attachTypeOptional = Flags(rawValue: 1 << 0)
    /// Legacy marker of programs attached with `BPF_PROG_ATTACH` (cgroup and
    /// socket programs). libbpf only uses it to answer
    /// `libbpf_attach_type_by_name()`. libbpf: `SEC_ATTACHABLE`.
    public static let attachable = Flags(rawValue: 1 << 1)
    /// The target is a BTF id found by name at load time (`fentry/<fn>`).
    /// Without a target in the name, one must be set before load.
    /// libbpf: `SEC_ATTACH_BTF`.
    public static let attachBTF = Flags(rawValue: 1 << 2)
    /// Loaded with `BPF_F_SLEEPABLE`. libbpf: `SEC_SLEEPABLE`.
    public static let sleepable = Flags(rawValue: 1 << 3)
    /// XDP program that handles multi-buffer packets: loaded with
    /// `BPF_F_XDP_HAS_FRAGS` (Linux 5.18). libbpf: `SEC_XDP_FRAGS`.
    public static let xdpFrags = Flags(rawValue: 1 << 4)
    /// USDT probe: the loader picks the attach type (uprobe_multi when the
    /// kernel has it) and fills the USDT spec maps. libbpf: `SEC_USDT`.
    public static let usdt = Flags(rawValue: 1 << 5)
    /// The row has an auto-attach handler (libbpf: a non-NULL `attach_fn`).
    /// Whether this name has enough for it is `canAutoAttach`.
    public static let autoAttach = Flags(rawValue: 1 << 6)
    /// Fires on return: kretprobe, uretprobe, kretsyscall and the
    /// `.multi` return variants.
    public static let returnProbe = Flags(rawValue: 1 << 7)
    /// Attaches many functions through one multi link (`kprobe.multi`,
    /// `uprobe.multi` and the session variants).
    public static let multiProbe = Flags(rawValue: 1 << 8)
    /// Runs on entry and on return of the same call (`kprobe.session`,
    /// `uprobe.session`, `fsession`).
    public static let session = Flags(rawValue: 1 << 9)
    /// Deprecated name kept for old objects (`tc`, `classifier`, `action`:
    /// libbpf says "use tcx").
    public static let deprecated = Flags(rawValue: 1 << 10)
  }
}
