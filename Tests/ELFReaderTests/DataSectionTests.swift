import Foundation
import Testing
import TestSupport
import UAPI

@testable import ELFReader

/// Global data sections and externs, against llvm-objdump (sections,
/// symbols, contents) and bpftool (the `.kconfig`/`.ksyms` DATASECs).
@Suite struct DataSectionTests {
  /// Kinds by libbpf's section naming: `.data`/`.data.*`, `.rodata`/`.rodata.*`,
  /// `.bss`/`.bss.*`, `.addr_space.*`.
  static func expectedKind(_ name: String) -> DataSection.Kind? {
    if name == ".data" || name.hasPrefix(".data.") { return .data }
    if name == ".rodata" || name.hasPrefix(".rodata.") { return .rodata }
    if name == ".bss" || name.hasPrefix(".bss.") { return .bss }
    if name.hasPrefix(".addr_space.") { return .arena }
    return nil
  }

  @Test(.enabled(if: Objdump.shouldRun, "needs llvm-objdump"), arguments: Fixture.objects)
  func dataSectionsMatchObjdump(_ url: URL) throws {
    let object = try ObjectFile(path: url.path)
    let sections = try Objdump.sections(url.path).filter { Self.expectedKind($0.name) != nil }
    let symbols = try Objdump.symbols(url.path)
    let elfSections = object.dataSections.filter { $0.sectionIndex != nil }
    #expect(elfSections.map(\.name) == sections.map(\.name))
    for (data, line) in zip(elfSections, sections) {
      let kind = Self.expectedKind(line.name)
      #expect(data.kind == kind)
      #expect(data.size == line.size)
      #expect(data.isReadOnly == (kind == .rodata))
      if line.kind == "BSS" {
        #expect(data.initialBytes == nil)
      } else {
        #expect(data.initialBytes == (try Objdump.contents(url.path, section: line.name)))
      }
      let variables = symbols.filter { $0.section == line.name && $0.typeFlag == "O" }.sorted { $0.value < $1.value }
      #expect(data.variables.map(\.name) == variables.map(\.name))
      #expect(data.variables.map(\.offset) == variables.map(\.value))
      #expect(data.variables.map(\.size) == variables.map(\.size))
      #expect(data.variables.map { $0.binding == .local } == variables.map { $0.binding == "l" })
    }
  }

  @Test(.enabled(if: Objdump.shouldRun && BpftoolBTF.shouldRun, "needs llvm-objdump and bpftool"), arguments: Fixture.objects)
  func externsMatchUndefinedSymbolsAndBTF(_ url: URL) throws {
    let object = try ObjectFile(path: url.path)
    let undefined = try Objdump.symbols(url.path).filter { $0.section == "*UND*" }
    let btf = try BpftoolBTF(file: url.path)
    func entries(_ datasec: String) -> [String: Int] {
      guard let id = btf.id(named: datasec, kind: "DATASEC"), let t = btf.types[id] else { return [:] }
      var result: [String: Int] = [:]
      for entry in t.entries {
        guard let target = entry.attributes["type_id"].flatMap({ Int($0) }), let name = btf.types[target]?.name else { continue }
        result[name] = target
      }
      return result
    }
    let kconfig = entries(".kconfig")
    let ksyms = entries(".ksyms")
    #expect(object.externs.map(\.name) == undefined.map(\.name))
    for (extern, symbol) in zip(object.externs, undefined) {
      #expect(extern.isWeak == symbol.isWeak, "\(extern.name)")
      if let id = kconfig[extern.name] {
        #expect(extern.kind == .kconfig)
        #expect(extern.btfTypeID?.rawValue == UInt32(id))
      } else if let id = ksyms[extern.name], let t = btf.types[id] {
        #expect(extern.btfTypeID?.rawValue == UInt32(id))
        if t.kind == "FUNC" {
          #expect(extern.kind == .kfunc)
        } else {
          let typed = btf.resolved(t.int("type_id") ?? 0) != 0
          #expect(extern.kind == .ksymVariable(typed: typed), "\(extern.name)")
        }
      }
    }
    // The BTF-only sections list the externs declared in them.
    for (name, declared) in [(".kconfig", kconfig), (".ksyms", ksyms)] where !declared.isEmpty {
      let section = try #require(object.dataSections.first { $0.name == name })
      #expect(section.sectionIndex == nil)
      #expect(Set(section.variables.map(\.name)) == Set(declared.keys))
      #expect(section.initialBytes == nil)
    }
  }

  /// The fixture's documented externs (globals.bpf.c header).
  @Test func globalsExternKindsMatchFixtureDocumentation() throws {
    let object = try ObjectFile(path: Fixture.object("globals.bpf.o").path)
    func kind(_ name: String) -> Extern.Kind? { object.externs.first { $0.name == name }?.kind }
    for name in ["LINUX_KERNEL_VERSION", "CONFIG_BPF_SYSCALL", "CONFIG_BPF_JIT", "CONFIG_HZ", "CONFIG_SWIFTBPF_NOT_A_CONFIG"] {
      #expect(kind(name) == .kconfig, "\(name)")
    }
    #expect(kind("runqueues") == .ksymVariable(typed: true))
    #expect(kind("bpf_prog_active") == .ksymVariable(typed: true))
    #expect(kind("__start_BTF") == .ksymVariable(typed: false))
    #expect(kind("swiftbpf_no_such_ksym") == .ksymVariable(typed: false))
    for name in ["bpf_task_from_pid", "bpf_task_release", "bpf_rcu_read_lock", "bpf_rcu_read_unlock"] {
      #expect(kind(name) == .kfunc, "\(name)")
    }
    #expect(object.externs.first { $0.name == "LINUX_KERNEL_VERSION" }?.isWeak == false)
    #expect(object.externs.first { $0.name == "CONFIG_HZ" }?.isWeak == true)
    let data = try #require(object.dataSections.first { $0.name == ".data" })
    #expect(data.variables.first { $0.name == "static_data" }?.binding == .local)
  }
}
