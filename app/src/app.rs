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
use leptos::lazy;
use leptos_router::{Lazy, LazyRoute};
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
                        <Route path=path!("/hearings/:id") ssr=SsrMode::Async view={Lazy::<HearingRoomRoute>::new()}/>
                        <Route path=path!("/hearings/:id/record") ssr=SsrMode::Async view={Lazy::<HearingRecordRoute>::new()}/>
                        <Route path=path!("/sign") ssr=SsrMode::Async view={Lazy::<SignRoute>::new()}/>
                        <Route path=path!("/sign/:id") ssr=SsrMode::Async view={Lazy::<SignDocumentRoute>::new()}/>
                        <Route path=path!("/sign/verify/:id") ssr=SsrMode::Async view={Lazy::<SignVerifyRoute>::new()}/>
                        <Route path=path!("/sign/check") ssr=SsrMode::Async view={Lazy::<SignCheckRoute>::new()}/>
                        <Route path=path!("/staff/signing") ssr=SsrMode::Async view={Lazy::<StaffSigningRoute>::new()}/>
                        <Route path=path!("/staff/signing/new") ssr=SsrMode::Async view={Lazy::<DraftRoute>::new()}/>
                        // Pages whose data decides cookies or status: rendered whole before sending.
                        // Lazy: each page's code comes with its group's (`grouped_page!` below) as its own
                        // download (`cargo leptos build --split`), so the home page does not carry every form.
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

/// A route whose page is loaded on demand, with the other pages of its group:
/// `grouped_page!(Route, group_fn, Group::Page)`.
///
/// Pages are split by audience, not one file per page: wasm-split (cargo-leptos `--split`) makes
/// one shared file for every set of lazy functions that share code, and its loader, part of every
/// first visit, names each of those files. With one lazy function per page (29 of them) the loader
/// listed 726 files and weighed 24 KB compressed, which put the first visit over its budget; a few
/// groups keep it to a handful. A page's group is what a person opening it is likely to open next,
/// and no more: a group's file is downloaded whole when one of its pages is first opened.
/// Each group's page enum is `#[repr(u8)]`: it crosses the split boundary, an `extern "C"` call.
macro_rules! grouped_page {
    ($route:ident, $group:ident, $preload:ident, $page:expr) => {
        #[derive(Clone, Copy, Debug)]
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                $group($page).await
            }

            async fn preload() {
                // Only the browser build has split files to fetch ahead.
                #[cfg(all(target_arch = "wasm32", feature = "hydrate"))]
                $preload().await;
            }
        }
    };
}

/// Signing in: the sign-in page, the one-time code and the hand-off from a phone. Kept apart
/// from Me, so that the first page most people open after the home page stays small.
#[derive(Clone, Copy, Debug)]
#[repr(u8)]
pub enum SignInPages {
    SignIn,
    Code,
    Handoff,
}

#[lazy]
fn sign_in_pages(page: SignInPages) -> AnyView {
    match page {
        SignInPages::SignIn => view! { <SignInPage/> }.into_any(),
        SignInPages::Code => view! { <CodePage/> }.into_any(),
        SignInPages::Handoff => view! { <HandoffPage/> }.into_any(),
    }
}

/// The signed-in person's own pages: Me (devices, passkeys, lawyer profile, grants) and
/// real-name verification.
#[derive(Clone, Copy, Debug)]
#[repr(u8)]
pub enum MePages {
    Me,
    Verify,
}

#[lazy]
fn me_pages(page: MePages) -> AnyView {
    match page {
        MePages::Me => view! { <MePage/> }.into_any(),
        MePages::Verify => view! { <VerifyPage/> }.into_any(),
    }
}

/// What anyone may use without signing in: the public case lookup, the fee calculator and the
/// check of a receipt (often on a kiosk, or a phone that scanned a code on paper).
#[derive(Clone, Copy, Debug)]
#[repr(u8)]
pub enum PublicPages {
    Lookup,
    Calculator,
    ReceiptVerify,
}

#[lazy]
fn public_pages(page: PublicPages) -> AnyView {
    use crate::cases::pages::LookupPage;
    match page {
        PublicPages::Lookup => view! { <LookupPage/> }.into_any(),
        PublicPages::Calculator => view! { <FeeCalculatorPage/> }.into_any(),
        PublicPages::ReceiptVerify => view! { <ReceiptVerifyPage/> }.into_any(),
    }
}

