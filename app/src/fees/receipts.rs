//! Electronic fee receipts (电子收据): what the receipt of a paid order says and who may read it
//! (`fees/receipt`, the payer only), its PDF (`receipt_pdf`, with the glyphs it uses of a CJK
//! font embedded), and the public check that a receipt is genuine (`fees/verify_receipt`),
//! keyed by an HMAC of the receipt number so receipts cannot be found by counting numbers.
use crate::error::AppError;
use crate::fees::model::Working;
use crate::filing::model::Fen;
use crate::identity::model::UnixTime;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Where receipts live: `/receipts/<receipt_no>`, its PDF at `/receipts/<receipt_no>/pdf`.
pub const RECEIPTS_PATH: &str = "/receipts";
/// The public check: `/receipts/verify/<receipt_no>?c=<check code>`.
pub const VERIFY_PATH: &str = "/receipts/verify";

pub fn receipt_path(receipt_no: &str) -> String {
    format!("{RECEIPTS_PATH}/{receipt_no}")
}

pub fn pdf_path(receipt_no: &str) -> String {
    format!("{RECEIPTS_PATH}/{receipt_no}/pdf")
}

/// A receipt as its payer sees it (page and PDF alike).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReceiptView {
    pub receipt_no: String,
    /// The party who owed the fee: the client a lawyer filed for, else the filer.
    pub payer_name: String,
    pub court_name: String,
    pub case_number: String,
    /// The items: the notice's calculation as the court issued it.
    pub working: Working,
    pub amount: Fen,
    /// 贰仟柒佰元零壹分.
    pub amount_in_capitals: String,
    pub paid_at: UnixTime,
    /// The payment platform's transaction number.
    pub transaction_id: String,
    /// Opens the public check; carries the check code, so it is given to the payer only.
    pub verify_url: String,
    /// The QR code of `verify_url`, as SVG.
    pub qr_svg: String,
    /// Issued while the sandboxes are on: no real money moved.
    pub sandbox: bool,
}

/// What the public check may tell anyone holding the receipt: enough to compare with the
/// paper, nothing more (the payer's name masked).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VerifiedReceipt {
    pub receipt_no: String,
    pub court_name: String,
    pub case_number: String,
    pub amount: Fen,
    pub amount_in_capitals: String,
    pub paid_at: UnixTime,
    /// 张*.
    pub payer_masked: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Verification {
    Genuine(VerifiedReceipt),
    /// Unknown number, or the check code does not match: the same answer, so a wrong guess
    /// does not learn that the number exists.
    NotGenuine,
}

/// Whether a string is shaped like one of our receipt numbers (`SF` and 16 digits), checked
/// before any look-up.
pub fn is_receipt_no(raw: &str) -> bool {
    raw.len() == 18 && raw.starts_with("SF") && raw.bytes().skip(2).all(|b| b.is_ascii_digit())
}

/// A name as a public page may show it: the surname's character, the rest as `*` (张三 → 张*).
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    match chars.next() {
        None => String::new(),
        Some(first) => {
            let rest = chars.count();
            if rest == 0 { "*".into() } else { std::iter::once(first).chain(std::iter::repeat_n('*', rest)).collect() }
        }
    }
}

