//! A line's structure against the catalogue: which chemical on file it is, which families
//! it belongs to, and what that does to the line's findings.

use std::sync::Arc;

use chrono::NaiveDate;

use super::family::{Classification, DerivativeKind, classify};
use super::{SmilesError, Structure, same_structure};
use crate::rules::model::{ChemicalId, ListedStatus};
use crate::rules::{
    Catalogue, Confidence, LineAssessment, MatchKind, Reason, Resolution, Shipment, ShipmentLine,
    Status,
};

/// What a structure is, as far as the catalogue can tell.
#[derive(Debug, Clone, PartialEq)]
pub struct Screening {
    pub structure: Structure,
    /// Chemicals on file whose structure is the parent's.
    pub same_as: Vec<ChemicalId>,
    /// The families whose core the parent contains.
    pub hits: Vec<FamilyHit>,
}

/// A structure in a family: how it differs from the core and whether the wording covers that.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyHit {
    /// Index into `Catalogue::families`.
    pub family: usize,
    pub kinds: Vec<DerivativeKind>,
    /// The structure's atoms matched by the core, numbered as written (0-based).
    pub atoms: Vec<usize>,
    pub covered: bool,
}

/// Parses the SMILES and screens it against every chemical structure and family on file.
pub fn screen(catalogue: &Catalogue, smiles: &str) -> Result<Screening, SmilesError> {
    let structure = Structure::parse(smiles)?;
    let same_as = same_as(catalogue, &structure);
    let mut hits = Vec::new();
    for (index, family) in catalogue.families.iter().enumerate() {
        let Some(core) = catalogue.family_core(index) else {
            continue;
        };
        let classifications = classify(&core, &structure);
        let best = classifications
            .iter()
            .find(|c| family.covers_kinds(&c.kinds))
            .map(|c| (c, true))
            .or_else(|| classifications.first().map(|c| (c, false)));
        if let Some((Classification { kinds, atoms }, covered)) = best {
            hits.push(FamilyHit {
                family: index,
                kinds: kinds.clone(),
                atoms: atoms.clone(),
                covered,
            });
        }
    }
    Ok(Screening {
        structure,
        same_as,
        hits,
    })
}

/// The chemicals on file whose structure is the structure's parent (the compound a salt is
/// a salt of).
fn same_as(catalogue: &Catalogue, structure: &Structure) -> Vec<ChemicalId> {
    catalogue
        .chemicals
        .iter()
        .enumerate()
        .filter(|&(position, _)| {
            catalogue
                .chemical_structure(position)
                .is_some_and(|known| same_structure(&known.parent, &structure.parent))
        })
        .map(|(_, chemical)| chemical.id.clone())
        .collect()
}

/// The line's chemical: by what was typed, or, with nothing typed, by its structure.
pub fn resolve_line(catalogue: &Catalogue, line: &ShipmentLine) -> Resolution {
    resolve(catalogue, &line.chemical, &line.smiles)
}

/// [`resolve_line`] from the typed chemical and SMILES.
pub fn resolve(catalogue: &Catalogue, chemical: &str, smiles: &str) -> Resolution {
    let smiles = smiles.trim();
    if !chemical.trim().is_empty() || smiles.is_empty() {
        return catalogue.resolve(chemical);
    }
    let Ok(structure) = Structure::parse(smiles) else {
        return Resolution::Unknown;
    };
    let mut candidates = same_as(catalogue, &structure);
    match candidates.len() {
        0 => Resolution::Unknown,
        1 => Resolution::Found {
            chemical: candidates.remove(0),
            matched: MatchKind::Structure,
        },
        _ => Resolution::Ambiguous {
            matched: MatchKind::Structure,
            candidates,
        },
    }
}

/// Adds what the line's structure shows to its findings: `required` (or the list's status)
/// where a family's wording covers the kind of derivative, `review` where the structure only
/// shares the core. Lists that name the line's own chemical are left to the catalogue.
pub fn apply_to_line(
    catalogue: &Catalogue,
    shipment: &Shipment,
    line: &ShipmentLine,
    assessment: &mut LineAssessment,
    as_of: NaiveDate,
) {
    let smiles = line.smiles.trim();
    if smiles.is_empty() {
        return;
    }
    if line.chemical.trim().is_empty() {
        assessment.input = smiles.to_owned();
        for finding in Arc::make_mut(&mut assessment.findings) {
            for reason in &mut finding.reasons {
                if let Reason::ChemicalNotIdentified { input } = reason
                    && input.trim().is_empty()
                {
                    *input = smiles.to_owned();
                }
            }
        }
    }
    let Ok(screening) = screen(catalogue, smiles) else {
        // The line's problems already say what is wrong with the SMILES.
        return;
    };
    let own: Vec<&str> = assessment
        .resolution
        .chemical()
        .into_iter()
        .chain(screening.same_as.iter().map(|id| &**id))
        .collect();
    for hit in &screening.hits {
        let Some(family) = catalogue.families.get(hit.family) else {
            continue;
        };
        if !family.period.may_be_in_force(as_of) {
            continue;
        }
        let named_on_list = own.iter().any(|chemical| {
            catalogue
                .listings_of(chemical)
                .any(|listing| listing.list == family.list)
        });
        if named_on_list {
            continue;
        }
        let Some(list) = catalogue.list(&family.list) else {
            continue;
        };
        if let Some(destinations) = &list.destinations
            && !destinations.contains(&shipment.destination)
        {
            continue;
        }
        for finding in Arc::make_mut(&mut assessment.findings) {
            if finding.regime != list.regime
                || !list.obligations.contains(&finding.obligation)
                || not_reached(&finding.reasons)
            {
                continue;
            }
            if hit.covered {
                let status = match list.listed_status {
                    ListedStatus::Required => Status::Required,
                    ListedStatus::Prohibited => Status::Prohibited,
                    ListedStatus::Review => Status::Review,
                };
                finding.status = Status::most_severe([finding.status, status]).unwrap_or(status);
                finding.reasons.push(Reason::StructureCovered {
                    list: family.list.clone(),
                    chemical: family.chemical.clone(),
                    family: family.id.clone(),
                    kinds: hit.kinds.clone(),
                    atoms: hit.atoms.clone(),
                });
            } else {
                if finding.status == Status::NotRequired {
                    finding.status = Status::Review;
                }
                finding.reasons.push(Reason::StructureSharesCore {
                    list: family.list.clone(),
                    chemical: family.chemical.clone(),
                    kinds: hit.kinds.clone(),
                    atoms: hit.atoms.clone(),
                });
            }
            if !finding.citations.contains(&family.citation) {
                finding.citations.push(family.citation.clone());
            }
            finding.confidence = finding
                .citations
                .iter()
                .map(|c| c.confidence)
                .min()
                .unwrap_or(Confidence::Unverified);
        }
    }
    if let Some(status) = Status::most_severe(assessment.findings.iter().map(|f| f.status)) {
        assessment.status = status;
    }
}

/// A finding of a regime that does not reach this shipment says so in its reasons.
fn not_reached(reasons: &[Reason]) -> bool {
    reasons.iter().any(|reason| {
        matches!(
            reason,
            Reason::DestinationNotYetInSet { .. }
                | Reason::DestinationLeftSet { .. }
                | Reason::DestinationNotInSet { .. }
                | Reason::OriginNotInSet { .. }
        )
    })
}
