//! Reporting a message, a conversation or an artist's profile, and the acknowledgement.

use crate::{
    auth::context::SignedIn,
    moderation::{
        api::Report,
        model::{DETAILS_MAX_CHARS, ReportReason, ReportSubject},
    },
    paths::{MESSAGES, report_path},
    ui::{
        forms::{Field, FormError, SubmitButton, last_error},
        not_found::NotFound,
    },
};
use leptos::{either::Either, prelude::*};
use leptos_meta::{Meta, Title};
use leptos_router::{components::A, hooks::use_params_map};

/// The discreet link to the report page of `target` (a message's or conversation's id, an
/// artist's slug).
#[component]
pub fn ReportLink(
    subject: ReportSubject,
    #[prop(into)] target: String,
    label: &'static str,
) -> impl IntoView {
    view! { <a class="report-link" href=report_path(subject.segment(), &target) rel="nofollow">{label}</a> }
}

/// `/signaler/{message|conversation|profil}/{id or slug}`: the reason and an explanation.
#[component]
pub fn ReportPage() -> impl IntoView {
    let params = use_params_map();
    let (subject, target) = params.with_untracked(|params| {
        (
            params
                .get("sujet")
                .and_then(|segment| ReportSubject::from_segment(&segment)),
            params.get("cle").unwrap_or_default(),
        )
    });
    let Some(subject) = subject else {
        return Either::Right(view! { <NotFound /> });
    };
    Either::Left(view! {
        <Title text=format!("Signaler {}", subject.label()) />
        <Meta name="robots" content="noindex, nofollow" />
        <SignedIn children=move |_| view! { <ReportForm subject target=target.clone() /> } />
    })
}

#[component]
fn ReportForm(subject: ReportSubject, target: String) -> impl IntoView {
    let report = ServerAction::<Report>::new();
    let error = last_error(report);
    let chosen = move || {
        error
            .get()
            .and_then(|error| error.kept_value("reason").map(str::to_owned))
    };
    let reason_error = move || {
        error
            .get()
            .filter(|error| error.field() == Some("reason"))
            .map(|error| error.to_string())
    };
    let reasons = ReportReason::ALL
        .into_iter()
        .map(|reason| {
            view! {
                <label class="choice">
                    <input type="radio" name="reason" value=reason.as_str() required=true
                        checked=move || chosen().as_deref() == Some(reason.as_str()) />
                    <span>{reason.label()}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <section class="card narrow">
            <h1>{format!("Signaler {}", subject.label())}</h1>
            <p>
                "Votre signalement est lu par l'équipe de modération du site, qui peut masquer un profil ou suspendre un compte. La personne signalée ne sait pas qui l'a signalée."
            </p>
            <ActionForm action=report>
                <FormError error />
                <input type="hidden" name="subject" value=subject.as_str() />
                <input type="hidden" name="target" value=target />
                <fieldset class="reason-choice" aria-invalid=move || reason_error().map(|_| "true")>
                    <legend>"Pour quelle raison ?"</legend>
                    {reasons}
                    {move || reason_error().map(|message| view! { <p class="field-error">{message}</p> })}
                </fieldset>
                <Field label="Expliquez, si vous le souhaitez" name="details" rows=5 keep=true
                    maxlength=DETAILS_MAX_CHARS error
                    hint="Ce qui s'est passé, ce qui vous inquiète : tout ce qui aide à comprendre." />
                <SubmitButton label="Envoyer le signalement" working="Envoi…" pending=report.pending() />
            </ActionForm>
        </section>
    }
}

/// `/signaler/merci`: the acknowledgement. What comes of a report is never told.
#[component]
pub fn ReportSentPage() -> impl IntoView {
    view! {
        <Title text="Signalement envoyé" />
        <Meta name="robots" content="noindex, nofollow" />
        <section class="card narrow" role="status">
            <h1>"Merci, votre signalement est bien arrivé"</h1>
            <p>
                "L'équipe de modération va l'examiner. Pour protéger chacun, elle ne communique pas la suite qu'elle donne à un signalement."
            </p>
            <p>
                "Si vous ne souhaitez plus d'échange avec cette personne, vous pouvez aussi la bloquer depuis la conversation ou la page de l'artiste."
            </p>
            <A href=MESSAGES attr:class="button">"Retour aux messages"</A>
        </section>
    }
}
