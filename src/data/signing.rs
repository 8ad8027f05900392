//! Signed rule packs: Ed25519 over the exact bytes of a pack file.
//!
//! Three small text files, each `key = value` lines with `#` comments:
//! - a public key `NAME.pub`: `name` (who signs, shown to officers) and `public` (64 hex digits);
//! - a secret key `NAME.key`: `name` and `secret` (64 hex digits), written readable by its
//!   owner only;
//! - a detached signature `PACK.ron.sig`: `key` (the signer's key id, see [`key_id`]) and
//!   `signature` (128 hex digits) over every byte of `PACK.ron`.
//!
//! The functions here are pure over bytes and text; reading and writing the files is at the
//! end of the module.

use std::path::{Path, PathBuf};

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

pub use crate::rules::provenance::SignatureState;

/// A key file or a signature file that cannot be used, in words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("{file}: missing the `{field}` line")]
    Missing { file: String, field: &'static str },
    #[error("{file}: `{field}` must be {digits} hexadecimal digits")]
    BadHex {
        file: String,
        field: &'static str,
        digits: usize,
    },
    #[error("{file}: `{field}` is not a valid Ed25519 key")]
    BadKey { file: String, field: &'static str },
    #[error("{file}: cannot read: {message}")]
    Read { file: String, message: String },
    #[error("{file}: cannot write: {message}")]
    Write { file: String, message: String },
    #[error("the system gave no random numbers for a new key: {0}")]
    Random(String),
}

impl KeyError {
    /// The file it is about (empty for a new key that could not be made).
    pub fn file(&self) -> &str {
        match self {
            Self::Missing { file, .. }
            | Self::BadHex { file, .. }
            | Self::BadKey { file, .. }
            | Self::Read { file, .. }
            | Self::Write { file, .. } => file,
            Self::Random(_) => "",
        }
    }
}

/// A public key that can check signatures, with the name of who signs with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    pub name: String,
    key: VerifyingKey,
}

/// A secret key that signs packs.
pub struct SecretKey {
    pub name: String,
    key: SigningKey,
}

impl std::fmt::Debug for SecretKey {
    /// Never prints the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretKey({})", self.name)
    }
}

/// The short id a signature names its key by: the first 16 hex digits of the SHA-256 of the
/// public key's bytes.
pub fn key_id(key: &PublicKey) -> String {
    hex(&Sha256::digest(key.key.as_bytes())[..8])
}

impl SecretKey {
    /// A new key from the system's random numbers.
    pub fn generate(name: &str) -> Result<Self, KeyError> {
        let mut seed = [0u8; ed25519_dalek::SECRET_KEY_LENGTH];
        getrandom::fill(&mut seed).map_err(|error| KeyError::Random(error.to_string()))?;
        Ok(Self {
            name: one_line(name),
            key: SigningKey::from_bytes(&seed),
        })
    }

    pub fn public(&self) -> PublicKey {
        PublicKey {
            name: self.name.clone(),
            key: self.key.verifying_key(),
        }
    }

    /// The text of the secret key file.
    pub fn to_text(&self) -> String {
        format!(
            "# Precursor Desk secret signing key (Ed25519). Keep it private: whoever has it can sign packs.\nname = {}\nsecret = {}\n",
            self.name,
            hex(self.key.as_bytes())
        )
    }

    pub fn parse(file: &str, text: &str) -> Result<Self, KeyError> {
        let fields = fields(text);
        let name = field(file, &fields, "name")?.to_owned();
        let bytes: [u8; 32] = unhex(file, field(file, &fields, "secret")?, "secret")?;
        Ok(Self {
            name,
            key: SigningKey::from_bytes(&bytes),
        })
    }

    /// The text of the signature file for these pack bytes.
    pub fn sign(&self, pack: &[u8]) -> String {
        let signature = self.key.sign(pack);
        format!(
            "# Precursor Desk pack signature (Ed25519 over every byte of the pack file), by {}\nkey = {}\nsignature = {}\n",
            self.name,
            key_id(&self.public()),
            hex(&signature.to_bytes())
        )
    }
}

