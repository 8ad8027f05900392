//! 2D depiction coordinates for a parsed molecule: where to draw each atom.
//!
//! A small layout of our own (no maintained Rust crate computes depictions): rings are
//! regular polygons with sides of one bond length, fused rings share an edge and spiro rings
//! an atom; chains are 120-degree zigzags; substituents point away from their ring; branches
//! that bump into each other are mirrored across the bond they hang from until nothing
//! overlaps; disconnected parts (the ions of a salt) stand side by side. The same molecule
//! always gets the same picture.
//!
//! Pure: no egui. Units are bond lengths; y points up.

use std::collections::VecDeque;
use std::f64::consts::{FRAC_PI_2, FRAC_PI_3, FRAC_PI_6, PI, TAU};

use super::smiles::{BondOrder, Molecule};

/// A point in bond lengths.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub const fn new(x: f64, y: f64) -> Self {
        Self { x, y }
    }

    fn polar(angle: f64, length: f64) -> Self {
        Self::new(angle.cos() * length, angle.sin() * length)
    }

    fn add(self, other: Self) -> Self {
        Self::new(self.x + other.x, self.y + other.y)
    }

    fn sub(self, other: Self) -> Self {
        Self::new(self.x - other.x, self.y - other.y)
    }

    fn scale(self, factor: f64) -> Self {
        Self::new(self.x * factor, self.y * factor)
    }

    fn length(self) -> f64 {
        self.x.hypot(self.y)
    }

    fn angle(self) -> f64 {
        self.y.atan2(self.x)
    }

    pub fn distance(self, other: Self) -> f64 {
        self.sub(other).length()
    }

    fn rotate(self, angle: f64) -> Self {
        let (sin, cos) = angle.sin_cos();
        Self::new(self.x * cos - self.y * sin, self.x * sin + self.y * cos)
    }

    fn mean(points: impl IntoIterator<Item = Self>) -> Self {
        let mut sum = Self::default();
        let mut count = 0.0;
        for point in points {
            sum = sum.add(point);
            count += 1.0;
        }
        if count > 0.0 {
            sum.scale(1.0 / count)
        } else {
            sum
        }
    }
}

/// Where each atom goes, and the rings the picture was built from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    /// One point per atom of the molecule, in its order.
    pub points: Vec<Point>,
    /// The smallest set of smallest rings, each as its atoms in ring order.
    pub rings: Vec<Vec<usize>>,
}

impl Layout {
    /// The smallest and largest corner of the box around every atom.
    pub fn bounds(&self) -> (Point, Point) {
        let mut min = Point::new(f64::INFINITY, f64::INFINITY);
        let mut max = Point::new(f64::NEG_INFINITY, f64::NEG_INFINITY);
        for p in &self.points {
            min = Point::new(min.x.min(p.x), min.y.min(p.y));
            max = Point::new(max.x.max(p.x), max.y.max(p.y));
        }
        if self.points.is_empty() {
            (Point::default(), Point::default())
        } else {
            (min, max)
        }
    }

    /// The first way this layout breaks the rules of a good drawing, if any: every bond one
    /// bond length long (within 0.05), no two atoms closer than 0.6, the atoms of each ring
    /// on a regular polygon.
    pub fn flaw(&self, molecule: &Molecule) -> Option<String> {
        if self.points.len() != molecule.atoms.len() {
            return Some("not one point per atom".into());
        }
        for bond in &molecule.bonds {
            let [a, b] = bond.atoms;
            let length = self.points[a].distance(self.points[b]);
            if (length - 1.0).abs() > 0.05 {
                return Some(format!("bond {a}-{b} is {length:.3} long"));
            }
        }
        for a in 0..self.points.len() {
            for b in a + 1..self.points.len() {
                let d = self.points[a].distance(self.points[b]);
                if d < 0.6 {
                    return Some(format!("atoms {a} and {b} are {d:.3} apart"));
                }
            }
        }
        for (index, ring) in self.rings.iter().enumerate() {
            let centre = self.ring_centre(index).unwrap_or_default();
            let radius = circumradius(ring.len());
            for &atom in ring {
                let r = self.points[atom].distance(centre);
                if (r - radius).abs() > 0.05 {
                    return Some(format!(
                        "ring {ring:?}: atom {atom} is {r:.3} from the centre, not {radius:.3}"
                    ));
                }
            }
        }
        None
    }

    /// The centre of a ring (an index into `rings`).
    pub fn ring_centre(&self, ring: usize) -> Option<Point> {
        let atoms = self.rings.get(ring)?;
        Some(Point::mean(atoms.iter().map(|&a| self.points[a])))
    }
}

/// Room left between the disconnected parts of a structure, in bond lengths.
const PART_GAP: f64 = 2.0;

/// Above this many atoms the overlap clean-up (cubic in atoms) is skipped: the layout runs on
/// the window's thread when a SMILES changes, and precursors have a few dozen atoms.
const MAX_ATOMS_TIDIED: usize = 120;

