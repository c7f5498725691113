import Foundation
import SwiftBPF
import Testing
import TestSupport

/// `swiftbpf reloc` and the loader prepare CO-RE input with the same
/// function (`COREInput`): the decisions the command reports are the ones
/// the library makes from `COREInput` for the same object and target.
@Suite struct RelocSharedPreparationTests {
  @Test(arguments: ["target_a", "target_b", "target_ambig"])
  func commandDecisionsEqualTheLoadersPreparation(_ target: String) throws {
    let object = Fixture.directory.appendingPathComponent("core/probe.bpf.o").path
    let targetPath = Fixture.directory.appendingPathComponent("core/btf/\(target).btf").path
    let run = try swiftbpf(["reloc", object, "--target-btf", targetPath, "--json"])
    // Exit status 1 when some relocation failed (target_ambig), 0 otherwise.
    try #require(run.status == 0 || run.status == 1, "\(run.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
    let reported = Set(json.map { entry in
      "\(entry["section"] ?? "")|\(entry["program"] ?? "")|\(entry["instruction"] ?? "")|\(entry["result"] ?? "")"
        + "|\(entry["new"].map { "\($0)" } ?? "")"
    })

    let file = try ObjectFile(path: object)
    let local = try #require(try file.btf.map { try BTF(bytes: $0) })
    let ext = try BTF.Extension(bytes: try #require(file.btfExt), btf: local)
    let input = COREInput(file: file, extension: ext)
    let targetBTF = try BTF(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: targetPath))))
    let plan = CORERelocator(local: local, targets: [TargetBTF(name: "\(target).btf", btf: targetBTF)])
      .plan(code: input.sections, extension: ext)
    let computed = Set(plan.decisions.map { d in
      "\(d.section)|\(d.program)|\(d.instruction)|\(d.result.name)|\(d.newValue.map { "\($0)" } ?? "<null>")"
    })
    #expect(!computed.isEmpty)
    // JSON null reads back as NSNull, printed "<null>", as nil is spelled above.
    #expect(reported == computed)
    let failures = plan.decisions.contains { if case .failed = $0.result { true } else { false } }
    #expect(run.status == (failures ? 1 : 0))
  }
}
