import Logging
import SwiftBPF
import Testing
@testable import swiftbpf

/// `load`'s text report prints the loader's warnings as
/// `LoadedObject.warnings` worded them before they became log records.
@Suite struct WarningCollectorTests {
  @Test func warningsKeepTheirFormerWording() {
    let collector = WarningCollector()
    var logger = Logger(label: "swiftbpf") { _ in collector.handler }
    logger[metadataKey: LogMetadataKey.object] = "programs"
    logger[metadataKey: LogMetadataKey.file] = "Fixtures/obj/programs.bpf.o"
    logger.warning("the kernel refused the object's BTF (EINVAL); loaded without it")
    logger.warning("created without BTF key/value types (the kernel refused them)",
                   metadata: [LogMetadataKey.map: "counts"])
    logger.debug("not a warning: left out")
    #expect(collector.take() == [
      "Fixtures/obj/programs.bpf.o: the kernel refused the object's BTF (EINVAL); loaded without it",
      "map 'counts': created without BTF key/value types (the kernel refused them)",
    ])
    #expect(collector.take().isEmpty)
  }

  @Test func reportPrintsThemAfterTheTables() {
    let report = LoadReport(programs: [], maps: [], warnings: ["map 'counts': dropped"])
    #expect(report.text.hasSuffix("\nwarning: map 'counts': dropped\n"))
  }
}
