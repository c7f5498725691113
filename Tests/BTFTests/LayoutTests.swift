import Foundation
import Testing
import TestSupport
@testable import BTF

/// Sizes, alignments and member paths of vmlinux types against clang:
/// bpftool writes vmlinux.h from the kernel's BTF, clang compiles a host
/// program printing `sizeof`, `_Alignof` and `offsetof` from it.
@Suite struct LayoutTests {
  /// Not `struct inode`: bpftool 7.1 (libbpf 1.1) writes the 1-byte
  /// `enum rw_hint` without `__packed`, so clang lays inode out 8 bytes
  /// larger than the kernel did; its raw size/offsets are checked against
  /// bpftool's raw dump in VmlinuxTests instead.
  static let types = [
    "struct task_struct", "struct mm_struct", "struct sk_buff", "struct file",
    "struct list_head", "union bpf_attr", "struct bpf_prog", "struct rq", "struct page",
    "struct xdp_md", "struct bpf_map", "struct tcp_sock", "struct sock", "struct bpf_prog_info",
  ]
  /// (C type, member designator, our path from that type).
  static let paths: [(String, String, String)] = [
    ("struct task_struct", "mm", "mm"),
    ("struct task_struct", "pid", "pid"),
    ("struct task_struct", "comm[3]", "comm[3]"),
    ("struct task_struct", "thread_info.flags", "thread_info.flags"),
    ("struct mm_struct", "arg_start", "arg_start"),
    ("struct sk_buff", "len", "len"),
    ("struct sk_buff", "dev", "dev"),
    ("struct file", "f_inode", "f_inode"),
    ("struct bpf_prog", "aux", "aux"),
    ("struct list_head", "prev", "prev"),
    ("union bpf_attr", "prog_type", "prog_type"),
    ("struct bpf_prog_info", "nr_jited_ksyms", "nr_jited_ksyms"),
  ]

  /// clang's answers, one line per query (sizes/alignments then offsets), or
  /// why there are none: a missing tool or vmlinux BTF is a skip, while a
  /// header dump, build or run that fails is a failure.
  enum ClangAnswers {
    case answers([String])
    case missing(String)
    case failed(String)
  }

  struct ReferenceProgramFailed: Error, CustomStringConvertible {
    let description: String
  }

  static let clangAnswers: ClangAnswers = {
    guard Bpftool.hasVmlinux, let bpftool = Bpftool.path, let clang = Toolchain.tool("clang") else {
      return .missing("vmlinux BTF, bpftool or clang missing")
    }
    let dir: URL
    do { dir = try FixtureBTF.temporaryDirectory() } catch { return .failed("temporary directory: \(error)") }
    defer { try? FileManager.default.removeItem(at: dir) }
    var program = "#include \"vmlinux.h\"\nint printf(const char *, ...);\nint main(void) {\n"
    for t in types { program += "  printf(\"%zu %zu\\n\", sizeof(\(t)), _Alignof(\(t)));\n" }
    for (t, member, _) in paths { program += "  printf(\"%zu\\n\", __builtin_offsetof(\(t), \(member)));\n" }
    program += "  return 0;\n}\n"
    let source = dir.appendingPathComponent("layout.c"), binary = dir.appendingPathComponent("layout")
    do {
      let header = try runProcess(bpftool, ["btf", "dump", "file", Bpftool.vmlinux, "format", "c"])
      guard header.status == 0 else {
        return .failed("bpftool btf dump exited \(header.status): \(header.stderr.prefix(1000))")
      }
      try header.stdout.write(to: dir.appendingPathComponent("vmlinux.h"), atomically: true, encoding: .utf8)
      try program.write(to: source, atomically: true, encoding: .utf8)
      let build = try runProcess(clang, ["-w", "-o", binary.path, source.path])
      guard build.status == 0 else {
        return .failed("clang exited \(build.status): \(build.stderr.prefix(2000))")
      }
      let run = try runProcess(binary.path, [])
      guard run.status == 0 else { return .failed("layout program exited \(run.status): \(run.stderr.prefix(1000))") }
      return .answers(run.stdout.split(separator: "\n").map(String.init))
    } catch {
      return .failed("running the tools failed: \(error)")
    }
  }()

  /// The answers; nil (a skip) only when a tool is missing and skipping is
  /// allowed. A failed build or run fails the test.
  static func answers() throws -> [String]? {
    switch clangAnswers {
    case .answers(let answers):
      return answers
    case .missing(let why):
      #expect(!TestEnvironment.mustNotSkip, "\(why)")
      return nil
    case .failed(let why):
      Issue.record("the clang reference program failed: \(why)")
      throw ReferenceProgramFailed(description: why)
    }
  }

  /// "struct task_struct" → the BTF id of STRUCT task_struct.
  static func id(_ btf: BTF, _ cType: String) throws -> BTF.TypeID {
    let parts = cType.split(separator: " ")
    return try btf.type(named: String(parts[1]), kind: parts[0] == "union" ? .union : .struct)
  }

  @Test func sizesAndAlignmentsMatchClang() throws {
    guard let answers = try Self.answers(), let btf = try VmlinuxTests.vmlinux() else { return }
    for (index, cType) in Self.types.enumerated() {
      let id = try Self.id(btf, cType)
      let ours = "\(try btf.size(of: id)) \(try btf.alignment(of: id))"
      #expect(ours == answers[index], "\(cType)")
    }
  }

  @Test func memberPathsMatchClangOffsetof() throws {
    guard let answers = try Self.answers(), let btf = try VmlinuxTests.vmlinux() else { return }
    for (index, (cType, _, path)) in Self.paths.enumerated() {
      let field = try btf.field(path, in: Self.id(btf, cType))
      #expect("\(field.byteOffset)" == answers[Self.types.count + index], "\(cType).\(path)")
      #expect(field.dereferences == 0)
    }
  }

  @Test func pathThroughAPointerRestartsAtThePointee() throws {
    guard let answers = try Self.answers(), let btf = try VmlinuxTests.vmlinux() else { return }
    let field = try btf.field("task_struct.mm.arg_start")
    // offsetof(struct mm_struct, arg_start), the 5th path above.
    #expect("\(field.byteOffset)" == answers[Self.types.count + 4])
    #expect(field.dereferences == 1)
    #expect(field.container == (try btf.type(named: "mm_struct", kind: .struct)))
    #expect(throws: BTFError.self) { try btf.field("task_struct.no_such_member") }
    #expect(throws: BTFError.typeNotFound(name: "no_such_struct")) { try btf.field("no_such_struct.x") }
  }

  @Test func bitfieldPathsReportWidth() throws {
    // Hand-built: struct pair { int a; int b:3 @ bit 32 } (see ParserTests).
    let btf = try BTF(bytes: ParserTests.allKinds(.little).bytes())
    let field = try btf.field("pair.b")
    #expect(field.bitOffset == 32 && field.bitfieldSize == 3 && field.byteOffset == 4)
    #expect(try btf.field("td.a").bitOffset == 0)  // through the typedef td -> pair
  }
}
