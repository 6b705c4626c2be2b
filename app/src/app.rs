//! The HTML shell, the root `<App/>` and the route table.
use crate::i18n::*;
use crate::ui::layout::Layout;
use crate::ui::pages::{HomePage, NotFoundPage, Section};
use crate::ui::prefs::Prefs;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos_meta::MetaTags;
use leptos_meta::{Title, provide_meta_context};
use crate::fees::pages::FeeCalculatorPage;
use crate::fees::pay_pages::OrderPage;
use crate::fees::receipt_pages::{ReceiptPage, ReceiptVerifyPage};
use crate::filing::pages::{FileHomePage, FilingPage, ReviewPage, ReviewQueuePage, WizardPage};
use crate::identity::handoff_pages::HandoffPage;
use crate::identity::pages::{CodePage, MePage, RequireVerified, SignInPage, VerifyPage};
use crate::identity::staff_pages::{StaffEnrolPage, StaffPage};
use leptos_router::{Lazy, LazyRoute, lazy_route};
use leptos_router::SsrMode;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The document around the app, rendered on the server only. Per-device settings that must be
/// right before any script runs (large text, kiosk) are decided here from the request.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let prefs = crate::ssr::prefs::from_request();
    provide_context(prefs.clone());
    let state = use_context::<crate::ssr::AppState>();
    let css = state.as_ref().map(|s| s.assets.css_href.clone()).unwrap_or_default();
    if let Some(state) = &state {
        crate::ssr::headers::set_page_headers(state, &prefs);
    }
    let class = prefs.html_class();
    let idle = prefs.kiosk.as_ref().map(|k| k.idle_secs.to_string());
    // Inside the WeChat mini-program, its JS-SDK lets the pay page hand off to the mini-program.
    let jssdk = state.as_ref().and_then(crate::ssr::headers::wechat_jssdk);
    let nonce = leptos::nonce::use_nonce();
    view! {
        <!DOCTYPE html>
        <html class=class data-kiosk-idle-secs=idle data-sandbox=prefs.sandbox.then_some("true")>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <meta name="theme-color" content="#8c1c13"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="icon" href="/favicon.ico" sizes="any"/>
                <link rel="apple-touch-icon" href="/icons/apple-touch-icon.png"/>
                <link rel="stylesheet" href=css/>
                {jssdk.map(|src| view! { <script src=src nonce=nonce></script> })}
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let prefs = Prefs::current();
    provide_context(prefs);
    view! {
        <I18nContextProvider cookie_name="tp_lang" cookie_options=crate::ui::prefs::lang_cookie_options()
            ssr_lang_header_getter=crate::ui::prefs::accept_language_getter()>
            <AppTitle/>
            <Router>
                <Layout>
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("/") view=HomePage/>
                        <Route path=path!("/cases") ssr=SsrMode::Async view={Lazy::<CasesRoute>::new()}/>
                        <Route path=path!("/cases/:id") ssr=SsrMode::Async view={Lazy::<CaseRoute>::new()}/>
                        <Route path=path!("/cases/:id/messages") ssr=SsrMode::Async view={Lazy::<PartyThreadRoute>::new()}/>
                        // Paying, hearings and signing need a verified person (Identity issue); filing has its pages.
                        <Route path=path!("/file") ssr=SsrMode::Async view={Lazy::<FileRoute>::new()}/>
                        <Route path=path!("/file/:id/:step") ssr=SsrMode::Async view={Lazy::<WizardRoute>::new()}/>
                        <Route path=path!("/filings/:id") ssr=SsrMode::Async view={Lazy::<FilingRoute>::new()}/>
                        <Route path=path!("/staff/filings") ssr=SsrMode::Async view={Lazy::<ReviewQueueRoute>::new()}/>
                        <Route path=path!("/staff/filings/:id") ssr=SsrMode::Async view={Lazy::<ReviewRoute>::new()}/>
                        <Route path=path!("/pay") ssr=SsrMode::Async view={Lazy::<PayRoute>::new()}/>
                        <Route path=path!("/pay/orders/:no") ssr=SsrMode::Async view={Lazy::<OrderRoute>::new()}/>
                        <Route path=path!("/receipts/:no") ssr=SsrMode::Async view={Lazy::<ReceiptRoute>::new()}/>
                        // Public: anyone holding a receipt may check it (its PDF is a plain route).
                        <Route path=path!("/receipts/verify/:no") ssr=SsrMode::Async view={Lazy::<ReceiptVerifyRoute>::new()}/>
                        // Public: anyone may work out a fee before signing in.
                        <Route path=path!("/fees/calculator") ssr=SsrMode::Async view={Lazy::<FeeCalculatorRoute>::new()}/>
                        <Route path=path!("/lookup") ssr=SsrMode::Async view={Lazy::<LookupRoute>::new()}/>
                        <Route path=path!("/inbox") ssr=SsrMode::Async view={Lazy::<InboxRoute>::new()}/>
                        <Route path=path!("/hearings") ssr=SsrMode::Async view={Lazy::<HearingsRoute>::new()}/>
                        <Route path=path!("/sign") ssr=SsrMode::Async view={Lazy::<SignRoute>::new()}/>
                        // Pages whose data decides cookies or status: rendered whole before sending.
                        // Lazy: each page's code is its own download (`cargo leptos build --split`),
                        // so the first visit to the home page does not carry every form.
                        <Route path=path!("/me") ssr=SsrMode::Async view={Lazy::<MeRoute>::new()}/>
                        <Route path=path!("/me/verify") ssr=SsrMode::Async view={Lazy::<VerifyRoute>::new()}/>
                        <Route path=path!("/signin") view={Lazy::<SignInRoute>::new()}/>
                        <Route path=path!("/signin/code") ssr=SsrMode::Async view={Lazy::<CodeRoute>::new()}/>
                        <Route path=path!("/handoff") ssr=SsrMode::Async view={Lazy::<HandoffRoute>::new()}/>
                        <Route path=path!("/staff") ssr=SsrMode::Async view={Lazy::<StaffRoute>::new()}/>
                        <Route path=path!("/staff/cases") ssr=SsrMode::Async view={Lazy::<StaffCasesRoute>::new()}/>
                        <Route path=path!("/staff/cases/:id") ssr=SsrMode::Async view={Lazy::<StaffCaseRoute>::new()}/>
                        <Route path=path!("/staff/cases/:id/messages/:party") ssr=SsrMode::Async view={Lazy::<StaffThreadRoute>::new()}/>
                        <Route path=path!("/staff/messages") ssr=SsrMode::Async view={Lazy::<UnansweredRoute>::new()}/>
                        <Route path=path!("/staff/refunds") ssr=SsrMode::Async view={Lazy::<StaffRefundsRoute>::new()}/>
                        <Route path=path!("/staff/enrol") ssr=SsrMode::Async view={Lazy::<StaffEnrolRoute>::new()}/>
                    </Routes>
                </Layout>
            </Router>
        </I18nContextProvider>
    }
}

