//! How much of the rule content rests on what: listings by the confidence of their sources,
//! per jurisdiction; identifier coverage of the chemicals; and the known gaps. Pure: it reads
//! packs and returns figures, which `data check` prints and the window can show.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::rules::model::{Confidence, GapEffect, GapId, Pack};

/// The regime whose lists make up China's precursor catalogue (categories 1 to 3).
pub const CHINA_CATALOGUE_REGIME: &str = "CN-precursor-export";

/// Listings of one jurisdiction, by the confidence of their citations, and its known gaps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JurisdictionCoverage {
    pub jurisdiction: String,
    /// The packs the listings come from.
    pub packs: BTreeSet<String>,
    pub official: usize,
    pub secondary: usize,
    pub unverified: usize,
    pub gaps: Vec<GapLine>,
    /// Chemicals (not groups) listed in the jurisdiction that have a CAS number, out of those
    /// that can have one (entries marked `no_single_cas` are left out).
    pub cas: Share,
    /// Chemicals (not groups) listed in the jurisdiction that have an HS/CN code.
    pub hs: Share,
}

impl JurisdictionCoverage {
    pub fn listings(&self) -> usize {
        self.official + self.secondary + self.unverified
    }
}

/// A known gap, as shown in the coverage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapLine {
    pub id: GapId,
    /// `true` when the gap turns "not listed" answers into `review`.
    pub reviews_unlisted: bool,
    pub summary: String,
}

/// A count out of a total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Share {
    pub have: usize,
    pub of: usize,
}

impl Share {
    /// Whole percent, rounded down; 100 for an empty total.
    pub fn percent(self) -> usize {
        (self.have * 100).checked_div(self.of).unwrap_or(100)
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} of {} ({} %)", self.have, self.of, self.percent())
    }
}

/// Identifier coverage of the chemicals on file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IdentifierCoverage {
    /// Chemicals (not groups) with at least one CAS number, out of those that can have one.
    pub cas: Share,
    /// Entries marked as having no single CAS number (classes, groups, extracts): counted
    /// apart, so that they are not taken for numbers still to find.
    pub no_single_cas: usize,
    /// Listed chemicals (not groups) with at least one HS/CN code.
    pub hs_listed: Share,
    /// Chemicals listed on China's catalogue with a Chinese name.
    pub china_name_zh: Share,
}

/// The coverage of a set of packs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    pub jurisdictions: Vec<JurisdictionCoverage>,
    pub identifiers: IdentifierCoverage,
}

