// The Loader module. See DESIGN.md for what belongs here.
