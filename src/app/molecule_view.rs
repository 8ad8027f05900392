//! A structure drawn as a skeletal formula: carbons as corners, other atoms by their symbol
//! with their hydrogens and charge, double, triple and aromatic bonds, and the atoms a
//! family's core matched highlighted.
//!
//! The coordinates come from `structure::layout`; this file only paints them.

use std::sync::Arc;

use egui::{Color32, FontId, Pos2, Stroke, text::LayoutJob};

use super::theme;
use crate::i18n::{Lang, Text, tr};
use crate::structure::SmilesError;
use crate::structure::layout::{Layout, Point, layout};
use crate::structure::smiles::{BondOrder, CARBON, Molecule, symbol};

/// A line's structure, parsed and laid out once (when the line's SMILES changes).
#[derive(Debug, Clone, PartialEq)]
pub struct Drawing {
    /// The SMILES as typed, trimmed: the key the drawing is kept under.
    pub smiles: String,
    pub molecule: Molecule,
    pub layout: Layout,
}

/// Which drawing a line has, by identity: a new drawing (the SMILES changed) is a new shape
/// for the lazy columns that measure lines.
pub fn drawing_identity(drawings: &[Option<Arc<Drawing>>], line: usize) -> Option<usize> {
    drawings
        .get(line)
        .and_then(Option::as_deref)
        .map(|drawing| std::ptr::from_ref(drawing) as usize)
}

impl Drawing {
    pub fn new(smiles: &str) -> Result<Self, SmilesError> {
        let smiles = smiles.trim();
        let molecule = Molecule::parse(smiles)?;
        let layout = layout(&molecule);
        Ok(Self {
            smiles: smiles.to_owned(),
            molecule,
            layout,
        })
    }

    /// The drawing of each line's structure (`None` for a line with no valid SMILES),
    /// reusing the drawings of `previous` whose SMILES did not change.
    pub fn for_lines<'a>(
        smiles: impl IntoIterator<Item = &'a str>,
        previous: &[Option<Arc<Self>>],
    ) -> Vec<Option<Arc<Self>>> {
        let kept: std::collections::HashMap<&str, &Arc<Self>> = previous
            .iter()
            .flatten()
            .map(|drawing| (drawing.smiles.as_str(), drawing))
            .collect();
        smiles
            .into_iter()
            .map(|text| {
                let text = text.trim();
                if text.is_empty() {
                    return None;
                }
                match kept.get(text) {
                    Some(&drawing) => Some(Arc::clone(drawing)),
                    None => Self::new(text).ok().map(Arc::new),
                }
            })
            .collect()
    }

    /// The atoms (indexes into the molecule) whose number as written is in `numbers`.
    pub fn atoms_numbered(&self, numbers: &[usize]) -> Vec<usize> {
        self.molecule
            .atoms
            .iter()
            .enumerate()
            .filter(|(_, atom)| numbers.contains(&atom.source_index))
            .map(|(index, _)| index)
            .collect()
    }

    /// "C6, N9, O12": the atoms by symbol and number as written (from 1).
    pub fn atom_names(&self, atoms: &[usize]) -> Vec<String> {
        atoms
            .iter()
            .filter_map(|&a| self.molecule.atoms.get(a))
            .map(|atom| format!("{}{}", symbol(atom.element), atom.source_index + 1))
            .collect()
    }
}

/// How big to draw.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    /// The longest a bond may be drawn, in points.
    pub max_bond: f32,
    /// The tallest the drawing may be, in points.
    pub max_height: f32,
}

impl Size {
    /// Under a line's SMILES field.
    pub const PREVIEW: Self = Self {
        max_bond: 24.0,
        max_height: 150.0,
    };
    /// In the results.
    pub const DETAIL: Self = Self {
        max_bond: 32.0,
        max_height: 260.0,
    };
}

/// Room around the atoms for their labels, in bond lengths.
const MARGIN: f64 = 0.7;

