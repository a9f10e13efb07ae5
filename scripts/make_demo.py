#!/usr/bin/env python3
"""Generate the shadowai demo data set: a fictional organisation and one month of proxy logs.

The organisation is the "Conseil départemental de l'Exemple", a French département council
of about 5,000 staff in 20 departments (from 8 to ~900 people). For one month, this script
writes what a security team would hand to shadowai:

* ``users.csv`` (``user,department``), ``networks.csv`` (``cidr,department``) and
  ``headcount.csv`` (``department,headcount``): the directory files;
* ``logs/YYYY-MM/proxy1/access.log-YYYYMMDD.{gz,bz2,xz,zst}``: Squid *native* format, one
  file per weekly rotation (rotated at local midnight on the 8th, 15th, 22nd, 29th and on
  the 1st of the next month), with mixed compressions as after a logrotate config change;
* ``logs/YYYY-MM/proxy2/access-combined.log.gz``: the Squid/Apache *combined* format of a
  second proxy that carries about 10 % of the staff (distinct requests, no duplicates);
* ``truth/YYYY-MM.json``: the ground truth, computed from the records written (see
  ``compute_truth``), against which shadowai's figures can be checked end to end.

Why it exists: the project needs a small, committed, realistic sample that exercises every
hard case of the pipeline (time zones and DST, user-name variants, unauthenticated proxies
resolved by network only, IPv6 clients, unassigned servers, 407 challenges, blocked
services, look-alike domains, AI-looking unknown hosts, malformed lines, a missing day,
tiny departments for k-anonymity) and whose right answer is known.

Design choices:

* The organisation (people, user names, departments, IPs, habits) depends on ``--seed``
  only, never on ``--month``: several months can be generated for trend reports and the
  same people show up in each. The traffic depends on the seed and the month; AI adoption
  grows by a few per cent a month around the reference month 2026-10, and the set of
  adopters of a month contains the adopters of every earlier month.
* The volume is a *sample*: about 165k lines a month at ``--scale 1`` where a real
  5,000-person organisation logs hundreds of millions. The AI traffic is kept near the
  real order of magnitude (about 10,000 requests a month, as counted by the Isère
  département), so the AI share of the lines is much higher than in reality.
* Determinism: every random draw comes from ``random.Random`` instances seeded from
  strings (hashed with SHA-512 by Python, so independent of PYTHONHASHSEED); gzip headers
  carry mtime 0 and no file name. Two runs with the same options give identical bytes.

Standard library plus ``zstandard``. Usage (from the repository root)::

    python scripts/make_demo.py --month 2026-10 --out sample_logs/demo
"""

from __future__ import annotations

import argparse
import bz2
import calendar
import csv
import gzip
import ipaddress
import json
import lzma
import random
import re
import sys
import zlib
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from zoneinfo import ZoneInfo

import zstandard

TZ = ZoneInfo("Europe/Paris")
NETBIOS_DOMAIN = "CD-EXEMPLE"
DNS_DOMAIN = "cd-exemple.fr"
REFERENCE_MONTH = (2026, 10)  # adoption and volumes are calibrated on this month

# --------------------------------------------------------------------------------------
# The organisation
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dept:
    """One department. ``people`` appear in the logs; headcount.csv states a bit more."""

    name: str
    people: int
    ai_rate: float  # share of people using gen-AI in the reference month
    ai_mult: float  # how many requests an adopter makes, relative to the average
    subnets: tuple[str, ...]
    field_people: int = 0  # people at field sites behind a proxy without authentication
    field_subnets: tuple[str, ...] = ()
    all_unauth: bool = False  # the whole department uses the unauthenticated proxy
    ipv6_subnet: str | None = None
    ipv6_people: int = 0
    taste: tuple[tuple[str, float], ...] = ()  # service preference multipliers


DSI = "Direction des systèmes d'information"
CABINET = "Cabinet du président"
NUMERIQUE = "Direction du numérique éducatif"

DEPARTMENTS: tuple[Dept, ...] = (
    Dept(DSI, 180, 0.55, 1.6, ("10.20.0.0/16",),
         taste=(("anthropic-claude", 1.6), ("perplexity-ai", 2.0), ("mistral-le-chat", 1.5))),
    # Nested inside the DSI /16 (same building): exercises longest-prefix matching.
    Dept(CABINET, 12, 0.17, 1.0, ("10.20.99.0/24",)),
    Dept("Direction des routes", 515, 0.07, 0.6, ("10.31.0.0/16",),
         field_people=105,
         field_subnets=tuple(f"10.131.{i}.0/24" for i in range(1, 7))),
    Dept("Direction de l'enfance et de la famille", 540, 0.16, 0.8, ("10.32.0.0/16",)),
    Dept("Direction des collèges", 880, 0.08, 0.7, ("10.33.0.0/16", "10.34.0.0/16")),
    Dept("Direction des finances", 140, 0.25, 1.0, ("10.40.1.0/24",),
         taste=(("microsoft-copilot", 2.0),)),
    Dept("Direction des ressources humaines", 160, 0.22, 0.9, ("10.40.2.0/24",)),
    Dept("Direction de la communication", 45, 0.6, 1.9, ("10.40.3.0/24",),
         taste=(("midjourney-midjourney", 8.0), ("deepl-translator", 1.5))),
    Dept("Archives départementales", 8, 0.25, 0.8, ("10.40.4.0/24",),
         taste=(("deepl-translator", 2.0),)),
    Dept("Direction de l'autonomie", 420, 0.13, 0.8, ("10.35.0.0/16",)),
    Dept("Direction de l'insertion", 260, 0.15, 0.9, ("10.37.0.0/16",)),
    Dept("Direction juridique", 38, 0.3, 1.1, ("10.40.5.0/24",),
         taste=(("deepl-translator", 2.0), ("mistral-le-chat", 2.0))),
    Dept("Direction de la culture", 90, 0.25, 1.0, ("10.41.0.0/24", "10.41.1.0/24"),
         taste=(("deepl-translator", 1.5),)),
    Dept("Direction de l'environnement", 110, 0.2, 1.0, ("10.42.0.0/24",)),
    Dept("Direction des bâtiments", 230, 0.1, 0.7, ("10.38.0.0/24", "10.38.1.0/24")),
    Dept("Direction des transports", 150, 0.12, 0.8, ("10.43.0.0/24",)),
    Dept(NUMERIQUE, 70, 0.45, 1.4, ("10.44.0.0/24",),
         ipv6_subnet="2001:db8:42::/48", ipv6_people=20,
         taste=(("google-gemini", 2.0), ("google-notebooklm", 4.0))),
    Dept("Direction de l'action sociale", 520, 0.14, 0.8, ("10.36.0.0/16",)),
    Dept("Laboratoire départemental", 30, 0.1, 0.8, ("10.45.0.0/24",), all_unauth=True),
    Dept("Direction de la commande publique", 55, 0.25, 1.0, ("10.40.6.0/24",)),
)

