import Glibc
import Testing
@testable import Syscall

@Suite struct SyscallErrorTests {
  @Test func namesTheCommandErrnoAndGivesCapabilityHintForEPERM() {
    let error = SyscallError.failed(.bpf(.mapCreate), .EPERM)
    let text = error.description
    #expect(text.hasPrefix("BPF_MAP_CREATE failed: EPERM ("))
    #expect(text.contains("CAP_BPF"))
    #expect(text.contains("unprivileged BPF is disabled"))
    #expect(error.errno == .EPERM)
    #expect(error.operation == .bpf(.mapCreate))
  }

  @Test func programLoadEPERMMentionsLockdownAndMemlock() throws {
    let hint = try #require(SyscallError.failed(.bpf(.programLoad), .EPERM).hint)
    #expect(hint.contains("lockdown"))
    #expect(hint.contains("RLIMIT_MEMLOCK"))
  }

  @Test(arguments: [
    (Errno.E2BIG, "does not know"), (Errno.EINVAL, "may not support"),
    (Errno.ENOMEM, "RLIMIT_MEMLOCK"), (Errno.ENOTSUPP, "does not support"),
  ])
  func bpfHints(_ errno: Errno, _ phrase: String) throws {
    let error = SyscallError.failed(.bpf(.mapCreate), errno)
    let hint = try #require(error.hint)
    #expect(hint.contains(phrase))
    #expect(error.description.contains(errno.name))
  }

  @Test func verifierRejectionPointsAtTheLog() throws {
    let hint = try #require(SyscallError.failed(.bpf(.programLoad), .EACCES).hint)
    #expect(hint.contains("verifier"))
  }

  @Test func perfEventOpenPermissionHint() throws {
    let text = SyscallError.failed(.perfEventOpen, .EACCES).description
    #expect(text.hasPrefix("perf_event_open failed: EACCES"))
    #expect(text.contains("perf_event_paranoid"))
  }

  @Test func otherSystemCallsNameThemselves() {
    let error = SyscallError.failed(.system("mmap"), .EINVAL)
    #expect(error.description.hasPrefix("mmap failed: EINVAL"))
    #expect(SyscallError.failed(.ioctl("PERF_EVENT_IOC_SET_BPF"), .EBADF).description
              .hasPrefix("PERF_EVENT_IOC_SET_BPF failed: EBADF"))
  }

  @Test func invalidArgumentHasNoErrno() {
    let error = SyscallError.invalidArgument(.bpf(.mapCreate), reason: "name too long")
    #expect(error.errno == nil)
    #expect(error.hint == nil)
    #expect(error.description == "BPF_MAP_CREATE: name too long")
  }

  /// The message is the C library's (strerror), the name is ours.
  @Test func errnoDescriptionPairsNameAndMessage() {
    let message = String(cString: strerror(EPERM))
    #expect(Errno.EPERM.description == "EPERM (\(message))")
    #expect(Errno(rawValue: 9999).name == "errno 9999")
    #expect(Errno.ENOTSUPP.name == "ENOTSUPP")
  }

  @Test func unknownCommandPrintsItsNumber() {
    #expect(BPFCommand(rawValue: 99).name == "bpf command 99")
  }

  /// Names longer than the kernel's 15 bytes are refused before the call.
  @Test func longMapNameIsRefusedWithoutSyscall() {
    let attributes = MapCreateAttributes(type: .array, keySize: 4, valueSize: 4, maxEntries: 1,
                                         name: "a_name_that_is_too_long")
    #expect(throws: SyscallError.self) { try BPF.createMap(attributes) }
    do {
      _ = try BPF.createMap(attributes)
    } catch {
      guard case .invalidArgument(.bpf(.mapCreate), let reason) = error else {
        Issue.record("expected invalidArgument, got \(error)")
        return
      }
      #expect(reason.contains("15"))
    }
  }

  @Test func misalignedInstructionsAreRefusedWithoutSyscall() {
    let attributes = ProgramLoadAttributes(type: .xdp, instructions: [0, 1, 2], license: "GPL")
    do {
      _ = try BPF.loadProgram(attributes)
      Issue.record("loaded 3 bytes of instructions")
    } catch {
      #expect(error.errno == nil)
      #expect(error.description.contains("multiple of 8"))
    }
  }
}
