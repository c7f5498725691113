import BTF
import Dispatch
import Instructions
@testable import Loader
import Synchronization
import Syscall
import Testing
import UAPI

/// Probe logic without root, through the fake kernel (`FakeKernel.probing`): what each probe
/// concludes from the kernel's answers, caching, and "needs Linux X" errors.
@Suite struct FeaturesTests {
  @Test func cachesEachAnswer() {
    let kernel = FakeKernel.probing()
    let prober = FeatureProber(kernel: kernel)
    #expect(prober.supports(MapType.ringbuf))
    #expect(prober.supports(MapType.ringbuf))
    #expect(kernel.callCount == 1)
    #expect(prober.supports(helper: 1, in: .xdp))
    let afterFirstHelper = kernel.callCount  // the program type probe plus the helper probe
    #expect(afterFirstHelper == 3)
    #expect(prober.supports(helper: 1, in: .xdp))
    #expect(kernel.callCount == afterFirstHelper)
    #expect(prober.supports(helper: 2, in: .xdp))
    #expect(kernel.callCount == afterFirstHelper + 1)
  }

  @Test func cacheIsSharedAcrossThreads() {
    let kernel = FakeKernel.probing(.init(missingMaps: [.arena]))
    let prober = FeatureProber(kernel: kernel)
    DispatchQueue.concurrentPerform(iterations: 64) { i in
      #expect(prober.supports(MapType.hash))
      #expect(!prober.supports(MapType.arena))
      #expect(prober.supports(helper: Int32(i % 4 + 1), in: .socketFilter))
    }
    // Racing threads may probe the same question more than once, but far
    // fewer times than they ask.
    #expect(kernel.callCount < 64 * 3)
  }

