import Foundation
import Testing
import TestSupport
import UAPI
@testable import BTF

@Suite struct WriterTests {
  @Test(arguments: [ByteOrder.little, .big])
  func handBuiltBlobRoundTripsByteIdentical(order: ByteOrder) throws {
    let bytes = ParserTests.allKinds(order).bytes()
    let btf = try BTF(bytes: bytes)
    #expect(try btf.encoded() == bytes)
  }

  @Test func swappingByteOrderKeepsEveryType() throws {
    let little = try BTF(bytes: ParserTests.allKinds(.little).bytes())
    let bigBytes = try little.encoded(byteOrder: .big)
    // The hand-built big-endian blob is the independent expectation.
    #expect(bigBytes == ParserTests.allKinds(.big).bytes())
    let big = try BTF(bytes: bigBytes)
    #expect(big.byteOrder == .big)
    #expect(try big.encoded(byteOrder: .little) == little.bytes)
  }

  @Test func vmlinuxRoundTripsByteIdentical() throws {
    guard let btf = try VmlinuxTests.vmlinux() else { return }
    let original = try #require(FileManager.default.contents(atPath: Bpftool.vmlinux))
    let written = try btf.encoded()
    #expect(written.count == original.count)
    #expect(written == Array(original))
  }
}
