//! The `loadgen` binary: parse flags, hand over to the library, turn errors into one message
//! and an exit code (see `loadgen --help`).

use clap::Parser;

fn main() {
    let cli = loadgen::cli::Cli::parse();
    loadgen::limits::raise_open_file_limit();
    let code = match loadgen::commands::dispatch(cli.command) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("loadgen: error: {error}");
            error.exit_code()
        }
    };
    std::process::exit(code);
}
