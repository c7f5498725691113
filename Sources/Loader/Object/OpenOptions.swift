import Logging

/// How to open an object.
public struct OpenOptions: Sendable {
  /// The object's name: the prefix of its internal maps (`<name>.data`).
  /// Default: the file name up to its first dot, as libbpf does.
  public var objectName: String?
  /// A BTF file (raw or an ELF with `.BTF`) to apply CO-RE against instead
  /// of the running kernel's.
  public var targetBTFPath: String?
  /// `CONFIG_*` values that take precedence over the kernel's configuration
  /// for `__kconfig` externs (`"y"`, `"m"`, `"n"`, numbers, quoted strings).
  public var kconfigOverrides: [String: String]
  /// Where maps with `pinning = LIBBPF_PIN_BY_NAME` are pinned.
  public var pinRoot: String
  /// Verifier log level for every program (0: a log only on failure, at level 1).
  public var logLevel: UInt32
  /// Where the loader says what libbpf prints through `libbpf_set_print`:
  /// fallbacks (BTF refused, map BTF dropped) at `.warning`, decisions
  /// (sanitized BTF, pinned maps reused, kconfig defaults, verifier-log
  /// retries) at `.debug`. Records carry `LogMetadataKey` metadata.
  ///
  /// Default: `Logger(label: "swiftbpf")`, which goes to whatever backend the
  /// application bootstrapped (`LoggingSystem.bootstrap`); without one,
  /// swift-log's default writes `.info` and above to stderr. The library
  /// never bootstraps the logging system itself.
  public var logger: Logger

  /// Options; the defaults are libbpf's: CO-RE against the running kernel,
  /// its own configuration, pins under `/sys/fs/bpf`, a verifier log only
  /// on failure.
  public init(objectName: String? = nil, targetBTFPath: String? = nil,
              kconfigOverrides: [String: String] = [:], pinRoot: String = "/sys/fs/bpf",
              logLevel: UInt32 = 0, logger: Logger = Logger(label: "swiftbpf")) {
    self.objectName = objectName
    self.targetBTFPath = targetBTFPath
    self.kconfigOverrides = kconfigOverrides
    self.pinRoot = pinRoot
    self.logLevel = logLevel
    self.logger = logger
  }
}