/// A party's pages about their cases: the list, a case, its messages and the inbox.
#[derive(Clone, Copy, Debug)]
#[repr(u8)]
pub enum CasePages {
    Cases,
    Case,
    PartyThread,
    Inbox,
}

#[lazy]
fn case_pages(page: CasePages) -> AnyView {
    use crate::cases::{inbox::InboxPage, pages::*};
    match page {
        CasePages::Cases => view! { <MyCasesPage/> }.into_any(),
        CasePages::Case => view! { <CaseDetailPage/> }.into_any(),
        CasePages::PartyThread => view! { <PartyThreadPage/> }.into_any(),
        CasePages::Inbox => view! { <InboxPage/> }.into_any(),
    }
}

/// Online hearings, for the court and the case's people alike: the list, the room (with its
/// WebRTC glue, which no other page needs) and the record's review.
#[derive(Clone, Copy, Debug)]
#[repr(u8)]
pub enum HearingPages {
    List,
    Room,
    Record,
}

#[lazy]
fn hearing_pages(page: HearingPages) -> AnyView {
    use crate::hearings::{pages::{HearingsPage, RecordPage}, room::RoomPage};
    match page {
        HearingPages::List => view! { <HearingsPage/> }.into_any(),
        HearingPages::Room => view! { <RoomPage/> }.into_any(),
        HearingPages::Record => view! { <RecordPage/> }.into_any(),
    }
}

/// Signing: the documents sent to a person, one document (where it is signed, and where the
/// court manages it), the public check of a sealed one, and the court's list and template.
#[derive(Clone, Copy, Debug)]
#[repr(u8)]
pub enum SigningPages {
    List,
    Document,
    Verify,
    Check,
    Staff,
    Draft,
}

#[lazy]
fn signing_pages(page: SigningPages) -> AnyView {
    use crate::signing::{pages, staff};
    match page {
        SigningPages::List => view! { <pages::SignListPage/> }.into_any(),
        SigningPages::Document => view! { <pages::SignPage/> }.into_any(),
        SigningPages::Verify => view! { <pages::VerifyPage/> }.into_any(),
        SigningPages::Check => view! { <pages::CheckPage/> }.into_any(),
        SigningPages::Staff => view! { <staff::StaffSigningPage/> }.into_any(),
        SigningPages::Draft => view! { <staff::DraftPage/> }.into_any(),
    }
}

/// The filer's pages: starting a filing, the wizard and a filing's status.
#[derive(Clone, Copy, Debug)]
#[repr(u8)]
pub enum FilingPages {
    File,
    Wizard,
    Filing,
}

#[lazy]
fn filing_pages(page: FilingPages) -> AnyView {
    match page {
        FilingPages::File => view! { <FileHomePage/> }.into_any(),
        FilingPages::Wizard => view! { <WizardPage/> }.into_any(),
        FilingPages::Filing => view! { <FilingPage/> }.into_any(),
    }
}

/// The payer's fee pages: notices to pay, an order, a receipt.
#[derive(Clone, Copy, Debug)]
#[repr(u8)]
pub enum FeePages {
    Pay,
    Order,
    Receipt,
}

#[lazy]
fn fee_pages(page: FeePages) -> AnyView {
    match page {
        FeePages::Pay => pay_page().into_any(),
        FeePages::Order => view! { <OrderPage/> }.into_any(),
        FeePages::Receipt => view! { <ReceiptPage/> }.into_any(),
    }
}

/// Court staff's pages, desktop side: sign-in home, enrolment, filing review, cases, messages
/// and refunds. No litigant's first visit ever needs them.
#[derive(Clone, Copy, Debug)]
#[repr(u8)]
pub enum StaffPages {
    Home,
    Enrol,
    ReviewQueue,
    Review,
    Cases,
    Case,
    Thread,
    Unanswered,
    Refunds,
}

#[lazy]
fn staff_pages(page: StaffPages) -> AnyView {
    use crate::cases::pages::{CourtCasesPage, StaffCasePage, StaffThreadPage, UnansweredPage};
    use crate::fees::refund_pages::RefundQueuePage;
    match page {
        StaffPages::Home => view! { <StaffPage/> }.into_any(),
        StaffPages::Enrol => view! { <StaffEnrolPage/> }.into_any(),
        StaffPages::ReviewQueue => view! { <ReviewQueuePage/> }.into_any(),
        StaffPages::Review => view! { <ReviewPage/> }.into_any(),
        StaffPages::Cases => view! { <CourtCasesPage/> }.into_any(),
        StaffPages::Case => view! { <StaffCasePage/> }.into_any(),
        StaffPages::Thread => view! { <StaffThreadPage/> }.into_any(),
        StaffPages::Unanswered => view! { <UnansweredPage/> }.into_any(),
        StaffPages::Refunds => view! { <RefundQueuePage/> }.into_any(),
    }
}

