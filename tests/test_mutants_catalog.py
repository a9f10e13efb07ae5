"""Catalog behaviour that mutation testing showed no test pinned (issue 16): the exact
counts of ``shadowai domains stats`` on a catalog small enough to count by hand."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import polars as pl
import pytest

from shadowai import catalog
from shadowai.catalog import (
    CATEGORIES,
    JURISDICTIONS,
    Catalog,
    CatalogError,
    CatalogMeta,
    Service,
)


def _service(
    sid: str, category: str, jurisdiction: str, vendor: str, status: str = "active"
) -> Service:
    return Service(
        id=sid,
        name=sid.title(),
        vendor=vendor,
        category=category,
        jurisdiction=jurisdiction,
        homepage="",
        status=status,
    )


def _base() -> Catalog:
    services = {
        s.id: s
        for s in (
            _service("acme-chat", "chat-assistant", "FR", "Acme"),
            _service("beta-chat", "chat-assistant", "US", "Beta", status="retired"),
            _service("beta-translate", "translation", "CN", "Beta"),
        )
    }
    domains = {
        "chat.acme.fr": "acme-chat",
        "api.beta.com": "beta-chat",
        "cdn.beta.com": "beta-chat",
        "tr.beta.cn": "beta-translate",
    }
    kinds = {
        "chat.acme.fr": "web",
        "api.beta.com": "api",
        "cdn.beta.com": "static",
        "tr.beta.cn": "web",
    }
    meta = CatalogMeta(released="2026-11-01", origin="imported", release="2026.11")
    return Catalog(services, domains, "2026-11-01+abc", kinds=kinds, meta=meta)


def _small_catalog() -> Catalog:
    # The organisation's gateway: a private service, sanctioned, vendor defaulting to its
    # name; its domain comes from the overlay and so has no kind.
    return _base().with_overlay(
        sanctioned=["acme-chat"],
        private_services=[
            {
                "id": "org-gateway",
                "name": "Passerelle",
                "category": "api-platform",
                "jurisdiction": "FR",
                "sanctioned": True,
            }
        ],
        extra_domains={"llm.intra.example.fr": "org-gateway"},
    )


def _zeros() -> dict[str, int]:
    return dict.fromkeys(JURISDICTIONS, 0)


def test_domains_stats_counts_a_small_catalog_exactly() -> None:
    cat = _small_catalog()
    stats = catalog.stats(cat)
    assert {
        k: stats[k]
        for k in (
            "version",
            "services",
            "active",
            "retired",
            "sanctioned",
            "vendors",
            "domains",
            "released",
            "origin",
            "release",
        )
    } == {
        "version": cat.version,
        "services": 4,
        "active": 3,
        "retired": 1,
        "sanctioned": 2,
        "vendors": 3,
        "domains": 5,
        "released": "2026-11-01",
        "origin": "imported",
        "release": "2026.11",
    }
    assert stats["domains_by_kind"] == {"web": 2, "api": 1, "static": 1, "unknown": 1}
    assert stats["domains_by_category"] == {
        **dict.fromkeys(CATEGORIES, 0),
        "chat-assistant": 3,
        "translation": 1,
        "api-platform": 1,
    }
    assert stats["by_category"] == {
        **dict.fromkeys(CATEGORIES, 0),
        "chat-assistant": 2,
        "translation": 1,
        "api-platform": 1,
    }
    assert stats["by_jurisdiction"] == {**_zeros(), "FR": 2, "US": 1, "CN": 1}
    matrix = {c: _zeros() for c in CATEGORIES}
    matrix["chat-assistant"].update(FR=1, US=1)
    matrix["translation"]["CN"] = 1
    matrix["api-platform"]["FR"] = 1
    assert stats["by_category_jurisdiction"] == matrix
    assert stats["risk"]["services"] == 4 and stats["risk"]["profiled"] == 0


def test_domains_stats_counts_a_category_this_release_does_not_list() -> None:
    # A catalog imported from a newer release may carry a category or jurisdiction this
    # release does not know: its services are still counted, never dropped.
    svc = _service("new-kind", "world-models", "XX", "Newco")
    cat = Catalog({svc.id: svc}, {"new.example.ai": svc.id}, "v", kinds={})
    stats = catalog.stats(cat)
    assert stats["by_category"]["world-models"] == 1
    assert stats["by_jurisdiction"]["XX"] == 1
    assert stats["by_category_jurisdiction"]["world-models"] == {**_zeros(), "XX": 1}
    assert stats["domains_by_category"]["world-models"] == 1
    assert stats["domains_by_kind"] == {"web": 0, "api": 0, "static": 0, "unknown": 1}


def test_match_names_the_host_it_was_asked_about() -> None:
    # `shadowai domains check` prints the host back with its service: both branches.
    cat = _small_catalog()
    acme = cat.services["acme-chat"]
    assert cat.match("www.chat.acme.fr") == catalog.Match("www.chat.acme.fr", acme, "chat.acme.fr")
    assert cat.match("chat.other.fr") == catalog.Match("chat.other.fr", None, None)


GATEWAY = {"id": "org-gw", "name": "Passerelle", "category": "api-platform", "jurisdiction": "FR"}
EXTRA = {"gw.intra.example.fr": "org-gw"}


FULL = {
    "vendor": "Département",
    "homepage": "https://gw.intra.example.fr",
    "notes": "in-house gateway",
    "sanctioned": False,
}


# With only the required keys: the vendor is the name, no home page, not sanctioned.
@pytest.mark.parametrize(
    ("declared", "vendor", "homepage"),
    [
        ({**GATEWAY, **FULL}, "Département", "https://gw.intra.example.fr"),
        (GATEWAY, "Passerelle", ""),
    ],
)
def test_a_private_service_is_recorded_as_declared(
    declared: dict, vendor: str, homepage: str
) -> None:
    cat = _base().with_overlay(private_services=[declared], extra_domains=EXTRA)
    assert cat.services["org-gw"] == Service(
        id="org-gw",
        name="Passerelle",
        vendor=vendor,
        category="api-platform",
        jurisdiction="FR",
        homepage=homepage,
        status="active",
        sanctioned=False,
    )


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        (
            {**GATEWAY, "colour": "red", "size": 3},
            "private service 'org-gw': unknown key(s) colour, size.",
        ),
        ({k: v for k, v in GATEWAY.items() if k != "id"}, "private service: id is required."),
        ({**GATEWAY, "name": "   "}, "private service 'org-gw': name is required."),
        ({**GATEWAY, "jurisdiction": 33}, "private service 'org-gw': jurisdiction is required."),
        (
            {**GATEWAY, "id": "Org_GW"},
            "private service 'Org_GW': id must be lower-case kebab case (e.g. org-llm-gateway).",
        ),
        (
            {**GATEWAY, "id": "acme-chat"},
            "private service 'acme-chat': already a service id (to add hosts to it, use "
            "extra_domains).",
        ),
        (
            {**GATEWAY, "category": "llm"},
            f"private service 'org-gw': category 'llm' is not one of {', '.join(CATEGORIES)}.",
        ),
        (
            {**GATEWAY, "jurisdiction": "Mars"},
            "private service 'org-gw': jurisdiction 'Mars' is not one of FR, EU, US, CN, OTHER.",
        ),
        (
            {**GATEWAY, "sanctioned": "yes"},
            "private service 'org-gw': sanctioned must be true or false.",
        ),
    ],
)
def test_a_wrong_private_service_is_one_exact_sentence(declared: dict, message: str) -> None:
    with pytest.raises(CatalogError) as err:
        _small_catalog().with_overlay(private_services=[declared], extra_domains=EXTRA)
    assert str(err.value) == message


@pytest.mark.parametrize(
    "option", ["sanctioned", "exclude_services", "exclude_categories", "exclude_domains"]
)
def test_an_overlay_list_given_as_one_string_names_the_option(option: str) -> None:
    with pytest.raises(CatalogError) as err:
        _small_catalog().with_overlay(**{option: "acme-chat"})
    assert str(err.value) == f"{option} must be a list of strings, not a single string."


@pytest.mark.parametrize(
    ("overlay", "message"),
    [
        (
            {"extra_domains": {"x.example.fr": "nobody"}},
            "extra_domains: x.example.fr -> unknown service id 'nobody' (declare it under private "
            "services first).",
        ),
        (
            {"private_services": [GATEWAY]},
            "private service 'org-gw' has no domain: add one under extra_domains.",
        ),
        (
            {"exclude_categories": ["games"]},
            f"exclude_categories: 'games' is not one of {', '.join(CATEGORIES)}.",
        ),
        (
            {"sanctioned": ["nobody"]},
            "unknown service id 'nobody' in the catalog overlay (see `shadowai domains list`).",
        ),
        (
            {"extra_domains": [("x.example.fr",)]},
            "extra_domains: expected (domain, service_id), got ('x.example.fr',).",
        ),
        (
            {"extra_domains": [("x.example.fr", 3)]},
            "extra_domains: expected (domain, service_id), got ('x.example.fr', 3).",
        ),
    ],
)
def test_a_wrong_overlay_is_one_exact_sentence(overlay: dict, message: str) -> None:
    with pytest.raises(CatalogError) as err:
        _small_catalog().with_overlay(**overlay)
    assert str(err.value) == message


def test_both_sanctioned_and_excluded_names_every_service() -> None:
    with pytest.raises(CatalogError) as err:
        _base().with_overlay(
            sanctioned=["beta-chat", "acme-chat"], exclude_services=["acme-chat", "beta-chat"]
        )
    assert str(err.value) == "acme-chat, beta-chat: both sanctioned and excluded."
    with pytest.raises(CatalogError) as err:
        _base().with_overlay(
            exclude_services=["beta-translate", "beta-chat"],
            extra_domains={"a.example.fr": "beta-translate", "b.example.fr": "beta-chat"},
        )
    assert str(err.value) == (
        "extra_domains point at excluded service(s) beta-chat, beta-translate."
    )


def test_the_overlay_part_of_the_catalog_version_is_pinned() -> None:
    # Every stored file records the catalog version it was classified with, and reports
    # list the versions a month used: the same overlay must give the same version after
    # an upgrade, whatever order the configuration lists things in. (A date in TOML, such
    # as notes = 2026-11-01 unquoted, is a date object, not a string.)
    def overlay(reverse: bool) -> Catalog:
        gateway = {**GATEWAY, "notes": dt.date(2026, 11, 1)}
        if reverse:
            gateway = dict(reversed(gateway.items()))
        order = reversed if reverse else list
        return _base().with_overlay(
            sanctioned=order(["acme-chat", "org-gw"]),
            private_services=[gateway],
            extra_domains=dict(order([*EXTRA.items(), ("x.example.fr", "acme-chat")])),
            exclude_services=["beta-translate"],
            exclude_categories=["translation"],
            exclude_domains=["cdn.beta.com"],
        )

    assert overlay(False).version == overlay(True).version == "2026-11-01+abc+org.e942c3b4"


def test_overlay_domains_are_normalised_as_hosts_are() -> None:
    # Written as an administrator may type them: upper case, spaces, a trailing dot.
    cat = _small_catalog().with_overlay(
        extra_domains=[(" GW.Intra.Example.FR. ", " acme-chat ")],
        exclude_domains=[" CDN.Beta.COM "],
    )
    assert cat.match("eu.gw.intra.example.fr").service.id == "acme-chat"  # type: ignore[union-attr]
    assert cat.match("cdn.beta.com").service is None


def test_a_reassigned_domain_loses_its_catalog_kind() -> None:
    # The kind (web/api/static) was the catalog's claim about the old service's host.
    cat = _small_catalog().with_overlay(extra_domains={"cdn.beta.com": "acme-chat"})
    assert cat.match("cdn.beta.com").service.id == "acme-chat"  # type: ignore[union-attr]
    assert catalog.stats(cat)["domains_by_kind"] == {"web": 2, "api": 1, "static": 0, "unknown": 2}


def test_an_empty_overlay_changes_nothing_a_report_shows() -> None:
    base = _base()
    same = base.with_overlay(sanctioned=[], exclude_domains=[])
    assert same.version == base.version and same.overlay is None
    assert catalog.stats(same) == catalog.stats(base)
    assert same.match("cdn.beta.com") == base.match("cdn.beta.com")


def test_overlay_service_ids_are_taken_as_written() -> None:
    # Service ids are case-sensitive (only domains are folded to lower case).
    with pytest.raises(CatalogError) as err:
        _base().with_overlay(sanctioned=[" ACME-CHAT "])
    assert str(err.value) == (
        "unknown service id 'ACME-CHAT' in the catalog overlay (see `shadowai domains list`)."
    )
    with pytest.raises(CatalogError) as err:
        _base().with_overlay(exclude_services=["acme-chat", 7])
    assert str(err.value) == "exclude_services must be a list of strings."


def test_the_catalog_folder_is_next_to_the_store_unless_configured(tmp_path: Path) -> None:
    store = tmp_path / "data" / "store.duckdb"
    base = tmp_path / "etc"
    assert catalog.catalog_dir(None, base, store) == tmp_path / "data" / "catalog"
    assert catalog.catalog_dir({"k": 3}, base, store) == tmp_path / "data" / "catalog"
    assert catalog.catalog_dir({"dir": "releases"}, base, store) == base / "releases"
    assert catalog.catalog_dir({"dir": str(tmp_path / "abs")}, base, store) == tmp_path / "abs"
    assert catalog.catalog_dir({"dir": "~/rel"}, base, store) == Path.home() / "rel"


@pytest.mark.parametrize("value", ["", "   ", 3, ["a"]])
def test_a_catalog_folder_that_is_not_a_path_is_one_sentence(value: object) -> None:
    with pytest.raises(CatalogError) as err:
        catalog.catalog_dir({"dir": value}, Path("/etc"), Path("/var/store.duckdb"))
    assert str(err.value) == "[catalog] dir must be a folder path."


def test_the_catalog_age_counts_days_since_its_release() -> None:
    assert CatalogMeta(released="2026-11-01").age_days(dt.date(2026, 11, 11)) == 10
    assert CatalogMeta().age_days(dt.date(2026, 11, 11)) is None


def test_a_catalog_of_retired_services_only_has_zero_active() -> None:
    svc = _service("old-chat", "chat-assistant", "US", "Old", status="retired")
    stats = catalog.stats(Catalog({svc.id: svc}, {"old.example.com": svc.id}, "v"))
    assert (stats["active"], stats["retired"]) == (0, 1)


def test_services_frame_columns_are_what_the_report_queries_read() -> None:
    frame = _small_catalog().services_frame()
    assert frame.columns == [
        "id",
        "name",
        "vendor",
        "category",
        "jurisdiction",
        "homepage",
        "status",
        "sanctioned",
    ]
    row = frame.filter(pl.col("id") == "org-gateway").to_dicts()[0]
    assert row == {
        "id": "org-gateway",
        "name": "Passerelle",
        "vendor": "Passerelle",
        "category": "api-platform",
        "jurisdiction": "FR",
        "homepage": "",
        "status": "active",
        "sanctioned": True,
    }


def test_classify_always_gives_string_columns() -> None:
    # Hosts of a block may all be missing (null dtype) or all be non-AI: the columns
    # keep their types, so that blocks stack.
    cat = _base()
    for hosts in (
        pl.Series("host", [None, None]),
        pl.Series("host", ["example.org"]),
        pl.Series("host", ["example.org", "www.chat.acme.fr"]),
    ):
        out = cat.classify(hosts)
        assert out.schema == {"host": pl.String, "service_id": pl.String, "domain": pl.String}, (
            hosts
        )


def test_an_overlay_with_one_kind_of_setting_only(tmp_path: Path) -> None:
    base = _base()
    cat = catalog.apply_overlay(base, {"sanctioned": ["acme-chat"]})
    assert cat.services["acme-chat"].sanctioned
    cat = catalog.apply_overlay(base, {"exclude_domains": ["cdn.beta.com"]})
    assert cat.match("cdn.beta.com").service is None
    # the keys that locate and age the catalog are not overlay settings, and not refused
    same = catalog.apply_overlay(base, {"dir": "releases", "max_age_days": 30})
    assert same.version == base.version
    with pytest.raises(CatalogError) as err:
        catalog.apply_overlay(base, {"services": {"id": "org-gw"}})
    assert str(err.value) == (
        "[catalog]: services must be an array of tables ([[catalog.services]])."
    )


def test_the_configured_catalog_age_limit_and_origin(tmp_path: Path) -> None:
    store = tmp_path / "store.duckdb"
    cat = catalog.load_configured(None, tmp_path, store)
    assert (cat.meta.max_age_days, cat.meta.origin) == (120, "shipped")
    cat = catalog.load_configured({"max_age_days": 30}, tmp_path, store)
    assert cat.meta.max_age_days == 30
    for bad in (True, 0, "30"):
        with pytest.raises(CatalogError) as err:
            catalog.load_configured({"max_age_days": bad}, tmp_path, store)
        assert str(err.value) == (
            f"[catalog] max_age_days must be a positive number of days, not {bad!r}."
        )
    # an imported release, made current, is the catalog in use
    shutil.copytree(catalog.default_dir(), tmp_path / "catalog" / "releases" / "2026.12")
    (tmp_path / "catalog" / "current").write_text("2026.12\n", encoding="utf-8")
    assert catalog.load_configured(None, tmp_path, store).meta.origin == "imported"


SERVICES_CSV = (
    "id,name,vendor,category,jurisdiction,homepage,status,retired_on,notes\n"
    "acme-chat,Acme Chat,Acme,chat-assistant,FR,https://chat.acme-ai.fr,active,,\n"
    "beta-api,Beta API,Beta,api-platform,US,https://beta.example.com,active,,\n"
)
DOMAINS_CSV = (
    "domain,service_id,kind,added,source\n"
    "api.beta-llm.com,beta-api,api,2026-01-02,vendor-docs\n"
    "chat.acme-ai.fr,acme-chat,web,2026-01-05,observed\n"
)


def _folder(
    tmp_path: Path, services: str = SERVICES_CSV, domains: str = DOMAINS_CSV, **files: str
) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    texts = {
        "services.csv": services,
        "domains.csv": domains,
        "overbroad.csv": "domain,reason\n",
        "psl_exceptions.csv": "domain,reason\n",
        **{
            name.replace("_csv", ".csv").replace("_json", ".json"): text
            for name, text in files.items()
        },
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_an_imported_release_is_dated_by_its_manifest(tmp_path: Path) -> None:
    manifest = '{"released": "2026-12-01", "version": "2026.12"}'
    meta = catalog.load(_folder(tmp_path / "a", manifest_json=manifest)).meta
    assert (meta.released, meta.release) == ("2026-12-01", "2026.12")
    # a manifest that is not a JSON object says nothing: the newest date in the data
    meta = catalog.load(_folder(tmp_path / "b", manifest_json='["2026-12-01"]')).meta
    assert (meta.released, meta.release) == ("2026-01-05", None)


def test_loading_refuses_a_bad_domain_or_jurisdiction_in_one_sentence(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path / "a", domains=DOMAINS_CSV.replace("chat.acme-ai.fr", "Chat.Acme-AI.fr")
    )
    with pytest.raises(CatalogError) as err:
        catalog.load(folder)
    assert str(err.value) == (
        f"{folder / 'domains.csv'}:3: 'Chat.Acme-AI.fr' is not "
        "normalised (lower case, no spaces, no trailing dot)."
    )
    folder = _folder(tmp_path / "b", services=SERVICES_CSV.replace(",US,", ",Mars,"))
    with pytest.raises(CatalogError) as err:
        catalog.load(folder)
    assert str(err.value) == (
        f"{folder / 'services.csv'}:3: jurisdiction 'Mars' is not one "
        f"of {', '.join(JURISDICTIONS)}."
    )


def test_validate_names_a_duplicate_service_once(tmp_path: Path) -> None:
    services = SERVICES_CSV + "beta-api,Beta API,Beta,api-platform,US,https://b.example,active,,\n"
    folder = _folder(tmp_path, services=services)
    problems = [p for p in catalog.validate(folder) if "services.csv" in p]
    assert problems == [
        f"{folder / 'services.csv'}:4: duplicate service id 'beta-api' (first on line 3)."
    ]


def test_validate_refuses_a_vendor_risk_row_of_an_unknown_vendor(tmp_path: Path) -> None:
    rows = (
        "vendor,factor,value,source,checked\n"
        "Nobody,trains_on_inputs,no,https://example.org/policy,2026-01-02\n"
    )
    folder = _folder(tmp_path, risk_vendors_csv=rows)
    assert catalog.validate(folder) == [
        f"{folder / 'risk_vendors.csv'}:2: unknown vendor 'Nobody'."
    ]


def test_validate_explains_a_private_section_public_suffix(tmp_path: Path) -> None:
    # The maintainer reads why: names under github.io belong to different people.
    domains = DOMAINS_CSV + "github.io,acme-chat,web,2026-01-05,observed\n"
    folder = _folder(tmp_path, domains=domains)
    assert catalog.validate(folder) == [
        f"{folder / 'domains.csv'}:4: github.io is a public suffix in the private section "
        "of the Public Suffix List (names under it belong to different owners, e.g. "
        "user-published sites); list it only after review, in psl_exceptions.csv."
    ]


def test_the_config_table_excludes_a_whole_category() -> None:
    # [catalog] exclude_categories = ["translation"]: the organisation does not count
    # machine translation as gen-AI use; its hosts are then ordinary traffic.
    hosts = pl.Series("host", ["tr.beta.cn", "chat.acme.fr"])

    def services(cat: Catalog) -> dict[str, str | None]:
        return dict(cat.classify(hosts).select("host", "service_id").rows())

    assert services(catalog.apply_overlay(_base(), {})) == {
        "tr.beta.cn": "beta-translate", "chat.acme.fr": "acme-chat"}
    cut = catalog.apply_overlay(_base(), {"exclude_categories": ["translation"]})
    assert services(cut) == {"tr.beta.cn": None, "chat.acme.fr": "acme-chat"}
    assert "beta-translate" not in cut.services


@pytest.mark.parametrize(("section", "message"), [
    ({"services": ["org-gateway"]},
     "[catalog]: services must be an array of tables ([[catalog.services]])."),
    ({"services": {"id": "org-gateway"}},
     "[catalog]: services must be an array of tables ([[catalog.services]])."),
    ({"domains": ["llm.intra.example.fr"]},
     "[catalog]: domains must be a table of host = \"service-id\"."),
    ({"sanctionned": ["acme-chat"], "colour": 1},
     "[catalog]: unknown key(s) colour, sanctionned; expected dir, domains, exclude_categories,"
     " exclude_domains, exclude_services, max_age_days, sanctioned, services."),
])
def test_a_wrong_config_table_is_one_exact_sentence(section: dict, message: str) -> None:
    with pytest.raises(CatalogError) as err:
        catalog.apply_overlay(_base(), section)
    assert str(err.value) == message


def test_a_block_of_one_line_is_classified() -> None:
    # a log file of one line, or the last block of a file, may hold a single request
    out = _base().classify(pl.Series("host", ["chat.acme.fr"]))
    assert out.rows() == [("chat.acme.fr", "acme-chat", "chat.acme.fr")]


def test_a_one_day_age_limit_is_accepted(tmp_path: Path) -> None:
    # max_age_days = 1: "warn as soon as the catalog is a day old" is a valid choice
    cat = catalog.load_configured({"max_age_days": 1}, tmp_path, tmp_path / "store.duckdb")
    assert cat.meta.max_age_days == 1


def test_validate_lists_every_malformed_row_not_only_the_first(tmp_path: Path) -> None:
    # a maintainer fixes the whole file in one pass: rows after a bad one are still read
    services = SERVICES_CSV + "gamma-chat,Gamma\n" + "delta-chat,Delta\n"
    folder = _folder(tmp_path, services=services)
    problems = [p for p in catalog.validate(folder) if "fields, expected" in p]
    assert problems == [f"{folder / 'services.csv'}:4: 2 fields, expected 9.",
                        f"{folder / 'services.csv'}:5: 2 fields, expected 9."]
