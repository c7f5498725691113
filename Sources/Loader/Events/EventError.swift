import Syscall

/// Why a ring buffer, user ring buffer or perf buffer could not be set up or read.
///
/// Each case names the buffer (the map's kernel name, or `fd N` when it has
/// none) so a program with several buffers can tell which one failed.
public enum EventError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A system call failed (mmap, epoll, perf_event_open, a map update...).
  case syscall(SyscallError, buffer: String)
  /// The map is not of the kind this reader needs.
  /// Kernel: `BPF_MAP_TYPE_RINGBUF`, `BPF_MAP_TYPE_USER_RINGBUF`, `BPF_MAP_TYPE_PERF_EVENT_ARRAY`.
  case wrongMapType(buffer: String, expected: String, actual: String)
  /// The map's size is not what the kernel's layout promises (a ring buffer
  /// size must be a power of two and a multiple of the page size).
  case invalidSize(buffer: String, size: Int, reason: String)
  /// A record header the kernel (or, for a user ring buffer, someone else)
  /// wrote makes no sense: its length runs past the data. The reader stops
  /// at the record's position rather than read out of bounds.
  case corruptRecord(buffer: String, position: UInt64, reason: String)
  /// A user ring buffer sample larger than the ring can ever hold.
  case recordTooLarge(buffer: String, size: Int, limit: Int)
  /// A user ring buffer has no room for the sample now (and the wait, if
  /// any, ended first).
  case noSpace(buffer: String, needed: Int, available: Int)
  /// The buffer was closed; nothing more can be read or written.
  case closed(buffer: String)
  /// A record's byte count does not fit the Swift type a typed stream reads
  /// (`events(of:)`): shorter than the type, or longer without `allowLonger`.
  /// The record was consumed (skipped); the stream may be iterated on.
  case recordSizeMismatch(buffer: String, swiftType: String, swiftSize: Int, recordSize: Int)
  /// The Swift type given to `events(of:)` is not the size of the record
  /// type the map declares (`__type(value, struct event)`): neither its
  /// `MemoryLayout` size nor its stride equals the C type's size.
  case recordTypeMismatch(buffer: String, swiftType: String, swiftSize: Int, declaredType: String, declaredSize: Int)
  /// A zero-copy batch was read after its iterator moved on (or ended): its
  /// records have been given back to the producer.
  case batchExpired(buffer: String)

  /// The message for a user: the buffer (its map's name) and what went wrong.
  /// The CLI prints it after `swiftbpf: ` (on one line), and as `message` in
  /// `--json` errors.
  public var description: String {
    switch self {
    case .syscall(let error, let buffer):
      return "\(buffer): \(error)"
    case .wrongMapType(let buffer, let expected, let actual):
      return "\(buffer): map type is \(actual), expected \(expected)"
    case .invalidSize(let buffer, let size, let reason):
      return "\(buffer): size \(size) is invalid: \(reason)"
    case .corruptRecord(let buffer, let position, let reason):
      return "\(buffer): corrupt record at position \(position): \(reason)"
    case .recordTooLarge(let buffer, let size, let limit):
      return "\(buffer): a \(size)-byte sample cannot fit; at most \(limit) bytes fit this ring"
    case .noSpace(let buffer, let needed, let available):
      return "\(buffer): no room for \(needed) bytes (\(available) free); the consumer has not drained the ring"
    case .closed(let buffer):
      return "\(buffer): the buffer is closed"
    case .recordSizeMismatch(let buffer, let type, let size, let record):
      return "\(buffer): a \(record)-byte record does not fit \(type) (\(size) bytes)"
    case .recordTypeMismatch(let buffer, let type, let size, let declared, let declaredSize):
      return "\(buffer): \(type) is \(size) bytes but the map declares its records as \(declared) (\(declaredSize) bytes)"
    case .batchExpired(let buffer):
      return "\(buffer): the batch was read after the iteration moved past it; its records are gone"
    }
  }
}
