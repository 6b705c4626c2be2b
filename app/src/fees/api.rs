//! Fee server functions. The calculator itself runs in the browser and on the server alike
//! (`model`); what only the server knows is the province's figures inside the Measures' ranges.
use crate::error::AppError;
use crate::fees::model::ProvinceRates;
use leptos::prelude::*;

/// The province's fixed fees, for the public calculator and the filing wizard's estimate.
/// Public on purpose: anyone may work out a court fee before signing in.
#[server(prefix = "/api", endpoint = "fees/rates")]
pub async fn fee_rates() -> Result<ProvinceRates, AppError> {
    let cx = crate::ssr::cx::Cx::get()?;
    Ok(cx.state.site.fee_rates)
}
