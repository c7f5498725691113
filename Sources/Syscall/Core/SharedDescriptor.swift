import Glibc
import Synchronization

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
/// Bodies run outside any lock, so uses on several threads run in parallel,
/// and a body may itself call `close()` (the descriptor then closes as the
/// body returns).
///
/// Admission is one atomic word (`users × 2`, plus 1 once `close()` was
/// called): a use is a compare-and-swap in and an atomic subtract out. It was
/// a pthread mutex taken twice per use: four lock operations on every map
/// lookup. The owned descriptor itself sits behind a pthread mutex, touched
/// only by whoever closes it; the number bodies see is an immutable copy.
/// Swift's `Atomic` operations are inlined LLVM atomic instructions, which
/// the thread sanitizer instruments, so the stress tests are still checked
/// under `--sanitize=thread` (`Synchronization.Mutex` stays avoided: on
/// Linux the sanitizer does not see its lock as one and reports every use).
///
/// Exactly one party closes: `close()` when it finds no user running, else
/// the use whose subtract leaves the word at 1 (closing, no users). New uses
/// are refused once the closing bit is set, so the word cannot leave 1.
// @unchecked Sendable: `owned` is only read or written with `lock` held;
// `number` is immutable and `state` atomic.
public final class SharedDescriptor: @unchecked Sendable {
  /// The descriptor's number, lent to admitted bodies only.
  @usableFromInline let number: CInt
  /// `users × 2 + (close() was called ? 1 : 0)`.
  @usableFromInline let state: Atomic<Int>
  let lock: UnsafeMutablePointer<pthread_mutex_t>
  /// The descriptor, until it is closed.
  var owned: OwnedFD?

  /// Takes ownership of `descriptor`, to be closed by `close()` once no use
  /// is running (or when this value is deinitialized).
  public init(_ descriptor: consuming OwnedFD) {
    number = descriptor.rawValue
    state = Atomic(0)
    lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    lock.initialize(to: pthread_mutex_t())
    pthread_mutex_init(lock, nil)
    owned = .some(descriptor)
  }

  deinit {
    pthread_mutex_destroy(lock)
    lock.deallocate()
  }

  /// Runs `body` with the descriptor, which stays open until `body` returns;
  /// nil (without running `body`) once `close()` was called.
  @inlinable
  public func withDescriptor<R: ~Copyable, E: Error>(_ body: (BorrowedFD) throws(E) -> R) throws(E) -> R? {
    guard beginUse() else { return nil }
    defer { endUse() }
    return try body(BorrowedFD(number))
  }

  /// `withDescriptor` that throws `closed()` once `close()` was called.
  @inlinable
  public func withDescriptor<R: ~Copyable, E: Error>(
    ifClosed closed: () -> E, _ body: (BorrowedFD) throws(E) -> R
  ) throws(E) -> R {
    guard beginUse() else { throw closed() }
    defer { endUse() }
    return try body(BorrowedFD(number))
  }

  /// Counts one more user, unless `close()` was called. Acquiring: the
  /// body's use of the number comes after the admission.
  @inlinable
  func beginUse() -> Bool {
    var current = state.load(ordering: .relaxed)
    while current & 1 == 0 {
      let (exchanged, original) = state.compareExchange(
        expected: current, desired: current &+ 2, ordering: .acquiring)
      if exchanged { return true }
      current = original
    }
    return false
  }

  /// Counts one user fewer; the last user after a `close()` closes.
  /// Releasing (and acquiring, for the closer): every use of the number
  /// happens before the close.
  @inlinable
  func endUse() {
    if state.wrappingSubtract(2, ordering: .acquiringAndReleasing).newValue == 1 { closeOwned() }
  }

  /// Closes the owned descriptor; reached once, by the one party that
  /// saw the word become "closing, no users".
  @usableFromInline
  func closeOwned() {
    pthread_mutex_lock(lock)
    let descriptor = owned.take()
    pthread_mutex_unlock(lock)
    if let descriptor { try? descriptor.close() }
  }

  /// Refuses new uses and closes the descriptor now, or, when bodies are
  /// running, as the last of them returns. Calling it again does nothing.
  public func close() {
    // Only the first call sees the word without its closing bit; it closes
    // when no body was running.
    if state.bitwiseOr(1, ordering: .acquiringAndReleasing).oldValue == 0 { closeOwned() }
  }

  /// Whether `close()` was called.
  public var isClosed: Bool { state.load(ordering: .acquiring) & 1 != 0 }

  /// The number while the descriptor is open, for calls made while the
  /// caller knows it stays open: the loader's own use before it hands the
  /// handle out, or inside a `withDescriptor` body of this same owner (a
  /// `close()` meanwhile waits for that body). Nil once it is closed. Never
  /// keep it: use `withDescriptor` instead.
  package var unguardedDescriptor: BorrowedFD? {
    // 1 is "closing, no users": closed, and it stays so.
    state.load(ordering: .acquiring) == 1 ? nil : BorrowedFD(number)
  }
}