/// The depiction of a molecule.
pub fn layout(molecule: &Molecule) -> Layout {
    let rings = smallest_rings(molecule);
    let systems = ring_systems(molecule, &rings);
    let mut placer = Placer {
        molecule,
        rings: &rings,
        systems: &systems,
        system_of: vec![None; molecule.atoms.len()],
        drawn_systems: vec![false; systems.len()],
        points: vec![None; molecule.atoms.len()],
    };
    for (index, system) in systems.iter().enumerate() {
        for &atom in &system.atoms {
            placer.system_of[atom] = Some(index);
        }
    }
    let mut cursor = 0.0;
    let mut points = vec![Point::default(); molecule.atoms.len()];
    for fragment in molecule.fragments() {
        placer.place_fragment(&fragment);
        let mut part: Vec<Point> = fragment
            .iter()
            .map(|&a| placer.points[a].unwrap_or_default())
            .collect();
        if fragment.len() <= MAX_ATOMS_TIDIED {
            tidy(molecule, &fragment, &mut part);
        }
        level(&mut part);
        let min_x = part.iter().map(|p| p.x).fold(f64::INFINITY, f64::min);
        let max_x = part.iter().map(|p| p.x).fold(f64::NEG_INFINITY, f64::max);
        let min_y = part.iter().map(|p| p.y).fold(f64::INFINITY, f64::min);
        let max_y = part.iter().map(|p| p.y).fold(f64::NEG_INFINITY, f64::max);
        let shift = Point::new(cursor - min_x, -(min_y + max_y) / 2.0);
        for (&atom, point) in fragment.iter().zip(&part) {
            points[atom] = point.add(shift);
        }
        cursor += max_x - min_x + PART_GAP;
    }
    Layout { points, rings }
}

// ---------------------------------------------------------------------------------------
// Rings

/// The smallest set of smallest rings: the shortest cycle through each ring bond, smallest
/// first, kept when it is not a sum of the rings kept before it.
pub fn smallest_rings(molecule: &Molecule) -> Vec<Vec<usize>> {
    let bonds = molecule.bonds.len();
    let wanted = (bonds + molecule.fragments().len()).saturating_sub(molecule.atoms.len());
    if wanted == 0 {
        return Vec::new();
    }
    let mut candidates: Vec<Vec<usize>> = Vec::new();
    for (index, bond) in molecule.bonds.iter().enumerate() {
        if let Some(cycle) = shortest_path(molecule, bond.atoms[0], bond.atoms[1], index) {
            let mut key = cycle.clone();
            key.sort_unstable();
            if !candidates.iter().any(|c| {
                let mut other = c.clone();
                other.sort_unstable();
                other == key
            }) {
                candidates.push(cycle);
            }
        }
    }
    candidates.sort_by_key(Vec::len);
    let words = bonds.div_ceil(64);
    let mut basis: Vec<(usize, Vec<u64>)> = Vec::new();
    let mut rings = Vec::new();
    for cycle in candidates {
        let mut vector = vec![0u64; words];
        for (position, &atom) in cycle.iter().enumerate() {
            let next = cycle[(position + 1) % cycle.len()];
            if let Some(bond) = bond_index(molecule, atom, next) {
                vector[bond / 64] ^= 1u64 << (bond % 64);
            }
        }
        for (pivot, row) in &basis {
            if vector[pivot / 64] & (1u64 << (pivot % 64)) != 0 {
                for (word, bits) in vector.iter_mut().zip(row) {
                    *word ^= bits;
                }
            }
        }
        let Some(pivot) = lowest_bit(&vector) else {
            continue;
        };
        basis.push((pivot, vector));
        rings.push(cycle);
        if rings.len() == wanted {
            break;
        }
    }
    rings
}

fn lowest_bit(vector: &[u64]) -> Option<usize> {
    vector
        .iter()
        .enumerate()
        .find(|(_, word)| **word != 0)
        .map(|(index, word)| index * 64 + word.trailing_zeros() as usize)
}

fn bond_index(molecule: &Molecule, a: usize, b: usize) -> Option<usize> {
    molecule
        .neighbours(a)
        .iter()
        .find(|(n, _)| *n == b)
        .map(|&(_, bond)| bond)
}

/// The shortest path from `from` to `to` that does not use bond `avoid`, as atoms from
/// `from` to `to`: with that bond, a ring.
fn shortest_path(molecule: &Molecule, from: usize, to: usize, avoid: usize) -> Option<Vec<usize>> {
    let mut parent = vec![usize::MAX; molecule.atoms.len()];
    parent[from] = from;
    let mut queue = VecDeque::from([from]);
    while let Some(atom) = queue.pop_front() {
        for &(next, bond) in molecule.neighbours(atom) {
            if bond == avoid || parent[next] != usize::MAX {
                continue;
            }
            parent[next] = atom;
            if next == to {
                let mut path = vec![to];
                let mut at = to;
                while at != from {
                    at = parent[at];
                    path.push(at);
                }
                path.reverse();
                return Some(path);
            }
            queue.push_back(next);
        }
    }
    None
}

