//! SMILES text → molecular graph.
//!
//! A small parser of our own (see `mod.rs` for why not `purr`): the organic subset, bracket
//! atoms with isotopes, chirality (read and ignored), hydrogen counts, charges and classes,
//! aromatic atoms, ring closures (digits and `%nn`), branches and dot-separated fragments.
//! Patterns (family cores) may also use `a`, any aromatic atom. Every error names the
//! character where it was found.

use serde::{Deserialize, Serialize};

/// A bond's order. `Aromatic` bonds join atoms of one aromatic ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BondOrder {
    Single,
    Double,
    Triple,
    Quadruple,
    Aromatic,
}

impl BondOrder {
    /// The bond's contribution to an atom's valence; aromatic bonds are counted as single
    /// and the atom's aromaticity adds one (see [`implicit_hydrogens`]).
    fn valence(self) -> u8 {
        match self {
            Self::Single | Self::Aromatic => 1,
            Self::Double => 2,
            Self::Triple => 3,
            Self::Quadruple => 4,
        }
    }
}

/// Atomic number 0: any atom (`*`), or with `aromatic`, any aromatic atom (`a`, patterns only).
pub const ANY_ATOM: u8 = 0;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Atom {
    /// Atomic number, or [`ANY_ATOM`].
    pub element: u8,
    pub aromatic: bool,
    pub charge: i8,
    /// Hydrogens on the atom: implicit ones for the organic subset, the written count in
    /// brackets, plus any explicit `[H]` atoms folded in.
    pub hydrogens: u8,
    /// The atom's number in the text as written (0-based, every atom counted), so reasons
    /// can name atoms the way the officer sees them.
    pub source_index: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bond {
    pub atoms: [usize; 2],
    pub order: BondOrder,
}

/// A molecular graph: atoms, bonds and each atom's neighbours.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Molecule {
    pub atoms: Vec<Atom>,
    pub bonds: Vec<Bond>,
    /// For each atom: (neighbour atom, bond index).
    neighbours: Vec<Vec<(usize, usize)>>,
}

/// What is wrong with a SMILES, at which character (0-based; shown 1-based).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{kind} (character {})", position + 1)]
pub struct SmilesError {
    pub position: usize,
    pub kind: SmilesErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum SmilesErrorKind {
    #[error("empty structure")]
    Empty,
    #[error("unexpected character '{character}'")]
    UnexpectedCharacter { character: char },
    #[error("unknown element '{symbol}'")]
    UnknownElement { symbol: String },
    #[error("'[' is never closed")]
    UnclosedBracket,
    #[error("'(' is never closed")]
    UnclosedBranch,
    #[error("')' without a matching '('")]
    UnmatchedClose,
    #[error("a bond or branch with no atom before it")]
    NothingToBond,
    #[error("a bond with no atom after it")]
    DanglingBond,
    #[error("ring bond {ring} is never closed")]
    UnclosedRing { ring: u16 },
    #[error("ring bond {ring} joins an atom to itself or repeats a bond")]
    InvalidRingBond { ring: u16 },
    #[error("aromatic atom outside a ring")]
    AromaticOutsideRing,
    #[error("too many atoms (at most {max})")]
    TooLarge { max: usize },
}

/// The largest structure accepted: far above any precursor, and it keeps matching fast.
pub const MAX_ATOMS: usize = 500;

/// Whether the text is a molecule or a family core pattern (which may use `a`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Molecule,
    Pattern,
}