SERVER_SUBNET = "10.250.0.0/24"  # deliberately absent from networks.csv: "unassigned"
NEW_HIRES = 20  # authenticate but are not in users.csv yet: resolved by network
PROXY2_SHARE = 0.10  # people whose sites use the second proxy
VARIANT_RATE = 0.05  # authenticated lines showing a case/domain variant of the user name

FIRST_INITIALS = "aaabcccdeeefggijjjjklllmmmmnnoppprssstvvy"
LAST_NAMES = (  # noqa: SIM905 - a word list reads better as text
    "martin bernard dubois thomas robert richard petit durand leroy moreau simon laurent "
    "lefebvre michel garcia david bertrand roux vincent fournier morel girard andre mercier "
    "dupont lambert bonnet francois martinez legrand garnier faure rousseau blanc guerin "
    "muller henry roussel nicolas perrin morin mathieu clement gauthier dumont lopez fontaine "
    "chevalier robin masson sanchez gerard nguyen boyer denis lemaire duval joly gautier "
    "roger roche roy noel meyer lucas meunier jean perez marchand dufour blanchard barbier "
    "brun dumas brunet schmitt leroux colin fernandez renard arnaud rolland caron aubert "
    "giraud leclerc vidal bourgeois renaud lemoine picard gaillard philippe lacroix fabre "
    "dupuis olivier rodriguez dasilva hubert louis charles guillot riviere legall adam rey "
    "moulin gonzalez berger lecomte menard fleury deschamps carpentier julien benoit paris "
    "maillard marchal aubry vasseur renault jacquet collet prevost poirier charpentier royer "
    "huet baron benali haddad diallo traore kone mendes ferreira rossi bianchi schneider"
).split()

USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/141.0.0.0 Safari/537.36 Edg/141.0.0.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/141.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:144.0) Gecko/20100101 Firefox/144.0",
)
SERVER_AGENT = "Microsoft-Delivery-Optimization/10.0"


@dataclass
class Person:
    user: str  # plain lower-case login
    dept: str
    ip: str
    auth: bool  # False: behind the proxy without authentication (user "-")
    listed: bool  # False: new hire, not in users.csv yet
    proxy: int  # 1 or 2
    activity: float  # relative volume of ordinary browsing
    ai_rank: float  # adopts gen-AI in a month when this is among the lowest of its dept
    intensity: float  # relative AI volume once adopted
    agent: str
    services: list[tuple[str, float]] = field(default_factory=list)
    developer: bool = False


@dataclass
class Org:
    people: list[Person]
    headcount: dict[str, int]
    servers: list[str]  # unauthenticated server IPs in SERVER_SUBNET
    ai_server: str  # a server calling an AI API without authentication
    service_account: Person  # authenticates, not in users.csv, lives in SERVER_SUBNET


# --------------------------------------------------------------------------------------
# Destinations
# --------------------------------------------------------------------------------------

# service id -> (host, weight within a session); the first host opens a session.
AI_SERVICES: dict[str, tuple[tuple[str, float], ...]] = {
    "openai-chatgpt": (("chatgpt.com", 60), ("cdn.oaistatic.com", 25),
                       ("chat.openai.com", 6), ("files.oaiusercontent.com", 5)),
    "openai-api": (("api.openai.com", 1),),
    "anthropic-claude": (("claude.ai", 1),),
    "anthropic-api": (("api.anthropic.com", 1),),
    "google-gemini": (("gemini.google.com", 1),),
    "google-notebooklm": (("notebooklm.google.com", 1),),
    "microsoft-copilot": (("copilot.microsoft.com", 1),),
    "mistral-le-chat": (("chat.mistral.ai", 1),),
    "mistral-api": (("api.mistral.ai", 1),),
    "deepl-translator": (("www.deepl.com", 1),),
    "deepl-api": (("api-free.deepl.com", 1),),
    "perplexity-ai": (("www.perplexity.ai", 1),),
    "deepseek-chat": (("chat.deepseek.com", 1),),
    "xai-grok": (("grok.com", 1),),
    "meta-ai": (("www.meta.ai", 1),),
    "github-copilot": (("api.githubcopilot.com", 1),),
    "midjourney-midjourney": (("www.midjourney.com", 1),),
}
AI_HOST_SERVICE = {h: s for s, hosts in AI_SERVICES.items() for h, _ in hosts}
BLOCKED_SERVICES = frozenset({"deepseek-chat"})  # the proxy policy denies it (403)
DEV_MULT = 12  # API clients and IDE assistants make many small requests
API_SERVICES = ("github-copilot", "openai-api", "anthropic-api", "mistral-api", "deepl-api")
API_AGENTS = {
    "github-copilot": "GitHubCopilotChat/0.32.0",
    "openai-api": "OpenAI/Python 1.109.1",
    "anthropic-api": "Anthropic/Python 0.69.0",
    "mistral-api": "mistral-client-python/1.9.10",
    "deepl-api": "deepl-python/1.22.0",
}

# Popularity of each web service as someone's favourite (ChatGPT dominant, as observed).
WEB_SERVICE_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("openai-chatgpt", 40), ("microsoft-copilot", 16), ("deepl-translator", 11),
    ("google-gemini", 9), ("mistral-le-chat", 7), ("anthropic-claude", 6),
    ("perplexity-ai", 4), ("google-notebooklm", 2), ("deepseek-chat", 1.5),
    ("xai-grok", 1), ("midjourney-midjourney", 0.6), ("meta-ai", 0.8),
)

# Paths seen when the proxy bumps TLS and logs full https:// URLs.
AI_PATHS = {
    "chatgpt.com": ("/backend-api/conversation", "/backend-api/models", "/c/", "/"),
    "chat.openai.com": ("/",),
    "cdn.oaistatic.com": ("/assets/", "/_next/static/chunks/"),
    "files.oaiusercontent.com": ("/file-",),
    "api.openai.com": ("/v1/chat/completions", "/v1/responses", "/v1/embeddings"),
    "claude.ai": ("/api/organizations/", "/new", "/chat/"),
    "api.anthropic.com": ("/v1/messages",),
    "gemini.google.com": ("/app", "/_/BardChatUi/data/batchexecute"),
    "notebooklm.google.com": ("/notebook/", "/"),
    "copilot.microsoft.com": ("/c/api/conversations", "/"),
    "chat.mistral.ai": ("/chat/", "/api/chat"),
    "api.mistral.ai": ("/v1/chat/completions",),
    "www.deepl.com": ("/translator", "/write", "/"),
    "api-free.deepl.com": ("/v2/translate",),
    "www.perplexity.ai": ("/search/", "/rest/sse/perplexity_ask"),
    "chat.deepseek.com": ("/api/v0/chat/completion", "/"),
    "grok.com": ("/rest/app-chat/conversations/new", "/"),
    "www.meta.ai": ("/prompt/", "/"),
    "api.githubcopilot.com": ("/chat/completions",),
    "www.midjourney.com": ("/imagine", "/api/"),
}

