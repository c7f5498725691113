import Foundation
import Testing
import TestSupport
@testable import Syscall

/// What the C compiler says about kernel types: offsets and sizes from the
/// running kernel's BTF (dumped to C by bpftool), and constants from the
/// system's headers. Computed once per test run; every layout test reads it.
enum CompilerFacts {
  /// Why facts are missing. `broken` is false only when a tool or file the
  /// facts need is absent (a skip); a compiler, program or bpftool that ran
  /// and failed is `broken` and always fails the test.
  struct Unavailable: Error, CustomStringConvertible {
    let description: String
    var broken = false
  }

  /// `key -> value` lines printed by the generated programs.
  typealias Facts = [String: Int64]

  /// The compiler to use: the system `cc`, else the toolchain's clang.
  static var compiler: String? { Toolchain.systemTool("cc") ?? Toolchain.tool("clang") }

  /// Facts from the kernel's BTF, or why they are unavailable.
  static let kernel: Result<Facts, Unavailable> = computeKernelFacts()

  /// Facts from the system headers (errno, ioctl numbers, epoll), or why unavailable.
  static let system: Result<Facts, Unavailable> = computeSystemFacts()

  /// Returns the facts; when they are unavailable, cancels (skips) the test
  /// with the reason, or fails it when skipping is not allowed.
  static func require(_ result: Result<Facts, Unavailable>) throws -> Facts {
    switch result {
    case .success(let facts): return facts
    case .failure(let why):
      if why.broken {
        Issue.record("building or running the reference C program failed: \(why)")
        throw why
      }
      if TestEnvironment.mustNotSkip {
        Issue.record("compiler facts unavailable and skipping is not allowed: \(why)")
        throw why
      }
      try Test.cancel("skipped: \(why)")
    }
  }

  static func compileAndRun(_ source: String, includeDirectory: String?) -> Result<Facts, Unavailable> {
    guard let cc = compiler else { return .failure(Unavailable(description: "no C compiler (cc or clang)")) }
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("swiftbpf-syscall-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    do {
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      let file = dir.appendingPathComponent("facts.c")
      try source.write(to: file, atomically: true, encoding: .utf8)
      let binary = dir.appendingPathComponent("facts").path
      var args = ["-w", "-DBPF_NO_PRESERVE_ACCESS_INDEX", "-o", binary, file.path]
      if let includeDirectory { args = ["-I", includeDirectory] + args }
      let build = try runProcess(cc, args)
      guard build.status == 0 else {
        return .failure(Unavailable(
          description: "\(cc) failed (status \(build.status)): \(build.stderr.prefix(2000)) \(build.stdout.prefix(1000))",
          broken: true))
      }
      let run = try runProcess(binary, [])
      guard run.status == 0 else {
        return .failure(Unavailable(
          description: "facts program exited \(run.status): \(run.stderr.prefix(2000))", broken: true))
      }
      var facts = Facts()
      for line in run.stdout.split(separator: "\n") {
        guard let space = line.lastIndex(of: " "), let value = Int64(line[line.index(after: space)...])
        else { continue }
        facts[String(line[..<space])] = value
      }
      return .success(facts)
    } catch {
      return .failure(Unavailable(description: "running the compiler failed: \(error)", broken: true))
    }
  }

  /// The kernel types' layouts, from `bpftool btf dump file /sys/kernel/btf/vmlinux format c`.
  static func computeKernelFacts() -> Result<Facts, Unavailable> {
    guard let bpftool = Toolchain.systemTool("bpftool") else {
      return .failure(Unavailable(description: "bpftool not found"))
    }
    let btf = "/sys/kernel/btf/vmlinux"
    guard FileManager.default.isReadableFile(atPath: btf) else {
      return .failure(Unavailable(description: "\(btf) is not readable"))
    }
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("swiftbpf-vmlinux-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    do {
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      let dump = try runProcess(bpftool, ["btf", "dump", "file", btf, "format", "c"])
      guard dump.status == 0, dump.stdout.contains("union bpf_attr {") else {
        return .failure(Unavailable(description: "bpftool btf dump failed: \(dump.stderr.prefix(500))", broken: true))
      }
      try dump.stdout.write(to: dir.appendingPathComponent("vmlinux.h"), atomically: true, encoding: .utf8)
    } catch {
      return .failure(Unavailable(description: "bpftool failed: \(error)", broken: true))
    }
    return compileAndRun(kernelSource(), includeDirectory: dir.path)
  }

  static func key(_ type: String, _ member: String) -> String { "\(type)|\(member)" }

