"""Recall and false positives of the catalog on held-out lists of hosts.

``tests/data/heldout_hosts.csv`` (v1) was written before the catalog v2 additions, from
sources the catalog does not import from (its header gives them). ``heldout_hosts_v2.csv``
comes from another source, read after v1 was used; ``heldout_hosts_v3.csv`` from three more
sources, built before the catalog round that tuned on v2 (it shares no host with v1 or v2);
v4 and v5 likewise, each before the round that tuned on the previous list.
``heldout_hosts_v7.csv`` measures the head instead of the tail: the most used gen-AI web
products of public traffic rankings; ``heldout_hosts_v8.csv`` the products people in France
use (French audience measures and surveys, State, school and French-press pages), now a tuning
list like v1-v7; ``heldout_hosts_v9.csv`` what organisations' traffic shows (security vendors'
shadow-AI telemetry), a tuning list since round 8 like v6; ``heldout_hosts_v10.csv`` national
usage rankings outside France and the US, regional and sovereign AI makers, other European
states' public-sector and school AI, the tuning list of round 9. ``heldout_hosts_v11.csv``,
built blind at the end of session 6 from sources none of v1-v10 used (app-market figures,
Spain's household panel, universities' approved tools, tool reviews, browser sidebars,
government AI), has not been tuned on either. ``heldout_hosts_v12.csv``, built blind at the start
of session 7 from sources none of v1-v11 used (Cloudflare Radar's 2025 ranking, a 2025 chatbot
ranking, the Forbes AI 50 of 2025 and 2026, OpenRouter's app ranking, VS Code AI extensions,
three Y Combinator batches, French gen-AI startups), is a tuning list since catalog round 11
(session 7), which covered its 38 misses (Y Combinator's 2024-25 long tail) from Y Combinator's
public directory: its untuned figure is the one of the catalog of 2026-12-02, 0.596.
``heldout_hosts_v13.csv``, built blind in session 7 from sources none of v1-v12 used (Ramp's AI
Index, a16z and Mercury's AI Application Spending Report, Menlo's and a16z's enterprise reports,
a spend platform's fastest-growing vendors, European AI start-ups, the French AI founders the
Elysee invited, a16z speedrun SR006, an Entrepreneur First company; no Y Combinator), is a
tuning list since catalog round 12 (session 7), which covered 16 of its 17 misses (micro1, a
talent marketplace, was left out) before going on to the start-up tail beyond Y Combinator: its
untuned figure is the one of the catalog after round 11, 0.790. ``heldout_hosts_v14.csv``,
built blind in session 7 from sources none of v1-v13 used (the Stack Overflow 2025 and Sonar
developer surveys, a poll of product managers, Gartner's 2025 Magic Quadrant for AI Code
Assistants, the CNBC Disruptor 50 of 2025, TIME's AI companies, one week of Show HN launches,
open-source AI apps' hosted clouds), is a tuning list since catalog round 13 (session 7), which
covered 43 of its 47 misses (AutoGPT's platform, Gemini Code Assist's site, the Khoj and FastGPT
clouds, 39 Show HN launches; a poker benchmark, an LLM role-play game, a CLI whose site is a
landing page and an AI wake-up-call service were left out) before going on to the rest of the
same Show HN week: its untuned figure is the one of the catalog after round 12, 0.577.
``heldout_hosts_v15.csv``, built blind in session 7 from sources none of v1-v14 used and no
round imported (AppSumo, Shopify App Store, Slack and Teams AI apps, the model-API providers
Artificial Analysis and LMArena rank, Italian, Spanish, Portuguese, German, Polish and Flemish
press on the AI tools of 2026), is a tuning list since catalog round 14 (session 8), whose two
helpers split its 10 misses by name (0-9/A-L: the Ai2 Playground, the Bielik chat, czat.ai, eesel
AI and deal.ai; M-Z: the other five) before importing AI-tool directory datasets of GitHub owners
A-M (toolspedia.ai's and AI Tool House's, scraped): its untuned figure is the one of the catalog
after round 13, 0.881. ``heldout_hosts_v16.csv``, built blind in session 8 from random rows of
two AI-tool directory datasets of GitHub owners N-Z (the tail: There's An AI For That and
Toolverse) and from 2025-2026 launches named by news pages (the head), and
``heldout_hosts_v17.csv``, built blind in session 8 from what network defenders list as AI
(AdGuard's blocked services, a Pi-hole LLM list, two automated shadow-AI block feeds, the
vendors' proxy and firewall allow-lists, an enterprise OPA block policy), are tuning lists since
catalog round 15 (session 8), which covered their admissible misses: their untuned figures are
0.390 (v16; 0.429 after round 14, which never saw it) and 0.613 (v17).
``heldout_hosts_v18.csv``, built blind and head only at the end of session 8 from what staff of
large organisations open (the AI apps SaaS-management and spend vendors see expensed and
discovered, the 2025-2026 enterprise assistant launches of Google, Microsoft, Salesforce,
ServiceNow, SAP and Mistral, AI browsers and browser-extension assistants), and
``heldout_hosts_v19.csv``, built blind in session 9 from third-party sources none of v1-v18
used (Comscore's 2025 year-end chatbot figures, Russian, Chinese, Korean, Japanese, Indian and
Brazilian press and surveys naming the assistants, video, code and meeting tools people use there,
university IT guidance pages, French, UK and EU public-sector pages), the head and the regional
middle, are tuning lists since catalog round 17 (session 9), which covered their admissible misses
(Glarity for v18; Tencent Zhiying and BoodleBox for v19) before reading the regional vendors' own
pages: their untuned figures are 0.958 (v18) and 0.948 (v19). ``heldout_hosts_v20.csv``, built
blind in session 9 from third parties that rule on AI services (governments' and cyber agencies'
DeepSeek bans, US state prohibited-technology lists, Italy's data-protection regulator, US federal
procurement, public registries of clinical AI scribes, clinicians' and lawyers' guidance, school
districts' approved tools, French academies, published company AI policies, translation firms),
the head and the regional middle, is a tuning list since catalog round 18 (session 9), which
covered its admissible misses (Clothoff, ten clinical AI scribes, Suki, CoCounsel; Google
Translate stays out by design) before reading the professional verticals' own pages (clinical
scribes, legal, public-sector, school and HR AI): its untuned figure is 0.817.
``heldout_hosts_v21.csv``, built blind in session 9 from third parties of the professions
(legal-tech, health-IT, EdTech, HR-tech and accounting press, French public-sector press, reviews
of legal AI, surveys of doctors, teachers, accountants and journalists, VivaTech press; no
vendor's page, no public registry of tools), the professional verticals with the general
assistants they name, is the untuned list of session 9 (v11 stays untuned too): no round has seen
it (round 18 worked on the same verticals at the same time, from other sources), and its floor
is its first figure. A round that tunes on one of them needs a new list, built blind like
v6-v21. The floors below are the recalls measured on them; they may only go up, except where a
round narrows an over-broad entry (round 18: v5 and v10, said at their floors). A single false
positive fails."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from shadowai import catalog

HELDOUT = Path(__file__).parent / "data" / "heldout_hosts.csv"
HELDOUT_V2 = Path(__file__).parent / "data" / "heldout_hosts_v2.csv"
HELDOUT_V3 = Path(__file__).parent / "data" / "heldout_hosts_v3.csv"
HELDOUT_V4 = Path(__file__).parent / "data" / "heldout_hosts_v4.csv"
HELDOUT_V5 = Path(__file__).parent / "data" / "heldout_hosts_v5.csv"
HELDOUT_V6 = Path(__file__).parent / "data" / "heldout_hosts_v6.csv"
HELDOUT_V7 = Path(__file__).parent / "data" / "heldout_hosts_v7.csv"
HELDOUT_V8 = Path(__file__).parent / "data" / "heldout_hosts_v8.csv"
HELDOUT_V9 = Path(__file__).parent / "data" / "heldout_hosts_v9.csv"
HELDOUT_V10 = Path(__file__).parent / "data" / "heldout_hosts_v10.csv"
HELDOUT_V11 = Path(__file__).parent / "data" / "heldout_hosts_v11.csv"
HELDOUT_V12 = Path(__file__).parent / "data" / "heldout_hosts_v12.csv"
HELDOUT_V13 = Path(__file__).parent / "data" / "heldout_hosts_v13.csv"
HELDOUT_V14 = Path(__file__).parent / "data" / "heldout_hosts_v14.csv"
HELDOUT_V15 = Path(__file__).parent / "data" / "heldout_hosts_v15.csv"
HELDOUT_V16 = Path(__file__).parent / "data" / "heldout_hosts_v16.csv"
HELDOUT_V17 = Path(__file__).parent / "data" / "heldout_hosts_v17.csv"
HELDOUT_V18 = Path(__file__).parent / "data" / "heldout_hosts_v18.csv"
HELDOUT_V19 = Path(__file__).parent / "data" / "heldout_hosts_v19.csv"
HELDOUT_V20 = Path(__file__).parent / "data" / "heldout_hosts_v20.csv"
HELDOUT_V21 = Path(__file__).parent / "data" / "heldout_hosts_v21.csv"
# v21 (professional verticals, third parties only: legal-tech press and reviews, French legal
# press, health-IT press on AI scribes, surveys of doctors, teachers, accountants and journalists,
# EdTech and HR-tech press, French public-sector press on Albert, VivaTech press; platform,
# publisher, portal and homonym look-alikes), built blind, never tuned on: 0.623 (43 of 69) at
# 170aa56 (main 46cd049, catalog 2026-12-03+7554fdce88 of 3,118 services, after round 17). The
# general assistants and model APIs the professions name match 21 of 21, the professional tools 22
# of 48. 25.8 % (8 of 31) on the hosts found in none of v1-v20. The 26 misses: leya.law,
# luminance.com, app.luminance.com, supio.com, firmpilot.com, evenuplaw.com, eve.legal,
# app.eve.legal, darrow.ai, cocounsel.thomsonreuters.com, casetext.com, lawdroid.com (legal AI),
# suki.ai, deepscribe.ai, augmedix.com, tali.ai, getfreed.ai, app.getfreed.ai (clinical scribes),
# eightfold.ai, paradox.ai, moonhub.ai, findem.ai (HR), aiaccountant.com, app.aiaccountant.com
# (accounting), uniscribe.co, api.uniscribe.co (transcription). 0 false positives among 66 not-ai
# hosts.
RECALL_FLOOR_V21 = 0.62
# v20 (third parties that rule on AI services: the Czech, Australian, Taiwanese, Korean and
# Indian DeepSeek/ChatGPT restrictions, Texas's and other US states' prohibited lists of Chinese
# AI, Italy's Garante, GSA's schedule and OneGov, NHS England's, Supply Ontario's and Infoway's
# AI-scribe lists, clinicians' and lawyers' guidance, school districts' approved tools, French
# academies, published company AI policies, translation firms; platform, regulator,
# dictation-firm and homonym look-alikes), built blind, never tuned on: 0.817 (67 of 82) at
# 65c1a85 (main 1519b4f, catalog 2026-12-03+473724afb7, after round 16). Governments' and states'
# lists (S169-S170) match 33 of 33, the school districts 6 of 6; the clinical AI scribes 5 of 15.
# 51.7 % (15 of 29) on the hosts found in none of v1-v19. The 15 misses: clothoff.io and
# clothoff.net (Clothoff), lyrebirdhealth.com, tortus.ai, api.tortus.ai, healthorbit.ai,
# autochart.ai, empathia.ai, cliniscripts.com, scribeberry.com, tali.ai, pippen.ai (AI scribes),
# suki.ai (Suki), cocounsel.thomsonreuters.com (CoCounsel) and translate.google.com (left out on
# purpose: domains/README.md, "Browser built-in features"). 0 false positives among 52 not-ai
# hosts. The same after round 17. Tuned on in round 18 (session 9): 0.988 (81 of 82; Clothoff's
# two hosts, the ten scribe hosts, suki.ai and cocounsel.thomsonreuters.com catalogued), still 0
# false positives. Left out: translate.google.com (by design, above).
RECALL_FLOOR_V20 = 0.98
# v19 (the head and the regional middle, third-party sources only: Comscore's 2025 year-end
# chatbots, Digital Budget and Mediascope for Russia, QuestMobile for China, an AI-video TOP20,
# the Korea Press Foundation and Consumer Insight surveys, Japanese surveys and LLM makers, India's
# BofA figures and sovereign models, Brazilian surveys and WhatsApp assistants, four university IT
# pages, French/UK/EU public-sector pages, Chinese press on code assistants; portal, cloud,
# messenger and homonym look-alikes), built blind, never tuned on: 0.948 (91 of 96) at f324d89
# (main 754e688, catalog 2026-12-03+b32a8294ac of 3,096 services, before round 16). Every ranked
# host and every host with a figure matches. 78.9 % (15 of 19) on the hosts found in none of
# v1-v18. The 5 misses: zenvideo.qq.com (Tencent Zhiying), rinna.co.jp (rinna), bharatgen.com
# (BharatGen, a v10 miss), boodlebox.ai and api.boodlebox.ai (BoodleBox). 0 false positives among
# 41 not-ai hosts. The same after round 16 (built in parallel, blind to it). Tuned on in round 17
# (session 9): 0.979 (94 of 96; zenvideo.qq.com and BoodleBox's two hosts catalogued), still 0
# false positives. Left out: rinna.co.jp (the corporate and model-news site, kept out since round
# 10; its developer and Koemotion hosts are in) and bharatgen.com (a research programme's site:
# BharatGen releases models, it runs no service people use).
RECALL_FLOOR_V19 = 0.97
# v18 (head only: Zylo's 2026 SaaS Management Index and an audit guide citing it, Torii's shadow-AI
# pages, Gemini Enterprise, ServiceNow/Salesforce/SAP agents, Microsoft 365 Copilot and its agents,
# AI browsers, Mistral Le Chat for business; 2025-2026 launches and browser-extension assistants
# named by the author; SaaS-platform, store, users'-app and name look-alikes), built blind, never
# tuned on: 0.958 (68 of 71) at 642ba2d (main 152dbda, catalog 2026-12-03+b5444790e0 of 2,992
# services, after round 14). The sourced vendors' pages (S146-S153) match 26 of 28 hosts, the
# author-named launches and extensions 42 of 43. 80.0 % (12 of 15) on the hosts found in none of
# v1-v17 (all 56 others match). The 3 misses: vertexaisearch.cloud.google.com (Gemini Enterprise's
# app host), m365copilot.com (Microsoft 365 Copilot), glarity.app (Glarity). 0 false positives
# among 36 not-ai hosts. After round 16 (which read the vendors' pages, not the list): 0.972
# (m365copilot.com). Tuned on in round 17 (session 9): 0.986 (70 of 71; glarity.app catalogued),
# still 0 false positives. Left out: vertexaisearch.cloud.google.com (it also serves the citation
# redirects of Gemini answers; domains/README.md "Decisions on shared hosts", kept).
RECALL_FLOOR_V18 = 0.98
# v17 (what network defenders list as AI: AdguardTeam/HostlistsRegistry's "ai" services,
# confestim/llmblocker's Pi-hole list, random rows of two shadow-AI block feeds (koensmink's
# Defender/Pi-hole feed, apadams' community feed), GitHub's, Cursor's, Alibaba Lingma's, AWS Amazon
# Q's and Google Workspace Gemini's proxy allow-lists, an OPA "complete blocklist" policy; shared
# CDN, cloud, telemetry, user-app platform and name look-alikes), built blind, never tuned on: 0.613
# (106 of 173) at eab3018 (main 16f1a5c, catalog 2026-12-03+b5444790e0 of 2,992 services). The
# head (lists, policy, allow-lists) matches 100 of 112 hosts, the two feeds' tail 6 of 61 (9.8 %).
# 30.2 % (29 of 96) on the hosts found in none of v1-v16 (all 77 others match). The 67 misses
# (listed in the file's header) are 55 tail tools, 5 dedicated hosts under shared vendor domains
# (Lingma, an Amazon Q regional host, an Azure Copilot host, two Google/Facebook AI sites) and 7
# AI-only domains of the head (Khanmigo, Notion AI, PromptPerfect...). 0 false positives among 69
# not-ai hosts. Tuned on in round 15 (session 8): 0.908 (157 of 173; head 106 of 112, tail 51 of
# 61), still 0 false positives. Left out: github.copilot.azure.com (no page read ties it to
# Copilot), ai.google.com, ai.facebook.com and facebook.ai (information sites), notion.ai (no
# Notion AI service; not confirmed as Notion's), promptperfect.ai (not confirmed as Jina's
# PromptPerfect), eight unofficial sites named after other makers' models (Nano Banana, Seed3D,
# BindWeave, Sora, Veo, Ovi, DreamOmni) and two download-only desktop apps (Pluely, Meetily).
RECALL_FLOOR_V17 = 0.90
# v16 (the tail: 60 random rows of a There's An AI For That sample published by xtan9 and 50
# random non-featured rows of sohailakhtar01/toolverse, directory datasets of owners N-Z; the head:
# 2025-2026 launches named by news pages, such as Antigravity, Kiro, Qoder, the Sora and Qwen apps;
# platform, store, directory and name look-alikes), built blind, never tuned on: 0.390 (41 of 105)
# at 343447f (main 8ee1de5, catalog 2026-12-03+1d7222b498 of 1844 services, before directory round
# 14). The tail matches 15 of 77 hosts (19.5 %; 1.1 % of the TAAFT page views), the head 26 of 28.
# 11.1 % (8 of 72) on the hosts found in none of v1-v15 (all 33 others match). The 64 misses
# (listed in the file's header) are 62 directory tools and two Google Labs hosts (the Jules API,
# Opal). 0 false positives among 29 not-ai hosts. After round 14 (1,148 services from two other
# directories' datasets, never looking at v16; catalog of 2,992 services): 0.429 (45 of 105), the
# tail 19 of 77 (24.7 %), the head unchanged (26 of 28), still 0 false positives. Tuned on in
# round 15 (session 8): 0.990 (104 of 105; head 28 of 28, tail 76 of 77), still 0 false
# positives; trynanobanana.io (an unofficial site named after Google's model) left out.
RECALL_FLOOR_V16 = 0.99
# v15 (AppSumo, Shopify App Store, Slack and Teams AI apps; the LLM and speech API providers that
# Artificial Analysis benchmarks and the labs of LMArena's text leaderboard; Italian, Spanish,
# Portuguese, German, Polish and Flemish press on the AI tools of 2026; benchmark, marketplace,
# press, platform and corporate-site look-alikes), built blind, never tuned on: 0.881 (74 of 84)
# at aa083b1 (main 6a70bd6, catalog 2026-12-03+2171752920 of 1763 services). The API providers,
# labs and speech APIs match 55 of 56 hosts, the press's tools 18 of 21, the marketplace apps 1 of
# 7; all 23 ranked hosts and 100 % of the Italian traffic shares stated (99.95 of 99.95 points).
# 64.3 % (18 of 28) on the hosts found in none of v1-v14 (all 56 others match). The 10 misses
# (listed in the file's header) are AppSumo and Shopify apps (6), the Ai2 Playground, the Bielik
# chat, a Polish chatbot site and eesel AI. 0 false positives among 31 not-ai hosts. Tuned on in
# round 14 (session 8): branch round14a (names 0-9/A-L) gives 0.940 (79 of 84: Ai2 Playground,
# Bielik chat, czat.ai, eesel AI, deal.ai added), still 0 false positives; both branches merged:
# 0.976 (82 of 84; shopmee.live and warpwareworks.com, at the edge of scope, left out).
RECALL_FLOOR_V15 = 0.97
# v14 (the Stack Overflow Developer Survey 2025's AI agents and orchestration tools, Sonar's State
# of Code developer survey, a Lenny's Newsletter poll of product managers, newsroom vibe coding,
# Gartner's 2025 Magic Quadrant for AI Code Assistants, the CNBC Disruptor 50 of 2025, TIME's ten
# most influential AI companies of 2026, Show HN launches of 2026-01-07 to 01-14, open-source AI
# apps' hosted clouds; survey, press, platform, user-content and name look-alikes), built blind,
# never tuned on: 0.577 (64 of 111) at f9fc015 (main f7bea9c, catalog 2026-12-03+7c7f91400a of
# 1691 services). The head matches 51 of 53 hosts (98.2 % and 100 % of the Stack Overflow shares
# stated, 100 % of Sonar's), the open-source clouds 12 of 14, one week of Show HN 1 of 44.
# 26.6 % (17 of 64) on the hosts found in none of v1-v13. The 47 misses (listed in the file's
# header) are Show HN launches (43), AutoGPT's platform, Gemini Code Assist's product site, and
# the Khoj and FastGPT clouds. 0 false positives among 52 not-ai hosts. Tuned on in round 13:
# 0.964 (107 of 111) after it, the four left out being Show HN launches outside the scope.
RECALL_FLOOR_V14 = 0.96
# v13 (Ramp's AI Index, a16z and Mercury's top 50 AI apps by startup spend, Menlo's and a16z's
# enterprise reports, a spend platform's fastest-growing vendors, European AI start-ups of
# 2025-2026, the French AI founders invited to the Elysee in February 2026, a16z speedrun SR006, an
# Entrepreneur First company; platform, .ai, start-up and investor look-alikes), built blind, never
# tuned on: 0.790 (64 of 81) at 6386bda (main 2b5ba9f, catalog 2026-12-02+cdf9bea641 of 1349
# services). What businesses pay for and the European start-ups match 61 of 67 hosts, the start-up
# tail 3 of 14; 100 % of the Ramp shares and of the CIO-survey figure stated. 48.5 % (16 of 33) on
# the hosts found in none of v1-v12. The 17 misses (listed in the file's header) are start-ups'
# own domains: B2B agent platforms, sector apps, a speech API, a general agent. 0 false positives
# among 46 not-ai hosts. Tuned on by catalog round 12 (session 7): 0.988 (80 of 81; micro1.ai
# left out as a talent marketplace), still 0 false positives.
RECALL_FLOOR_V13 = 0.98
# v12 (Cloudflare Radar's 2025 generative-AI ranking, "The AI Big Bang 2025" chatbot ranking, the
# Forbes AI 50 of 2025 and 2026, OpenRouter's app ranking of 2026-08-29, VS Code AI extensions, Y
# Combinator X25, W25 and F24, French gen-AI startups; name, batch and .ai look-alikes), built
# blind, never tuned on: 0.596 (56 of 94) at 4db4ad6 (main 28ae56a, catalog 2026-12-02+cdf9bea641
# of 1349 services). The head and the named tools match in full (53 of 53 outside Y Combinator,
# the 12 ranked hosts, 100 % of the OpenRouter tokens of the listed apps); the Y Combinator long
# tail does not (3 of 41). 17.4 % (8 of 46) on the hosts found in none of v1-v11, 7 of 7 outside
# Y Combinator. The 38 misses are Y Combinator companies of 2024-2025 (listed in the file's
# header). 0 false positives among 37 not-ai hosts. Tuned on by catalog round 11 (session 7): the
# 38 misses are catalogued from yc-oss/api's batch files, 1.0 (94 of 94), still 0 false positives.
RECALL_FLOOR_V12 = 1.0
# v11 (Appfigures' EU and world downloads of 2025, Spain's CNMC panel, Apple's 2025 US chart, an
# analyst's view of the consumer race, universities' approved tools, meeting, writing, coding,
# video and image tool reviews, Product Hunt, browser sidebars, US and UK government AI; name,
# platform and .ai look-alikes), built blind, never tuned on: 0.977 (86 of 88) at b8c57c7 (main
# 0c62710, catalog 2026-12-02+438760612e of 1316 services); 87.5 % (14 of 16) on the hosts found
# in none of v1-v10 (72 of the 88 are in one of them: the head is well covered by now); 100 % of
# the stated figures (Appfigures EU and world, CNMC). Misses: usai.gov and api.gsa.usai.gov (GSA's
# USAi, the US agencies' chat and API). 0 false positives among 45 not-ai hosts.
RECALL_FLOOR_V11 = 0.97
# v10 (Italian, Japanese and Korean usage rankings, app-store rankings, Korean, Japanese, Indian,
# Latin-American, African and European model makers and assistants, German and other EU
# public-sector and school AI, directories; .ai and name look-alikes), built blind: 0.707 (41 of
# 58) at 6fd1355 (main f8d6f58); 39.3 % (11 of 28) on the hosts found in none of v1-v9; 100 % of
# Audiweb's Italian users, 76.8 % of Mobile Index's Korean users (A. missed). 17 misses, all
# regional or sovereign makers (Sakana AI, A. and A.X, LG EXAONE, BharatGen, Gnani, Soket, Gan.AI,
# Zapia, Adapta, Lelapa, Sunbird, EuroLLM, GPT-NL, Silo AI, Twistly). 0 false positives among 51.
# Untuned 0.707 at f8d6f58 and again after round 8 at b87c0e4. Spent on 2026-12-02 as the tuning
# list of catalog round 9 (its 17 misses reviewed: 11 services and 11 hosts added, which match
# 12 of them, app.zapia.com under zapia.com): 0.914 (53 of 58), still 0 false positives. Left
# out, 5: model makers whose site presents open weights or research and no service of their own
# (BharatGen, Soket AI, EuroLLM, GPT-NL, Silo AI), like the research sites of domains/README.md.
# Round 18 (session 9) narrowed the over-broad olakrutrim.com entry (it also covered
# maps.olakrutrim.com, Ola Maps' map API): the bare olakrutrim.com no longer matches, only
# Krutrim's chat, cloud, AI-labs and www hosts do: 0.897 (52 of 58), the floor lowered with it.
RECALL_FLOOR_V10 = 0.89
# v9 (enterprise shadow-AI telemetry: Zscaler ThreatLabz AI Security Reports 2024-2026, Netskope,
# Cato CTRL, Grip, LayerX, Harmonic; security-vendor, shared-cloud and .ai look-alikes), built
# blind: 0.967 (59 of 61) at 03dfb66 (main 8875233); 87.5 % (14 of 16) on the hosts found in none
# of v1-v8; usage-weighted 99.5 % of Zscaler 2026's transactions. Misses: GliaCloud (text-to-video)
# and Kapa.ai (answers over developer docs). 0 false positives among 47 not-ai hosts. Its two
# misses catalogued on 2026-12-02 in catalog round 8 (GliaCloud, Kapa.ai): 1.0 (61 of 61), still
# 0 false positives; v9 is a tuning list from then on.
RECALL_FLOOR_V9 = 1.0
# v8 (French use: Médiamétrie and SE Ranking for France, the Baromètre du numérique, Talan/Ifop,
# Heaven's Born AI, DINUM, school and French-press pages, German surveys; French look-alikes),
# built blind: 0.935 (58 of 62) at 0933361 (main 853f47f); 77.8 % (14 of 18) on the hosts found
# in none of v1-v7. Misses: three French teachers' tools (Nolej, Corolair, Mizou) and Kyutai's
# lab site. 0 false positives among 53 not-ai hosts. Spent on 2026-12-02 as the tuning list of
# catalog round 7 (measured untuned 0.935 at 8875233; its 4 misses reviewed and catalogued: Nolej,
# Corolair (now Raison) and Mizou as 3 services, kyutai.org given to Kyutai's Moshi): 1.0 (62 of
# 62), still 0 false positives.
RECALL_FLOOR_V8 = 1.0
# v7 (the a16z Top 100 web lists of six editions, Writerbuddy's 50 most visited AI tools,
# Similarweb's 2025 figures, Chinese and Russian rankings), built blind: 0.894 (168 of 188)
# at 3a9052e (main e9cd424); 69.7 % (46 of 66) on the hosts found in none of v1-v6. The
# seven assistants that carry 98.2 % of chatbot web traffic (Similarweb, January 2026) match.
# Its one not-ai match is documented. Spent on 2026-12-02 as the tuning list of catalog round 6
# (measured untuned 0.894 at e9cd424; its 20 misses reviewed, 19 catalogued as 19 services):
# 0.995 (187 of 188), the one miss skywork.ai, refused on purpose (domains/README.md).
RECALL_FLOOR_V7 = 0.99
V7_DOCUMENTED_MATCHES = ["hf.space"]
# v6 (a client of free chat sites over three years, a Chinese list of ChatGPT mirrors, two
# proxy rule lists, an AI browser's and a multi-bot client's built-in sites, lists of agents,
# AI coding tools and generative tools, French and .ai look-alikes), built blind (the helper
# growing the fifth round never sees it): 0.213 (94 of 442) on main at 54a8bb7, before any
# fifth-round addition, 0 false positives among 192 not-ai hosts. 0.220 (97 of 442) at f8d6f58,
# before catalog round 8. Spent on 2026-12-02 as the tuning list of round 8 (its misses from the
# agents, AI coding tools, generative tools, gpt4free and free ChatGPT mirror sources reviewed:
# 289 services, 303 hosts, 8 hosts given to existing services): 0.973 (430 of 442), still 0 false
# positives. Left out, 12: agent frameworks' and SDKs' sites (5, like langchain.com), a local
# tool's documentation site (1), text analysis that generates nothing (1), a news page (1); and
# 4 hosts of sources the round did not review (two proxy and client lists).
RECALL_FLOOR_V6 = 0.97
# v5 (an AI gateway's provider list, four directories of AI tools (English, Chinese,
# Korean, Russian-language), a proxy rule list, speech-model vendors, French State
# look-alikes): 0.466 (95 of 204) when built, before any addition of the fourth round,
# 0 false positives among 116 not-ai hosts. 0.559 (114 of 204) after the 143 services of
# the fourth round, none taken from v5's sources and its misses never listed; but all 19
# hosts gained are names the builder of v5 (the same session) had read in it: on the 90
# other misses the round gained nothing. The untuned figure of this round is therefore
# 46.6 %, and v5 is spent for the next round. Spent on 2026-12-02 as the tuning list of
# the fifth round (its 90 misses reviewed and all catalogued: 83 services, 6 hosts given
# to existing ones): 1.0 (204 of 204), still 0 false positives. Round 18 (session 9) narrowed
# the over-broad coze.cn entry to www.coze.cn and api.coze.cn (space.coze.cn also serves the
# images that pages built with Coze Space embed, loaded by their visitors): coze.cn and
# space.coze.cn no longer match, 0.990 (202 of 204), the floor lowered with it.
RECALL_FLOOR_V5 = 0.99
# v4 (lobe-chat's provider cards, a directory of AI tools for teachers, two proxy rule
# lists, French school and State look-alikes): 0.463 (19 of 41) when built, before any
# addition of the third round, 0 false positives among 74 not-ai hosts. Unchanged after the
# 48 services of the third round (v3's misses, resellers, LLM-ops, teachers' tools), none
# taken from v4's sources: 0.463. Spent on 2026-12-02 as the tuning list of the fourth
# round (its 22 misses reviewed and all catalogued): 1.0 (41 of 41).
RECALL_FLOOR_V4 = 1.0
# v3 (Cherry Studio providers and mini-apps, awesome-generative-ai, a proxy rule list, hand
# look-alikes): 0.675 (106 of 157) when built, before any addition; still 0.675 after the
# 117 services tuned on v2 (the long tail does not generalise); 0.713 (112 of 157) after
# additions from other sources (v2fly, one-api, cc-switch, Awesome-Chinese-online-AI),
# none taken from v3's own sources (a PPIO host seen only in v3 was taken out again).
# Spent on 2026-12-02 as a tuning list for the third round (its misses reviewed, 28
# services added, 5 hosts given to existing ones): 0.962 (151 of 157); the 6 left are
# tools too little known to judge. After round 14 (directory datasets): 0.975 (153 of 157).
RECALL_FLOOR_V3 = 0.97
# Not-ai hosts of v3 that the catalog matches on purpose: replit.com is counted in full
# (domains/README.md, "replit.com is listed because..."), its blog included.
V3_DOCUMENTED_MATCHES = ["blog.replit.com"]
# v2 (awesome-ai-tools, a long tail of small SaaS tools): 0.305 (60 of 197) when built,
# 0 false positives. Spent on 2026-12-02 as a tuning list (its misses were reviewed and
# 117 services added): 0.909 (179 of 197); the rest are tools too little known to judge.
# After round 14 (directory datasets): 0.924 (182 of 197).
RECALL_FLOOR_V2 = 0.92
# Recall measured on list v1 before catalog v2: 0.812 (134 of 165), 0 false positives;
# after the first v2 additions, made without looking at it: 0.842 (139 of 165). Its 26
# misses were then reviewed and added (2026-12-02), so v1 is now a regression list, not a
# held-out one: 1.0. List v2 is the held-out measure from then on.
RECALL_FLOOR = 0.99


def _rows(path: Path = HELDOUT) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    return list(csv.DictReader(lines))


def measure(cat: catalog.Catalog, path: Path = HELDOUT) -> tuple[float, list[str], list[str]]:
    """(recall on the AI hosts, AI hosts missed, look-alikes matched)."""
    rows = _rows(path)
    ai = [r["host"] for r in rows if r["expect"] == "ai"]
    not_ai = [r["host"] for r in rows if r["expect"] == "not-ai"]
    missed = [h for h in ai if cat.match(h).service is None]
    false_positives = [h for h in not_ai if cat.match(h).service is not None]
    return 1 - len(missed) / len(ai), missed, false_positives


def test_heldout_list_is_well_formed() -> None:
    rows = _rows()
    hosts = [r["host"] for r in rows]
    assert len(hosts) == len(set(hosts)), "duplicate host in the held-out list"
    assert {r["expect"] for r in rows} == {"ai", "not-ai"}
    assert sum(r["expect"] == "ai" for r in rows) >= 150
    assert sum(r["expect"] == "not-ai" for r in rows) >= 100


def test_no_false_positive_on_look_alikes() -> None:
    for path in (HELDOUT, HELDOUT_V2):
        _, _, false_positives = measure(catalog.load(), path)
        assert false_positives == [], path.name
    assert measure(catalog.load(), HELDOUT_V3)[2] == V3_DOCUMENTED_MATCHES
    assert measure(catalog.load(), HELDOUT_V4)[2] == []
    assert measure(catalog.load(), HELDOUT_V5)[2] == []
    assert measure(catalog.load(), HELDOUT_V6)[2] == []
    # hf.space: listed on purpose (domains/README.md); v7 labelled it by the general rule.
    assert measure(catalog.load(), HELDOUT_V7)[2] == V7_DOCUMENTED_MATCHES
    assert measure(catalog.load(), HELDOUT_V8)[2] == []
    assert measure(catalog.load(), HELDOUT_V9)[2] == []
    assert measure(catalog.load(), HELDOUT_V10)[2] == []
    assert measure(catalog.load(), HELDOUT_V11)[2] == []
    assert measure(catalog.load(), HELDOUT_V12)[2] == []
    assert measure(catalog.load(), HELDOUT_V13)[2] == []
    assert measure(catalog.load(), HELDOUT_V14)[2] == []
    assert measure(catalog.load(), HELDOUT_V15)[2] == []
    assert measure(catalog.load(), HELDOUT_V16)[2] == []
    assert measure(catalog.load(), HELDOUT_V17)[2] == []
    assert measure(catalog.load(), HELDOUT_V18)[2] == []
    assert measure(catalog.load(), HELDOUT_V19)[2] == []
    assert measure(catalog.load(), HELDOUT_V20)[2] == []
    assert measure(catalog.load(), HELDOUT_V21)[2] == []


def test_third_heldout_list_shares_no_host_with_the_spent_ones() -> None:
    v3 = {r["host"] for r in _rows(HELDOUT_V3)}
    assert len(v3) == len(_rows(HELDOUT_V3)) >= 240
    assert not v3 & {r["host"] for p in (HELDOUT, HELDOUT_V2) for r in _rows(p)}


def test_fourth_heldout_list_shares_no_host_with_the_spent_ones() -> None:
    v4 = {r["host"] for r in _rows(HELDOUT_V4)}
    assert len(v4) == len(_rows(HELDOUT_V4)) >= 110
    assert sum(r["expect"] == "ai" for r in _rows(HELDOUT_V4)) >= 40
    spent = {r["host"] for p in (HELDOUT, HELDOUT_V2, HELDOUT_V3) for r in _rows(p)}
    assert not v4 & spent


def test_fifth_heldout_list_shares_no_host_with_the_spent_ones() -> None:
    rows = _rows(HELDOUT_V5)
    v5 = {r["host"] for r in rows}
    assert len(v5) == len(rows)
    assert sum(r["expect"] == "ai" for r in rows) >= 200
    assert sum(r["expect"] == "not-ai" for r in rows) >= 60
    spent = {r["host"] for p in (HELDOUT, HELDOUT_V2, HELDOUT_V3, HELDOUT_V4) for r in _rows(p)}
    assert not v5 & spent


def test_sixth_heldout_list_shares_no_host_with_the_spent_ones() -> None:
    rows = _rows(HELDOUT_V6)
    v6 = {r["host"] for r in rows}
    assert len(v6) == len(rows)
    assert {r["expect"] for r in rows} == {"ai", "not-ai"}
    assert sum(r["expect"] == "ai" for r in rows) >= 250
    assert sum(r["expect"] == "not-ai" for r in rows) >= 80
    spent = {r["host"] for p in (HELDOUT, HELDOUT_V2, HELDOUT_V3, HELDOUT_V4, HELDOUT_V5)
             for r in _rows(p)}
    assert not v6 & spent


@pytest.mark.parametrize(("path", "floor"), [
    (HELDOUT_V21, RECALL_FLOOR_V21),
    (HELDOUT_V20, RECALL_FLOOR_V20), (HELDOUT_V19, RECALL_FLOOR_V19),
    (HELDOUT_V18, RECALL_FLOOR_V18),
    (HELDOUT_V17, RECALL_FLOOR_V17), (HELDOUT_V16, RECALL_FLOOR_V16),
    (HELDOUT_V15, RECALL_FLOOR_V15),
    (HELDOUT_V14, RECALL_FLOOR_V14),
    (HELDOUT_V13, RECALL_FLOOR_V13), (HELDOUT_V12, RECALL_FLOOR_V12),
    (HELDOUT_V11, RECALL_FLOOR_V11),
    (HELDOUT_V10, RECALL_FLOOR_V10), (HELDOUT_V9, RECALL_FLOOR_V9), (HELDOUT_V8, RECALL_FLOOR_V8),
    (HELDOUT_V7, RECALL_FLOOR_V7), (HELDOUT_V6, RECALL_FLOOR_V6), (HELDOUT_V5, RECALL_FLOOR_V5),
    (HELDOUT_V4, RECALL_FLOOR_V4), (HELDOUT_V3, RECALL_FLOOR_V3)],
    ids=["twenty-first", "twentieth", "nineteenth", "eighteenth", "seventeenth", "sixteenth",
         "fifteenth", "fourteenth", "thirteenth", "twelfth", "eleventh", "tenth", "ninth", "eighth",
         "seventh", "sixth", "fifth", "fourth", "third"])
def test_recall_on_a_later_heldout_list_stays_above_its_floor(path: Path, floor: float) -> None:
    recall, missed, _ = measure(catalog.load(), path)
    assert recall >= floor, f"recall {recall:.3f}; missed: {', '.join(missed)}"


@pytest.mark.parametrize(("path", "min_ai", "min_not_ai", "sources"), [
    (HELDOUT_V7, 150, 40, range(37, 48)), (HELDOUT_V8, 60, 50, range(48, 59)),
    (HELDOUT_V9, 60, 40, range(59, 69)), (HELDOUT_V10, 55, 50, range(69, 82)),
    (HELDOUT_V11, 70, 25, range(82, 96)), (HELDOUT_V12, 80, 25, range(96, 107)),
    (HELDOUT_V13, 80, 25, range(107, 116)), (HELDOUT_V14, 80, 25, range(116, 125)),
    (HELDOUT_V15, 80, 25, range(125, 133)), (HELDOUT_V16, 100, 25, range(133, 139)),
    (HELDOUT_V17, 170, 65, range(139, 146)), (HELDOUT_V18, 70, 35, range(146, 157)),
    (HELDOUT_V19, 90, 40, range(157, 169)), (HELDOUT_V20, 80, 50, range(169, 181)),
    (HELDOUT_V21, 65, 60, range(181, 193))],
    ids=["seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth",
         "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth",
         "twenty-first"])
def test_ranked_heldout_list_is_well_formed(path: Path, min_ai: int, min_not_ai: int,
                                            sources: range) -> None:
    rows = _rows(path)
    assert len({r["host"] for r in rows}) == len(rows)
    assert sum(r["expect"] == "ai" for r in rows) >= min_ai
    assert sum(r["expect"] == "not-ai" for r in rows) >= min_not_ai
    assert {r["source"] for r in rows} <= {f"S{n}" for n in sources}
    assert all(r["rank"] == "" or r["rank"].isdigit() for r in rows)
    assert all(r["visits"] == "" or float(r["visits"]) > 0 for r in rows)


def test_recall_on_the_second_heldout_list_stays_above_its_floor() -> None:
    rows = _rows(HELDOUT_V2)
    assert len({r["host"] for r in rows}) == len(rows) >= 200
    recall, missed, _ = measure(catalog.load(), HELDOUT_V2)
    assert recall >= RECALL_FLOOR_V2, f"recall {recall:.3f}; missed: {', '.join(missed)}"


def test_recall_on_heldout_hosts_stays_above_the_measured_floor() -> None:
    recall, missed, _ = measure(catalog.load())
    assert recall >= RECALL_FLOOR, f"recall {recall:.3f}; missed: {', '.join(missed)}"


def test_the_measure_can_fail() -> None:
    empty = catalog.Catalog({}, {}, "empty")
    recall, missed, _ = measure(empty)
    assert recall == 0 and missed
    svc = catalog.Service("x-y", "X", "X", "chat-assistant", "US", "https://x.example", "active")
    broad = catalog.Catalog({"x-y": svc}, {"com": "x-y"}, "broad")
    assert "gemini.com" in measure(broad)[2]
