// The BTF module. See DESIGN.md for what belongs here.
