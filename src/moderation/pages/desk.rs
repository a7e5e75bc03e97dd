//! `/moderation`: the open cases with what was reported and a form to act on each, and the
//! audit log; `/moderation/hotes/{id}`: a host's details, each visit logged. Anyone but a
//! moderator, signed in or not, gets the same 404 as for an address that does not exist.

use crate::{
    auth::model::Role,
    moderation::{
        api::{Moderate, RestoreAccount, moderation_desk, moderation_host},
        model::{
            ACTION_REASON_MAX_CHARS, AccountRef, AuditEntry, CaseContext, ModerationAction,
            ModerationCase, ReportSubject, RestrictedAccount,
        },
    },
    paths::{MODERATION, artist_path, moderation_host_path},
    ui::{
        forms::{Field, FormError, SubmitButton, last_error},
        loading::{Loading, by_route_id},
        not_found::NotFound,
        time::full_date_and_time,
    },
};
use leptos::{either::Either, prelude::*};
use leptos_meta::{Meta, Title};

#[component]
pub fn ModerationPage() -> impl IntoView {
    view! {
        <Meta name="robots" content="noindex, nofollow" />
        <Desk />
    }
}

#[component]
fn Desk() -> impl IntoView {
    let desk = Resource::new(|| (), |_| moderation_desk());
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match desk.await {
                    Ok(desk) => Either::Left(view! {
                        <Title text="Modération" />
                        <section class="page-heading">
                            <h1>"Modération"</h1>
                            <p>{match desk.cases.len() {
                                0 => "Aucun signalement en attente.".to_owned(),
                                1 => "1 signalement en attente, le plus ancien d'abord.".to_owned(),
                                count => format!("{count} signalements en attente, les plus anciens d'abord."),
                            }}</p>
                        </section>
                        {desk.cases.into_iter().map(|case| view! { <CaseCard case /> }).collect_view()}
                        <Restricted accounts=desk.restricted />
                        <AuditLog entries=desk.audit_log />
                    }),
                    Err(_) => Either::Right(view! { <NotFound /> }),
                }
            })}
        </Suspense>
    }
}

/// An account named in a case; a host's details only behind a link whose visit is logged.
#[component]
fn Account(account: AccountRef) -> impl IntoView {
    let details = (account.role == Role::Host).then(|| {
        view! {
            " "
            <a href=moderation_host_path(account.id)>"(coordonnées : consultation inscrite au journal)"</a>
        }
    });
    view! {
        <strong>{account.name}</strong>
        {format!(" · {} n° {}", account.role.label(), account.id)}
        {details}
    }
}

