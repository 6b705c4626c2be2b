//! The sealed document as a PDF (server only): the document as its signers read it (amounts in
//! figures and capital numerals), then a signature page listing each signer with time, method,
//! credential and their drawn signature (or typed name), and the court's seal with the QR code
//! of the public check. Its SHA-256 is kept and logged when it is issued, so the check can tell
//! the court's file from one changed by a single byte.
use super::model::{Content, Document, Side};
use super::store::SignatureRow;
use crate::fees::model::capital_yuan;
use crate::filing::model::Fen;
use crate::identity::model::UnixTime;
use crate::ssr::pdf::{BLACK, GREY, LEFT, PAGE_H, PAGE_W, PdfError, Pen, RED, RIGHT, ReceiptFont, qr};
use krilla::geom::PathBuilder;
use krilla::paint::{LineCap, LineJoin, Stroke};

/// What the sealed PDF shows.
pub struct Sealed<'a> {
    pub document: &'a Document,
    pub fingerprint: &'a str,
    pub signatures: &'a [SignatureRow],
    pub sealed_at: UnixTime,
    pub seal: &'a str,
    pub public_key: &'a str,
    /// The public check's full address (the QR code's content).
    pub verify_url: &'a str,
}

/// One laid-out line or mark, with the height it takes on the page.
enum Item {
    Text { x: f32, size: f32, colour: (u8, u8, u8), text: String, height: f32 },
    Gap(f32),
    Rule { colour: (u8, u8, u8), weight: f32 },
    /// A drawn signature: the pad's strokes (600 × 200 units) scaled into a box.
    Strokes(String),
    Qr(String),
    NewPage,
}

const TOP: f32 = 60.0;
const BOTTOM: f32 = PAGE_H - 60.0;
const STROKES_W: f32 = 180.0;
const STROKES_H: f32 = 60.0;
const QR_SIZE: f32 = 110.0;

impl Item {
    fn height(&self) -> f32 {
        match self {
            Item::Text { height, .. } => *height,
            Item::Gap(h) => *h,
            Item::Rule { .. } => 10.0,
            Item::Strokes(_) => STROKES_H + 8.0,
            Item::Qr(_) => QR_SIZE + 8.0,
            Item::NewPage => 0.0,
        }
    }
}

struct Layout<'f> {
    font: &'f ReceiptFont,
    items: Vec<Item>,
}

impl Layout<'_> {
    fn para(&mut self, x: f32, size: f32, colour: (u8, u8, u8), text: &str) -> Result<(), PdfError> {
        for line in text.split('\n') {
            let wrapped = self.font.wrap(line, size, RIGHT - x)?;
            if wrapped.is_empty() {
                self.items.push(Item::Gap(size * 1.2));
            }
            for l in wrapped {
                self.items.push(Item::Text { x, size, colour, text: l, height: size * 1.45 });
            }
        }
        Ok(())
    }

    fn gap(&mut self, h: f32) {
        self.items.push(Item::Gap(h));
    }
}

fn amount(fen: Fen) -> String {
    format!("¥{}（人民币{}）", fen.yuan(), capital_yuan(fen))
}

fn side(s: Side) -> &'static str {
    match s {
        Side::Claimant => "原告（申请人）",
        Side::Respondent => "被告（被申请人）",
        Side::ThirdParty => "第三人",
    }
}

fn method(m: &str) -> &'static str {
    if m == "passkey" { "通行密钥（WebAuthn）Passkey" } else { "短信验证码 SMS code" }
}

