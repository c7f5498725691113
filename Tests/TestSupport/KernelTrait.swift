import Foundation
import Testing

/// Whether this process may use bpf(2) for real.
public enum Kernel {
  /// Effective capabilities of this process (`CapEff` in /proc/self/status).
  public static let effectiveCapabilities: UInt64 = {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
      return 0
    }
    for line in status.split(separator: "\n") where line.hasPrefix("CapEff:") {
      let hex = line.dropFirst("CapEff:".count).trimmingCharacters(in: .whitespaces)
      return UInt64(hex, radix: 16) ?? 0
    }
    return 0
  }()

  /// CAP_BPF (39) or CAP_SYS_ADMIN (21), or root.
  public static var canLoad: Bool {
    geteuid() == 0 || effectiveCapabilities & (1 << 39) != 0
      || effectiveCapabilities & (1 << 21) != 0
  }

  /// `SWIFTBPF_REQUIRE_KERNEL=1`: kernel tests run (and fail) even without privileges.
  public static var isRequired: Bool { TestEnvironment.requiresKernel }
}

extension Trait where Self == ConditionTrait {
  /// Kernel tests: need CAP_BPF; fail instead of skipping under SWIFTBPF_REQUIRE_KERNEL=1.
  public static var kernel: Self {
    .enabled(if: Kernel.canLoad || Kernel.isRequired,
             "needs CAP_BPF or root; SWIFTBPF_REQUIRE_KERNEL=1 makes this fail")
  }
}

/// Number of open descriptors of this process.
public func openDescriptorCount() -> Int {
  (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
}

