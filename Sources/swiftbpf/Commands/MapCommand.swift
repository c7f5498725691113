import ArgumentParser
import SwiftBPF

/// `swiftbpf map ...`: maps in the kernel.
struct MapCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "map",
    abstract: "List the kernel's maps and dump their entries.",
    subcommands: [List.self, Dump.self])

  /// `swiftbpf map list [--json]`
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List every map in the kernel: id, type, name, sizes, flags.")

    @OptionGroup var output: OutputOptions

    func run() throws {
      do {
        let report = MapListReport(try KernelMaps.list())
        if output.json {
          try CommandOutput.printJSON(report.maps)
        } else {
          print(report.text, terminator: "")
        }
      } catch {
        throw ExitCode(CommandOutput.report(error, json: output.json))
      }
    }
  }

  /// `swiftbpf map dump (id N | pinned PATH | name NAME) [--json]`
  struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print a map's entries, decoded from its BTF when it has one.",
      discussion: """
        The map is `id N`, `pinned PATH` (a bpffs file) or `name NAME` (the kernel's name, \
        at most 15 characters; it must be unique). With BTF, keys and values print as \
        numbers, strings and objects; without, as hex bytes. --json prints what \
        `bpftool map dump -j` prints.
        """)

    @Argument(help: ArgumentHelp("id N | pinned PATH | name NAME", valueName: "map"))
    var selector: [String]

    @OptionGroup var output: OutputOptions

    func validate() throws {
      guard MapSelector(selector) != nil else {
        throw ValidationError("name the map as: id N | pinned PATH | name NAME")
      }
    }

    func run() throws {
      do {
        guard let selector = MapSelector(selector) else { throw ExitCode.validationFailure }
        let fd = try selector.open()
        let report = MapDumpReport(contents: try MapContents.read(fd.borrowed))
        if output.json {
          try CommandOutput.printJSON(report.json)
        } else {
          print(report.text, terminator: "")
        }
      } catch let exit as ExitCode {
        throw exit
      } catch {
        throw ExitCode(CommandOutput.report(error, json: output.json))
      }
    }
  }
}
