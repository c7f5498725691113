import BTF
import Foundation
import Testing
import TestSupport
import UAPI
@testable import Loader

/// Probes of the running kernel against sources that do not use our code:
/// `bpftool feature probe kernel` (its own probe loads), the kernel config
/// read by `zcat /proc/config.gz`, and the kinds `bpftool btf dump` finds
/// in the kernel's own BTF.
@Suite(.kernel) struct FeaturesKernelTests {
  /// `bpftool feature probe kernel` output, or nil (with an issue under CI).
  static func bpftoolProbe() throws -> String? {
    guard let bpftool = Toolchain.systemTool("bpftool") else {
      if TestEnvironment.mustNotSkip { Issue.record("bpftool is missing") }
      return nil
    }
    let result = try runTool(bpftool, ["feature", "probe", "kernel"])
    #expect(result.status == 0)
    return result.output
  }

  /// "eBPF <what> <name> is available" / "is NOT available" lines.
  static func availability(_ output: String, _ what: String) -> [String: Bool] {
    var result: [String: Bool] = [:]
    for line in output.split(separator: "\n") where line.hasPrefix("eBPF \(what) ") {
      let words = line.split(separator: " ")
      guard words.count >= 5 else { continue }
      result[String(words[2])] = !line.contains("NOT available")
    }
    return result
  }

  /// `zcat /proc/config.gz` as name → value text.
  static func zcatConfig() throws -> [String: String]? {
    guard FileManager.default.fileExists(atPath: "/proc/config.gz"), let zcat = Toolchain.systemTool("zcat") else {
      if TestEnvironment.mustNotSkip { Issue.record("no /proc/config.gz or zcat") }
      return nil
    }
    var config: [String: String] = [:]
    for line in try runTool(zcat, ["/proc/config.gz"]).output.split(separator: "\n") where !line.hasPrefix("#") {
      if let eq = line.firstIndex(of: "=") { config[String(line[..<eq])] = String(line[line.index(after: eq)...]) }
    }
    return config
  }

  @Test func mapTypesAgreeWithBpftool() throws {
    guard let output = try Self.bpftoolProbe() else { return }
    let bpftool = Self.availability(output, "map_type")
    #expect(bpftool.count >= 30, "bpftool listed \(bpftool.count) map types")
    let prober = FeatureProber(kernel: SystemProbeKernel())
    for (name, available) in bpftool {
      let type = try #require(MapType(kernelName: "BPF_MAP_TYPE_" + name.uppercased()), "\(name)")
      #expect(prober.supports(type) == available, "\(type): bpftool says \(available)")
    }
  }

  /// Types newer than bpftool 7.1. Whether the kernel allows one comes from
  /// a bare bpf(2) call (`RawBPFProbe`), not from the config: a build may
  /// compile a type in and still refuse it (the `v1300` build answers EPERM
  /// to every arena map). The config says which types the kernel was built
  /// with, so there a refusal must not be EINVAL ("no such type").
  @Test(arguments: [
    // kernel/bpf/Makefile: arena.o needs CONFIG_MMU and CONFIG_64BIT;
    // bpf_cgrp_storage.o needs CONFIG_CGROUPS.
    NewerType(name: "arena", map: .arena, configs: ["CONFIG_MMU", "CONFIG_64BIT"], raw: RawBPFProbe.arena),
    NewerType(name: "cgrp_storage", map: .cgrpStorage, configs: ["CONFIG_CGROUPS"], raw: RawBPFProbe.cgrpStorage),
    // net/netfilter/Makefile: nf_bpf_link.o needs CONFIG_NETFILTER_BPF_LINK.
    NewerType(name: "netfilter", program: .netfilter, configs: ["CONFIG_NETFILTER_BPF_LINK"]) {
      RawBPFProbe.program(type: RawBPFProbe.netfilterProgramType, expectedAttachType: RawBPFProbe.netfilterAttachType)
    },
    // kernel/bpf/Makefile: lirc_mode2 needs CONFIG_BPF_LIRC_MODE2.
    NewerType(name: "lirc_mode2", program: .lircMode2, configs: ["CONFIG_BPF_LIRC_MODE2"]) {
      RawBPFProbe.program(type: RawBPFProbe.lircMode2ProgramType)
    },
  ])
  func newerMapAndProgramTypesFollowTheKernel(_ type: NewerType) throws {
    let prober = FeatureProber(kernel: SystemProbeKernel())
    let answer = type.raw()
    #expect(type.supported(by: prober) == (answer == 0), "\(type.name): bpf(2) answered \(answer == 0 ? "success" : "errno \(answer)")")
    guard let config = try Self.zcatConfig() else { return }
    if type.configs.allSatisfy({ config[$0] == "y" }) {
      #expect(answer != EINVAL, "\(type.name) is built in (\(type.configs)), yet bpf(2) does not know it")
    } else {
      #expect(answer != 0, "\(type.name) is not built in (\(type.configs)), yet bpf(2) created it")
    }
  }

