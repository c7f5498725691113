import BTF
import ELFReader
import Instructions

/// A program's exception callback: what `bpf_throw` runs, named by the BTF
/// decl tag `exception_callback:<name>` on the program's FUNC
/// (`__exception_cb(name)` in the kernel's selftests headers).
///
/// The kernel finds the callback by that name among the program's func_info
/// records ("exception callback type id not found in func_info" when it is
/// missing), but the program never calls it, so following calls does not
/// place it: the linker appends it (and what it calls) after the rest, as
/// libbpf does. libbpf's rules, followed here:
/// - a tag of that form must sit on a global FUNC (any program's load fails
///   otherwise), and its value must not be empty;
/// - two such tags on one program: none is appended (the verifier refuses
///   the program);
/// - the callback is a `.text` function that is global and not hidden (the
///   verifier checks it as a global function); two of that name is an error;
/// - nothing is done without the object's BTF or when the kernel takes no
///   decl tags (they are sanitized away then).
enum ExceptionCallback {
  static let tagPrefix = "exception_callback:"

  /// The subprogram to append to `program`, nil when it has none.
  static func find(for program: String, file: ObjectFile, btf: BTF?) throws(LoadError) -> Function? {
    guard let btf else { return nil }
    var found: Function?
    for raw in btf.localTypeIDs {
      guard case .declarationTag(let tag)? = try? btf[BTF.TypeID(raw)], tag.componentIndex == -1,
        let text = try? btf.string(of: tag.name), text.hasPrefix(tagPrefix)
      else { continue }
      guard case .function(let function)? = try? btf[tag.type], function.linkage == .global else {
        throw .exceptionCallback(program: program, reason: "the decl tag '\(text)' is not on a program's function "
          + "(it must tag the global function of the program that throws)")
      }
      guard btf.name(function.name, equals: program) else { continue }
      // A second tag on this program: the verifier refuses it; append none.
      if found != nil { return nil }
      let name = String(text.dropFirst(tagPrefix.count))
      guard !name.isEmpty else {
        throw .exceptionCallback(program: program, reason: "the decl tag '\(text)' names no function")
      }
      let candidates = file.subprograms.filter { $0.name == name }
      guard let callback = candidates.first else {
        throw .exceptionCallback(program: program, reason: "no function '\(name)' in .text; define it as a global "
          + "function int \(name)(u64 cookie)")
      }
      guard candidates.count == 1 else {
        throw .exceptionCallback(program: program, reason: "\(candidates.count) functions are called '\(name)'")
      }
      let symbol = file.symbol(of: callback)
      guard let symbol, symbol.binding != .local, symbol.visibility != .hidden, symbol.visibility != .internal else {
        throw .exceptionCallback(program: program, reason: "'\(name)' must be a global function that is not "
          + "static or __hidden (the verifier checks it as a global function)")
      }
      found = callback
    }
    return found
  }
}
