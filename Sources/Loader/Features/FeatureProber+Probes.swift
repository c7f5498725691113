import Glibc
import Instructions
import Syscall
import UAPI

/// The probes themselves: attributes and programs, and how each answer is read.
extension FeatureProber {
  /// Log bytes for probes that read the verifier's answer (a two-instruction
  /// program's log is a few lines).
  static let probeLogCapacity = 4096

  /// Kernel: `bpf_get_attach_cookie` is helper 174.
  static let attachCookieHelper: Int32 = 174

  func probeMap(_ type: MapType) -> Bool {
    guard let (attributes, btf, inner, acceptedErrno) = Self.mapProbe(type) else { return false }
    let outcome = kernel.createMap(attributes, btf: btf, inner: inner)
    if outcome.succeeded { return true }
    return acceptedErrno != nil && outcome.errno == acceptedErrno
  }

  /// Minimal valid `BPF_MAP_CREATE` attributes for `type`, the BTF and inner
  /// map it needs, and an errno that still proves the type is known.
  static func mapProbe(_ type: MapType)
    -> (MapCreateAttributes, btf: [UInt8]?, inner: MapCreateAttributes?, acceptedErrno: Errno?)?
  {
    var a = MapCreateAttributes(type: type, keySize: 4, valueSize: 4, maxEntries: 1)
    var btf: [UInt8]? = nil
    var inner: MapCreateAttributes? = nil
    var accepted: Errno? = nil
    switch type {
    case .unspec:
      return nil
    case .stackTrace:
      a.valueSize = 8
    case .lpmTrie:
      // Kernel: key = 4-byte prefix length + data; needs BPF_F_NO_PREALLOC.
      a.keySize = 8
      a.valueSize = 8
      a.flags = .noPrealloc
    case .cgroupStorage, .percpuCgroupStorage:
      // Kernel: key is `struct bpf_cgroup_storage_key` (16 bytes), max_entries 0.
      a.keySize = 16
      a.valueSize = 8
      a.maxEntries = 0
    case .queue, .stack, .bloomFilter:
      a.keySize = 0
    case .skStorage, .inodeStorage, .taskStorage, .cgrpStorage:
      // Kernel: local storage needs BTF for its value, BPF_F_NO_PREALLOC, max_entries 0.
      a.valueSize = 8
      a.maxEntries = 0
      a.flags = .noPrealloc
      a.btfKeyTypeID = 1
      a.btfValueTypeID = 3
      btf = ProbeBlobs.localStorage
    case .ringbuf, .userRingbuf:
      // Kernel: max_entries is the buffer size, a power-of-2 multiple of the page size.
      a.keySize = 0
      a.valueSize = 0
      a.maxEntries = UInt32(clamping: max(4096, sysconf(Int32(_SC_PAGESIZE))))
    case .arena:
      // Kernel: max_entries counts pages; user space maps it (BPF_F_MMAPABLE).
      a.keySize = 0
      a.valueSize = 0
      a.flags = .mmapable
    case .arrayOfMaps, .hashOfMaps:
      inner = MapCreateAttributes(type: .hash, keySize: 4, valueSize: 4, maxEntries: 1)
    case .structOps:
      // Kernel: a bogus vmlinux value type id fails with ENOTSUPP only when
      // the map type exists (an unknown type is EINVAL).
      a.btfVmlinuxValueTypeID = 1
      accepted = .ENOTSUPP
    default:
      break
    }
    return (a, btf, inner, accepted)
  }

  /// `r0 = 0; exit`.
  static let returnZero: [UInt8] = Instruction.encode(
    [FeatureProber.move(.r0, 0), .exit], order: .host)

  /// Load attributes that let a program of `type` pass the checks that come
  /// before the verifier (expected attach type, target id, sleepable flag).
  static func programAttributes(_ type: ProgramType, instructions: [UInt8]) -> ProgramLoadAttributes {
    var a = ProgramLoadAttributes(type: type, instructions: instructions, license: "GPL")
    switch type {
    case .cgroupSockAddr: a.expectedAttachType = .cgroupInet4Connect
    case .cgroupSockopt: a.expectedAttachType = .cgroupGetsockopt
    case .skLookup: a.expectedAttachType = .skLookup
    case .netfilter: a.expectedAttachType = .netfilter
    case .kprobe: a.kernelVersion = KernelRelease.current?.versionCode ?? 0
    case .syscall: a.flags = .sleepable
    case .tracing:
      a.expectedAttachType = .traceFentry
      a.attachBTFID = 1
    case .lsm:
      a.expectedAttachType = .lsmMac
      a.attachBTFID = 1
    case .ext, .structOps:
      a.attachBTFID = 1
    default: break
    }
    return a
  }

  /// For types that cannot load without a real target: the errno and log
  /// text that show the kernel knows the type and got to the target check.
  static func targetCheck(_ type: ProgramType) -> (Errno, String)? {
    switch type {
    case .tracing, .lsm: (.EINVAL, "attach_btf_id 1 is not a function")
    case .ext: (.EINVAL, "Cannot replace kernel functions")
    case .structOps: (.ENOTSUPP, "")
    default: nil
    }
  }