fn layout(font: &ReceiptFont, s: &Sealed<'_>) -> Result<Vec<Item>, PdfError> {
    let mut l = Layout { font, items: Vec::new() };
    let d = s.document;
    l.para(LEFT, 20.0, RED, &d.title)?;
    l.para(LEFT, 11.0, BLACK, &format!("{} · {} · 第 {} 版", d.court, d.case_number, d.version))?;
    l.para(LEFT, 8.0, GREY, &format!("文书指纹 Fingerprint (SHA-256): {}", s.fingerprint))?;
    l.items.push(Item::Rule { colour: RED, weight: 1.0 });
    match &d.content {
        Content::Text { body } => l.para(LEFT, 11.0, BLACK, body)?,
        Content::Agreement(a) => {
            l.para(LEFT, 13.0, BLACK, "当事人")?;
            for p in &a.parties {
                l.para(LEFT + 12.0, 11.0, BLACK, &format!("{}：{}", side(p.side), p.name))?;
            }
            l.gap(6.0);
            l.para(LEFT, 13.0, BLACK, "经本院主持调解，当事人自愿达成如下协议：")?;
            for (i, t) in a.terms.iter().enumerate() {
                l.para(LEFT + 12.0, 11.0, BLACK, &format!("{}. {}", i + 1, t.text))?;
                if let Some(fen) = t.amount {
                    l.para(LEFT + 30.0, 10.5, BLACK, &format!("金额：{}", amount(fen)))?;
                }
            }
            if !a.schedule.is_empty() {
                l.gap(6.0);
                l.para(LEFT, 13.0, BLACK, "履行期限与方式")?;
                for (i, p) in a.schedule.iter().enumerate() {
                    l.para(LEFT + 12.0, 10.5, BLACK, &format!("第 {} 期：{} 前，由{}向{}支付 {}", i + 1, p.due, p.payer, p.payee, amount(p.amount)))?;
                }
            }
            l.gap(6.0);
            let claimant = a.claimant_fee();
            let respondent = Fen(a.fees.fee.0 - claimant.0);
            l.para(
                LEFT,
                11.0,
                BLACK,
                &format!("案件受理费 {}，由原告负担 {}%（{}），其余由被告负担（{}）。", amount(a.fees.fee), a.fees.claimant_percent, amount(claimant), amount(respondent)),
            )?;
        }
    }
    // The signature page.
    l.items.push(Item::NewPage);
    l.para(LEFT, 16.0, RED, "签署页 Signatures")?;
    l.para(LEFT, 8.5, GREY, &format!("{} · {} · 第 {} 版 · 指纹 {}", d.title, d.case_number, d.version, s.fingerprint))?;
    l.items.push(Item::Rule { colour: RED, weight: 1.0 });
    for sig in s.signatures {
        l.para(LEFT, 12.0, BLACK, &format!("签署人 Signer：{}", sig.name))?;
        if let Some(agent) = &sig.agent {
            l.para(LEFT + 12.0, 9.5, BLACK, &format!("由代理律师 {agent} 依特别授权代为签署 Signed for them by their lawyer under special authority"))?;
        }
        l.para(LEFT + 12.0, 9.5, BLACK, &format!("签署时间 Signed：{}（北京时间）", crate::fees::receipts::beijing_seconds(UnixTime(sig.signed_at))))?;
        l.para(LEFT + 12.0, 9.5, BLACK, &format!("验证方式 Bound by：{}", method(&sig.method)))?;
        if let Some(id) = &sig.credential_id {
            l.para(LEFT + 12.0, 8.0, GREY, &format!("凭证编号 Credential：{id}"))?;
        }
        l.para(LEFT + 12.0, 8.0, GREY, &format!("签署挑战 Challenge：{}", sig.challenge))?;
        match (&sig.drawing, &sig.typed_name) {
            (Some(path), _) => l.items.push(Item::Strokes(path.clone())),
            (None, Some(name)) => l.para(LEFT + 12.0, 16.0, BLACK, &format!("{name}（键入姓名 typed）"))?,
            (None, None) => {}
        }
        l.items.push(Item::Rule { colour: GREY, weight: 0.4 });
    }
    l.gap(6.0);
    l.para(LEFT, 12.0, RED, "法院电子签章 The court's seal")?;
    l.para(LEFT, 9.5, BLACK, &format!("签章时间 Sealed：{}（北京时间）", crate::fees::receipts::beijing_seconds(s.sealed_at)))?;
    l.para(LEFT, 8.0, GREY, &format!("签章 Seal (Ed25519)：{}", s.seal))?;
    l.para(LEFT, 8.0, GREY, &format!("公钥 Public key：{}", s.public_key))?;
    l.gap(4.0);
    l.items.push(Item::Qr(s.verify_url.to_string()));
    l.para(LEFT, 9.5, BLACK, "扫描二维码或打开下列网址核验本文书；也可在该页面上传本 PDF，核对其是否为法院签章的原件。")?;
    l.para(LEFT, 8.0, GREY, "Scan the code or open the address to check this document; upload this PDF there to check it is the court's original.")?;
    l.para(LEFT, 8.5, BLACK, s.verify_url)?;
    Ok(l.items)
}

