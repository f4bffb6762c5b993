"""Widgets of the schema registry page."""
import streamlit as st

from evolution.registry import EXAMPLE_HISTORIES, MODES
from ui.language import tr

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
    reads = (f"v{check.other}'s data read by the candidate" if check.direction == "backward"
             else f"the candidate's data read by v{check.other}")
    return f"{reads}: {check.verdict.status}"


def candidates(registration) -> None:
    for c in registration.candidates:
        with st.container(border=True):
            if c.version == 1:
                st.markdown("**v1** — accepted: the first version has nothing to be compatible with.")
                continue
            against = ", ".join(f"v{v}" for v in c.compared_with) or "nothing (mode NONE)"
            st.markdown(f"**v{c.version}** — {'✓ accepted' if c.accepted else '✗ rejected'} "
                        f"(checked against {against})")
            for check in c.failed:
                st.error(_pair(check) + ". " + "; ".join(tr(f.explanation) for f in check.verdict.rules
                                                         if f.status == "incompatible"), icon="⚠️")
            for check in c.warnings:
                st.warning(_pair(check) + ". " + "; ".join(tr(f.explanation) for f in check.verdict.rules
                                                           if f.status == "lossy"), icon="⚠️")
            unreserved = dict.fromkeys(f.explanation for check in c.checks for f in check.verdict.rules
                                       if f.rule == "tag-not-reserved")   # both directions say it: once
            for explanation in unreserved:
                st.caption(f"Reads fine today, but {tr(explanation)}")
            if not c.accepted:
                st.caption("A rejected version is not registered: the next one is compared with the "
                           "versions that were.")


def modes_table(every_mode: dict) -> list[dict]:
    rows = []
    for mode, reg in every_mode.items():
        row = {"mode": mode}
        for c in reg.candidates:
            row[f"v{c.version}"] = "✓" if c.accepted else "✗"
        row["upgrade first"] = reg.upgrade_first
        directions, transitive, _ = MODES[mode]
        if not directions:
            row["checks"] = "nothing"
        else:
            row["checks"] = ("both directions" if len(directions) == 2 else directions[0]) + (
                ", against every earlier version" if transitive else ", against the latest version")
        rows.append(row)
    return rows
