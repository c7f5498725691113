import Glibc
import Synchronization
import Testing
import TestSupport
import UAPI
@testable import ELFReader

/// The system's libbpf (Debian: 1.1.2), opened with `dlopen` as an
/// independent oracle for the section names it knows. Nothing links it: the
/// package stays free of libbpf; these tests skip when it is missing, and
/// fail then under CI / SWIFTBPF_REQUIRE_KERNEL=1.
final class SystemLibbpf: Sendable {
  typealias TypeByName = @convention(c) (
    UnsafePointer<CChar>?, UnsafeMutablePointer<UInt32>?, UnsafeMutablePointer<UInt32>?
  ) -> Int32
  typealias AttachTypeByName = @convention(c) (UnsafePointer<CChar>?, UnsafeMutablePointer<UInt32>?) -> Int32
  /// `libbpf_print_fn_t`. Its `va_list` arrives as a pointer on x86_64 (an
  /// array type that decays), which is the only place `rowNames()` runs.
  typealias PrintFunction = @convention(c) (UInt32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Int32
  typealias SetPrint = @convention(c) (PrintFunction?) -> PrintFunction?

  static let shared: SystemLibbpf? = SystemLibbpf()

  private let typeByName: TypeByName
  private let attachTypeByName: AttachTypeByName
  private let setPrint: SetPrint

  private init?() {
    guard let handle = dlopen("libbpf.so.1", RTLD_NOW | RTLD_LOCAL),
      let a = dlsym(handle, "libbpf_prog_type_by_name"),
      let b = dlsym(handle, "libbpf_attach_type_by_name"),
      let c = dlsym(handle, "libbpf_set_print")
    else { return nil }
    typeByName = unsafeBitCast(a, to: TypeByName.self)
    attachTypeByName = unsafeBitCast(b, to: AttachTypeByName.self)
    setPrint = unsafeBitCast(c, to: SetPrint.self)
  }

  /// `libbpf_prog_type_by_name`: program type and expected attach type (0 =
  /// none), or nil when libbpf knows no row for the name.
  func types(of name: String) -> (program: UInt32, attach: UInt32)? {
    var program: UInt32 = 0
    var attach: UInt32 = 0
    return typeByName(name, &program, &attach) == 0 ? (program, attach) : nil
  }

  /// `libbpf_attach_type_by_name`: succeeds only for rows marked attachable.
  func attachableType(of name: String) -> UInt32? {
    var attach: UInt32 = 0
    return attachTypeByName(name, &attach) == 0 ? attach : nil
  }

  /// libbpf's own list of its rows, as it prints it at debug level when a
  /// name is unknown ("supported section(type) names are: socket kprobe+ ...").
  /// Nil where `va_list` is not a plain pointer (not x86_64).
  func rowNames() -> [String]? {
    #if arch(x86_64)
    Self.messages.withLock { $0.removeAll() }
    let previous = setPrint { _, format, arguments in
      guard let arguments else { return 0 }
      var buffer = [CChar](repeating: 0, count: 16384)
      _ = vsnprintf(&buffer, buffer.count, format, CVaListPointer(_fromUnsafeMutablePointer: arguments))
      let line = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
      SystemLibbpf.messages.withLock { $0.append(line) }
      return 0
    }
    _ = types(of: "swiftbpf-no-such-section")
    _ = setPrint(previous)
    let marker = "supported section(type) names are:"
    guard let line = Self.messages.withLock({ $0.first(where: { $0.contains(marker) }) }),
      let range = line.range(of: marker)
    else { return [] }
    return line[range.upperBound...].split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
    #else
    return nil
    #endif
  }

  private static let messages = Mutex<[String]>([])
}

@Suite("Section names: against the system libbpf", .serialized,
  .enabled(if: SystemLibbpf.shared != nil || TestEnvironment.mustNotSkip,
    "libbpf.so.1 not found (apt-get install libbpf1); CI=true makes this fail"))
struct SectionNameLibbpfTests {
  /// Rows libbpf gained after 1.1 (the names of `newerSections`).
  static let newerRows = Set(newerSections.map(\.section))

  @Test("libbpf's own row list matches the table (rows newer than it aside)")
  func sameRows() throws {
    let libbpf = try #require(SystemLibbpf.shared)
    guard let theirs = libbpf.rowNames() else { return }  // not x86_64: sameTypes covers the rows
    try #require(theirs.count > 50, "libbpf printed no row list")
    let ours = SectionDefinition.all.map(\.description)
    #expect(Set(theirs).subtracting(ours).isEmpty, "rows libbpf has and we lack")
    let unexplained = Set(ours).subtracting(theirs).subtracting(Self.newerRows)
    #expect(unexplained.isEmpty, "rows neither in libbpf nor among the newer ones")
  }

  @Test("each row libbpf knows has libbpf's program and attach type and attachable flag")
  func sameTypes() throws {
    let libbpf = try #require(SystemLibbpf.shared)
    for row in SectionDefinition.all {
      guard let theirs = libbpf.types(of: row.name) else {
        #expect(Self.newerRows.contains(row.description), "libbpf rejects \(row.name)")
        continue
      }
      let section = try ProgramSection.parse(row.name)
      #expect(section.programType.rawValue == theirs.program, "\(row.name)")
      #expect((section.expectedAttachType?.rawValue ?? 0) == theirs.attach, "\(row.name)")
      let attachable = libbpf.attachableType(of: row.name)
      #expect(section.flags.contains(.attachable) == (attachable != nil), "\(row.name)")
      if let attachable { #expect((section.expectedAttachType?.rawValue ?? 0) == attachable, "\(row.name)") }
    }
  }

  @Test("libbpf and the matcher accept and reject the same names")
  func sameAcceptance() throws {
    let libbpf = try #require(SystemLibbpf.shared)
    let names = targetCases.map(\.section) + malformedTargets + [
      "xdp/foo", "socket/x", "tc/foo", "tcx", "sk_skb/foo", "cgroup/connect4/x", "cgroup/foo",
      "kprobe_foo", "kprobex/do_exit", "kprobe.multix", "uprobe.sx", "kprobe.s/do_exit",
      "xdp.frags/foo", "syscall.s", "", "/", "KPROBE/do_exit", " kprobe", "kprobe ", "license",
      "kprobe/", "fentry/", "tp/", "uprobe/", "usdt/",
    ]
    for name in names {
      let ours = try? ProgramSection.parse(name)
      if let theirs = libbpf.types(of: name) {
        let section = try #require(ours, "libbpf accepts \(name), we do not")
        #expect(section.programType.rawValue == theirs.program, "\(name)")
        #expect((section.expectedAttachType?.rawValue ?? 0) == theirs.attach, "\(name)")
      } else if let ours {
        #expect(Self.newerRows.contains(ours.definition.description), "we accept \(name), libbpf does not")
      }
    }
  }
}