impl PublicKey {
    /// The text of the public key file.
    pub fn to_text(&self) -> String {
        format!(
            "# Precursor Desk public key (Ed25519): trust it to accept packs signed by {}\nname = {}\npublic = {}\n",
            self.name,
            self.name,
            hex(self.key.as_bytes())
        )
    }

    pub fn parse(file: &str, text: &str) -> Result<Self, KeyError> {
        let fields = fields(text);
        let name = field(file, &fields, "name")?.to_owned();
        let bytes: [u8; 32] = unhex(file, field(file, &fields, "public")?, "public")?;
        let key = VerifyingKey::from_bytes(&bytes).map_err(|_| KeyError::BadKey {
            file: file.to_owned(),
            field: "public",
        })?;
        Ok(Self { name, key })
    }
}

/// Checks a pack's bytes against its signature file's text (`None`: there is none) and the
/// keys the officer trusts.
pub fn verify(pack: &[u8], signature_file: Option<&str>, trusted: &[PublicKey]) -> SignatureState {
    let Some(text) = signature_file else {
        return SignatureState::Unsigned;
    };
    let fields = fields(text);
    let parsed = field(".sig", &fields, "key").and_then(|id| {
        let bytes: [u8; 64] = unhex(".sig", field(".sig", &fields, "signature")?, "signature")?;
        Ok((id.to_owned(), Signature::from_bytes(&bytes)))
    });
    let (id, signature) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => {
            return SignatureState::Garbled {
                problem: error.to_string().trim_start_matches(".sig: ").to_owned(),
            };
        }
    };
    let Some(key) = trusted.iter().find(|key| key_id(key) == id) else {
        return SignatureState::UnknownKey { key_id: id };
    };
    if key.key.verify(pack, &signature).is_ok() {
        SignatureState::Trusted {
            signer: key.name.clone(),
        }
    } else {
        SignatureState::Tampered {
            signer: key.name.clone(),
        }
    }
}

/// `key = value` lines, `#` comments and blank lines skipped.
fn fields(text: &str) -> Vec<(&str, &str)> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.trim(), value.trim()))
        .collect()
}

