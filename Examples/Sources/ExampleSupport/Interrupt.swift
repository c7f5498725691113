import Glibc
import Synchronization

/// Ctrl-C (SIGINT) and SIGTERM as a flag the examples' loops check, so
/// they stop, detach their programs and exit 0 instead of dying mid-way.
/// (Dying would be safe too: the kernel drops the links with the process;
/// the flag lets the example print its last counts.)
public enum Interrupt {
  static let received = Atomic<Bool>(false)

  /// True once Ctrl-C was pressed.
  public static var wasReceived: Bool { received.load(ordering: .relaxed) }

  static func install() {
    // A C function pointer: it captures nothing; the flag is a global.
    signal(SIGINT) { _ in Interrupt.received.store(true, ordering: .relaxed) }
    signal(SIGTERM) { _ in Interrupt.received.store(true, ordering: .relaxed) }
  }
}
