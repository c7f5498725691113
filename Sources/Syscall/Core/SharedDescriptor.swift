import Glibc

/// One owner of a descriptor that several threads may use and close at once.
///
/// A bare number is unsafe to share: if one thread closes it while another
/// is inside a `bpf()` call with it, the number can be handed to an
/// unrelated `open()` in between, and the call then acts on the wrong file.
/// Here every use is counted: `withDescriptor` lends the descriptor for the
/// length of its body only, and `close()` never closes it under a running
/// body — the descriptor is closed by `close()` when nothing uses it, or
/// else by the last body to finish. Once `close()` was called, new uses are
/// refused (`nil` from `withDescriptor`), so the close is never starved.
///
/// Bodies run outside the lock, so uses on several threads run in parallel,
/// and a body may itself call `close()` (the descriptor then closes as the
/// body returns).
///
/// The lock is a pthread mutex rather than `Synchronization.Mutex`: the
/// thread sanitizer understands pthread locks, while `Mutex` on Linux is
/// built on atomics it does not see, so every use would be reported as a
/// race and the stress tests could not be checked under `--sanitize=thread`.
// @unchecked Sendable: `state` is only read or written with `lock` held.
public final class SharedDescriptor: @unchecked Sendable {
  @usableFromInline
  struct State: ~Copyable {
    @usableFromInline var descriptor: OwnedFD?
    /// Bodies running now.
    @usableFromInline var users = 0
    /// `close()` was called: no new uses; the last user closes.
    @usableFromInline var isClosing = false

    @usableFromInline
    init(descriptor: consuming OwnedFD?) { self.descriptor = descriptor }
  }

  @usableFromInline let lock: UnsafeMutablePointer<pthread_mutex_t>
  @usableFromInline var state: State

  /// Takes ownership of `descriptor`, to be closed by `close()` once no use
  /// is running (or when this value is deinitialized).
  public init(_ descriptor: consuming OwnedFD) {
    lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    lock.initialize(to: pthread_mutex_t())
    pthread_mutex_init(lock, nil)
    state = State(descriptor: descriptor)
  }

  deinit {
    pthread_mutex_destroy(lock)
    lock.deallocate()
  }

  @inlinable
  func withLock<R: ~Copyable>(_ body: (inout State) -> R) -> R {
    pthread_mutex_lock(lock)
    defer { pthread_mutex_unlock(lock) }
    return body(&state)
  }

  /// Runs `body` with the descriptor, which stays open until `body` returns;
  /// nil (without running `body`) once `close()` was called.
  @inlinable
  public func withDescriptor<R: ~Copyable, E: Error>(_ body: (BorrowedFD) throws(E) -> R) throws(E) -> R? {
    let lent: BorrowedFD? = withLock { s in
      guard !s.isClosing, let fd = s.descriptor?.borrowed else { return nil }
      s.users += 1
      return fd
    }
    guard let lent else { return nil }
    defer { endUse() }
    return try body(lent)
  }

  /// `withDescriptor` that throws `closed()` once `close()` was called.
  @inlinable
  public func withDescriptor<R: ~Copyable, E: Error>(
    ifClosed closed: () -> E, _ body: (BorrowedFD) throws(E) -> R
  ) throws(E) -> R {
    switch try withDescriptor(body) {
    case .some(let result): return result
    case .none: throw closed()
    }
  }

  @usableFromInline
  func endUse() {
    let last: OwnedFD? = withLock { s in
      s.users -= 1
      return s.users == 0 && s.isClosing ? s.descriptor.take() : nil
    }
    if let last { try? last.close() }
  }

  /// Refuses new uses and closes the descriptor now, or, when bodies are
  /// running, as the last of them returns. Calling it again does nothing.
  public func close() {
    let now: OwnedFD? = withLock { s in
      s.isClosing = true
      return s.users == 0 ? s.descriptor.take() : nil
    }
    if let now { try? now.close() }
  }

  /// Whether `close()` was called.
  public var isClosed: Bool { withLock { $0.isClosing } }

  /// The number while the descriptor is open, for calls made while the
  /// caller knows it stays open: the loader's own use before it hands the
  /// handle out, or inside a `withDescriptor` body of this same owner (a
  /// `close()` meanwhile waits for that body). Nil once it is closed. Never
  /// keep it: use `withDescriptor` instead.
  package var unguardedDescriptor: BorrowedFD? {
    withLock { s in s.descriptor?.borrowed }
  }
}