/// Draws a drawn signature's strokes, scaled from the pad into a box at (`x`, `y`).
fn strokes(pen: &mut Pen<'_, '_>, x: f32, y: f32, path: &str) {
    let (sx, sy) = (STROKES_W / 600.0, STROKES_H / 200.0);
    let mut pb = PathBuilder::new();
    let mut command = 'M';
    let mut numbers: Vec<f32> = Vec::new();
    for token in path.split(|c: char| c == ' ' || c == ',').filter(|t| !t.is_empty()) {
        let (head, rest) = match token.chars().next() {
            Some(c @ ('M' | 'L')) => (Some(c), &token[1..]),
            _ => (None, token),
        };
        if let Some(c) = head {
            command = c;
        }
        if let Ok(n) = rest.parse::<f32>() {
            numbers.push(n);
        }
        if numbers.len() == 2 {
            let (px, py) = (x + numbers[0] * sx, y + numbers[1] * sy);
            if command == 'M' { pb.move_to(px, py) } else { pb.line_to(px, py) }
            numbers.clear();
        }
    }
    if let Some(p) = pb.finish() {
        pen.surface.set_fill(None);
        pen.surface.set_stroke(Some(Stroke {
            paint: krilla::color::rgb::Color::new(20, 20, 60).into(),
            width: 1.2,
            line_cap: LineCap::Round,
            line_join: LineJoin::Round,
            ..Default::default()
        }));
        pen.surface.draw_path(&p);
        pen.surface.set_stroke(None);
    }
}

/// The sealed document, as many A4 pages as it takes.
pub fn render(font: &ReceiptFont, s: &Sealed<'_>) -> Result<Vec<u8>, PdfError> {
    let items = layout(font, s)?;
    let mut document = krilla::Document::new();
    document.set_metadata(
        krilla::metadata::Metadata::new()
            .title(format!("{} {}", s.document.title, s.document.case_number))
            .keywords(vec![s.document.case_number.clone(), s.fingerprint.to_string()])
            .language("zh-CN".into())
            .creator("天平 Tianping".into()),
    );
    let settings = krilla::page::PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| PdfError::Draw("page size".into()))?;
    let mut rest = items.as_slice();
    let mut number = 0;
    while !rest.is_empty() {
        number += 1;
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        let mut pen = Pen { surface: &mut surface, font };
        let mut y = TOP;
        let mut used = 0;
        for (i, item) in rest.iter().enumerate() {
            if matches!(item, Item::NewPage) {
                used = i + 1;
                if i > 0 {
                    break;
                }
                continue;
            }
            if y + item.height() > BOTTOM && i > 0 {
                break;
            }
            match item {
                Item::Text { x, size, colour, text, height } => {
                    pen.colour(*colour);
                    pen.text(*x, y + size, *size, text)?;
                    y += height;
                }
                Item::Gap(h) => y += h,
                Item::Rule { colour, weight } => {
                    pen.colour(*colour);
                    pen.rule(y + 3.0, *weight);
                    y += 10.0;
                }
                Item::Strokes(path) => {
                    strokes(&mut pen, LEFT + 12.0, y + 4.0, path);
                    y += item.height();
                }
                Item::Qr(url) => {
                    qr(&mut pen, LEFT, y, QR_SIZE, url)?;
                    y += item.height();
                }
                Item::NewPage => {}
            }
            used = i + 1;
        }
        pen.colour(GREY);
        pen.text_centred(PAGE_H - 30.0, 8.0, &format!("{} · 第 {number} 页 · 指纹 {}…", s.document.case_number, &s.fingerprint[..16.min(s.fingerprint.len())]))?;
        surface.finish();
        page.finish();
        rest = &rest[used.max(1).min(rest.len())..];
    }
    document.finish().map_err(|e| PdfError::Draw(format!("{e:?}")))
}
