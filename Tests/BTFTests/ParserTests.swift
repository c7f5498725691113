import Testing
import UAPI
@testable import BTF

/// Every kind, hand-encoded from Documentation/bpf/btf.rst in both byte orders.
@Suite struct ParserTests {
  /// A blob with one type of every kind; ids in comments.
  static func allKinds(_ order: ByteOrder) -> RawBTF {
    var raw = RawBTF(order: order)
    // [1] INT 'int' size=4, signed, 32 bits: encoding<<24 | offset<<16 | bits
    raw.type(name: "int", kind: 1, sizeOrType: 4, [1 << 24 | 32])
    // [2] PTR -> [1]
    raw.type(kind: 2, sizeOrType: 1)
    // [3] ARRAY of [1], index [1], 5 elements
    raw.type(kind: 3, sizeOrType: 0, [1, 1, 5])
    // [4] STRUCT 'pair' size=8 kind_flag: a at 0, b bitfield 3 bits at bit 32
    let a = raw.string("a"), b = raw.string("b")
    raw.type(name: "pair", kind: 4, vlen: 2, flag: true, sizeOrType: 8, [a, 1, 0, b, 1, 3 << 24 | 32])
    // [5] UNION 'u' size=4: x int
    let x = raw.string("x")
    raw.type(name: "u", kind: 5, vlen: 1, sizeOrType: 4, [x, 1, 0])
    // [6] ENUM 'e' signed size=4: NEG=-2
    let neg = raw.string("NEG")
    raw.type(name: "e", kind: 6, vlen: 1, flag: true, sizeOrType: 4, [neg, UInt32(bitPattern: -2)])
    // [7] FWD union 'fw'
    raw.type(name: "fw", kind: 7, flag: true, sizeOrType: 0)
    // [8] TYPEDEF 'td' -> [4]
    raw.type(name: "td", kind: 8, sizeOrType: 4)
    // [9] VOLATILE [1], [10] CONST [9], [11] RESTRICT [2]
    raw.type(kind: 9, sizeOrType: 1)
    raw.type(kind: 10, sizeOrType: 9)
    raw.type(kind: 11, sizeOrType: 2)
    // [12] FUNC_PROTO returns [1] (p: int, ...)
    let p = raw.string("p")
    raw.type(kind: 13, vlen: 2, sizeOrType: 1, [p, 1, 0, 0])
    // [13] FUNC 'f' global -> [12]
    raw.type(name: "f", kind: 12, vlen: 1, sizeOrType: 12)
    // [14] VAR 'v' -> [4] global allocated
    raw.type(name: "v", kind: 14, sizeOrType: 4, [1])
    // [15] DATASEC '.data' size=16: v at 8, size 8
    raw.type(name: ".data", kind: 15, vlen: 1, sizeOrType: 16, [14, 8, 8])
    // [16] FLOAT 'double' size=8
    raw.type(name: "double", kind: 16, sizeOrType: 8)
    // [17] DECL_TAG 'tag' on member 1 of [4]
    raw.type(name: "tag", kind: 17, sizeOrType: 4, [1])
    // [18] TYPE_TAG 'user' attribute -> [1]
    raw.type(name: "user", kind: 18, flag: true, sizeOrType: 1)
    // [19] ENUM64 'big' unsigned size=8: HUGE = 0x1_0000_0002
    let huge = raw.string("HUGE")
    raw.type(name: "big", kind: 19, vlen: 1, sizeOrType: 8, [huge, 2, 1])
    return raw
  }

  @Test(arguments: [ByteOrder.little, .big])
  func decodesEveryKind(order: ByteOrder) throws {
    let btf = try BTF(bytes: Self.allKinds(order).bytes())
    #expect(btf.byteOrder == order)
    #expect(btf.typeCount == 20)
    let kinds = try btf.allTypeIDs.map { try btf.kind(of: BTF.TypeID($0)).rawValue }
    // Kind numbers of the records as built above (FUNC_PROTO before FUNC).
    #expect(kinds == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 12, 14, 15, 16, 17, 18, 19])
    guard case .integer(let int) = try btf[1] else { Issue.record("[1]"); return }
    #expect(int.size == 4 && int.bitCount == 32 && int.isSigned && int.bitOffset == 0)
    #expect(try btf.string(of: int.name) == "int")
    #expect(try btf[2] == .pointer(to: 1))
    #expect(try btf[3] == .array(BTF.ArrayType(element: 1, index: 1, count: 5)))
    #expect(try btf.size(of: 3) == 20)
    let members = try btf.members(of: 4)
    #expect(members.count == 2)
    #expect(members[1].bitOffset == 32 && members[1].bitfieldSize == 3 && members[1].byteOffset == 4)
    #expect(btf.name(members[1].name, equals: "b"))
    guard case .union(let union) = try btf[5] else { Issue.record("[5]"); return }
    #expect(union.size == 4 && union.memberCount == 1)
    let values = try btf.enumerators(of: 6)
    #expect(values[0].value == -2 && values[0].isSigned)
    guard case .forward(let fwd) = try btf[7] else { Issue.record("[7]"); return }
    #expect(fwd.isUnion)
    #expect(try btf.resolved(8) == 4)
    #expect(try btf.resolved(10) == 1)
    #expect(try btf[11] == .restrict(2))
    let params = try btf.parameters(of: 13)
    #expect(params.count == 2 && !params[0].isVariadic && params[1].isVariadic)
    guard case .function(let function) = try btf[13] else { Issue.record("[13]"); return }
    #expect(function.linkage == .global && function.prototype == 12)
    guard case .variable(let variable) = try btf[14] else { Issue.record("[14]"); return }
    #expect(variable.linkage == .global && variable.type == 4)
    let vars = try btf.variables(of: 15)
    #expect(vars.count == 1 && vars[0] == BTF.SectionVariable(type: 14, offset: 8, size: 8))
    guard case .float(let float) = try btf[16] else { Issue.record("[16]"); return }
    #expect(float.size == 8)
    guard case .declarationTag(let tag) = try btf[17] else { Issue.record("[17]"); return }
    #expect(tag.componentIndex == 1 && !tag.isAttribute && tag.type == 4)
    guard case .typeTag(let typeTag) = try btf[18] else { Issue.record("[18]"); return }
    #expect(typeTag.isAttribute && typeTag.type == 1)
    let big = try btf.enumerators(of: 19)
    #expect(big[0].unsignedValue == 0x1_0000_0002 && !big[0].isSigned)
    #expect(btf.types(named: "pair") == [4])
    #expect(btf.firstType(named: "td", kind: .typedef) == 8)
    #expect(btf.firstType(named: "td", kind: .struct) == nil)
  }
}