const ELEMENTS: [&str; 118] = [
    "H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne", "Na", "Mg", "Al", "Si", "P", "S", "Cl",
    "Ar", "K", "Ca", "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga", "Ge", "As",
    "Se", "Br", "Kr", "Rb", "Sr", "Y", "Zr", "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Cd", "In",
    "Sn", "Sb", "Te", "I", "Xe", "Cs", "Ba", "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd", "Tb",
    "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Hf", "Ta", "W", "Re", "Os", "Ir", "Pt", "Au", "Hg", "Tl",
    "Pb", "Bi", "Po", "At", "Rn", "Fr", "Ra", "Ac", "Th", "Pa", "U", "Np", "Pu", "Am", "Cm", "Bk",
    "Cf", "Es", "Fm", "Md", "No", "Lr", "Rf", "Db", "Sg", "Bh", "Hs", "Mt", "Ds", "Rg", "Cn", "Nh",
    "Fl", "Mc", "Lv", "Ts", "Og",
];

/// The element symbol of an atomic number ("*" for any atom).
pub fn symbol(element: u8) -> &'static str {
    match element {
        ANY_ATOM => "*",
        n => ELEMENTS.get(usize::from(n) - 1).copied().unwrap_or("?"),
    }
}

fn atomic_number(symbol: &str) -> Option<u8> {
    ELEMENTS
        .iter()
        .position(|s| *s == symbol)
        .and_then(|i| u8::try_from(i + 1).ok())
}

pub const HYDROGEN: u8 = 1;
pub const CARBON: u8 = 6;
pub const NITROGEN: u8 = 7;
pub const OXYGEN: u8 = 8;
pub const SULFUR: u8 = 16;

/// Whether the atomic number is F, Cl, Br or I.
pub fn is_halogen(element: u8) -> bool {
    matches!(element, 9 | 17 | 35 | 53)
}

/// Normal valences of the organic subset, for implicit hydrogens.
fn normal_valences(element: u8) -> &'static [u8] {
    match element {
        5 => &[3],
        6 => &[4],
        7 | 15 => &[3, 5],
        8 => &[2],
        16 => &[2, 4, 6],
        9 | 17 | 35 | 53 => &[1],
        _ => &[],
    }
}

impl Molecule {
    pub fn parse(text: &str) -> Result<Self, SmilesError> {
        parse(text, Dialect::Molecule)
    }

    pub fn parse_pattern(text: &str) -> Result<Self, SmilesError> {
        parse(text, Dialect::Pattern)
    }

    pub fn neighbours(&self, atom: usize) -> &[(usize, usize)] {
        self.neighbours.get(atom).map_or(&[], Vec::as_slice)
    }

    pub fn degree(&self, atom: usize) -> usize {
        self.neighbours(atom).len()
    }

    /// The bond between two atoms, if any.
    pub fn bond_between(&self, a: usize, b: usize) -> Option<&Bond> {
        self.neighbours(a)
            .iter()
            .find(|(n, _)| *n == b)
            .and_then(|(_, bond)| self.bonds.get(*bond))
    }

    fn add_atom(&mut self, atom: Atom) -> usize {
        self.atoms.push(atom);
        self.neighbours.push(Vec::new());
        self.atoms.len() - 1
    }

    fn add_bond(&mut self, a: usize, b: usize, order: BondOrder) {
        let index = self.bonds.len();
        self.bonds.push(Bond {
            atoms: [a, b],
            order,
        });
        self.neighbours[a].push((b, index));
        self.neighbours[b].push((a, index));
    }

    /// Builds a molecule from atoms and bonds (indexes into `atoms`).
    pub fn from_parts(atoms: Vec<Atom>, bonds: Vec<Bond>) -> Self {
        let mut molecule = Self {
            neighbours: vec![Vec::new(); atoms.len()],
            atoms,
            bonds: Vec::new(),
        };
        for bond in bonds {
            molecule.add_bond(bond.atoms[0], bond.atoms[1], bond.order);
        }
        molecule
    }

