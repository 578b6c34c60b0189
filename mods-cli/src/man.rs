//! `mods man [--out DIR]`: manual pages written by clap_mangen from the same declarations
//! as the help: `mods.1`, and one page per subcommand (`mods-validate.1`,
//! `mods-fhir-export.1`, ...).

use clap::{Args, CommandFactory};
use std::io::{self, Write};
use std::path::PathBuf;

/// Options of `mods man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write every page (mods.1 and one per subcommand) into this directory, created if
    /// need be. Without it, the page of `mods` itself is printed.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// How to install and read the pages, shown by `mods man --help`.
pub const AFTER_HELP: &str = "Examples:
  mods man | man -l -                      read the page of mods
  mods man --out ~/.local/share/man/man1   install every page; then: man mods-validate";

/// Print the page of `mods`, or write every page under `--out`.
pub fn run(args: &ManArgs, out: &mut dyn Write) -> io::Result<u8> {
    let cmd = crate::cli::Cli::command();
    match &args.out {
        None => {
            let mut cmd = cmd.disable_help_subcommand(true);
            cmd.build();
            clap_mangen::Man::new(cmd).render(out)?;
        }
        Some(dir) => {
            if let Err(e) =
                std::fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(cmd, dir))
            {
                crate::output::error(&format!(
                    "cannot write the pages under {}: {}",
                    dir.display(),
                    crate::input::io_message(&e)
                ));
                return Ok(2);
            }
        }
    }
    Ok(0)
}
