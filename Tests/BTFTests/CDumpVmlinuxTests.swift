import Foundation
import Testing
import TestSupport
@testable import BTF

/// The header written from this machine's kernel BTF, compiled by clang for
/// the BPF target: clang's layout of every named struct and union, every
/// named enum and every typedef must be the kernel's (sizes, member offsets
/// from `/sys/kernel/btf/vmlinux`, cross-checked against bpftool's dump).
@Suite struct CDumpVmlinuxTests {
  static func vmlinux() throws -> BTF? {
    guard Bpftool.hasVmlinux else {
      #expect(!TestEnvironment.mustNotSkip, "/sys/kernel/btf/vmlinux missing")
      return nil
    }
    return try BTF(contentsOf: Bpftool.vmlinux)
  }

  @Test func vmlinuxHeaderHasTheKernelsLayout() throws {
    guard let btf = try Self.vmlinux(), CDumpCheck.clangAvailable() else { return }
    let (header, writer) = try CDumpCheck.header(btf)
    let (source, counts) = try CDumpCheck.assertions(btf, writer)
    // Every named struct and union of the kernel is asserted.
    var named = 0
    for raw in btf.allTypeIDs {
      switch try btf[BTF.TypeID(raw)] {
      case .struct(let c), .union(let c): if !c.name.isAnonymous { named += 1 }
      default: break
      }
    }
    #expect(counts.sizes == named)
    #expect(counts.offsets > 50_000)
    #expect(counts.enums > 1_000)
    // Enums of 1, 2 or 8 bytes name their underlying type (a plain enum of
    // small values is 4 bytes: `struct inode` holds a 1-byte `rw_hint`).
    var oddSized = 0
    for raw in btf.allTypeIDs {
      let id = BTF.TypeID(raw)
      switch try btf[id] {
      case .enum(let e), .enum64(let e):
        guard e.size != 4, !e.name.isAnonymous, let name = writer.names[Int(raw)] else { continue }
        oddSized += 1
        #expect(header.contains("enum \(name) : "), "enum \(name) of \(e.size) bytes")
      default: continue
      }
    }
    #expect(oddSized > 0)
    let (status, messages) = try CDumpCheck.compile(header: header, source: source)
    #expect(status == 0, "clang -target bpf rejected the header or a layout assert:\n\(CDumpCheck.excerpt(messages))")
  }

  @Test func vmlinuxHeaderBuildsAnObject() throws {
    guard let btf = try Self.vmlinux(), CDumpCheck.clangAvailable() else { return }
    let header = try BTF.CHeader.render(btf)
    let source = """
      #include "header.h"
      struct task_struct *last;
      int probe(struct task_struct *t) { last = t; return t->pid; }
      """
    let (status, messages) = try CDumpCheck.compile(header: header, source: source, syntaxOnly: false)
    #expect(status == 0, "\(CDumpCheck.excerpt(messages))")
  }

  /// The numbers the asserts use are the parser's reading of the kernel's
  /// BTF; bpftool (libbpf's parser) must read the same for a sample.
  @Test func assertedNumbersMatchBpftool() throws {
    guard let btf = try Self.vmlinux() else { return }
    guard let dump = Bpftool.vmlinuxDump else {
      #expect(!TestEnvironment.mustNotSkip, "bpftool missing")
      return
    }
    // Index of "[id] STRUCT/UNION ..." lines.
    var lineOf = [UInt32: Int]()
    for (i, line) in dump.enumerated() where line.hasPrefix("[") && (line.contains("] STRUCT ") || line.contains("] UNION ")) {
      if let id = UInt32(line.dropFirst().prefix { $0 != "]" }) { lineOf[id] = i }
    }
    var checked = 0
    for raw in btf.allTypeIDs where raw % 37 == 0 || raw % 1000 == 1 {
      let id = BTF.TypeID(raw)
      guard case .struct(let c) = try btf[id] else {
        if case .union(let c) = try btf[id] { try compare(btf, c, dump, lineOf[raw]) ; checked += 1 }
        continue
      }
      try compare(btf, c, dump, lineOf[raw])
      checked += 1
    }
    #expect(checked > 300)
  }