#[component]
fn CaseCard(case: ModerationCase) -> impl IntoView {
    let action = ServerAction::<Moderate>::new();
    let case_id = case.id.to_string();
    // Every case's form posts to the same action: a refusal belongs to the case it named.
    let error = {
        let all = last_error(action);
        let case_id = case_id.clone();
        Signal::derive(move || {
            all.get()
                .filter(|error| error.kept_value("case") == Some(case_id.as_str()))
        })
    };
    let subject = match case.subject {
        ReportSubject::Message => "Message",
        ReportSubject::Conversation => "Conversation",
        ReportSubject::Profile => "Profil d'artiste",
    };
    view! {
        <article class="card case" id=format!("cas-{}", case.id)>
            <h2>{format!("Signalement n° {} · {}", case.id, case.reason.label())}</h2>
            <dl class="facts">
                <dt>"Objet"</dt>
                <dd>{format!("{subject} n° {}", case.subject_id)}</dd>
                <dt>"Signalé"</dt>
                <dd><Account account=case.reported /></dd>
                <dt>"Par"</dt>
                <dd>{match (case.reporter, case.automatic) {
                    (Some(reporter), _) => Either::Left(view! { <Account account=reporter /> }),
                    (None, automatic) => Either::Right(format!(
                        "Signalement automatique : {}",
                        automatic.unwrap_or_default()
                    )),
                }}</dd>
                <dt>"Reçu le"</dt>
                <dd>{full_date_and_time(case.opened_at)}</dd>
            </dl>
            {(!case.details.is_empty()).then(|| view! {
                <blockquote class="prose">{case.details}</blockquote>
            })}
            <Context context=case.context />
            <ActionForm action attr:class="case-action">
                <FormError error />
                <input type="hidden" name="case" value=case_id />
                <fieldset>
                    <legend>"Décision"</legend>
                    {ModerationAction::ON_A_CASE.into_iter().map(|choice| {
                        let checked = move || {
                            let kept = error.get().and_then(|error| error.kept_value("action").map(str::to_owned));
                            kept.as_deref().unwrap_or(ModerationAction::Dismiss.as_str()) == choice.as_str()
                        };
                        view! {
                            <label class="choice">
                                <input type="radio" name="action" value=choice.as_str() checked=checked />
                                <span>{choice.choice()}</span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <Field label="Raison (inscrite au journal)" name="reason" rows=2 required=true keep=true
                    id_suffix=format!("cas-{}", case.id)
                    maxlength=ACTION_REASON_MAX_CHARS error />
                <SubmitButton label="Appliquer" working="Application…" pending=action.pending() />
            </ActionForm>
        </article>
    }
}

/// The accounts under a measure, each with the form that lifts it.
#[component]
fn Restricted(accounts: Vec<RestrictedAccount>) -> impl IntoView {
    let action = ServerAction::<RestoreAccount>::new();
    let all = last_error(action);
    view! {
        <section class="card" id="mesures">
            <h2>"Comptes suspendus ou profils masqués"</h2>
            {if accounts.is_empty() {
                Either::Left(view! { <p>"Aucun."</p> })
            } else {
                Either::Right(view! {
                    <ul class="restricted">
                        {accounts.into_iter().map(|restricted| {
                            let id = restricted.account.id.to_string();
                            let id_suffix = format!("compte-{id}");
                            let error = {
                                let id = id.clone();
                                Signal::derive(move || all.get().filter(|error| error.kept_value("account") == Some(id.as_str())))
                            };
                            let measures = [
                                restricted.suspended_at.map(|at| format!("suspendu le {}", full_date_and_time(at))),
                                restricted.hidden_at.map(|at| format!("profil masqué le {}", full_date_and_time(at))),
                            ].into_iter().flatten().collect::<Vec<_>>().join(", ");
                            view! {
                                <li>
                                    <p><Account account=restricted.account /> {format!(" · {measures}")}</p>
                                    <ActionForm action attr:class="case-action">
                                        <FormError error />
                                        <input type="hidden" name="account" value=id />
                                        <Field label="Raison du rétablissement (inscrite au journal)" name="reason" rows=2
                                            id_suffix
                                            required=true keep=true maxlength=ACTION_REASON_MAX_CHARS error />
                                        <SubmitButton label="Rétablir" working="Rétablissement…" pending=action.pending() />
                                    </ActionForm>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })
            }}
        </section>
    }
}

/// What was reported, as it was then.
#[component]
fn Context(context: CaseContext) -> impl IntoView {
    let profile = context.profile.map(|profile| {
        view! {
            <div class="case-profile">
                <h3>
                    "Profil au moment du signalement : "
                    <a href=artist_path(&profile.slug)>{profile.stage_name}</a>
                </h3>
                <p class="prose">{profile.presentation}</p>
                <p class="prose">{profile.music_description}</p>
            </div>
        }
    });
    let messages = (!context.messages.is_empty()).then(|| {
        view! {
            <h3>"Messages"</h3>
            <ol class="case-messages">
                {context.messages.into_iter().map(|message| view! {
                    <li class:reported=message.reported>
                        <p class="meta">
                            {format!("{} · {}", message.author.name, full_date_and_time(message.sent_at))}
                            {message.reported.then_some(" · message signalé")}
                        </p>
                        <p class="prose">{message.body}</p>
                    </li>
                }).collect_view()}
            </ol>
        }
    });
    view! { {profile} {messages} }
}

#[component]
fn AuditLog(entries: Vec<AuditEntry>) -> impl IntoView {
    view! {
        <section class="card" id="journal">
            <h2>"Journal"</h2>
            {if entries.is_empty() {
                Either::Left(view! { <p>"Rien encore."</p> })
            } else {
                Either::Right(view! {
                    <ol class="audit-log">
                        {entries.into_iter().map(|entry| view! {
                            <li>
                                <p class="meta">
                                    {format!("{} · {} · {}", full_date_and_time(entry.at), entry.moderator.name, entry.action.label())}
                                    {entry.case_id.map(|case| format!(" · signalement n° {case}"))}
                                    {entry.account.map(|account| format!(" · {} n° {}", account.role.label(), account.id))}
                                </p>
                                {(!entry.reason.is_empty()).then(|| view! { <p class="prose">{entry.reason}</p> })}
                            </li>
                        }).collect_view()}
                    </ol>
                })
            }}
        </section>
    }
}

/// `/moderation/hotes/{id}`: the host's confidential details; the visit is in the journal.
#[component]
pub fn ModerationHostPage() -> impl IntoView {
    view! {
        <Meta name="robots" content="noindex, nofollow" />
        <HostDetailsCard />
    }
}

#[component]
fn HostDetailsCard() -> impl IntoView {
    let details = by_route_id(moderation_host);
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match details.await {
                    Ok(host) => Either::Left(view! {
                        <Title text=format!("Hôte n° {}", host.id) />
                        <article class="card">
                            <h1>{format!("Hôte n° {}", host.id)}</h1>
                            <p class="notice">"Cette consultation est inscrite au journal de modération."</p>
                            <dl class="facts">
                                <dt>"Adresse e-mail"</dt>
                                <dd>{host.email}</dd>
                                <dt>"Inscrit le"</dt>
                                <dd>{full_date_and_time(host.signed_up_at)}</dd>
                                <dt>"Nom"</dt>
                                <dd>{host.profile.as_ref().map(|profile| profile.name.clone()).unwrap_or_else(|| "Pas encore de profil".to_owned())}</dd>
                                <dt>"Lieu"</dt>
                                <dd>{host.profile.as_ref().and_then(|profile| profile.city.as_ref()).map(|city| city.label())}</dd>
                            </dl>
                            {host.profile.map(|profile| view! { <p class="prose">{profile.description}</p> })}
                            <a href=MODERATION class="button secondary">"Retour à la modération"</a>
                        </article>
                    }),
                    Err(_) => Either::Right(view! { <NotFound /> }),
                }
            })}
        </Suspense>
    }
}