/// `2026-12-01 16:30:05` in Beijing: a receipt states the second the money arrived.
pub fn beijing_seconds(t: UnixTime) -> String {
    let (y, m, d) = t.beijing_ymd();
    let rem = t.0.saturating_add(8 * 3600).rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// The receipt of one of the caller's paid orders. Another person's receipt, or a number that
/// is not a receipt, is NotFound; staff are refused (they do not pay litigants' fees).
#[server(prefix = "/api", endpoint = "fees/receipt")]
pub async fn fee_receipt(receipt_no: String) -> Result<ReceiptView, AppError> {
    let cx = crate::ssr::cx::Cx::get()?;
    let me = cx.require_verified().await?;
    server::receipt_for_payer(&cx.state, me.person_id, &receipt_no).await
}

/// Public, without signing in: whether a receipt number and its check code (from the QR code
/// on the receipt) belong to a receipt we issued. Limited per IP address.
#[server(prefix = "/api", endpoint = "fees/verify_receipt")]
pub async fn verify_receipt(receipt_no: String, code: String) -> Result<Verification, AppError> {
    let cx = crate::ssr::cx::Cx::get()?;
    cx.limit_ip("receipt").await?;
    server::verify(&cx.state, &receipt_no, &code).await
}

#[cfg(feature = "ssr")]
pub use server::receipt_pdf;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::fees::model::capital_yuan;
    use crate::ssr::AppState;
    use crate::ssr::cx::{Cx, internal};
    use axum::extract::{Path, Request, State};
    use axum::response::{IntoResponse, Response};
    use http::{HeaderValue, StatusCode, header};

    /// One paid order with what its receipt states.
    #[derive(Clone, Debug, sqlx::FromRow)]
    struct ReceiptRow {
        out_trade_no: String,
        receipt_no: String,
        amount_fen: i64,
        paid_at: Option<i64>,
        transaction_id: Option<String>,
        working: String,
        case_number: String,
        court_name: String,
        payer_name: Option<String>,
    }

    /// A paid order by its receipt number, whoever asks: callers decide who may see it.
    async fn receipt_by_number(db: &sqlx::SqlitePool, receipt_no: &str) -> Result<Option<ReceiptRow>, sqlx::Error> {
        sqlx::query_as(
            "SELECT o.out_trade_no, o.receipt_no, o.amount_fen, o.paid_at, o.transaction_id, n.working, c.case_number,
                    COALESCE(ct.name, c.court_code) AS court_name, payer.legal_name AS payer_name
             FROM payment_orders o
             JOIN fee_notices n ON n.id = o.notice_id
             JOIN cases c ON c.id = n.case_id
             JOIN filings f ON f.id = c.filing_id
             LEFT JOIN courts ct ON ct.code = c.court_code
             LEFT JOIN people payer ON payer.id = COALESCE(f.client_id, f.filer_id)
             WHERE o.receipt_no = ? AND o.status = 'paid' AND o.out_trade_no IS NOT NULL",
        )
        .bind(receipt_no)
        .fetch_optional(db)
        .await
    }

    pub async fn receipt_for_payer(state: &AppState, person_id: i64, receipt_no: &str) -> Result<ReceiptView, AppError> {
        if !is_receipt_no(receipt_no) {
            return Err(AppError::NotFound);
        }
        let row = receipt_by_number(&state.db, receipt_no).await.map_err(|e| internal("fee receipt", e))?.ok_or(AppError::NotFound)?;
        // Who may see a payment is decided in one place, the order's payer rule in `store`.
        crate::fees::store::order_for_payer(&state.db, person_id, &row.out_trade_no)
            .await
            .map_err(|e| internal("fee receipt", e))?
            .ok_or(AppError::NotFound)?;
        let working: Working = serde_json::from_str(&row.working).map_err(|e| internal("fee receipt working", e))?;
        let paid_at = UnixTime(row.paid_at.ok_or_else(|| internal("fee receipt", "a paid order without paid_at"))?);
        let verify_url = verify_url(state, &row.receipt_no);
        let qr_svg = crate::ssr::qr_svg(&verify_url).map_err(|e| internal("receipt QR", e))?;
        let amount = Fen(row.amount_fen);
        Ok(ReceiptView {
            receipt_no: row.receipt_no,
            payer_name: row.payer_name.unwrap_or_default(),
            court_name: row.court_name,
            case_number: row.case_number,
            working,
            amount,
            amount_in_capitals: capital_yuan(amount),
            paid_at,
            transaction_id: row.transaction_id.unwrap_or_default(),
            verify_url,
            qr_svg,
            sandbox: state.site.sandbox,
        })
    }

    pub async fn verify(state: &AppState, receipt_no: &str, code: &str) -> Result<Verification, AppError> {
        // The code is checked before the database is asked, so a guess costs no look-up and
        // its answer says nothing about which numbers exist.
        if !is_receipt_no(receipt_no) || !check::matches(state.id_key.receipt_key(), receipt_no, code) {
            return Ok(Verification::NotGenuine);
        }
        let Some(row) = receipt_by_number(&state.db, receipt_no).await.map_err(|e| internal("receipt check", e))? else {
            return Ok(Verification::NotGenuine);
        };
        let amount = Fen(row.amount_fen);
        Ok(Verification::Genuine(VerifiedReceipt {
            receipt_no: row.receipt_no,
            court_name: row.court_name,
            case_number: row.case_number,
            amount,
            amount_in_capitals: capital_yuan(amount),
            paid_at: UnixTime(row.paid_at.unwrap_or_default()),
            payer_masked: mask_name(row.payer_name.as_deref().unwrap_or_default()),
        }))
    }

    /// `{public_url}/receipts/verify/{receipt_no}?c={code}`: what the receipt's QR code opens.
    pub fn verify_url(state: &AppState, receipt_no: &str) -> String {
        let code = check::code(state.id_key.receipt_key(), receipt_no);
        format!("{}{VERIFY_PATH}/{receipt_no}?c={code}", state.site.public_url.trim_end_matches('/'))
    }

    /// `GET /receipts/{receipt_no}/pdf`: the receipt as a PDF, for its payer only (others 404,
    /// staff 403, no session 401, like `fees/receipt`). Without a CJK font on the server the
    /// answer is 503 with a message: never a PDF with blank boxes for characters.
    pub async fn receipt_pdf(State(state): State<AppState>, Path(receipt_no): Path<String>, req: Request) -> Response {
        let (parts, _) = req.into_parts();
        let cx = Cx { state, parts };
        let view = match cx.require_verified().await {
            Ok(me) => match receipt_for_payer(&cx.state, me.person_id, &receipt_no).await {
                Ok(v) => v,
                Err(e) => return e.into_response(),
            },
            Err(e) => return e.into_response(),
        };
        // Reading a 20 MB font once and subsetting it are CPU work: off the async workers.
        let rendered = tokio::task::spawn_blocking(move || super::pdf::installed_font().and_then(|font| super::pdf::render(&font, &view))).await;
        let bytes = match rendered {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(e @ (super::pdf::PdfError::NoFont { .. } | super::pdf::PdfError::MissingGlyph(_)))) => {
                tracing::error!(error = %e, receipt = %receipt_no, "a receipt PDF cannot be made");
                return unavailable(&e);
            }
            Ok(Err(e)) => return internal("receipt PDF", e).into_response(),
            Err(e) => return internal("receipt PDF task", e).into_response(),
        };
        let mut res = bytes.into_response();
        let h = res.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
        if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{receipt_no}.pdf\"")) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
        res
    }

    fn unavailable(e: &super::pdf::PdfError) -> Response {
        let body = match e {
            super::pdf::PdfError::MissingGlyph(c) => format!(
                "收据 PDF 暂时无法生成：服务器的中文字体缺少字符“{c}”（U+{:04X}）。请使用收据页面打印。\n\
                 The receipt PDF cannot be made: the server's Chinese font lacks the character U+{:04X}. Print the receipt page instead.\n",
                u32::from(*c),
                u32::from(*c)
            ),
            _ => "收据 PDF 暂时无法生成：服务器未安装中文字体。请稍后再试，或使用收据页面打印。\n\
                  The receipt PDF is unavailable: no Chinese font is installed on the server. Try again later, or print the receipt page.\n"
                .to_string(),
        };
        let mut res = (StatusCode::SERVICE_UNAVAILABLE, body).into_response();
        res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        res
    }
}

