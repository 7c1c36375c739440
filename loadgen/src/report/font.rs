//! The charts' font, embedded in the binary: DejaVu Sans (Bitstream Vera licence, free to
//! redistribute; see loadgen/assets/DejaVu-LICENSE.txt). Embedding it means no system font
//! service (fontconfig) is needed and every machine draws the same text.

use std::sync::OnceLock;

use plotters::style::{FontStyle, register_font};

use crate::report::ReportError;

/// The family name the charts use; registered for plotters' ab_glyph text renderer.
pub const FAMILY: &str = "sans-serif";

static REGULAR: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/DejaVuSans-Bold.ttf");

/// Registers the embedded font (once per process; later calls return the first outcome).
pub fn register() -> Result<(), ReportError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        register_font(FAMILY, FontStyle::Normal, REGULAR).is_ok()
            && register_font(FAMILY, FontStyle::Bold, BOLD).is_ok()
    });
    if ok { Ok(()) } else { Err(ReportError::Font) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_embedded_font_loads() {
        super::register().unwrap();
    }
}