  /// A map or program type newer than bpftool 7.1, the config options that
  /// build it, and the independent bpf(2) probe of it (0 or an errno).
  struct NewerType: Sendable, CustomTestStringConvertible {
    var name: String
    var map: MapType? = nil
    var program: ProgramType? = nil
    var configs: [String]
    var raw: @Sendable () -> Int32

    var testDescription: String { name }

    func supported(by prober: FeatureProber) -> Bool {
      if let map { return prober.supports(map) }
      if let program { return prober.supports(program) }
      return false
    }
  }

  @Test func programTypesAgreeWithBpftool() throws {
    guard let output = try Self.bpftoolProbe() else { return }
    let bpftool = Self.availability(output, "program_type")
    #expect(bpftool.count >= 30, "bpftool listed \(bpftool.count) program types")
    let prober = FeatureProber(kernel: SystemProbeKernel())
    // bpftool 7.1 probes tracing, ext and lsm without a target BTF id, which
    // no kernel accepts, so it cannot tell; those are checked below.
    let needTarget: Set<String> = ["tracing", "ext", "lsm"]
    for (name, available) in bpftool where !needTarget.contains(name) {
      let type = try #require(ProgramType(kernelName: "BPF_PROG_TYPE_" + name.uppercased()), "\(name)")
      #expect(prober.supports(type) == available, "\(type): bpftool says \(available)")
    }
    for type in [ProgramType.tracing, .ext, .lsm] where !prober.supports(type) {
      // Refused, not unknown: the kernel names the refusal (EPERM here,
      // KERNEL.md: locked down).
      #expect(prober.refusal(of: type) != nil, "\(type)")
    }
  }

  /// Kinds the kernel's own BTF uses are kinds its BTF loader accepts.
  @Test func btfKindsInVmlinuxAreSupported() throws {
    guard let bpftool = Toolchain.systemTool("bpftool") else {
      if TestEnvironment.mustNotSkip { Issue.record("bpftool is missing") }
      return
    }
    let dump = try runTool(bpftool, ["btf", "dump", "file", "/sys/kernel/btf/vmlinux"])
    #expect(dump.status == 0)
    var kinds = Set<String>()
    for line in dump.output.split(separator: "\n") where line.hasPrefix("[") {
      let words = line.split(separator: " ", maxSplits: 2)
      if words.count >= 2 { kinds.insert(String(words[1])) }
    }
    #expect(kinds.contains("FUNC"))
    let support = try #require(FeatureProber(kernel: SystemProbeKernel()).btfSupport)
    for kind in BTF.Kind.allCases where kinds.contains(kind.kernelName) {
      #expect(support.kinds.contains(kind), "vmlinux uses \(kind)")
    }
  }

