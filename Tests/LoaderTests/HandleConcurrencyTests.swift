import Foundation
import Glibc
import Synchronization
import Syscall
import Testing
@testable import Loader

/// Map, program and link handles used and closed from several threads at
/// once: a body given a descriptor always sees it open and naming the file
/// the handle owns (the kernel's `fstat` says which: a descriptor closed
/// under a body fails it, or names whatever file took the number since),
/// and a use after `close()` fails with the handle's typed error. No
/// kernel needed: the handles own temporary files. Run under `swift test --sanitize=thread`
/// too.
@Suite struct HandleConcurrencyTests {
  static func inode(of fd: CInt) throws -> ino_t {
    var status = stat()
    try #require(fstat(fd, &status) == 0)
    return status.st_ino
  }

  /// One handle, its inode, a guarded use (nil: refused as closed) and its close.
  struct Subject {
    var inode: ino_t
    var use: @Sendable (_ check: (BorrowedFD) -> Bool) -> Bool?
    var close: @Sendable () -> Void
  }

  static func map() throws -> Subject {
    let fd = try FakeKernel.memfd(size: 8)
    let inode = try inode(of: fd.rawValue)
    let map = LoadedObject.Map.adopting(fd, name: "stress_map", type: .hash)
    return Subject(inode: inode, use: { check in
      do { return try map.withFD { check($0) } } catch { return isClosed(error, "stress_map") }
    }, close: { map.close() })
  }

  static func program() throws -> Subject {
    let fd = try FakeKernel.memfd(size: 8)
    let inode = try inode(of: fd.rawValue)
    let program = LoadedObject.Program.adopting(fd, name: "stress_prog", sectionName: "xdp")
    return Subject(inode: inode, use: { check in
      do { return try program.withFD { check($0) } } catch { return isClosed(error, "stress_prog") }
    }, close: { program.close() })
  }

  static func link() throws -> Subject {
    let fd = try FakeKernel.memfd(size: 8)
    let inode = try inode(of: fd.rawValue)
    let link = Link(kernel: SystemKernel.shared, program: "stress_prog", target: "stress hook", bpfLink: fd)
    return Subject(inode: inode, use: { check in
      do { return try link.withFD { check($0) } } catch {
        return closedError(error, AttachError.linkClosed(program: "stress_prog", target: "stress hook"))
      }
    }, close: { link.close() })
  }

  /// nil when `error` is the expected "closed" error; false (a failure) otherwise.
  static func closedError<E: Error & Equatable>(_ error: any Error, _ expected: E) -> Bool? {
    (error as? E) == expected ? nil : false
  }

  /// nil when `error` is `LoadError.closed` naming `name`; false otherwise.
  static func isClosed(_ error: any Error, _ name: String) -> Bool? {
    if case .closed(let object)? = error as? LoadError, object == name { return nil }
    return false
  }

  @Test(arguments: ["map", "program", "link"])
  func usesAndClosesFromManyThreads(_ kind: String) throws {
    let rounds = 200
    let users = 4
    let usesPerUser = 40
    let good = Atomic<Int>(0)
    let bad = Atomic<Int>(0)
    let refused = Atomic<Int>(0)
    for _ in 0..<rounds {
      let subject = try kind == "map" ? Self.map() : kind == "program" ? Self.program() : Self.link()
      let inode = subject.inode
      let startedThisRound = Atomic<Int>(0)
      let group = DispatchGroup()
      for _ in 0..<users {
        group.enter()
        Thread {
          for _ in 0..<usesPerUser {
            startedThisRound.add(1, ordering: .relaxed)
            let outcome = subject.use { fd in
              var status = stat()
              return fstat(fd.rawValue, &status) == 0 && status.st_ino == inode
            }
            switch outcome {
            case true?: good.add(1, ordering: .relaxed)
            case false?: bad.add(1, ordering: .relaxed)
            case nil: refused.add(1, ordering: .relaxed)
            }
          }
          group.leave()
        }.start()
      }
      group.enter()
      Thread {
        // Close once the users are under way, so the close races their uses.
        while startedThisRound.load(ordering: .relaxed) < users { sched_yield() }
        usleep(UInt32.random(in: 0...50))
        subject.close()
        subject.close()  // twice: the second must do nothing
        group.leave()
      }.start()
      group.wait()
      #expect(subject.use { _ in true } == nil, "a use after close is refused")
    }
    let (goodUses, badUses, refusedUses) = (good.load(ordering: .relaxed), bad.load(ordering: .relaxed),
                                            refused.load(ordering: .relaxed))
    #expect(badUses == 0, "\(kind): a body saw a closed or reused descriptor, or a wrong error")
    #expect(goodUses + refusedUses == rounds * users * usesPerUser)
    #expect(goodUses > 0)
  }

  /// Closing a handle inside its own body does not deadlock; the
  /// descriptor closes as the body returns.
  @Test func closeFromInsideTheBody() throws {
    let fd = try FakeKernel.memfd(size: 8)
    let inode = try Self.inode(of: fd.rawValue)
    let raw = fd.rawValue
    let map = LoadedObject.Map.adopting(fd, name: "inner_close", type: .array)
    let same = try map.withFD { fd -> Bool in
      map.close()
      var status = stat()
      return fstat(fd.rawValue, &status) == 0 && status.st_ino == inode
    }
    #expect(same)
    var status = stat()
    #expect(fstat(raw, &status) != 0 || status.st_ino != inode, "closed once the body returned")
    do {
      try map.withFD { _ in () }
      Issue.record("a use after close ran")
    } catch {
      #expect(Self.isClosed(error, "inner_close") == nil, "\(error)")
    }
  }
}
