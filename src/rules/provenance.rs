//! Which pack supplied the content a finding rests on: a finding that rests on one of the
//! officer's own packs says so, with how that pack's signature checked out.

use super::assessment::{Finding, LineAssessment, Reason};
use super::catalogue::Catalogue;
use super::model::PackInfo;

/// Where a user pack's signature stands (checked when the pack is loaded, see
/// `data::signing`): shown wherever the pack's content is cited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureState {
    /// Signed by a key the officer trusts, named.
    Trusted { signer: String },
    /// Signed, but by a key the officer does not trust (its id).
    UnknownKey { key_id: String },
    /// No signature file beside the pack.
    Unsigned,
    /// Signed by a trusted key, but the pack's bytes no longer match the signature.
    Tampered { signer: String },
    /// A signature file that cannot be read as one.
    Garbled { problem: String },
}

impl SignatureState {
    /// Whether the pack comes verified from a trusted signer.
    pub fn is_trusted(&self) -> bool {
        matches!(self, Self::Trusted { .. })
    }

    /// A stable code for scripts (JSON): `trusted`, `unknown_key`, `unsigned`, `tampered`,
    /// `garbled`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Trusted { .. } => "trusted",
            Self::UnknownKey { .. } => "unknown_key",
            Self::Unsigned => "unsigned",
            Self::Tampered { .. } => "tampered",
            Self::Garbled { .. } => "garbled",
        }
    }
}

/// A user pack a finding rests on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UserSource<'a> {
    pub pack: &'a PackInfo,
    /// `None` for a user pack loaded without a signature check (a test catalogue).
    pub signature: Option<&'a SignatureState>,
}

impl Catalogue {
    /// Whether a pack id is one of the officer's own packs.
    pub fn is_user_pack(&self, id: &str) -> bool {
        self.user_packs.iter().any(|pack| pack.as_ref() == id)
    }

    /// The date of the rule content in use: the newest pack date, or pack version written as
    /// a date (`2026.12.02` or `2026-12-02`), as the embedded packs are versioned.
    pub fn content_date(&self) -> Option<chrono::NaiveDate> {
        self.packs.iter().filter_map(pack_date).max()
    }

    /// How many listings the pack at this position in `packs` supplied.
    pub fn listings_of_pack(&self, position: usize) -> usize {
        self.listing_pack
            .iter()
            .filter(|&&pack| pack == position)
            .count()
    }

    /// The user packs whose listings or known gaps this finding rests on, each named once.
    pub fn user_sources<'a>(
        &'a self,
        line: &LineAssessment,
        finding: &Finding,
    ) -> Vec<UserSource<'a>> {
        let chemical = line.resolution.chemical();
        let mut packs: Vec<usize> = Vec::new();
        for reason in &finding.reasons {
            match reason {
                Reason::Listed { list, .. } => {
                    if let Some(chemical) = chemical {
                        packs.extend(self.listing_packs(chemical, list));
                    }
                }
                Reason::ListedViaGroup { list, group } => {
                    packs.extend(self.listing_packs(group, list));
                }
                Reason::KnownGap { gap } => packs.extend(
                    self.gaps
                        .iter()
                        .zip(&self.gap_pack)
                        .filter(|(known, _)| known.id.as_ref() == gap.as_ref())
                        .map(|(_, &pack)| pack),
                ),
                _ => {}
            }
        }
        packs.sort_unstable();
        packs.dedup();
        packs
            .into_iter()
            .filter_map(|position| self.packs.get(position))
            .filter(|pack| self.is_user_pack(&pack.id))
            .map(|pack| UserSource {
                pack,
                signature: self.signatures.get(pack.id.as_ref()),
            })
            .collect()
    }

    /// The positions in `packs` of the packs listing this chemical on this list.
    fn listing_packs<'a>(
        &'a self,
        chemical: &'a str,
        list: &'a str,
    ) -> impl Iterator<Item = usize> + 'a {
        self.listings
            .iter()
            .zip(&self.listing_pack)
            .filter(move |(listing, _)| {
                listing.chemical.as_ref() == chemical && listing.list.as_ref() == list
            })
            .map(|(_, &pack)| pack)
    }
}

/// A pack's date: its `date`, or else its version when that is a date.
pub fn pack_date(pack: &PackInfo) -> Option<chrono::NaiveDate> {
    pack.date.or_else(|| {
        chrono::NaiveDate::parse_from_str(&pack.version, "%Y.%m.%d")
            .or_else(|_| chrono::NaiveDate::parse_from_str(&pack.version, "%Y-%m-%d"))
            .ok()
    })
}
