"""Widgets of the schema registry page."""
import streamlit as st

from evolution.registry import EXAMPLE_HISTORIES, MODES
from ui.evolution import status_name
from ui.language import t, tr

MAX_VERSIONS = 6


def example(values: dict) -> dict:
    """The example history of the language `values` names: its versions and their count."""
    history = EXAMPLE_HISTORIES[values["language"]]
    return {f"v{i}": text for i, text in enumerate(history, 1)} | {"count": len(history)}


def load_example() -> None:
    ss = st.session_state
    ss.update({f"rg.{name}": value for name, value in example({"language": ss["rg.language"]}).items()})


def add_version() -> None:
    n = st.session_state["rg.count"]
    st.session_state[f"rg.v{n + 1}"] = st.session_state[f"rg.v{n}"]
    st.session_state["rg.count"] = n + 1


def remove_version() -> None:
    st.session_state["rg.count"] -= 1


def _pair(check) -> str:
    return t(f"evolve.rg.pair.{check.direction}", other=check.other, status=status_name(check.verdict.status))


def candidates(registration) -> None:
    for c in registration.candidates:
        with st.container(border=True):
            if c.version == 1:
                st.markdown(t("evolve.rg.first"))
                continue
            against = ", ".join(f"v{v}" for v in c.compared_with) or t("evolve.rg.against_nothing")
            st.markdown(t("evolve.rg.accepted" if c.accepted else "evolve.rg.rejected", v=c.version,
                          against=against))
            for check in c.failed:
                st.error(_pair(check) + ". " + "; ".join(tr(f.explanation) for f in check.verdict.rules
                                                         if f.status == "incompatible"), icon="⚠️")
            for check in c.warnings:
                st.warning(_pair(check) + ". " + "; ".join(tr(f.explanation) for f in check.verdict.rules
                                                           if f.status == "lossy"), icon="⚠️")
            unreserved = dict.fromkeys(f.explanation for check in c.checks for f in check.verdict.rules
                                       if f.rule == "tag-not-reserved")   # both directions say it: once
            for explanation in unreserved:
                st.caption(t("evolve.rg.fine_today", explanation=tr(explanation)))
            if not c.accepted:
                st.caption(t("evolve.rg.not_registered"))


def modes_table(every_mode: dict) -> list[dict]:
    """One row per mode: each version accepted or not, which side upgrades first, what the mode checks."""
    column = {name: t(f"evolve.rg.column.{name}") for name in ("mode", "upgrade_first", "checks")}
    rows = []
    for mode, reg in every_mode.items():
        row = {column["mode"]: mode}
        for c in reg.candidates:
            row[f"v{c.version}"] = "✓" if c.accepted else "✗"
        row[column["upgrade_first"]] = t(f"evolve.rg.side.{reg.upgrade_first}")
        directions, transitive, _ = MODES[mode]
        if not directions:
            row[column["checks"]] = t("evolve.rg.checks.nothing")
        else:
            row[column["checks"]] = t("evolve.rg.checks.against_every" if transitive else "evolve.rg.checks.against_latest",
                                      directions=t("evolve.rg.checks." + ("both" if len(directions) == 2
                                                                          else directions[0])))
        rows.append(row)
    return rows
