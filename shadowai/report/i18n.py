"""Every user-facing string of the report, in one place, and locale-aware formatting."""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, parse_pattern

#: Report language -> CLDR locale used by Babel for numbers, percentages and dates.
LOCALES = {"fr": "fr_FR", "en": "en_US"}

STRINGS: dict[str, dict[str, str]] = {
    "title": {"fr": "Usage de l'IA générative publique", "en": "Public generative-AI usage"},
    "subtitle": {"fr": "Rapport mensuel pseudonymisé", "en": "Monthly pseudonymised report"},
    "headline": {"fr": "L'essentiel", "en": "At a glance"},
    "ai_requests": {"fr": "Requêtes vers l'IA", "en": "AI requests"},
    "ai_people": {"fr": "Personnes utilisatrices", "en": "People using AI"},
    "share_of_active": {"fr": "Part des personnes actives", "en": "Share of active people"},
    "share_of_headcount": {"fr": "Part de l'effectif", "en": "Share of headcount"},
    "blocked_requests": {"fr": "Requêtes bloquées", "en": "Blocked requests"},
    "active_people": {"fr": "Personnes actives sur le réseau", "en": "People active online"},
    "services": {"fr": "Services", "en": "Services"},
    "service": {"fr": "Service", "en": "Service"},
    "vendor": {"fr": "Éditeur", "en": "Vendor"},
    "category": {"fr": "Catégorie", "en": "Category"},
    "categories": {"fr": "Catégories", "en": "Categories"},
    "jurisdiction": {"fr": "Juridiction de l'éditeur", "en": "Vendor jurisdiction"},
    "jurisdictions": {"fr": "Juridiction des éditeurs", "en": "Vendor jurisdictions"},
    "requests": {"fr": "Requêtes", "en": "Requests"},
    "people": {"fr": "Personnes", "en": "People"},
    "blocked": {"fr": "Bloquées", "en": "Blocked"},
    "bytes_down": {"fr": "Volume reçu", "en": "Data received"},
    "departments": {"fr": "Directions", "en": "Departments"},
    "department": {"fr": "Direction", "en": "Department"},
    "headcount": {"fr": "Effectif", "en": "Headcount"},
    "adoption_rate": {"fr": "Taux d'adoption", "en": "Adoption rate"},
    "top_services": {"fr": "Services principaux", "en": "Top services"},
    "other_departments": {"fr": "Autres directions", "en": "Other departments"},
    "unassigned": {"fr": "Non affecté", "en": "Unassigned"},
    "daily": {"fr": "Activité par jour", "en": "Activity per day"},
    "day": {"fr": "Jour", "en": "Day"},
    "quality": {"fr": "Qualité des données", "en": "Data quality"},
    "files": {"fr": "Fichiers", "en": "Files"},
    "file": {"fr": "Fichier", "en": "File"},
    "open_banner": {
        "fr": "Mois ouvert : jusqu'à sa clôture ({when}), l'exploitant qui détient le "
              "trousseau de clés et la liste des identifiants peut relier les pseudonymes de "
              "ce mois à des personnes. Après la clôture, plus personne ne le peut.",
        "en": "Month open: until it is closed ({when}), the operator holding the key ring "
              "and the list of logins can link this month's pseudonyms to people. After the "
              "close, nobody can."},
    "open_until": {"fr": "automatiquement à partir du {date}",
                   "en": "automatically from {date}"},
    "open_manual": {"fr": "par « shadowai close », pas de clôture automatique",
                    "en": "by 'shadowai close': no automatic close"},
    "closed_banner": {
        "fr": "Mois clos le {date} : sa clé a été détruite et ses lignes par personne "
              "supprimées. Ces chiffres viennent du résumé anonymisé gardé à la clôture ; "
              "plus personne, l'exploitant compris, ne peut les relier à une personne.",
        "en": "Month closed on {date}: its key was destroyed and its per-person rows deleted. "
              "These figures come from the anonymised summary kept at the close; nobody, the "
              "operator included, can link them to a person any more."},
    "skipped_files": {"fr": "Fichiers écartés au dernier passage (pas des journaux)",
                      "en": "Files skipped at the last ingest (not logs)"},
    "format": {"fr": "Format", "en": "Format"},
    "unit": {"fr": "Unité de comptage", "en": "Counting unit"},
    "lines": {"fr": "Lignes", "en": "Lines"},
    "parsed": {"fr": "Lues", "en": "Parsed"},
    "rejected": {"fr": "Rejetées", "en": "Rejected"},
    "not_usage": {"fr": "Hors usage", "en": "Not usage"},
    "reason": {"fr": "Motif", "en": "Reason"},
    "kind": {"fr": "Type", "en": "Kind"},
    "not_event": {"fr": "Hors événement", "en": "Not an event"},
    "attribution": {"fr": "Attribution par le DNS", "en": "Attribution from DNS"},
    "days_with_data": {"fr": "Jours couverts", "en": "Days covered"},
    "missing_days": {"fr": "Jours sans données", "en": "Days without data"},
    "none": {"fr": "aucun", "en": "none"},
    "candidates": {"fr": "Domaines à examiner pour le catalogue",
                   "en": "Hosts to review for the catalog"},
    "candidates_help": {
        "fr": "Noms d'hôtes qui ressemblent à des services d'IA mais ne sont pas au catalogue "
              "(nombre de requêtes seulement, aucune personne associée).",
        "en": "Host names that look like AI services but are not in the catalog (request "
              "counts only, nobody attached)."},
    "host": {"fr": "Hôte", "en": "Host"},
    "methodology": {"fr": "Méthode et confidentialité", "en": "Method and privacy"},
    "below_k": {"fr": "< {k}", "en": "< {k}"},
    "no_data": {"fr": "Aucune donnée pour ce mois.", "en": "No data for this month."},
    "table_view": {"fr": "Tableau des valeurs", "en": "Table of values"},
    "generated_by": {"fr": "Produit par", "en": "Generated by"},
    "catalog_version": {"fr": "Version du catalogue", "en": "Catalog version"},
    "timezone": {"fr": "Fuseau horaire", "en": "Time zone"},
    "method_counting": {
        "fr": "Une ligne de journal compte pour une requête. Une requête est un usage de l'IA "
              "quand son hôte de destination figure au catalogue des services d'IA générative "
              "publics (correspondance sur le suffixe le plus long, en respectant les limites "
              "de labels DNS). Les défis d'authentification du proxy (HTTP 407 sans "
              "utilisateur) et les lignes sans hôte de destination ne sont pas des usages : "
              "ils sont comptés dans la qualité des données. Une requête refusée par le proxy "
              "(TCP_DENIED ou 403) compte comme usage et comme requête bloquée. Les jours et "
              "le mois sont ceux du fuseau {tz}.",
        "en": "One log line counts as one request. A request is AI usage when its destination "
              "host is in the catalog of public generative-AI services (longest suffix match "
              "on DNS label boundaries). Proxy authentication challenges (HTTP 407 without a "
              "user) and lines without a destination host are not usage: they are counted in "
              "the data-quality section. A request the proxy refused (TCP_DENIED or 403) "
              "counts as usage and as blocked. Days and the month are those of the {tz} "
              "time zone."},
    "method_people": {
        "fr": "Une personne est un identifiant d'authentification (casse et domaine "
              "normalisés). Une adresse IP cliente sans nom d'utilisateur (serveur, poste "
              "partagé, site sans authentification) n'est pas une personne : quand plus de la "
              "moitié des lignes du mois (source de référence) portent un nom d'utilisateur, "
              "ces adresses sont comptées à part et n'entrent dans aucun chiffre de personnes ; "
              "sinon (pare-feu sans identification des utilisateurs, DNS), chaque adresse "
              "compte pour une personne, et le rapport le dit. La direction vient de l'annuaire "
              "des utilisateurs, sinon du plan d'adressage, sinon elle est « non affectée ».",
        "en": "A person is an authenticated user name (case and domain normalised). A client "
              "IP address without a user name (a server, a shared machine, a site without "
              "authentication) is not a person: when more than half of the month's lines "
              "(source of record) carry a user name, such addresses are counted apart and are "
              "in no count of people; otherwise (firewalls without user identification, DNS) "
              "each address counts as one person, and the report says so. The department comes "
              "from the user directory, else from the network plan, else it is "
              "\"unassigned\"."},
    "method_rule_apart": {
        "fr": "Ce mois-ci : {share} des lignes portent un nom d'utilisateur ; les adresses "
              "sans utilisateur sont comptées à part.",
        "en": "This month: {share} of the lines carry a user name; addresses without a user "
              "are counted apart."},
    "method_rule_addresses": {
        "fr": "Ce mois-ci : {share} des lignes portent un nom d'utilisateur ; chaque adresse "
              "cliente compte pour une personne.",
        "en": "This month: {share} of the lines carry a user name; each client address counts "
              "as one person."},
    "method_privacy": {
        "fr": "Aucun nom d'utilisateur ni adresse IP n'est conservé : chaque personne devient "
              "un pseudonyme calculé avec une clé secrète (HMAC-SHA256), qui change chaque "
              "mois, si bien que deux mois ne peuvent pas être reliés. Ce rapport ne désigne "
              "personne et ne permet aucun retour à une personne. Tout chiffre par direction "
              "porte sur au moins {k} personnes : les directions plus petites sont regroupées "
              "dans « Autres directions », complétées si besoin pour qu'aucun chiffre masqué ne "
              "puisse être retrouvé par soustraction. Un jour, un service ou une catégorie "
              "utilisé par moins de {k} personnes n'affiche aucun autre chiffre (épisodes, "
              "requêtes : « < {k} ») ; d'autres lignes sont masquées avec lui quand le total "
              "moins les lignes affichées donnerait un nombre inférieur à {k}. Une direction "
              "où moins de {k} agents n'ont pas utilisé l'IA n'affiche ni taux d'adoption, "
              "ni effectif, ni services les plus utilisés : ils diraient que chacun de ses "
              "agents l'a utilisée.",
        "en": "No user name or IP address is kept: each person becomes a pseudonym computed "
              "with a secret key (HMAC-SHA256) that changes every month, so two months cannot "
              "be linked. This report names nobody and cannot be traced back to a person. "
              "Every per-department figure covers at least {k} people: smaller departments "
              "are grouped into \"Other departments\", completed when needed so that no "
              "hidden figure can be recovered by subtraction. A day, service or category used "
              "by fewer than {k} people shows no other figure either (episodes, requests: "
              "\"< {k}\"); other rows are hidden with it when the total minus the rows shown "
              "would give a number below {k}. A department where fewer than {k} staff did "
              "not use AI shows no adoption rate, headcount or top services: they would say "
              "that each of its staff used it."},
    "method_purpose": {
        "fr": "Objectif : accompagner plutôt que contrôler. Ces mesures servent à former les "
              "agents et à proposer des outils approuvés, jamais à sanctionner.",
        "en": "Purpose: support rather than control. These figures are used to train people "
              "and offer approved tools, never to sanction."},
}