    /// The connected pieces (dot-separated fragments), each a list of atom indexes.
    pub fn fragments(&self) -> Vec<Vec<usize>> {
        let mut seen = vec![false; self.atoms.len()];
        let mut fragments = Vec::new();
        for start in 0..self.atoms.len() {
            if seen[start] {
                continue;
            }
            seen[start] = true;
            let mut fragment = vec![start];
            let mut next = 0;
            while let Some(&atom) = fragment.get(next) {
                next += 1;
                for &(neighbour, _) in self.neighbours(atom) {
                    if !seen[neighbour] {
                        seen[neighbour] = true;
                        fragment.push(neighbour);
                    }
                }
            }
            fragment.sort_unstable();
            fragments.push(fragment);
        }
        fragments
    }

    /// The sub-molecule of these atoms (in this order), with the bonds among them.
    pub fn subset(&self, atoms: &[usize]) -> Self {
        let mut new_index = vec![usize::MAX; self.atoms.len()];
        for (new, &old) in atoms.iter().enumerate() {
            new_index[old] = new;
        }
        let bonds = self
            .bonds
            .iter()
            .filter_map(|bond| {
                let [a, b] = bond.atoms.map(|atom| new_index[atom]);
                (a != usize::MAX && b != usize::MAX).then_some(Bond {
                    atoms: [a, b],
                    order: bond.order,
                })
            })
            .collect();
        Self::from_parts(
            atoms.iter().map(|&a| self.atoms[a].clone()).collect(),
            bonds,
        )
    }

    /// Whether the bond lies on a ring: its ends stay connected without it.
    pub fn bond_in_ring(&self, bond: usize) -> bool {
        let Some(&Bond { atoms: [a, b], .. }) = self.bonds.get(bond) else {
            return false;
        };
        let mut seen = vec![false; self.atoms.len()];
        let mut stack = vec![a];
        seen[a] = true;
        while let Some(atom) = stack.pop() {
            for &(neighbour, via) in self.neighbours(atom) {
                if via == bond || seen[neighbour] {
                    continue;
                }
                if neighbour == b {
                    return true;
                }
                seen[neighbour] = true;
                stack.push(neighbour);
            }
        }
        false
    }

    /// The molecular formula in Hill order, with the charge: "C5H9NO", "Cl-", "Na+".
    pub fn formula(&self) -> String {
        let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
        let mut hydrogens = 0usize;
        let mut charge = 0i32;
        for atom in &self.atoms {
            hydrogens += usize::from(atom.hydrogens);
            charge += i32::from(atom.charge);
            if atom.element == HYDROGEN {
                hydrogens += 1;
            } else {
                *counts.entry(symbol(atom.element)).or_default() += 1;
            }
        }
        let mut text = String::new();
        let mut push = |symbol: &str, count: usize| {
            if count > 0 {
                text.push_str(symbol);
                if count > 1 {
                    text.push_str(&count.to_string());
                }
            }
        };
        let has_carbon = counts.contains_key("C");
        if has_carbon {
            push("C", counts.remove("C").unwrap_or(0));
            push("H", hydrogens);
        } else {
            counts.insert("H", hydrogens);
        }
        for (symbol, count) in counts {
            push(symbol, count);
        }
        match charge {
            0 => {}
            1 => text.push('+'),
            -1 => text.push('-'),
            c if c > 0 => text.push_str(&format!("{c}+")),
            c => text.push_str(&format!("{}-", -c)),
        }
        text
    }
}

/// An explicit bond symbol, or none (single, or aromatic between aromatic atoms).
type BondSymbol = Option<BondOrder>;

struct OpenRing {
    atom: usize,
    bond: BondSymbol,
    position: usize,
}