/// Computes the coverage of the packs (file name, pack), e.g. the embedded ones.
pub fn coverage(packs: &[(String, Pack)]) -> Coverage {
    let regime_jurisdiction: BTreeMap<&str, &str> = packs
        .iter()
        .flat_map(|(_, pack)| &pack.regimes)
        .map(|r| (r.id.as_ref(), r.jurisdiction.as_ref()))
        .collect();
    let list_regime: BTreeMap<&str, &str> = packs
        .iter()
        .flat_map(|(_, pack)| &pack.lists)
        .map(|l| (l.id.as_ref(), l.regime.as_ref()))
        .collect();
    let jurisdiction_of_list = |list: &str| {
        list_regime
            .get(list)
            .and_then(|regime| regime_jurisdiction.get(regime))
            .map_or("?", |j| *j)
    };

    let mut by_jurisdiction: BTreeMap<String, JurisdictionCoverage> = BTreeMap::new();
    let mut listed: BTreeSet<&str> = BTreeSet::new();
    let mut china_catalogue: BTreeSet<&str> = BTreeSet::new();
    let mut listed_in: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for (file, pack) in packs {
        for listing in &pack.listings {
            let jurisdiction = jurisdiction_of_list(&listing.list);
            let entry = by_jurisdiction
                .entry(jurisdiction.to_owned())
                .or_insert_with(|| JurisdictionCoverage {
                    jurisdiction: jurisdiction.to_owned(),
                    ..JurisdictionCoverage::default()
                });
            entry.packs.insert(file.clone());
            match listing.citation.confidence {
                Confidence::Official => entry.official += 1,
                Confidence::Secondary => entry.secondary += 1,
                Confidence::Unverified => entry.unverified += 1,
            }
            listed.insert(listing.chemical.as_ref());
            listed_in
                .entry(jurisdiction.to_owned())
                .or_default()
                .insert(listing.chemical.as_ref());
            if list_regime.get(listing.list.as_ref()) == Some(&CHINA_CATALOGUE_REGIME) {
                china_catalogue.insert(listing.chemical.as_ref());
            }
        }
        for gap in &pack.gaps {
            let jurisdiction = regime_jurisdiction
                .get(gap.regime.as_ref())
                .map_or("?", |j| *j);
            by_jurisdiction
                .entry(jurisdiction.to_owned())
                .or_insert_with(|| JurisdictionCoverage {
                    jurisdiction: jurisdiction.to_owned(),
                    ..JurisdictionCoverage::default()
                })
                .gaps
                .push(GapLine {
                    id: gap.id.clone(),
                    reviews_unlisted: matches!(
                        gap.effect,
                        GapEffect::ReviewUnlisted | GapEffect::ReviewUnscheduled
                    ),
                    summary: gap.summary_en.clone(),
                });
        }
    }

    let chemicals: Vec<_> = packs.iter().flat_map(|(_, pack)| &pack.chemicals).collect();
    let single = || chemicals.iter().filter(|c| c.members.is_empty());
    let can_have_cas = || single().filter(|c| c.no_single_cas.is_none());
    let cas = Share {
        have: can_have_cas().filter(|c| !c.cas.is_empty()).count(),
        of: can_have_cas().count(),
    };
    let no_single_cas = chemicals
        .iter()
        .filter(|c| c.no_single_cas.is_some())
        .count();
    let listed_single = || single().filter(|c| listed.contains(c.id.as_ref()));
    let hs_listed = Share {
        have: listed_single().filter(|c| !c.hs_codes.is_empty()).count(),
        of: listed_single().count(),
    };
    let in_china = || {
        chemicals
            .iter()
            .filter(|c| china_catalogue.contains(c.id.as_ref()))
    };
    let china_name_zh = Share {
        have: in_china().filter(|c| !c.name_zh.trim().is_empty()).count(),
        of: in_china().count(),
    };

    for (jurisdiction, entry) in &mut by_jurisdiction {
        let Some(ids) = listed_in.get(jurisdiction) else {
            continue;
        };
        let here = || listed_single().filter(|c| ids.contains(c.id.as_ref()));
        let here_can_have_cas = || here().filter(|c| c.no_single_cas.is_none());
        entry.cas = Share {
            have: here_can_have_cas().filter(|c| !c.cas.is_empty()).count(),
            of: here_can_have_cas().count(),
        };
        entry.hs = Share {
            have: here().filter(|c| !c.hs_codes.is_empty()).count(),
            of: here().count(),
        };
    }

    Coverage {
        jurisdictions: by_jurisdiction.into_values().collect(),
        identifiers: IdentifierCoverage {
            cas,
            no_single_cas,
            hs_listed,
            china_name_zh,
        },
    }
}