STRINGS.update({
    "summary": {"fr": "Synthèse pour la direction", "en": "Management summary"},
    "ai_episodes": {"fr": "Épisodes d'usage", "en": "Usage episodes"},
    "episodes": {"fr": "Épisodes", "en": "Episodes"},
    "eu_share": {"fr": "Part vers des services FR/UE", "en": "Share to FR/EU services"},
    "vs_previous": {"fr": "par rapport à {month}", "en": "compared with {month}"},
    "new_services": {"fr": "Nouveaux services ce mois-ci", "en": "New services this month"},
    "training": {"fr": "Besoins de formation", "en": "Training needs"},
    "training_places": {"fr": "Places suggérées", "en": "Suggested places"},
    "training_sessions": {"fr": "Sessions", "en": "Sessions"},
    "categories_used": {"fr": "Usages (catégories)", "en": "Uses (categories)"},
    "training_rule": {
        "fr": "Règle : {users} des personnes qui utilisent déjà l'IA générative publique, plus "
              "{others} du reste de l'effectif, en sessions de {group} personnes. Elle se "
              "règle dans la section [training] de la configuration.",
        "en": "Rule: {users} of the people already using public generative AI, plus {others} "
              "of the rest of the headcount, in sessions of {group} people. It is set in the "
              "[training] section of the configuration."},
    "training_total": {"fr": "Total : {places} places, {sessions} sessions.",
                       "en": "Total: {places} places, {sessions} sessions."},
    "s_people": {
        "fr": "{people} personnes ont utilisé au moins un service d'IA générative public en "
              "{month}, soit {share} de l'effectif.",
        "en": "{people} people used at least one public generative-AI service in {month}, "
              "{share} of the headcount."},
    "s_people_nohead": {
        "fr": "{people} personnes ont utilisé au moins un service d'IA générative public en "
              "{month}, soit {share} des personnes actives sur le réseau.",
        "en": "{people} people used at least one public generative-AI service in {month}, "
              "{share} of the people active online."},
    "s_people_few": {
        "fr": "Moins de {k} personnes ont utilisé un service d'IA générative public en {month}.",
        "en": "Fewer than {k} people used a public generative-AI service in {month}."},
    "s_addresses_apart": {
        "fr": "S'y ajoutent {ai} adresses sans utilisateur authentifié (serveurs, postes "
              "partagés, sites sans authentification) qui ont utilisé un tel service "
              "({requests} requêtes) : elles sont comptées à part, car une adresse n'est pas une "
              "personne (un poste partagé sert à plusieurs, un serveur à personne).",
        "en": "In addition, {ai} addresses without an authenticated user (servers, shared "
              "machines, sites without authentication) used such a service ({requests} "
              "requests): they are counted apart, since an address is not a person (a shared "
              "machine serves several, a server nobody)."},
    "s_addresses_unit": {
        "fr": "Les journaux de ce mois ne portent un nom d'utilisateur que sur {share} des "
              "lignes : chaque adresse cliente y compte pour une personne (une personne qui "
              "change de poste compte plusieurs fois, un poste partagé une seule).",
        "en": "This month's logs carry a user name on only {share} of the lines: each client "
              "address counts as one person (someone who changes machines counts several "
              "times, a shared machine once)."},
    "s_addresses_unit_none": {
        "fr": "Les journaux de ce mois ne portent pas de nom d'utilisateur : chaque adresse "
              "cliente y compte pour une personne (une personne qui change de poste compte "
              "plusieurs fois, un poste partagé une seule).",
        "en": "This month's logs carry no user name: each client address counts as one "
              "person (someone who changes machines counts several times, a shared machine "
              "once)."},
    "s_change_up": {"fr": "C'est {delta} de plus qu'en {month} ({before}).",
                    "en": "That is {delta} more than in {month} ({before})."},
    "s_change_down": {"fr": "C'est {delta} de moins qu'en {month} ({before}).",
                      "en": "That is {delta} fewer than in {month} ({before})."},
    "s_change_same": {"fr": "C'est autant qu'en {month}.", "en": "That is as many as in {month}."},
    "s_episodes": {
        "fr": "{episodes} épisodes d'usage ({requests} requêtes). Service le plus utilisé : "
              "{top} ({top_people} personnes).",
        "en": "{episodes} usage episodes ({requests} requests). Most used service: {top} "
              "({top_people} people)."},
    "s_eu": {"fr": "{share} des épisodes vont vers des services d'éditeurs français ou "
                   "européens.",
             "en": "{share} of the episodes go to services of French or European vendors."},
    "s_blocked": {"fr": "{blocked} requêtes ont été bloquées par le proxy ({services}).",
                  "en": "{blocked} requests were blocked by the proxy ({services})."},
    "s_blocked_none": {"fr": "Aucune requête vers l'IA n'a été bloquée par le proxy.",
                       "en": "No AI request was blocked by the proxy."},
    "s_new": {"fr": "Nouveaux services observés : {services}.",
              "en": "New services seen: {services}."},
    "s_quality": {"fr": "Données : {days} jours sur {total} couverts, {rejected} lignes "
                        "rejetées sur {lines}.",
                  "en": "Data: {days} of {total} days covered, {rejected} of {lines} lines "
                        "rejected."},
    "s_missing": {"fr": "Attention, jours sans données : {days}. Les chiffres du mois sont "
                        "sous-estimés d'autant.",
                  "en": "Note, days without data: {days}. The month's figures are "
                        "underestimated accordingly."},
    "s_training": {"fr": "Besoin de formation estimé : {places} places ({sessions} sessions).",
                   "en": "Estimated training need: {places} places ({sessions} sessions)."},
    "method_episodes": {
        "fr": "Un épisode d'usage regroupe les requêtes d'une personne vers un même service "
              "séparées de moins de {gap} minutes : c'est l'unité que les appels automatiques "
              "et les ressources d'une page ne gonflent pas. Les personnes et les épisodes "
              "sont les chiffres principaux ; les requêtes sont un détail.",
        "en": "A usage episode groups a person's requests to one service separated by less "
              "than {gap} minutes: the unit that background calls and page assets do not "
              "inflate. People and episodes are the main figures; requests are a detail."},
})

