//! Colours, status marks and the light/dark choice: the only place colours are chosen.

use egui::{Color32, RichText};
use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Text, status_label};
use crate::rules::Status;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub const ALL: [Self; 3] = [Self::System, Self::Light, Self::Dark];

    pub fn label(self) -> Text {
        match self {
            Self::System => Text::ThemeSystem,
            Self::Light => Text::ThemeLight,
            Self::Dark => Text::ThemeDark,
        }
    }

    pub fn apply(self, ctx: &egui::Context) {
        ctx.set_theme(match self {
            Self::System => egui::ThemePreference::System,
            Self::Light => egui::ThemePreference::Light,
            Self::Dark => egui::ThemePreference::Dark,
        });
    }
}

/// The panel colour of the light theme: a shade darker than egui's near-white, so that text
/// fields (white) stand out from the panels they sit on.
const LIGHT_PANEL: Color32 = Color32::from_gray(236);

/// Adjusts egui's light theme: in it, a text field (white on a panel of 97 % white) could not
/// be told from its background.
pub fn install_styles(ctx: &egui::Context) {
    ctx.style_mut_of(egui::Theme::Light, |style| {
        let visuals = &mut style.visuals;
        visuals.panel_fill = LIGHT_PANEL;
        visuals.text_edit_bg_color = Some(Color32::WHITE);
        visuals.widgets.inactive.bg_stroke = egui::Stroke::new(1.0, Color32::from_gray(150));
    });
}

/// The colour the window is cleared to before each frame is painted: the panels' own colour,
/// so that the panels need not paint their backgrounds over it (see [`side_panel`]).
pub fn clear_color(visuals: &egui::Visuals) -> [f32; 4] {
    visuals.panel_fill.to_normalized_gamma_f32()
}

/// The frame of a top, bottom or side panel: egui's, without its fill. The window is cleared
/// to the panel colour ([`clear_color`]), so a fill would paint the same pixels again: under
/// a software renderer (llvmpipe) the panels' fills were most of a frame's fragment work (most
/// of the catalogue's area twice, with its nested panels), and the first frame's paint was
/// the largest part of what the start-up cost beyond an empty window (BENCHMARKS.md, session 8).
pub fn side_panel(style: &egui::Style) -> egui::Frame {
    egui::Frame::side_top_panel(style).fill(Color32::TRANSPARENT)
}

/// Shows `add_contents` (the panels) in a `Ui` that says its background is the panel colour,
/// as painted by the clear ([`clear_color`]) rather than by a frame: egui finds a widget's
/// background through the frames around it (a scroll area fades its edges into it), and the
/// panels' own frames have no fill. The `Ui` keeps the scope id of `ui`, so the panels' ids
/// (and their stored widths) are those they had when shown in `ui` itself.
pub fn on_cleared_background<R>(
    ui: &mut egui::Ui,
    add_contents: impl FnOnce(&mut egui::Ui) -> R,
) -> R {
    let background = egui::Frame::NONE.fill(ui.visuals().panel_fill);
    let builder = egui::UiBuilder::new()
        .scope_id(ui.scope_id())
        .ui_stack_info(egui::UiStackInfo::default().with_frame(background));
    ui.scope_builder(builder, add_contents).inner
}

/// The frame of a central panel, without its fill (see [`side_panel`]).
pub fn central_panel(style: &egui::Style) -> egui::Frame {
    egui::Frame::central_panel(style).fill(Color32::TRANSPARENT)
}

/// A mark for each status, so a verdict never relies on colour alone.
pub fn status_icon(status: Status) -> &'static str {
    match status {
        Status::Prohibited => "■",
        Status::Required => "●",
        Status::Review => "⚠",
        Status::NotRequired => "○",
    }
}

pub fn status_color(status: Status, dark: bool) -> Color32 {
    match (status, dark) {
        (Status::Prohibited, _) => Color32::from_rgb(0xb7, 0x1c, 0x1c),
        (Status::Required, false) => Color32::from_rgb(0xc6, 0x28, 0x28),
        (Status::Required, true) => Color32::from_rgb(0xef, 0x9a, 0x9a),
        (Status::Review, false) => Color32::from_rgb(0xa8, 0x5a, 0x00),
        (Status::Review, true) => Color32::from_rgb(0xff, 0xcc, 0x80),
        (Status::NotRequired, false) => Color32::from_rgb(0x2e, 0x7d, 0x32),
        (Status::NotRequired, true) => Color32::from_rgb(0xa5, 0xd6, 0xa7),
    }
}

pub fn status_fill(status: Status, dark: bool) -> Color32 {
    let base = status_color(status, !dark);
    if dark {
        base.gamma_multiply(0.25)
    } else {
        base.gamma_multiply(0.12)
    }
}

/// "✔ Not required" in the status colour.
pub fn status_text(status: Status, lang: Lang, dark: bool) -> RichText {
    RichText::new(format!(
        "{} {}",
        status_icon(status),
        status_label(status, lang)
    ))
    .color(status_color(status, dark))
    .strong()
}

pub fn error_color(dark: bool) -> Color32 {
    status_color(Status::Required, dark)
}

/// A message under a field: an icon and the words, in the error colour.
pub fn field_error(ui: &mut egui::Ui, message: &str) -> egui::Response {
    let dark = ui.visuals().dark_mode;
    ui.label(
        RichText::new(format!("⚠ {message}"))
            .color(error_color(dark))
            .small(),
    )
}