/// Paints the drawing scaled to the available width, with `highlight` (indexes into the
/// molecule) in the theme's highlight colour. `label` is what a screen reader says.
pub fn show(
    ui: &mut egui::Ui,
    drawing: &Drawing,
    highlight: &[usize],
    size: Size,
    label: &str,
    lang: Lang,
) -> egui::Response {
    let (min, max) = drawing.layout.bounds();
    let width = (max.x - min.x + 2.0 * MARGIN) as f32;
    let height = (max.y - min.y + 2.0 * MARGIN) as f32;
    let scale = (ui.available_width() / width)
        .min(size.max_height / height)
        .min(size.max_bond)
        .max(6.0);
    let (rect, response) = ui.allocate_exact_size(
        egui::vec2(width * scale, height * scale),
        egui::Sense::hover(),
    );
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, label));
    let to_screen = |p: Point| {
        Pos2::new(
            rect.left() + ((p.x - min.x + MARGIN) as f32) * scale,
            rect.top() + ((max.y - p.y + MARGIN) as f32) * scale,
        )
    };
    let points: Vec<Pos2> = drawing
        .layout
        .points
        .iter()
        .map(|&p| to_screen(p))
        .collect();
    if ui.is_rect_visible(rect) {
        Painter {
            painter: ui.painter_at(rect.expand(2.0)),
            drawing,
            points: &points,
            scale,
            dark: ui.visuals().dark_mode,
            ink: ui.visuals().text_color(),
        }
        .paint(highlight);
    }
    let hovered = response.hover_pos().and_then(|pointer| {
        points
            .iter()
            .enumerate()
            .map(|(i, p)| (i, p.distance(pointer)))
            .filter(|(_, d)| *d < scale * 0.4)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
    });
    match hovered {
        Some(atom) => {
            let name = drawing.atom_names(&[atom]).join("");
            response.on_hover_text_at_pointer(format!("{} {name}", tr(Text::Atom, lang)))
        }
        None => response,
    }
}

/// A small swatch of the highlight colour and what it marks.
pub fn legend(ui: &mut egui::Ui, text: &str) {
    ui.horizontal_wrapped(|ui| {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 10.0), egui::Sense::hover());
        ui.painter().rect_filled(
            rect,
            2.0,
            theme::structure_highlight(ui.visuals().dark_mode),
        );
        ui.label(theme::muted(text));
    });
}

struct Painter<'a> {
    painter: egui::Painter,
    drawing: &'a Drawing,
    points: &'a [Pos2],
    scale: f32,
    dark: bool,
    ink: Color32,
}