STRINGS.update({
    "trend_title": {"fr": "Évolution de l'usage de l'IA générative publique",
                    "en": "Public generative-AI usage over time"},
    "trend_subtitle": {"fr": "Rapport de tendance pseudonymisé, {start} à {end}",
                       "en": "Pseudonymised trend report, {start} to {end}"},
    "month": {"fr": "Mois", "en": "Month"},
    "flags": {"fr": "Points d'attention", "en": "Caveats"},
    "flag_catalog_changed": {"fr": "catalogue modifié", "en": "catalog changed"},
    "flag_counting_changed": {"fr": "adresses sans utilisateur comptées autrement",
                              "en": "addresses without a user counted differently"},
    "flag_low_coverage": {"fr": "données incomplètes", "en": "incomplete data"},
    "flag_no_data": {"fr": "aucune donnée (mois absent, pas zéro)",
                     "en": "no data (missing month, not zero)"},
    "flag_sources_changed": {"fr": "sources différentes", "en": "different sources"},
    "flag_files_changed": {"fr": "nombre de fichiers très différent",
                           "en": "very different number of files"},
    "flag_departments_changed": {"fr": "directions renommées, scindées ou fusionnées",
                                 "en": "departments renamed, split or merged"},
    "flags_help": {
        "fr": "Un mois signalé ne se compare pas directement au précédent : une hausse peut "
              "venir d'un nouveau service ajouté au catalogue, une baisse d'une semaine de "
              "journaux manquante, plutôt que d'un changement d'usage.",
        "en": "A flagged month does not compare directly with the previous one: a rise may "
              "come from a service added to the catalog, a fall from a missing week of logs, "
              "rather than from a change in behaviour."},
    "people_per_month": {"fr": "Personnes utilisatrices par mois",
                         "en": "People using AI per month"},
    "episodes_per_month": {"fr": "Épisodes d'usage par mois", "en": "Usage episodes per month"},
    "people_by": {"fr": "Personnes par mois", "en": "People per month"},
    "episodes_by": {"fr": "Épisodes par mois", "en": "Episodes per month"},
    "sanctioned_share": {"fr": "Part vers les outils approuvés",
                         "en": "Share to approved tools"},
    "trend_privacy": {
        "fr": "Chaque mois est calculé avec ses propres pseudonymes : une même personne ne peut "
              "pas être suivie d'un mois à l'autre. Les chiffres masqués (moins de {k} "
              "personnes) le restent.",
        "en": "Each month uses its own pseudonyms: nobody can be followed from one month to "
              "the next. Hidden figures (fewer than {k} people) stay hidden."},
})

