extension BPF {
  /// Input of `BPF_PROG_TEST_RUN`.
  public struct TestRunAttributes: Sendable, Hashable {
    /// The loaded program to run (`prog_fd`).
    public var program: BorrowedFD
    /// Packet or other input data (`data_in`).
    public var data: [UInt8]
    /// Room for output data; 0 asks for none.
    public var dataOutCapacity: Int
    /// Context (`struct __sk_buff`, `struct xdp_md`, raw_tp args…); empty for none.
    public var context: [UInt8]
    /// Room for the output context; 0 asks for none.
    public var contextOutCapacity: Int
    /// Runs; 0 and 1 both mean once.
    public var repeatCount: UInt32
    /// Kernel: `BPF_F_TEST_RUN_ON_CPU` (1), `BPF_F_TEST_XDP_LIVE_FRAMES` (2).
    public var flags: UInt32
    /// With `BPF_F_TEST_RUN_ON_CPU`: the CPU to run on.
    public var cpu: UInt32
    /// XDP live frames: packets per batch.
    public var batchSize: UInt32

    /// A run of `program` on `data` and `context`, on the current CPU, without
    /// flags.
    public init(program: BorrowedFD, data: [UInt8] = [], dataOutCapacity: Int = 0,
                context: [UInt8] = [], contextOutCapacity: Int = 0, repeatCount: UInt32 = 1) {
      self.program = program
      self.data = data
      self.dataOutCapacity = dataOutCapacity
      self.context = context
      self.contextOutCapacity = contextOutCapacity
      self.repeatCount = repeatCount
      self.flags = 0
      self.cpu = 0
      self.batchSize = 0
    }
  }

  /// Output of `BPF_PROG_TEST_RUN`.
  public struct TestRunResult: Sendable, Hashable {
    /// The program's return value (`r0`).
    public var returnValue: UInt32
    /// Average run time in nanoseconds.
    public var duration: UInt32
    /// The data after the run (a packet the program changed), `dataOutCapacity`
    /// bytes at most (`data_out`).
    public var dataOut: [UInt8]
    /// The context after the run, `contextOutCapacity` bytes at most (`ctx_out`).
    public var contextOut: [UInt8]
    /// The input context as it is after the run: syscall programs write
    /// their output context back into the input buffer (`ctx_in`).
    public var contextIn: [UInt8]
  }

  /// The output sizes the kernel reported (`data_size_out`, `ctx_size_out`),
  /// also after a failure: with ENOSPC they are the sizes it needed.
  public struct TestRunSizes: Sendable, Hashable {
    /// The output data's size in bytes (`data_size_out`).
    public var dataOut: Int = 0
    /// The output context's size in bytes (`ctx_size_out`).
    public var contextOut: Int = 0
    /// Both sizes 0.
    public init() {}
  }

  /// Runs a loaded program once (or `repeatCount` times) on the given input.
  ///
  /// Kernel: `BPF_PROG_TEST_RUN` (alias `BPF_PROG_RUN`).
  public static func testRun(_ a: TestRunAttributes) throws(SyscallError) -> TestRunResult {
    var sizes = TestRunSizes()
    return try testRun(a, reportedSizes: &sizes)
  }

  /// `testRun(_:)`, also reporting the output sizes the kernel wrote into the
  /// attribute, even when it fails (with ENOSPC they say how much room a
  /// retry needs).
  public static func testRun(_ a: TestRunAttributes, reportedSizes: inout TestRunSizes)
    throws(SyscallError) -> TestRunResult
  {
    typealias L = BPFAttr.TestRun
    let command = BPFCommand.programTestRun
    let dataIn = try u32(a.data.count, "data size", command)
    let dataOut = try u32(a.dataOutCapacity, "data out size", command)
    let ctxIn = try u32(a.context.count, "context size", command)
    let ctxOut = try u32(a.contextOutCapacity, "context out size", command)
    return try AttrBuffer.with(size: L.layout.size) { (attr) throws(SyscallError) -> TestRunResult in
      var scratch = Scratch()
      attr.set(L.progFD, fd(a.program))
      attr.set(L.dataSizeIn, dataIn)
      attr.set(L.dataIn, scratch.copy(a.data))
      let dataBuffer = scratch.allocate(a.dataOutCapacity)
      if a.dataOutCapacity > 0 {
        attr.set(L.dataSizeOut, dataOut)
        attr.set(L.dataOut, scratch.address(dataBuffer))
      }
      attr.set(L.ctxSizeIn, ctxIn)
      let ctxInBuffer = scratch.allocate(a.context.count)
      a.context.withUnsafeBytes { ctxInBuffer.copyMemory(from: $0) }
      attr.set(L.ctxIn, a.context.isEmpty ? 0 : scratch.address(ctxInBuffer))
      let ctxBuffer = scratch.allocate(a.contextOutCapacity)
      if a.contextOutCapacity > 0 {
        attr.set(L.ctxSizeOut, ctxOut)
        attr.set(L.ctxOut, scratch.address(ctxBuffer))
      }
      attr.set(L.repeatCount, a.repeatCount)
      attr.set(L.flags, a.flags)
      attr.set(L.cpu, a.cpu)
      attr.set(L.batchSize, a.batchSize)
      defer {
        reportedSizes.dataOut = Int(attr.get(L.dataSizeOut))
        reportedSizes.contextOut = Int(attr.get(L.ctxSizeOut))
      }
      _ = try call(command, attr)
      let dataLength = min(Int(attr.get(L.dataSizeOut)), a.dataOutCapacity)
      let ctxLength = min(Int(attr.get(L.ctxSizeOut)), a.contextOutCapacity)
      return TestRunResult(
        returnValue: attr.get(L.retval), duration: attr.get(L.duration),
        dataOut: Array(UnsafeRawBufferPointer(rebasing: dataBuffer[0..<dataLength])),
        contextOut: Array(UnsafeRawBufferPointer(rebasing: ctxBuffer[0..<ctxLength])),
        contextIn: Array(UnsafeRawBufferPointer(ctxInBuffer)))
    }
  }
}
