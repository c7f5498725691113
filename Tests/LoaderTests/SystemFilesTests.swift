import Synchronization
import Syscall
import Testing
@testable import Loader

/// The Loader's file I/O goes through `SystemFiles`: with a fake bound, its
/// readers see the fake's sysfs, procfs and tracefs, and writes land in it.
@Suite struct SystemFilesTests {
  /// In-memory files; `addToUInt16` updates a little-endian word of a file.
  final class FakeFiles: SystemFileAccess {
    let files: Mutex<[String: [UInt8]]>
    let directories: Set<String>
    init(_ texts: [String: String], directories: Set<String> = []) {
      files = Mutex(texts.mapValues { Array($0.utf8) })
      self.directories = directories
    }
    func bytes(_ path: String) -> [UInt8]? { files.withLock { $0[path] } }

    func text(_ path: String) -> Result<String, FileError> {
      guard let b = bytes(path) else { return .failure(FileError(errno: .ENOENT, operation: "open")) }
      return .success(String(decoding: b, as: UTF8.self))
    }
    func decompressedText(_ path: String) -> Result<String, FileError> { text(path) }
    func isAccessible(_ path: String, for mode: FileAccessMode) -> Bool { bytes(path) != nil }
    func isDirectory(_ path: String) -> Bool { directories.contains(path) }
    func openReadOnly(_ path: String, directory: Bool) -> Result<OwnedFD, FileError> {
      .failure(FileError(errno: .ENOENT, operation: "open"))
    }
    func addToUInt16(_ delta: Int16, inFile path: String, at offset: UInt64) -> Result<Void, FileError> {
      files.withLock { (all) -> Result<Void, FileError> in
        guard var b = all[path] else { return .failure(FileError(errno: .ENOENT, operation: "open")) }
        let i = Int(offset)
        guard i + 2 <= b.count else { return .failure(FileError(errno: .EIO, operation: "pread")) }
        let value = UInt16(b[i]) | UInt16(b[i + 1]) << 8
        let new = UInt16(bitPattern: Int16(bitPattern: value) &+ delta)
        b[i] = UInt8(new & 0xff)
        b[i + 1] = UInt8(new >> 8)
        all[path] = b
        return .success(())
      }
    }
    func remove(_ path: String) -> Result<Void, FileError> {
      files.withLock { $0.removeValue(forKey: path) } == nil
        ? .failure(FileError(errno: .ENOENT, operation: "unlink")) : .success(())
    }
    func mount(_ type: String, at path: String) -> Result<Void, FileError> {
      .failure(FileError(errno: .EPERM, operation: "mount"))
    }
  }

  @Test func cpuListsComeFromTheSeam() {
    let fake = FakeFiles([
      "/sys/devices/system/cpu/online": "0-2,7\n", "/sys/devices/system/cpu/possible": "0-11\n",
    ])
    SystemFiles.$current.withValue(fake) {
      #expect(PerfBuffer.onlineCPUs() == [0, 1, 2, 7])
      #expect(PossibleCPUs.read() == "0-11\n")
    }
  }

  @Test func kernelConfigIsReadThroughTheSeam() throws {
    let fake = FakeFiles(["/boot/config-test": "CONFIG_BPF=y\nCONFIG_HZ=250\n"])
    try SystemFiles.$current.withValue(fake) {
      let config = try KernelConfig.load(paths: ["/proc/config.gz", "/boot/config-test"])
      #expect(config["CONFIG_HZ"] != nil)
      #expect(throws: KernelConfigError.self) { try KernelConfig.load(paths: ["/proc/config.gz"]) }
    }
  }

  @Test func tracepointIDsComeFromTheSeam() {
    let fake = FakeFiles(["/sys/kernel/tracing/events/sched/sched_switch/id": "316\n"],
                         directories: ["/sys/kernel/tracing/events"])
    SystemFiles.$current.withValue(fake) {
      #expect((try? Tracefs.tracepointID(category: "sched", name: "sched_switch").get()) == 316)
      guard case .failure = Tracefs.tracepointID(category: "sched", name: "missing") else {
        Issue.record("a missing id file must fail")
        return
      }
    }
  }

  /// A USDT semaphore: found through `/proc/<pid>/maps`, incremented in
  /// `/proc/<pid>/mem` at the mapped address.
  @Test func semaphoreIsUpdatedThroughTheSeam() throws {
    let maps = "00400000-00401000 r-xp 00000000 08:01 42 /usr/bin/app\n"
    var memory = [UInt8](repeating: 0, count: 0x400010)
    memory[0x400008] = 0xff  // 0x00ff + 1 = 0x0100
    let fake = FakeFiles(["/proc/77/maps": maps])
    fake.files.withLock { $0["/proc/77/mem"] = memory }
    try SystemFiles.$current.withValue(fake) {
      try Semaphore.add(1, file: "/usr/bin/app", fileOffset: 8, pid: 77, program: "p",
                        point: .tracepoint(category: "c", name: "n"))
    }
    memory = try #require(fake.bytes("/proc/77/mem"))
    #expect(memory[0x400008] == 0x00 && memory[0x400009] == 0x01)
  }
}
