"""AppTest runs a page as the server does, but for one thing: it makes a new ScriptCache on every run
(for its LocalScriptRunner and, under st.navigation, its PagesManager), so it reads, parses, rewrites (st.write "magic") and compiles the page
script again on each rerun. The server's Runtime keeps one ScriptCache for every session and run, so
a page is compiled once per process. `compile_once()` gives AppTest that one shared cache, so the
bench times what a student waits for: a long page script (a Dataflow page is 150 lines) no longer
pays ~20 % of its rerun for compiling that a trivial page does not.
"""
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import app_test, local_script_runner

_SHARED = ScriptCache()


def compile_once() -> None:
    local_script_runner.ScriptCache = app_test.ScriptCache = lambda: _SHARED