STRINGS.update({
    "points": {"fr": "points", "en": "points"},
    "sources": {"fr": "Sources et unités de comptage", "en": "Sources and counting units"},
    "source_of_record": {"fr": "source de référence", "en": "source of record"},
    "sources_help": {
        "fr": "Les chiffres du rapport viennent des fichiers de l'unité « {unit} ». Les autres "
              "sources comptent autre chose (sessions, requêtes DNS…) : elles sont montrées à "
              "part et jamais additionnées.",
        "en": "The report's figures come from the files of the \"{unit}\" unit. Other sources "
              "count something else (sessions, DNS lookups…): they are shown apart and never "
              "added."},
})

STRINGS.update({
    "sanctioned_vs_shadow": {"fr": "Outils approuvés et usage hors cadre",
                             "en": "Approved tools and shadow use"},
    "approved_tools": {"fr": "Outils approuvés", "en": "Approved tools"},
    "shadow_use": {"fr": "Services publics non approuvés", "en": "Unapproved public services"},
    "approved_mark": {"fr": "approuvé", "en": "approved"},
    "no_sanctioned": {
        "fr": "Aucun outil approuvé n'est déclaré : ajoutez-les dans la section [catalog] "
              "(sanctioned = [...]) de la configuration pour suivre leur adoption.",
        "en": "No approved tool is declared: list them in the [catalog] section "
              "(sanctioned = [...]) of the configuration to follow their adoption."},
    "s_sanctioned": {"fr": "{share} des épisodes vont vers les outils approuvés ({tools}).",
                     "en": "{share} of the episodes go to the approved tools ({tools})."},
})

