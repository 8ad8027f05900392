//! Files bundled into the program (see assets/fonts/README.md for their sources and licences).

/// Noto Sans CJK SC, subset: the window's Chinese and the reports' Chinese.
pub const NOTO_SANS_SC: &[u8] = include_bytes!("../assets/fonts/NotoSansSC-Subset.otf");
/// DejaVu Sans: the Latin text of printed reports.
pub const DEJAVU_SANS: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
pub const DEJAVU_SANS_BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");
