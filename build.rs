//! Records the commit the program is built from, for `--version` and Help → About
//! (`precursor_desk::version`).
//!
//! The script reruns only when HEAD moves (a commit, a checkout, a fetch that repacks the
//! refs), never because a source file changed, so it costs no rebuild beyond the one the
//! new commit needs anyway. Outside a git checkout (a source tarball) the commit is
//! `unknown`, unless the packager names it in `PRECURSOR_DESK_COMMIT`.

use std::path::Path;
use std::process::Command;

const COMMIT_VARIABLE: &str = "PRECURSOR_DESK_COMMIT";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed={COMMIT_VARIABLE}");
    let commit = std::env::var(COMMIT_VARIABLE)
        .ok()
        .filter(|commit| !commit.trim().is_empty())
        .or_else(|| {
            watch_head();
            git(&["rev-parse", "--short=10", "HEAD"])
        })
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env={COMMIT_VARIABLE}={commit}");
}

/// Asks cargo to rerun this script when HEAD, the branch it names, or the packed refs
/// change. Worktrees keep these in different folders: git itself says where.
fn watch_head() {
    let mut files = vec![git(&["rev-parse", "--git-path", "HEAD"])];
    if let Some(branch) =
        git(&["rev-parse", "--symbolic-full-name", "HEAD"]).filter(|name| name.starts_with("refs/"))
    {
        files.push(git(&["rev-parse", "--git-path", &branch]));
    }
    files.push(git(&["rev-parse", "--git-path", "packed-refs"]));
    // A file that does not exist would make cargo rerun the script on every build.
    for file in files.into_iter().flatten() {
        if Path::new(&file).exists() {
            println!("cargo:rerun-if-changed={file}");
        }
    }
}

/// The trimmed output of a successful git command; `None` without git or a repository.
fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}
