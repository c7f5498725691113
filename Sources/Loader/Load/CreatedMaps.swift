import ELFReader
import Syscall

/// The map stage's output: one handle per created (or reused) map.
struct CreatedMaps {
  /// In the object's order.
  var maps: [LoadedObject.Map] = []
  var byName: [String: LoadedObject.Map] = [:]
  /// The maps of global data sections (`.data`, `.rodata`, `.kconfig`…), by section name.
  var dataMaps: [String: LoadedObject.Map] = [:]
  /// Maps created by this load, to pin at the end, with their paths.
  var toPin: [(map: LoadedObject.Map, path: String)] = []
}
