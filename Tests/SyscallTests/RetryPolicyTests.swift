import Testing
@testable import Syscall

/// Which failures bpf(2) calls retry: the policy `BPF.call` applies.
@Suite struct RetryPolicyTests {
  @Test(arguments: [BPFCommand.mapCreate, .programLoad, .mapLookupElement, .linkCreate])
  func eintrIsAlwaysRetried(_ command: BPFCommand) {
    #expect(BPF.shouldRetry(command, .EINTR, attempt: 0))
    #expect(BPF.shouldRetry(command, .EINTR, attempt: 1000))
  }

  @Test func eagainIsRetriedOnlyForProgramLoadAndOnlyAFewTimes() {
    for attempt in 0..<BPF.programLoadRetries {
      #expect(BPF.shouldRetry(.programLoad, .EAGAIN, attempt: attempt))
    }
    #expect(!BPF.shouldRetry(.programLoad, .EAGAIN, attempt: BPF.programLoadRetries))
    #expect(!BPF.shouldRetry(.mapCreate, .EAGAIN, attempt: 0))
    #expect(!BPF.shouldRetry(.mapLookupElement, .EAGAIN, attempt: 0))
  }

  @Test(arguments: [Errno.EPERM, .EINVAL, .E2BIG, .ENOMEM, .EACCES, .ENOSPC, .EBUSY, .ENOENT])
  func otherErrorsAreNeverRetried(_ errno: Errno) {
    for command in [BPFCommand.programLoad, .mapCreate, .btfLoad] {
      #expect(!BPF.shouldRetry(command, errno, attempt: 0))
    }
  }
}
