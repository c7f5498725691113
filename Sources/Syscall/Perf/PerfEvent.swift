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
