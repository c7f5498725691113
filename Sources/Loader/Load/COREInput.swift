import BTF
import ELFReader
import Instructions

/// What the CO-RE engine takes from an object: the decoded code sections
/// that `.BTF.ext` has CO-RE records for, with their functions.
///
/// One function for the loader (`relocate`) and `swiftbpf reloc`, so the
/// report shows exactly the input a load relocates.
public struct COREInput: Sendable {
  /// The code sections with records, in `.BTF.ext` order (ELFReader's
  /// decoding, shared, not repeated).
  public var sections: [CodeSection]
  /// The record groups whose section is not decoded code: its name, and why
  /// it does not decode when it is executable (nil: no such code section).
  public var unavailable: [(section: String, error: InstructionError?)]

  /// `.BTF.ext` names sections; the object's first section of that name is
  /// the one meant (as libbpf finds it).
  public init(file: ObjectFile, extension ext: BTF.Extension) {
    sections = []
    unavailable = []
    for group in ext.coreRelocations {
      guard let section = file.section(named: group.name), section.isExecutable else {
        unavailable.append((group.name, nil))
        continue
      }
      let id = SectionID(section.index)
      if let code = file.code[id] {
        sections.append(code)
      } else {
        unavailable.append((group.name, file.undecodedCode[id]))
      }
    }
  }
}