fn parse(text: &str, dialect: Dialect) -> Result<Molecule, SmilesError> {
    let chars: Vec<char> = text.chars().collect();
    let start = chars.iter().position(|c| !c.is_whitespace());
    let end = chars.iter().rposition(|c| !c.is_whitespace());
    let (Some(start), Some(end)) = (start, end) else {
        return Err(SmilesError {
            position: 0,
            kind: SmilesErrorKind::Empty,
        });
    };
    let mut parser = Parser {
        chars: &chars[..=end],
        at: start,
        dialect,
        molecule: Molecule::default(),
        explicit_hydrogen: Vec::new(),
        positions: Vec::new(),
        previous: None,
        bond: None,
        branches: Vec::new(),
        rings: std::collections::BTreeMap::new(),
    };
    parser.run()?;
    let Parser {
        mut molecule,
        explicit_hydrogen,
        positions,
        ..
    } = parser;
    for (atom, written) in explicit_hydrogen.iter().enumerate() {
        if !written {
            molecule.atoms[atom].hydrogens = implicit_hydrogens(&molecule, atom);
        }
    }
    check_aromatic_rings(&molecule, &positions)?;
    let molecule = fold_hydrogen_atoms(molecule);
    Ok(super::aromaticity::perceive(molecule))
}

struct Parser<'a> {
    chars: &'a [char],
    at: usize,
    dialect: Dialect,
    molecule: Molecule,
    /// Per atom: whether its hydrogens were written (brackets) rather than implied.
    explicit_hydrogen: Vec<bool>,
    /// Per atom: the character where it starts.
    positions: Vec<usize>,
    previous: Option<usize>,
    /// A bond symbol waiting for its second atom, with its position.
    bond: Option<(BondOrder, usize)>,
    branches: Vec<(usize, usize)>,
    rings: std::collections::BTreeMap<u16, OpenRing>,
}