/// Rings that share an atom, drawn together.
struct RingSystem {
    /// Indexes into the rings.
    rings: Vec<usize>,
    /// Every atom of those rings, ascending.
    atoms: Vec<usize>,
}

fn ring_systems(molecule: &Molecule, rings: &[Vec<usize>]) -> Vec<RingSystem> {
    let mut group: Vec<usize> = (0..rings.len()).collect();
    fn root(group: &mut [usize], mut at: usize) -> usize {
        while group[at] != at {
            group[at] = group[group[at]];
            at = group[at];
        }
        at
    }
    let mut ring_of_atom = vec![usize::MAX; molecule.atoms.len()];
    for (index, ring) in rings.iter().enumerate() {
        for &atom in ring {
            if ring_of_atom[atom] == usize::MAX {
                ring_of_atom[atom] = index;
            } else {
                let (a, b) = (
                    root(&mut group, ring_of_atom[atom]),
                    root(&mut group, index),
                );
                group[a.max(b)] = a.min(b);
            }
        }
    }
    let mut systems: Vec<RingSystem> = Vec::new();
    let mut system_of_root = vec![usize::MAX; rings.len()];
    for (index, ring) in rings.iter().enumerate() {
        let r = root(&mut group, index);
        if system_of_root[r] == usize::MAX {
            system_of_root[r] = systems.len();
            systems.push(RingSystem {
                rings: Vec::new(),
                atoms: Vec::new(),
            });
        }
        let system = &mut systems[system_of_root[r]];
        system.rings.push(index);
        system.atoms.extend(ring);
    }
    for system in &mut systems {
        system.atoms.sort_unstable();
        system.atoms.dedup();
    }
    systems
}

/// The radius of a regular polygon of `size` unit sides.
fn circumradius(size: usize) -> f64 {
    0.5 / (PI / size as f64).sin()
}

/// A ring system in a frame of its own: each ring a regular polygon, fused rings built on
/// the shared edge on the far side, spiro rings on the far side of the shared atom.
fn ring_system_points(
    system: &RingSystem,
    rings: &[Vec<usize>],
    count: usize,
) -> Vec<Option<Point>> {
    let mut points: Vec<Option<Point>> = vec![None; count];
    let mut placed_rings: Vec<usize> = Vec::new();
    let shared = |ring: usize| {
        system
            .rings
            .iter()
            .filter(|&&other| other != ring)
            .map(|&other| {
                rings[ring]
                    .iter()
                    .filter(|a| rings[other].contains(a))
                    .count()
            })
            .sum::<usize>()
    };
    let Some(&first) = system
        .rings
        .iter()
        .max_by_key(|&&ring| (shared(ring), rings[ring].len(), usize::MAX - ring))
    else {
        return points;
    };
    let ring = &rings[first];
    let radius = circumradius(ring.len());
    for (position, &atom) in ring.iter().enumerate() {
        let angle = FRAC_PI_2 + TAU * position as f64 / ring.len() as f64;
        points[atom] = Some(Point::polar(angle, radius));
    }
    placed_rings.push(first);
    while placed_rings.len() < system.rings.len() {
        // Prefer a ring fused on an edge of a drawn ring, then one with a drawn atom.
        let next = system
            .rings
            .iter()
            .copied()
            .filter(|r| !placed_rings.contains(r))
            .map(|r| {
                let edge = placed_edge(&rings[r], &points, &placed_rings, rings);
                let drawn = rings[r].iter().filter(|&&a| points[a].is_some()).count();
                (edge.is_some(), drawn, usize::MAX - r, r)
            })
            .filter(|(_, drawn, _, _)| *drawn > 0)
            .max();
        let Some((_, _, _, ring)) = next else {
            break;
        };
        place_ring(&rings[ring], &mut points, &placed_rings, rings);
        placed_rings.push(ring);
    }
    points
}

/// An edge of `ring` whose two atoms are drawn and lie on a drawn ring: (atom, atom, that
/// ring's centre).
fn placed_edge(
    ring: &[usize],
    points: &[Option<Point>],
    placed_rings: &[usize],
    rings: &[Vec<usize>],
) -> Option<(usize, usize, Point)> {
    for (position, &u) in ring.iter().enumerate() {
        let v = ring[(position + 1) % ring.len()];
        if points[u].is_none() || points[v].is_none() {
            continue;
        }
        for &other in placed_rings {
            let other = &rings[other];
            if other.contains(&u) && other.contains(&v) {
                let centre = Point::mean(other.iter().filter_map(|&a| points[a]));
                return Some((u, v, centre));
            }
        }
    }
    None
}

