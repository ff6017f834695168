//! The `tether` command; everything lives in `tether_compiler::cli`.

fn main() -> std::process::ExitCode {
    tether_compiler::cli::main()
}
