import Syscall
import Testing
@testable import Loader

/// The retry policy for verifier log buffers, against the kernel's rules:
/// `log_size` at most `UINT_MAX >> 8` on every kernel, `log_true_size` the
/// bytes needed (Linux 6.4+), `ENOSPC` when the log did not fit.
@Suite struct VerifierLogPolicyTests {
  let policy = VerifierLogPolicy(initialCapacity: 4096)

  @Test func firstFailureWithoutLogAsksForOne() {
    #expect(policy.nextCapacity(afterFailure: .EACCES, capacity: 0) == 4096)
    #expect(policy.nextCapacity(afterFailure: .EINVAL, capacity: 0) == 4096)
  }

  @Test func onlyENOSPCGrowsAnExistingLog() {
    #expect(policy.nextCapacity(afterFailure: .EACCES, capacity: 4096) == nil)
    #expect(policy.nextCapacity(afterFailure: .EINVAL, capacity: 4096, trueSize: 9000) == nil)
  }

  @Test func usesTheTrueSizeWhenTheKernelGivesIt() {
    #expect(policy.nextCapacity(afterFailure: .ENOSPC, capacity: 4096, trueSize: 10_000) == 10_000)
  }

  @Test func doublesWithoutTrueSize() {
    #expect(policy.nextCapacity(afterFailure: .ENOSPC, capacity: 4096) == 8192)
    // A true size that is not larger (older kernels report 0) also doubles.
    #expect(policy.nextCapacity(afterFailure: .ENOSPC, capacity: 4096, trueSize: 100) == 8192)
  }

  @Test func stopsAtTheKernelLimit() {
    let max = Int(UInt32.max >> 8)
    #expect(VerifierLogPolicy.kernelMaximum == max)
    #expect(policy.nextCapacity(afterFailure: .ENOSPC, capacity: max / 2 + 1) == max)
    #expect(policy.nextCapacity(afterFailure: .ENOSPC, capacity: 100, trueSize: .max) == max)
    #expect(policy.nextCapacity(afterFailure: .ENOSPC, capacity: max) == nil)
    #expect(policy.nextCapacity(afterFailure: .ENOSPC, capacity: .max) == nil)
  }

  @Test func truncationIsTrueSizeBeyondCapacity() {
    var log = VerifierLog(level: 1, capacity: 64)
    log.trueSize = 65
    #expect(VerifierLogPolicy.isTruncated(log))
    log.trueSize = 64
    #expect(!VerifierLogPolicy.isTruncated(log))
  }
}
