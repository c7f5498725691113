import Foundation
import Testing
import TestSupport
import UAPI
@testable import Loader

/// `.kconfig` extern values, by libbpf's rules (documented in libbpf's
/// `bpf_helpers.h`/`libbpf.h` for the tristate values), and libbpf's
/// special names.
@Suite struct KernelInfoExternTests {
  static let text = """
    CONFIG_Y=y
    CONFIG_M=m
    # CONFIG_N is not set
    CONFIG_HZ=250
    CONFIG_NEG=-129
    CONFIG_HEX=0x1000000
    CONFIG_BIG=0xdead000000000000
    CONFIG_STR="hello"
    """
  let config: KernelConfig

  init() throws {
    config = try KernelConfig(text: Self.text)
  }

  /// `enum libbpf_tristate` from the installed libbpf header.
  static func tristateValues() throws -> [String: UInt32]? {
    let path = "/usr/include/bpf/bpf_helpers.h"
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      if TestEnvironment.mustNotSkip { Issue.record("\(path) missing (libbpf-dev)") }
      return nil
    }
    var values: [String: UInt32] = [:]
    for line in text.split(separator: "\n") {
      let parts = line.split(whereSeparator: { " \t=,".contains($0) })
      if parts.count == 2, parts[0].hasPrefix("TRI_"), let v = UInt32(parts[1]) { values[String(parts[0])] = v }
    }
    return values
  }

  @Test func tristateExternsUseLibbpfValues() throws {
    guard let tri = try Self.tristateValues() else { return }
    func value(_ name: String) throws -> UInt32? {
      try config.externBytes(name, as: .tristate, order: .little).map {
        $0.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) }
      }
    }
    #expect(try value("CONFIG_Y") == tri["TRI_YES"])
    #expect(try value("CONFIG_M") == tri["TRI_MODULE"])
    #expect(try value("CONFIG_N") == tri["TRI_NO"])
    #expect(try config.externBytes("CONFIG_Y", as: .tristate)?.count == 4)
  }

  @Test func boolCharAndStrings() throws {
    #expect(try config.externBytes("CONFIG_Y", as: .bool) == [1])
    #expect(try config.externBytes("CONFIG_N", as: .bool) == [0])
    #expect(throws: KernelConfigError.self) { try config.externBytes("CONFIG_M", as: .bool) }
    #expect(try config.externBytes("CONFIG_M", as: .char) == [UInt8(ascii: "m")])
    #expect(try config.externBytes("CONFIG_STR", as: .charArray(count: 8)) == Array("hello".utf8) + [0, 0, 0])
    #expect(try config.externBytes("CONFIG_STR", as: .charArray(count: 4)) == Array("hel".utf8) + [0])
    #expect(throws: KernelConfigError.self) { try config.externBytes("CONFIG_STR", as: .integer(size: 4, signed: false)) }
    #expect(throws: KernelConfigError.self) { try config.externBytes("CONFIG_HZ", as: .charArray(count: 8)) }
    #expect(try config.externBytes("CONFIG_MISSING", as: .bool) == nil)
  }

  @Test func integersFitTheirSize() throws {
    #expect(try config.externBytes("CONFIG_HZ", as: .integer(size: 4, signed: false), order: .little) == [250, 0, 0, 0])
    #expect(try config.externBytes("CONFIG_HZ", as: .integer(size: 2, signed: true), order: .big) == [0, 250])
    #expect(try config.externBytes("CONFIG_HZ", as: .integer(size: 1, signed: false)) == [250])
    #expect(throws: KernelConfigError.outOfRange(name: "CONFIG_HZ", value: "250", size: 1, signed: true)) {
      try config.externBytes("CONFIG_HZ", as: .integer(size: 1, signed: true))
    }
    #expect(try config.externBytes("CONFIG_NEG", as: .integer(size: 2, signed: true), order: .little) == [0x7f, 0xff])
    #expect(throws: KernelConfigError.self) { try config.externBytes("CONFIG_NEG", as: .integer(size: 1, signed: true)) }
    #expect(throws: KernelConfigError.self) { try config.externBytes("CONFIG_NEG", as: .integer(size: 8, signed: false)) }
    #expect(throws: KernelConfigError.self) { try config.externBytes("CONFIG_HEX", as: .integer(size: 2, signed: false)) }
    #expect(try config.externBytes("CONFIG_BIG", as: .integer(size: 8, signed: false), order: .big)
      == [0xde, 0xad, 0, 0, 0, 0, 0, 0])
    #expect(throws: KernelConfigError.self) { try config.externBytes("CONFIG_HZ", as: .integer(size: 3, signed: false)) }
    #expect(try config.externBytes("CONFIG_HZ", as: .char) == [250])
    #expect(throws: KernelConfigError.self) { try config.externBytes("CONFIG_Y", as: .integer(size: 4, signed: false)) }
  }

  /// `KERNEL_VERSION` as /usr/include/linux/version.h defines it: the
  /// header's own LINUX_VERSION_CODE from its MAJOR/PATCHLEVEL/SUBLEVEL.
  @Test func versionCodeMatchesTheHeadersMacro() throws {
    // KERNEL_VERSION(a,b,c) = ((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c))
    let capped: UInt32 = (4 << 16) + (9 << 8) + 255
    #expect(KernelRelease("4.9.300")?.versionCode == capped, "patch capped at 255")
    guard let text = try? String(contentsOfFile: "/usr/include/linux/version.h", encoding: .utf8) else {
      if TestEnvironment.mustNotSkip { Issue.record("linux/version.h missing") }
      return
    }
    var defines: [String: UInt32] = [:]
    for line in text.split(separator: "\n") where line.hasPrefix("#define ") {
      let parts = line.split(separator: " ")
      if parts.count == 3, let v = UInt32(parts[2]) { defines[String(parts[1])] = v }
    }
    let major = try #require(defines["LINUX_VERSION_MAJOR"])
    let minor = try #require(defines["LINUX_VERSION_PATCHLEVEL"])
    let sub = try #require(defines["LINUX_VERSION_SUBLEVEL"])
    #expect(KernelRelease("\(major).\(minor).\(sub)")?.versionCode == defines["LINUX_VERSION_CODE"])
  }

  @Test func releaseStringsParse() throws {
    let ubuntu = try #require(KernelRelease("5.15.0-91-generic"))
    #expect((ubuntu.major, ubuntu.minor, ubuntu.patch) == (5, 15, 0))
    #expect(KernelRelease("6.18")?.patch == 0)
    #expect(KernelRelease("6.18-rc1")?.minor == 18)
    #expect(KernelRelease("6.1.102-1.182.amzn2023.x86_64")?.patch == 102)
    #expect(KernelRelease("linux") == nil)
    #expect(KernelRelease("6") == nil)
    #expect(KernelRelease("99999999999.1.1") == nil)
    let uname = try runTool("/bin/uname", ["-r"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(KernelRelease.current?.release == uname)
  }

  @Test func libbpfSpecialsAreAddedUnlessOverridden() throws {
    let release = try #require(KernelRelease("6.18.0"))
    let plain = config.addingLibbpfSpecials(release: release, hasBPFCookie: true, hasSyscallWrapper: false)
    #expect(try plain.externBytes("LINUX_KERNEL_VERSION", as: .integer(size: 4, signed: false), order: .little)
      == [0, 18, 6, 0])
    #expect(try plain.externBytes("LINUX_HAS_BPF_COOKIE", as: .bool) == [1])
    #expect(try plain.externBytes("LINUX_HAS_SYSCALL_WRAPPER", as: .bool) == [0])
    var overridden = config
    try overridden.override("LINUX_KERNEL_VERSION", with: "1")
    let kept = overridden.addingLibbpfSpecials(release: release, hasBPFCookie: false, hasSyscallWrapper: true)
    #expect(try kept.externBytes("LINUX_KERNEL_VERSION", as: .integer(size: 4, signed: false), order: .little) == [1, 0, 0, 0])
  }
}
