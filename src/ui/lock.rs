//! The key at rest, on screen: the unlock screen the office app opens on, the screen
//! that seals an older version's clear key under a new operator passphrase, the lock
//! button and the idle lock. Locking reloads the page, so the key leaves memory with it.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::env::Browser;
use crate::app::office::{self, IDLE_LOCK_MINUTES};
use crate::exchange::envelope::Identity;
use crate::exchange::secret::SealedKey;
use crate::platform::{clock, page};
use crate::store::Store;
use crate::ui::late::IfAlive;
use crate::ui::widgets::message::{banner, Msg};
use crate::ui::widgets::passphrase::NewPassphrase;

/// Asks the operator's passphrase; `unlocked` gets the key it opens.
#[component]
pub fn UnlockScreen(
    /// The stored key.
    sealed: SealedKey,
    /// The unit's name, to say whose key this is.
    unit: String,
    /// Called with the opened key.
    unlocked: Callback<Identity>,
) -> impl IntoView {
    let pass = RwSignal::new(String::new());
    let msg = RwSignal::new(None::<Msg>);
    let busy = RwSignal::new(false);
    let sealed = Rc::new(sealed);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        msg.set(Some(Msg::Done("正在解锁…".into())));
        let (sealed, passphrase) = (sealed.clone(), pass.get_untracked());
        spawn_local(async move {
            // Let the message paint: the derivation is slow on purpose.
            clock::sleep_ms(30).await;
            match office::unlock(&sealed, &passphrase) {
                Ok(identity) => unlocked.run(identity),
                Err(e) => {
                    pass.set_if_alive(String::new());
                    msg.set_if_alive(Some(Msg::Failed(e.to_string())));
                }
            }
            busy.set_if_alive(false);
        });
    };
    view! {
        <main class="page narrow">
            <section class="card lock" data-testid="unlock">
                <h1>"信访案件管理：请输入操作口令"</h1>
                <p class="lead">{format!("{unit}的签名密钥已加密保存在本机。输入操作口令解锁后才能查看案件、导出和导入文件、备份。")}</p>
                {banner(msg)}
                <form on:submit=on_submit novalidate>
                    <label class="field"><span class="label">"操作口令"</span>
                        <input type="password" name="operator_passphrase" autocomplete="current-password" autofocus
                            prop:value=move || pass.get() on:input=move |ev| pass.set(event_target_value(&ev)) />
                    </label>
                    <div class="actions">
                        <button type="submit" class="primary" prop:disabled=move || busy.get()>"解锁"</button>
                    </div>
                </form>
                <p class="hint">{format!("连续 {IDLE_LOCK_MINUTES} 分钟无操作时本程序自动锁定；离开电脑前也可点右上角“锁定”。口令遗忘时，只能在新的浏览器中从备份恢复。")}</p>
            </section>
        </main>
    }
}

/// A unit whose key an older version stored in clear: the operator chooses a passphrase
/// and the key is sealed under it before the app goes on.
#[component]
pub fn ProtectScreen(
    /// The database.
    store: Rc<Store>,
    /// The key, in clear until sealed.
    identity: Identity,
    /// Called once the key is sealed.
    protected: Callback<Identity>,
) -> impl IntoView {
    let pass = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let msg = RwSignal::new(None::<Msg>);
    let identity = Rc::new(identity);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (store, identity) = (store.clone(), identity.clone());
        let (p, a) = (pass.get_untracked(), again.get_untracked());
        msg.set(Some(Msg::Done("正在加密保存签名密钥…".into())));
        spawn_local(async move {
            clock::sleep_ms(30).await;
            match office::protect(&store, &Browser, &identity, &p, &a).await {
                Ok(()) => protected.run((*identity).clone()),
                Err(e) => msg.set_if_alive(Some(Msg::Failed(e.to_string()))),
            }
        });
    };
    view! {
        <main class="page narrow">
            <section class="card lock" data-testid="protect">
                <h1>"请设置操作口令"</h1>
                <p class="lead">"本程序现在用操作口令加密保存本单位的签名密钥：不知道口令的人即使打开这台电脑上的浏览器，也不能签发文件、解密来件或导出备份。请设置口令（至少 12 个字符，或 4 个以空格分开的词），以后每次打开本程序时输入。"</p>
                {banner(msg)}
                <form on:submit=on_submit novalidate>
                    <div class="grid">
                        <NewPassphrase pass=pass again=again name="new_operator_passphrase"
                            label="操作口令" hint_id="operator-hint" />
                    </div>
                    <div class="actions"><button type="submit" class="primary">"设置口令并继续"</button></div>
                </form>
            </section>
        </main>
    }
}

/// Locks the app: the page reloads, and with it the key leaves memory.
pub fn lock() {
    page::reload();
}

/// Locks the app after [`IDLE_LOCK_MINUTES`] without a key press, click or scroll.
pub fn lock_when_idle() {
    let last = Rc::new(Cell::new(clock::now().0));
    for kind in ["keydown", "pointerdown", "wheel"] {
        let last = last.clone();
        let listener = window_event_listener_untyped(kind, move |_| last.set(clock::now().0));
        on_cleanup(move || listener.remove());
    }
    let limit = IDLE_LOCK_MINUTES * 60_000;
    let check = set_interval_with_handle(
        move || {
            if clock::now().0 - last.get() >= limit {
                lock();
            }
        },
        Duration::from_secs(20),
    );
    if let Ok(handle) = check {
        on_cleanup(move || handle.clear());
    }
}
