import CBPFSys
import Glibc

/// perf_event_open(2) and the perf ioctls BPF needs.
public enum PerfEvent {
  /// Kernel: `PERF_FLAG_FD_CLOEXEC`; always added.
  public static let flagCloseOnExec: UInt = 8

  /// Opens a perf event for `pid` (-1: any, 0: this process) on `cpu` (-1: any).
  ///
  /// Kernel: perf_event_open(2); the descriptor is close-on-exec and above 2.
  public static func open(
    _ a: PerfEventAttributes, pid: Int32 = -1, cpu: Int32 = 0, group: BorrowedFD? = nil,
    flags: UInt = 0
  ) throws(SyscallError) -> OwnedFD {
    typealias L = PerfEventAttrLayout
    return try AttrBuffer.with(size: L.layout.size) { (attr) throws(SyscallError) -> OwnedFD in
      var scratch = Scratch()
      attr.set(L.type, a.type)
      attr.set(L.size, UInt32(L.layout.size))
      attr.set(L.config, a.config)
      attr.set(L.samplePeriod, a.samplePeriodOrFrequency)
      attr.set(L.sampleType, a.sampleType)
      attr.set(L.readFormat, a.readFormat)
      let precise = UInt64(a.preciseIP & 3) << UInt64(PerfEventFlags.preciseIPShift)
      attr.set(L.flags, a.flags.rawValue | precise)
      attr.set(L.wakeupEvents, a.wakeupEventsOrWatermark)
      attr.set(L.bpType, a.breakpointType)
      if let target = a.probeTarget {
        attr.set(L.config1, scratch.cString(target))
      } else {
        attr.set(L.config1, a.config1)
      }
      attr.set(L.config2, a.config2)
      attr.set(L.branchSampleType, a.branchSampleType)
      attr.set(L.sampleRegsUser, a.sampleRegistersUser)
      attr.set(L.sampleStackUser, a.sampleStackUser)
      attr.set(L.clockid, a.clockID)
      attr.set(L.sampleRegsIntr, a.sampleRegistersInterrupt)
      attr.set(L.auxWatermark, a.auxWatermark)
      attr.set(L.sampleMaxStack, a.sampleMaxStack)
      attr.set(L.auxSampleSize, a.auxSampleSize)
      attr.set(L.auxAction, a.auxAction)
      attr.set(L.sigData, a.signalData)
      attr.set(L.config3, a.config3)
      while true {
        let fd = swiftbpf_perf_event_open(
          attr.pointer, pid, cpu, group?.rawValue ?? -1, flags | flagCloseOnExec)
        if fd >= 0 { return try OwnedFD.adopt(CInt(truncatingIfNeeded: fd)) }
        let error = Errno.current
        if error == .EINTR { continue }
        throw .failed(.perfEventOpen, error)
      }
    }
  }

  /// Starts counting. Kernel: `PERF_EVENT_IOC_ENABLE`.
  public static func enable(_ event: BorrowedFD) throws(SyscallError) {
    try ioctl(event, PerfIoctl.enable, "PERF_EVENT_IOC_ENABLE", argument: 0)
  }

  /// Stops counting. Kernel: `PERF_EVENT_IOC_DISABLE`.
  public static func disable(_ event: BorrowedFD) throws(SyscallError) {
    try ioctl(event, PerfIoctl.disable, "PERF_EVENT_IOC_DISABLE", argument: 0)
  }

  /// Resets the count. Kernel: `PERF_EVENT_IOC_RESET`.
  public static func reset(_ event: BorrowedFD) throws(SyscallError) {
    try ioctl(event, PerfIoctl.reset, "PERF_EVENT_IOC_RESET", argument: 0)
  }

  /// Runs `program` on each event (the legacy, link-less attach).
  /// Kernel: `PERF_EVENT_IOC_SET_BPF`.
  public static func setBPF(_ event: BorrowedFD, program: BorrowedFD) throws(SyscallError) {
    try ioctl(event, PerfIoctl.setBPF, "PERF_EVENT_IOC_SET_BPF", argument: program.rawValue)
  }

  /// Sends this event's records to `target`'s ring buffer. Kernel: `PERF_EVENT_IOC_SET_OUTPUT`.
  public static func setOutput(_ event: BorrowedFD, to target: BorrowedFD) throws(SyscallError) {
    try ioctl(event, PerfIoctl.setOutput, "PERF_EVENT_IOC_SET_OUTPUT", argument: target.rawValue)
  }

