import BTF
import Synchronization
import Syscall
import UAPI

/// Probes the running kernel, one tiny real load or create per question, and
/// remembers each answer for the life of the process.
///
/// Thread-safe: answers are cached under a `Mutex`; a probe runs outside the
/// lock, so two threads asking the same new question at once may both probe
/// (same answer) but never block each other on a syscall.
public final class FeatureProber: Sendable {
  /// The running kernel, shared by every loader in the process.
  public static let system = FeatureProber(kernel: SystemProbeKernel())

  let kernel: any ProbeKernel
  private let cache = Mutex(Cache())

  struct Cache {
    var maps: [MapType: Bool] = [:]
    var programs: [ProgramType: Bool] = [:]
    var helpers: [HelperKey: Bool] = [:]
    var features: [KernelFeature: Bool] = [:]
    var btfFlags: [BTFFlag: Bool] = [:]
    var programRefusals: [ProgramType: Errno] = [:]
  }

  struct HelperKey: Hashable {
    var type: ProgramType
    var helper: Int32
  }

  /// Properties of the BTF loader that are not kinds.
  enum BTFFlag: Hashable { case questionMarkDataSections, tagAttributes }

  /// A prober asking `kernel` (inject a fake to test without root).
  public init(kernel: some ProbeKernel) {
    self.kernel = kernel
  }

  private func cached<Key: Hashable>(
    _ path: WritableKeyPath<Cache, [Key: Bool]>, _ key: Key, _ probe: () -> Bool
  ) -> Bool {
    if let known = cache.withLock({ $0[keyPath: path][key] }) { return known }
    let answer = probe()
    cache.withLock { $0[keyPath: path][key] = answer }
    return answer
  }

  /// Whether a map of this type can be created.
  ///
  /// Kernel: `BPF_MAP_CREATE` with the smallest valid attributes for the type.
  public func supports(_ type: MapType) -> Bool {
    cached(\.maps, type) { probeMap(type) }
  }

  /// Whether a program of this type loads (`r0 = 0; exit`, with the expected
  /// attach type the type needs).
  ///
  /// Kernel: `BPF_PROG_LOAD`. Tracing, LSM and EXT programs cannot load
  /// without a real target; they count as supported when the verifier gets as
  /// far as rejecting the (deliberately bogus) target BTF id.
  public func supports(_ type: ProgramType) -> Bool {
    cached(\.programs, type) { probeProgram(type) }
  }

  /// The errno with which the kernel refused the `type` probe program
  /// (`EPERM` under lockdown, `EINVAL` for a type it does not know), nil
  /// when it loaded or was not probed yet.
  public func refusal(of type: ProgramType) -> Errno? {
    cache.withLock { $0.programRefusals[type] }
  }

  func recordRefusal(_ type: ProgramType, _ errno: Errno?) {
    cache.withLock { $0.programRefusals[type] = errno }
  }

  /// Whether a program of `type` may call helper number `helper`.
  ///
  /// Kernel: a program `call helper; exit` is loaded; the verifier answers
  /// "invalid func" (no such helper), "unknown func" (before 5.x) or
  /// "program of this type cannot use helper" when the helper is not allowed;
  /// any other complaint (about its arguments) means it is allowed.
  public func supports(helper: Int32, in type: ProgramType) -> Bool {
    cached(\.helpers, HelperKey(type: type, helper: helper)) { probeHelper(helper, type) }
  }

  /// Whether the kernel has `feature`.
  public func supports(_ feature: KernelFeature) -> Bool {
    cached(\.features, feature) { probeFeature(feature) }
  }

  /// What the kernel's BTF loader accepts, for `BTF.sanitized(for:)`; nil when
  /// it accepts no BTF at all (then no BTF should be loaded).
  public var btfSupport: BTF.KernelSupport? {
    guard supports(.btf) else { return nil }
    // `void` (kind 0) is implicit in every BTF; listing it keeps a fully
    // capable kernel equal to `KernelSupport.all`.
    var kinds: Set<BTF.Kind> = BTF.KernelSupport.minimal.kinds.union([.void])
    for feature in [KernelFeature.btfFunctions, .btfDataSections, .btfFloat, .btfDeclarationTags,
                    .btfTypeTags, .btfEnum64] where supports(feature) {
      kinds.formUnion(feature.btfKinds)
    }
    return BTF.KernelSupport(
      kinds: kinds,
      globalFunctions: supports(.btfGlobalFunctions),
      questionMarkDataSections: cached(\.btfFlags, .questionMarkDataSections) {
        kernel.loadBTF(ProbeBlobs.questionMarkDataSection).succeeded
      },
      tagAttributes: cached(\.btfFlags, .tagAttributes) {
        kernel.loadBTF(ProbeBlobs.tagAttribute).succeeded
      })
  }

  /// Everything at once (every known map type, program type and feature),
  /// as the value the loader takes. Helpers stay on demand through this prober.
  public func snapshot() -> KernelFeatures {
    KernelFeatures(
      btf: btfSupport ?? .minimal,
      mapTypes: Set(MapType.allKnown.filter { $0 != .unspec && supports($0) }),
      programTypes: Set(ProgramType.allKnown.filter { $0 != .unspec && supports($0) }),
      programTypeRefusals: cache.withLock { $0.programRefusals },
      features: Set(KernelFeature.allCases.filter { supports($0) }),
      helperProber: self)
  }
}
