import Foundation
import Glibc
import Synchronization
import Syscall
import Testing

/// `SharedDescriptor`: a descriptor lent to a body stays open (and stays the
/// same file) until the body returns, whatever other threads do; a use after
/// `close()` is refused. Checked with the kernel's own view of the
/// descriptor: `fcntl(F_GETFD)` (open or EBADF) and `fstat` (which file).
@Suite struct SharedDescriptorTests {
  /// A fresh descriptor of an unlinked temporary file (close-on-exec).
  static func temporaryFile() throws -> OwnedFD {
    var template = Array("/tmp/swiftbpf-shared-XXXXXX".utf8CString)
    let raw = template.withUnsafeMutableBufferPointer { buffer -> CInt in
      guard let base = buffer.baseAddress else { return -1 }
      return mkstemp(base)
    }
    try #require(raw >= 0, "mkstemp: \(Errno.current)")
    template.withUnsafeBufferPointer { if let base = $0.baseAddress { _ = unlink(base) } }
    _ = fcntl(raw, F_SETFD, FD_CLOEXEC)
    return try OwnedFD.adopt(raw)
  }

  static func inode(of fd: CInt) throws -> ino_t {
    var status = stat()
    try #require(fstat(fd, &status) == 0, "fstat(\(fd)): \(Errno.current)")
    return status.st_ino
  }

  /// Whether `fd` still names the file with `inode`. Tests run in parallel
  /// in one process, so a closed number may already belong to another
  /// test's file: only "this number, this file" counts as open.
  static func isOpen(_ fd: CInt, _ inode: ino_t) -> Bool {
    var status = stat()
    return fstat(fd, &status) == 0 && status.st_ino == inode
  }

  @Test func closeDuringAUseWaitsForTheUseToEnd() throws {
    let owned = try Self.temporaryFile()
    let raw = owned.rawValue
    let inode = try Self.inode(of: raw)
    let shared = SharedDescriptor(owned)
    let entered = DispatchSemaphore(value: 0)
    let proceed = DispatchSemaphore(value: 0)
    let sawSameFile = Atomic<Bool>(false)
    let user = Thread {
      _ = shared.withDescriptor { fd in
        entered.signal()
        proceed.wait()
        sawSameFile.store((try? Self.inode(of: fd.rawValue)) == inode, ordering: .sequentiallyConsistent)
      }
      entered.signal()
    }
    user.start()
    entered.wait()
    shared.close()
    // The body is still running: the descriptor must still be open.
    #expect(Self.isOpen(raw, inode))
    #expect(shared.isClosed)
    // New uses are refused while the close is pending.
    #expect(shared.withDescriptor { _ in 1 } == nil)
    proceed.signal()
    entered.wait()  // the body has returned
    let sameFile = sawSameFile.load(ordering: .sequentiallyConsistent)
    #expect(sameFile)
    #expect(!Self.isOpen(raw, inode), "the last use closes the descriptor")
  }

  @Test func closeWithoutUsersClosesAtOnceAndOnlyOnce() throws {
    let owned = try Self.temporaryFile()
    let raw = owned.rawValue
    let inode = try Self.inode(of: raw)
    let shared = SharedDescriptor(owned)
    #expect(shared.withDescriptor { $0.rawValue } == raw)
    shared.close()
    #expect(!Self.isOpen(raw, inode))
    // Another file takes the very number (dup2 puts it there); a second
    // close must not close it.
    let other = try Self.temporaryFile()
    let otherInode = try Self.inode(of: other.rawValue)
    try #require(dup2(other.rawValue, raw) == raw, "dup2: \(Errno.current)")
    defer { close(raw) }
    shared.close()
    #expect(Self.isOpen(raw, otherInode), "the second close left the number's new file alone")
    #expect(shared.withDescriptor { _ in true } == nil)
  }

  @Test func closeInsideTheBodyTakesEffectWhenTheBodyReturns() throws {
    let owned = try Self.temporaryFile()
    let raw = owned.rawValue
    let inode = try Self.inode(of: raw)
    let shared = SharedDescriptor(owned)
    let stillOpen = shared.withDescriptor { fd -> Bool in
      shared.close()
      return (try? Self.inode(of: fd.rawValue)) == inode
    }
    #expect(stillOpen == true)
    #expect(!Self.isOpen(raw, inode))
  }

  @Test func errorsFromTheBodyEndTheUse() throws {
    struct Failure: Error {}
    let owned = try Self.temporaryFile()
    let raw = owned.rawValue
    let inode = try Self.inode(of: raw)
    let shared = SharedDescriptor(owned)
    #expect(throws: Failure.self) { try shared.withDescriptor { _ throws(Failure) in throw Failure() } }
    shared.close()
    #expect(!Self.isOpen(raw, inode), "a throwing body still released its use")
  }

  /// Threads use one descriptor while another closes it: every body must
  /// see the original file, open (a descriptor closed under a body makes
  /// fstat fail, or name whatever file took the number since). The closer
  /// waits until the users are under way, and each user goes on until it is
  /// refused, so every round has uses racing the close. Run under
  /// `swift test --sanitize=thread` as well.
  @Test func concurrentUsesAndCloseNeverSeeAClosedOrReusedNumber() throws {
    let rounds = 300
    let usersPerRound = 4
    let usesBeforeClose = 20
    let maximumUses = 100_000  // a bound on each user's loop should close never come
    let wrongFile = Atomic<Int>(0)
    let uses = Atomic<Int>(0)
    let refusedRounds = Atomic<Int>(0)
    for _ in 0..<rounds {
      let owned = try Self.temporaryFile()
      let inode = try Self.inode(of: owned.rawValue)
      let shared = SharedDescriptor(owned)
      let usesThisRound = Atomic<Int>(0)
      let refusedThisRound = Atomic<Int>(0)
      let group = DispatchGroup()
      for _ in 0..<usersPerRound {
        group.enter()
        Thread {
          for _ in 0..<maximumUses {
            let result = shared.withDescriptor { fd -> Bool in
              var status = stat()
              return fstat(fd.rawValue, &status) == 0 && status.st_ino == inode
            }
            guard let sawItsFile = result else {
              refusedThisRound.add(1, ordering: .relaxed)
              break
            }
            if !sawItsFile { wrongFile.add(1, ordering: .relaxed) }
            uses.add(1, ordering: .relaxed)
            usesThisRound.add(1, ordering: .relaxed)
          }
          group.leave()
        }.start()
      }
      group.enter()
      Thread {
        while usesThisRound.load(ordering: .relaxed) < usesBeforeClose { sched_yield() }
        shared.close()
        group.leave()
      }.start()
      group.wait()
      #expect(shared.isClosed)
      if refusedThisRound.load(ordering: .relaxed) == usersPerRound { refusedRounds.add(1, ordering: .relaxed) }
    }
    let (wrong, used, refused) = (wrongFile.load(ordering: .relaxed), uses.load(ordering: .relaxed),
                                  refusedRounds.load(ordering: .relaxed))
    #expect(wrong == 0, "a body saw a closed or reused descriptor")
    #expect(used >= rounds * usesBeforeClose)
    #expect(refused == rounds, "every user of every round ended on a refused use after the close")
  }
}
