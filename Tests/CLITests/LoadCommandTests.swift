import Foundation
import Testing
import TestSupport

/// `swiftbpf load`: its JSON contract, and what it reports for objects that
/// load, objects the verifier rejects and objects that load only in part.
/// Expected values come from the fixtures' headers, Fixtures/README.md and
/// bpftool (libbpf) loading the same object.
@Suite("swiftbpf load", .serialized)
struct LoadCommandTests {
  @Test("a missing file is a typed error, without privileges too")
  func missingFile() throws {
    let run = try swiftbpf(["load", "--json", "/nonexistent/x.bpf.o"])
    #expect(run.status != 0)
    let error = try #require(try jsonObject(run.stdout)["error"] as? [String: Any])
    #expect(error["kind"] as? String == "LoadError.open")
    #expect((error["message"] as? String)?.contains("/nonexistent/x.bpf.o") == true)
  }

  @Test("every program of programs.bpf.o loads, with libbpf's translated sizes", .kernel)
  func loadsPrograms() throws {
    let object = Fixture.object("programs.bpf.o")
    let run = try swiftbpf(["load", "--json", object.path])
    #expect(run.status == 0, "\(run.stderr)")
    let json = try jsonObject(run.stdout)
    let programs = try #require(json["programs"] as? [[String: Any]])
    // programs.bpf.c's header, in object order.
    #expect(programs.compactMap { $0["name"] as? String }
            == ["xdp_pass", "xdp_drop", "xdp_dispatch", "test_subprogs", "count_packets", "count_bytes"])
    #expect(programs.allSatisfy { $0["loaded"] as? Bool == true && $0["error"] is NSNull })
    #expect(programs.first?["type"] as? String == "BPF_PROG_TYPE_XDP")
    let maps = try #require(json["maps"] as? [[String: Any]])
    #expect(maps.compactMap { $0["name"] as? String } == ["jump_table", "programs.bss"])
    #expect(maps.allSatisfy { ($0["id"] as? Int ?? 0) > 0 })
    #expect(maps.first?["type"] as? String == "BPF_MAP_TYPE_PROG_ARRAY")
    // bpftool (libbpf 1.1) loading the same object reports the same sizes.
    guard let bpftool = Toolchain.systemTool("bpftool") else {
      if TestEnvironment.mustNotSkip { Issue.record("bpftool missing") }
      return
    }
    let dir = "/sys/fs/bpf/swiftbpf-cli-\(getpid())"
    try #require(mkdir(dir, 0o700) == 0)
    defer {
      for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] { unlink("\(dir)/\(name)") }
      rmdir(dir)
    }
    try #require(try runProcess(bpftool, ["prog", "loadall", object.path, dir]).status == 0)
    for program in programs {
      let name = try #require(program["name"] as? String)
      let show = try runProcess(bpftool, ["prog", "show", "pinned", "\(dir)/\(name)", "--json"])
      let info = try jsonObject(show.stdout)
      #expect((info["bytes_xlated"] as? Int).map { $0 / 8 } == program["xlatedInstructions"] as? Int, "\(name)")
      #expect((program["jitedBytes"] as? Int ?? 0) > 0)
    }
  }

  @Test("verifier errors name the source line; the exit status says it failed", .kernel)
  func verifierErrors() throws {
    let run = try swiftbpf(["load", "--json", Fixture.object("err_verifier.bpf.o").path])
    #expect(run.status != 0)
    let programs = try #require(try jsonObject(run.stdout)["programs"] as? [[String: Any]])
    let byName = Dictionary(uniqueKeysWithValues: programs.compactMap { p in (p["name"] as? String).map { ($0, p) } })
    // err_verifier.bpf.c's header: lines 39 and 48.
    for (name, line) in [("null_deref", 39), ("packet_oob", 48)] {
      let program = try #require(byName[name])
      #expect(program["loaded"] as? Bool == false)
      #expect(program["xlatedInstructions"] is NSNull)
      #expect((program["error"] as? String)?.contains("err_verifier.bpf.c:\(line)") == true, "\(name)")
    }
    let text = try swiftbpf(["load", Fixture.object("err_verifier.bpf.o").path])
    #expect(text.status != 0)
    #expect(text.stdout.contains("R0 invalid mem access 'map_value_or_null'"))
  }

  @Test("one refused program does not hide the others", .kernel)
  func partialLoad() throws {
    let run = try swiftbpf(["load", "--json", Fixture.object("sections.bpf.o").path])
    #expect(run.status != 0)
    let programs = try #require(try jsonObject(run.stdout)["programs"] as? [[String: Any]])
    let failed = Set(programs.filter { $0["loaded"] as? Bool == false }.compactMap { $0["name"] as? String })
    // Fixtures/README.md: on this kernel every autoload program loads alone
    // except fentry/fexit/fmod_ret (and .s), freplace, lsm, lsm.s,
    // lsm_cgroup, lirc_mode2 and the struct_ops programs without a map.
    #expect(failed == ["fentry_unlinkat", "fexit_unlinkat", "fmod_ret_test", "fentry_sleepable", "fexit_sleepable",
                       "fmod_ret_sleepable", "freplace_handler", "lsm_file_open", "lsm_sleepable", "lsm_cgroup_bind",
                       "lirc_mode2_prog", "struct_ops_op", "struct_ops_sleepable"])
    // 97 programs, one not autoloaded (tp_not_autoloaded).
    #expect(programs.count == 96)
    #expect(!programs.contains { $0["name"] as? String == "tp_not_autoloaded" })
    let fentry = programs.first { $0["name"] as? String == "fentry_unlinkat" }
    #expect((fentry?["error"] as? String)?.contains("EPERM") == true)
  }
}
