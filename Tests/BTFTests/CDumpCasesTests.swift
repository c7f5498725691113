import Foundation
import Testing
import TestSupport
@testable import BTF

/// Small cases, each a C declaration clang compiles with `-g` for the BPF
/// target: clang's BTF of it is the reference. The header written from that
/// BTF must compile, and clang's layout of it must be the original's: the
/// `_Static_assert`s (sizes, byte offsets) and clang's BTF of the header
/// (bit offsets and widths of every member, bit-fields included).
@Suite struct CDumpCasesTests {
  static let cases: [(String, String)] = [
    ("packed struct", """
      struct packed_s { char c; int x; long y; short z; } __attribute__((packed));
      struct holds_packed { char a; struct packed_s p; int b; };
      """),
    ("over-aligned member", """
      struct over { char c; long x __attribute__((aligned(16))); int y; };
      struct line { int a; } __attribute__((aligned(64)));
      struct holds_line { char c; struct line l; short s; };
      struct packed_aligned { char c; int x; } __attribute__((packed, aligned(4)));
      struct holds_packed_aligned { char c; struct packed_aligned p; };
      """),
    ("enums of every size", """
      enum __attribute__((packed)) e1 { E1A = 1, E1B = 200 };
      enum __attribute__((packed)) e1s { E1S = -3, E1T = 100 };
      enum __attribute__((packed)) e2 { E2A = -1, E2B = 300 };
      enum e4 { E4A = 1 };
      enum e4u { E4U = 0xffffffffu };
      enum e8 { E8A = 1, E8B = 0xffffffffffffULL };
      enum e8s { E8S = -5, E8T = 0x100000000LL };
      struct enums { enum e1 a; char b; enum e1s c; enum e2 d; enum e4 e; enum e4u f; enum e8 g; enum e8s h; };
      """),
    ("bitfields", """
      struct bits { unsigned int a:3; unsigned int b:30; unsigned long long c:40; char d;
                    unsigned short e:9; int f:1; long g; unsigned char h:1; };
      struct bits_packed { unsigned char a:4; unsigned int b:30; char c; } __attribute__((packed));
      union bits_union { unsigned int a:3; unsigned long long b:33; char c; };
      """),
    ("cycles", """
      struct B;
      struct A { struct B *b; int x; };
      struct B { struct A a; struct A *back; struct C *c; };
      struct C { struct B b; int (*cb)(struct C *, struct A *); };
      typedef struct node node_t;
      struct node { node_t *next; int v; };
      typedef struct list { struct list *self; node_t head; } list_t;
      """),
    ("anonymous members", """
      struct with_anon {
        int kind;
        union { int i; struct { short lo, hi; }; long l; };
        struct { char tag; } named_anon;
        enum { MODE_A, MODE_B } mode;
        struct { union { char b[3]; short s; }; int tail; };
      };
      typedef struct { int counter; } atomic_like;
      typedef enum { RED, GREEN } colour;
      struct holds_typedefs { atomic_like a; colour c; char z; };
      """),
    ("function pointers", """
      struct A2 { int x; };
      typedef int (*handler_t)(void *);
      typedef void fn_t(int, ...);
      struct fptrs {
        void (*cb)(int, struct A2 *);
        int (*(*get)(void))[4];
        struct A2 *(*arr[3])(const char *, ...);
        handler_t h;
        fn_t *f;
        void (*(*nested)(int))(long);
      };
      """),
    ("flavors, arrays, qualifiers", """
      struct task_struct___flavor { int pid; long state; };
      struct arr2 { int m[3][4]; char s[2][3][5]; const char *const names[2]; };
      struct quals { volatile int v; const char *const p; int *restrict r; const volatile long w; };
      struct flex { int n; char data[]; };
      struct scalars { _Bool b; float f; double d; __int128 i; unsigned __int128 u; char c; };
      struct empty { };
      struct holds_empty { int a; struct empty e; int b; };
      """),
  ]