impl Painter<'_> {
    fn paint(&self, highlight: &[usize]) {
        let molecule = &self.drawing.molecule;
        let glow = theme::structure_highlight(self.dark);
        for bond in &molecule.bonds {
            let [a, b] = bond.atoms;
            if highlight.contains(&a) && highlight.contains(&b) {
                self.painter.line_segment(
                    [self.points[a], self.points[b]],
                    Stroke::new(self.scale * 0.38, glow),
                );
            }
        }
        for &atom in highlight {
            if let Some(&p) = self.points.get(atom) {
                self.painter.circle_filled(p, self.scale * 0.24, glow);
            }
        }
        let labels: Vec<Option<Label>> = (0..molecule.atoms.len())
            .map(|atom| self.label(atom))
            .collect();
        let trim = |atom: usize| labels[atom].as_ref().map_or(0.0, |l| l.radius);
        for (ring, atoms) in self.drawing.layout.rings.iter().enumerate() {
            if aromatic_ring(molecule, atoms)
                && let Some(centre) = self.ring_centre(ring)
            {
                let radius = self.points[atoms[0]].distance(centre) * 0.6;
                self.painter.circle_stroke(
                    centre,
                    radius,
                    Stroke::new(self.line_width(), self.ink),
                );
            }
        }
        for bond in &molecule.bonds {
            let [a, b] = bond.atoms;
            let (Some(from), Some(to)) = (
                shorten(self.points[a], self.points[b], trim(a)),
                shorten(self.points[b], self.points[a], trim(b)),
            ) else {
                continue;
            };
            self.bond(bond.order, a, b, from, to);
        }
        for (atom, label) in labels.iter().enumerate() {
            if let Some(label) = label {
                let colour = theme::element_color(molecule.atoms[atom].element, self.dark)
                    .unwrap_or(self.ink);
                self.painter.galley(
                    self.points[atom] - label.offset,
                    label.galley.clone(),
                    colour,
                );
            }
        }
    }

    /// The centre of a ring (an index into the layout's rings) on screen.
    fn ring_centre(&self, ring: usize) -> Option<Pos2> {
        let atoms = self.drawing.layout.rings.get(ring)?;
        let sum = atoms
            .iter()
            .map(|&a| self.points[a].to_vec2())
            .fold(egui::Vec2::ZERO, |a, b| a + b);
        Some((sum / atoms.len().max(1) as f32).to_pos2())
    }

    fn line_width(&self) -> f32 {
        (self.scale / 18.0).clamp(1.0, 2.2)
    }

    fn bond(&self, order: BondOrder, a: usize, b: usize, from: Pos2, to: Pos2) {
        let stroke = Stroke::new(self.line_width(), self.ink);
        let along = to - from;
        let length = along.length();
        if length < 1.0 {
            return;
        }
        let normal = egui::vec2(-along.y, along.x) / length;
        match order {
            BondOrder::Single | BondOrder::Aromatic => {
                self.painter.line_segment([from, to], stroke);
                if order == BondOrder::Aromatic && !self.in_aromatic_ring(a, b) {
                    let side = self.inner_side(a, b, normal);
                    let (f, t) = inner(from, to, side * self.scale * 0.18);
                    self.painter
                        .extend(egui::Shape::dashed_line(&[f, t], stroke, 3.0, 3.0));
                }
            }
            BondOrder::Double => match self.ring_side(a, b, normal) {
                Some(side) => {
                    self.painter.line_segment([from, to], stroke);
                    let (f, t) = inner(from, to, side * self.scale * 0.18);
                    self.painter.line_segment([f, t], stroke);
                }
                None => {
                    let offset = normal * self.scale * 0.09;
                    self.painter
                        .line_segment([from + offset, to + offset], stroke);
                    self.painter
                        .line_segment([from - offset, to - offset], stroke);
                }
            },
            BondOrder::Triple | BondOrder::Quadruple => {
                let offset = normal * self.scale * 0.14;
                self.painter.line_segment([from, to], stroke);
                self.painter
                    .line_segment([from + offset, to + offset], stroke);
                self.painter
                    .line_segment([from - offset, to - offset], stroke);
            }
        }
    }

    fn in_aromatic_ring(&self, a: usize, b: usize) -> bool {
        self.drawing.layout.rings.iter().any(|ring| {
            ring.contains(&a) && ring.contains(&b) && aromatic_ring(&self.drawing.molecule, ring)
        })
    }

    /// The offset towards the centre of a ring the bond lies on, if it lies on one.
    fn ring_side(&self, a: usize, b: usize, normal: egui::Vec2) -> Option<egui::Vec2> {
        let layout = &self.drawing.layout;
        let ring = layout
            .rings
            .iter()
            .position(|ring| ring.contains(&a) && ring.contains(&b))?;
        let centre = self.ring_centre(ring)?;
        let middle = self.points[a] + (self.points[b] - self.points[a]) / 2.0;
        Some(if (centre - middle).dot(normal) >= 0.0 {
            normal
        } else {
            -normal
        })
    }

    fn inner_side(&self, a: usize, b: usize, normal: egui::Vec2) -> egui::Vec2 {
        self.ring_side(a, b, normal).unwrap_or(normal)
    }

    /// The atom's symbol with its hydrogens and charge, for atoms other than plain carbon.
    fn label(&self, atom: usize) -> Option<Label> {
        let molecule = &self.drawing.molecule;
        let this = molecule.atoms.get(atom)?;
        let degree = molecule.degree(atom);
        if this.element == CARBON && this.charge == 0 && degree > 0 {
            return None;
        }
        let size = (self.scale * 0.55).clamp(9.0, 17.0);
        let font = FontId::proportional(size);
        let small = FontId::proportional(size * 0.7);
        let format = |font: &FontId, valign| egui::TextFormat {
            font_id: font.clone(),
            color: Color32::PLACEHOLDER,
            valign,
            ..Default::default()
        };
        let hydrogens = match this.hydrogens {
            0 => None,
            1 => Some(String::new()),
            n => Some(n.to_string()),
        };
        // Hydrogens on the left when the bonds leave to the right ("HO-", "H2N-").
        let here = self.points[atom];
        let rightward = degree > 0
            && molecule
                .neighbours(atom)
                .iter()
                .all(|&(n, _)| self.points[n].x > here.x + 1.0);
        let mut job = LayoutJob::default();
        let mut prefix = LayoutJob::default();
        let hydrogen_sections = |job: &mut LayoutJob, count: &str| {
            job.append("H", 0.0, format(&font, egui::Align::Center));
            if !count.is_empty() {
                job.append(count, 0.0, format(&small, egui::Align::BOTTOM));
            }
        };
        if let (Some(count), true) = (&hydrogens, rightward) {
            hydrogen_sections(&mut job, count);
            hydrogen_sections(&mut prefix, count);
        }
        let element = symbol(this.element);
        job.append(element, 0.0, format(&font, egui::Align::Center));
        if let (Some(count), false) = (&hydrogens, rightward) {
            hydrogen_sections(&mut job, count);
        }
        if this.charge != 0 {
            let sign = if this.charge > 0 { "+" } else { "-" };
            let magnitude = this.charge.unsigned_abs();
            let text = if magnitude > 1 {
                format!("{magnitude}{sign}")
            } else {
                sign.to_owned()
            };
            job.append(&text, 0.0, format(&small, egui::Align::TOP));
        }
        let fonts = |job: LayoutJob| self.painter.layout_job(job);
        let galley = fonts(job);
        let prefix_width = if prefix.sections.is_empty() {
            0.0
        } else {
            fonts(prefix).size().x
        };
        let symbol_width = fonts(LayoutJob::simple_singleline(
            element.to_owned(),
            font.clone(),
            Color32::PLACEHOLDER,
        ))
        .size()
        .x;
        let offset = egui::vec2(prefix_width + symbol_width / 2.0, galley.size().y / 2.0);
        Some(Label {
            radius: symbol_width.max(galley.size().y * 0.6) / 2.0 + 1.5,
            galley,
            offset,
        })
    }
}

