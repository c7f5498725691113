/// What a section name says to attach to, parsed from the text after the
/// row's name and `/` (`SEC("kprobe/do_exit")` → `.kprobe(function: "do_exit",
/// offset: 0)`).
///
/// One case per target format of libbpf's section names. Names are kept as
/// written; resolving them (tracefs ids, BTF ids, ELF symbols, library paths)
/// is the loader's job.
public enum AttachTarget: Sendable, Hashable {
  /// `tp/<category>/<name>`, `tracepoint/<category>/<name>` (and `.s`).
  ///
  /// Kernel: the id is read from tracefs `events/<category>/<name>/id`.
  case tracepoint(category: String, name: String)

  /// `raw_tp/<name>`, `raw_tracepoint/<name>` (and `.w`, `.s`).
  case rawTracepoint(String)

  /// A BTF name resolved at load time: the traced function of `fentry`,
  /// `fexit`, `fmod_ret`, `fsession`, the BTF tracepoint of `tp_btf`, the
  /// replaced function of `freplace` (in the target program's BTF), the hook
  /// of `lsm` and `lsm_cgroup`.
  ///
  /// Written `<name>` or `<module>:<name>` (`vmlinux:<name>` means the kernel
  /// itself); the string is kept whole, as libbpf passes it on.
  case kernelFunction(String)

  /// `iter/<type>`: the iterator target (`task`, `bpf_map_elem`...).
  ///
  /// Kernel: the BTF function `bpf_iter_<type>`.
  case iterator(String)

  /// `kprobe/<function>[+<offset>]`, `kretprobe/<function>`.
  ///
  /// `function` is made of `a-zA-Z0-9_.`; `offset` is decimal, `0x` hex or
  /// `0` octal (C's `strtol` base 0), 0 when absent.
  case kprobe(function: String, offset: UInt64)

  /// `kprobe.multi/<pattern>`, `kretprobe.multi/<pattern>`,
  /// `kprobe.session/<pattern>`: kernel functions matching a glob made of
  /// `a-zA-Z0-9_.` and the wildcards `*`, `?`.
  case kprobeMulti(pattern: String)

  /// `ksyscall/<name>`, `kretsyscall/<name>`: a system call by its generic
  /// name (`openat`); the loader adds the architecture prefix.
  case syscall(String)

  /// `uprobe/<path>:<function>[+<offset>]` (and `uretprobe`, `.s`).
  ///
  /// The path ends at the first `:` after the `/` (so `uprobe//usr/bin/x:f`
  /// means path `/usr/bin/x`); a path without `/` is a library or program
  /// name to be searched for, and `archive.zip!/lib.so` names a file inside
  /// a zip archive. `function` may carry a symbol version (`malloc@GLIBC_2.2.5`).
  /// `function` is nil when the name gives an absolute offset in the file
  /// instead (`uprobe//bin/x:0x1234` or `uprobe//bin/x:+0x1234`), an
  /// extension over libbpf, which looks such text up as a symbol name.
  case uprobe(path: String, function: String?, offset: UInt64)

  /// `uprobe.multi/<path>:<pattern>` (and `uretprobe.multi`,
  /// `uprobe.session`, `.s`): the functions of one binary matching a glob.
  case uprobeMulti(path: String, pattern: String)

  /// `usdt/<path>:<provider>:<name>` (and `usdt.s`).
  case usdt(path: String, provider: String, name: String)

  /// `struct_ops/<operation>`: the struct_ops member the program implements.
  /// Informational: the program is bound to its member through the
  /// struct_ops map, not through this name.
  case structOps(String)
}
