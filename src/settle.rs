//! Futures that JavaScript completes through one callback made once ([`callback`]), instead of a
//! new `Closure` per await: wasm-bindgen-futures' `JsFuture` makes two closures per promise
//! (and a `setTimeout` future one), and on Node a closure's creation and finalizer registration
//! was a visible part of a call's own time (bench/FINDINGS.md). The transport's exchange
//! (js/transport.js) and the runtime's timers hand the callback an id; [`Settled`] is the future
//! of that id.
//!
//! Ids come from a `u32` counter, so an id is not reused before 2^32 more futures: a late call
//! for an id whose future is gone (the settling of an aborted exchange) finds no slot and is
//! ignored, it cannot complete another future. Only a handful of futures are ever pending, so the
//! slots are a small `Vec`.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use js_sys::Function;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

struct Slot {
    id: u32,
    value: Option<JsValue>,
    waker: Option<Waker>,
}

#[derive(Default)]
struct Slots {
    next: u32,
    pending: Vec<Slot>,
}

thread_local! {
    static SLOTS: RefCell<Slots> = RefCell::default();
    static CALLBACK: Closure<dyn FnMut(u32, JsValue)> = Closure::new(settle);
}

/// Completes the future of `id` with `value` (ignored when that future is gone or done).
fn settle(id: u32, value: JsValue) {
    let waker = SLOTS.with(|s| {
        let mut s = s.borrow_mut();
        let slot = s.pending.iter_mut().find(|x| x.id == id)?;
        if slot.value.is_some() {
            return None;
        }
        slot.value = Some(value);
        slot.waker.take()
    });
    if let Some(w) = waker {
        w.wake();
    }
}

/// The JS function `(id, value) => void` that completes the future of `id`.
pub(crate) fn callback() -> Function {
    CALLBACK.with(|c| c.as_ref().unchecked_ref::<Function>().clone())
}

/// A future completed by a call of [`callback`] with its id.
pub(crate) struct Settled {
    id: u32,
}

impl Settled {
    /// A new pending future; give its [`Settled::id`] to the JavaScript that completes it.
    pub(crate) fn new() -> Self {
        let id = SLOTS.with(|s| {
            let mut s = s.borrow_mut();
            let id = s.next;
            s.next = s.next.wrapping_add(1);
            s.pending.push(Slot {
                id,
                value: None,
                waker: None,
            });
            id
        });
        Self { id }
    }

    /// The id to pass to JavaScript.
    pub(crate) fn id(&self) -> u32 {
        self.id
    }
}

impl Future for Settled {
    type Output = JsValue;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<JsValue> {
        SLOTS.with(|s| {
            let mut s = s.borrow_mut();
            let Some(at) = s.pending.iter().position(|x| x.id == self.id) else {
                // polled again after it completed: never done by the executors in use
                return Poll::Pending;
            };
            if s.pending[at].value.is_some() {
                let slot = s.pending.swap_remove(at);
                Poll::Ready(slot.value.unwrap_or(JsValue::UNDEFINED))
            } else {
                s.pending[at].waker = Some(cx.waker().clone());
                Poll::Pending
            }
        })
    }
}

impl Drop for Settled {
    fn drop(&mut self) {
        SLOTS.with(|s| {
            let mut s = s.borrow_mut();
            if let Some(at) = s.pending.iter().position(|x| x.id == self.id) {
                s.pending.swap_remove(at);
            }
        });
    }
}
