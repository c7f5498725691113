import BTF
import Syscall
import UAPI

/// What a kernel offers, as the loader takes it: probed from the running
/// kernel (`KernelFeatures.probe()`), or built by hand to stand for another
/// kernel (a test removes `.ringbuf` to simulate a kernel without ring buffers).
///
/// Map types, program types and features are plain sets. Helpers are asked
/// on demand (there are hundreds per program type): first `helperOverrides`,
/// then the prober this value came from; with neither, a helper is assumed
/// available and the verifier has the last word.
public struct KernelFeatures: Sendable {
  /// The BTF loader's abilities, for sanitizing object BTF. Meaningful only
  /// when `supports(.btf)`: a kernel without BTF gets `.minimal` here and
  /// should be given no BTF at all.
  public var btf: BTF.KernelSupport
  /// Map types the kernel creates (a probe map of each type was accepted).
  public var mapTypes: Set<MapType>
  /// Program types the kernel loads (a minimal program of each type was
  /// accepted).
  public var programTypes: Set<ProgramType>
  /// How the kernel refused each missing program type's probe (`EPERM`:
  /// lockdown or capabilities, not age), for better errors.
  public var programTypeRefusals: [ProgramType: Errno]
  /// Features beyond types: BPF links, cookies, ring buffer mmap, ... (see
  /// `KernelFeature`).
  public var features: Set<KernelFeature>
  /// Fixed answers for (program type, helper number), checked before probing.
  public var helperOverrides: [ProgramType: [Int32: Bool]]
  /// Where helper questions go when no override answers them.
  public let helperProber: FeatureProber?

  /// A kernel with exactly these abilities; helpers not in `helperOverrides`
  /// go to `helperProber`, or are assumed available without one.
  public init(
    btf: BTF.KernelSupport, mapTypes: Set<MapType>, programTypes: Set<ProgramType>,
    programTypeRefusals: [ProgramType: Errno] = [:], features: Set<KernelFeature>, helperOverrides: [ProgramType: [Int32: Bool]] = [:],
    helperProber: FeatureProber? = nil
  ) {
    self.btf = btf
    self.mapTypes = mapTypes
    self.programTypes = programTypes
    self.programTypeRefusals = programTypeRefusals
    self.features = features
    self.helperOverrides = helperOverrides
    self.helperProber = helperProber
  }

  /// The running kernel, probed once per process (`FeatureProber.system`).
  public static func probe(using prober: FeatureProber = .system) -> KernelFeatures {
    prober.snapshot()
  }

  /// The running kernel, probed once per process (same as `probe()`).
  public static var probed: KernelFeatures { probe() }

  /// A kernel with everything this library knows (nothing is checked or
  /// rewritten); the starting point for simulating a kernel that lacks something.
  public static var everything: KernelFeatures {
    KernelFeatures(
      btf: .all,
      mapTypes: Set(MapType.allKnown.filter { $0 != .unspec }),
      programTypes: Set(ProgramType.allKnown.filter { $0 != .unspec }),
      features: Set(KernelFeature.allCases))
  }

  /// Whether the kernel creates maps of `type`.
  public func supports(_ type: MapType) -> Bool { mapTypes.contains(type) }
  /// Whether the kernel loads programs of `type`.
  public func supports(_ type: ProgramType) -> Bool { programTypes.contains(type) }
  /// Whether the kernel has `feature`.
  public func supports(_ feature: KernelFeature) -> Bool { features.contains(feature) }

  /// Whether programs of `type` may call helper number `helper`.
  public func supports(helper: Int32, in type: ProgramType) -> Bool {
    if let fixed = helperOverrides[type]?[helper] { return fixed }
    return helperProber?.supports(helper: helper, in: type) ?? true
  }

  /// Throws "needs Linux X.Y" when the map type is missing.
  public func require(_ type: MapType) throws(FeatureError) {
    if !supports(type) { throw .mapType(type, minimumKernel: MinimumKernel.of(type)) }
  }

  /// Throws "needs Linux X.Y" when the program type is missing.
  public func require(_ type: ProgramType) throws(FeatureError) {
    if !supports(type) { throw .programType(type, minimumKernel: MinimumKernel.of(type), refusal: programTypeRefusals[type]) }
  }

  /// Throws "needs Linux X.Y" when the feature is missing.
  public func require(_ feature: KernelFeature) throws(FeatureError) {
    if !supports(feature) { throw .feature(feature, minimumKernel: MinimumKernel.of(feature)) }
  }

  /// Throws when programs of `type` may not call `helper`.
  public func require(helper: Int32, in type: ProgramType) throws(FeatureError) {
    if !supports(helper: helper, in: type) { throw .helper(helper, programType: type) }
  }
}
