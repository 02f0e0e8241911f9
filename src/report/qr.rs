//! The QR code of a receipt's 查询码, drawn as one SVG path, so a phone can read the
//! code off the screen or the printed receipt.

/// The QR code of a text as an SVG path over a square of `width` modules (plus a quiet
/// zone of 4), drawing every dark module; `None` if the text is too long for a QR code.
pub fn qr_svg_path(text: &str) -> Option<(usize, String)> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let width = code.width();
    let mut path = String::new();
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == qrcode::Color::Dark {
            path.push_str(&format!("M{} {}h1v1h-1z", i % width + 4, i / width + 4));
        }
    }
    Some((width + 8, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_code_is_a_version_one_symbol() {
        let (size, path) = qr_svg_path("ABCD-EFGH-JKMN").unwrap();
        assert_eq!(size, 21 + 8, "version 1 for a short code");
        assert!(
            path.starts_with("M4 4h1v1h-1z"),
            "the finder pattern's corner is dark"
        );
    }
}
