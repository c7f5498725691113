import Testing
@testable import Syscall

/// The eventfd wrapper the event waiter wakes its thread with (no root needed).
@Suite struct EventFDTests {
  @Test func signalMakesItReadableAndDrainClearsIt() throws {
    let wake = try EventFD()
    let epoll = try Epoll()
    try epoll.add(wake.borrowed, events: .readable, data: 7)
    #expect(try epoll.wait(timeoutMilliseconds: 0).isEmpty)
    wake.signal()
    wake.signal()
    #expect(try epoll.wait(timeoutMilliseconds: 0).map(\.data) == [7])
    wake.drain()  // one read takes the whole count
    #expect(try epoll.wait(timeoutMilliseconds: 0).isEmpty)
    wake.drain()  // non-blocking: returns at once when already zero
  }
}