  func compare(_ btf: BTF, _ c: BTF.Composite, _ dump: [Substring], _ line: Int?) throws {
    guard let line else {
      Issue.record("bpftool has no STRUCT/UNION line for [\(c.id.rawValue)]")
      return
    }
    #expect(Bpftool.value(of: "size", in: dump[line]).flatMap { Int($0) } == Int(c.size))
    for (i, member) in try btf.members(of: c.id).enumerated() {
      let text = dump[line + 1 + i]
      #expect(Bpftool.value(of: "bits_offset", in: text).flatMap { Int($0) } == Int(member.bitOffset),
              "[\(c.id.rawValue)] member \(i)")
      #expect((Bpftool.value(of: "bitfield_size", in: text).flatMap { Int($0) } ?? 0) == Int(member.bitfieldSize))
    }
  }

  /// The whole vmlinux renders as a C header and as a raw dump (the times are
  /// printed for a reader; no timing is asserted).
  @Test func rendersTheWholeKernel() throws {
    guard let btf = try Self.vmlinux() else { return }
    let clock = ContinuousClock()
    var header = ""
    let elapsed = try clock.measure { header = try BTF.CHeader.render(btf) }
    var raw = ""
    let rawElapsed = try clock.measure { raw = try BTF.RawDump.render(btf) }
    print("vmlinux: C header \(elapsed), raw dump \(rawElapsed)")
    #expect(header.count > 1_000_000)
    #expect(raw.count > 1_000_000)
  }

  /// `types:` writes the named types and what they need, and nothing else.
  @Test func subsetHasTaskStructAndItsDependencies() throws {
    guard let btf = try Self.vmlinux(), CDumpCheck.clangAvailable() else { return }
    let id = try btf.type(named: "task_struct", kind: .struct)
    let (header, writer) = try CDumpCheck.header(btf, roots: [id])
    #expect(header.contains("struct task_struct {"))
    #expect(!header.contains("struct bpf_prog_aux {"), "task_struct does not hold bpf_prog_aux by value")
    let (source, counts) = try CDumpCheck.assertions(btf, writer, ids: [id])
    #expect(counts.offsets > 100)
    let (status, messages) = try CDumpCheck.compile(header: header, source: source)
    #expect(status == 0, "\(CDumpCheck.excerpt(messages))")
    #expect(throws: BTFError.typeNotFound(name: "no_such_type_here")) {
      try BTF.CHeader.render(btf, types: ["no_such_type_here"])
    }
  }
}

extension CDumpVmlinuxTests {
  /// Bit-fields have no offsetof: clang's BTF of a global of every named
  /// struct and union of the header that holds bit-fields (itself or in an
  /// anonymous member) says where clang put every member, bit offsets and
  /// widths included; they must be the kernel's. (All structs would take
  /// clang 12 s of CPU; the others are covered by the offsetof asserts.)
  @Test func clangsBTFOfTheHeaderIsTheKernels() throws {
    guard let btf = try Self.vmlinux(), CDumpCheck.clangAvailable(), FixtureBTF.toolsAvailable() else { return }
    let (header, writer) = try CDumpCheck.header(btf)
    func hasBitfields(_ id: BTF.TypeID, depth: Int = 0) throws -> Bool {
      guard depth < 16 else { return false }
      for member in try btf.members(of: id) {
        if member.bitfieldSize != 0 { return true }
        if member.name.isAnonymous {
          let k = try btf.kind(of: member.type)
          if (k == .struct || k == .union), try hasBitfields(member.type, depth: depth + 1) { return true }
        }
      }
      return false
    }
    var ids = [BTF.TypeID]()
    for raw in btf.allTypeIDs {
      let id = BTF.TypeID(raw)
      let k = try btf.kind(of: id)
      if (k == .struct || k == .union), !(try btf.name(of: id)).isAnonymous, try hasBitfields(id) { ids.append(id) }
    }
    #expect(ids.count > 200)
    switch try CDumpCheck.compiledBTF(header: header, source: try CDumpCheck.globals(btf, writer, ids: ids)) {
    case .success(let bytes):
      let rebuilt = try BTF(bytes: bytes)
      let problems = try CDumpCheck.compareLayouts(btf, writer, rebuilt, ids: ids)
      #expect(problems.isEmpty, "\(problems.count) differences:\n\(problems.prefix(30).joined(separator: "\n"))")
    case .failure(let f):
      Issue.record("the header does not build: \(CDumpCheck.excerpt(f.messages))")
    }
  }
}