  static func kernelSource() -> String {
    var lines = ["#include \"vmlinux.h\"", "int printf(const char *, ...);",
                 "static void bit(const char *name, const void *p, unsigned long n) {",
                 "  const unsigned char *b = p; unsigned long first = 0, count = 0, i; int seen = 0;",
                 "  for (i = 0; i < n * 8; i++) if (b[i / 8] & (1u << (i % 8))) { if (!seen) first = i; seen = 1; count++; }",
                 "  printf(\"bit|%s %lu\\n\", name, first); printf(\"width|%s %lu\\n\", name, count); }",
                 "int main(void) {"]
    var layouts = BPFAttr.allLayouts
    layouts += [ProgramInfoLayout.layout, MapInfoLayout.layout, BTFInfoLayout.layout,
                LinkInfoLayout.layout, PerfEventAttrLayout.layout]
    var types = Set<String>()
    for layout in layouts {
      types.insert(layout.cType)
      for f in layout.fields where f.bit == nil {
        let k = key(layout.cType, f.cName)
        lines.append("  printf(\"off|\(k) %lu\\n\", (unsigned long)__builtin_offsetof(\(layout.cType), \(f.cName)));")
        lines.append("  printf(\"size|\(k) %lu\\n\", (unsigned long)sizeof(((\(layout.cType) *)0)->\(f.cName)));")
      }
    }
    for type in types.sorted() {
      lines.append("  printf(\"sizeof|\(type) %lu\\n\", (unsigned long)sizeof(\(type)));")
    }
    for member in ["batch", "test", "info", "query", "raw_tracepoint", "link_create", "link_update",
                   "link_detach", "enable_stats", "iter_create", "prog_bind_map"] {
      lines.append("  printf(\"sizeof|union bpf_attr|\(member) %lu\\n\", (unsigned long)sizeof(((union bpf_attr *)0)->\(member)));")
    }
    // Bit fields: set one, find which bit of the structure turned on.
    for (name, _) in PerfEventFlags.kernelNames {
      lines.append("  { struct perf_event_attr a; __builtin_memset(&a, 0, sizeof a); a.\(name) = 1; bit(\"\(name)\", &a, sizeof a); }")
    }
    lines.append("  { struct perf_event_attr a; __builtin_memset(&a, 0, sizeof a); a.precise_ip = 3; bit(\"precise_ip\", &a, sizeof a); }")
    lines.append("  { struct bpf_prog_info a; __builtin_memset(&a, 0, sizeof a); a.gpl_compatible = 1; bit(\"gpl_compatible\", &a, sizeof a); }")
    // Enumerators the kernel's BTF carries.
    var enums = BPFCommand.kernelNames
    enums += ["BPF_F_NO_PREALLOC", "BPF_F_NO_COMMON_LRU", "BPF_F_NUMA_NODE", "BPF_F_RDONLY",
              "BPF_F_WRONLY", "BPF_F_STACK_BUILD_ID", "BPF_F_ZERO_SEED", "BPF_F_RDONLY_PROG",
              "BPF_F_WRONLY_PROG", "BPF_F_CLONE", "BPF_F_MMAPABLE", "BPF_F_PRESERVE_ELEMS",
              "BPF_F_INNER_MAP", "BPF_F_LINK", "BPF_F_PATH_FD", "BPF_F_VTYPE_BTF_OBJ_FD",
              "BPF_F_TOKEN_FD", "BPF_F_SEGV_ON_FAULT", "BPF_F_NO_USER_CONV", "BPF_ANY",
              "BPF_NOEXIST", "BPF_EXIST", "BPF_F_LOCK", "BPF_STATS_RUN_TIME",
              "PERF_TYPE_HARDWARE", "PERF_TYPE_SOFTWARE", "PERF_TYPE_TRACEPOINT",
              "PERF_TYPE_HW_CACHE", "PERF_TYPE_RAW", "PERF_TYPE_BREAKPOINT",
              "PERF_COUNT_SW_CPU_CLOCK", "PERF_COUNT_SW_TASK_CLOCK", "PERF_COUNT_SW_BPF_OUTPUT",
              "PERF_SAMPLE_RAW", "BPF_PERF_EVENT_UNSPEC", "BPF_PERF_EVENT_UPROBE",
              "BPF_PERF_EVENT_URETPROBE", "BPF_PERF_EVENT_KPROBE", "BPF_PERF_EVENT_KRETPROBE",
              "BPF_PERF_EVENT_TRACEPOINT", "BPF_PERF_EVENT_EVENT"]
    for name in enums {
      lines.append("  printf(\"enum|\(name) %lld\\n\", (long long)\(name));")
    }
    lines.append("  return 0; }")
    return lines.joined(separator: "\n") + "\n"
  }

  /// Names of `#define`d constants to read from the system headers when defined.
  static let systemDefines: [String] = {
    var names = Errno.names.values.sorted()
    names += PerfIoctl.all.map(\.name)
    names += ["BPF_F_ALLOW_OVERRIDE", "BPF_F_ALLOW_MULTI", "BPF_F_REPLACE", "BPF_F_BEFORE",
              "BPF_F_AFTER", "BPF_F_ID", "BPF_F_STRICT_ALIGNMENT", "BPF_F_ANY_ALIGNMENT",
              "BPF_F_TEST_RND_HI32", "BPF_F_TEST_STATE_FREQ", "BPF_F_SLEEPABLE",
              "BPF_F_XDP_HAS_FRAGS", "BPF_F_XDP_DEV_BOUND_ONLY", "BPF_F_TEST_REG_INVARIANTS",
              "EPOLLIN", "EPOLLOUT", "EPOLLERR", "EPOLLHUP", "EPOLLET", "PERF_FLAG_FD_CLOEXEC",
              "AT_FDCWD"]
    return names
  }()

  static func computeSystemFacts() -> Result<Facts, Unavailable> {
    var lines = ["#include <errno.h>", "#include <stdio.h>", "#include <fcntl.h>",
                 "#include <sys/epoll.h>", "#include <linux/perf_event.h>", "#include <linux/bpf.h>",
                 "int main(void) {"]
    for name in systemDefines {
      lines.append("#ifdef \(name)\n  printf(\"define|\(name) %lld\\n\", (long long)(\(name)));\n#endif")
    }
    // Some of these are enumerators, not macros, in some headers: print them unconditionally.
    for name in ["EPOLLIN", "EPOLLOUT", "EPOLLERR", "EPOLLHUP", "EPOLLET", "EPOLLONESHOT"] {
      lines.append("  printf(\"define|\(name) %lld\\n\", (long long)(unsigned)(\(name)));")
    }
    lines.append("  return 0; }")
    return compileAndRun(lines.joined(separator: "\n") + "\n", includeDirectory: nil)
  }
}