# Risk block (shadowai/report/templates/_risk.html).
STRINGS.update({
    "risk": {"fr": "Risques des services utilisés", "en": "Risk of the services used"},
    "risk_intro": {
        "fr": "Part des épisodes hors outils validés allant vers des services qui "
              "entraînent leurs modèles sur les saisies par défaut : {trains} (inconnu : "
              "{trains_unknown}) ; sans offre d'hébergement dans l'UE : {no_eu} (inconnu : "
              "{eu_unknown}) ; soumis à une loi extraterritoriale : {laws}. Profil de risque "
              "connu pour {profiled} des épisodes.",
        "en": "Share of episodes outside approved tools going to services that train on "
              "inputs by default: {trains} (unknown: {trains_unknown}); with no EU "
              "data-residency offer: {no_eu} (unknown: {eu_unknown}); under an "
              "extraterritorial law: {laws}. Risk profile known for {profiled} of the "
              "episodes."},
    "risk_service": {"fr": "Service", "en": "Service"},
    "risk_trains": {"fr": "Entraîne sur les saisies", "en": "Trains on inputs"},
    "risk_opt_out": {"fr": "Refus possible", "en": "Opt-out"},
    "risk_eu": {"fr": "Offre UE", "en": "EU offer"},
    "risk_dpa": {"fr": "Contrat DPA", "en": "DPA"},
    "risk_secnumcloud": {"fr": "SecNumCloud", "en": "SecNumCloud"},
    "risk_laws": {"fr": "Lois extraterritoriales", "en": "Extraterritorial laws"},
    "risk_alternative": {"fr": "— outil validé : {names}", "en": "— approved tool: {names}"},
    "risk_yes": {"fr": "oui", "en": "yes"},
    "risk_no": {"fr": "non", "en": "no"},
    "risk_unknown": {"fr": "inconnu", "en": "unknown"},
    "catalog_age": {"fr": "Catalogue publié le {released} ({days} jours).",
                    "en": "Catalog released on {released} ({days} days ago)."},
    "catalog_stale": {
        "fr": "Le catalogue a plus de {max} jours : des services récents peuvent manquer. "
              "Importez une version à jour (shadowai domains import).",
        "en": "The catalog is more than {max} days old: recent services may be missing. "
              "Import a current release (shadowai domains import)."},
})