fn place_ring(
    ring: &[usize],
    points: &mut [Option<Point>],
    placed_rings: &[usize],
    rings: &[Vec<usize>],
) {
    let size = ring.len();
    let radius = circumradius(size);
    let step = TAU / size as f64;
    if let Some((u, v, other_centre)) = placed_edge(ring, points, placed_rings, rings) {
        let (Some(pu), Some(pv)) = (points[u], points[v]) else {
            return;
        };
        let middle = Point::mean([pu, pv]);
        let along = pv.sub(pu);
        let mut normal = Point::new(-along.y, along.x).scale(1.0 / along.length().max(1e-9));
        if normal.x * (middle.x - other_centre.x) + normal.y * (middle.y - other_centre.y) < 0.0 {
            normal = normal.scale(-1.0);
        }
        let apothem = 0.5 / (PI / size as f64).tan();
        let centre = middle.add(normal.scale(apothem));
        let start = ring.iter().position(|&a| a == u).unwrap_or_default();
        let forward = ring[(start + 1) % size] == v;
        let turn = {
            let mut delta = pv.sub(centre).angle() - pu.sub(centre).angle();
            while delta > PI {
                delta -= TAU;
            }
            while delta <= -PI {
                delta += TAU;
            }
            delta.signum()
        };
        let base = pu.sub(centre).angle();
        let polygon: Vec<(usize, Point)> = (0..size)
            .map(|k| {
                let atom = if forward {
                    ring[(start + k) % size]
                } else {
                    ring[(start + size - k) % size]
                };
                let angle = base + turn * step * k as f64;
                (atom, centre.add(Point::polar(angle, radius)))
            })
            .collect();
        // Rings fused round a corner (pyrene) fit the drawn atoms; a bridge does not.
        let fits = polygon
            .iter()
            .all(|(atom, p)| points[*atom].is_none_or(|drawn| drawn.distance(*p) < 0.05));
        if fits {
            for (atom, point) in polygon {
                if points[atom].is_none() {
                    points[atom] = Some(point);
                }
            }
            return;
        }
        place_bridge(ring, points);
        return;
    }
    let drawn: Vec<usize> = ring
        .iter()
        .copied()
        .filter(|&a| points[a].is_some())
        .collect();
    if let [spiro] = drawn[..] {
        let Some(at) = points[spiro] else {
            return;
        };
        let centres: Vec<Point> = placed_rings
            .iter()
            .map(|&r| &rings[r])
            .filter(|r| r.contains(&spiro))
            .map(|r| Point::mean(r.iter().filter_map(|&a| points[a])))
            .collect();
        let away = at.sub(Point::mean(centres));
        let direction = if away.length() > 1e-9 {
            away.scale(1.0 / away.length())
        } else {
            Point::new(1.0, 0.0)
        };
        let centre = at.add(direction.scale(radius));
        let start = ring.iter().position(|&a| a == spiro).unwrap_or_default();
        let base = at.sub(centre).angle();
        for k in 1..size {
            let atom = ring[(start + k) % size];
            if points[atom].is_none() {
                points[atom] = Some(centre.add(Point::polar(base + step * k as f64, radius)));
            }
        }
        return;
    }
    place_bridge(ring, points);
}

/// A ring that shares more than an edge with what is drawn (a bridged system): each run of
/// undrawn atoms on an arc of unit bonds between the drawn atoms at its ends, bulging away
/// from what is drawn.
fn place_bridge(ring: &[usize], points: &mut [Option<Point>]) {
    let size = ring.len();
    let drawn_centre = Point::mean(points.iter().flatten().copied());
    let Some(start) = ring.iter().position(|&a| points[a].is_some()) else {
        return;
    };
    let mut k = 0;
    while k < size {
        let at = (start + k) % size;
        let next = (at + 1) % size;
        if points[ring[next]].is_some() {
            k += 1;
            continue;
        }
        let mut run = Vec::new();
        let mut end = next;
        while points[ring[end]].is_none() && run.len() < size {
            run.push(ring[end]);
            end = (end + 1) % size;
        }
        let (Some(from), Some(to)) = (points[ring[at]], points[ring[end]]) else {
            return;
        };
        let middle = Point::mean([from, to]);
        let mut away = middle.sub(drawn_centre);
        if away.length() < 1e-9 {
            let along = to.sub(from);
            away = Point::new(-along.y, along.x);
        }
        let away = away.scale(1.0 / away.length().max(1e-9));
        for (atom, point) in run.iter().zip(arc(from, to, run.len() + 1, away)) {
            points[*atom] = Some(point);
        }
        k += run.len() + 1;
    }
}

