import Glibc

/// The running kernel's release string (`uname -r`) and its version code.
public struct KernelRelease: Sendable, Hashable, CustomStringConvertible {
  /// As `uname -r` prints it: "6.18.0", "5.15.0-91-generic".
  public var release: String
  /// The major version: 6 in 6.1.55.
  public var major: UInt32
  /// The minor version: 1 in 6.1.55.
  public var minor: UInt32
  /// The patch level: 55 in 6.1.55 (0 when absent).
  public var patch: UInt32

  /// Parses the leading "A.B[.C]" of a release string; nil without "A.B".
  public init?(_ release: String) {
    self.release = release
    var numbers: [UInt32] = []
    var current: UInt32? = nil
    for byte in release.utf8 {
      if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
        let digit = UInt32(byte - UInt8(ascii: "0"))
        let (times, o1) = (current ?? 0).multipliedReportingOverflow(by: 10)
        let (sum, o2) = times.addingReportingOverflow(digit)
        if o1 || o2 { return nil }
        current = sum
      } else {
        guard let value = current else { break }
        numbers.append(value)
        current = nil
        if byte != UInt8(ascii: ".") || numbers.count == 3 { break }
      }
    }
    if let current, numbers.count < 3 { numbers.append(current) }
    guard numbers.count >= 2 else { return nil }
    major = numbers[0]
    minor = numbers[1]
    patch = numbers.count > 2 ? numbers[2] : 0
  }

  /// `KERNEL_VERSION(major, minor, patch)`: `major << 16 | minor << 8 | patch`,
  /// the patch level capped at 255 as the kernel's macro does since 4.19
  /// (stable releases went past 255), major and minor kept to 8 bits each.
  ///
  /// Kernel: `KERNEL_VERSION` in include/generated/uapi/linux/version.h;
  /// this is what libbpf gives `LINUX_KERNEL_VERSION` and `kern_version`.
  public var versionCode: UInt32 {
    (major & 0xFF) << 16 | (minor & 0xFF) << 8 | min(patch, 255)
  }

  public var description: String { release }

  /// The running kernel, from uname(2); nil if it cannot be read or parsed.
  public static let current: KernelRelease? = {
    var info = utsname()
    guard uname(&info) == 0 else { return nil }
    let text = withUnsafeBytes(of: &info.release) { raw in
      String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
    }
    return KernelRelease(text)
  }()
}