STRINGS.update({
    "page": {"fr": "Page", "en": "Page"},
    "trend_table": {"fr": "Mois par mois", "en": "Month by month"},
    "generated_on": {"fr": "produit le {date}", "en": "generated on {date}"},
    "people_short": {"fr": "pers.", "en": "people"},
    "no_previous_value": {"fr": "pas de chiffre le mois précédent",
                          "en": "no figure the month before"},
    "sanctioned_share_card": {"fr": "Part des épisodes vers les outils approuvés",
                              "en": "Share of episodes to approved tools"},
    "no_sanctioned_short": {"fr": "aucun outil approuvé déclaré",
                            "en": "no approved tool declared"},
    "adoption_by_department": {"fr": "Adoption par direction", "en": "Adoption by department"},
    "adoption_caption": {
        "fr": "Part de l'effectif de chaque direction qui a utilisé un service d'IA générative "
              "public, et nombre de personnes (groupes de moins de {k} personnes regroupés).",
        "en": "Share of each department's headcount that used a public generative-AI service, "
              "and number of people (groups under {k} people folded)."},
    "what_to_do": {"fr": "Que faire", "en": "What to do"},
    "train_first": {"fr": "Former en priorité", "en": "Train first"},
    "see_training": {"fr": "Les {n} directions sont détaillées dans « Besoins de formation ».",
                     "en": "All {n} departments are listed under \"Training needs\"."},
    "offer_alternatives": {"fr": "Proposer un outil approuvé par usage",
                           "en": "Offer an approved tool per use"},
    "use": {"fr": "Usage", "en": "Use"},
    "alternative": {"fr": "Outil à proposer", "en": "Tool to offer"},
    "no_alternative": {"fr": "aucun outil désigné", "en": "none designated"},
    "to_equip": {"fr": "À équiper", "en": "To equip"},
    "without_alternative": {"fr": "Sans outil désigné :", "en": "No tool designated:"},
    "alternatives_help": {
        "fr": "À équiper : personnes qui ont utilisé un autre service pour cet usage ce "
              "mois-ci, soit les licences ou accès à prévoir. L'outil se désigne dans "
              "[catalog] alternatives de la configuration.",
        "en": "To equip: people who used another service for this use this month, i.e. the "
              "licences or accounts to plan. The tool is set in [catalog] alternatives of "
              "the configuration."},
    "coverage_banner": {
        "fr": "Mois incomplet : {missing} jour(s) sans données sur {days} ({list}). Les "
              "chiffres couvrent {share} du mois et sont sous-estimés d'autant.",
        "en": "Incomplete month: {missing} day(s) without data out of {days} ({list}). The "
              "figures cover {share} of the month and are underestimated accordingly."},
    "split_banner": {
        "fr": "Épisodes comptés fichier par fichier : {days} journées personne-service ont été "
              "lues dans plusieurs fichiers (proxys derrière un répartiteur de charge, journal "
              "tourné pendant une session). Jusqu'à {excess} épisodes ({share} du total) "
              "peuvent être comptés deux fois.",
        "en": "Episodes counted file by file: {days} person-days on a service were read from "
              "several files (proxies behind a load balancer, a log rotated during a "
              "session). Up to {excess} episodes ({share} of the total) may be counted "
              "twice."},
    "split_exact": {"fr": "Personnes et requêtes sont exactes.",
                    "en": "People and requests are exact."},
    "split_mirrored": {
        "fr": "Dans {mirrored} de ces journées, chaque fichier contient autant de requêtes : "
              "les mêmes lignes ont peut-être été enregistrées deux fois (une copie aux fins "
              "de ligne différentes ou privée de ses premières lignes est un autre fichier "
              "pour shadowai). Requêtes et épisodes seraient alors comptés deux fois.",
        "en": "In {mirrored} of these days every file holds as many requests: the same lines "
              "may have been stored twice (a copy with other line ends, or without its first "
              "lines, is another file to shadowai). Requests and episodes would then be "
              "counted twice."},
    "no_data_day": {"fr": "pas de données", "en": "no data"},
    "daily_values": {"fr": "Valeurs par jour", "en": "Values per day"},
    "folded_names": {
        "fr": "« Autres directions » regroupe, sans détailler leurs chiffres : {names}.",
        "en": "\"Other departments\" groups, without their own figures: {names}."},
    "folded_with_unassigned": {
        "fr": "Il compte aussi les identités non affectées (postes sans utilisateur ni réseau "
              "connu) : pas de taux d'adoption pour ce groupe.",
        "en": "It also counts unassigned identities (machines with no user nor known "
              "network): no adoption rate for this group."},
    "annex": {"fr": "Annexe technique pour l'exploitation",
              "en": "Technical annex for operators"},
    "annex_help": {
        "fr": "Pour l'équipe qui produit le rapport : sources, lignes écartées, annuaire, "
              "domaines à examiner. Omise avec --audience management.",
        "en": "For the team that produces the report: sources, lines set aside, directory, "
              "hosts to review. Left out with --audience management."},
    "lines_by_reason": {"fr": "Lignes écartées, par motif", "en": "Lines set aside, by reason"},
    "directory_checks": {"fr": "Annuaire et affectation", "en": "Directory and assignment"},
    "coverage_help": {
        "fr": "Identités actives sur le réseau ce mois-ci (source de référence), selon la "
              "table qui les a placées dans une direction. Une identité vue par plusieurs "
              "réseaux compte une fois, à son meilleur placement. Les adresses sans "
              "utilisateur y figurent, même quand elles sont comptées à part des personnes.",
        "en": "Identities active on the network this month (source of record), by the map "
              "that placed them in a department. An identity seen from several networks "
              "counts once, under its best placement. Addresses without a user are included, "
              "even when they are counted apart from people."},
    "resolved_users": {"fr": "Annuaire des utilisateurs", "en": "User directory"},
    "resolved_networks": {"fr": "Plan d'adressage (réseaux)", "en": "Network plan (CIDR)"},
    "resolved_unassigned": {"fr": "Non affectées", "en": "Unassigned"},
    "resolved_unknown": {"fr": "Inconnu (ingéré avant la v7)",
                         "en": "Unknown (ingested before v7)"},
    "with_user": {"fr": "Avec utilisateur", "en": "With a user"},
    "address_only": {"fr": "Adresse seule", "en": "Address only"},
    "identities": {"fr": "Identités", "en": "Identities"},
    "ai_identities": {"fr": "Dont IA", "en": "Of which AI"},
    "total": {"fr": "Total", "en": "Total"},
    "found_in": {"fr": "Présente dans", "en": "Found in"},
    "missing_from": {"fr": "Absente de", "en": "Missing from"},
    "suggestion": {"fr": "Nom proche", "en": "Close match"},
    "map_headcount": {"fr": "effectifs", "en": "headcount"},
    "map_users_networks": {"fr": "annuaire / plan d'adressage", "en": "users / networks"},
    "no_mismatch": {"fr": "Les directions des effectifs et de l'annuaire concordent.",
                    "en": "Departments agree between headcount and directory."},
    "whole_organisation": {"fr": "l'ensemble de l'organisation",
                           "en": "the whole organisation"},
    "headcount_below_users": {
        "fr": "L'effectif de {name} est inférieur à ses personnes utilisatrices de l'IA : "
              "vérifiez le fichier des effectifs (taux d'adoption non affiché).",
        "en": "headcount of {name} is below its AI users: check the headcount file (no "
              "adoption rate shown)."},
    "headcount_incomplete": {
        "fr": "Le fichier des effectifs ne liste pas toutes les directions vues ce "
              "mois-ci : pas de part de l'effectif pour l'organisation (les contrôles de "
              "l'annuaire nomment celles qui y manquent).",
        "en": "the headcount file does not list every department seen this month: "
              "no organisation-wide share of headcount (the directory checks name the "
              "departments missing from it)."},
    "department_changes": {
        "fr": "{n} personne(s) rattachée(s) à plus d'une direction ce mois-ci (l'annuaire a "
              "changé entre deux ingestions) : chacune est comptée une fois, dans sa direction "
              "la plus récente ; « run --force » relit le mois avec l'annuaire du jour.",
        "en": "{n} people were mapped to more than one department this month (the users map "
              "changed between ingests): each is counted once, in its latest department; "
              "`run --force` re-reads the month with today's map."},
})

CATEGORY_NAMES: dict[str, dict[str, str]] = {
    "chat-assistant": {"fr": "Assistant conversationnel", "en": "Chat assistant"},
    "code-assistant": {"fr": "Assistant de code", "en": "Code assistant"},
    "image-generation": {"fr": "Génération d'images", "en": "Image generation"},
    "video-generation": {"fr": "Génération de vidéos", "en": "Video generation"},
    "audio-generation": {"fr": "Génération audio", "en": "Audio generation"},
    "translation": {"fr": "Traduction", "en": "Translation"},
    "writing": {"fr": "Aide à la rédaction", "en": "Writing"},
    "meeting-transcription": {"fr": "Transcription de réunions", "en": "Meeting transcription"},
    "search-answer": {"fr": "Moteur de réponses", "en": "Answer engine"},
    "api-platform": {"fr": "API et plateformes de modèles", "en": "API and model platforms"},
    "agents-automation": {"fr": "Agents et automatisation", "en": "Agents and automation"},
}

