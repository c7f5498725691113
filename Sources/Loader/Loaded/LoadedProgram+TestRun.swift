import Syscall
import UAPI

/// Input of `LoadedObject.Program.testRun(_:)`: what the kernel runs the program on.
///
/// Leave the capacities nil for sensible defaults: packet programs (XDP,
/// tc, socket filter, cgroup skb, lwt, flow dissector) get room for the
/// packet they were given plus a page, so a program that grows the packet
/// still fits; a given context gets room for itself plus 256 bytes (the
/// kernel writes back its whole `struct __sk_buff`, `struct xdp_md` …).
/// Types without output data (raw_tp, syscall, tracing) ask for none.
///
/// Kernel: `BPF_PROG_TEST_RUN`; what each type accepts is decided in the
/// kernel's per-type test-run handler: raw_tp takes only a context of up to
/// 12 `u64` arguments (optionally on a chosen CPU); syscall programs take only
/// a context, which the kernel writes back in place; XDP and skb programs need
/// at least 14 bytes of data (an Ethernet header).
public struct TestRunOptions: Sendable, Hashable {
  /// Packet or other input data (`data_in`).
  public var data: [UInt8]
  /// Room for the output data; nil: the default for the program type, 0: none.
  public var dataOutCapacity: Int?
  /// The context in (`struct __sk_buff`, `struct xdp_md`, raw_tp `u64`
  /// arguments, a syscall program's own struct); empty for none.
  public var context: [UInt8]
  /// Room for the output context; nil: the default for the program type.
  /// Ignored for syscall programs, whose context is always read back.
  public var contextOutCapacity: Int?
  /// How many times the kernel runs the program; 0 and 1 both mean once.
  public var repeatCount: UInt32
  /// Run on this CPU (sets `BPF_F_TEST_RUN_ON_CPU`); nil: the caller's CPU.
  public var cpu: UInt32?
  /// Further kernel flags (`BPF_F_TEST_XDP_LIVE_FRAMES`).
  public var flags: TestRunFlags
  /// XDP live frames: packets per batch; 0 lets the kernel choose.
  public var batchSize: UInt32

  /// One run on `data` and `context` on the caller's CPU, with the program
  /// type's default output room.
  public init(data: [UInt8] = [], dataOutCapacity: Int? = nil, context: [UInt8] = [],
              contextOutCapacity: Int? = nil, repeat repeatCount: UInt32 = 1, cpu: UInt32? = nil,
              flags: TestRunFlags = [], batchSize: UInt32 = 0) {
    self.data = data
    self.dataOutCapacity = dataOutCapacity
    self.context = context
    self.contextOutCapacity = contextOutCapacity
    self.repeatCount = repeatCount
    self.cpu = cpu
    self.flags = flags
    self.batchSize = batchSize
  }
}

/// Flags of `BPF_PROG_TEST_RUN`.
public struct TestRunFlags: OptionSet, Sendable, Hashable {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }
  /// Kernel: `BPF_F_TEST_RUN_ON_CPU`; set for you when `cpu` is given.
  public static let runOnCPU = TestRunFlags(rawValue: 1 << 0)
  /// Kernel: `BPF_F_TEST_XDP_LIVE_FRAMES` (Linux 5.18): XDP frames really go out.
  public static let xdpLiveFrames = TestRunFlags(rawValue: 1 << 1)
}

/// What a test run gave back.
public struct TestRunResult: Sendable, Hashable {
  /// The program's return value (`r0`, as the kernel's `u32 retval`).
  public var returnValue: UInt32
  /// The output data (the packet after the program), trimmed to its length.
  public var data: [UInt8]
  /// The output context; for syscall programs the context as the program left it.
  public var context: [UInt8]
  /// The average time of one run as the kernel measured it (0 for types
  /// the kernel does not time: raw_tp, syscall).
  public var duration: Duration
}

/// What is sent to the kernel for one test run, after the defaults of the program type.
///
/// Separate from the call so the mapping from options to attributes (the
/// part that matters for types this kernel cannot load, like fentry) is
/// testable without privileges.
struct TestRunPlan: Sendable, Hashable {
  var data: [UInt8]
  var dataOutCapacity: Int
  var context: [UInt8]
  var contextOutCapacity: Int
  var repeatCount: UInt32
  var flags: UInt32
  var cpu: UInt32
  var batchSize: UInt32
  /// The kernel writes the output context back into the input buffer (syscall programs).
  var contextWrittenInPlace: Bool

  /// Room added to the input data for the default output capacity: a
  /// program may grow the packet (`bpf_xdp_adjust_tail`, `bpf_skb_change_tail`).
  static let dataSlack = 4096
  /// Room added to a given context for the default output capacity.
  static let contextSlack = 256

