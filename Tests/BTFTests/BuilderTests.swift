import Foundation
import Testing
import TestSupport
import UAPI
@testable import BTF

@Suite struct BuilderTests {
  /// The all-kinds blob of ParserTests, made with the builder.
  static func allKinds(_ order: ByteOrder) -> BTF.Builder {
    var b = BTF.Builder(byteOrder: order)
    let int = b.addInteger("int", size: 4, encoding: .signed)                               // [1]
    let pointer = b.addPointer(to: int)                                                     // [2]
    _ = b.addArray(of: int, index: int, count: 5)                                           // [3]
    let pair = b.addStruct("pair", size: 8, members: [
      .init("a", int, bitOffset: 0), .init("b", int, bitOffset: 32, bitfieldSize: 3),
    ])                                                                                      // [4]
    _ = b.addUnion("u", size: 4, members: [.init("x", int, bitOffset: 0)])                 // [5]
    _ = b.addEnum("e", size: 4, isSigned: true, values: [("NEG", -2)])                     // [6]
    _ = b.addForward("fw", isUnion: true)                                                   // [7]
    _ = b.addTypedef("td", to: pair)                                                        // [8]
    let volatile = b.addVolatile(int)                                                       // [9]
    _ = b.addConst(volatile)                                                                // [10]
    _ = b.addRestrict(pointer)                                                              // [11]
    let proto = b.addPrototype(returning: int, parameters: [("p", int), ("", .void)])      // [12]
    _ = b.addFunction("f", prototype: proto, linkage: .global)                             // [13]
    let v = b.addVariable("v", type: pair, linkage: .global)                               // [14]
    _ = b.addDataSection(".data", size: 16, variables: [.init(type: v, offset: 8, size: 8)])  // [15]
    _ = b.addFloat("double", size: 8)                                                       // [16]
    _ = b.addDeclarationTag("tag", on: pair, componentIndex: 1)                             // [17]
    _ = b.addTypeTag("user", on: int, isAttribute: true)                                    // [18]
    _ = b.addEnum("big", size: 8, isSigned: false, values: [("HUGE", 0x1_0000_0002)])      // [19]
    return b
  }

  @Test(arguments: [ByteOrder.little, .big])
  func buildsWhatTheSpecEncodes(order: ByteOrder) throws {
    let built = try Self.allKinds(order).build()
    let handMade = try BTF(bytes: ParserTests.allKinds(order).bytes())
    #expect(built.byteOrder == order)
    #expect(try BpftoolFormat.dump(built) == BpftoolFormat.dump(handMade))
  }

  @Test func bpftoolReadsTheBuiltBlob() throws {
    guard let dump = try FixtureBTF.bpftoolDump(try Self.allKinds(.little).bytes()) else {
      #expect(!TestEnvironment.mustNotSkip, "bpftool missing")
      return
    }
    #expect(try BpftoolFormat.dump(Self.allKinds(.little).build()) == dump.map(String.init))
  }

  @Test func buildsSplitBTFOnABase() throws {
    let base = try Self.allKinds(.little).build()
    var module = BTF.Builder(base: base)
    #expect(module.nextTypeID == 20)
    let s = module.addStruct("mod_s", size: 8, members: [.init("pair", 4, bitOffset: 0)])
    let name = module.name("int")
    let typedef = module.addTypedef("int", to: 1)
    let btf = try module.build()
    #expect(s == 20 && typedef == 21)
    #expect(name.offset >= base.totalStringLength)
    #expect(btf.types(named: "int") == [1, 21])
    #expect(try btf.size(of: s) == 8)
  }

  @Test func buildRejectsWhatTheFormatForbids() {
    var b = BTF.Builder()
    _ = b.addPointer(to: 5)  // never defined
    #expect(throws: BTFError.typeIDOutOfRange(typeID: 1, offset: 24, referenced: 5)) { try b.build() }
    var loop = BTF.Builder()
    _ = loop.addConst(1)
    #expect(throws: BTFError.referenceLoop(typeID: 1, offset: 24)) { try loop.build() }
  }
}
