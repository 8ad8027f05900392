//! Structures: SMILES parsing, canonical identity, substructure matching and the family
//! rules that reach a listed chemical's salts, esters, carbamates and analogues.
//!
//! Pure, like `rules`: no egui, no I/O, no clock.
//!
//! The SMILES parser is our own (`smiles.rs`), not `purr`: purr's last release is years
//! old, it has no notion of a query atom (`a`, any aromatic atom, needed for China's
//! fentanyl-class core), and its errors do not carry the character position the officer
//! needs. The subset here (organic subset, brackets, charges, aromatic atoms, ring closures,
//! branches, dot-separated salts) is tested in `tests/structures.rs` and below.

pub mod aromaticity;
pub mod family;
pub mod layout;
pub mod matching;
pub mod screen;
pub mod smiles;

pub use family::{DerivativeKind, FamilyRule};
pub use screen::{FamilyHit, Screening, apply_to_line, resolve, resolve_line, screen};
pub use smiles::{Molecule, SmilesError, SmilesErrorKind};

use smiles::{CARBON, HYDROGEN, OXYGEN};

/// A structure as given on a shipment line: the whole input, its parent compound and what
/// else came with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Structure {
    /// Everything as written.
    pub molecule: Molecule,
    /// The largest organic fragment, with protonated amines and carboxylates neutralised:
    /// the compound a salt is a salt of.
    pub parent: Molecule,
    /// The other fragments (water aside) by formula: "HCl", "Cl-", "Na+", "C4H4O4".
    pub counter_ions: Vec<String>,
    /// Whether the parent is in salt form: it carried a charge, or came with counter-ions.
    pub salt: bool,
}

impl Structure {
    pub fn parse(text: &str) -> Result<Self, SmilesError> {
        Ok(Self::from_molecule(Molecule::parse(text)?))
    }

    pub fn from_molecule(molecule: Molecule) -> Self {
        let fragments = molecule.fragments();
        let weight = |fragment: &Vec<usize>| {
            let heavy = fragment
                .iter()
                .filter(|&&a| molecule.atoms[a].element != HYDROGEN)
                .count();
            let organic = fragment
                .iter()
                .any(|&a| molecule.atoms[a].element == CARBON);
            (organic, heavy)
        };
        let parent_index = fragments
            .iter()
            .enumerate()
            .rev()
            .max_by_key(|(_, f)| weight(f))
            .map_or(0, |(i, _)| i);
        let mut counter_ions = Vec::new();
        for (index, fragment) in fragments.iter().enumerate() {
            if index == parent_index {
                continue;
            }
            let formula = molecule.subset(fragment).formula();
            if formula != "H2O" {
                counter_ions.push(formula);
            }
        }
        let mut parent = fragments
            .get(parent_index)
            .map(|f| molecule.subset(f))
            .unwrap_or_default();
        let charged = neutralise(&mut parent);
        Self {
            salt: charged || !counter_ions.is_empty(),
            molecule,
            parent,
            counter_ions,
        }
    }
}

/// Removes the proton of a protonated amine and restores the one of a carboxylate or
/// alkoxide: the neutral parent of a salt. Returns whether anything was charged.
fn neutralise(molecule: &mut Molecule) -> bool {
    let mut changed = false;
    for atom in &mut molecule.atoms {
        if atom.charge == 1 && atom.hydrogens > 0 && atom.element == smiles::NITROGEN {
            atom.charge = 0;
            atom.hydrogens -= 1;
            changed = true;
        } else if atom.charge == -1 && atom.element == OXYGEN {
            atom.charge = 0;
            atom.hydrogens += 1;
            changed = true;
        }
    }
    changed
}

/// Whether two molecules are the same compound: the same atoms joined the same way with the
/// same hydrogens and charges, whatever order they were written in.
pub fn same_structure(a: &Molecule, b: &Molecule) -> bool {
    if a.atoms.len() != b.atoms.len() || a.bonds.len() != b.bonds.len() {
        return false;
    }
    if invariants(a) != invariants(b) {
        return false;
    }
    matching::matches(a, b).iter().any(|mapping| {
        mapping.iter().enumerate().all(|(p, &m)| {
            let (x, y) = (&a.atoms[p], &b.atoms[m]);
            x.hydrogens == y.hydrogens && x.charge == y.charge && x.element == y.element
        }) && a.bonds.iter().all(|bond| {
            b.bond_between(mapping[bond.atoms[0]], mapping[bond.atoms[1]])
                .is_some_and(|other| other.order == bond.order)
        })
    })
}

/// Per-atom labels that any two ways of writing a compound share, sorted.
fn invariants(molecule: &Molecule) -> Vec<(u8, bool, i8, u8, usize)> {
    let mut labels: Vec<_> = molecule
        .atoms
        .iter()
        .enumerate()
        .map(|(i, a)| {
            (
                a.element,
                a.aromatic,
                a.charge,
                a.hydrogens,
                molecule.degree(i),
            )
        })
        .collect();
    labels.sort_unstable();
    labels
}
