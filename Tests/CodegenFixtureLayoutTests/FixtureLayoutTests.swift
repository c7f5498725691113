import SwiftBPF
import Testing
import LayoutTestSupport
import TestSupport

/// Every struct, union and enum of the other fixtures, generated and
/// compiled (`Generated/`, file-private per fixture): sizes, strides,
/// alignments, stored offsets and accessor bytes equal the BTF's.
@Suite struct FixtureLayoutTests {
  /// One listing per generated file; `GeneratedFilesTests` (CodegenTests)
  /// fails when a fixture's file is missing, so a new fixture lands here too.
  static let manifests: [(String, [LayoutManifestEntry])] = [
    ("btf_kinds.bpf.o", btfKindsManifest), ("core.bpf.o", coreManifest), ("cpuv4.bpf.o", cpuv4Manifest),
    ("err_verifier.bpf.o", errVerifierManifest), ("globals.bpf.o", globalsManifest),
    ("legacy_maps.bpf.o", legacyMapsManifest), ("maps.bpf.o", mapsManifest), ("programs.bpf.o", programsManifest),
    ("ringbuf.bpf.o", ringbufManifest), ("sections.bpf.o", sectionsManifest),
    ("struct_ops.bpf.o", structOpsManifest), ("testrun.bpf.o", testrunManifest),
    ("typed_ringbuf.bpf.o", typedRingbufManifest), ("usdt.bpf.o", usdtManifest),
  ]

  @Test(arguments: manifests.map(\.0))
  func generatedTypesHaveTheBTFLayout(fixture: String) throws {
    let manifest = try #require(Self.manifests.first { $0.0 == fixture }?.1)
    let object = try ObjectFile(path: Fixture.object(fixture).path)
    let check = LayoutCheck(btf: try BTF(bytes: try #require(object.btf)))
    #expect(!manifest.isEmpty)
    for entry in manifest {
      let problems = try check.problems(entry)
      #expect(problems.isEmpty, "\(fixture): \(problems.joined(separator: "; "))")
    }
  }
}
