import Foundation
import Testing
import TestSupport

/// Whether this process may use bpf(2) for real.
enum Kernel {
  /// Effective capabilities of this process (`CapEff` in /proc/self/status).
  static let effectiveCapabilities: UInt64 = {
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
  static var canLoad: Bool {
    geteuid() == 0 || effectiveCapabilities & (1 << 39) != 0
      || effectiveCapabilities & (1 << 21) != 0
  }

  /// `SWIFTBPF_REQUIRE_KERNEL=1`: kernel tests run (and fail) even without privileges.
  static var isRequired: Bool { TestEnvironment.requiresKernel }
}

extension Trait where Self == ConditionTrait {
  /// Kernel tests: need CAP_BPF; fail instead of skipping under SWIFTBPF_REQUIRE_KERNEL=1.
  static var kernel: Self {
    .enabled(if: Kernel.canLoad || Kernel.isRequired,
             "needs CAP_BPF or root; SWIFTBPF_REQUIRE_KERNEL=1 makes this fail")
  }
}

/// Number of open descriptors of this process.
func openDescriptorCount() -> Int {
  (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
}

/// A BPF instruction encoded per the BPF ISA (RFC 9669): opcode, dst/src
/// nibbles (dst low on little endian), 16-bit offset, 32-bit immediate.
func instruction(_ opcode: UInt8, dst: UInt8 = 0, src: UInt8 = 0, offset: Int16 = 0,
                 imm: Int32 = 0) -> [UInt8] {
  var bytes: [UInt8] = [opcode, (src << 4) | (dst & 0xf)]
  withUnsafeBytes(of: offset.littleEndian) { bytes += $0 }
  withUnsafeBytes(of: imm.littleEndian) { bytes += $0 }
  return bytes
}

/// `r0 = value; exit` — the smallest valid program.
func returnProgram(_ value: Int32) -> [UInt8] {
  instruction(0xb7, dst: 0, imm: value) + instruction(0x95)
}