/// A route whose page is loaded on demand: `lazy_page!(Route, Page)` or
/// `lazy_page!(Route, expression giving the view)`.
macro_rules! lazy_page {
    ($route:ident, $page:ident) => {
        lazy_page!($route, view! { <$page/> });
    };
    ($route:ident, $view:expr) => {
        #[derive(Clone, Copy, Debug)]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $view.into_any()
            }
        }
    };
}

lazy_page!(MeRoute, MePage);
lazy_page!(VerifyRoute, VerifyPage);
lazy_page!(SignInRoute, SignInPage);
lazy_page!(CodeRoute, CodePage);
lazy_page!(HandoffRoute, HandoffPage);
lazy_page!(StaffRoute, StaffPage);
lazy_page!(StaffEnrolRoute, StaffEnrolPage);
lazy_page!(CasesRoute, view! { <crate::cases::pages::MyCasesPage/> });
lazy_page!(CaseRoute, view! { <crate::cases::pages::CaseDetailPage/> });
lazy_page!(StaffCasesRoute, view! { <crate::cases::pages::CourtCasesPage/> });
lazy_page!(StaffCaseRoute, view! { <crate::cases::pages::StaffCasePage/> });
lazy_page!(LookupRoute, view! { <crate::cases::pages::LookupPage/> });
lazy_page!(InboxRoute, view! { <crate::cases::inbox::InboxPage/> });
lazy_page!(PartyThreadRoute, view! { <crate::cases::pages::PartyThreadPage/> });
lazy_page!(StaffThreadRoute, view! { <crate::cases::pages::StaffThreadPage/> });
lazy_page!(UnansweredRoute, view! { <crate::cases::pages::UnansweredPage/> });
lazy_page!(StaffRefundsRoute, view! { <crate::fees::refund_pages::RefundQueuePage/> });
lazy_page!(FileRoute, FileHomePage);
lazy_page!(WizardRoute, WizardPage);
lazy_page!(FilingRoute, FilingPage);
lazy_page!(ReviewQueueRoute, ReviewQueuePage);
lazy_page!(ReviewRoute, ReviewPage);
lazy_page!(PayRoute, pay_page());
lazy_page!(OrderRoute, OrderPage);
lazy_page!(ReceiptRoute, ReceiptPage);
lazy_page!(ReceiptVerifyRoute, ReceiptVerifyPage);
lazy_page!(FeeCalculatorRoute, FeeCalculatorPage);
lazy_page!(HearingsRoute, gated(Section::Hearings));
lazy_page!(SignRoute, gated(Section::Sign));

/// Paying needs a verified person; the fee calculator linked from it does not.
fn pay_page() -> impl IntoView {
    let i18n = use_i18n();
    let section = Section::Pay;
    view! {
        <leptos_meta::Title text=crate::ui::title::title(move || section.label(i18n))/>
        <h1>{move || section.label(i18n)}</h1>
        <p class="lead"><a href=crate::fees::pages::CALCULATOR_PATH>{move || t_string!(i18n, fee_calculator_link)}</a></p>
        <RequireVerified here=section.href()>
            <crate::fees::pages::MyFeeNotices/>
        </RequireVerified>
    }
}

/// An area page behind the verified-person gate.
fn gated(section: Section) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <leptos_meta::Title text=crate::ui::title::title(move || section.label(i18n))/>
        <h1>{move || section.label(i18n)}</h1>
        <RequireVerified here=section.href()>
            <crate::ui::pages::ComingSoonCard/>
        </RequireVerified>
    }
}

#[component]
fn AppTitle() -> impl IntoView {
    let i18n = use_i18n();
    view! { <Title formatter=crate::ui::title::with_brand(move || t_string!(i18n, home_title).to_string())/> }
}