struct Label {
    galley: Arc<egui::Galley>,
    /// From the galley's corner to the middle of the element symbol.
    offset: egui::Vec2,
    /// How far bonds stop short of the atom.
    radius: f32,
}

fn aromatic_ring(molecule: &Molecule, ring: &[usize]) -> bool {
    ring.iter().enumerate().all(|(i, &a)| {
        let b = ring[(i + 1) % ring.len()];
        molecule
            .bond_between(a, b)
            .is_some_and(|bond| bond.order == BondOrder::Aromatic)
    })
}

/// `from` moved `by` towards `to`; `None` when nothing would be left.
fn shorten(from: Pos2, to: Pos2, by: f32) -> Option<Pos2> {
    let along = to - from;
    let length = along.length();
    (length > by + 0.5).then(|| from + along / length * by)
}

/// The inner line of a double or aromatic bond: offset, and shorter at both ends.
fn inner(from: Pos2, to: Pos2, offset: egui::Vec2) -> (Pos2, Pos2) {
    let cut = (to - from) * 0.15;
    (from + cut + offset, to - cut + offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shapes one frame paints for a drawing with these atoms highlighted.
    fn painted(smiles: &str, highlight: &[usize]) -> Vec<egui::epaint::ClippedShape> {
        let drawing = Drawing::new(smiles).expect(smiles);
        let ctx = egui::Context::default();
        crate::app::install_fonts(&ctx);
        ctx.set_theme(egui::Theme::Light);
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                Pos2::ZERO,
                egui::vec2(600.0, 400.0),
            )),
            ..Default::default()
        };
        let mut shapes = Vec::new();
        // The first frame measures the fonts; the second is the one kept.
        for _ in 0..2 {
            let mut output = ctx.run_ui(input.clone(), |ui| {
                show(ui, &drawing, highlight, Size::DETAIL, "drawing", Lang::En);
            });
            // No renderer here to take the font textures.
            output.textures_delta.clear();
            shapes = output.shapes;
        }
        shapes
    }

    fn glow_circles(shapes: &[egui::epaint::ClippedShape]) -> usize {
        let glow = theme::structure_highlight(false);
        shapes
            .iter()
            .filter(|s| matches!(&s.shape, egui::Shape::Circle(c) if c.fill == glow))
            .count()
    }

    fn glow_lines(shapes: &[egui::epaint::ClippedShape]) -> usize {
        let glow = theme::structure_highlight(false);
        shapes
            .iter()
            .filter(|s| matches!(&s.shape, egui::Shape::LineSegment { stroke, .. } if stroke.color == glow))
            .count()
    }

    #[test]
    fn exactly_the_matched_atoms_and_the_bonds_between_them_are_highlighted() {
        let smiles = "CCOC(=O)N1CCC(=O)CC1";
        let drawing = Drawing::new(smiles).expect(smiles);
        // The 4-piperidone core as the reason numbers it (from 0, as written).
        let core = drawing.atoms_numbered(&[5, 6, 7, 8, 9, 10, 11]);
        assert_eq!(core, [5, 6, 7, 8, 9, 10, 11]);
        let shapes = painted(smiles, &core);
        assert_eq!(glow_circles(&shapes), 7, "one per matched atom");
        assert_eq!(glow_lines(&shapes), 7, "the ring's six bonds and the C=O");
        let plain = painted(smiles, &[]);
        assert_eq!(glow_circles(&plain) + glow_lines(&plain), 0);
        assert!(plain.len() > 12, "the skeleton itself is drawn");
    }

    #[test]
    fn atoms_are_found_by_their_number_as_written() {
        // The [H] folded into the nitrogen still counts in the numbering as written.
        let drawing = Drawing::new("[H]N1CCC(=O)CC1").expect("parses");
        assert_eq!(drawing.atoms_numbered(&[1]), [0]);
        assert_eq!(drawing.atom_names(&[0, 3]), ["N2", "C5"]);
    }

    #[test]
    fn unchanged_structures_keep_their_drawing() {
        let first = Drawing::for_lines(["CCO", "", "C1CC("], &[]);
        assert!(first[0].is_some() && first[1].is_none() && first[2].is_none());
        let again = Drawing::for_lines([" CCO ", "c1ccccc1"], &first);
        assert!(Arc::ptr_eq(
            again[0].as_ref().expect("drawn"),
            first[0].as_ref().expect("drawn")
        ));
        assert_eq!(again[1].as_ref().map(|d| d.molecule.atoms.len()), Some(6));
    }
}