pub fn error_label(ui: &mut egui::Ui, message: &str) -> egui::Response {
    let dark = ui.visuals().dark_mode;
    ui.label(RichText::new(format!("■ {message}")).color(error_color(dark)))
}

pub fn warning_label(ui: &mut egui::Ui, message: &str) -> egui::Response {
    let dark = ui.visuals().dark_mode;
    ui.label(RichText::new(format!("⚠ {message}")).color(status_color(Status::Review, dark)))
}

/// A small framed tag, for list badges.
pub fn badge(ui: &mut egui::Ui, text: &str) -> egui::Response {
    let dark = ui.visuals().dark_mode;
    let fill = if dark {
        Color32::from_gray(60)
    } else {
        Color32::from_gray(225)
    };
    egui::Frame::new()
        .fill(fill)
        .corner_radius(3.0)
        .inner_margin(egui::Margin::symmetric(4, 0))
        .show(ui, |ui| ui.label(RichText::new(text).small()))
        .response
}

/// The atoms and bonds of a structure that a family's core matched: a soft amber wash
/// under the skeleton, readable behind black or white bonds.
pub fn structure_highlight(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgba_unmultiplied(0xff, 0xb3, 0x00, 110)
    } else {
        Color32::from_rgba_unmultiplied(0xff, 0xb3, 0x00, 140)
    }
}

/// The usual colours of heteroatom symbols in a structure drawing (nitrogen blue, oxygen
/// red...); `None` for the text colour.
pub fn element_color(element: u8, dark: bool) -> Option<Color32> {
    let (light, on_dark) = match element {
        7 => ((0x1e, 0x4f, 0xc8), (0x8c, 0xb4, 0xff)),
        8 => ((0xc6, 0x28, 0x28), (0xff, 0x8a, 0x80)),
        16 => ((0x8d, 0x6e, 0x00), (0xff, 0xd5, 0x4f)),
        9 | 17 => ((0x2e, 0x7d, 0x32), (0x81, 0xc7, 0x84)),
        35 => ((0x8b, 0x3a, 0x1a), (0xff, 0xab, 0x91)),
        53 => ((0x6a, 0x1b, 0x9a), (0xce, 0x93, 0xd8)),
        15 => ((0xe6, 0x51, 0x00), (0xff, 0xb7, 0x4d)),
        _ => return None,
    };
    let (r, g, b) = if dark { on_dark } else { light };
    Some(Color32::from_rgb(r, g, b))
}

pub fn muted(text: impl Into<String>) -> RichText {
    RichText::new(text.into()).weak()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The WCAG relative luminance of an sRGB colour.
    fn luminance(color: Color32) -> f32 {
        let channel = |c: u8| {
            let c = f32::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(color.r()) + 0.7152 * channel(color.g()) + 0.0722 * channel(color.b())
    }

    fn contrast(a: Color32, b: Color32) -> f32 {
        let (a, b) = (luminance(a), luminance(b));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// The panels paint no background, yet a widget in them still finds the panel colour as
    /// its background (a scroll area fades its edges into it), and that is the colour the
    /// window is cleared to, to the last bit of an 8-bit framebuffer.
    #[test]
    fn unfilled_panels_lie_on_the_panel_colour_the_window_is_cleared_to() {
        let ctx = egui::Context::default();
        install_styles(&ctx);
        for theme in [egui::Theme::Light, egui::Theme::Dark] {
            ctx.set_theme(theme);
            let mut seen = None;
            let output = ctx.run_ui(egui::RawInput::default(), |ui| {
                on_cleared_background(ui, |ui| {
                    egui::Panel::left("left")
                        .frame(side_panel(ui.style()))
                        .show(ui, |ui| {
                            egui::CentralPanel::default()
                                .frame(central_panel(ui.style()))
                                .show(ui, |ui| {
                                    seen = Some((ui.stack().bg_color(), ui.visuals().panel_fill));
                                });
                        });
                });
            });
            output.drop_without_applying_deltas();
            let (background, panel) = seen.unwrap();
            assert_eq!(background, panel, "{theme:?}");
            assert_eq!(side_panel(&ctx.style_of(theme)).fill, Color32::TRANSPARENT);
            let cleared = clear_color(&ctx.style_of(theme).visuals).map(|c| (c * 255.0).round());
            let panel = panel.to_array().map(f32::from);
            assert_eq!(cleared, panel, "{theme:?}");
        }
    }

    #[test]
    fn text_fields_stand_out_from_the_panels_in_the_light_theme() {
        let ctx = egui::Context::default();
        let before = ctx.style_of(egui::Theme::Light).visuals.clone();
        install_styles(&ctx);
        let after = ctx.style_of(egui::Theme::Light).visuals.clone();
        let field_on_panel = |v: &egui::Visuals| contrast(v.text_edit_bg_color(), v.panel_fill);
        assert!(
            field_on_panel(&before) < 1.1,
            "egui's own light theme is the problem"
        );
        assert!(field_on_panel(&after) >= 1.15, "{}", field_on_panel(&after));
        let border = contrast(after.widgets.inactive.bg_stroke.color, after.panel_fill);
        assert!(border >= 2.5, "field borders are visible: {border}");
        assert!(
            contrast(after.text_color(), after.panel_fill) >= 4.5,
            "text stays readable on the darker panels"
        );
    }
}
