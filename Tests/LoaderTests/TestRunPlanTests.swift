import Testing
import UAPI

@testable import Loader

/// What `testRun` sends for each program type, without a kernel: the
/// pass-through for types this kernel cannot load (fentry and the other
/// tracing programs) and the per-type defaults. Expected values are the
/// options each test gives and the kernel rules quoted in the doc comments
/// of `TestRunOptions` (raw_tp/syscall accept repeat 0 only; 0 and 1 both
/// mean once elsewhere; `BPF_F_TEST_RUN_ON_CPU` = 1).
@Suite struct TestRunPlanTests {
  @Test func tracingOptionsPassThroughUnchanged() {
    let context = [UInt8](repeating: 7, count: 16)
    let options = TestRunOptions(data: [1, 2, 3], dataOutCapacity: 32, context: context,
                                 contextOutCapacity: 48, repeat: 9, cpu: nil, flags: [], batchSize: 0)
    let plan = TestRunPlan(type: .tracing, options: options)
    #expect(plan.data == [1, 2, 3])
    #expect(plan.dataOutCapacity == 32)
    #expect(plan.context == context)
    #expect(plan.contextOutCapacity == 48)
    #expect(plan.repeatCount == 9)
    #expect(plan.flags == 0 && plan.cpu == 0 && plan.batchSize == 0)
    #expect(!plan.contextWrittenInPlace)
  }

  @Test func tracingDefaultsAskForNoOutput() {
    let plan = TestRunPlan(type: .tracing, options: TestRunOptions(context: [1, 2], repeat: 4))
    #expect(plan.dataOutCapacity == 0 && plan.contextOutCapacity == 0)
    #expect(plan.repeatCount == 4)
  }

  @Test func cpuSetsTheRunOnCPUFlag() {
    let plan = TestRunPlan(type: .rawTracepoint, options: TestRunOptions(context: [0], cpu: 3))
    #expect(plan.flags == 1 && plan.cpu == 3)
    let live = TestRunPlan(type: .xdp, options: TestRunOptions(data: [0], flags: .xdpLiveFrames, batchSize: 16))
    #expect(live.flags == 2 && live.batchSize == 16)
  }

  @Test(arguments: [ProgramType.xdp, .rawTracepoint, .syscall, .schedCls, .tracing])
  func onceIsSentAsZero(type: ProgramType) {
    #expect(TestRunPlan(type: type, options: TestRunOptions(repeat: 1)).repeatCount == 0)
    #expect(TestRunPlan(type: type, options: TestRunOptions(repeat: 0)).repeatCount == 0)
    #expect(TestRunPlan(type: type, options: TestRunOptions(repeat: 2)).repeatCount == 2)
  }

  @Test(arguments: [ProgramType.xdp, .schedCls, .socketFilter, .cgroupSkb, .flowDissector])
  func packetTypesGetRoomForTheirOutput(type: ProgramType) {
    let plan = TestRunPlan(type: type, options: TestRunOptions(data: [UInt8](repeating: 0, count: 100), context: [0, 0]))
    #expect(plan.dataOutCapacity >= 100 + 4096)
    #expect(plan.contextOutCapacity >= 2)
  }

  @Test func syscallContextComesBackInPlace() {
    let plan = TestRunPlan(type: .syscall, options: TestRunOptions(context: [1, 2, 3, 4], contextOutCapacity: 64))
    #expect(plan.contextWrittenInPlace)
    #expect(plan.contextOutCapacity == 0)  // the kernel refuses ctx_out for syscall programs
    #expect(plan.dataOutCapacity == 0)
  }

  @Test func rawTracepointDefaultsAskForNoOutput() {
    let plan = TestRunPlan(type: .rawTracepoint, options: TestRunOptions(context: [UInt8](repeating: 0, count: 24)))
    #expect(plan.dataOutCapacity == 0 && plan.contextOutCapacity == 0)
  }

  @Test func refusedOptionsNameTheOption() {
    let raw = TestRunOptions(context: [UInt8](repeating: 0, count: 24), repeat: 5)
    #expect(TestRunPlan(type: .rawTracepoint, options: raw).refusedOption(for: .rawTracepoint, options: raw)?.option == "repeat")
    let big = TestRunOptions(context: [UInt8](repeating: 0, count: 104))
    #expect(TestRunPlan(type: .rawTracepoint, options: big).refusedOption(for: .rawTracepoint, options: big)?.option == "context")
    let short = TestRunOptions(data: [1, 2, 3])
    #expect(TestRunPlan(type: .xdp, options: short).refusedOption(for: .xdp, options: short)?.option == "data")
    let cpu = TestRunOptions(data: [UInt8](repeating: 0, count: 20), cpu: 1)
    #expect(TestRunPlan(type: .schedCls, options: cpu).refusedOption(for: .schedCls, options: cpu)?.option == "cpu")
  }
}