# Look like AI but are not in the catalog: a suffix matcher must not count them.
DECOY_HOSTS: tuple[tuple[str, int], ...] = (
    ("gemini.com", 90), ("openaire.eu", 70), ("mistral.fr", 45), ("notchatgpt.com", 35),
    ("chatgpt-fr.example.org", 30), ("claude.ai.example.net", 25),
)
# Unknown AI-looking hosts: should surface as catalog "candidates".
CANDIDATE_HOSTS: tuple[tuple[str, int], ...] = (
    ("chat.example-ai.io", 22), ("api.llm-gateway.example.com", 14),
    ("gpt4free.example.net", 9),
)

HEAD_HOSTS = (  # noqa: SIM905 - a word list reads better as text
    "www.google.com login.microsoftonline.com outlook.office365.com fonts.gstatic.com "
    "www.gstatic.com teams.microsoft.com graph.microsoft.com www.bing.com "
    "www.service-public.fr www.legifrance.gouv.fr clients4.google.com update.googleapis.com "
    "ocsp.digicert.com ctldl.windowsupdate.com settings-win.data.microsoft.com "
    "substrate.office.com edge.microsoft.com res.cdn.office.net fonts.googleapis.com "
    "www.youtube.com i.ytimg.com accounts.google.com e3913.dscx.akamaiedge.net "
    "e6858.dsce9.akamaiedge.net a1887.dscq.akamai.net cdn.jsdelivr.net "
    "www.googletagmanager.com www.google-analytics.com github.com api.github.com "
    "www.lemonde.fr www.lefigaro.fr www.ouest-france.fr www.francetvinfo.fr "
    "fr.wikipedia.org upload.wikimedia.org www.linkedin.com static.licdn.com "
    "www.impots.gouv.fr www.ameli.fr www.caf.fr www.pole-emploi.fr www.francetravail.fr "
    "www.collectivites-locales.gouv.fr www.marches-publics.gouv.fr www.boamp.fr "
    "www.insee.fr www.data.gouv.fr www.geoportail.gouv.fr www.cadastre.gouv.fr "
    "www.departements.fr www.education.gouv.fr www.ac-exemple.fr www.laposte.fr "
    "www.sncf-connect.com www.meteofrance.com www.doctolib.fr www.leboncoin.fr "
    "www.amazon.fr m.media-amazon.com www.adobe.com acrobat.adobe.com "
    "cdnjs.cloudflare.com challenges.cloudflare.com www.recaptcha.net "
    "zoom.us www.dropbox.com crl.pki.goog ocsp.pki.goog r11.o.lencr.org "
    "ocsp.sectigo.com safebrowsing.googleapis.com content-autofill.googleapis.com "
    "browser.events.data.msn.com ntp.msn.com assets.msn.com www.msftconnecttest.com "
    "v10.events.data.microsoft.com officeclient.microsoft.com login.live.com "
    "aadcdn.msftauth.net incoming.telemetry.mozilla.org firefox.settings.services.mozilla.com "
    "detectportal.firefox.com stackoverflow.com pypi.org files.pythonhosted.org "
    "registry.npmjs.org www.office.com portal.office.com portal.azure.com "
    "storage.googleapis.com www.googleapis.com lh3.googleusercontent.com "
    "www.facebook.com www.instagram.com x.com www.reddit.com open.spotify.com "
    "web.whatsapp.com www.cnil.fr www.anssi.gouv.fr www.numerique.gouv.fr "
    "www.banque-france.fr www.chorus-pro.gouv.fr www.ugap.fr"
).split()
HTTP_HEAVY = frozenset({
    "ocsp.digicert.com", "ctldl.windowsupdate.com", "crl.pki.goog", "ocsp.pki.goog",
    "r11.o.lencr.org", "ocsp.sectigo.com", "www.msftconnecttest.com",
    "detectportal.firefox.com",
})
SERVER_HOSTS = (
    "ctldl.windowsupdate.com", "download.windowsupdate.com", "deb.debian.org",
    "security.debian.org", "ocsp.digicert.com", "crl.pki.goog", "api.github.com",
    "pypi.org", "files.pythonhosted.org", "registry.npmjs.org",
)
N_HOSTS = 2000
ZIPF_EXPONENT = 0.95

PATHS = ("/", "/index.html", "/favicon.ico", "/robots.txt", "/css/main.css", "/js/app.js",
         "/img/logo.png", "/images/banner.jpg", "/fonts/marianne.woff2", "/api/v1/status",
         "/actualites/", "/fr/accueil", "/search?q=marches+publics", "/pixel.gif")
OCSP_PATH = "/MFEwTzBNMEswSTAJBgUrDgMCGgUABBQ"
MIME_BY_EXT = {".html": "text/html", ".ico": "image/x-icon", ".txt": "text/plain",
               ".css": "text/css", ".js": "application/javascript", ".png": "image/png",
               ".jpg": "image/jpeg", ".woff2": "font/woff2", ".gif": "image/gif"}
HTTP_RESULTS = (("TCP_MISS", 200, 62), ("TCP_HIT", 200, 6), ("TCP_MEM_HIT", 200, 4),
                ("TCP_REFRESH_UNMODIFIED", 304, 5), ("TCP_MISS", 304, 8),
                ("TCP_MISS", 301, 4), ("TCP_MISS", 302, 5), ("TCP_MISS", 404, 4),
                ("TCP_MISS", 503, 1), ("TCP_MISS_ABORTED", 0, 1))

# Volumes at --scale 1 for the reference month.
AI_REQUESTS = 10_000
OTHER_REQUESTS = 150_000
SERVER_SHARE = 0.03  # of OTHER_REQUESTS, flat around the clock
CHALLENGE_RATE = 0.037  # CONNECT/http requests of authenticated people preceded by a 407
BUMP_RATE = 0.08  # HTTPS requests logged as full https:// URLs (TLS inspection)
NO_HOST_LINES = 8
IPV6_LITERAL_LINES = 2
MALFORMED_NATIVE = {"truncated": 6, "garbage": 3, "bad_timestamp": 3, "bad_status": 3,
                    "glued": 3, "empty": 2, "space_in_url": 3}
MALFORMED_COMBINED = {"truncated": 2, "garbage": 1}


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def weighted(rng: random.Random, items: Sequence[tuple[str, float]]) -> str:
    return rng.choices([i for i, _ in items], weights=[w for _, w in items])[0]


def host_ip(host: str) -> str:
    """A stable public-looking address per host, so the same host keeps its peer IP."""
    h = zlib.crc32(host.encode())
    return f"{23 + h % 170}.{(h >> 8) & 255}.{(h >> 16) & 255}.{1 + (h >> 24) % 253}"


def mime_for(path: str) -> str:
    for ext, mime in MIME_BY_EXT.items():
        if path.split("?")[0].endswith(ext):
            return mime
    return "text/html"


def scaled(n: float, scale: float) -> int:
    """Scale a count but keep at least one, so every quirk exists at any scale."""
    return max(1, round(n * scale))


def normalise_user(user: str) -> str:
    """What an analyst does with CD-EXEMPLE\\jdupont, jdupont@cd-exemple.fr or JDupont."""
    return user.rsplit("\\", 1)[-1].split("@", 1)[0].lower()


# --------------------------------------------------------------------------------------
# Building the organisation (seed only: identical for every month)
# --------------------------------------------------------------------------------------