/// The `chords - 1` points that join `from` to `to` by `chords` bonds of unit length on a
/// circular arc bulging towards `away`; on the straight line, stretched, when the ends are
/// too far apart for that.
fn arc(from: Point, to: Point, chords: usize, away: Point) -> Vec<Point> {
    let n = chords as f64;
    let span = from.distance(to);
    let inner = |j: usize| (1..chords).map(move |i| i as f64 / j as f64);
    if span >= n - 1e-9 || span < 1e-9 {
        return inner(chords)
            .map(|t| from.add(to.sub(from).scale(t)))
            .collect();
    }
    // Half the arc's angle: the chord of `n` unit steps on a circle of radius
    // 1 / (2 sin(half / n)) is sin(half) / sin(half / n), which falls from n to 0.
    let (mut low, mut high) = (1e-9, PI);
    for _ in 0..60 {
        let half = (low + high) / 2.0;
        if half.sin() / (half / n).sin() > span {
            low = half;
        } else {
            high = half;
        }
    }
    let half = (low + high) / 2.0;
    let radius = 0.5 / (half / n).sin();
    let centre = Point::mean([from, to]).sub(away.scale(radius * half.cos()));
    let start = from.sub(centre).angle();
    let step = 2.0 * half / n;
    let apex = |sign: f64| Point::polar(start + sign * half, 1.0);
    let sign = if apex(1.0).x * away.x + apex(1.0).y * away.y
        >= apex(-1.0).x * away.x + apex(-1.0).y * away.y
    {
        1.0
    } else {
        -1.0
    };
    (1..chords)
        .map(|i| centre.add(Point::polar(start + sign * step * i as f64, radius)))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Chains, substituents and the whole

struct Placer<'a> {
    molecule: &'a Molecule,
    rings: &'a [Vec<usize>],
    systems: &'a [RingSystem],
    system_of: Vec<Option<usize>>,
    /// Whether each ring system has been drawn.
    drawn_systems: Vec<bool>,
    points: Vec<Option<Point>>,
}

