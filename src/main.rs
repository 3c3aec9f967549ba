use std::process::ExitCode;

fn main() -> ExitCode {
    match hone::run(std::env::args_os()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let (code, print) = hone::exit_status(&err);
            if print {
                eprintln!("hone: {}", hone::error_text(&err));
            }
            ExitCode::from(code)
        }
    }
}
