// The Instructions module. See DESIGN.md for what belongs here.