  @Test func kernelWithoutRingBufferSaysWhichKernelItNeeds() throws {
    let prober = FeatureProber(kernel: FakeKernel.probing(.init(missingMaps: [.ringbuf])))
    let features = prober.snapshot()
    #expect(!features.supports(MapType.ringbuf))
    #expect(!features.supports(.ringBuffer))
    #expect(features.supports(MapType.hash))
    #expect(throws: FeatureError.mapType(.ringbuf, minimumKernel: "Linux 5.8")) {
      try features.require(MapType.ringbuf)
    }
    do {
      try features.require(.ringBuffer)
      Issue.record("ring buffers reported present")
    } catch {
      #expect(error.description.contains("Linux 5.8"))
      #expect(error.description.contains("BPF_MAP_TYPE_RINGBUF"))
    }
  }

  @Test func handBuiltFeaturesSimulateAnOlderKernel() {
    var features = KernelFeatures.everything
    #expect(features.supports(MapType.arena))
    features.mapTypes.remove(.arena)
    #expect(throws: FeatureError.mapType(.arena, minimumKernel: "Linux 6.9")) { try features.require(MapType.arena) }
    #expect(features.supports(helper: 44, in: .socketFilter), "no prober and no override: the verifier decides")
    features.helperOverrides[.socketFilter] = [44: false]
    #expect(throws: FeatureError.helper(44, programType: .socketFilter)) { try features.require(helper: 44, in: .socketFilter) }
  }

  @Test func btfSupportFollowsAcceptedKinds() throws {
    let full = try #require(FeatureProber(kernel: FakeKernel.probing()).btfSupport)
    #expect(full == BTF.KernelSupport.all)

    let older = FeatureProber(kernel: FakeKernel.probing(.init(
      missingBTFKinds: [.enum64, .typeTag, .declarationTag], rejectTagAttributes: true)))
    let support = try #require(older.btfSupport)
    #expect(!support.kinds.contains(.enum64))
    #expect(!support.kinds.contains(.typeTag))
    #expect(!support.kinds.contains(.declarationTag))
    #expect(support.kinds.contains(.float))
    #expect(support.kinds.contains(.dataSection))
    #expect(support.globalFunctions)
    #expect(!support.tagAttributes)

    let noFunctions = FeatureProber(kernel: FakeKernel.probing(.init(missingBTFKinds: [.function, .functionPrototype])))
    #expect(noFunctions.btfSupport?.kinds.contains(.function) == false)
    #expect(noFunctions.btfSupport?.globalFunctions == false)

    let questionMark = FeatureProber(kernel: FakeKernel.probing(.init(rejectQuestionMarkSections: true)))
    #expect(questionMark.btfSupport?.questionMarkDataSections == false)

    let none = FeatureProber(kernel: FakeKernel.probing(.init(missingBTFKinds: [.integer])))
    #expect(none.btfSupport == nil)
    let noBTF = none.snapshot()
    #expect(!noBTF.supports(.btf))
    #expect(noBTF.btf == .minimal)
    #expect(!none.supports(.btfFloat), "no BTF at all means no BTF kind")
  }

  @Test func helperProbeReadsTheVerifiersAnswer() {
    let kernel = FakeKernel.probing(.init(helperLimit: 200, forbiddenHelpers: [.socketFilter: [44]]))
    let prober = FeatureProber(kernel: kernel)
    #expect(prober.supports(helper: 1, in: .socketFilter), "an argument complaint means the helper is allowed")
    #expect(!prober.supports(helper: 44, in: .socketFilter), "program of this type cannot use helper")
    #expect(prober.supports(helper: 44, in: .xdp))
    #expect(!prober.supports(helper: 200, in: .xdp), "invalid func: unknown to the kernel")
    #expect(!prober.supports(helper: 0, in: .xdp))
    #expect(!prober.supports(helper: -1, in: .xdp))
  }

  @Test func helperAnswersFromLogTexts() {
    #expect(!FeatureProber.helperAllowed(ProbeOutcome(errno: .EINVAL, log: "invalid func unknown#9999\n")))
    #expect(!FeatureProber.helperAllowed(ProbeOutcome(errno: .EINVAL, log: "unknown func bpf_x#44\n")))
    #expect(!FeatureProber.helperAllowed(ProbeOutcome(errno: .EINVAL,
      log: "program of this type cannot use helper bpf_xdp_adjust_head#44\n")))
    #expect(FeatureProber.helperAllowed(ProbeOutcome(errno: .EACCES, log: "R1 type=ctx expected=fp\n")))
    #expect(FeatureProber.helperAllowed(.success))
    #expect(!FeatureProber.helperAllowed(ProbeOutcome(errno: .EPERM, log: "")), "refused before verifying")
  }

  @Test func helpersOfAMissingProgramTypeAreMissing() {
    let kernel = FakeKernel.probing(.init(missingPrograms: [.lircMode2: .EINVAL]))
    let prober = FeatureProber(kernel: kernel)
    #expect(!prober.supports(helper: 1, in: .lircMode2))
    #expect(kernel.callCount == 1, "only the program type was probed")
  }

  @Test func targetTypesCountWhenTheVerifierReachesTheTarget() throws {
    let prober = FeatureProber(kernel: FakeKernel.probing())
    for type in [ProgramType.tracing, .lsm, .ext, .structOps] {
      #expect(prober.supports(type), "\(type)")
    }
    let locked = FeatureProber(kernel: FakeKernel.probing(.init(missingPrograms: [.tracing: .EPERM, .lsm: .EPERM])))
    let features = locked.snapshot()
    #expect(!features.supports(ProgramType.tracing))
    #expect(features.programTypeRefusals[.tracing] == .EPERM)
    do {
      try features.require(ProgramType.tracing)
      Issue.record("tracing reported present")
    } catch {
      #expect(error.description.contains("lockdown"))
      #expect(!error.description.contains("needs Linux"))
    }
    let old = FeatureProber(kernel: FakeKernel.probing(.init(targetTypesKnown: false)))
    #expect(!old.supports(ProgramType.tracing))
    #expect(throws: FeatureError.self) { try old.snapshot().require(ProgramType.ext) }
  }

  @Test func featureProbesUseTheirOwnObjects() {
    let prober = FeatureProber(kernel: FakeKernel.probing(.init(missingMaps: [.array], refuseNames: true)))
    #expect(!prober.supports(.globalData), "global data lives in an array map")
    #expect(!prober.supports(.mmapableArrays))
    #expect(!prober.supports(.frozenMaps))
    #expect(!prober.supports(.programNames))
    #expect(prober.supports(.kfuncCalls))
    #expect(prober.supports(.bpfCookie))
    let forbidden = FeatureProber(kernel: FakeKernel.probing(.init(forbiddenHelpers: [.tracepoint: [174]])))
    #expect(!forbidden.supports(.bpfCookie))
  }

  /// Kernel facts each map probe must respect (include/uapi/linux/bpf.h and
  /// the map implementations): ring buffers a page multiple, cgroup storage
  /// keyed by `struct bpf_cgroup_storage_key` with max_entries 0, queues keyless.
  @Test func mapProbeAttributesFollowKernelRules() throws {
    let ring = try #require(FeatureProber.mapProbe(.ringbuf))
    #expect(ring.0.maxEntries % 4096 == 0 && ring.0.maxEntries > 0)
    #expect(ring.0.keySize == 0 && ring.0.valueSize == 0)
    let storage = try #require(FeatureProber.mapProbe(.cgroupStorage))
    #expect(storage.0.keySize == 16 && storage.0.maxEntries == 0)
    #expect(try #require(FeatureProber.mapProbe(.queue)).0.keySize == 0)
    let local = try #require(FeatureProber.mapProbe(.taskStorage))
    #expect(local.btf != nil && local.0.flags.contains(.noPrealloc))
    #expect(try #require(FeatureProber.mapProbe(.hashOfMaps)).inner != nil)
    #expect(try #require(FeatureProber.mapProbe(.structOps)).acceptedErrno == .ENOTSUPP)
    #expect(FeatureProber.mapProbe(.unspec) == nil)
  }

  @Test func programProbesSetTheAttachTypeTheKernelWants() {
    #expect(FeatureProber.programAttributes(.cgroupSockAddr, instructions: []).expectedAttachType == .cgroupInet4Connect)
    #expect(FeatureProber.programAttributes(.cgroupSockopt, instructions: []).expectedAttachType == .cgroupGetsockopt)
    #expect(FeatureProber.programAttributes(.skLookup, instructions: []).expectedAttachType == .skLookup)
    #expect(FeatureProber.programAttributes(.netfilter, instructions: []).expectedAttachType == .netfilter)
    #expect(FeatureProber.programAttributes(.syscall, instructions: []).flags.contains(.sleepable))
    #expect(FeatureProber.programAttributes(.xdp, instructions: []).expectedAttachType == nil)
  }

  @Test func mapReferencesGetTheFD() throws {
    let patched = SystemProbeKernel.patchMapReferences(FeatureProber.storeToMapValue, fd: 7)
    let program = try InstructionSequence(decoding: patched, order: .host)
    #expect(program.first?.pseudoSource == .mapValue)
    #expect(program.first?.immediate == 7)
    #expect(Array(patched[16...]) == Array(FeatureProber.storeToMapValue[16...]))
  }

  /// The kernel numbers map and program types in the order it added them,
  /// so first releases never go down as the number goes up; every known
  /// type has one.
  @Test func minimumKernelTableIsCompleteAndOrdered() throws {
    func version(_ text: String?) throws -> [Int] {
      let t = try #require(text)
      #expect(t.hasPrefix("Linux "))
      return t.dropFirst(6).split(separator: ".").compactMap { Int($0) }
    }
    var last = [0]
    for type in MapType.allKnown where type != .unspec {
      let v = try version(MinimumKernel.of(type))
      #expect(v.lexicographicallyPrecedes(last) == false, "\(type)")
      last = v
    }
    last = [0]
    for type in ProgramType.allKnown where type != .unspec {
      let v = try version(MinimumKernel.of(type))
      #expect(v.lexicographicallyPrecedes(last) == false, "\(type)")
      last = v
    }
    #expect(MinimumKernel.of(MapType(rawValue: 999)) == nil)
    for feature in KernelFeature.allCases { _ = try version(feature.minimumKernel) }
    // BTF kinds: the kernel numbers them in order of arrival too.
    last = [0]
    for kind in BTF.Kind.allCases where kind != .void {
      let v = try version(MinimumKernel.of(kind))
      #expect(v.lexicographicallyPrecedes(last) == false, "\(kind)")
      last = v
    }
  }
}
