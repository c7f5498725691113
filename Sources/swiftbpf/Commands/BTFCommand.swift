import ArgumentParser
import SwiftBPF

/// `swiftbpf btf ...`: BTF tools.
struct BTFCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "btf",
    abstract: "Read BTF type information.",
    subcommands: [Dump.self])

  /// `swiftbpf btf dump FILE [--format raw|c] [--type NAME]... [-o OUT]`
  struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print the types of a BTF: one line per type, or a C header like vmlinux.h.",
      discussion: """
        FILE is a raw BTF file (/sys/kernel/btf/vmlinux, a module's /sys/kernel/btf/NAME with \
        --base), or an ELF object with a .BTF section.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
      case raw, c
    }

    @Argument(help: "A raw BTF file or an ELF object with .BTF.")
    var file: String

    @Option(name: .long, help: "raw: one line per type ([id] KIND 'name' ...); c: a C header.")
    var format: Format = .raw

    @Option(name: .customLong("type"), help: "Only this type (and, for C, what it needs). Repeatable.")
    var types: [String] = []

    @Option(name: .long, help: "The base BTF of a split (module) BTF, e.g. /sys/kernel/btf/vmlinux.")
    var base: String?

    @Option(name: [.short, .long], help: "Write to this file (default: standard output).")
    var output: String?

    func run() throws {
      do {
        let baseBTF = try base.map { try BTFFile.load($0) }
        let btf = try BTFFile.load(file, base: baseBTF)
        switch format {
        case .c:
          try emit(try BTF.CHeader.render(btf, types: types.isEmpty ? nil : types))
        case .raw:
          let ids = try types.isEmpty ? nil : types.map { name throws -> BTF.TypeID in
            guard let id = btf.types(named: name).first else { throw DumpError.noSuchType(name, file: file) }
            return id
          }
          try emit(try BTF.RawDump.render(btf, types: ids))
        }
      } catch {
        throw ExitCode(CommandOutput.report(error, json: false))
      }
    }

    /// Prints `text`, or writes it to `--output` in one rename, so a build
    /// that stops half-way (the build plugin's vmlinux.h) never leaves a
    /// truncated header behind.
    private func emit(_ text: String) throws {
      try GeneratedFile.write(text, to: output)
    }
  }
}

enum DumpError: Error, CustomStringConvertible {
  case noSuchType(String, file: String)

  var description: String {
    switch self {
    case .noSuchType(let name, let file): "\(file): no type named '\(name)'"
    }
  }
}
