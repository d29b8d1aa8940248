//! `cargo run -p codegen` regenerates `constructs/src/cfn/`; `-- --check` only compares.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = match args.as_slice() {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => {
            eprintln!("usage: cargo run -p codegen [-- --check]");
            return ExitCode::from(2);
        }
    };
    let schemas = codegen::default_schemas_dir();
    let out = codegen::default_out_dir();
    let files = match codegen::generate(&schemas, &out) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("codegen: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = if check {
        codegen::check(&out, &files)
    } else {
        codegen::write(&out, &files)
    };
    match result {
        Ok(paths) if check && !paths.is_empty() => {
            eprintln!("codegen: generated files are out of date (run `cargo run -p codegen`):");
            for p in paths {
                eprintln!("  {}", p.display());
            }
            ExitCode::FAILURE
        }
        Ok(paths) => {
            if check {
                println!("codegen: {} generated files are up to date", files.len());
            } else {
                println!(
                    "codegen: {} files generated, {} changed",
                    files.len(),
                    paths.len()
                );
                for p in paths {
                    println!("  {}", p.display());
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("codegen: {e}");
            ExitCode::FAILURE
        }
    }
}
