import ArgumentParser
import Codegen
import SwiftBPF

/// `swiftbpf gen types OBJ [--type NAME]... [--access public|internal] [-o FILE]`:
/// Swift types with the C layout of the BTF types the object's maps and
/// globals use, on standard output or into FILE.
struct GenTypes: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "types",
    abstract: "Write Swift types with the C layout of the object's map, global and ring buffer types.",
    discussion: """
      Every struct, union and enum that a map key or value, a ring buffer record or a global \
      variable uses (and each --type) becomes a Swift type at file scope whose size, alignment \
      and member offsets are the C ones. The file needs only `import SwiftBPF`; the same object \
      always gives the same bytes.
      """)

  @Argument(help: "A BPF ELF object built by clang with -g (it needs .BTF).")
  var object: String

  @Option(name: .customLong("type"), help: "Also this C struct, union, enum or typedef. Repeatable.")
  var types: [String] = []

  @Option(name: .long, help: "The access level of the generated declarations.")
  var access: GeneratedAccess = .public

  @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
  var output: String?

  func run() throws {
    do {
      let file = try ObjectFile(path: object)
      let options = SwiftTypeGenerator.Options(access: access.generatorAccess)
      try GeneratedFile.write(try TypesFile.generate(object: file, extraTypes: types, options: options), to: output)
    } catch {
      throw ExitCode(CommandOutput.report(error, json: false))
    }
  }
}
