// The Relocation module. See DESIGN.md for what belongs here.
