//! Substructure matching: every way a core pattern maps into a molecule.
//!
//! A VF2-style backtracking search of our own rather than petgraph's: petgraph's VF2 maps
//! induced subgraphs (a core written as a chain would not match a molecule where two of its
//! atoms also close a ring), and its matcher closures cannot express the one relaxation the
//! rules need, a core's C=O matching the two C-O bonds of an acetal. Molecules here have
//! tens of atoms; extending the match only along bonds of atoms already matched keeps the
//! search small.

use super::smiles::{ANY_ATOM, BondOrder, CARBON, Molecule, OXYGEN};

/// At most this many matches are looked at per core: enough for every symmetric placement
/// of a precursor core, bounded for hostile input.
pub const MAX_MATCHES: usize = 256;

/// A match: for each pattern atom, the molecule atom it maps to.
pub type Mapping = Vec<usize>;

/// Every mapping of `pattern` (connected) into `molecule`, up to [`MAX_MATCHES`].
pub fn matches(pattern: &Molecule, molecule: &Molecule) -> Vec<Mapping> {
    let mut found = Vec::new();
    if pattern.atoms.is_empty() || pattern.atoms.len() > molecule.atoms.len() {
        return found;
    }
    let order = search_order(pattern);
    if order.len() != pattern.atoms.len() {
        // A pattern in pieces is not a core; validation reports it.
        return found;
    }
    let mut mapping = vec![usize::MAX; pattern.atoms.len()];
    let mut used = vec![false; molecule.atoms.len()];
    let first = order[0].0;
    for candidate in 0..molecule.atoms.len() {
        if atoms_compatible(pattern, first, molecule, candidate) {
            mapping[first] = candidate;
            used[candidate] = true;
            extend(
                pattern,
                molecule,
                &order,
                1,
                &mut mapping,
                &mut used,
                &mut found,
            );
            used[candidate] = false;
            mapping[first] = usize::MAX;
            if found.len() >= MAX_MATCHES {
                break;
            }
        }
    }
    found
}

/// Whether the pattern occurs in the molecule at all.
pub fn contains(pattern: &Molecule, molecule: &Molecule) -> bool {
    !matches(pattern, molecule).is_empty()
}

/// Pattern atoms in breadth-first order from the most specific atom, each (after the
/// first) with a neighbour earlier in the order.
fn search_order(pattern: &Molecule) -> Vec<(usize, Option<usize>)> {
    let start = (0..pattern.atoms.len())
        .max_by_key(|&a| {
            let atom = &pattern.atoms[a];
            (
                atom.element != ANY_ATOM && atom.element != CARBON,
                pattern.degree(a),
            )
        })
        .unwrap_or(0);
    let mut order = vec![(start, None)];
    let mut seen = vec![false; pattern.atoms.len()];
    seen[start] = true;
    let mut next = 0;
    while let Some(&(atom, _)) = order.get(next) {
        next += 1;
        for &(neighbour, _) in pattern.neighbours(atom) {
            if !seen[neighbour] {
                seen[neighbour] = true;
                order.push((neighbour, Some(atom)));
            }
        }
    }
    order
}

fn extend(
    pattern: &Molecule,
    molecule: &Molecule,
    order: &[(usize, Option<usize>)],
    depth: usize,
    mapping: &mut Mapping,
    used: &mut [bool],
    found: &mut Vec<Mapping>,
) {
    if found.len() >= MAX_MATCHES {
        return;
    }
    let Some(&(atom, Some(parent))) = order.get(depth) else {
        found.push(mapping.clone());
        return;
    };
    let anchor = mapping[parent];
    for &(candidate, _) in molecule.neighbours(anchor) {
        if used[candidate] || !atoms_compatible(pattern, atom, molecule, candidate) {
            continue;
        }
        let bonds_agree = pattern.neighbours(atom).iter().all(|&(other, bond)| {
            let mapped = mapping[other];
            mapped == usize::MAX || bond_compatible(pattern, bond, molecule, candidate, mapped)
        });
        if !bonds_agree {
            continue;
        }
        mapping[atom] = candidate;
        used[candidate] = true;
        extend(pattern, molecule, order, depth + 1, mapping, used, found);
        used[candidate] = false;
        mapping[atom] = usize::MAX;
    }
}

fn atoms_compatible(pattern: &Molecule, p: usize, molecule: &Molecule, m: usize) -> bool {
    let (want, have) = (&pattern.atoms[p], &molecule.atoms[m]);
    if pattern.degree(p) > molecule.degree(m) {
        return false;
    }
    match want.element {
        ANY_ATOM => !want.aromatic || have.aromatic,
        element => {
            element == have.element && want.aromatic == have.aromatic && want.charge == have.charge
        }
    }
}

/// Whether the molecule's bond between `a` and `b` can stand for the pattern's `bond`.
fn bond_compatible(
    pattern: &Molecule,
    bond: usize,
    molecule: &Molecule,
    a: usize,
    b: usize,
) -> bool {
    let Some(have) = molecule.bond_between(a, b) else {
        return false;
    };
    let want = &pattern.bonds[bond];
    if want.order == have.order {
        return true;
    }
    // A core's ketone C=O also matches an acetal (or the hydrate) carbon: C bonded by
    // single bonds to two oxygens (4-piperidone ethylene ketal).
    if want.order == BondOrder::Double && have.order == BondOrder::Single {
        let [x, y] = want.atoms;
        let oxygen_end = [x, y]
            .into_iter()
            .find(|&p| pattern.atoms[p].element == OXYGEN && pattern.degree(p) == 1);
        if oxygen_end.is_some() {
            let carbon = if molecule.atoms[a].element == CARBON {
                a
            } else {
                b
            };
            return is_acetal_carbon(molecule, carbon);
        }
    }
    false
}

/// A carbon with single bonds to two oxygens and no double bond to oxygen.
pub fn is_acetal_carbon(molecule: &Molecule, carbon: usize) -> bool {
    if molecule
        .atoms
        .get(carbon)
        .is_none_or(|a| a.element != CARBON)
    {
        return false;
    }
    let mut single_oxygens = 0;
    for &(neighbour, bond) in molecule.neighbours(carbon) {
        if molecule.atoms[neighbour].element == OXYGEN {
            match molecule.bonds[bond].order {
                BondOrder::Single => single_oxygens += 1,
                _ => return false,
            }
        }
    }
    single_oxygens >= 2
}