impl Placer<'_> {
    fn place_fragment(&mut self, fragment: &[usize]) {
        let mut queue = VecDeque::new();
        let start_system = self
            .systems
            .iter()
            .enumerate()
            .filter(|(_, s)| s.atoms.first().is_some_and(|a| fragment.contains(a)))
            .max_by_key(|(index, s)| (s.atoms.len(), usize::MAX - index))
            .map(|(index, _)| index);
        if let Some(system) = start_system {
            self.drawn_systems[system] = true;
            let local = ring_system_points(&self.systems[system], self.rings, self.points.len());
            for &atom in &self.systems[system].atoms {
                self.points[atom] = local[atom];
                queue.push_back(atom);
            }
        } else {
            let start = fragment
                .iter()
                .copied()
                .find(|&a| self.molecule.degree(a) <= 1)
                .or_else(|| fragment.first().copied());
            let Some(start) = start else {
                return;
            };
            self.points[start] = Some(Point::default());
            queue.push_back(start);
        }
        while let Some(atom) = queue.pop_front() {
            self.expand(atom, &mut queue);
        }
    }

    /// Draws the undrawn neighbours of a drawn atom.
    fn expand(&mut self, atom: usize, queue: &mut VecDeque<usize>) {
        let Some(here) = self.points[atom] else {
            return;
        };
        let mut new: Vec<usize> = self
            .molecule
            .neighbours(atom)
            .iter()
            .map(|&(n, _)| n)
            .filter(|&n| self.points[n].is_none())
            .collect();
        if new.is_empty() {
            return;
        }
        // The longest branch takes the best direction (the zigzag's trans position).
        let sizes: Vec<usize> = new.iter().map(|&n| self.branch_size(atom, n)).collect();
        let mut order: Vec<usize> = (0..new.len()).collect();
        order.sort_by_key(|&i| (usize::MAX - sizes[i], new[i]));
        new = order.iter().map(|&i| new[i]).collect();
        let angles = self.directions(atom, new.len());
        for (&neighbour, angle) in new.iter().zip(angles) {
            let target = here.add(Point::polar(angle, 1.0));
            match self.system_of[neighbour] {
                Some(system) if !self.drawn_systems[system] => {
                    self.place_system(system, neighbour, target, here);
                    for &a in &self.systems[system].atoms {
                        queue.push_back(a);
                    }
                }
                _ => {
                    self.points[neighbour] = Some(target);
                    queue.push_back(neighbour);
                }
            }
        }
    }

    /// How many atoms lie beyond `next` seen from `from`.
    fn branch_size(&self, from: usize, next: usize) -> usize {
        let mut seen = vec![false; self.molecule.atoms.len()];
        seen[from] = true;
        seen[next] = true;
        let mut stack = vec![next];
        let mut count = 0;
        while let Some(atom) = stack.pop() {
            count += 1;
            for &(n, _) in self.molecule.neighbours(atom) {
                if !seen[n] {
                    seen[n] = true;
                    stack.push(n);
                }
            }
        }
        count
    }

    /// Whether the atom's bonds are straight through it: a triple bond, or two double bonds.
    fn linear(&self, atom: usize) -> bool {
        let orders: Vec<BondOrder> = self
            .molecule
            .neighbours(atom)
            .iter()
            .map(|&(_, bond)| self.molecule.bonds[bond].order)
            .collect();
        orders.len() == 2
            && (orders.contains(&BondOrder::Triple)
                || orders.iter().all(|o| *o == BondOrder::Double))
    }

    /// The directions (angles) for `count` new bonds from a drawn atom, best first.
    fn directions(&self, atom: usize, count: usize) -> Vec<f64> {
        let Some(here) = self.points[atom] else {
            return vec![0.0; count];
        };
        let drawn: Vec<usize> = self
            .molecule
            .neighbours(atom)
            .iter()
            .map(|&(n, _)| n)
            .filter(|&n| self.points[n].is_some())
            .collect();
        let angle_to = |n: usize| self.points[n].unwrap_or_default().sub(here).angle();
        match drawn[..] {
            [] => match count {
                1 => vec![-FRAC_PI_6],
                2 => vec![-FRAC_PI_6, PI + FRAC_PI_6],
                3 => vec![-FRAC_PI_6, PI + FRAC_PI_6, FRAC_PI_2],
                _ => (0..count).map(|i| TAU * i as f64 / count as f64).collect(),
            },
            [parent] => {
                let back = angle_to(parent);
                if count == 1 && self.linear(atom) {
                    return vec![back + PI];
                }
                match count {
                    1 | 2 => {
                        let mut options = vec![back + 2.0 * FRAC_PI_3, back - 2.0 * FRAC_PI_3];
                        // Trans to what the parent carries: the zigzag.
                        let others: Vec<Point> = self
                            .molecule
                            .neighbours(parent)
                            .iter()
                            .filter(|&&(n, _)| n != atom)
                            .filter_map(|&(n, _)| self.points[n])
                            .collect();
                        let room = |angle: f64| {
                            let p = here.add(Point::polar(angle, 1.0));
                            others.iter().map(|o| o.distance(p)).sum::<f64>()
                        };
                        if !others.is_empty() && room(options[1]) > room(options[0]) + 1e-9 {
                            options.swap(0, 1);
                        }
                        options.truncate(count);
                        options
                    }
                    3 => vec![back + PI, back + FRAC_PI_2, back - FRAC_PI_2],
                    _ => (1..=count)
                        .map(|i| back + TAU * i as f64 / (count + 1) as f64)
                        .collect(),
                }
            }
            _ => {
                let mut angles: Vec<f64> = drawn.iter().map(|&n| angle_to(n)).collect();
                angles.sort_by(f64::total_cmp);
                let mut gap = (
                    angles[0] + TAU - angles[angles.len() - 1],
                    angles[angles.len() - 1],
                );
                for pair in angles.windows(2) {
                    if pair[1] - pair[0] > gap.0 + 1e-9 {
                        gap = (pair[1] - pair[0], pair[0]);
                    }
                }
                let (size, from) = gap;
                let mut all: Vec<f64> = (1..=count)
                    .map(|i| from + size * i as f64 / (count + 1) as f64)
                    .collect();
                // The middle of the gap first.
                let middle = from + size / 2.0;
                all.sort_by(|a, b| (a - middle).abs().total_cmp(&(b - middle).abs()));
                all
            }
        }
    }

    /// Draws a ring system so that `entry` sits at `target` and the rings hang away from
    /// `anchor` (the drawn atom it is bonded to); of the two mirror images, the one with more
    /// room.
    fn place_system(&mut self, system: usize, entry: usize, target: Point, anchor: Point) {
        self.drawn_systems[system] = true;
        let local = ring_system_points(&self.systems[system], self.rings, self.points.len());
        let atoms = &self.systems[system].atoms;
        let Some(at) = local[entry] else {
            return;
        };
        let inward: Point = self
            .molecule
            .neighbours(entry)
            .iter()
            .filter(|&&(n, _)| atoms.contains(&n))
            .filter_map(|&(n, _)| local[n])
            .map(|p| {
                let d = p.sub(at);
                d.scale(1.0 / d.length().max(1e-9))
            })
            .fold(Point::default(), Point::add);
        let outward = if inward.length() > 1e-9 {
            inward.scale(-1.0)
        } else {
            at.sub(Point::mean(atoms.iter().filter_map(|&a| local[a])))
        };
        let wanted = anchor.sub(target).angle();
        let mut best: Option<(f64, Vec<(usize, Point)>)> = None;
        for mirror in [false, true] {
            let flip = |p: Point| if mirror { Point::new(p.x, -p.y) } else { p };
            let rotation = wanted - flip(outward).angle();
            let origin = flip(at).rotate(rotation);
            let placed: Vec<(usize, Point)> = atoms
                .iter()
                .filter_map(|&a| {
                    local[a].map(|p| (a, flip(p).rotate(rotation).sub(origin).add(target)))
                })
                .collect();
            let score: f64 = placed
                .iter()
                .flat_map(|(_, p)| {
                    self.points
                        .iter()
                        .flatten()
                        .map(move |q| crowding(p.distance(*q)))
                })
                .sum();
            if best.as_ref().is_none_or(|(c, _)| score < *c - 1e-9) {
                best = Some((score, placed));
            }
        }
        for (atom, point) in best.map(|(_, p)| p).unwrap_or_default() {
            self.points[atom] = Some(point);
        }
    }
}

