//! Aromaticity perception, so that a ring written in Kekulé form (`C1=CC=CC=C1`) and in
//! aromatic form (`c1ccccc1`) give the same graph.
//!
//! Deliberately small: six-membered rings of carbon and nitrogen with one double bond per
//! atom (benzene, pyridine, fused rings such as naphthalene by repetition) and
//! five-membered rings with two double bonds and one N, O or S (pyrrole, furan,
//! thiophene). Enough for the precursor families; anything else keeps its written bonds.

use super::smiles::{BondOrder, CARBON, Molecule, NITROGEN, OXYGEN, SULFUR};

pub fn perceive(mut molecule: Molecule) -> Molecule {
    demote_chain_aromatic_bonds(&mut molecule);
    let has_ring_double_bond = (0..molecule.bonds.len())
        .any(|bond| molecule.bonds[bond].order == BondOrder::Double && molecule.bond_in_ring(bond));
    if !has_ring_double_bond {
        return molecule;
    }
    let rings = small_rings(&molecule);
    loop {
        let mut changed = false;
        for ring in &rings {
            let aromatic = match ring.len() {
                6 => six_ring_is_aromatic(&molecule, ring),
                5 => five_ring_is_aromatic(&molecule, ring),
                _ => false,
            };
            if aromatic && !ring.iter().all(|&a| molecule.atoms[a].aromatic) {
                mark(&mut molecule, ring);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    molecule
}

/// A bond between two aromatic atoms that is on no ring (biphenyl written `c1ccccc1c1ccccc1`)
/// is single.
fn demote_chain_aromatic_bonds(molecule: &mut Molecule) {
    for bond in 0..molecule.bonds.len() {
        if molecule.bonds[bond].order == BondOrder::Aromatic && !molecule.bond_in_ring(bond) {
            molecule.bonds[bond].order = BondOrder::Single;
        }
    }
}

/// Every simple ring of five or six atoms, each once (as its atoms in ring order).
fn small_rings(molecule: &Molecule) -> Vec<Vec<usize>> {
    let mut rings: Vec<Vec<usize>> = Vec::new();
    let mut seen: Vec<Vec<usize>> = Vec::new();
    for start in 0..molecule.atoms.len() {
        let mut path = vec![start];
        extend(molecule, start, &mut path, &mut rings, &mut seen);
    }
    rings
}

fn extend(
    molecule: &Molecule,
    start: usize,
    path: &mut Vec<usize>,
    rings: &mut Vec<Vec<usize>>,
    seen: &mut Vec<Vec<usize>>,
) {
    let Some(&last) = path.last() else {
        return;
    };
    for &(next, _) in molecule.neighbours(last) {
        if next == start && path.len() >= 5 {
            let mut key = path.clone();
            key.sort_unstable();
            if !seen.contains(&key) {
                seen.push(key);
                rings.push(path.clone());
            }
            continue;
        }
        // Only rings whose smallest atom is `start`, and no atom twice.
        if next <= start || path.contains(&next) || path.len() >= 6 {
            continue;
        }
        path.push(next);
        extend(molecule, start, path, rings, seen);
        path.pop();
    }
}

fn double_bonds(molecule: &Molecule, atom: usize) -> Vec<usize> {
    molecule
        .neighbours(atom)
        .iter()
        .filter(|&&(_, bond)| molecule.bonds[bond].order == BondOrder::Double)
        .map(|&(neighbour, _)| neighbour)
        .collect()
}

fn six_ring_is_aromatic(molecule: &Molecule, ring: &[usize]) -> bool {
    ring.iter().all(|&atom| {
        let this = &molecule.atoms[atom];
        if !matches!(this.element, CARBON | NITROGEN) {
            return false;
        }
        if this.aromatic {
            return true;
        }
        let doubles = double_bonds(molecule, atom);
        // The double bond stays in the ring system: an exocyclic C=O (a quinone, a
        // pyridone) is not aromatic here.
        doubles.len() == 1
            && molecule.neighbours(doubles[0]).len() >= 2
            && molecule
                .neighbours(atom)
                .iter()
                .any(|&(n, bond)| n == doubles[0] && molecule.bond_in_ring(bond))
    })
}

fn five_ring_is_aromatic(molecule: &Molecule, ring: &[usize]) -> bool {
    let mut donors = 0;
    for (position, &atom) in ring.iter().enumerate() {
        let this = &molecule.atoms[atom];
        let doubles = double_bonds(molecule, atom);
        let previous = ring[(position + ring.len() - 1) % ring.len()];
        let next = ring[(position + 1) % ring.len()];
        if doubles.is_empty() {
            let lone_pair = match this.element {
                NITROGEN => {
                    this.charge == 0 && molecule.degree(atom) + usize::from(this.hydrogens) == 3
                }
                OXYGEN | SULFUR => this.charge == 0 && molecule.degree(atom) == 2,
                _ => false,
            };
            if !lone_pair {
                return false;
            }
            donors += 1;
        } else if !(matches!(this.element, CARBON | NITROGEN)
            && doubles.len() == 1
            && (doubles[0] == previous || doubles[0] == next))
        {
            return false;
        }
    }
    donors == 1
}

fn mark(molecule: &mut Molecule, ring: &[usize]) {
    for &atom in ring {
        molecule.atoms[atom].aromatic = true;
    }
    for (position, &atom) in ring.iter().enumerate() {
        let next = ring[(position + 1) % ring.len()];
        let bond = molecule
            .neighbours(atom)
            .iter()
            .find(|&&(n, _)| n == next)
            .map(|&(_, bond)| bond);
        if let Some(bond) = bond {
            molecule.bonds[bond].order = BondOrder::Aromatic;
        }
    }
}