impl Parser<'_> {
    fn error(&self, position: usize, kind: SmilesErrorKind) -> SmilesError {
        SmilesError { position, kind }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn run(&mut self) -> Result<(), SmilesError> {
        while let Some(c) = self.peek() {
            let position = self.at;
            match c {
                '(' => {
                    let Some(previous) = self.previous else {
                        return Err(self.error(position, SmilesErrorKind::NothingToBond));
                    };
                    if self.bond.is_some() {
                        return Err(self.error(position, SmilesErrorKind::DanglingBond));
                    }
                    self.branches.push((previous, position));
                    self.at += 1;
                }
                ')' => {
                    if let Some((_, at)) = self.bond {
                        return Err(self.error(at, SmilesErrorKind::DanglingBond));
                    }
                    let Some((atom, _)) = self.branches.pop() else {
                        return Err(self.error(position, SmilesErrorKind::UnmatchedClose));
                    };
                    self.previous = Some(atom);
                    self.at += 1;
                }
                '-' | '=' | '#' | '$' | ':' | '/' | '\\' => {
                    if self.previous.is_none() || self.bond.is_some() {
                        return Err(self.error(position, SmilesErrorKind::NothingToBond));
                    }
                    let order = match c {
                        '=' => BondOrder::Double,
                        '#' => BondOrder::Triple,
                        '$' => BondOrder::Quadruple,
                        ':' => BondOrder::Aromatic,
                        _ => BondOrder::Single,
                    };
                    self.bond = Some((order, position));
                    self.at += 1;
                }
                '.' => {
                    if let Some((_, at)) = self.bond {
                        return Err(self.error(at, SmilesErrorKind::DanglingBond));
                    }
                    if self.previous.is_none() {
                        return Err(self.error(
                            position,
                            SmilesErrorKind::UnexpectedCharacter { character: c },
                        ));
                    }
                    self.previous = None;
                    self.at += 1;
                }
                '0'..='9' | '%' => self.ring_closure()?,
                '[' => {
                    let atom = self.bracket_atom()?;
                    self.attach(atom, position)?;
                }
                _ => {
                    let atom = self.organic_atom()?;
                    self.attach(atom, position)?;
                }
            }
        }
        if let Some((_, at)) = self.bond {
            return Err(self.error(at, SmilesErrorKind::DanglingBond));
        }
        if let Some(&(_, at)) = self.branches.last() {
            return Err(self.error(at, SmilesErrorKind::UnclosedBranch));
        }
        if let Some((&ring, open)) = self.rings.iter().next() {
            return Err(self.error(open.position, SmilesErrorKind::UnclosedRing { ring }));
        }
        Ok(())
    }

    fn default_order(&self, a: usize, b: usize) -> BondOrder {
        if self.molecule.atoms[a].aromatic && self.molecule.atoms[b].aromatic {
            BondOrder::Aromatic
        } else {
            BondOrder::Single
        }
    }

    fn attach(
        &mut self,
        (atom, explicit_h): (Atom, bool),
        position: usize,
    ) -> Result<(), SmilesError> {
        if self.molecule.atoms.len() >= MAX_ATOMS {
            return Err(self.error(position, SmilesErrorKind::TooLarge { max: MAX_ATOMS }));
        }
        let index = self.molecule.add_atom(atom);
        self.explicit_hydrogen.push(explicit_h);
        self.positions.push(position);
        if let Some(previous) = self.previous {
            let order = match self.bond.take() {
                Some((order, _)) => order,
                None => self.default_order(previous, index),
            };
            self.molecule.add_bond(previous, index, order);
        }
        self.previous = Some(index);
        Ok(())
    }

    fn ring_closure(&mut self) -> Result<(), SmilesError> {
        let position = self.at;
        let Some(atom) = self.previous else {
            return Err(self.error(position, SmilesErrorKind::NothingToBond));
        };
        let ring = if self.peek() == Some('%') {
            let digits: String = self.chars[self.at + 1..]
                .iter()
                .take(2)
                .take_while(|c| c.is_ascii_digit())
                .collect();
            if digits.len() != 2 {
                return Err(self.error(
                    position,
                    SmilesErrorKind::UnexpectedCharacter { character: '%' },
                ));
            }
            self.at += 3;
            digits.parse::<u16>().unwrap_or_default()
        } else {
            let digit = self.peek().and_then(|c| c.to_digit(10)).unwrap_or_default();
            self.at += 1;
            u16::try_from(digit).unwrap_or_default()
        };
        let bond = self.bond.take().map(|(order, _)| order);
        match self.rings.remove(&ring) {
            None => {
                self.rings.insert(
                    ring,
                    OpenRing {
                        atom,
                        bond,
                        position,
                    },
                );
            }
            Some(open) => {
                if open.atom == atom || self.molecule.bond_between(open.atom, atom).is_some() {
                    return Err(self.error(position, SmilesErrorKind::InvalidRingBond { ring }));
                }
                let order = bond
                    .or(open.bond)
                    .unwrap_or_else(|| self.default_order(open.atom, atom));
                self.molecule.add_bond(open.atom, atom, order);
            }
        }
        Ok(())
    }

    fn new_atom(&self, element: u8, aromatic: bool) -> Atom {
        Atom {
            element,
            aromatic,
            charge: 0,
            hydrogens: 0,
            source_index: self.molecule.atoms.len(),
        }
    }

    /// An atom of the organic subset, `*`, or (patterns) `a`.
    fn organic_atom(&mut self) -> Result<(Atom, bool), SmilesError> {
        let position = self.at;
        let c = self.peek().unwrap_or(' ');
        let next = self.chars.get(self.at + 1).copied();
        let (element, aromatic, length) = match (c, next) {
            ('C', Some('l')) => (17, false, 2),
            ('B', Some('r')) => (35, false, 2),
            ('B', _) => (5, false, 1),
            ('C', _) => (6, false, 1),
            ('N', _) => (7, false, 1),
            ('O', _) => (8, false, 1),
            ('P', _) => (15, false, 1),
            ('S', _) => (16, false, 1),
            ('F', _) => (9, false, 1),
            ('I', _) => (53, false, 1),
            ('b', _) => (5, true, 1),
            ('c', _) => (6, true, 1),
            ('n', _) => (7, true, 1),
            ('o', _) => (8, true, 1),
            ('p', _) => (15, true, 1),
            ('s', _) => (16, true, 1),
            ('*', _) => (ANY_ATOM, false, 1),
            ('a', _) if self.dialect == Dialect::Pattern => (ANY_ATOM, true, 1),
            (c, _) if c.is_ascii_uppercase() => {
                let symbol: String = std::iter::once(c)
                    .chain(next.filter(char::is_ascii_lowercase))
                    .collect();
                return Err(self.error(position, SmilesErrorKind::UnknownElement { symbol }));
            }
            (character, _) => {
                return Err(
                    self.error(position, SmilesErrorKind::UnexpectedCharacter { character })
                );
            }
        };
        self.at += length;
        Ok((self.new_atom(element, aromatic), false))
    }

    /// `[` isotope? symbol chirality? hcount? charge? class? `]`
    fn bracket_atom(&mut self) -> Result<(Atom, bool), SmilesError> {
        let open = self.at;
        let Some(close) = self.chars[open..].iter().position(|c| *c == ']') else {
            return Err(self.error(open, SmilesErrorKind::UnclosedBracket));
        };
        let close = open + close;
        self.at = open + 1;
        while self.at < close && self.chars[self.at].is_ascii_digit() {
            self.at += 1;
        }
        let position = self.at;
        let rest = &self.chars[self.at..close];
        let (element, aromatic, length) = self.bracket_symbol(rest, position)?;
        self.at += length;
        // Chirality is read and ignored: the lists name compounds "and their optical isomers".
        while self.at < close && self.chars[self.at] == '@' {
            self.at += 1;
        }
        let class: String = self.chars[self.at..close].iter().take(2).collect();
        if self.chars[self.at - 1] == '@'
            && ["TH", "AL", "SP", "TB", "OH"].contains(&class.as_str())
        {
            self.at += 2;
            while self.at < close && self.chars[self.at].is_ascii_digit() {
                self.at += 1;
            }
        }
        let mut hydrogens = 0u8;
        if self.at < close && self.chars[self.at] == 'H' {
            self.at += 1;
            hydrogens = 1;
            if self.at < close && self.chars[self.at].is_ascii_digit() {
                hydrogens = self.chars[self.at].to_digit(10).map_or(1, |d| d as u8);
                self.at += 1;
            }
        }
        let mut charge = 0i8;
        if self.at < close && matches!(self.chars[self.at], '+' | '-') {
            let sign = if self.chars[self.at] == '+' { 1 } else { -1 };
            let symbol = self.chars[self.at];
            self.at += 1;
            let mut magnitude = 1i8;
            if self.at < close && self.chars[self.at].is_ascii_digit() {
                magnitude = self.chars[self.at].to_digit(10).map_or(1, |d| d as i8);
                self.at += 1;
            } else {
                while self.at < close && self.chars[self.at] == symbol {
                    magnitude += 1;
                    self.at += 1;
                }
            }
            charge = sign * magnitude;
        }
        if self.at < close && self.chars[self.at] == ':' {
            self.at += 1;
            while self.at < close && self.chars[self.at].is_ascii_digit() {
                self.at += 1;
            }
        }
        if self.at != close {
            return Err(self.error(
                self.at,
                SmilesErrorKind::UnexpectedCharacter {
                    character: self.chars[self.at],
                },
            ));
        }
        self.at = close + 1;
        let mut atom = self.new_atom(element, aromatic);
        atom.hydrogens = hydrogens;
        atom.charge = charge;
        Ok((atom, true))
    }

    fn bracket_symbol(
        &self,
        rest: &[char],
        position: usize,
    ) -> Result<(u8, bool, usize), SmilesError> {
        let first = rest.first().copied().unwrap_or(']');
        let second = rest.get(1).copied();
        match first {
            '*' => return Ok((ANY_ATOM, false, 1)),
            'a' if self.dialect == Dialect::Pattern && second != Some('s') => {
                return Ok((ANY_ATOM, true, 1));
            }
            _ => {}
        }
        if first.is_ascii_lowercase() {
            let two: String = [first].into_iter().chain(second).collect();
            for (text, element) in [("se", 34), ("as", 33), ("te", 52)] {
                if two == text {
                    return Ok((element, true, 2));
                }
            }
            let upper = first.to_ascii_uppercase().to_string();
            return match atomic_number(&upper) {
                Some(element @ (5 | 6 | 7 | 8 | 15 | 16)) => Ok((element, true, 1)),
                _ => Err(self.error(
                    position,
                    SmilesErrorKind::UnknownElement {
                        symbol: first.to_string(),
                    },
                )),
            };
        }
        if !first.is_ascii_uppercase() {
            return Err(self.error(
                position,
                SmilesErrorKind::UnexpectedCharacter { character: first },
            ));
        }
        if let Some(second) = second.filter(char::is_ascii_lowercase) {
            let two: String = [first, second].into_iter().collect();
            if let Some(element) = atomic_number(&two) {
                return Ok((element, false, 2));
            }
        }
        match atomic_number(&first.to_string()) {
            Some(element) => Ok((element, false, 1)),
            None => Err(self.error(
                position,
                SmilesErrorKind::UnknownElement {
                    symbol: first.to_string(),
                },
            )),
        }
    }
}