def build_org(seed: int) -> Org:
    rng = random.Random(f"shadowai-demo/org/{seed}")
    used_names: set[str] = set()
    used_ips: set[str] = set()
    people: list[Person] = []
    for dept in DEPARTMENTS:
        people += make_department(rng, dept, used_names, used_ips)
    pick_new_hires(rng, people)
    assign_services(rng, people)
    headcount = {d.name: d.people + max(1, round(d.people * rng.uniform(0.06, 0.16)))
                 for d in DEPARTMENTS}
    servers = [f"10.250.0.{i}" for i in (11, 12, 13, 14, 21, 22, 23, 40, 41, 42)]
    account = Person("svc-ged", "", "10.250.0.30", True, False, 1, 1.0, 0.0, 1.0,
                     API_AGENTS["mistral-api"], [("mistral-api", 1.0)])
    return Org(people, headcount, servers, "10.250.0.12", account)


def make_department(rng: random.Random, dept: Dept, used_names: set[str],
                    used_ips: set[str]) -> list[Person]:
    people = []
    for i in range(dept.people):
        at_field = dept.all_unauth or i >= dept.people - dept.field_people
        subnets = dept.field_subnets if (at_field and dept.field_subnets) else dept.subnets
        if i < dept.ipv6_people:
            ip = new_ip(rng, (dept.ipv6_subnet or "",), used_ips)
        else:
            ip = new_ip(rng, subnets, used_ips)
        people.append(Person(
            user=new_user_name(rng, used_names), dept=dept.name, ip=ip, auth=not at_field,
            listed=True, proxy=2 if rng.random() < PROXY2_SHARE and not at_field else 1,
            activity=rng.lognormvariate(0, 0.8), ai_rank=rng.random(),
            intensity=min(rng.paretovariate(2.2), 12.0), agent=rng.choice(USER_AGENTS)))
    return people


def new_user_name(rng: random.Random, used: set[str]) -> str:
    base = rng.choice(FIRST_INITIALS) + rng.choice(LAST_NAMES)
    name, n = base, 1
    while name in used:  # homonyms get a number, as most directories do
        n += 1
        name = f"{base}{n}"
    used.add(name)
    return name


def new_ip(rng: random.Random, subnets: Sequence[str], used: set[str]) -> str:
    while True:
        net = ipaddress.ip_network(rng.choice(subnets))
        if net.version == 6:
            # one /64 per floor, short interface ids as a DHCPv6 server would hand out
            ip = str(net.network_address + (rng.randint(1, 4) << 64) + rng.randint(16, 4095))
        elif net.prefixlen == 16:
            # third octet below 64 keeps clear of nested networks such as 10.20.99.0/24
            ip = str(net.network_address + (rng.randint(0, 63) << 8) + rng.randint(10, 250))
        else:
            ip = str(net.network_address + rng.randint(10, 250))
        if ip not in used:
            used.add(ip)
            return ip


def pick_new_hires(rng: random.Random, people: list[Person]) -> None:
    """~20 authenticated people missing from users.csv; they must resolve by network.

    One is forced in the Cabinet (nested /24, longest prefix wins) and one among the IPv6
    clients, both among their department's likeliest AI users, so that both resolution
    paths actually show up in the AI figures."""
    forced = []
    for dept, ipv6 in ((CABINET, False), (NUMERIQUE, True)):
        pool = [p for p in people if p.dept == dept and (":" in p.ip) == ipv6]
        forced.append(min(pool, key=lambda p: p.ai_rank))
    pool = [p for p in people if p.auth and p not in forced]
    for p in forced + rng.sample(pool, NEW_HIRES - len(forced)):
        p.listed = False


def assign_services(rng: random.Random, people: list[Person]) -> None:
    """Each person's habits: a favourite service, sometimes one or two others."""
    tastes = {d.name: dict(d.taste) for d in DEPARTMENTS}
    for p in people:
        taste = tastes[p.dept]
        options = [(s, w * taste.get(s, 1.0)) for s, w in WEB_SERVICE_WEIGHTS]
        favourite = weighted(rng, options)
        p.services = [(favourite, 0.75)]
        for extra_chance in (0.45, 0.15):
            if rng.random() < extra_chance:
                other = weighted(rng, [o for o in options if o[0] not in dict(p.services)])
                p.services.append((other, 0.25 / len(p.services)))
    # A handful of DSI developers call APIs; round robin so every API service is used.
    devs = sorted((p for p in people if p.dept == DSI and p.auth and p.listed),
                  key=lambda p: p.ai_rank)[:6]
    for i, p in enumerate(devs):
        p.developer = True
        apis = [API_SERVICES[0], API_SERVICES[1 + i % 4]]
        if i % 3 == 0:
            apis.append(API_SERVICES[1 + (i + 1) % 4])
        p.services += [(s, 1.2) for s in apis]


def growth(year: int, month: int) -> float:
    """Gen-AI use grows about 4 % a month around the reference month (both adopters and
    requests), so several generated months make a plausible trend."""
    months = (year - REFERENCE_MONTH[0]) * 12 + month - REFERENCE_MONTH[1]
    return min(2.0, max(0.3, 1.0 + 0.04 * months))


def adopters(org: Org, year: int, month: int) -> list[Person]:
    """People using gen-AI this month: the lowest ai_rank of each department.

    Ranking once per organisation and growing the count with time makes adoption
    monotonic across months, which is what a trend report should show."""
    chosen = []
    for dept in DEPARTMENTS:
        staff = sorted((p for p in org.people if p.dept == dept.name), key=lambda p: p.ai_rank)
        n = max(1, round(dept.people * dept.ai_rate * growth(year, month)))
        chosen += staff[:n]
    return chosen


def write_directory(org: Org, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    rows = sorted((p.user, p.dept) for p in org.people if p.listed)
    write_csv(out / "users.csv", ("user", "department"), rows)
    nets = []
    for d in DEPARTMENTS:
        for cidr in d.subnets + d.field_subnets + ((d.ipv6_subnet,) if d.ipv6_subnet else ()):
            nets.append((cidr, d.name))
    write_csv(out / "networks.csv", ("cidr", "department"), nets)
    write_csv(out / "headcount.csv", ("department", "headcount"),
              [(d.name, org.headcount[d.name]) for d in DEPARTMENTS])


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


# --------------------------------------------------------------------------------------
# The month: calendar and working-hours profile
# --------------------------------------------------------------------------------------


def fixed_holidays(year: int) -> set[date]:
    # Movable feasts (Easter Monday, Ascension, Whit Monday) are ignored: a demo.
    return {date(year, m, d) for m, d in ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15),
                                          (11, 1), (11, 11), (12, 25))}


def outage_day(year: int, month: int) -> date:
    """The proxy outage: first working day on or after the 14th (2026-10-14 is a Wednesday)."""
    day, holidays = date(year, month, 14), fixed_holidays(year)
    while day.weekday() >= 5 or day in holidays:
        day += timedelta(days=1)
    return day


