import Glibc
import Testing
@testable import Syscall

/// Descriptor ownership: each fd closed once, moved above 2, close-on-exec.
/// Other tests run in parallel and open descriptors too, so checks use
/// descriptor numbers we place ourselves (high, unlikely to be reused) or
/// tolerant counts.
@Suite(.serialized) struct OwnedFDTests {
  /// A descriptor for /dev/null at exactly `number`.
  func devNull(at number: CInt) throws -> CInt {
    let raw = open("/dev/null", O_RDONLY | O_CLOEXEC)
    try #require(raw >= 0)
    let placed = fcntl(raw, F_DUPFD_CLOEXEC, number)
    close(raw)
    try #require(placed == number)
    return placed
  }

  func isOpen(_ fd: CInt) -> Bool { fcntl(fd, F_GETFD) != -1 }

  @Test func deinitClosesTheDescriptor() throws {
    let number: CInt = 901
    do {
      let fd = OwnedFD(unchecked: try devNull(at: number))
      #expect(fd.rawValue == number)
      #expect(isOpen(number))
    }
    #expect(!isOpen(number))
  }

  /// `close()` consumes the value: no deinit runs afterwards, so a descriptor
  /// that reuses the number is left alone.
  @Test func consumingCloseClosesExactlyOnce() throws {
    let number: CInt = 902
    do {
      let fd = OwnedFD(unchecked: try devNull(at: number))
      try fd.close()
      #expect(!isOpen(number))
      // Someone else now owns 902; a second close by `fd` would close it.
      _ = try devNull(at: number)
    }
    #expect(isOpen(number))
    close(number)
  }

  @Test func closeReportsEBADFForAnAlreadyClosedNumber() throws {
    let fd = OwnedFD(unchecked: 903)  // never opened
    do {
      try fd.close()
      Issue.record("closing an unopened descriptor succeeded")
    } catch {
      #expect(error.errno == .EBADF)
      #expect(error.operation == .system("close"))
    }
  }

  @Test func releaseGivesUpOwnership() throws {
    let number: CInt = 904
    do {
      let fd = OwnedFD(unchecked: try devNull(at: number))
      #expect(fd.release() == number)
    }
    #expect(isOpen(number))
    close(number)
  }

  @Test func duplicateIsAboveTwoAndCloseOnExec() throws {
    let fd = OwnedFD(unchecked: try devNull(at: 905))
    let copy = try fd.duplicate()
    #expect(copy.rawValue > 2)
    #expect(copy.rawValue != fd.rawValue)
    #expect(fcntl(copy.rawValue, F_GETFD) & FD_CLOEXEC != 0)
  }

  @Test func adoptKeepsHighDescriptors() throws {
    let fd = try OwnedFD.adopt(try devNull(at: 906))
    #expect(fd.rawValue == 906)
  }

  @Test func borrowedDoesNotClose() throws {
    let number: CInt = 907
    let raw = try devNull(at: number)
    do {
      let borrowed = BorrowedFD(raw)
      #expect(borrowed.rawValue == number)
    }
    #expect(isOpen(number))
    close(number)
  }
}

extension OwnedFDTests {
  @Test func adoptRefusesNegativeNumbers() {
    do {
      _ = try OwnedFD.adopt(-1)
      Issue.record("adopted -1")
    } catch {
      #expect(error.errno == nil)
    }
  }
}