/// Hydrogens implied on an organic-subset atom: up to its lowest normal valence that its
/// bonds do not exceed.
fn implicit_hydrogens(molecule: &Molecule, atom: usize) -> u8 {
    let Some(this) = molecule.atoms.get(atom) else {
        return 0;
    };
    let mut used: u8 = molecule
        .neighbours(atom)
        .iter()
        .filter_map(|(_, bond)| molecule.bonds.get(*bond))
        .map(|bond| bond.order.valence())
        .sum();
    if this.aromatic {
        used += 1;
    }
    normal_valences(this.element)
        .iter()
        .find(|&&valence| valence >= used)
        .map_or(0, |valence| valence - used)
}

/// An aromatic atom must lie on a ring (`c1ccccc1`, not `cc`).
fn check_aromatic_rings(molecule: &Molecule, positions: &[usize]) -> Result<(), SmilesError> {
    for (index, atom) in molecule.atoms.iter().enumerate() {
        // `a` in a pattern stands for an atom of some aromatic ring not written out.
        if !atom.aromatic || atom.element == ANY_ATOM {
            continue;
        }
        let in_ring = molecule
            .neighbours(index)
            .iter()
            .any(|&(_, bond)| molecule.bond_in_ring(bond));
        if !in_ring {
            return Err(SmilesError {
                position: positions.get(index).copied().unwrap_or_default(),
                kind: SmilesErrorKind::AromaticOutsideRing,
            });
        }
    }
    Ok(())
}

/// `[H]` atoms bonded to one heavy atom become that atom's hydrogen count.
fn fold_hydrogen_atoms(molecule: Molecule) -> Molecule {
    let is_folded = |index: usize| {
        let atom = &molecule.atoms[index];
        atom.element == HYDROGEN
            && atom.charge == 0
            && molecule.degree(index) == 1
            && molecule
                .neighbours(index)
                .first()
                .is_some_and(|&(n, _)| molecule.atoms[n].element != HYDROGEN)
    };
    let folded: Vec<bool> = (0..molecule.atoms.len()).map(is_folded).collect();
    if !folded.contains(&true) {
        return molecule;
    }
    let mut atoms = molecule.atoms.clone();
    for (index, _) in folded.iter().enumerate().filter(|(_, f)| **f) {
        if let Some(&(heavy, _)) = molecule.neighbours(index).first() {
            atoms[heavy].hydrogens = atoms[heavy].hydrogens.saturating_add(1);
        }
    }
    let kept: Vec<usize> = (0..atoms.len()).filter(|&i| !folded[i]).collect();
    let with_counts = Molecule::from_parts(atoms, molecule.bonds.clone());
    with_counts.subset(&kept)
}
