//! Family rules: a listing's reach beyond the named chemical ("and its salts", "its
//! amides, carbamates and halides", "derivatives and analogues"), as data, and the
//! classification of a structure against a family's core.

use serde::{Deserialize, Serialize};

use super::Structure;
use super::matching::{self, is_acetal_carbon};
use super::smiles::{ANY_ATOM, BondOrder, CARBON, Molecule, NITROGEN, OXYGEN, SULFUR, is_halogen};
use crate::rules::model::{ChemicalId, Citation, ListId, Period};

/// How a structure differs from a family's core. A structure identical to the core has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DerivativeKind {
    /// The core in salt form (protonated, or with counter-ions).
    Salt,
    /// The core's hydroxyl (an acid's or an alcohol's) esterified.
    Ester,
    /// The core's hydroxyl alkylated.
    Ether,
    /// The core's ketone as an acetal or ketal.
    Acetal,
    /// An acyl group on one of the core's nitrogens.
    Amide,
    /// An alkoxycarbonyl (N-C(=O)-O-R) on one of the core's nitrogens.
    Carbamate,
    /// A halogen on the core's aromatic ring.
    Halide,
    /// Another group (alkyl, aryl...) on one of the core's nitrogens.
    NSubstituted,
    /// Any other change: a substituent elsewhere, an extra bond. In a family's `covers`,
    /// "derivatives" wording: it covers every kind.
    Derivative,
}

impl DerivativeKind {
    pub const ALL: [Self; 9] = [
        Self::Salt,
        Self::Ester,
        Self::Ether,
        Self::Acetal,
        Self::Amide,
        Self::Carbamate,
        Self::Halide,
        Self::NSubstituted,
        Self::Derivative,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Salt => "salt",
            Self::Ester => "ester",
            Self::Ether => "ether",
            Self::Acetal => "acetal",
            Self::Amide => "amide",
            Self::Carbamate => "carbamate",
            Self::Halide => "halide",
            Self::NSubstituted => "n_substituted",
            Self::Derivative => "derivative",
        }
    }
}

/// A listing's family, as the source words it: the core structure and the kinds of
/// derivative the wording covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FamilyRule {
    pub id: String,
    /// The listed chemical the family is named after.
    pub chemical: ChemicalId,
    pub list: ListId,
    /// The core as a SMILES pattern (`*` any atom, `a` any aromatic atom); when absent, the
    /// chemical's own `smiles`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub core: Option<String>,
    /// The kinds of derivative the wording covers; `derivative` covers them all.
    #[serde(default)]
    pub covers: Vec<DerivativeKind>,
    /// Whether the wording covers combinations ("and any combination thereof"): a salt of
    /// a carbamate, a halogenated amide.
    #[serde(default)]
    pub combinations: bool,
    /// The family's wording, quoted from the instrument.
    pub wording: String,
    /// When this wording is in force (a wording widened later is a second rule).
    #[serde(default)]
    pub period: Period,
    pub citation: Citation,
}

impl FamilyRule {
    /// Whether the wording reaches a structure that differs from the core by these kinds.
    pub fn covers_kinds(&self, kinds: &[DerivativeKind]) -> bool {
        if self.covers.contains(&DerivativeKind::Derivative) {
            return true;
        }
        let structural = kinds.iter().filter(|k| **k != DerivativeKind::Salt).count();
        kinds.iter().all(|kind| self.covers.contains(kind))
            && (structural <= 1 || self.combinations)
            && (structural == 0 || !kinds.contains(&DerivativeKind::Salt) || self.combinations)
    }
}

/// One way a structure contains a core.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    /// How it differs from the core, sorted; empty when it is the core itself.
    pub kinds: Vec<DerivativeKind>,
    /// The structure's atoms matched by the core, numbered as written (0-based).
    pub atoms: Vec<usize>,
}

/// Every distinct way the structure contains the core (none if it does not).
pub fn classify(core: &Molecule, structure: &Structure) -> Vec<Classification> {
    let mut found: Vec<Classification> = Vec::new();
    for mapping in matching::matches(core, &structure.parent) {
        let mut kinds = derivative_kinds(core, &structure.parent, &mapping);
        if structure.salt {
            kinds.push(DerivativeKind::Salt);
        }
        kinds.sort_unstable();
        kinds.dedup();
        if found.iter().any(|c| c.kinds == kinds) {
            continue;
        }
        let mut atoms: Vec<usize> = mapping
            .iter()
            .map(|&m| structure.parent.atoms[m].source_index)
            .collect();
        atoms.sort_unstable();
        found.push(Classification { kinds, atoms });
    }
    found.sort_by_key(|c| c.kinds.len());
    found
}

