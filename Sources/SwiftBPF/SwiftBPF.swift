// The umbrella module users import: one `import SwiftBPF` brings every layer.
@_exported import UAPI
@_exported import Instructions
@_exported import BTF
@_exported import ELFReader
@_exported import Relocation
@_exported import Syscall
@_exported import Loader
