import ArgumentParser
import Codegen
import SwiftBPF

/// `swiftbpf gen skeleton OBJ [--name NAME] [--access public|internal] [-o FILE]`:
/// one Swift file embedding the object, with typed open and loaded phases.
struct GenSkeleton: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "skeleton",
    abstract: "Write a Swift skeleton for a BPF object: the object embedded, typed globals, maps, programs and events.")

  @Argument(help: "A BPF ELF object built by clang (-target bpf -g).")
  var object: String

  @Option(name: .long, help: "The skeleton's Swift type name (default: the object name in UpperCamelCase).")
  var name: String?

  @Option(name: .long, help: "Access level of the generated declarations: public or internal.")
  var access: GeneratedAccess = .public

  @Option(name: .shortAndLong, help: "Write to this file (default: standard output).")
  var output: String?

  func run() throws {
    do {
      let bytes = try GeneratedFile.readObject(object)
      var generator = try SkeletonGenerator(
        objectBytes: bytes, fileName: object, options: .init(name: name, access: access.generatorAccess))
      try GeneratedFile.write(try generator.generate(), to: output)
    } catch {
      throw ExitCode(CommandOutput.report(error, json: false))
    }
  }
}
