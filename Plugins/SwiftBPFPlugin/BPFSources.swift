import Foundation

/// What the plugin finds in a target's directory: the BPF C sources it
/// compiles and every header beside them.
///
/// SwiftPM hands a plugin only the files it would compile itself, and a
/// Swift target may not contain C (`exclude:` keeps the `.bpf.c` files out
/// of it), so the directory is walked here instead, recursively.
struct BPFSources {
  /// The `*.bpf.c` files, sorted so the commands come out in a stable order.
  var sources: [URL] = []
  /// Every `*.h` file: inputs of each compile, so that editing a header
  /// rebuilds the objects (SwiftPM build commands take no depfile, so a
  /// header the source does not include also triggers a rebuild).
  var headers: [URL] = []
  /// The target's own `vmlinux.h`, if it has one.
  var vmlinuxHeader: URL?
  /// Some source or header includes `vmlinux.h`.
  var includesVmlinux = false
  /// Some source or header includes a libbpf header (`<bpf/...>`).
  var includesLibbpfHeaders = false

  init(directory: URL) {
    let keys: [URLResourceKey] = [.isRegularFileKey]
    guard let walk = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: keys) else {
      return
    }
    for case let url as URL in walk {
      let name = url.lastPathComponent
      if name.hasSuffix(".bpf.c") {
        sources.append(url)
      } else if name.hasSuffix(".h") {
        headers.append(url)
        if name == "vmlinux.h" {
          vmlinuxHeader = url
          continue  // 100k lines that include nothing of interest
        }
      } else {
        continue
      }
      scanIncludes(of: url)
    }
    sources.sort { $0.path < $1.path }
    headers.sort { $0.path < $1.path }
  }

  /// Notes which headers `url` includes (`#include "vmlinux.h"`,
  /// `#include <bpf/bpf_helpers.h>`), reading only its `#include` lines.
  private mutating func scanIncludes(of url: URL) {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return }
    for line in text.split(separator: "\n") {
      let trimmed = line.drop { $0 == " " || $0 == "\t" }
      guard trimmed.hasPrefix("#") else { continue }
      let directive = trimmed.dropFirst().drop { $0 == " " || $0 == "\t" }
      guard directive.hasPrefix("include") else { continue }
      if directive.contains("vmlinux.h") { includesVmlinux = true }
      if directive.contains("<bpf/") { includesLibbpfHeaders = true }
    }
  }
}