JURISDICTION_NAMES: dict[str, dict[str, str]] = {
    "FR": {"fr": "France", "en": "France"},
    "EU": {"fr": "Union européenne (hors France)", "en": "European Union (outside France)"},
    "US": {"fr": "États-Unis", "en": "United States"},
    "CN": {"fr": "Chine", "en": "China"},
    "OTHER": {"fr": "Autres pays", "en": "Other countries"},
}

UNIT_NAMES: dict[str, dict[str, str]] = {
    "proxy request": {"fr": "requête proxy", "en": "proxy request"},
    "HTTP request": {"fr": "requête HTTP", "en": "HTTP request"},
    "TLS handshake": {"fr": "négociation TLS", "en": "TLS handshake"},
    "firewall session": {"fr": "session pare-feu", "en": "firewall session"},
    "firewall log record": {"fr": "enregistrement pare-feu", "en": "firewall log record"},
    "connection": {"fr": "connexion", "en": "connection"},
    "network event": {"fr": "événement réseau", "en": "network event"},
    "DNS lookup": {"fr": "requête DNS", "en": "DNS lookup"},
    "gateway record": {"fr": "enregistrement de passerelle", "en": "gateway record"},
    "ECS event": {"fr": "événement ECS", "en": "ECS event"},
    "firewall or web filter record": {"fr": "enregistrement pare-feu ou filtrage web",
                                      "en": "firewall or web filter record"},
}

REASONS: dict[str, dict[str, str]] = {
    # files skipped while walking a folder (shadowai.sources)
    "empty file": {"fr": "fichier vide", "en": "empty file"},
    "shadowai's own store (never read as a log)": {
        "fr": "base de shadowai (jamais lue comme un journal)",
        "en": "shadowai's own store (never read as a log)"},
    "a shadowai secret key (never read as a log)": {
        "fr": "clé secrète de shadowai (jamais lue comme un journal)",
        "en": "a shadowai secret key (never read as a log)"},
    "not a log (Squid cache or store log, state file)": {
        "fr": "pas un journal d'accès (cache.log ou store.log de Squid, fichier d'état)",
        "en": "not an access log (Squid cache or store log, state file)"},
    "excluded by [ingest] exclude": {"fr": "exclu par [ingest] exclude",
                                     "en": "excluded by [ingest] exclude"},
    "not matched by [ingest] include": {"fr": "hors de [ingest] include",
                                        "en": "not matched by [ingest] include"},
    "not a regular file": {"fr": "pas un fichier ordinaire", "en": "not a regular file"},
    "format not recognised": {"fr": "format non reconnu", "en": "format not recognised"},
    "empty line": {"fr": "ligne vide", "en": "empty line"},
    "wrong number of fields": {"fr": "nombre de champs incorrect",
                               "en": "wrong number of fields"},
    "bad timestamp": {"fr": "horodatage illisible", "en": "bad timestamp"},
    "bad status": {"fr": "code de statut illisible", "en": "bad status"},
    "bad byte count": {"fr": "taille illisible", "en": "bad byte count"},
    "not a common/combined log line": {"fr": "ligne non conforme au format common/combined",
                                       "en": "not a common/combined log line"},
    "proxy authentication challenge (407, no user)": {
        "fr": "défi d'authentification du proxy (407, sans utilisateur)",
        "en": "proxy authentication challenge (407, no user)"},
    "no destination host": {"fr": "pas d'hôte de destination", "en": "no destination host"},
    "destination IP attributed from DNS answers": {
        "fr": "adresse de destination attribuée par les réponses DNS",
        "en": "destination IP attributed from DNS answers"},
    "destination IP only, not attributed": {
        "fr": "adresse de destination seule, non attribuée",
        "en": "destination IP only, not attributed"},
}


