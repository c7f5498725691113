import Foundation
import Loader
import Testing
import TestSupport

/// Objects that cannot load: each gives a typed error that names the map or
/// program and says what to do. Sources are built with the toolchain's clang.
@Suite struct BadInputTests {
  @Test func mapDeclaredButNotDefined() throws {
    guard let object = try CompiledSource.build("missing", CompiledSource.prologue + """
      struct {
        __uint(type, BPF_MAP_TYPE_HASH);
        __type(key, __u32);
        __type(value, __u64);
        __uint(max_entries, 4);
      } declared_map SEC(".maps");
      extern typeof(declared_map) undefined_map SEC(".maps");
      SEC("syscall") int uses_missing(void *ctx) {
        __u32 k = 0;
        return bpf_map_lookup_elem(&undefined_map, &k) != 0;
      }
      """) else { return }
    let error = try #require(loadError { _ = try Object.open(path: object.path).load(kernel: FakeKernel()) })
    guard case .mapDefinition(let map, let reason) = error else { Issue.record("unexpected \(error)"); return }
    #expect(map == "undefined_map")
    #expect(reason.contains("uses_missing") && reason.contains("define the map"))
  }

  @Test func mapWithoutAType() throws {
    guard let object = try CompiledSource.build("notype", CompiledSource.prologue + """
      struct {
        __type(key, __u32);
        __type(value, __u64);
        __uint(max_entries, 4);
      } no_type SEC(".maps");
      SEC("syscall") int uses_no_type(void *ctx) {
        __u32 k = 0;
        return bpf_map_lookup_elem(&no_type, &k) != 0;
      }
      """) else { return }
    let kernel = FakeKernel()
    let error = try #require(loadError { _ = try Object.open(path: object.path).load(kernel: kernel) })
    guard case .mapDefinition(let map, let reason) = error else { Issue.record("unexpected \(error)"); return }
    #expect(map == "no_type" && reason.contains("__uint(type, BPF_MAP_TYPE_"))
    #expect(kernel.snapshot.maps.isEmpty)
  }

  @Test func programTooLarge() throws {
    // 1,000,001 `r0 = 0` plus the return: over the kernel's 1,000,000 (BPF_COMPLEXITY_LIMIT_INSNS).
    guard let object = try CompiledSource.build("large", CompiledSource.prologue + """
      SEC("syscall") int too_large(void *ctx) {
        asm volatile(".rept 1000001\\n r0 = 0\\n .endr" ::: "r0");
        return 0;
      }
      """) else { return }
    let kernel = FakeKernel()
    let error = try #require(loadError { _ = try Object.open(path: object.path).load(kernel: kernel) })
    guard case .programTooLarge(let program, let count, let limit) = error else { Issue.record("unexpected \(error)"); return }
    #expect(program == "too_large" && count > 1_000_000 && limit == 1_000_000)
    #expect(error.description.contains("tail calls"))
    #expect(kernel.snapshot.loads.isEmpty)
  }

  @Test(.kernel) func unknownHelper() throws {
    guard let object = try CompiledSource.build("helper", CompiledSource.prologue + """
      static long (*no_such_helper)(void) = (void *)99999;
      SEC("syscall") int unknown_helper(void *ctx) { return no_such_helper(); }
      """) else { return }
    let error = try #require(loadError { _ = try Object.open(path: object.path).load() })
    guard case .verifierRejected(let program, let report) = error else { Issue.record("unexpected \(error)"); return }
    #expect(program == "unknown_helper")
    #expect(report.errorLine.contains("invalid func unknown#99999"))
    // The call is on line 5 of the source (3 prologue lines + the pointer).
    #expect(report.sourceLine == 5)
  }
}