  init(type: ProgramType, options o: TestRunOptions) {
    let packet = TestRunPlan.takesPacket(type)
    let runsInPlace = type == .syscall
    data = o.data
    context = o.context
    dataOutCapacity = o.dataOutCapacity ?? (packet && !o.data.isEmpty ? o.data.count + TestRunPlan.dataSlack : 0)
    if runsInPlace {
      contextOutCapacity = 0
    } else {
      let noOutput = type == .rawTracepoint || type == .rawTracepointWritable || type == .tracing
      contextOutCapacity = o.contextOutCapacity
        ?? (o.context.isEmpty || noOutput ? 0 : o.context.count + TestRunPlan.contextSlack)
    }
    // 0 and 1 both mean once to the kernel; raw_tp and syscall refuse any non-zero value.
    repeatCount = o.repeatCount <= 1 ? 0 : o.repeatCount
    var f = o.flags
    if o.cpu != nil { f.insert(.runOnCPU) }
    flags = f.rawValue
    cpu = o.cpu ?? 0
    batchSize = o.batchSize
    contextWrittenInPlace = runsInPlace
  }

  /// Types whose test run takes a packet.
  static func takesPacket(_ type: ProgramType) -> Bool {
    switch type {
    case .xdp, .schedCls, .schedAct, .socketFilter, .cgroupSkb, .lwtIn, .lwtOut, .lwtXmit,
         .lwtSeg6local, .flowDissector, .skSkb:
      return true
    default:
      return false
    }
  }

  /// The option the kernel refuses for `type`, as the kernel's test-run
  /// handler for that type checks it; nil when none is known to be refused.
  ///
  /// Kernel: raw_tp refuses data in/out, context out, repeat, batch size and
  /// any flag but `BPF_F_TEST_RUN_ON_CPU`, and a context over 96 bytes;
  /// syscall refuses all but the context (at most 65535 bytes); XDP and skb
  /// need 14 bytes of data; skb and tracing refuse flags, cpu and batch size.
  func refusedOption(for type: ProgramType, options o: TestRunOptions) -> (option: String, why: String)? {
    let name = type.kernelName
    let runOnce = "it runs once per call; call testRun again to repeat"
    switch type {
    case .rawTracepoint, .rawTracepointWritable:
      if !data.isEmpty { return ("data", "\(name) programs take no data, only a context of u64 arguments") }
      if dataOutCapacity > 0 { return ("dataOutCapacity", "\(name) programs give no output data") }
      if contextOutCapacity > 0 { return ("contextOutCapacity", "\(name) programs give no output context") }
      if repeatCount > 1 { return ("repeat", "\(name) programs refuse repeat \(repeatCount): \(runOnce)") }
      if batchSize != 0 { return ("batchSize", "only XDP live frames take a batch size") }
      if flags & ~TestRunFlags.runOnCPU.rawValue != 0 { return ("flags", "\(name) programs take only BPF_F_TEST_RUN_ON_CPU") }
      if context.count > 96 { return ("context", "at most 12 u64 arguments (96 bytes), got \(context.count) bytes") }
      return ("context", "the context (\(context.count) bytes) is shorter than the arguments the program reads")
    case .syscall:
      if !data.isEmpty { return ("data", "\(name) programs take no data, only a context") }
      if o.dataOutCapacity ?? 0 > 0 { return ("dataOutCapacity", "\(name) programs give no output data") }
      if repeatCount > 1 { return ("repeat", "\(name) programs refuse repeat \(repeatCount): \(runOnce)") }
      if flags != 0 || cpu != 0 { return ("cpu", "\(name) programs run on the calling CPU and take no flags") }
      if batchSize != 0 { return ("batchSize", "only XDP live frames take a batch size") }
      if context.count > 65535 { return ("context", "at most 65535 bytes, got \(context.count)") }
      return ("context", "the context (\(context.count) bytes) is shorter than the fields the program reads")
    case _ where TestRunPlan.takesPacket(type):
      if data.count < 14 {
        return ("data", "\(name) programs need a packet of at least 14 bytes (an Ethernet header), got \(data.count)")
      }
      if type == .xdp {
        if flags & ~TestRunFlags.xdpLiveFrames.rawValue != 0 || cpu != 0 {
          return ("cpu", "XDP programs run on the calling CPU; the only flag is BPF_F_TEST_XDP_LIVE_FRAMES")
        }
        if batchSize != 0 && flags & TestRunFlags.xdpLiveFrames.rawValue == 0 {
          return ("batchSize", "a batch size needs BPF_F_TEST_XDP_LIVE_FRAMES")
        }
        return nil
      }
      if flags != 0 || cpu != 0 { return ("cpu", "\(name) programs run on the calling CPU and take no flags") }
      if batchSize != 0 { return ("batchSize", "only XDP live frames take a batch size") }
      if !context.isEmpty {
        return ("context", "the kernel accepts only some fields of the context (for struct __sk_buff: mark, "
          + "priority, ingress_ifindex, ifindex, cb, tstamp, wire_len, gso_segs, gso_size, hwtstamp); the rest must be 0")
      }
      return nil
    case .tracing:
      if flags != 0 || cpu != 0 { return ("cpu", "\(name) programs run on the calling CPU and take no flags") }
      if batchSize != 0 { return ("batchSize", "only XDP live frames take a batch size") }
      return nil
    default:
      return nil
    }
  }
}