/// The check code of a receipt number: the first 10 bytes of HMAC-SHA256(receipt number), in
/// base32, under the receipts' key derived from the identity key (`IdentityKey::receipt_key`):
/// as lasting as the receipts, and shared with nothing else.
#[cfg(feature = "ssr")]
pub mod check {
    use hmac::{Hmac, Mac};
    use sha2::Sha256;

    const CODE_BYTES: usize = 10;
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// `key` is already the receipts' own (`IdentityKey::receipt_key`, derived with its label).
    fn mac(key: &[u8], receipt_no: &str) -> Option<Hmac<Sha256>> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).ok()?;
        mac.update(receipt_no.as_bytes());
        Some(mac)
    }

    /// 16 characters of `A–Z2–7`.
    pub fn code(secret: &[u8], receipt_no: &str) -> String {
        let Some(mac) = mac(secret, receipt_no) else { return String::new() };
        let tag = mac.finalize().into_bytes();
        encode(&tag[..CODE_BYTES])
    }

    /// Whether `code` is the receipt's, compared in constant time; case and spaces ignored.
    pub fn matches(secret: &[u8], receipt_no: &str, code: &str) -> bool {
        let cleaned: String = code.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        match (decode(&cleaned), mac(secret, receipt_no)) {
            (Some(bytes), Some(mac)) if bytes.len() == CODE_BYTES => mac.verify_truncated_left(&bytes).is_ok(),
            _ => false,
        }
    }

    /// RFC 4648 base32 without padding (10 bytes give exactly 16 characters).
    fn encode(bytes: &[u8]) -> String {
        let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
        let (mut buffer, mut bits) = (0u32, 0u32);
        for &b in bytes {
            buffer = (buffer << 8) | u32::from(b);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
            }
        }
        if bits > 0 {
            out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
        }
        out
    }

    fn decode(s: &str) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(s.len() * 5 / 8);
        let (mut buffer, mut bits) = (0u32, 0u32);
        for c in s.bytes() {
            let v = ALPHABET.iter().position(|&a| a == c)? as u32;
            buffer = (buffer << 5) | v;
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                out.push(((buffer >> bits) & 0xFF) as u8);
            }
        }
        Some(out)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        const SECRET: &[u8] = b"receipt-test-secret-0123456789";

        #[test]
        fn the_right_code_verifies_in_any_case() {
            let code = code(SECRET, "SF2026120100000007");
            assert_eq!(code.len(), 16, "{code}");
            assert!(code.bytes().all(|b| ALPHABET.contains(&b)), "{code}");
            assert!(matches(SECRET, "SF2026120100000007", &code));
            assert!(matches(SECRET, "SF2026120100000007", &code.to_ascii_lowercase()));
        }

        #[test]
        fn another_receipt_number_or_a_changed_code_does_not_verify() {
            let code = code(SECRET, "SF2026120100000007");
            assert!(!matches(SECRET, "SF2026120100000008", &code), "the next number");
            let mut changed: Vec<u8> = code.clone().into_bytes();
            changed[15] = if changed[15] == b'A' { b'B' } else { b'A' };
            assert!(!matches(SECRET, "SF2026120100000007", &String::from_utf8_lossy(&changed)), "one character changed");
            assert!(!matches(SECRET, "SF2026120100000007", &code[..15]), "one character short");
            assert!(!matches(SECRET, "SF2026120100000007", ""), "no code");
            assert!(!matches(SECRET, "SF2026120100000007", "!!!!!!!!!!!!!!!!"), "not base32");
        }

        #[test]
        fn another_server_secret_gives_another_code() {
            let ours = code(SECRET, "SF2026120100000007");
            assert_ne!(ours, code(b"another-secret-0123456789abcdef", "SF2026120100000007"));
            assert!(!matches(b"another-secret-0123456789abcdef", "SF2026120100000007", &ours));
        }

        #[test]
        fn base32_round_trips() {
            let bytes = [0u8, 1, 2, 250, 251, 252, 253, 254, 255, 77];
            assert_eq!(decode(&encode(&bytes)).as_deref(), Some(&bytes[..]));
            assert_eq!(encode(b"foobar"), "MZXW6YTBOI");
        }
    }
}

