import Foundation
import Glibc
import Testing
import TestSupport
@testable import Syscall

/// epoll on a pipe: no privileges needed.
@Suite struct EpollTests {
  /// A pipe's two ends (raw; each test wraps them in `OwnedFD`).
  func pipePair() throws -> [CInt] {
    var fds: [CInt] = [0, 0]
    try #require(pipe(&fds) == 0)
    // Close-on-exec, so tools other tests spawn do not inherit the write end.
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    return fds
  }

  @Test func epollDescriptorIsCloseOnExecAndAboveTwo() throws {
    let epoll = try Epoll()
    #expect(epoll.fd.rawValue > 2)
    #expect(fcntl(epoll.fd.rawValue, F_GETFD) & FD_CLOEXEC != 0)
  }

  @Test func reportsReadablePipeWithItsData() throws {
    let ends = try pipePair()
    let reader = OwnedFD(unchecked: ends[0])
    let writer = OwnedFD(unchecked: ends[1])
    let epoll = try Epoll()
    try epoll.add(reader.borrowed, events: .readable, data: 0xfeed)
    #expect(try epoll.wait(timeoutMilliseconds: 0).isEmpty)
    var byte: UInt8 = 1
    #expect(write(writer.rawValue, &byte, 1) == 1)
    let events = try epoll.wait(timeoutMilliseconds: 1000)
    #expect(events == [Epoll.Event(events: .readable, data: 0xfeed)])

    try epoll.modify(reader.borrowed, events: .readable, data: 7)
    #expect(try epoll.wait(timeoutMilliseconds: 0).map(\.data) == [7])
    try epoll.remove(reader.borrowed)
    #expect(try epoll.wait(timeoutMilliseconds: 0).isEmpty)
  }

  @Test func hangUpIsReportedWhenWriterCloses() throws {
    let ends = try pipePair()
    let reader = OwnedFD(unchecked: ends[0])
    let writer = OwnedFD(unchecked: ends[1])
    let epoll = try Epoll()
    try epoll.add(reader.borrowed, events: .readable, data: 1)
    try writer.close()
    let events = try epoll.wait(timeoutMilliseconds: 1000)
    #expect(events.first?.events.contains(.hangUp) == true)
  }

  @Test func timeoutElapsesWithoutEvents() throws {
    let ends = try pipePair()
    let reader = OwnedFD(unchecked: ends[0])
    let writer = OwnedFD(unchecked: ends[1])
    let epoll = try Epoll()
    try epoll.add(reader.borrowed, data: 1)
    #expect(try epoll.wait(timeoutMilliseconds: 50).isEmpty)
    #expect(writer.rawValue > 2, "the write end stays open for the whole wait")
  }

  @Test func addingABadDescriptorIsTypedError() throws {
    let epoll = try Epoll()
    do {
      try epoll.add(BorrowedFD(-1), data: 0)
      Issue.record("epoll accepted fd -1")
    } catch {
      #expect(error.errno == .EBADF)
      #expect(error.operation == .system("epoll_ctl(EPOLL_CTL_ADD)"))
    }
  }
}

/// mmap of an ordinary file: no privileges needed.
@Suite struct MappedRegionTests {
  @Test func mapsFileContentsAndUnmaps() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("swiftbpf-mmap-\(UUID().uuidString)").path
    defer { unlink(path) }
    let content = Array("mapped bytes".utf8)
    try Data(content).write(to: URL(fileURLWithPath: path))
    let raw = open(path, O_RDONLY | O_CLOEXEC)
    try #require(raw >= 0)
    let file = OwnedFD(unchecked: raw)
    let region = try MappedRegion.map(file.borrowed, length: content.count, protection: [.read],
                                      shared: false)
    #expect(region.count == content.count)
    #expect(Array(UnsafeRawBufferPointer(region.bytes)) == content)
    try region.unmap()
  }

  @Test func zeroLengthIsRefusedBeforeTheCall() throws {
    let raw = open("/dev/zero", O_RDONLY | O_CLOEXEC)
    try #require(raw >= 0)
    let file = OwnedFD(unchecked: raw)
    do {
      _ = try MappedRegion.map(file.borrowed, length: 0, protection: [.read])
      Issue.record("mapped zero bytes")
    } catch {
      #expect(error.errno == nil)
    }
  }

  @Test func badDescriptorIsTypedError() {
    do {
      _ = try MappedRegion.map(BorrowedFD(-1), length: 4096, protection: [.read])
      Issue.record("mapped fd -1")
    } catch {
      #expect(error.errno == .EBADF)
      #expect(error.operation == .system("mmap"))
    }
  }
}
