import Foundation
import Testing
import TestSupport

/// Every example, run for real as root for a bounded time: it must see at
/// least one event or count, exit 0, and leave no BPF link behind — or, for
/// the attach kinds this kernel refuses (as bpftool or the kernel's PMU
/// list independently say), exit 1 with the loader's clear error.
@Suite(.serialized) struct ExampleRunTests {
  @Test(.kernel, arguments: ExampleCase.all) func exampleRuns(_ example: ExampleCase) async throws {
    _ = try ExamplesBuild.requirements()
    let bpftool = try RunSupport.bpftool()
    let built = try await ExamplesBuild.shared.built()
    let executable = built.executable(example.name).path

    let network: TestNetwork? = example.needsInterface ? try TestNetwork() : nil
    defer { network?.close() }
    var arguments = ["--duration", "3"]
    if let network { arguments.insert(network.outside, at: 0) }
    if example.name == "xdp", let network { arguments += ["--drop", network.insideAddress] }

    let linksBefore = try RunSupport.linkIDs(bpftool)
    let trigger = Trigger()
    let run = try await runCollectingOutput(executable, arguments) { _ in
      trigger.start(example: example, network: network)
    }
    trigger.stop()

    let expectRefusal = try example.refusal.map { try $0.kernelRefuses(built: built, bpftool: bpftool) } ?? false
    if let refusal = example.refusal, expectRefusal {
      #expect(run.status == 1, "\(example.name) should exit 1 on this kernel:\n\(run.output)")
      #expect(run.output.contains(refusal.message), "\(example.name): expected '\(refusal.message)' in:\n\(run.output)")
      return
    }
    #expect(run.status == 0, "\(example.name) failed:\n\(run.output)")
    #expect(example.sawSomething(run.output), "\(example.name) saw nothing:\n\(run.output)")

    // The example is gone, so are its links: none of the new links runs
    // one of its programs.
    let left = try RunSupport.linkIDs(bpftool).subtracting(linksBefore)
    let leftover = try left.filter { try example.programs.contains(RunSupport.programName(ofLink: $0, bpftool)) }
    #expect(leftover.isEmpty, "\(example.name) left links \(leftover)")
    if let network {
      #expect(!(try network.hasXDPProgram()), "an XDP program is still attached to \(network.outside)")
    }
  }
}

/// What one example needs and must show.
struct ExampleCase: Sendable, CustomTestStringConvertible {
  let name: String
  /// Its programs' names (as the kernel keeps them: 15 characters at most).
  let programs: Set<String>
  var needsInterface = false
  /// What it prints when it saw something: (text after which a count
  /// follows, or text that must appear).
  let evidence: Evidence
  /// For attach kinds a kernel may refuse: how to tell and what it says.
  var refusal: Refusal?

  var testDescription: String { name }

  enum Evidence: Sendable {
    case countAfter(String)
    case countBefore(String)
    case text(String)
  }

  func sawSomething(_ output: String) -> Bool {
    switch evidence {
    case .text(let text): output.contains(text)
    case .countAfter(let prefix): RunSupport.numbers(in: output, after: prefix).contains { $0 > 0 }
    case .countBefore(let suffix): RunSupport.numbers(in: output, before: suffix).contains { $0 > 0 }
    }
  }

  enum Refusal: Sendable {
    /// fentry/fexit: does libbpf (bpftool) load the example's own object?
    case trampolines
    /// ksyscall: is there a kprobe PMU?
    case kprobes

    var message: String {
      switch self {
      case .trampolines: "refuses BPF_PROG_TYPE_TRACING"
      case .kprobes: "kprobes are not available"
      }
    }

    func kernelRefuses(built: ExamplesBuild.Built, bpftool: String) throws -> Bool {
      switch self {
      case .kprobes:
        return !FileManager.default.fileExists(atPath: "/sys/bus/event_source/devices/kprobe")
      case .trampolines:
        let object = built.pluginOutputs("fentry").appendingPathComponent("fentry.bpf.o").path
        let pin = "/sys/fs/bpf/swiftbpf-fentry-probe-\(getpid())"
        let result = try runProcess(bpftool, ["prog", "load", object, pin])
        unlink(pin)
        return result.status != 0
      }
    }
  }

  static let all: [ExampleCase] = [
    ExampleCase(name: "minimal", programs: ["count_write"], evidence: .countBefore(" write() calls")),
    ExampleCase(name: "bootstrap", programs: ["trace_exec", "trace_exit"], evidence: .text("EXEC  true")),
    ExampleCase(name: "uprobe", programs: ["add_entry", "add_return"], evidence: .countAfter("return probe: ")),
    ExampleCase(name: "usdt", programs: ["on_example_tick"], evidence: .countAfter("BPF saw ")),
    ExampleCase(name: "tc", programs: ["count_ingress"], needsInterface: true, evidence: .countBefore(" packets,")),
    ExampleCase(name: "xdp", programs: ["xdp_filter"], needsInterface: true, evidence: .countAfter(", dropped ")),
    ExampleCase(name: "fentry", programs: ["unlink_entry", "unlink_exit"], evidence: .countAfter("entered "),
                refusal: .trampolines),
    ExampleCase(name: "ksyscall", programs: ["kill_entry", "kill_exit"], evidence: .countAfter("kill entered "),
                refusal: .kprobes),
    ExampleCase(name: "profile", programs: ["on_sample"], evidence: .countBefore(" samples;")),
  ]
}
