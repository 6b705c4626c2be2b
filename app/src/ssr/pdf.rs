//! The court's PDFs (fee receipts, sealed signed documents): a CJK font found on the server
//! (only the glyphs used are embedded), and a pen that writes wrapped text, rules, labelled
//! fields and QR codes on an A4 page with krilla.
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// Set to a font file (TrueType, OpenType or a collection) to use instead of the list below.
pub const FONT_ENV: &str = "TIANPING_RECEIPT_FONT";

/// Where Debian's freely licensed CJK fonts are installed, best first: Noto Sans CJK
/// (fonts-noto-cjk, SIL OFL 1.1) is what `server/scripts/install-tools.sh` installs.
pub const FONT_PATHS: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
];

/// Characters every receipt has: a font without them is no Chinese font.
const PROBE: &str = "诉讼费电子收据零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整¥0123456789ABCSFabc";

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("no CJK font for receipts: set {FONT_ENV} or install fonts-noto-cjk (looked at: {looked})")]
    NoFont { looked: String },
    #[error("the receipt font has no glyph for {0:?}")]
    MissingGlyph(char),
    #[error("drawing the receipt failed: {0}")]
    Draw(String),
    #[error("the receipt QR code: {0}")]
    Qr(String),
}

/// A loaded font and the face of it that is used.
#[derive(Clone)]
pub struct ReceiptFont {
    data: Arc<Vec<u8>>,
    index: u32,
    pub font: Font,
    pub path: PathBuf,
}

impl std::fmt::Debug for ReceiptFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReceiptFont").field("path", &self.path).field("index", &self.index).finish_non_exhaustive()
    }
}

static LOADED: OnceLock<ReceiptFont> = OnceLock::new();

/// The receipt font, read once per process (the first PDF pays for reading it). Not found
/// is not remembered, so installing the font later needs no restart.
pub fn installed_font() -> Result<ReceiptFont, PdfError> {
    if let Some(f) = LOADED.get() {
        return Ok(f.clone());
    }
    let candidates: Vec<PathBuf> =
        std::env::var_os(FONT_ENV).map(PathBuf::from).into_iter().chain(FONT_PATHS.iter().map(PathBuf::from)).collect();
    let mut looked = Vec::new();
    for path in candidates {
        match std::fs::read(&path) {
            Ok(bytes) => match ReceiptFont::from_bytes(bytes, path.clone()) {
                Some(font) => return Ok(LOADED.get_or_init(|| font).clone()),
                None => looked.push(format!("{} (no face with Chinese glyphs)", path.display())),
            },
            Err(e) => looked.push(format!("{} ({e})", path.display())),
        }
    }
    Err(PdfError::NoFont { looked: looked.join("; ") })
}

impl ReceiptFont {
    /// The face to use from a font file: in a collection, the Simplified Chinese one where
    /// there is one (Noto's `… CJK SC`), else the first that has Chinese glyphs.
    pub fn from_bytes(bytes: Vec<u8>, path: PathBuf) -> Option<ReceiptFont> {
        let data = Arc::new(bytes);
        let faces: Vec<(u32, String)> = (0..64u32)
            .map_while(|i| skrifa::FontRef::from_index(&data, i).ok().map(|f| (i, f)))
            .filter(|(_, f)| PROBE.chars().all(|c| f.charmap().map(c).is_some_and(|g| g.to_u32() != 0)))
            .map(|(i, f)| {
                let family = f.localized_strings(skrifa::string::StringId::FAMILY_NAME).english_or_first().map(|s| s.to_string()).unwrap_or_default();
                (i, family)
            })
            .collect();
        let simplified = faces.iter().find(|(_, family)| family.ends_with(" SC") && !family.contains("Mono"));
        let (index, _) = simplified.or_else(|| faces.first())?.clone();
        let font = Font::new(krilla::Data::from(data.clone()), index)?;
        Some(ReceiptFont { data, index, font, path })
    }

    /// Glyphs for `text`, advances in ems; a character the face lacks is an error.
    pub fn glyphs(&self, text: &str) -> Result<Vec<KrillaGlyph>, PdfError> {
        let face = skrifa::FontRef::from_index(&self.data, self.index).map_err(|e| PdfError::Draw(e.to_string()))?;
        let charmap = face.charmap();
        let metrics = face.glyph_metrics(Size::unscaled(), LocationRef::default());
        let upem = f32::from(face.metrics(Size::unscaled(), LocationRef::default()).units_per_em.max(1));
        text.char_indices()
            .map(|(i, c)| {
                let gid = charmap.map(c).filter(|g| g.to_u32() != 0).ok_or(PdfError::MissingGlyph(c))?;
                let advance = metrics.advance_width(gid).unwrap_or(0.0) / upem;
                Ok(KrillaGlyph::new(GlyphId::new(gid.to_u32()), advance, 0.0, 0.0, 0.0, i..i + c.len_utf8(), None))
            })
            .collect()
    }

    pub fn width(&self, text: &str, size: f32) -> Result<f32, PdfError> {
        Ok(self.glyphs(text)?.iter().map(|g| g.x_advance).sum::<f32>() * size)
    }

