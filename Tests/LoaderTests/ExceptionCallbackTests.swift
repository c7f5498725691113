import BTF
import Foundation
import Loader
import Syscall
import Testing
import TestSupport
import UAPI

/// A program's exception callback placed in the program as libbpf places
/// it (Fixtures/src/exception_cb.bpf.c): after everything the program calls,
/// followed by what the callback calls, with their func_info, so the verifier
/// finds it by the `exception_callback:` decl tag (libbpf.c:
/// bpf_prog_assign_exc_cb, bpf_object__relocate). Return values come from
/// the C source.
@Suite struct ExceptionCallbackTests {
  static let path = Fixture.object("exception_cb.bpf.o").path

  /// The FUNC type ids of a load's func_info records, in order
  /// (`struct bpf_func_info`: insn_off, type_id).
  static func functionTypes(_ load: FakeKernel.LoadCall) -> [UInt32] {
    let info = load.attributes.funcInfo
    let size = Int(load.attributes.funcInfoRecordSize)
    guard size >= 8 else { return [] }
    return stride(from: 0, to: info.count - size + 1, by: size).map { at in
      info[at + 4 ..< at + 8].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }
  }

  @Test func callbackAndItsCalleesFollowTheProgramsOwnCode() throws {
    let kernel = FakeKernel()
    let object = try Object.open(path: Self.path)
    let btf = try BTF(bytes: try #require(object.file.btf))
    let loaded = try object.load(kernel: kernel)
    defer { loaded.close() }
    let load = try #require(kernel.load("throwing_prog"))
    let expected = try ["throwing_prog", "helper_add", "exception_cb", "cb_double"].map {
      try btf.type(named: $0, kind: BTF.Kind.function).rawValue
    }
    #expect(Self.functionTypes(load) == expected)
  }

  @Test func noCallbackWithoutDeclarationTagSupport() throws {
    // A kernel without decl tags gets the tags sanitized away: nothing to find
    // the callback by, so libbpf appends nothing.
    var features = KernelFeatures.everything
    features.btf.kinds.remove(.declarationTag)
    let kernel = FakeKernel(features: features)
    let object = try Object.open(path: Self.path)
    let btf = try BTF(bytes: try #require(object.file.btf))
    let loaded = try object.load(kernel: kernel)
    defer { loaded.close() }
    let load = try #require(kernel.load("throwing_prog"))
    #expect(!Self.functionTypes(load).contains(try btf.type(named: "exception_cb", kind: BTF.Kind.function).rawValue))
  }

  /// `struct throw_ctx { u64 should_throw; u64 cookie; }`.
  static func context(throwing: Bool, cookie: UInt64) -> [UInt8] {
    withUnsafeBytes(of: (throwing ? UInt64(1) : 0).littleEndian) { Array($0) }
      + withUnsafeBytes(of: cookie.littleEndian) { Array($0) }
  }

  @Test(.kernel) func throwingRunsTheCallback() throws {
    let loaded = try Object.open(path: Self.path).load()
    defer { loaded.close() }
    let program = try #require(loaded.program(named: "throwing_prog"))
    #expect(try program.testRun(context: Self.context(throwing: false, cookie: 20)).returnValue == 0)
    #expect(try program.testRun(context: Self.context(throwing: true, cookie: 20)).returnValue == 41)
    #expect(try loaded.variable("completed", as: UInt64.self) == 1)
  }
}