/// How much two atoms this far apart crowd each other: nothing beyond 1.6 bond lengths.
fn crowding(distance: f64) -> f64 {
    const REACH: f64 = 1.6;
    if distance >= REACH {
        0.0
    } else {
        (REACH - distance).powi(2) + if distance < 0.7 { 10.0 } else { 0.0 }
    }
}

fn total_crowding(points: &[Point]) -> f64 {
    let mut total = 0.0;
    for (i, p) in points.iter().enumerate() {
        for q in &points[i + 1..] {
            total += crowding(p.distance(*q));
        }
    }
    total
}

/// Mirrors branches across the chain bond they hang from while that makes more room.
fn tidy(molecule: &Molecule, fragment: &[usize], points: &mut [Point]) {
    let position = |atom: usize| fragment.binary_search(&atom).ok();
    let mut score = total_crowding(points);
    for _ in 0..8 {
        let mut improved = false;
        for (index, bond) in molecule.bonds.iter().enumerate() {
            let [a, b] = bond.atoms;
            let (Some(pa), Some(pb)) = (position(a), position(b)) else {
                continue;
            };
            if molecule.degree(a) < 2 || molecule.degree(b) < 2 || molecule.bond_in_ring(index) {
                continue;
            }
            let side = side_of(molecule, a, b);
            let (origin, along) = (points[pa], points[pb].sub(points[pa]));
            let along = along.scale(1.0 / along.length().max(1e-9));
            let mut trial = points.to_vec();
            for atom in &side {
                if let Some(p) = position(*atom) {
                    let d = trial[p].sub(origin);
                    let dot = d.x * along.x + d.y * along.y;
                    let foot = along.scale(dot);
                    trial[p] = origin.add(foot.scale(2.0)).sub(d);
                }
            }
            let new_score = total_crowding(&trial);
            if new_score < score - 1e-6 {
                score = new_score;
                points.copy_from_slice(&trial);
                improved = true;
            }
        }
        if !improved || score < 1e-9 {
            break;
        }
    }
}

/// The atoms beyond `b` seen from `a`, the smaller side of the bond.
fn side_of(molecule: &Molecule, a: usize, b: usize) -> Vec<usize> {
    let reach = |from: usize, next: usize| {
        let mut seen = vec![false; molecule.atoms.len()];
        seen[from] = true;
        seen[next] = true;
        let mut stack = vec![next];
        let mut found = Vec::new();
        while let Some(atom) = stack.pop() {
            found.push(atom);
            for &(n, _) in molecule.neighbours(atom) {
                if !seen[n] {
                    seen[n] = true;
                    stack.push(n);
                }
            }
        }
        found
    };
    let beyond_b = reach(a, b);
    let beyond_a = reach(b, a);
    if beyond_a.len() < beyond_b.len() {
        beyond_a
    } else {
        beyond_b
    }
}

