import Foundation
import Testing
import TestSupport
@testable import BTF

/// Compiles a generated header with clang for the BPF target, together with
/// `_Static_assert`s stating the BTF's sizes and offsets: clang's layout of
/// our C against the numbers the BTF (the kernel, a compiler) recorded.
enum CDumpCheck {
  static let clang = Toolchain.tool("clang")

  /// Whether clang is there; records a failure when it must be.
  static func clangAvailable() -> Bool {
    if clang == nil { #expect(!TestEnvironment.mustNotSkip, "clang missing at \(Toolchain.binDirectory)") }
    return clang != nil
  }

  /// The header and the writer that produced it (its names per type id).
  static func header(_ btf: BTF, roots: [BTF.TypeID]? = nil) throws -> (String, CHeaderWriter) {
    let writer = try CHeaderWriter(btf: btf)
    return (try writer.render(roots: roots), writer)
  }

  /// How many asserts of each sort were written.
  struct Counts { var sizes = 0, offsets = 0, enums = 0, typedefs = 0 }

  /// `_Static_assert`s for every named struct/union (size, and the byte
  /// offset of every member that is not a bit-field, through anonymous
  /// members), every named enum (size) and every typedef of a sized type,
  /// using the names the writer gave them. The expected numbers are the
  /// BTF's own fields, read by the parser.
  static func assertions(_ btf: BTF, _ writer: CHeaderWriter, ids: [BTF.TypeID]? = nil) throws -> (String, Counts) {
    var text = "#include \"header.h\"\n"
    var counts = Counts()
    let all = ids ?? btf.allTypeIDs.map { BTF.TypeID($0) }
    for id in all {
      guard let name = writer.names[Int(id.rawValue)] else { continue }
      switch try btf[id] {
      case .struct(let c), .union(let c):
        guard !c.name.isAnonymous else { continue }
        let keyword = (try btf.kind(of: id)) == .struct ? "struct" : "union"
        let type = "\(keyword) \(name)"
        text += "_Static_assert(sizeof(\(type)) == \(c.size), \"sizeof \(type)\");\n"
        counts.sizes += 1
        try memberAssertions(btf, writer, c, type: type, prefix: "", base: 0, text: &text, count: &counts.offsets)
      case .enum(let e), .enum64(let e):
        // A forward-declared enum (size 0) is incomplete in C: no sizeof.
        guard !e.name.isAnonymous, e.size > 0 else { continue }
        text += "_Static_assert(sizeof(enum \(name)) == \(e.size), \"sizeof enum \(name)\");\n"
        counts.enums += 1
      case .typedef:
        guard let size = try? btf.size(of: id) else { continue }
        if case .functionPrototype = try btf.resolvedDescriptor(id) { continue }
        text += "_Static_assert(sizeof(\(name)) == \(size), \"sizeof \(name)\");\n"
        counts.typedefs += 1
      default:
        continue
      }
    }
    return (text, counts)
  }

  static func memberAssertions(
    _ btf: BTF, _ writer: CHeaderWriter, _ c: BTF.Composite, type: String, prefix: String, base: Int,
    text: inout String, count: inout Int
  ) throws {
    for member in try btf.members(of: c.id) {
      let offset = base + Int(member.bitOffset)
      if member.name.isAnonymous {
        // Fields of an anonymous struct/union member are fields of the parent.
        switch try btf[member.type] {
        case .struct(let inner), .union(let inner):
          if inner.name.isAnonymous {
            try memberAssertions(btf, writer, inner, type: type, prefix: prefix, base: offset, text: &text, count: &count)
          }
        default:
          break
        }
        continue
      }
      if member.bitfieldSize != 0 || writer.placement(member, in: c).width != 0 { continue }
      let field = writer.fieldName(member.name)
      text += "_Static_assert(__builtin_offsetof(\(type), \(prefix)\(field)) == \(offset / 8), \"offsetof \(type).\(field)\");\n"
      count += 1
    }
  }

  /// Runs clang -target bpf on `source` with `header` beside it; returns
  /// the exit status and clang's messages.
  static func compile(header: String, source: String, syntaxOnly: Bool = true, target: String = "bpf") throws -> (Int32, String) {
    guard let clang else { return (-1, "no clang") }
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("cdump-\(getpid())-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer {
      if ProcessInfo.processInfo.environment["CDUMP_KEEP"] == nil { try? FileManager.default.removeItem(at: dir) }
    }
    try header.write(to: dir.appendingPathComponent("header.h"), atomically: false, encoding: .utf8)
    let file = dir.appendingPathComponent("check.c")
    try source.write(to: file, atomically: false, encoding: .utf8)
    var arguments = ["-target", target, "-Wall", "-Werror", "-ferror-limit=50"]
    arguments += syntaxOnly ? ["-fsyntax-only"] : ["-c", "-O2", "-o", dir.appendingPathComponent("check.o").path]
    arguments.append(file.path)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: clang)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let messages = String(decoding: data, as: UTF8.self)
    if ProcessInfo.processInfo.environment["CDUMP_KEEP"] != nil { print("kept \(dir.path)") }
    return (process.terminationStatus, messages)
  }

  /// The first lines of clang's messages, for a failure report.
  static func excerpt(_ messages: String, lines: Int = 40) -> String {
    messages.split(separator: "\n").prefix(lines).joined(separator: "\n")
  }
}

