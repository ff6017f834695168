//! The `tether` command line.
