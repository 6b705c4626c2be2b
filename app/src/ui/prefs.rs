//! Per-device preferences (large text, kiosk mode, sandbox banner) and how the language is chosen.
//!
//! The server decides them from the request and writes them onto `<html>`; the browser reads them
//! back from there, so both render the same markup and hydration agrees.
use leptos::prelude::*;
use leptos_i18n::context::CookieOptions;
use leptos_use::UseLocalesOptions;

/// Cookie names shared by the server routes that set them and the app that reads them.
pub const LANG_COOKIE: &str = "tp_lang";
pub const TEXT_COOKIE: &str = "tp_text";
pub const KIOSK_COOKIE: &str = "tp_kiosk";

/// One year: a language or text-size choice is a lasting preference.
pub const PREF_COOKIE_MAX_AGE_S: i64 = 365 * 24 * 3600;

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Prefs {
    pub large_text: bool,
    pub kiosk: Option<KioskMode>,
    pub sandbox: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KioskMode {
    /// Seconds without input before the kiosk wipes itself (the warning comes 10 s earlier).
    pub idle_secs: u32,
}

impl Prefs {
    /// The classes `<html>` carries; the stylesheet keys large-text and kiosk layouts off them.
    pub fn html_class(&self) -> Option<String> {
        let mut classes = Vec::new();
        if self.large_text {
            classes.push("large-text");
        }
        if self.kiosk.is_some() {
            classes.push("kiosk");
        }
        (!classes.is_empty()).then(|| classes.join(" "))
    }

    /// The preferences of this page: from context on the server, from `<html>` in the browser.
    pub fn current() -> Prefs {
        if let Some(prefs) = use_context::<Prefs>() {
            return prefs;
        }
        #[cfg(feature = "hydrate")]
        {
            crate::ui::browser::prefs_from_document()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            Prefs::default()
        }
    }
}

pub fn lang_cookie_options() -> CookieOptions<crate::i18n::Locale> {
    CookieOptions::default()
        .max_age(PREF_COOKIE_MAX_AGE_S * 1000)
        .path("/")
        .same_site(leptos_use::SameSite::Lax)
}

/// Browsers say `zh-CN` or `zh-TW`, never the script; our locales are `zh-Hans` and `zh-Hant`.
/// Adding the script the region implies lets the language matcher pick the right one.
pub fn accept_language_getter() -> UseLocalesOptions {
    UseLocalesOptions::default().ssr_lang_header_getter(|| {
        #[cfg(feature = "ssr")]
        {
            let parts = use_context::<http::request::Parts>()?;
            let header = parts.headers.get(http::header::ACCEPT_LANGUAGE)?.to_str().ok()?;
            Some(with_chinese_scripts(header))
        }
        #[cfg(not(feature = "ssr"))]
        {
            None
        }
    })
}

/// Rewrites an `Accept-Language` header so each Chinese tag names its script.
pub fn with_chinese_scripts(header: &str) -> String {
    header
        .split(',')
        .map(|item| {
            let item = item.trim();
            let (tag, rest) = item.split_once(';').map_or((item, None), |(t, r)| (t, Some(r)));
            let lower = tag.to_ascii_lowercase();
            let tag = match lower.as_str() {
                "zh" | "zh-cn" | "zh-sg" | "zh-my" => "zh-Hans".to_string(),
                "zh-tw" | "zh-hk" | "zh-mo" => "zh-Hant".to_string(),
                _ if lower.starts_with("zh-hans") => "zh-Hans".to_string(),
                _ if lower.starts_with("zh-hant") => "zh-Hant".to_string(),
                _ => tag.to_string(),
            };
            match rest {
                Some(rest) => format!("{tag};{rest}"),
                None => tag,
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taiwan_and_hong_kong_chinese_ask_for_traditional_script() {
        assert_eq!(with_chinese_scripts("zh-TW,zh;q=0.9"), "zh-Hant,zh-Hans;q=0.9");
        assert_eq!(with_chinese_scripts("zh-HK"), "zh-Hant");
    }

    #[test]
    fn mainland_chinese_asks_for_simplified_script_and_other_languages_pass_through() {
        assert_eq!(with_chinese_scripts("zh-CN, en-US;q=0.8"), "zh-Hans,en-US;q=0.8");
        assert_eq!(with_chinese_scripts("en-GB"), "en-GB");
    }

    #[test]
    fn the_html_class_lists_large_text_and_kiosk() {
        let prefs = Prefs { large_text: true, kiosk: Some(KioskMode { idle_secs: 120 }), sandbox: false };
        assert_eq!(prefs.html_class().as_deref(), Some("large-text kiosk"));
        assert_eq!(Prefs::default().html_class(), None);
    }
}