extension CDumpCheck {
  /// Compiles `source` (with `header` beside it as header.h) with -g for
  /// the BPF target and returns the `.BTF` clang wrote, or clang's messages.
  static func compiledBTF(header: String, source: String, target: String = "bpf") throws -> Result<[UInt8], CompileFailure> {
    guard let clang, let objcopy = FixtureBTF.objcopy else { return .failure(CompileFailure(messages: "no clang/llvm-objcopy")) }
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("cdump-\(getpid())-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try header.write(to: dir.appendingPathComponent("header.h"), atomically: false, encoding: .utf8)
    let file = dir.appendingPathComponent("check.c")
    try source.write(to: file, atomically: false, encoding: .utf8)
    let object = dir.appendingPathComponent("check.o")
    let (status, messages) = try run(clang, ["-target", target, "-Wall", "-Werror", "-g", "-O2", "-c", file.path, "-o", object.path])
    guard status == 0 else { return .failure(CompileFailure(messages: messages)) }
    let blob = dir.appendingPathComponent("btf.bin")
    let (objStatus, objMessages) = try run(objcopy, ["--dump-section", ".BTF=\(blob.path)", object.path, dir.appendingPathComponent("null.o").path])
    guard objStatus == 0, let data = FileManager.default.contents(atPath: blob.path) else {
      return .failure(CompileFailure(messages: objMessages))
    }
    return .success(Array(data))
  }

  struct CompileFailure: Error { var messages: String }

  static func run(_ tool: String, _ arguments: [String]) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  /// A C file holding one global of every named struct/union (by value) of
  /// `ids`, so that clang's BTF of it describes our header's layouts.
  static func globals(_ btf: BTF, _ writer: CHeaderWriter, ids: [BTF.TypeID]) throws -> String {
    var text = "#include \"header.h\"\n"
    for id in ids {
      guard let name = writer.names[Int(id.rawValue)] else { continue }
      switch try btf[id] {
      case .struct(let c) where !c.name.isAnonymous: text += "struct \(name) __g\(id.rawValue);\n"
      case .union(let c) where !c.name.isAnonymous: text += "union \(name) __g\(id.rawValue);\n"
      default: continue
      }
    }
    return text
  }

  /// Compares every named struct/union of `ids` in `original` with the type
  /// of the name the writer gave it in `rebuilt` (clang's BTF of our header):
  /// size, and each member's bit offset and bit-field width, in order
  /// (unnamed padding bit-fields of the header left out). Returns problems.
  static func compareLayouts(_ original: BTF, _ writer: CHeaderWriter, _ rebuilt: BTF, ids: [BTF.TypeID]) throws -> [String] {
    var problems = [String]()
    var compared = 0
    for id in ids {
      guard let name = writer.names[Int(id.rawValue)] else { continue }
      let kind = try original.kind(of: id)
      guard kind == .struct || kind == .union, !(try original.name(of: id)).isAnonymous else { continue }
      guard let other = rebuilt.firstType(named: name, kind: kind) else {
        problems.append("\(name): missing from clang's BTF")
        continue
      }
      compared += 1
      try compareComposite(original, id, rebuilt, other, path: name, problems: &problems)
    }
    if compared == 0 { problems.append("nothing compared") }
    return problems
  }

  static func compareComposite(_ a: BTF, _ aID: BTF.TypeID, _ b: BTF, _ bID: BTF.TypeID, path: String, problems: inout [String]) throws {
    guard case .struct(let ca) = try a[aID] else {
      if case .union(let ca) = try a[aID], case .union(let cb) = try b[bID] {
        try compareMembers(a, ca, b, cb, path: path, problems: &problems)
      } else {
        problems.append("\(path): kinds differ")
      }
      return
    }
    guard case .struct(let cb) = try b[bID] else {
      problems.append("\(path): kinds differ")
      return
    }
    try compareMembers(a, ca, b, cb, path: path, problems: &problems)
  }

  static func compareMembers(_ a: BTF, _ ca: BTF.Composite, _ b: BTF, _ cb: BTF.Composite, path: String, problems: inout [String]) throws {
    if ca.size != cb.size { problems.append("\(path): size \(cb.size), kernel \(ca.size)") }
    let left = Array(try a.members(of: ca.id))
    // clang records unnamed bit-fields too; those are our padding.
    let right = try b.members(of: cb.id).filter { m in
      !(m.name.isAnonymous && (try? b.kind(of: b.resolved(m.type))) == .integer)
    }
    guard left.count == right.count else {
      problems.append("\(path): \(right.count) members, kernel \(left.count)")
      return
    }
    for (ma, mb) in zip(left, right) {
      let label = ma.name.isAnonymous ? "(anon)" : ((try? a.string(of: ma.name)) ?? "?")
      let widthA = Int(ma.bitfieldSize), widthB = Int(mb.bitfieldSize)
      if ma.bitOffset != mb.bitOffset || widthA != widthB {
        problems.append("\(path).\(label): bit \(mb.bitOffset) width \(widthB), kernel bit \(ma.bitOffset) width \(widthA)")
      }
      if ma.name.isAnonymous {
        let ra = try a.resolved(ma.type), rb = try b.resolved(mb.type)
        let k = try a.kind(of: ra)
        let anonymous = try a.name(of: ra).isAnonymous
        if (k == .struct || k == .union) && anonymous {
          try compareComposite(a, ra, b, rb, path: "\(path).(anon)", problems: &problems)
        }
      }
    }
  }
}
