"""Review items list the candidates already in the landscape first, and the overrides hint uses them."""

from __future__ import annotations


def test_vendor_only_charge_points_at_the_landscapes_own_tools_first(demo_result):
    (item,) = [r for r in demo_result.extra["resolution"]["review"] if r["record_name"] == "MICROSOFT*SUBSCRIPTION"]
    assert set(item["landscape_candidates"]) == {"m365", "teams", "powerbi"}
    assert "microsoft-365" in item["candidates"]  # the catalog's candidates stay listed
    first = item["landscape_candidates"][0]
    assert item["overrides"] == {"never_merge": [["MICROSOFT*SUBSCRIPTION", first]],
                                 "same": [{"tool": first, "names": ["MICROSOFT*SUBSCRIPTION"]}]}