/// Turns a part so its long axis is level, in steps of 30 degrees (the angles of its
/// bonds), so ring edges and zigzags stay on the usual grid.
fn level(points: &mut [Point]) {
    if points.len() < 2 {
        return;
    }
    let centre = Point::mean(points.iter().copied());
    let (mut xx, mut yy, mut xy) = (0.0, 0.0, 0.0);
    for p in points.iter() {
        let d = p.sub(centre);
        xx += d.x * d.x;
        yy += d.y * d.y;
        xy += d.x * d.y;
    }
    let axis = 0.5 * (2.0 * xy).atan2(xx - yy);
    let snapped = (axis / FRAC_PI_6).round() * FRAC_PI_6;
    for p in points.iter_mut() {
        *p = p.sub(centre).rotate(-snapped);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drawn(smiles: &str) -> (Molecule, Layout) {
        let molecule = Molecule::parse(smiles).expect(smiles);
        let layout = layout(&molecule);
        (molecule, layout)
    }

    /// The rules every depiction keeps; a message naming the first one broken.
    fn check(smiles: &str) -> Result<(), String> {
        let (molecule, layout) = drawn(smiles);
        match layout.flaw(&molecule) {
            Some(flaw) => Err(format!("{smiles}: {flaw}")),
            None => Ok(()),
        }
    }

    #[test]
    fn rings_are_the_smallest_set() {
        let sizes = |smiles: &str| {
            let mut sizes: Vec<usize> = smallest_rings(&Molecule::parse(smiles).expect(smiles))
                .iter()
                .map(Vec::len)
                .collect();
            sizes.sort_unstable();
            sizes
        };
        assert_eq!(sizes("CCO"), Vec::<usize>::new());
        assert_eq!(sizes("c1ccccc1"), [6]);
        assert_eq!(sizes("c1ccc2ccccc2c1"), [6, 6], "naphthalene");
        assert_eq!(sizes("C1CC2(CCN1)OCCO2"), [5, 6], "a spiro ketal");
        assert_eq!(sizes("c1ccc2OCOc2c1"), [5, 6], "benzodioxole");
        assert_eq!(sizes("c1cc2ccc3cccc4ccc(c1)c2c34"), [6, 6, 6, 6], "pyrene");
        assert_eq!(sizes("CC1OC1C"), [3], "an epoxide");
    }

    #[test]
    fn chains_rings_fused_and_spiro_systems_keep_their_shape() {
        for smiles in [
            "C",
            "CC",
            "CCCCCCCCCC",
            "CC(C)(C)OC(=O)N1CCC(=O)CC1",
            "C#CC#N",
            "C=C=C",
            "c1ccc2ccccc2c1",
            "c1ccc2cc3ccccc3cc2c1",
            "c1cc2ccc3cccc4ccc(c1)c2c34",
            "C1CC2(CCN1)OCCO2",
            "C1CCC2(CC1)CCCC2",
            "CC1(OC1c1ccc2OCOc2c1)C(=O)O",
            "C1CCCCCCCCCCC1",
            "CC(C)(C)C(C)(C)C(C)(C)C",
            "OC(=O)CC(O)(CC(=O)O)C(=O)O",
        ] {
            check(smiles).unwrap_or_else(|e| panic!("{e}"));
        }
    }

    #[test]
    fn ring_atoms_sit_on_a_regular_polygon_with_unit_sides() {
        let (_, layout) = drawn("c1ccccc1");
        let centre = layout.ring_centre(0).expect("a ring");
        for point in &layout.points {
            assert!(
                (point.distance(centre) - 1.0).abs() < 1e-9,
                "a hexagon's radius is its side"
            );
        }
        let (_, triangle) = drawn("C1CO1");
        assert!((triangle.points[0].distance(triangle.points[2]) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn substituents_point_away_from_their_ring() {
        let (_, layout) = drawn("Cc1ccccc1");
        let centre = layout.ring_centre(0).expect("a ring");
        let methyl = layout.points[0];
        let ring_atom = layout.points[1];
        assert!(
            (methyl.distance(centre) - (ring_atom.distance(centre) + 1.0)).abs() < 1e-6,
            "on the line from the centre through its ring atom"
        );
    }

    #[test]
    fn chains_zigzag_at_120_degrees() {
        let (_, layout) = drawn("CCCCCC");
        for i in 0..4 {
            let (a, b, c) = (layout.points[i], layout.points[i + 1], layout.points[i + 2]);
            let angle = (a.sub(b).angle() - c.sub(b).angle()).abs();
            let angle = angle.min(TAU - angle);
            assert!(
                (angle - 2.0 * FRAC_PI_3).abs() < 1e-6,
                "angle at {}: {angle}",
                i + 1
            );
            // A zigzag, not a coil: every other atom on the same side.
            assert!(a.distance(c) > 1.7);
        }
        assert!(
            layout.points[0].distance(layout.points[4]) > 3.4,
            "it runs on"
        );
    }

    #[test]
    fn the_parts_of_a_salt_stand_side_by_side() {
        let (molecule, layout) = drawn("O=C1CC[NH2+]CC1.[Cl-]");
        assert_eq!(layout.flaw(&molecule), None);
        let chloride = molecule.atoms.len() - 1;
        let rightmost = layout.points[..chloride]
            .iter()
            .map(|p| p.x)
            .fold(f64::NEG_INFINITY, f64::max);
        assert!(layout.points[chloride].x >= rightmost + PART_GAP - 1e-9);
        let (_, both) = drawn("CC.CC");
        assert!(both.points[2].x > both.points[1].x + 1.0);
    }

    #[test]
    fn the_same_input_gives_the_same_picture() {
        let smiles = "CCC(=O)N(C1CCN(CCc2ccccc2)CC1)c1ccccc1";
        assert_eq!(drawn(smiles).1, drawn(smiles).1);
    }

    #[test]
    fn nothing_is_drawn_for_nothing_and_bridges_do_not_panic() {
        assert_eq!(layout(&Molecule::default()).points, Vec::<Point>::new());
        // Bridged systems (norbornane, adamantane, a tropane) are drawn, their bridges on
        // arcs across the rings, if not as regular polygons.
        for smiles in [
            "C1CC2CCC1C2",
            "C1C2CC3CC1CC(C2)C3",
            "CN1C2CCC1C(C(=O)OC)C(OC(=O)c1ccccc1)C2",
        ] {
            let (molecule, layout) = drawn(smiles);
            assert_eq!(layout.points.len(), molecule.atoms.len());
            assert!(
                layout
                    .points
                    .iter()
                    .all(|p| p.x.is_finite() && p.y.is_finite())
            );
        }
        let (molecule, norbornane) = drawn("C1CC2CCC1C2");
        for bond in &molecule.bonds {
            let [a, b] = bond.atoms;
            let length = norbornane.points[a].distance(norbornane.points[b]);
            assert!((length - 1.0).abs() < 0.05, "bond {a}-{b}: {length}");
        }
    }
}
