//! `pack keygen`, `pack sign` and `pack verify`: signed rule packs (see `data::signing`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;

use super::{EXIT_INVALID_INPUT, terminal_safe};
use crate::data::{self, signing};

#[derive(Debug, Subcommand)]
pub enum PackCommand {
    /// Make a signing key: writes NAME.key (secret, readable by you only) and NAME.pub (give
    /// it to the officers who are to trust your packs).
    Keygen {
        /// The path and name of the two files, without extension.
        #[arg(long)]
        out: PathBuf,
        /// Who signs, as officers will see it (default: the file name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Sign a pack: writes PACK.ron.sig beside it, over the exact bytes of the file.
    Sign {
        pack: PathBuf,
        /// The secret key file (NAME.key).
        #[arg(long)]
        key: PathBuf,
    },
    /// Check a pack's signature against the trusted keys. Exit code 0 only when it is signed
    /// by a trusted key and unchanged since; 2 otherwise.
    Verify {
        pack: PathBuf,
        /// A folder of trusted public keys (*.pub); default: the folder the window uses.
        #[arg(long)]
        trusted: Option<PathBuf>,
    },
}

pub fn run(command: &PackCommand) -> ExitCode {
    let result = match command {
        PackCommand::Keygen { out, name } => keygen(out, name.as_deref()),
        PackCommand::Sign { pack, key } => sign(pack, key),
        PackCommand::Verify { pack, trusted } => verify(pack, trusted.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {}", terminal_safe(&message));
            ExitCode::from(EXIT_INVALID_INPUT)
        }
    }
}

fn keygen(out: &Path, name: Option<&str>) -> Result<ExitCode, String> {
    let name = name.map_or_else(
        || {
            out.file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default()
        },
        str::to_owned,
    );
    if name.trim().is_empty() {
        return Err("--out needs a file name, e.g. --out keys/compliance-lead".to_owned());
    }
    let key = signing::SecretKey::generate(&name).map_err(|e| e.to_string())?;
    let (secret, public) = signing::write_key_pair(out, &key).map_err(|e| e.to_string())?;
    outln!(
        "secret key: {} (keep it private)\npublic key: {} (key id {})",
        terminal_safe(&secret.display().to_string()),
        terminal_safe(&public.display().to_string()),
        signing::key_id(&key.public())
    );
    Ok(ExitCode::SUCCESS)
}

fn sign(pack: &Path, key: &Path) -> Result<ExitCode, String> {
    let key_file = key.display().to_string();
    let key = signing::read_text(key)
        .and_then(|text| signing::SecretKey::parse(&key_file, &text))
        .map_err(|e| e.to_string())?;
    let bytes = data::read_pack_bytes(pack).map_err(|e| e.to_string())?;
    // Only a pack that parses is worth signing; validation is `data check`'s job.
    data::parse_pack_bytes(pack, &bytes).map_err(|e| e.to_string())?;
    let path = signing::signature_path(pack);
    let write = tempfile::NamedTempFile::new_in(
        path.parent()
            .filter(|dir| !dir.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
    )
    .and_then(|mut file| {
        use std::io::Write as _;
        file.write_all(key.sign(&bytes).as_bytes())?;
        file.persist(&path).map_err(|error| error.error)?;
        Ok(())
    });
    write.map_err(|error| format!("{}: cannot write: {error}", path.display()))?;
    outln!(
        "signed by {}: {}",
        terminal_safe(&key.name),
        terminal_safe(&path.display().to_string())
    );
    Ok(ExitCode::SUCCESS)
}

fn verify(pack: &Path, trusted: Option<&Path>) -> Result<ExitCode, String> {
    let dir = trusted
        .map(Path::to_path_buf)
        .or_else(signing::trusted_key_dir);
    let (keys, problems) = signing::read_trusted_keys(dir.as_deref());
    for problem in problems {
        eprintln!(
            "warning: not a trusted key: {}",
            terminal_safe(&problem.to_string())
        );
    }
    let bytes = data::read_pack_bytes(pack).map_err(|e| e.to_string())?;
    let state = signing::verify_file(pack, &bytes, &keys);
    let file = terminal_safe(&pack.display().to_string());
    let line = crate::i18n::signature_state_text(&state, crate::i18n::Lang::En);
    if state.is_trusted() {
        outln!("{file}: {}", terminal_safe(&line));
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("{file}: {}", terminal_safe(&line));
        Ok(ExitCode::from(EXIT_INVALID_INPUT))
    }
}
