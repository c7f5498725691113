// The ELFReader module. See DESIGN.md for what belongs here.
