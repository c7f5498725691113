import Foundation
import Testing
import TestSupport
@testable import BTF

/// Hand-built BTF (Documentation/bpf/btf.rst encoding, `RawBTF`) with what
/// C compilers never emit but BTF allows: duplicate names, C keywords as
/// names, odd INT names, the x86_64 `va_list`. The header must compile and
/// keep the layouts written into the BTF.
@Suite struct CDumpNamesTests {
  /// Kernel: BTF_KIND_INT = 1, PTR = 2, ARRAY = 3, STRUCT = 4, ENUM = 6,
  /// FWD = 7, TYPEDEF = 8, TYPE_TAG = 18.
  static func build() throws -> BTF {
    var raw = RawBTF()
    let int = raw.type(name: "int", kind: 1, sizeOrType: 4, [1 << 24 | 32])  // [1]
    let uint = raw.type(name: "unsigned int", kind: 1, sizeOrType: 4, [32])  // [2]
    let long = raw.type(name: "ssizetype", kind: 1, sizeOrType: 8, [1 << 24 | 64])  // [3]
    let u8 = raw.type(name: "u8", kind: 1, sizeOrType: 1, [8])  // [4] a Rust name
    let voidPtr = raw.type(kind: 2, sizeOrType: 0)  // [5]
    // Two different structs named `dup`, and a FWD of that name.
    raw.type(name: "dup", kind: 4, vlen: 1, sizeOrType: 4, [raw.string("a"), int, 0])  // [6]
    raw.type(name: "dup", kind: 4, vlen: 2, sizeOrType: 16, [raw.string("a"), long, 0, raw.string("b"), u8, 64])  // [7]
    let fwd = raw.type(name: "dup", kind: 7, sizeOrType: 0)  // [8]
    let fwdPtr = raw.type(kind: 2, sizeOrType: fwd)  // [9]
    // Keywords as names: a struct `union`, members `default` and `int`.
    raw.type(name: "union", kind: 4, vlen: 3, sizeOrType: 16,
             [raw.string("default"), int, 0, raw.string("int"), uint, 32, raw.string("p"), fwdPtr, 64])  // [10]
    // Two enums with the same enumerator names.
    raw.type(name: "first", kind: 6, vlen: 1, sizeOrType: 4, [raw.string("SAME"), 1])  // [11]
    raw.type(name: "second", kind: 6, vlen: 1, sizeOrType: 4, [raw.string("SAME"), 2])  // [12]
    // x86_64's va_list: typedef va_list -> typedef __builtin_va_list ->
    // struct __va_list_tag[1] (24 bytes).
    let tag = raw.type(name: "__va_list_tag", kind: 4, vlen: 4, sizeOrType: 24,
                       [raw.string("gp_offset"), uint, 0, raw.string("fp_offset"), uint, 32,
                        raw.string("overflow_arg_area"), voidPtr, 64, raw.string("reg_save_area"), voidPtr, 128])  // [13]
    let array = raw.type(kind: 3, sizeOrType: 0, [tag, int, 1])  // [14]
    let builtin = raw.type(name: "__builtin_va_list", kind: 8, sizeOrType: array)  // [15]
    let vaList = raw.type(name: "va_list", kind: 8, sizeOrType: builtin)  // [16]
    let charType = raw.type(name: "char", kind: 1, sizeOrType: 1, [2 << 24 | 8])  // [17]
    let charPtr = raw.type(kind: 2, sizeOrType: charType)  // [18]
    raw.type(name: "warn_args", kind: 4, vlen: 2, sizeOrType: 32,
             [raw.string("fmt"), charPtr, 0, raw.string("args"), vaList, 64])  // [19]
    // A typedef named like a keyword, and a type tag on a pointer.
    raw.type(name: "typedef", kind: 8, sizeOrType: int)  // [20]
    let tagged = raw.type(name: "user", kind: 18, sizeOrType: int)  // [21]
    let taggedPtr = raw.type(kind: 2, sizeOrType: tagged)  // [22]
    raw.type(name: "tagged", kind: 4, vlen: 1, sizeOrType: 8, [raw.string("p"), taggedPtr, 0])  // [23]
    return try BTF(bytes: raw.bytes())
  }

  @Test func renamesAndKeepsLayouts() throws {
    let btf = try Self.build()
    let header = try BTF.CHeader.render(btf)
    #expect(header.contains("struct dup {"))
    #expect(header.contains("struct dup___2 {"))
    #expect(header.contains("struct union___2 {"))
    #expect(header.contains("\tint default_;"))
    #expect(header.contains("SAME___2 = 2"))
    #expect(header.contains("typedef int typedef___2;"))
    #expect(header.contains("typedef struct __va_list_tag __builtin_va_list___2[1];"))
    #expect(header.contains("__btf_type_tag(\"user\")"))
    guard CDumpCheck.clangAvailable() else { return }
    let source = """
      #include "header.h"
      _Static_assert(sizeof(struct dup) == 4, "dup");
      _Static_assert(sizeof(struct dup___2) == 16, "dup___2");
      _Static_assert(__builtin_offsetof(struct dup___2, b) == 8, "dup___2.b");
      _Static_assert(sizeof(struct union___2) == 16, "union___2");
      _Static_assert(__builtin_offsetof(struct union___2, int_) == 4, "int_");
      _Static_assert(__builtin_offsetof(struct union___2, p) == 8, "p");
      _Static_assert(SAME == 1 && SAME___2 == 2, "enumerators");
      _Static_assert(sizeof(va_list) == 24, "va_list is x86_64's");
      _Static_assert(sizeof(struct warn_args) == 32, "warn_args");
      _Static_assert(__builtin_offsetof(struct warn_args, args) == 8, "warn_args.args");
      _Static_assert(sizeof(typedef___2) == 4, "typedef");
      _Static_assert(sizeof(struct tagged) == 8, "tagged");
      """
    let (status, messages) = try CDumpCheck.compile(header: header, source: source)
    #expect(status == 0, "\(CDumpCheck.excerpt(messages))\n\(header)")
  }

  /// libbpf's choice, `typedef __builtin_va_list va_list;`, is 8 bytes on
  /// the BPF target: clang says so, which is why the writer renames.
  @Test func builtinVaListIsAPointerOnBPF() throws {
    guard CDumpCheck.clangAvailable() else { return }
    let source = "_Static_assert(sizeof(__builtin_va_list) == 8, \"bpf va_list\");\n"
    let (status, messages) = try CDumpCheck.compile(header: "", source: source)
    #expect(status == 0, "\(messages)")
  }

  @Test func subsetWritesOnlyWhatIsNeeded() throws {
    let btf = try Self.build()
    let header = try BTF.CHeader.render(btf, types: ["warn_args"])
    #expect(header.contains("struct warn_args {"))
    #expect(header.contains("struct __va_list_tag {"))
    #expect(!header.contains("struct dup"))
    #expect(!header.contains("SAME"))
  }

  @Test func identifiersAreSanitized() {
    #expect(CHeaderWriter.identifier("core::fmt::Arguments") == "core__fmt__Arguments")
    #expect(CHeaderWriter.identifier("9lives") == "_9lives")
    #expect(CHeaderWriter.identifier("task_struct") == "task_struct")
  }
}
