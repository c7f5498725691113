import Foundation

/// The one build command per `.bpf.c`: clang, then `swiftbpf gen skeleton`,
/// run by `/bin/sh` with the values as positional parameters (no quoting
/// of paths into the script).
///
/// Why one command and a shell, not a command per tool: SwiftPM treats
/// every output of a build command that is not a Swift source as a
/// resource of the target (it copies it into a resource bundle and
/// generates a `Bundle.module` accessor; swiftlang/swift-package-manager
/// #7116). So the `.bpf.o` and a generated `vmlinux.h` must not be declared
/// outputs: the only declared output is the skeleton, which is compiled.
///
/// `vmlinux.h`, when the target has none of its own, is generated into the
/// plugin's work directory the first time and again whenever the kernel's
/// BTF is newer than it (a new boot); `btf dump -o` writes it in one rename,
/// so two commands of one target generating it at once are harmless.
enum BuildScript {
  /// `sh -c text argv0 clang swiftbpf source object skeleton name vmlinux flags...`
  static let text = """
    set -e
    clang=$1 swiftbpf=$2 source=$3 object=$4 skeleton=$5 name=$6 vmlinux=$7
    shift 7
    if [ -n "$vmlinux" ] && { [ ! -f "$vmlinux" ] || [ /sys/kernel/btf/vmlinux -nt "$vmlinux" ]; }; then
      mkdir -p "${vmlinux%/*}"
      "$swiftbpf" btf dump /sys/kernel/btf/vmlinux --format c -o "$vmlinux"
    fi
    "$clang" "$@" -c "$source" -o "$object"
    "$swiftbpf" gen skeleton "$object" --name "$name" --access internal -o "$skeleton"
    """

  /// The arguments of `/bin/sh` for one source.
  static func arguments(
    clang: URL, swiftbpf: URL, source: URL, object: URL, skeleton: URL, name: String,
    generatedVmlinux: URL?, flags: [String]
  ) -> [String] {
    ["-c", text, "swiftbpf-plugin", clang.path, swiftbpf.path, source.path, object.path, skeleton.path, name,
     generatedVmlinux?.path ?? ""] + flags
  }
}
