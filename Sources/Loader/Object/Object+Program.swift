import ELFReader
import Instructions
import Syscall
import UAPI

extension Object {
  /// A program as it will be loaded: its section's meaning with any
  /// overrides made before load.
  public struct Program: Sendable {
    /// The program's function name.
    public let name: String
    /// The SEC() name.
    public let sectionName: String
    /// The object's function (section, slots, symbol, SEC() definition).
    public let source: Function
    /// Load it with the object (the `?` prefix turns this off).
    ///
    /// For a struct_ops program that a struct_ops map uses, the maps decide
    /// at load, as in libbpf: it is loaded when one of those maps is
    /// created (`Object.Map.autoCreate`), and not when none is, whatever
    /// this says.
    public var autoload: Bool
    /// The program type; nil when the section name is unknown and no type was set.
    public var type: ProgramType?
    /// The attach type to load with (`expected_attach_type`); from the SEC()
    /// name, or set for a name that does not say.
    public var expectedAttachType: AttachType?
    /// Load with `BPF_F_SLEEPABLE`.
    public var isSleepable: Bool
    /// Verifier log level (0: a level-1 log only when the load fails).
    public var logLevel: UInt32
    /// The attach target's name (`sched_switch` for `tp_btf/sched_switch`),
    /// resolved to a kernel BTF id at load for BTF-attached types.
    public var attachTarget: String?
    /// For `freplace` (and `fentry`/`fexit` on a BPF program): the loaded
    /// program whose function `attachTarget` names; the id is then looked up
    /// in that program's BTF.
    public var attachProgram: LoadedObject.Program?

    init(file p: Function, logLevel: UInt32) {
      name = p.name
      sectionName = p.sectionName
      source = p
      self.logLevel = logLevel
      attachProgram = nil
      switch p.definition {
      case .success(let s)?:
        autoload = s.autoload
        type = s.programType
        expectedAttachType = s.expectedAttachType
        isSleepable = s.isSleepable
        attachTarget = s.flags.contains(.attachBTF) || s.programType == .structOps ? s.targetText : nil
      case .failure?, nil:
        autoload = !p.sectionName.hasPrefix("?")
        type = nil
        expectedAttachType = nil
        isSleepable = false
        attachTarget = nil
      }
    }

    /// The section table's reading of the SEC() name.
    public var section: ProgramSection? {
      if case .success(let s)? = source.definition { return s }
      return nil
    }
  }
}
