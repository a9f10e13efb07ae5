"""The second collection of real files (../shared/realdata-wild: logs as deployments deliver
them, behind syslog headers, relays and JSON wrappers): each file is detected as its true
format and every line is parsed or counted as not an event, but for the malformed lines
listed, which are malformed in the file itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_formats import check_real_file

WILD = Path(__file__).resolve().parents[2] / "shared" / "realdata-wild"

# file -> (format, events, "not an event" lines, lines rejected as malformed by reason).
# The malformed lines:
# - crowdsec_unifi_cef.log line 3 lost its "CEF:" prefix in the test file it comes from;
# - wazuh_cisco_asa.log: four test lines are a bare "%ASA-…" message, with no time at all;
# - wazuh_fortigate.log: five lines carry "time=10: 13:03" (a space inside the time);
# - slips_test10_conn.log line 1 is "\t#separator \x09" (a TAB before the header);
# - wazuh_checkpoint_smart1.log: an "Encrypt" record without a source address.
WILD_FILES = {
    "bind_querylog/crowdsec_bind9_syslog_denied.log": ("bind-querylog", 0, 12, {}),
    "bind_querylog/wazuh_named.log": ("bind-querylog", 0, 5, {}),
    "cef/crowdsec_unifi_cef.log": ("cef", 1, 2, {"not a cef record": 1}),
    "cef/metron_palo.cef": ("cef", 1, 0, {}),
    "checkpoint/wazuh_checkpoint_smart1.log": ("checkpoint", 5, 12, {"no source address": 1}),
    "cisco_asa/metron_asa_raw.log": ("cisco-asa", 26, 102, {}),
    "cisco_asa/wazuh_cisco_asa.log": ("cisco-asa", 1, 83, {"bad timestamp": 4}),
    "fortigate/wazuh_fortigate.log": ("fortigate", 25, 16, {"bad timestamp": 5}),
    "huawei_usg/wazuh_huawei_usg.log": ("huawei-usg", 3, 0, {}),
    "juniper_srx/wazuh_junos.log": ("juniper-srx", 1, 2, {}),
    "leef/metron_trendmicro_leef.log": ("leef", 0, 4, {}),
    "panos/crowdsec_panos_threat_iso_header.log": ("panos", 0, 2, {}),
    "panos/metron_PaloaltoOutput.log": ("panos", 50, 50, {}),
    "pfsense/crowdsec_pfsense_rfc5424_filterlog.log": ("pfsense", 4, 1, {}),
    "pfsense/wazuh_pfsense.log": ("pfsense", 2, 0, {}),
    "sonicwall/wazuh_sonicwall.log": ("sonicwall", 3, 8, {}),
    "sophos_xg/wazuh_sophos_fw.log": ("sophos-xg", 10, 0, {}),
    "squid_common/datadog_squid_tests_combined.log": ("squid-common", 5, 0, {}),
    "squid_native/datadog_squid_tests_native.log": ("squid-native", 13, 0, {}),
    "squid_native/metron_docker_squid.log": ("squid-native", 5, 0, {}),
    "suricata_eve/slips_test6_suricata.json": ("suricata-eve", 3753, 1247, {}),
    "w3c_iis/lnav_w3c_big_iis85.log": ("w3c", 210, 44, {}),
    "w3c_other/lnav_w3c_oracle_webcache.log": ("w3c", 1, 6, {}),
    "windows_dns/usiem_readme_en_us.log": ("windows-dns", 1, 3, {}),
    "windows_dns/usiem_tests_dd_mm_yyyy_24h.log": ("windows-dns", 1, 3, {}),
    "zeek_json/metron_bro_kafka_wrapped.json": ("zeek-http", 7, 24, {}),
    "zeek_tsv/lnav_bro_conn.log": ("zeek-conn", 92, 9, {}),
    "zeek_tsv/lnav_bro_http.log": ("zeek-http", 197, 9, {}),
    "zeek_tsv/slips_ctu_sme11_dns.log.labeled": ("zeek-dns", 22, 9, {}),
    "zeek_tsv/slips_test10_conn.log": ("zeek-conn", 141, 8,
                                       {"no #fields header before this line": 1}),
    "zeek_tsv/slips_test10_dns.log": ("zeek-dns", 93, 9, {}),
    "zeek_tsv/slips_test10_ssl.log": ("zeek-ssl", 13, 9, {}),
}


needs_wild = pytest.mark.skipif(not WILD.is_dir(), reason="no shared realdata-wild")


@needs_wild
def test_every_wild_file_is_listed() -> None:
    files = {str(p.relative_to(WILD)) for p in WILD.rglob("*")
             if p.is_file() and p.suffix != ".md" and "LICENSE" not in p.name}
    assert files == set(WILD_FILES)


@needs_wild
@pytest.mark.parametrize("rel", sorted(WILD_FILES))
def test_wild_file_is_detected_and_parses_completely(rel: str) -> None:
    check_real_file(rel, WILD_FILES[rel], root=WILD)


@needs_wild
def test_every_wild_folder_names_the_format_family() -> None:
    family = {"bind_querylog": "bind-querylog", "squid_common": "squid-common",
              "w3c_iis": "w3c", "w3c_other": "w3c", "zeek_json": "zeek-", "zeek_tsv": "zeek-"}
    for rel, (name, *_) in WILD_FILES.items():
        folder = rel.split("/", 1)[0]
        assert name.startswith(family.get(folder, folder.replace("_", "-"))), rel