/// The receipt as a PDF: A4, drawn with krilla, text in a CJK font found on the server (only
/// the glyphs used are embedded), the verification QR code drawn module by module.
#[cfg(feature = "ssr")]
pub mod pdf {
    use super::*;
    use crate::fees::model::{FeeKind, Halving, Line};
    use crate::i18n::{Locale, td_string};

    pub use crate::ssr::pdf::{PdfError, ReceiptFont, installed_font};
    use crate::ssr::pdf::{BLACK, GREY, LEFT, PAGE_H, PAGE_W, Pen, RED, RIGHT, VALUE_X, qr};

    /// The receipt, one A4 page.
    pub fn render(font: &ReceiptFont, r: &ReceiptView) -> Result<Vec<u8>, PdfError> {
        let mut document = krilla::Document::new();
        let (y, m, d) = r.paid_at.beijing_ymd();
        let rem = r.paid_at.0.saturating_add(8 * 3600).rem_euclid(86_400);
        document.set_metadata(
            krilla::metadata::Metadata::new()
                .title(format!("诉讼费电子收据 {}", r.receipt_no))
                .keywords(vec![r.receipt_no.clone(), r.case_number.clone()])
                .language("zh-CN".into())
                .creator("天平 Tianping".into())
                .creation_date(
                    krilla::metadata::DateTime::new(u16::try_from(y).unwrap_or(1970))
                        .month(m as u8)
                        .day(d as u8)
                        .hour((rem / 3600) as u8)
                        .minute((rem % 3600 / 60) as u8)
                        .second((rem % 60) as u8)
                        .utc_offset_hour(8)
                        .utc_offset_minute(0),
                ),
        );
        let settings = krilla::page::PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| PdfError::Draw("page size".into()))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        draw(&mut Pen { surface: &mut surface, font }, r)?;
        surface.finish();
        page.finish();
        document.finish().map_err(|e| PdfError::Draw(format!("{e:?}")))
    }

    fn draw(pen: &mut Pen<'_, '_>, r: &ReceiptView) -> Result<(), PdfError> {
        let mut y = 64.0;
        if r.sandbox {
            pen.colour(RED);
            pen.text_centred(y - 22.0, 10.0, "沙箱模式：未发生真实缴费，本收据不是缴费凭证 · Sandbox: no real payment, not a receipt")?;
        }
        pen.colour(RED);
        pen.text_centred(y + 10.0, 24.0, "诉讼费电子收据")?;
        pen.colour(GREY);
        pen.text_centred(y + 30.0, 10.5, "Electronic Receipt for Court Fees")?;
        pen.colour(BLACK);
        pen.text_centred(y + 50.0, 12.0, &r.court_name)?;
        y += 64.0;
        pen.colour(RED);
        pen.rule(y, 1.2);
        y += 26.0;

        y = pen.field(y, "收据号", "Receipt No.", &r.receipt_no)?;
        y = pen.field(y, "缴费人", "Payer", &r.payer_name)?;
        y = pen.field(y, "法院", "Court", &r.court_name)?;
        y = pen.field(y, "案号", "Case No.", &r.case_number)?;
        y = pen.field(y, "缴费时间", "Paid at", &format!("{}（北京时间 UTC+8）", beijing_seconds(r.paid_at)))?;
        y = pen.field(y, "支付交易号", "Transaction ID", &r.transaction_id)?;

        pen.colour(GREY);
        pen.rule(y - 8.0, 0.5);
        y += 12.0;
        pen.colour(BLACK);
        pen.text(LEFT, y, 12.0, "收费项目")?;
        pen.colour(GREY);
        pen.text(LEFT + 52.0, y, 8.0, "Items")?;
        y += 20.0;
        pen.colour(BLACK);
        let kind = r.working.kind;
        y = pen.paragraph(LEFT, y, 10.5, RIGHT - LEFT, 14.0, &format!("{}（{}）", kind_text(kind), article(kind.article())))? + 18.0;
        pen.colour(GREY);
        pen.text(LEFT, y, 9.0, "计算项 Item")?;
        pen.text_right(RIGHT, y, 9.0, "金额（元）Amount (yuan)")?;
        pen.rule(y + 5.0, 0.5);
        y += 20.0;
        pen.colour(BLACK);
        for line in &r.working.lines {
            let (what, fee) = line_text(line);
            let last = pen.paragraph(LEFT, y, 10.0, RIGHT - LEFT - 110.0, 13.5, &what)?;
            if let Some(fee) = fee {
                pen.text_right(RIGHT, y, 10.0, &fee.yuan())?;
            }
            y = last + 18.0;
        }
        pen.colour(GREY);
        pen.rule(y - 10.0, 0.5);
        y += 12.0;

        pen.colour(GREY);
        pen.text(LEFT, y, 10.0, "合计（小写）")?;
        pen.text(LEFT, y + 11.0, 7.5, "Total")?;
        pen.colour(BLACK);
        pen.text(VALUE_X, y + 2.0, 16.0, &format!("¥{}", r.amount.yuan()))?;
        y += 32.0;
        pen.colour(GREY);
        pen.text(LEFT, y, 10.0, "合计（大写）")?;
        pen.text(LEFT, y + 11.0, 7.5, "In Chinese capitals")?;
        pen.colour(BLACK);
        pen.text(VALUE_X, y + 2.0, 16.0, &r.amount_in_capitals)?;
        y += 30.0;
        pen.colour(RED);
        pen.rule(y, 1.2);
        y += 22.0;

        // The verification code: the QR code on the left, what it says beside it.
        let qr_size = 118.0;
        qr(pen, LEFT, y, qr_size, &r.verify_url)?;
        let text_x = LEFT + qr_size + 18.0;
        let width = RIGHT - text_x;
        pen.colour(BLACK);
        let mut ty = pen.paragraph(text_x, y + 12.0, 10.5, width, 15.0, "扫描二维码或打开下列网址，核验本收据真伪：")?;
        pen.colour(GREY);
        ty = pen.paragraph(text_x, ty + 13.0, 8.0, width, 11.0, "Scan the code, or open the address below, to check that this receipt is genuine:")?;
        pen.colour(BLACK);
        pen.paragraph(text_x, ty + 16.0, 8.5, width, 12.0, &r.verify_url)?;
        y += qr_size + 30.0;

        pen.colour(GREY);
        let last = pen.paragraph(LEFT, y, 8.5, RIGHT - LEFT, 12.0, "本收据由天平诉讼服务平台根据支付机构的到账通知出具。")?;
        pen.paragraph(LEFT, last + 12.0, 7.5, RIGHT - LEFT, 10.0, "Issued by Tianping Court Services on the payment platform's confirmation that the money arrived.")?;
        Ok(())
    }

    /// The receipt is the court's document, in Simplified Chinese whatever the reader's language.
    const ZH: Locale = Locale::zh_Hans;

    fn kind_text(kind: FeeKind) -> String {
        match kind {
            FeeKind::Property => td_string!(ZH, fee_kind_property),
            FeeKind::Divorce => td_string!(ZH, fee_kind_divorce),
            FeeKind::PersonalityRights => td_string!(ZH, fee_kind_personality),
            FeeKind::OtherNonProperty => td_string!(ZH, fee_kind_non_property),
            FeeKind::IntellectualProperty => td_string!(ZH, fee_kind_ip),
            FeeKind::Labour => td_string!(ZH, fee_kind_labour),
            FeeKind::Administrative => td_string!(ZH, fee_kind_administrative),
            FeeKind::AdministrativeIpMaritime => td_string!(ZH, fee_kind_administrative_ip),
            FeeKind::JurisdictionObjection => td_string!(ZH, fee_kind_jurisdiction),
            FeeKind::Enforcement => td_string!(ZH, fee_kind_enforcement),
            FeeKind::Preservation => td_string!(ZH, fee_kind_preservation),
            FeeKind::PaymentOrder => td_string!(ZH, fee_kind_payment_order),
            FeeKind::PublicSummons => td_string!(ZH, fee_kind_public_summons),
            FeeKind::Arbitration => td_string!(ZH, fee_kind_arbitration),
            FeeKind::Bankruptcy => td_string!(ZH, fee_kind_bankruptcy),
            FeeKind::NoFee => td_string!(ZH, fee_kind_no_fee),
        }
        .to_string()
    }

    fn halving_text(reason: Halving) -> String {
        let what = match reason {
            Halving::Mediation => td_string!(ZH, fee_halve_mediation),
            Halving::Withdrawal => td_string!(ZH, fee_halve_withdrawal),
            Halving::SimplifiedProcedure => td_string!(ZH, fee_halve_simplified),
            Halving::CounterclaimOrThirdParty => td_string!(ZH, fee_halve_counterclaim),
        };
        format!("{what}（{}）", article(reason.article()))
    }

    fn article(which: &str) -> String {
        td_string!(ZH, fee_article, n = which).to_string()
    }

    /// `2.5%` from 250 basis points.
    fn percent(rate_bp: i64) -> String {
        match rate_bp % 100 {
            0 => format!("{}%", rate_bp / 100),
            f if f % 10 == 0 => format!("{}.{}%", rate_bp / 100, f / 10),
            f => format!("{}.{f:02}%", rate_bp / 100),
        }
    }

    /// One line of the working as the fee calculator words it, and its amount if it has one.
    fn line_text(line: &Line) -> (String, Option<Fen>) {
        match line {
            Line::Fixed { fee, up_to: Some(up_to) } => (td_string!(ZH, fee_line_base, up_to = up_to.yuan()).to_string(), Some(*fee)),
            Line::Fixed { fee, up_to: None } => (td_string!(ZH, fee_line_fixed).to_string(), Some(*fee)),
            Line::Band { from, to: Some(to), part, rate_bp, fee } => (
                td_string!(ZH, fee_line_band, from = from.yuan(), to = to.yuan(), part = part.yuan(), rate = percent(*rate_bp)).to_string(),
                Some(*fee),
            ),
            Line::Band { from, to: None, part, rate_bp, fee } => {
                (td_string!(ZH, fee_line_band_top, from = from.yuan(), part = part.yuan(), rate = percent(*rate_bp)).to_string(), Some(*fee))
            }
            Line::FreePart { up_to } => (td_string!(ZH, fee_line_free, up_to = up_to.yuan()).to_string(), None),
            Line::Fraction { denominator: 3, .. } => (td_string!(ZH, fee_line_third).to_string(), None),
            Line::Fraction { .. } => (td_string!(ZH, fee_line_half_of_property).to_string(), None),
            Line::Capped { cap } => (td_string!(ZH, fee_line_capped, cap = cap.yuan()).to_string(), Some(*cap)),
            Line::Halved { reasons } => {
                let why: Vec<String> = reasons.iter().map(|r| halving_text(*r)).collect();
                (td_string!(ZH, fee_line_halved, reasons = why.join(td_string!(ZH, list_separator))).to_string(), None)
            }
            Line::NoFee => (td_string!(ZH, fee_line_no_fee).to_string(), Some(Fen(0))),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::fees::model::{ProvinceRates, calculate};

        fn sample() -> ReceiptView {
            let working = calculate(FeeKind::Property, Some(Fen(12_000_050)), &[], &ProvinceRates::default()).expect("fee");
            ReceiptView {
                receipt_no: "SF2026120100000007".into(),
                payer_name: "张三".into(),
                court_name: "北京市朝阳区人民法院".into(),
                case_number: "(2026)京0105民初1号".into(),
                amount: working.total,
                amount_in_capitals: crate::fees::model::capital_yuan(working.total),
                working,
                paid_at: UnixTime(1_796_142_600),
                transaction_id: "4200002026120112345678".into(),
                verify_url: "http://127.0.0.1:3000/receipts/verify/SF2026120100000007?c=ABCDEFGHIJKLMNOP".into(),
                qr_svg: String::new(),
                sandbox: true,
            }
        }

        fn font() -> ReceiptFont {
            match installed_font() {
                Ok(f) => f,
                Err(e) => panic!("{e}: server/scripts/install-tools.sh installs fonts-noto-cjk"),
            }
        }

        #[test]
        fn the_receipt_pdf_embeds_a_subset_of_the_font_and_stays_small() {
            let pdf = render(&font(), &sample()).expect("pdf");
            assert!(pdf.starts_with(b"%PDF-"), "a PDF");
            let text = String::from_utf8_lossy(&pdf);
            assert!(text.contains("/FontFile"), "the font is embedded");
            // A subset's name carries a six-letter tag: `ABCDEF+NotoSansCJKsc-Regular`.
            assert!(text.split('/').any(|name| name.len() > 7 && name.as_bytes()[6] == b'+' && name[..6].bytes().all(|b| b.is_ascii_uppercase())), "the embedded font is a subset");
            assert!(pdf.len() < 200 * 1024, "{} bytes", pdf.len());
            assert!(text.contains("SF2026120100000007"), "the receipt number is in the document's metadata");
        }

        #[test]
        fn a_character_the_font_lacks_is_refused_rather_than_drawn_as_a_box() {
            let mut r = sample();
            // A private-use character: no font has a glyph for it.
            r.payer_name = "张\u{E000}".into();
            assert!(matches!(render(&font(), &r), Err(PdfError::MissingGlyph('\u{E000}'))));
        }

        #[test]
        fn long_text_wraps_within_the_width_and_keeps_every_character() {
            let f = font();
            let url = "http://court.example.cn/receipts/verify/SF2026120100000007?c=ABCDEFGHIJKLMNOP";
            let lines = f.wrap(url, 8.5, 120.0).expect("wrap");
            assert!(lines.len() > 1, "{lines:?}");
            assert_eq!(lines.concat(), url);
            for line in &lines {
                assert!(f.width(line, 8.5).expect("width") <= 120.0, "{line}");
            }
            let zh = "按财产案件受理费标准的三分之一交纳，超过 1,000,000.00 元的部分";
            let lines = f.wrap(zh, 10.0, 100.0).expect("wrap");
            assert!(lines.iter().all(|l| !l.is_empty()));
            assert!(lines.iter().any(|l| l.contains("1,000,000.00")), "a figure is not split: {lines:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_masked_after_its_first_character() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
        assert_eq!(mask_name("李"), "*");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn only_receipt_shaped_numbers_are_looked_up() {
        assert!(is_receipt_no("SF2026120100000007"));
        assert!(!is_receipt_no("SF202612010000000"));
        assert!(!is_receipt_no("TP00000001N00000001"));
        assert!(!is_receipt_no("SF20261201000000O7"));
        assert!(!is_receipt_no("../../etc/passwd"));
    }

    #[test]
    fn a_receipt_states_the_beijing_second_of_payment() {
        // 2026-12-01 16:30:05 UTC is 2026-12-02 00:30:05 in Beijing.
        assert_eq!(beijing_seconds(UnixTime(1_796_142_605)), "2026-12-02 00:30:05");
    }
}