impl fmt::Display for Coverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Coverage (listings by the confidence of their source):")?;
        for j in &self.jurisdictions {
            let packs: Vec<&str> = j.packs.iter().map(String::as_str).collect();
            writeln!(
                f,
                "  {}: {} listings: {} official, {} secondary, {} unverified{}",
                j.jurisdiction,
                j.listings(),
                j.official,
                j.secondary,
                j.unverified,
                if packs.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", packs.join(", "))
                }
            )?;
            if j.cas.of > 0 {
                writeln!(
                    f,
                    "    identifiers of its listed chemicals: CAS number {}, HS/CN code {}",
                    j.cas, j.hs
                )?;
            }
            for gap in &j.gaps {
                writeln!(
                    f,
                    "    known gap {}{}: {}",
                    gap.id,
                    if gap.reviews_unlisted {
                        " (unlisted answers become review)"
                    } else {
                        ""
                    },
                    gap.summary
                )?;
            }
        }
        let ids = &self.identifiers;
        writeln!(f, "Identifiers:")?;
        write!(f, "  chemicals with a CAS number: {}", ids.cas)?;
        match ids.no_single_cas {
            0 => writeln!(f)?,
            1 => writeln!(
                f,
                "; 1 entry has no single CAS number (a group, class or extract)"
            )?,
            n => writeln!(
                f,
                "; {n} entries have no single CAS number (groups, classes, extracts)"
            )?,
        }
        writeln!(
            f,
            "  listed chemicals with an HS/CN code: {}",
            ids.hs_listed
        )?;
        writeln!(
            f,
            "  China's catalogue with a Chinese name: {}",
            ids.china_name_zh
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACK: &str = r#"#![enable(implicit_some)]
Pack(
    pack: (id: "t", version: "1", title: "t"),
    regimes: [
        Regime(id: "CN-precursor-export", jurisdiction: "CN", name_en: "cn", side: export,
            countries: ["CN"], obligations: [], citation: (instrument: "r", confidence: official)),
        Regime(id: "US-DEA-import", jurisdiction: "US", name_en: "us", side: import,
            countries: ["US"], obligations: [], citation: (instrument: "r", confidence: official)),
    ],
    lists: [
        List(id: "CN-cat1", regime: "CN-precursor-export", name_en: "c1", obligations: [],
            citation: (instrument: "l", confidence: official)),
        List(id: "US-list-I", regime: "US-DEA-import", name_en: "u1", obligations: [],
            citation: (instrument: "l", confidence: official)),
    ],
    chemicals: [
        Chemical(id: "a", name_en: "a", name_zh: "甲",
            cas: [(number: "67-64-1", confidence: official, source: "s")],
            hs_codes: [(scheme: "CN", code: "2914110000", confidence: official, source: "s")],
            source: (instrument: "s", confidence: official)),
        Chemical(id: "b", name_en: "b", source: (instrument: "s", confidence: official)),
        Chemical(id: "c", name_en: "c", cas: [(number: "64-17-5", confidence: official, source: "s")],
            source: (instrument: "s", confidence: official)),
        Chemical(id: "g", name_en: "group", members: ["a", "b"],
            source: (instrument: "s", confidence: official)),
        Chemical(id: "frs", name_en: "a class",
            no_single_cas: (reason: "a class defined by structure",
                source: (instrument: "21 CFR 1308.11(h)(30)", confidence: official)),
            source: (instrument: "s", confidence: official)),
    ],
    listings: [
        Listing(chemical: "a", list: "CN-cat1", citation: (instrument: "x", confidence: official)),
        Listing(chemical: "b", list: "CN-cat1", citation: (instrument: "x", confidence: secondary)),
        Listing(chemical: "a", list: "US-list-I", citation: (instrument: "x", confidence: unverified)),
        Listing(chemical: "g", list: "US-list-I", citation: (instrument: "x", confidence: official)),
        Listing(chemical: "frs", list: "US-list-I", citation: (instrument: "x", confidence: official)),
    ],
    gaps: [
        KnownGap(id: "CN-gap", regime: "CN-precursor-export", effect: review_unlisted,
            summary_en: "thirteen unnamed", description: "d",
            citation: (instrument: "g", confidence: secondary)),
    ],
)"#;

    fn packs() -> Vec<(String, Pack)> {
        vec![(
            "t.ron".to_owned(),
            crate::data::parse_pack("t.ron", PACK).expect("test pack parses"),
        )]
    }

    #[test]
    fn listings_are_counted_per_jurisdiction_by_confidence() {
        let coverage = coverage(&packs());
        let cn = &coverage.jurisdictions[0];
        assert_eq!(cn.jurisdiction, "CN");
        assert_eq!((cn.official, cn.secondary, cn.unverified), (1, 1, 0));
        assert_eq!(cn.gaps.len(), 1);
        assert!(cn.gaps[0].reviews_unlisted);
        let us = &coverage.jurisdictions[1];
        assert_eq!(us.jurisdiction, "US");
        assert_eq!((us.official, us.secondary, us.unverified), (2, 0, 1));
        assert_eq!(us.listings(), 3);
    }

    #[test]
    fn identifier_shares_leave_groups_out_and_count_china_s_catalogue() {
        let ids = coverage(&packs()).identifiers;
        assert_eq!(ids.cas, Share { have: 2, of: 3 });
        // a, b and the class frs are listed (the group g is not a chemical of its own); only a
        // has an HS code.
        assert_eq!(ids.hs_listed, Share { have: 1, of: 3 });
        // a and b are on China's catalogue; only a has a Chinese name.
        assert_eq!(ids.china_name_zh, Share { have: 1, of: 2 });
        assert_eq!(ids.china_name_zh.percent(), 50);
    }

    #[test]
    fn the_text_names_each_jurisdiction_gap_and_share() {
        let text = coverage(&packs()).to_string();
        assert!(text.contains("CN: 2 listings: 1 official, 1 secondary, 0 unverified (t.ron)"));
        assert!(
            text.contains("known gap CN-gap (unlisted answers become review): thirteen unnamed")
        );
        assert!(text.contains("chemicals with a CAS number: 2 of 3 (66 %)"));
        assert!(text.contains("China's catalogue with a Chinese name: 1 of 2 (50 %)"));
        assert!(text.contains(
            "identifiers of its listed chemicals: CAS number 1 of 2 (50 %), HS/CN code 1 of 2 (50 %)"
        ));
    }

    #[test]
    fn identifier_shares_are_also_counted_per_jurisdiction() {
        let coverage = coverage(&packs());
        let cn = &coverage.jurisdictions[0];
        // a and b are on CN lists; a has a CAS number and an HS code, b neither.
        assert_eq!(cn.cas, Share { have: 1, of: 2 });
        assert_eq!(cn.hs, Share { have: 1, of: 2 });
        // On US lists: a, the group g, which is left out, and the class frs, which cannot have
        // a CAS number but can have an HS code.
        let us = &coverage.jurisdictions[1];
        assert_eq!(us.cas, Share { have: 1, of: 1 });
        assert_eq!(us.hs, Share { have: 1, of: 2 });
    }

    #[test]
    fn entries_with_no_single_cas_number_are_counted_apart() {
        let ids = coverage(&packs()).identifiers;
        // frs is a chemical of its own but is out of the CAS total: a, b and c remain.
        assert_eq!(ids.cas, Share { have: 2, of: 3 });
        assert_eq!(ids.no_single_cas, 1);

        // Without the marker, the same entry is a number still to find.
        let mut packs = packs();
        for chemical in &mut packs[0].1.chemicals {
            chemical.no_single_cas = None;
        }
        let ids = coverage(&packs).identifiers;
        assert_eq!(ids.cas, Share { have: 2, of: 4 });
        assert_eq!(ids.no_single_cas, 0);
        assert!(!coverage(&packs).to_string().contains("no single CAS"));
    }

    #[test]
    fn the_text_counts_entries_with_no_single_cas_number() {
        let text = coverage(&packs()).to_string();
        assert!(
            text.contains(
                "chemicals with a CAS number: 2 of 3 (66 %); 1 entry has no single CAS number (a group, class or extract)\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn an_empty_total_counts_as_complete() {
        assert_eq!(Share { have: 0, of: 0 }.percent(), 100);
    }
}