fn field<'a>(
    file: &str,
    fields: &[(&str, &'a str)],
    name: &'static str,
) -> Result<&'a str, KeyError> {
    fields
        .iter()
        .find(|(key, _)| *key == name)
        .map(|(_, value)| *value)
        .ok_or_else(|| KeyError::Missing {
            file: file.to_owned(),
            field: name,
        })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn unhex<const N: usize>(file: &str, text: &str, field: &'static str) -> Result<[u8; N], KeyError> {
    let bad = || KeyError::BadHex {
        file: file.to_owned(),
        field,
        digits: N * 2,
    };
    if text.len() != N * 2 || !text.is_ascii() {
        return Err(bad());
    }
    let mut bytes = [0u8; N];
    for (byte, pair) in bytes.iter_mut().zip(text.as_bytes().chunks(2)) {
        let pair = std::str::from_utf8(pair).map_err(|_| bad())?;
        *byte = u8::from_str_radix(pair, 16).map_err(|_| bad())?;
    }
    Ok(bytes)
}

/// A name kept on one line, so that it cannot add a line to a key file.
fn one_line(name: &str) -> String {
    name.split(['\n', '\r'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// Key and signature files are small; anything larger is not one.
const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;

/// The signature file of a pack: `PACK.ron.sig` beside it.
pub fn signature_path(pack: &Path) -> PathBuf {
    let mut name = pack.as_os_str().to_owned();
    name.push(".sig");
    PathBuf::from(name)
}

/// Reads a small text file (a key or a signature).
pub fn read_text(path: &Path) -> Result<String, KeyError> {
    let file = path.display().to_string();
    let bytes =
        crate::case_file::disk::read_bounded(path, MAX_KEY_FILE_BYTES).map_err(|problem| {
            use crate::case_file::disk::ReadProblem;
            let message = match problem {
                ReadProblem::NotAFile(kind) => format!("not a file but {kind}"),
                ReadProblem::TooLarge(size) => format!("{size} bytes is too large for a key file"),
                ReadProblem::Io(error) => error.to_string(),
            };
            KeyError::Read {
                file: file.clone(),
                message,
            }
        })?;
    String::from_utf8(bytes).map_err(|_| KeyError::Read {
        file,
        message: "the file is not text (not UTF-8)".to_owned(),
    })
}

/// The signature state of a pack file's bytes: reads `PACK.ron.sig` if there is one.
pub fn verify_file(pack_path: &Path, pack: &[u8], trusted: &[PublicKey]) -> SignatureState {
    let sig_path = signature_path(pack_path);
    if !sig_path.exists() {
        return SignatureState::Unsigned;
    }
    match read_text(&sig_path) {
        Ok(text) => verify(pack, Some(&text), trusted),
        Err(error) => SignatureState::Garbled {
            problem: error.to_string(),
        },
    }
}

/// The folder of the public keys the officer trusts.
pub fn trusted_key_dir() -> Option<PathBuf> {
    crate::folders::config_dir().map(|dir| dir.join("trusted-keys"))
}

/// The `*.pub` keys in a folder, with the files that are not keys and why.
pub fn read_trusted_keys(dir: Option<&Path>) -> (Vec<PublicKey>, Vec<KeyError>) {
    let paths = crate::folders::files_with_extension(dir, "pub");
    let mut keys = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let file = path.display().to_string();
        match read_text(&path).and_then(|text| PublicKey::parse(&file, &text)) {
            Ok(key) => keys.push(key),
            Err(error) => problems.push(error),
        }
    }
    (keys, problems)
}

/// Writes `OUT.key` (the secret, readable by its owner only) and `OUT.pub`; refuses to
/// overwrite either. Returns the two paths.
pub fn write_key_pair(out: &Path, key: &SecretKey) -> Result<(PathBuf, PathBuf), KeyError> {
    let with_extension = |extension: &str| {
        let mut name = out.as_os_str().to_owned();
        name.push(extension);
        PathBuf::from(name)
    };
    let secret_path = with_extension(".key");
    let public_path = with_extension(".pub");
    for path in [&secret_path, &public_path] {
        if path.exists() {
            return Err(KeyError::Write {
                file: path.display().to_string(),
                message: "already exists; not overwritten".to_owned(),
            });
        }
    }
    write_new(&secret_path, &key.to_text(), true)?;
    write_new(&public_path, &key.public().to_text(), false)?;
    Ok((secret_path, public_path))
}

/// Creates a file that must not exist yet; a secret one is created readable by its owner
/// only (on Unix), before a byte is written to it.
fn write_new(path: &Path, text: &str, secret: bool) -> Result<(), KeyError> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = secret;
    options
        .open(path)
        .and_then(|mut file| {
            file.write_all(text.as_bytes())
                .and_then(|()| file.sync_all())
        })
        .map_err(|error| KeyError::Write {
            file: path.display().to_string(),
            message: error.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> SecretKey {
        SecretKey::from_seed(name, [7; 32])
    }

    impl SecretKey {
        fn from_seed(name: &str, seed: [u8; 32]) -> Self {
            Self {
                name: name.to_owned(),
                key: SigningKey::from_bytes(&seed),
            }
        }
    }

    #[test]
    fn key_files_round_trip_through_their_text() {
        let secret = key("Compliance lead");
        let again = SecretKey::parse("a.key", &secret.to_text()).unwrap();
        assert_eq!(again.key.as_bytes(), secret.key.as_bytes());
        assert_eq!(again.name, "Compliance lead");
        let public = PublicKey::parse("a.pub", &secret.public().to_text()).unwrap();
        assert_eq!(public, secret.public());
        assert_eq!(key_id(&public).len(), 16);
    }

    #[test]
    fn a_name_cannot_add_a_line_to_a_key_file() {
        let secret = SecretKey::generate("lead\nsecret = 00").unwrap();
        assert_eq!(secret.name, "lead");
    }
}