  /// The event's kernel ID. Kernel: `PERF_EVENT_IOC_ID`.
  public static func id(_ event: BorrowedFD) throws(SyscallError) -> UInt64 {
    var value: UInt64 = 0
    while true {
      let r = withUnsafeMutablePointer(to: &value) {
        Glibc.ioctl(event.rawValue, PerfIoctl.id, UnsafeMutableRawPointer($0))
      }
      if r != -1 { return value }
      let error = Errno.current
      if error == .EINTR { continue }
      throw .failed(.ioctl("PERF_EVENT_IOC_ID"), error)
    }
  }

  /// Reads the counter value (`read_format` 0: one `u64`).
  public static func readCount(_ event: BorrowedFD) throws(SyscallError) -> UInt64 {
    var value: UInt64 = 0
    while true {
      let n = withUnsafeMutablePointer(to: &value) { Glibc.read(event.rawValue, $0, 8) }
      if n == 8 { return value }
      let error = n < 0 ? Errno.current : Errno.EIO
      if error == .EINTR { continue }
      throw .failed(.system("read(perf event)"), error)
    }
  }

  static func ioctl(
    _ fd: BorrowedFD, _ request: UInt, _ name: String, argument: CInt
  ) throws(SyscallError) {
    while true {
      if Glibc.ioctl(fd.rawValue, request, argument) != -1 { return }
      let error = Errno.current
      if error == .EINTR { continue }
      throw .failed(.ioctl(name), error)
    }
  }
}

/// ioctl request numbers, computed from the kernel's `_IOC` encoding
/// (direction in bits 30–31, argument size in 16–29, type in 8–15, number in 0–7).
public enum PerfIoctl {
  static let none: UInt = 0, write: UInt = 1, read: UInt = 2

  /// `_IOC(direction, type, number, size)`.
  public static func encode(direction: UInt, type: UInt8, number: UInt8, size: Int) -> UInt {
    direction << 30 | UInt(size) << 16 | UInt(type) << 8 | UInt(number)
  }

  static let magic = UInt8(ascii: "$")
  /// Kernel: `PERF_EVENT_IOC_ENABLE` = `_IO('$', 0)`.
  public static let enable = encode(direction: none, type: magic, number: 0, size: 0)
  /// Kernel: `PERF_EVENT_IOC_DISABLE` = `_IO('$', 1)`.
  public static let disable = encode(direction: none, type: magic, number: 1, size: 0)
  /// Kernel: `PERF_EVENT_IOC_REFRESH` = `_IO('$', 2)`.
  public static let refresh = encode(direction: none, type: magic, number: 2, size: 0)
  /// Kernel: `PERF_EVENT_IOC_RESET` = `_IO('$', 3)`.
  public static let reset = encode(direction: none, type: magic, number: 3, size: 0)
  /// Kernel: `PERF_EVENT_IOC_PERIOD` = `_IOW('$', 4, __u64)`.
  public static let period = encode(direction: write, type: magic, number: 4, size: 8)
  /// Kernel: `PERF_EVENT_IOC_SET_OUTPUT` = `_IO('$', 5)`.
  public static let setOutput = encode(direction: none, type: magic, number: 5, size: 0)
  /// Kernel: `PERF_EVENT_IOC_SET_FILTER` = `_IOW('$', 6, char *)`.
  public static let setFilter = encode(direction: write, type: magic, number: 6, size: 8)
  /// Kernel: `PERF_EVENT_IOC_ID` = `_IOR('$', 7, __u64 *)`.
  public static let id = encode(direction: read, type: magic, number: 7, size: 8)
  /// Kernel: `PERF_EVENT_IOC_SET_BPF` = `_IOW('$', 8, __u32)`.
  public static let setBPF = encode(direction: write, type: magic, number: 8, size: 4)
  /// Kernel: `PERF_EVENT_IOC_PAUSE_OUTPUT` = `_IOW('$', 9, __u32)`.
  public static let pauseOutput = encode(direction: write, type: magic, number: 9, size: 4)

  /// Every request with its kernel name, for tests.
  public static let all: [(name: String, value: UInt)] = [
    ("PERF_EVENT_IOC_ENABLE", enable), ("PERF_EVENT_IOC_DISABLE", disable),
    ("PERF_EVENT_IOC_REFRESH", refresh), ("PERF_EVENT_IOC_RESET", reset),
    ("PERF_EVENT_IOC_PERIOD", period), ("PERF_EVENT_IOC_SET_OUTPUT", setOutput),
    ("PERF_EVENT_IOC_SET_FILTER", setFilter), ("PERF_EVENT_IOC_ID", id),
    ("PERF_EVENT_IOC_SET_BPF", setBPF), ("PERF_EVENT_IOC_PAUSE_OUTPUT", pauseOutput),
  ]
}
