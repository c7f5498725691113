/// ioctl request numbers, computed from the kernel's `_IOC` encoding
/// (direction in bits 30–31, argument size in 16–29, type in 8–15, number in 0–7).
package enum PerfIoctl {
  static let none: UInt = 0, write: UInt = 1, read: UInt = 2

  /// `_IOC(direction, type, number, size)`.
  package static func encode(direction: UInt, type: UInt8, number: UInt8, size: Int) -> UInt {
    direction << 30 | UInt(size) << 16 | UInt(type) << 8 | UInt(number)
  }

  static let magic = UInt8(ascii: "$")
  /// Kernel: `PERF_EVENT_IOC_ENABLE` = `_IO('$', 0)`.
  package static let enable = encode(direction: none, type: magic, number: 0, size: 0)
  /// Kernel: `PERF_EVENT_IOC_DISABLE` = `_IO('$', 1)`.
  package static let disable = encode(direction: none, type: magic, number: 1, size: 0)
  /// Kernel: `PERF_EVENT_IOC_REFRESH` = `_IO('$', 2)`.
  package static let refresh = encode(direction: none, type: magic, number: 2, size: 0)
  /// Kernel: `PERF_EVENT_IOC_RESET` = `_IO('$', 3)`.
  package static let reset = encode(direction: none, type: magic, number: 3, size: 0)
  /// Kernel: `PERF_EVENT_IOC_PERIOD` = `_IOW('$', 4, __u64)`.
  package static let period = encode(direction: write, type: magic, number: 4, size: 8)
  /// Kernel: `PERF_EVENT_IOC_SET_OUTPUT` = `_IO('$', 5)`.
  package static let setOutput = encode(direction: none, type: magic, number: 5, size: 0)
  /// Kernel: `PERF_EVENT_IOC_SET_FILTER` = `_IOW('$', 6, char *)`.
  package static let setFilter = encode(direction: write, type: magic, number: 6, size: 8)
  /// Kernel: `PERF_EVENT_IOC_ID` = `_IOR('$', 7, __u64 *)`.
  package static let id = encode(direction: read, type: magic, number: 7, size: 8)
  /// Kernel: `PERF_EVENT_IOC_SET_BPF` = `_IOW('$', 8, __u32)`.
  package static let setBPF = encode(direction: write, type: magic, number: 8, size: 4)
  /// Kernel: `PERF_EVENT_IOC_PAUSE_OUTPUT` = `_IOW('$', 9, __u32)`.
  package static let pauseOutput = encode(direction: write, type: magic, number: 9, size: 4)

  /// Every request with its kernel name, for tests.
  package static let all: [(name: String, value: UInt)] = [
    ("PERF_EVENT_IOC_ENABLE", enable), ("PERF_EVENT_IOC_DISABLE", disable),
    ("PERF_EVENT_IOC_REFRESH", refresh), ("PERF_EVENT_IOC_RESET", reset),
    ("PERF_EVENT_IOC_PERIOD", period), ("PERF_EVENT_IOC_SET_OUTPUT", setOutput),
    ("PERF_EVENT_IOC_SET_FILTER", setFilter), ("PERF_EVENT_IOC_ID", id),
    ("PERF_EVENT_IOC_SET_BPF", setBPF), ("PERF_EVENT_IOC_PAUSE_OUTPUT", pauseOutput),
  ]
}
