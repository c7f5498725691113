import Foundation
import Testing
import TestSupport
import UAPI
@testable import Loader

/// `KernelConfig` against `zcat /proc/config.gz` (another program's gunzip)
/// line by line, and the Kconfig file format's edge cases.
@Suite struct KernelInfoConfigTests {
  /// The value a config line's text means, decided without our parser.
  static func expected(_ text: String) -> KernelConfig.Value? {
    switch text {
    case "y": return .tristate(.yes)
    case "m": return .tristate(.module)
    case "n": return .tristate(.no)
    default: break
    }
    if text.first == "\"", text.count >= 2, text.last == "\"" {
      var out = ""
      var escaped = false
      for c in text.dropFirst().dropLast() {
        if escaped { out.append(c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
      }
      return .string(out)
    }
    if text.hasPrefix("0x"), let bits = UInt64(text.dropFirst(2), radix: 16) {
      return .integer(Int64(bitPattern: bits), text: text)
    }
    return Int64(text).map { .integer($0, text: text) }
  }

  @Test func everyLineMatchesZcat() throws {
    guard FileManager.default.isReadableFile(atPath: "/proc/config.gz"), let zcat = Toolchain.systemTool("zcat") else {
      if TestEnvironment.mustNotSkip { Issue.record("no readable /proc/config.gz or no zcat") }
      return
    }
    let config = try KernelConfig.load(paths: ["/proc/config.gz"])
    let text = try runTool(zcat, ["/proc/config.gz"])
    #expect(text.status == 0)
    var names = Set<String>()
    for line in text.output.split(separator: "\n") {
      if line.hasPrefix("# CONFIG_"), line.hasSuffix(" is not set") {
        let name = String(line.dropFirst(2).dropLast(" is not set".count))
        names.insert(name)
        #expect(config[name] == .tristate(.no), "\(name)")
      } else if !line.hasPrefix("#"), let eq = line.firstIndex(of: "=") {
        let name = String(line[..<eq])
        names.insert(name)
        let value = String(line[line.index(after: eq)...])
        #expect(config[name] == Self.expected(value), "\(line)")
      }
    }
    #expect(names.count > 1000)
    #expect(Set(config.values.keys) == names)
    #expect(config["CONFIG_BPF_SYSCALL"] == .tristate(.yes))
  }

  @Test func parsesEveryValueShape() throws {
    let text = """
      #
      # Automatically generated file; DO NOT EDIT.
      CONFIG_A=y
      CONFIG_B=m
      # CONFIG_C is not set
      CONFIG_D=250\r
      CONFIG_E=-3
      CONFIG_F=0x1000000
      CONFIG_G=0xdead000000000000
      CONFIG_H="gcc (GCC) 15.3.0"
      CONFIG_I=""
      CONFIG_J="say \\"hi\\" \\\\ bye"

      CONFIG_K=n
      """
    let config = try KernelConfig(text: text)
    #expect(config["CONFIG_A"] == .tristate(.yes))
    #expect(config["CONFIG_B"] == .tristate(.module))
    #expect(config["CONFIG_C"] == .tristate(.no))
    #expect(config["CONFIG_D"] == .integer(250, text: "250"))
    #expect(config["CONFIG_E"] == .integer(-3, text: "-3"))
    #expect(config["CONFIG_F"] == .integer(0x100_0000, text: "0x1000000"))
    #expect(config["CONFIG_G"] == .integer(Int64(bitPattern: 0xdead_0000_0000_0000), text: "0xdead000000000000"))
    #expect(config["CONFIG_H"] == .string("gcc (GCC) 15.3.0"))
    #expect(config["CONFIG_I"] == .string(""))
    #expect(config["CONFIG_J"] == .string("say \"hi\" \\ bye"))
    #expect(config["CONFIG_K"] == .tristate(.no))
    #expect(config.values.count == 11)
  }

  @Test func rejectsMalformedValuesNamingThem() {
    for bad in ["CONFIG_X=yes", "CONFIG_X=\"open", "CONFIG_X=\"a\"b", "CONFIG_X=0xZZ", "CONFIG_X=1.5", "CONFIG_X="] {
      #expect(throws: KernelConfigError.self, "\(bad)") { try KernelConfig(text: bad, source: "test.config") }
    }
    do {
      _ = try KernelConfig(text: "CONFIG_X=yes", source: "test.config")
    } catch {
      #expect(error.description.contains("test.config"))
      #expect(error.description.contains("CONFIG_X"))
    }
  }

  @Test func readsGzipAndPlainFilesAlike() throws {
    guard let gzip = Toolchain.systemTool("gzip") else {
      if TestEnvironment.mustNotSkip { Issue.record("no gzip") }
      return
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swiftbpf-kconfig-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let plain = dir.appendingPathComponent("config")
    let text = "CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C=\"x\"\n"
    try text.write(to: plain, atomically: true, encoding: .utf8)
    #expect(try KernelConfig.readFile(plain.path) == text)
    let zipped = try runTool(gzip, ["-k", plain.path])
    #expect(zipped.status == 0)
    #expect(try KernelConfig.readFile(plain.path + ".gz") == text)
    let config = try KernelConfig.load(paths: [dir.appendingPathComponent("missing").path, plain.path + ".gz"])
    #expect(config["CONFIG_C"] == .string("x"))
    #expect(throws: KernelConfigError.notFound(tried: ["/nonexistent/a", "/nonexistent/b"])) {
      try KernelConfig.load(paths: ["/nonexistent/a", "/nonexistent/b"])
    }
    // A corrupt gzip stream is an error, not a crash.
    let corrupt = dir.appendingPathComponent("bad.gz")
    try Data([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff]).write(to: corrupt)
    #expect(throws: KernelConfigError.self) { try KernelConfig.readFile(corrupt.path) }
  }

  @Test func defaultPathsFollowUname() {
    #expect(KernelConfig.defaultPaths(release: "6.18.0") == ["/proc/config.gz", "/boot/config-6.18.0"])
  }

  @Test func overridesReplaceValues() throws {
    var config = try KernelConfig(text: "CONFIG_A=y")
    try config.override("CONFIG_A", with: "n")
    try config.override("CONFIG_NEW", with: "\"v\"")
    #expect(config["CONFIG_A"] == .tristate(.no))
    #expect(config["CONFIG_NEW"] == .string("v"))
    #expect(throws: KernelConfigError.self) { try config.override("CONFIG_A", with: "maybe") }
  }
}
