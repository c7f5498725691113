import UAPI

/// One row of the SEC() name table: a section name (or name family) that
/// libbpf recognises, and what it means for the program inside.
///
/// The rows live in `SectionTable.swift` (`SectionDefinition.all`); the
/// matcher in `ProgramSection+Parse.swift` picks the row for a section name,
/// and `AttachTargetParser.swift` reads the target the name carries.
public struct SectionDefinition: Sendable, Hashable, CustomStringConvertible {
  /// How a section name is compared with `name`.
  public enum Matching: Sendable, Hashable {
    /// The section name must equal `name` (libbpf: a plain `"type"` entry).
    case exact
    /// `name` alone, or `name/<target>` with a `/` right after it (libbpf:
    /// a `"type+"` entry). `kprobe+` accepts `kprobe` and `kprobe/do_exit`
    /// but not `kprobe_x` nor `kprobe.multi/...`.
    case optionalTarget
    /// `name/<target>` only: `name` must be followed by `/` (libbpf: a
    /// `"type/"` entry). No built-in row uses it today; kept so custom rows
    /// can.
    case requiredTarget
  }

  /// What the text after `name/` describes, and so how it is parsed.
  public enum TargetFormat: Sendable, Hashable {
    /// The name carries no target (`xdp`, `cgroup/connect4`, `socket`).
    case none
    /// `<category>/<name>` of a tracefs tracepoint.
    case tracepoint
    /// `<tracepoint>` of a raw tracepoint.
    case rawTracepoint
    /// A BTF function (or BTF tracepoint, LSM hook) name, resolved at load
    /// time: `<function>` or `<module>:<function>`.
    case btfFunction
    /// `<type>` of a BPF iterator (`task`, `bpf_map_elem`, ...).
    case iterator
    /// `<function>[+<offset>]` of a kernel probe.
    case kprobe
    /// `<pattern>` of kernel functions with `*` and `?` wildcards.
    case kprobeMulti
    /// `<syscall>` name without the architecture prefix.
    case syscall
    /// `<path>:<function>[+<offset>]` of a user-space probe.
    case uprobe
    /// `<path>:<pattern>` of several user-space functions.
    case uprobeMulti
    /// `<path>:<provider>:<name>` of a USDT probe.
    case usdt
    /// `<operation>`: the struct_ops member the program implements.
    case structOps
  }

  /// The name as libbpf writes it, without its `+` marker: `kprobe`,
  /// `cgroup/connect4`, `xdp.frags/devmap`.
  public var name: String
  /// How a section name is compared with `name` (exactly, as a prefix...).
  public var matching: Matching
  /// The program type of every program of this row.
  public var programType: ProgramType
  /// The attach type the program is loaded with; nil where libbpf passes 0
  /// ("none") to the kernel.
  public var expectedAttachType: AttachType?
  /// What libbpf knows about every program of this row (sleepable, XDP
  /// frags, auto-attach handler, return probe...). See `ProgramSection.Flags`.
  public var flags: ProgramSection.Flags
  /// What the text after `name/` names, and so how it is parsed.
  public var targetFormat: TargetFormat

  /// A table row, in the order of libbpf's `section_defs` columns: name,
  /// matching, program type, expected attach type, flags, and how the
  /// target text is read.
  public init(
    _ name: String, _ matching: Matching, _ programType: ProgramType,
    _ expectedAttachType: AttachType?, _ flags: ProgramSection.Flags = [],
    target: TargetFormat = .none
  ) {
    self.name = name
    self.matching = matching
    self.programType = programType
    self.expectedAttachType = expectedAttachType
    self.flags = flags
    self.targetFormat = target
  }

  /// How to write a section of this row, e.g. `kprobe[/<function>[+<offset>]]`
  /// or `cgroup/connect4`. Used in error messages.
  public var usage: String {
    let placeholder: String
    switch targetFormat {
    case .none: placeholder = "<target>"
    case .tracepoint: placeholder = "<category>/<name>"
    case .rawTracepoint: placeholder = "<tracepoint>"
    case .btfFunction:
      placeholder = programType == .lsm ? "<hook>" : expectedAttachType == .traceRawTp ? "<tracepoint>" : "<function>"
    case .iterator: placeholder = "<type>"
    case .kprobe: placeholder = flags.contains(.returnProbe) ? "<function>" : "<function>[+<offset>]"
    case .kprobeMulti: placeholder = "<pattern>"
    case .syscall: placeholder = "<syscall>"
    case .uprobe: placeholder = flags.contains(.returnProbe) ? "<path>:<function>" : "<path>:<function>[+<offset>]"
    case .uprobeMulti: placeholder = "<path>:<pattern>"
    case .usdt: placeholder = "<path>:<provider>:<name>"
    case .structOps: placeholder = "<operation>"
    }
    switch matching {
    case .exact: return name
    case .optionalTarget: return "\(name)[/\(placeholder)]"
    case .requiredTarget: return "\(name)/\(placeholder)"
    }
  }

  /// The row as libbpf spells it: `kprobe+`, `xdp`, `type/`.
  public var description: String {
    switch matching {
    case .exact: name
    case .optionalTarget: name + "+"
    case .requiredTarget: name + "/"
    }
  }
}