extension LoadedObject.Program {
  /// Runs the program with `BPF_PROG_TEST_RUN` on the given input.
  ///
  /// Throws `LoadError.invalidValue` naming the program and the option
  /// when the kernel refuses an option for this program type (EINVAL), an
  /// output buffer is too small (ENOSPC, with the size needed), or the type
  /// has no test run (ENOTSUPP); `kernelQuery` for any other failure.
  ///
  /// Kernel: `BPF_PROG_TEST_RUN` (alias `BPF_PROG_RUN`), Linux 4.12; context
  /// in/out 5.10 for most types; syscall programs 5.14.
  public func testRun(_ options: TestRunOptions) throws(LoadError) -> TestRunResult {
    let plan = TestRunPlan(type: type, options: options)
    let outcome = try withDescriptor(closed: { LoadError.closed(object: name) }) { (fd) throws(LoadError) in
      TestRunCall.run(program: fd, plan)
    }
    switch outcome {
    case .success(let result):
      return result
    case .failure(let failure):
      throw diagnose(failure, plan: plan, options: options)
    }
  }

  /// Runs the program once with `BPF_PROG_TEST_RUN` on `data` and `context`,
  /// with the output buffers of the program type's defaults.
  public func testRun(data: [UInt8] = [], context: [UInt8] = []) throws(LoadError) -> TestRunResult {
    try testRun(TestRunOptions(data: data, context: context))
  }

  private func diagnose(_ failure: TestRunCall.Failure, plan: TestRunPlan, options: TestRunOptions) -> LoadError {
    let e = failure.error
    let operation = "BPF_PROG_TEST_RUN"
    switch e.errno {
    case .some(.EINVAL):
      if let refused = plan.refusedOption(for: type, options: options) {
        return .invalidValue(name: name, reason: "\(operation): the kernel refuses option '\(refused.option)' "
          + "for this \(type.kernelName) program (EINVAL): \(refused.why)")
      }
    case .some(.ENOSPC):
      if failure.dataNeeded > plan.dataOutCapacity {
        return .invalidValue(name: name, reason: "\(operation): the output data is \(failure.dataNeeded) bytes "
          + "but dataOutCapacity is \(plan.dataOutCapacity) (ENOSPC); raise dataOutCapacity")
      }
      if failure.contextNeeded > plan.contextOutCapacity {
        return .invalidValue(name: name, reason: "\(operation): the output context is \(failure.contextNeeded) "
          + "bytes but contextOutCapacity is \(plan.contextOutCapacity) (ENOSPC); raise contextOutCapacity")
      }
    case .some(.ENOTSUPP), .some(.EOPNOTSUPP):
      return .invalidValue(name: name, reason: "\(operation): the kernel has no test run for "
        + "\(type.kernelName) programs (\(e.errno?.name ?? "ENOTSUPP"))")
    default:
      break
    }
    return .kernelQuery(object: name, operation: operation, e)
  }
}

/// The `BPF_PROG_TEST_RUN` call for a plan, through Syscall's `BPF.testRun`.
enum TestRunCall {
  struct Failure: Error {
    var error: SyscallError
    /// Sizes the kernel reported it needed (ENOSPC), 0 when not reported.
    var dataNeeded: Int
    var contextNeeded: Int
  }

  static func run(program: BorrowedFD, _ plan: TestRunPlan) -> Result<TestRunResult, Failure> {
    var attributes = BPF.TestRunAttributes(
      program: program, data: plan.data, dataOutCapacity: plan.dataOutCapacity, context: plan.context,
      contextOutCapacity: plan.contextOutCapacity, repeatCount: plan.repeatCount)
    attributes.flags = plan.flags
    attributes.cpu = plan.cpu
    attributes.batchSize = plan.batchSize
    var sizes = BPF.TestRunSizes()
    do throws(SyscallError) {
      let result = try BPF.testRun(attributes, reportedSizes: &sizes)
      return .success(TestRunResult(
        returnValue: result.returnValue, data: result.dataOut,
        // Syscall programs write their context back in place.
        context: plan.contextWrittenInPlace ? result.contextIn : result.contextOut,
        duration: .nanoseconds(Int64(result.duration))))
    } catch {
      return .failure(Failure(error: error, dataNeeded: sizes.dataOut, contextNeeded: sizes.contextOut))
    }
  }
}