class Translator:
    def __init__(self, lang: str, k: int) -> None:
        self.lang = lang
        self.k = k
        self.locale = Locale.parse(LOCALES[lang])
        # The locale's own percent pattern (spacing, sign position), with one decimal.
        self._percent = parse_pattern(self.locale.percent_formats[None].pattern)
        self._percent.frac_prec = (1, 1)

    def __call__(self, key: str, **kw: Any) -> str:
        return STRINGS[key][self.lang].format(k=self.k, **kw)

    def category(self, cid: str | None) -> str:
        return CATEGORY_NAMES.get(cid or "", {}).get(self.lang, cid or "?")

    def jurisdiction(self, code: str | None) -> str:
        return JURISDICTION_NAMES.get(code or "", {}).get(self.lang, code or "?")

    def unit(self, unit: str | None) -> str:
        return UNIT_NAMES.get(unit or "", {}).get(self.lang, unit or "–")

    def reason(self, reason: str) -> str:
        if reason in REASONS:
            return REASONS[reason][self.lang]
        if self.lang == "fr" and reason.startswith("not an event"):
            return "hors événement" + reason[len("not an event"):]
        return reason

    def day(self, iso: str) -> str:
        """``2026-03-05`` -> ``5 mars 2026`` / ``March 5, 2026`` (CLDR, through Babel)."""
        return format_date(dt.date.fromisoformat(iso), "long", locale=self.locale)

    def short_day(self, iso: str) -> str:
        """``2026-03-05`` -> ``5`` (a chart axis tick)."""
        return format_date(dt.date.fromisoformat(iso), "d", locale=self.locale)

    def month(self, month: str) -> str:
        """``2026-10`` -> ``octobre 2026`` / ``October 2026``."""
        return format_date(dt.date.fromisoformat(f"{month}-01"), "LLLL y", locale=self.locale)

    def short_month(self, month: str) -> str:
        """``2026-10`` -> ``oct. 2026`` / ``Oct 2026`` (chart axes)."""
        return format_date(dt.date.fromisoformat(f"{month}-01"), "LLL y", locale=self.locale)

    def of_month(self, month: str) -> str:
        """``de octobre`` is wrong in French: ``d'octobre``, ``d'août``, ``de mars``."""
        name = self.month(month)
        if self.lang != "fr":
            return name
        return ("d'" if name[:1].lower() in "aeiouyhéèêâîô" else "de ") + name

    def number(self, value: Any) -> str:
        if value is None:
            return self("below_k")
        return format_decimal(int(value), locale=self.locale)

    def decimal(self, value: Any, digits: int = 1) -> str:
        if value is None:
            return "–"
        return format_decimal(round(float(value), digits), format="#,##0." + "0" * digits,
                              locale=self.locale)

    def percent(self, value: Any) -> str:
        if value is None:
            return "–"
        return self._percent.apply(value, self.locale)

    def size(self, value: Any) -> str:
        if value is None:
            return "–"
        units = ["o", "ko", "Mo", "Go", "To"] if self.lang == "fr" else \
            ["B", "kB", "MB", "GB", "TB"]
        v = float(value)
        for unit in units:
            if v < 1000 or unit == units[-1]:
                text = self.number(v) if unit == units[0] else self.decimal(v)
                return f"{text}\u00a0{unit}"
            v /= 1000
        return str(value)

    def delta(self, value: Any, percent: bool = False) -> str:
        if percent:
            return f"{self.decimal(abs(value) * 100)}\u00a0" + self("points")
        return self.number(abs(value))

    def summary(self, m: dict[str, Any]) -> list[str]:
        """The management summary: plain sentences built from the model's numbers."""
        t, tot, out = self, m["totals"], []
        month = self.month(m["month"])
        prev = self.month(m["previous_month"])
        if tot["ai_people"] is None:
            out.append(t("s_people_few", month=month))
        elif tot["share_of_headcount"] is not None:
            out.append(t("s_people", people=self.number(tot["ai_people"]), month=month,
                         share=self.percent(tot["share_of_headcount"])))
        else:
            out.append(t("s_people_nohead", people=self.number(tot["ai_people"]), month=month,
                         share=self.percent(tot["share_of_active"])))
        change = m.get("changes", {}).get("ai_people")
        if change and change["delta"] is not None:
            key = ("s_change_up" if change["delta"] > 0 else
                   "s_change_down" if change["delta"] < 0 else "s_change_same")
            out.append(t(key, delta=self.number(abs(change["delta"])), month=prev,
                         before=self.number(change["previous"])))
        addresses = m.get("addresses") or {}
        if addresses.get("counted_apart") and addresses.get("ai_requests"):
            out.append(t("s_addresses_apart", ai=self.number(addresses["ai_people"]),
                         requests=self.number(addresses["ai_requests"])))
        elif addresses.get("active") and not addresses.get("counted_apart") and \
                addresses.get("lines_with_user_share") is not None:
            share = addresses["lines_with_user_share"]
            out.append(t("s_addresses_unit", share=self.percent(share)) if share else
                       t("s_addresses_unit_none"))
        if m["services"]:
            top = m["services"][0]
            out.append(t("s_episodes", episodes=self.number(tot["ai_episodes"]),
                         requests=self.number(tot["ai_requests"]), top=top["name"],
                         top_people=self.number(top["people"])))
        if tot.get("eu_share") is not None:
            out.append(t("s_eu", share=self.percent(tot["eu_share"])))
        if tot.get("sanctioned_share") is not None:
            tools = ", ".join(s["name"] for s in m["services"] if s.get("sanctioned"))
            out.append(t("s_sanctioned", share=self.percent(tot["sanctioned_share"]),
                         tools=tools or "–"))
        blocked = [s["name"] for s in m["services"] if s["blocked"]]
        out.append(t("s_blocked", blocked=self.number(tot["blocked_requests"]),
                     services=", ".join(blocked)) if tot["blocked_requests"]
                   else t("s_blocked_none"))
        names = {s["id"]: s["name"] for s in m["services"]}
        if m.get("new_services"):
            out.append(t("s_new", services=", ".join(names[x] for x in m["new_services"])))
        if m.get("training", {}).get("departments"):
            out.append(t("s_training", places=self.number(m["training"]["total_places"]),
                         sessions=self.number(m["training"]["total_sessions"])))
        q = m["quality"]
        out.append(t("s_quality", days=q["days_with_data"], total=q["days_in_month"],
                     rejected=self.number(q["rejected"]), lines=self.number(q["lines"])))
        if q["missing_days"] and q["file_count"]:
            out.append(t("s_missing", days=", ".join(self.day(d) for d in q["missing_days"])))
        return out

    def department(self, row: dict[str, Any]) -> str:
        if row.get("other"):
            return self("other_departments")
        if row.get("unassigned"):
            return self("unassigned")
        return str(row["name"])
