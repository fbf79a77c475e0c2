//! The `candor` binary: parse arguments, run, exit with 0 (clean), 1 (findings) or 2 (error).

fn main() -> std::process::ExitCode {
    candor::cli::main()
}
