//! Fonts: egui's defaults plus a bundled subset of Noto Sans CJK SC, so Chinese names and
//! the Chinese UI render on any laptop (see assets/fonts/README.md).

use std::sync::Arc;

use crate::assets::NOTO_SANS_SC as NOTO_SC;

/// Installs the fonts on a context. The app's creator calls it; so do the UI tests.
pub fn install(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "noto-sans-sc".to_owned(),
        Arc::new(egui::FontData::from_static(NOTO_SC)),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push("noto-sans-sc".to_owned());
    }
    ctx.set_fonts(fonts);
}
