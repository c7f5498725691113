// The Syscall module. See DESIGN.md for what belongs here.
