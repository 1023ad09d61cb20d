use clap::Parser;

fn main() -> std::process::ExitCode {
    guanxi::cli::main(guanxi::cli::Cli::parse())
}