  func probeProgram(_ type: ProgramType) -> Bool {
    guard type != .unspec else { return false }
    let attributes = Self.programAttributes(type, instructions: Self.returnZero)
    let check = Self.targetCheck(type)
    let outcome = kernel.loadProgram(attributes, map: nil, logCapacity: check == nil ? 0 : Self.probeLogCapacity)
    if outcome.succeeded { return true }
    if let (errno, text) = check, outcome.errno == errno, text.isEmpty || outcome.log.contains(text) {
      return true
    }
    recordRefusal(type, outcome.errno)
    return false
  }

  func probeHelper(_ helper: Int32, _ type: ProgramType) -> Bool {
    guard helper > 0, supports(type) else { return false }
    let program = Instruction.encode([Instruction.call(helper: helper), .exit], order: .host)
    let attributes = Self.programAttributes(type, instructions: program)
    let outcome = kernel.loadProgram(attributes, map: nil, logCapacity: Self.probeLogCapacity)
    return Self.helperAllowed(outcome)
  }

  /// Reads a helper probe's answer.
  static func helperAllowed(_ outcome: ProbeOutcome) -> Bool {
    if outcome.succeeded { return true }
    let log = outcome.log
    if log.contains("invalid func ") || log.contains("unknown func ")
      || log.contains("program of this type cannot use helper")
    {
      return false
    }
    // No log at all: refused before the verifier ran (permissions, lockdown).
    return !log.isEmpty
  }

  func probeFeature(_ feature: KernelFeature) -> Bool {
    switch feature {
    case .btf: return kernel.loadBTF(ProbeBlobs.basic).succeeded
    case .btfFunctions: return supports(.btf) && kernel.loadBTF(ProbeBlobs.function(global: false)).succeeded
    case .btfGlobalFunctions: return supports(.btfFunctions) && kernel.loadBTF(ProbeBlobs.function(global: true)).succeeded
    case .btfDataSections: return supports(.btf) && kernel.loadBTF(ProbeBlobs.dataSection).succeeded
    case .btfFloat: return supports(.btf) && kernel.loadBTF(ProbeBlobs.float).succeeded
    case .btfDeclarationTags: return supports(.btf) && kernel.loadBTF(ProbeBlobs.declarationTag).succeeded
    case .btfTypeTags: return supports(.btf) && kernel.loadBTF(ProbeBlobs.typeTag).succeeded
    case .btfEnum64: return supports(.btf) && kernel.loadBTF(ProbeBlobs.enum64).succeeded
    case .globalData:
      let map = MapCreateAttributes(type: .array, keySize: 4, valueSize: 32, maxEntries: 1)
      let attributes = Self.programAttributes(.socketFilter, instructions: Self.storeToMapValue)
      return kernel.loadProgram(attributes, map: map, logCapacity: 0).succeeded
    case .mmapableArrays:
      let map = MapCreateAttributes(type: .array, keySize: 4, valueSize: 4, maxEntries: 1, flags: .mmapable)
      return kernel.createMap(map, btf: nil, inner: nil).succeeded
    case .frozenMaps:
      let map = MapCreateAttributes(type: .array, keySize: 4, valueSize: 4, maxEntries: 1, flags: .readOnlyProgram)
      return kernel.createMap(map, btf: nil, inner: nil).succeeded
    case .bpfCookie:
      return supports(helper: Self.attachCookieHelper, in: .tracepoint)
    case .ringBuffer:
      return supports(MapType.ringbuf)
    case .programNames:
      var attributes = Self.programAttributes(.socketFilter, instructions: Self.returnZero)
      attributes.name = "swiftbpf_probe"
      return kernel.loadProgram(attributes, map: nil, logCapacity: 0).succeeded
    case .kfuncCalls:
      // A kfunc call to BTF id 1 (never a FUNC in vmlinux): a kernel that
      // knows kfunc calls looks the id up and says so; an older one rejects
      // the call instruction itself.
      let call = Instruction.call(kfunc: 1)
      let program = Instruction.encode([FeatureProber.move(.r0, 0), call, .exit], order: .host)
      let attributes = Self.programAttributes(.schedCls, instructions: program)
      let outcome = kernel.loadProgram(attributes, map: nil, logCapacity: Self.probeLogCapacity)
      return outcome.succeeded || outcome.log.contains("is not a function")
    }
  }

  /// `r1 = map_value(fd, 0); *(u64 *)(r1 + 0) = 42; r0 = 0; exit` — the
  /// shape of a global variable store (the fd is patched in by the kernel layer).
  static let storeToMapValue: [UInt8] = Instruction.encode(
    [
      Instruction.loadImmediate64(.r1, 0, pseudo: .mapValue),
      Instruction.store(.doubleWord, base: .r1, offset: 0, immediate: 42),
      FeatureProber.move(.r0, 0),
      .exit,
    ], order: .host)
}

extension FeatureProber {
  /// `dst = imm` (64-bit move of a sign-extended 32-bit immediate).
  static func move(_ destination: Register, _ value: Int32) -> Instruction {
    Instruction.move(destination, value)
  }
}