grouped_page!(SignInRoute, sign_in_pages, __preload_sign_in_pages, SignInPages::SignIn);
grouped_page!(CodeRoute, sign_in_pages, __preload_sign_in_pages, SignInPages::Code);
grouped_page!(HandoffRoute, sign_in_pages, __preload_sign_in_pages, SignInPages::Handoff);
grouped_page!(MeRoute, me_pages, __preload_me_pages, MePages::Me);
grouped_page!(VerifyRoute, me_pages, __preload_me_pages, MePages::Verify);
grouped_page!(LookupRoute, public_pages, __preload_public_pages, PublicPages::Lookup);
grouped_page!(FeeCalculatorRoute, public_pages, __preload_public_pages, PublicPages::Calculator);
grouped_page!(ReceiptVerifyRoute, public_pages, __preload_public_pages, PublicPages::ReceiptVerify);
grouped_page!(CasesRoute, case_pages, __preload_case_pages, CasePages::Cases);
grouped_page!(CaseRoute, case_pages, __preload_case_pages, CasePages::Case);
grouped_page!(PartyThreadRoute, case_pages, __preload_case_pages, CasePages::PartyThread);
grouped_page!(InboxRoute, case_pages, __preload_case_pages, CasePages::Inbox);
grouped_page!(HearingsRoute, hearing_pages, __preload_hearing_pages, HearingPages::List);
grouped_page!(HearingRoomRoute, hearing_pages, __preload_hearing_pages, HearingPages::Room);
grouped_page!(HearingRecordRoute, hearing_pages, __preload_hearing_pages, HearingPages::Record);
grouped_page!(SignRoute, signing_pages, __preload_signing_pages, SigningPages::List);
grouped_page!(SignDocumentRoute, signing_pages, __preload_signing_pages, SigningPages::Document);
grouped_page!(SignVerifyRoute, signing_pages, __preload_signing_pages, SigningPages::Verify);
grouped_page!(SignCheckRoute, signing_pages, __preload_signing_pages, SigningPages::Check);
grouped_page!(StaffSigningRoute, signing_pages, __preload_signing_pages, SigningPages::Staff);
grouped_page!(DraftRoute, signing_pages, __preload_signing_pages, SigningPages::Draft);
grouped_page!(FileRoute, filing_pages, __preload_filing_pages, FilingPages::File);
grouped_page!(WizardRoute, filing_pages, __preload_filing_pages, FilingPages::Wizard);
grouped_page!(FilingRoute, filing_pages, __preload_filing_pages, FilingPages::Filing);
grouped_page!(PayRoute, fee_pages, __preload_fee_pages, FeePages::Pay);
grouped_page!(OrderRoute, fee_pages, __preload_fee_pages, FeePages::Order);
grouped_page!(ReceiptRoute, fee_pages, __preload_fee_pages, FeePages::Receipt);
grouped_page!(StaffRoute, staff_pages, __preload_staff_pages, StaffPages::Home);
grouped_page!(StaffEnrolRoute, staff_pages, __preload_staff_pages, StaffPages::Enrol);
grouped_page!(ReviewQueueRoute, staff_pages, __preload_staff_pages, StaffPages::ReviewQueue);
grouped_page!(ReviewRoute, staff_pages, __preload_staff_pages, StaffPages::Review);
grouped_page!(StaffCasesRoute, staff_pages, __preload_staff_pages, StaffPages::Cases);
grouped_page!(StaffCaseRoute, staff_pages, __preload_staff_pages, StaffPages::Case);
grouped_page!(StaffThreadRoute, staff_pages, __preload_staff_pages, StaffPages::Thread);
grouped_page!(UnansweredRoute, staff_pages, __preload_staff_pages, StaffPages::Unanswered);
grouped_page!(StaffRefundsRoute, staff_pages, __preload_staff_pages, StaffPages::Refunds);

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

#[component]
fn AppTitle() -> impl IntoView {
    let i18n = use_i18n();
    view! { <Title formatter=crate::ui::title::with_brand(move || t_string!(i18n, home_title).to_string())/> }
}
