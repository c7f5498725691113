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
/// Bodies run outside the lock, so uses on several threads run in parallel,
/// and a body may itself call `close()` (the descriptor then closes as the
/// body returns).
public final class SharedDescriptor: Sendable {
  private struct State: ~Copyable {
    var descriptor: OwnedFD?
    /// Bodies running now.
    var users = 0
    /// `close()` was called: no new uses; the last user closes.
    var isClosing = false
  }

  private let state: Mutex<State>

  public init(_ descriptor: consuming OwnedFD) {
    state = Mutex(State(descriptor: descriptor))
  }

  /// Runs `body` with the descriptor, which stays open until `body` returns;
  /// nil (without running `body`) once `close()` was called.
  public func withDescriptor<R: ~Copyable, E: Error>(_ body: (BorrowedFD) throws(E) -> R) throws(E) -> R? {
    let lent: BorrowedFD? = state.withLock { s in
      guard !s.isClosing, let fd = s.descriptor?.borrowed else { return nil }
      s.users += 1
      return fd
    }
    guard let lent else { return nil }
    defer { endUse() }
    return try body(lent)
  }

  private func endUse() {
    let last: OwnedFD? = state.withLock { s in
      s.users -= 1
      return s.users == 0 && s.isClosing ? s.descriptor.take() : nil
    }
    if let last { try? last.close() }
  }

  /// Refuses new uses and closes the descriptor now, or, when bodies are
  /// running, as the last of them returns. Calling it again does nothing.
  public func close() {
    let now: OwnedFD? = state.withLock { s in
      s.isClosing = true
      return s.users == 0 ? s.descriptor.take() : nil
    }
    if let now { try? now.close() }
  }

  /// Whether `close()` was called.
  public var isClosed: Bool { state.withLock { $0.isClosing } }

  /// The number, for messages and for calls made while the owner is known
  /// to keep it open (the loader's own use before it hands the handle out).
  /// Nil after `close()`. Never keep it: use `withDescriptor` instead.
  package var unguardedDescriptor: BorrowedFD? {
    state.withLock { s in s.isClosing ? nil : s.descriptor?.borrowed }
  }
}