    /// Lines of at most `max` points: breaks between CJK characters, between words, and
    /// inside a word (a URL) only when the word alone is too long.
    pub fn wrap(&self, text: &str, size: f32, max: f32) -> Result<Vec<String>, PdfError> {
        let mut tokens: Vec<String> = Vec::new();
        for c in text.chars() {
            let joins = c.is_ascii() && !c.is_ascii_whitespace();
            match tokens.last_mut() {
                Some(t) if joins && t.chars().last().is_some_and(|p| p.is_ascii() && !p.is_ascii_whitespace()) => t.push(c),
                _ => tokens.push(c.to_string()),
            }
        }
        let mut lines = Vec::new();
        let mut line = String::new();
        for token in tokens {
            let candidate = format!("{line}{token}");
            if self.width(&candidate, size)? <= max {
                line = candidate;
                continue;
            }
            if !line.trim().is_empty() {
                lines.push(line.trim_end().to_string());
            }
            line = String::new();
            // A word longer than a line: split it where it must.
            for c in token.trim_start().chars() {
                let next = format!("{line}{c}");
                if self.width(&next, size)? > max && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                } else {
                    line = next;
                }
            }
        }
        if !line.trim().is_empty() {
            lines.push(line.trim_end().to_string());
        }
        Ok(lines)
    }
}

pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
pub const LEFT: f32 = 56.0;
pub const RIGHT: f32 = PAGE_W - 56.0;
pub const VALUE_X: f32 = 190.0;

pub struct Pen<'a, 'b> {
    pub surface: &'b mut Surface<'a>,
    pub font: &'b ReceiptFont,
}

impl Pen<'_, '_> {
    pub fn colour(&mut self, (r, g, b): (u8, u8, u8)) {
        self.surface.set_fill(Some(Fill { paint: rgb::Color::new(r, g, b).into(), opacity: NormalizedF32::ONE, rule: Default::default() }));
    }

    pub fn text(&mut self, x: f32, baseline: f32, size: f32, text: &str) -> Result<(), PdfError> {
        if text.is_empty() {
            return Ok(());
        }
        let glyphs = self.font.glyphs(text)?;
        self.surface.draw_glyphs(Point::from_xy(x, baseline), &glyphs, self.font.font.clone(), text, size, false);
        Ok(())
    }

    pub fn text_right(&mut self, right: f32, baseline: f32, size: f32, text: &str) -> Result<(), PdfError> {
        let w = self.font.width(text, size)?;
        self.text(right - w, baseline, size, text)
    }

    pub fn text_centred(&mut self, baseline: f32, size: f32, text: &str) -> Result<(), PdfError> {
        let w = self.font.width(text, size)?;
        self.text((PAGE_W - w) / 2.0, baseline, size, text)
    }

    /// Wrapped text from `x`; answers the baseline of its last line.
    pub fn paragraph(&mut self, x: f32, baseline: f32, size: f32, max: f32, leading: f32, text: &str) -> Result<f32, PdfError> {
        let mut y = baseline;
        for (i, line) in self.font.wrap(text, size, max)?.iter().enumerate() {
            if i > 0 {
                y += leading;
            }
            self.text(x, y, size, line)?;
        }
        Ok(y)
    }

    pub fn rule(&mut self, y: f32, weight: f32) {
        if let Some(path) = Rect::from_xywh(LEFT, y, RIGHT - LEFT, weight).and_then(|r| {
            let mut pb = PathBuilder::new();
            pb.push_rect(r);
            pb.finish()
        }) {
            self.surface.draw_path(&path);
        }
    }

    /// A labelled field: `label` (Chinese, then English below it, small and grey) and its
    /// value; answers where the next field starts.
    pub fn field(&mut self, y: f32, zh: &str, en: &str, value: &str) -> Result<f32, PdfError> {
        self.colour(GREY);
        self.text(LEFT, y, 10.0, zh)?;
        self.text(LEFT, y + 11.0, 7.5, en)?;
        self.colour(BLACK);
        let last = self.paragraph(VALUE_X, y, 11.5, RIGHT - VALUE_X, 15.0, value)?;
        Ok(last.max(y + 11.0) + 19.0)
    }
}

pub const BLACK: (u8, u8, u8) = (0, 0, 0);
pub const GREY: (u8, u8, u8) = (85, 85, 85);
pub const RED: (u8, u8, u8) = (140, 28, 19);


/// The QR code of `data`, `size` points square with its quiet zone, every dark module a
/// filled square (one path, so the file stays small).
pub fn qr(pen: &mut Pen<'_, '_>, x: f32, y: f32, size: f32, data: &str) -> Result<(), PdfError> {
    let code = qrcode::QrCode::new(data.as_bytes()).map_err(|e| PdfError::Qr(e.to_string()))?;
    let n = code.width();
    let quiet = 4usize;
    let module = size / (n + 2 * quiet) as f32;
    let colours = code.to_colors();
    let mut pb = PathBuilder::new();
    for (i, colour) in colours.iter().enumerate() {
        if *colour == qrcode::Color::Dark {
            let (row, col) = (i / n, i % n);
            if let Some(rect) = Rect::from_xywh(x + (col + quiet) as f32 * module, y + (row + quiet) as f32 * module, module, module) {
                pb.push_rect(rect);
            }
        }
    }
    pen.colour(BLACK);
    if let Some(path) = pb.finish() {
        pen.surface.draw_path(&path);
    }
    Ok(())
}

