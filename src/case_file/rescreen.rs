//! Re-screening saved cases: every case file in a folder is assessed again under the rules
//! in use and compared with the assessment saved in it. Used by `precursor-desk rescreen`
//! and the window's Data → Re-screen a folder….

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{Comparison, compare, open};
use crate::rules::{self, Catalogue};

/// A case whose verdict or obligations are not what was saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedCase {
    pub path: PathBuf,
    /// The case's reference, as typed (may be empty).
    pub reference: String,
    /// The file was changed outside the app since it was saved.
    pub tampered: bool,
    pub comparison: Comparison,
}

/// A file that could not be re-screened, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadCase {
    pub path: PathBuf,
    pub error: String,
}

/// What re-screening a folder found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rescreen {
    /// Most severe first: by today's verdict, then by the most severe changed finding.
    pub changed: Vec<ChangedCase>,
    pub unchanged: Vec<PathBuf>,
    pub bad: Vec<BadCase>,
}

/// The case files of a folder: its `*.ron` files, not its hidden ones (temporary files of a
/// save in progress), sorted by name.
pub fn case_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext.eq_ignore_ascii_case("ron"))
                && !path
                    .file_name()
                    .is_some_and(|name| name.to_string_lossy().starts_with('.'))
        })
        .collect();
    paths.sort();
    Ok(paths)
}

/// One case assessed again and compared with its saved assessment.
pub fn rescreen_file(
    path: &Path,
    catalogue: &Catalogue,
    today: NaiveDate,
) -> Result<(Comparison, String, bool), String> {
    let opened = open(path).map_err(|error| error.to_string())?;
    let Some(saved) = &opened.file.saved_assessment else {
        let unread = opened
            .unread_results
            .as_ref()
            .map_or_else(String::new, ToString::to_string);
        return Err(format!(
            "{unread}: there is nothing to compare today's assessment with; open the case in the window to check it again ({})",
            path.display()
        ));
    };
    let draft = &opened.file.case.shipment;
    let parsed = draft.parse(catalogue);
    let as_of = parsed.shipment.date.unwrap_or(today);
    let now = rules::evaluate_resolved(catalogue, &parsed.shipment, &parsed.resolutions, as_of);
    Ok((
        compare(saved, &now),
        draft.reference.clone(),
        opened.tampered,
    ))
}

/// Every case file of a folder re-screened; a file that cannot be read is listed with its
/// error and the run goes on. Only a folder that cannot be listed is an error.
pub fn rescreen_folder(
    dir: &Path,
    catalogue: &Catalogue,
    today: NaiveDate,
) -> std::io::Result<Rescreen> {
    let mut result = Rescreen::default();
    for path in case_files(dir)? {
        match rescreen_file(&path, catalogue, today) {
            Err(error) => result.bad.push(BadCase { path, error }),
            Ok((comparison, _, _)) if comparison.unchanged() => result.unchanged.push(path),
            Ok((comparison, reference, tampered)) => result.changed.push(ChangedCase {
                path,
                reference,
                tampered,
                comparison,
            }),
        }
    }
    result.changed.sort_by_key(|case| {
        let worst_change = case
            .comparison
            .changes
            .iter()
            .flat_map(|change| [change.before, change.after])
            .flatten()
            .map(rules::Status::severity)
            .max()
            .unwrap_or(0);
        (
            std::cmp::Reverse(case.comparison.now_overall.severity()),
            std::cmp::Reverse(worst_change),
        )
    });
    Ok(result)
}