def month_bounds(year: int, month: int) -> tuple[int, int]:
    """Start and end of the LOCAL month as UTC epoch seconds (1 Oct 00:00 +02 = 30 Sep 22:00Z)."""
    nxt = (year + month // 12, month % 12 + 1)
    start = datetime(year, month, 1, tzinfo=TZ)
    end = datetime(nxt[0], nxt[1], 1, tzinfo=TZ)
    return int(start.timestamp()), int(end.timestamp())


def hour_weight(local: datetime, holidays: set[date], outage: date) -> float:
    if local.date() == outage:
        return 0.0
    h = local.hour
    if local.weekday() >= 5 or local.date() in holidays:
        return 0.05 if 9 <= h < 19 else 0.015
    curve = {7: 0.3, 8: 0.8, 9: 1.0, 10: 1.0, 11: 1.0, 12: 0.5, 13: 0.7, 14: 1.0, 15: 1.0,
             16: 0.9, 17: 0.6, 18: 0.25, 19: 0.08, 20: 0.05, 21: 0.04}
    return curve.get(h, 0.015)


@dataclass
class Hours:
    """The month's UTC hours (Paris offsets are whole hours, so they align with local
    hours, DST included: 25 Oct 2026 has 25 of them) and their activity weights."""

    starts: list[int]  # epoch seconds
    weights: list[float]
    cum: list[float]
    open: list[bool]  # False during the outage: not even servers log


def month_hours(year: int, month: int) -> Hours:
    start, end = month_bounds(year, month)
    holidays, outage = fixed_holidays(year), outage_day(year, month)
    starts = list(range(start, end, 3600))
    locals_ = [datetime.fromtimestamp(t, TZ) for t in starts]
    weights = [hour_weight(t, holidays, outage) for t in locals_]
    return Hours(starts, weights, list(accumulate(weights)),
                 [t.date() != outage for t in locals_])


def season(month: int) -> float:
    """Summer holidays and Christmas: fewer people at work."""
    return {7: 0.8, 8: 0.6, 12: 0.85}.get(month, 1.0)


# --------------------------------------------------------------------------------------
# Events
# --------------------------------------------------------------------------------------


@dataclass(slots=True)
class Event:
    ts_ms: int
    client: str
    user: str  # as logged: "-" when unauthenticated
    method: str
    url: str
    code: str  # Squid result code, e.g. TCP_TUNNEL
    status: int
    size: int  # bytes sent to the client
    elapsed: int
    hier: str  # HIER_DIRECT or HIER_NONE
    peer: str
    mime: str
    agent: str
    proxy: int
    kind: str  # ai, decoy, candidate, other, nohost: what the truth needs to know
    host: str = ""
    referer: str = "-"


class Traffic:
    """Draws the month's events. One RNG seeded by (seed, month): another month, other
    traffic, same organisation."""

    def __init__(self, org: Org, seed: int, year: int, month: int, scale: float) -> None:
        self.org = org
        self.rng = random.Random(f"shadowai-demo/traffic/{seed}/{year:04d}-{month:02d}")
        self.hours = month_hours(year, month)
        self.volume = scale * season(month)
        self.ai_volume = self.volume * growth(year, month)
        self.events: list[Event] = []
        self.hosts, self.host_cum = self._zipf_hosts()
        self.browsers = org.people  # everyone browses, authenticated or not
        self.browser_cum = list(accumulate(p.activity for p in org.people))

    # -- time --------------------------------------------------------------------------

    def pick_hour(self) -> int:
        return self.rng.choices(self.hours.starts, cum_weights=self.hours.cum)[0]

    def session_times(self, n: int, mean_gap_ms: float) -> list[int]:
        """n request times in one working hour, a few seconds apart, all inside the hour
        (so a session never spills into the outage day or out of the month)."""
        hour_ms = self.pick_hour() * 1000
        gaps = [int(self.rng.expovariate(1 / mean_gap_ms)) + 50 for _ in range(n - 1)]
        span = min(sum(gaps), 3_500_000)
        gaps = [g * span // max(1, sum(gaps)) for g in gaps]
        first = hour_ms + 10 + self.rng.randrange(3_599_980 - span)
        return list(accumulate([first] + gaps))

    # -- identities --------------------------------------------------------------------

    def logged_user(self, p: Person) -> str:
        if not p.auth:
            return "-"
        if self.rng.random() >= VARIANT_RATE:
            return p.user
        variant = self.rng.randrange(3)
        if variant == 0:
            return f"{NETBIOS_DOMAIN}\\{p.user}"
        if variant == 1:
            return f"{p.user}@{DNS_DOMAIN}"
        return p.user[:2].upper() + p.user[2:]  # JDupont: initial and surname capitalised

    # -- one request -------------------------------------------------------------------

    def request(self, ts_ms: int, p: Person, host: str, kind: str, *, https_path: str = "",
                http: bool = False, big: bool = False, agent: str | None = None) -> Event:
        """One proxy line: CONNECT host:443, a plain http:// request, or (https_path) a
        bumped https:// request."""
        r = self.rng
        user = self.logged_user(p)
        agent = agent or p.agent
        if kind == "ai" and AI_HOST_SERVICE[host] in BLOCKED_SERVICES:
            method, url = ("CONNECT", f"{host}:443") if not https_path else ("GET", f"https://{host}{https_path}")
            return Event(ts_ms, p.ip, user, method, url, "TCP_DENIED", 403, r.randint(3900, 4100),
                         r.randint(0, 4), "HIER_NONE", "-", "text/html", agent, p.proxy, kind, host)
        if http:
            path = OCSP_PATH if host in HTTP_HEAVY else r.choice(PATHS)
            code, status = self._http_result()
            if kind == "ai":  # typed in the address bar: the site redirects to https
                path, code, status = "/", "TCP_MISS", 301
            size = 180 + int(40_000 * r.random() ** 3) if status == 200 else r.randint(150, 600)
            return Event(ts_ms, p.ip, user, "POST" if r.random() < 0.08 else "GET",
                         f"http://{host}{path}", code, status, size, 3 + int(700 * r.random() ** 2),
                         "HIER_NONE" if "HIT" in code else "HIER_DIRECT",
                         "-" if "HIT" in code else host_ip(host),
                         self._mime(path, status), agent, p.proxy, kind, host,
                         self._referer("http", host, path))
        if https_path:
            size = 300 + int((180_000 if big else 30_000) * r.random() ** 3)
            post = big and r.random() < 0.45
            return Event(ts_ms, p.ip, user, "POST" if post else "GET", f"https://{host}{https_path}",
                         "TCP_MISS", 200, size, 20 + int((5000 if big else 800) * r.random() ** 2),
                         "HIER_DIRECT", host_ip(host),
                         "application/json" if big else mime_for(https_path),
                         agent, p.proxy, kind, host, self._referer("https", host, https_path))
        size = 600 + int((2_500_000 if big else 400_000) * r.random() ** 5)
        return Event(ts_ms, p.ip, user, "CONNECT", f"{host}:443", "TCP_TUNNEL", 200, size,
                     60 + int(900_000 * r.random() ** 4), "HIER_DIRECT", host_ip(host), "-",
                     agent, p.proxy, kind, host)

    @staticmethod
    def _referer(scheme: str, host: str, path: str) -> str:
        # A page's assets are fetched with the page as Referer (seen in the combined format).
        return f"{scheme}://{host}/" if "." in path.rsplit("/", 1)[-1] else "-"

    @staticmethod
    def _mime(path: str, status: int) -> str:
        if status == 200:
            return mime_for(path)
        return "-" if status in (0, 304) else "text/html"

    def _http_result(self) -> tuple[str, int]:
        code, status, _ = self.rng.choices(HTTP_RESULTS, weights=[w for *_, w in HTTP_RESULTS])[0]
        return code, status

    # -- AI ----------------------------------------------------------------------------

    def ai_traffic(self, people: list[Person]) -> None:
        """About AI_REQUESTS requests shared by this month's adopters, in sessions."""
        r = self.rng
        mult = {d.name: d.ai_mult for d in DEPARTMENTS}
        want = [p.intensity * mult[p.dept] * (DEV_MULT if p.developer else 1) for p in people]
        target = AI_REQUESTS * self.ai_volume
        # 1 + int(Exp(m)) averages a bit less than m + 1: hence the 0.8 per person
        base = max(0.01, target - 0.8 * len(people)) / sum(want)
        for p, w in zip(people, want, strict=True):
            remaining = 1 + int(r.expovariate(1 / (base * w)))
            while remaining > 0:
                service = weighted(r, p.services)
                api = service in API_SERVICES
                k = min(remaining, 1 + int(r.expovariate(1 / (6.0 if api else 1.8))))
                self.ai_session(p, service, k)
                remaining -= k
        self.api_callers()

    def ai_session(self, p: Person, service: str, k: int) -> None:
        r = self.rng
        hosts = AI_SERVICES[service]
        api = service in API_SERVICES
        for i, ts in enumerate(self.session_times(k, 8000 if api else 25_000)):
            host = hosts[0][0] if i == 0 else weighted(r, hosts)
            agent = API_AGENTS.get(service)
            x = r.random()
            if not api and i == 0 and x < 0.02:
                # someone typed the name in the address bar: plain http, redirected
                self.events.append(self.request(ts, p, host, "ai", http=True))
            elif x < BUMP_RATE:
                path = r.choice(AI_PATHS[host])
                if path.endswith("/"):
                    path += f"{r.getrandbits(32):08x}"
                self.events.append(self.request(ts, p, host, "ai", https_path=path, big=True,
                                                agent=agent))
            else:
                self.events.append(self.request(ts, p, host, "ai", big=True, agent=agent))

    def api_callers(self) -> None:
        """Unassigned AI usage: a server calling an API without authentication, and a
        service account that authenticates but is in no directory."""
        server = Person("-", "", self.org.ai_server, False, False, 1, 1.0, 0.0, 1.0,
                        API_AGENTS["openai-api"])
        callers = ((server, "openai-api", 25), (self.org.service_account, "mistral-api", 40))
        for p, service, n in callers:
            for _ in range(scaled(n / 5, self.ai_volume)):
                self.ai_session(p, service, 5)

    # -- everything else ---------------------------------------------------------------

    def _zipf_hosts(self) -> tuple[list[str], list[float]]:
        hosts = list(HEAD_HOSTS)
        n = 0
        patterns = ("www.site{:03d}.fr", "www.commune{:03d}.fr", "cdn.media{:03d}.com",
                    "e{:04d}.dscb.akamaiedge.net", "api.service{:03d}.net", "www.asso{:03d}.org")
        while len(hosts) < N_HOSTS:
            hosts.append(patterns[n % len(patterns)].format(n // len(patterns) + 1))
            n += 1
        cum = list(accumulate(1 / (rank ** ZIPF_EXPONENT) for rank in range(1, len(hosts) + 1)))
        return hosts, cum

    def other_traffic(self) -> None:
        """Ordinary browsing, spread over the month by the working-hours profile."""
        r = self.rng
        total = OTHER_REQUESTS * self.volume * (1 - SERVER_SHARE)
        weight_sum = self.hours.cum[-1]
        for start, w in zip(self.hours.starts, self.hours.weights, strict=True):
            n = int(total * w / weight_sum + r.random())  # stochastic rounding keeps the total
            who = r.choices(self.browsers, cum_weights=self.browser_cum, k=n)
            hosts = r.choices(self.hosts, cum_weights=self.host_cum, k=n)
            for p, host in zip(who, hosts, strict=True):
                ts = start * 1000 + r.randrange(10, 3_599_990)
                self.events.append(self.browse(ts, p, host, "other"))

    def browse(self, ts: int, p: Person, host: str, kind: str) -> Event:
        r = self.rng
        x = r.random()
        if x < (0.85 if host in HTTP_HEAVY else 0.04):
            return self.request(ts, p, host, kind, http=True)
        if x < 0.04 + BUMP_RATE:
            return self.request(ts, p, host, kind, https_path=r.choice(PATHS))
        return self.request(ts, p, host, kind)

    def server_traffic(self) -> None:
        """Unauthenticated servers (updates, packages): flat day and night, unassigned."""
        r = self.rng
        per_hour = OTHER_REQUESTS * self.volume * SERVER_SHARE / len(self.hours.starts)
        for start, is_open in zip(self.hours.starts, self.hours.open, strict=True):
            if not is_open:
                continue
            for _ in range(int(per_hour + r.random())):
                ip = r.choice(self.org.servers)
                server = Person("-", "", ip, False, False, 1, 1.0, 0.0, 1.0, SERVER_AGENT)
                ts = start * 1000 + r.randrange(10, 3_599_990)
                self.events.append(self.browse(ts, server, r.choice(SERVER_HOSTS), "other"))

    def lookalikes(self) -> None:
        """Decoys (not AI) and unknown AI-looking hosts (catalog candidates)."""
        for kind, table in (("decoy", DECOY_HOSTS), ("candidate", CANDIDATE_HOSTS)):
            for host, n in table:
                left = scaled(n, self.volume)
                while left > 0:
                    p = self.rng.choices(self.browsers, cum_weights=self.browser_cum)[0]
                    k = min(left, self.rng.randint(1, 3))
                    for ts in self.session_times(k, 20_000):
                        self.events.append(self.browse(ts, p, host, kind))
                    left -= k

    def oddities(self) -> None:
        """Requests without a destination host, and CONNECTs to an IPv6 literal."""
        r = self.rng
        for _ in range(scaled(NO_HOST_LINES, self.volume)):
            p = r.choices(self.browsers, cum_weights=self.browser_cum)[0]
            ts = self.session_times(1, 1)[0]
            self.events.append(Event(ts, p.ip, "-", "NONE", "error:invalid-request", "NONE",
                                     400, r.randint(3700, 4000), 0, "HIER_NONE", "-",
                                     "text/html", "-", 1, "nohost"))
        six = [p for p in self.org.people if ":" in p.ip and p.proxy == 1]
        for _ in range(scaled(IPV6_LITERAL_LINES, self.volume)):
            p = r.choice(six)
            ts = self.session_times(1, 1)[0]
            e = self.request(ts, p, "2001:db8::10", "other")
            e.url, e.peer = "[2001:db8::10]:443", "2001:db8::10"
            self.events.append(e)

    def challenges(self) -> None:
        """Negotiate/NTLM: the proxy answers 407 first, then the browser retries with
        credentials a few milliseconds later. Same IP, same URL, user "-"."""
        r = self.rng
        added = []
        for e in self.events:
            if e.user == "-" or e.method == "NONE" or e.url.startswith("https://"):
                continue
            if r.random() < CHALLENGE_RATE:
                added.append(Event(e.ts_ms - r.randint(1, 6), e.client, "-", e.method, e.url,
                                   "TCP_DENIED", 407, r.randint(3900, 4300), r.randint(0, 2),
                                   "HIER_NONE", "-", "text/html", e.agent, e.proxy, e.kind, e.host))
        self.events += added


def generate_events(org: Org, seed: int, year: int, month: int, scale: float) -> list[Event]:
    t = Traffic(org, seed, year, month, scale)
    t.ai_traffic(adopters(org, year, month))
    t.other_traffic()
    t.server_traffic()
    t.lookalikes()
    t.oddities()
    t.challenges()
    return t.events


# --------------------------------------------------------------------------------------
# Files: rotation, formatting, malformed lines, compression
# --------------------------------------------------------------------------------------

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Mostly gzip, then a logrotate configuration change: the LAST rotations of the month get
# .bz2, .xz and .zst (a 4-rotation February simply has one .gz less).
COMPRESSIONS = (".gz", ".gz", ".bz2", ".xz", ".zst")


@dataclass
class LogFile:
    path: str  # relative to the output directory
    native: bool
    events: list[Event]
    lines: list[str] = field(default_factory=list)
    malformed: int = 0
    blank: int = 0


def plan_files(events: list[Event], year: int, month: int) -> list[LogFile]:
    """proxy1: rotated at local midnight on the 8th, 15th, 22nd, 29th and the 1st of the
    next month; proxy2: one file for the month."""
    days = calendar.monthrange(year, month)[1]
    rotations = [date(year, month, d) for d in (8, 15, 22, 29) if d <= days]
    rotations.append(date(year + month // 12, month % 12 + 1, 1))
    cuts = [int(datetime(d.year, d.month, d.day, tzinfo=TZ).timestamp()) * 1000 for d in rotations]
    base = f"logs/{year:04d}-{month:02d}"
    first = len(COMPRESSIONS) - len(rotations)
    files = [LogFile(f"{base}/proxy1/access.log-{d:%Y%m%d}{COMPRESSIONS[first + i]}", True, [])
             for i, d in enumerate(rotations)]
    combined = LogFile(f"{base}/proxy2/access-combined.log.gz", False, [])
    for e in events:
        if e.proxy == 2:
            combined.events.append(e)
        else:
            files[bisect_right(cuts, e.ts_ms)].events.append(e)
    for f in files + [combined]:
        f.events.sort(key=lambda e: e.ts_ms)  # stable: a 407 keeps its place before the retry
    return files + [combined]


def native_line(e: Event) -> str:
    return (f"{e.ts_ms // 1000}.{e.ts_ms % 1000:03d} {e.elapsed:6d} {e.client} "
            f"{e.code}/{e.status:03d} {e.size} {e.method} {e.url} {e.user} {e.hier}/{e.peer} "
            f"{e.mime}")


def clf_time(ts_ms: int) -> str:
    t = datetime.fromtimestamp(ts_ms // 1000, TZ)
    off = int(t.utcoffset().total_seconds()) // 60  # type: ignore[union-attr]
    return (f"{t.day:02d}/{MONTHS_EN[t.month - 1]}/{t.year}:{t:%H:%M:%S} "
            f"{'+' if off >= 0 else '-'}{abs(off) // 60:02d}{abs(off) % 60:02d}")


def combined_line(e: Event) -> str:
    return (f'{e.client} - {e.user} [{clf_time(e.ts_ms)}] "{e.method} {e.url} HTTP/1.1" '
            f'{e.status} {e.size} "{e.referer}" "{e.agent}" {e.code}:{e.hier}')


def damage(rng: random.Random, f: LogFile, how: Counter[str]) -> set[int]:
    """Turn some ordinary (non-AI, well-formed) records into malformed lines, in place.
    Returns the indexes of the events that are no longer well-formed."""
    fmt = native_line if f.native else combined_line
    lines = [fmt(e) for e in f.events]
    ok = [i for i, e in enumerate(f.events[:-1])
          if e.kind == "other" and f.events[i + 1].kind == "other" and e.status != 407
          and f.events[i + 1].status != 407 and "[" not in e.url]
    broken: set[int] = set()
    for kind, n in sorted(how.items()):
        for _ in range(n):
            i = rng.choice([j for j in ok if {j - 1, j, j + 1}.isdisjoint(broken)
                            and (kind != "space_in_url" or f.events[j].url.startswith("http"))])
            lines[i], extra = malformed(rng, kind, lines[i], lines[i + 1], f.native)
            broken.add(i)
            if extra:
                lines[i + 1] = None  # type: ignore[call-overload]  # glued into line i
                broken.add(i + 1)
    f.lines = [line for line in lines if line is not None]
    f.malformed = sum(how.values()) - how.get("empty", 0)  # a blank line is not an event
    f.blank = how.get("empty", 0)
    return broken


def malformed(rng: random.Random, kind: str, line: str, nxt: str, native: bool) -> tuple[str, bool]:
    """One broken line of the given kind; True when it swallowed the next record too."""
    if kind == "truncated":
        # cut before the last two fields (native) or inside the quoted request (combined)
        stop = line.rfind(" ", 0, line.rfind(" ")) if native else line.index('"') + 12
        return line[:rng.randint(20, stop - 1)], False
    if kind == "garbage":
        return rng.choice(("squid[2291]: WARNING: logfile daemon queue is full, dropping data",
                           "\\x1f\\x8b\\x08 ##### partial write #####",
                           "-- MARK --")), False
    if kind == "bad_timestamp":
        return line[:3] + "l" + line[4:], False  # a letter where a digit was
    if kind == "bad_status":  # 4th field; the regex keeps the padding of the 2nd
        return re.sub(r"^(\S+\s+\S+ \S+ )\S+", r"\1TCP_MISS/abc", line), False
    if kind == "glued":
        return line + nxt, True  # the logging daemon lost a newline
    if kind == "empty":
        return "", False
    if kind == "space_in_url":  # an unescaped space splits the URL field in two
        return re.sub(r"^((?:\S+\s+){6}\S+)", r"\1/Rapport annuel 2025.pdf", line), False
    raise ValueError(kind)


def compress(data: bytes, path: str) -> bytes:
    if path.endswith(".gz"):
        return gzip.compress(data, compresslevel=9, mtime=0)
    if path.endswith(".bz2"):
        return bz2.compress(data, 9)
    if path.endswith(".xz"):
        return lzma.compress(data, format=lzma.FORMAT_XZ, preset=6)
    if path.endswith(".zst"):
        return zstandard.ZstdCompressor(level=19).compress(data)
    return data


def malformed_plan(files: list[LogFile], rng: random.Random, scale: float) -> list[Counter[str]]:
    """Spread the malformed lines round-robin over the files of each format."""
    plans: list[Counter[str]] = [Counter() for _ in files]
    for native, table in ((True, MALFORMED_NATIVE), (False, MALFORMED_COMBINED)):
        idx = [i for i, f in enumerate(files) if f.native == native]
        kinds = [k for k, n in sorted(table.items()) for _ in range(scaled(n, scale))]
        rng.shuffle(kinds)
        for j, kind in enumerate(kinds):
            plans[idx[j % len(idx)]][kind] += 1
    return plans


def write_logs(files: list[LogFile], out: Path, seed: int, month: str, scale: float) -> None:
    rng = random.Random(f"shadowai-demo/damage/{seed}/{month}")
    for f, plan in zip(files, malformed_plan(files, rng, scale), strict=True):
        broken = damage(rng, f, plan)
        f.events = [e for i, e in enumerate(f.events) if i not in broken]  # well-formed only
        path = out / f.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(compress(("\n".join(f.lines) + "\n").encode("ascii"), f.path))


# --------------------------------------------------------------------------------------
# Ground truth
# --------------------------------------------------------------------------------------


class Directory:
    """What a proxy analyst would do: users.csv first, then longest network prefix."""

    def __init__(self, org: Org) -> None:
        self.users = {p.user: p.dept for p in org.people if p.listed}
        nets = [(ipaddress.ip_network(c), d.name)
                for d in DEPARTMENTS
                for c in d.subnets + d.field_subnets + ((d.ipv6_subnet,) if d.ipv6_subnet else ())]
        self.nets = sorted(nets, key=lambda n: -n[0].prefixlen)

    def resolve(self, user: str | None, ip: str) -> str:
        if user and user in self.users:
            return self.users[user]
        addr = ipaddress.ip_address(ip)
        for net, dept in self.nets:
            if addr.version == net.version and addr in net:
                return dept
        return "unassigned"


def compute_truth(files: list[LogFile], org: Org, year: int, month: int) -> dict[str, object]:
    """Counts from the records actually written (malformed ones excluded, see write_logs)."""
    directory = Directory(org)
    svc: dict[str, Counter[str]] = defaultdict(Counter)
    svc_people: dict[str, set[str]] = defaultdict(set)
    dept_req: Counter[str] = Counter()
    dept_people: dict[str, set[str]] = defaultdict(set)
    people: set[str] = set()
    days: set[date] = set()
    counts: Counter[str] = Counter()
    looks: dict[str, Counter[str]] = {"decoy": Counter(), "candidate": Counter()}
    # shadowai's rule: when most usage lines carry a user name, client addresses without
    # one (servers, unauthenticated sites) are counted apart from people
    usage = [e for f in files for e in f.events
             if not (e.status == 407 and e.user == "-") and e.kind != "nohost"]
    with_user = sum(e.user != "-" for e in usage)
    apart = 2 * with_user > len(usage)
    addresses: set[str] = set()
    for f in files:
        counts["lines_total"] += len(f.lines)
        counts["malformed_lines"] += f.malformed
        counts["blank_lines"] += f.blank
        for e in f.events:
            days.add(datetime.fromtimestamp(e.ts_ms // 1000, TZ).date())
            if e.status == 407 and e.user == "-":
                counts["auth_challenges"] += 1
                continue
            if e.kind == "nohost":
                counts["no_host_lines"] += 1
            if e.kind in looks:
                looks[e.kind][e.host] += 1
            if e.kind != "ai":
                continue
            user = normalise_user(e.user) if e.user != "-" else None
            person = user or e.client
            dept = directory.resolve(user, e.client)
            service = AI_HOST_SERVICE[e.host]
            blocked = e.code == "TCP_DENIED"
            if apart and user is None:
                addresses.add(e.client)
                counts["address_requests"] += 1
                continue
            counts["ai_requests"] += 1
            counts["ai_blocked"] += blocked
            s = svc[service]
            s["requests"] += 1
            s["blocked"] += blocked
            s["bytes_down"] += e.size
            svc_people[service].add(person)
            dept_req[dept] += 1
            dept_people[dept].add(person)
            people.add(person)
    all_days = [date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]
    return {
        "month": f"{year:04d}-{month:02d}",
        "lines_total": counts["lines_total"],
        "malformed_lines": counts["malformed_lines"],
        "blank_lines": counts["blank_lines"],
        "auth_challenges": counts["auth_challenges"],
        "no_host_lines": counts["no_host_lines"],
        "ai_requests": counts["ai_requests"],
        "ai_blocked": counts["ai_blocked"],
        "ai_people": len(people),
        # what the figures above leave out, counted apart (none when addresses are people)
        "lines_with_user_share": round(with_user / len(usage), 4) if usage else None,
        "ai_addresses": {"people": len(addresses), "requests": counts["address_requests"]},
        "services": {k: {"requests": v["requests"], "blocked": v["blocked"],
                         "people": len(svc_people[k]), "bytes_down": v["bytes_down"]}
                     for k, v in sorted(svc.items())},
        "departments": {d: {"ai_people": len(dept_people[d]), "ai_requests": dept_req[d]}
                        for d in sorted(dept_req)},
        "days_with_data": len(days & set(all_days)),
        "missing_days": [d.isoformat() for d in all_days if d not in days],
        # Beyond the contract, for tests of the catalog and for readers.
        "decoy_requests": dict(sorted(looks["decoy"].items())),
        "candidate_requests": dict(sorted(looks["candidate"].items())),
        "files": {f.path: {"lines": len(f.lines), "malformed": f.malformed} for f in files},
        "timezone": "Europe/Paris",
    }


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--month", default="2026-10", help="local month YYYY-MM (default 2026-10)")
    p.add_argument("--out", default="sample_logs/demo", type=Path,
                   help="output directory (default sample_logs/demo)")
    p.add_argument("--seed", default=2026, type=int,
                   help="organisation and traffic seed (default 2026)")
    p.add_argument("--scale", default=1.0, type=float, help="volume multiplier (default 1.0)")
    args = p.parse_args(argv)
    m = re.fullmatch(r"(\d{4})-(0[1-9]|1[0-2])", args.month)
    if not m:
        p.error("--month must look like YYYY-MM, e.g. 2026-10")
    if not 0 < args.scale <= 50:
        p.error("--scale must be in (0, 50]")
    args.year, args.mon = int(m.group(1)), int(m.group(2))
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    org = build_org(args.seed)
    events = generate_events(org, args.seed, args.year, args.mon, args.scale)
    files = plan_files(events, args.year, args.mon)
    write_directory(org, args.out)
    write_logs(files, args.out, args.seed, args.month, args.scale)
    truth = compute_truth(files, org, args.year, args.mon)
    truth_path = args.out / "truth" / f"{args.month}.json"
    truth_path.parent.mkdir(parents=True, exist_ok=True)
    truth_path.write_text(json.dumps(truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{args.out}: {truth['lines_total']} lines, {truth['ai_requests']} AI requests "
          f"from {truth['ai_people']} people, {truth['malformed_lines']} malformed, "
          f"missing days {truth['missing_days']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
