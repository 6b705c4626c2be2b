//! Page titles that stay correct on a busy server.
use leptos::prelude::*;
use leptos::text_prop::TextProp;

/// A `<Title text=…>` that follows the language in the browser but is fixed while rendering on
/// the server.
///
/// leptos_meta 0.8.7 reads the title after the page has rendered, outside the request's
/// reactive sandbox (`ServerMetaContext::inject_meta_context`). A title closure that reads a
/// signal (the language is one) then finds no arena, or another request's, whenever requests
/// interleave on a worker thread: under load, async pages answered 500 ("no Arena is active",
/// "already disposed"). Working the text out during the render, inside the sandbox, avoids
/// every signal read at that later point.
pub fn title<S>(text: impl Fn() -> S + Send + Sync + 'static) -> TextProp
where
    S: Into<Oco<'static, str>>,
{
    #[cfg(feature = "ssr")]
    {
        TextProp::from(text().into())
    }
    #[cfg(not(feature = "ssr"))]
    {
        TextProp::from(text)
    }
}

/// The same for `<Title formatter=…>`: `brand` is read once on the server, on every change in
/// the browser.
pub fn with_brand(brand: impl Fn() -> String + Send + Sync + 'static) -> impl Fn(String) -> String + Send + Sync + 'static {
    #[cfg(feature = "ssr")]
    let brand = {
        let fixed = brand();
        move || fixed.clone()
    };
    move |page: String| {
        let brand = brand();
        if page.is_empty() { brand } else { format!("{page} · {brand}") }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_title_is_followed_by_the_brand_and_the_home_page_has_the_brand_alone() {
        let format = with_brand(|| "天平".to_string());
        assert_eq!(format("立案".into()), "立案 · 天平");
        assert_eq!(format(String::new()), "天平");
    }
}
