//! The WeChat mini-program's JS-SDK inside its `<web-view>`: paying hands off to the
//! mini-program's own pay page (`wx.miniProgram.navigateTo`), because a web-view cannot start
//! WeChat Pay itself; and printing a receipt.
use js_sys::{Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// The mini-program's native page that pays an order; it is given `?order=<out_trade_no>`.
pub const MINI_PROGRAM_PAY_PAGE: &str = "/pages/pay/index";

/// Asks the mini-program to open its pay page for `out_trade_no`. Err when the JS-SDK is not
/// there (opened outside the mini-program, or the SDK did not load).
pub fn hand_off_to_mini_program(out_trade_no: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let wx = Reflect::get(&window, &"wx".into()).map_err(|_| "no wx")?;
    let mini = Reflect::get(&wx, &"miniProgram".into()).ok().filter(|m| m.is_object()).ok_or("no wx.miniProgram")?;
    let navigate = Reflect::get(&mini, &"navigateTo".into()).ok().and_then(|f| f.dyn_into::<Function>().ok()).ok_or("no navigateTo")?;
    let options = Object::new();
    let url = format!("{MINI_PROGRAM_PAY_PAGE}?order={out_trade_no}");
    Reflect::set(&options, &"url".into(), &JsValue::from_str(&url)).map_err(|_| "options")?;
    navigate.call1(&mini, &options).map(|_| ()).map_err(|e| format!("navigateTo failed: {e:?}"))
}

/// Runs `again` whenever the page comes back into view: the person returns from the
/// mini-program's pay page, or from their payment app, and wants to see the result at once.
pub fn on_return(again: impl Fn() + Clone + 'static) {
    use leptos::prelude::{on_cleanup, window_event_listener_untyped};
    let shown = again.clone();
    let visible = window_event_listener_untyped("visibilitychange", move |_| {
        if web_sys::window().and_then(|w| w.document()).is_some_and(|d| !d.hidden()) {
            again();
        }
    });
    let back = window_event_listener_untyped("pageshow", move |_| shown());
    on_cleanup(move || {
        visible.remove();
        back.remove();
    });
}

/// Opens the browser's print dialog: a kiosk prints the receipt on its own printer, a phone
/// saves it as PDF.
pub fn print_page() -> Result<(), String> {
    web_sys::window().ok_or("no window")?.print().map_err(|e| format!("print failed: {e:?}"))
}
