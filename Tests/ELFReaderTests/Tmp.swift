import Testing
import TestSupport
import Foundation
@testable import ELFReader
@Test func tmpDump() throws {
  for url in Fixture.objects + [URL(fileURLWithPath: "/tmp/elfdev/full.o")] {
    let o: ObjectFile
    do { o = try ObjectFile(path: url.path) } catch { print("== \(url.lastPathComponent) ERROR \(error)"); continue }
    print("== \(url.lastPathComponent) \(o.byteOrder) progs=\(o.programs.count)")
    for p in o.programs { print("  prog \(p.name) \(p.sectionName) insns=\(p.instructions.count) def=\((try? p.definition.get()).map { "\($0.programType) \($0.expectedAttachType.map { "\($0)" } ?? "-")" } ?? "unknown")") }
    for d in o.dataSections where d.sectionIndex == nil { print("  data \(d.name) \(d.kind) \(d.size) vars=\(d.variables.map { "\($0.name)@\($0.offset)" })") }
    for m in o.maps { print("  map \(m.name) \(m.type) k=\(m.keySize) v=\(m.valueSize) max=\(m.maxEntries) fl=\(m.flags) extra=\(m.mapExtra) pin=\(m.pinning) kid=\(m.keyTypeID.map{"\($0)"} ?? "-") inner=\(m.innerMap.map { "\($0.type) \($0.keySize) \($0.valueSize) \($0.maxEntries)" } ?? "-") init=\(m.initialValues.map { "\($0.index)=\($0.symbolName)" })") }
    for e in o.externs { print("  extern \(e.name) \(e.kind) weak=\(e.isWeak) id=\(e.btfTypeID.map{"\($0)"} ?? "-")") }
  }
}
