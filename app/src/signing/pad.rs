//! The drawing pad's browser side: where a pointer is in the pad's own units, and painting the
//! strokes. The strokes themselves live in the page's signal; this only reads and paints them.
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, PointerEvent};

/// The pad's own size, whatever its size on the screen.
pub const WIDTH: f64 = 600.0;
pub const HEIGHT: f64 = 200.0;

/// The pointer's place in pad units, kept inside the pad.
pub fn point(ev: &PointerEvent, canvas: &HtmlCanvasElement) -> (i32, i32) {
    let rect = canvas.get_bounding_client_rect();
    let (w, h) = (rect.width().max(1.0), rect.height().max(1.0));
    let x = (f64::from(ev.client_x()) - rect.left()) * WIDTH / w;
    let y = (f64::from(ev.client_y()) - rect.top()) * HEIGHT / h;
    (x.clamp(0.0, WIDTH).round() as i32, y.clamp(0.0, HEIGHT).round() as i32)
}

/// Paints every stroke afresh (after a new point, an undo or a clear).
pub fn redraw(canvas: &HtmlCanvasElement, strokes: &[Vec<(i32, i32)>]) {
    let Some(ctx) = canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok()) else { return };
    ctx.clear_rect(0.0, 0.0, WIDTH, HEIGHT);
    ctx.set_line_width(3.0);
    ctx.set_line_cap("round");
    ctx.set_line_join("round");
    ctx.set_stroke_style_str("#1a1a2e");
    for stroke in strokes {
        let Some(((x0, y0), rest)) = stroke.split_first() else { continue };
        ctx.begin_path();
        ctx.move_to(f64::from(*x0), f64::from(*y0));
        if rest.is_empty() {
            ctx.line_to(f64::from(*x0) + 0.5, f64::from(*y0) + 0.5);
        }
        for (x, y) in rest {
            ctx.line_to(f64::from(*x), f64::from(*y));
        }
        ctx.stroke();
    }
}