  @Test(arguments: cases.map(\.0))
  func caseKeepsClangsLayout(name: String) throws {
    guard CDumpCheck.clangAvailable(), FixtureBTF.toolsAvailable() else { return }
    let source = try #require(Self.cases.first { $0.0 == name }?.1)
    // Globals of every struct make clang describe them all in BTF.
    var program = source + "\n"
    var index = 0
    for line in source.split(separator: "\n") {
      for word in ["struct ", "union "] {
        var rest = Substring(line)
        while let range = rest.range(of: word) {
          let tail = rest[range.upperBound...]
          let tag = tail.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
          let after = tail.dropFirst(tag.count).drop { $0 == " " }
          if !tag.isEmpty && after.first == "{" {
            program += "\(word)\(tag) g\(index);\n"
            index += 1
          }
          rest = tail
        }
      }
    }
    program += "int take(int x) { return x; }\n"
    let original: BTF
    switch try CDumpCheck.compiledBTF(header: "", source: program) {
    case .success(let bytes): original = try BTF(bytes: bytes)
    case .failure(let f):
      Issue.record("the case itself does not compile:\n\(f.messages)")
      return
    }
    try CDumpRoundTrip.check(original, label: name)
  }

  /// The writer's enum choice against what clang says of a 1-byte enum:
  /// `sizeof` is 1, where a plain C enum (libbpf's) would be 4.
  @Test func oneByteEnumHasSizeOne() throws {
    var raw = RawBTF()
    let e = raw.type(name: "tiny", kind: 6, vlen: 2, sizeOrType: 1,
                     [raw.string("TINY_A"), 0, raw.string("TINY_B"), 6])
    let char = raw.type(name: "char", kind: 1, sizeOrType: 1, [8])
    raw.type(name: "holder", kind: 4, vlen: 2, sizeOrType: 2,
             [raw.string("t"), e, 0, raw.string("c"), char, 8])
    let btf = try BTF(bytes: raw.bytes())
    let header = try BTF.CHeader.render(btf)
    #expect(header.contains("enum tiny : unsigned char {"))
    guard CDumpCheck.clangAvailable() else { return }
    let source = """
      #include "header.h"
      _Static_assert(sizeof(enum tiny) == 1, "enum");
      _Static_assert(sizeof(struct holder) == 2, "holder");
      _Static_assert(__builtin_offsetof(struct holder, c) == 1, "c");
      """
    let (status, messages) = try CDumpCheck.compile(header: header, source: source)
    #expect(status == 0, "\(CDumpCheck.excerpt(messages))")
  }
}

/// The checks shared by the cases and the fixtures.
enum CDumpRoundTrip {
  static func check(_ original: BTF, label: String, target: String = "bpf") throws {
    let (header, writer) = try CDumpCheck.header(original)
    let (asserts, counts) = try CDumpCheck.assertions(original, writer)
    #expect(counts.sizes > 0, "\(label): no struct asserted")
    let (status, messages) = try CDumpCheck.compile(header: header, source: asserts, target: target)
    #expect(status == 0, "\(label): \(CDumpCheck.excerpt(messages))\n--- header:\n\(header)")
    let ids = original.allTypeIDs.map { BTF.TypeID($0) }
    switch try CDumpCheck.compiledBTF(header: header, source: try CDumpCheck.globals(original, writer, ids: ids), target: target) {
    case .success(let bytes):
      let rebuilt = try BTF(bytes: bytes)
      let problems = try CDumpCheck.compareLayouts(original, writer, rebuilt, ids: ids)
      #expect(problems.isEmpty, "\(label): \(problems.prefix(20).joined(separator: "\n"))\n--- header:\n\(header)")
    case .failure(let f):
      Issue.record("\(label): header does not build: \(CDumpCheck.excerpt(f.messages))\n--- header:\n\(header)")
    }
  }
}
