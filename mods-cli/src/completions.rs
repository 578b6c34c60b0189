//! `mods completions SHELL`: a completion script for the shell, written by clap_complete
//! from the same declarations as the help, so it always knows every command and option.

use clap::{Args, CommandFactory};
use clap_complete::Shell;
use std::io::{self, Write};

/// Options of `mods completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

/// How to install the script, shown by `mods completions --help`.
pub const AFTER_HELP: &str = "Install, for example:
  bash:  mods completions bash > ~/.local/share/bash-completion/completions/mods
  zsh:   mods completions zsh > ~/.zfunc/_mods   (with fpath+=~/.zfunc before compinit)
  fish:  mods completions fish > ~/.config/fish/completions/mods.fish";

/// Write the completion script for `args.shell` to `out`.
pub fn run(args: &CompletionsArgs, out: &mut dyn Write) -> io::Result<u8> {
    let mut cmd = crate::cli::Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "mods", out);
    Ok(0)
}