  /// Every feature whose first release is at or below this kernel's
  /// (`uname -r`) is found.
  @Test func featuresOfOlderReleasesArePresent() throws {
    let uname = try runTool("/bin/uname", ["-r"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    let running = uname.split(separator: ".").prefix(2).compactMap { Int($0.prefix(while: \.isNumber)) }
    try #require(running.count == 2, "uname -r: \(uname)")
    let prober = FeatureProber(kernel: SystemProbeKernel())
    var checked = 0
    for feature in KernelFeature.allCases {
      let minimum = feature.minimumKernel.dropFirst("Linux ".count).split(separator: ".").compactMap { Int($0) }
      #expect(minimum.count >= 2, "\(feature): unreadable minimum \(feature.minimumKernel)")
      if !running.lexicographicallyPrecedes(minimum) {
        #expect(prober.supports(feature), "\(feature) arrived in \(feature.minimumKernel); this is \(uname)")
        checked += 1
      }
    }
    #expect(checked > 0, "no feature is older than \(uname)")
  }

  /// Helpers: names from the kernel's `enum bpf_func_id` (its BTF);
  /// bpftool 7.1's per-type lists. That bpftool (libbpf 1.1) does not know
  /// the verifier's "program of this type cannot use helper" answer, so on
  /// this kernel its lists hold every helper: every helper we find must be
  /// in them, and helpers past the enum's end are never found. bpftool
  /// leaves out helpers newer than itself and, by default, the three that
  /// write to dmesg (trace_printk, trace_vprintk, probe_write_user): only
  /// helpers it lists for some type are compared.
  @Test func helpersAgreeWithBpftoolAndTheKernelsHelperEnum() throws {
    guard let output = try Self.bpftoolProbe(), let bpftool = Toolchain.systemTool("bpftool") else { return }
    let dump = try runTool(bpftool, ["btf", "dump", "file", "/sys/kernel/btf/vmlinux"]).output
    var helpers: [Int32: String] = [:]
    var inEnum = false
    for line in dump.split(separator: "\n") {
      if line.hasPrefix("[") { inEnum = line.contains("ENUM 'bpf_func_id'"); continue }
      guard inEnum, let open = line.firstIndex(of: "'"), let close = line.lastIndex(of: "'"), open < close,
        let value = line.split(separator: "=").last.flatMap({ Int32($0) })
      else { continue }
      let name = line[line.index(after: open)..<close]
      if name.hasPrefix("BPF_FUNC_") { helpers[value] = "bpf_" + name.dropFirst("BPF_FUNC_".count) }
    }
    let maxID = try #require(helpers.keys.max())
    #expect(maxID > 200)

    var lists: [String: Set<String>] = [:]
    var current: String? = nil
    for line in output.split(separator: "\n") {
      if line.hasPrefix("eBPF helpers supported for program type ") {
        current = String(line.dropFirst("eBPF helpers supported for program type ".count).dropLast())
      } else if let type = current, line.hasPrefix("\t- ") {
        lists[type, default: []].insert(String(line.dropFirst(3)))
      } else if !line.hasPrefix("\t") {
        current = nil
      }
    }
    let known = lists.values.reduce(into: Set<String>()) { $0.formUnion($1) }
    #expect(known.count > 150)
    let prober = FeatureProber(kernel: SystemProbeKernel())
    for name in ["socket_filter", "xdp", "tracepoint", "sched_cls", "cgroup_skb"] {
      let type = try #require(ProgramType(kernelName: "BPF_PROG_TYPE_" + name.uppercased()))
      let listed = try #require(lists[name], "bpftool lists no helpers for \(name)")
      var found = 0
      for (id, helper) in helpers where id > 0 && prober.supports(helper: id, in: type) {
        found += 1
        let agrees = !known.contains(helper) || listed.contains(helper)
        #expect(agrees, "we find \(helper) for \(name); bpftool does not list it there")
      }
      #expect(found > 10, "\(name): \(found) helpers")
      #expect(!prober.supports(helper: maxID + 1, in: type))
      #expect(prober.supports(helper: 1, in: type), "bpf_map_lookup_elem is a base helper")
    }
    // bpf-helpers(7): bpf_xdp_adjust_head is for XDP programs.
    #expect(helpers[44] == "bpf_xdp_adjust_head")
    #expect(prober.supports(helper: 44, in: .xdp))
    #expect(!prober.supports(helper: 44, in: .socketFilter))
  }

  @Test func systemProberIsShared() {
    let a = KernelFeatures.probe()
    let b = KernelFeatures.probe()
    #expect(a.mapTypes == b.mapTypes)
    #expect(a.helperProber === FeatureProber.system)
    #expect(a.supports(MapType.hash))
  }
}