fn derivative_kinds(
    core: &Molecule,
    molecule: &Molecule,
    mapping: &[usize],
) -> Vec<DerivativeKind> {
    let mut in_core = vec![false; molecule.atoms.len()];
    for &m in mapping {
        in_core[m] = true;
    }
    let mut kinds = Vec::new();
    for (p, &t) in mapping.iter().enumerate() {
        let want = &core.atoms[p];
        if want.element == ANY_ATOM {
            continue;
        }
        let acetal = want.element == CARBON
            && core_ketone_oxygen(core, p).is_some()
            && is_acetal_carbon(molecule, t);
        let mut extra_valence = 0u8;
        for &(x, bond) in molecule.neighbours(t) {
            if in_core[x] {
                continue;
            }
            extra_valence += match molecule.bonds[bond].order {
                BondOrder::Double => 2,
                BondOrder::Triple => 3,
                _ => 1,
            };
            if acetal && molecule.atoms[x].element == OXYGEN {
                continue;
            }
            if is_acetal_oxygen(core, p, molecule, t) {
                continue;
            }
            kinds.push(attachment(core, p, molecule, t, x));
        }
        if acetal {
            let oxygens: Vec<usize> = molecule
                .neighbours(t)
                .iter()
                .map(|&(x, _)| x)
                .filter(|&x| molecule.atoms[x].element == OXYGEN)
                .collect();
            // Both oxygens bare hydroxyls: the ketone's hydrate, the same substance.
            let hydrate = oxygens
                .iter()
                .all(|&o| molecule.degree(o) == 1 && molecule.atoms[o].hydrogens == 1);
            if !hydrate {
                kinds.push(DerivativeKind::Acetal);
            }
            continue;
        }
        if is_acetal_oxygen(core, p, molecule, t) {
            continue;
        }
        let have = &molecule.atoms[t];
        if have.hydrogens + extra_valence != want.hydrogens {
            kinds.push(DerivativeKind::Derivative);
        }
    }
    kinds
}

/// The core's doubly bonded, terminal oxygen on this carbon (a ketone), if any.
fn core_ketone_oxygen(core: &Molecule, carbon: usize) -> Option<usize> {
    core.neighbours(carbon).iter().find_map(|&(o, bond)| {
        (core.atoms[o].element == OXYGEN
            && core.degree(o) == 1
            && core.bonds[bond].order == BondOrder::Double)
            .then_some(o)
    })
}

/// Whether core atom `p` is a ketone's oxygen whose match `t` sits on an acetal carbon.
fn is_acetal_oxygen(core: &Molecule, p: usize, molecule: &Molecule, t: usize) -> bool {
    core.atoms[p].element == OXYGEN
        && core.degree(p) == 1
        && core.neighbours(p).first().is_some_and(|&(pc, bond)| {
            core.bonds[bond].order == BondOrder::Double && core.atoms[pc].element == CARBON
        })
        && molecule.neighbours(t).iter().any(|&(c, bond)| {
            molecule.bonds[bond].order == BondOrder::Single && is_acetal_carbon(molecule, c)
        })
}

/// What a group on core atom `t` (core atom `p`), starting with atom `x`, makes the structure.
fn attachment(
    core: &Molecule,
    p: usize,
    molecule: &Molecule,
    t: usize,
    x: usize,
) -> DerivativeKind {
    let first = &molecule.atoms[x];
    if is_halogen(first.element) {
        return if molecule.atoms[t].aromatic {
            DerivativeKind::Halide
        } else {
            DerivativeKind::Derivative
        };
    }
    match core.atoms[p].element {
        NITROGEN => {
            if first.element == CARBON && has_double_oxygen(molecule, x) {
                let alkoxy = molecule.neighbours(x).iter().any(|&(o, bond)| {
                    o != t
                        && molecule.atoms[o].element == OXYGEN
                        && molecule.bonds[bond].order == BondOrder::Single
                });
                if alkoxy {
                    DerivativeKind::Carbamate
                } else {
                    DerivativeKind::Amide
                }
            } else if first.element == SULFUR {
                DerivativeKind::Derivative
            } else {
                DerivativeKind::NSubstituted
            }
        }
        OXYGEN if core.atoms[p].hydrogens > 0 && first.element == CARBON => {
            let acid = core
                .neighbours(p)
                .iter()
                .any(|&(c, _)| core_has_double_oxygen(core, c));
            if acid || has_double_oxygen(molecule, x) {
                DerivativeKind::Ester
            } else {
                DerivativeKind::Ether
            }
        }
        _ => DerivativeKind::Derivative,
    }
}

fn has_double_oxygen(molecule: &Molecule, atom: usize) -> bool {
    molecule.neighbours(atom).iter().any(|&(o, bond)| {
        molecule.atoms[o].element == OXYGEN && molecule.bonds[bond].order == BondOrder::Double
    })
}

fn core_has_double_oxygen(core: &Molecule, atom: usize) -> bool {
    has_double_oxygen(core, atom)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::model::{CitedSource, Confidence};

    fn rule(covers: &[DerivativeKind], combinations: bool) -> FamilyRule {
        FamilyRule {
            id: "f".into(),
            chemical: "c".into(),
            list: "l".into(),
            core: None,
            covers: covers.to_vec(),
            combinations,
            wording: "w".into(),
            period: Period::default(),
            citation: Citation::new(CitedSource {
                instrument: "i".into(),
                article: None,
                date: None,
                url: None,
                confidence: Confidence::Official,
            }),
        }
    }

    #[test]
    fn combinations_need_the_wording_to_say_so() {
        use DerivativeKind::{Amide, Carbamate, Derivative, Halide, Salt};
        let salts_only = rule(&[Salt], false);
        assert!(salts_only.covers_kinds(&[]));
        assert!(salts_only.covers_kinds(&[Salt]));
        assert!(!salts_only.covers_kinds(&[Carbamate]));
        let separate = rule(&[Salt, Amide, Carbamate], false);
        assert!(separate.covers_kinds(&[Carbamate]));
        assert!(
            !separate.covers_kinds(&[Salt, Carbamate]),
            "a salt of a carbamate"
        );
        assert!(!separate.covers_kinds(&[Amide, Carbamate]));
        let combined = rule(&[Salt, Amide, Carbamate, Halide], true);
        assert!(combined.covers_kinds(&[Salt, Carbamate, Halide]));
        assert!(!combined.covers_kinds(&[DerivativeKind::NSubstituted]));
        assert!(rule(&[Derivative], false).covers_kinds(&[Salt, Amide, Halide]));
    }
}
